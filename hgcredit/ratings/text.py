"""Read rating counts out of a department's own words (one ledger cell).

Precision before recall: a count is taken only from a reading that leaves no doubt;
anything that looks like a count but cannot be read with confidence becomes a
``review`` note quoting the sentence, never a number.

How a cell is read, in order:

1. Split into sentences (。；！？ and line breaks) and each sentence into clauses at
   commas (not at a thousands separator). Book titles 《…》 are blanked; a bracket that
   holds a count (`（含 6 家分公司）`) is read as a clause of its own.
2. In each clause find the level mentions (:mod:`hgcredit.ratings.levels`) and the entity counts
   (:mod:`hgcredit.ratings.counts`: a number with 家/户/个…). Levels and counts that
   alternate (`A级236户、B级3495户`, `3家企业被评为A级`, `D类鹤岗市兴阳煤矿1家`) pair up;
   several levels sharing one count pair only when the count is 0 (`C级、D级单位0家`);
   lists pair in order with 分别 (`A级、B级分别为5家、1家`).
   A pair is refused (and reviewed) when the count is approximate (`100余家`), a change
   (`增加5家`, `较上年`), a share (`占`), or the level is a range (`A级及以上`) or not in
   the scale.
3. "All of them": a sentence with one count and one level given as its verdict, with
   均/全部/各/所有 (`169家企业均评为…B级企业`, `十家单位…等级评定为A级`).
4. Named entities: when no sentence gives a number, a sentence whose subject is one
   named organisation and whose verdict is a level (`X有限责任公司…评价等级为A级`)
   counts that organisation once (`X公司等…`, `X公司和Y公司…` are reviewed instead).
5. The same level stated twice with different numbers is a problem (the first is kept).

Stated totals: a count not tied to a level, marked as a total (共计/合计/共/累计…, or
just before 其中, or alone in a bracket: `（合计30家）`); the object of an evaluation or
of one of its rounds (`对全市77家参评企业…评价`, `纳税信用评价9889户`, `对7家企业开展信用
等级复评`, `初评`, `终评`, `信用等级复核`, but not any 复核); or a population in a scope
stated in a clause of its own right before the breakdown into levels (`全市从事保安服务的
单位6家，A级单位3家、…`), or the domain's own population so stated (`道路运输经营者62家，
AAA级8家、…`; not when something is done to them, a change, or another sentence);
never a part after 其中. Different totals mean no total (and a review note): a wrong total
would flag a report that adds up. A 其中 breakdown into categories (`其中市本级23家，县区149家`)
must add up to its total.

>>> from hgcredit.registry import load_registry
>>> r = read_text("全市共有A级单位3家，B级单位3家，C级、D级单位0家。", load_registry().domain("保安服务领域"))
>>> r.counts, r.stated_total
({'A': 3, 'B': 3, 'C': 0, 'D': 0}, None)
>>> read_text("全市从事保安服务的单位6家，A级单位3家、B级单位3家。", load_registry().domain("保安服务领域")).stated_total
6
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from hgcredit.ratings.counts import (
    ENTITY_NOUN,
    NOUN_UNITS,
    QUALIFIER,
    UNITS,
    Count,
    find_counts,
    find_people,
    normalise,
)
from hgcredit.ratings.levels import LevelMatcher, Mention, display, matcher_for
from hgcredit.ratings.notes import SentenceReading, quote, unread_notes
from hgcredit.ratings.numbers import NUMBER_PATTERN, parse_number
from hgcredit.registry import Domain
from hgcredit.text import clean_text

_SENTENCE_SPLIT = re.compile(r"(?<=[。；;！？!?\n])")
_CLAUSE_SPLIT = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))")
_TITLE = re.compile(r"《[^《》]*》")
_PAREN = re.compile(r"\([^()]*\)")
_LEVEL_SEPARATORS = re.compile(r"[、,/和及与或]*")

_CHANGE_BEFORE = re.compile(
    r"(?:新增|增加|减少|增长|下降|上升|提升|降低|净增|新评|升级|降级|调整|变化)了?$"
)
_CHANGE_AFTER = re.compile(r"被?(?:降级|升级|降为|升为|调整|调为|下调|上调|撤销|取消)")
_COMPARISON = re.compile(
    r"较上年|比上年|较去年|比去年|同比|环比|上年度|较上期|比上期|去年|上一年|(?<!同)上个?月|同期"
)
_SHARE = re.compile(r"占")
# Between a level and a count: the count is of an action on them (`从A级企业中抽查5家`).
_ACTION = re.compile(r"抽查|抽取|抽检|检查|核查|约谈|处罚|惩戒|督查|巡查|走访|整改")
_VAGUE_COUNT = re.compile(rf"(?:若干|数|几|多|部分|少数|个别|一些)[{UNITS}]")
_BARE_NUMBER = re.compile(r"\d+$")
# A number and 家/户 the count reader refused for what follows (`A级5家2022年度`).
_LOOSE_COUNT = re.compile(r"\d[家户](?![次政籍庭])")
# Between a level and a number of people given to it (`A级5名`, `A级人员为5名`).
_PEOPLE_GAP = re.compile(r"[^\d,;:、()]{0,4}")
_DISTRIBUTIVE = re.compile(r"均|全部|全都|一律|都|所有|全体|各")
_VERDICT = re.compile(
    r"(?:评为|评定为|评级为|评价为|评估为|等级为|级别为|定为|认定为|确定为|均为|都为|全部为|均是|都是|属于)"
)
# What may stand between a count and the level it was given, with no verdict verb.
_QUALIFIER_GAP = re.compile(r"(?:企业|单位|机构|主体|户)?(?:信用)?(?:等级|级别|评级)?(?:为|是)?")
_ORG = re.compile(
    r"[\u4e00-\u9fff]{2,40}?(?:股份有限公司|有限责任公司|有限公司|分公司|公司|集团|合作社|医院|学校|厂)"
)
_TOTAL_MARK = re.compile(
    r"共计|合计|总计|总共|共有|一共|累计|总数为?|总量为?|(?<!公)共(?![享同建治])"
)
_BRACKET_TOTAL = re.compile(r"(?:共计|合计|总计|共|总数)(?:为|是)?[:]?")
# An evaluation, or one of its rounds (复评, 初评, 终评). 复核 alone is any re-check (of a
# rectification, a complaint), so only a re-check of credit levels is one (信用等级复核).
_EVALUATION = re.compile(
    r"评价|评定|评估|评级|分级|考核|认定|参评|评审|评选|打分|量化|定级|[复初终]评"
    r"|(?:信用|等级|级别)(?:等级|级别)?复核"
)
# A population stated as a clause of its own, before its breakdown into levels without 其中
# (`全市从事保安服务的单位6家,A级单位3家、…`): a scope, what is counted, the count, and
# nothing done to them.
_SCOPE = re.compile(r"全市|我市|本市|全区|全县|辖区")
_NOT_A_POPULATION = re.compile(
    rf"{_ACTION.pattern}|{_COMPARISON.pattern}|{_SHARE.pattern}|对|新增|增加|减少|净增|"
    r"增长|下降|新评|升级|降级|调整|变化|培训|培育|约谈|通报|移送|立案|修复|受理|办理|发放"
)
# What may open a breakdown clause before its first level: `经评估A级3家`, `信用等级为A级5家`.
_BREAKDOWN_LEAD = re.compile(
    r"(?:经(?:评估|评价|评定|认定|复评|复核)|评定|评估|评价|信用|风险|等级|级别|评级|结果|为|是|:)*"
)
_OBJECT_END = re.compile(r"进行|开展|实施|完成")
# Between an evaluation and a count: the count is its result, not its object.
_RESULT = re.compile(r"结果|为|是|:|等级|级别|得分|分数|评出|中")
_CONJUNCTION = re.compile(r"和|及|与")
_GRADE_LIKE = re.compile(r"\d*[A-Za-z]{1,3}[级类]")
# A colon that may open a breakdown (not one in a time, 10:30).
_COLON = re.compile(r"(?<!\d):|:(?!\d)")
# What a count may be followed by and still end a population's clause: the counted noun.
_COUNTED_NOUN = re.compile(rf"[\u4e00-\u9fff]{{0,12}}?(?:{ENTITY_NOUN})")
_MARKED_NOUN_COUNT = re.compile(
    rf"(?:{_TOTAL_MARK.pattern})(?P<num>{NUMBER_PATTERN})(?P<unit>[{NOUN_UNITS}])$"
)
_TOTAL_LABEL = re.compile(rf"(?:{_TOTAL_MARK.pattern})(?:为|是)?$")
# What may stand between a level and the colon that gives its count (`A级企业:10户`).
_LABEL_GAP = re.compile(r"[^\d,;:、]{0,6}")


@dataclass
class TextRatings:
    """What one text says about a domain's levels."""

    counts: dict[str, int] = field(default_factory=dict)
    stated_total: int | None = None
    problems: list[str] = field(default_factory=list)  # the text does not add up
    review: list[str] = field(default_factory=list)  # could not be read with confidence
    # Why a text with numbers of entities gave no counts (:mod:`.notes`); only for a
    # domain that ends with no counts (a list may still give them).
    unread: list[str] = field(default_factory=list)


@dataclass
class _Clause:
    text: str
    mentions: list[Mention]
    counts: list[Count]
    nested: bool = False
    opens: bool = False  # ends with a colon that opens what follows (`网点20个:`)

    @property
    def known(self) -> list[Mention]:
        return [m for m in self.mentions if m.label is not None]


@dataclass
class _Pair:
    label: str
    value: int
    sentence: str


# ---------------------------------------------------------------- normalising


def sentences(text: str) -> Iterator[tuple[str, str]]:
    """(as written, normalised) for each sentence of a cell."""
    for raw in _SENTENCE_SPLIT.split(clean_text(text)):
        written = raw.strip()
        norm = normalise(written).rstrip("。;!?")
        if norm:
            yield written, norm


# ---------------------------------------------------------------- the reader


def read_text(text: str, domain: Domain) -> TextRatings:
    """Counts per native level, the stated total, problems and review notes for one text."""
    matcher = matcher_for(domain.scale)
    result = TextRatings()
    pairs: list[_Pair] = []
    named: dict[str, tuple[str, str]] = {}  # organisation -> (label, sentence)
    totals: list[int] = []
    read: list[tuple[str, list[_Clause], list[int]]] = []
    population = _named_population(domain)
    for written, norm in sentences(text):
        outer, clauses = _clauses(norm, matcher)
        before = len(pairs), len(result.review)
        for clause in clauses:
            _pair_clause(clause, written, pairs, result.review)
        if (len(pairs), len(result.review)) == before:
            _all_of_them(clauses, written, pairs, result.review)
        if (len(pairs), len(result.review)) == before:
            _named_entity(clauses, written, named, result.review)
        stated = _totals(outer, clauses, matcher, population)
        totals += stated
        _check_breakdown(outer, matcher, written, result.problems)
        if any(c.counts for c in clauses) and len(result.review) == before[1]:
            read.append((written, clauses, stated))  # figures and no note of its own
    if not pairs and named:
        result.counts = _sum_named(named, domain)
    else:
        result.counts = _merge_pairs(pairs, domain, result.problems)
    if not result.counts:
        readings = [_reading(*sentence) for sentence in read]
        result.unread = unread_notes(readings, [display(lv) for lv in domain.scale.labels])
    result.review = list(dict.fromkeys(result.review))
    distinct = sorted(set(totals))
    if len(distinct) == 1:
        result.stated_total = distinct[0]
    elif len(distinct) > 1:
        result.review.append(
            f"文字中有几个不同的总数（{'、'.join(map(str, distinct))}），无法确定以哪个为准，未作核对"
        )
    return result


def _reading(written: str, clauses: list[_Clause], stated: list[int]) -> SentenceReading:
    """What a sentence held, for :func:`~hgcredit.ratings.notes.unread_notes`."""
    counts = [(c.text[n.start : n.end], n.value) for c in clauses for n in c.counts]
    figures = list(dict.fromkeys(f for f, _ in counts))
    total = next((f for f, v in counts if set(stated) == {v}), None)
    mentions = [m for c in clauses for m in c.mentions]
    # Grades that are no mention at all (`5A级景区`), to name them rather than say "no level".
    unmatched = [
        g.group(0)
        for c in clauses
        for g in _GRADE_LIKE.finditer(c.text)
        if not any(m.start < g.end() and g.start() < m.end for m in c.mentions)
    ]
    return SentenceReading(
        written,
        figures,
        total,
        [display(m.label) for m in mentions if m.label is not None],
        [m.written for m in mentions if m.label is None] + unmatched,
    )


def _clauses(norm: str, matcher: LevelMatcher) -> tuple[str, list[_Clause]]:
    """The sentence without titles and counting brackets, and all its clauses."""
    text = _TITLE.sub("《》", norm)
    nested: list[str] = []

    def lift(m: re.Match[str]) -> str:
        inner = m.group(0)[1:-1]
        if find_counts(inner):
            nested.append(inner)
            return ""
        return m.group(0)

    previous = None
    while previous != text:
        previous = text
        text = _PAREN.sub(lift, text)
    clauses = [
        _clause(c, matcher, opens=o)
        for p in _CLAUSE_SPLIT.split(text)
        for c, o in _at_colons(p, matcher)
    ]
    for inner in nested:
        clauses += [
            _clause(c, matcher, nested=True, opens=o)
            for p in _CLAUSE_SPLIT.split(inner)
            for c, o in _at_colons(p, matcher)
        ]
    return text, clauses


def _at_colons(text: str, matcher: LevelMatcher) -> list[tuple[str, bool]]:
    """A clause split where a colon opens what follows (`评价结果:红榜企业2家、…`), not
    where it labels a level's count (`A级企业:10户`) or sits in a time (`10:30`); each
    piece with whether a colon that opens what follows ends it.

    >>> from hgcredit.registry import load_registry
    >>> m = matcher_for(load_registry().domain("燃气企业").scale)
    >>> _at_colons("全市7家企业评价结果:红榜企业2家、黄榜企业5家", m)
    [('全市7家企业评价结果', True), ('红榜企业2家、黄榜企业5家', False)]
    >>> _at_colons("红榜企业:2家", m), _at_colons("其中红榜1家(共:7家)", m)
    ([('红榜企业:2家', False)], [('其中红榜1家(共:7家)', False)])
    """
    pieces: list[tuple[str, bool]] = []
    start = 0
    for colon in _COLON.finditer(text):
        head = text[start : colon.start()]
        mentions = matcher.mentions(head)
        if mentions and _LABEL_GAP.fullmatch(head[mentions[-1].end :]):
            continue  # the level labels the count after the colon
        if _TOTAL_LABEL.search(head):
            continue  # so does a total (`共:28家`, `合计:62户`)
        pieces.append((head, True))
        start = colon.end()
    pieces.append((text[start:], False))
    return [(p, o) for p, o in pieces if p]


def _clause(text: str, matcher: LevelMatcher, nested: bool = False, opens: bool = False) -> _Clause:
    mentions = matcher.mentions(text)
    counts = find_counts(text, [(m.start, m.end) for m in mentions])
    return _Clause(text, mentions, counts, nested, opens)


def _pair_clause(clause: _Clause, sentence: str, pairs: list[_Pair], review: list[str]) -> None:
    text, mentions, counts = clause.text, clause.mentions, list(clause.counts)
    if not mentions:
        return
    if not counts:
        if clause.known and (
            _BARE_NUMBER.search(text) or _VAGUE_COUNT.search(text) or _LOOSE_COUNT.search(text)
        ):
            review.append(
                f"{quote(sentence)}：等级后的数量写法无法确定（缺少家/户/个，或不是确数），未计入"
            )
        elif any(
            _PEOPLE_GAP.fullmatch(text[m.end : p.start])
            for m in clause.known
            for p in find_people(text)
        ):
            review.append(f"{quote(sentence)}：等级后的数量是人数（名/人/位），不是单位数，未计入")
        return
    group = _group_before(clause)
    if group is not None:
        counts.remove(group)
        if not counts:
            return
    tokens: list[Mention | Count] = sorted([*mentions, *counts], key=lambda t: t.start)
    kinds = "".join("L" if isinstance(t, Mention) else "C" for t in tokens)
    found: list[tuple[Mention, Count]] = []
    if re.fullmatch(r"L{2,}C", kinds) and all(
        _LEVEL_SEPARATORS.fullmatch(text[a.end : b.start]) for a, b in itertools.pairwise(mentions)
    ):
        count = counts[0]
        if count.value != 0 or count.approx:
            review.append(f"{quote(sentence)}：几个等级合写一个数量，无法分到各等级，未计入")
            return
        found = [(m, count) for m in mentions]
    elif re.fullmatch(r"(?:LC)+|(?:CL)+", kinds):
        firsts, seconds = tokens[0::2], tokens[1::2]
        for a, b in zip(firsts, seconds, strict=True):
            if isinstance(a, Mention) and isinstance(b, Count):
                found.append((a, b))
            elif isinstance(b, Mention) and isinstance(a, Count):
                found.append((b, a))
    elif "分别" in text and _respectively(kinds):
        # `A级、B级企业分别为10家、20家`: levels and counts in the same order.
        found = list(zip(mentions, counts, strict=True))
    else:
        review.append(f"{quote(sentence)}：等级与数量对应不清，未计入")
        return
    for level, count in found:
        reason = _refuse(text, level, count)
        if reason:
            review.append(f"{quote(sentence)}：{reason}，未计入")
            continue
        assert level.label is not None
        pairs.append(_Pair(level.label, count.value, sentence))


def _respectively(kinds: str) -> bool:
    """n levels then n counts, or n counts then n levels (n >= 2)."""
    n = len(kinds) // 2
    return n >= 2 and kinds in ("L" * n + "C" * n, "C" * n + "L" * n)


def _refuse(text: str, level: Mention, count: Count) -> str | None:
    """Why a level–count pair cannot be taken as it stands, or None."""
    if level.label is None:
        return f"“{level.written}”不是本领域评级体系中的等级"
    if level.open_range:
        return f"“{level.written}”后面是范围（及以上/以下），不是单一等级"
    if count.approx:
        return "数量是约数"
    if (
        _CHANGE_BEFORE.search(text[: count.start])
        or _CHANGE_BEFORE.search(text[: level.start])
        or _CHANGE_AFTER.match(text[count.end :])
    ):
        return "这是增减的数量，不是现有数量"
    if _COMPARISON.search(text):
        return "这是与以前比较的数量"
    if count.end <= level.start:
        # Count before level: only a verdict may join them (`5家企业被评为AAA级`), not any verb
        # (`对2家有认证意向的企业…`, where 认证 is a word, not the grade).
        gap = text[count.end : level.start]
        if not (_VERDICT.search(gap) or _QUALIFIER_GAP.fullmatch(gap)):
            return f"“{text[count.start : count.end]}”与“{level.written}”之间不是评定关系"
    lo, hi = sorted((level.end, count.start))
    if _SHARE.search(text[lo:hi]):
        return "这是占比关系，不是该等级的数量"
    if _ACTION.search(text[lo:hi]):
        return "这是抽查或处理的数量，不是该等级的数量"
    acted = list(_ACTION.finditer(text[: min(level.start, count.start)]))
    if acted and not _VERDICT.search(text[acted[-1].end() : level.start]):
        return "这是抽查或处理的数量，不是该等级的数量"  # `检查A级企业5家`
    return None


def _group_before(clause: _Clause) -> Count | None:
    """`50家企业中A级3家`: a group size before 中, ahead of the levels it is split into."""
    if not clause.counts or not clause.mentions:
        return None
    first, level = clause.counts[0], clause.mentions[0]
    if first.start < level.start and clause.text[first.end : level.start].endswith("中"):
        return first
    return None


def _predicate(clause: _Clause, mention: Mention) -> bool:
    """The level is what the clause concludes: `…均评为…B级企业`, `等级评定为A级`."""
    head, rest = clause.text[: mention.start], clause.text[mention.end :]
    verdict = list(_VERDICT.finditer(head))
    if (
        not verdict
        or len(head) - verdict[-1].end() > 12
        or re.search(r"\d", head[verdict[-1].end() :])
    ):
        return False
    return len(rest) <= 6 and "的" not in rest and not re.search(r"\d", rest)


def _all_of_them(
    clauses: list[_Clause], sentence: str, pairs: list[_Pair], review: list[str]
) -> None:
    labels = {m.label for c in clauses for m in c.mentions}
    if len(labels) != 1 or None in labels:
        return
    if not any(_DISTRIBUTIVE.search(c.text) for c in clauses):
        return
    where = [(i, m) for i, c in enumerate(clauses) for m in c.mentions if _predicate(c, m)]
    if not where:
        return
    at, mention = where[0]
    counts = [n for c in clauses if not c.nested for n in c.counts]
    subject = [
        n
        for i, c in enumerate(clauses[: at + 1])
        if not c.nested
        for n in c.counts
        if i < at or n.start < mention.start
    ]
    if not subject:
        return  # the number must come first: `十家单位…评定为A级`
    values = {n.value for n in counts}
    if len(values) != 1 or any(n.approx for n in counts):
        review.append(
            f"{quote(sentence)}：说全部评为{display(mention.label or '')}，但数量不止一个，未计入"
        )
        return
    assert mention.label is not None
    pairs.append(_Pair(mention.label, values.pop(), sentence))


def _named_entity(
    clauses: list[_Clause], sentence: str, named: dict[str, tuple[str, str]], review: list[str]
) -> None:
    """`X有限责任公司…评价等级为A级`: one named organisation, one verdict, no number."""
    if any(c.counts for c in clauses) or any(_DISTRIBUTIVE.search(c.text) for c in clauses):
        return
    labels = {m.label for c in clauses for m in c.mentions}
    if len(labels) != 1 or None in labels:
        return
    verdicts = [m for c in clauses for m in c.mentions if _predicate(c, m)]
    if not verdicts or verdicts[0].label is None:
        return
    orgs: list[str] = []
    several = False
    for piece in (p for c in clauses for p in re.split(r"[、和与及]", c.text)):
        last_end = -1
        for m in _ORG.finditer(piece):
            if m.start() == last_end and orgs:
                orgs[-1] += m.group(0)  # 华升石墨集团 + 股份有限公司
            else:
                orgs.append(m.group(0))
            last_end = m.end()
            several = several or piece.startswith("等", m.end())
    if len(set(orgs)) == 1 and not several:
        named.setdefault(orgs[0], (verdicts[0].label, sentence))
    elif orgs:
        review.append(
            f"{quote(sentence)}：几家单位评为{display(verdicts[0].label)}，但没有写数量，未计入"
        )


def _sum_named(named: dict[str, tuple[str, str]], domain: Domain) -> dict[str, int]:
    counts: dict[str, int] = {}
    for label, _ in named.values():
        counts[label] = counts.get(label, 0) + 1
    return {lv: counts[lv] for lv in domain.scale.labels if lv in counts}


def _merge_pairs(pairs: list[_Pair], domain: Domain, problems: list[str]) -> dict[str, int]:
    first: dict[str, _Pair] = {}
    for pair in pairs:
        seen = first.get(pair.label)
        if seen is None:
            first[pair.label] = pair
        elif seen.value != pair.value:
            where = (
                quote(seen.sentence)
                if seen.sentence == pair.sentence
                else f"{quote(seen.sentence)} {quote(pair.sentence)}"
            )
            problems.append(
                f"{display(pair.label)}前后写了两个不同的数量 {seen.value} 和 {pair.value}，"
                f"按先写的 {seen.value} 统计（{where}）"
            )
    return {lv: first[lv].value for lv in domain.scale.labels if lv in first}


# ---------------------------------------------------------------- totals


def _free(clause: _Clause) -> list[Count]:
    """Counts not tied to a level (the clause mentions none), exact, outside brackets.

    A change (`本月新增2家`) is never a whole, so it is not free to be a total.
    """
    if clause.mentions or clause.nested:
        return []
    return [
        c
        for c in clause.counts
        if not c.approx and not _CHANGE_BEFORE.search(clause.text[: c.start])
    ]


def _totals(
    outer: str, clauses: list[_Clause], matcher: LevelMatcher, named: re.Pattern[str]
) -> list[int]:
    """Every total a sentence states (they must all agree to be used).

    ``named``: the domain's own population by name (:func:`_named_population`).
    """
    found: list[int] = []
    top = [c for c in clauses if not c.nested]
    # Clauses from 其中 on are parts of a whole, not totals (`其中新评定3家`).
    part = next((i for i, c in enumerate(top) if _qizhong(c.text) >= 0), len(top))
    for clause in top[:part]:
        free = _free(clause)
        for count in free:
            head = clause.text[: count.start]
            marks = list(_TOTAL_MARK.finditer(head))
            if marks:
                gap = head[marks[-1].end() :]
                gap = QUALIFIER.sub("", gap)  # 共有二级及以上医疗机构20家
                if len(gap) <= 8 and not re.search(r"\d", gap):
                    found.append(count.value)  # 共计 62 家, 累计检查 169 家
        if clause.text.endswith("中") and len(free) == 1:
            found.append(free[0].value)  # 50家企业中,
        group = _group_before(clause)
        if group is not None and not group.approx:
            found.append(group.value)  # 50家企业中A级3家
        if len(free) == 1 and _evaluated(clause.text, free[0]):
            found.append(free[0].value)  # 对全市77家参评企业进行信用评价
    for clause, after in itertools.pairwise(top[:part]):
        population = _population(clause, named)
        if population is not None and _breakdown(after, clause.text[population.end - 1]):
            found.append(population.value)  # 全市从事保安服务的单位6家,A级单位3家、…
    for clause in clauses:
        # A bracket that is only a total: `A级8家、B级20家（合计28家）`.
        if clause.nested and not clause.mentions and len(clause.counts) == 1:
            count = clause.counts[0]
            if not count.approx and _BRACKET_TOTAL.fullmatch(clause.text[: count.start]):
                found.append(count.value)
    at = _qizhong(outer)
    whole = _whole_before(outer, at, matcher) if at >= 0 else None
    if whole is not None:
        found.append(whole)  # 44家…进行信用评价,其中…
    return found


def _evaluated(text: str, count: Count) -> bool:
    """The count is what an evaluation covered: `对77家参评企业进行信用评价`, `评价9889户`.

    The evaluation comes after the count, or just before it with nothing that makes the
    count its result (`评价结果为优秀28家` is a result, not the whole). Not when the object
    goes on past the count (`对…5家施工单位和监理单位进行评价`).
    """
    words = list(_EVALUATION.finditer(text))
    if not words:
        return False
    if all(w.start() < count.start for w in words):
        gap = text[words[-1].end() : count.start]
        if len(gap) > 6 or _RESULT.search(gap) or re.search(r"\d", gap):
            return False
    verb = _OBJECT_END.search(text, count.end)
    if verb is None:
        return True
    # 及 of a qualifier (`20家二级及以上公立医院`) joins no second object.
    return not _CONJUNCTION.search(QUALIFIER.sub("", text[count.end : verb.start()]))


def _named_population(domain: Domain) -> re.Pattern[str]:
    """What names a domain's whole supervised population before its count: the domain by
    its name or an alias, maybe with the noun it counts (`道路运输经营者`, `道路运输企业`,
    `保安服务单位`, `目前家政企业有`), and nothing else (not `市本级家政企业`).
    """
    names = sorted({domain.domain, *domain.domain_aliases}, key=len, reverse=True)
    alternatives = "|".join(re.escape(normalise(n)) for n in names)
    return re.compile(
        rf"(?:目前|当前|现阶段)?(?:现有|有)?(?:{alternatives})(?:{ENTITY_NOUN})?"
        r"(?:有|数|数量|总数)?(?:为|是|达)?"
    )


def _population(clause: _Clause, named: re.Pattern[str] | None = None) -> Count | None:
    """`全市从事保安服务的单位6家`: the clause only states how many there are in a scope.

    The count ends the clause (or only what it counts follows: `全市7家燃气经营企业`), a
    scope (全市, 我市, 辖区 …) comes before it with no other number in between (or a colon
    after it opens the breakdown: `快递网点20个:`, or the domain's own population is all
    that comes before it: `道路运输经营者62家`), and nothing is done to them (no check,
    change, comparison, 对…).
    """
    free = _free(clause)
    if len(clause.counts) != 1 or len(free) != 1:
        return None
    after = clause.text[free[0].end :]
    if after and not _COUNTED_NOUN.fullmatch(after):
        return None  # only what is counted may follow (`全市7家燃气经营企业`)
    head = clause.text[: free[0].start]
    scope = _SCOPE.search(head)
    # `快递网点20个:A级5个…`: a colon that opens the breakdown says it as a scope does.
    begin = scope.end() if scope is not None else 0 if clause.opens else None
    if begin is None and named is not None and named.fullmatch(head):
        begin = len(head)  # `道路运输经营者62家,AAA级8家、…`: the domain names the whole
    if begin is None or re.search(r"\d", QUALIFIER.sub("", head[begin:])):
        return None
    if _NOT_A_POPULATION.search(clause.text):
        return None
    return free[0]


def _breakdown(clause: _Clause, unit: str) -> bool:
    """The clause gives counts per level, opening with a level (`A级单位3家、B级单位3家`),
    in the population's unit (not `600名` people before `A级单位3家`)."""
    if not clause.known or not clause.counts or clause.counts[0].start < clause.mentions[0].start:
        return False
    if unit not in {clause.text[c.end - 1] for c in clause.counts}:
        return False
    return _BREAKDOWN_LEAD.fullmatch(clause.text[: clause.mentions[0].start]) is not None


def _qizhong(text: str) -> int:
    """Where a breakdown 其中 starts (at a clause start or after a bracket), else -1.

    Not `对其中6家进行评价`, where 其中 is just "of them".
    """
    m = re.search(r"(?:^|(?<=[,:;)]))其中", text)
    return m.start() if m else -1


def _whole_before(outer: str, at: int, matcher: LevelMatcher) -> int | None:
    """The total a 其中 at ``at`` breaks down: the last exact count before it.

    Taken from the text before 其中 when it mentions no level, else from the clause
    just before 其中 when that one mentions none.
    """
    last = ([""] + [c for c in _CLAUSE_SPLIT.split(outer[:at]) if c])[-1]
    for head in (outer[:at], last):
        clause = _clause(head, matcher)
        whole = [c for c in clause.counts if not c.approx]
        if whole and not clause.mentions:
            return whole[-1].value
    # `分类共33处,其中C类煤矿31处`: 个/处/座 count anything, but a total in the unit the
    # parts after 其中 count entities in is a total of those entities.
    marked = _MARKED_NOUN_COUNT.search(last)
    if marked is not None and not matcher.mentions(last):
        parts = find_counts(outer[at:], [(m.start, m.end) for m in matcher.mentions(outer[at:])])
        if any(outer[at + c.end - 1] == marked.group("unit") for c in parts):
            return parse_number(marked.group("num"))
    return None


def _check_breakdown(outer: str, matcher: LevelMatcher, sentence: str, problems: list[str]) -> None:
    """`N 家，其中 甲 a 家、乙 b 家`: categories must add up to N."""
    at = _qizhong(outer)
    total = _whole_before(outer, at, matcher) if at >= 0 else None
    if total is None:
        return
    items: list[int] = []
    for piece in re.split(r"、|(?<!\d),|,(?!\d{3}(?!\d))", outer[at + 2 :]):
        if not piece:
            continue
        item = _clause(piece, matcher)
        if item.mentions or len(item.counts) != 1 or item.counts[0].end != len(piece):
            break
        if item.counts[0].approx:
            return
        items.append(item.counts[0].value)
    if len(items) >= 2 and sum(items) != total:
        parts = "+".join(map(str, items))
        problems.append(
            f"其中各项之和 {parts}={sum(items)} 与总数 {total} 不符（{quote(sentence)}）"
        )
