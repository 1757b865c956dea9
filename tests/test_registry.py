from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from hgcredit.errors import RegistryError, UnknownDepartmentError
from hgcredit.registry import load_registry

SEED_ROWS = [
    (1, "市税务局", "纳税企业"),
    (2, "鹤岗海关", "海关企业"),
    (3, "市生态环境局", "企业环境"),
    (4, "市人社局", "企业劳动保障"),
    (5, "市住建局", "建筑业企业"),
    (6, "市交通运输局", "道路运输经营者"),
    (7, "市城管局", "燃气企业"),
    (8, "市煤管局", "地方煤矿"),
    (9, "市商务局", "家政企业"),
    (10, "市医保局", "定点医药机构"),
    (11, "市应急局", "安全生产领域"),
    (12, "市文体广旅局", "文化和旅游领域"),
    (13, "市市场监管局", "食品生产和经营领域"),
    (14, "市林草局", "林草监管领域"),
    (15, "市卫健委", "医疗机构"),
    (16, "市民政局", "养老机构"),
    (17, "市发改委", "粮食企业"),
    (18, "市水务局", "水利建设市场领域"),
    (19, "市农业农村局", "种子生产经营领域"),
    (20, "市消防队", "消防安全领域"),
    (21, "市邮政局", "邮政快递企业"),
    (22, "市公安局", "制毒化学品领域"),
    (22, "市公安局", "保安服务领域"),
]


def test_registry_has_the_seed_ledger_rows_in_order():
    reg = load_registry()
    assert [(d.serial, d.department, d.domain) for d in reg.domains] == SEED_ROWS
    assert len(reg.departments) == 22
    assert reg.deadline_day == 20


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("市税务局", "市税务局"),
        ("鹤岗市税务局", "市税务局"),
        ("国家税务总局鹤岗市税务局", "市税务局"),
        ("鹤岗市消防救援支队", "市消防队"),
        ("市 消防队", "市消防队"),
        ("鹤岗市生态环境局", "市生态环境局"),
        ("鹤岗市市场监督管理局", "市市场监管局"),
        ("市监局", "市市场监管局"),  # the usual short name (trial: refused as unknown)
    ],
)
def test_department_names_written_many_ways(written, canonical):
    assert load_registry().find_department(written) == canonical


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("市人社", "市人社局"),
        ("鹤岗市人社", "市人社局"),
        ("市卫健", "市卫健委"),
        ("市 消防", "市消防队"),
        ("市发改（盖章）", "市发改委"),
        ("鹤岗市人力资源和社会保障", "市人社局"),
    ],
)
def test_a_department_written_without_its_organ_word(written, canonical):
    # Trial: a return written 市人社 was refused as an unknown department.
    assert load_registry().match_department(written) == canonical


@pytest.mark.parametrize("written", ["人社", "卫健", "市教育", "市场", "市住", "税务总局"])
def test_too_short_or_unknown_short_names_stay_unknown(written):
    assert load_registry().match_department(written) is None


def test_a_short_name_two_departments_share_is_not_guessed(tmp_path: Path):
    text = resources.files("hgcredit").joinpath("registry.toml").read_text(encoding="utf-8")
    # Another department (交通) with a name that, without its organ word, is 市人社局's too.
    text = text.replace(
        'aliases = ["交通运输局", "市交通局"]',
        'aliases = ["交通运输局", "市交通局", "市人社委"]',
        1,
    )
    path = tmp_path / "reg.toml"
    path.write_text(text, encoding="utf-8")
    reg = load_registry(path)
    assert reg.match_department("市人社委") == "市交通运输局"
    assert reg.match_department("市人社") is None


def test_unknown_department_lists_nearest_names():
    with pytest.raises(UnknownDepartmentError) as err:
        load_registry().find_department("市税物局", file="x.xlsx")
    assert "x.xlsx" in str(err.value)
    assert "市税务局" in str(err.value)


def test_domain_names_with_inner_spaces_and_aliases():
    reg = load_registry()
    assert reg.find_domain("安全生产 领域").domain == "安全生产领域"
    assert reg.find_domain("<p>制毒化学 品领域</p>").domain == "制毒化学品领域"
    assert reg.find_domain("保安服务领域", department="市税务局") is None


def test_tiers_follow_domain_md():
    reg = load_registry()
    tiers = {d.domain: [lv.tier for lv in d.scale.levels] for d in reg.domains}
    assert tiers["纳税企业"] == ["A", "B", "B", "C", "D"]
    assert tiers["海关企业"] == ["A", "A", "B", "C", "D"]
    assert tiers["建筑业企业"] == ["A", "A", "B", "C", "D"]
    assert tiers["燃气企业"] == ["A", "C", "D"]
    assert tiers["邮政快递企业"] == ["A", "B", "C", "D", "D"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x=", "TOML 格式错误"),
        ("[office]\ntiers=['A']\n", "deadline_day"),
        ("[office]\ndeadline_day=40\ntiers=['A']\n", "1–28"),
    ],
)
def test_broken_registry_is_a_clear_error(tmp_path: Path, text, message):
    bad = tmp_path / "reg.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry(bad)
    assert message in str(err.value)
    assert str(bad) in str(err.value)


def test_registry_scale_reference_must_exist(tmp_path: Path):
    src = (Path(__file__).parent.parent / "hgcredit" / "registry.toml").read_text("utf-8")
    bad = tmp_path / "reg.toml"
    bad.write_text(src.replace('scale = "gas"', 'scale = "nope"'), encoding="utf-8")
    with pytest.raises(RegistryError, match="scale=nope"):
        load_registry(bad)


SOURCE = Path(__file__).parent.parent / "hgcredit" / "registry.toml"


def cut(text: str, start: str, end: str) -> str:
    """``text`` without the part from the line ``start`` up to ``end``."""
    i, j = text.index(start), text.index(end)
    return text[:i] + text[j:]


def test_header_words_and_evaluation_scales():
    reg = load_registry()
    assert reg.headers.words["code"][:3] == ("统一社会信用代码", "社会信用代码", "纳税人识别号")
    assert set(reg.headers.words) == {
        "code", "name", "grade", "county", "score", "office", "domain", "department", "year",
    }  # fmt: skip
    assert "时间" in reg.headers.excludes["grade"]
    assert reg.evaluations["tax"] is reg.scales["tax"]
    assert reg.evaluations["public"].labels == ("A", "B", "C", "D")
    assert [lv.tier for lv in reg.evaluations["public"].levels] == ["A", "B", "C", "D"]


def test_an_older_copy_without_headers_or_evaluations_takes_them_from_the_package(tmp_path):
    text = SOURCE.read_text("utf-8")
    text = cut(text, "# Column headers of entity lists", "# The 23 domains")
    text = cut(text, "# The city platform's public credit evaluation", "[scales.customs]")
    assert not {"[headers]", "[headers.not]", "[evaluations]", "[scales.public]"} & set(
        text.splitlines()
    )
    old = tmp_path / "old.toml"
    old.write_text(text, "utf-8")
    reg, packaged = load_registry(old), load_registry()
    assert reg.headers == packaged.headers
    assert reg.evaluations["public"].labels == ("A", "B", "C", "D")
    assert reg.evaluations["tax"].labels == packaged.evaluations["tax"].labels


def test_roles_an_office_does_not_list_keep_the_packaged_words(tmp_path):
    text = SOURCE.read_text("utf-8")
    text = cut(text, "grade = [", "name = [")
    text = text.replace('code = ["统一社会信用代码",', 'code = ["证照号码", "统一社会信用代码",')
    mine = tmp_path / "mine.toml"
    mine.write_text(text, "utf-8")
    reg = load_registry(mine)
    assert reg.headers.words["code"][0] == "证照号码"
    assert reg.headers.words["grade"] == load_registry().headers.words["grade"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'county = ["所属区县",',
            'color = ["颜色"]\ncounty = ["所属区县",',
            "color 不是已知的列用途",
        ),
        ('score = ["综合得分",', 'score = ["信用等级", "综合得分",', "“信用等级”同时列在"),
        ('office = ["主管税务机关", "所属税务机关", "税务机关"]', "office = []", "缺少 office"),
        ('county = ["代码"]', 'county = "代码"', "[headers.not] county 应为文字列表"),
        ('public = "public"', 'public = "nope"', "public = 'nope' 不是已定义的评级体系"),
        ('tax = "tax"   ', 'tax = "tax"\nlocal = "abcd"   ', "local 不是已知的评价"),
    ],
)
def test_broken_headers_or_evaluations_are_named(tmp_path: Path, old, new, message):
    text = SOURCE.read_text("utf-8")
    assert text.count(old) == 1, old
    bad = tmp_path / "reg.toml"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry(bad)
    assert message in str(err.value) and str(bad) in str(err.value)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("文旅局", "市文体广旅局"),  # 市文旅局 without 市
        ("卫生健康委员会", "市卫健委"),  # 鹤岗市卫生健康委员会 without 鹤岗市
        ("文体广电和旅游局", "市文体广旅局"),
        ("城市管理综合执法局", "市城管局"),
    ],
)
def test_a_department_written_without_the_city_prefix(written, canonical):
    # Trial: a return that wrote 文旅局 was refused although 市文旅局 is an alias.
    assert load_registry().match_department(written) == canonical


@pytest.mark.parametrize("written", ["萝北县应急管理局", "绥滨县卫生健康委员会", "场监管局x"])
def test_a_name_without_the_city_prefix_is_matched_only_whole(written):
    # 应急管理局 alone is the city's; inside a county's name it is not.
    assert load_registry().match_department(written) is None


def test_a_name_two_departments_share_without_the_prefix_is_not_guessed(tmp_path: Path):
    text = resources.files("hgcredit").joinpath("registry.toml").read_text(encoding="utf-8")
    # 交通 written 鹤岗市文旅局 while 文体广旅局 keeps 市文旅局: 文旅局 could be either.
    text = text.replace(
        'aliases = ["交通运输局", "市交通局"]',
        'aliases = ["交通运输局", "市交通局", "鹤岗市文旅局"]',
        1,
    )
    path = tmp_path / "reg.toml"
    path.write_text(text, encoding="utf-8")
    reg = load_registry(path)
    assert reg.match_department("鹤岗市文旅局") == "市交通运输局"
    assert reg.match_department("市文旅局") == "市文体广旅局"
    assert reg.match_department("文旅局") is None
