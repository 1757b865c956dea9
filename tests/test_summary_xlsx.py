"""The generic pieces the summary added to hgcredit.io.xlsx: formatted tables and charts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from hgcredit.io.xlsx import (
    LINE_HEIGHT,
    ChartSeries,
    Styled,
    add_chart,
    open_workbook,
    wrapped_lines,
    write_formatted_table,
)


def test_formatted_table_column_formats_cell_styles_and_row_heights(tmp_path: Path):
    out = tmp_path / "t.xlsx"
    long = "鹤岗市" * 30  # 180 columns of text in a column 20 wide
    with open_workbook(out) as wb:
        ws = wb.add_worksheet("表")
        wrap = wb.add_format({"text_wrap": True})
        red = wb.add_format({"bg_color": "#FFC7CE"})
        end = write_formatted_table(
            ws,
            ["序号", "说明\n（长）"],
            [[1, long], [Styled(2, red), Styled("=1+1", None)], [3, "短"]],
            wb.add_format({"bold": True, "text_wrap": True}),
            column_formats=[None, wrap],
            widths=[6, 20],
        )
    assert end == 4
    ws = openpyxl.load_workbook(out)["表"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:B4"
    assert ws["B2"].alignment.wrap_text and ws["B4"].alignment.wrap_text  # the column's format
    assert ws["A3"].fill.fgColor.rgb == "FFFFC7CE"  # a cell's own format
    assert ws["B3"].value == "=1+1" and ws["B3"].data_type == "s"
    assert ws["B3"].alignment.wrap_text  # a Styled value without a format keeps the column's
    # Heights are stored in whole pixels (0.75 pt).
    assert ws.row_dimensions[2].height == pytest.approx(LINE_HEIGHT * 10 + 4, abs=0.75)
    assert ws.row_dimensions[4].height is None  # one line: left to the spreadsheet
    assert ws.row_dimensions[1].height == pytest.approx(LINE_HEIGHT * 2 + 4, abs=0.75)  # two lines
    assert wrapped_lines(long, 20) == 10


def test_add_chart_kinds_reverse_labels_and_colours(tmp_path: Path):
    out = tmp_path / "c.xlsx"
    with open_workbook(out) as wb:
        ws = wb.add_worksheet("图表")
        for i, (name, a, b) in enumerate([("甲", 1, 0), ("乙", 2, 3)]):
            ws.write_string(i, 0, name)
            ws.write_number(i, 1, a)
            ws.write_number(i, 2, b)
        add_chart(
            wb, ws, (0, 4), kind="bar", subtype="percent_stacked", categories=(0, 0, 1, 0),
            series=[ChartSeries("A", (0, 1, 1, 1), "#70AD47"), ChartSeries("B", (0, 2, 1, 2))],
            title="构成", reverse_categories=True, data_labels=True, legend=None, gap=40,
        )  # fmt: skip
        add_chart(
            wb, ws, (10, 4), kind="line", categories=(0, 0, 1, 0),
            series=[ChartSeries("趋势", (0, 1, 1, 1), "#4472C4")], title="趋势",
        )  # fmt: skip
    with zipfile.ZipFile(out) as z:
        bar = z.read("xl/charts/chart1.xml").decode()
        line = z.read("xl/charts/chart2.xml").decode()
    assert '<c:barDir val="bar"/>' in bar and '<c:grouping val="percentStacked"/>' in bar
    assert '<c:orientation val="maxMin"/>' in bar  # categories top-down, as in the sheet
    assert '<c:numFmt formatCode="#,##0;-#,##0;;"' in bar  # no label on a zero
    assert "70AD47" in bar and "<c:legend>" not in bar
    assert "<c:f>图表!$A$1:$A$2</c:f>" in bar and "<c:f>图表!$C$1:$C$2</c:f>" in bar
    assert "<c:lineChart>" in line and "4472C4" in line and "<c:legend>" in line


def test_add_chart_refuses_an_unknown_kind(tmp_path: Path):
    with (
        pytest.raises(ValueError, match="unknown chart kind"),
        open_workbook(tmp_path / "x.xlsx") as wb,
    ):
        ws = wb.add_worksheet("表")
        add_chart(wb, ws, (0, 0), kind="donut-ish", categories=(0, 0, 0, 0), series=[], title="")
    assert not (tmp_path / "x.xlsx").exists()
