"""Entity counts in running text: a number followed by a measure word that counts entities.

Text is first normalised (:func:`normalise`: half width, no spaces). What each measure word
counts decides whether a number is a count of the entities a domain rates:

- 家, 户, 所 count entities (`236户`, `十家`, `12所学校`), unless the character starts
  another word (家政, 户籍, 所有);
- 个, 处, 座 count anything, so they count entities only beside an entity noun (`煤矿12处`,
  `12处煤矿`, `13个法人企业`, `网点4个`) or right after a level (`A级2个`, `C类12处`), not
  things (`问题19个`, `隐患27处`, `在建项目18个`, `桥梁3座`);
- 名, 人, 位 count people (`3名执法人员`, `37名劳动者`): never entities (:func:`find_people`
  finds them, so that a level given a number of people can be reviewed).

A count is also refused when it is an ordinal (第一家), part of a word (统一家政, 一户一档),
or counts levels or times (五个等级, 3家次). Approximate counts (约30户, 100余家, 不少于) are
kept but marked. A numeral right after the unit is another number (`一家一策`) unless it
opens a qualifier (`20家二级以上医疗机构`, `12家3A级景区`: the grade qualifies what is counted).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from hgcredit.ratings.numbers import CHINESE_CHARS, NUMBER_PATTERN, parse_number
from hgcredit.text import halfwidth

ENTITY_UNITS = "家户所"  # count entities
NOUN_UNITS = "个处座"  # count entities only beside an entity noun or a level
PEOPLE_UNITS = "名人位"  # count people
UNITS = ENTITY_UNITS + NOUN_UNITS
_COUNT_RE = re.compile(
    r"(?P<pre>大约|将近|接近|不少于|不超过|不足|超过|至少|最多|约|近|逾|超|前|第)?"
    rf"(?P<num>{NUMBER_PATTERN})(?P<approx>余|多)?(?P<unit>[{UNITS}])"
)
_PEOPLE_RE = re.compile(rf"(?P<num>{NUMBER_PATTERN})(?:余|多)?(?P<unit>[{PEOPLE_UNITS}])")
_APPROX_PRE = {"大约", "将近", "接近", "不少于", "不超过", "不足", "超过", "至少", "最多", "约"}
_APPROX_PRE |= {"近", "逾", "超", "前"}
# Words a unit character starts that are not a unit (家政, 户籍, 所有, 处罚 …).
_NOT_UNIT = {
    "家": "政庭属长族乡园具电用居次务",
    "户": "籍口外型主次头",
    "所": "属有在以得需谓长述列示",
    "座": "谈位次",
    "处": "罚理置室长于分",
    "名": "单称录次额义列牌",
    "位": "于置次",
}
# The kinds of entity the domains rate, as a counted noun is written (longest first where one
# starts another). Shared with the noun-unit rule and, through ENTITY_NOUN, with the reader.
ENTITY_NOUN = (
    r"企业|单位|法人|分支机构|机构|网点|市场主体|主体|经营户|商户|门店|场所|站点|公司|合作社|医院|"
    r"诊所|卫生院|学校|幼儿园|药店|药房|煤矿|矿井|矿山|工地|项目部|网吧|旅行社|景区|宾馆|酒店|"
    r"养老院|敬老院|福利院|粮库|库点|加油站|加气站|矿|站|厂"
)
# After 个/处/座: an entity noun (or the start of one: 定点医药机构, 家政企业), a verdict, or
# a level (`13个A级企业`).
_NOUN_NEXT = re.compile(rf"(?:{ENTITY_NOUN}|分支|经营|定点|养老|家政|快递|被|评|为|均|获|[A-Z])")
# Before the number of 个/处/座 at the end of a phrase: the entity noun it counts or a
# letter grade, maybe with a total word (`煤矿12处`, `主体共80个`, `A级2个`). A level of
# another form is passed in ``skip`` (see find_counts).
_NOUN_BEFORE = re.compile(
    rf"(?:{ENTITY_NOUN}|(?<![A-Za-z0-9])[A-Za-z]{{1,3}}[级类])(?:共计|合计|总计|共有|共|有|为|是|达|计)?$"
)
# What may follow the count of 个/处/座 after its noun: the end of the phrase, or what is
# done with the counted (`主体80个开展复核`), not another noun (`企业3个工作日内`).
_END = re.compile(
    r"$|[、,;:。)）(]|开展|进行|实施|参评|参加|接受|纳入|列入|完成|被|均|全部|已|中|的"
)
# A unit followed by these counts levels or times, not entities (五个等级, 3家次).
_AFTER_UNIT_BLOCK = re.compile(r"(?:等级|级别|档次|类别|级|类|次)")
# A grade of another kind that qualifies what is counted, written with a numeral: 二级以上
# (医疗机构), 三甲 (医院), 3A级 (景区), 一级 (资质). Not another number.
QUALIFIER = re.compile(
    rf"(?:\d+|[{CHINESE_CHARS}]+)[A-Za-z]{{0,3}}(?:级|类|星|甲|乙|等)(?:及?以上|及?以下)?"
)
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
    >>> [c.value for c in find_counts("B级3 512户、C级12 3家")]
    [3512]
    >>> find_counts("分为五个等级,2021年度,检查2次,占10%,第一家,统一家政,一户一档")
    []
    >>> [(c.value, c.approx) for c in find_counts("100余家,约30户")]
    [(100, True), (30, True)]
    >>> [c.value for c in find_counts("全市煤矿12处,发现隐患27处,对20家二级以上医疗机构,3名执法人员")]
    [12, 20]
    """
    out: list[Count] = []
    for m in _COUNT_RE.finditer(text):
        pre, num, unit = m.group("pre") or "", m.group("num"), m.group("unit")
        start = m.start("num")
        if pre == "第":
            continue  # ordinal
        if any(s < m.end() and start < e for s, e in skip):
            continue  # inside a level mention
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
        if num[0].isdigit() and re.fullmatch(r"\d ", text[max(start - 2, 0) : start]):
            continue  # the end of digits a space broke up that are no thousands (`12 3家`)
        after = text[m.end() :]
        if after[:1] and after[0] in _NOT_UNIT.get(unit, ""):
            continue
        numeral_next = after[:1] and (after[0] in CHINESE_CHARS or after[0].isdigit())
        if numeral_next and not QUALIFIER.match(after):
            continue  # another number (`一家一策`), unless it opens a qualifier
        if _AFTER_UNIT_BLOCK.match(after):
            continue
        if unit in NOUN_UNITS and not _NOUN_NEXT.match(after):
            head = text[: m.start()]
            beside_level = any(
                e <= m.start() and text[e : m.start()] in ("", "为", "是", ":") for _, e in skip
            )
            if not (_END.match(after) and (beside_level or _NOUN_BEFORE.search(head))):
                continue
        approx = pre in _APPROX_PRE or bool(m.group("approx"))
        out.append(Count(value, start, m.end(), approx))
    return out


def find_people(text: str) -> list[Count]:
    """Numbers of people (名, 人, 位) in normalised text: never counts of entities, found so
    that a level given one can be reviewed rather than passed over.

    >>> [c.value for c in find_people("出动执法人员3名,为37名劳动者,名单,A级五位")]
    [3, 37, 5]
    """
    out: list[Count] = []
    for m in _PEOPLE_RE.finditer(text):
        value = parse_number(m.group("num"))
        after = text[m.end() :]
        if value is None or (after[:1] and after[0] in _NOT_UNIT.get(m.group("unit"), "")):
            continue
        out.append(Count(value, m.start("num"), m.end(), bool(m.group(0)[-2:-1] in "余多")))
    return out
