"""Entity counts in running text: a number followed by 家/户/个/所/座/名/位.

Text is first normalised (:func:`normalise`: half width, no spaces). A count is refused
when it is an ordinal (第一家), part of a word (统一家政, 一户一档, 家政, 户籍, 名单),
counts levels or times (五个等级, 3家次), or 个 does not count entities (两个在建工程项目,
四个专业). Approximate counts (约30户, 100余家, 不少于) are kept but marked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from hgcredit.ratings.numbers import CHINESE_CHARS, NUMBER_PATTERN, parse_number
from hgcredit.text import halfwidth

UNITS = "家户个所座名位"
_COUNT_RE = re.compile(
    r"(?P<pre>大约|将近|接近|不少于|不超过|不足|超过|至少|最多|约|近|逾|超|前|第)?"
    rf"(?P<num>{NUMBER_PATTERN})(?P<approx>余|多)?(?P<unit>[{UNITS}])"
)
_APPROX_PRE = {"大约", "将近", "接近", "不少于", "不超过", "不足", "超过", "至少", "最多", "约"}
_APPROX_PRE |= {"近", "逾", "超", "前"}
# Words a unit character starts that are not a unit (家政, 户籍, 所有, 名单 …).
_NOT_UNIT = {
    "家": "政庭属长族乡园具电用居次务",
    "户": "籍口外型主次头",
    "所": "属有在以得需谓长述列示",
    "座": "谈位次",
    "名": "单称录次额义列牌",
    "位": "于置次",
}
# 个 is a unit only before an entity word, a verdict, or the end of the clause.
_GE_NEXT = re.compile(
    r"(?:$|[、,;:。)）]|企业|单位|法人|分支|机构|网点|主体|市场主体|经营|商户|门店|场所|站|公司|"
    r"合作社|医院|学校|药店|煤矿|矿|被|评|为|均|获|定点|养老|家政|快递|工地|项目部|网吧|旅行社|[A-Z])"
)
# A unit followed by these counts levels or times, not entities (五个等级, 3家次).
_AFTER_UNIT_BLOCK = re.compile(r"(?:等级|级别|档次|类别|级|类|次)")
# Words that end in 一 without being the number one (统一、唯一、第一 …).
_WORD_ENDS_ONE = "统唯万之第同单每某任逐划"


@dataclass(frozen=True)
class Count:
    """An entity count in a clause: `236户`, `十家`, `13个`."""

    value: int
    start: int
    end: int
    approx: bool = False


def normalise(text: str) -> str:
    """Half-width, no whitespace (a space between two digits is kept)."""
    text = halfwidth(text)
    text = re.sub(r"(?<=\d)\s+(?=\d)", "\x00", text)
    text = re.sub(r"\s+", "", text)
    return text.replace("\x00", " ")


def find_counts(text: str, skip: Sequence[tuple[int, int]] = ()) -> list[Count]:
    """Entity counts in normalised text (not ordinals, dates, scores or percentages).

    ``skip``: (start, end) spans that hold something else (a level mention).

    >>> [c.value for c in find_counts("A级236户、B级3,495户、其中860分两家、唯一一家")]
    [236, 3495, 2, 1]
    >>> find_counts("分为五个等级,2021年度,检查2次,占10%,第一家,统一家政,一户一档")
    []
    >>> [(c.value, c.approx) for c in find_counts("100余家,约30户")]
    [(100, True), (30, True)]
    """
    out: list[Count] = []
    for m in _COUNT_RE.finditer(text):
        pre, num, unit = m.group("pre") or "", m.group("num"), m.group("unit")
        start = m.start("num")
        if pre == "第":
            continue  # ordinal
        if any(s < m.end() and start < e for s, e in skip):
            continue
        value = parse_number(num)
        if value is None and num[0] in CHINESE_CHARS:
            # 唯一一家: the numeral is the longest well-formed tail of the run.
            for i in range(1, len(num)):
                value = parse_number(num[i:])
                if value is not None:
                    start += i
                    num = num[i:]
                    break
        if value is None:
            continue
        before = text[start - 1 : start]
        if num[0] == "一" and before and before in _WORD_ENDS_ONE:
            continue
        if num[0].isdigit() and re.match(r"[A-Za-z.]", before):
            continue
        after = text[m.end() :]
        if after[:1] and (after[0] in _NOT_UNIT.get(unit, "") or after[0] in CHINESE_CHARS):
            continue
        if after[:1].isdigit() or _AFTER_UNIT_BLOCK.match(after):
            continue
        if unit == "个" and not _GE_NEXT.match(after):
            continue
        approx = pre in _APPROX_PRE or bool(m.group("approx"))
        out.append(Count(value, start, m.end(), approx))
    return out
