from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from stdnum.cn import uscc
from typer.testing import CliRunner

from hgcredit.cli import app
from hgcredit.cli.doublea_cmd import _Progress

runner = CliRunner()


def set_text_cell(cell: Any, value: object) -> None:
    """Put a value into an openpyxl cell; text stays text (``=SUM(1,2)`` is no formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def code(division: str, org: str) -> str:
    body = "91" + division + org
    return body + uscc.calc_check_digit(body)


A1 = code("230402", "MA1B2C3D4")  # 向阳区
A2 = code("230421", "MA2B2C3D4")  # 萝北县
A3 = code("230403", "MA3B2C3D4")  # 工农区
A4 = code("230406", "MA4B2C3D4")  # 东山区
B1 = code("230404", "MA5B2C3D4")
FORMULA_NAMES = {A1: "=SUM(1,2)", A2: "+86鹤岗", A3: "-鹤岗矿业", A4: "@鹤岗热力"}


def write(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for i, row in enumerate(rows, 1):
        for j, value in enumerate(row, 1):
            if value is not None:
                set_text_cell(ws.cell(i, j), value)
    wb.save(path)
    return path


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    public = write(
        tmp_path / "公共信用评价结果.xlsx",
        [
            ["鹤岗市2022年度公共信用评价结果"],
            ["统一社会信用代码", "市场主体名称", "所属区县", "综合得分", "信用等级"],
            [A1, FORMULA_NAMES[A1], "向阳区", 901, "A"],
            [A2.lower(), FORMULA_NAMES[A2], "", 902, "A"],
            [A3, FORMULA_NAMES[A3], "工农区", 903, "A"],
            [A4, FORMULA_NAMES[A4], "东山区", 904, "A"],
            [B1, "鹤岗市乙公司", "南山区", 700, "B"],
        ],
    )
    tax = write(
        tmp_path / "纳税信用A级名单.xlsx",
        [
            ["纳税人识别号", "纳税人名称", "纳税信用级别"],
            [A1, "甲", "A"],
            [A2, "甲", "A"],
            [A3[2:17], "甲", "A"],
            [A4, "甲", "A"],
            [A4, "甲", "A"],  # duplicate, same grade: counted once
            [B1, "乙", "A"],
            ["9.12304e+17", "丙", "B"],
        ],
    )
    return {"tax": tax, "public": public, "dir": tmp_path}


def run(*args: object):
    return runner.invoke(app, ["double-a", *map(str, args)])


def test_workbook_sheets_chart_and_text_names(inputs) -> None:
    out = inputs["dir"] / "双A企业.xlsx"
    result = run("--tax", inputs["tax"], "--public", inputs["public"], "-o", out)
    assert result.exit_code == 0, result.output
    assert "双A企业：4 户（其中 1 户通过原纳税人识别号匹配）" in result.stdout
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["双A企业", "按区县", "问题记录"]
    ws = wb["双A企业"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["序号", "统一社会信用代码", "企业名称"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {A1, A2, A3, A4}
    assert rows[A3][-1] == f"原纳税人识别号 {A3[2:17]}"
    assert rows[A2][3] == "萝北县"
    for r in ws.iter_rows(min_row=2):
        name = r[2]
        assert name.data_type == "s"
        assert name.value == FORMULA_NAMES[r[1].value]
    counts = {r[0]: r[1] for r in wb["按区县"].iter_rows(min_row=2, max_row=9, values_only=True)}
    assert counts["向阳区"] == 1 and counts["兴山区"] == 0
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        chart = z.read(charts[0]).decode()
        assert "<c:barChart>" in chart and "按区县" in chart
    problems = list(wb["问题记录"].iter_rows(min_row=2, values_only=True))
    assert [(p[3], p[7], p[10]) for p in problems] == [(6, "重复", "否"), (8, "代码无效", "否")]


def test_outputs_get_the_usual_file_mode(inputs) -> None:
    out, detail = inputs["dir"] / "o.xlsx", inputs["dir"] / "o.csv"
    result = run(
        "--tax", inputs["tax"], "--public", inputs["public"], "-o", out, "--detail", detail
    )
    assert result.exit_code == 0, result.output
    umask = os.umask(0)
    os.umask(umask)
    for path in (out, detail):  # not the 0600 of the temporary file they were written to
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_same_inputs_same_bytes(inputs) -> None:
    outs = [inputs["dir"] / f"o{i}.xlsx" for i in (1, 2)]
    for out in outs:
        assert run("--tax", inputs["tax"], "--public", inputs["public"], "-o", out).exit_code == 0
    assert outs[0].read_bytes() == outs[1].read_bytes()


def test_detail_csv_has_every_row_and_safe_text(inputs) -> None:
    detail = inputs["dir"] / "明细.csv"
    result = run("--tax", inputs["tax"], "--public", inputs["public"], "--detail", detail)
    assert result.exit_code == 0, result.output
    with detail.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:4] == ["名单", "文件", "工作表", "行号"]
    assert len(rows) == 1 + 7 + 5
    names = {r[8] for r in rows[1:]}
    assert "'=SUM(1,2)" in names and "'@鹤岗热力" in names  # Excel shows them as text
    outcomes = [r[-1] for r in rows[1:]]
    assert outcomes.count("双A企业") == 8  # four enterprises, each in both lists
    assert "重复（已计入第5行）" in outcomes
    assert not (inputs["dir"] / "双A企业.xlsx").exists()


def test_json_schema(inputs) -> None:
    result = run("--tax", inputs["tax"], "--public", inputs["public"], "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["double_a"] == 4
    assert data["matched_via_legacy_id"] == 1
    assert data["by_county"]["东山区"] == 1
    assert all(isinstance(v, int) for v in data["by_county"].values())
    for side in ("tax", "public"):
        assert {"rows", "invalid_codes", "duplicates", "conflicts", "grade_a"} <= set(data[side])
    assert data["tax"]["rows"] == 7 and data["tax"]["invalid_codes"] == 1
    assert data["tax"]["duplicates"] == 1 and data["tax"]["grade_a"] == 5
    assert data["public"]["grade_a"] == 4
    assert data["previous"] is None
    assert {e["code"] for e in data["enterprises"]} == {A1, A2, A3, A4}
    assert data["outputs"] == {"workbook": None, "detail": None}


def test_previous_workbook_gives_changes_sheet(inputs) -> None:
    d = inputs["dir"]
    last_year = write(d / "2021.xlsx", [["统一社会信用代码", "企业名称"], [A1, "甲"], [B1, "乙"]])
    out = d / "2022.xlsx"
    result = run(
        "--tax", inputs["tax"], "--public", inputs["public"], "--previous", last_year, "-o", out
    )
    assert result.exit_code == 0, result.output
    assert "与上年相比：新增 3 户，退出 1 户，保持 1 户" in result.stdout
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-1] == "变化"
    changes = list(wb["变化"].iter_rows(min_row=2, values_only=True))
    assert [c[0] for c in changes] == ["新增", "新增", "新增", "退出", "保持"]
    assert changes[3][1:] == (B1, "乙", "南山区", "公共信用评价名单中等级为 B")
    # This year's workbook is next year's --previous.
    again = run("--tax", inputs["tax"], "--public", inputs["public"], "--previous", out, "--json")
    prev = json.loads(again.stdout)["previous"]
    assert (prev["added"], prev["removed"], prev["kept"]) == (0, 0, 4)


def test_problem_on_an_a_row_exits_1(inputs) -> None:
    d = inputs["dir"]
    tax = write(d / "t.xlsx", [["纳税人识别号", "纳税信用级别"], [A1[:-1] + "0", "A"]])
    result = run("--tax", tax, "--public", inputs["public"])
    assert result.exit_code == 1
    assert "可能影响双A名单" in result.stdout and "校验码错误" in result.stdout


def test_missing_column_lists_columns_and_exits_2(inputs) -> None:
    d = inputs["dir"]
    tax = write(d / "t.xlsx", [["序号", "纳税人识别号", "纳税人名称"], [1, A1, "甲"]])
    out = d / "out.xlsx"
    result = run("--tax", tax, "--public", inputs["public"], "-o", out)
    assert result.exit_code == 2
    assert "找不到等级列" in result.stderr
    assert "找到的列：序号、纳税人识别号、纳税人名称" in result.stderr
    assert "--tax-col" in result.stderr
    assert not out.exists()
    fixed = run("--tax", tax, "--public", inputs["public"], "--tax-col", "等级=D", "--json")
    assert fixed.exit_code == 2  # column D is empty: still no grade column
    named = write(d / "t2.xlsx", [["识别号", "级别结果"], [A1, "A"]])
    ok = run(
        "--tax", named, "--public", inputs["public"], "--tax-col", "代码=识别号", "--tax-col",
        "等级=B", "--json",
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["double_a"] == 1


def test_unreadable_inputs_exit_2_and_nothing_is_written(inputs) -> None:
    d = inputs["dir"]
    broken = d / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04garbage")
    out, detail = d / "o.xlsx", d / "o.csv"
    result = run("--tax", broken, "--public", d / "none.xlsx", "-o", out, "--detail", detail)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "broken.xlsx" in lines[0] and "文件已损坏或不完整" in lines[0]
    assert "none.xlsx" in lines[1] and "文件不存在" in lines[1]
    assert not out.exists() and not detail.exists()
    assert sorted(p.name for p in d.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("-o", "out.csv", "应以 .xlsx 结尾"),
        ("--detail", "detail.xlsx", "应以 .csv 结尾"),
        ("-o", "no/such/dir/out.xlsx", "输出文件夹不存在"),
        ("--tax-col", "颜色=红", "--tax-col"),
    ],
)
def test_bad_options_exit_2(inputs, option: str, value: str, says: str) -> None:
    if option != "--tax-col":
        value = str(inputs["dir"] / value)
    result = run("--tax", inputs["tax"], "--public", inputs["public"], option, value)
    assert result.exit_code == 2
    assert says in result.stderr


def test_output_over_an_input_is_refused(inputs) -> None:
    result = run("--tax", inputs["tax"], "--public", inputs["public"], "-o", inputs["public"])
    assert result.exit_code == 2
    assert "与输入文件相同" in result.stderr


def test_starting_the_cli_imports_nothing_heavy() -> None:
    code = (
        "import sys, hgcredit.cli; "
        "print([m for m in ('numpy', 'pandas', 'openpyxl', 'xlsxwriter', 'python_calamine', "
        "'tabulate') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_parsing_the_options_does_not_load_pydantic(tmp_path: Path) -> None:
    # typer 0.29 validates every option with pydantic (~0.15 s per start): pinned below it.
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('pydantic' in sys.modules))\n"
        "from hgcredit.cli import main\n"
        f"sys.argv = ['hgcredit', 'double-a', '--tax', {str(tmp_path / 'a.xlsx')!r}, "
        f"'--public', {str(tmp_path / 'b.xlsx')!r}, '-o', 'out.txt']\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 2, out.stderr
    assert out.stdout.strip() == "False"


def test_progress_line(capsys) -> None:
    progress = _Progress()
    progress("纳税信用名单", 1.0)
    progress("公共信用评价名单", 0.5)
    progress._draw()
    progress("公共信用评价名单", None)
    progress._draw()
    progress.close()
    err = capsys.readouterr().err
    assert "纳税信用名单 ✓" in err
    assert "[##########----------]  50%" in err
    assert "公共信用评价名单 读取中…" in err
    assert err.endswith("\r\x1b[K")


@pytest.mark.parametrize("side", ["--tax", "--public"])
def test_a_list_with_only_its_header_exits_2(inputs, side: str) -> None:
    d = inputs["dir"]
    empty = d / "空名单.csv"
    empty.write_text("统一社会信用代码,企业名称,信用等级\n", encoding="utf-8")
    args = {"--tax": inputs["tax"], "--public": inputs["public"], side: empty}
    out = d / "o.xlsx"
    result = run("--tax", args["--tax"], "--public", args["--public"], "-o", out)
    assert result.exit_code == 2, result.output
    assert "空名单.csv" in result.stderr and "只有表头，没有数据行" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_previous_as_a_bare_list_of_codes_or_an_empty_workbook(inputs) -> None:
    d = inputs["dir"]
    for text in (f"统一社会信用代码\n{A1}\n{B1}\n", f"{A1}\n{B1.lower()}\n"):
        prev = d / "2021.csv"
        prev.write_text(text, encoding="utf-8")
        result = run("--tax", inputs["tax"], "--public", inputs["public"], "--previous", prev)
        assert result.exit_code == 0, result.output
        assert "与上年相比：新增 3 户，退出 1 户，保持 1 户" in result.stdout
    # Last year's workbook of this command with no double-A enterprise in it.
    none = write(d / "none.xlsx", [["统一社会信用代码", "企业名称", "纳税信用级别"]])
    result = run("--tax", inputs["tax"], "--public", inputs["public"], "--previous", none)
    assert result.exit_code == 0, result.output
    assert "与上年相比：新增 4 户，退出 0 户，保持 0 户" in result.stdout


def test_output_piped_into_a_reader_that_went_away_stops_quietly(inputs) -> None:
    # `hgcredit double-a … | head -1`: the reader has closed the pipe.
    script = (
        "import sys; from hgcredit.cli import main; "
        f"sys.argv = ['hgcredit', 'double-a', '--tax', {str(inputs['tax'])!r}, "
        f"'--public', {str(inputs['public'])!r}]; main()"
    )
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", script], stdout=write_end, stderr=subprocess.PIPE
        )
    finally:
        os.close(write_end)
    assert proc.returncode == 141
    assert proc.stderr.decode() == ""


def test_aaa_in_the_public_list_is_told_to_the_clerk(inputs) -> None:
    d = inputs["dir"]
    public = write(d / "p.xlsx", [["统一社会信用代码", "信用等级"], [A1, "AAA"], [A4, "A"]])
    result = run("--tax", inputs["tax"], "--public", public)
    assert result.exit_code == 1, result.output
    assert "双A企业：1 户" in result.stdout
    assert "公共信用评价名单中有不属于 A、B、C、D 的等级：AAA 1 行（不算 A 级" in result.stdout


def test_a_previous_list_without_a_code_column_names_the_fix(inputs) -> None:
    # Last year's double-A list kept by name only: no option names its columns, so the
    # message says what to add to the header (or to the registry).
    prev = write(inputs["tax"].parent / "上年.xlsx", [["序号", "企业名称"], [1, "甲公司"]])
    result = run("--tax", inputs["tax"], "--public", inputs["public"], "--previous", prev)
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert "上年双A名单中找不到代码列" in line and "找到的列：序号、企业名称" in line
    assert line.endswith(
        "；请在表头中补上“统一社会信用代码”一列（表头不同时可把它加进登记表 [headers] 的 code）"
    )


def test_a_published_a_level_list_without_a_grade_column_takes_its_title(inputs) -> None:
    # The tax bureau's published list of one level: codes and names, the level in the
    # title. Before, it was refused for want of a grade column (--tax-col could not help).
    d = inputs["dir"]
    rows: list[list[object]] = [
        ["序号", "纳税人识别号", "纳税人名称"],
        [1, A1, "甲"],
        [2, A3, "丙"],
    ]
    tax = write(d / "名单.xlsx", [["国家税务总局鹤岗市税务局2022年度纳税信用A级纳税人名单"], *rows])
    result = run("--tax", tax, "--public", inputs["public"])
    assert result.exit_code == 0, result.output
    assert (
        "注意：纳税信用名单没有等级列，按标题“国家税务总局鹤岗市税务局2022年度纳税信用A级纳税人名单”"
        in (result.stdout)
    )
    assert "双A企业：2 户" in result.stdout
    data = json.loads(run("--tax", tax, "--public", inputs["public"], "--json").stdout)
    assert data["tax"]["columns"]["等级"] == "等级（取自标题）"
    assert data["tax"]["grade_from_title"].endswith("A级纳税人名单")
    assert data["public"]["grade_from_title"] is None
    # A title naming no level, or two, tells nothing: the list is refused as before.
    for title in ("2022年度纳税人名单", "2022年度纳税信用A级、B级纳税人名单"):
        tax = write(d / "名单2.xlsx", [[title], *rows])
        result = run("--tax", tax, "--public", inputs["public"])
        assert result.exit_code == 2 and "找不到等级列" in result.stderr
