"""Write a ledger as the office keeps it: the seed's layout (鹤信用办发〔2022〕31号 附件1).

Title row merged across, the fixed columns, one column per month, one row per domain in
registry order, 市公安局's serial/department/section merged over its two rows, wrapped text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hgcredit.ledger.model import Ledger
from hgcredit.ledger.read import MONTH_TITLE
from hgcredit.registry import Domain
from hgcredit.text import match_key

SHEET_NAME = "工作推进台账"
FIXED_HEADERS = ("序号", "实施部门", "分级分类领域", "责任科室 责任人")
FIXED_WIDTHS = (6, 14, 18, 22)
MONTH_WIDTH = 60
LINE_HEIGHT = 15  # points per wrapped line


def section_text(ledger: Ledger, domain: Domain) -> str:
    """责任科室 责任人 as the returns give it, else the registry's (cleaner when equal)."""
    registry_form = "/".join(v for v in (domain.person, domain.section) if v)
    given = ledger.sections.get(domain.domain, "")
    if given and match_key(given) != match_key(registry_form):
        return given
    return registry_form


def _lines(text: str, width: int) -> int:
    """Rough wrapped line count of ``text`` in a column ``width`` characters wide."""
    from wcwidth import wcswidth

    total = 0
    for part in text.split("\n") or [""]:
        shown = max(wcswidth(part), len(part))
        total += max(1, -(-shown // max(width - 1, 1)))
    return total


def write_ledger(ledger: Ledger, path: str | Path, *, months: Sequence[str] | None = None) -> None:
    """Write the ledger in the seed's layout (title, header, one row per domain), atomically."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from hgcredit.io.outputs import save_workbook, set_text_cell

    cols = list(months if months is not None else ledger.months)
    reg = ledger.registry
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_NAME
    width = len(FIXED_HEADERS) + len(cols)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")

    title = f"{reg.city}信用分级分类监管工作推进台账"
    set_text_cell(ws.cell(1, 1), title)
    ws.cell(1, 1).font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = centre
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 30

    headers = [*FIXED_HEADERS, *(MONTH_TITLE.format(year=m[:4], month=int(m[5:7])) for m in cols)]
    for c, text in enumerate(headers, 1):
        cell = ws.cell(2, c)
        set_text_cell(cell, text)
        cell.font = Font(bold=True)
        cell.alignment = centre
        cell.border = border
    widths = [*FIXED_WIDTHS, *([MONTH_WIDTH] * len(cols))]
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.row_dimensions[2].height = LINE_HEIGHT * max(
        _lines(h, w) for h, w in zip(headers, widths, strict=True)
    )

    for r, d in enumerate(reg.domains, 3):
        values: list[object] = [d.serial, d.department, d.domain, section_text(ledger, d)]
        for m in cols:
            e = ledger.entry(d.domain, m)
            values.append(e.text if e else "")
        for c, value in enumerate(values, 1):
            cell = ws.cell(r, c)
            set_text_cell(cell, value if value != "" else None)
            cell.alignment = centre if c <= 3 else wrap
            cell.border = border
        lines = max(_lines(str(v), w) for v, w in zip(values, widths, strict=True))
        ws.row_dimensions[r].height = min(409, LINE_HEIGHT * lines + 6)

    # One department, several domains (市公安局): serial, department and section span its rows.
    first = 0
    domains = list(reg.domains)
    for i in range(1, len(domains) + 1):
        if i < len(domains) and domains[i].department == domains[first].department:
            continue
        if i - first > 1:
            for c in (1, 2, 4):
                column = [ws.cell(3 + k, c).value for k in range(first, i)]
                if len(set(column)) == 1:
                    ws.merge_cells(start_row=3 + first, start_column=c, end_row=2 + i, end_column=c)
        first = i

    ws.freeze_panes = "E3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.creator = "hgcredit"
    save_workbook(wb, path)
