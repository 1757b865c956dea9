"""Entity lists counted by level; their domain found from columns, title, sheet or file name."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from hgcredit.errors import HeaderError, UnknownDomainError
from hgcredit.ratings.levels import LevelMatcher
from hgcredit.ratings.lists import classify, count_lists, guess_domain
from hgcredit.registry import load_registry

REG = load_registry()


def xlsx(path: Path, rows: list[list[object]], sheet: str = "Sheet1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding=encoding)
    return path


def counts_of(path: Path):
    kind, lists = classify(path, REG)
    assert kind == "list"
    return count_lists(lists, REG)


def test_tax_list_with_title_row_unknown_levels_and_a_total_row(tmp_path: Path):
    path = xlsx(
        tmp_path / "list.xlsx",
        [
            ["鹤岗市2021年度纳税信用等级评价结果"],
            ["序号", "纳税人名称", "纳税人识别号", "信用等级"],
            [1, "甲公司", "91230400AAAAAAAA01", "A"],
            [2, "乙公司", "91230400AAAAAAAA02", "Ａ级"],
            [3, "丙公司", "91230400AAAAAAAA03", "M"],
            [4, "丁公司", "91230400AAAAAAAA04", "A+"],
            [5, "戊公司", "91230400AAAAAAAA05", None],
            [6, "己公司", "91230400AAAAAAAA06", "b级"],
            ["合计", None, None, None],
        ],
    )
    (got,) = counts_of(path)
    assert got.domain.domain == "纳税企业"  # from the title row
    assert got.counts == {"A": 2, "B": 1, "M": 1}
    assert got.rows == 6
    assert [(u.where, u.value) for u in got.unknown] == [
        (f"{path}[Sheet1] 第6行 第D列", "A+"),
        (f"{path}[Sheet1] 第7行 第D列", ""),
    ]


def test_environment_colours_and_domain_from_the_sheet_name(tmp_path: Path):
    path = xlsx(
        tmp_path / "2022.xlsx",
        [
            ["企业名称", "标识颜色"],
            ["甲", "绿色"],
            ["乙", "绿牌"],
            ["丙", "蓝色标识"],
            ["丁", "红"],
            ["戊", "黄牌企业"],
        ],
        sheet="企业环境信用",
    )
    (got,) = counts_of(path)
    assert got.domain.domain == "企业环境"
    assert got.counts == {"绿": 2, "蓝": 1, "黄": 1, "红": 1}
    assert got.unknown == []


def test_domain_from_the_file_name_and_gbk_csv(tmp_path: Path):
    path = csv(
        tmp_path / "市城管局燃气企业红黄黑榜.csv",
        [["企业名称", "榜单"], ["甲燃气", "红榜"], ["乙燃气", "黄榜企业"], ["丙燃气", "黑榜"]],
        encoding="gb18030",
    )
    (got,) = counts_of(path)
    assert got.domain.domain == "燃气企业"
    assert got.counts == {"红榜": 1, "黄榜": 1, "黑榜": 1}


def test_a_domain_column_splits_one_list_into_domains(tmp_path: Path):
    path = csv(
        tmp_path / "汇总.csv",
        [
            ["领域", "单位名称", "评价等级"],
            ["家政企业", "甲", "A级"],
            ["家政企业", "乙", "B"],
            ["定点医药机构", "丙", "A"],
            ["保安服务", "丁", "C类"],
        ],
    )
    got = {c.domain.domain: c.counts for c in counts_of(path)}
    assert got == {"家政企业": {"A": 1, "B": 1}, "定点医药机构": {"A": 1}, "保安服务领域": {"C": 1}}


def test_rows_with_an_empty_domain_cell(tmp_path: Path):
    one = csv(
        tmp_path / "a.csv", [["领域", "名称", "等级"], ["家政企业", "甲", "A"], ["", "乙", "B"]]
    )
    (got,) = counts_of(one)
    assert got.counts == {"A": 1, "B": 1}  # the list's only domain
    two = csv(
        tmp_path / "b.csv",
        [
            ["领域", "名称", "等级"],
            ["家政企业", "甲", "A"],
            ["定点医药机构", "乙", "B"],
            ["", "丙", "B"],
        ],
    )
    with pytest.raises(UnknownDomainError, match="第4行没有填写领域或部门"):
        counts_of(two)


def test_a_department_column_names_the_domain(tmp_path: Path):
    path = csv(
        tmp_path / "x.csv",
        [
            ["实施部门", "企业", "信用等级"],
            ["鹤岗市住房和城乡建设局", "甲", "AAA"],
            ["市住建局", "乙", "AA级"],
        ],
    )
    (got,) = counts_of(path)
    assert got.domain.domain == "建筑业企业"
    assert got.counts == {"AAA": 1, "AA": 1}


def test_an_entity_listed_twice_counts_once(tmp_path: Path):
    path = csv(
        tmp_path / "家政企业.csv",
        [
            ["统一社会信用代码", "名称", "等级"],
            ["91230400MA1", "甲", "A"],
            ["91230400ma1", "甲", "A"],
            ["91230400MA2", "乙", "B"],
            ["91230400MA2", "乙", "A"],
        ],
    )
    (got,) = counts_of(path)
    assert got.counts == {"A": 1, "B": 1}
    assert got.rows == 2
    assert any("第3行与第2行是同一主体" in note for note in got.review)
    assert any("第5行与第4行是同一主体，等级却不同" in p for p in got.problems)


def test_an_empty_code_column_falls_back_to_the_name(tmp_path: Path):
    path = xlsx(
        tmp_path / "家政企业_信用等级名单.xlsx",
        [
            ["序号", "企业名称", "统一社会信用代码", "信用等级"],
            [1, "甲家政有限公司", None, "A级"],
            [2, "乙家政有限公司", "91230400MA2", "Ａ"],
            [3, "甲家政有限公司", None, "a"],
            [4, "丙家政有限公司", None, "B类"],
            ["合计", None, None, 4],
        ],
    )
    (got,) = counts_of(path)
    assert got.counts == {"A": 2, "B": 1}
    assert got.rows == 3
    assert any("第4行与第2行是同一主体，只计一次" in note for note in got.review)


def test_a_list_whose_domain_cannot_be_told_is_an_error_saying_how_to_fix(tmp_path: Path):
    path = csv(tmp_path / "名单.csv", [["企业名称", "信用等级"], ["甲", "A"]])
    with pytest.raises(UnknownDomainError) as err:
        counts_of(path)
    message = str(err.value)
    assert str(path) in message
    assert "改名" in message and "领域" in message


def test_a_list_graded_on_one_domains_scale_only_is_that_domains(tmp_path: Path):
    # Trial (December): 快递网点信用等级名单 (A–E) named no domain, and was refused; with a
    # title, a group header above the real one, and a total row.
    path = xlsx(
        tmp_path / "快递网点信用等级名单.xlsx",
        [
            ["快递末端网点信用等级评定结果（2022年12月）"],
            ["网点信息", None, "信用评价"],
            ["序号", "网点名称", "评定等级"],
            *[[i, f"网点{i}", g] for i, g in enumerate(["A级", "B级", "B级", "C级", "E级"], 1)],
            ["合计", None, "共5个网点"],
        ],
    )
    (count,) = counts_of(path)
    assert count.domain.domain == "邮政快递企业"
    assert (count.counts, count.rows, count.unknown) == ({"A": 1, "B": 2, "C": 1, "E": 1}, 5, [])


@pytest.mark.parametrize(
    "grades",
    [
        ["A", "B", "C", "D"],  # many domains use A–D
        ["AAA", "AA", "A"],  # 建筑业企业 and 道路运输经营者 both
        ["A", "E", "待定"],  # a grade no scale reads
    ],
)
def test_grades_that_fit_several_domains_or_none_tell_no_domain(tmp_path: Path, grades):
    path = csv(tmp_path / "名单.csv", [["企业名称", "信用等级"], *[[f"甲{g}", g] for g in grades]])
    with pytest.raises(UnknownDomainError, match="无法确定这份名单属于哪个领域"):
        counts_of(path)


def test_unknown_domain_in_a_domain_column_names_the_rows(tmp_path: Path):
    path = csv(tmp_path / "x.csv", [["领域", "名称", "等级"], ["火星领域", "甲", "A"]])
    with pytest.raises(UnknownDomainError, match="第2行领域或部门无法识别"):
        counts_of(path)


def test_classify_tells_ledgers_lists_and_neither(tmp_path: Path, seed_path: Path):
    assert classify(seed_path)[0] == "ledger"
    other = csv(tmp_path / "x.csv", [["姓名", "电话"], ["甲", "1"]])
    with pytest.raises(HeaderError) as err:
        classify(other)
    assert "既不是台账" in str(err.value) and str(other) in str(err.value)


def test_a_list_of_entities_without_grades_is_named_as_such(tmp_path: Path):
    # A department's list of the entities it supervises: codes, no grade column.
    path = csv(
        tmp_path / "养老机构名单.csv",
        [
            ["序号", "机构名称", "统一社会信用代码", "床位数"],
            ["1", "甲养老院", "91110000600037341L", "50"],
        ],
    )
    with pytest.raises(HeaderError) as err:
        classify(path)
    message = str(err.value)
    assert "是主体名单（有“统一社会信用代码”列），但没有等级列" in message
    assert "找到的列：序号、机构名称、统一社会信用代码、床位数" in message
    assert "hgcredit reconcile" in message


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("鹤岗市2022年度纳税信用A级纳税人名单", "纳税企业"),
        ("定点医疗机构信用评价结果", "定点医药机构"),
        ("国家税务总局鹤岗市税务局", "纳税企业"),
        ("市公安局保安服务单位", "保安服务领域"),
        ("市公安局名单", None),
        ("评级名单", None),
    ],
)
def test_guess_domain(text, domain):
    found = guess_domain(text, REG)
    assert (found.domain if found else None) == domain


@pytest.mark.parametrize(
    ("domain", "cell", "label"),
    [
        ("海关企业", "AEO高级认证企业", "高级认证"),
        ("海关企业", "一般认证", "认证"),
        ("地方煤矿", "D类", "D"),
        ("建筑业企业", "AAA级", "AAA"),
        ("建筑业企业", "3A级", "AAA"),  # the count and the letter
        ("建筑业企业", "3A", "AAA"),
        ("建筑业企业", "2A级（信用良好）", "AA"),
        ("道路运输经营者", "3A级企业", "AAA"),
        ("建筑业企业", "A3", None),  # not a shorthand
        ("建筑业企业", "6A", None),
        ("建筑业企业", "13A", None),
        ("家政企业", "AA", None),
        ("燃气企业", "红", None),
    ],
)
def test_list_cells(domain, cell, label):
    assert LevelMatcher(REG.domain(domain).scale).match_cell(cell) == label


def test_a_workbook_with_a_ledger_sheet_is_a_ledger_and_lists_in_every_sheet_count(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "家政企业"
    ws.append(["企业名称", "信用等级"])
    ws.append(["甲", "A（95分）"])  # a score in brackets is not part of the level
    other = wb.create_sheet("养老机构")
    other.append(["机构名称", "评定结果"])
    other.append(["乙", "B级"])
    wb.save(tmp_path / "名单.xlsx")
    got = {c.domain.domain: c.counts for c in counts_of(tmp_path / "名单.xlsx")}
    assert got == {"家政企业": {"A": 1}, "养老机构": {"B": 1}}
    ledger = wb.create_sheet("台账")
    ledger.append(["序号", "实施部门", "分级分类领域", "2022年10月开展情况"])
    wb.save(tmp_path / "混合.xlsx")
    assert classify(tmp_path / "混合.xlsx", REG) == ("ledger", [])


def test_a_named_entity_without_level_is_unknown_and_a_numbered_empty_row_is_skipped(
    tmp_path: Path,
):
    path = xlsx(
        tmp_path / "家政企业.xlsx",
        [
            ["序号", "企业名称", "统一社会信用代码", "信用等级"],
            [1, "甲家政", "91230400MA1", "A"],
            [2, "乙家政", None, None],  # named, no level: an entity whose level is unknown
            [3, None, None, None],  # a template's numbered empty row: no entity
        ],
    )
    (got,) = counts_of(path)
    assert got.counts == {"A": 1} and got.rows == 2
    assert [(u.where, u.value) for u in got.unknown] == [(f"{path}[Sheet1] 第3行 第D列", "")]


def test_a_list_grouped_under_grade_headings_is_counted_by_its_headings(tmp_path: Path):
    path = tmp_path / "2022年度道路运输企业质量信誉考核结果.csv"
    path.write_text(
        "序号,企业名称,统一社会信用代码,经营范围\n"
        "一、AAA级企业（1家）,,,\n1,甲,91110000600037341L,货运\n"
        "二、AA级（合格）企业（共2家）,,,\n2,乙,91110000600037342X,货运\n3,丙,91110000600037343P,客运\n",
        encoding="utf-8",
    )
    (count,) = counts_of(path)
    assert count.domain.domain == "道路运输经营者"
    assert (count.counts, count.rows, count.unknown) == ({"AAA": 1, "AA": 2}, 3, [])


def test_the_public_evaluation_given_to_ratings_is_named_as_such(tmp_path: Path):
    # Graded A–D like many domains, so no domain can be told; before, the clerk was told to
    # rename it after a domain (纳税企业_评级名单.xlsx), which would count it wrongly.
    path = xlsx(
        tmp_path / "鹤岗市2022年度公共信用综合评价结果.xlsx",
        [
            ["序号", "统一社会信用代码", "市场主体名称", "评价等级"],
            [1, "91110000600037341L", "甲", "A"],
        ],
    )
    with pytest.raises(UnknownDomainError) as err:
        counts_of(path)
    message = str(err.value)
    assert "这是公共信用评价结果，不是某个领域的评级名单" in message
    assert "hgcredit double-a --public" in message and "hgcredit reconcile --public" in message
    assert "改名" not in message
