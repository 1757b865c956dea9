"""Write a ledger as the office keeps it: the seed's layout (鹤信用办发〔2022〕31号 附件1).

Title row merged across, the fixed columns, one column per month, one row per domain in
registry order, 市公安局's serial/department/section merged over its two rows, wrapped text.

An Excel cell holds at most :data:`EXCEL_CELL_CHARS` characters. A longer text is cut to that
in the workbook, and the whole of it is written beside the workbook (:func:`full_text_path`,
``台账_全文.txt``); :class:`WrittenLedger` says which cells were cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hgcredit.io.outputs import atomic_path
from hgcredit.ledger.model import Entry, Ledger
from hgcredit.ledger.read import MONTH_TITLE
from hgcredit.registry import Domain
from hgcredit.text import match_key

SHEET_NAME = "工作推进台账"
FIXED_HEADERS = ("序号", "实施部门", "分级分类领域", "责任科室 责任人")
FIXED_WIDTHS = (6, 14, 18, 22)
MONTH_WIDTH = 60
LINE_HEIGHT = 15  # points per wrapped line
EXCEL_CELL_CHARS = 32_767  # the most characters an Excel cell holds


@dataclass(frozen=True)
class CutCell:
    """A text longer than an Excel cell holds, cut in the workbook and kept whole beside it."""

    department: str
    domain: str
    month: str  # YYYY-MM, or the column's header (责任科室 责任人)
    chars: int
    location: str  # where the text came from (file[sheet] 第N行 第X列), when known
    text: str = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "department": self.department,
            "domain": self.domain,
            "month": self.month,
            "chars": self.chars,
            "location": self.location,
        }


@dataclass
class WrittenLedger:
    """What :func:`write_ledger` wrote: the workbook, and the full texts of cut cells."""

    path: Path
    cut: list[CutCell] = field(default_factory=list)
    full_text: Path | None = None  # written only when a cell was cut


def full_text_path(path: str | Path) -> Path:
    """Where the whole of texts too long for a cell go: ``台账.xlsx`` → ``台账_全文.txt``."""
    p = Path(path)
    return p.with_name(f"{p.stem}_全文.txt")


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


def _fit(text: str, domain: Domain, column: str, location: str, cut: list[CutCell]) -> str:
    """``text`` as the workbook can hold it; a longer one is cut and noted in ``cut``."""
    if len(text) <= EXCEL_CELL_CHARS:
        return text
    cut.append(CutCell(domain.department, domain.domain, column, len(text), location, text))
    return text[:EXCEL_CELL_CHARS]


def _month_text(entry: Entry | None, domain: Domain, month: str, cut: list[CutCell]) -> str:
    return _fit(entry.text, domain, month, entry.location, cut) if entry is not None else ""


def write_full_texts(cut: Sequence[CutCell], path: Path, workbook: Path) -> None:
    """The whole texts of the cells cut in ``workbook``, as UTF-8 text, atomically."""
    lines = [
        f"{workbook.name}：以下 {len(cut)} 格的内容超过 Excel 单元格上限 {EXCEL_CELL_CHARS:,} 字，"
        f"台账工作簿中只保留了每格的前 {EXCEL_CELL_CHARS:,} 字；这里是全文。",
    ]
    for c in cut:
        lines += [
            "",
            f"== {c.department} {c.domain} {c.month}（共 {c.chars:,} 字"
            + (f"，来自 {c.location}" if c.location else "")
            + "）==",
            c.text,
        ]
    with atomic_path(path) as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_ledger(
    ledger: Ledger, path: str | Path, *, months: Sequence[str] | None = None
) -> WrittenLedger:
    """Write the ledger in the seed's layout (title, header, one row per domain), atomically.

    Texts longer than an Excel cell holds are cut in the workbook and written whole to
    :func:`full_text_path` (only then); the result lists them.
    """
    # Imported here: `hgcredit import` loads this module at start-up, the writer only now.
    from hgcredit.io.xlsx import merge_cells, open_workbook, print_setup, set_widths, write_row

    cols = list(months if months is not None else ledger.months)
    reg = ledger.registry
    domains = list(reg.domains)
    width = len(FIXED_HEADERS) + len(cols)
    headers = [*FIXED_HEADERS, *(MONTH_TITLE.format(year=m[:4], month=int(m[5:7])) for m in cols)]
    widths = [*FIXED_WIDTHS, *([MONTH_WIDTH] * len(cols))]
    cut: list[CutCell] = []
    body = [
        [
            d.serial,
            d.department,
            d.domain,
            _fit(section_text(ledger, d), d, FIXED_HEADERS[3], "", cut),
        ]
        + [_month_text(ledger.entry(d.domain, m), d, m, cut) for m in cols]
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
    written = WrittenLedger(Path(path), cut)
    if cut:
        written.full_text = full_text_path(path)
        write_full_texts(cut, written.full_text, Path(path))
    return written
