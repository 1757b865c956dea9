"""The clerk's reconciliation workbook, written through :mod:`hgcredit.io.xlsx` (atomic,
formula-safe, byte-identical for identical inputs).

Sheets: 总览 (one row per domain); one sheet per domain — the matrix of the department's
unified tier by the public grade with a colour scale, or, for a list without grades, each
entity with its public grade; 分歧名单; 未匹配 (every row not compared as it is); 年度变化
(with last year's evaluation: counts, the transition matrix with a colour scale and a
chart, per county, the largest moves); 说明 (the inputs with their sha256, how the figures
are defined).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hgcredit.entities.lists import gc_paused
from hgcredit.io.xlsx import (
    HEADER_STYLE,
    LINE_HEIGHT,
    header_format,
    merge_cells,
    open_workbook,
    print_setup,
    set_widths,
    table_sheet,
    wrapped_lines,
    write_cell,
    write_row,
    write_table,
)
from hgcredit.reconcile.model import DomainResult, Reconciliation, YearOverYear

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

SHEET_OVERVIEW = "总览"
SHEET_DISAGREE = "分歧名单"
SHEET_UNMATCHED = "未匹配"
SHEET_YEARS = "年度变化"
SHEET_NOTES = "说明"
FIXED = (SHEET_OVERVIEW, SHEET_DISAGREE, SHEET_UNMATCHED, SHEET_YEARS, SHEET_NOTES)

OVERVIEW_HEADER = [
    "序号",
    "实施部门",
    "领域",
    "有无等级",
    "名单行数",
    "匹配",
    "公共信用评价中没有",
    "代码无效",
    "重复",
    "参与比对",
    "一致率",
    "加权kappa",
    "分歧",
    "等级无法识别",
]
DISAGREE_HEADER = [
    "领域",
    "统一社会信用代码",
    "名称",
    "所属区县",
    "部门评定等级",
    "统一档次",
    "公共信用评价等级",
    "分歧",
]
UNMATCHED_HEADER = ["名单", "领域", "文件", "行号", "代码（原样）", "名称", "问题", "说明"]
ENTITY_HEADER = ["统一社会信用代码", "名称", "所属区县", "公共信用评价等级", "统一档次", "得分"]
COUNTY_HEADER = ["区县", "新增", "退出", "保持", "升级", "降级"]
MOVE_HEADER = ["统一社会信用代码", "名称", "所属区县", "上年等级", "今年等级", "变化（档）"]
# Low counts white, high counts green: where the entities are, at a glance.
COLOUR_SCALE = {"type": "2_color_scale", "min_color": "#FFFFFF", "max_color": "#63BE7B"}
PERCENT = {"num_format": "0.0%"}
KAPPA = {"num_format": "0.000"}


def write_workbook(result: Reconciliation, target: str | Path) -> None:
    """The clerk's workbook (see the module's docstring)."""
    with gc_paused(), open_workbook(target) as wb:
        head = header_format(wb)
        _overview(wb, result)
        names = sheet_names(result.domains)
        for d, name in zip(result.domains, names, strict=True):
            if d.graded:
                _matrix_sheet(wb, name, d, head)
            else:
                _entity_sheet(wb, name, d, head)
        _disagreements(wb, result)
        _unmatched(wb, result)
        if result.year_over_year is not None:
            _years(wb, result.year_over_year, head)
        _notes(wb, result, head)


def sheet_names(domains: list[DomainResult]) -> list[str]:
    """A sheet name per domain: its name, cut to Excel's 31 characters, never one of the
    fixed sheets' names or another's."""
    taken = set(FIXED)
    out = []
    for d in domains:
        base = d.domain.domain.translate(str.maketrans("[]:*?/\\", "（）：＊？／＼"))[:31]
        name, i = base, 2
        while name in taken:
            name = f"{base[: 31 - len(str(i)) - 1]}_{i}"
            i += 1
        taken.add(name)
        out.append(name)
    return out


def _pct(x: float | None) -> object:
    return "" if x is None else x


def _overview(wb: Workbook, result: Reconciliation) -> None:
    rows: list[list[object]] = [
        [
            d.domain.serial,
            d.domain.department,
            d.domain.domain,
            "有" if d.graded else "无",
            d.rows,
            d.matched,
            d.not_found,
            d.invalid_codes,
            d.duplicates,
            d.compared if d.graded else "",
            _pct(d.agreement),
            (d.kappa_note or "") if d.kappa is None else round(d.kappa, 3),
            d.good_poor + d.poor_good if d.graded else "",
            len(d.unknown_rows),
        ]
        for d in result.domains
    ]
    widths = [6, 14, 20, 8, 8, 8, 12, 8, 8, 8, 10, 10, 8, 10]
    ws = table_sheet(wb, SHEET_OVERVIEW, OVERVIEW_HEADER, rows, widths=widths)
    ws.set_column(10, 10, 10, wb.add_format(PERCENT))
    # Headers longer than their column wrap onto two lines instead of running over.
    wrapped = wb.add_format({**HEADER_STYLE, "text_wrap": True, "valign": "vcenter"})
    write_row(ws, 0, OVERVIEW_HEADER, wrapped)
    ws.set_row(0, 2 * LINE_HEIGHT)
    note = wb.add_format({"text_wrap": True, "valign": "top"})
    kappa_col = OVERVIEW_HEADER.index("加权kappa")
    for i, d in enumerate(result.domains, 1):
        if d.kappa_note:  # why there is no kappa, wrapped in its narrow column
            write_cell(ws, i, kappa_col, d.kappa_note, note)
            ws.set_row(i, wrapped_lines(d.kappa_note, widths[kappa_col]) * LINE_HEIGHT)
    r = len(rows) + 2
    for s in (result.public, result.previous_public):
        if s is None:
            continue
        grades = " · ".join(f"{g} {n}" for g, n in s.grades.items())
        merge_cells(ws, r, 0, r, 2, s.label, wrapped)
        merge_cells(
            ws,
            r,
            3,
            r,
            len(OVERVIEW_HEADER) - 1,
            f"{Path(s.file).name}：{s.rows} 行，{s.entities} 个主体（{grades}）；"
            f"代码无效 {s.invalid_codes}、重复 {s.duplicates}、等级冲突 {s.conflicts}"
            "（完整路径与 sha256 见“说明”）",
            note,
        )
        ws.set_row(r, 2 * LINE_HEIGHT)
        r += 1


def _title(wb: Workbook, ws: Worksheet, text: str) -> None:
    write_cell(ws, 0, 0, text, wb.add_format({"bold": True, "font_size": 13}))


def _matrix_sheet(wb: Workbook, name: str, d: DomainResult, head: Any) -> None:
    assert d.matrix is not None
    ws = wb.add_worksheet(name)
    dom = d.domain
    _title(
        wb,
        ws,
        f"{dom.serial} {dom.department} · {dom.domain}：部门评定（统一档次）× 公共信用评价等级",
    )
    labels = list(d.public_labels)
    write_row(ws, 2, ["统一档次＼公共信用评价", *labels, "合计"], head)
    for i, (tier, counts) in enumerate(zip(d.tiers, d.matrix.tolist(), strict=True), 3):
        write_cell(ws, i, 0, tier, head)
        write_row(ws, i, [*counts, sum(counts)], col=1)
    total = 3 + len(d.tiers)
    write_cell(ws, total, 0, "合计", head)
    write_row(ws, total, [*map(int, d.matrix.sum(axis=0)), int(d.matrix.sum())], col=1)
    if d.matrix.size:
        ws.conditional_format(3, 1, total - 1, len(labels), COLOUR_SCALE)
    native = " · ".join(f"{lv.label}→{lv.tier}" for lv in dom.scale.levels)
    facts: list[tuple[str, object, dict[str, str] | None]] = [
        ("参与比对（两边都有等级）", d.compared, None),
        ("一致率（统一档次与公共信用评价等级相同）", _pct(d.agreement), PERCENT),
        ("加权 kappa（线性权重）", (d.kappa_note or "") if d.kappa is None else d.kappa, KAPPA),
        ("分歧：部门评价好（A/B）、公共评价差（C/D）", d.good_poor, None),
        ("分歧：部门评价差（C/D）、公共评价好（A/B）", d.poor_good, None),
        ("名单行数", d.rows, None),
        ("匹配", d.matched, None),
        ("公共信用评价中没有", d.not_found, None),
        ("代码无效", d.invalid_codes, None),
        ("重复", d.duplicates, None),
        ("等级冲突（主体数）", d.conflicts, None),
        ("等级无法识别（行）", len(d.unknown_rows), None),
        (f"{dom.scale.name}折算统一档次", native, None),
        ("名单", "；".join(d.files), None),
    ]
    _facts(wb, ws, total + 2, facts, head)
    set_widths(ws, [44, *[10] * (len(labels) + 1)])
    print_setup(ws, repeat_rows=None)


def _facts(
    wb: Workbook,
    ws: Worksheet,
    row: int,
    facts: list[tuple[str, object, dict[str, str] | None]],
    head: Any,
) -> int:
    formats: dict[str, Any] = {}
    for label, value, style in facts:
        write_cell(ws, row, 0, label, head)
        fmt = None
        if style is not None:
            key = str(sorted(style.items()))
            fmt = formats.setdefault(key, wb.add_format(style))
        write_cell(ws, row, 1, value, fmt)
        row += 1
    return row


def _entity_sheet(wb: Workbook, name: str, d: DomainResult, head: Any) -> None:
    ws = wb.add_worksheet(name)
    dom = d.domain
    _title(
        wb, ws, f"{dom.serial} {dom.department} · {dom.domain}：名单中的主体及其公共信用评价等级"
    )
    labels = list(d.public_labels)
    write_row(ws, 2, ["公共信用评价等级", *labels, "合计"], head)
    counts = [d.public_grades.get(g, 0) for g in labels]
    write_cell(ws, 3, 0, "主体数", head)
    write_row(ws, 3, [*counts, sum(counts)], col=1)
    ws.conditional_format(3, 1, 3, len(labels), COLOUR_SCALE)
    note = (
        f"名单 {d.rows} 行：匹配 {d.matched}，公共信用评价中没有 {d.not_found}（见“{SHEET_UNMATCHED}”），"
        f"代码无效 {d.invalid_codes}，重复 {d.duplicates}"
    )
    write_cell(ws, 4, 0, note)
    rows: list[list[object]] = [
        [e.code, e.name, e.county, e.public_grade, e.tier, e.score] for e in d.entities
    ]
    write_table(ws, ENTITY_HEADER, rows, head, widths=[22, 36, 10, 16, 10, 8], row=6)
    print_setup(ws, repeat_rows=(6, 6))


def _disagreements(wb: Workbook, result: Reconciliation) -> None:
    rows: list[list[object]] = [
        [d.domain.domain, x.code, x.name, x.county, x.grade, x.tier, x.public_grade, x.direction]
        for d in result.domains
        for x in d.disagreements
    ]
    widths = [18, 22, 36, 10, 12, 10, 16, 22]
    table_sheet(wb, SHEET_DISAGREE, DISAGREE_HEADER, rows, widths=widths)


def _unmatched(wb: Workbook, result: Reconciliation) -> None:
    rows: list[list[object]] = [
        [
            q.list_label,
            q.domain,
            f"{q.file}[{q.sheet}]" if q.sheet else q.file,
            q.row,
            q.raw_code,
            q.name,
            q.label,
            q.detail,
        ]
        for q in result.problems
    ]
    widths = [18, 18, 40, 8, 24, 36, 18, 60]
    table_sheet(wb, SHEET_UNMATCHED, UNMATCHED_HEADER, rows, widths=widths)


def _years(wb: Workbook, y: YearOverYear, head: Any) -> None:
    ws = wb.add_worksheet(SHEET_YEARS)
    _title(wb, ws, f"与上年公共信用评价相比（{y.file}）")
    write_row(ws, 2, ["上年主体数", "今年主体数", "新增", "退出", "保持", "升级", "降级"], head)
    write_row(
        ws,
        3,
        [
            y.removed + y.kept,
            y.added + y.kept,
            y.added,
            y.removed,
            y.kept,
            y.upgraded,
            y.downgraded,
        ],
    )
    labels = list(y.labels)
    top = 5
    write_row(ws, top, ["上年等级＼今年等级", *labels, "合计"], head)
    m = y.transitions
    for i, (label, counts) in enumerate(zip(labels, m.tolist(), strict=True), top + 1):
        write_cell(ws, i, 0, label, head)
        write_row(ws, i, [*counts, sum(counts)], col=1)
    last = top + len(labels)
    write_cell(ws, last + 1, 0, "合计", head)
    write_row(ws, last + 1, [*map(int, m.sum(axis=0)), int(m.sum())], col=1)
    ws.conditional_format(top + 1, 1, last, len(labels), COLOUR_SCALE)
    chart = wb.add_chart({"type": "column"})
    for j, label in enumerate(labels, 1):
        chart.add_series(
            {
                "name": f"今年 {label}",
                "categories": [SHEET_YEARS, top + 1, 0, last, 0],
                "values": [SHEET_YEARS, top + 1, j, last, j],
            }
        )
    chart.set_title({"name": "上年各等级的主体今年的等级"})
    chart.set_x_axis({"name": "上年等级"})
    chart.set_y_axis({"name": "主体数"})
    chart.set_size({"width": 560, "height": 300})
    ws.insert_chart(2, len(labels) + 3, chart)

    r = max(last + 3, 19)
    write_cell(ws, r, 0, "按区县", head)
    county_rows: list[list[object]] = [
        [c, v.added, v.removed, v.kept, v.upgraded, v.downgraded] for c, v in y.by_county.items()
    ]
    r = write_table(
        ws, COUNTY_HEADER, county_rows, head, widths=[24, 10, 10, 10, 10, 10], row=r + 1
    )
    r += 1
    best, worst = y.labels[0], y.labels[-1]
    title = f"变化最大的主体（{best}→{worst}、{worst}→{best}，{len(y.largest_moves)} 户）"
    write_cell(ws, r, 0, title, head)
    move_rows: list[list[object]] = [
        [m_.code, m_.name, m_.county, m_.last_year, m_.this_year, m_.steps]
        for m_ in y.largest_moves
    ]
    write_table(ws, MOVE_HEADER, move_rows, head, widths=[24, 36, 10, 10, 10, 10], row=r + 1)
    ws.freeze_panes(0, 0)
    print_setup(ws, repeat_rows=None)


def sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _notes(wb: Workbook, result: Reconciliation, head: Any) -> None:
    ws = wb.add_worksheet(SHEET_NOTES)
    write_row(ws, 0, ["输入", "文件", "sha256"], head)
    r = 1
    for item in result.inputs:
        write_row(
            ws, r, [item.role, item.path, sha256(item.path) if Path(item.path).is_file() else ""]
        )
        r += 1
    r += 1
    definitions = [
        ("登记表", result.registry),
        (
            "匹配",
            "按统一社会信用代码（清理全角、空格、大小写后校验）；原15位纳税人识别号按统一社会信用代码第3–17位对应",
        ),
        ("统一档次", "部门自己的等级按登记表中该领域评级体系折算的 A/B/C/D"),
        ("一致率", "两边都有等级的匹配主体中，统一档次与公共信用评价等级相同的比例"),
        (
            "加权 kappa",
            "Cohen 加权 kappa（" + ("线性" if result.weights == "linear" else "二次") + "权重）："
            "扣除两种评价偶然一致的部分后的一致程度，1 为完全一致，0 为与随机无异；"
            + (
                "相差 k 档的分歧记 k/(档数−1)，每差一档分量相同"
                if result.weights == "linear"
                else "相差 k 档的分歧记 (k/(档数−1))²"
            )
            + "；两边所有主体都在同一档（只有一个等级）或没有两边都有等级的主体时无法计算，"
            "不写数值而写明原因",
        ),
        ("分歧", "部门评价为 A/B 而公共信用评价为 C/D，或部门评价为 C/D 而公共信用评价为 A/B"),
        ("重复", "同一部门名单（同一领域）中同一主体出现多次，只计一次"),
        (
            "年度变化",
            "按代码对比两年的公共信用评价；转移矩阵只计两年都有等级的主体；变化最大：从最好一档到最差一档或反过来（A→D、D→A）",
        ),
    ]
    write_row(ws, r, ["说明", "内容"], head)
    for i, (label, text) in enumerate(definitions, r + 1):
        write_row(ws, i, [label, text])
    set_widths(ws, [22, 90, 66])
    print_setup(ws, repeat_rows=None)


__all__ = ["sha256", "sheet_names", "write_workbook"]
