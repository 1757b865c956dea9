"""What each sheet of the summary workbook says, as plain data (no spreadsheet code).

Every function takes the month's :class:`~hgcredit.month.analyse.MonthAnalysis` (or its
double-A result) and returns a :class:`Sheet`: a header and rows of values, where a value
that must look a certain way (a status colour, a mark that does not add up) is a
:class:`Mark` carrying its style key. :mod:`hgcredit.summary.workbook` turns style keys
into formats and lays the sheets out.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hgcredit.doublea.compute import VIA_LEGACY, DoubleA
from hgcredit.errors import Problem
from hgcredit.ledger.check import FILLED, MISSING, PLACEHOLDER, STATUS_LABELS, classify
from hgcredit.month.analyse import MonthAnalysis
from hgcredit.ratings.levels import display
from hgcredit.ratings.report import DomainRatings
from hgcredit.registry import Registry, load_registry

SHEET_OVERVIEW = "总览"
SHEET_FILING = "填报情况"
SHEET_TIERS = "等级分布"
SHEET_COUNTIES = "双A企业"
SHEET_ENTERPRISES = "双A企业名单"
SHEET_ABOUT = "说明"

UPCOMING = "upcoming"  # a month after the one summarised, not filled: not due yet
# An earlier month no input has this domain's row for (only other departments' returns
# carry it): not known to be missed, and not counted as 未填报.
UNKNOWN = "unknown"
CELL_STATUSES = (FILLED, PLACEHOLDER, MISSING, UPCOMING, UNKNOWN)
CELL_LABELS = {**STATUS_LABELS, UPCOMING: "未到期", UNKNOWN: "无资料"}

# Style keys besides the cell statuses.
GOOD, BAD, WRAP = "good", "bad", "wrap"
BEHIND = "连续未报\n（月）"
TERMS = (
    "本月填报：已填报；仅占位（只写了“无”“同上月”之类）；未填报。截止日后仍未填报或仅占位的为逾期",
    "连续未报：到本月为止，台账中连续未填报（含仅占位）的月数",
    "核对：各等级数量之和与所述总数一致、不符，或无法核对（—，没有读出数量或没有写总数）",
    "统一档次：各领域自己的等级按登记表折算成的 A/B/C/D 四档，便于各领域并排比较",
)
CONSISTENT_MARKS = {True: "一致", False: "不符", None: "—"}
CONSISTENT_STYLES = {True: GOOD, False: BAD, None: ""}


@dataclass(frozen=True)
class Mark:
    """A value with the style it is shown in (a status, :data:`GOOD`, :data:`BAD`)."""

    value: object
    style: str


@dataclass
class Sheet:
    """One sheet's table: header, rows (values or :class:`Mark`), the columns whose long
    text wraps or is centred, a totals row, and lines shown under the table (the first in
    bold when ``heading``)."""

    name: str
    header: list[str]
    rows: list[list[object]]
    wrap: frozenset[int] = frozenset()
    centre: frozenset[int] = frozenset()
    totals: list[object] | None = None
    notes: list[str] = field(default_factory=list)
    heading: bool = False


def month_title(month: str) -> str:
    """``2022-11`` as a clerk writes it.

    >>> month_title("2022-11"), month_title("2023-01")
    ('2022年11月', '2023年1月')
    """
    return f"{month[:4]}年{int(month[5:7])}月"


def tier_header(tier: str) -> str:
    return f"{tier}档"


def _ratings_by_domain(analysis: MonthAnalysis) -> dict[str, DomainRatings]:
    return {r.domain.domain: r for r in analysis.ratings.domains}


def native_counts(r: DomainRatings | None) -> str:
    """``A级 238 · B级 3506 · M级 5361`` (levels best first), or a note when none were read."""
    if r is None or not r.counts:
        return "（未读出数量）"
    return " · ".join(f"{display(label)} {n}" for label, n in r.counts.items())


# ---------------------------------------------------------------- 总览


def overview(analysis: MonthAnalysis) -> Sheet:
    """Per domain: status this month, overdue, counts by native level, totals, the
    reconciliation mark and the unified tiers; the month in a few lines underneath."""
    tiers = analysis.registry.tiers
    ratings = _ratings_by_domain(analysis)
    header = [
        "序号",
        "实施部门",
        "分级分类领域",
        "本月填报",
        "逾期",
        "数据支撑",
        BEHIND,
        "各等级数量",
        "所述总数",
        "合计",
        "核对",
        *(tier_header(t) for t in tiers),
        "需核对事项",
    ]
    rows: list[list[object]] = []
    for d in analysis.check.domains:
        r = ratings.get(d.domain)
        if d.overdue:
            late: object = Mark("逾期", BAD)
        elif d.pending:
            late = f"待报（剩 {d.days_left} 天）"
        else:
            late = ""
        consistent = r.consistent if r is not None else None
        tier_counts = r.tiers if r is not None else {}
        rows.append(
            [
                d.serial,
                d.department,
                d.domain,
                Mark(STATUS_LABELS[d.status], d.status),
                late,
                ("有" if d.data_supported else "无") if d.status == FILLED else "",
                d.behind_months,
                native_counts(r),
                "" if r is None or r.stated_total is None else r.stated_total,
                "" if r is None or r.counted_total is None else r.counted_total,
                Mark(CONSISTENT_MARKS[consistent], CONSISTENT_STYLES[consistent]),
                *(tier_counts.get(t, "") if tier_counts else "" for t in tiers),
                _to_check(r),
            ]
        )
    wrap = frozenset({header.index("各等级数量"), len(header) - 1})
    centre = frozenset({0, 3, 4, 5, 6, 10})
    notes = overview_notes(analysis)
    return Sheet(SHEET_OVERVIEW, header, rows, wrap=wrap, centre=centre, notes=notes, heading=True)


def _to_check(r: DomainRatings | None) -> str:
    if r is None:
        return ""
    parts = list(r.problems)
    if r.review:
        parts.append(f"另有 {len(r.review)} 处文字需人工核对，未计入数量")
    return "；".join(parts)


def overview_notes(analysis: MonthAnalysis) -> list[str]:
    """The month in a few lines: filing, ratings, double-A, unusable inputs."""
    check = analysis.check
    when = "已过截止日" if check.deadline_passed else "未到截止日"
    notes = [
        f"{month_title(analysis.month)}：截至 {check.as_of.isoformat()}"
        f"（截止日 {check.deadline.isoformat()}，{when}）",
        f"填报：{check.summary()}",
    ]
    counted = [r for r in analysis.ratings.domains if r.counts]
    bad = analysis.ratings.inconsistent
    line = f"评级：{len(counted)} 个领域读出了各等级数量"
    if bad:
        line += f"，{len(bad)} 个对不上（{'、'.join(r.domain.domain for r in bad)}）"
    notes.append(line)
    result = analysis.double_a
    if result is not None:
        line = f"双A企业：{len(result.enterprises)} 户"
        if result.previous is not None:
            p = result.previous
            line += f"（与上年相比新增 {len(p.added)} 户，退出 {len(p.removed)} 户）"
        if result.needs_attention:
            line += f"；名单中有 {result.needs_attention} 处问题可能影响双A名单"
        notes.append(line)
    errors = all_errors(analysis)
    if errors:
        notes.append(f"无法使用的输入：{len(errors)} 处（见“{SHEET_ABOUT}”）")
    return notes


def all_errors(analysis: MonthAnalysis) -> list[Problem]:
    """Every problem of the analysis once, in the order found (inputs, check, ratings)."""
    seen: list[Problem] = []
    for p in [*analysis.errors, *analysis.check.errors, *analysis.ratings.errors]:
        if p not in seen:
            seen.append(p)
    return seen


# ---------------------------------------------------------------- 填报情况


@dataclass
class Filing:
    """The history: domains × months, the trend per status, and the months charted."""

    sheet: Sheet
    months: list[str]  # every month column, sorted
    first_month_col: int
    trend: list[tuple[str, str, list[int | None]]]  # (status, label, count per month)
    charted: int  # the first months up to the one summarised (the chart's categories)


def filing_months(analysis: MonthAnalysis) -> list[str]:
    """Every month column of the merged ledger, and the month summarised."""
    return sorted({*analysis.ledger.months, analysis.month})


def cell_status(analysis: MonthAnalysis, domain: str, month: str) -> str:
    """A domain's status in a month column: the check's for the month summarised; for a
    later month not filled, :data:`UPCOMING`; for an earlier month no input has the
    domain's row under, :data:`UNKNOWN`."""
    if month == analysis.month:
        for d in analysis.check.domains:
            if d.domain == domain:
                return d.status
    ledger = analysis.ledger
    if month < analysis.month and ledger.covered and (domain, month) not in ledger.covered:
        return UNKNOWN
    entry = ledger.entry(domain, month)
    status = classify(entry.text if entry else None, analysis.registry.placeholders)
    return UPCOMING if status == MISSING and month > analysis.month else status


def filing(analysis: MonthAnalysis) -> Filing:
    months = filing_months(analysis)
    first = 3
    header = ["序号", "实施部门", "分级分类领域", *map(month_title, months), BEHIND]
    rows: list[list[object]] = []
    counts = {s: [0] * len(months) for s in CELL_STATUSES}
    for d in analysis.check.domains:
        cells: list[object] = []
        for j, m in enumerate(months):
            status = cell_status(analysis, d.domain, m)
            counts[status][j] += 1
            cells.append(Mark(CELL_LABELS[status], status))
        rows.append([d.serial, d.department, d.domain, *cells, d.behind_months])
    later = [m > analysis.month for m in months]
    trend: list[tuple[str, str, list[int | None]]] = [
        (FILLED, "已填报领域数", list(counts[FILLED])),
        (PLACEHOLDER, "仅占位领域数", list(counts[PLACEHOLDER])),
        # A later month is not due: its empty cells are not "missing".
        (
            MISSING,
            "未填报领域数",
            [None if x else n for n, x in zip(counts[MISSING], later, strict=True)],
        ),
    ]
    charted = sum(1 for m in months if m <= analysis.month)
    sheet = Sheet(SHEET_FILING, header, rows, centre=frozenset({0, len(header) - 1}))
    return Filing(sheet, months, first, trend, charted)


# ---------------------------------------------------------------- 等级分布


def tier_table(analysis: MonthAnalysis) -> Sheet:
    """Unified tier counts per domain (blank where no counts were read)."""
    tiers = analysis.registry.tiers
    ratings = _ratings_by_domain(analysis)
    header = [
        "序号",
        "实施部门",
        "分级分类领域",
        "评级体系",
        *(tier_header(t) for t in tiers),
        "合计",
        "核对",
    ]
    rows: list[list[object]] = []
    for domain in analysis.registry.domains:
        r = ratings.get(domain.domain)
        counts = r.tiers if r is not None else {}
        consistent = r.consistent if r is not None else None
        mark = CONSISTENT_MARKS[consistent] if counts else "未读出数量"
        rows.append(
            [
                domain.serial,
                domain.department,
                domain.domain,
                domain.scale.name,
                *(counts.get(t, 0) if counts else "" for t in tiers),
                sum(counts.values()) if counts else "",
                Mark(mark, CONSISTENT_STYLES[consistent]),
            ]
        )
    return Sheet(SHEET_TIERS, header, rows, centre=frozenset({0}))


# ---------------------------------------------------------------- 双A企业


def county_table(result: DoubleA) -> Sheet:
    """Double-A enterprises per county/district; with last year's list, last year's count
    (kept + dropped out), the new and the dropped-out per county."""
    diff = result.previous
    counties = list(result.by_county)
    if diff is not None:
        counties += [c for c in dict.fromkeys(r.county for r in diff.removed) if c not in counties]
    header = ["区县", "双A企业数"]
    if diff is None:
        rows: list[list[object]] = [[c, result.by_county.get(c, 0)] for c in counties]
        totals: list[object] = ["合计", len(result.enterprises)]
    else:
        header += ["上年双A\n企业数", "新增", "退出"]
        added = _per_county(e.county for e in diff.added)
        removed = _per_county(r.county for r in diff.removed)
        kept = _per_county(e.county for e in diff.kept)
        rows = [
            [
                c,
                result.by_county.get(c, 0),
                kept.get(c, 0) + removed.get(c, 0),
                added.get(c, 0),
                removed.get(c, 0),
            ]
            for c in counties
        ]
        totals = [
            "合计",
            len(result.enterprises),
            len(diff.kept) + len(diff.removed),
            len(diff.added),
            len(diff.removed),
        ]
    notes = [
        f"{s.label}：{Path(s.file).name}，{s.rows:,} 行，A级 {s.grade_a:,} 户"
        for s in (result.tax, result.public)
    ]
    if result.matched_via_legacy_id:
        notes.append(f"其中 {result.matched_via_legacy_id} 户通过原纳税人识别号匹配")
    if result.needs_attention:
        notes.append(
            f"名单中有 {result.needs_attention} 处问题可能影响双A名单"
            "（代码无效、等级冲突等，详见 hgcredit double-a 写出的“问题记录”）"
        )
    return Sheet(SHEET_COUNTIES, header, rows, notes=notes, totals=totals)


def _per_county(counties: Iterable[str]) -> dict[str, int]:
    return dict(Counter(counties))


def enterprise_table(result: DoubleA) -> Sheet:
    """The double-A list; with last year's list, whether each is new or kept, followed by
    those that dropped out (no serial number) and why."""
    diff = result.previous
    header = [
        "序号",
        "统一社会信用代码",
        "企业名称",
        "所属区县",
        "纳税信用\n级别",
        "公共信用\n评价等级",
        "公共信用\n评价得分",
    ]
    if diff is not None:
        header.append("与上年\n相比")
    header.append("说明")
    added = {e.code for e in diff.added} if diff is not None else set()
    rows: list[list[object]] = []
    for i, e in enumerate(result.enterprises, 1):
        row: list[object] = [i, e.code, e.name, e.county, e.tax_grade, e.public_grade, e.score]
        if diff is not None:
            row.append(Mark("新增", GOOD) if e.code in added else "保持")
        row.append(f"按原识别号 {e.legacy_id} 匹配" if e.via == VIA_LEGACY else "")
        rows.append(row)
    if diff is not None:
        for r in diff.removed:
            rows.append(["", r.code, r.name, r.county, "", "", "", Mark("退出", BAD), r.reason])
    centre = frozenset({0, 4, 5, *([7] if diff is not None else [])})
    return Sheet(SHEET_ENTERPRISES, header, rows, wrap=frozenset({len(header) - 1}), centre=centre)


# ---------------------------------------------------------------- 说明


def sha256_of(path: str | Path) -> str:
    """The file's sha256 in hex, or ``""`` when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


@dataclass(frozen=True)
class InputFile:
    """One input and what it was taken for."""

    file: str
    role: str
    sha256: str

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "role": self.role, "sha256": self.sha256}


ROLE_LEDGER = "台账/报送"
ROLE_LIST = "等级名单"
ROLE_UNUSABLE = "无法使用"
ROLE_UNUSED = "未用到（没有可用的行）"


def describe_inputs(analysis: MonthAnalysis, paths: Sequence[str | Path]) -> list[InputFile]:
    """Every input with its role (ledger or return, rating list, tax/public/last year's
    list, unusable) and sha256, in the order given; a file named twice is listed once."""
    ledger_files = set(analysis.ledger.files)
    list_sources = [s for r in analysis.ratings.domains for s in r.sources]
    unusable = {str(Path(e.file)) for e in all_errors(analysis) if e.file}
    out: list[InputFile] = []
    seen: set[str] = set()
    for path in paths:
        name = str(Path(path))
        if name in seen:
            continue
        seen.add(name)
        if name in ledger_files:
            role = ROLE_LEDGER
        elif any(s == name or s.startswith(f"{name}[") for s in list_sources):
            role = ROLE_LIST
        elif name in unusable:
            role = ROLE_UNUSABLE
        else:
            role = ROLE_UNUSED
        out.append(InputFile(name, role, sha256_of(path)))
    result = analysis.double_a
    if result is not None:
        lists = [(result.tax.label, result.tax.file), (result.public.label, result.public.file)]
        if result.previous is not None:
            lists.append(("上年双A名单", result.previous.file))
        out += [InputFile(str(f), label, sha256_of(f)) for label, f in lists]
    return out


def registry_input(registry: Registry) -> InputFile:
    """The registry used: the packaged one, or the office's own file."""
    if registry is load_registry():
        from importlib import resources

        data = resources.files("hgcredit").joinpath("registry.toml").read_bytes()
        return InputFile(
            "内置登记表（hgcredit/registry.toml）", "登记表", hashlib.sha256(data).hexdigest()
        )
    return InputFile(registry.source, "登记表", sha256_of(registry.source))


def about(analysis: MonthAnalysis, inputs: Sequence[InputFile], version: str) -> Sheet:
    """Where the summary came from: month, as-of date, tool version, registry, every input
    with its sha256, unusable inputs and conflicts between returns. No clock time, so the
    same inputs give the same workbook."""
    check = analysis.check
    when = "已过截止日" if check.deadline_passed else "未到截止日"
    reg = registry_input(analysis.registry)
    rows: list[list[object]] = [
        ["月份", f"{month_title(analysis.month)}（{analysis.month}）", ""],
        [
            "判断日期",
            f"{check.as_of.isoformat()}（截止日 {check.deadline.isoformat()}，{when}）",
            "",
        ],
        ["台账中的月份", "、".join(check.months) or "（无）", ""],
        ["工具版本", f"hgcredit {version}", ""],
        [reg.role, reg.file, reg.sha256],
    ]
    rows += [[f.role, f.file, f.sha256] for f in inputs]
    for e in all_errors(analysis):
        rows.append([Mark("无法使用的输入", BAD), str(e), ""])
    for c in check.conflicts:
        kept = "后者仅为占位，保留前者" if c.kept == "earlier" else "采用后者"
        rows.append(
            [
                "内容冲突",
                f"{c.department} {c.domain} {c.month}："
                f"{c.earlier_location or c.earlier_file} 与 {c.later_location or c.later_file} 不同，{kept}",
                "",
            ]
        )
    rows += [["名词", term, ""] for term in TERMS]
    return Sheet(SHEET_ABOUT, ["项目", "内容", "SHA-256"], rows, wrap=frozenset({1}))
