"""Ledger header rows: which column holds what, and which month each month column is.

A ledger header names the department (实施部门) or domain (分级分类领域) column and at least
one month column (``2022年11月开展…情况``, ``11月``, ``2022-11``, ``202211``, an Excel date),
or else one column of the month's work without its date (``本月工作进展``). A month header
that lost its date format reads as a bare number: an Excel date serial (``44866``) right of
the fixed columns, or a month number (``12``) beside another month column, is read as the
month it is (:func:`header_layout`). Months without a year get one from the other headers,
the title, or the command's month or year (:func:`resolve_months`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from hgcredit.months import (
    excel_serial_month,
    header_year_month,
    title_bare_month,
    title_month,
    title_year,
    ym,
)
from hgcredit.text import match_key

# The header of a column of the month's work that does not say which month.
_PROGRESS = re.compile(r"本月|当月|本期|进展|进度|(?:开展|监管|推进|落实|完成|工作)情况|工作动态")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class Layout:
    """Which column holds what, from a ledger header row."""

    serial: int | None
    department: int | None
    domain: int | None
    section: int | None
    raw_months: dict[int, tuple[int | None, int]]  # column -> (year or None, month)
    months: dict[int, str] = field(default_factory=dict)  # column -> "YYYY-MM" once resolved
    # Columns like 本月工作进展 in a header with no month column: the month is in the title.
    undated: list[int] = field(default_factory=list)

    @property
    def fixed(self) -> list[int]:
        return [
            c for c in (self.serial, self.department, self.domain, self.section) if c is not None
        ]


def header_layout(cells: Sequence[str], *, months_required: bool = True) -> Layout | None:
    """The layout of a ledger header row, or None when the row is not one (with
    ``months_required`` False: a row labelling the department or domain column is one).

    >>> lay = header_layout(["序号", "实施部门", "分级分类领域", "44835", "11", "2022年12月"])
    >>> lay.department, lay.domain, lay.raw_months
    (1, 2, {5: (2022, 12), 3: (2022, 10), 4: (None, 11)})
    >>> header_layout(["序号", "实施部门", "分级分类领域", "备注"]) is None
    True
    """
    serial = department = domain = section = None
    months: dict[int, tuple[int | None, int]] = {}
    undated: list[int] = []
    numbers: list[int] = []
    for col, cell in enumerate(cells):
        if not cell or len(cell) > 200:
            continue
        found = header_year_month(cell)
        if found is not None:
            months[col] = found
            continue
        if _NUMBER.fullmatch(cell):
            numbers.append(col)
            continue
        key = match_key(cell)
        if len(key) > 20:
            continue
        if serial is None and key in ("序号", "序", "编号", "no"):
            serial = col
        elif domain is None and "领域" in key:
            domain = col
        elif department is None and ("部门" in key or "单位" in key):
            department = col
        elif section is None and ("科室" in key or "责任人" in key or "联系人" in key):
            section = col
        elif _PROGRESS.search(key):
            undated.append(col)
    if department is None and domain is None:
        return None
    fixed = [c for c in (serial, department, domain, section) if c is not None]
    _numeric_months(cells, numbers, months, after=max(fixed))
    if months_required and not (months or undated):
        return None
    return Layout(serial, department, domain, section, months, undated=[] if months else undated)


def _numeric_months(
    cells: Sequence[str], numbers: list[int], months: dict[int, tuple[int | None, int]], after: int
) -> None:
    """Month columns whose header is a bare number: an Excel date serial right of the fixed
    columns or next to a month column, and a month number 1–12 next to a month column
    (``2022年10月 | 11 | 12``)."""
    found: dict[int, tuple[int | None, int]] = {}
    for col in numbers:
        if (serial := excel_serial_month(cells[col])) is not None:
            found[col] = serial
        elif cells[col].isdigit() and 1 <= int(cells[col]) <= 12:
            found[col] = (None, int(cells[col]))
    for col, month in found.items():
        if col > after and month[0] is not None:
            months[col] = month
    grown = True
    while grown:
        grown = False
        for col, month in found.items():
            if col not in months and (col - 1 in months or col + 1 in months):
                months[col] = month
                grown = True


def is_ledger_header(cells: Sequence[str]) -> bool:
    return header_layout(cells) is not None


def resolve_months(
    layout: Layout,
    title: Sequence[str] = (),
    default_year: int | None = None,
    reference_month: str | None = None,
) -> list[int]:
    """Fill ``layout.months``; return the columns whose year could not be found.

    A header with no month column but one undated column of the month's work takes the
    month of the title rows (the file's name is the farthest title line); a title month
    without a year (``12月份工作进展``) takes its year as a month header without one does.

    A month header without a year takes it from the nearest header to its left that has one
    (the year turning over after December), else from the right, else from the title rows,
    else the year that puts it nearest ``reference_month``, else ``default_year``.
    """
    if layout.undated:
        month = title_month(title) if len(layout.undated) == 1 else None
        if month is None and len(layout.undated) == 1:
            month = _bare_title_month(title, default_year, reference_month)
        if month is None:
            return list(layout.undated)
        layout.months[layout.undated[0]] = month
        return []
    cols = sorted(layout.raw_months)
    years: dict[int, int | None] = {c: layout.raw_months[c][0] for c in cols}
    month_of = {c: layout.raw_months[c][1] for c in cols}
    if any(y is not None for y in years.values()):
        _carry_years(cols, years, month_of)
    elif (year := title_year(title)) is not None:
        years[cols[0]] = year
        _carry_years(cols, years, month_of)
    elif reference_month:
        ref = int(reference_month[:4]) * 12 + int(reference_month[5:7])
        for c in cols:
            options = [ref // 12 - 1, ref // 12, ref // 12 + 1]
            years[c] = min(options, key=lambda y: abs(y * 12 + month_of[c] - ref))
    elif default_year is not None:
        years = dict.fromkeys(cols, default_year)
    unresolved = []
    for c in cols:
        y = years[c]
        if y is None:
            unresolved.append(c)
        else:
            layout.months[c] = ym(y, month_of[c])
    return unresolved


def _bare_title_month(
    title: Sequence[str], default_year: int | None, reference_month: str | None
) -> str | None:
    """``12月份工作进展`` over an undated column: the month the title names without a year,
    in the title's year, else the year that puts it nearest ``reference_month``, else
    ``default_year`` (as for a month header without a year)."""
    month = title_bare_month(title)
    if month is None:
        return None
    year = title_year(title)
    if year is None and reference_month:
        ref = int(reference_month[:4]) * 12 + int(reference_month[5:7])
        year = min(
            (ref // 12 - 1, ref // 12, ref // 12 + 1), key=lambda y: abs(y * 12 + month - ref)
        )
    if year is None:
        year = default_year
    return None if year is None else ym(year, month)


def _carry_years(cols: list[int], years: dict[int, int | None], month_of: dict[int, int]) -> None:
    prev = None
    for c in cols:  # forwards: a smaller month than the one before is next year
        if years[c] is None and prev is not None:
            years[c] = years[prev] + (1 if month_of[c] < month_of[prev] else 0)  # type: ignore[operator]
        if years[c] is not None:
            prev = c
    nxt = None
    for c in reversed(cols):  # backwards for leading columns without a year
        if years[c] is None and nxt is not None:
            years[c] = years[nxt] - (1 if month_of[c] > month_of[nxt] else 0)  # type: ignore[operator]
        if years[c] is not None:
            nxt = c
