"""Ledger import and merge: the seed's own ledger, returns in many shapes, and the xlsx writer."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hgcredit.errors import OutputError
from hgcredit.ledger.read import (
    Ledger,
    header_layout,
    load_ledger,
    resolve_months,
)
from hgcredit.ledger.write import write_ledger
from hgcredit.months import parse_month_header
from hgcredit.registry import load_registry

REG = load_registry()
HEAD = "序号,实施部门,分级分类领域,责任科室 责任人,2022年10月,2022年11月"

TRANSPORT_OCT = (
    "开展道路运输经营者信用评价工作，全市参加此次信用评价的企业共计 62 家（含绥、萝两县及宝泉岭）"
    "其中客运企业 16 家（含 6 家分公司）、货运企业 23 家（其中危货 12 家）、公交企业 2 家、"
    "出租企业 11 家、汽修企业 10 家。截至目前，企业自评、县（区）级初评、市级"
    "终评全部结束，已申报省级评估。"
)
SECURITY_OCT = (
    "《鹤岗市公安局保安服务领域信用等级分类监管制度（试行）》，对全市6家从事保安服务的单位进行"
    "分级分类。截止目前，鹤岗市公安局治安支队已完成分级分类工作，全市共有A级单位3家，B级单位3家，"
    "C级、D级单位0家。结合“双随机、一公开”、“互联网+监管”、互联网通用受理、审批平台等，"
    "适当增加对3家B级重点单位的抽查频次。"
)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def seed(seed_path: Path) -> Ledger:
    return load_ledger([seed_path], REG)


# ---------------------------------------------------------------- the seed


def test_seed_has_all_23_domains_for_october(seed: Ledger, seed_path: Path):
    assert seed.errors == []
    assert seed.conflicts == []
    assert seed.months == ["2022-10", "2022-11", "2022-12"]
    assert set(seed.sources) == {d.domain for d in REG.domains}
    assert all(files == [str(seed_path)] for files in seed.sources.values())
    assert sorted(k for k in seed.entries) == sorted((d.domain, "2022-10") for d in REG.domains)
    assert seed.files == [str(seed_path)]


def test_seed_october_texts(seed: Ledger):
    tax = seed.entry("纳税企业", "2022-10")
    assert tax is not None
    assert tax.text.startswith("对符合条件的纳税人开展评价,结果已于2022年5月21日发布。")
    assert tax.text.endswith("后续将对各等级分别采用对应的管理办法进行管理。")
    labour = seed.entry("企业劳动保障", "2022-10")
    assert labour is not None
    assert labour.text.startswith("开展 2021 年企业劳动保障诚信等级评价工作。")  # <p> stripped
    assert "<" not in labour.text
    safety = seed.entry("安全生产领域", "2022-10")  # written `安全生产 领域`
    assert safety is not None and "25 家企业开展了综合评价" in safety.text


def test_seed_row_split_over_two_lines_is_joined(seed: Ledger):
    transport = seed.entry("道路运输经营者", "2022-10")
    assert transport is not None
    assert transport.text == TRANSPORT_OCT
    assert seed.entry("道路运输经营者", "2022-11") is None  # the tail landed in that column


def test_seed_police_second_row_shifted_by_the_lost_merged_cell(seed: Ledger, seed_path: Path):
    security = seed.entry("保安服务领域", "2022-10")
    assert security is not None
    assert security.text == SECURITY_OCT
    assert security.location == f"{seed_path} 第71行 第D列"
    drugs = seed.entry("制毒化学品领域", "2022-10")
    assert drugs is not None and drugs.text.startswith("按照《鹤岗市公安局易制毒化学品企业")


def test_seed_attachment_text_after_the_table_is_not_read(seed: Ledger):
    assert not any("诸城市" in e.text for e in seed.entries.values())
    assert not any("附件" in e.text for e in seed.entries.values())


# ---------------------------------------------------------------- month headers


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("2022年11月开展行业信用评价及监管情况", "2022-11"),
        ("2022年11月", "2022-11"),
        ("2022 年 11 月", "2022-11"),
        ("２０２２年１１月", "2022-11"),
        ("2022-11", "2022-11"),
        ("2022.11", "2022-11"),
        ("2022/11", "2022-11"),
        ("2022-11-01", "2022-11"),
        ("2022年十二月", "2022-12"),
        ("11月", None),
        ("实施部门", None),
        ("2022年度", None),
        ("2022-13", None),
    ],
)
def test_parse_month_header(header, expected):
    assert parse_month_header(header) == expected


def test_month_without_year_takes_default_year():
    assert parse_month_header("11月份", default_year=2023) == "2023-11"


def _months(headers, title=(), default_year=None, reference_month=None):
    layout = header_layout(["实施部门", *headers])
    assert layout is not None
    unresolved = resolve_months(layout, title, default_year, reference_month)
    return [layout.months.get(c) for c in range(1, len(headers) + 1)], unresolved


def test_yearless_months_take_the_year_of_other_headers_and_turn_over():
    months, unresolved = _months(["2022年11月", "12月", "1月"])
    assert months == ["2022-11", "2022-12", "2023-01"]
    assert unresolved == []
    months, _ = _months(["11月", "12月", "2023年1月"])
    assert months == ["2022-11", "2022-12", "2023-01"]


def test_yearless_months_from_title_reference_or_default():
    assert _months(["11月", "12月"], title=["2022年鹤岗市工作推进台账"])[0] == [
        "2022-11",
        "2022-12",
    ]
    assert _months(["11月", "12月", "1月"], reference_month="2023-01")[0] == [
        "2022-11",
        "2022-12",
        "2023-01",
    ]
    assert _months(["11月"], default_year=2024)[0] == ["2024-11"]
    months, unresolved = _months(["11月"])
    assert months == [None] and unresolved == [1]


def test_yearless_month_without_any_year_is_a_problem(tmp_path: Path):
    f = _write(tmp_path / "a.csv", "实施部门,11月\n市税务局,评价 9889 户\n")
    ledger = load_ledger([f], REG)
    assert ledger.entries == {}
    assert "“11月” 没有年份" in ledger.errors[0].message
    assert "--month" in ledger.errors[0].message
    ok = load_ledger([f], REG, default_year=2022)
    assert ok.entry("纳税企业", "2022-11") is not None


# ---------------------------------------------------------------- returns in many shapes


def test_department_only_return_with_aliases_and_no_domain_cell(tmp_path: Path):
    f = _write(
        tmp_path / "税务.csv",
        "鹤岗市税务局报送\n实施部门,分级分类领域,2022-11\n国家税务总局鹤岗市税务局,,A级 236 户\n",
        "gbk",
    )
    ledger = load_ledger([f], REG)
    assert ledger.errors == []
    entry = ledger.entry("纳税企业", "2022-11")
    assert entry is not None and entry.text == "A级 236 户"
    assert entry.location == f"{f} 第3行 第C列"
    assert ledger.sources == {"纳税企业": [str(f)]}


def test_blank_department_under_merged_cell_is_inherited_by_domain(tmp_path: Path):
    f = _write(
        tmp_path / "公安.csv",
        f"{HEAD}\n22,市公安局,制毒化学 品领域,楚志伟,3 家 A 级,\n,,保安服务 领域,,,6 家\n",
    )
    ledger = load_ledger([f], REG)
    assert ledger.errors == []
    assert ledger.entry("制毒化学品领域", "2022-10").text == "3 家 A 级"  # type: ignore[union-attr]
    assert ledger.entry("保安服务领域", "2022-11").text == "6 家"  # type: ignore[union-attr]


def test_unknown_department_lists_nearest_names_and_other_rows_are_kept(tmp_path: Path):
    f = _write(
        tmp_path / "混合.csv",
        f"{HEAD}\n1,市税物局,纳税企业,,评价,\n2,鹤岗海关,海关企业,,培育 1 家,\n",
    )
    ledger = load_ledger([f], REG)
    (problem,) = ledger.errors
    assert problem.file == str(f)
    assert "第2行" in problem.message
    assert "未知部门“市税物局”" in problem.message
    assert "市税务局" in problem.message
    assert ledger.entry("纳税企业", "2022-10") is None
    assert ledger.entry("海关企业", "2022-10") is not None


@pytest.mark.parametrize(
    "written",
    ["市民政局（盖章）", "鹤岗市民政局(公章)", "市民政局【盖章】", "市民政局 （加盖公章）"],
)
def test_department_with_a_seal_note_is_the_department(tmp_path: Path, written: str):
    f = _write(tmp_path / "民政.csv", f"{HEAD}\n16,{written},养老机构,,对 5 家养老机构评价,\n")
    ledger = load_ledger([f], REG)
    assert ledger.errors == []
    assert ledger.entry("养老机构", "2022-10").text == "对 5 家养老机构评价"  # type: ignore[union-attr]


def test_department_with_two_domains_needs_the_domain(tmp_path: Path):
    f = _write(tmp_path / "公安.csv", f"{HEAD}\n22,市公安局,,,3 家,\n")
    ledger = load_ledger([f], REG)
    assert "没有填写领域" in ledger.errors[0].message
    assert "制毒化学品领域、保安服务领域" in ledger.errors[0].message


def test_domain_of_another_department_is_a_problem(tmp_path: Path):
    f = _write(tmp_path / "错.csv", f"{HEAD}\n1,市税务局,海关企业,,3 家,\n")
    ledger = load_ledger([f], REG)
    assert "属于 鹤岗海关，不属于 市税务局" in ledger.errors[0].message
    assert ledger.entries == {}


def test_unknown_domain_suggests_names(tmp_path: Path):
    f = _write(tmp_path / "错.csv", f"{HEAD}\n,,危险废物监管领域,,3 家,\n")
    ledger = load_ledger([f], REG)
    assert "未知领域“危险废物监管领域”；最接近的已知领域：林草监管领域" in ledger.errors[0].message


def test_row_without_department_or_domain_is_a_problem(tmp_path: Path):
    f = _write(tmp_path / "错.csv", f"{HEAD}\n1,市税务局,纳税企业,,a,\n,,,,b,c\n")
    ledger = load_ledger([f], REG)
    assert "没有实施部门和领域" in ledger.errors[0].message
    assert ledger.entry("纳税企业", "2022-10").text == "a"  # type: ignore[union-attr]


def test_footer_and_repeated_header(tmp_path: Path):
    f = _write(
        tmp_path / "两份.csv",
        f"{HEAD}\n1,市税务局,纳税企业,,a,\n{HEAD}\n2,鹤岗海关,海关企业,,,b\n"
        "填报人：张三,,,,联系电话：3355529,\n9,市新局,x,,y,\n",
    )
    ledger = load_ledger([f], REG)
    assert ledger.entry("海关企业", "2022-11").text == "b"  # type: ignore[union-attr]
    # The footer line is ignored and listed; it does not end the table, so the row under it
    # (an unknown department) is reported, not dropped without a word.
    assert [(p.row, p.kind) for p in ledger.ignored] == [(5, "footer")]
    assert [(p.row, p.kind) for p in ledger.errors] == [(6, "row")]
    assert "未知部门“市新局”" in ledger.errors[0].message


def test_text_starting_with_a_month_is_not_a_header(tmp_path: Path):
    f = _write(
        tmp_path / "应急.csv",
        f"{HEAD}\n11,市应急局,安全生产领域,高航,,2022年11月，我局对 25 家企业开展评价\n",
    )
    ledger = load_ledger([f], REG)
    assert ledger.errors == []
    entry = ledger.entry("安全生产领域", "2022-11")
    assert entry is not None and entry.text.startswith("2022年11月，我局")


# ---------------------------------------------------------------- merging


def test_later_file_wins_and_conflict_names_both(tmp_path: Path):
    a = _write(
        tmp_path / "a.csv", f"{HEAD}\n1,市税务局,纳税企业,,评价 9889 户,\n2,鹤岗海关,海关企业,,x,\n"
    )
    b = _write(
        tmp_path / "b.csv",
        f"{HEAD}\n1,市税务局,纳税企业,,评价 9890 户,\n2,鹤岗海关,海关企业,,ｘ,\n",
    )
    c = _write(tmp_path / "c.csv", f"{HEAD}\n1,市税务局,纳税企业,,,\n")
    ledger = load_ledger([a, b, c], REG)
    assert ledger.entry("纳税企业", "2022-10").text == "评价 9890 户"  # type: ignore[union-attr]
    (conflict,) = ledger.conflicts  # x vs ｘ is the same text; an empty cell does not erase
    assert (conflict.domain, conflict.department, conflict.month) == (
        "纳税企业",
        "市税务局",
        "2022-10",
    )
    assert (conflict.earlier_file, conflict.later_file) == (str(a), str(b))
    assert (conflict.earlier_text, conflict.later_text) == ("评价 9889 户", "评价 9890 户")
    assert ledger.sources["纳税企业"] == [str(a), str(b), str(c)]


def _one_text(path: Path, text: str) -> Path:
    """A return with 市税务局's October text (quoted as Excel writes a csv)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEAD.split(","))
        w.writerow(["1", "市税务局", "纳税企业", "", text, ""])
    return path


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("评价 9889 户", "评价9889户"),  # spaces
        ("评价9889户", "评价 9889　户"),  # a full-width (ideographic) space
        ("评价9889户，A级236户", "评价９８８９户,A级236户"),  # full- and half-width forms
        ("（A级236户）", "(A级236户)"),  # full- and half-width brackets
        ("Ａ级236户", "A级236户"),  # a full-width letter
        ("A级236户\nB级3495户", "A级236户B级3495户"),  # a line break
        ("A级236户\r\nB级3495户", "A级236户\nB级3495户"),  # Windows and Unix line breaks
        ("A级236户\n\nB级3495户", " A级236户 \n B级3495户 "),  # blank lines, edge spaces
        ("<p>A级236户</p><p>B级3495户</p>", "A级236户\nB级3495户"),  # HTML remnants
        ("A级236户\u00a0B级3495户", "A级236户 B级3495户"),  # a no-break space
    ],
)
def test_texts_that_differ_only_in_spacing_or_width_are_no_conflict(
    tmp_path: Path, earlier: str, later: str
):
    a, b = _one_text(tmp_path / "a.csv", earlier), _one_text(tmp_path / "b.csv", later)
    ledger = load_ledger([a, b], REG)
    assert ledger.errors == []
    assert ledger.conflicts == []
    assert ledger.entry("纳税企业", "2022-10").file == str(b)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("评价 9889 户", "评价 9888 户"),  # one digit
        ("A级236户", "B级236户"),  # one letter
        ("A级236户，B级3495户", "A级236户，B级349户"),  # one digit fewer
        ("评价9889户", "评价9889家"),  # one character
        ("A级236户\nB级3495户", "A级236户\nB级3495户\nC级1户"),  # a line more
    ],
)
def test_a_real_difference_of_one_character_is_a_conflict(tmp_path: Path, earlier: str, later: str):
    a, b = _one_text(tmp_path / "a.csv", earlier), _one_text(tmp_path / "b.csv", later)
    ledger = load_ledger([a, b], REG)
    (conflict,) = ledger.conflicts
    assert (conflict.earlier_file, conflict.later_file, conflict.kept) == (str(a), str(b), "later")
    assert ledger.entry("纳税企业", "2022-10").file == str(b)  # type: ignore[union-attr]


def test_a_later_placeholder_does_not_replace_a_report(tmp_path: Path):
    a = _write(tmp_path / "a.csv", f"{HEAD}\n1,市税务局,纳税企业,,评价 9889 户,无\n")
    b = _write(tmp_path / "b.csv", f"{HEAD}\n1,市税务局,纳税企业,,同上（见9月）,评价 9890 户\n")
    ledger = load_ledger([a, b], REG)
    assert ledger.entry("纳税企业", "2022-10").text == "评价 9889 户"  # type: ignore[union-attr]
    assert ledger.entry("纳税企业", "2022-11").text == "评价 9890 户"  # type: ignore[union-attr]
    kept, replaced = ledger.conflicts  # both are reported; only the placeholder is not taken
    assert (kept.month, kept.kept, kept.later_text) == ("2022-10", "earlier", "同上（见9月）")
    assert (replaced.month, replaced.kept) == ("2022-11", "later")
    assert ledger.entry("纳税企业", "2022-10").file == str(a)  # type: ignore[union-attr]


def test_bad_file_is_reported_and_the_others_are_used(tmp_path: Path, seed_path: Path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    notes = _write(tmp_path / "说明.csv", "只是一段说明文字\n另一段\n")
    empty = _write(tmp_path / "空表.csv", f"{HEAD}\n")
    ledger = load_ledger([bad, seed_path, notes, empty, tmp_path / "没有.xlsx"], REG)
    assert [e.file for e in ledger.errors] == [
        str(bad),
        str(notes),
        str(empty),
        str(tmp_path / "没有.xlsx"),
    ]
    assert "这是文本文件（如 csv），不是 Excel 表格" in ledger.errors[0].message
    assert "不是台账格式" in ledger.errors[1].message
    assert "没有任何部门或领域的行" in ledger.errors[2].message
    assert "文件不存在" in ledger.errors[3].message
    assert len(ledger.sources) == 23


# ---------------------------------------------------------------- writing


def test_written_ledger_has_the_seed_layout(seed: Ledger, tmp_path: Path):
    out = tmp_path / "台账.xlsx"
    write_ledger(seed, out)
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert ws.title == "工作推进台账"
    assert ws["A1"].value == "鹤岗市信用分级分类监管工作推进台账"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:G1" in merged
    assert [ws.cell(2, c).value for c in range(1, 8)] == [
        "序号",
        "实施部门",
        "分级分类领域",
        "责任科室 责任人",
        "2022年10月开展行业信用评价及监管情况",
        "2022年11月开展行业信用评价及监管情况",
        "2022年12月开展行业信用评价及监管情况",
    ]
    assert ws.max_row == 2 + 23
    assert {"A24:A25", "B24:B25", "D24:D25"} <= merged  # 公安局's two domains
    assert ws["C24"].value == "制毒化学品领域" and ws["C25"].value == "保安服务领域"
    assert ws["E25"].value == SECURITY_OCT
    assert ws["E8"].value == TRANSPORT_OCT
    assert ws["D3"].value == "席晓曦/纳税服务科"  # the return's `纳税 服务科`, cleaned
    assert ws["E3"].alignment.wrap_text
    # Excel shows 60 characters: the stored width adds the 5 px cell padding (0.7109375).
    assert ws.column_dimensions["E"].width == 60.7109375
    assert ws.freeze_panes == "E3"
    assert ws["A1"].font.b and ws["A1"].font.sz == 16 and ws["A1"].alignment.horizontal == "center"
    assert ws["B2"].font.b and ws["B2"].border.bottom.style == "thin"
    assert ws["A24"].alignment.vertical == "center" and ws["A24"].border.left.style == "thin"
    assert ws["F3"].value is None and ws["F3"].border.right.style == "thin"  # empty, boxed
    assert ws.row_dimensions[1].height == 30
    assert ws.row_dimensions[3].height == 66  # four wrapped lines of 15 points, plus 6
    # Printed as the office hands it on: A4 landscape, one page wide, title and header on
    # every page, no page header of its own (the title row is the heading).
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$2"
    assert ws.oddHeader.center.text is None and ws.oddFooter.center.text is None


def test_round_trip_gives_the_same_entries(seed: Ledger, tmp_path: Path):
    out = tmp_path / "台账.xlsx"
    write_ledger(seed, out)
    again = load_ledger([out], REG)
    assert again.errors == []
    assert again.months == seed.months
    assert {k: e.text for k, e in again.entries.items()} == {
        k: e.text for k, e in seed.entries.items()
    }


def test_written_ledger_is_reproducible_and_formula_safe(tmp_path: Path):
    f = _write(tmp_path / "a.csv", f"{HEAD}\n1,市税务局,纳税企业,,=1+1,\n")
    ledger = load_ledger([f], REG)
    one, two = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    write_ledger(ledger, one, months=["2022-10"])
    write_ledger(ledger, two, months=["2022-10"])
    assert one.read_bytes() == two.read_bytes()
    ws = openpyxl.load_workbook(one).active
    assert ws is not None
    assert ws.max_column == 5
    assert ws["E3"].value == "=1+1" and ws["E3"].data_type == "s"


def test_a_department_cell_spans_its_domains_only_where_they_agree(tmp_path: Path):
    f = _write(
        tmp_path / "公安局.csv",
        f"{HEAD}\n22,市公安局,制毒化学品领域,楚志伟/禁毒支队,=3家A级,\n"
        "22,市公安局,保安服务领域,王强/治安支队,-,6家\n",
    )
    out = tmp_path / "台账.xlsx"
    write_ledger(load_ledger([f], REG), out)
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A24:A25", "B24:B25"} <= merged and not any(r.startswith("D24") for r in merged)
    assert (ws["D24"].value, ws["D25"].value) == ("楚志伟/禁毒支队", "王强/治安支队")
    assert ws["E24"].value == "=3家A级" and ws["E24"].data_type == "s"
    assert ws["A24"].value == 22 and ws["B24"].value == "市公安局"


def test_write_into_missing_folder_is_an_output_error(seed: Ledger, tmp_path: Path):
    with pytest.raises(OutputError, match="输出文件夹不存在"):
        write_ledger(seed, tmp_path / "没有" / "台账.xlsx")


def test_xlsx_return_with_title_merged_cells_and_yearless_months(tmp_path: Path):
    path = tmp_path / "公安局.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["2022年鹤岗市信用分级分类监管工作推进台账"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "实施部门", "分级分类领域", "责任科室 责任人", "11月", "12月"])
    ws.append([22, "鹤岗市公安局", "易制毒化学品", "楚志伟/办公室", "<p>3家A级</p>", None])
    ws.append([None, None, "保安服务领域", None, "同上月", "6家"])
    for col in "ABD":
        ws.merge_cells(f"{col}3:{col}4")
    wb.save(path)
    ledger = load_ledger([path], REG)
    assert ledger.errors == []
    assert ledger.months == ["2022-11", "2022-12"]
    assert ledger.entry("制毒化学品领域", "2022-11").text == "3家A级"  # type: ignore[union-attr]
    assert ledger.entry("保安服务领域", "2022-11").text == "同上月"  # type: ignore[union-attr]
    assert ledger.sections["保安服务领域"] == "楚志伟/办公室"  # from the merged cell


@pytest.mark.parametrize(
    ("upper", "lower"),
    [(["2022年", None], ["10月", "11月"]), (["监管情况", None], ["2022年10月", "2022年11月"])],
)
def test_month_header_over_two_rows(tmp_path: Path, upper: list, lower: list):
    path = tmp_path / "商务局.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "实施\n部门", "分级分类领域", *upper, "备注"])
    ws.append([None, None, None, *lower, None])
    ws.append(["1.", "市商务局", "家政企业", "对6家评价", "对7家复评", "无"])
    for merged in ("D1:E1", "A1:A2", "B1:B2", "C1:C2", "F1:F2"):
        ws.merge_cells(merged)
    wb.save(path)
    ledger = load_ledger([path], REG)
    assert ledger.errors == []
    assert ledger.months == ["2022-10", "2022-11"]
    assert ledger.entry("家政企业", "2022-11").text == "对7家复评"  # type: ignore[union-attr]
    assert ledger.entry("家政企业", "2022-11").location == f"{path}[Sheet] 第3行 第E列"  # type: ignore[union-attr]


def test_month_only_in_the_title_or_the_file_name(tmp_path: Path):
    titled = _write(
        tmp_path / "卫健委.csv",
        "鹤岗市卫健委2022年11月份信用分级分类监管工作台账\n"
        "序号,实施部门,分级分类领域,本月工作进展\n15,市卫健委,医疗机构,对12家医疗机构评价\n",
    )
    named = _write(
        tmp_path / "市民政局_2022 年 11 月.csv",
        "实施部门,监管情况\n市民政局,对5家养老机构评价\n",
    )
    ledger = load_ledger([titled, named], REG)
    assert ledger.errors == []
    assert ledger.months == ["2022-11"]
    assert ledger.entry("医疗机构", "2022-11").text == "对12家医疗机构评价"  # type: ignore[union-attr]
    assert ledger.entry("养老机构", "2022-11").location == f"{named} 第2行 第B列"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "title",
    ["鹤岗市信用分级分类监管工作台账", "2022年10月至11月工作台账", "2022年10月、2022年11月台账"],
)
def test_undated_work_column_without_one_month_in_the_title_is_a_problem(
    tmp_path: Path, title: str
):
    f = _write(
        tmp_path / "卫健委.csv",
        f"{title}\n序号,实施部门,分级分类领域,本月工作进展\n15,市卫健委,医疗机构,评价\n",
    )
    ledger = load_ledger([f], REG, reference_month="2022-11")
    (problem,) = ledger.errors
    assert problem.file == str(f)
    assert "第2行：看不出 “本月工作进展” 一列是哪个月的" in problem.message
    assert "请把表头改为月份，如 2022年11月" in problem.message
    assert ledger.entries == {}


@pytest.mark.parametrize(
    ("title", "reference", "month"),
    [
        ("12月份工作进展", "2022-12", "2022-12"),  # trial: the year from --month
        ("鹤岗海关2022年信用监管台账\n十二月份工作进展", "2023-01", "2022-12"),  # title's year
        ("12月份工作进展", "2023-01", "2022-12"),  # December near January
        ("12月份工作进展", None, None),  # nowhere to take the year from: still a problem
        ("11月、12月工作进展", "2022-12", None),  # which month?
    ],
)
def test_a_title_month_without_a_year_dates_the_work_column(
    tmp_path: Path, title: str, reference: str | None, month: str | None
):
    f = _write(
        tmp_path / "海关.csv",
        f"{title}\n序号,实施部门,分级分类领域,工作进展\n2,鹤岗海关,海关企业,核查18家\n",
    )
    ledger = load_ledger([f], REG, reference_month=reference)
    if month is None:
        (problem,) = ledger.errors
        assert "看不出 “工作进展” 一列是哪个月的" in problem.message
        assert ledger.entries == {}
    else:
        assert ledger.errors == [] and ledger.months == [month]
        assert ledger.entry("海关企业", month).text == "核查18家"  # type: ignore[union-attr]


def test_xls_return(tmp_path: Path):
    import xlwt

    path = tmp_path / "交通.xls"
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("台账")
    for c, h in enumerate(["序号", "实施部门", "分级分类领域", "2022-11"]):
        ws.write(0, c, h)
    for c, v in enumerate([6, "市交通局", "道路运输", "62 家"]):
        ws.write(1, c, v)
    wb.save(str(path))
    ledger = load_ledger([path], REG)
    assert ledger.entry("道路运输经营者", "2022-11").text == "62 家"  # type: ignore[union-attr]


def test_ods_return_with_merged_cells(tmp_path: Path):
    # calamine reports no merged ranges for .ods: the blank department is decided by the domain.
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    sheet = Table(name="台账")
    rows = [
        [("序号", 1), ("实施部门", 1), ("分级分类领域", 1), ("2022年11月", 1)],
        [("22", 2), ("市公安局", 2), ("制毒化学品领域", 1), ("3家", 1)],
        [None, None, ("保安服务领域", 1), ("6家", 1)],
    ]
    for cells in rows:
        tr = TableRow()
        for cell in cells:
            if cell is None:
                tr.addElement(CoveredTableCell())
                continue
            tc = TableCell(valuetype="string", numberrowsspanned=cell[1])
            tc.addElement(P(text=cell[0]))
            tr.addElement(tc)
        sheet.addElement(tr)
    doc.spreadsheet.addElement(sheet)
    path = tmp_path / "公安局.ods"
    doc.save(str(path))
    ledger = load_ledger([path], REG)
    assert ledger.errors == []
    assert {k: e.text for k, e in ledger.entries.items()} == {
        ("制毒化学品领域", "2022-11"): "3家",
        ("保安服务领域", "2022-11"): "6家",
    }


@given(
    year=st.integers(1900, 2999),
    month=st.integers(1, 12),
    form=st.sampled_from(
        ["{y}年{m}月开展情况", "{y} 年 {m:02d} 月", "{y}-{m}", "{y}.{m:02d}", "{y}/{m}"]
    ),
)
def test_month_headers_round_trip(year, month, form):
    assert parse_month_header(form.format(y=year, m=month)) == f"{year:04d}-{month:02d}"


@given(st.text(max_size=40))
def test_month_header_parser_never_raises(text):
    result = parse_month_header(text, default_year=2022)
    assert result is None or (len(result) == 7 and result[4] == "-")


def _two_row_header(
    path: Path, below: list[str | None], rows: list[list[str]], *, down: bool = True
) -> Path:
    """实施部门 | 分级分类领域 merged down over two rows (``down``), 2022年12月 across C:D."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["实施部门", "分级分类领域", "2022年12月", None])
    ws.append(below)
    for row in rows:
        ws.append(row)
    if down:
        ws.merge_cells("A1:A2")
        ws.merge_cells("B1:B2")
    ws.merge_cells("C1:D1")
    wb.save(path)
    return path


def test_a_month_merged_over_sub_columns_keeps_both_parts(tmp_path: Path):
    # Trial: the labels row under the merged month was read as a department row
    # (未知部门“实施部门”, exit 2) and the two sub-columns as a conflict, 监管措施 lost.
    f = _two_row_header(
        tmp_path / "商务局.xlsx",
        [None, None, "监管措施", "有数据支撑的工作成效"],
        [["市商务局", "家政企业", "纳入双随机抽查", "对 6 家评价，A级 5 家，B级 1 家"]],
    )
    ledger = load_ledger([f], load_registry())
    assert ledger.errors == [] and ledger.conflicts == []
    assert ledger.months == ["2022-12"]
    entry = ledger.entry("家政企业", "2022-12")
    assert entry is not None
    assert entry.text == (
        "监管措施：纳入双随机抽查\n有数据支撑的工作成效：对 6 家评价，A级 5 家，B级 1 家"
    )
    assert entry.location.endswith("第3行 第C列")


def test_a_month_merged_over_sub_columns_with_one_part_filled_is_that_part(tmp_path: Path):
    f = _two_row_header(
        tmp_path / "民政局.xlsx",
        [None, None, "监管措施", "工作成效"],
        [["市民政局", "养老机构", "", "同上月"], ["市商务局", "家政企业", "评价 6 家", ""]],
    )
    ledger = load_ledger([f], load_registry())
    assert ledger.errors == []
    assert ledger.entry("养老机构", "2022-12").text == "同上月"  # still a placeholder
    assert ledger.entry("家政企业", "2022-12").text == "评价 6 家"


def test_a_data_row_right_under_the_header_is_not_taken_for_sub_labels(tmp_path: Path):
    f = _two_row_header(
        tmp_path / "台账.xlsx",
        ["市商务局", "家政企业", "无", "评价 6 家"],
        [["市民政局", "养老机构", "检查 3 家", ""]],
        down=False,
    )
    ledger = load_ledger([f], load_registry())
    assert ledger.errors == []
    # Not labels: the row is 商务局's, its two parts joined as they are.
    assert [
        (e.text if (e := ledger.entry(d, "2022-12")) else None) for d in ("家政企业", "养老机构")
    ] == [
        "无\n评价 6 家",
        "检查 3 家",
    ]


def _with_hidden(path: Path, *, visible: bool = True) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "12月"
    ws.append(["序号", "实施部门", "分级分类领域", "2022年12月"])
    ws.append([17, "市发改委", "粮食企业", "12月复评 2 家，均为A级。"])
    if not visible:
        ws.sheet_state = "hidden"
    old = wb.create_sheet("旧表")
    old.sheet_state = "hidden"
    old.append(["序号", "实施部门", "分级分类领域", "2022年12月"])
    old.append([17, "市发改委", "粮食企业", "暂无"])
    old.append([18, "市水务局", "水利建设市场领域", "同上"])
    if not visible:
        wb.create_sheet("说明").append(["本表由发改委填报"])
    wb.save(path)
    return path


def test_a_hidden_sheet_is_not_read_and_said_so(tmp_path: Path):
    # Trial: 发改委's return carried a hidden old sheet; 水务局 became "仅填写“同上”" from
    # it and 发改委's own December met a conflict from text no one could see.
    ledger = load_ledger([_with_hidden(tmp_path / "发改委.xlsx")], REG)
    assert ledger.conflicts == [] and ledger.errors == []
    assert ledger.entry("水利建设市场领域", "2022-12") is None
    entry = ledger.entry("粮食企业", "2022-12")
    assert entry is not None and entry.text.startswith("12月复评")
    (note,) = ledger.ignored
    assert note.sheet == "旧表" and "隐藏的工作表" in note.message and "取消隐藏" in note.message


def test_a_file_whose_tables_are_all_hidden_is_still_read(tmp_path: Path):
    ledger = load_ledger([_with_hidden(tmp_path / "发改委.xlsx", visible=False)], REG)
    assert ledger.entry("水利建设市场领域", "2022-12") is not None
    assert ledger.ignored == []
