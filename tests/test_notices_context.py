"""What the notices say: the context built from the month's analysis, office details and
official forms of dates and document numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hgcredit.doublea.job import double_a
from hgcredit.errors import OptionError
from hgcredit.ledger.check import FILLED, MISSING, PLACEHOLDER
from hgcredit.month.analyse import analyse_month
from hgcredit.notices.config import ConfigError, OfficeConfig, load_config
from hgcredit.notices.context import (
    double_a_context,
    overdue_context,
    reminder_context,
    tight,
)
from hgcredit.notices.dates import date_cn, doc_number, month_cn
from hgcredit.registry import load_registry

DATA = Path(__file__).resolve().parent.parent / "sample_data"
RETURNS = sorted(p for p in (DATA / "returns").iterdir() if "更正" not in p.name)
MONTH_FILES = [
    *sorted((DATA / "台账").iterdir()),
    *RETURNS,
    *sorted(p for p in (DATA / "returns").iterdir() if "更正" in p.name),
    *sorted((DATA / "lists").iterdir()),
]
ENTITIES = DATA / "entities"
TAX = ENTITIES / "鹤岗市2022年度纳税信用级别名单.xlsx"
PUBLIC = ENTITIES / "鹤岗市2022年度公共信用评价结果.xlsx"
PREVIOUS = ENTITIES / "鹤岗市2021年度双A企业名单.xlsx"
AFTER = dt.date(2022, 11, 21)


@pytest.fixture(scope="module")
def analysis():
    return analyse_month(MONTH_FILES, "2022-11", as_of=AFTER)


@pytest.fixture(scope="module")
def circular(analysis):
    return overdue_context(analysis, OfficeConfig())


# ------------------------------------------------------------------ forms


@pytest.mark.parametrize(
    ("day", "text"),
    [(dt.date(2022, 11, 9), "2022年11月9日"), (dt.date(2023, 1, 1), "2023年1月1日")],
)
def test_dates_have_no_zero_padding(day, text):
    assert date_cn(day) == text


def test_month_in_chinese():
    assert month_cn("2022-01") == "2022年1月"
    assert month_cn("2022-11") == "2022年11月"


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("鹤信用办发〔2022〕32号", "鹤信用办发〔2022〕32号"),
        ("鹤信用办发[2022]32号", "鹤信用办发〔2022〕32号"),
        ("鹤信用办发【2022】032号", "鹤信用办发〔2022〕32号"),
        ("鹤信用办发（2022）第7号", "鹤信用办发〔2022〕7号"),
        ("鹤信用办发 ［２０２２］ ３２ 号", "鹤信用办发〔2022〕32号"),
    ],
)
def test_document_numbers_take_their_official_form(typed, official):
    assert doc_number(typed) == official


@pytest.mark.parametrize(
    "bad", ["32号", "鹤信用办发〔22〕32号", "鹤信用办发〔2022〕0号", "鹤信用办发2022"]
)
def test_a_document_number_that_is_none_is_refused(bad):
    with pytest.raises(OptionError, match="鹤信用办发〔2022〕32号"):
        doc_number(bad)


def test_tight_text_joins_chinese_and_digits_and_says_a_sum_by_its_result():
    assert tight("名单中有 1 行的等级不是本领域的等级") == "名单中有1行的等级不是本领域的等级"
    assert tight("其中各项之和 23+149=172 与总数 169 不符") == "其中各项之和172与总数169不符"
    assert tight("A 级 B 级") == "A级B级"


# ------------------------------------------------------------------ config


def test_defaults_are_the_office_of_the_seed_notice(tmp_path):
    cfg = load_config(None, cwd=tmp_path)
    assert (cfg.contact, cfg.phone, cfg.mailbox) == ("马苹", "3355529", "hgsxyb@163.com")
    assert cfg.header == "鹤岗市社会信用体系建设工作领导小组办公室文件"
    assert cfg.to == "各有关单位" and cfg.basis == "鹤信用办发〔2022〕31号"
    assert cfg.doc_number == "鹤信用办发〔2022〕32号" and cfg.source == ""


def test_hgcredit_toml_in_the_working_folder_is_read(tmp_path):
    (tmp_path / "模板").mkdir()
    (tmp_path / "hgcredit.toml").write_text(
        '[notice]\ncontact = "张三"\ndoc_number = "鹤信用办发[2023]5号"\ncc = "市委办公室"\n'
        'templates = "模板"\n',
        "utf-8",
    )
    cfg = load_config(None, cwd=tmp_path)
    assert cfg.contact == "张三" and cfg.phone == "3355529"  # the rest stays default
    assert cfg.doc_number == "鹤信用办发〔2023〕5号"
    assert cfg.cc == ("市委办公室",)
    assert cfg.templates == (tmp_path / "模板").resolve()
    assert cfg.source == str(tmp_path / "hgcredit.toml")


def test_an_explicit_config_wins_over_the_working_folder(tmp_path):
    (tmp_path / "hgcredit.toml").write_text('[notice]\ncontact = "张三"\n', "utf-8")
    other = tmp_path / "别的.toml"
    other.write_text('[notice]\ncontact = "李四"\n', "utf-8")
    assert load_config(other, cwd=tmp_path).contact == "李四"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[notice]\ncontcat = "张三"\n', "没有“contcat”这一项（是不是 contact？）"),
        ("[notice]\nphone = 3355529\n", "phone（联系电话） 应是用英文双引号括起来的文字"),
        ('[notice]\ncatch_up_days = "五"\n', "应是 1 到 60 之间的整数"),
        ('[notice]\ndoc_number = "32号"\n', "不是发文字号"),
        ('[notice]\ncontact = ""\n', "不能为空"),
        ('[notice]\ntemplates = "没有这个文件夹"\n', "指向的文件夹不存在"),
        ('[office]\ncontact = "张三"\n', "只认 [notice] 一节"),
        ("[notice]\ncontact = 张三\n", "不是有效的 TOML"),
    ],
)
def test_a_bad_config_says_which_item_and_how_to_fix_it(tmp_path, text, message):
    path = tmp_path / "hgcredit.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert message in str(info.value) and str(path) in str(info.value)


def test_a_missing_config_file_is_an_option_error(tmp_path):
    with pytest.raises(OptionError, match="--config 给出的文件不存在"):
        load_config(tmp_path / "无.toml")


# ------------------------------------------------------------------ the circular


def test_units_are_exactly_the_domains_not_filled(analysis, circular):
    not_filled = [d for d in analysis.check.domains if d.status != FILLED]
    assert [(u["serial"], u["domain"]) for u in circular["units"]] == [
        (d.serial, d.domain) for d in not_filled
    ]
    assert not_filled, "the sample month has units to name"
    for unit, d in zip(circular["units"], not_filled, strict=True):
        assert unit["status"] == d.status
        assert unit["behind_months"] == d.behind_months
        registered = analysis.registry.domain(d.domain)
        assert (unit["section"], unit["person"]) == (registered.section, registered.person)
    assert set(circular["units"][0]) >= {
        "serial", "department", "domain", "status", "behind_months", "section", "person"
    }  # fmt: skip


def test_a_placeholder_is_named_by_what_was_written(analysis, circular):
    held = [d for d in analysis.check.domains if d.status == PLACEHOLDER]
    assert held
    for d in held:
        (unit,) = [u for u in circular["units"] if u["domain"] == d.domain]
        written = d.text.strip().rstrip("。")
        assert unit["text"] == written
        assert f"仅填写“{written}”" in unit["note"]


def test_the_table_is_every_domain_in_ledger_order(analysis, circular):
    table = circular["table"]
    assert [r["domain"] for r in table] == [d.domain for d in analysis.registry.domains]
    labels = {FILLED: "按时", PLACEHOLDER: "仅占位", MISSING: "未报送"}
    for row, d in zip(table, analysis.check.domains, strict=True):
        assert row["status_label"] == labels[d.status]
        assert row["section_person"] == f"{row['section']}/{row['person']}"


def test_counts_and_rate_agree_with_the_check(analysis, circular):
    counts = circular["counts"]
    check = analysis.check
    assert counts["domains"] == len(check.domains)
    assert counts["on_time"] == check.count(FILLED)
    assert counts["missing"] == check.count(MISSING)
    assert counts["placeholder"] == check.count(PLACEHOLDER)
    assert counts["without_data"] == sum(
        d.status == FILLED and not d.data_supported for d in check.domains
    )
    assert counts["rate"] == f"{round(check.count(FILLED) * 100 / len(check.domains), 1):g}%"
    assert counts["departments"] == len({d.department for d in check.domains})


def test_quality_lists_the_domains_whose_counts_do_not_add_up(analysis, circular):
    off = [r.domain.domain for r in analysis.ratings.domains if r.consistent is False]
    assert off and [q["domain"] for q in circular["quality"]] == off


def test_praise_goes_to_departments_complete_and_backed_by_figures(analysis, circular):
    for department in circular["praised"]:
        for d in analysis.check.domains:
            if d.department == department:
                assert d.status == FILLED and d.data_supported
    named = {u["department"] for u in circular["units"]}
    assert not named & set(circular["praised"])


def test_trend_counts_filled_domains_per_month_up_to_this_one(analysis, circular):
    months = [t["month"] for t in circular["trend"]]
    assert months == [m for m in analysis.ledger.months if m <= "2022-11"]
    assert circular["trend"][-1]["filled"] == analysis.check.count(FILLED)


def test_the_circular_is_refused_on_or_before_the_deadline():
    on_the_day = analyse_month(MONTH_FILES, "2022-11", as_of=dt.date(2022, 11, 20))
    with pytest.raises(OptionError) as info:
        overdue_context(on_the_day, OfficeConfig())
    assert "hgcredit notice reminder" in str(info.value)
    assert "--as-of 2022-11-21" in str(info.value)


def test_late_units_are_filled_ones_marked_by_the_clerk(analysis):
    filled = next(d for d in analysis.check.domains if d.status == FILLED)
    ctx = overdue_context(analysis, OfficeConfig(), late=[filled.domain])
    assert [u["domain"] for u in ctx["late_units"]] == [filled.domain]
    row = next(r for r in ctx["table"] if r["domain"] == filled.domain)
    assert row["status_label"] == "逾期" and "截止日后报送" in row["note"]
    assert (
        ctx["counts"]["late"] == 1 and ctx["counts"]["on_time"] == analysis.check.count(FILLED) - 1
    )
    assert filled.domain not in {u["domain"] for u in ctx["units"]}


def test_late_refuses_an_unknown_or_unfilled_unit(analysis):
    with pytest.raises(OptionError, match="不是登记表中的部门或领域"):
        overdue_context(analysis, OfficeConfig(), late=["市不存在局"])
    missing = next(d for d in analysis.check.domains if d.status == MISSING)
    with pytest.raises(OptionError, match="没有填报，不是逾期报送"):
        overdue_context(analysis, OfficeConfig(), late=[missing.domain])


# ------------------------------------------------------------------ the reminder


@pytest.mark.parametrize(("day", "left", "past"), [(19, 1, 0), (20, 0, 0), (23, 0, 3)])
def test_the_reminder_counts_the_days_to_the_deadline(day, left, past):
    a = analyse_month(MONTH_FILES, "2022-11", as_of=dt.date(2022, 11, day))
    ctx = reminder_context(a, OfficeConfig())
    assert (ctx["days_left"], ctx["days_past"]) == (left, past)
    assert ctx["deadline_passed"] is (past > 0)
    assert [u["domain"] for u in ctx["units"]] == [
        d.domain for d in a.check.domains if d.status != FILLED
    ]
    assert ctx["recipients"] == list(dict.fromkeys(u["department"] for u in ctx["units"]))
    assert ctx["date"] == f"2022年11月{day}日"


# ------------------------------------------------------------------ double-A


@pytest.fixture(scope="module")
def letter():
    a = analyse_month([], "2022-11", as_of=dt.date(2022, 12, 1), tax=TAX, public=PUBLIC,
                      previous=PREVIOUS)  # fmt: skip
    return double_a_context(a, OfficeConfig())


def test_the_double_a_letter_counts_what_double_a_computes(letter):
    alone = double_a(TAX, PUBLIC, PREVIOUS)
    assert letter["total"] == len(alone.enterprises)
    assert letter["by_county"] == alone.by_county
    assert sum(c["count"] for c in letter["counties"]) == letter["total"]
    for county in letter["counties"]:
        codes = [e["code"] for e in county["enterprises"]]
        assert codes == [e.code for e in alone.enterprises if e.county == county["county"]]
        assert [e["serial"] for e in county["enterprises"]] == list(range(1, len(codes) + 1))
    assert alone.previous is not None
    assert [a["code"] for a in letter["added"]] == [e.code for e in alone.previous.added]
    assert [r["code"] for r in letter["removed"]] == [r.code for r in alone.previous.removed]
    changes = {e["change"] for c in letter["counties"] for e in c["enterprises"]}
    assert changes == {"新增", "保留"}


def test_the_double_a_letter_asks_for_a_reply_by_the_next_ledger_deadline(letter):
    assert letter["deadline"] == "2022-12-20" and letter["deadline_cn"] == "2022年12月20日"


def test_double_a_needs_both_lists(analysis):
    with pytest.raises(OptionError, match="--tax"):
        double_a_context(analysis, OfficeConfig())


def test_the_trend_leaves_out_a_month_only_one_return_carries(tmp_path):
    # Trial: with one department's return carrying its own November, the circular said
    # "2022年11月填报1个领域" as if the other 22 had not reported that month.
    office = tmp_path / "台账.csv"
    rows = ["序号,实施部门,分级分类领域,2022年12月"]
    for d in load_registry().domains:
        rows.append(f"{d.serial},{d.department},{d.domain},对 3 家开展检查")
    office.write_text("\n".join(rows) + "\n", encoding="utf-8")
    shop = tmp_path / "商务局.csv"
    shop.write_text(
        "实施部门,分级分类领域,2022年11月,2022年12月\n市商务局,家政企业,检查 6 家,检查 6 家\n",
        encoding="utf-8",
    )
    one = analyse_month([office, shop], "2022-12", as_of=dt.date(2022, 12, 21))
    assert one.ledger.months == ["2022-11", "2022-12"]
    assert overdue_context(one, OfficeConfig())["trend"] == []  # one month left: no trend
    # A whole ledger of November (every domain's row) puts November back in.
    whole = tmp_path / "11月台账.csv"
    whole.write_text("\n".join(r.replace("2022年12月", "2022年11月") for r in rows) + "\n", "utf-8")
    both = analyse_month([whole, office, shop], "2022-12", as_of=dt.date(2022, 12, 21))
    trend = overdue_context(both, OfficeConfig())["trend"]
    assert [(t["month"], t["filled"]) for t in trend] == [("2022-11", 23), ("2022-12", 23)]
