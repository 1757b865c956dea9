"""This year's public evaluation against last year's: who came in, who left, and how the
grades of those in both moved — overall, per county, and the largest moves.

Entities are joined on their keys (:func:`hgcredit.reconcile.public.lookup`); a kept
entity counts in the transition matrix when it has a level in both years (no conflict,
no grade outside the scale). A move across the whole scale — from the best tier to the
worst or back (A→D, D→A) — is one of the largest moves (the others show in the transition
matrix). An entity's county is this year's (last year's for one that left).
"""

from __future__ import annotations

import numpy as np

from hgcredit.entities.counties import Counties
from hgcredit.reconcile.model import CountyChange, Move, YearOverYear
from hgcredit.reconcile.public import Public
from hgcredit.registry import Registry


def year_over_year(
    current: Public, previous: Public, registry: Registry, counties: Counties
) -> YearOverYear:
    labels = current.scale.labels
    n_labels = len(labels)
    before = previous.index.find(current.hi, current.lo)  # per entity now: last year's, or -1
    kept = np.flatnonzero(before >= 0)
    gone = np.ones(len(previous), dtype=bool)
    gone[before[kept]] = False

    g0, g1 = previous.grade[before[kept]], current.grade[kept]
    both = (g0 >= 0) & (g1 >= 0)
    tier = np.array([registry.tiers.index(lv.tier) for lv in current.scale.levels], dtype=np.int64)
    steps = np.zeros(len(kept), dtype=np.int64)
    steps[both] = tier[g0[both]] - tier[g1[both]]  # positive: a better tier than last year

    names_now, county_now = current.counties(counties)
    names_then, county_then = previous.counties(counties)
    # The counties some entity of either year is in (not those of rows that are no entity,
    # such as a row whose code is invalid), and every district and county of the registry.
    found = {names_now[i] for i in np.unique(county_now).tolist()}
    found |= {names_then[i] for i in np.unique(county_then).tolist()}
    names = sorted(found | set(counties.listed()), key=lambda c: (counties.order(c), c))
    at = {name: i for i, name in enumerate(names)}
    now = np.array([at.get(c, -1) for c in names_now], dtype=np.int64)[county_now]
    then = np.array([at.get(c, -1) for c in names_then], dtype=np.int64)[county_then]
    k = len(names)
    kept_county = now[kept]

    def per_county(values: np.ndarray) -> list[int]:
        return np.bincount(values, minlength=k).tolist() if k else []

    added = per_county(now[before < 0])
    removed = per_county(then[gone])
    kept_n = per_county(kept_county)
    up = per_county(kept_county[steps > 0])
    down = per_county(kept_county[steps < 0])
    cells = kept_county[both] * n_labels * n_labels + g0[both] * n_labels + g1[both]
    moves_per_county = np.bincount(cells, minlength=k * n_labels * n_labels).reshape(
        k, n_labels, n_labels
    )
    by_county = {
        name: CountyChange(added[i], removed[i], kept_n[i], up[i], down[i], moves_per_county[i])
        for i, name in enumerate(names)
    }

    # The largest moves, up before down, then by county and code; the entities themselves
    # are looked up only when asked for.
    span = max(len(registry.tiers) - 1, 1)  # from the best tier to the worst
    picked = np.flatnonzero(np.abs(steps) >= span)
    codes = current.keyed.keys[current.rows[kept[picked]]]
    order = picked[np.lexsort((codes, kept_county[picked], -steps[picked], -np.abs(steps[picked])))]

    def moves(limit: int | None) -> list[Move]:
        found = []
        for j in order[:limit].tolist():
            e = int(kept[j])
            found.append(
                Move(
                    code=str(current.keyed.keys[current.rows[e]]),
                    name=current.text(e, "name") or previous.text(int(before[e]), "name"),
                    county=names[int(kept_county[j])],
                    last_year=labels[int(g0[j])],
                    this_year=labels[int(g1[j])],
                    steps=int(steps[j]),
                )
            )
        return found

    return YearOverYear(
        file=previous.lst.file,
        added=int(np.count_nonzero(before < 0)),
        removed=int(np.count_nonzero(gone)),
        kept=len(kept),
        labels=labels,
        transitions=moves_per_county.sum(axis=0),
        by_county=by_county,
        n_largest=len(order),
        _moves=moves,
    )
