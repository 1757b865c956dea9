"""`hgcredit ratings`: table, JSON, exit codes 0/1/2, entity lists, unknown level rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from hgcredit.cli import app

HEADER = [
    "序号",
    "实施部门",
    "分级分类领域",
    "责任科室 责任人",
    "2022年10月开展行业信用评价及监管情况",
    "2022年11月开展行业信用评价及监管情况",
]
GOOD = [
    [
        "1",
        "市税务局",
        "纳税企业",
        "席晓曦/纳税服务科",
        "纳税信用评价3731户，A级236户、B级3495户。",
        "",
    ],
    [
        "9",
        "市商务局",
        "家政企业",
        "郭长江",
        "对全市 6 家家政企业进行信用等级评价，A 级 5 家，B 级 1 家。",
        "",
    ],
    [
        "16",
        "市民政局",
        "养老机构",
        "李恩博",
        "对信用评价 A 级养老机构，合理降低抽查比例和频次。",
        "无",
    ],
]
DOMAIN_KEYS = {
    "department",
    "domain",
    "counts",
    "stated_total",
    "counted_total",
    "consistent",
    "tiers",
    "review",
}


def ledger(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["鹤岗市信用分级分类监管工作推进台账"])
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def entity_list(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "企业名称", "统一社会信用代码", "信用等级"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def invoke(*args: object):
    return CliRunner().invoke(app, ["ratings", *map(str, args)])


def test_all_consistent_exits_0(tmp_path: Path):
    result = invoke(ledger(tmp_path / "台账.csv", GOOD), "--month", "2022-10")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "2022年10月 各领域评级数量（23 个领域）" in out
    assert "A 236 · B 3495" in out
    assert "一致" in out and "不符" not in out
    assert "对不上的领域" not in out
    assert "未读出评级数量的领域（21 个）" in out


def test_the_seed_does_not_add_up_exits_1(seed_path: Path):
    result = invoke(seed_path, "--month", "2022-10")
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "对不上的领域（2 个）" in out
    assert "市人社局·企业劳动保障：其中各项之和 23+149=172 与总数 169 不符" in out
    assert "市消防队·消防安全领域：B级前后写了两个不同的数量 8 和 3" in out
    assert "A 236 · B 3495 · M 5352 · C 197 · D 609" in out
    assert "海关企业、道路运输经营者、安全生产领域、养老机构、水利建设市场领域" in out
    # Those with numbers of entities say why they gave none; 海关 and 民政 have none.
    assert "需人工核对（3 条，未计入数量）：" in out
    assert "市交通运输局·道路运输经营者：“开展道路运输经营者信用评价工作" in out
    assert "：写了总数 62家，但没有写各等级（AAA级、AA级、A级、B级）的数量" in out
    assert "对市应急局重点监管的 25 家企业开展了综合评价" in out
    assert "市水务局·水利建设市场领域：“…" in out and "有数量（5家），但没有写是哪个等级" in out


def test_json_schema(seed_path: Path):
    result = invoke(seed_path, "--month", "2022-10", "--json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["month"] == "2022-10"
    assert data["errors"] == []
    assert data["inconsistent"] == ["企业劳动保障", "消防安全领域"]
    assert len(data["domains"]) == 23
    for d in data["domains"]:
        assert set(d) >= DOMAIN_KEYS
        assert all(isinstance(k, str) and isinstance(v, int) for k, v in d["counts"].items())
        assert d["stated_total"] is None or isinstance(d["stated_total"], int)
        assert d["consistent"] in (True, False, None)
        assert set(d["tiers"]) in ({"A", "B", "C", "D"}, set())
        assert all(isinstance(note, str) for note in d["review"])
    by = {d["domain"]: d for d in data["domains"]}
    assert by["纳税企业"]["counts"] == {"A": 236, "B": 3495, "M": 5352, "C": 197, "D": 609}
    assert by["纳税企业"]["tiers"] == {"A": 236, "B": 8847, "C": 197, "D": 609}
    assert by["企业环境"]["counts"] == {"绿": 32, "蓝": 10, "黄": 1, "红": 1}
    assert by["燃气企业"]["counts"] == {"红榜": 0, "黄榜": 7, "黑榜": 0}
    assert by["海关企业"]["counts"] == {} and by["海关企业"]["counted_total"] is None
    assert by["企业劳动保障"]["consistent"] is False
    assert by["地方煤矿"]["stated_total"] is None and by["地方煤矿"]["consistent"] is None
    noted = {d["domain"] for d in data["domains"] if d["review"]}
    assert noted == {"道路运输经营者", "安全生产领域", "水利建设市场领域"}
    assert all(not by[d]["counts"] for d in noted)


def test_sources_name_each_file_once(tmp_path: Path, seed_path: Path):
    # A ledger cell's location already starts with its file: one clean location per source.
    data = json.loads(invoke(seed_path, "--month", "2022-10", "--json").stdout)
    by = {d["domain"]: d["sources"] for d in data["domains"]}
    assert by["纳税企业"] == [f"{seed_path} 第41行 第E列"]
    book = tmp_path / "台账.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "11月"
    for row in [HEADER, *GOOD]:
        ws.append(row)
    wb.save(book)
    lst = entity_list(tmp_path / "家政企业名单.xlsx", [[1, "甲家政", "x1", "A级"]])
    data = json.loads(invoke(book, lst, "--month", "2022-10", "--json").stdout)
    home = next(d for d in data["domains"] if d["domain"] == "家政企业")
    assert home["sources"] == [f"{book}[11月] 第3行 第E列", f"{lst}[Sheet]"]
    for d in data["domains"]:
        assert all(s.count(book.name) + s.count(lst.name) == 1 for s in d["sources"])


def test_entity_list_with_the_ledger_uses_the_list_and_checks_the_text(tmp_path: Path):
    book = ledger(tmp_path / "台账.csv", GOOD)
    lst = entity_list(
        tmp_path / "家政企业信用等级名单.xlsx",
        [[1, "甲家政", "91230400MA0000001X", "A级"], [2, "乙家政", "91230400MA0000002X", "B"]],
    )
    result = invoke(book, lst, "--month", "2022-10", "--json")
    assert result.exit_code == 1, result.output
    by = {d["domain"]: d for d in json.loads(result.stdout)["domains"]}
    home = by["家政企业"]
    assert home["counts"] == {"A": 1, "B": 1}
    assert home["stated_total"] == 6 and home["consistent"] is False
    assert "台账文字写A级 5，名单中数出 1" in home["problems"]
    assert f"{lst}[Sheet]" in home["sources"]


def test_entity_list_alone_with_unknown_level_rows(tmp_path: Path):
    lst = entity_list(
        tmp_path / "纳税企业.xlsx",
        [
            [1, "甲", "x1", "A"],
            [2, "乙", "x2", "A+"],
            [3, "丙", "x3", "M级"],
            [4, "丁", "x4", "良"],
        ],
    )
    result = invoke(lst, "--month", "2022-10")
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "（1 个领域）" in out
    assert "名单中有 2 行的等级不是本领域的等级" in out
    assert f"{lst}[Sheet] 第3行 第D列：等级“A+”无法识别" in out
    assert f"{lst}[Sheet] 第5行 第D列：等级“良”无法识别" in out
    data = json.loads(invoke(lst, "--month", "2022-10", "--json").stdout)
    (tax,) = data["domains"]
    assert tax["counts"] == {"A": 1, "M": 1} and tax["stated_total"] == 4
    assert [u["value"] for u in tax["unknown_rows"]] == ["A+", "良"]


def test_return_dated_only_by_its_file_name(tmp_path: Path):
    f = tmp_path / "市发改委_2022年11月.csv"
    f.write_text(
        "实施部门,监管情况\n市发改委,对5家粮食企业评价，A级4家、B级1家\n", encoding="utf-8"
    )
    result = invoke(f, "--month", "2022-11", "--json")
    assert result.exit_code == 0, result.output
    grain = next(d for d in json.loads(result.stdout)["domains"] if d["domain"] == "粮食企业")
    assert grain["counts"] == {"A": 4, "B": 1}
    assert grain["stated_total"] == 5


def test_a_file_named_twice_is_read_once(tmp_path: Path):
    lst = entity_list(tmp_path / "纳税企业.xlsx", [[1, "甲", "x1", "A"]])
    result = invoke(lst, tmp_path / "." / "纳税企业.xlsx", "--month", "2022-10", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["domains"][0]["counts"] == {"A": 1}


def test_missing_file_exits_2_naming_it(tmp_path: Path):
    missing = tmp_path / "没有.xlsx"
    result = invoke(missing, "--month", "2022-10")
    assert result.exit_code == 2
    assert f"错误：{missing}：文件不存在" in result.stderr


def test_good_files_are_still_reported_when_one_is_bad(tmp_path: Path):
    book = ledger(tmp_path / "台账.csv", GOOD)
    bad = tmp_path / "通讯录.csv"
    bad.write_text("姓名,电话\n甲,1\n", encoding="utf-8")
    result = invoke(book, bad, "--month", "2022-10", "--json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["domains"][0]["counts"] == {"A": 236, "B": 3495}
    (error,) = data["errors"]
    assert error["file"] == str(bad) and "既不是台账" in error["message"]
    assert f"错误：{bad}：既不是台账" in result.stderr


def test_list_whose_domain_cannot_be_told_exits_2_with_the_fix(tmp_path: Path):
    lst = entity_list(tmp_path / "名单.xlsx", [[1, "甲", "x1", "A"]])
    result = invoke(lst, "--month", "2022-10")
    assert result.exit_code == 2
    assert "无法确定这份名单属于哪个领域" in result.stderr
    assert "改名" in result.stderr and "领域" in result.stderr


@pytest.mark.parametrize("month", ["2022-13", "10月", "2022", "2022-10-01x"])
def test_bad_month_option_exits_2(tmp_path: Path, month: str):
    result = invoke(ledger(tmp_path / "台账.csv", GOOD), "--month", month)
    assert result.exit_code == 2
    assert "--month" in result.stderr and "2022-11" in result.stderr


@pytest.mark.parametrize("month", ["2022-10", "2022/10", "2022.10", "2022年10月"])
def test_month_option_is_read_as_check_reads_it(tmp_path: Path, month: str):
    result = invoke(ledger(tmp_path / "台账.csv", GOOD), "--month", month, "--json")
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["month"] == "2022-10"


def test_month_not_in_the_ledger_exits_2(tmp_path: Path):
    result = invoke(ledger(tmp_path / "台账.csv", GOOD), "--month", "2022-09")
    assert result.exit_code == 2
    assert "台账中没有 2022-09 这个月的一列（有：2022-10、2022-11）" in result.stderr
    assert result.stdout == ""  # no table of 23 empty rows


def test_month_not_in_two_ledgers_is_one_problem_per_file(tmp_path: Path):
    """Each problem names one file (never ``a、b``) and the months that file has."""
    a = tmp_path / "a.csv"
    a.write_text("序号,实施部门,分级分类领域,2022年10月\n1,市税务局,纳税企业,A级 10 户\n", "utf-8")
    b = tmp_path / "b.csv"
    b.write_text("序号,实施部门,分级分类领域,2022年11月\n2,鹤岗海关,海关企业,认证 1 家\n", "utf-8")
    result = invoke(a, "--month", "2022-09", "--json", b)
    assert result.exit_code == 2, result.output
    errors = json.loads(result.stdout)["errors"]
    assert [(e["file"], e["kind"]) for e in errors] == [(str(a), "month"), (str(b), "month")]
    assert "（有：2022-10）" in errors[0]["message"]
    assert "（有：2022-11）" in errors[1]["message"]
    text = invoke(a, "--month", "2022-09", b)
    assert text.stderr.splitlines() == [
        f"错误：{a}：台账中没有 2022-09 这个月的一列（有：2022-10）；请检查 --month",
        f"错误：{b}：台账中没有 2022-09 这个月的一列（有：2022-11）；请检查 --month",
    ]


def test_bad_registry_exits_2(tmp_path: Path):
    reg = tmp_path / "reg.toml"
    reg.write_text("x=", encoding="utf-8")
    result = invoke(ledger(tmp_path / "台账.csv", GOOD), "--month", "2022-10", "--registry", reg)
    assert result.exit_code == 2
    assert "TOML 格式错误" in result.stderr


def test_readme_section_shows_the_real_output(seed_path: Path):
    doc = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    assert "### hgcredit ratings" in doc
    result = invoke(seed_path, "--month", "2022-10")
    assert result.stdout.strip() in doc


def test_month_header_without_a_year_takes_it_from_month_as_check_does(tmp_path: Path):
    # A return headed only `12月` (no year in the header, title or file name): `check`
    # and `month` date it by --month; `ratings` read the same file the same way.
    f = tmp_path / "市煤管局.csv"
    f.write_text("实施部门,分级分类领域,12月\n市煤管局,地方煤矿,共 33 家，C类 32 家，D类 1 家。\n")
    result = invoke(f, "--month", "2022-12", "--json")
    assert result.exit_code == 0, result.output
    assert "没有年份" not in result.stderr
    coal = next(d for d in json.loads(result.stdout)["domains"] if d["domain"] == "地方煤矿")
    assert coal["counts"] == {"C": 32, "D": 1}
    checked = CliRunner().invoke(app, ["check", str(f), "--month", "2022-12", "--json"])
    assert checked.exit_code in (0, 1), checked.output


def test_a_list_whose_grade_like_column_holds_no_level_is_an_ungraded_list(tmp_path: Path):
    # 应急局's list of supervised firms: “行业类别” reads like a grade column (类别) but holds
    # industries. reconcile and month take it as a list without grades; ratings must not
    # count it as a domain whose every row has an unknown level.
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "企业名称", "统一社会信用代码", "行业类别"])
    ws.append([1, "甲公司", "91230402MA1A0001XW", "危险化学品"])
    ws.append([2, "乙公司", "91230403MA1B0002PC", "工贸"])
    lst = tmp_path / "市应急局_重点监管企业.xlsx"
    wb.save(lst)
    good = entity_list(
        tmp_path / "企业环境_评级名单.xlsx", [[1, "丙公司", "91230406MA1E0005MC", "绿牌"]]
    )
    result = invoke(lst, good, "--month", "2022-10")
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "市应急局_重点监管企业.xlsx" in lines[0]
    assert "“行业类别”列中没有安全生产领域的等级" in lines[0]
    assert "危险化学品" in lines[0] and "hgcredit reconcile" in lines[0]
    assert "安全生产领域" not in result.stdout  # not counted as a domain
    assert "绿 1" in result.stdout  # the other list is still counted
    data = json.loads(invoke(lst, "--month", "2022-10", "--json").stdout)
    assert data["domains"] == [] and "行业类别" in data["errors"][0]["message"]


def test_sign_off_lines_under_a_list_of_names_are_not_counted(tmp_path: Path):
    # Trial 5: a list without a code column read its sign-off lines as entities with
    # unknown grades: 不符, exit 1.
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in (
        ["单位名称", "信用等级"],
        ["鹤岗市甲林场", "A级"],
        ["鹤岗市乙林场", "B级"],
        ["填表人：张三", "联系电话：0468-1234567"],
        ["审核：", "李四"],
    ):
        ws.append(row)
    path = tmp_path / "市林草局_林草监管领域.xlsx"
    wb.save(path)
    result = invoke(path, "--month", "2022-11", "--json")
    assert result.exit_code == 0, result.output
    (domain,) = json.loads(result.stdout)["domains"]
    assert domain["counts"] == {"A": 1, "B": 1} and domain["review"] == []
