"""Months and dates, parsed once for every command and reader.

Three kinds of text name a month: a ``--month`` option (:func:`parse_month`), a month
column's header in a ledger (:func:`header_year_month`, :func:`parse_month_header`) and a
title line or file name (:func:`title_month`). ``--as-of`` dates go through
:func:`parse_date`; the reporting deadline of a month is :func:`deadline_of`.

>>> parse_month_header("2022年11月开展行业信用评价及监管情况")
'2022-11'
>>> parse_month_header("2022-11-01"), parse_month_header("2022.11"), parse_month_header("2022/11")
('2022-11', '2022-11', '2022-11')
>>> parse_month_header("11月", default_year=2022), parse_month_header("11月")
('2022-11', None)
>>> parse_month_header("责任科室 责任人") is None
True
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from hgcredit.errors import OptionError
from hgcredit.text import halfwidth

_CN_MONTHS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
_MONTH_CN = re.compile(
    r"^(?:(\d{4})\s*年\s*(?:度\s*)?)?(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月(?!\d)"
)
_MONTH_ISO = re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})(?!\d)")
_MONTH_COMPACT = re.compile(r"^(\d{4})(0[1-9]|1[0-2])$")  # 202211
_WHOLE_MONTH = re.compile(
    r"(?:\d{4}\s*年\s*)?(?:\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月份?|\d{4}\s*[-./]\s*\d{1,2}"
)
_YEAR_IN_TITLE = re.compile(r"(\d{4})\s*年")
_MONTH_IN_TITLE = re.compile(
    r"(?<!\d)(\d{4})\s*(?:年\s*(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月|-(\d{1,2})(?![\d-]))"
)
_BRACKETED = re.compile(r"[(（【\[][^()（）【】\[\]]*[)）】\]]")
# Excel counts days from 1899-12-30 (the 1900 date system); a month header stored as such a
# number is read as a date only within these years.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIAL_YEARS = (2000, 2099)
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_ANY_MONTH = re.compile(r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月")


def header_year_month(text: str) -> tuple[int | None, int] | None:
    """(year or None, month) of a month-column header, else None.

    >>> header_year_month("11月份"), header_year_month("2022 年 十二 月"), header_year_month("202211")
    ((None, 11), (2022, 12), (2022, 11))
    >>> header_year_month("2022年度") is None, header_year_month("13月") is None
    (True, True)
    """
    t = halfwidth(text).strip()
    if "\n" in t and not (_MONTH_CN.match(t) or _MONTH_ISO.match(t)):
        # A header over two rows (``监管情况`` over ``2022年11月``): a line that is a month.
        for line in t.split("\n"):
            if _WHOLE_MONTH.fullmatch(line.strip()):
                return header_year_month(line)
        return None
    m = _MONTH_CN.match(t)
    if m:
        year = int(m.group(1)) if m.group(1) else None
        raw = m.group(2)
        month = int(raw) if raw.isdigit() else _CN_MONTHS[raw]
    else:
        m = _MONTH_ISO.match(t) or _MONTH_COMPACT.match(t)
        if not m:
            return None
        year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12 or (year is not None and not 1900 <= year <= 2999):
        return None
    return year, month


def month_header_rest(text: str) -> str | None:
    """What a month header says after its month (half-width, brackets dropped); None when
    the text does not start with a month. A header's rest is a label (``开展行业信用评价及监管情况``); a
    report's rest is prose (``开展评价，共 30 家``).

    >>> month_header_rest("2022年10月开展监管情况 (监管措施、评价情况)")
    '开展监管情况'
    >>> month_header_rest("12月开展评价，共 30 家"), month_header_rest("实施部门")
    ('开展评价,共 30 家', None)
    """
    t = halfwidth(text).strip()
    m = _MONTH_CN.match(t) or _MONTH_ISO.match(t) or _MONTH_COMPACT.match(t)
    if m is None or header_year_month(t) is None:
        return None
    rest = _BRACKETED.sub("", t[m.end() :])
    return rest.removeprefix("份").strip()


def excel_serial_month(text: str) -> tuple[int, int] | None:
    """(year, month) of a cell that holds only an Excel date serial number (days since
    1899-12-30: a date whose cell format was lost, as ``44866`` for 2022-11-01), when it
    falls within :data:`EXCEL_SERIAL_YEARS`; else None.

    >>> excel_serial_month("44866"), excel_serial_month("44866.5"), excel_serial_month("123")
    ((2022, 11), (2022, 11), None)
    """
    t = halfwidth(text).strip()
    if not _SERIAL.fullmatch(t):
        return None
    day = _EXCEL_EPOCH + dt.timedelta(days=int(float(t)))
    first, last = EXCEL_SERIAL_YEARS
    return (day.year, day.month) if first <= day.year <= last else None


def parse_month_header(text: str, default_year: int | None = None) -> str | None:
    """``YYYY-MM`` of a month-column header; a header without a year takes ``default_year``."""
    ym = header_year_month(text)
    if ym is None:
        return None
    year = ym[0] if ym[0] is not None else default_year
    if year is None:
        return None
    return f"{year:04d}-{ym[1]:02d}"


def ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def previous_month(month: str) -> str:
    """The month before ``YYYY-MM``.

    >>> previous_month("2023-01"), previous_month("2022-12")
    ('2022-12', '2022-11')
    """
    year, mon = int(month[:4]), int(month[5:7])
    return ym(year - 1, 12) if mon == 1 else ym(year, mon - 1)


def title_year(title: Iterable[str]) -> int | None:
    """The year in the nearest short title line above the header (``2022年…台账``)."""
    for line in reversed(list(title)):
        if len(line) > 60:
            continue
        m = _YEAR_IN_TITLE.search(halfwidth(line))
        if m and 1900 <= int(m.group(1)) <= 2999:
            return int(m.group(1))
    return None


def title_month(title: Iterable[str]) -> str | None:
    """The one month (``YYYY-MM``) named in the nearest title line that names any
    (``2022年11月份信用分级分类监管工作台账``); None when none does, or one names several.

    >>> title_month(["市卫健委_2022年11月", "鹤岗市信用分级分类监管工作台账"])
    '2022-11'
    >>> title_month(["2022年10月至11月工作台账"]) is None
    True
    """
    for line in reversed(list(title)):
        found = set()
        text = halfwidth(line)
        dated = 0
        for m in _MONTH_IN_TITLE.finditer(text):
            raw = m.group(2) or m.group(3)
            month = int(raw) if raw.isdigit() else _CN_MONTHS[raw]
            dated += bool(m.group(2))
            if 1 <= month <= 12 and 1900 <= int(m.group(1)) <= 2999:
                found.add(ym(int(m.group(1)), month))
        if len(_ANY_MONTH.findall(text)) > dated:  # 2022年10月至11月: which one?
            return None
        if found:
            return found.pop() if len(found) == 1 else None
    return None


def title_bare_month(title: Iterable[str]) -> int | None:
    """The one month named without a year in the nearest title line that names a month
    (``12月份工作进展``); None when that line names a year with it, several months, or none.

    >>> title_bare_month(["鹤岗海关", "12月份工作进展"]), title_bare_month(["2022年12月"])
    (12, None)
    >>> title_bare_month(["11月、12月工作进展"]) is None
    True
    """
    for line in reversed(list(title)):
        text = halfwidth(line)
        months = _ANY_MONTH.findall(text)
        if not months:
            continue
        if _MONTH_IN_TITLE.search(text):
            return None  # a dated month: title_month decides
        found = {re.sub(r"\s*月$", "", m) for m in months}
        if len(found) != 1:
            return None
        raw = found.pop()
        month = int(raw) if raw.isdigit() else _CN_MONTHS[raw]
        return month if 1 <= month <= 12 else None
    return None


# ---------------------------------------------------------------- options


def parse_month(text: str) -> str:
    """A ``--month`` value as ``YYYY-MM`` (also accepts 2022-1, 2022.11, 2022年11月).

    >>> parse_month("2022-11"), parse_month("2022年1月")
    ('2022-11', '2022-01')
    """
    t = halfwidth(text).strip()
    m = re.fullmatch(r"(\d{4})\s*(?:[-./]|年)\s*(\d{1,2})\s*月?", t)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise OptionError(f"--month “{text}” 格式不对；请写成 年-月，如 --month 2022-11")
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def parse_date(text: str) -> dt.date:
    """An ``--as-of`` value (YYYY-MM-DD)."""
    try:
        return dt.date.fromisoformat(halfwidth(text).strip())
    except ValueError:
        raise OptionError(
            f"--as-of “{text}” 不是有效日期；请写成 年-月-日，如 --as-of 2022-11-21"
        ) from None


def deadline_of(month: str, day: int) -> dt.date:
    """The day of ``month`` by which returns are due."""
    return dt.date(int(month[:4]), int(month[5:7]), day)
