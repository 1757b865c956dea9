"""The whole comparison on lists already read: codes checked and keyed once across all
lists (so a legacy id in one list finds its unified code in any other), then the public
evaluation against each domain (:mod:`.domains`) and against last year's (:mod:`.yoy`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hgcredit.entities.codes import CodeCheck, check_codes_in_blocks
from hgcredit.entities.counties import Counties
from hgcredit.entities.keys import legacy_targets, resolve_legacy
from hgcredit.entities.lists import EntityList, note_code_sources
from hgcredit.errors import HgcreditError, Problem
from hgcredit.reconcile import domains, public
from hgcredit.reconcile.agreement import Weights
from hgcredit.reconcile.model import DomainResult, ProblemSource, Reconciliation
from hgcredit.reconcile.yoy import year_over_year
from hgcredit.registry import Domain, Registry


@dataclass
class Checked:
    """A list as read, its codes checked (done in the reading thread: numpy lets go of the
    GIL, so the check runs while the next file is parsed)."""

    lst: EntityList
    check: CodeCheck


def checked(lst: EntityList) -> Checked:
    chk = check_codes_in_blocks(lst.cells["code"], recover=True)
    note_code_sources(lst, chk.recovered)
    return Checked(lst, chk)


def compare_all(
    current: Checked,
    previous: Checked | None,
    lists: Sequence[Checked],
    registry: Registry,
    weights: Weights,
    errors: list[Problem],
) -> Reconciliation:
    """Compare lists already read; ``errors`` (inputs that could not be read) are kept in
    the result, and a department's list whose domain cannot be told is added to them."""
    scale = registry.evaluations["public"]
    every = [current, *lists, *([previous] if previous is not None else [])]
    core_map = legacy_targets([c.check for c in every])
    now = public.key_public(current.lst, current.check, core_map, scale)
    then = None
    if previous is not None:
        then = public.key_public(previous.lst, previous.check, core_map, scale)
    counties = Counties(registry)

    groups: dict[str, tuple[Domain, list[domains.Part]]] = {}
    for lst, chk in ((c.lst, c.check) for c in lists):
        try:
            split = domains.split(lst, chk, resolve_legacy(chk, core_map), registry)
        except HgcreditError as exc:
            errors.append(Problem.of(exc))
            continue
        for domain, part in split:
            groups.setdefault(domain.domain, (domain, []))[1].append(part)
    results: list[DomainResult] = []
    sources: list[ProblemSource] = [public.problems(now)]
    for domain, parts in sorted(groups.values(), key=lambda g: registry.domains.index(g[0])):
        result, found = domains.compare(domain, parts, now, counties, registry, weights)
        results.append(result)
        sources.append(found)
    yoy = None
    if then is not None:
        sources.append(public.problems(then))
        yoy = year_over_year(now, then, registry, counties)
    return Reconciliation(
        public=public.summary(now),
        previous_public=public.summary(then) if then is not None else None,
        domains=results,
        year_over_year=yoy,
        sources=sources,
        errors=errors,
        inputs=[],
        weights=weights,
        registry=registry.source,
    )
