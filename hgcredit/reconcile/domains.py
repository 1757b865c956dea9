"""Each department's lists against the public evaluation, one domain at a time.

A list's rows are split by domain as ``hgcredit ratings`` splits them
(:func:`hgcredit.ratings.lists.list_domains`: a domain or department column, else the
title, sheet or file name). Its grade column is the one, of the columns headed as grades,
holding most of the domain's levels (:meth:`~hgcredit.ratings.levels.LevelMatcher.match_cell`);
a column with none of them (行业类别: 危险化学品 …) is no grade column, and the list is one
without grades. All rows of a domain, from every list and sheet, are keyed together: an
entity listed twice counts once, with different grades it is a conflict.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hgcredit.entities.codes import CodeCheck, Reason
from hgcredit.entities.counties import Counties
from hgcredit.entities.keys import Keys, first_rows
from hgcredit.entities.lists import EntityList, RowColumn, role_columns
from hgcredit.io.tables import column_letter
from hgcredit.ratings.levels import matcher_for
from hgcredit.ratings.lists import list_domains
from hgcredit.ratings.report import UnknownRow
from hgcredit.reconcile.agreement import Weights, agreement, weighted_kappa
from hgcredit.reconcile.model import (
    GOOD_POOR,
    KIND_AMBIGUOUS,
    KIND_CONFLICT,
    KIND_DUPLICATE,
    KIND_INVALID,
    KIND_NOT_FOUND,
    KIND_UNKNOWN_GRADE,
    POOR_GOOD,
    Disagreement,
    DomainResult,
    GradedEntity,
    ProblemSource,
    RowProblem,
)
from hgcredit.reconcile.public import CONFLICT, EMPTY, UNKNOWN, Public, row_problem
from hgcredit.registry import Domain, Registry
from hgcredit.text import clean_text, score_value

NO_COLUMN = -3  # the row's list has no grade column
_EMPTY, _LEGACY = int(Reason.EMPTY), int(Reason.LEGACY)
_SUMMARY = re.compile(r"^(合计|总计|小计|共计)")


@dataclass
class Part:
    """The rows of one list (sheet) that belong to one domain."""

    lst: EntityList
    check: CodeCheck  # of the whole list
    keys: Keys  # of the whole list
    rows: np.ndarray  # indices into the list
    grade_col: int | None
    gid: np.ndarray  # per row of the part: level index, UNKNOWN, EMPTY or NO_COLUMN
    note: str = ""


def split(
    lst: EntityList, check: CodeCheck, keys: Keys, registry: Registry
) -> list[tuple[Domain, Part]]:
    """The list's rows by domain, each with its grades read on that domain's scale
    (UnknownDomainError when the domain of the list cannot be told)."""
    domains = list_domains(lst, registry)
    total = _total_lines(lst, check)
    first = domains[0] if domains else None
    if first is not None and domains.count(first) == len(domains):  # the usual list: one domain
        rows = np.setdiff1d(np.arange(len(lst)), total)
        return [(first, _part(lst, check, keys, rows, first, registry))]
    groups: dict[str, tuple[Domain, list[int]]] = {}
    for i, d in enumerate(domains):
        if d is not None:
            groups.setdefault(d.domain, (d, []))[1].append(i)
    out = []
    for domain, found in groups.values():
        rows = np.setdiff1d(np.array(found, dtype=np.int64), total)
        out.append((domain, _part(lst, check, keys, rows, domain, registry)))
    return out


def _total_lines(lst: EntityList, check: CodeCheck) -> np.ndarray:
    """Total lines (合计 …): rows without a code that say so in one of their first cells."""
    width = min(3, len(lst.header))
    empty = np.flatnonzero(check.reasons == _EMPTY).tolist()
    found = [i for i in empty if any(_SUMMARY.match(lst.text(i, j)) for j in range(width))]
    return np.array(found, dtype=np.int64)


def _part(
    lst: EntityList,
    check: CodeCheck,
    keys: Keys,
    rows: np.ndarray,
    domain: Domain,
    registry: Registry,
) -> Part:
    matcher = matcher_for(domain.scale)
    labels = domain.scale.labels
    best: tuple[int, int, list[object], dict[object, int]] | None = None
    whole = len(rows) == len(lst)
    for c in role_columns(lst.header, "grade", registry.headers):
        column = lst.cells["grade"] if lst.columns.get("grade") == c else RowColumn(lst.rows, c)
        values = list(column) if whole else [column[i] for i in rows.tolist()]
        levels: dict[object, int] = {}
        for v in set(values):
            text = clean_text(v)
            found = matcher.match_cell(text) if text else None
            levels[v] = labels.index(found) if found is not None else (UNKNOWN if text else EMPTY)
        counts = Counter(values)
        hits = sum(n for v, n in counts.items() if levels[v] >= 0)
        if best is None or hits > best[0]:
            best = (hits, c, values, levels)
    if best is None or best[0] == 0:
        note = ""
        if best is not None and any(v not in ("", None) for v in best[2]):
            sample = next(clean_text(v) for v in best[2] if v not in ("", None))
            note = (
                f"{lst.place}：“{lst.header[best[1]]}”列中没有{domain.scale.name}的等级"
                f"（如“{sample}”），按没有等级的名单处理"
            )
        return Part(lst, check, keys, rows, None, np.full(len(rows), NO_COLUMN), note)
    _, col, values, levels = best
    gid = np.fromiter(map(levels.__getitem__, values), dtype=np.int64, count=len(values))
    return Part(lst, check, keys, rows, col, gid)


@dataclass
class _Rows:
    """All rows of one domain, from every part, side by side."""

    parts: list[Part]
    part: np.ndarray  # per row: index into parts
    row: np.ndarray  # per row: index into its part's list
    hi: np.ndarray
    lo: np.ndarray
    gid: np.ndarray
    reasons: np.ndarray  # per row: its code's Reason

    def of(self, k: int) -> tuple[Part, int]:
        return self.parts[int(self.part[k])], int(self.row[k])

    def key(self, k: int) -> str:
        p, i = self.of(k)
        return str(p.keys.keys[i])


def _stack(parts: Sequence[Part]) -> _Rows:
    return _Rows(
        list(parts),
        np.concatenate([np.full(len(p.rows), j, dtype=np.int64) for j, p in enumerate(parts)]),
        np.concatenate([p.rows for p in parts]),
        np.concatenate([p.keys.hi[p.rows] for p in parts]),
        np.concatenate([p.keys.lo[p.rows] for p in parts]),
        np.concatenate([p.gid for p in parts]),
        np.concatenate([p.check.reasons[p.rows] for p in parts]),
    )


def compare(
    domain: Domain,
    parts: Sequence[Part],
    public: Public,
    counties: Counties,
    registry: Registry,
    weights: Weights,
) -> tuple[DomainResult, ProblemSource]:
    """One domain's lists against the public evaluation: counts, the matrix of the
    domain's unified tier by the public grade, agreement, kappa, the disagreements, and
    every row not compared as it is."""
    rows = _stack(parts)
    n = len(rows.hi)
    at = np.arange(n)
    firsts = first_rows(rows.hi, rows.lo)
    usable = rows.hi >= 0
    ents = np.flatnonzero(firsts == at)  # each entity's first row
    position = np.full(n, -1, dtype=np.int64)
    position[ents] = np.arange(len(ents))
    match = public.index.find(rows.hi[ents], rows.lo[ents])  # the public entity, or -1

    # The entity's own grade: that of its first row with a grade column; two different
    # grades make a conflict.
    own = np.full(len(ents), NO_COLUMN, dtype=np.int64)
    graded_rows = np.flatnonzero(usable & (rows.gid != NO_COLUMN))
    conflict_rows = np.zeros(0, dtype=np.int64)
    if graded_rows.size:
        first_graded = graded_rows[first_rows(rows.hi[graded_rows], rows.lo[graded_rows])]
        leads = graded_rows[first_graded == graded_rows]
        own[position[firsts[leads]]] = rows.gid[leads]
        clash = rows.gid[graded_rows] != rows.gid[first_graded]
        if clash.any():
            bad = np.unique(first_graded[clash])
            own[position[firsts[bad]]] = CONFLICT
            conflict_rows = graded_rows[np.isin(first_graded, bad)]

    tiers = registry.tiers
    public_labels = public.scale.labels
    pub = np.full(len(ents), -99, dtype=np.int64)  # the entity's public level, if found
    pub[match >= 0] = public.grade[match[match >= 0]]
    graded = any(p.grade_col is not None for p in parts)
    level_tier = np.array([tiers.index(lv.tier) for lv in domain.scale.levels], dtype=np.int64)
    public_tier = np.array([tiers.index(lv.tier) for lv in public.scale.levels], dtype=np.int64)
    both = np.flatnonzero((own >= 0) & (pub >= 0))
    own_tier, pub_grade = level_tier[own[both]], pub[both]
    pub_tier = public_tier[pub_grade]
    matrix = tier_matrix = None
    if graded:
        matrix = np.zeros((len(tiers), len(public_labels)), dtype=np.int64)
        np.add.at(matrix, (own_tier, pub_grade), 1)
        tier_matrix = np.zeros((len(tiers), len(tiers)), dtype=np.int64)
        np.add.at(tier_matrix, (own_tier, pub_tier), 1)
    found = pub >= 0
    counts = np.bincount(pub[found], minlength=len(public_labels)).tolist()

    result = DomainResult(
        domain=domain,
        files=list(dict.fromkeys(p.lst.place for p in parts)),
        rows=n,
        matched=int(np.count_nonzero(match >= 0)),
        not_found=int(np.count_nonzero(match < 0)),
        invalid_codes=int(np.count_nonzero(~usable)),
        duplicates=int(np.count_nonzero(usable & (firsts != at))),
        conflicts=int(np.count_nonzero(own == CONFLICT)),
        via_legacy_id=int(np.count_nonzero(rows.reasons[ents[match >= 0]] == _LEGACY)),
        graded=graded,
        tiers=tiers,
        public_labels=public_labels,
        matrix=matrix,
        tier_matrix=tier_matrix,
        agreement=agreement(tier_matrix) if tier_matrix is not None else None,
        kappa=weighted_kappa(tier_matrix, weights) if tier_matrix is not None else None,
        good_poor=0,
        poor_good=0,
        public_grades=dict(zip(public_labels, counts, strict=True)),
        unknown_rows=[],
        notes=[p.note for p in parts if p.note],
    )
    half = len(tiers) // 2
    if graded:
        disagree = (own_tier < half) != (pub_tier < half)
        good = own_tier[disagree] < half
        result.good_poor = int(np.count_nonzero(good))
        result.poor_good = int(np.count_nonzero(~good))
        picked = both[disagree]

        def disagreements() -> list[Disagreement]:
            return [
                _disagreement(
                    rows, int(ents[e]), int(match[e]), domain, tiers[t], public, counties, t < half
                )
                for e, t in zip(picked.tolist(), own_tier[disagree].tolist(), strict=True)
            ]

        result._disagreements = disagreements
    else:
        found_rows = np.flatnonzero(match >= 0)

        def entities() -> list[GradedEntity]:
            return [
                _graded_entity(rows, int(ents[e]), int(match[e]), public, counties)
                for e in found_rows.tolist()
            ]

        result._entities = entities
    problems = _problems(rows, firsts, ents, match, conflict_rows, domain, result)
    return result, problems


def _name(p: Part, i: int) -> str:
    col = p.lst.columns.get("name")
    return p.lst.text(i, col) if col is not None else ""


def _county(p: Part, i: int, key: str, public: Public, entity: int, counties: Counties) -> str:
    """From the department's list when it says, else as the public evaluation has it."""
    col = p.lst.columns.get("county")
    written = p.lst.text(i, col) if col is not None else ""
    return counties.of(written, key) if written else public.county(entity, counties)


def _disagreement(
    rows: _Rows,
    k: int,
    entity: int,
    domain: Domain,
    tier: str,
    public: Public,
    counties: Counties,
    own_good: bool,
) -> Disagreement:
    p, i = rows.of(k)
    key = rows.key(k)
    return Disagreement(
        code=key,
        name=_name(p, i) or public.text(entity, "name"),
        county=_county(p, i, key, public, entity, counties),
        grade=domain.scale.labels[int(rows.gid[k])] if rows.gid[k] >= 0 else "",
        tier=tier,
        public_grade=public.label(entity),
        direction=GOOD_POOR if own_good else POOR_GOOD,
        where=p.lst.where(i),
    )


def _graded_entity(
    rows: _Rows, k: int, entity: int, public: Public, counties: Counties
) -> GradedEntity:
    p, i = rows.of(k)
    key = rows.key(k)
    g = int(public.grade[entity])
    score_col = public.lst.column("score")
    score = score_col[int(public.rows[entity])] if score_col is not None else ""
    return GradedEntity(
        code=key,
        name=_name(p, i) or public.text(entity, "name"),
        county=_county(p, i, key, public, entity, counties),
        public_grade=public.label(entity),
        tier=public.scale.levels[g].tier if g >= 0 else "",
        score=score_value(score),
        where=p.lst.where(i),
    )


def _problems(
    rows: _Rows,
    firsts: np.ndarray,
    ents: np.ndarray,
    match: np.ndarray,
    conflict_rows: np.ndarray,
    domain: Domain,
    result: DomainResult,
) -> ProblemSource:
    def problem(k: int, kind: str, detail: str, grade_column: bool = False) -> RowProblem:
        p, i = rows.of(k)
        col = p.grade_col if grade_column and p.grade_col is not None else p.lst.columns["code"]
        grade = p.lst.text(i, p.grade_col) if p.grade_col is not None else ""
        return row_problem(
            p.lst,
            i,
            kind,
            detail,
            column_letter(col),
            grade=grade,
            department=domain.department,
            domain=domain.domain,
        )

    out: list[RowProblem] = []
    for k in np.flatnonzero(rows.hi < 0).tolist():
        p, i = rows.of(k)
        if int(p.check.reasons[i]) > _LEGACY:
            out.append(problem(k, KIND_INVALID, p.check.explain(i)))
        else:
            codes = "、".join(p.keys.ambiguous.get(i, []))
            detail = f"与 {codes} 都相符，无法确定是哪一家；请改填统一社会信用代码"
            out.append(problem(k, KIND_AMBIGUOUS, detail))
    scale = domain.scale
    for k in np.flatnonzero((rows.gid == UNKNOWN) | (rows.gid == EMPTY)).tolist():
        p, i = rows.of(k)
        assert p.grade_col is not None
        value = p.lst.text(i, p.grade_col)
        result.unknown_rows.append(UnknownRow(p.lst.where(i, p.grade_col), value))
        what = (
            f"“{value}”不是{scale.name}的等级：{'、'.join(scale.labels)}" if value else "等级为空"
        )
        out.append(problem(k, KIND_UNKNOWN_GRADE, f"{what}；不参与比对", True))
    if conflict_rows.size:
        grades: dict[int, list[str]] = {}
        for k in conflict_rows.tolist():
            p, i = rows.of(k)
            assert p.grade_col is not None
            at = p.lst.where(i) if len(rows.parts) > 1 else f"第{p.lst.row_numbers[i]}行"
            grades.setdefault(int(firsts[k]), []).append(
                f"{p.lst.text(i, p.grade_col) or '空'}（{at}）"
            )
        for k in conflict_rows.tolist():
            listed = "、".join(grades[int(firsts[k])])
            detail = f"同一主体在部门名单中等级不同：{listed}，不参与比对"
            out.append(problem(k, KIND_CONFLICT, detail, True))
    out.sort(key=lambda q: (q.file, q.sheet or "", q.row or 0))
    repeats = np.flatnonzero((firsts >= 0) & (firsts != np.arange(len(firsts))))
    missing = ents[match < 0]

    def others() -> list[RowProblem]:
        found = []
        for k in repeats.tolist():
            p0, i0 = rows.of(int(firsts[k]))
            p, _ = rows.of(k)
            first = f"第{p0.lst.row_numbers[i0]}行" if p0 is p else p0.lst.where(i0)
            found.append(problem(k, KIND_DUPLICATE, f"与{first}是同一主体，只计一次"))
        for k in missing.tolist():
            if int(rows.reasons[k]) == _LEGACY:
                detail = "原纳税人识别号，各名单中都没有与之对应的统一社会信用代码"
            else:
                detail = "代码有效"
            found.append(problem(k, KIND_NOT_FOUND, detail))
        return found

    return ProblemSource(out, others)
