"""Dates, months and document numbers in the forms official documents use (GB/T 9704):
Arabic numerals without zero padding, the full year in 〔〕, no 第, no leading zeros.

>>> import datetime as dt
>>> date_cn(dt.date(2022, 11, 9)), month_cn("2022-01")
('2022年11月9日', '2022年1月')
>>> doc_number("鹤信用办发[2022]第032号")
'鹤信用办发〔2022〕32号'
"""

from __future__ import annotations

import datetime as dt
import re

from hgcredit.errors import OptionError
from hgcredit.text import halfwidth

_DOC_NUMBER = re.compile(
    r"(?P<prefix>[^\s〔\[［【(（{｛]+?)\s*"
    r"[〔\[［【(（{｛]\s*(?P<year>\d{4})\s*[〕\]］】)）}｝]\s*"
    r"第?\s*(?P<number>\d+)\s*号"
)


def date_cn(day: dt.date) -> str:
    """``2022年11月21日``: Arabic numerals, no zero padding."""
    return f"{day.year}年{day.month}月{day.day}日"


def month_cn(month: str) -> str:
    """``2022-11`` → ``2022年11月``."""
    return f"{int(month[:4])}年{int(month[5:7])}月"


def doc_number(text: str, where: str = "--doc-number") -> str:
    """A document number in its official form: ``鹤信用办发〔2022〕32号``.

    Brackets typed as [] ［］ 【】 () become 〔〕, 第 and leading zeros go; anything else
    is refused with the form to use.

    >>> doc_number("鹤信用办发（2022）7号"), doc_number("鹤信用办函〔2023〕１２号")
    ('鹤信用办发〔2022〕7号', '鹤信用办函〔2023〕12号')
    >>> doc_number("32号")
    Traceback (most recent call last):
    hgcredit.errors.OptionError: --doc-number “32号” 不是发文字号；请写成 机关代字〔年份〕序号号，如 鹤信用办发〔2022〕32号
    """
    m = _DOC_NUMBER.fullmatch(halfwidth(text).strip().replace(" ", ""))
    number = int(m.group("number")) if m else 0
    if m is None or number == 0:
        raise OptionError(
            f"{where} “{text}” 不是发文字号；请写成 机关代字〔年份〕序号号，如 鹤信用办发〔2022〕32号"
        )
    return f"{m.group('prefix')}〔{m.group('year')}〕{number}号"


def doc_year(number: str) -> int:
    """The year inside a document number in official form."""
    return int(number.split("〔", 1)[1][:4])
