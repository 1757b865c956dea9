"""`hgcredit summary`: exit codes, the terminal report, ``--json``, and every error path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from hgcredit.cli import app
from hgcredit.registry import load_registry

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
MASTER = SAMPLE / "台账" / "鹤岗市信用分级分类监管工作推进台账.xlsx"
ENTITIES = SAMPLE / "entities"
TAX = ENTITIES / "鹤岗市2022年度纳税信用级别名单.xlsx"
PUBLIC = ENTITIES / "鹤岗市2022年度公共信用评价结果.xlsx"
PREVIOUS = ENTITIES / "鹤岗市2021年度双A企业名单.xlsx"
RETURNS = sorted((SAMPLE / "returns").iterdir(), key=lambda p: ("更正" in p.name, p.name))
LISTS = sorted((SAMPLE / "lists").iterdir())
MONTH, AS_OF = "2022-11", "2022-11-25"

runner = CliRunner()


def run(*args: object) -> Any:
    return runner.invoke(app, ["summary", *map(str, args)])


def ledger_csv(path: Path, text: str = "开展检查 5 次") -> Path:
    """A November ledger in which every domain reported ``text``."""
    lines = ["序号,实施部门,分级分类领域,2022年11月"]
    lines += [f"{d.serial},{d.department},{d.domain},{text}" for d in load_registry().domains]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- the sample month


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    out = tmp_path_factory.mktemp("cli_summary") / "2022年11月汇总.xlsx"
    args = [MASTER, *RETURNS, *LISTS, "--month", MONTH, "--as-of", AS_OF]
    args += ["--tax", TAX, "--public", PUBLIC, "--previous", PREVIOUS, "-o", out, "--json"]
    return run(*args), out


def test_sample_month_json_holds_each_commands_own_json(sample):
    result, out = sample
    assert result.exit_code == 1, result.output  # overdue units, counts that do not add up
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert list(data) == [
        "output", "sheets", "inputs", "needs_action", "analysis", "errors", "exit_code",
    ]  # fmt: skip
    assert data["output"] == str(out) and out.exists()
    assert data["sheets"] == ["总览", "填报情况", "等级分布", "双A企业", "双A企业名单", "说明"]
    assert data["exit_code"] == 1 and data["errors"] == []
    assert data["needs_action"][0].startswith("逾期未报 6 个领域")
    assert [i["file"] for i in data["inputs"]] == [
        *map(str, [MASTER, *RETURNS, *LISTS, TAX, PUBLIC, PREVIOUS])
    ]
    assert all(len(i["sha256"]) == 64 for i in data["inputs"])

    def own(*args: object) -> dict[str, Any]:
        got = runner.invoke(app, [*map(str, args), "--json"])
        return json.loads(got.stdout)

    analysis = data["analysis"]
    assert analysis["check"] == own("check", MASTER, *RETURNS, "--month", MONTH, "--as-of", AS_OF)
    assert analysis["ratings"] == own("ratings", MASTER, *RETURNS, *LISTS, "--month", MONTH)
    double_a = own("double-a", "--tax", TAX, "--public", PUBLIC, "--previous", PREVIOUS)
    assert analysis["double_a"] == {k: v for k, v in double_a.items() if k != "outputs"}


def test_terminal_report(tmp_path):
    out = tmp_path / "汇总.xlsx"
    result = run(MASTER, *RETURNS, "--month", MONTH, "--as-of", AS_OF, "-o", out)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"已写出 {out}：总览、填报情况、等级分布、说明"
    assert lines[1] == "  填报：已填报 17 · 仅占位 1 · 未填报 5（逾期 6，含仅占位 1）"
    assert lines[-1].startswith("需要处理：逾期未报 6 个领域；评级数字对不上")


# ---------------------------------------------------------------- exit codes


def test_nothing_to_act_on_exits_0(tmp_path):
    out = tmp_path / "汇总.xlsx"
    result = run(ledger_csv(tmp_path / "台账.csv"), "--month", MONTH, "--as-of", AS_OF, "-o", out)
    assert result.exit_code == 0, result.output
    assert "需要处理" not in result.stdout
    assert openpyxl.load_workbook(out).sheetnames == ["总览", "填报情况", "等级分布", "说明"]


def test_an_unusable_file_exits_2_and_the_rest_is_still_summarised(tmp_path):
    good = ledger_csv(tmp_path / "台账.csv")
    bad = tmp_path / "坏文件.xlsx"
    bad.write_text("<html>这是网页，不是表格</html>", encoding="utf-8")
    out = tmp_path / "汇总.xlsx"
    result = run(good, bad, "--month", MONTH, "--as-of", AS_OF, "-o", out, "--json")
    assert result.exit_code == 2, result.output
    data = json.loads(result.stdout)
    assert [e["file"] for e in data["errors"]] == [str(bad)]
    assert result.stderr.startswith(f"错误：{bad}：")
    assert len(result.stderr.splitlines()) == 1
    about = {
        row[1]: row[0] for row in openpyxl.load_workbook(out)["说明"].iter_rows(values_only=True)
    }
    assert about[str(good)] == "台账/报送" and about[str(bad)] == "无法使用"
    assert any(str(k).startswith(f"{bad}：") for k, v in about.items() if v == "无法使用的输入")


def test_an_unusable_tax_list_leaves_the_double_a_sheets_out(tmp_path):
    tax = tmp_path / "纳税信用名单.csv"
    tax.write_text("统一社会信用代码,企业名称,纳税信用级别\n", encoding="utf-8")  # header only
    out = tmp_path / "汇总.xlsx"
    args = [ledger_csv(tmp_path / "台账.csv"), "--month", MONTH, "--as-of", AS_OF]
    result = run(*args, "--tax", tax, "--public", PUBLIC, "-o", out, "--json")
    assert result.exit_code == 2, result.output
    data = json.loads(result.stdout)
    assert data["sheets"] == ["总览", "填报情况", "等级分布", "说明"]
    assert data["analysis"]["double_a"] is None
    assert [e["file"] for e in data["errors"]] == [str(tax)]
    assert result.stderr.startswith(f"错误：{tax}：")
    roles = {i["file"]: i["role"] for i in data["inputs"]}
    assert roles[str(tax)] == "无法使用" and roles[str(PUBLIC)] == "未用到（没有可用的行）"


def test_nothing_usable_writes_nothing(tmp_path):
    bad = tmp_path / "空.csv"
    bad.write_text("", encoding="utf-8")
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"last month")
    result = run(bad, "--month", MONTH, "-o", out)
    assert result.exit_code == 2
    assert "未写出工作簿" in result.stdout
    assert out.read_bytes() == b"last month"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--tax", TAX], "--tax 和 --public 要一起给出（计算双A企业需要两份名单）"),
        (["--previous", PREVIOUS], "--previous 要与 --tax、--public 一起给出"),
        (["--month", "2022-13"], None),
        (["--as-of", "明天"], None),
    ],
)
def test_option_mistakes_are_one_line_and_exit_2(tmp_path, extra, message):
    out = tmp_path / "汇总.xlsx"
    args = [ledger_csv(tmp_path / "台账.csv"), "-o", out, *extra]
    if "--month" not in extra:
        args += ["--month", MONTH]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("错误：")
    if message is not None:
        assert result.stderr == f"错误：{message}\n"
    assert not out.exists()


def test_output_must_be_a_new_xlsx(tmp_path):
    ledger = ledger_csv(tmp_path / "台账.csv")
    wrong = run(ledger, "--month", MONTH, "-o", tmp_path / "汇总.csv")
    assert wrong.exit_code == 2
    assert wrong.stderr == f"错误：-o/--output 的文件名应以 .xlsx 结尾：{tmp_path / '汇总.csv'}\n"
    before = ledger.read_bytes()
    same = run(ledger, "--month", MONTH, "-o", ledger.with_suffix(".xlsx"))
    assert same.exit_code == 0, same.output
    clash = run(ledger.with_suffix(".xlsx"), "--month", MONTH, "-o", ledger.with_suffix(".xlsx"))
    assert clash.exit_code == 2 and "与输入文件相同" in clash.stderr
    assert ledger.read_bytes() == before


def test_summary_help_does_not_load_the_analysis():
    code = (
        "import sys; sys.argv = ['hgcredit', 'summary', '--help']\n"
        "import hgcredit.cli as cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stderr.split())
    assert "hgcredit.cli.summary_cmd" in loaded
    assert not loaded & {
        "hgcredit.summary.workbook",
        "hgcredit.month.analyse",
        "hgcredit.ledger.read",
        "numpy",
        "xlsxwriter",
    }


def test_a_csv_rating_list_is_listed_as_a_list(tmp_path):
    # Trial (December): a csv list counted for its domain was listed as 未用到 in 说明.
    listed = tmp_path / "环境信用评价结果.csv"
    listed.write_bytes("序号,企业名称,环境信用等级\n1,甲,绿牌\n2,乙,蓝牌\n".encode("gbk"))
    out = tmp_path / "汇总.xlsx"
    args = [ledger_csv(tmp_path / "台账.csv"), listed, "--month", MONTH, "--as-of", AS_OF]
    result = run(*args, "-o", out, "--json")
    data = json.loads(result.stdout)
    roles = {i["file"]: i["role"] for i in data["inputs"]}
    assert roles[str(listed)] == "等级名单"
    env = next(d for d in data["analysis"]["ratings"]["domains"] if d["domain"] == "企业环境")
    assert env["counts"] == {"绿": 1, "蓝": 1}
