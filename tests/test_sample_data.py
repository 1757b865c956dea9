"""sample_data/: the committed files are what the generator makes, and say what they claim.

``expected.json`` holds the facts (tests/test_golden.py runs the commands against them); here
the facts are checked against the files themselves, read cell by cell without the product,
and the two EXPECTED.md files are checked to state the same facts as ``expected.json``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from stdnum.cn import uscc

from hgcredit.io.tables import read_tables
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
    names = ("台账", "returns", "lists", "entities", "部门名单")
    found = {
        p.relative_to(folder).as_posix()
        for name in names
        for p in (folder / name).rglob("*")
        if p.is_file()
    }
    found |= {name for name in ("EXPECTED.md", "expected.json") if (folder / name).exists()}
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


def _expected() -> dict[str, Any]:
    facts: dict[str, Any] = json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))
    return facts


def _facts() -> dict[str, Any]:
    """The entity facts (double-A)."""
    facts: dict[str, Any] = _expected()["entities"]
    return facts


# ---------------------------------------------------------------- reproducible


def test_generator_reproduces_the_committed_files(generated: Path) -> None:
    committed = _files(SAMPLE)
    assert committed == _files(generated)
    assert {"EXPECTED.md", "expected.json", "entities/EXPECTED.md"} <= committed
    returns = {f"returns/{r['file']}" for r in _expected()["returns"]}
    assert {f for f in committed if f.startswith("returns/")} == returns
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


def _raw_sheets(path: Path, kind: str) -> list[list[list[str]]]:
    """Every sheet of a return as rows of cell text, read without the product."""
    if kind.startswith("csv"):
        encoding = {"csv-gbk": "gbk", "csv-utf8-bom": "utf-8-sig"}[kind]
        with path.open(encoding=encoding, newline="") as f:
            return [list(csv.reader(f))]

    def text(value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return "" if value is None else str(value)

    return [[[text(c) for c in row] for row in rows] for rows in _cells(path).values()]


def _domain_key(written: str) -> str:
    return re.sub(r"\s|<[^>]+>", "", written)


def _november_cells() -> dict[tuple[str, str], tuple[str, list[str], list[str]]]:
    """(file, domain) -> (November cell, header row, the domain's row) for every fact row."""
    out = {}
    for rf in _expected()["returns"]:
        path = SAMPLE / "returns" / rf["file"]
        sheets = _raw_sheets(path, rf["kind"])
        for fact in rf["rows"]:
            found = [
                (rows, i)
                for rows in sheets
                for i, row in enumerate(rows)
                if fact["written_domain"] in (c.strip() for c in row)
            ]
            assert len(found) == 1, (rf["file"], fact["domain"])
            rows, at = found[0]
            head = next(r for r in rows[:at] if rf["month_header"] in r)
            cell = rows[at][head.index(rf["month_header"])]
            # The department as written: in its row, or above it under a merged cell.
            assert any(fact["written_department"] in r for r in rows[: at + 1]), rf["file"]
            out[(rf["file"], fact["domain"])] = (cell, head, rows[at])
    return out


def test_returns_say_what_expected_json_says() -> None:
    facts = _expected()
    cells = _november_cells()
    suffix = {"xlsx": ".xlsx", "xls": ".xls", "ods": ".ods", "csv-gbk": ".csv"}
    placeholders = {p["domain"]: p["text"] for p in facts["placeholders"]}
    without = {d["domain"] for d in facts["without_figures"]}
    for rf in facts["returns"]:
        assert (SAMPLE / "returns" / rf["file"]).suffix == suffix.get(rf["kind"], ".csv")
        for fact in rf["rows"]:
            text = cells[(rf["file"], fact["domain"])][0]
            numbers = {int(n) for n in re.findall(r"\d+", text)}
            if fact["total"] is not None:
                assert fact["total"] in numbers, (rf["file"], fact["domain"])
            for label, n in fact["levels"].items():
                assert re.search(rf"{re.escape(label)}\D{{0,12}}?{n}(?!\d)", text), (label, n)
            assert fact["level_sum"] == (sum(fact["levels"].values()) if fact["levels"] else None)
            if fact["domain"] in placeholders:
                assert text == placeholders[fact["domain"]]
            if fact["domain"] in without:
                assert not re.search(r"\d", text)


def test_returns_come_from_the_departments_expected_json_names() -> None:
    facts = _expected()
    written = " ".join(
        cell
        for rf in facts["returns"]
        for rows in _raw_sheets(SAMPLE / "returns" / rf["file"], rf["kind"])
        for row in rows
        for cell in row
    )
    for department in facts["departments"]["missing"]:
        assert department.removeprefix("市") not in written, department
    returned = {row["department"] for rf in facts["returns"] for row in rf["rows"]}
    assert sorted(returned) == sorted(facts["departments"]["returned"])
    assert len(returned) + len(facts["departments"]["missing"]) == facts["departments"]["count"]
    domains = {d["domain"]: d for d in facts["domains"]}
    assert len(domains) == facts["summary"]["domains"]
    kept = {c["domain"]: c["kept_file"] for c in facts["conflicts"]}
    for rf in facts["returns"]:
        for row in rf["rows"]:
            domain = domains[row["domain"]]
            assert domain["department"] == row["department"]
            assert rf["file"] in domain["files"]
            if kept.get(row["domain"], rf["file"]) == rf["file"]:
                # The domain's month is what its (kept) return says.
                for key in ("total", "levels", "level_sum"):
                    assert domain[key] == row[key], (row["domain"], key)
    for domain in facts["domains"]:
        assert domain["status"] == (
            "missing"
            if not domain["files"]
            else "placeholder"
            if domain["domain"] in {p["domain"] for p in facts["placeholders"]}
            else "filled"
        )
    # Forms a reader must cope with: every file kind, month headers written several ways.
    assert {rf["kind"] for rf in facts["returns"]} == {
        "xlsx",
        "xls",
        "ods",
        "csv-gbk",
        "csv-utf8-bom",
    }
    headers = {rf["month_header"] for rf in facts["returns"]}
    assert {"2022年11月开展行业信用评价及监管情况", "2022年11月", "11月", "2022-11"} <= headers


def test_october_columns_repeat_the_master_ledger() -> None:
    facts = _expected()
    master = _raw_sheets(SAMPLE / facts["master_ledger"], "xlsx")[0]
    october_header = master[1][4]
    assert october_header.startswith("2022年10月")
    october = {_domain_key(r[2]): r[4] for r in master[2:]}
    with_october = []
    for rf in facts["returns"]:
        for rows in _raw_sheets(SAMPLE / "returns" / rf["file"], rf["kind"]):
            head = next((r for r in rows if october_header in r), None)
            if head is None:
                continue
            with_october.append(rf["file"])
            col, dom = head.index(october_header), head.index("分级分类领域")
            body = rows[rows.index(head) + 1 :]
            assert body and all(r[col] == october[_domain_key(r[dom])] for r in body)
    assert with_october == facts["october_same_as_master"]
    assert [r["file"] for r in facts["returns"] if r["october_column"]] == with_october


def test_the_conflicting_returns_differ_only_in_their_november_text() -> None:
    facts = _expected()
    cells = _november_cells()
    for c in facts["conflicts"]:
        earlier, _, row_a = cells[(c["earlier_file"], c["domain"])]
        later, _, row_b = cells[(c["later_file"], c["domain"])]
        assert earlier != later
        assert c["kept_file"] == c["later_file"]
        assert str(c["kept_total"]) in later
        assert c["department"] in "".join(row_a) or c["department"] in "".join(row_b)


# ---------------------------------------------------------------- the lists


def test_environment_list_matches_the_november_text() -> None:
    env = _expected()["environment_list"]
    table = read_tables(SAMPLE / "lists" / env["file"])[0]
    assert table.header_row == env["header_row"]
    assert table.header == ["序号", "企业名称", "统一社会信用代码", "所属区县", "环境信用等级"]
    levels = [row[4] for row in table.rows]
    assert len(levels) == env["entities"]
    assert dict(Counter(levels)) == env["levels"]
    odd = [
        {"row": table.row_numbers[i], "value": level}
        for i, level in enumerate(levels)
        if level[0] not in env["agrees_with_return"]["levels"]
    ]
    assert odd == env["not_a_level"]
    assert all(uscc.is_valid(row[2]) for row in table.rows)
    text = read_tables(SAMPLE / "returns" / "鹤岗市生态环境局_11月台账.xlsx")[0].rows[0][-1]
    for label, n in env["agrees_with_return"]["levels"].items():
        assert f"{label}牌）{n}家" in text
    assert f"完成{env['agrees_with_return']['total']}家" in text


# ---------------------------------------------------------------- EXPECTED.md and expected.json


def test_expected_md_files_are_rendered_from_expected_json() -> None:
    sys.path.insert(0, str(SAMPLE))
    try:
        from sample_gen.expected import (  # type: ignore[import-not-found]
            entities_expected,
            returns_expected,
        )
    finally:
        sys.path.remove(str(SAMPLE))
    facts = _expected()
    assert returns_expected(facts) == (SAMPLE / "EXPECTED.md").read_text(encoding="utf-8")
    entities = (ENTITIES / "EXPECTED.md").read_text(encoding="utf-8")
    assert entities_expected(facts["entities"]) == entities
    from sample_gen.expected import reconcile_expected  # type: ignore[import-not-found]

    lists = (SAMPLE / "部门名单" / "EXPECTED.md").read_text(encoding="utf-8")
    assert reconcile_expected(facts["reconcile"]) == lists
    block = re.search(r"```json\n(.*?)\n```", lists, re.S)
    assert block is not None and json.loads(block.group(1)) == facts["reconcile"]


def _md_levels(text: str) -> tuple[dict[str, int], int | None]:
    if text == "—":
        return {}, None
    m = re.fullmatch(r"(.*)（(\d+)）", text)
    assert m, text
    pairs = [p.rsplit(" ", 1) for p in m.group(1).split("、")]
    return {k: int(n) for k, n in pairs}, int(m.group(2))


def test_expected_md_states_the_same_facts_as_expected_json() -> None:
    """Read back from the Markdown a clerk reads, independently of the renderer."""
    facts = _expected()
    md = (SAMPLE / "EXPECTED.md").read_text(encoding="utf-8")
    table = [
        [c.strip() for c in line.strip("|").split(" | ")]
        for line in md.splitlines()
        if line.startswith("| ") and not line.startswith("| 文件 ")
    ]
    rows = [(rf, row) for rf in facts["returns"] for row in rf["rows"]]
    assert len(table) == len(rows)
    for cells, (rf, row) in zip(table, rows, strict=True):
        file, kind, department, domain, header, total, levels, note = cells
        assert (file, kind, header) == (rf["file"], rf["kind"], f"`{rf['month_header']}`")
        assert department == f"{row['department']}（{row['written_department']}）"
        assert domain == row["written_domain"]
        assert total == ("—" if row["total"] is None else str(row["total"]))
        assert _md_levels(levels) == (row["levels"], row["level_sum"])
        assert note == row["note"] or (note == "不符" and row["total"] != row["level_sum"])

    def bullet(start: str) -> str:
        (line,) = [ln for ln in md.splitlines() if ln.startswith(f"- {start}")]
        return line.removeprefix(f"- {start}").removesuffix("。")

    deps = facts["departments"]
    assert bullet("报送的部门：") == (
        f"{len(deps['returned'])} 个（共 {deps['count']} 个）：{'、'.join(deps['returned'])}"
    )
    assert bullet("未报送的部门：") == f"{len(deps['missing'])} 个：{'、'.join(deps['missing'])}"
    assert bullet("占位（不算已填报）：") == "、".join(
        f"{p['department']}（“{p['text']}”）" for p in facts["placeholders"]
    )
    assert bullet("没有数字、不是“有数据支撑”的：") == "、".join(
        d["department"] for d in facts["without_figures"]
    )
    for m in facts["not_adding_up"]:
        assert f"{m['department']}（{m['total']} 家，" in bullet("各级之和与所述总数不符：")
        assert f"={m['level_sum']}）" in bullet("各级之和与所述总数不符：")
    for c in facts["conflicts"]:
        line = bullet("冲突的重复报送：")
        assert f"{c['department']}（`{c['earlier_file']}` 与 `{c['later_file']}`" in line
        assert f"{c['kept_total']} 家，" in line
        assert "、".join(f"{k} 级 {n} 家" for k, n in c["kept_levels"].items()) in line
    assert re.findall(r"`([^`]+)`", bullet("10 月列：")) == facts["october_same_as_master"]
    summary = facts["summary"]
    assert (
        f"按 {deps['count']} 个部门 {summary['domains']} 个领域算：11 月有实质内容的领域 "
        f"{summary['filled']} 个（{summary['returned']} 个领域有报送" in md
    )
    assert f"空着的领域 {summary['empty']} 个（{summary['missing']} 个未报送部门" in md
    env = facts["environment_list"]
    assert (
        f"`{env['file']}`：标题行 {env['title_rows']} 行，表头在第 {env['header_row']} 行，"
        f"{env['entities']} 家企业：" + "、".join(f"{k} {n} 家" for k, n in env["levels"].items())
    ) in md
    for odd in env["not_a_level"]:
        assert f"- “{odd['value']}”不是环境信用等级，应按行报出：第 {odd['row']} 行。" in md
    # entities/EXPECTED.md ends with its facts as JSON: the same as expected.json's.
    text = (ENTITIES / "EXPECTED.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)\n```", text, re.S)
    assert block is not None
    assert json.loads(block.group(1)) == facts["entities"]
    da = facts["entities"]["double_a"]
    assert f"能确定认定的 **{da['expected']} 家**" in text
    assert "、".join(f"{c} {n}" for c, n in da["per_county"].items()) in text


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
{ echo "CALL"; printf '%s\n' "$@"; } >> "$FAKE_LOG"
while [[ $# -gt 0 ]]; do
    if [[ $1 == -o ]]; then mkdir -p "$2/2022-11"; fi
    shift
done
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


def test_demo_runs_exactly_the_month_command_on_the_sample_folder(tmp_path: Path) -> None:
    result, calls = _demo(tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert calls == [
        ["month", str(SAMPLE), "--month", "2022-11", "--as-of", "2022-11-25", "-o", str(out)]
    ]
    assert result.stdout.splitlines()[-1] == f"输出文件在：{out / '2022-11'}"


def test_demo_goes_on_when_the_month_found_something_to_act_on(tmp_path: Path) -> None:
    result, _ = _demo(tmp_path, FAKE_RC_month="1")
    assert result.returncode == 0, result.stderr
    assert "输出文件在：" in result.stdout


@pytest.mark.parametrize(("rc", "words"), [("2", "有输入文件无法使用"), ("3", "内部错误")])
def test_demo_fails_on_unusable_input_or_internal_error(
    tmp_path: Path, rc: str, words: str
) -> None:
    result, _ = _demo(tmp_path, FAKE_RC_month=rc)
    assert result.returncode == int(rc)
    assert "演示失败" in result.stderr and words in result.stderr
    assert "输出文件在" not in result.stdout


def test_demo_names_a_missing_executable(tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", str(SAMPLE / "demo.sh"), str(tmp_path / "nope"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "找不到 hgcredit" in result.stderr


# ---------------------------------------------------------------- the lists for reconcile


def test_reconcile_lists_hold_what_expected_json_says() -> None:
    """Read cell by cell (no product code): rows, planted faults, legacy ids, the total line."""
    facts = _expected()["reconcile"]
    prev = facts["previous_public"]
    table = read_tables(ENTITIES / prev["file"])[0]
    assert (table.header_row, len(table.rows)) == (prev["header_row"], prev["data_rows"])

    def at(t: Any, row: int) -> list[str]:
        return t.rows[t.row_numbers.index(row)]

    code = _column(table, "统一社会信用代码")
    wrong = prev["wrong_check_character"]
    assert at(table, wrong["row"])[code] == wrong["written"] and not uscc.is_valid(wrong["written"])
    assert uscc.is_valid(wrong["code"]) and wrong["written"][:17] == wrong["code"][:17]
    for row in prev["lowercase_codes"]:
        written = at(table, row)[code]
        assert written != written.upper() and uscc.is_valid(written.upper())
    first, second = prev["duplicate_row"]["rows"]
    assert at(table, first)[1:] == at(table, second)[1:]
    assert len({r[code].upper() for r in table.rows}) == prev["entities"]

    graded, ungraded = facts["lists"]
    for lst in (graded, ungraded):
        t = read_tables(SAMPLE / lst["file"])[0]
        body = [r for r in t.rows if not r[1].startswith("合计")]
        assert len(body) == lst["rows"]
        code = _column(t, "统一社会信用代码")
        for bad in lst["invalid_rows"]:
            written = at(t, bad["row"])[code]
            assert written == bad["written"] and not uscc.is_valid(_compact(written))
        for legacy in lst["legacy_rows"]:
            assert at(t, legacy["row"])[code] == legacy["written"] == legacy["code"][2:17]
        first, second = lst["duplicate_rows"]
        assert at(t, first)[1:] == at(t, second)[1:]
        valid = {_compact(r[code]) for r in body if uscc.is_valid(_compact(r[code]))}
        assert set(lst["not_found_codes"]) <= valid
    t = read_tables(SAMPLE / graded["file"])[0]
    for unknown in graded["unknown_grades"]:
        assert at(t, unknown["row"])[_column(t, "信用等级")] == unknown["value"]
    raw = (SAMPLE / ungraded["file"]).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    lines = raw.decode("gb18030").splitlines()
    assert lines[ungraded["total_line"] - 1].split(",")[1] == f"合计：{ungraded['rows']}家"


# ---------------------------------------------------------------- the folder as one month


def _folder_files() -> set[str]:
    """Every file of sample_data/ a clerk's folder would hold (caches and hidden files aside)."""
    return {
        p.relative_to(SAMPLE).as_posix()
        for p in SAMPLE.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and not any(part.startswith(".") for part in p.relative_to(SAMPLE).parts)
    }


def test_month_facts_place_every_file_of_the_folder() -> None:
    month = _expected()["month"]
    placed = [f["file"] for f in month["inputs"]]
    assert len(placed) == len(set(placed))
    assert set(placed) == _folder_files()
    # The ledgers are the master ledger and every return, corrections last.
    facts = _expected()
    ledgers = [f for f in month["inputs"] if f["role"] == "ledger"]
    assert {f["file"] for f in ledgers} == {facts["master_ledger"]} | {
        f"returns/{r['file']}" for r in facts["returns"]
    }
    assert [f["file"] for f in sorted(ledgers, key=lambda f: f["order"])] == month["ledger_order"]
    assert month["ledger_order"][0] == facts["master_ledger"]
    assert month["ledger_order"][-1] == f"returns/{facts['conflicts'][0]['later_file']}"
    # Spreadsheets are inputs or ignored for a stated reason; everything else is no table.
    for f in month["inputs"]:
        table = Path(f["file"]).suffix in (*SPREADSHEETS, ".csv")
        assert table == (f.get("why") != "not_a_table"), f


def _level(cell: str) -> str:
    return cell.removesuffix("级")


def test_construction_list_disagrees_with_its_return_as_planted() -> None:
    """Read cell by cell: the construction bureau's own list, counted one row per entity
    without its unknown level, is what expected.json says, and not what its return states."""
    facts = _expected()
    graded = facts["reconcile"]["lists"][0]
    t = read_tables(SAMPLE / graded["file"])[0]
    level, code = _column(t, "信用等级"), _column(t, "统一社会信用代码")
    repeated = graded["duplicate_rows"][1]
    unknown = {u["row"] for u in graded["unknown_grades"]}
    counted = Counter(
        _level(row[level])
        for row, n in zip(t.rows, t.row_numbers, strict=True)
        if n != repeated and n not in unknown
    )
    assert dict(counted) == graded["list_levels"]
    assert len({r[code] for r in t.rows}) == len(t.rows) - 1  # the one repeated row
    (wrong,) = [d for d in facts["month"]["not_adding_up"] if d["domain"] == graded["domain"]]
    differs = wrong["reasons"][0]
    assert differs["kind"] == "list_differs_from_text"
    assert differs["file"] == graded["file"] and differs["list"] == graded["list_levels"]
    stated = next(d for d in facts["domains"] if d["domain"] == graded["domain"])
    assert differs["text"] == stated["levels"]
    assert differs["levels"] == [lv for lv, n in stated["levels"].items() if counted[lv] != n]
    assert differs["levels"]  # the planted disagreement
    assert wrong["stated_total"] == stated["total"] != sum(counted.values())
    assert wrong["counted_total"] == sum(counted.values())


def test_month_facts_agree_with_the_other_facts() -> None:
    facts = _expected()
    month = facts["month"]
    unfilled = [d for d in facts["domains"] if d["status"] != "filled"]
    assert [(u["department"], u["domain"]) for u in month["overdue"]] == [
        (d["department"], d["domain"]) for d in unfilled
    ]
    assert month["deadline"] == "2022-11-20"  # 每月 20 日前, the seed notice says
    assert re.search(r"每月\s*20\s*日前", SEED.read_text(encoding="utf-8"))
    for notice in month["notices"].values():
        assert notice["units"] == month["overdue"]
    # Without the department lists, the domains that do not add up are the returns' own
    # and the environment list's odd level (what ratings over returns + lists/ reports).
    own = {m["domain"] for m in facts["not_adding_up"]} | {facts["environment_list"]["domain"]}
    graded = facts["reconcile"]["lists"][0]["domain"]
    assert {d["domain"] for d in month["not_adding_up"]} == own | {graded}
    da = facts["entities"]
    assert month["double_a"]["enterprises"] == da["double_a"]["expected"]
    assert month["double_a"]["by_county"] == da["double_a"]["per_county"]
    assert (month["double_a"]["added"], month["double_a"]["removed"]) == (
        da["previous"]["added"],
        da["previous"]["removed"],
    )


def test_expected_md_states_the_month_facts() -> None:
    month = _expected()["month"]
    md = (SAMPLE / "EXPECTED.md").read_text(encoding="utf-8")
    section = md[md.index("## 整个文件夹作为") :]
    labels = {
        "ledger": "台账/报送",
        "list": "等级名单",
        "tax": "纳税信用名单",
        "public": "公共信用评价名单",
        "previous": "上年双A名单",
        "ignored": "未用",
    }
    for f in month["inputs"]:
        assert f"\n- `{f['file']}`：{labels[f['role']]}（" in section, f["file"]
    assert f"逾期 {len(month['overdue'])} 个领域：" in section
    assert f"评级对不上 {len(month['not_adding_up'])} 个领域：" in section
    for d in month["not_adding_up"]:
        (line,) = [ln for ln in section.splitlines() if ln.startswith(f"  - {d['department']}·")]
        for r in d["reasons"]:
            if r["kind"] == "sum_not_total":
                assert f"各级之和 {r['level_sum']} 与所述总数 {r['total']} 不符" in line
            elif r["kind"] == "unknown_level":
                assert f"第 {r['row']} 行的“{r['value']}”" in line
            else:
                for lv in r["levels"]:
                    assert f"{lv}（文字 {r['text'][lv]}，名单 {r['list'][lv]}）" in line
    da = month["double_a"]
    assert f"双A企业 {da['enterprises']} 户" in section
