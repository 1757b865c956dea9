"""One year's public evaluation, keyed: each entity once, with its grade on the public
scale (``[evaluations] public``), and every row that was not taken as it is.

An entity is a distinct usable code (legacy ids resolved to unified codes,
:mod:`hgcredit.entities.keys`); its grade is the level of its first row, unless the list
gives it two different grades (a conflict: no grade). :func:`lookup` joins other keys
against the entities.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from hgcredit.entities.codes import CodeCheck, Reason
from hgcredit.entities.counties import Counties
from hgcredit.entities.keys import KeyedList, first_rows, key_list
from hgcredit.entities.lists import ROLE_LABELS, EntityList
from hgcredit.io.tables import column_letter
from hgcredit.ratings.levels import matcher_for
from hgcredit.reconcile.model import (
    KIND_AMBIGUOUS,
    KIND_CONFLICT,
    KIND_DUPLICATE,
    KIND_INVALID,
    KIND_LABELS,
    KIND_UNKNOWN_GRADE,
    ListSummary,
    ProblemSource,
    RowProblem,
)
from hgcredit.registry import Scale
from hgcredit.text import clean_text

# An entity's grade when it is none of the scale's levels (index into Scale.labels otherwise).
UNKNOWN = -1  # a grade outside the scale
EMPTY = -2  # no grade in the cell
CONFLICT = -4  # two different grades for one entity
NOT_FOUND = -5  # (for joined keys) no such entity
_LEGACY = int(Reason.LEGACY)


@dataclass
class Public:
    """A public evaluation keyed by entity."""

    keyed: KeyedList
    rows: np.ndarray  # each entity's first row, in file order
    hi: np.ndarray  # each entity's numeric key
    lo: np.ndarray
    grade: np.ndarray  # each entity's level (index into scale.labels) or UNKNOWN/EMPTY/CONFLICT
    _index: KeyIndex | None = None
    _counties: tuple[list[str], np.ndarray] | None = None

    @property
    def index(self) -> KeyIndex:
        """The entities' keys, sorted once for look-ups."""
        if self._index is None:
            self._index = KeyIndex(self.hi, self.lo)
        return self._index

    @property
    def lst(self) -> EntityList:
        return self.keyed.lst

    @property
    def scale(self) -> Scale:
        return self.keyed.scale

    def __len__(self) -> int:
        return len(self.rows)

    @cached_property
    def labels(self) -> tuple[str, ...]:
        return self.scale.labels

    def label(self, entity: int) -> str:
        """An entity's grade as written for a clerk."""
        g = int(self.grade[entity])
        if g >= 0:
            return self.labels[g]
        if g == CONFLICT:
            return "等级冲突"
        return self.keyed.grade(int(self.rows[entity])) or "（空）"

    def text(self, entity: int, role: str) -> str:
        col = self.lst.columns.get(role)
        return "" if col is None else self.lst.text(int(self.rows[entity]), col)

    def counties(self, counties: Counties) -> tuple[list[str], np.ndarray]:
        """Each entity's county (an index into the returned names), worked out once."""
        if self._counties is None:
            self._counties = self._county_ids(counties)
        return self._counties

    def county(self, entity: int, counties: Counties) -> str:
        names, ids = self.counties(counties)
        return names[int(ids[entity])]

    def _county_ids(self, counties: Counties) -> tuple[list[str], np.ndarray]:
        column = self.lst.column("county")
        written = list(column) if column is not None else [""] * len(self.lst)
        names, ids = counties.ids(written, self.keyed.keys)
        return names, ids[self.rows]


def key_public(
    lst: EntityList, chk: CodeCheck, core_map: dict[str, list[str]], scale: Scale
) -> Public:
    keyed = key_list(lst, chk, core_map, matcher_for(scale), KeyedList)
    rows = np.flatnonzero(keyed.firsts == np.arange(len(lst)))
    by_label = np.array(
        [
            scale.labels.index(x) if x in scale.labels else (EMPTY if not x else UNKNOWN)
            for x in keyed.labels
        ],
        dtype=np.int64,
    )
    grade = by_label[keyed.gids[rows]] if len(keyed.labels) else np.full(len(rows), EMPTY)
    if keyed.conflicts:
        position = np.full(len(lst), -1, dtype=np.int64)
        position[rows] = np.arange(len(rows))
        grade[position[[r[0] for r in keyed.conflicts.values()]]] = CONFLICT
    return Public(keyed, rows, keyed.hi[rows], keyed.lo[rows], grade)


def lookup(ref_hi: np.ndarray, ref_lo: np.ndarray, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """For each key (``hi``, ``lo``), the index of the equal key among the distinct
    reference keys, or -1 (also for unusable keys): one :func:`first_rows` over both."""
    m = len(ref_hi)
    found = first_rows(np.concatenate([ref_hi, hi]), np.concatenate([ref_lo, lo]))[m:]
    found[found >= m] = -1
    return found


def _packed(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    return hi.astype(np.uint64) * np.uint64(31**9) + lo.astype(np.uint64)  # wraps: a hash


class KeyIndex:
    """Distinct keys sorted once, for many look-ups (:func:`lookup` for each domain would
    sort the public evaluation again every time). The packed number of a key is a hash;
    a match is confirmed on both numbers, and when two reference keys share a number the
    look-ups fall back to :func:`lookup`."""

    def __init__(self, hi: np.ndarray, lo: np.ndarray) -> None:
        self.hi, self.lo = hi, lo
        packed = _packed(hi, lo)
        self.order = np.argsort(packed, kind="stable")
        self.sorted = packed[self.order]
        self.exact = not np.any(self.sorted[1:] == self.sorted[:-1])

    def find(self, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
        """For each key, the index of the equal reference key, or -1."""
        if not self.exact:
            return lookup(self.hi, self.lo, hi, lo)
        out = np.full(len(hi), -1, dtype=np.int64)
        if not len(self.sorted) or not len(hi):
            return out
        wanted = _packed(hi, lo)
        if len(wanted) > 4096:  # sorted queries walk the reference in order: fewer cache misses
            ask = np.argsort(wanted)
            pos = np.empty(len(wanted), dtype=np.int64)
            pos[ask] = np.searchsorted(self.sorted, wanted[ask])
        else:
            pos = np.searchsorted(self.sorted, wanted)
        j = self.order[np.minimum(pos, len(self.sorted) - 1)]
        hit = (self.hi[j] == hi) & (self.lo[j] == lo) & (hi >= 0)
        out[hit] = j[hit]
        return out


def summary(p: Public) -> ListSummary:
    keyed, lst = p.keyed, p.lst
    reasons = keyed.check.reasons
    grades = np.bincount(p.grade[p.grade >= 0], minlength=len(p.scale.labels)).tolist()
    return ListSummary(
        label=lst.label,
        file=lst.file,
        rows=len(lst),
        entities=len(p),
        invalid_codes=int(np.count_nonzero(reasons > _LEGACY)) + len(keyed.ambiguous),
        legacy_ids=int(np.count_nonzero(reasons == _LEGACY)),
        duplicates=len(keyed.repeats) - sum(len(rows) - 1 for rows in keyed.conflicts.values()),
        conflicts=len(keyed.conflicts),
        grades=dict(zip(p.scale.labels, grades, strict=True)),
        unknown_grades={
            keyed.labels[g]: n
            for g, n in enumerate(np.bincount(keyed.gids, minlength=len(keyed.labels)).tolist())
            if n and keyed.labels[g] and keyed.labels[g] not in p.scale.labels
        },
        columns={ROLE_LABELS[r]: lst.header[j] for r, j in lst.columns.items()},
    )


def raw_code(lst: EntityList, i: int) -> str:
    """A code cell as written (a number as Excel shows it)."""
    value = lst.cells["code"][i]
    if isinstance(value, float):
        return clean_text(value)
    return "" if value is None else str(value)


def problems(p: Public) -> ProblemSource:
    """Every row of a public evaluation not taken as it is."""
    keyed, lst, chk = p.keyed, p.lst, p.keyed.check
    code_col = column_letter(lst.columns["code"])
    grade_col = column_letter(lst.columns["grade"])

    def problem(i: int, kind: str, detail: str, column: str = code_col) -> RowProblem:
        return row_problem(lst, i, kind, detail, column, grade=keyed.grade(i))

    out: list[RowProblem] = []
    for i in np.flatnonzero(chk.reasons > _LEGACY).tolist():
        out.append(problem(i, KIND_INVALID, chk.explain(i)))
    for i, codes in keyed.ambiguous.items():
        detail = f"与 {'、'.join(codes)} 都相符，无法确定是哪一家；请改填统一社会信用代码"
        out.append(problem(i, KIND_AMBIGUOUS, detail))
    for rows in keyed.conflicts.values():
        listed = "、".join(f"{keyed.grade(i) or '空'}（第{lst.row_numbers[i]}行）" for i in rows)
        for i in rows:
            detail = f"同一代码在本名单中等级不同：{listed}，不参与比对"
            out.append(problem(i, KIND_CONFLICT, detail, grade_col))
    for e in np.flatnonzero((p.grade == UNKNOWN) | (p.grade == EMPTY)).tolist():
        i = int(p.rows[e])
        grade = keyed.grade(i)
        detail = (
            f"“{grade}”不是{p.scale.name}的等级：{'、'.join(p.scale.labels)}"
            if grade
            else "有代码但没有等级"
        )
        out.append(problem(i, KIND_UNKNOWN_GRADE, detail + "；不参与比对", grade_col))

    def repeats() -> list[RowProblem]:
        return [
            problem(
                i,
                KIND_DUPLICATE,
                f"与第{lst.row_numbers[keyed.firsts[i]]}行是同一代码、同一等级，只计一次",
            )
            for i in keyed.repeats.tolist()
            if str(keyed.keys[i]) not in keyed.conflicts
        ]

    out.sort(key=lambda q: q.row or 0)
    return ProblemSource(out, repeats)


def row_problem(
    lst: EntityList,
    i: int,
    kind: str,
    detail: str,
    column: str,
    *,
    grade: str = "",
    department: str = "",
    domain: str = "",
) -> RowProblem:
    """One row's problem, its message saying where: ``[表] 第12行 代码：问题，说明``."""
    row = lst.row_numbers[i]
    code = raw_code(lst, i)
    at = f"[{lst.sheet}] 第{row}行" if lst.sheet else f"第{row}行"
    name_col = lst.columns.get("name")
    return RowProblem(
        file=lst.file,
        message=f"{at} {code or '（空）'}：{KIND_LABELS[kind]}（{detail}）",
        sheet=lst.sheet,
        row=row,
        column=column,
        kind=kind,
        list_label=lst.label,
        department=department,
        domain=domain,
        raw_code=code,
        name=lst.text(i, name_col) if name_col is not None else "",
        grade=grade,
        detail=detail,
    )
