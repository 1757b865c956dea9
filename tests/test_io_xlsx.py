"""hgcredit.io.xlsx and the csv writer: atomic, reproducible, formula-safe, printable."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from hgcredit.errors import OutputError
from hgcredit.io.outputs import atomic_path, write_csv
from hgcredit.io.xlsx import (
    fit_widths,
    header_format,
    merge_cells,
    open_workbook,
    print_setup,
    table_sheet,
    text_width,
    write_cell,
    write_row,
    write_table,
)

FORMULA_LIKE = ["=SUM(A1:A9)", "+86 鹤岗", "-鹤岗矿业", "@鹤岗热力", "\t制表", "\r回车"]
LOOKS_LIKE_OTHER = ["0012", "1e5", "2022-11-09", "https://example.com/a", "TRUE", "{=A1}"]


def _table(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with open_workbook(path) as wb:
        table_sheet(wb, "表", header, rows)


def test_text_stays_text_whatever_it_looks_like(tmp_path: Path):
    out = tmp_path / "a.xlsx"
    with open_workbook(out) as wb:
        ws = wb.add_worksheet("表")
        write_row(ws, 0, FORMULA_LIKE)
        write_row(ws, 1, LOOKS_LIKE_OTHER)
        merge_cells(ws, 2, 0, 3, 1, "=1+1", wb.add_format({"border": 1}))
        merge_cells(ws, 4, 0, 4, 0, "@一格")  # one cell: written, nothing merged
    ws = openpyxl.load_workbook(out)["表"]
    for r, texts in ((1, FORMULA_LIKE), (2, LOOKS_LIKE_OTHER)):
        cells = [ws.cell(r, c + 1) for c in range(len(texts))]
        # A CR is stored as OOXML's escape _x000D_, which Excel decodes and openpyxl does not.
        assert [str(c.value).replace("_x000D_", "\r") for c in cells] == texts
        assert {c.data_type for c in cells} == {"s"}
        assert not any(c.hyperlink for c in cells)
    assert ws["A3"].value == "=1+1" and ws["A3"].data_type == "s"
    assert {str(r) for r in ws.merged_cells.ranges} == {"A3:B4"}
    assert ws["A5"].value == "@一格" and ws["A5"].data_type == "s"
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "hyperlink" not in sheet


def test_values_by_type(tmp_path: Path):
    out = tmp_path / "a.xlsx"
    with open_workbook(out) as wb:
        ws = wb.add_worksheet("表")
        bordered = wb.add_format({"border": 1})
        write_row(ws, 0, [7, 2.5, np.int64(9), np.float64(1.25), True, False])
        write_row(ws, 1, [None, "", float("nan"), float("inf"), dt.date(2022, 11, 9)])
        write_row(ws, 2, [None, "", float("nan")], bordered)
    ws = openpyxl.load_workbook(out)["表"]
    assert [c.value for c in ws[1]] == [7, 2.5, 9, 1.25, "是", "否"]
    assert [c.data_type for c in ws[1]][:4] == ["n"] * 4
    assert [ws.cell(2, c).value for c in range(1, 6)] == [None, None, None, "inf", "2022-11-09"]
    # Blank cells are kept only when they carry a format: a bordered empty cell.
    assert [ws.cell(3, c).border.left.style for c in range(1, 4)] == ["thin"] * 3
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert 'r="A2"' not in sheet and 'r="C2"' not in sheet and 'r="C3"' in sheet


def test_a_cell_beyond_the_sheet_is_an_error_not_a_silent_loss(tmp_path: Path):
    out = tmp_path / "a.xlsx"
    with pytest.raises(OutputError, match="超出 Excel 的上限"), open_workbook(out) as wb:
        write_cell(wb.add_worksheet("表"), 1_048_576, 0, "多出的一行")
    assert not out.exists()


def test_same_content_same_bytes_fixed_dates(tmp_path: Path):
    one, two = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    rows: list[list[object]] = [[1, "鹤岗市甲公司"], [2, "=鹤岗市乙公司"]]
    _table(one, ["序号", "企业名称"], rows)
    _table(two, ["序号", "企业名称"], rows)
    assert one.read_bytes() == two.read_bytes()
    with zipfile.ZipFile(one) as z:
        # Not the clock, not the time zone: every member carries Excel's own epoch.
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert core.count("2022-11-09T00:00:00Z") == 2  # created and modified
    props = openpyxl.load_workbook(one).properties
    assert props.creator == "hgcredit"


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path: Path):
    out = tmp_path / "结果.xlsx"
    out.write_bytes(b"previous")
    with pytest.raises(RuntimeError), open_workbook(out) as wb:
        table_sheet(wb, "表", ["名称"], [["甲"]])
        raise RuntimeError("interrupted")
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["结果.xlsx"]


def test_missing_folder_is_an_output_error(tmp_path: Path):
    with (
        pytest.raises(OutputError, match="输出文件夹不存在"),
        open_workbook(tmp_path / "没有" / "a.xlsx"),
    ):
        pass


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "没有权限，或文件正在 Excel 中打开"),
        (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足"),
        (OSError(errno.EIO, "Input/output error"), "无法写入（Input/output error）"),
    ],
)
def test_write_failures_say_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, message: str
):
    out = tmp_path / "a.xlsx"

    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(os, "replace", fail)  # e.g. the old file is open in Excel
    with pytest.raises(OutputError, match=message) as caught, open_workbook(out) as wb:
        wb.add_worksheet("表")
    assert caught.value.file == str(out)
    assert list(tmp_path.iterdir()) == []

    monkeypatch.setattr(tempfile, "mkstemp", fail)  # the folder refuses new files
    creating = "没有写入权限" if isinstance(error, PermissionError) else message
    with pytest.raises(OutputError, match=creating), atomic_path(out):
        pass


def test_table_sheet_header_filter_freeze_widths_and_print(tmp_path: Path):
    out = tmp_path / "a.xlsx"
    rows: list[list[object]] = [[1, "鹤岗市宝泉岭建材有限公司", 901], [2, "甲", 700]]
    _table(out, ["序号", "企业名称", "得分"], rows)
    ws = openpyxl.load_workbook(out)["表"]
    head = ws["B1"]
    assert head.font.b and head.fill.fgColor.rgb == "FFDDEBF7"
    assert head.border.left.style == head.border.bottom.style == "thin"
    assert ws["B2"].font.b is False and ws["B2"].fill.fill_type is None
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:C3"
    # Widths fit the Chinese text (12 characters count 24, plus 2), as Excel shows them.
    shown = {k: round(d.width - 0.7109375, 4) for k, d in ws.column_dimensions.items()}
    assert shown == {"A": 6, "B": 26, "C": 6}
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    assert ws.oddHeader.center.text == "&A"  # the sheet's name on every page
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_empty_table_has_a_header_but_no_filter(tmp_path: Path):
    out = tmp_path / "a.xlsx"
    _table(out, ["名单", "问题"], [])
    ws = openpyxl.load_workbook(out)["表"]
    assert [c.value for c in ws[1]] == ["名单", "问题"]
    assert ws.max_row == 1 and ws.auto_filter.ref is None


def test_table_below_a_title_and_a_print_setup_of_ones_own(tmp_path: Path):
    out = tmp_path / "a.xlsx"
    with open_workbook(out) as wb:
        ws = wb.add_worksheet("汇总")
        merge_cells(ws, 0, 0, 0, 2, "鹤岗市双A企业汇总", wb.add_format({"bold": True}))
        rows: list[list[object]] = [["向阳区", 3, ""]]
        after = write_table(
            ws, ["区县", "户数", "说明"], rows, header_format(wb), widths=[10, 8, 30], row=1
        )
        write_cell(ws, after, 0, "合计", header_format(wb))
        print_setup(ws, repeat_rows=(0, 1), page_title=False, page_numbers=False)
    ws = openpyxl.load_workbook(out)["汇总"]
    assert after == 3 and ws["A4"].value == "合计" and ws["A4"].font.b
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:C3"
    assert ws.print_title_rows == "$1:$2"
    assert ws.oddHeader.center.text is None and ws.oddFooter.center.text is None


def test_text_width_counts_chinese_double():
    assert text_width("") == 0
    assert text_width("鹤岗市") == 6
    assert text_width("A级236户") == 8
    assert text_width("鹤岗\nABCDEFG") == 7  # the widest line
    assert text_width("Ａ") == 2  # full-width letters are wide too
    assert text_width("a\u0301") == 2  # never less than the number of characters
    assert text_width("\x07") == 1


def test_fit_widths_clamps_and_ignores_extra_cells():
    rows: list[list[object]] = [["x" * 200, 3, True, "多余的列"]]
    assert fit_widths(["名称", "数", "是否"], rows) == [60, 6, 6]
    assert fit_widths(["名称"], [], minimum=3, maximum=5) == [5]
    assert fit_widths(["a"], [[None]], minimum=1) == [3]


def _loaded_after(imports: str) -> list[str]:
    code = (
        f"import sys, {imports}; "
        "print(*(m for m in ('hgcredit.io.xlsx', 'xlsxwriter', 'wcwidth') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_importing_loads_no_writer_until_one_is_used():
    # `hgcredit import` loads ledger.write at start-up; the writer comes only when writing.
    assert _loaded_after("hgcredit.cli.import_cmd, hgcredit.ledger.write") == []
    assert _loaded_after("hgcredit.io.xlsx") == ["hgcredit.io.xlsx"]


def test_csv_text_is_safe_and_numbers_stay_numbers(tmp_path: Path):
    out = tmp_path / "明细.csv"
    rows: list[list[object]] = [[name, -5, 2.5] for name in FORMULA_LIKE] + [["鹤岗", 0, None]]
    assert write_csv(out, ["名称", "=数量", "得分"], rows) == len(rows)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel opens it as UTF-8
    with out.open(encoding="utf-8-sig", newline="") as fh:
        got = list(csv.reader(fh))
    assert got[0] == ["名称", "'=数量", "得分"]
    assert [r[0] for r in got[1:-1]] == ["'" + t for t in FORMULA_LIKE]
    assert {r[1] for r in got[1:-1]} == {"-5"}  # a number is not text: no quote mark
    assert got[-1] == ["鹤岗", "0", ""]


def test_csv_write_is_atomic(tmp_path: Path):
    out = tmp_path / "明细.csv"
    out.write_text("previous", "utf-8")

    def rows():
        yield ["甲"]
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_csv(out, ["名称"], rows())
    assert out.read_text("utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["明细.csv"]
