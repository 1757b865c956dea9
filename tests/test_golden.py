"""Golden end-to-end test: every command, run on sample_data/, agrees with every planted fact.

The facts are ``sample_data/expected.json``, written by ``make_sample_data.py`` from the same
data it renders both EXPECTED.md files from (tests/test_sample_data.py checks that the two
forms say the same). Each command runs once through the real CLI (Typer's CliRunner on
``hgcredit.cli.app``) with ``--json``, on the files as a clerk would pass them: the master
ledger, then the returns by name with a correction (…_更正…) after every original, as
``sample_data/demo.sh`` does. ``check`` and ``ratings`` run both on the imported ledger and on
the master ledger plus the returns, so merging and the written ledger's round trip agree.

``month`` runs on the whole folder as a clerk's folder (``make demo``), after the deadline and
on the deadline day, against expected.json's ``month`` section: every file's role, the
statuses, the domains that do not add up and why, the notice the date calls for (read back
from the .docx), double-A, the files written and the summary's 总览.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from hgcredit.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
EXPECTED: dict[str, Any] = json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))
ENTITIES: dict[str, Any] = EXPECTED["entities"]
MONTH = EXPECTED["month"]["month"]
DOMAINS = [d["domain"] for d in EXPECTED["domains"]]
BY_DOMAIN = {d["domain"]: d for d in EXPECTED["domains"]}
MASTER = SAMPLE / EXPECTED["master_ledger"]
ENV = EXPECTED["environment_list"]
LIST = SAMPLE / "lists" / ENV["file"]
INPUTS = ("imported", "returns")


def _returns() -> list[Path]:
    """The returns in command-line order: by name, every correction after the originals."""
    files = sorted((SAMPLE / "returns").iterdir(), key=lambda p: p.name)
    return [p for p in files if "更正" not in p.name] + [p for p in files if "更正" in p.name]


RETURNS = _returns()


def _run(*args: object) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(app, [*map(str, args), "--json"])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, json.loads(result.stdout)


def _name(path: str) -> str:
    return Path(path).name


def _sheet(path: Path, name: str) -> list[dict[str, Any]]:
    """A workbook sheet as rows keyed by its header (first row)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(wb[name].iter_rows(values_only=True))
    finally:
        wb.close()
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


# ---------------------------------------------------------------- the runs, once each


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("golden")


@pytest.fixture(scope="module")
def imported(work: Path) -> tuple[int, dict[str, Any], Path]:
    out = work / "台账_2022年11月.xlsx"
    code, data = _run("import", MASTER, *RETURNS, "-o", out)
    return code, data, out


def _ledger_inputs(which: str, imported: tuple[int, dict[str, Any], Path]) -> list[Path]:
    return [imported[2]] if which == "imported" else [MASTER, *RETURNS]


@pytest.fixture(scope="module", params=INPUTS)
def checked(request: pytest.FixtureRequest, imported: Any) -> tuple[str, int, dict[str, Any]]:
    files = _ledger_inputs(request.param, imported)
    code, data = _run("check", *files, "--month", MONTH, "--as-of", "2022-11-25")
    return request.param, code, data


@pytest.fixture(scope="module", params=INPUTS)
def rated(request: pytest.FixtureRequest, imported: Any) -> tuple[str, int, dict[str, Any]]:
    files = _ledger_inputs(request.param, imported)
    code, data = _run("ratings", *files, LIST, "--month", MONTH)
    return request.param, code, data


@pytest.fixture(scope="module")
def double_a(work: Path) -> tuple[int, dict[str, Any], Path, Path]:
    folder = SAMPLE / "entities"
    book, detail = work / "双A企业_2022.xlsx", work / "双A企业_明细.csv"
    code, data = _run(
        "double-a",
        "--tax",
        folder / ENTITIES["tax"]["file"],
        "--public",
        folder / ENTITIES["public"]["file"],
        "--previous",
        folder / ENTITIES["previous"]["file"],
        "-o",
        book,
        "--detail",
        detail,
    )
    return code, data, book, detail


# ---------------------------------------------------------------- import


def test_import_reads_every_file_and_names_the_one_conflict(imported: Any) -> None:
    code, data, out = imported
    assert data["errors"] == []  # no input is unusable
    assert [_name(f) for f in data["files"]] == [MASTER.name] + [p.name for p in RETURNS]
    assert data["domains_with_rows"] == EXPECTED["summary"]["domains"]
    assert MONTH in data["months"]
    conflicts = [
        (c["department"], c["domain"], c["month"], _name(c["earlier_file"]), _name(c["later_file"]))
        for c in data["conflicts"]
    ]
    # Only the corrected return; the October columns repeat the master ledger, no conflict.
    assert conflicts == [
        (c["department"], c["domain"], c["month"], c["earlier_file"], c["later_file"])
        for c in EXPECTED["conflicts"]
    ]
    for got, want in zip(data["conflicts"], EXPECTED["conflicts"], strict=True):
        assert _name(got[f"{got['kept']}_file"]) == want["kept_file"]
    assert code == 1  # a conflict to look at
    assert out.exists()


def test_import_takes_each_domain_from_the_master_and_its_returns(imported: Any) -> None:
    data = imported[1]
    order = {p.name: i for i, p in enumerate(RETURNS)}
    for domain in DOMAINS:
        files = sorted(BY_DOMAIN[domain]["files"], key=order.__getitem__)
        assert [_name(f) for f in data["sources"][domain]] == [MASTER.name, *files], domain


# ---------------------------------------------------------------- check


def test_check_status_of_every_domain(checked: Any) -> None:
    which, code, data = checked
    assert data["errors"] == [], which
    got = [(d["serial"], d["department"], d["domain"]) for d in data["domains"]]
    assert got == [(d["serial"], d["department"], d["domain"]) for d in EXPECTED["domains"]]
    for d in data["domains"]:
        want = BY_DOMAIN[d["domain"]]
        assert d["status"] == want["status"], (which, d["domain"])
        assert d["data_supported"] == want["data_supported"], (which, d["domain"])
        # As of the 25th, past the 20th: whatever is not filled is overdue.
        assert d["overdue"] == (want["status"] != "filled"), (which, d["domain"])
        assert (d["behind_months"] == 0) == (want["status"] == "filled"), (which, d["domain"])
    assert code == 1


def test_check_summary(checked: Any) -> None:
    which, _, data = checked
    summary = EXPECTED["summary"]
    assert data["month"] == MONTH and data["deadline_passed"] is True
    assert {k: data["summary"][k] for k in ("filled", "placeholder", "missing")} == {
        k: summary[k] for k in ("filled", "placeholder", "missing")
    }, which
    assert data["summary"]["overdue"] == summary["empty"]
    assert data["summary"]["data_supported"] == summary["data_supported"]
    placeholders = [(d["department"], d["excerpt"]) for d in data["domains"]]
    for p in EXPECTED["placeholders"]:
        assert (p["department"], p["text"]) in placeholders
    without = [(d["department"], d["domain"]) for d in data["domains"] if not d["data_supported"]]
    for d in EXPECTED["without_figures"]:
        assert (d["department"], d["domain"]) in without


def test_check_of_the_returns_reports_the_conflict(checked: Any) -> None:
    which, _, data = checked
    if which == "imported":
        assert data["conflicts"] == []  # settled by the import
        return
    got = [
        (c["domain"], _name(c["earlier_file"]), _name(c["later_file"]), c["kept"])
        for c in data["conflicts"]
    ]
    assert got == [
        (
            c["domain"],
            c["earlier_file"],
            c["later_file"],
            "later" if c["kept_file"] == c["later_file"] else "earlier",
        )
        for c in EXPECTED["conflicts"]
    ]


def test_check_on_the_deadline_day_nothing_is_overdue(imported: Any) -> None:
    code, data = _run("check", imported[2], "--month", MONTH, "--as-of", "2022-11-20")
    assert code == 0
    assert data["summary"]["overdue"] == 0
    assert data["summary"]["pending"] == EXPECTED["summary"]["empty"]
    pending = {d["domain"] for d in data["domains"] if d["pending"]}
    assert pending == {d for d in DOMAINS if BY_DOMAIN[d]["status"] != "filled"}
    assert all(d["days_left"] == 0 for d in data["domains"] if d["pending"])


# ---------------------------------------------------------------- ratings


def _consistent(domain: str) -> bool | None:
    """The mark a domain must get: False when anything does not add up (its levels vs. its
    stated total, or a list row whose level is not one of the domain's), True when counts
    and a total agree, None without both."""
    want = BY_DOMAIN[domain]
    if domain == ENV["domain"] and ENV["not_a_level"]:
        return False
    return want["adds_up"]


@pytest.mark.parametrize("domain", DOMAINS)
def test_ratings_counts_total_and_mark_of_every_domain(rated: Any, domain: str) -> None:
    which, _, data = rated
    got = {d["domain"]: d for d in data["domains"]}[domain]
    want = BY_DOMAIN[domain]
    assert (got["serial"], got["department"]) == (want["serial"], want["department"])
    assert got["counts"] == want["levels"], which
    assert list(got["counts"]) == list(want["levels"]), which  # scale order, best first
    assert got["stated_total"] == want["total"], which
    assert got["counted_total"] == want["level_sum"], which
    assert got["consistent"] is _consistent(domain), (which, got["problems"])


def test_ratings_summary_and_exit_code(rated: Any) -> None:
    which, code, data = rated
    assert data["errors"] == [], which
    assert [d["domain"] for d in data["domains"]] == DOMAINS
    assert data["inconsistent"] == [d for d in DOMAINS if _consistent(d) is False]
    for m in EXPECTED["not_adding_up"]:
        got = {d["domain"]: d for d in data["domains"]}[m["domain"]]
        parts = "+".join(str(n) for n in m["levels"].values())
        assert any(
            f"{parts}={m['level_sum']}" in p and str(m["total"]) in p for p in got["problems"]
        )
    assert code == 1  # domains that do not add up


def test_ratings_reads_the_environment_list(rated: Any) -> None:
    which, _, data = rated
    env = {d["domain"]: d for d in data["domains"]}[ENV["domain"]]
    assert any(ENV["file"] in s for s in env["sources"]), which
    # The list's 47 rated firms are the return's numbers: no text-vs-list difference.
    agreed = ENV["agrees_with_return"]
    assert env["counts"] == agreed["levels"]
    assert env["counted_total"] == env["stated_total"] == agreed["total"]
    # The one row whose level is not an environment level is told by its row.
    unknown = [(u["value"], u["where"]) for u in env["unknown_rows"]]
    assert len(unknown) == len(ENV["not_a_level"])
    for (value, where), odd in zip(unknown, ENV["not_a_level"], strict=True):
        assert value == odd["value"]
        assert ENV["file"] in where and f"第{odd['row']}行" in where
    assert len(env["problems"]) == 1 and f"{len(ENV['not_a_level'])} 行" in env["problems"][0]


# ---------------------------------------------------------------- double-a


def test_double_a_set_county_split_and_legacy_ids(double_a: Any) -> None:
    code, data, _, _ = double_a
    da = ENTITIES["double_a"]
    codes = [e["code"] for e in data["enterprises"]]
    assert data["double_a"] == da["expected"] == len(codes)
    assert sorted(codes) == sorted(da["codes"])
    assert data["by_county"] == da["per_county"]
    assert sum(data["by_county"].values()) == da["expected"]
    assert data["matched_via_legacy_id"] == da["via_legacy_tax_id"]
    via_legacy = [e for e in data["enterprises"] if e["via"] == "legacy_id"]
    assert all(e["legacy_id"] == e["code"][2:17] for e in via_legacy)
    for kind, left_out in da["not_counted"].items():
        assert not set(left_out) & set(codes), kind
    named = {e["code"]: e["name"] for e in data["enterprises"]}
    assert named[da["formula_like_name_code"]] == ENTITIES["public"]["formula_like_name"]["name"]
    assert data["unknown_grades"] == {"tax": {}, "public": {}}  # every grade is on a scale
    assert code == 1  # problems that may affect the list


def test_double_a_list_summaries(double_a: Any) -> None:
    data = double_a[1]
    pub, tax = ENTITIES["public"], ENTITIES["tax"]
    assert _name(data["public"]["file"]) == pub["file"]
    assert data["public"]["rows"] == pub["data_rows"]
    assert data["public"]["invalid_codes"] == pub["codes_invalid_after_cleaning"]
    assert data["public"]["entities"] == pub["entities"] - pub["codes_invalid_after_cleaning"]
    assert data["public"]["duplicates"] == 1  # one repeated row
    assert data["public"]["conflicts"] == 1  # one code with two grades
    assert data["public"]["legacy_ids"] == 0
    assert _name(data["tax"]["file"]) == tax["file"]
    assert data["tax"]["rows"] == tax["data_rows"]
    assert data["tax"]["legacy_ids"] == tax["legacy_15_char_ids"]
    assert data["tax"]["invalid_codes"] == tax["codes_invalid_18_char"]
    assert data["tax"]["entities"] == tax["taxpayers"] - tax["codes_invalid_18_char"]
    assert data["tax"]["duplicates"] == 1
    assert data["tax"]["conflicts"] == 0


def test_double_a_names_every_planted_defect_by_row(double_a: Any) -> None:
    _, _, book, _ = double_a
    problems = _sheet(book, "问题记录")
    found = Counter((Path(p["文件"]).name, int(p["行号"]), p["问题"]) for p in problems)
    pub, tax = ENTITIES["public"], ENTITIES["tax"]
    expected = Counter(
        [(pub["file"], w["row"], "代码无效") for w in pub["wrong_check_character"]]
        + [(pub["file"], pub["stored_as_number"]["row"], "代码无效")]
        + [(pub["file"], pub["duplicate_row"]["rows"][1], "重复")]
        + [(pub["file"], row, "等级冲突") for row in pub["conflict"]["rows"]]
        + [(tax["file"], w["row"], "代码无效") for w in tax["wrong_check_character"]]
        + [(tax["file"], tax["duplicate_row"]["rows"][1], "重复")]
    )
    assert found == expected
    # Every double-A candidate left out is marked as one that may change the list.
    by_code = {w["code"]: (pub["file"], w["row"]) for w in pub["wrong_check_character"]}
    by_code |= {w["code"]: (tax["file"], w["row"]) for w in tax["wrong_check_character"]}
    by_code[pub["stored_as_number"]["code"]] = (pub["file"], pub["stored_as_number"]["row"])
    affects = {(Path(p["文件"]).name, int(p["行号"])): p["影响双A名单"] for p in problems}
    not_counted = ENTITIES["double_a"]["not_counted"]
    for kind in ("wrong_check_in_public", "wrong_check_in_tax", "stored_as_number_in_public"):
        for code in not_counted[kind]:
            assert affects[by_code[code]] == "是", (kind, code)
    for code in not_counted["conflicting_public_grades"]:
        assert code == pub["conflict"]["code"]
        assert all(affects[(pub["file"], row)] == "是" for row in pub["conflict"]["rows"])
    assert double_a[1]["problems"] == len(problems)


def test_double_a_codes_cleaned_before_matching(double_a: Any) -> None:
    _, _, _, detail = double_a
    with detail.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    pub, tax, da = ENTITIES["public"], ENTITIES["tax"], ENTITIES["double_a"]
    public = [r for r in rows if r["名单"] == "公共信用评价名单"]
    taxes = [r for r in rows if r["名单"] == "纳税信用名单"]
    assert len(public) == pub["data_rows"] and len(taxes) == tax["data_rows"]
    # Every row's code: valid once cleaned, a legacy id, or unusable.
    valid = Counter(r["名单"] for r in rows if r["代码检查"] == "有效")
    assert valid == {
        "公共信用评价名单": pub["codes_valid_after_cleaning"],
        "纳税信用名单": tax["codes_valid_after_cleaning"],
    }
    assert sum(r["代码检查"] == "原纳税人识别号" for r in taxes) == tax["legacy_15_char_ids"]
    # Written in lower case, full width or with spaces, and valid once cleaned.
    cleaned = Counter(
        r["名单"] for r in rows if r["代码检查"] == "有效" and r["原始代码"] != r["规范代码"]
    )
    assert cleaned == {
        "公共信用评价名单": pub["lowercase_codes"]
        + pub["fullwidth_codes"]
        + pub["codes_with_spaces"],
        "纳税信用名单": tax["lowercase_codes"] + tax["fullwidth_codes"] + tax["codes_with_spaces"],
    }
    # Of the double-A enterprises: how many only match once cleaned, or by the legacy id.
    matched = [r for r in rows if r["结果"] == "双A企业"]
    cleaned_a = Counter(
        r["名单"] for r in matched if r["代码检查"] == "有效" and r["原始代码"] != r["规范代码"]
    )
    assert cleaned_a == {
        "公共信用评价名单": da["via_cleaned_public_code"],
        "纳税信用名单": da["via_cleaned_tax_code"],
    }
    legacy = [r for r in matched if r["代码检查"] == "原纳税人识别号"]
    assert len(legacy) == da["via_legacy_tax_id"]
    assert all(r["规范代码"][2:17] == r["原始代码"] for r in legacy)


def test_double_a_diff_with_last_year(double_a: Any) -> None:
    _, data, book, _ = double_a
    prev = ENTITIES["previous"]
    diff = data["previous"]
    assert _name(diff["file"]) == prev["file"]
    assert (diff["kept"], diff["added"], diff["removed"]) == (
        prev["retained"],
        prev["added"],
        prev["removed"],
    )
    assert sorted(diff["added_codes"]) == sorted(prev["added_codes"])
    assert sorted(diff["removed_codes"]) == sorted(prev["removed_codes"])
    assert diff["kept"] + diff["removed"] == prev["rows"]
    codes = {e["code"] for e in data["enterprises"]}
    for renamed in prev["renamed_but_retained"]:  # same code, a new name: still kept
        assert renamed in codes and renamed not in diff["added_codes"]
    # Why each one left: public grade now B, tax grade no longer A, in neither list.
    changes = _sheet(book, "变化")
    reasons = [c["说明"] for c in changes if c["变化"] == "退出"]
    assert len(reasons) == prev["removed"]
    public_b = sum("公共信用评价名单中等级为 B" in r for r in reasons)
    tax_not_a = sum("纳税信用名单中等级为" in r for r in reasons)
    gone = sum("纳税信用名单中没有" in r and "公共信用评价名单中没有" in r for r in reasons)
    assert (public_b, tax_not_a, gone) == (
        prev["removed_now_public_b"],
        prev["removed_now_tax_not_a"],
        prev["removed_not_in_lists"],
    )


def test_double_a_formula_like_name_is_written_as_text(double_a: Any) -> None:
    _, _, book, detail = double_a
    target = ENTITIES["double_a"]["formula_like_name_code"]
    name = ENTITIES["public"]["formula_like_name"]["name"]
    wb = openpyxl.load_workbook(book)
    try:
        ws = wb["双A企业"]
        header = [c.value for c in ws[1]]
        code_col, name_col = header.index("统一社会信用代码"), header.index("企业名称")
        (row,) = [r for r in ws.iter_rows(min_row=2) if r[code_col].value == target]
        assert row[name_col].value == name
        assert row[name_col].data_type == "s"  # a string, not a formula
    finally:
        wb.close()
    # In the csv detail, a spreadsheet opening it must not see a formula either.
    formula_row = ENTITIES["public"]["formula_like_name"]["row"]
    with detail.open(encoding="utf-8-sig", newline="") as f:
        (line,) = [
            r
            for r in csv.DictReader(f)
            if r["名单"] == "公共信用评价名单" and r["行号"] == str(formula_row)
        ]
    assert line["规范代码"] == target
    assert not line["名称"].startswith("=") and line["名称"].endswith(name)


# ---------------------------------------------------------------- reconcile

RECONCILE: dict[str, Any] = EXPECTED["reconcile"]
PUBLIC_FILE = SAMPLE / "entities" / ENTITIES["public"]["file"]
PREVIOUS_PUBLIC_FILE = SAMPLE / "entities" / RECONCILE["previous_public"]["file"]
DEPARTMENT_LISTS = [SAMPLE / lst["file"] for lst in RECONCILE["lists"]]


@pytest.fixture(scope="module")
def reconciled(work: Path) -> tuple[int, dict[str, Any], Path]:
    book = work / "公共信用评价对照.xlsx"
    code, data = _run(
        "reconcile",
        "--public",
        PUBLIC_FILE,
        "--previous-public",
        PREVIOUS_PUBLIC_FILE,
        *DEPARTMENT_LISTS,
        "-o",
        book,
    )
    return code, data, book


def test_reconcile_public_lists_as_planted(reconciled: Any) -> None:
    code, data, _ = reconciled
    pub, prev = ENTITIES["public"], RECONCILE["previous_public"]
    assert data["public"]["entities"] == RECONCILE["public"]["entities"]
    assert data["public"]["grades"] == RECONCILE["public"]["grades"]
    assert data["public"]["rows"] == pub["data_rows"]
    assert data["public"]["invalid_codes"] == pub["codes_invalid_after_cleaning"]
    assert (data["public"]["duplicates"], data["public"]["conflicts"]) == (1, 1)
    before = data["previous_public"]
    assert _name(before["file"]) == prev["file"]
    assert before["rows"] == prev["data_rows"]
    assert before["entities"] == prev["entities"] - 1  # one code with a wrong check character
    assert (before["invalid_codes"], before["duplicates"]) == (1, 1)
    assert code == 1  # invalid codes and an unknown grade to look at
    assert data["errors"] == []


@pytest.mark.parametrize("which", range(2))
def test_reconcile_each_department_list(reconciled: Any, which: int) -> None:
    data = reconciled[1]
    planted = RECONCILE["lists"][which]
    d = data["domains"][which]
    assert (d["department"], d["domain"], d["graded"]) == (
        planted["department"],
        planted["domain"],
        planted["graded"],
    )
    for key in ("rows", "matched", "not_found", "invalid_codes", "duplicates", "public_grades"):
        assert d[key] == planted[key], key
    assert d["matched_via_legacy_id"] == planted["via_legacy_id"]
    assert [_name(f.split("[")[0]) for f in d["files"]] == [Path(planted["file"]).name]
    if planted["graded"]:
        assert d["matrix"] == planted["matrix"]
        assert d["agreement"] == pytest.approx(planted["agreement"])
        assert d["kappa"] == pytest.approx(planted["kappa_linear"])
        disagreements = planted["disagreements"]
        assert d["disagreements"] == len(disagreements["good_poor"]) + len(
            disagreements["poor_good"]
        )
        assert [(u["where"].split(" ", 1)[1], u["value"]) for u in d["unknown_rows"]] == [
            (f"第{u['row']}行 第D列", u["value"]) for u in planted["unknown_grades"]
        ]
    else:
        assert d["matrix"] == {} and d["kappa"] is None and d["disagreements"] is None
        assert len(d["notes"]) == 1 and f"“{planted['not_a_grade_column']}”列" in d["notes"][0]


def test_reconcile_names_every_planted_row_in_the_workbook(reconciled: Any) -> None:
    book = reconciled[2]
    rows = _sheet(book, "未匹配")
    found = Counter((Path(r["文件"].split("[")[0]).name, int(r["行号"]), r["问题"]) for r in rows)
    expected: Counter[tuple[str, int, str]] = Counter()
    for lst in RECONCILE["lists"]:
        name = Path(lst["file"]).name
        expected.update((name, r["row"], "代码无效") for r in lst["invalid_rows"])
        expected[(name, lst["duplicate_rows"][1], "重复")] += 1
        expected.update((name, r["row"], "等级无法识别") for r in lst.get("unknown_grades", []))
    pub, prev = ENTITIES["public"], RECONCILE["previous_public"]
    expected.update((pub["file"], w["row"], "代码无效") for w in pub["wrong_check_character"])
    expected[(pub["file"], pub["stored_as_number"]["row"], "代码无效")] += 1
    expected[(pub["file"], pub["duplicate_row"]["rows"][1], "重复")] += 1
    expected.update((pub["file"], row, "等级冲突") for row in pub["conflict"]["rows"])
    expected[(prev["file"], prev["wrong_check_character"]["row"], "代码无效")] += 1
    expected[(prev["file"], prev["duplicate_row"]["rows"][1], "重复")] += 1
    assert {k: v for k, v in found.items() if k[2] != "公共信用评价中没有"} == expected
    # Every entity the public evaluation does not have, by code.
    not_found = sorted(r["代码（原样）"] for r in rows if r["问题"] == "公共信用评价中没有")
    assert not_found == sorted(c for lst in RECONCILE["lists"] for c in lst["not_found_codes"])
    # The disagreements a department should look at, by code and direction.
    planted = RECONCILE["lists"][0]["disagreements"]
    listed = _sheet(book, "分歧名单")
    assert (
        sorted(r["统一社会信用代码"] for r in listed if r["分歧"] == "部门评价好、公共评价差")
        == (planted["good_poor"])
    )
    assert (
        sorted(r["统一社会信用代码"] for r in listed if r["分歧"] == "部门评价差、公共评价好")
        == (planted["poor_good"])
    )
    # The list without grades comes back with each matched entity's public grade.
    ungraded = RECONCILE["lists"][1]
    graded_back = _sheet_from(book, ungraded["domain"], header_row=7)
    assert len(graded_back) == ungraded["matched"]
    assert Counter(r["公共信用评价等级"] for r in graded_back) == {
        g: n for g, n in ungraded["public_grades"].items() if n
    }
    legacy = {r["code"] for r in ungraded["legacy_rows"]}
    assert legacy <= {r["统一社会信用代码"] for r in graded_back}


def test_reconcile_year_over_year_as_planted(reconciled: Any) -> None:
    y, planted = reconciled[1]["year_over_year"], RECONCILE["year_over_year"]
    assert (y["added"], y["removed"], y["kept"]) == (
        planted["added"],
        planted["removed"],
        planted["kept"],
    )
    assert y["transitions"] == planted["transitions"]
    assert {c: {k: v[k] for k in planted["by_county"][c]} for c, v in y["by_county"].items()} == (
        planted["by_county"]
    )
    moves = sorted(
        (m["code"], m["last_year"], m["this_year"], m["steps"]) for m in y["largest_moves"]
    )
    assert moves == sorted(
        (m["code"], m["last_year"], m["this_year"], m["steps"]) for m in planted["largest_moves"]
    )
    book = reconciled[2]
    wb = openpyxl.load_workbook(book, read_only=True)
    try:
        assert wb.sheetnames == [
            "总览",
            "建筑业企业",
            "安全生产领域",
            "分歧名单",
            "未匹配",
            "年度变化",
            "说明",
        ]
    finally:
        wb.close()


def _sheet_from(path: Path, name: str, header_row: int) -> list[dict[str, Any]]:
    """A workbook sheet's table whose header is on ``header_row`` (1-based)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(wb[name].iter_rows(min_row=header_row, values_only=True))
    finally:
        wb.close()
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:] if any(row)]


# ---------------------------------------------------------------- month: the whole folder

MONTH_FACTS: dict[str, Any] = EXPECTED["month"]
AFTER, ON_THE_DAY = MONTH_FACTS["as_of"], MONTH_FACTS["deadline"]
TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt")


def _month(work: Path, as_of: str) -> tuple[int, dict[str, Any], Path]:
    out = work / f"月度工作_{as_of}"
    code, data = _run("month", SAMPLE, "--month", MONTH, "--as-of", as_of, "-o", out)
    return code, data, out / MONTH


@pytest.fixture(scope="module")
def month_after(work: Path) -> tuple[int, dict[str, Any], Path]:
    """The month as ``make demo`` runs it: after the deadline."""
    return _month(work, AFTER)


@pytest.fixture(scope="module")
def month_on_the_day(work: Path) -> tuple[int, dict[str, Any], Path]:
    return _month(work, ON_THE_DAY)


def _rel(path: str) -> str:
    return Path(path).relative_to(SAMPLE).as_posix()


def _unit(u: dict[str, Any]) -> str:
    """A unit as a notice names it: 市城管局（燃气企业…"""
    return f"{u['department']}（{u['domain']}"


def _docx_text(path: Path) -> tuple[list[str], list[list[str]]]:
    """A .docx's paragraphs and its tables' rows, as text."""
    document = docx.Document(str(path))
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    return [p.text for p in document.paragraphs], rows


def test_month_places_every_file_of_the_folder(month_after: Any) -> None:
    code, data, _ = month_after
    got = {_rel(f["file"]): f for f in data["inputs"]}
    for want in MONTH_FACTS["inputs"]:
        f = got.get(want["file"])
        assert f is not None, want["file"]
        assert f["role"] == want["role"], (want["file"], f["note"])
        assert len(f["sha256"]) == 64
        if want["role"] == "ledger":
            assert f["order"] == want["order"], want["file"]
        else:
            assert f["order"] is None
        if want["role"] == "list":
            assert want["domain"] in f["note"]
        if want["role"] in ("tax", "public", "previous"):
            assert f"{want['year']}年度" in f["note"]
        why = want.get("why")
        if why == "not_a_table":
            assert "不是表格" in f["note"], want["file"]
        elif why == "earlier_year":
            assert f"较早（{want['year']}年度）" in f["note"]
        elif why == "no_grades":
            assert want["domain"] in f["note"] and f"“{want['column']}”" in f["note"]
    # Anything else in the folder (a cache the generator left) is not taken for an input.
    for name in got.keys() - {want["file"] for want in MONTH_FACTS["inputs"]}:
        assert got[name]["role"] == "ignored", name
        assert not name.lower().endswith(TABLE_SUFFIXES), name
    ledgers = sorted((f for f in data["inputs"] if f["role"] == "ledger"), key=lambda f: f["order"])
    assert [_rel(f["file"]) for f in ledgers] == MONTH_FACTS["ledger_order"]
    assert data["errors"] == MONTH_FACTS["unusable"]
    assert code == data["exit_code"] == MONTH_FACTS["exit_code"]


def test_month_checks_every_domain_as_planted(month_after: Any) -> None:
    data = month_after[1]
    check = data["check"]
    assert (data["month"], data["as_of"], data["deadline"]) == (MONTH, AFTER, ON_THE_DAY)
    assert data["deadline_passed"] is check["deadline_passed"] is MONTH_FACTS["deadline_passed"]
    assert [(d["serial"], d["department"], d["domain"]) for d in check["domains"]] == [
        (d["serial"], d["department"], d["domain"]) for d in EXPECTED["domains"]
    ]
    for d in check["domains"]:
        assert d["status"] == BY_DOMAIN[d["domain"]]["status"], d["domain"]
        assert d["data_supported"] == BY_DOMAIN[d["domain"]]["data_supported"], d["domain"]
    assert {k: check["summary"][k] for k in MONTH_FACTS["statuses"]} == MONTH_FACTS["statuses"]
    overdue = [
        {k: d[k] for k in ("serial", "department", "domain", "status")}
        for d in check["domains"]
        if d["overdue"]
    ]
    assert overdue == MONTH_FACTS["overdue"]
    assert len(check["conflicts"]) == MONTH_FACTS["conflicts"]
    assert f"逾期未报 {len(overdue)} 个领域（通报已写好）" in data["needs_action"]


def test_month_counts_each_domain_from_its_list_or_its_text(month_after: Any) -> None:
    """Every domain's counts: a graded list in the folder stands for the domain (the
    construction bureau's own list disagrees with its return, as planted); else the text."""
    ratings = month_after[1]["ratings"]
    assert ratings["errors"] == []
    wrong = {d["domain"]: d for d in MONTH_FACTS["not_adding_up"]}
    for got in ratings["domains"]:
        want = wrong.get(got["domain"])
        if want is None:
            assert got["counts"] == BY_DOMAIN[got["domain"]]["levels"], got["domain"]
            assert got["consistent"] is not False, (got["domain"], got["problems"])
            continue
        assert got["counts"] == want["levels"], got["domain"]
        assert list(got["counts"]) == list(want["levels"])  # scale order, best first
        assert (got["stated_total"], got["counted_total"]) == (
            want["stated_total"],
            want["counted_total"],
        )
        assert got["consistent"] is False
    assert ratings["inconsistent"] == [d["domain"] for d in MONTH_FACTS["not_adding_up"]]
    lists = {f["domain"]: f["file"] for f in MONTH_FACTS["inputs"] if f["role"] == "list"}
    for got in ratings["domains"]:
        sources = [_rel(s.split("[")[0]) for s in got["sources"]]
        listed = [s for s in sources if s in lists.values()]
        assert listed == ([lists[got["domain"]]] if got["domain"] in lists else []), got["domain"]


@pytest.mark.parametrize("domain", [d["domain"] for d in MONTH_FACTS["not_adding_up"]])
def test_month_says_why_a_domain_does_not_add_up(month_after: Any, domain: str) -> None:
    got = {d["domain"]: d for d in month_after[1]["ratings"]["domains"]}[domain]
    (want,) = [d for d in MONTH_FACTS["not_adding_up"] if d["domain"] == domain]
    problems = got["problems"]
    expected_problems = 0
    for reason in want["reasons"]:
        if reason["kind"] == "list_differs_from_text":
            # The text's figure and the list's, level by level, for each level that differs.
            for level in reason["levels"]:
                text, listed = reason["text"][level], reason["list"].get(level, 0)
                assert any(
                    f"{level}级 {text}，" in p and p.endswith(f"名单中数出 {listed}")
                    for p in problems
                ), (level, problems)
            expected_problems += len(reason["levels"])
        elif reason["kind"] == "unknown_level":
            unknown = [(u["where"], u["value"]) for u in got["unknown_rows"]]
            assert any(
                _rel(where.split("[")[0]) == reason["file"]
                and f"第{reason['row']}行" in where
                and value == reason["value"]
                for where, value in unknown
            ), unknown
            expected_problems += 1
        else:
            assert any(
                f"={reason['level_sum']}" in p and str(reason["total"]) in p for p in problems
            ), problems
            expected_problems += 1
    assert len(problems) == expected_problems, problems


def test_month_after_the_deadline_writes_the_circular_naming_the_overdue(month_after: Any) -> None:
    _, data, folder = month_after
    want = MONTH_FACTS["notices"][AFTER]
    first, letter = data["notices"]
    assert (first["kind"], first["label"], first["note"]) == (want["kind"], want["label"], "")
    docx_file = next(Path(f) for f in first["files"] if f.endswith(".docx"))
    assert docx_file.parent == folder
    paragraphs, table = _docx_text(docx_file)
    start = next(i for i, p in enumerate(paragraphs) if p.startswith("二、"))
    end = next(i for i, p in enumerate(paragraphs) if p.startswith("三、"))
    named = "\n".join(paragraphs[start:end])
    units = want["units"]
    for u in units:
        assert _unit(u) in named, u
    unfilled = {(u["department"], u["domain"]) for u in units}
    filled = [d for d in EXPECTED["domains"] if (d["department"], d["domain"]) not in unfilled]
    late_departments = {u["department"] for u in units}
    for d in filled:
        assert _unit(d) not in named, d["domain"]
        if d["department"] not in late_departments:
            assert d["department"] not in named, d["department"]
    # The 附件 table: one row per domain, its status as the check found it.
    status = {u["domain"]: "未报送" if u["status"] == "missing" else "仅占位" for u in units}
    rows = {row[2]: row[4] for row in table[1:]}
    assert rows == {d["domain"]: status.get(d["domain"], "按时") for d in EXPECTED["domains"]}
    assert letter["kind"] == "double-a" and letter["files"]


def test_month_on_the_deadline_day_writes_the_reminder_to_the_same_units(
    month_on_the_day: Any,
) -> None:
    code, data, folder = month_on_the_day
    want = MONTH_FACTS["notices"][ON_THE_DAY]
    assert data["deadline_passed"] is False and data["check"]["summary"]["overdue"] == 0
    first = data["notices"][0]
    assert (first["kind"], first["label"]) == (want["kind"], want["label"])
    paragraphs, table = _docx_text(next(Path(f) for f in first["files"] if f.endswith(".docx")))
    text = "\n".join(paragraphs)
    assert table == []
    for u in want["units"]:
        assert _unit(u) in text, u
    # Addressed to the departments concerned, and to no other.
    assert f"{'、'.join(want['recipients'])}：" in paragraphs
    pending = {u["department"] for u in want["units"]}
    for department in {d["department"] for d in EXPECTED["domains"]} - pending:
        assert department not in text, department
    assert sorted(p.name for p in folder.iterdir()) == sorted(MONTH_FACTS["outputs"][ON_THE_DAY])
    assert code == 1  # the reminder is to be sent


def test_month_computes_double_a_as_planted(month_after: Any) -> None:
    da, want = month_after[1]["double_a"], MONTH_FACTS["double_a"]
    assert da is not None
    assert da["double_a"] == want["enterprises"]
    assert da["by_county"] == want["by_county"]
    previous = da["previous"]
    assert (previous["kept"], previous["added"], previous["removed"]) == (
        want["kept"],
        want["added"],
        want["removed"],
    )
    assert sorted(e["code"] for e in da["enterprises"]) == sorted(ENTITIES["double_a"]["codes"])


def test_month_writes_exactly_its_outputs(month_after: Any) -> None:
    _, data, folder = month_after
    assert sorted(p.name for p in folder.iterdir()) == sorted(MONTH_FACTS["outputs"][AFTER])
    assert [Path(o["file"]).name for o in data["outputs"]] == [
        n for n in MONTH_FACTS["outputs"][AFTER] if n != "report.json"
    ]
    for o in data["outputs"]:
        assert hashlib.sha256(Path(o["file"]).read_bytes()).hexdigest() == o["sha256"]
    on_disk = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert on_disk == data


def test_month_summary_overview_agrees(month_after: Any) -> None:
    _, data, folder = month_after
    (book,) = [Path(o["file"]) for o in data["outputs"] if o["what"] == "汇总工作簿"]
    assert book.parent == folder
    wb = openpyxl.load_workbook(book, read_only=True)
    try:
        rows = list(wb["总览"].iter_rows(values_only=True))
    finally:
        wb.close()
    header = rows[0]
    table = [dict(zip(header, r, strict=True)) for r in rows[1:] if isinstance(r[0], int)]
    notes = [r[0] for r in rows[1:] if isinstance(r[0], str)]
    assert [(r["实施部门"], r["分级分类领域"]) for r in table] == [
        (d["department"], d["domain"]) for d in EXPECTED["domains"]
    ]
    labels = {"filled": "已填报", "placeholder": "仅占位", "missing": "未填报"}
    overdue = {u["domain"] for u in MONTH_FACTS["overdue"]}
    wrong = {d["domain"]: d for d in MONTH_FACTS["not_adding_up"]}
    for r in table:
        domain = r["分级分类领域"]
        assert r["本月填报"] == labels[BY_DOMAIN[domain]["status"]], domain
        assert (r["逾期"] == "逾期") == (domain in overdue), domain
        assert (r["核对"] == "不符") == (domain in wrong), domain
        if domain in wrong:
            assert (r["所述总数"], r["合计"]) == (
                wrong[domain]["stated_total"],
                wrong[domain]["counted_total"],
            )
    st = MONTH_FACTS["statuses"]
    (filling,) = [n for n in notes if n.startswith("填报：")]
    assert f"已填报 {st['filled']} · 仅占位 {st['placeholder']} · 未填报 {st['missing']}" in filling
    assert f"逾期 {len(overdue)}" in filling
    (rating,) = [n for n in notes if n.startswith("评级：")]
    assert f"{len(wrong)} 个对不上（{'、'.join(wrong)}）" in rating
    (double_a,) = [n for n in notes if n.startswith("双A企业：")]
    da = MONTH_FACTS["double_a"]
    assert (
        f"{da['enterprises']} 户（与上年相比新增 {da['added']} 户，退出 {da['removed']} 户）"
        in (double_a)
    )
