"""Writers for xlsx (openpyxl), xls (xlwt), ods (odfpy) and csv, all deterministic."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sample_gen.common import AUTHOR, FIXED_TIME, ZIP_TIME


def set_text_cell(cell: Any, value: object) -> None:
    """Put a value into an openpyxl cell; strings stay strings, never formulas."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def normalise_zip(path: Path, *, core_xml: bool = False) -> None:
    """Rewrite a zip (xlsx/ods) with fixed entry times so its bytes are the same on every run."""
    with zipfile.ZipFile(path) as zin:
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zout:
        for info, data in items:
            if core_xml and info.filename == "docProps/core.xml":
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = info.compress_type
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            zout.writestr(zi, data)
    path.write_bytes(buf.getvalue())


@dataclass
class Sheet:
    """One sheet to write: title lines above a header, body rows, merged ranges."""

    name: str
    header: list[str]
    rows: list[list[Any]]
    titles: list[str] = field(default_factory=list)
    # (first_row, first_col, last_row, last_col), 0-based, relative to the first body row
    body_merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)


def _xlsx_styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin", color="000000")
    return {
        "title_font": Font(name="方正小标宋简体", size=16),
        "head_font": Font(name="黑体", size=11),
        "body_font": Font(name="宋体", size=10),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "wrap": Alignment(horizontal="left", vertical="center", wrap_text=True),
    }


def _row_height(values: Sequence[Any], widths: Sequence[float]) -> float | None:
    """Rough height so wrapped text shows (openpyxl does not compute it)."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if isinstance(value, str) and value:
            chars_per_line = max(int(width / 2.1), 1)
            lines = max(lines, -(-len(value) // chars_per_line) + value.count("\n"))
    return None if lines <= 1 else min(13.5 * lines, 409)


def write_xlsx(path: Path, sheets: Sequence[Sheet], *, styled: bool = True) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    props = wb.properties
    props.creator = AUTHOR
    props.lastModifiedBy = AUTHOR
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    st = _xlsx_styles()
    for spec in sheets:
        ws = wb.create_sheet(spec.name)
        ncol = len(spec.header)
        r = 1
        for title in spec.titles:
            cell = ws.cell(row=r, column=1)
            set_text_cell(cell, title)
            if ncol > 1:
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
            if styled:
                cell.font = st["title_font"]
                cell.alignment = st["center"]
                ws.row_dimensions[r].height = 30
            r += 1
        header_row = r
        for c, name in enumerate(spec.header, 1):
            cell = ws.cell(row=r, column=c)
            set_text_cell(cell, name)
            if styled:
                cell.font = st["head_font"]
                cell.alignment = st["center"]
                cell.border = st["border"]
        r += 1
        first_body = r
        for values in spec.rows:
            for c, value in enumerate(values, 1):
                cell = ws.cell(row=r, column=c)
                if isinstance(value, str):
                    set_text_cell(cell, value)
                elif value is not None:
                    cell.value = value
                if styled:
                    cell.font = st["body_font"]
                    cell.border = st["border"]
                    cell.alignment = st["wrap"] if c > 3 else st["center"]
            if styled and spec.widths:
                height = _row_height(values, spec.widths)
                if height:
                    ws.row_dimensions[r].height = height
            r += 1
        for r1, c1, r2, c2 in spec.body_merges:
            ws.merge_cells(
                start_row=first_body + r1,
                start_column=c1 + 1,
                end_row=first_body + r2,
                end_column=c2 + 1,
            )
        for c, width in enumerate(spec.widths, 1):
            ws.column_dimensions[get_column_letter(c)].width = width
        if styled:
            ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
            ws.print_title_rows = f"{header_row}:{header_row}"
            ws.page_setup.orientation = "landscape"
            ws.page_setup.paperSize = ws.PAPERSIZE_A4
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    normalise_zip(path, core_xml=True)


def write_xls(path: Path, sheets: Sequence[Sheet]) -> None:
    """Legacy Excel 97-2003 workbook (xlwt), as old office PCs still save."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    title_style = xlwt.easyxf(
        "font: name 宋体, height 320, bold on; align: horiz center, vert center"
    )
    head_style = xlwt.easyxf(
        "font: name 黑体, height 220; align: horiz center, vert center, wrap on; "
        "borders: left thin, right thin, top thin, bottom thin"
    )
    body_style = xlwt.easyxf(
        "font: name 宋体, height 200; align: vert center, wrap on; "
        "borders: left thin, right thin, top thin, bottom thin"
    )
    for spec in sheets:
        ws = wb.add_sheet(spec.name)
        ncol = len(spec.header)
        r = 0
        for title in spec.titles:
            ws.write_merge(r, r, 0, ncol - 1, title, title_style)
            r += 1
        for c, name in enumerate(spec.header):
            ws.write(r, c, name, head_style)
        r += 1
        merged_cells = set()
        for r1, c1, r2, c2 in spec.body_merges:
            ws.write_merge(r + r1, r + r2, c1, c2, spec.rows[r1][c1], body_style)
            merged_cells |= {(a, b) for a in range(r1, r2 + 1) for b in range(c1, c2 + 1)}
        for i, values in enumerate(spec.rows):
            for c, value in enumerate(values):
                if (i, c) not in merged_cells:
                    ws.write(r + i, c, value if value is not None else "", body_style)
        for c, width in enumerate(spec.widths):
            ws.col(c).width = int(width * 256)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))


def write_ods(path: Path, sheets: Sequence[Sheet]) -> None:
    """OpenDocument spreadsheet (odfpy), as WPS/LibreOffice users save."""
    from odf.element import Element
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    # odfpy keeps the namespaces it has seen in one class-level dict and declares them all in
    # every later document; start from empty so each run writes the same bytes.
    Element.namespaces.clear()
    doc = OpenDocumentSpreadsheet()

    def text_cell(value: str, span: int = 1) -> Any:
        cell = (
            TableCell(valuetype="string", numbercolumnsspanned=span)
            if span > 1
            else TableCell(valuetype="string")
        )
        for line in value.split("\n"):
            cell.addElement(P(text=line))
        return cell

    for spec in sheets:
        table = Table(name=spec.name)
        ncol = len(spec.header)
        for title in spec.titles:
            tr = TableRow()
            tr.addElement(text_cell(title, ncol))
            for _ in range(ncol - 1):
                tr.addElement(CoveredTableCell())
            table.addElement(tr)
        for values in [spec.header, *spec.rows]:
            tr = TableRow()
            for value in values:
                if value is None or value == "":
                    tr.addElement(TableCell())
                elif isinstance(value, int | float):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                    tr.addElement(cell)
                else:
                    tr.addElement(text_cell(str(value)))
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    normalise_zip(path)


def write_csv(path: Path, sheet: Sheet, encoding: str) -> None:
    """A csv as Excel exports it: CRLF lines, title row padded with commas."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    ncol = len(sheet.header)
    for title in sheet.titles:
        writer.writerow([title] + [""] * (ncol - 1))
    writer.writerow(sheet.header)
    for values in sheet.rows:
        writer.writerow(["" if v is None else v for v in values])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode(encoding))
