"""What a reconciliation finds: per domain, per year, and every row that needs a look.

Plain dataclasses; every report has ``to_json()`` (what ``hgcredit reconcile --json``
prints) and the whole result ``to_frame()`` (one row per domain, with pandas).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from hgcredit.errors import Problem
from hgcredit.ratings.report import UnknownRow
from hgcredit.registry import Domain

# The kinds of row problems: English tags (as double-A's, where they mean the same) and how
# the workbook's 未匹配 sheet and the messages name them.
KIND_NOT_FOUND = "not_found"
KIND_INVALID = "invalid_code"
KIND_AMBIGUOUS = "ambiguous_legacy_id"
KIND_DUPLICATE = "duplicate"
KIND_UNKNOWN_GRADE = "unknown_grade"
KIND_CONFLICT = "grade_conflict"
KIND_LABELS = {
    KIND_NOT_FOUND: "公共信用评价中没有",
    KIND_INVALID: "代码无效",
    KIND_AMBIGUOUS: "原纳税人识别号对应多个代码",
    KIND_DUPLICATE: "重复",
    KIND_UNKNOWN_GRADE: "等级无法识别",
    KIND_CONFLICT: "等级冲突",
}
# Kinds a clerk must look at (the command exits 1): the others are facts, not faults.
NEEDS_A_LOOK = (KIND_INVALID, KIND_AMBIGUOUS, KIND_UNKNOWN_GRADE, KIND_CONFLICT)

GOOD_POOR = "部门评价好、公共评价差"
POOR_GOOD = "部门评价差、公共评价好"


@dataclass(frozen=True, kw_only=True)
class RowProblem(Problem):
    """A row of an input list that was not compared as it is: the one
    :class:`~hgcredit.errors.Problem` with ``sheet``, ``row`` and ``column`` filled and
    ``kind`` one of the ``KIND_*`` tags above (``label`` its Chinese name); ``domain`` is ''
    for a public evaluation's row."""

    list_label: str
    department: str
    domain: str
    raw_code: str
    name: str
    grade: str
    detail: str

    @property
    def needs_a_look(self) -> bool:
        return self.kind in NEEDS_A_LOOK

    @property
    def label(self) -> str:
        """The kind as a clerk reads it (未匹配's 问题 column): 代码无效, 重复 …"""
        return KIND_LABELS[self.kind]

    def to_json(self) -> dict[str, Any]:
        return {
            **super().to_json(),
            "label": self.label,
            "list": self.list_label,
            "department": self.department,
            "domain": self.domain,
            "code": self.raw_code,
            "name": self.name,
            "grade": self.grade,
            "detail": self.detail,
        }


@dataclass
class ProblemSource:
    """The row problems of one input (a public evaluation, a domain's lists): those a clerk
    must look at, found at once, and the others — repeats, entities the public evaluation
    does not have — built when first asked for."""

    to_look_at: list[RowProblem]
    others: Callable[[], list[RowProblem]] = list

    def all(self) -> list[RowProblem]:
        found = self.to_look_at + self.others()
        return sorted(found, key=lambda q: (q.file, q.sheet or "", q.row or 0))


@dataclass
class ListSummary:
    """One public evaluation (this year's or last year's) as read."""

    label: str
    file: str
    rows: int
    entities: int  # distinct usable codes
    invalid_codes: int
    legacy_ids: int
    duplicates: int  # rows repeating an earlier row's code and grade
    conflicts: int  # codes listed with different grades
    grades: dict[str, int]  # level -> entities (not those in conflict)
    unknown_grades: dict[str, int]  # a grade outside the scale -> rows
    columns: dict[str, str]  # role's Chinese name -> header used

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": self.rows,
            "entities": self.entities,
            "invalid_codes": self.invalid_codes,
            "legacy_ids": self.legacy_ids,
            "duplicates": self.duplicates,
            "conflicts": self.conflicts,
            "grades": self.grades,
            "unknown_grades": self.unknown_grades,
            "columns": self.columns,
        }


@dataclass
class Disagreement:
    """A matched entity graded good by one side and poor by the other."""

    code: str
    name: str
    county: str
    grade: str  # the department's own level
    tier: str  # its unified tier
    public_grade: str
    direction: str  # GOOD_POOR or POOR_GOOD
    where: str  # file[sheet] 第N行 of the department's list


@dataclass
class GradedEntity:
    """An entity of a list without grades, with its public grade attached."""

    code: str
    name: str
    county: str
    public_grade: str
    tier: str  # the public grade's unified tier
    score: object
    where: str


@dataclass
class DomainResult:
    """One domain's lists against the public evaluation."""

    domain: Domain
    files: list[str]  # file[sheet] of each list (sheet) that holds the domain's rows
    rows: int
    matched: int  # distinct entities found in the public evaluation
    not_found: int  # distinct valid codes absent from it
    invalid_codes: int  # rows whose code cannot be used (or a legacy id fitting several)
    duplicates: int  # rows repeating an earlier row's entity
    conflicts: int  # entities the lists give different grades
    via_legacy_id: int  # matched entities found through a legacy taxpayer id
    graded: bool
    tiers: tuple[str, ...]  # the unified tiers, best first (matrix rows)
    public_labels: tuple[str, ...]  # the public evaluation's levels (matrix columns)
    matrix: np.ndarray | None  # tiers x public levels (graded domains)
    tier_matrix: np.ndarray | None  # tiers x tiers: what agreement and kappa are of
    agreement: float | None
    kappa: float | None
    good_poor: int  # disagreements: good in the department's grading, C/D in the public one
    poor_good: int  # and the reverse
    public_grades: dict[str, int]  # public level -> matched entities
    unknown_rows: list[UnknownRow]
    notes: list[str] = field(default_factory=list)
    # The per-entity lists are built when first asked for (the workbook, a Python caller):
    # the counts above need none of them.
    _disagreements: Callable[[], list[Disagreement]] = field(
        default=list, repr=False, compare=False
    )
    _entities: Callable[[], list[GradedEntity]] = field(default=list, repr=False, compare=False)

    @cached_property
    def disagreements(self) -> list[Disagreement]:
        """The matched entities graded good (A/B) on one side and poor (C/D) on the other."""
        return self._disagreements()

    @cached_property
    def entities(self) -> list[GradedEntity]:
        """A list without grades: each matched entity with its public grade (else [])."""
        return self._entities()

    @property
    def kappa_note(self) -> str | None:
        """Why a graded domain has no kappa (`只有一个等级…，无法计算`), for clerks; None when
        it has one or is not graded (no kappa is shown)."""
        if self.kappa is not None or self.tier_matrix is None:
            return None
        from hgcredit.reconcile.agreement import kappa_undefined

        return kappa_undefined(self.tier_matrix, self.tiers)

    @property
    def compared(self) -> int:
        """Matched entities graded on both sides (the matrix's total)."""
        return 0 if self.matrix is None else int(self.matrix.sum())

    def matrix_json(self) -> dict[str, dict[str, int]]:
        if self.matrix is None:
            return {}
        return {
            tier: dict(zip(self.public_labels, map(int, row), strict=True))
            for tier, row in zip(self.tiers, self.matrix, strict=True)
        }

    def to_json(self) -> dict[str, Any]:
        d = self.domain
        return {
            "serial": d.serial,
            "department": d.department,
            "domain": d.domain,
            "scale": d.scale.name,
            "files": self.files,
            "rows": self.rows,
            "matched": self.matched,
            "not_found": self.not_found,
            "invalid_codes": self.invalid_codes,
            "duplicates": self.duplicates,
            "graded": self.graded,
            "matrix": self.matrix_json(),
            "agreement": self.agreement,
            "kappa": self.kappa,
            "disagreements": self.good_poor + self.poor_good if self.graded else None,
            "public_grades": self.public_grades,
            "conflicts": self.conflicts,
            "matched_via_legacy_id": self.via_legacy_id,
            "unknown_rows": [{"where": u.where, "value": u.value} for u in self.unknown_rows],
            "notes": self.notes,
        }


@dataclass
class Move:
    """An entity whose public grade moved across the whole scale since last year (A→D, D→A)."""

    code: str
    name: str
    county: str
    last_year: str
    this_year: str
    steps: int  # tiers moved: positive up (D→A is 3), negative down


@dataclass
class CountyChange:
    added: int = 0
    removed: int = 0
    kept: int = 0
    upgraded: int = 0
    downgraded: int = 0
    transitions: np.ndarray | None = None  # last year's level x this year's

    def to_json(self, labels: tuple[str, ...]) -> dict[str, Any]:
        return {
            "added": self.added,
            "removed": self.removed,
            "kept": self.kept,
            "upgraded": self.upgraded,
            "downgraded": self.downgraded,
            "transitions": transitions_json(self.transitions, labels),
        }


def transitions_json(m: np.ndarray | None, labels: tuple[str, ...]) -> dict[str, dict[str, int]]:
    if m is None:
        return {}
    return {
        a: dict(zip(labels, map(int, row), strict=True)) for a, row in zip(labels, m, strict=True)
    }


@dataclass
class YearOverYear:
    """This year's public evaluation against last year's."""

    file: str  # last year's
    added: int  # entities only this year
    removed: int  # entities only last year
    kept: int  # in both
    labels: tuple[str, ...]  # the public levels, best first
    transitions: np.ndarray  # last year's level x this year's (kept, graded both years)
    by_county: dict[str, CountyChange]
    n_largest: int  # entities that moved from the best tier to the worst, or back
    _moves: Callable[[int | None], list[Move]] = field(repr=False, compare=False)

    def moves(self, limit: int | None = None) -> list[Move]:
        """The largest moves, biggest first (the first ``limit`` of them)."""
        return self._moves(limit)

    @cached_property
    def largest_moves(self) -> list[Move]:
        """Every entity that moved from the best tier to the worst or back, up first."""
        return self._moves(None)

    @property
    def upgraded(self) -> int:
        """Kept entities graded better than last year (rows: last year, best first)."""
        return int(np.tril(self.transitions, -1).sum())

    @property
    def downgraded(self) -> int:
        return int(np.triu(self.transitions, 1).sum())

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "added": self.added,
            "removed": self.removed,
            "kept": self.kept,
            "transitions": transitions_json(self.transitions, self.labels),
            "by_county": {c: v.to_json(self.labels) for c, v in self.by_county.items()},
            "largest_moves": [
                {
                    "code": m.code,
                    "name": m.name,
                    "county": m.county,
                    "last_year": m.last_year,
                    "this_year": m.this_year,
                    "steps": m.steps,
                }
                for m in self.largest_moves
            ],
        }


@dataclass
class InputFile:
    role: str  # 公共信用评价名单, 上年公共信用评价名单, 部门名单
    path: str


@dataclass
class Reconciliation:
    """The public evaluation against each department's lists and against last year's."""

    public: ListSummary
    previous_public: ListSummary | None
    domains: list[DomainResult]
    year_over_year: YearOverYear | None
    sources: list[ProblemSource] = field(repr=False)  # this year's, each domain's, last year's
    errors: list[Problem]  # inputs that could not be used
    inputs: list[InputFile]
    weights: str  # of the kappa: linear or quadratic
    registry: str  # the registry's source
    timings: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def to_look_at(self) -> list[RowProblem]:
        """Rows a clerk must look at: invalid codes, unknown grades, grade conflicts,
        legacy ids fitting several codes (in input order)."""
        return [q for s in self.sources for q in s.to_look_at]

    @cached_property
    def problems(self) -> list[RowProblem]:
        """Every row of every input not compared as it is (the workbook's 未匹配)."""
        return [q for s in self.sources for q in s.all()]

    @property
    def needs_attention(self) -> int:
        return len(self.to_look_at)

    def to_json(self) -> dict[str, Any]:
        return {
            "public": self.public.to_json(),
            "previous_public": None
            if self.previous_public is None
            else self.previous_public.to_json(),
            "domains": [d.to_json() for d in self.domains],
            "year_over_year": None
            if self.year_over_year is None
            else self.year_over_year.to_json(),
            "kappa_weights": self.weights,
            "needs_attention": self.needs_attention,
            "errors": [e.to_json() for e in self.errors],
        }

    def to_frame(self) -> Any:
        """One row per domain (the keys of ``to_json()["domains"]`` but the nested ones)."""
        from hgcredit.frames import frame

        columns = [
            "serial",
            "department",
            "domain",
            "graded",
            "rows",
            "matched",
            "not_found",
            "invalid_codes",
            "duplicates",
            "agreement",
            "kappa",
            "disagreements",
        ]
        return frame((d.to_json() for d in self.domains), columns)
