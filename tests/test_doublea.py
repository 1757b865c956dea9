"""The double-A join on messy lists whose answer is known row by row."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from stdnum.cn import uscc

from hgcredit.doublea.compute import (
    KIND_AMBIGUOUS,
    KIND_CONFLICT,
    KIND_DUPLICATE,
    KIND_GRADE,
    KIND_INVALID,
    KIND_LABELS,
    compute,
    detail_rows,
)
from hgcredit.entities.lists import ListSpec, read_list
from hgcredit.ratings.levels import normalise_grade
from hgcredit.registry import load_registry

SCALES = load_registry().evaluations  # the tax list's A B M C D, the public list's A B C D


def set_text_cell(cell: Any, value: object) -> None:
    """Put a value into an openpyxl cell; text stays text (``=SUM(1,2)`` is no formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def code(division: str, org: str, kind: str = "91") -> str:
    body = kind + division + org
    return body + uscc.calc_check_digit(body)  # python-stdnum builds the fixtures


E1 = code("230402", "MA1B2C3D4")  # 向阳区
E2 = code("230421", "MA2B2C3D4")  # 萝北县
E3 = code("230403", "MA3B2C3D4")  # 工农区
E4 = code("230404", "MA4B2C3D4")
E5 = code("230405", "MA5B2C3D4")
E6 = code("230406", "MA6B2C3D4")  # 东山区
E7 = code("230407", "MA7B2C3D4")
E8 = code("230422", "MA8B2C3D4")  # 绥滨县
E9 = code("230402", "MA9B2C3D4")
E10 = code("230402", "123456789")  # all digits: Excel turns it into a number
E11 = code("230403", "MAAB2C3D4")
E12 = code("230404", "MABB2C3D4")


def wrong_check(c: str) -> str:
    return c[:-1] + ("0" if c[-1] != "0" else "1")


def wide(c: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) for ch in c)


E10_AS_NUMBER = float(f"{float(E10):.15g}")

PUBLIC_ROWS: list[list[object]] = [  # rows 3.. under a title row and the header
    [1, E1, "鹤岗市宝泉建材有限公司", "向阳区", 912, "A"],
    [2, E2.lower(), "萝北县鑫达石墨有限公司", "", 905, "A级"],
    [3, f"{E3[:8]} {E3[8:]}", "鹤岗市兴盛煤业有限公司", "工农区", 930, "A"],
    [4, E4, "鹤岗市隆昌商贸有限公司", "南山区", 880, "A"],
    [5, E5, "鹤岗市恒鸿物流有限公司", "兴安区", 760, "B"],
    [6, E6, "鹤岗市瑞金热力有限公司", "东山区", 901, "A"],
    [7, E7, "鹤岗市龙江木业有限公司", "兴山区", 899, "A"],
    [8, E8, "绥滨县松林粮食贸易有限公司", "绥滨县", 950, "A"],
    [9, E8, "绥滨县松林粮食贸易有限公司", "绥滨县", 950, "A"],  # duplicate, same grade
    [10, wide(E9), "=HYPERLINK(鹤岗)", "鹤岗市东山区", 915, "Ａ"],
    [11, E10_AS_NUMBER, "鹤岗市众诚医药有限公司", "向阳区", 940, "A"],
    [12, E11, "鹤岗市通益食品有限公司", "工农区", 870, "A"],
    [13, E11, "鹤岗市通益食品有限公司", "工农区", 720, "B"],  # conflict
    [None, None, None, None, None, None],
    ["合计：13 行", None, None, None, None, None],
]
TAX_ROWS: list[list[object]] = [  # rows 2..
    [E1, "鹤岗市宝泉建材有限公司", "A"],
    [wide(E2), "萝北县鑫达石墨有限公司", "A"],
    [E3[2:17], "鹤岗市兴盛煤业有限公司", "A"],  # legacy 15-character id
    [wrong_check(E4), "鹤岗市隆昌商贸有限公司", "A"],
    [E5, "鹤岗市恒鸿物流有限公司", "A"],
    [E6, "鹤岗市瑞金热力有限公司", "A"],
    [f" {E6.lower()} ", "鹤岗市瑞金热力有限公司", "a"],  # the same code again, same grade
    [E7, "鹤岗市龙江木业有限公司", "A"],
    [E7, "鹤岗市龙江木业有限公司", "B"],  # conflict
    [E8, "绥滨县松林粮食贸易有限公司", "A"],
    [E9, "鹤岗市润丰物业管理有限公司", "A"],
    ["9.12304e+17", "鹤岗市佳美超市", "B"],
    [E11, "鹤岗市通益食品有限公司", "A"],
    [E12, "鹤岗市旗胜运输有限公司", "A"],
]
DOUBLE_A = {E1, E2, E3, E6, E8, E9}


def write_public(path: Path, rows: list[list[object]] = PUBLIC_ROWS) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["鹤岗市2022年度市场主体公共信用综合评价结果"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "统一社会信用代码", "市场主体名称", "所属区县", "综合得分", "信用等级"])
    for i, row in enumerate(rows, 3):
        for j, value in enumerate(row, 1):
            if value is not None:
                set_text_cell(ws.cell(i, j), value)
    wb.save(path)
    return path


def write_tax(path: Path, rows: list[list[object]] = TAX_ROWS) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["纳税人识别号", "纳税人名称", "纳税信用级别"])
    for i, row in enumerate(rows, 2):
        for j, value in enumerate(row, 1):
            set_text_cell(ws.cell(i, j), value)
    wb.save(path)
    return path


@pytest.fixture
def lists(tmp_path: Path):
    tax = read_list(ListSpec(write_tax(tmp_path / "tax.xlsx"), "纳税信用名单"))
    public = read_list(ListSpec(write_public(tmp_path / "public.xlsx"), "公共信用评价名单"))
    return tax, public


def test_exact_double_a_set_and_counts(lists) -> None:
    tax, public = lists
    result = compute(tax, public, load_registry())
    assert {e.code for e in result.enterprises} == DOUBLE_A
    assert result.matched_via_legacy_id == 1
    assert [e.code for e in result.enterprises if e.legacy_id] == [E3]
    assert result.tax.to_json() | {"file": "", "columns": {}} == {
        "file": "",
        "rows": 14,
        "entities": 10,  # E1-E3, E5-E9, E11, E12: E4 only appears with an invalid code
        "invalid_codes": 2,
        "legacy_ids": 1,
        "duplicates": 1,
        "conflicts": 1,
        "grade_a": 9,
        "columns": {},
        "grades": ["A", "B", "M", "C", "D"],  # the tax scale
        "grade_from_title": None,  # it has a grade column
    }
    assert result.public.rows == 13  # the blank row and the total line are not entities
    assert (result.public.invalid_codes, result.public.duplicates) == (1, 1)
    assert (result.public.conflicts, result.public.grade_a) == (1, 8)


def test_problems_name_file_row_and_reason(lists) -> None:
    tax, public = lists
    result = compute(tax, public, load_registry())
    found = {(q.list_label, q.row, q.kind, q.reason, q.affects) for q in result.problems}
    assert found == {
        ("纳税信用名单", 5, KIND_INVALID, "校验码错误", True),
        ("纳税信用名单", 8, KIND_DUPLICATE, KIND_LABELS[KIND_DUPLICATE], False),
        ("纳税信用名单", 9, KIND_CONFLICT, KIND_LABELS[KIND_CONFLICT], True),
        ("纳税信用名单", 10, KIND_CONFLICT, KIND_LABELS[KIND_CONFLICT], True),
        ("纳税信用名单", 13, KIND_INVALID, "以数字形式保存，末几位已丢失", False),
        ("公共信用评价名单", 11, KIND_DUPLICATE, KIND_LABELS[KIND_DUPLICATE], False),
        ("公共信用评价名单", 13, KIND_INVALID, "以数字形式保存，末几位已丢失", True),
        ("公共信用评价名单", 14, KIND_CONFLICT, KIND_LABELS[KIND_CONFLICT], True),
        ("公共信用评价名单", 15, KIND_CONFLICT, KIND_LABELS[KIND_CONFLICT], True),
    }
    assert result.needs_attention == 6
    by_row = {(q.list_label, q.row): q for q in result.problems}
    assert by_row["纳税信用名单", 5].detail == f"校验码错误：第 18 位应为“{E4[-1]}”，实为“0”"
    assert by_row["纳税信用名单", 8].detail == "与第7行是同一代码、同一等级，只计一次"
    assert "A（第9行）、B（第10行）" in by_row["纳税信用名单", 9].detail
    assert by_row["公共信用评价名单", 13].raw_code == "9.12304021234568e+17"
    assert all(q.file.endswith(("tax.xlsx", "public.xlsx")) for q in result.problems)


def test_county_from_column_else_from_code(lists) -> None:
    tax, public = lists
    result = compute(tax, public, load_registry())
    county = {e.code: e.county for e in result.enterprises}
    assert county[E1] == "向阳区"  # column
    assert county[E2] == "萝北县"  # blank column: division 230421 in the code
    assert county[E9] == "东山区"  # "鹤岗市东山区" in the column, not the code's 向阳区
    assert result.by_county["绥滨县"] == 1
    assert result.by_county["兴山区"] == 0  # every district and county is listed
    assert sum(result.by_county.values()) == len(DOUBLE_A)
    # Enterprises come in the registry's county order.
    order = list(load_registry().divisions.values())
    ranks = [order.index(e.county) for e in result.enterprises]
    assert ranks == sorted(ranks)


def test_a_county_cell_naming_no_division_gives_way_to_the_code(tmp_path: Path) -> None:
    # The platform writes 市本级 for city-level entities: they count under 鹤岗市 (as the
    # city-level code 230400 says), not under a county of their own.
    city = code("230400", "MA1CTY001")
    far = code("230102", "MAHRB0001")  # registered in Harbin: the cell is all we have
    rows = [
        [1, city, "鹤岗市市级公司", "市本级", 950, "A"],
        [2, far, "外地公司", "哈尔滨市道里区", 940, "A"],
    ]
    public = read_list(ListSpec(write_public(tmp_path / "p.xlsx", rows), "公共信用评价名单"))
    tax_rows: list[list[object]] = [[city, "鹤岗市市级公司", "A"], [far, "外地公司", "A"]]
    tax = read_list(ListSpec(write_tax(tmp_path / "t.xlsx", tax_rows), "纳税信用名单"))
    result = compute(tax, public, load_registry())
    assert {e.code: e.county for e in result.enterprises} == {city: "鹤岗市", far: "哈尔滨市道里区"}
    assert "市本级" not in result.by_county
    assert result.by_county["鹤岗市"] == 1


def test_names_grades_scores_of_the_enterprises(lists) -> None:
    tax, public = lists
    result = compute(tax, public, load_registry())
    e9 = next(e for e in result.enterprises if e.code == E9)
    assert e9.name == "=HYPERLINK(鹤岗)"  # the public list's name, kept as written
    assert (e9.tax_grade, e9.public_grade, e9.score) == ("A", "A", 915)
    assert all(isinstance(e.score, int) for e in result.enterprises)


def test_county_from_code_when_there_is_no_county_column(tmp_path: Path) -> None:
    rows = [[r[0], r[1], r[2], r[4], r[5]] for r in PUBLIC_ROWS[:3]]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "统一社会信用代码", "企业名称", "得分", "评价等级"])
    for row in rows:
        ws.append(row)
    wb.save(tmp_path / "p.xlsx")
    public = read_list(ListSpec(tmp_path / "p.xlsx", "公共信用评价名单"))
    tax = read_list(ListSpec(write_tax(tmp_path / "t.xlsx"), "纳税信用名单"))
    result = compute(tax, public, load_registry())
    assert {e.code: e.county for e in result.enterprises} == {
        E1: "向阳区",
        E2: "萝北县",
        E3: "工农区",
    }


def test_previous_list_added_removed_kept(lists, tmp_path: Path) -> None:
    tax, public = lists
    prev = tmp_path / "2021年双A企业.csv"
    with prev.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["统一社会信用代码", "企业名称"])
        w.writerows([[E1, "鹤岗市宝泉建材有限公司"], [E5, "鹤岗市恒鸿物流"], [E12, ""]])
        w.writerows([["91230402XXXX", "坏代码"], [E7, "龙江木业"]])
    previous = read_list(ListSpec(prev, "上年双A名单", required=("code",)))
    result = compute(tax, public, load_registry(), previous)
    diff = result.previous
    assert diff is not None
    assert {e.code for e in diff.kept} == {E1}
    assert {e.code for e in diff.added} == DOUBLE_A - {E1}
    removed = {r.code: r for r in diff.removed}
    assert set(removed) == {E5, E12, E7}
    assert removed[E5].reason == "公共信用评价名单中等级为 B"
    assert removed[E12].reason == "公共信用评价名单中没有该企业"
    assert removed[E7].reason == "纳税信用名单中等级冲突"
    assert removed[E12].name == "鹤岗市旗胜运输有限公司"  # from this year's lists
    assert removed[E12].county == "南山区"
    bad = [q for q in result.problems if q.list_label == "上年双A名单"]
    assert [(q.row, q.kind, q.affects) for q in bad] == [(5, KIND_INVALID, False)]
    assert result.to_json()["previous"]["added"] == len(DOUBLE_A) - 1


def test_ambiguous_legacy_id_is_listed_not_guessed(tmp_path: Path) -> None:
    twin = "92" + E1[2:17]
    twin += uscc.calc_check_digit(twin)
    public = read_list(
        ListSpec(
            write_public(
                tmp_path / "p.xlsx",
                [[1, E1, "甲", "向阳区", 900, "A"], [2, twin, "乙", "向阳区", 900, "A"]],
            ),
            "公共信用评价名单",
        )
    )
    tax = read_list(
        ListSpec(write_tax(tmp_path / "t.xlsx", [[E1[2:17], "甲", "A"]]), "纳税信用名单")
    )
    result = compute(tax, public, load_registry())
    assert result.enterprises == []
    (q,) = result.problems
    assert q.affects and E1 in q.detail and twin in q.detail


TWIN = "92" + E1[2:17] + uscc.calc_check_digit("92" + E1[2:17])  # same org code, other kind


@pytest.mark.parametrize(
    ("public_rows", "legacy", "double_a", "problems"),
    [
        # One unified code fits the legacy id: matched through it.
        ([[1, E1, "甲", "向阳区", 900, "A"]], E1[2:17], [E1], []),
        # The same one code written twice: still one candidate (and a duplicate row).
        (
            [[1, E1, "甲", "向阳区", 900, "A"], [2, E1.lower(), "甲", "向阳区", 900, "A"]],
            E1[2:17],
            [E1],
            [(4, KIND_DUPLICATE, False)],
        ),
        # Written as exports do (lower case, spaces): cleaned, then matched.
        ([[1, E1, "甲", "向阳区", 900, "A"]], f" {E1[2:8].lower()} {E1[8:17].lower()} ", [E1], []),
        # Two codes fit: listed as a problem that may change the list, not guessed.
        (
            [[1, E1, "甲", "向阳区", 900, "A"], [2, TWIN, "乙", "向阳区", 900, "A"]],
            E1[2:17],
            [],
            [(2, KIND_AMBIGUOUS, True)],
        ),
        # None fits: a taxpayer the public evaluation does not know, no problem.
        ([[1, E2, "乙", "萝北县", 900, "A"]], E1[2:17], [], []),
        # One fits but is not A in the public evaluation: not double-A, no problem.
        ([[1, E1, "甲", "向阳区", 800, "B"]], E1[2:17], [], []),
    ],
    ids=["one", "one-written-twice", "one-as-exported", "two", "none", "one-not-a"],
)
def test_legacy_id_neighbours(
    tmp_path: Path, public_rows: list[list[object]], legacy: str, double_a: list[str], problems
) -> None:
    public = read_list(ListSpec(write_public(tmp_path / "p.xlsx", public_rows), "公共信用评价名单"))
    tax = read_list(ListSpec(write_tax(tmp_path / "t.xlsx", [[legacy, "甲", "A"]]), "纳税信用名单"))
    result = compute(tax, public, load_registry())
    assert [e.code for e in result.enterprises] == double_a
    assert all(e.legacy_id == E1[2:17] for e in result.enterprises)
    assert result.matched_via_legacy_id == len(double_a)
    assert [(q.row, q.kind, q.affects) for q in result.problems] == problems
    assert result.tax.legacy_ids == 1 and result.tax.invalid_codes == 0
    ambiguous = [q for q in result.problems if q.kind == KIND_AMBIGUOUS]
    assert all(E1 in q.detail and TWIN in q.detail for q in ambiguous)


def test_detail_has_every_row_with_its_outcome(lists) -> None:
    tax, public = lists
    result = compute(tax, public, load_registry())
    rows = list(detail_rows(result))
    assert len(rows) == 14 + 13
    outcome = {(r[0], r[3]): r[-1] for r in rows}
    assert outcome["纳税信用名单", "2"] == "双A企业"
    assert outcome["纳税信用名单", "8"] == "重复（已计入第7行）"
    assert outcome["纳税信用名单", "9"] == "等级冲突，不计入"
    assert outcome["纳税信用名单", "5"] == "代码无效，不计入"
    assert outcome["纳税信用名单", "6"] == "本名单A级，但公共信用评价名单中等级为 B"
    assert outcome["纳税信用名单", "15"] == "本名单A级，但公共信用评价名单中没有该企业"
    assert outcome["公共信用评价名单", "7"] == "非A级（B）"


@pytest.mark.parametrize("evaluation", ["tax", "public"])
@pytest.mark.parametrize(
    ("written", "label"),
    [("A", "A"), ("A级", "A"), ("Ａ 级", "A"), ("a", "A"), ("A类", "A"), ("AA级", "AA"), ("", "")],
)
def test_grades_as_written(written: str, label: str, evaluation: str) -> None:
    assert normalise_grade(written, SCALES[evaluation]) == label


def test_detail_names_are_cleaned_like_the_workbook(tmp_path: Path) -> None:
    public = read_list(
        ListSpec(
            write_public(tmp_path / "p.xlsx", [[1, E1, "<p>鹤岗市  宝泉建材</p>", "", 900, "A"]]),
            "公共信用评价名单",
        )
    )
    tax = read_list(ListSpec(write_tax(tmp_path / "t.xlsx", [[E1, "鹤岗市宝泉建材", "A"]]), "x"))
    result = compute(tax, public, load_registry())
    assert result.enterprises[0].name == "鹤岗市 宝泉建材"
    assert [r[8] for r in detail_rows(result)] == ["鹤岗市宝泉建材", "鹤岗市 宝泉建材"]


@pytest.mark.parametrize(
    ("written", "label"),
    [
        ("A（90分）", "A"),
        ("A级(2021年度)", "A"),
        ("【A】", "A"),
        ("A级纳税人", "A"),
        ("Ａ级企业", "A"),
        ("B（75分）", "B"),
        ("AAA级企业", "AAA"),
        ("3A级", "AAA"),  # reported as what it is, not as A
        ("A+", "A+"),
        ("（空）", "空"),
    ],
)
@pytest.mark.parametrize("evaluation", ["tax", "public"])
def test_grades_with_scores_notes_and_nouns(written: str, label: str, evaluation: str) -> None:
    assert normalise_grade(written, SCALES[evaluation]) == label


def test_empty_lists_give_no_double_a(tmp_path: Path) -> None:
    tax = read_list(ListSpec(write_tax(tmp_path / "t.xlsx", []), "纳税信用名单"))
    public = read_list(ListSpec(write_public(tmp_path / "p.xlsx", []), "公共信用评价名单"))
    result = compute(tax, public, load_registry(), previous=tax)
    assert (result.enterprises, result.problems, result.tax.rows) == ([], [], 0)
    assert result.previous is not None and result.previous.removed == []


def test_codes_as_exports_wrap_them_still_match(tmp_path: Path) -> None:
    digits = code("230404", "987654321")
    tax_csv = tmp_path / "纳税.csv"
    rows = [
        ["纳税人识别号", "纳税人名称", "纳税信用级别"],
        ["'" + E1, "甲", "A"],
        [E2 + "\u200b", "乙", "A"],
        [digits[2:17] + ".0", "丙", "A"],  # a legacy id after a csv round trip
        ['="' + E6 + '"', "丁", "A"],
        [E8.replace("0", "O", 1), "戊", "A"],  # a typo: stays invalid, with the fix named
    ]
    with tax_csv.open("w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows(rows)
    tax = read_list(ListSpec(tax_csv, "纳税信用名单"))
    more = [[14, digits, "丙", "南山区", 900, "A"]]
    public = read_list(
        ListSpec(write_public(tmp_path / "p.xlsx", PUBLIC_ROWS + more), "公共信用评价名单")
    )
    result = compute(tax, public, load_registry())
    assert {e.code for e in result.enterprises} == {E1, E2, digits, E6}
    assert result.tax.invalid_codes == 1 and result.tax.legacy_ids == 1
    (typo,) = [q for q in result.problems if q.list_label == "纳税信用名单"]
    assert typo.row == 6 and f"把字母 O 改为数字 0 后为 {E8}" in typo.detail
    notes = {r[3]: r[7] for r in detail_rows(result) if r[0] == "纳税信用名单"}
    assert notes["2"] == "已去掉代码前的撇号"
    assert notes["3"] == "已去掉不可见字符"
    assert notes["4"] == "已去掉末尾的“.0”"


def test_grades_outside_the_scales_are_listed(tmp_path: Path) -> None:
    rows = [
        [1, E1, "甲", "", 990, "AAA级"],
        [2, E2, "乙", "", 980, "AA"],
        [3, E3, "丙", "", 970, "A"],
        [4, E6, "丁", "", 960, "E级"],
        [5, E6, "丁", "", 960, "E级"],  # a repeat: listed once, as a duplicate
    ]
    public = read_list(ListSpec(write_public(tmp_path / "p.xlsx", rows), "公共信用评价名单"))
    tax = read_list(ListSpec(write_tax(tmp_path / "t.xlsx"), "纳税信用名单"))
    result = compute(tax, public, load_registry())
    assert {e.code for e in result.enterprises} == {E3}  # AAA and AA are not A
    assert result.public.unknown_grades == {"AAA": 1, "AA": 1, "E": 2}
    assert result.tax.unknown_grades == {}
    graded = {q.row: q for q in result.problems if q.kind == KIND_GRADE}
    assert sorted(graded) == [3, 4, 6]
    assert (graded[3].affects, graded[4].affects, graded[6].affects) == (True, True, False)
    # The public evaluation's scale (the registry's [evaluations]) is A B C D.
    assert "等级“AAA”不是 A、B、C、D 中的一级" in graded[3].detail
    assert "不算 A 级" in graded[3].detail
    assert result.to_json()["unknown_grades"] == {
        "tax": {},
        "public": {"AAA": 1, "AA": 1, "E": 2},
    }


def test_a_public_list_graded_you_liang_zhong_cha_reads_as_a_b_c_d(tmp_path: Path) -> None:
    # Platforms export the public evaluation as 优/良/中/差 (the registry's forms of A–D).
    rows = [
        [1, E1, "甲", "向阳区", 95, "优"],
        [2, E2, "乙", "萝北县", 92, "优秀"],
        [3, E3, "丙", "工农区", 80, "良"],
        [4, E4, "丁", "南山区", 60, "中"],
        [5, E5, "戊", "兴安区", 30, "差"],
    ]
    public = read_list(ListSpec(write_public(tmp_path / "p.xlsx", rows), "公共信用评价名单"))
    tax = read_list(ListSpec(write_tax(tmp_path / "t.xlsx"), "纳税信用名单"))
    result = compute(tax, public, load_registry())
    assert result.public.unknown_grades == {}
    assert result.public.grade_a == 2
    assert {e.code for e in result.enterprises} == {E1, E2}  # E3 is 良 (B), E5 差 (D)
    assert result.to_json()["public"]["grade_a"] == 2


def test_county_from_the_tax_office_when_no_list_names_it(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        [
            "序号",
            "统一社会信用代码（纳税人识别号）",
            "纳税人名称",
            "纳税信用级别（2021年度）",
            "主管税务机关",
        ]
    )
    ws.append([1, E1, "甲", "A", "国家税务总局萝北县税务局"])  # the code says 向阳区
    ws.append([2, E6, "丁", "A", "国家税务总局鹤岗市税务局"])  # city level: the code's 东山区
    ws.append([3, E8, "戊", "A", "国家税务总局鹤岗市向阳区税务局"])  # the public list says 绥滨县
    wb.save(tmp_path / "t.xlsx")
    tax = read_list(ListSpec(tmp_path / "t.xlsx", "纳税信用名单"))
    public = read_list(ListSpec(write_public(tmp_path / "p.xlsx"), "公共信用评价名单"))
    result = compute(tax, public, load_registry())
    county = {e.code: e.county for e in result.enterprises}
    assert county == {E1: "向阳区", E6: "东山区", E8: "绥滨县"}  # the public list's column
    rows = [[r[0], r[1], r[2], "", r[4], r[5]] for r in PUBLIC_ROWS]
    public = read_list(ListSpec(write_public(tmp_path / "p2.xlsx", rows), "公共信用评价名单"))
    result = compute(tax, public, load_registry())
    county = {e.code: e.county for e in result.enterprises}
    assert county == {E1: "萝北县", E6: "东山区", E8: "向阳区"}
    assert result.tax.columns["税务机关"] == "主管税务机关"


# ---------------------------------------------------------------- one grade normaliser


def own_registry(tmp_path: Path, old: str, new: str):
    src = Path(__file__).resolve().parent.parent / "hgcredit" / "registry.toml"
    text = src.read_text("utf-8")
    assert text.count(old) == 1, old
    (tmp_path / "mine.toml").write_text(text.replace(old, new), "utf-8")
    return load_registry(tmp_path / "mine.toml")


@pytest.mark.parametrize(
    "cell", ["A（90分）", "【A】", "A级纳税人", "Ａ 级", "a", "A级(2021年度)", "纳税信用A级"]
)
def test_rating_lists_and_double_a_read_a_grade_alike(tmp_path: Path, cell: str) -> None:
    from hgcredit.ratings.lists import classify, count_lists

    reg = load_registry()
    tax = write_tax(tmp_path / "纳税企业_名单.xlsx", [[E1, "甲", cell], [E2, "乙", "B"]])
    public = write_public(tmp_path / "p.xlsx", [[1, E1, "甲", "", 900, cell]])
    result = compute(
        read_list(ListSpec(tax, "纳税信用名单")), read_list(ListSpec(public, "x")), reg
    )
    assert [e.code for e in result.enterprises] == [E1]
    assert result.problems == []
    (counted,) = count_lists(classify(tax, reg)[1], reg)
    assert counted.counts == {"A": 1, "B": 1} and counted.unknown == []


def test_an_offices_own_grade_form_is_recognised_by_both(tmp_path: Path) -> None:
    from hgcredit.ratings.rate import rate_files

    tax = write_tax(tmp_path / "纳税企业_名单.xlsx", [[E1, "甲", "优秀纳税人"], [E2, "乙", "B"]])
    public = write_public(tmp_path / "p.xlsx", [[1, E1, "甲", "", 900, "A"]])
    lists = [read_list(ListSpec(p, "x")) for p in (tax, public)]
    before = compute(*lists, load_registry())
    assert before.enterprises == [] and before.tax.unknown_grades == {"优秀": 1}
    report = rate_files([tax], "2022-10", load_registry())
    assert report.domains[0].counts == {"B": 1} and len(report.domains[0].unknown_rows) == 1
    mine = own_registry(
        tmp_path,
        """name = "纳税信用级别"
levels = [
  { label = "A", tier = "A", forms = [] },""",
        """name = "纳税信用级别"
levels = [
  { label = "A", tier = "A", forms = ["优秀纳税人"] },""",
    )
    after = compute(*lists, mine)
    assert [e.code for e in after.enterprises] == [E1] and after.tax.unknown_grades == {}
    report = rate_files([tax], "2022-10", mine)
    assert report.domains[0].counts == {"A": 1, "B": 1} and report.domains[0].unknown_rows == []


def test_the_registry_says_which_scale_each_list_is_graded_on(tmp_path: Path) -> None:
    rows = [[1, E1, "甲", "", 900, "A"], [2, E2, "乙", "", 800, "M"]]
    lists = [
        read_list(ListSpec(write_tax(tmp_path / "t.xlsx"), "纳税信用名单")),
        read_list(ListSpec(write_public(tmp_path / "p.xlsx", rows), "公共信用评价名单")),
    ]
    result = compute(*lists, load_registry())
    assert result.public.unknown_grades == {"M": 1}  # M is a tax level, not a public one
    assert result.public.grades == ("A", "B", "C", "D")
    (q,) = [q for q in result.problems if q.kind == KIND_GRADE]
    assert "等级“M”不是 A、B、C、D 中的一级" in q.detail and not q.affects
    mine = own_registry(tmp_path, 'public = "public"', 'public = "tax"')
    result = compute(*lists, mine)
    assert result.public.unknown_grades == {} and result.public.grades == mine.scales["tax"].labels


def test_list_problems_are_problems_with_place_and_kind(lists) -> None:
    from hgcredit.errors import Problem

    tax, public = lists
    result = compute(tax, public, load_registry())
    by_row = {(q.list_label, q.row): q for q in result.problems}
    invalid = by_row["纳税信用名单", 5]
    conflict = by_row["纳税信用名单", 9]
    assert isinstance(invalid, Problem)
    assert (invalid.sheet, invalid.column, conflict.column) == ("Sheet", "A", "C")
    assert str(invalid) == (
        f"{tax.file}：[Sheet] 第5行 {wrong_check(E4)}：代码无效，"
        f"校验码错误：第 18 位应为“{E4[-1]}”，实为“0”"
    )
    data = invalid.to_json()
    assert {k: data[k] for k in ("file", "sheet", "row", "column", "kind")} == {
        "file": tax.file,
        "sheet": "Sheet",
        "row": 5,
        "column": "A",
        "kind": KIND_INVALID,
    }
    assert (data["list"], data["code"], data["grade"], data["affects"]) == (
        "纳税信用名单",
        wrong_check(E4),
        "A",
        True,
    )
    assert data["message"] == invalid.message and data["reason"] == "校验码错误"


# ---------------------------------------------------------------- double_a() from files


def test_double_a_from_files_with_columns_named_by_the_caller(tmp_path: Path) -> None:
    from hgcredit.doublea.job import double_a
    from hgcredit.errors import HeaderError, OptionError

    tax = tmp_path / "t.csv"
    tax.write_text(f"识别号,户名,结果\n{E1},甲,A\n{E2},乙,B\n", encoding="gb18030")
    public = write_public(tmp_path / "p.xlsx")
    with pytest.raises(HeaderError, match="tax_columns"):
        double_a(tax, public)
    result = double_a(tax, public, tax_columns={"代码": "识别号", "grade": "C"})
    assert [e.code for e in result.enterprises] == [E1]
    assert result.tax.columns == {"代码": "识别号", "等级": "结果"}  # 户名 is no name word
    assert set(result.timings) == {"read", "check"}
    with pytest.raises(OptionError, match="颜色"):
        double_a(tax, public, tax_columns={"颜色": "结果"})


def test_double_a_names_every_list_it_cannot_use(tmp_path: Path) -> None:
    from hgcredit.doublea.job import double_a
    from hgcredit.errors import InputErrors, ReadError

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(InputErrors) as err:
        double_a(broken, tmp_path / "none.csv", write_public(tmp_path / "p.xlsx"))
    assert [type(e) for e in err.value.errors] == [ReadError, ReadError]
    assert [Path(e.file or "").name for e in err.value.errors] == ["broken.xlsx", "none.csv"]
    with pytest.raises(ReadError, match="文件不存在"):  # one bad list: its own error
        double_a(write_tax(tmp_path / "t.xlsx"), tmp_path / "none.csv")


def test_a_county_column_naming_only_the_city_gives_way_to_the_code(tmp_path: Path) -> None:
    # Platforms fill 所属区县 with the city for every row. Before, 鹤岗市 was taken as the
    # county (every double-A enterprise under 鹤岗市) while 市本级 gave way to the code.
    rows = [
        [1, E1, "甲", "鹤岗市", 912, "A"],  # code 230402: 向阳区
        [2, E2, "乙", "黑龙江省鹤岗市", 905, "A"],  # code 230421: 萝北县
        [3, E8, "丙", "市本级", 950, "A"],  # code 230422: 绥滨县, as before
    ]
    public = read_list(ListSpec(write_public(tmp_path / "p.xlsx", rows), "公共信用评价名单"))
    tax = read_list(ListSpec(write_tax(tmp_path / "t.xlsx"), "纳税信用名单"))
    result = compute(tax, public, load_registry())
    assert {e.code: e.county for e in result.enterprises} == {
        E1: "向阳区",
        E2: "萝北县",
        E8: "绥滨县",
    }
    assert result.by_county["向阳区"] == 1 and result.by_county.get("鹤岗市", 0) == 0


def test_a_removed_enterprise_whose_row_has_a_broken_code_is_pointed_at(lists, tmp_path) -> None:
    # Last year's E4 is in this year's tax list, its check character mistyped. Before, it
    # left the double-A list with the reason 纳税信用名单中没有该企业, which is not so.
    tax, public = lists
    prev = tmp_path / "2021年双A企业.csv"
    prev.write_text(f"统一社会信用代码,企业名称\n{E4},鹤岗市隆昌商贸有限公司\n", encoding="utf-8")
    previous = read_list(ListSpec(prev, "上年双A名单", required=("code",)))
    result = compute(tax, public, load_registry(), previous)
    assert result.previous is not None
    (gone,) = result.previous.removed
    assert gone.code == E4
    assert gone.reason.startswith("纳税信用名单中没有该代码，但")
    assert "[Sheet] 第5行同名的一行代码无效（校验码错误" in gone.reason
    assert gone.reason.endswith("可能就是该企业，请核对")


def test_a_score_written_with_its_unit_is_a_number(tmp_path: Path) -> None:
    # 综合得分 exported as text: 92.5分, full-width digits. Before, the JSON and the frame
    # held '92.5分' beside numbers (to_frame()["score"] was no numeric column).
    rows = [
        [1, E1, "甲", "", "92.5分", "A"],
        [2, E2, "乙", "", "９１", "A"],
        [3, E8, "丙", "", "—", "A"],
    ]
    public = read_list(ListSpec(write_public(tmp_path / "p.xlsx", rows), "公共信用评价名单"))
    tax = read_list(ListSpec(write_tax(tmp_path / "t.xlsx"), "纳税信用名单"))
    result = compute(tax, public, load_registry())
    assert {e.code: e.score for e in result.enterprises} == {E1: 92.5, E2: 91, E8: "—"}
