"""Rating counts from the departments' words: the seed's October column, forms, precision."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from hgcredit.io.tables import read_tables
from hgcredit.ratings.report import ListCount, UnknownRow, rate_month, reconcile
from hgcredit.ratings.text import read_text
from hgcredit.registry import load_registry

REG = load_registry()


def rate(domain: str, text: str):
    d = REG.domain(domain)
    return reconcile(d, REG.tiers, read_text(text, d))


@pytest.fixture(scope="module")
def october() -> dict[str, str]:
    """Each domain's October text from the seed ledger (tests/data copy).

    The seed is a text copy of a PDF table: 交通's cell goes on in a later row (in the
    next column), and 公安局's second row is shifted one column left. Rows are mapped
    to domains through the registry, the way a reader of the ledger would.
    """
    seed = Path(__file__).parent / "data" / "seed_notice.txt"
    (table,) = read_tables(seed, header_test=lambda cells: any("实施部门" in c for c in cells))
    col = next(i for i, h in enumerate(table.header) if h.startswith("2022年10月"))
    texts: dict[str, str] = {}
    last = None
    for row in table.rows:
        d = REG.find_domain(row[2]) or REG.find_domain(row[1])
        if d is not None:
            # The shifted row has its text one column left of the month column.
            texts[d.domain] = row[col] or row[col - 1]
            last = d.domain
        elif last is not None and not any(row[:3]) and any(row[col:]):
            texts[last] += "".join(row[col:])  # the cell goes on in a later row
    assert sorted(texts) == sorted(d.domain for d in REG.domains)
    return texts


# domain: (counts, stated total, consistent, tiers). Read off the seed by hand.
OCTOBER = {
    "纳税企业": (
        {"A": 236, "B": 3495, "M": 5352, "C": 197, "D": 609},
        9889,
        True,
        {"A": 236, "B": 8847, "C": 197, "D": 609},
    ),
    "海关企业": ({}, None, None, {}),
    "企业环境": (
        {"绿": 32, "蓝": 10, "黄": 1, "红": 1},
        44,
        True,
        {"A": 32, "B": 10, "C": 1, "D": 1},
    ),
    "企业劳动保障": ({"B": 169}, 169, False, {"A": 0, "B": 169, "C": 0, "D": 0}),
    "建筑业企业": ({"AAA": 5, "AA": 52, "A": 20}, 77, True, {"A": 57, "B": 20, "C": 0, "D": 0}),
    "道路运输经营者": ({}, 62, None, {}),
    "燃气企业": ({"红榜": 0, "黄榜": 7, "黑榜": 0}, 7, True, {"A": 0, "B": 0, "C": 7, "D": 0}),
    "地方煤矿": ({"C": 32, "D": 1}, None, None, {"A": 0, "B": 0, "C": 32, "D": 1}),
    "家政企业": ({"A": 5, "B": 1}, 6, True, {"A": 5, "B": 1, "C": 0, "D": 0}),
    "定点医药机构": ({"A": 1, "B": 21}, 22, True, {"A": 1, "B": 21, "C": 0, "D": 0}),
    "安全生产领域": ({}, 25, None, {}),
    "文化和旅游领域": (
        {"A": 187, "B": 21, "C": 0, "D": 0},
        208,
        True,
        {"A": 187, "B": 21, "C": 0, "D": 0},
    ),
    "食品生产和经营领域": (
        {"A": 33, "B": 33, "C": 20, "D": 16},
        102,
        True,
        {"A": 33, "B": 33, "C": 20, "D": 16},
    ),
    "林草监管领域": ({"A": 10}, 10, True, {"A": 10, "B": 0, "C": 0, "D": 0}),
    "医疗机构": ({"A": 10}, 10, True, {"A": 10, "B": 0, "C": 0, "D": 0}),
    "养老机构": ({}, None, None, {}),
    "粮食企业": ({"A": 2}, None, None, {"A": 2, "B": 0, "C": 0, "D": 0}),
    "水利建设市场领域": ({}, None, None, {}),
    "种子生产经营领域": ({"A": 2, "B": 76}, 78, True, {"A": 2, "B": 76, "C": 0, "D": 0}),
    "消防安全领域": ({"A": 550, "B": 8}, 558, False, {"A": 550, "B": 8, "C": 0, "D": 0}),
    "邮政快递企业": ({"A": 13, "C": 174}, None, None, {"A": 13, "B": 0, "C": 174, "D": 0}),
    "制毒化学品领域": ({"A": 3, "B": 21, "C": 0}, None, None, {"A": 3, "B": 21, "C": 0, "D": 0}),
    "保安服务领域": ({"A": 3, "B": 3, "C": 0, "D": 0}, 6, True, {"A": 3, "B": 3, "C": 0, "D": 0}),
}


# Domains with numbers of entities and no counts: why, as (a piece of the quoted sentence,
# the reason). Every other domain of the seed gets no review note.
UNREAD = {
    "道路运输经营者": [
        ("共计 62 家", "写了总数 62家，但没有写各等级（AAA级、AA级、A级、B级）的数量")
    ],
    "安全生产领域": [("重点监管的 25 家企业开展了综合评价", "写了总数 25家，但没有写各等级")],
    "水利建设市场领域": [("等5家施工单位", "有数量（5家），但没有写是哪个等级")],
}


def test_expected_table_covers_every_domain():
    assert list(OCTOBER) == [d.domain for d in REG.domains]
    assert set(UNREAD) < set(OCTOBER)


@pytest.mark.parametrize("domain", list(OCTOBER))
def test_october_column(october, domain):
    counts, stated, consistent, tiers = OCTOBER[domain]
    got = rate(domain, october[domain])
    assert got.counts == counts
    assert list(got.counts) == list(counts)  # scale order, best first
    assert got.stated_total == stated
    assert got.counted_total == (sum(counts.values()) if counts else None)
    assert got.consistent is consistent
    assert got.tiers == tiers
    # Nothing in the seed is half-readable; a domain with figures and no counts says why.
    assert len(got.review) == len(UNREAD.get(domain, []))
    for note, (quoted, reason) in zip(got.review, UNREAD.get(domain, []), strict=True):
        assert quoted in note.split("”：")[0] and reason in note


def test_the_seeds_two_inconsistencies_are_flagged(october):
    labour = rate("企业劳动保障", october["企业劳动保障"])
    assert labour.consistent is False
    (problem,) = labour.problems
    assert "23+149=172" in problem and "169" in problem
    fire = rate("消防安全领域", october["消防安全领域"])
    assert fire.consistent is False
    (problem,) = fire.problems
    assert "B级" in problem and "8" in problem and "3" in problem
    assert "适当增加对 3 家 B 级重点单位" in problem  # quotes the sentence
    assert [d for d in OCTOBER if rate(d, october[d]).consistent is False] == [
        "企业劳动保障",
        "消防安全领域",
    ]


@pytest.mark.parametrize("domain", ["海关企业", "安全生产领域", "养老机构", "水利建设市场领域"])
def test_domains_without_counts_report_none(october, domain):
    got = rate(domain, october[domain])
    assert got.counts == {} and got.counted_total is None and got.tiers == {}
    assert got.consistent is None


def test_a_second_list_is_not_the_stated_total(october):
    # 44 evaluated; 《…名录》48家 is another list, not the total.
    assert rate("企业环境", october["企业环境"]).stated_total == 44


def test_categories_and_scores_are_not_levels(october):
    # 交通: 62 = 客运 16 + 货运 23 + … (categories, they add up), no level counts.
    transport = rate("道路运输经营者", october["道路运输经营者"])
    assert transport.counts == {} and transport.problems == []
    # 农业: 860 分两家… are scores; the levels are A 2, B 76.
    assert rate("种子生产经营领域", "其中 860 分两家，830 分 68 家，800 分 8 家。").counts == {}


# ---------------------------------------------------------------- forms


@pytest.mark.parametrize(
    ("domain", "text", "counts"),
    [
        ("纳税企业", "A级236户", {"A": 236}),
        ("家政企业", "A 级 5 家", {"A": 5}),
        ("消防安全领域", "Ａ级５５０家", {"A": 550}),
        ("纳税企业", "B级3,495户", {"B": 3495}),
        ("家政企业", "A级企业１，２３４户", {"A": 1234}),
        ("地方煤矿", "C 类 32 家", {"C": 32}),
        ("地方煤矿", "A类煤矿2座", {"A": 2}),
        ("企业环境", "绿牌企业30家", {"绿": 30}),
        ("企业环境", "环保诚信企业(绿牌)32家", {"绿": 32}),
        ("企业环境", "环保不良（红牌）企业1家", {"红": 1}),
        ("企业环境", "绿色标识企业30家，蓝色标识企业5家", {"绿": 30, "蓝": 5}),
        ("燃气企业", "红榜企业 0 家", {"红榜": 0}),
        ("建筑业企业", "5 家企业被评为 AAA 级", {"AAA": 5}),
        ("建筑业企业", "X公司等 52 家企业被评为 AA 级信用良好", {"AA": 52}),
        ("制毒化学品领域", "3家企业被评为A级，0家被评为C级", {"A": 3, "C": 0}),
        ("地方煤矿", "D 类鹤岗市兴阳煤矿 1 家", {"D": 1}),
        ("种子生产经营领域", "A 级 2 个，B 级 76 个", {"A": 2, "B": 76}),
        ("邮政快递企业", "X公司等 13 个法人企业被评为 A 级", {"A": 13}),
        ("邮政快递企业", "E级网点4个", {"E": 4}),
        ("纳税企业", "M级5352户", {"M": 5352}),
        ("医疗机构", "A级十家", {"A": 10}),
        ("粮食企业", "两家企业被评为A级", {"A": 2}),
        ("家政企业", "B级二十一家", {"B": 21}),
        ("家政企业", "一家企业被评为D级", {"D": 1}),
        ("家政企业", "唯一一家A级企业", {"A": 1}),
        ("保安服务领域", "C级、D级单位0家", {"C": 0, "D": 0}),
        (
            "海关企业",
            "AEO高级认证企业2家，一般信用企业30家，失信企业1家",
            {"高级认证": 2, "一般信用": 30, "失信": 1},
        ),
        ("道路运输经营者", "AAA级企业3家、AA级企业10家", {"AAA": 3, "AA": 10}),
        ("家政企业", "50家企业中A级3家、B级47家", {"A": 3, "B": 47}),
        ("家政企业", "A级、B级、C级分别为187家、21家、0家", {"A": 187, "B": 21, "C": 0}),
        (
            "家政企业",
            "A、B、C、D级企业分别为10家、20家、5家、1家",
            {"A": 10, "B": 20, "C": 5, "D": 1},
        ),
        ("家政企业", "A级企业5家、B级企业3家，C、D级企业均为0家", {"A": 5, "B": 3, "C": 0, "D": 0}),
        ("家政企业", "A级企业10家（占比8.3%）", {"A": 10}),
        ("纳税企业", "2022年共评出A级纳税人300户，较上年增加20户。", {"A": 300}),
        # "All of them": one count, one level as the verdict.
        ("企业劳动保障", "169 家企业均评为劳动保障诚信 B 级企业。", {"B": 169}),
        (
            "医疗机构",
            "对市人民医院等十家单位进行检查评估，各单位标化分均在 90 分以上，等级评定为 A 级。",
            {"A": 10},
        ),
        ("林草监管领域", "并完成对该 10 家企业的信用考核，信用等级均为 A 级。", {"A": 10}),
        # Named organisations, each with its verdict, when no number is given.
        (
            "粮食企业",
            "甲粮库有限责任公司最终得分为860分，评价等级为A级；乙粮食储备库有限责任公司评价等级为B级。",
            {"A": 1, "B": 1},
        ),
    ],
)
def test_text_forms(domain, text, counts):
    got = rate(domain, text)
    assert got.counts == counts
    assert got.review == []


@pytest.mark.parametrize(
    ("domain", "text", "stated"),
    [
        ("道路运输经营者", "全市参加此次信用评价的企业共计 62 家（含绥、萝两县及宝泉岭）", 62),
        ("食品生产和经营领域", "A级33家，B级69家，合计102家", 102),
        ("建筑业企业", "对全市 77 家参评企业进行信用评价。", 77),
        ("纳税企业", "我市2021年度纳税信用评价9889户,目前发布纳税信用评价结果", 9889),
        ("食品生产和经营领域", "目前，我市食品生产企业共 102 家，信用风险分级评定 A 级 33 家", 102),
        ("家政企业", "50家企业中A级3家、B级47家", 50),
        ("定点医药机构", "对 22 家定点医药机构开展评估工作，其中信用等级为 A 级 1 家", 22),
        # The object goes on past the count: 5 is not all that was evaluated.
        ("水利建设市场领域", "对甲等5家施工单位和乙监理单位进行分级分类评价。", None),
        ("家政企业", "依托公共信用平台，A级企业5家", None),
        # A part after 其中 is not a total.
        ("家政企业", "全年共评定A级企业12家，其中新评定3家。", None),
        ("纳税企业", "A级纳税人236户，B级纳税人3495户，两者合计3731户。", 3731),
        # A total in brackets after the levels; a part in brackets is not one.
        ("家政企业", "A类8家、B类20家、C类2家（合计30家）", 30),
        ("家政企业", "A级8家、B级20家、C级2家(共计30家)。", 30),
        ("家政企业", "A级8家、B级20家（共：28家）", 28),
        ("家政企业", "A级8家（含新增2家），B级20家", None),
        ("家政企业", "A级8家（占全部30家的26.7%）", None),
    ],
)
def test_stated_totals(domain, text, stated):
    assert rate(domain, text).stated_total == stated


@pytest.mark.parametrize(
    ("domain", "text", "stated"),
    [
        # The object of a round of evaluation (复评, 初评, 终评), a grading (定级, 评分), or a
        # re-check of credit levels (信用等级复核) is the whole, as with 评价.
        (
            "家政企业",
            "对全市7家家政企业开展信用等级复评（本月新增1家），信用等级为A级5家、B级2家。",
            7,
        ),
        ("家政企业", "对全市6家家政企业开展信用等级复评，信用等级为A级5家、B级1家。", 6),
        ("企业劳动保障", "对176家企业开展诚信等级初评，A级12家、B级158家、C级6家。", 176),
        ("道路运输经营者", "对62家企业完成市级终评，AAA级8家、AA级41家、A级11家、B级2家。", 62),
        ("家政企业", "对全市7家家政企业进行定级，A级5家、B级2家。", 7),
        ("种子生产经营领域", "对全市80家种子生产经营主体开展信用等级复核，A级2个、B级78个。", 80),
        ("医疗机构", "对全市12家医疗机构开展信用复核，A级10家、B级2家。", 12),
        # A population in a scope, stated just before its breakdown into levels (no 其中).
        ("保安服务领域", "全市从事保安服务的单位6家，A级单位3家、B级单位3家，C级、D级单位0家。", 6),
        ("家政企业", "我市现有家政企业7家，A级5家、B级2家。", 7),
        ("家政企业", "目前全市家政企业7家，信用等级为A级5家、B级2家。", 7),
        ("保安服务领域", "辖区内保安服务单位6家，经评估A级单位3家，B级单位3家。", 6),
        ("家政企业", "全市家政企业7家，A级5家、B级2家（合计7家）。", 7),
    ],
)
def test_stated_totals_after_other_evaluation_words_and_before_a_breakdown(domain, text, stated):
    got = rate(domain, text)
    assert got.stated_total == stated
    assert got.consistent is True and got.review == []


@pytest.mark.parametrize(
    "text",
    [
        # 复核 of something else than credit levels: a re-check of a rectification.
        "对2家企业整改情况开展复核，A级5家、B级2家。",
        "对全市7家家政企业开展信用培育，A级5家、B级2家。",
        # The population and the levels in different sentences.
        "全市家政企业7家。A级5家、B级2家。",
        # Something done to them, a change, an approximate or compared number.
        "全市抽查家政企业7家，A级5家、B级2家。",
        "全市约谈家政企业7家，A级5家、B级2家。",
        "全市新增家政企业2家，A级5家、B级2家。",
        "全市家政企业较上年减少2家，A级5家、B级2家。",
        "全市家政企业约7家，A级5家、B级2家。",
        "全市家政企业100余家，A级5家、B级2家。",
        # Not followed by a breakdown into levels.
        "全市家政企业7家，对其中3家开展检查。",
        "全市家政企业7家，对A级企业减少检查频次。",
        "全市家政企业7家，11月对2家B级企业开展抽查。",
        # A second number before the count: not a bare population.
        "全市2022年新登记家政企业7家，A级5家、B级2家。",
        # People, not the entities the levels are counted in; a part of the city, not all.
        "全市家政服务人员600名，A级5家、B级2家。",
        "市本级家政企业3家，A级2家、B级1家。",
    ],
)
def test_no_stated_total_from_a_count_that_may_not_be_the_whole(text):
    assert rate("家政企业", text).stated_total is None


def test_a_population_before_levels_that_do_not_add_up_is_flagged():
    got = rate("保安服务领域", "全市从事保安服务的单位7家，A级单位3家、B级单位3家。")
    assert got.stated_total == 7 and got.counted_total == 6
    assert got.consistent is False
    assert got.problems == ["各等级之和 3+3=6 与总数 7 不符"]


def test_level_counts_that_do_not_add_up_are_flagged():
    got = rate("家政企业", "对全市 7 家家政企业进行信用等级评价，A 级 5 家，B 级 1 家。")
    assert got.counts == {"A": 5, "B": 1}
    assert got.stated_total == 7 and got.counted_total == 6
    assert got.consistent is False
    assert got.problems == ["各等级之和 5+1=6 与总数 7 不符"]


def test_breakdown_into_categories_is_checked():
    got = rate("企业劳动保障", "累计检查 169 家企业，其中市本级企业 23 家，县区企业 149 家。")
    assert got.consistent is False
    assert "其中各项之和 23+149=172 与总数 169 不符" in got.problems[0]
    ok = rate("企业劳动保障", "累计检查 172 家企业，其中市本级企业 23 家，县区企业 149 家。")
    assert ok.problems == [] and ok.consistent is None  # no level counts: nothing to reconcile


@pytest.mark.parametrize(
    ("text", "totals"),
    [
        ("共计10家，A级5家。合计12家。", "10、12"),
        # The population and the evaluated set: which one the levels add up to is unclear.
        ("全市共有家政企业 50 家，对其中 6 家进行评价，A 级 5 家，B 级 1 家。", "6、50"),
    ],
)
def test_two_different_totals_give_none_and_a_note(text, totals):
    got = rate("家政企业", text)
    assert got.stated_total is None
    assert got.consistent is None
    assert any(f"（{totals}）" in note for note in got.review)


# ---------------------------------------------------------------- precision


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("A级企业100余家。", "约数"),
        ("约30家被评为A级。", "约数"),
        ("C级、D级单位2家。", "几个等级合写一个数量"),
        ("新增A级企业5家。", "增减"),
        ("A级企业较上年增加5家。", "增减"),
        ("A级企业比上年多5家。", "比较"),
        ("其中A级企业中有3家被降级。", "增减"),
        ("从A级企业中抽查5家。", "抽查"),
        ("A级：236，B级：3495。", "写法无法确定"),
        ("A级若干家。", "写法无法确定"),
        ("F级3家。", "不是本领域评级体系中的等级"),
        ("A级及以上企业30家。", "范围"),
        ("A级企业占120家的40%。", "占比"),
        ("对10家企业和5家个体户评价，均评为A级。", "数量不止一个"),
        ("A级5家B级", "对应不清"),
        ("有3家企业由B级升为A级。", "对应不清"),
        ("A级企业由30家增至35家。", "对应不清"),
        ("去年A级企业10家。", "比较"),
        ("上月A级企业10家。", "比较"),
        ("甲家政有限公司等企业被评为A级。", "没有写数量"),
        ("甲家政有限公司和乙家政有限公司被评为A级。", "没有写数量"),
    ],
)
def test_unreadable_sentences_give_no_number_and_a_review_note(text, reason):
    got = rate("家政企业", text)
    assert got.counts == {}
    (note,) = got.review
    assert f"“{text}”" in note
    assert reason in note


@pytest.mark.parametrize(
    ("domain", "text"),
    [
        ("家政企业", "对于 A 级机构，抽查比例设置为原抽查比例的 10%；对于 B 级机构，为 30%。"),
        ("邮政快递企业", "按照综合服务能力由强到弱，分为 A 级、B 级、C、D、E 级五个等级。"),
        ("地方煤矿", "暂按 D 类矿井监管，正常建设后按以 C 类矿井监管。每季度检查不少于 1 次。"),
        ("家政企业", "对A级企业实行一户一档管理，一年内检查不超过 2 次。"),
        (
            "养老机构",
            "对信用评价为 B 的养老机构，按常规比例和频次抽查；对 C 级及 D 级的养老服务机构列为重点监管对象。",
        ),
        ("海关企业", "培育甲集团股份有限公司成为辖区首家海关AEO高级认证企业。"),
    ],
)
def test_mentions_without_numbers_of_entities_add_nothing(domain, text):
    # With numbers of entities and no counts, a note says why (test_rating_text_unread.py).
    got = rate(domain, text)
    assert got.counts == {}
    assert got.review == []


def test_a_level_given_twice_with_the_same_number_is_fine():
    got = rate(
        "种子生产经营领域", "A 级 2 个，B 级 76 个。对于 76 家信用等级 B 级的企业，开展指导性管理。"
    )
    assert got.counts == {"A": 2, "B": 76}
    assert got.problems == []


def test_placeholder_and_empty_text():
    for text in ("", "无", "同上月", "<p></p>"):
        got = rate("家政企业", text)
        assert got.counts == {} and got.stated_total is None and got.consistent is None


# ---------------------------------------------------------------- lists and months


def _list(domain: str, counts: dict[str, int], rows: int, unknown=()) -> ListCount:
    return ListCount(REG.domain(domain), "名单.xlsx", dict(counts), rows, list(unknown))


def test_a_list_replaces_the_text_counts_and_is_checked_against_them():
    d = REG.domain("家政企业")
    text = read_text("对全市 6 家家政企业进行评价，A 级 5 家，B 级 1 家。", d)
    got = reconcile(d, REG.tiers, text, [_list("家政企业", {"A": 4, "B": 1}, 5)])
    assert got.counts == {"A": 4, "B": 1}
    assert got.stated_total == 6  # the text's total is kept
    assert got.consistent is False
    assert "台账文字写A级 5，名单中数出 4" in got.problems
    assert "各等级之和 4+1=5 与总数 6 不符" in got.problems
    assert got.sources == ["名单.xlsx"]


def test_a_list_alone_is_reconciled_against_its_rows():
    d = REG.domain("纳税企业")
    ok = reconcile(d, REG.tiers, None, [_list("纳税企业", {"A": 2, "M": 1}, 3)])
    assert ok.consistent is True and ok.stated_total == 3
    assert ok.tiers == {"A": 2, "B": 1, "C": 0, "D": 0}
    bad = reconcile(
        d,
        REG.tiers,
        None,
        [_list("纳税企业", {"A": 2}, 3, [UnknownRow("名单.xlsx 第5行 第D列", "A+")])],
    )
    assert bad.consistent is False
    assert any("第5行" in note and "A+" in note for note in bad.review)


@dataclass(frozen=True)
class _Entry:
    text: str
    file: str
    location: str


class _Ledger:
    months = ("2022-10",)

    def entry(self, domain: str, month: str):
        if (domain, month) == ("纳税企业", "2022-10"):
            return _Entry("A级236户、B级3495户，共3731户。", "台账.xlsx", "第3行 第E列")
        return None


def test_rate_month_reports_every_domain_in_ledger_order():
    report = rate_month(REG, "2022-10", ledger=_Ledger())
    assert [d.domain.domain for d in report.domains] == [d.domain for d in REG.domains]
    tax = report.domains[0]
    assert tax.counts == {"A": 236, "B": 3495} and tax.consistent is True
    assert tax.sources == ["台账.xlsx 第3行 第E列"]
    data = report.to_json()
    assert data["month"] == "2022-10" and data["inconsistent"] == [] and data["errors"] == []
    assert data["domains"][1]["counts"] == {} and data["domains"][1]["stated_total"] is None


def test_rate_month_without_ledger_reports_only_listed_domains():
    report = rate_month(REG, "2022-10", lists=[_list("企业环境", {"绿": 3}, 3)])
    assert [d.domain.domain for d in report.domains] == ["企业环境"]


def test_a_grade_word_inside_other_words_is_not_a_count():
    # 认证 is a customs grade, but here it is part of "有认证意向": no 认证 count, a review note.
    got = rate(
        "海关企业",
        "对辖区17家企业开展核查，其中高级认证企业1家、一般信用企业16家。"
        "对2家有认证意向的企业开展“一对一”信用培育。",
    )
    assert got.counts == {"高级认证": 1, "一般信用": 16}
    assert got.stated_total == 17 and got.consistent is True
    assert any("不是评定关系" in note for note in got.review)


def test_an_increase_is_not_a_stated_total():
    got = rate(
        "建筑业企业",
        "对全市79家参评企业信用评价结果实施动态管理，本月新增2家建筑业三级企业参评。"
        "其中AAA级5家、AA级53家、A级21家。",
    )
    assert got.stated_total == 79
    assert got.consistent is True


# ---------------------------------------------------------------- rate_files


def test_rate_files_tells_ledgers_from_lists_and_reads_a_file_once(tmp_path: Path, seed_path):
    from hgcredit.ratings.rate import rate_files

    listed = tmp_path / "家政企业名单.csv"
    listed.write_text("企业名称,信用等级\n甲,A\n乙,A\n丙,B\n", encoding="utf-8")
    report = rate_files([seed_path, listed, tmp_path / "." / listed.name], "2022/10", REG)
    assert report.month == "2022-10" and report.errors == []
    by = {d.domain.domain: d for d in report.domains}
    assert len(by) == 23  # the ledger gives every domain
    assert by["家政企业"].counts == {"A": 2, "B": 1}  # the list, counted once
    assert by["纳税企业"].counts["A"] == 236  # the ledger's text
    assert by["家政企业"].sources[-1] == str(listed)


def test_rate_files_reports_bad_files_and_a_missing_month_as_problems(tmp_path: Path, seed_path):
    from hgcredit.errors import OptionError
    from hgcredit.ratings.rate import rate_files

    other = tmp_path / "通讯录.csv"
    other.write_text("姓名,电话\n甲,1\n", encoding="utf-8")
    listed = tmp_path / "纳税企业.csv"
    listed.write_text("纳税人名称,纳税信用级别\n甲,A\n", encoding="utf-8")
    report = rate_files([seed_path, other, listed], "2022-09", REG)
    assert [(p.file, p.kind) for p in report.errors] == [
        (str(other), "file"),
        (str(seed_path), "month"),
    ]
    assert "既不是台账" in report.errors[0].message
    assert "台账中没有 2022-09 这个月的一列" in report.errors[1].message
    assert [d.domain.domain for d in report.domains] == ["纳税企业"]  # the list alone
    with pytest.raises(OptionError, match="--month"):
        rate_files([listed], "10月", REG)


def test_a_list_whose_domain_cannot_be_told_loses_nothing_else(tmp_path: Path, seed_path):
    # Trial (December): one such list made ratings and summary print nothing but the error.
    import openpyxl

    from hgcredit.ratings.rate import rate_files

    unknown = tmp_path / "网点等级名单.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    for row in (["网点名称", "评定等级"], ["甲", "A"], ["乙", "B"]):
        book.active.append(row)
    known = book.create_sheet("家政企业")
    for row in (["企业名称", "信用等级"], ["丙", "A"]):
        known.append(row)
    book.save(unknown)
    report = rate_files([seed_path, unknown], "2022-10", REG)
    (problem,) = report.errors
    assert (problem.file, problem.sheet) == (str(unknown), "Sheet1")
    assert problem.message.startswith("[Sheet1] 无法确定这份名单属于哪个领域")
    by = {d.domain.domain: d for d in report.domains}
    assert len(by) == 23 and by["纳税企业"].counts["A"] == 236  # the ledger is still read
    assert by["家政企业"].counts == {"A": 1}  # and so is the file's other sheet


@pytest.mark.parametrize(
    ("domain", "text", "counts", "stated"),
    [
        # Trial (December): a colon opens the breakdown after what was evaluated.
        (
            "燃气企业",
            "12月，全市7家燃气经营企业信用评价结果：红榜企业2家、黄榜企业5家、黑榜企业0家。",
            {"红榜": 2, "黄榜": 5, "黑榜": 0},
            7,
        ),
        (
            "企业环境",
            "完成2022年度48家重点排污企业环境信用评价：绿色（诚信）34家，蓝色（良好）10家，"
            "黄色（警示）3家，红色（不良）1家。",
            {"绿": 34, "蓝": 10, "黄": 3, "红": 1},
            48,
        ),
        ("家政企业", "评定结果:A级6家、B级2家,共计8家", {"A": 6, "B": 2}, 8),
        # Neighbours: a colon after a level or a total labels the count; a time is no colon.
        ("林草监管领域", "A级企业：10户，B级企业：2户。", {"A": 10, "B": 2}, None),
        ("家政企业", "A级8家、B级20家（共：28家）", {"A": 8, "B": 20}, 28),
        ("家政企业", "10:30召开会议，A级5家、B级1家", {"A": 5, "B": 1}, None),
    ],
)
def test_a_colon_that_opens_the_breakdown(domain, text, counts, stated):
    got = rate(domain, text)
    assert got.counts == counts
    assert got.stated_total == stated
    assert got.review == []


@pytest.mark.parametrize(
    ("text", "counts", "stated", "consistent"),
    [
        # Trial (December): 处 counts anything, but the parts after 其中 count mines in it.
        (
            "2022年度地方煤矿安全生产分类共33处，其中C类煤矿31处、D类煤矿2处。",
            {"C": 31, "D": 2},
            33,
            True,
        ),
        ("分类共计33处，其中C类煤矿30处、D类煤矿2处。", {"C": 30, "D": 2}, 33, False),
        # Neighbours: no total mark right before the number, or parts in another unit.
        ("共发现隐患27处，其中C类煤矿31处、D类煤矿2处。", {"C": 31, "D": 2}, None, None),
        ("整改隐患共27处，其中重大隐患3处、一般隐患24处。", {}, None, None),
        ("分类共33处，其中C类煤矿31家、D类煤矿2家。", {"C": 31, "D": 2}, None, None),
    ],
)
def test_a_total_in_a_noun_unit_before_its_breakdown(text, counts, stated, consistent):
    got = rate("地方煤矿", text)
    assert got.counts == counts
    assert got.stated_total == stated
    assert got.consistent is consistent


@pytest.mark.parametrize(
    ("domain", "text", "stated"),
    [
        # Trial (December): the counted noun after the population's count.
        ("燃气企业", "全市7家燃气经营企业，红榜企业2家，黄榜企业5家，黑榜企业0家。", 7),
        ("保安服务领域", "全市从事保安服务的单位6家，A级单位3家、B级单位3家。", 6),
        # Neighbours: something is done to them, or more than the noun follows.
        ("燃气企业", "全市7家燃气经营企业完成整改，红榜企业2家，黄榜企业5家。", None),
        ("燃气企业", "全市7家燃气经营企业的负责人，红榜企业2家，黄榜企业5家。", None),
    ],
)
def test_a_population_with_its_noun_after_the_count(domain, text, stated):
    got = rate(domain, text)
    assert got.stated_total == stated
    assert got.review == []


@pytest.mark.parametrize(
    ("domain", "text", "stated"),
    [
        # Trial: the domain's own population and its count, then the breakdown (no 其中).
        (
            "道路运输经营者",
            "道路运输经营者 62 家，AAA级 8 家、AA级 20 家、A级 30 家、B级 4 家",
            62,
        ),
        ("道路运输经营者", "道路运输企业62家，AAA级8家、AA级20家、A级30家、B级4家。", 62),
        ("道路运输经营者", "目前道路运输经营者有62家，AAA级8家、AA级20家、A级30家、B级4家。", 62),
        ("保安服务领域", "保安服务单位6家，A级单位3家、B级单位3家。", 6),
        # Neighbours: a change, something done to them, an object, a part of the city, not
        # the domain's population, a number of people, another sentence, a date before it.
        ("道路运输经营者", "本月新增2家，AAA级8家、AA级20家。", None),
        ("道路运输经营者", "新增道路运输经营者2家，AAA级8家、AA级20家。", None),
        ("道路运输经营者", "对2家有认证意向的企业，AAA级8家、AA级20家。", None),
        ("道路运输经营者", "检查道路运输经营者62家，AAA级8家、AA级20家。", None),
        ("道路运输经营者", "道路运输经营者较上年增加62家，AAA级8家、AA级20家。", None),
        ("道路运输经营者", "道路运输经营者约62家，AAA级8家、AA级20家。", None),
        ("道路运输经营者", "道路运输经营者62家参加培训，AAA级8家、AA级20家。", None),
        ("道路运输经营者", "市本级道路运输经营者62家，AAA级8家、AA级20家。", None),
        ("道路运输经营者", "客运站62家，AAA级8家、AA级20家。", None),
        ("家政企业", "道路运输经营者62家，A级8家、B级20家。", None),
        ("道路运输经营者", "道路运输从业人员62名，AAA级8家、AA级20家。", None),
        ("道路运输经营者", "道路运输经营者62家。AAA级8家、AA级20家。", None),
        ("道路运输经营者", "2023年道路运输经营者62家，AAA级8家、AA级20家。", None),
    ],
)
def test_the_domains_own_population_before_its_levels_is_the_total(domain, text, stated):
    got = rate(domain, text)
    assert got.stated_total == stated
    assert got.review == []
    assert got.consistent is (True if stated is not None else None)


def test_the_domains_own_population_that_does_not_add_up_is_flagged():
    got = rate("道路运输经营者", "道路运输经营者62家，AAA级8家、AA级20家、A级30家、B级5家。")
    assert (got.stated_total, got.counted_total, got.consistent) == (62, 63, False)
    assert got.problems == ["各等级之和 8+20+30+5=63 与总数 62 不符"]


def test_thousands_grouped_by_a_space_are_one_number():
    # Trial (December): `B级3 512户` was read as B 512, a wrong count without a word.
    got = rate(
        "纳税企业", "A级纳税人236户，B级3 512户，M级5 340户，C级190户，D级611户，共计9 889户。"
    )
    assert got.counts == {"A": 236, "B": 3512, "M": 5340, "C": 190, "D": 611}
    assert (got.stated_total, got.consistent) == (9889, True)
    # Digits a space broke up that are no thousands give no count at all, never their tail.
    got = rate("家政企业", "A级12 3家，B级3家。")
    assert "A" not in got.counts and got.counts == {"B": 3}


@pytest.mark.parametrize(
    ("domain", "text", "stated"),
    [
        # A count a colon opens into levels is their total, as a scope's population is.
        ("邮政快递企业", "快递网点20个：A级5个，B级8个，C级4个，D级2个，E级1个", 20),
        ("家政企业", "家政企业8家：A级6家、B级2家。", 8),
        # Neighbours: something done to them, or no count before the colon.
        ("邮政快递企业", "检查快递网点20个：A级5个，B级8个", None),
        ("家政企业", "评价结果：A级6家、B级2家。", None),
    ],
)
def test_a_count_a_colon_opens_into_levels_is_the_total(domain, text, stated):
    got = rate(domain, text)
    assert got.stated_total == stated
    assert got.review == []
