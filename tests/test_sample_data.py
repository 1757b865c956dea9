"""sample_data/: the committed files are what the generator makes, and say what they claim."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from stdnum.cn import uscc

from hgcredit.io.tables import read_tables
from hgcredit.registry import load_registry
from hgcredit.text import clean_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
SEED = ROOT / "tests" / "data" / "seed_notice.txt"
LEDGER = SAMPLE / "台账" / "鹤岗市信用分级分类监管工作推进台账.xlsx"
ENTITIES = SAMPLE / "entities"
SPREADSHEETS = (".xlsx", ".xls", ".ods")


def _generator() -> Any:
    sys.path.insert(0, str(SAMPLE))
    try:
        import make_sample_data  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(SAMPLE))
    return make_sample_data


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample_data")
    _generator().generate(out)
    return out


def _files(folder: Path) -> set[str]:
    names = ("台账", "returns", "lists", "entities")
    found = {
        p.relative_to(folder).as_posix()
        for name in names
        for p in (folder / name).rglob("*")
        if p.is_file()
    }
    if (folder / "EXPECTED.md").exists():
        found.add("EXPECTED.md")
    return found


def _cells(path: Path) -> dict[str, list[list[Any]]]:
    wb = CalamineWorkbook.from_path(str(path))
    try:
        return {
            name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in wb.sheet_names
        }
    finally:
        wb.close()


def _facts() -> dict[str, Any]:
    text = (ENTITIES / "EXPECTED.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)\n```", text, re.S)
    assert block, "entities/EXPECTED.md has no json block"
    facts: dict[str, Any] = json.loads(block.group(1))
    return facts


# ---------------------------------------------------------------- reproducible


def test_generator_reproduces_the_committed_files(generated: Path) -> None:
    committed = _files(SAMPLE)
    assert committed == _files(generated)
    assert len([f for f in committed if f.startswith("returns/")]) == 15
    for rel in sorted(committed):
        ours, theirs = SAMPLE / rel, generated / rel
        if ours.suffix in SPREADSHEETS:
            assert _cells(ours) == _cells(theirs), f"{rel} differs from the generator's output"
        else:
            assert ours.read_bytes() == theirs.read_bytes(), f"{rel} differs"


def test_generator_writes_the_same_bytes_twice(generated: Path, tmp_path: Path) -> None:
    _generator().generate(tmp_path)
    for rel in sorted(_files(generated)):
        assert (tmp_path / rel).read_bytes() == (generated / rel).read_bytes(), rel


# ---------------------------------------------------------------- the master ledger


def _seed_ledger_text() -> str:
    text = SEED.read_text(encoding="utf-8")
    start = text.index("鹤岗市信用分级分类监管工作推进台账", text.index("附件 1:"))
    return text[start : text.index("附件 2:")]


def _squeeze(value: object) -> str:
    return re.sub(r"\s+", "", clean_text(value))


def test_master_ledger_holds_the_seed_ledger_word_for_word() -> None:
    sheets = _cells(LEDGER)
    assert list(sheets) == ["工作推进台账"]
    grid = sheets["工作推进台账"]
    # Every cell in reading order, cleaned, is the seed's attachment 1 with only whitespace removed.
    ours = "".join(_squeeze(cell) for row in grid for cell in row)
    assert ours == _squeeze(_seed_ledger_text())


def test_master_ledger_layout_and_seed_remnants() -> None:
    table = read_tables(LEDGER)[0]
    assert table.title == ["鹤岗市信用分级分类监管工作推进台账"]
    assert table.header_row == 2
    assert table.header[4].startswith("2022年10月开展行业信用评价及监管情况 (")
    assert table.header[5:] == [
        "2022年11月开展行业信用评价及监管情况",
        "2022年12月开展行业信用评价及监管情况",
    ]
    assert len(table.rows) == 23
    assert all(row[5] == "" and row[6] == "" for row in table.rows)
    # The seed's 税务 October text, cleaned, exactly.
    assert table.rows[0][4] == clean_text(
        "对符合条件的纳税人开展评价,结果已于2022年5月21日发布。截至目前,我市2021年度纳税信用评价"
        "9889户,目前发布纳税信用评价结果,A级236户、B级3495户、M级5352户、C级197户、D级609户,"
        "后续将对各等级分别采用对应的管理办法进行管理。"
    )
    # The row cut by a page break in the seed is whole again.
    assert table.rows[5][4].endswith("市级终评全部结束，已申报省级评估。")
    # 公安局: serial, department and section merged over its two domain rows.
    assert [r[:2] for r in table.rows[21:]] == [["22", "市公安局"], ["22", "市公安局"]]
    assert table.rows[22][3] == table.rows[21][3]
    wb = CalamineWorkbook.from_path(str(LEDGER))
    merged = wb.get_sheet_by_name("工作推进台账").merged_cell_ranges or []
    wb.close()
    assert {((23, c), (24, c)) for c in (0, 1, 3)} <= set(merged)
    assert ((0, 0), (0, 6)) in merged
    # Raw cells keep the seed's HTML remnants and the spaces inside names.
    raw = _cells(LEDGER)["工作推进台账"]
    assert sum(1 for row in raw if str(row[4]).startswith("<p>")) >= 10
    assert raw[12][2] == "安全生产 领域"
    assert raw[23][2] == "<p>制毒化学 品领域</p>"


# ---------------------------------------------------------------- the returns


def test_gbk_csv_really_is_gbk() -> None:
    data = (SAMPLE / "returns" / "市人社局2022年11月台账.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("gb18030")
    assert "市人社局" in text
    assert data.decode("gbk") == text


def test_utf8_csv_has_a_bom() -> None:
    data = (SAMPLE / "returns" / "市煤管局_2022年11月.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "市煤管局" in data.decode("utf-8-sig")


def test_returns_come_from_17_departments_in_every_form() -> None:
    reg = load_registry()
    seen: dict[str, list[str]] = {}
    domains: set[str] = set()
    suffixes = set()
    for path in sorted((SAMPLE / "returns").iterdir()):
        suffixes.add(path.suffix)
        for table in read_tables(path):
            column = next(i for i, h in enumerate(table.header) if "部门" in h)
            domain_column = next(i for i, h in enumerate(table.header) if "领域" in h)
            for row in table.rows:
                department = reg.find_department(row[column])
                seen.setdefault(department, []).append(path.name)
                domain = reg.find_domain(row[domain_column], department=department)
                assert domain is not None, f"{path.name}: {row[domain_column]}"
                domains.add(domain.domain)
    assert len(seen) == 17
    assert len(domains) == 18
    missing = set(reg.departments) - set(seen)
    assert missing == {"市城管局", "市医保局", "市林草局", "市水务局", "市邮政局"}
    assert seen["市商务局"] == ["市商务局_11月.xlsx", "市商务局_11月_更正.xlsx"]
    assert suffixes == {".xlsx", ".xls", ".ods", ".csv"}
    written = " ".join(
        clean_text(c)
        for p in (SAMPLE / "returns").iterdir()
        for t in read_tables(p)
        for r in t.rows
        for c in r
    )
    for name in ("国家税务总局鹤岗市税务局", "鹤岗市消防救援支队", "鹤岗市生态环境局", "市 民政局"):
        assert name in written


def test_returns_month_headers_vary() -> None:
    headers = set()
    for path in (SAMPLE / "returns").iterdir():
        for table in read_tables(path):
            headers |= {h for h in table.header if "11" in h}
    assert {"2022年11月开展行业信用评价及监管情况", "2022年11月", "11月", "2022-11"} <= headers


# ---------------------------------------------------------------- the lists


def test_environment_list_matches_the_november_text() -> None:
    path = SAMPLE / "lists" / "市生态环境局_2022年11月_环境信用评价企业名录.xlsx"
    table = read_tables(path)[0]
    assert table.header == ["序号", "企业名称", "统一社会信用代码", "所属区县", "环境信用等级"]
    levels = [row[4] for row in table.rows]
    assert {lv: levels.count(lv) for lv in set(levels)} == {
        "绿牌": 34,
        "蓝牌": 10,
        "黄牌": 2,
        "红牌": 1,
        "待定": 1,
    }
    odd = table.row_numbers[levels.index("待定")]
    expected = (SAMPLE / "EXPECTED.md").read_text(encoding="utf-8")
    assert f"第 {odd} 行" in expected
    assert all(uscc.is_valid(row[2]) for row in table.rows)
    text = read_tables(SAMPLE / "returns" / "鹤岗市生态环境局_11月台账.xlsx")[0].rows[0][-1]
    for n in ("绿牌）34家", "蓝牌）10家", "黄牌）2家", "红牌）1家", "完成47家"):
        assert n in text


# ---------------------------------------------------------------- the entity lists


def _compact(value: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).upper()


def _column(table: Any, name: str) -> int:
    return int(table.header.index(name))


def test_public_list_codes_match_expected_facts() -> None:
    facts = _facts()["public"]
    table = read_tables(ENTITIES / facts["file"])[0]
    assert table.header_row == facts["header_row"]
    assert len(table.rows) == facts["data_rows"]
    codes = [row[_column(table, "统一社会信用代码")] for row in table.rows]
    assert sum(map(uscc.is_valid, codes)) == facts["codes_valid_by_stdnum_as_written"]
    clean_valid = sum(uscc.is_valid(_compact(c)) for c in codes)
    assert clean_valid == facts["codes_valid_after_cleaning"]
    assert len(codes) - clean_valid == facts["codes_invalid_after_cleaning"]
    lower = sum(1 for c in codes if c != c.upper() and len(_compact(c)) == 18)
    assert lower == facts["lowercase_codes"]
    assert (
        sum(1 for c in codes if c != unicodedata.normalize("NFKC", c)) == facts["fullwidth_codes"]
    )
    assert sum(1 for c in codes if " " in c) == facts["codes_with_spaces"]

    def at(row: int) -> list[str]:
        return table.rows[table.row_numbers.index(row)]

    code_col, name_col = _column(table, "统一社会信用代码"), _column(table, "市场主体名称")
    for planted in facts["wrong_check_character"]:
        assert at(planted["row"])[code_col] == planted["written"]
        assert not uscc.is_valid(planted["written"])
        assert uscc.is_valid(planted["code"])
        assert planted["written"][:17] == planted["code"][:17]
    number = facts["stored_as_number"]
    assert at(number["row"])[code_col] == format(float(number["written"]), ".15g")
    assert at(number["row"])[code_col] == "9.12304061706554e+17"
    first, second = facts["duplicate_row"]["rows"]
    assert at(first)[1:] == at(second)[1:]
    grades = {at(r)[_column(table, "评价等级")] for r in facts["conflict"]["rows"]}
    assert grades == {"A", "B"}
    assert at(facts["formula_like_name"]["row"])[name_col].startswith("=")


def test_tax_list_codes_match_expected_facts() -> None:
    facts = _facts()["tax"]
    table = read_tables(ENTITIES / facts["file"])[0]
    assert table.header == ["序号", "纳税人识别号", "纳税人名称", "纳税信用级别", "所属税务机关"]
    assert len(table.rows) == facts["data_rows"]
    ids = [_compact(row[1]) for row in table.rows]
    assert sum(1 for i in ids if len(i) == 15) == facts["legacy_15_char_ids"]
    assert sum(1 for i in ids if uscc.is_valid(i)) == facts["codes_valid_after_cleaning"]
    assert (
        sum(1 for i in ids if len(i) == 18 and not uscc.is_valid(i))
        == facts["codes_invalid_18_char"]
    )
    by_taxpayer = {row[1]: row[3] for row in table.rows}
    assert len(by_taxpayer) == facts["taxpayers"]
    grades = list(by_taxpayer.values())
    assert {g: grades.count(g) for g in "ABMCD"} == facts["grades"]
    first, second = facts["duplicate_row"]["rows"]
    assert (
        table.rows[table.row_numbers.index(first)][1:]
        == table.rows[table.row_numbers.index(second)][1:]
    )


def test_double_a_by_a_plain_join_gives_the_expected_list() -> None:
    """A reference join over the committed lists agrees with what the generator planted."""
    facts = _facts()
    public = read_tables(ENTITIES / facts["public"]["file"])[0]
    tax = read_tables(ENTITIES / facts["tax"]["file"])[0]
    previous = read_tables(ENTITIES / facts["previous"]["file"])[0]
    public_grades: dict[str, set[str]] = {}
    for row in public.rows:
        code = _compact(row[2])
        if uscc.is_valid(code):
            public_grades.setdefault(code, set()).add(row[5])
    tax_a = {_compact(row[1]) for row in tax.rows if row[3] == "A"}
    double_a = sorted(
        code
        for code, grades in public_grades.items()
        if grades == {"A"} and (code in tax_a or code[2:17] in tax_a)
    )
    assert sorted(facts["double_a"]["codes"]) == double_a
    assert len(double_a) == facts["double_a"]["expected"] == 125
    via_legacy = [c for c in double_a if c not in tax_a]
    assert len(via_legacy) == facts["double_a"]["via_legacy_tax_id"]
    last_year = {row[1] for row in previous.rows}
    assert len(last_year & set(double_a)) == facts["previous"]["retained"]
    assert sorted(set(double_a) - last_year) == sorted(facts["previous"]["added_codes"])
    assert sorted(last_year - set(double_a)) == sorted(facts["previous"]["removed_codes"])
    conflict = facts["public"]["conflict"]["code"]
    assert public_grades[conflict] == {"A", "B"}
    assert conflict in tax_a


# ---------------------------------------------------------------- demo.sh

FAKE_HGCREDIT = r"""#!/usr/bin/env bash
cmd=$1
if [[ " $* " == *" --help "* ]]; then
    [[ " ${FAKE_MISSING:-} " == *" $cmd "* ]] && exit 2
    exit 0
fi
{ echo "CALL"; printf '%s\n' "$@"; } >> "$FAKE_LOG"
if [[ $cmd == import ]]; then
    while [[ $# -gt 0 ]]; do
        if [[ $1 == -o ]]; then : > "$2"; fi
        shift
    done
fi
var="FAKE_RC_${cmd//-/_}"
exit "${!var:-0}"
"""


def _demo(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], list[list[str]]]:
    fake = tmp_path / "hgcredit"
    fake.write_text(FAKE_HGCREDIT, encoding="utf-8")
    fake.chmod(0o755)
    log = tmp_path / "calls.log"
    log.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        ["bash", str(SAMPLE / "demo.sh"), str(fake), str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "FAKE_LOG": str(log), **env},
        check=False,
    )
    calls = [c.strip("\n").split("\n") for c in log.read_text(encoding="utf-8").split("CALL\n")[1:]]
    return result, calls


def test_demo_runs_every_command_in_order(tmp_path: Path) -> None:
    result, calls = _demo(tmp_path)
    assert result.returncode == 0, result.stderr
    assert [c[0] for c in calls] == ["import", "check", "check", "ratings", "double-a"]
    imported = calls[0]
    files = [Path(a).name for a in imported[1:] if a.startswith("/") and "returns" in a]
    assert imported[1].endswith("台账/鹤岗市信用分级分类监管工作推进台账.xlsx")
    assert len(files) == 15
    assert files[-1] == "市商务局_11月_更正.xlsx"
    assert files.index("市商务局_11月.xlsx") < files.index("市商务局_11月_更正.xlsx")
    assert files[:-1] == sorted(files[:-1], key=lambda n: n.encode())
    assert imported[-2:] == [
        "-o",
        str(tmp_path / "out" / "鹤岗市信用分级分类监管工作推进台账_2022年11月.xlsx"),
    ]
    ledger = imported[-1]
    assert calls[1] == ["check", ledger, "--month", "2022-11", "--as-of", "2022-11-25"]
    assert calls[2][-1] == "--json"
    assert calls[3][:2] == ["ratings", ledger] and calls[3][-2:] == ["--month", "2022-11"]
    assert any(a.endswith("环境信用评价企业名录.xlsx") for a in calls[3])
    double_a = calls[4]
    for option in ("--tax", "--public", "--previous", "-o", "--detail"):
        assert option in double_a
    assert double_a[double_a.index("-o") + 1].endswith("双A企业_2022.xlsx")
    assert (tmp_path / "out" / "check_2022-11.json").exists()
    assert "输出文件在：" in result.stdout
    assert "鹤岗市信用分级分类监管工作推进台账_2022年11月.xlsx" in result.stdout


def test_demo_goes_on_after_a_check_that_found_something(tmp_path: Path) -> None:
    result, calls = _demo(tmp_path, FAKE_RC_check="1")
    assert result.returncode == 0, result.stderr
    assert "退出码 1" in result.stdout
    assert [c[0] for c in calls][-1] == "double-a"


@pytest.mark.parametrize(("rc", "words"), [("2", "无法使用输入或选项"), ("3", "内部错误")])
def test_demo_fails_on_unusable_input_or_internal_error(
    tmp_path: Path, rc: str, words: str
) -> None:
    result, calls = _demo(tmp_path, FAKE_RC_ratings=rc)
    assert result.returncode == int(rc)
    assert "演示失败" in result.stderr and words in result.stderr
    assert "ratings" in result.stderr
    assert [c[0] for c in calls] == ["import", "check", "check", "ratings"]


def test_demo_skips_commands_this_build_lacks(tmp_path: Path) -> None:
    result, calls = _demo(tmp_path, FAKE_MISSING="import check double-a")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("跳过") == 3
    assert "hgcredit import" in result.stdout
    # Without an imported ledger, ratings reads the master ledger and the returns.
    assert [c[0] for c in calls] == ["ratings"]
    assert calls[0][1].endswith("鹤岗市信用分级分类监管工作推进台账.xlsx")
    assert sum(1 for a in calls[0] if "/returns/" in a) == 15
    assert "暂无输出文件" in result.stdout


def test_demo_names_a_missing_executable(tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", str(SAMPLE / "demo.sh"), str(tmp_path / "nope"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "找不到 hgcredit" in result.stderr
