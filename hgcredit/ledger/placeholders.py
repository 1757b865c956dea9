"""Is a ledger cell only a placeholder (无, 同上月, 详见附件 …) rather than a report?

The words are the registry's ``placeholders``; around them a clerk adds a time word in
front (``本月无新增``, ``目前暂无``, ``12月暂无新进展``), what the cell is about (``本月工作同上``,
``工作进展：无``), or a pointer to where the content is said to be (``同上（见10月）``,
``详见附件``), and writes "same as month N" in several ways (``同10月``, ``与上月相同``).
None of these add content, so they are stripped first.

>>> words = frozenset({"无", "暂无", "同上", "同上月", "无新增"})
>>> [is_placeholder(t, words) for t in ("本月无新增。", "同上（见10月）", "详见附件", "与上月相同")]
[True, True, True, True]
>>> [is_placeholder(t, words) for t in ("本月工作同上", "本月工作情况：同上月", "工作进展：暂无")]
[True, True, True]
>>> [is_placeholder(t, words) for t in ("12月无新增。", "十二月份工作同上", "12月新增A级1家")]
[True, True, False]
>>> [is_placeholder(t, words) for t in ("A级5家，详见附件", "无新增失信企业，完成检查 3 家")]
[False, False]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from hgcredit.text import halfwidth

_MONTH = r"(?:上月|上期|前期|\d{1,2}月份?)"
# A time word, then what the cell is about (工作, 工作情况, 进展 …), both optional.
_TIME_WORD = re.compile(
    r"^(?:本月|当月|本期|目前|截至目前|截止目前|截至本月|(?:\d{1,2}|十[一二]?|[一二三四五六七八九])月份?)?"
    r"(?:工作|监管|开展)?(?:情况|进展|进度|动态|内容)?"
)
_POINTER = re.compile(rf"(?:详见|参见|见)(?:{_MONTH}|附件|附表)(?:台账|报送|内容|情况)?$")
_SAME_AS = re.compile(rf"^(?:同{_MONTH}|与{_MONTH}(?:相同|一致)|同上月情况)$")


def content_key(text: str) -> str:
    """The text without whitespace, punctuation or symbols, half-width and lower case.

    >>> content_key("同上月。"), content_key(" —— "), content_key("Ｎ/Ａ")
    ('同上月', '', 'na')
    """
    t = halfwidth(text).lower()
    return "".join(ch for ch in t if unicodedata.category(ch)[0] not in "PSZC")


# No placeholder, with a time word before it and a pointer after it, has this many characters.
_LONGEST = 100


def is_placeholder(text: str, placeholders: Iterable[str]) -> bool:
    """True when a non-empty text says nothing but a placeholder word (see the module)."""
    if len(content_key(text[: 4 * _LONGEST])) > _LONGEST:
        return False  # a long text is content (and a 10 MB cell is not scanned whole)
    keys = {content_key(p) for p in placeholders}
    key = content_key(text)
    if key in keys or not key:
        return True
    key = _POINTER.sub("", _TIME_WORD.sub("", key))
    return key in keys or not key or bool(_SAME_AS.match(key))
