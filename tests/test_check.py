"""The monthly check: statuses, data support, deadlines and streaks."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hgcredit.errors import OptionError, Problem
from hgcredit.ledger.check import (
    MISSING,
    PLACEHOLDER,
    check_month,
    classify,
    is_data_supported,
)
from hgcredit.ledger.model import Entry, Ledger
from hgcredit.ledger.read import load_ledger
from hgcredit.months import parse_date, parse_month
from hgcredit.registry import load_registry

REG = load_registry()
NOT_DATA_SUPPORTED_IN_SEED = {"海关企业", "养老机构"}


@pytest.fixture
def seed(seed_path: Path) -> Ledger:
    return load_ledger([seed_path], REG)


def test_data_support_on_the_seeds_23_october_texts(seed: Ledger):
    verdicts = {
        d.domain: is_data_supported(seed.entry(d.domain, "2022-10").text)  # type: ignore[union-attr]
        for d in REG.domains
    }
    assert {d for d, ok in verdicts.items() if not ok} == NOT_DATA_SUPPORTED_IN_SEED
    assert len(verdicts) == 23


@pytest.mark.parametrize(
    "text",
    [
        "对市应急局重点监管的 25 家企业开展了综合评价",
        "纳税信用评价9889户",
        "抽查比例设置为原抽查比例的 10%",
        "最终得分为860分",
        "各单位标化分均在 90 分以上",
        "企业信用优良率达 100",
        "对市人民医院等十家单位进行实地检查",
        "检查 3,495 户",
        "检查５５０家",
        "开展检查 12 次，处理 3 件",
    ],
)
def test_figures_of_work_are_data(text):
    assert is_data_supported(text)


@pytest.mark.parametrize(
    "text",
    [
        "结果已于2022年5月21日发布",
        "按照鹤信用发〔2022〕2号文件要求",
        "开展 2021 年度评价",
        "依据第 12 条规定，实施分级分类监管",
        "鹤岗海关辖区首家海关AEO高级认证企业",
        "分为 A 级、B 级、C、D、E 级五个等级",
        "",
    ],
)
def test_dates_numbers_and_words_without_figures_are_not_data(text):
    assert not is_data_supported(text)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (None, MISSING),
        ("", MISSING),
        ("  \n ", MISSING),
        ("无", PLACEHOLDER),
        ("暂无。", PLACEHOLDER),
        ("同上", PLACEHOLDER),
        ("同上月。", PLACEHOLDER),
        ("（同上月）", PLACEHOLDER),
        ("/", PLACEHOLDER),
        ("——", PLACEHOLDER),
        ("-", PLACEHOLDER),
        ("N/A", PLACEHOLDER),
        ("无变化", PLACEHOLDER),
        ("无新增失信企业，完成检查 3 家", "filled"),
        ("同上月，另新增评价 5 家", "filled"),
        ("无。", PLACEHOLDER),
        ("暂无进展", PLACEHOLDER),
        ("暂无新进展", PLACEHOLDER),
        ("本月无新增", PLACEHOLDER),
        ("本月无", PLACEHOLDER),
        ("目前暂无。", PLACEHOLDER),
        ("同上（见10月）", PLACEHOLDER),
        ("同10月", PLACEHOLDER),
        ("与上月相同", PLACEHOLDER),
        ("详见附件", PLACEHOLDER),
        ("见附件。", PLACEHOLDER),
        ("已完成", PLACEHOLDER),
        ("/ ", PLACEHOLDER),
        ("本月工作同上", PLACEHOLDER),  # trial: what the cell is about between time and word
        ("本月工作情况：同上月。", PLACEHOLDER),
        ("工作进展：暂无", PLACEHOLDER),
        ("当月监管情况与上月相同", PLACEHOLDER),
        ("12月暂无新进展。", PLACEHOLDER),  # trial: the month named as the time word
        ("十二月份工作同上", PLACEHOLDER),
        ("12月同10月", PLACEHOLDER),
        ("12月新增A级企业1家", "filled"),
        ("12月完成检查", "filled"),
        ("本月工作：完成评价 5 家", "filled"),
        ("工作正常开展", "filled"),
        ("开展情况良好", "filled"),
        ("A级5家，详见附件", "filled"),
        ("本月新增评价 5 家", "filled"),
        ("同10月，本月新增A级企业1家", "filled"),
        ("已完成 12 家企业评价", "filled"),
        ("按计划推进", "filled"),
    ],
)
def test_classify(text, status):
    assert classify(text, REG.placeholders) == status


def test_october_is_all_filled(seed: Ledger):
    report = check_month(seed, "2022-10", dt.date(2022, 11, 9))
    assert report.deadline == dt.date(2022, 10, 20)
    assert report.count("filled") == 23
    assert sum(d.data_supported for d in report.domains) == 21
    assert report.overdue == []
    assert report.exit_code == 0
    assert report.summary() == "已填报 23 · 仅占位 0 · 未填报 0（逾期 0）"


def test_november_before_the_deadline_is_pending_with_days_left(seed: Ledger):
    report = check_month(seed, "2022-11", dt.date(2022, 11, 15))
    assert report.count("missing") == 23
    assert all(d.pending and not d.overdue and d.days_left == 5 for d in report.domains)
    assert report.exit_code == 0
    assert report.summary() == "已填报 0 · 仅占位 0 · 未填报 23（待报 23，距截止还有 5 天）"
    on_the_day = check_month(seed, "2022-11", dt.date(2022, 11, 20))
    assert on_the_day.overdue == [] and on_the_day.domains[0].days_left == 0


def test_november_after_the_deadline_is_overdue(seed: Ledger):
    report = check_month(seed, "2022-11", dt.date(2022, 11, 21))
    assert len(report.overdue) == 23
    assert all(d.behind_months == 1 and d.days_left is None for d in report.domains)
    assert report.exit_code == 1
    assert report.summary() == "已填报 0 · 仅占位 0 · 未填报 23（逾期 23）"


def test_behind_streak_counts_months_in_a_row(seed: Ledger):
    assert check_month(seed, "2022-12", dt.date(2022, 12, 21)).domains[0].behind_months == 2
    later = check_month(seed, "2023-01", dt.date(2023, 1, 21))
    assert not later.month_in_ledger
    assert later.domains[0].behind_months == 3
    seed.put("纳税企业", "2022-12", Entry("同上月", "x.csv", "x.csv 第3行"))
    seed.put("海关企业", "2022-11", Entry("培育 1 家", "x.csv", "x.csv 第4行"))
    report = check_month(seed, "2022-12", dt.date(2022, 12, 21))
    by_domain = {d.domain: d for d in report.domains}
    assert by_domain["纳税企业"].status == PLACEHOLDER
    assert by_domain["纳税企业"].behind_months == 2  # a placeholder is not filled
    assert by_domain["海关企业"].behind_months == 1
    assert by_domain["纳税企业"].overdue and not by_domain["纳税企业"].data_supported


@pytest.mark.parametrize(
    ("month", "deadline_day", "as_of", "overdue", "days_left"),
    [
        # The office's 20th: "before the 20th" keeps the 20th itself as the last day.
        ("2022-11", 20, "2022-11-19", False, 1),
        ("2022-11", 20, "2022-11-20", False, 0),
        ("2022-11", 20, "2022-11-21", True, None),
        ("2022-11", 20, "2022-11-30", True, None),  # the month's last day
        ("2022-11", 20, "2022-12-01", True, None),  # checked in the next month
        ("2022-11", 20, "2022-10-25", False, 26),  # checked before the month begins
        # Another deadline day from the registry: the same boundary around it.
        ("2022-11", 10, "2022-11-09", False, 1),
        ("2022-11", 10, "2022-11-10", False, 0),
        ("2022-11", 10, "2022-11-11", True, None),
        ("2022-11", 1, "2022-11-01", False, 0),
        ("2022-11", 1, "2022-11-02", True, None),
        ("2022-12", 28, "2022-12-28", False, 0),
        ("2022-12", 28, "2022-12-29", True, None),
        ("2022-12", 28, "2022-12-31", True, None),  # the month's last day
        ("2023-02", 28, "2023-02-28", False, 0),  # a month the ledger has no column for
        ("2023-02", 28, "2023-03-01", True, None),
    ],
)
def test_overdue_boundary(seed: Ledger, month, deadline_day, as_of, overdue, days_left):
    seed.registry = replace(REG, deadline_day=deadline_day)
    seed.put("纳税企业", month, Entry("完成评价 5 家", "x.csv", "x.csv 第3行"))
    report = check_month(seed, month, parse_date(as_of))
    assert report.deadline == dt.date(int(month[:4]), int(month[5:]), deadline_day)
    assert report.deadline_passed is overdue
    filled, *rest = report.domains
    assert (filled.status, filled.overdue, filled.pending, filled.days_left) == (
        "filled",
        False,
        False,
        None,
    )  # a filled domain is never late, whatever the day
    assert all(d.overdue is overdue and d.pending is not overdue for d in rest)
    assert all(d.days_left == days_left for d in rest)
    assert len(report.overdue) == (22 if overdue else 0)
    assert report.exit_code == (1 if overdue else 0)
    assert ("逾期 22" if overdue else f"距截止还有 {days_left} 天") in report.summary()


F, P = "完成评价 5 家", "同上月"  # filled, a placeholder; None: nothing written


@pytest.mark.parametrize(
    ("october", "november", "december", "month", "behind"),
    [
        (F, None, None, "2022-11", 1),  # behind for the first time
        (F, F, None, "2022-11", 0),  # filled this month
        (F, None, None, "2022-12", 2),  # two months in a row
        (F, None, F, "2022-12", 0),  # a gap in the middle, filled this month
        (F, None, F, "2023-01", 1),  # a gap in the middle: a later filled month ends the streak
        (None, F, None, "2022-12", 1),  # an earlier gap does not count past a filled month
        (F, P, None, "2022-12", 2),  # a placeholder counts as behind
        (F, None, P, "2022-12", 2),  # ... also this month's
        (P, P, P, "2022-12", 3),  # never filled: back to the first month column
        (None, None, None, "2022-10", 1),  # the first month: nothing earlier to count
        (None, None, None, "2022-12", 3),
        (F, F, F, "2023-01", 1),  # a month after the last column
    ],
)
def test_behind_streak_neighbours(october, november, december, month, behind):
    ledger = Ledger(REG, months=["2022-10", "2022-11", "2022-12"])
    for m, text in zip(ledger.months, (october, november, december), strict=True):
        if text is not None:
            ledger.put("纳税企业", m, Entry(text, "x.csv", f"x.csv {m}"))
    tax = check_month(ledger, month, dt.date(2023, 2, 1)).domains[0]
    assert tax.domain == "纳税企业"
    assert tax.behind_months == behind
    assert (tax.status == "filled") is (behind == 0)


def test_own_deadline_day_from_the_registry(seed: Ledger):
    seed.registry = replace(REG, deadline_day=10)
    report = check_month(seed, "2022-11", dt.date(2022, 11, 15))
    assert report.deadline == dt.date(2022, 11, 10)
    assert report.exit_code == 1


def test_unusable_input_makes_exit_code_2_even_when_overdue(seed: Ledger):
    seed.errors.append(Problem("坏.xlsx", "无法作为 Excel/ODS 表格打开"))
    report = check_month(seed, "2022-11", dt.date(2022, 11, 21))
    assert report.exit_code == 2
    assert len(report.overdue) == 23


def test_json_report_schema(seed: Ledger, seed_path: Path):
    data = check_month(seed, "2022-10", dt.date(2022, 11, 9)).to_json()
    assert {"month", "as_of", "deadline", "domains", "conflicts", "errors"} <= set(data)
    assert (data["month"], data["as_of"], data["deadline"]) == (
        "2022-10",
        "2022-11-09",
        "2022-10-20",
    )
    assert len(data["domains"]) == 23
    customs = data["domains"][1]
    assert {"department", "domain", "status", "data_supported", "overdue", "sources"} <= set(
        customs
    )
    assert customs["department"] == "鹤岗海关"
    assert customs["status"] == "filled" and customs["data_supported"] is False
    assert customs["sources"] == [str(seed_path)]
    assert customs["excerpt"].endswith("…") and len(customs["excerpt"]) == 61
    assert data["summary"]["data_supported"] == 21


def test_parse_month_and_date_options():
    assert parse_month("2022-1") == "2022-01"
    assert parse_month("２０２２.１１") == "2022-11"
    assert parse_date("2022-11-21") == dt.date(2022, 11, 21)
    with pytest.raises(OptionError, match="--month 2022-11"):
        parse_month("11月")
    with pytest.raises(OptionError, match="--month"):
        parse_month("2022-13")
    with pytest.raises(OptionError, match="--as-of"):
        parse_date("2022-11-31")


@given(st.text(max_size=80))
def test_text_rules_never_raise_and_agree(text):
    status = classify(text, REG.placeholders)
    assert status in ("filled", "placeholder", "missing")
    assert isinstance(is_data_supported(text), bool)
    if not text.strip():
        assert status == MISSING


def _csv(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_return_with_its_own_earlier_month_says_nothing_of_the_others(tmp_path: Path):
    # Trial: 商务局 sent its November sheet with December; every other domain, of which no
    # input had November, was then "已连续2个月未报送" in the circular.
    office = _csv(
        tmp_path / "台账.csv",
        "序号,实施部门,分级分类领域,2022年12月",
        "1,市税务局,纳税企业,",
        "2,鹤岗海关,海关企业,",
        "9,市商务局,家政企业,",
    )
    shop = _csv(
        tmp_path / "商务局.csv",
        "序号,实施部门,分级分类领域,2022年11月,2022年12月",
        "9,市商务局,家政企业,,无",
    )
    ledger = load_ledger([office, shop], REG)
    report = check_month(ledger, "2022-12", dt.date(2022, 12, 21))
    behind = {d.domain: d.behind_months for d in report.domains}
    assert behind["纳税企业"] == behind["海关企业"] == 1  # November unknown for them
    assert behind["家政企业"] == 2  # its own return has November, empty
    assert behind["燃气企业"] == 1  # in no input at all


def test_a_month_no_input_has_ends_the_streak(tmp_path: Path):
    ledger = load_ledger(
        [
            _csv(
                tmp_path / "台账.csv",
                "序号,实施部门,分级分类领域,2022年10月,2022年12月",
                "1,市税务局,纳税企业,,",
            )
        ],
        REG,
    )
    tax = check_month(ledger, "2022-12", dt.date(2022, 12, 21)).domains[0]
    assert tax.behind_months == 1  # November is not in the inputs: not known missed
