"""Lay the summary's sheets out as a workbook for the leadership group.

Every sheet is a table with a bold, filled header row that is frozen, filtered and
repeated on every printed page; columns fitted to their Chinese text, long text wrapped;
A4 landscape, one page wide. Statuses are cell fills (green filled, yellow placeholder,
red missing, grey not yet due); charts are native Excel charts of the sheet's own cells.
Written through :mod:`hgcredit.io.xlsx`: atomically, text never a formula, identical
inputs giving identical bytes (the 说明 sheet holds the as-of date, never the clock).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from hgcredit.io.xlsx import (
    HEADER_STYLE,
    ChartSeries,
    Styled,
    add_chart,
    fit_widths,
    merge_cells,
    open_workbook,
    print_setup,
    write_cell,
    write_formatted_table,
)
from hgcredit.ledger.check import FILLED, MISSING, PLACEHOLDER
from hgcredit.month.analyse import MonthAnalysis
from hgcredit.summary.sheets import (
    BAD,
    CELL_LABELS,
    CELL_STATUSES,
    GOOD,
    UNKNOWN,
    UPCOMING,
    Filing,
    InputFile,
    Mark,
    Sheet,
    about,
    county_table,
    describe_inputs,
    enterprise_table,
    filing,
    month_title,
    overview,
    tier_header,
    tier_table,
)

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

# Fill and font colour per style key: Excel's own good / neutral / bad cell styles.
STYLE_COLOURS: dict[str, tuple[str, str]] = {
    FILLED: ("#C6EFCE", "#006100"),
    PLACEHOLDER: ("#FFEB9C", "#9C5700"),
    MISSING: ("#FFC7CE", "#9C0006"),
    UPCOMING: ("#EDEDED", "#595959"),
    UNKNOWN: ("#FFFFFF", "#808080"),
    GOOD: ("#C6EFCE", "#006100"),
    BAD: ("#FFC7CE", "#9C0006"),
}
# Chart colours: the statuses as in the cells (stronger), the tiers best to worst.
STATUS_CHART_COLOURS = {FILLED: "#70AD47", PLACEHOLDER: "#FFC000", MISSING: "#E06666"}
TIER_CHART_COLOURS = ("#70AD47", "#5B9BD5", "#FFC000", "#E06666", "#A5A5A5", "#7F6084")

WRAP_WIDTH = 36  # a wrapped column's width, in characters
MAX_WIDTH = 40
CODE_WIDTH = 22  # an 18-character code with room for wider fonts than Calibri
ABOUT_WIDTH = 72  # the 说明 sheet's text column: a path on one line
MONTH_WIDTH = 11
ROW_PIXELS = 20  # a row of 11-point text, for placing text under a chart
MONTHS_BESIDE = 6  # up to this many month columns, the trend chart goes beside the table
CELL = {"border": 1, "valign": "vcenter"}


class _Formats:
    """The workbook's formats, made once."""

    def __init__(self, wb: Workbook) -> None:
        self.header = wb.add_format(
            {**HEADER_STYLE, "text_wrap": True, "align": "center", "valign": "vcenter"}
        )
        self.cell = wb.add_format(CELL)
        self.centre = wb.add_format({**CELL, "align": "center"})
        self.wrap = wb.add_format({**CELL, "text_wrap": True})
        self.note_title = wb.add_format({"bold": True})
        self.style: dict[str, Format] = {
            key: wb.add_format({**CELL, "align": "center", "bg_color": fill, "font_color": font})
            for key, (fill, font) in STYLE_COLOURS.items()
        }
        self.total = {
            key: wb.add_format({**HEADER_STYLE, "align": "center", "bg_color": fill})
            for key, (fill, _) in STYLE_COLOURS.items()
        }

    def of(self, value: object) -> object:
        """A sheet value as a cell: a :class:`Mark` gets its style's format."""
        if isinstance(value, Mark):
            return Styled(value.value, self.style.get(value.style, self.centre))
        return value


def write_summary(
    analysis: MonthAnalysis,
    target: str | Path,
    *,
    inputs: Sequence[str | Path] = (),
    version: str | None = None,
) -> list[str]:
    """Write the month's summary workbook to ``target`` (atomically); returns the names of
    the sheets written, in order.

    ``inputs`` are the ledgers, returns and rating lists the analysis was made from (the
    double-A lists are known to the analysis); each is listed on the 说明 sheet with what
    it was taken for and its sha256. ``version`` is the tool's (``hgcredit.__version__``
    when None). The 双A企业 sheets are written when the analysis computed double-A.
    """
    if version is None:
        import hgcredit

        version = hgcredit.__version__
    described = describe_inputs(analysis, inputs)
    title = f"{month_title(analysis.month)}信用分级分类监管工作汇总"
    names = []
    with open_workbook(target) as wb:
        f = _Formats(wb)
        names.append(_overview(wb, f, analysis, title))
        names.append(_filing(wb, f, filing(analysis), title))
        names.append(_tiers(wb, f, tier_table(analysis), analysis.registry.tiers, title))
        if analysis.double_a is not None:
            names.append(_counties(wb, f, county_table(analysis.double_a), title))
            names.append(_enterprises(wb, f, enterprise_table(analysis.double_a), title))
        names.append(_about(wb, f, analysis, described, version, title))
    return names


# ---------------------------------------------------------------- layout


def _widths(sheet: Sheet) -> list[int]:
    plain = [[v.value if isinstance(v, Mark) else v for v in row] for row in sheet.rows]
    widths = fit_widths(sheet.header, plain, maximum=MAX_WIDTH)
    for j in sheet.wrap:
        widths[j] = min(widths[j], WRAP_WIDTH)
    return widths


def _table_sheet(
    wb: Workbook, f: _Formats, sheet: Sheet, title: str, widths: Sequence[int] | None = None
) -> tuple[Worksheet, int]:
    """The sheet's table, its totals row and its notes, set up for printing; returns the
    sheet and the first row free under the notes."""
    ws = wb.add_worksheet(sheet.name)
    widths = list(widths) if widths is not None else _widths(sheet)
    formats = [
        f.wrap if j in sheet.wrap else f.centre if j in sheet.centre else f.cell
        for j in range(len(sheet.header))
    ]
    rows = [[f.of(v) for v in row] for row in sheet.rows]
    end = write_formatted_table(
        ws, sheet.header, rows, f.header, column_formats=formats, widths=widths
    )
    if sheet.totals is not None:
        for j, value in enumerate(sheet.totals):
            write_cell(ws, end, j, value, f.header)
        end += 1
    if sheet.notes:
        end = _notes(ws, f, end + 1, sheet.notes, heading=sheet.heading)
    print_setup(ws)
    # The space ends the font size: "&14" followed by "2022年" would read as size 142022.
    ws.set_header(f'&C&"黑体"&14 {title} · &A')
    return ws, end


def _notes(
    ws: Worksheet, f: _Formats, row: int, notes: Sequence[str], *, heading: bool = False
) -> int:
    """Lines of text under a table, from ``row`` (the first in bold when ``heading``);
    returns the next free row."""
    for i, line in enumerate(notes):
        write_cell(ws, row + i, 0, line, f.note_title if heading and i == 0 else None)
    return row + len(notes)


def _overview(wb: Workbook, f: _Formats, analysis: MonthAnalysis, title: str) -> str:
    sheet = overview(analysis)
    _table_sheet(wb, f, sheet, title)
    return sheet.name


def _filing(wb: Workbook, f: _Formats, grid: Filing, title: str) -> str:
    """Domains × months in status colours, the trend rows, a legend and the trend chart:
    beside the table while it is narrow, else under it on a page of its own."""
    sheet = grid.sheet
    widths = _widths(sheet)
    first, n = grid.first_month_col, len(grid.months)
    for j in range(first, first + n):
        widths[j] = max(widths[j], MONTH_WIDTH)
    ws, row = _table_sheet(wb, f, sheet, title, widths)
    trend_rows = {}
    for status, label, counts in grid.trend:
        merge_cells(ws, row, 0, row, first - 1, label, f.header)
        for j, count in enumerate(counts):
            write_cell(ws, row, first + j, "" if count is None else count, f.total[status])
        write_cell(ws, row, first + n, "", f.header)
        trend_rows[status] = row
        row += 1
    row += 1
    write_cell(ws, row, 0, "图例", f.note_title)
    # 无资料 only where a cell has it; a legend wider than the month columns wraps.
    used = {c.style for r in sheet.rows for c in r if isinstance(c, Mark)}
    shown = [s for s in CELL_STATUSES if s != UNKNOWN or s in used]
    across = max(n + 1, 1)
    for j, status in enumerate(shown):
        write_cell(ws, row + j // across, first + j % across, CELL_LABELS[status], f.style[status])
    row += (len(shown) - 1) // across
    if grid.charted < 2:
        return sheet.name
    last = first + grid.charted - 1
    series = [
        ChartSeries(label, (trend_rows[s], first, trend_rows[s], last), STATUS_CHART_COLOURS[s])
        for s, label, _ in grid.trend
    ]
    if n <= MONTHS_BESIDE:
        at, size = (0, len(sheet.header) + 1), (max(420, 120 + 90 * grid.charted), 360)
    else:
        # On a page of its own: the break, then a row's gap so no edge shows above it.
        ws.set_h_pagebreaks([row + 2])
        at, size = (row + 3, 0), (min(1000, 120 + 70 * grid.charted), 360)
    add_chart(
        wb,
        ws,
        at,
        kind="column",
        subtype="stacked",
        categories=(0, first, 0, last),
        series=series,
        title="各月填报情况（领域数）",
        size=size,
        data_labels=True,
        gap=60,
    )
    return sheet.name


def _tiers(wb: Workbook, f: _Formats, sheet: Sheet, tiers: Sequence[str], title: str) -> str:
    """Unified tier counts per domain, with a stacked bar chart of each domain's shares
    beside it (one bar per domain, in the table's order)."""
    ws, _ = _table_sheet(wb, f, sheet, title)
    first = sheet.header.index(tier_header(tiers[0]))
    n = len(sheet.rows)
    palette = TIER_CHART_COLOURS
    series = [
        ChartSeries(
            sheet.header[first + k], (1, first + k, n, first + k), palette[k % len(palette)]
        )
        for k in range(len(tiers))
    ]
    if n:
        ws.set_column(len(sheet.header), len(sheet.header), 2)  # a narrow gap before the chart
        add_chart(
            wb,
            ws,
            (0, len(sheet.header) + 1),
            kind="bar",
            subtype="percent_stacked",
            categories=(1, 2, n, 2),
            series=series,
            title="各领域统一档次构成（占比）",
            size=(560, max(360, 24 * n + 120)),
            reverse_categories=True,
            gap=40,
        )
    return sheet.name


def _counties(wb: Workbook, f: _Formats, sheet: Sheet, title: str) -> str:
    """Double-A enterprises per county, a column chart beside the table (last year beside
    this year when last year's list was given), and the lists it came from underneath."""
    ws, row = _table_sheet(wb, f, replace(sheet, notes=[]), title)
    n = len(sheet.rows)
    height = 320
    if n:
        this_year = sheet.header.index("双A企业数")
        shown = [this_year] if len(sheet.header) == 2 else [this_year + 1, this_year]
        colours = {this_year: "#4472C4", this_year + 1: "#A5A5A5"}
        add_chart(
            wb,
            ws,
            (0, len(sheet.header) + 1),
            kind="column",
            categories=(1, 0, n, 0),
            series=[
                ChartSeries(sheet.header[j].replace("\n", ""), (1, j, n, j), colours[j])
                for j in shown
            ],
            title="各区县双A企业数",
            size=(min(1000, max(520, 60 * n + 120)), height),
            data_labels=True,
            legend="bottom" if len(shown) > 1 else None,
        )
        row = max(row, height // ROW_PIXELS + 1)
    _notes(ws, f, row + 1, sheet.notes)
    return sheet.name


def _enterprises(wb: Workbook, f: _Formats, sheet: Sheet, title: str) -> str:
    widths = _widths(sheet)
    widths[1] = max(widths[1], CODE_WIDTH)
    _table_sheet(wb, f, sheet, title, widths)
    return sheet.name


def _about(
    wb: Workbook,
    f: _Formats,
    analysis: MonthAnalysis,
    inputs: Sequence[InputFile],
    version: str,
    title: str,
) -> str:
    sheet = about(analysis, inputs, version)
    plain = [[v.value if isinstance(v, Mark) else v for v in row] for row in sheet.rows]
    widths = fit_widths(sheet.header, plain, maximum=ABOUT_WIDTH)
    widths[2] = 66  # a sha256 is 64 characters
    _table_sheet(wb, f, sheet, title, widths)
    return sheet.name
