"""Double-A enterprises (双A企业): A-level taxpayers that are also A-level in the public
credit evaluation (DOMAIN.md §5), per county/district, and the change from last year.

The join works on cleaned, validated codes (:mod:`hgcredit.entities.codes`):

- a cell whose code is invalid is left out of the matching and listed with its file,
  row and reason;
- a legacy 15-character taxpayer id stands for the unified code whose characters 3–17
  it equals (found in either list); when several codes fit it is listed, not guessed;
- the same code twice with the same grade counts once (the repeat is listed); the same
  code with different grades in one list is a conflict: every row of it is listed and
  the entity is not counted as double-A;
- grades are read on the scale the registry gives each evaluation (``[evaluations]``:
  the tax scale A B M C D, the public evaluation's A B C D) by the one grade normaliser
  (:func:`hgcredit.ratings.levels.matcher_for`); a grade outside the scale is listed;
- the county/district comes from the list's county column, else from the division in
  the code (the registry's ``[divisions]``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from hgcredit.entities.codes import REASON_LABELS, CodeCheck, Reason, check_codes
from hgcredit.entities.counties import Counties
from hgcredit.entities.keys import KeyedList, key_list, legacy_targets
from hgcredit.entities.lists import (
    OFFICE,
    ROLE_LABELS,
    EntityList,
    gc_paused,
    note_code_sources,
)
from hgcredit.errors import Problem
from hgcredit.io.tables import column_letter
from hgcredit.ratings.levels import LevelMatcher, matcher_for
from hgcredit.registry import Registry
from hgcredit.text import clean_text, match_key, score_value

GRADE_A = "A"
_OK, _LEGACY = int(Reason.OK), int(Reason.LEGACY)  # plain ints: enum lookups are slow
VIA_CODE = "统一社会信用代码"
VIA_LEGACY = "原纳税人识别号"

# Problem kinds of a list row (tags for scripts) and how the clerk's workbook names them.
KIND_INVALID = "invalid_code"
KIND_DUPLICATE = "duplicate"
KIND_CONFLICT = "grade_conflict"
KIND_AMBIGUOUS = "ambiguous_legacy_id"
KIND_NO_GRADE = "no_grade"
KIND_GRADE = "grade_outside_scale"
KIND_LABELS = {
    KIND_INVALID: "代码无效",
    KIND_DUPLICATE: "重复",
    KIND_CONFLICT: "等级冲突",
    KIND_AMBIGUOUS: "原纳税人识别号对应多个代码",
    KIND_NO_GRADE: "等级为空",
    KIND_GRADE: "等级不在评级体系中",
}
_GRADE_KINDS = (KIND_CONFLICT, KIND_NO_GRADE, KIND_GRADE)  # the grade column is at fault

# ---------------------------------------------------------------- results


@dataclass
class Enterprise:
    code: str  # unified code (or the legacy id when no unified code is known)
    name: str
    county: str
    tax_grade: str
    public_grade: str
    score: object  # from the public list (else the tax list); number or text
    via: str  # VIA_CODE or VIA_LEGACY
    legacy_id: str  # the legacy id it was matched through ('' if none)
    tax_row: str  # where it is in each list
    public_row: str


@dataclass(frozen=True, kw_only=True)
class ListProblem(Problem):
    """A row of a double-A list that was not used as it is, or needs a look: the one
    :class:`~hgcredit.errors.Problem` with ``sheet``, ``row`` and ``column`` (the code's
    or the grade's) filled, ``kind`` the problem's tag (``KIND_*``; ``label`` is how the
    workbook names it: 代码无效, 重复 …) and what the problem sheet shows besides."""

    list_label: str
    raw_code: str
    name: str
    grade: str
    reason: str  # for invalid codes, the kind of fault (REASON_LABELS); else the kind
    detail: str
    affects: bool  # could change the double-A list (the row is graded A)

    @property
    def label(self) -> str:
        """The problem as the clerk's workbook names it (代码无效, 重复 …)."""
        return KIND_LABELS[self.kind]

    def to_json(self) -> dict[str, Any]:
        return {
            **super().to_json(),
            "label": self.label,
            "list": self.list_label,
            "code": self.raw_code,
            "name": self.name,
            "grade": self.grade,
            "reason": self.reason,
            "detail": self.detail,
            "affects": self.affects,
        }


@dataclass
class ListSummary:
    label: str
    file: str
    rows: int
    entities: int  # distinct usable codes
    invalid_codes: int
    legacy_ids: int
    duplicates: int
    conflicts: int  # codes listed with different grades
    grade_a: int  # distinct A-level entities (no conflict)
    columns: dict[str, str]  # role -> header used
    unknown_grades: dict[str, int] = field(default_factory=dict)  # grade -> rows
    grades: tuple[str, ...] = ()  # the levels of the list's scale, best first
    grade_title: str = ""  # the title that gave every row its grade (no grade column)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": self.rows,
            "entities": self.entities,
            "invalid_codes": self.invalid_codes,
            "legacy_ids": self.legacy_ids,
            "duplicates": self.duplicates,
            "conflicts": self.conflicts,
            "grade_a": self.grade_a,
            "columns": self.columns,
            "grades": list(self.grades),
            "grade_from_title": self.grade_title or None,
        }


@dataclass
class Removed:
    code: str
    name: str
    county: str
    reason: str


@dataclass
class PreviousDiff:
    file: str
    rows: int
    added: list[Enterprise]
    removed: list[Removed]
    kept: list[Enterprise]


@dataclass
class Prepared(KeyedList):
    """One list after cleaning (:class:`~hgcredit.entities.keys.KeyedList`), with what
    the double-A join asks of it."""

    _grade_a: dict[str, int] | None = field(default=None, repr=False)
    _first: dict[str, int] | None = field(default=None, repr=False)
    _unusable: dict[str, int] | None = field(default=None, repr=False)

    def grade_a(self) -> dict[str, int]:
        """A-level keys (no conflict) -> their first row."""
        if self._grade_a is None:
            a = self.labels.index(GRADE_A) if GRADE_A in self.labels else -1
            rows = np.flatnonzero((self.gids == a) & (self.firsts == np.arange(len(self.gids))))
            found = dict(zip(self.keys[rows].tolist(), rows.tolist(), strict=True))
            for key in self.conflicts:
                found.pop(key, None)
            self._grade_a = found
        return self._grade_a

    def unusable_named(self, name: str) -> int | None:
        """The first row named ``name`` (spaces, width and punctuation aside) whose code
        cannot be used, else None."""
        if self._unusable is None:  # built once, on the first look-up
            names = self.lst.column("name")
            self._unusable = {}
            if names is not None:
                for i in np.flatnonzero(~self.check.usable).tolist():
                    self._unusable.setdefault(match_key(clean_text(names[i])), int(i))
                self._unusable.pop("", None)
        return self._unusable.get(match_key(name))

    def first_row(self, key: str) -> int | None:
        if self._first is None:  # only for a few look-ups (last year's list)
            rows = np.flatnonzero(self.firsts == np.arange(len(self.firsts)))
            self._first = dict(zip(self.keys[rows].tolist(), rows.tolist(), strict=True))
        return self._first.get(key)

    def status(self, key: str, name: str = "") -> str:
        """Why ``key`` is not A-level here ('' when it is). A row of the same ``name``
        whose code cannot be used (stored as a number, a wrong check character) is named:
        the enterprise may well be there."""
        i = self.first_row(key)
        if i is None:
            same = self.unusable_named(name) if name else None
            if same is not None:
                return (
                    f"{self.label}中没有该代码，但{self.lst.where(same)}同名的一行代码无效"
                    f"（{self.check.explain(same)}），可能就是该企业，请核对"
                )
            return f"{self.label}中没有该企业"
        if key in self.conflicts:
            return f"{self.label}中等级冲突"
        grade = self.grade(i)
        return "" if grade == GRADE_A else f"{self.label}中等级为 {grade or '空'}"


@dataclass
class DoubleA:
    enterprises: list[Enterprise]
    by_county: dict[str, int]
    tax: ListSummary
    public: ListSummary
    problems: list[ListProblem]
    previous: PreviousDiff | None
    prepared: tuple[Prepared, Prepared] = field(repr=False)
    # Seconds spent reading the lists and joining them (filled by double_a()).
    timings: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    @property
    def matched_via_legacy_id(self) -> int:
        return sum(1 for e in self.enterprises if e.via == VIA_LEGACY)

    @property
    def needs_attention(self) -> int:
        return sum(1 for p in self.problems if p.affects)

    def to_frame(self) -> Any:
        """The enterprises as a pandas DataFrame (:func:`hgcredit.frames.double_a_frame`)."""
        from hgcredit.frames import double_a_frame

        return double_a_frame(self)

    def to_json(self) -> dict[str, Any]:
        prev = self.previous
        return {
            "double_a": len(self.enterprises),
            "by_county": self.by_county,
            "matched_via_legacy_id": self.matched_via_legacy_id,
            "tax": self.tax.to_json(),
            "public": self.public.to_json(),
            "unknown_grades": {
                "tax": self.tax.unknown_grades,
                "public": self.public.unknown_grades,
            },
            "problems": len(self.problems),
            "problems_affecting_double_a": self.needs_attention,
            "previous": None
            if prev is None
            else {
                "file": prev.file,
                "added": len(prev.added),
                "removed": len(prev.removed),
                "kept": len(prev.kept),
                "added_codes": [e.code for e in prev.added],
                "removed_codes": [r.code for r in prev.removed],
            },
            "enterprises": [
                {
                    "code": e.code,
                    "name": e.name,
                    "county": e.county,
                    "tax_grade": e.tax_grade,
                    "public_grade": e.public_grade,
                    "score": e.score,
                    "via": "legacy_id" if e.via == VIA_LEGACY else "code",
                    "legacy_id": e.legacy_id or None,
                }
                for e in self.enterprises
            ],
        }


# ---------------------------------------------------------------- the job


def compute(
    tax: EntityList,
    public: EntityList,
    registry: Registry,
    previous: EntityList | None = None,
) -> DoubleA:
    """The double-A list of two entity lists, with every problem found on the way."""
    with gc_paused():
        return _compute(tax, public, registry, previous)


def _compute(
    tax: EntityList, public: EntityList, registry: Registry, previous: EntityList | None
) -> DoubleA:
    checks = [check_codes(lst.cells["code"], recover=True) for lst in (tax, public)]
    prev_check = None
    if previous is not None:
        prev_check = check_codes(previous.cells["code"], recover=True)
    for lst, chk in ((tax, checks[0]), (public, checks[1]), (previous, prev_check)):
        if lst is not None and chk is not None:
            note_code_sources(lst, chk.recovered)
    core_map = legacy_targets([*checks, *([prev_check] if prev_check else [])])
    scales = registry.evaluations
    tp = _prepare(tax, checks[0], core_map, matcher_for(scales["tax"]))
    pp = _prepare(public, checks[1], core_map, matcher_for(scales["public"]))
    counties = Counties(registry)

    double = tp.grade_a().keys() & pp.grade_a().keys()
    enterprises = [_enterprise(key, tp, pp, counties) for key in double]
    order = counties.order
    enterprises.sort(key=lambda e: (order(e.county), e.county, e.code))

    by_county: dict[str, int] = dict.fromkeys(counties.listed(), 0)
    for county, n in Counter(e.county for e in enterprises).items():
        by_county[county] = n
    by_county = dict(sorted(by_county.items(), key=lambda kv: (order(kv[0]), kv[0])))

    problems = _problems(tp) + _problems(pp)
    diff = None
    if previous is not None and prev_check is not None:
        diff, prev_problems = _diff(previous, prev_check, core_map, enterprises, tp, pp, counties)
        problems += prev_problems
    return DoubleA(
        enterprises=enterprises,
        by_county=by_county,
        tax=_summary(tp),
        public=_summary(pp),
        problems=problems,
        previous=diff,
        prepared=(tp, pp),
    )


def _prepare(
    lst: EntityList, chk: CodeCheck, core_map: dict[str, list[str]], grades: LevelMatcher
) -> Prepared:
    return key_list(lst, chk, core_map, grades, Prepared)


def _summary(p: Prepared) -> ListSummary:
    reasons = p.check.reasons
    return ListSummary(
        label=p.label,
        file=p.lst.file,
        rows=len(p.lst),
        entities=p.entities,
        invalid_codes=int(np.count_nonzero(reasons > _LEGACY)),
        legacy_ids=int(np.count_nonzero(reasons == _LEGACY)),
        duplicates=len(p.repeats) - sum(len(rows) - 1 for rows in p.conflicts.values()),
        conflicts=len(p.conflicts),
        grade_a=len(p.grade_a()),
        columns={ROLE_LABELS[r]: p.lst.header[j] for r, j in p.lst.columns.items()},
        grade_title=p.lst.grade_title,
        unknown_grades={
            p.labels[g]: n
            for g, n in enumerate(np.bincount(p.gids, minlength=len(p.labels)).tolist())
            if n and p.labels[g] and p.labels[g] not in p.scale.labels
        },
        grades=p.scale.labels,
    )


def _text(values: Sequence[Any] | None, i: int) -> str:
    return clean_text(values[i]) if values is not None else ""


def _raw_code(p: Prepared, i: int) -> str:
    value = p.lst.cells["code"][i]
    if isinstance(value, float):
        return format(value, ".15g") if not value.is_integer() or value >= 1e15 else str(int(value))
    return "" if value is None else str(value)


def _enterprise(key: str, tp: Prepared, pp: Prepared, counties: Counties) -> Enterprise:
    ti, pi = tp.grade_a()[key], pp.grade_a()[key]
    legacy = ""
    for p, i in ((tp, ti), (pp, pi)):
        if p.check.reasons[i] == _LEGACY:
            legacy = str(p.check.codes[i])
    name = _text(pp.lst.column("name"), pi) or _text(tp.lst.column("name"), ti)
    written = _text(pp.lst.column("county"), pi) or _text(tp.lst.column("county"), ti)
    if not written:  # the tax office, where it names a county or district
        office = _text(tp.lst.column(OFFICE), ti) or _text(pp.lst.column(OFFICE), pi)
        written = counties.specific(office) if office else ""
    county = counties.of(written, key)
    score: object = ""
    for p, i in ((pp, pi), (tp, ti)):
        col = p.lst.column("score")
        if col is not None and col[i] not in ("", None):
            score = score_value(col[i])
            break
    return Enterprise(
        code=key,
        name=name,
        county=county,
        tax_grade=tp.grade(ti),
        public_grade=pp.grade(pi),
        score=score,
        via=VIA_LEGACY if legacy else VIA_CODE,
        legacy_id=legacy,
        tax_row=tp.lst.where(ti),
        public_row=pp.lst.where(pi),
    )


def _problems(p: Prepared) -> list[ListProblem]:
    lst, chk = p.lst, p.check
    names = lst.column("name")
    out: list[ListProblem] = []
    code_col = column_letter(lst.columns["code"])
    grade_col = column_letter(lst.columns["grade"]) if "grade" in lst.columns else None

    def add(i: int, kind: str, detail: str, affects: bool | None = None, reason: str = "") -> None:
        row = lst.row_numbers[i]
        raw_code = _raw_code(p, i)
        at = f"[{lst.sheet}] 第{row}行" if lst.sheet else f"第{row}行"
        out.append(
            ListProblem(
                file=lst.file,
                message=f"{at} {raw_code or '（空）'}：{KIND_LABELS[kind]}，{detail}",
                sheet=lst.sheet,
                row=row,
                column=grade_col if kind in _GRADE_KINDS else code_col,
                kind=kind,
                list_label=p.label,
                raw_code=raw_code,
                name=_text(names, i),
                grade=p.grade(i),
                reason=reason or KIND_LABELS[kind],
                detail=detail,
                affects=p.grade(i) == GRADE_A if affects is None else affects,
            )
        )

    for i in np.flatnonzero(chk.reasons > _LEGACY).tolist():
        add(i, KIND_INVALID, chk.explain(i), reason=REASON_LABELS[Reason(int(chk.reasons[i]))])
    for i, codes in p.ambiguous.items():
        add(
            i,
            KIND_AMBIGUOUS,
            f"与 {'、'.join(codes)} 都相符，无法确定是哪一家；请改填统一社会信用代码",
        )
    for i in p.repeats.tolist():
        if str(p.keys[i]) not in p.conflicts:
            first = lst.row_numbers[p.firsts[i]]
            add(i, KIND_DUPLICATE, f"与第{first}行是同一代码、同一等级，只计一次", False)
    for rows in p.conflicts.values():
        listed = "、".join(f"{p.grade(i) or '空'}（第{lst.row_numbers[i]}行）" for i in rows)
        with_a = any(p.grade(i) == GRADE_A for i in rows)
        for i in rows:
            add(i, KIND_CONFLICT, f"同一代码在本名单中等级不同：{listed}；不计入双A", with_a)
    known = p.scale.labels
    unknown = [g for g, label in enumerate(p.labels) if label and label not in known]
    if unknown and "grade" in lst.columns:
        firsts = np.flatnonzero(np.isin(p.gids, unknown) & (p.firsts == np.arange(len(p.gids))))
        for i in firsts.tolist():
            grade = p.grade(i)
            add(
                i,
                KIND_GRADE,
                f"等级“{grade}”不是 {'、'.join(known)} 中的一级，不算 A 级（双A只认 A 级）；"
                "如名单用的是 AAA/AA/A 等其他等级体系，请与发布单位核对后换算",
                # AAA, AA, A+ … may stand for an A: they could change the double-A list.
                grade.startswith(GRADE_A),
            )
    if "grade" in lst.columns:
        empty = p.labels.index("") if "" in p.labels else -1
        for i in np.flatnonzero((p.gids == empty) & (p.firsts >= 0)).tolist():
            add(i, KIND_NO_GRADE, "有代码但没有等级", False)
    out.sort(key=lambda q: q.row or 0)
    return out


# ---------------------------------------------------------------- last year


def _diff(
    previous: EntityList,
    chk: CodeCheck,
    core_map: dict[str, list[str]],
    enterprises: list[Enterprise],
    tp: Prepared,
    pp: Prepared,
    counties: Counties,
) -> tuple[PreviousDiff, list[ListProblem]]:
    # Last year's list is read for its codes; its grades (all A) on the tax scale.
    prep = _prepare(previous, chk, core_map, matcher_for(tp.scale))
    firsts = np.flatnonzero(prep.firsts == np.arange(len(prep.firsts)))
    prev_first = dict(zip(prep.keys[firsts].tolist(), firsts.tolist(), strict=True))
    prev_keys = set(prev_first)
    current = {e.code: e for e in enterprises}
    added = [e for e in enterprises if e.code not in prev_keys]
    kept = [e for e in enterprises if e.code in prev_keys]
    removed = []
    for key in sorted(prev_keys - current.keys(), key=prev_first.__getitem__):
        i = prev_first[key]
        name = _text(previous.column("name"), i)
        if not name:
            for p in (pp, tp):
                j = p.first_row(key)
                if j is not None:
                    name = _text(p.lst.column("name"), j)
                    break
        reason = "；".join(s for s in (tp.status(key, name), pp.status(key, name)) if s)
        county = counties.of(_text(previous.column("county"), i), key)
        removed.append(Removed(key, name, county, reason))
    # Last year's list does not change this year's.
    problems = [replace(q, affects=False) for q in _problems(prep) if q.kind != KIND_NO_GRADE]
    diff = PreviousDiff(previous.file, len(previous), added, removed, kept)
    return diff, problems


# ---------------------------------------------------------------- full reconciliation

DETAIL_HEADER = [
    "名单",
    "文件",
    "工作表",
    "行号",
    "原始代码",
    "规范代码",
    "代码检查",
    "说明",
    "名称",
    "等级",
    "结果",
]


def _plain(name: object) -> bool:
    """Text that clean_text would return unchanged (checked without a regex)."""
    return (
        type(name) is str
        and name.isprintable()
        and " " not in name
        and "<" not in name
        and "&" not in name
    )


def detail_rows(result: DoubleA) -> Iterator[list[str]]:
    """Every row of both lists with what became of it (for the --detail csv)."""
    tp, pp = result.prepared
    double = {e.code for e in result.enterprises}
    reason_label = [REASON_LABELS[r] for r in sorted(Reason)]
    for p, other in ((tp, pp), (pp, tp)):
        lst, chk = p.lst, p.check
        names = lst.column("name")
        codes = lst.cells["code"]
        notes = {(q.row, q.kind): q.detail for q in result.problems if q.list_label == p.label}
        reasons = chk.reasons.tolist()
        recovered = chk.recovered
        firsts = p.firsts.tolist()
        grades = [p.labels[g] for g in p.gids.tolist()]
        sheet = lst.sheet or ""
        for i, key in enumerate(p.keys.tolist()):
            reason = reasons[i]
            row = lst.row_numbers[i]
            explanation = recovered[i] if recovered and i in recovered else ""
            if reason > _LEGACY:
                outcome = "代码无效，不计入"
                explanation = chk.explain(i)
            elif not key:
                outcome = "原纳税人识别号无法确定对应代码，不计入"
                explanation = notes.get((row, KIND_AMBIGUOUS), "")
            elif key in p.conflicts:
                outcome = "等级冲突，不计入"
                explanation = notes.get((row, KIND_CONFLICT), "")
            elif firsts[i] != i:
                outcome = f"重复（已计入第{lst.row_numbers[firsts[i]]}行）"
            elif key in double:
                outcome = "双A企业"
            elif grades[i] == GRADE_A:
                outcome = f"本名单A级，但{other.status(key)}"
            else:
                outcome = f"非A级（{grades[i] or '空'}）"
            code = codes[i]
            name = names[i] if names is not None else ""
            yield [
                p.label,
                lst.file,
                sheet,
                str(row),
                code if type(code) is str else _raw_code(p, i),
                key or chk.cleaned(i),
                reason_label[reason],
                explanation,
                # Plain names as they are; anything else through clean_text.
                name if _plain(name) else clean_text(name),
                grades[i],
                outcome,
            ]
