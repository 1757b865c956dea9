"""The month's summary workbook, read back: sheets, styles, charts, values, provenance.

The sample month is summarised once (``summarise``, the core the command runs) and every
sheet is read back with openpyxl and as XML; its values are compared with what ``check``,
``ratings`` and ``double-a`` print with ``--json`` for the same files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from hgcredit.cli import app
from hgcredit.io.xlsx import HEADER_STYLE, text_width
from hgcredit.registry import load_registry
from hgcredit.summary.job import summarise
from hgcredit.summary.sheets import CELL_LABELS, month_title
from hgcredit.summary.workbook import STYLE_COLOURS, write_summary

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
MASTER = SAMPLE / "台账" / "鹤岗市信用分级分类监管工作推进台账.xlsx"
ENTITIES = SAMPLE / "entities"
TAX = ENTITIES / "鹤岗市2022年度纳税信用级别名单.xlsx"
PUBLIC = ENTITIES / "鹤岗市2022年度公共信用评价结果.xlsx"
PREVIOUS = ENTITIES / "鹤岗市2021年度双A企业名单.xlsx"
AS_OF = dt.date(2022, 11, 25)
MONTH = "2022-11"
SHEETS = ["总览", "填报情况", "等级分布", "双A企业", "双A企业名单", "说明"]


def _returns() -> list[Path]:
    files = sorted((SAMPLE / "returns").iterdir(), key=lambda p: p.name)
    return [p for p in files if "更正" not in p.name] + [p for p in files if "更正" in p.name]


LEDGERS = [MASTER, *_returns()]
LISTS = sorted((SAMPLE / "lists").iterdir())
FILES = [*LEDGERS, *LISTS]


def _json(*args: object) -> dict[str, Any]:
    result = CliRunner().invoke(app, [*map(str, args), "--json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _argb(colour: str) -> str:
    return "FF" + colour.lstrip("#").upper()


def _rows(ws: Any) -> list[dict[str, Any]]:
    """A sheet's table (the rows its filter covers) as rows keyed by header."""
    last = int(re.search(r"\d+$", ws.auto_filter.ref)[0])
    values = list(ws.iter_rows(max_row=last, values_only=True))
    header = values[0]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


def charts_by_sheet(path: Path) -> dict[str, list[str]]:
    """Each sheet's chart parts (their XML), following the package's relationships."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())

        def rels(part: str) -> dict[str, str]:
            folder, name = part.rsplit("/", 1)
            rel = f"{folder}/_rels/{name}.rels"
            if rel not in names:
                return {}
            text = z.read(rel).decode()
            out = {}
            for rid, target in re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', text):
                parts = (folder + "/" + target).split("/")
                resolved: list[str] = []
                for p in parts:
                    if p == "..":
                        resolved.pop()
                    else:
                        resolved.append(p)
                out[rid] = "/".join(resolved)
            return out

        book = z.read("xl/workbook.xml").decode()
        sheet_parts = rels("xl/workbook.xml")
        found: dict[str, list[str]] = {}
        for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', book):
            charts = []
            for drawing in rels(sheet_parts[rid]).values():
                if "/drawings/" in drawing:
                    charts += [z.read(c).decode() for c in rels(drawing).values()]
            found[name] = charts
        return found


# ---------------------------------------------------------------- the sample month, once


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("summary") / "汇总.xlsx"
    result = summarise(FILES, MONTH, out, as_of=AS_OF, tax=TAX, public=PUBLIC, previous=PREVIOUS)
    return out, result


@pytest.fixture(scope="module")
def book(sample: tuple[Path, Any]) -> Any:
    return openpyxl.load_workbook(sample[0])


def test_sheets_in_order(sample, book):
    path, result = sample
    assert book.sheetnames == SHEETS
    assert result.sheets == SHEETS and result.output == str(path)


@pytest.mark.parametrize("name", SHEETS)
def test_every_sheet_has_a_bold_filled_frozen_filtered_header_and_prints_on_a4(book, name):
    ws = book[name]
    header = [c for c in ws[1] if c.value is not None]
    assert len(header) == ws.max_column
    for cell in header:
        assert cell.font.b, cell.coordinate
        assert cell.fill.fill_type == "solid"
        assert cell.fill.fgColor.rgb == _argb(str(HEADER_STYLE["bg_color"]))
    assert ws.freeze_panes == "A2"
    first, last = ws.auto_filter.ref.split(":")
    assert first == "A1"
    assert re.match(r"[A-Z]+", last)[0] == openpyxl.utils.get_column_letter(ws.max_column)
    assert int(re.search(r"\d+", last)[0]) > 1
    setup = ws.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (setup.fitToWidth or 1) == 1 and setup.fitToHeight == 0  # one page wide
    assert ws.print_title_rows == "$1:$1"
    assert "2022年11月" in ws.oddHeader.center.text


def test_widths_fit_chinese_text_and_long_text_wraps(book):
    ws = book["总览"]
    header = [c.value for c in ws[1]]
    width = {
        h: ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width
        for j, h in enumerate(header, 1)
    }
    # 分级分类领域 holds 食品生产和经营领域 (9 Chinese characters: 18 columns wide).
    assert width["分级分类领域"] >= 18
    notes = header.index("需核对事项") + 1
    col = header.index("各等级数量") + 1
    col_width = ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width
    long = [r for r in range(2, 25) if text_width(str(ws.cell(r, col).value)) > col_width]
    assert long
    for r in long:
        assert ws.cell(r, col).alignment.wrap_text
        assert ws.row_dimensions[r].height and ws.row_dimensions[r].height > 15
    assert ws.cell(2, notes).alignment.wrap_text


def test_no_cell_is_a_formula(sample, book):
    for ws in book:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    with zipfile.ZipFile(sample[0]) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in z.read(name).decode(), name


def test_charts_on_filing_tiers_and_double_a(sample):
    charts = charts_by_sheet(sample[0])
    assert {name: len(c) for name, c in charts.items()} == {
        "总览": 0, "填报情况": 1, "等级分布": 1, "双A企业": 1, "双A企业名单": 0, "说明": 0,
    }  # fmt: skip
    (filing,) = charts["填报情况"]
    assert '<c:barDir val="col"/>' in filing and '<c:grouping val="stacked"/>' in filing
    assert "<c:f>填报情况!$D$1:$E$1</c:f>" in filing  # the months up to November
    (tiers,) = charts["等级分布"]
    assert '<c:barDir val="bar"/>' in tiers and '<c:grouping val="percentStacked"/>' in tiers
    assert tiers.count("<c:ser>") == len(load_registry().tiers)
    assert "<c:f>等级分布!$C$2:$C$24</c:f>" in tiers  # one bar per domain
    (counties,) = charts["双A企业"]
    assert '<c:barDir val="col"/>' in counties and counties.count("<c:ser>") == 2


# ---------------------------------------------------------------- values


@pytest.fixture(scope="module")
def check_json() -> dict[str, Any]:
    return _json("check", *LEDGERS, "--month", MONTH, "--as-of", AS_OF.isoformat())


@pytest.fixture(scope="module")
def ratings_json() -> dict[str, Any]:
    return _json("ratings", *FILES, "--month", MONTH)


@pytest.fixture(scope="module")
def double_a_json() -> dict[str, Any]:
    return _json("double-a", "--tax", TAX, "--public", PUBLIC, "--previous", PREVIOUS)


def test_status_fills_match_check(book, check_json):
    domains = check_json["domains"]
    assert {d["status"] for d in domains} == {"filled", "placeholder", "missing"}
    overview = book["总览"]
    filing = book["填报情况"]
    month_col = [c.value for c in filing[1]].index(month_title(MONTH)) + 1
    behind_col = filing.max_column
    for i, d in enumerate(domains, 2):
        fill, font = STYLE_COLOURS[d["status"]]
        for cell in (overview.cell(i, 4), filing.cell(i, month_col)):
            assert cell.value == CELL_LABELS[d["status"]]
            assert cell.fill.fgColor.rgb == _argb(fill), (d["domain"], cell.coordinate)
            assert cell.font.color.rgb == _argb(font)
        assert overview.cell(i, 3).value == filing.cell(i, 3).value == d["domain"]
        assert overview.cell(i, 5).value == ("逾期" if d["overdue"] else None)
        assert filing.cell(i, behind_col).value == d["behind_months"]
    # October is in the master ledger; December is not due yet.
    october = [filing.cell(i, month_col - 1) for i in range(2, 25)]
    assert {c.value for c in october} <= {"已填报", "仅占位", "未填报"}
    december = {filing.cell(i, month_col + 1).value for i in range(2, 25)}
    assert december == {"未到期"}


def test_overview_counts_and_tiers_match_ratings(book, ratings_json):
    rows = _rows(book["总览"])
    tiers = load_registry().tiers
    assert len(rows) == len(ratings_json["domains"]) == 23
    marks = {True: "一致", False: "不符", None: "—"}
    for row, d in zip(rows, ratings_json["domains"], strict=True):
        assert row["分级分类领域"] == d["domain"]
        assert row["所述总数"] == d["stated_total"]
        assert row["合计"] == d["counted_total"]
        assert row["核对"] == marks[d["consistent"]]
        assert [row[f"{t}档"] for t in tiers] == [d["tiers"].get(t) for t in tiers]
        for label, n in d["counts"].items():
            assert re.search(rf"(^|· ){re.escape(label)}级? {n}( ·|$)", row["各等级数量"])
        for problem in d["problems"]:
            assert problem in (row["需核对事项"] or "")
    tier_rows = _rows(book["等级分布"])
    for row, d in zip(tier_rows, ratings_json["domains"], strict=True):
        assert [row[f"{t}档"] for t in tiers] == [d["tiers"].get(t) for t in tiers]
        assert row["合计"] == (sum(d["tiers"].values()) if d["tiers"] else None)


def test_overview_notes_say_the_month_in_a_few_lines(book, check_json, double_a_json):
    ws = book["总览"]
    notes = [ws.cell(r, 1).value for r in range(26, ws.max_row + 1)]
    assert notes[0].startswith("2022年11月：截至 2022-11-25")
    assert ws.cell(26, 1).font.b
    assert f"填报：{check_json['summary']['text']}" in notes
    assert any(n.startswith(f"双A企业：{double_a_json['double_a']} 户") for n in notes)


def test_double_a_sheets_match_double_a(book, double_a_json):
    counties = book["双A企业"]
    header = [c.value for c in counties[1]]
    assert header == ["区县", "双A企业数", "上年双A\n企业数", "新增", "退出"]
    by_county = {
        counties.cell(r, 1).value: counties.cell(r, 2).value
        for r in range(2, 2 + len(double_a_json["by_county"]))
    }
    assert by_county == double_a_json["by_county"]
    total = counties.cell(2 + len(by_county), 1)
    assert total.value == "合计" and total.font.b
    prev = double_a_json["previous"]
    assert [c.value for c in counties[2 + len(by_county)]] == [
        "合计", double_a_json["double_a"], prev["kept"] + prev["removed"], prev["added"], prev["removed"],
    ]  # fmt: skip

    every = _rows(book["双A企业名单"])
    rows = [r for r in every if r["序号"] is not None]
    listed = [e["code"] for e in double_a_json["enterprises"]]
    assert [r["统一社会信用代码"] for r in rows] == listed
    assert [r["序号"] for r in rows] == list(range(1, len(listed) + 1))
    change = {r["统一社会信用代码"]: r["与上年\n相比"] for r in rows}
    assert {change[c] for c in prev["added_codes"]} == {"新增"}
    assert sum(v == "保持" for v in change.values()) == prev["kept"]
    removed = every[len(rows) :]  # those that dropped out come last, without a serial
    assert [r["统一社会信用代码"] for r in removed] == prev["removed_codes"]
    assert {r["与上年\n相比"] for r in removed} == {"退出"}
    assert all(r["说明"] and r["序号"] is None for r in removed)  # why each dropped out
    assert all(isinstance(r["统一社会信用代码"], str) for r in every)


def test_about_sheet_names_every_input_with_its_sha256(sample, book):
    rows = list(book["说明"].iter_rows(values_only=True))[1:]
    items = {row[0]: row[1] for row in rows}
    assert items["月份"] == "2022年11月（2022-11）"
    assert items["判断日期"].startswith("2022-11-25（截止日 2022-11-20")
    import hgcredit

    assert items["工具版本"] == f"hgcredit {hgcredit.__version__}"
    assert items["登记表"].startswith("内置登记表")
    digests = {row[1]: row[2] for row in rows if row[2]}
    for path in [*FILES, TAX, PUBLIC, PREVIOUS]:
        assert digests[str(path)] == hashlib.sha256(path.read_bytes()).hexdigest(), path
    roles = {row[1]: row[0] for row in rows}
    assert {roles[str(p)] for p in LEDGERS} == {"台账/报送"}
    assert {roles[str(p)] for p in LISTS} == {"等级名单"}
    assert roles[str(TAX)] == "纳税信用名单" and roles[str(PREVIOUS)] == "上年双A名单"
    assert sample[1].inputs[0] == {
        "file": str(MASTER), "role": "台账/报送", "sha256": digests[str(MASTER)],
    }  # fmt: skip
    # No clock time anywhere: the as-of date is the only date of the run.
    today = dt.date.today().isoformat()
    assert today == AS_OF.isoformat() or not any(today in str(v) for row in rows for v in row)


def test_two_runs_give_identical_bytes(sample, tmp_path):
    again = tmp_path / "again.xlsx"
    summarise(FILES, MONTH, again, as_of=AS_OF, tax=TAX, public=PUBLIC, previous=PREVIOUS)
    assert again.read_bytes() == sample[0].read_bytes()


# ---------------------------------------------------------------- small months


def double_a_lists(folder: Path, names: list[str]) -> tuple[Path, Path]:
    """A tax and a public list (csv) where every named enterprise is A-level in both."""
    from stdnum.cn import uscc

    codes = []
    for i in range(len(names)):
        body = f"91230402MA{i:07d}"
        codes.append(body + uscc.calc_check_digit(body))
    tax = folder / "纳税信用名单.csv"
    public = folder / "公共信用评价结果.csv"
    for path, grade_header in ((tax, "纳税信用级别"), (public, "信用等级")):
        lines = [f"统一社会信用代码,企业名称,{grade_header}"]
        lines += [f"{c},{n},A" for c, n in zip(codes, names, strict=True)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tax, public


def _ledger_csv(path: Path, months: list[str], cells: dict[tuple[str, str], str]) -> Path:
    """A ledger as a csv: every domain of the registry, one column per month."""
    reg = load_registry()
    lines = [",".join(["序号", "实施部门", "分级分类领域", *(month_title(m) for m in months)])]
    for d in reg.domains:
        texts = [cells.get((d.domain, m), "") for m in months]
        lines.append(",".join([str(d.serial), d.department, d.domain, *texts]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """Four month columns: September and October filled by all but two domains, November
    by half, December by nobody yet; 林草 has not filled since October."""
    reg = load_registry()
    months = ["2022-09", "2022-10", "2022-11", "2022-12"]
    cells: dict[tuple[str, str], str] = {}
    for i, d in enumerate(reg.domains):
        if i >= 2:
            cells[(d.domain, "2022-09")] = "开展检查 3 次"
        if d.domain != "林草监管领域" and i != 0:
            cells[(d.domain, "2022-10")] = "开展检查 4 次"
        if i % 2 == 0 and d.domain != "林草监管领域":
            cells[(d.domain, "2022-11")] = "开展检查 5 次"
        elif i == 1:
            cells[(d.domain, "2022-11")] = "同上月"
    return _ledger_csv(tmp_path / "台账.csv", months, cells)


def test_a_history_of_months_gives_the_trend_rows_and_chart(history, tmp_path):
    out = tmp_path / "汇总.xlsx"
    result = summarise([history], MONTH, out, as_of=AS_OF)
    assert result.sheets == ["总览", "填报情况", "等级分布", "说明"]
    ws = openpyxl.load_workbook(out)["填报情况"]
    header = [c.value for c in ws[1]]
    assert header == [
        "序号",
        "实施部门",
        "分级分类领域",
        "2022年9月",
        "2022年10月",
        "2022年11月",
        "2022年12月",
        "连续未报\n（月）",
    ]
    trend = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(4, 8)] for r in (25, 26, 27)}
    assert trend == {
        "已填报领域数": [21, 21, 12, 0],
        "仅占位领域数": [0, 0, 1, 0],
        "未填报领域数": [2, 2, 10, None],  # December is not due
    }
    assert ws.cell(25, 4).font.b
    domains = [ws.cell(r, 3).value for r in range(2, 25)]
    forest = domains.index("林草监管领域") + 2
    assert [ws.cell(forest, c).value for c in range(4, 9)] == [
        "已填报",
        "未填报",
        "未填报",
        "未到期",
        2,
    ]
    (anchor,) = [c.anchor._from for c in ws._charts]
    assert (anchor.row, anchor.col) == (0, len(header) + 1)  # beside the table
    assert not ws.row_breaks.brk
    (chart,) = charts_by_sheet(out)["填报情况"]
    assert "<c:f>填报情况!$D$1:$F$1</c:f>" in chart  # September to November
    assert chart.count("<c:ser>") == 3
    for row in (25, 26, 27):
        assert f"<c:f>填报情况!$D${row}:$F${row}</c:f>" in chart


def test_a_long_history_puts_the_trend_chart_on_a_page_of_its_own(tmp_path):
    months = [f"2022-{m:02d}" for m in range(1, 13)]
    cells = {(d.domain, m): "开展检查 2 次" for d in load_registry().domains for m in months[:10]}
    out = tmp_path / "汇总.xlsx"
    summarise([_ledger_csv(tmp_path / "台账.csv", months, cells)], MONTH, out, as_of=AS_OF)
    ws = openpyxl.load_workbook(out)["填报情况"]
    trend = [ws.cell(25, c).value for c in range(4, 16)]
    assert trend == [23] * 10 + [0, 0]
    (brk,) = ws.row_breaks.brk
    (anchor,) = [c.anchor._from for c in ws._charts]
    assert anchor.col == 0 and anchor.row > brk.id >= 28  # under the trend rows and legend
    (chart,) = charts_by_sheet(out)["填报情况"]
    assert "<c:f>填报情况!$D$1:$N$1</c:f>" in chart  # January to November


def test_one_month_has_no_trend_chart_and_no_double_a_sheets(tmp_path):
    reg = load_registry()
    ledger = _ledger_csv(
        tmp_path / "台账.csv", [MONTH], {(reg.domains[0].domain, MONTH): "A级 5 户"}
    )
    out = tmp_path / "汇总.xlsx"
    result = summarise([ledger], MONTH, out, as_of=dt.date(2022, 11, 10))
    assert result.sheets == ["总览", "填报情况", "等级分布", "说明"]
    assert charts_by_sheet(out)["填报情况"] == []
    ws = openpyxl.load_workbook(out)["总览"]
    assert ws.cell(3, 5).value == "待报（剩 10 天）"  # before the deadline nobody is overdue
    assert result.exit_code == 0


def test_hostile_text_stays_text(tmp_path):
    """A name like ``=1+1`` in a list and a file name starting with ``=`` are never formulas."""
    ledger = _ledger_csv(tmp_path / "=1+1.csv", [MONTH], {("纳税企业", MONTH): "=1+1 家"})
    tax, public = double_a_lists(tmp_path, names=["=1+1", "@SUM(A1)", "-2+3", "+86鹤岗"])
    out = tmp_path / "汇总.xlsx"
    summarise([ledger], MONTH, out, as_of=AS_OF, tax=tax, public=public)
    wb = openpyxl.load_workbook(out)
    names = [r["企业名称"] for r in _rows(wb["双A企业名单"])]
    assert sorted(names) == sorted(["=1+1", "@SUM(A1)", "-2+3", "+86鹤岗"])
    about = [row[1] for row in wb["说明"].iter_rows(values_only=True)]
    assert str(ledger) in about
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_write_summary_is_atomic(tmp_path, history):
    from hgcredit.month.analyse import analyse_month

    analysis = analyse_month([history], MONTH, as_of=AS_OF)
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"previous")
    analysis.ledger.months.append("not a month")  # the filing sheet cannot be made
    with pytest.raises(ValueError):
        write_summary(analysis, out, inputs=[history])
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([history.name, out.name])


def test_a_month_only_one_return_carries_is_no_data_for_the_others(tmp_path: Path):
    # Trial: 商务局's return with its own November made every other domain "未填报" in
    # November on the 填报情况 sheet (and 22 in its 未填报 count) though no input had it.
    office = tmp_path / "台账.csv"
    rows = ["序号,实施部门,分级分类领域,2022年12月"]
    rows += [f"{d.serial},{d.department},{d.domain}," for d in load_registry().domains]
    office.write_text("\n".join(rows) + "\n", encoding="utf-8")
    shop = tmp_path / "商务局.csv"
    shop.write_text(
        "实施部门,分级分类领域,2022年11月,2022年12月\n市商务局,家政企业,,检查 6 家\n",
        encoding="utf-8",
    )
    out = tmp_path / "汇总.xlsx"
    summarise([office, shop], "2022-12", out, as_of=dt.date(2022, 12, 21))
    ws = openpyxl.load_workbook(out)["填报情况"]
    header = [c.value for c in ws[1]]
    nov = header.index(month_title("2022-11")) + 1
    cells = {ws.cell(r, 3).value: ws.cell(r, nov).value for r in range(2, 25)}
    assert cells["家政企业"] == "未填报"  # its own return has November, empty
    assert {v for k, v in cells.items() if k != "家政企业"} == {"无资料"}
    trend = {ws.cell(r, 1).value: ws.cell(r, nov).value for r in range(25, 28)}
    assert trend["未填报领域数"] == 1
    legend = [c.value for row in ws.iter_rows(min_row=29) for c in row if c.value]
    assert legend[0] == "图例" and "无资料" in legend
