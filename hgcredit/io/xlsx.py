"""Writing xlsx workbooks: the one way every output workbook is made (XlsxWriter).

Every workbook written through this module is

- **atomic**: written to a temporary file beside the target and renamed into place only when
  complete, so an interrupted run leaves the previous output whole;
- **reproducible**: fixed document dates and zip member dates, so identical inputs give
  byte-identical files;
- **formula-safe**: text goes in through ``write_string`` only, and the workbook is opened
  with every string conversion off, so a name such as ``=鹤岗…`` stays text;
- **printable**: A4 landscape, one page wide, header rows repeated on every page.

A table sheet in a few lines::

    with open_workbook("双A企业.xlsx") as wb:
        ws = table_sheet(wb, "双A企业", ["序号", "企业名称"], [[1, "鹤岗市甲公司"]])

For a layout of its own (a title row, merged cells), use :func:`write_cell`,
:func:`merge_cells`, :func:`set_widths` and :func:`print_setup` on ``wb.add_worksheet()``.
A table whose columns or single cells carry their own look (wrapped text, a fill per
status) is :func:`write_formatted_table` with :class:`Styled` cells; a native chart of
cells on the same sheet is :func:`add_chart`.
Rows and columns are 0-based, as in XlsxWriter. xlsxwriter and wcwidth are imported
only when a workbook is written, so importing this module is cheap.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import numbers
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hgcredit.errors import OutputError
from hgcredit.io.outputs import atomic_path

if TYPE_CHECKING:
    from xlsxwriter.chart import Chart
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

# The notice's date (鹤信用办发〔2022〕31号): every workbook carries it as its created and
# modified date, so the bytes do not depend on when the tool ran.
FIXED_DATE = dt.datetime(2022, 11, 9)
AUTHOR = "hgcredit"

WORKBOOK_OPTIONS: dict[str, bool] = {
    # Text stays text: never turned into a formula, a number or a hyperlink.
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    # Build the package in memory: no scratch files in the system's temporary folder, and
    # every zip member gets the same fixed date (1980-01-01) whatever the time zone.
    "in_memory": True,
}

HEADER_STYLE: dict[str, object] = {"bold": True, "bg_color": "#DDEBF7", "border": 1}
"""The look of a table's header row in every workbook: bold, light blue, bordered."""

PAPER_A4 = 9
PAGE_TITLE = '&C&"黑体"&14&A'  # the sheet's name, centred, as each page's title
PAGE_NUMBERS = "&C第 &P 页，共 &N 页"

MAX_ROWS, MAX_COLS = 1_048_576, 16_384


@contextlib.contextmanager
def open_workbook(target: str | Path) -> Iterator[Workbook]:
    """Open a new workbook that becomes ``target`` when the ``with`` block ends without error.

    The workbook is written to a temporary file beside ``target`` with the fixed document
    properties and :data:`WORKBOOK_OPTIONS`, closed, and renamed into place. If the block
    raises, nothing is written and any previous ``target`` is left as it was. A missing
    folder or a file that cannot be written is an :class:`~hgcredit.errors.OutputError`.
    """
    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    with atomic_path(target) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        wb.worksheet_class = _bulk_worksheet_class()
        wb.set_properties({"created": FIXED_DATE, "author": AUTHOR})
        yield wb
        try:
            wb.close()
        except FileCreateError as exc:
            cause = exc.args[0] if exc.args else None
            if isinstance(cause, OSError):
                raise cause from None  # atomic_path says what went wrong, in Chinese
            raise


def header_format(wb: Workbook) -> Format:
    """The header format (:data:`HEADER_STYLE`) of ``wb``; identical formats share one style."""
    return wb.add_format(HEADER_STYLE)


def write_cell(ws: Worksheet, row: int, col: int, value: object, fmt: Format | None = None) -> None:
    """Write one cell: text always as text, never as a formula, number or link.

    Numbers (int, float, numpy numbers) are written as numbers; ``True``/``False`` as
    ``是``/``否``; ``None``, ``""`` and NaN as a blank cell, which is kept only when it has a
    format (a bordered empty cell); anything else (infinity included) as its ``str()``.
    A cell beyond Excel's last row or column is an :class:`~hgcredit.errors.OutputError`,
    never silently dropped.
    """
    if isinstance(value, str):
        if value:
            result = ws.write_string(row, col, value, fmt)
        else:
            result = ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        result = ws.write_string(row, col, "是" if value else "否", fmt)
    elif isinstance(value, (int, float, numbers.Real)):  # int, float first: fast
        if math.isfinite(value):
            result = ws.write_number(row, col, value, fmt)
        elif math.isnan(value):
            result = ws.write_blank(row, col, None, fmt)
        else:
            result = ws.write_string(row, col, str(value), fmt)
    elif value is None:
        result = ws.write_blank(row, col, None, fmt)
    else:
        result = ws.write_string(row, col, str(value), fmt)
    if result == -1:
        raise OutputError(
            f"工作表“{ws.name}”超出 Excel 的上限（{MAX_ROWS} 行、{MAX_COLS} 列），"
            f"无法写入第 {row + 1} 行第 {col + 1} 列"
        )


def write_row(
    ws: Worksheet, row: int, values: Sequence[object], fmt: Format | None = None, *, col: int = 0
) -> None:
    """Write ``values`` into ``row`` from column ``col`` on, each through :func:`write_cell`."""
    for j, value in enumerate(values, col):
        write_cell(ws, row, j, value, fmt)


def write_rows(ws: Worksheet, first_row: int, rows: Sequence[Sequence[object]]) -> None:
    """Write plain rows (no format) from ``first_row`` down, the values as
    :func:`write_cell` writes them, fast: on a sheet of :func:`open_workbook` the rows are
    kept as they are and turned into the sheet's XML in one go when the workbook is
    saved (a long list of tens of thousands of rows costs a fraction of cell-by-cell
    writing). Text is stored inline, so it can never be a formula. Cells written later
    with :func:`write_cell` must lie above these rows or to their right, never below.
    """
    if not rows:
        return
    last = first_row + len(rows) - 1
    width = max(len(r) for r in rows)
    if last >= MAX_ROWS or width > MAX_COLS:
        raise OutputError(
            f"工作表“{ws.name}”超出 Excel 的上限（{MAX_ROWS} 行、{MAX_COLS} 列），"
            f"无法写入第 {last + 1} 行"
        )
    add_bulk = getattr(ws, "add_bulk", None)
    if add_bulk is None:  # a sheet made elsewhere: cell by cell
        for i, values in enumerate(rows, first_row):
            write_row(ws, i, values)
        return
    add_bulk(first_row, rows, width)


# One pass: characters XML 1.0 cannot hold dropped, &, < and > escaped.
_TO_XML = str.maketrans(
    {
        **{c: None for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20))},
        **{"&": "&amp;", "<": "&lt;", ">": "&gt;"},
    }
)


def _xml_text(text: str) -> str:
    """``text`` as XML character data; most cells need no change and are not copied
    (printable text without &, < or > is returned as it is)."""
    if text.isprintable() and "&" not in text and "<" not in text and ">" not in text:
        return text
    return text.translate(_TO_XML)


def _column_names(n: int) -> list[str]:
    from xlsxwriter.utility import xl_col_to_name

    return [xl_col_to_name(j) for j in range(n)]


def _rows_xml(first_row: int, rows: Sequence[Sequence[object]]) -> str:
    """The ``<row>`` elements of plain rows: numbers as numbers, text inline (never a
    formula), True/False as 是/否, None/""/NaN left out."""
    names = _column_names(max(len(r) for r in rows))
    out: list[str] = []
    for i, values in enumerate(rows, first_row + 1):
        cells: list[str] = []
        for name, value in zip(names, values, strict=False):
            if isinstance(value, str):
                text = _xml_text(value)
                if not text:
                    continue
                space = ' xml:space="preserve"' if text != text.strip() else ""
                cells.append(f'<c r="{name}{i}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
            elif isinstance(value, bool):
                shown = "是" if value else "否"
                cells.append(f'<c r="{name}{i}" t="inlineStr"><is><t>{shown}</t></is></c>')
            elif isinstance(value, (int, float, numbers.Real)):
                if math.isfinite(value):
                    number = repr(int(value)) if isinstance(value, int) else repr(float(value))
                    cells.append(f'<c r="{name}{i}"><v>{number}</v></c>')
                elif not math.isnan(value):
                    cells.append(f'<c r="{name}{i}" t="inlineStr"><is><t>{value}</t></is></c>')
            elif value is not None:
                text = _xml_text(str(value))
                space = ' xml:space="preserve"' if text != text.strip() else ""
                cells.append(f'<c r="{name}{i}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
        out.append(f'<row r="{i}">{"".join(cells)}</row>' if cells else "")
    return "".join(out)


_BULK_CLASS: type | None = None


def _bulk_worksheet_class() -> type:
    """An XlsxWriter worksheet that also holds blocks of plain rows (:func:`write_rows`)
    and writes them after its other rows when the workbook is saved."""
    global _BULK_CLASS
    if _BULK_CLASS is not None:
        return _BULK_CLASS
    from xlsxwriter.worksheet import Worksheet as Base

    class BulkWorksheet(Base):
        def __init__(self) -> None:
            super().__init__()
            self.bulk_blocks: list[tuple[int, Sequence[Sequence[object]]]] = []
            self.bulk_start: int | None = None  # the first row of the first block

        def add_bulk(self, first_row: int, rows: Sequence[Sequence[object]], cols: int) -> None:
            self.bulk_blocks.append((first_row, rows))
            self.bulk_start = min(first_row, self.bulk_start or first_row)
            # The sheet's extent (its <dimension>, what a filter may cover).
            super()._check_dimensions(first_row, 0)
            super()._check_dimensions(first_row + len(rows) - 1, max(cols - 1, 0))

        def _check_dimensions(
            self, row: int, col: int, ignore_row: bool = False, ignore_col: bool = False
        ) -> int:
            # Every cell write and row height passes here (a filter, a chart or a
            # conditional format pass with ignore_*): one among or below the blocks turns
            # them into ordinary cells first, so the sheet's rows stay in order.
            written = not (ignore_row or ignore_col)
            if written and self.bulk_start is not None and row >= self.bulk_start:
                blocks, self.bulk_blocks, self.bulk_start = self.bulk_blocks, [], None
                for first, rows in blocks:
                    for i, values in enumerate(rows, first):
                        write_row(self, i, values)
            return int(super()._check_dimensions(row, col, ignore_row, ignore_col))

        def _write_rows(self) -> None:
            super()._write_rows()
            for first, rows in sorted(self.bulk_blocks, key=lambda b: b[0]):
                self.fh.write(_rows_xml(first, rows))

    _BULK_CLASS = BulkWorksheet
    return BulkWorksheet


def merge_cells(
    ws: Worksheet,
    first_row: int,
    first_col: int,
    last_row: int,
    last_col: int,
    value: object,
    fmt: Format | None = None,
) -> None:
    """Merge a range of cells and put ``value`` in it (text stays text).

    Every cell of the range gets ``fmt``, so borders are drawn all round. A range of one
    cell is just that cell.
    """
    if (first_row, first_col) != (last_row, last_col):
        ws.merge_range(first_row, first_col, last_row, last_col, "", fmt)
    write_cell(ws, first_row, first_col, value, fmt)


def text_width(text: str) -> int:
    """Display width of ``text`` in characters: Chinese characters count double.

    The widest line counts; never less than the number of characters.

    >>> text_width("统一社会信用代码"), text_width("A级 236户"), text_width("甲\\nABCDEFG")
    (16, 9, 7)
    """
    from wcwidth import wcswidth

    return max(max(wcswidth(line), len(line)) for line in text.split("\n"))


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else str(value)


def fit_widths(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    minimum: int = 6,
    maximum: int = 60,
) -> list[int]:
    """Column widths that fit the header and every value, Chinese text counting double.

    Two characters of padding, then clamped to ``minimum``..``maximum``.

    >>> fit_widths(["序号", "企业名称"], [[1, "鹤岗市宝泉岭建材有限公司"], [12, None]])
    [6, 26]
    """
    best = [text_width(h) for h in header]
    n = len(best)
    for row in rows:
        for j, value in zip(range(n), row, strict=False):
            shown = value if isinstance(value, str) else _shown(value)
            # The display width is at most twice the length: most cells need no measuring.
            if 2 * len(shown) > best[j]:
                best[j] = max(best[j], text_width(shown))
    return [min(max(b + 2, minimum), maximum) for b in best]


def set_widths(ws: Worksheet, widths: Sequence[float], *, col: int = 0) -> None:
    """Set column widths (in characters, as Excel shows them) from column ``col`` on."""
    for j, width in enumerate(widths, col):
        ws.set_column(j, j, width)


def write_table(
    ws: Worksheet,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    header_fmt: Format,
    *,
    widths: Sequence[float] | None = None,
    row: int = 0,
) -> int:
    """A table from ``row`` down: the header row, then the rows; returns the next free row.

    The header is written with ``header_fmt`` (see :func:`header_format`) and frozen, a
    filter covers the table when it has rows, and columns get ``widths`` (default:
    :func:`fit_widths`). Cells go through :func:`write_cell`.
    """
    if widths is None:
        widths = fit_widths(header, rows)
    for j, (title, width) in enumerate(zip(header, widths, strict=True)):
        write_cell(ws, row, j, title, header_fmt)
        ws.set_column(j, j, width)
    write_rows(ws, row + 1, rows)
    ws.freeze_panes(row + 1, 0)
    if rows:
        ws.autofilter(row, 0, row + len(rows), len(header) - 1)
    return row + 1 + len(rows)


def print_setup(
    ws: Worksheet,
    *,
    repeat_rows: tuple[int, int] | None = (0, 0),
    page_title: bool = True,
    page_numbers: bool = True,
) -> None:
    """Printable as handed to officials: A4 landscape, one page wide (as many pages long as
    needed), rows ``repeat_rows`` (first, last) on every page, the sheet's name as each
    page's title and ``第 1 页，共 3 页`` in the footer."""
    ws.set_paper(PAPER_A4)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    if repeat_rows is not None:
        ws.repeat_rows(*repeat_rows)
    if page_title:
        ws.set_header(PAGE_TITLE)
    if page_numbers:
        ws.set_footer(PAGE_NUMBERS)


def table_sheet(
    wb: Workbook,
    name: str,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    widths: Sequence[float] | None = None,
) -> Worksheet:
    """A new sheet holding one table (:func:`write_table`), set up for printing
    (:func:`print_setup`, header row on every page); returns the sheet."""
    ws = wb.add_worksheet(name)
    write_table(ws, header, rows, header_format(wb), widths=widths)
    print_setup(ws)
    return ws


LINE_HEIGHT = 15.0  # points per line of wrapped 11-point text
MAX_ROW_HEIGHT = 409.0  # Excel's limit


def wrapped_lines(text: str, width: float) -> int:
    """Roughly how many lines ``text`` takes when wrapped in a column ``width`` characters
    wide (Chinese characters counting double, as in :func:`text_width`).

    >>> wrapped_lines("鹤岗" * 10, 12), wrapped_lines("甲\\n乙", 40), wrapped_lines("", 8)
    (4, 2, 1)
    """
    room = max(int(width) - 1, 1)
    return sum(max(1, -(-text_width(part) // room)) for part in text.split("\n"))


@dataclass(frozen=True)
class Styled:
    """A cell value with a format of its own (a fill by status, a bold total), for
    :func:`write_formatted_table`; the value is still written by :func:`write_cell`."""

    value: object
    fmt: Format | None = None


def write_formatted_table(
    ws: Worksheet,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    header_fmt: Format,
    *,
    column_formats: Sequence[Format | None] | None = None,
    widths: Sequence[float] | None = None,
    row: int = 0,
) -> int:
    """:func:`write_table` where each column may have a format (``column_formats``) and
    each cell its own (a :class:`Styled` value); returns the next free row.

    The header is frozen and filtered as in :func:`write_table`. A row holding text in a
    column whose format wraps (``text_wrap``) is made tall enough for its longest cell
    (:func:`wrapped_lines`), since a spreadsheet does not grow rows written by a program.
    """
    if widths is None:
        plain = [[v.value if isinstance(v, Styled) else v for v in values] for values in rows]
        widths = fit_widths(header, plain)
    formats = list(column_formats) if column_formats is not None else [None] * len(header)
    formats += [None] * (len(header) - len(formats))
    for j, (title, width) in enumerate(zip(header, widths, strict=True)):
        write_cell(ws, row, j, title, header_fmt)
        ws.set_column(j, j, width)
    header_lines = 1
    if header_fmt.text_wrap:
        header_lines = max(wrapped_lines(t, w) for t, w in zip(header, widths, strict=True))
    if header_lines > 1:
        ws.set_row(row, min(MAX_ROW_HEIGHT, LINE_HEIGHT * header_lines + 4))
    for i, values in enumerate(rows, row + 1):
        lines = 1
        for j, value in enumerate(values):
            fmt = formats[j] if j < len(formats) else None
            if isinstance(value, Styled):
                if value.fmt is not None:
                    fmt = value.fmt
                value = value.value
            write_cell(ws, i, j, value, fmt)
            if fmt is not None and fmt.text_wrap and isinstance(value, str) and value:
                lines = max(lines, wrapped_lines(value, widths[j]))
        if lines > 1:
            ws.set_row(i, min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines + 4))
    ws.freeze_panes(row + 1, 0)
    if rows:
        ws.autofilter(row, 0, row + len(rows), len(header) - 1)
    return row + 1 + len(rows)


CHART_KINDS = ("area", "bar", "column", "line", "pie", "doughnut", "radar", "scatter")
CellRange = tuple[int, int, int, int]
"""Cells of one sheet: (first row, first column, last row, last column), 0-based."""


@dataclass(frozen=True)
class ChartSeries:
    """One series of a chart: its name and the cells of its values (one row or column)."""

    name: str
    values: CellRange
    colour: str | None = None  # "#70AD47"; None: the chart's own palette


def add_chart(
    wb: Workbook,
    ws: Worksheet,
    at: tuple[int, int],
    *,
    kind: str,
    categories: CellRange,
    series: Sequence[ChartSeries],
    title: str,
    subtype: str | None = None,
    size: tuple[int, int] = (640, 360),
    data_labels: bool = False,
    reverse_categories: bool = False,
    legend: str | None = "bottom",
    value_title: str | None = None,
    gap: int | None = None,
) -> Chart:
    """A native chart (``kind`` ``bar``, ``column``, ``line``, ``pie``; ``subtype``
    ``stacked``, ``percent_stacked``) of cells on ``ws`` itself, placed with its top left
    corner at cell ``at`` (row, column), ``size`` (width, height) in pixels.

    ``reverse_categories`` lists a bar chart's categories top-down in the sheet's order
    (Excel draws them bottom-up); ``legend=None`` hides the legend; ``data_labels`` shows
    each value (never a zero) on its bar. The chart only refers
    to cells, so it shows what the cells hold, and a rerun writes the same bytes.
    """
    if kind not in CHART_KINDS:
        raise ValueError(f"unknown chart kind {kind!r}; one of {', '.join(CHART_KINDS)}")
    options: dict[str, object] = {"type": kind}
    if subtype is not None:
        options["subtype"] = subtype
    chart = wb.add_chart(options)
    assert chart is not None
    for s in series:
        spec: dict[str, object] = {
            "name": s.name,
            "categories": [ws.name, *categories],
            "values": [ws.name, *s.values],
        }
        if s.colour is not None:
            key = "line" if kind == "line" else "fill"
            spec[key] = {"color": s.colour}
            if kind == "line":
                spec["marker"] = {
                    "type": "circle",
                    "size": 6,
                    "fill": {"color": s.colour},
                    "border": {"color": s.colour},
                }
        if data_labels:  # zeros get no label: a stacked chart would print "0" on "0"
            spec["data_labels"] = {"value": True, "num_format": "#,##0;-#,##0;;"}
        if gap is not None and kind in ("bar", "column"):
            spec["gap"] = gap
            if subtype in ("stacked", "percent_stacked"):
                spec["overlap"] = 100
        chart.add_series(spec)
    chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
    chart.set_legend({"none": True} if legend is None else {"position": legend})
    category_axis = "set_y_axis" if kind == "bar" else "set_x_axis"
    value_axis = "set_x_axis" if kind == "bar" else "set_y_axis"
    if reverse_categories:
        getattr(chart, category_axis)({"reverse": True})
    if value_title is not None:
        getattr(chart, value_axis)({"name": value_title, "major_gridlines": {"visible": True}})
    chart.set_size({"width": size[0], "height": size[1]})
    ws.insert_chart(at[0], at[1], chart, {"object_position": 3})
    return chart


__all__ = [
    "AUTHOR",
    "FIXED_DATE",
    "HEADER_STYLE",
    "LINE_HEIGHT",
    "WORKBOOK_OPTIONS",
    "CellRange",
    "ChartSeries",
    "Styled",
    "add_chart",
    "fit_widths",
    "header_format",
    "merge_cells",
    "open_workbook",
    "print_setup",
    "set_widths",
    "table_sheet",
    "text_width",
    "wrapped_lines",
    "write_cell",
    "write_formatted_table",
    "write_row",
    "write_table",
]
