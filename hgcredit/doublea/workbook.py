"""Write the double-A results: the clerk's workbook and the full reconciliation csv.

The workbook is written with XlsxWriter (several times faster than openpyxl for this,
with native charts); every text cell goes through ``write_string`` so a name such as
``=鹤岗…`` stays text, never a formula. Files are written atomically and identical
inputs give byte-identical files (fixed document dates).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from hgcredit.doublea.compute import DETAIL_HEADER, DoubleA, Enterprise, detail_rows
from hgcredit.entities.lists import gc_paused
from hgcredit.io.outputs import atomic_path, csv_safe

SHEET_LIST = "双A企业"
SHEET_COUNTY = "按区县"
SHEET_PROBLEMS = "问题记录"
SHEET_CHANGES = "变化"

LIST_HEADER = [
    "序号",
    "统一社会信用代码",
    "企业名称",
    "所属区县",
    "纳税信用级别",
    "公共信用评价等级",
    "公共信用评价得分",
    "匹配方式",
]
PROBLEM_HEADER = [
    "名单",
    "文件",
    "工作表",
    "行号",
    "代码（原样）",
    "名称",
    "等级",
    "问题",
    "原因",
    "说明",
    "影响双A名单",
]
CHANGE_HEADER = ["变化", "统一社会信用代码", "企业名称", "所属区县", "说明"]
_FIXED_DATE = dt.datetime(2022, 11, 9)  # document date: keeps output byte-identical


def write_workbook(result: DoubleA, target: str | Path) -> None:
    import xlsxwriter

    with gc_paused(), atomic_path(target) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        wb.set_properties({"created": _FIXED_DATE, "author": "hgcredit"})
        head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        _list_sheet(wb, head, result)
        _county_sheet(wb, head, result)
        _problem_sheet(wb, head, result)
        if result.previous is not None:
            _change_sheet(wb, head, result)
        wb.close()


def _table(
    ws: Any, head: Any, header: list[str], rows: list[list[object]], widths: list[int]
) -> None:
    """A header row, then the rows: text as text (never a formula), numbers as numbers."""
    for j, (title, width) in enumerate(zip(header, widths, strict=True)):
        ws.write_string(0, j, title, head)
        ws.set_column(j, j, width)
    for i, row in enumerate(rows, 1):
        for j, value in enumerate(row):
            if isinstance(value, bool):
                ws.write_string(i, j, "是" if value else "否")
            elif isinstance(value, int | float):
                ws.write_number(i, j, value)
            elif value is None or value == "":
                continue
            else:
                ws.write_string(i, j, str(value))
    ws.freeze_panes(1, 0)
    if rows:
        ws.autofilter(0, 0, len(rows), len(header) - 1)
    _print_setup(ws)


def _print_setup(ws: Any) -> None:
    """Printable as handed to officials: A4 landscape, one page wide, header row on each page."""
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_header('&C&"黑体"&14&A')  # the sheet name as the page title
    ws.set_footer("&C第 &P 页，共 &N 页")


def _via(e: Enterprise) -> str:
    return f"原纳税人识别号 {e.legacy_id}" if e.legacy_id else "统一社会信用代码"


def _list_sheet(wb: Any, head: Any, result: DoubleA) -> None:
    ws = wb.add_worksheet(SHEET_LIST)
    rows: list[list[object]] = [
        [
            i,
            e.code,
            e.name,
            e.county,
            e.tax_grade,
            e.public_grade,
            e.score,
            _via(e),
        ]
        for i, e in enumerate(result.enterprises, 1)
    ]
    _table(ws, head, LIST_HEADER, rows, [6, 22, 40, 10, 12, 16, 16, 30])


def _county_sheet(wb: Any, head: Any, result: DoubleA) -> None:
    ws = wb.add_worksheet(SHEET_COUNTY)
    counts = list(result.by_county.items())
    _table(ws, head, ["区县", "双A企业数"], [[c, n] for c, n in counts], [16, 12])
    total_row = len(counts) + 1
    ws.write_string(total_row, 0, "合计", head)
    ws.write_number(total_row, 1, len(result.enterprises), head)
    if counts:
        chart = wb.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": "双A企业数",
                "categories": [SHEET_COUNTY, 1, 0, len(counts), 0],
                "values": [SHEET_COUNTY, 1, 1, len(counts), 1],
                "data_labels": {"value": True},
            }
        )
        chart.set_title({"name": "各区县双A企业数"})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        chart.set_size({"width": 640, "height": 60 + 28 * len(counts)})
        ws.insert_chart(1, 3, chart)
    # The lists it came from, for the record.
    r = total_row + 2
    for s in (result.tax, result.public):
        ws.write_string(r, 0, s.label, head)
        ws.write_string(
            r,
            1,
            f"{s.file}：{s.rows} 行，A级 {s.grade_a} 户；代码无效 {s.invalid_codes}、"
            f"原纳税人识别号 {s.legacy_ids}、重复 {s.duplicates}、等级冲突 {s.conflicts}",
        )
        r += 1


def _problem_sheet(wb: Any, head: Any, result: DoubleA) -> None:
    ws = wb.add_worksheet(SHEET_PROBLEMS)
    rows: list[list[object]] = [
        [
            q.list_label,
            q.file,
            q.sheet or "",
            q.row,
            q.raw_code,
            q.name,
            q.grade,
            q.kind,
            q.reason,
            q.detail,
            q.affects,
        ]
        for q in result.problems
    ]
    _table(ws, head, PROBLEM_HEADER, rows, [16, 30, 10, 8, 24, 36, 6, 12, 18, 60, 12])


def _change_sheet(wb: Any, head: Any, result: DoubleA) -> None:
    assert result.previous is not None
    diff = result.previous
    ws = wb.add_worksheet(SHEET_CHANGES)
    rows: list[list[object]] = []
    rows += [["新增", e.code, e.name, e.county, "今年新进入双A名单"] for e in diff.added]
    rows += [["退出", r.code, r.name, r.county, r.reason] for r in diff.removed]
    rows += [["保持", e.code, e.name, e.county, ""] for e in diff.kept]
    _table(ws, head, CHANGE_HEADER, rows, [8, 22, 40, 10, 60])


def write_detail(result: DoubleA, target: str | Path) -> int:
    """Every row of both lists and what became of it, as csv (UTF-8 with BOM for Excel)."""
    n = 0
    with (
        gc_paused(),
        atomic_path(target) as tmp,
        tmp.open("w", encoding="utf-8-sig", newline="") as fh,
    ):
        writer = csv.writer(fh)
        writer.writerow(DETAIL_HEADER)
        for row in detail_rows(result):
            for j in _DETAIL_FROM_INPUT:  # text taken from the inputs: never a formula
                row[j] = csv_safe(row[j])
            writer.writerow(row)
            n += 1
    return n


_DETAIL_FROM_INPUT = (1, 2, 4, 5, 8)  # file, sheet, raw code, cleaned code, name
