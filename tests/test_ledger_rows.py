"""Every non-empty row of a return is used or reported: the invariant, and the rows that
used to vanish (month-led unknown rows, footers, a foreign domain, serial-number month
headers, formulas without a stored result, rows under a yearless header)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hgcredit.ledger.footers import footer_row, is_note
from hgcredit.ledger.layout import header_layout
from hgcredit.ledger.model import Ledger
from hgcredit.ledger.read import load_ledger
from hgcredit.registry import load_registry

REG = load_registry()
HEAD = ["序号", "实施部门", "分级分类领域", "责任科室 责任人", "2022年10月", "2022年11月"]
MONTH_COL = 5  # 2022年11月

# Names the registry does not know, in the shapes real returns use.
UNKNOWN_DEPARTMENTS = ["市教育局", "市科技局", "市档案馆", "市统计局", "鹤岗市人防办"]
UNKNOWN_DOMAINS = ["教育领域", "校外培训机构", "科技服务领域", ""]
FOOTERS = [
    ["填报人：张三"],
    ["联系电话：0468-3456789"],
    ["审核人"],
    ["填报日期：2022年11月18日"],
    ["（盖章）"],
    ["单位（盖章）："],
    ["制表人：李四"],
    ["2022年11月18日"],
    ["填报人：", "王五", "联系电话：", "13800000000"],
    ["", "", "审核人：赵六", "", "", "2022.11.18"],
]
NOTES = ["注：本表数据截至11月15日", "备注：各部门于每月20日前报送", "说明：无", "合计"]


def month_led(n: int) -> str:
    return f"12月开展校外培训机构信用评价，共 {n} 家"


@dataclass
class Line:
    """One written row: what it is, and what must become of it."""

    kind: str  # known, unknown, note, footer, blank, lone
    cells: list[str]
    domain: str = ""
    text: str = ""


def known_line(domain_index: int, k: int, use_alias: bool, omit_domain: bool) -> Line:
    d = REG.domains[domain_index]
    department = d.department_aliases[0] if use_alias and d.department_aliases else d.department
    single = len(REG.domains_of(d.department)) == 1
    text = f"第{k}号报告：对全市 {k + 3} 家企业开展信用评价"
    domain_cell = "" if omit_domain and single else d.domain
    return Line("known", [str(d.serial), department, domain_cell, "", "", text], d.domain, text)


@st.composite
def returns(draw: st.DrawFn) -> list[Line]:
    """A valid return with unknown departments, notes, footers, blank rows, month-led texts
    and lone texts put in at random places."""
    picks = draw(
        st.lists(st.integers(0, len(REG.domains) - 1), min_size=1, max_size=8, unique=True)
    )
    lines = [
        known_line(i, k, draw(st.booleans()), draw(st.booleans())) for k, i in enumerate(picks)
    ]
    noise = draw(
        st.lists(
            st.one_of(
                st.builds(
                    lambda d, dom, n, led: Line(
                        "unknown",
                        [str(30 + n), d, dom, "", "", month_led(n) if led else f"检查 {n} 家"],
                    ),
                    st.sampled_from(UNKNOWN_DEPARTMENTS),
                    st.sampled_from(UNKNOWN_DOMAINS),
                    st.integers(1, 99),
                    st.booleans(),
                ),
                st.builds(lambda t: Line("note", [t]), st.sampled_from(NOTES)),
                st.builds(lambda c: Line("footer", list(c)), st.sampled_from(FOOTERS)),
                st.just(Line("blank", [])),
                st.builds(
                    lambda n: Line("lone", ["", "", "", "", "", month_led(n)], text=month_led(n)),
                    st.integers(1, 99),
                ),
            ),
            max_size=10,
        )
    )
    for item in noise:
        lines.insert(draw(st.integers(0, len(lines))), item)
    return lines


def _write(lines: list[Line], folder: Path, title: bool) -> tuple[Path, dict[int, Line]]:
    """The return as a csv; each line's 1-based row number."""
    rows = [["鹤岗市信用分级分类监管工作推进台账"]] if title else []
    rows.append(HEAD)
    numbers = {}
    for line in lines:
        rows.append(line.cells)
        numbers[len(rows)] = line
    path = folder / "回执.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path, numbers


def _rows_of(problems) -> set[int]:
    return {p.row for p in problems if p.row is not None}


def assert_every_row_used_or_reported(ledger: Ledger, numbers: dict[int, Line]) -> None:
    errors = _rows_of(ledger.errors)
    ignored = _rows_of(ledger.ignored)
    assert all(p.kind == "row" for p in ledger.errors), ledger.errors
    entries = list(ledger.entries.values())
    for row, line in numbers.items():
        if line.kind == "known":  # the known departments' texts all arrive, from their row
            entry = ledger.entry(line.domain, "2022-11")
            assert entry is not None, (row, line, ledger.errors)
            assert entry.text.startswith(line.text)
            assert entry.location.endswith(f" 第{row}行 第F列")
            assert row not in errors | ignored
        elif line.kind == "unknown":
            assert row in errors, (row, line, ledger.errors)
        elif line.kind in ("note", "footer"):
            assert row in ignored, (row, line, ledger.ignored)
            assert row not in errors
        elif line.kind == "lone":  # joined to the report above it, or reported
            assert row in errors or any(line.text in e.text for e in entries), (row, line)
    # Nothing else was made up: no header taken from a row, no month that is not in the file.
    assert ledger.months in (["2022-10", "2022-11"], [])
    assert not any("没有年份" in p.message for p in ledger.errors)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=returns(), title=st.booleans())
def test_every_non_empty_row_is_used_or_reported(lines: list[Line], title: bool):
    for name in UNKNOWN_DEPARTMENTS:
        assert REG.match_department(name) is None
    with tempfile.TemporaryDirectory() as folder:
        path, numbers = _write(lines, Path(folder), title)
        for month in (None, "2022-11"):  # import (no month given) and check (--month)
            ledger = load_ledger([path], REG, reference_month=month)
            assert_every_row_used_or_reported(ledger, numbers)


def test_the_same_rows_in_an_xlsx_with_a_formula_free_footer(tmp_path: Path):
    lines = [
        known_line(0, 1, False, False),
        Line("unknown", ["2", "市教育局", "教育领域", "", "", month_led(30)]),
        known_line(1, 2, True, False),
        Line("footer", ["填报人：张三", "", "联系电话：0468-3456789"]),
        Line("footer", ["", "", "", "", "", "2022年11月18日"]),
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEAD)
    numbers = {}
    for line in lines:
        ws.append(line.cells)
        numbers[ws.max_row] = line
    path = tmp_path / "回执.xlsx"
    wb.save(path)
    assert_every_row_used_or_reported(load_ledger([path], REG), numbers)


# ---------------------------------------------------------------- findings of issue 8


def _csv(tmp_path: Path, text: str, name: str = "回执.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_month_led_unknown_row_is_no_header_and_the_rows_below_arrive(tmp_path: Path):
    f = _csv(
        tmp_path,
        "序号,实施部门,分级分类领域,2022年11月\n"
        "1,市税务局,纳税企业,评价 9889 户\n"
        "2,市教育局,教育领域,12月开展校外培训机构信用评价，共 30 家\n"
        "3,鹤岗海关,海关企业,新增 AEO 企业 1 家\n",
    )
    for month in (None, "2022-11"):
        ledger = load_ledger([f], REG, reference_month=month)
        assert ledger.months == ["2022-11"]
        assert ledger.entry("海关企业", "2022-11").text == "新增 AEO 企业 1 家"  # type: ignore[union-attr]
        (problem,) = ledger.errors
        assert (problem.row, problem.kind) == (3, "row")
        assert "未知部门“市教育局”" in problem.message


def test_a_header_repeated_in_the_body_is_still_read(tmp_path: Path):
    f = _csv(
        tmp_path,
        "序号,实施部门,分级分类领域,2022年11月\n1,市税务局,纳税企业,评价\n"
        "序号,实施部门,分级分类领域,2022年12月\n2,鹤岗海关,海关企业,培育\n",
    )
    ledger = load_ledger([f], REG)
    assert ledger.errors == [] and ledger.ignored == []
    assert ledger.entry("海关企业", "2022-12").text == "培育"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "row",
    [
        "2,市教育局,教育领域,12月无新增",  # a placeholder after the month
        "2,市教育局,教育领域,12月",  # a department's name
        "2,实施单位,教育领域,12月开展工作",  # a domain that is no header word
    ],
)
def test_rows_that_only_look_like_a_header_are_rows(tmp_path: Path, row: str):
    f = _csv(tmp_path, f"序号,实施部门,分级分类领域,2022年11月\n1,市税务局,纳税企业,评价\n{row}\n")
    for month in (None, "2022-11"):  # import, and check (where 12月 would find a year)
        ledger = load_ledger([f], REG, reference_month=month)
        assert ledger.months == ["2022-11"]
        assert [(p.row, p.kind) for p in ledger.errors] == [(3, "row")]
        assert "没有年份" not in ledger.errors[0].message


def test_footers_are_ignored_and_a_valid_return_has_no_error(tmp_path: Path):
    f = _csv(
        tmp_path,
        "序号,实施部门,分级分类领域,2022年11月\n1,市税务局,纳税企业,评价 9889 户\n"
        "填报人：张三,联系电话：13800000000,审核人：李四,\n"
        ",,填报日期：2022年11月18日,\n"
        "单位（盖章）：,,,\n"
        ",,,2022-11-18\n",
    )
    ledger = load_ledger([f], REG)
    assert ledger.errors == []
    assert [(p.row, p.kind) for p in ledger.ignored] == [
        (3, "footer"),
        (4, "footer"),
        (5, "footer"),
        (6, "footer"),
    ]
    assert ledger.entry("纳税企业", "2022-11").text == "评价 9889 户"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "cells",
    [
        ["填报人：张三"],
        ["联系电话：0468-3456789"],
        ["审核人"],
        ["填报日期"],
        ["（盖章）"],
        ["单位（盖章）："],
        ["制表人"],
        ["2022年11月18日"],
        ["二〇二二年十一月十八日"],
        ["填报人：", "张三"],
        ["主要领导签字："],
    ],
)
def test_footer_patterns(cells: list[str]):
    assert footer_row(cells)


@pytest.mark.parametrize(
    "cells",
    [
        ["1", "市税务局", "纳税企业", "评价"],
        ["11月，我局对 25 家企业开展评价"],
        ["填报人：", "对全市 7 家燃气企业开展信用评价工作"],
    ],
)
def test_reports_are_no_footers(cells: list[str]):
    assert not footer_row(cells)
    assert not is_note(cells[-1])


def test_unknown_domain_suggestions_are_never_an_empty_list(tmp_path: Path):
    f = _csv(tmp_path, "序号,实施部门,分级分类领域,2022年11月\n9,,QQQ,评价 3 家\n")
    (problem,) = load_ledger([f], REG).errors
    assert "最接近的已知领域：" not in problem.message
    assert "hgcredit registry" in problem.message
    assert not problem.message.rstrip("；。").endswith("：")


def test_single_domain_department_with_a_foreign_domain_is_refused(tmp_path: Path):
    f = _csv(tmp_path, "序号,实施部门,分级分类领域,2022年11月\n1,市税务局,教育领域,评价 3 家\n")
    ledger = load_ledger([f], REG)
    assert ledger.entries == {}
    (problem,) = ledger.errors
    assert "“教育领域”" in problem.message and "市税务局" in problem.message
    assert "纳税企业" in problem.message  # its own domain, named
    assert (problem.row, problem.column) == (2, "C")


def test_a_placeholder_domain_cell_is_no_domain(tmp_path: Path):
    f = _csv(tmp_path, "序号,实施部门,分级分类领域,2022年11月\n1,市税务局,/,评价 3 家\n")
    ledger = load_ledger([f], REG)
    assert ledger.errors == []
    assert ledger.entry("纳税企业", "2022-11") is not None


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_month_header_stored_as_an_excel_serial_is_that_month(tmp_path: Path):
    f = _xlsx(
        tmp_path / "回执.xlsx",
        [
            ["序号", "实施部门", "分级分类领域", 44835, 44866],  # 2022-10-01, 2022-11-01
            [1, "市税务局", "纳税企业", "10月 评价", "11月 评价"],
            [11, "市应急局", "安全生产领域", "", "11月，我局对 25 家企业开展评价"],
        ],
    )
    assert header_layout(["序号", "实施部门", "分级分类领域", "44835", "44866"]) is not None
    ledger = load_ledger([f], REG)
    assert ledger.errors == []
    assert ledger.months == ["2022-10", "2022-11"]
    assert ledger.entry("纳税企业", "2022-11").text == "11月 评价"  # type: ignore[union-attr]
    assert ledger.entry("安全生产领域", "2022-11") is not None


def test_month_header_number_out_of_range_refuses_the_file_by_name(tmp_path: Path):
    f = _xlsx(
        tmp_path / "回执.xlsx",
        [
            ["序号", "实施部门", "分级分类领域", 1234567],
            [11, "市应急局", "安全生产领域", "11月，我局对 25 家企业开展评价"],
        ],
    )
    ledger = load_ledger([f], REG, reference_month="2022-11")
    assert ledger.entries == {} and ledger.files == []
    (problem,) = ledger.errors
    assert problem.file == str(f)
    assert "第1行是台账表头" in problem.message and "D列“1234567”" in problem.message


def test_formula_without_a_stored_result_is_reported(tmp_path: Path):
    f = _xlsx(
        tmp_path / "回执.xlsx",
        [
            ["序号", "实施部门", "分级分类领域", "2022年11月"],
            [1, "市税务局", "纳税企业", '="评价"&"9889户"'],
            [2, "鹤岗海关", "海关企业", "新增 1 家"],
        ],
    )
    ledger = load_ledger([f], REG)
    (problem,) = ledger.errors
    assert (problem.row, problem.column) == (2, "D")
    assert "公式" in problem.message and "Excel 或 WPS 打开" in problem.message
    assert ledger.entry("海关企业", "2022-11") is not None


def test_rows_under_a_yearless_header_are_named(tmp_path: Path):
    f = _csv(tmp_path, "实施部门,11月\n市税务局,评价\n鹤岗海关,培育\n")
    (problem,) = load_ledger([f], REG).errors
    assert problem.row == 1
    assert "第 2–3 行该列的内容未使用" in problem.message


def test_a_report_under_the_attachment_is_not_let_go_quietly(tmp_path: Path):
    f = _csv(
        tmp_path,
        "序号,实施部门,分级分类领域,2022年11月\n1,市税务局,纳税企业,评价\n附件 2\n"
        "诸城市经验\n2,鹤岗海关,海关企业,新增 1 家\n",
    )
    ledger = load_ledger([f], REG)
    assert [(p.row, p.kind) for p in ledger.errors] == [(5, "row")]
    assert "附件" in ledger.errors[0].message
    assert [(p.row, p.kind) for p in ledger.ignored] == [(3, "attachment")]
    assert "其后 1 行未读取" in ledger.ignored[0].message


def test_lone_text_after_an_unused_row_is_not_joined_to_an_earlier_report(tmp_path: Path):
    f = _csv(
        tmp_path,
        "序号,实施部门,分级分类领域,2022年11月\n1,市税务局,纳税企业,评价\n"
        "2,市教育局,教育领域,检查 3 家\n,,,续：抽查 1 家\n",
    )
    ledger = load_ledger([f], REG)
    assert ledger.entry("纳税企业", "2022-11").text == "评价"  # type: ignore[union-attr]
    assert [p.row for p in ledger.errors] == [3, 4]


def test_a_header_made_by_formulas_without_results_says_so(tmp_path: Path):
    f = _xlsx(
        tmp_path / "回执.xlsx",
        [
            ["序号", "实施部门", "分级分类领域", '=TEXT(DATE(2022,11,1),"yyyy年m月")'],
            [11, "市应急局", "安全生产领域", "11月，我局对 25 家企业开展评价"],
        ],
    )
    (problem,) = load_ledger([f], REG).errors
    assert "第1行是台账表头" in problem.message
    assert "1 个公式单元格没有保存计算结果" in problem.message


def test_unknown_department_with_no_near_name_points_to_the_registry(tmp_path: Path):
    f = _csv(tmp_path, "序号,实施部门,分级分类领域,2022年11月\n9,XYZ局,,评价 3 家\n")
    (problem,) = load_ledger([f], REG).errors
    assert "未知部门“XYZ局”" in problem.message
    assert "hgcredit registry" in problem.message
    assert "最接近的已知部门" not in problem.message


def test_a_report_above_an_unreadable_header_is_never_taken_for_the_header(tmp_path: Path):
    # The header's month is a number out of range; the unknown department's month-led row
    # below it must not become the header (its 12月 would be read as the month).
    f = _xlsx(
        tmp_path / "回执.xlsx",
        [
            ["序号", "实施部门", "分级分类领域", 1234567],
            [2, "市教育局", "教育领域", "12月开展校外培训机构信用评价，共 30 家"],
            [11, "市应急局", "安全生产领域", "11月，我局对 25 家企业开展评价"],
        ],
    )
    ledger = load_ledger([f], REG, reference_month="2022-11")
    assert ledger.months == [] and ledger.files == []
    (problem,) = ledger.errors
    assert "第1行是台账表头" in problem.message


def test_a_department_written_without_its_organ_word_is_used(tmp_path: Path):
    # Trial (December): 市人社 in a GBK csv with semicolons made the return unusable.
    path = tmp_path / "人社局台账12月.csv"
    path.write_bytes(
        "鹤岗市人力资源和社会保障局2022年12月台账;;;\n"
        "序号;实施部门;分级分类领域;2022年12月\n"
        "4;市人社;企业劳动保障;评定A级12家、B级160家\n".encode("gbk")
    )
    ledger = load_ledger([path], REG)
    assert ledger.errors == []
    assert ledger.entry("企业劳动保障", "2022-12").text == "评定A级12家、B级160家"  # type: ignore[union-attr]
