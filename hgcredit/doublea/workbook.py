"""Write the double-A results: the clerk's workbook and the full reconciliation csv.

Both go through :mod:`hgcredit.io`: the workbook through :mod:`hgcredit.io.xlsx` (XlsxWriter,
native charts), the csv through :func:`hgcredit.io.outputs.write_csv`; so both are written
atomically, a name such as ``=鹤岗…`` stays text, and identical inputs give identical bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hgcredit.doublea.compute import DETAIL_HEADER, DoubleA, Enterprise, detail_rows
from hgcredit.entities.lists import gc_paused
from hgcredit.io.outputs import write_csv
from hgcredit.io.xlsx import header_format, open_workbook, table_sheet, write_cell

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


def write_workbook(result: DoubleA, target: str | Path) -> None:
    """The clerk's workbook: the double-A list, the count per county (with a chart), the
    problems found in the inputs and, with last year's list, what changed."""
    with gc_paused(), open_workbook(target) as wb:
        _list_sheet(wb, result)
        _county_sheet(wb, result)
        _problem_sheet(wb, result)
        if result.previous is not None:
            _change_sheet(wb, result)


def _via(e: Enterprise) -> str:
    return f"原纳税人识别号 {e.legacy_id}" if e.legacy_id else "统一社会信用代码"


def _list_sheet(wb: Any, result: DoubleA) -> None:
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
    table_sheet(wb, SHEET_LIST, LIST_HEADER, rows, widths=[6, 22, 40, 10, 12, 16, 16, 30])


def _county_sheet(wb: Any, result: DoubleA) -> None:
    counts = list(result.by_county.items())
    rows: list[list[object]] = [[c, n] for c, n in counts]
    ws = table_sheet(wb, SHEET_COUNTY, ["区县", "双A企业数"], rows, widths=[16, 12])
    head = header_format(wb)
    total_row = len(counts) + 1
    write_cell(ws, total_row, 0, "合计", head)
    write_cell(ws, total_row, 1, len(result.enterprises), head)
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
        write_cell(ws, r, 0, s.label, head)
        write_cell(
            ws,
            r,
            1,
            f"{s.file}：{s.rows} 行，A级 {s.grade_a} 户；代码无效 {s.invalid_codes}、"
            f"原纳税人识别号 {s.legacy_ids}、重复 {s.duplicates}、等级冲突 {s.conflicts}",
        )
        r += 1


def _problem_sheet(wb: Any, result: DoubleA) -> None:
    rows: list[list[object]] = [
        [
            q.list_label,
            q.file,
            q.sheet or "",
            q.row,
            q.raw_code,
            q.name,
            q.grade,
            q.label,
            q.reason,
            q.detail,
            q.affects,
        ]
        for q in result.problems
    ]
    widths = [16, 30, 10, 8, 24, 36, 6, 12, 18, 60, 12]
    table_sheet(wb, SHEET_PROBLEMS, PROBLEM_HEADER, rows, widths=widths)


def _change_sheet(wb: Any, result: DoubleA) -> None:
    assert result.previous is not None
    diff = result.previous
    rows: list[list[object]] = []
    rows += [["新增", e.code, e.name, e.county, "今年新进入双A名单"] for e in diff.added]
    rows += [["退出", r.code, r.name, r.county, r.reason] for r in diff.removed]
    rows += [["保持", e.code, e.name, e.county, ""] for e in diff.kept]
    table_sheet(wb, SHEET_CHANGES, CHANGE_HEADER, rows, widths=[8, 22, 40, 10, 60])


def write_detail(result: DoubleA, target: str | Path) -> int:
    """Every row of both lists and what became of it, as csv (UTF-8 with BOM for Excel);
    returns the number of rows."""
    with gc_paused():
        return write_csv(target, DETAIL_HEADER, detail_rows(result))
