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
    from hgcredit.io.xlsx import text_width

    return sum(max(1, -(-text_width(part) // max(width - 1, 1))) for part in text.split("\n"))


def write_ledger(ledger: Ledger, path: str | Path, *, months: Sequence[str] | None = None) -> None:
    """Write the ledger in the seed's layout (title, header, one row per domain), atomically."""
    # Imported here: `hgcredit import` loads this module at start-up, the writer only now.
    from hgcredit.io.xlsx import merge_cells, open_workbook, print_setup, set_widths, write_row

    cols = list(months if months is not None else ledger.months)
    reg = ledger.registry
    domains = list(reg.domains)
    width = len(FIXED_HEADERS) + len(cols)
    headers = [*FIXED_HEADERS, *(MONTH_TITLE.format(year=m[:4], month=int(m[5:7])) for m in cols)]
    widths = [*FIXED_WIDTHS, *([MONTH_WIDTH] * len(cols))]
    body = [
        [d.serial, d.department, d.domain, section_text(ledger, d)]
        + [e.text if (e := ledger.entry(d.domain, m)) else "" for m in cols]
        for d in domains
    ]

    with open_workbook(path) as wb:
        ws = wb.add_worksheet(SHEET_NAME)
        box = {"border": 1, "valign": "vcenter", "text_wrap": True}
        centre = wb.add_format({**box, "align": "center"})
        wrap = wb.add_format(box)

        title = f"{reg.city}信用分级分类监管工作推进台账"
        title_fmt = wb.add_format(
            {
                "bold": True,
                "font_size": 16,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        merge_cells(ws, 0, 0, 0, width - 1, title, title_fmt)
        ws.set_row(0, 30)

        write_row(ws, 1, headers, wb.add_format({**box, "align": "center", "bold": True}))
        set_widths(ws, widths)
        ws.set_row(1, LINE_HEIGHT * max(_lines(h, w) for h, w in zip(headers, widths, strict=True)))

        for r, values in enumerate(body, 2):
            write_row(ws, r, values[:3], centre)
            write_row(ws, r, values[3:], wrap, col=3)
            lines = max(_lines(str(v), w) for v, w in zip(values, widths, strict=True))
            ws.set_row(r, min(409, LINE_HEIGHT * lines + 6))

        # One department, several domains (市公安局): serial, department and section span
        # its rows when they are the same on each.
        first = 0
        for i in range(1, len(domains) + 1):
            if i < len(domains) and domains[i].department == domains[first].department:
                continue
            if i - first > 1:
                for c, fmt in ((0, centre), (1, centre), (3, wrap)):
                    column = {body[k][c] for k in range(first, i)}
                    if len(column) == 1:
                        merge_cells(ws, 2 + first, c, 1 + i, c, body[first][c], fmt)
            first = i

        ws.freeze_panes(2, 4)
        print_setup(ws, repeat_rows=(0, 1), page_title=False, page_numbers=False)
