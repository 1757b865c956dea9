"""`hgcredit reconcile` through the real CLI: output, --json, the workbook, exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from hgcredit.cli import app
from hgcredit.entities.codes import check_character

PUBLIC_HEADER = ["序号", "统一社会信用代码", "市场主体名称", "所属区县", "综合得分", "评价等级"]
LIST_HEADER = ["序号", "企业名称", "统一社会信用代码", "信用等级"]
# Twelve entities of 向阳区 (230402) and 萝北县 (230421).
E = [
    (body := f"91{'230402' if i < 8 else '230421'}{100000000 + i}") + check_character(body)
    for i in range(12)
]


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[Any]], title: str) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [[title], header, *rows]:
        ws.append(row)
    wb.save(path)
    return path


SHEETS = ["总览", "建筑业企业", "安全生产领域", "分歧名单", "未匹配", "年度变化", "说明"]


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["reconcile", *map(str, args)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    public = [[i + 1, c, f"企业{i}", "", 900, "ABCD"[i % 4]] for i, c in enumerate(E)]
    before = [[i + 1, c, f"企业{i}", "", 800, "DCBA"[i % 4]] for i, c in enumerate(E[:10])]
    graded = [[1, "企业0", E[0], "AAA"], [2, "企业2", E[2], "AA"], [3, "企业5", E[5], "C"]]
    # A name that must stay text in the workbook.
    ungraded = [[1, '=HYPERLINK("http://x")', E[3], "危险化学品"], [2, "企业8", E[8], "工贸"]]
    return {
        "public": write_xlsx(
            tmp_path / "公共.xlsx", PUBLIC_HEADER, public, "2022年公共信用综合评价结果"
        ),
        "previous": write_csv(tmp_path / "2021.csv", PUBLIC_HEADER, before),
        "graded": write_csv(tmp_path / "建筑业企业名单.csv", LIST_HEADER, graded),
        "ungraded": write_csv(
            tmp_path / "安全生产领域名单.csv",
            ["序号", "单位名称", "统一社会信用代码", "行业类别"],
            ungraded,
        ),
    }


def _args(inputs: dict[str, Path], *more: object) -> list[object]:
    return [
        "--public",
        inputs["public"],
        "--previous-public",
        inputs["previous"],
        inputs["graded"],
        inputs["ungraded"],
        *more,
    ]


def test_terminal_shows_a_table_per_domain_then_year_over_year(inputs):
    code, out, err = run(*_args(inputs))
    assert code == 0, err
    assert err == ""
    build = out.index("5 市住建局 · 建筑业企业（有等级：建筑业企业信用等级）")
    safety = out.index("11 市应急局 · 安全生产领域（无等级）")
    years = out.index("与上年相比")
    assert out.index("公共信用评价名单：") < build < safety < years
    assert "统一档次＼公共" in out[build:safety] and "一致率 " in out[build:safety]
    assert "加权 kappa" in out[build:safety]
    assert "匹配主体的公共信用评价等级：A 1 · B 0 · C 0 · D 1" in out[safety:years]
    assert "新增 2，退出 0，保持 10" in out[years:]
    assert "上年＼今年" in out[years:] and "区县" in out[years:]


def test_json_schema(inputs):
    code, out, _ = run(*_args(inputs, "--json"))
    assert code == 0
    data = json.loads(out)
    assert list(data) == [
        "public",
        "previous_public",
        "domains",
        "year_over_year",
        "kappa_weights",
        "needs_attention",
        "errors",
        "outputs",
        "exit_code",
    ]
    build, safety = data["domains"]
    for d in (build, safety):
        for key, kind in {
            "department": str,
            "domain": str,
            "rows": int,
            "matched": int,
            "not_found": int,
            "invalid_codes": int,
            "duplicates": int,
            "graded": bool,
            "matrix": dict,
        }.items():
            assert isinstance(d[key], kind), key
    # E0 AAA/A, E2 AA/C, E5 C/B: tiers A, A, D against A, C, B.
    assert build["matrix"] == {
        "A": {"A": 1, "B": 0, "C": 1, "D": 0},
        "B": {"A": 0, "B": 0, "C": 0, "D": 0},
        "C": {"A": 0, "B": 0, "C": 0, "D": 0},
        "D": {"A": 0, "B": 1, "C": 0, "D": 0},
    }
    assert build["agreement"] == pytest.approx(1 / 3)
    assert isinstance(build["kappa"], float) and build["disagreements"] == 2
    assert safety["graded"] is False and safety["matrix"] == {} and safety["kappa"] is None
    y = data["year_over_year"]
    assert (y["added"], y["removed"], y["kept"]) == (2, 0, 10)
    assert set(y["transitions"]) == {"A", "B", "C", "D"}
    assert sum(v["kept"] for v in y["by_county"].values()) == 10
    assert data["errors"] == [] and data["exit_code"] == 0
    assert data["outputs"] == {"workbook": None}


def test_workbook_sheets_formula_safe_and_byte_identical(inputs, tmp_path):
    first, second = tmp_path / "对照1.xlsx", tmp_path / "对照2.xlsx"
    assert run(*_args(inputs, "-o", first))[0] == 0
    assert run(*_args(inputs, "-o", second))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    wb = openpyxl.load_workbook(first)
    try:
        assert wb.sheetnames == SHEETS
        matrix = wb["建筑业企业"]
        assert [c.value for c in matrix[3]] == [
            "统一档次＼公共信用评价",
            "A",
            "B",
            "C",
            "D",
            "合计",
        ]
        assert [c.value for c in matrix[4]] == ["A", 1, 0, 1, 0, 2]
        assert matrix.conditional_formatting  # the colour scale
        assert len(wb["年度变化"]._charts) == 1
        safety = wb["安全生产领域"]
        cells = {c.value: c for row in safety.iter_rows() for c in row if c.value}
        formula = cells['=HYPERLINK("http://x")']
        assert formula.data_type == "s"  # text, never a formula
        notes = [[c.value for c in row] for row in wb["说明"].iter_rows(max_row=5)]
        assert notes[1][0] == "公共信用评价名单" and len(notes[1][2]) == 64  # sha256
    finally:
        wb.close()


def test_rows_to_look_at_give_exit_1(inputs, tmp_path):
    bad = write_csv(
        tmp_path / "建筑业企业_待查.csv",
        LIST_HEADER,
        [
            [1, "企业0", E[0][:17] + ("1" if E[0][17] != "1" else "2"), "AAA"],
            [2, "企业1", E[1], "A+"],
        ],
    )
    code, out, _ = run("--public", inputs["public"], bad)
    assert code == 1
    assert "需要核对的行（2 行" in out
    assert "代码无效（校验码错误" in out and "等级无法识别（“A+”" in out


def test_unusable_list_exit_2_others_still_reported(inputs, tmp_path):
    bad = write_csv(
        tmp_path / "建筑业企业_无代码.csv", ["序号", "企业名称", "信用等级"], [[1, "企业0", "A"]]
    )
    code, out, err = run("--public", inputs["public"], inputs["graded"], bad, "--json")
    assert code == 2
    data = json.loads(out)
    assert [d["domain"] for d in data["domains"]] == ["建筑业企业"]
    assert data["errors"][0]["file"] == str(bad) and data["exit_code"] == 2
    (line,) = err.splitlines()
    assert (
        line.startswith(f"错误：{bad}：部门名单中找不到代码列")
        and "找到的列：序号、企业名称、信用等级" in line
    )


def test_an_unusable_public_evaluation_is_one_line_and_exit_2(inputs, tmp_path):
    code, out, err = run(
        "--public", tmp_path / "没有.xlsx", inputs["graded"], "-o", tmp_path / "o.xlsx"
    )
    assert (code, out) == (2, "")
    assert err.startswith("错误：") and "没有.xlsx" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "o.xlsx").exists()


def test_output_must_be_xlsx_and_not_an_input(inputs, tmp_path):
    code, _, err = run("--public", inputs["public"], "-o", tmp_path / "x.csv")
    assert code == 2 and "-o/--output 的文件名应以 .xlsx 结尾" in err
    code, _, err = run("--public", inputs["public"], "-o", inputs["public"])
    assert code == 2 and "与输入文件相同" in err


def test_public_is_required():
    result = CliRunner().invoke(app, ["reconcile", "a.xlsx"])
    assert result.exit_code == 2
    assert (
        result.stderr == "错误：缺少必填的选项 --public；运行 hgcredit reconcile --help 查看用法\n"
    )


def test_help_loads_neither_numpy_nor_the_other_commands():
    import subprocess
    import sys

    code = (
        "import sys; sys.argv = ['hgcredit', 'reconcile', '--help']\n"
        "import hgcredit.cli as cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stderr.strip().splitlines()[-1].split())
    assert "hgcredit.cli.reconcile_cmd" in loaded
    assert not loaded & {"numpy", "python_calamine", "xlsxwriter", "hgcredit.cli.doublea_cmd"}


def test_an_unusable_public_evaluation_with_json_is_the_error_object(inputs, tmp_path):
    bad_list = write_csv(
        tmp_path / "建筑业企业_无代码.csv", ["序号", "企业名称", "信用等级"], [[1, "甲", "A"]]
    )
    missing = tmp_path / "没有.xlsx"
    code, out, err = run("--public", missing, inputs["graded"], bad_list, "--json")
    assert code == 2
    data = json.loads(out)  # one object, nothing else on stdout
    assert data["exit_code"] == 2
    assert [e["file"] for e in data["errors"]] == [str(missing), str(bad_list)]
    assert all(e["kind"] == "file" for e in data["errors"])
    lines = err.splitlines()
    assert len(lines) == 2 and all(line.startswith("错误：") for line in lines)
    assert data["errors"][1]["message"] in lines[1]


def test_a_ledger_or_a_double_a_list_among_the_lists_is_named_for_what_it_is(inputs, tmp_path):
    # A clerk gives the month's folder: the work ledger and last year's double-A list are no
    # department lists. Before, the ledger was told to add a code column and the double-A
    # list to be renamed after a domain.
    ledger = write_csv(
        tmp_path / "台账.csv",
        [
            "序号",
            "实施部门",
            "分级分类领域",
            "责任科室 责任人",
            "2022年11月开展行业信用评价及监管情况",
        ],
        [["1", "市税务局", "纳税企业", "纳税服务科", "评价9889户"]],
    )
    double_a = write_xlsx(
        tmp_path / "2021年双A企业名单.xlsx",
        ["序号", "统一社会信用代码", "企业名称"],
        [[1, E[0], "企业0"]],
        "",
    )
    code, out, err = run("--public", inputs["public"], inputs["graded"], ledger, double_a)
    assert code == 2
    assert "建筑业企业" in out  # the department list is still reconciled
    first, second = err.splitlines()
    assert first.startswith(
        f"错误：{ledger}：是工作推进台账（表头有“实施部门”和月份列），不是部门名单"
    )
    assert "hgcredit import、check 或 ratings" in first
    assert second.startswith(f"错误：{double_a}[Sheet]：这是双A企业名单，不是某个领域的评级名单")
    assert "hgcredit double-a --previous" in second


def test_an_undefined_kappa_says_why_in_the_terminal_and_the_workbook(inputs, tmp_path):
    # Trial: every compared entity on tier A on both sides gave "加权 kappa —" and no reason.
    one = [[1, "企业0", E[0], "AAA"], [2, "企业4", E[4], "AA"], [3, "企业8", E[8], "AAA"]]
    graded = write_csv(tmp_path / "建筑业企业名单.csv", LIST_HEADER, one)
    out_path = tmp_path / "对照.xlsx"
    code, out, err = run("--public", inputs["public"], graded, "-o", out_path)
    assert code == 0, err
    assert "加权 kappa —（只有一个等级（两边都是 A），无法计算）" in out
    wb = openpyxl.load_workbook(out_path)
    try:
        overview = [[c.value for c in row] for row in wb["总览"].iter_rows(max_row=2)]
        kappa_col = overview[0].index("加权kappa")
        assert overview[1][kappa_col] == "只有一个等级（两边都是 A），无法计算"
        facts = {r[0].value: r[1].value for r in wb["建筑业企业"].iter_rows() if len(r) > 1}
        assert facts["加权 kappa（线性权重）"] == "只有一个等级（两边都是 A），无法计算"
        notes = {r[0].value: r[1].value for r in wb["说明"].iter_rows() if len(r) > 1}
        assert "只有一个等级" in notes["加权 kappa"]
    finally:
        wb.close()
    code, out, _ = run("--public", inputs["public"], graded, "--json")
    (domain,) = json.loads(out)["domains"]
    assert domain["kappa"] is None and domain["agreement"] == 1.0
