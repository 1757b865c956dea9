"""One year's public evaluation, keyed: each entity once, with its grade on the public
scale (``[evaluations] public``), and every row that was not taken as it is.

An entity is a distinct usable code (legacy ids resolved to unified codes,
:mod:`hgcredit.entities.keys`); its grade is the level of its first row, unless the list
gives it two different grades (a conflict: no grade). :func:`lookup` joins other keys
against the entities.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    KIND_UNKNOWN_GRADE,
    ListSummary,
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

    @property
    def lst(self) -> EntityList:
        return self.keyed.lst

    @property
    def scale(self) -> Scale:
        return self.keyed.scale

    def __len__(self) -> int:
        return len(self.rows)

    def label(self, entity: int) -> str:
        """An entity's grade as written for a clerk."""
        g = int(self.grade[entity])
        if g >= 0:
            return self.scale.labels[g]
        if g == CONFLICT:
            return "等级冲突"
        return self.keyed.grade(int(self.rows[entity])) or "（空）"

    def text(self, entity: int, role: str) -> str:
        col = self.lst.columns.get(role)
        return "" if col is None else self.lst.text(int(self.rows[entity]), col)

    def counties(self, counties: Counties) -> tuple[list[str], np.ndarray]:
        """Each entity's county (an index into the returned names)."""
        col = self.lst.column("county")
        written = [col[i] for i in self.rows.tolist()] if col is not None else [""] * len(self)
        return counties.ids(written, self.keyed.keys[self.rows])


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


def problems(p: Public) -> list[RowProblem]:
    """Every row of a public evaluation not taken as it is."""
    keyed, lst, chk = p.keyed, p.lst, p.keyed.check
    out: list[RowProblem] = []
    code_col = column_letter(lst.columns["code"])
    grade_col = column_letter(lst.columns["grade"])

    def add(i: int, kind: str, detail: str, column: str = code_col) -> None:
        out.append(row_problem(lst, i, kind, detail, column, grade=keyed.grade(i)))

    for i in np.flatnonzero(chk.reasons > _LEGACY).tolist():
        add(i, KIND_INVALID, chk.explain(i))
    for i, codes in keyed.ambiguous.items():
        add(
            i,
            KIND_AMBIGUOUS,
            f"与 {'、'.join(codes)} 都相符，无法确定是哪一家；请改填统一社会信用代码",
        )
    for i in keyed.repeats.tolist():
        if str(keyed.keys[i]) not in keyed.conflicts:
            first = lst.row_numbers[keyed.firsts[i]]
            add(i, KIND_DUPLICATE, f"与第{first}行是同一代码、同一等级，只计一次")
    for rows in keyed.conflicts.values():
        listed = "、".join(f"{keyed.grade(i) or '空'}（第{lst.row_numbers[i]}行）" for i in rows)
        for i in rows:
            add(i, KIND_CONFLICT, f"同一代码在本名单中等级不同：{listed}，不参与比对", grade_col)
    for e in np.flatnonzero((p.grade == UNKNOWN) | (p.grade == EMPTY)).tolist():
        i = int(p.rows[e])
        grade = keyed.grade(i)
        detail = (
            f"“{grade}”不是{p.scale.name}的等级：{'、'.join(p.scale.labels)}"
            if grade
            else "有代码但没有等级"
        )
        add(i, KIND_UNKNOWN_GRADE, detail + "；不参与比对", grade_col)
    out.sort(key=lambda q: q.row or 0)
    return out


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
        message=f"{at} {code or '（空）'}：{kind}（{detail}）",
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
