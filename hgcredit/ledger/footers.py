"""Lines of a return that are not a domain's row: the form's footer and notes.

A *footer* is the sign-off under the table: ``填报人：张三``, ``联系电话：0468-1234567``,
``审核人``, ``填报日期：2022年11月18日``, ``（盖章）``, ``单位（盖章）：``, ``制表人``, a date or a phone
number alone. A row is a footer when every cell in it is one of these (a name right after a
label such as ``填报人：`` counts with it). A *note* is a remark: ``注：…``, ``备注：…``,
``说明：…``, or a text wholly in brackets (``（单位：家）``).

>>> footer_row(["填报人：张三", "", "联系电话：13800000000", "审核人：李四"])
True
>>> footer_row(["填报人：", "张三", "填报日期", "2022年11月18日"]), footer_row(["（盖章）"])
(True, True)
>>> footer_row(["1", "市税务局", "纳税企业", "评价 9889 户"])
False
>>> is_note("注：本表每月 20 日前报送"), is_note("（单位：家）"), is_note("对全市 7 家企业评价")
(True, True, False)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from hgcredit.text import halfwidth

_ROLES = (
    r"(?:填报|填表|制表|报送|经办|审核|审批|复核|签发|核稿|统计)(?:人|单位|日期|时间)?"
    r"|联系人|联系电话|联系方式|电话|手机|固话"
    r"|(?:单位|部门|主要|主管|分管)?(?:负责人|领导)(?:签字|签名)?|责任人|签字|签名|单位|日期"
)
_LABEL = re.compile(rf"^(?:{_ROLES})\s*(?:\([^()]{{0,10}}\))?\s*(?::|$|\s)")
_LABEL_ONLY = re.compile(rf"^(?:{_ROLES})\s*(?:\([^()]{{0,10}}\))?\s*:?$")
_SEAL = re.compile(r"^[^,.;，。；]{0,30}\([^()]{0,8}(?:盖章|公章|签章|印章|签字|签名)\)\s*:?$")
_DATE = re.compile(
    r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*[年./-]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
    r"\s*[月./-]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日?$"
)
_PHONE = re.compile(r"^\+?[\d\s()-]{7,20}$")
_NOTE = re.compile(r"^(?:注|备注|说明|附注|注释|填报说明|填表说明)\s*\d*\s*[:、.]|^[※*]")
_BRACKETED = re.compile(r"^\([^()]*\)$")
FOOTER_CELL_CHARS = 80  # a sign-off line is short; a report's text is not
NAME_CHARS = 12  # a name or short value written in the cell after a label


def _form(text: str) -> str:
    return halfwidth(text).strip()


def footer_cell(text: str) -> bool:
    """A cell that belongs to the form's sign-off (label, seal, date or phone number)."""
    t = _form(text)
    if len(t) > FOOTER_CELL_CHARS:
        return False
    digits = sum(ch.isdigit() for ch in t)
    return bool(
        _LABEL.match(t) or _SEAL.match(t) or _DATE.match(t) or (_PHONE.match(t) and digits >= 7)
    )


def footer_row(cells: Sequence[str], *, notes: bool = False) -> bool:
    """Every non-empty cell is a :func:`footer_cell`, or a short value right after a label
    left empty (``填报人：`` | ``张三``); with ``notes``, a remark (:func:`is_note`) too.

    This is the one rule for the lines under a table: a ledger's footer, and an entity
    list's sign-off lines (:mod:`hgcredit.entities.lists`, which passes ``notes``: a remark
    is no entity either, while a ledger reports its remarks apart).

    >>> footer_row(["审核：", "李四", "注：数据截至 12 月"], notes=True)
    True
    >>> footer_row(["1", "鹤岗市甲林场", "A级"], notes=True)
    False
    """
    values = [c for c in cells if c]
    if not values:
        return False
    after_label = False
    for value in values:
        if footer_cell(value):
            after_label = bool(_LABEL_ONLY.match(_form(value)))
        elif (after_label and len(_form(value)) <= NAME_CHARS) or (notes and is_note(value)):
            after_label = False
        else:
            return False
    return True


def is_note(text: str) -> bool:
    """A remark (``注：``, ``备注：``, ``说明：``) or a text wholly in brackets."""
    t = _form(text)
    return bool(_NOTE.match(t) or _BRACKETED.match(t))
