"""write_rows: long plain tables written fast, cell for cell what write_cell writes."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from hgcredit.io.xlsx import (
    header_format,
    open_workbook,
    write_cell,
    write_row,
    write_rows,
    write_table,
)

# Text as the readers leave it (control characters are cleaned on reading).
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
VALUES = st.one_of(
    TEXT,
    st.sampled_from(["=1+1", "@SUM(A1)", "+1", "-1", " 前后空格 ", "a&b<c>", "甲\n乙"]),
    st.integers(-(10**12), 10**12),
    st.floats(-1e15, 1e15),
    st.sampled_from([math.nan, math.inf, -math.inf]),
    st.booleans(),
    st.none(),
)
ROWS = st.lists(st.lists(VALUES, min_size=1, max_size=5), min_size=1, max_size=8)


def _read(path: Path, sheet: str) -> list[tuple[object, str]]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [(c.value, c.data_type) for row in ws.iter_rows() for c in row]


@settings(max_examples=60, deadline=None)
@given(rows=ROWS)
def test_fast_rows_read_back_as_cell_by_cell_writing(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("rows")
    with open_workbook(folder / "fast.xlsx") as wb:
        write_rows(wb.add_worksheet("表"), 1, rows)
        write_cell(wb.get_worksheet_by_name("表"), 0, 0, "表头")
    slow = xlsxwriter.Workbook(str(folder / "slow.xlsx"), {"strings_to_formulas": False})
    ws = slow.add_worksheet("表")  # a plain XlsxWriter sheet: the cell-by-cell path
    write_cell(ws, 0, 0, "表头")
    for i, values in enumerate(rows, 1):
        write_row(ws, i, values)
    slow.close()
    fast_cells = _read(folder / "fast.xlsx", "表")
    slow_cells = _read(folder / "slow.xlsx", "表")
    assert len(fast_cells) == len(slow_cells)
    for (fast, kind), (slow, slow_kind) in zip(fast_cells, slow_cells, strict=True):
        assert kind == slow_kind
        if isinstance(fast, float):  # XlsxWriter keeps 16 digits; write_rows the exact value
            assert math.isclose(fast, slow, rel_tol=1e-15)
        else:
            assert fast == slow
    assert all(t != "f" for _, t in fast_cells)  # never a formula


def test_a_cell_written_below_the_rows_keeps_the_rows_in_order(tmp_path: Path):
    target = tmp_path / "t.xlsx"
    with open_workbook(target) as wb:
        ws = wb.add_worksheet("表")
        end = write_table(ws, ["代码", "数量"], [["a", 1], ["b", 2]], header_format(wb))
        write_cell(ws, end + 1, 0, "注：以上为示例")  # a note under the table
        write_cell(ws, 1, 3, "旁注")  # a cell to the right, among the rows
    ws = openpyxl.load_workbook(target)["表"]
    assert [[c.value for c in r] for r in ws.iter_rows(max_col=2)] == [
        ["代码", "数量"],
        ["a", 1],
        ["b", 2],
        [None, None],
        ["注：以上为示例", None],
    ]
    assert ws["D2"].value == "旁注" and ws.auto_filter.ref == "A1:B3"


def test_fast_rows_are_byte_identical_and_quick_to_write(tmp_path: Path):
    rows = [[f"91230{i:013d}", f"鹤岗市第{i}公司", i, i * 0.5, math.nan] for i in range(20_000)]
    for name in ("a.xlsx", "b.xlsx"):
        with open_workbook(tmp_path / name) as wb:
            write_table(
                wb.add_worksheet("名单"),
                ["代码", "名称", "序", "分", "空"],
                rows,
                header_format(wb),
            )
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx", read_only=True)["名单"]
    last = next(iter(ws.iter_rows(min_row=20_001, max_row=20_001, values_only=True)))
    assert last[:4] == ("912300000000019999", "鹤岗市第19999公司", 19999, 9999.5)


def test_control_characters_never_reach_the_file(tmp_path: Path):
    with open_workbook(tmp_path / "c.xlsx") as wb:
        write_rows(wb.add_worksheet("表"), 0, [["甲\x1b[31m乙\x00", "\x08", "丙"]])
    ws = openpyxl.load_workbook(tmp_path / "c.xlsx")["表"]
    assert [c.value for c in ws[1]] == ["甲[31m乙", None, "丙"]
