"""Counts the reader gave up on, and why: measure words, colours with their meaning, totals
after a numeral qualifier, and a review note for every domain with figures and no counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from hgcredit.ledger.read import load_ledger
from hgcredit.ratings.counts import find_counts, find_people, normalise
from hgcredit.ratings.levels import LevelMatcher
from hgcredit.ratings.notes import MAX_NOTES
from hgcredit.ratings.report import ListCount, reconcile
from hgcredit.ratings.text import read_text, sentences
from hgcredit.registry import load_registry

REG = load_registry()
ROOT = Path(__file__).resolve().parent.parent
SEED = Path(__file__).parent / "data" / "seed_notice.txt"
SAMPLE = ROOT / "sample_data"


def rate(domain: str, text: str):
    d = REG.domain(domain)
    return reconcile(d, REG.tiers, read_text(text, d))


def figures(text: str) -> list[int]:
    """Numbers of entities in a text, as the count reader finds them."""
    return [c.value for _, norm in sentences(text) for c in find_counts(norm)]


# ---------------------------------------------------------------- figures and no counts


@pytest.mark.parametrize(
    ("domain", "text", "quoted", "reason"),
    [
        # A total, parts by category, and no level at all (交通 in the seed).
        (
            "道路运输经营者",
            "全市参评企业共计62家，其中客运企业16家、货运企业23家。",
            "共计62家",
            "写了总数 62家，但没有写各等级（AAA级、AA级、A级、B级）的数量，"
            "其他数量（16家、23家）也没有等级",
        ),
        (
            "安全生产领域",
            "对市应急局重点监管的25家企业开展了综合评价。",
            "25家企业",
            "写了总数 25家，但没有写各等级（A级、B级、C级、D级）的数量",
        ),
        # Numbers and no level.
        (
            "家政企业",
            "对被评为 B 级的企业开展监督检查。对全市 50 家企业开展检查。",
            "对全市 50 家企业开展检查",
            "有数量（50家），但没有写是哪个等级（本领域的等级：A级、B级、C级、D级）",
        ),
        (
            "企业环境",
            "绿色28家，蓝色16家。",
            "绿色28家",
            "有数量（28家、16家），但没有写是哪个等级（本领域的等级：绿、蓝、黄、红、黑）",
        ),
        ("企业环境", "开通绿色通道3家。", "绿色通道3家", "有数量（3家），但没有写是哪个等级"),
        # A grade of something else.
        (
            "文化和旅游领域",
            "全市 5A 级景区 3 家。",
            "5A 级景区 3 家",
            "有数量（3家），但句中的“5A级”不是本领域的等级（A级、B级、C级、D级）",
        ),
        # A level and a number that no reading ties together.
        (
            "家政企业",
            "对B级企业加强监管，检查50家企业。",
            "检查50家企业",
            "有等级（B级）也有数量（50家），但看不出哪个数量是哪个等级的",
        ),
        # A level given a number of people, or a count the reader refused.
        ("家政企业", "A级从业人员5名。", "A级从业人员5名", "等级后的数量是人数"),
        ("家政企业", "A级5家2022年度。", "A级5家2022年度", "等级后的数量写法无法确定"),
        # Something done to them.
        ("家政企业", "检查A级企业5家。", "检查A级企业5家", "这是抽查或处理的数量"),
    ],
)
def test_figures_without_counts_say_why(domain, text, quoted, reason):
    got = rate(domain, text)
    assert got.counts == {}
    (note,) = got.review
    quote, why = note.split("”：", 1)
    assert quoted in quote
    assert reason in why and why.endswith("未计入")


def test_a_long_sentence_is_quoted_around_its_number():
    prose = "按照重点企业全覆盖、一般企业双随机和执法内容聚焦重点监管执法事项的原则，" * 3
    (note,) = rate("安全生产领域", f"{prose}对重点监管的 25 家企业开展了综合评价。").review
    quote = note.split("”：", 1)[0]
    assert quote.startswith("“…") and "对重点监管的 25 家企业" in quote
    assert len(quote) <= 95


def test_notes_per_text_are_bounded():
    text = "".join(f"第{i}组检查企业{i + 10}家。" for i in range(MAX_NOTES + 3))
    got = rate("家政企业", text)
    assert len(got.review) == MAX_NOTES + 1
    assert got.review[-1] == "……另有 3 句有数量但未读出等级数量"


def test_no_note_when_the_domain_has_counts():
    # The 50 checked are no level's count, but the domain has counts: nothing to explain.
    got = rate("家政企业", "A级5家、B级1家。对全市 50 家企业开展检查。")
    assert got.counts == {"A": 5, "B": 1} and got.review == []


def test_no_note_when_a_list_gives_the_counts():
    d = REG.domain("安全生产领域")
    text = read_text("对市应急局重点监管的25家企业开展了综合评价。", d)
    assert text.unread
    listed = ListCount(d, "名单.xlsx", {"A": 20, "B": 5}, 25)
    got = reconcile(d, REG.tiers, text, [listed])
    assert got.counts == {"A": 20, "B": 5} and got.review == [] and got.consistent is True


@pytest.mark.parametrize(
    "text",
    [
        "出动执法人员3名，对A级企业开展检查。",
        "督促整改火灾隐患27处，督促完善台账登记2处。",
        "发现问题19个，检查在建项目18个，抽检种子样品12个。",
        "为37名劳动者追发工资48.6万元，邀请3位专家。",
        "对A级企业实行一家一策。",
        "暂按 D 类矿井监管，每季度检查不少于 1 次。",
    ],
)
def test_no_numbers_of_entities_no_note(text):
    assert figures(text) == []
    got = rate("家政企业", text)
    assert got.counts == {} and got.review == []


def _ledger_texts() -> list[tuple[str, str]]:
    """(domain, text) of every filled cell: the seed's October column, and the sample
    month's master ledger and returns."""
    out = []
    seed = load_ledger([SEED], REG)
    returns = sorted((SAMPLE / "returns").iterdir(), key=lambda p: ("更正" in p.name, p.name))
    sample = load_ledger([*sorted((SAMPLE / "台账").iterdir()), *returns], REG)
    for ledger in (seed, sample):
        for (domain, _), entry in sorted(ledger.entries.items()):
            out.append((domain, entry.text))
    return out


def test_every_domain_with_figures_and_no_counts_says_why():
    """Over the seed and the sample month, whole cells and each sentence read alone: a text
    with numbers of entities either gives counts or carries a note for each such sentence."""
    texts = _ledger_texts()
    cases = texts + [(d, written) for d, text in texts for written, _ in sentences(text)]
    explained = 0
    for domain, text in cases:
        got = rate(domain, text)
        if got.counts or not figures(text):
            continue
        explained += 1
        assert got.review, (domain, text)
        with_figures = [w for w, norm in sentences(text) if find_counts(norm)]
        for written in with_figures:
            assert any(written[:20] in note or "…" in note for note in got.review), written
    assert explained >= 15  # the seed's 交通, 应急, 水务 and many single sentences


# ---------------------------------------------------------------- measure words


@pytest.mark.parametrize(
    ("domain", "text", "counts", "stated"),
    [
        ("地方煤矿", "全市煤矿12处，其中A类煤矿2处、B类煤矿10处。", {"A": 2, "B": 10}, 12),
        ("地方煤矿", "C类煤矿32处，D类煤矿1处。", {"C": 32, "D": 1}, None),
        ("地方煤矿", "C类32处、D类1处，共33处煤矿。", {"C": 32, "D": 1}, 33),
        ("地方煤矿", "经分类，2处煤矿被评为D类。", {"D": 2}, None),
        ("地方煤矿", "A类煤矿2座", {"A": 2}, None),
        ("地方煤矿", "全市矿井5座，A类2座、B类3座。", {"A": 2, "B": 3}, 5),
        ("医疗机构", "A级医疗机构12所、B级3所。", {"A": 12, "B": 3}, None),
        ("养老机构", "全市养老院5所，A级3所、B级2所。", {"A": 3, "B": 2}, 5),
        ("文化和旅游领域", "A级旅行社5个，B级旅行社2个。", {"A": 5, "B": 2}, None),
        (
            "种子生产经营领域",
            "对全市种子生产经营主体共80个开展信用等级复核，A级2个、B级78个。",
            {"A": 2, "B": 78},
            80,
        ),
        ("家政企业", "对A级企业3个工作日内办结，A级5家。", {"A": 5}, None),
        # People and things beside them are no count and no total.
        ("家政企业", "出动执法人员3名，A级企业5家。", {"A": 5}, None),
        ("家政企业", "A级企业5家，发现问题19个，检查在建项目18个。", {"A": 5}, None),
        ("消防安全领域", "共督促整改火灾隐患27处，A级单位552家。", {"A": 552}, None),
        ("制毒化学品领域", "督促完善台账登记2处，A级4家。", {"A": 4}, None),
        ("水利建设市场领域", "修建桥梁3座，A级施工单位5家。", {"A": 5}, None),
        ("企业劳动保障", "为37名劳动者追发工资，A级12家。", {"A": 12}, None),
    ],
)
def test_measure_words(domain, text, counts, stated):
    got = rate(domain, text)
    assert got.counts == counts
    assert got.stated_total == stated
    assert got.review == []


@pytest.mark.parametrize(
    ("text", "values"),
    [
        (
            "煤矿12处,12处煤矿,C类12处,13个法人企业,网点4个,A级2个,12所学校",
            [12, 12, 12, 13, 4, 2, 12],
        ),
        ("隐患27处,登记2处,项目18个,样品12个,问题19个,桥梁3座,3处罚款,2座谈", []),
        ("3名执法人员,37名劳动者,3位专家,5人", []),
    ],
)
def test_which_measure_words_count_entities(text, values):
    assert [c.value for c in find_counts(text)] == values


def test_people_are_found_apart():
    assert [c.value for c in find_people("3名执法人员,37名劳动者,3位专家,5人,名单")] == [
        3,
        37,
        3,
        5,
    ]


# ---------------------------------------------------------------- colours with their meaning


ENV = LevelMatcher(REG.domain("企业环境").scale)


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        (
            "其中绿色（诚信）28家、蓝色（良好）10家、黄色（警示）4家、红色（不良）2家。",
            {"绿": 28, "蓝": 10, "黄": 4, "红": 2},
        ),
        ("绿色(诚信)企业28家，蓝色（良好）企业16家。", {"绿": 28, "蓝": 16}),
        ("诚信（绿色）28家，良好（蓝色）16家。", {"绿": 28, "蓝": 16}),
        ("绿色（环保诚信）28家。", {"绿": 28}),
        ("黑色（严重失信）1家。", {"黑": 1}),
    ],
)
def test_colour_with_its_meaning_is_one_level(text, counts):
    got = rate("企业环境", text)
    assert got.counts == counts and got.review == []


def test_colour_grades_give_no_second_total():
    got = rate(
        "企业环境",
        "评价结果为绿色（诚信）28家，蓝色（良好）12家，黄色（警示）3家，红色（不良）1家，共44家。",
    )
    assert got.counts == {"绿": 28, "蓝": 12, "黄": 3, "红": 1}
    assert got.stated_total == 44 and got.consistent is True
    assert got.review == []


@pytest.mark.parametrize(
    ("domain", "text", "stated"),
    [
        # A result after 评价 is no total; 44 alone is.
        ("企业环境", "评价结果为优秀28家，良好16家，共44家。", 44),
        ("家政企业", "评价结果为：A级5家，共6家。", 6),
        ("家政企业", "评价等级为优秀的5家，共6家。", 6),
        # The object right after the evaluation still is one.
        ("纳税企业", "我市2021年度纳税信用评价共9912户，其中A级238户。", 9912),
    ],
)
def test_a_result_of_an_evaluation_is_not_its_total(domain, text, stated):
    got = rate(domain, text)
    assert got.stated_total == stated
    assert not any("几个不同的总数" in note for note in got.review)


@pytest.mark.parametrize(
    ("cell", "level"),
    [
        ("绿色（诚信）", "绿"),
        ("诚信(绿色)", "绿"),
        ("蓝色（良好）", "蓝"),
        ("绿色通道", None),
        ("诚信", None),
    ],
)
def test_colour_with_meaning_in_a_list_cell(cell, level):
    assert ENV.match_cell(cell) == level


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("对绿牌企业开通绿色通道。", ["绿牌"]),
        ("培育诚信企业，营造良好氛围，发出黄色预警。", []),
        ("绿色（诚信）企业、诚信（绿色）企业", ["绿色(诚信)", "诚信(绿色)"]),
    ],
)
def test_a_colour_or_a_meaning_alone_is_no_level(text, mentions):
    assert [m.written for m in ENV.mentions(normalise(text))] == mentions


# ---------------------------------------------------------------- a qualifier with a numeral


@pytest.mark.parametrize(
    ("domain", "text", "stated"),
    [
        ("医疗机构", "对全市20家二级以上医疗机构开展信用评价，A级15家、B级5家。", 20),
        ("医疗机构", "对全市20家三甲医院开展评价，A级15家、B级5家。", 20),
        ("医疗机构", "全市共有二级及以上医疗机构20家，A级15家、B级5家。", 20),
        ("文化和旅游领域", "对全市12家3A级以上景区开展信用评价，A级10家、B级2家。", 12),
        ("文化和旅游领域", "全市3A级以上景区12家，A级10家、B级2家。", 12),
        # 及 of 及以上 joins no second object.
        ("医疗机构", "对20家二级及以上公立医院开展信用评价，评定A级15家、B级5家。", 20),
        # A scenic area's letter grade is no credit level.
        ("文化和旅游领域", "对全市12家AAA级景区开展信用评价，A级10家、B级2家。", 12),
        ("文化和旅游领域", "全市A级旅游景区12个，信用等级A级10个、B级2个。", 12),
    ],
)
def test_a_total_after_a_qualifier_with_a_numeral(domain, text, stated):
    got = rate(domain, text)
    assert got.stated_total == stated
    assert got.consistent is True and got.review == []


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # Two groups, each with its qualifier: neither is the whole.
        ("对全市20家二级医院和5家三级医院开展评价，A级15家、B级10家。", {"A": 15, "B": 10}),
        ("对20家二级及以上医院和5家民营医院开展评价，A级15家、B级10家。", {"A": 15, "B": 10}),
        # A numeral after the unit that is another number, not a qualifier.
        ("实行一家一策，A级5家。", {"A": 5}),
        ("全市二级医院20家，三级医院3家，A级5家。", {"A": 5}),
    ],
)
def test_no_total_from_a_qualified_count_that_is_not_the_whole(text, counts):
    got = rate("医疗机构", text)
    assert got.counts == counts
    assert got.stated_total is None
