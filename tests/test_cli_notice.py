"""`hgcredit notice` from the command line: formats, the deadline, exit codes, errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from hgcredit.cli import app

runner = CliRunner()
DATA = Path(__file__).resolve().parent.parent / "sample_data"
RETURNS = sorted(p for p in (DATA / "returns").iterdir() if "更正" not in p.name)
MONTH_FILES = [
    str(p)
    for p in [
        *sorted((DATA / "台账").iterdir()),
        *RETURNS,
        *sorted(p for p in (DATA / "returns").iterdir() if "更正" in p.name),
        *sorted((DATA / "lists").iterdir()),
    ]
]
ENTITIES = DATA / "entities"
LISTS = [
    "--tax", str(ENTITIES / "鹤岗市2022年度纳税信用级别名单.xlsx"),
    "--public", str(ENTITIES / "鹤岗市2022年度公共信用评价结果.xlsx"),
]  # fmt: skip
PREVIOUS = ["--previous", str(ENTITIES / "鹤岗市2021年度双A企业名单.xlsx")]


@pytest.fixture(autouse=True)
def _in_a_clean_folder(tmp_path, monkeypatch):
    # No hgcredit.toml of the checkout or the user is picked up by accident.
    monkeypatch.chdir(tmp_path)


def notice(*args: str):
    return runner.invoke(app, ["notice", *args])


def test_overdue_writes_the_circular_and_says_what_it_says(tmp_path):
    out = tmp_path / "通报.docx"
    result = notice(
        "overdue", *MONTH_FILES, "--month", "2022-11", "--as-of", "2022-11-21", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        f"已写出 {out}（逾期通报，鹤信用办发〔2022〕32号）：通报未按时报送 6 个领域"
    )
    assert "模板：" in result.stdout and result.stderr == ""
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "关于2022年11月信用分级分类监管工作推进台账报送情况的通报" in texts


def test_json_prints_the_context_the_template_receives(tmp_path):
    result = notice(
        "overdue", *MONTH_FILES, "--month", "2022-11", "--as-of", "2022-11-21", "--json"
    )
    assert result.exit_code == 0, result.output
    ctx = json.loads(result.stdout)
    assert {"kind", "month", "as_of", "deadline", "doc_number", "office", "date", "units", "table",
            "trend"} <= set(ctx)  # fmt: skip
    assert (ctx["kind"], ctx["month"], ctx["as_of"], ctx["deadline"]) == (
        "overdue",
        "2022-11",
        "2022-11-21",
        "2022-11-20",
    )
    assert ctx["date"] == "2022年11月21日"
    check = runner.invoke(
        app, ["check", *MONTH_FILES, "--month", "2022-11", "--as-of", "2022-11-21", "--json"]
    )
    domains = json.loads(check.stdout)["domains"]
    assert [u["domain"] for u in ctx["units"]] == [
        d["domain"] for d in domains if d["status"] != "filled"
    ]
    assert len(ctx["table"]) == len(domains)
    assert list(tmp_path.iterdir()) == []  # --json alone writes nothing


@pytest.mark.parametrize("day", ["2022-11-19", "2022-11-20"])
def test_the_circular_is_refused_up_to_the_deadline_and_suggests_the_reminder(tmp_path, day):
    out = tmp_path / "通报.docx"
    result = notice("overdue", *MONTH_FILES, "--month", "2022-11", "--as-of", day, "-o", str(out))
    assert result.exit_code == 2
    assert result.stdout == ""
    line = result.stderr.strip()
    assert line.count("\n") == 0 and line.startswith("错误：2022-11 的报送截止日是 2022-11-20")
    assert "hgcredit notice reminder" in line and "--as-of 2022-11-21" in line
    assert not out.exists()


@pytest.mark.parametrize(("day", "said"), [("2022-11-19", "距截止日还有 1 天"), ("2022-11-20", "今天是截止日"),
                                           ("2022-11-21", "截止日已过 1 天")])  # fmt: skip
def test_the_reminder_around_the_deadline(tmp_path, day, said):
    out = tmp_path / "提醒.txt"
    result = notice("reminder", *MONTH_FILES, "--month", "2022-11", "--as-of", day, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert said in result.stdout and "（催报提醒）" in result.stdout
    assert out.read_text("utf-8").startswith("关于报送2022年11月工作推进台账的提醒")


def test_a_reminder_with_nobody_to_remind_writes_nothing(tmp_path):
    ledger = tmp_path / "台账.csv"
    ledger.write_text(
        "序号,实施部门,分级分类领域,2022年11月\n1,市税务局,纳税企业,评价9889户\n", "utf-8"
    )
    registry = tmp_path / "登记表.toml"
    text = (Path(__file__).resolve().parent.parent / "hgcredit" / "registry.toml").read_text(
        "utf-8"
    )
    head, _, rest = text.partition("[[domains]]")
    first = "[[domains]]" + rest.split("[[domains]]")[0]
    registry.write_text(head + first, "utf-8")
    out = tmp_path / "提醒.docx"
    result = notice("reminder", str(ledger), "--month", "2022-11", "--as-of", "2022-11-18", "-o", str(out),
                    "--registry", str(registry))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "没有需要催报的单位，未写出文件" in result.stdout
    assert not out.exists()


def test_double_a_counts_are_those_of_double_a_json(tmp_path):
    out = tmp_path / "双A.docx"
    result = notice(
        "double-a", "--month", "2022-11", "--as-of", "2022-12-01", *LISTS, *PREVIOUS, "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    ctx = json.loads(
        notice(
            "double-a", "--month", "2022-11", "--as-of", "2022-12-01", *LISTS, *PREVIOUS, "--json"
        ).stdout
    )
    alone = json.loads(runner.invoke(app, ["double-a", *LISTS, *PREVIOUS, "--json"]).stdout)
    assert ctx["by_county"] == alone["by_county"]
    assert ctx["total"] == alone["double_a"]
    assert [a["code"] for a in ctx["added"]] == alone["previous"]["added_codes"]
    assert [r["code"] for r in ctx["removed"]] == alone["previous"]["removed_codes"]
    body = "".join(p.text for p in docx.Document(str(out)).paragraphs)
    for county, n in alone["by_county"].items():
        if n:
            assert f"{county}{n}户" in body
    assert f"双A企业 {alone['double_a']} 户" in result.stdout


def test_double_a_without_the_lists_is_a_chinese_error(tmp_path):
    result = notice("double-a", "--month", "2022-11", "-o", str(tmp_path / "a.docx"))
    assert result.exit_code == 2
    assert (
        result.stderr
        == "错误：notice double-a 需要 --tax（纳税信用名单）和 --public（公共信用评价名单）\n"
    )


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["letter", "x.xlsx", "--month", "2022-11", "--json"],
            "没有“letter”这种通知；可用的：overdue、reminder、double-a",
        ),
        (
            ["overdue", "x.xlsx", "--month", "2022-11"],
            "请用 -o 给出要写出的文件（如 -o 通报.docx），或用 --json 只看内容",
        ),
        (["overdue", "--month", "2022-11", "--json"], "缺少台账文件：请给出台账或各部门的报送表格"),
        (
            ["overdue", "x.xlsx", "--month", "2022-11", "-o", "通报.doc"],
            "-o/--output 的文件名应以 .docx 或 .md 或 .html 或 .txt 或 .pdf 结尾：通报.doc",
        ),
        (
            ["overdue", "x.xlsx", "--month", "2022-11", "--json", "--doc-number", "32号"],
            "--doc-number “32号” 不是发文字号；请写成 机关代字〔年份〕序号号，如 鹤信用办发〔2022〕32号",
        ),
        (
            ["reminder", "x.xlsx", "--month", "2022-11", "--json", "--late", "市税务局"],
            "--late 只用于 notice overdue（通报）",
        ),
        (
            ["overdue", "x.xlsx", "--month", "2022-11", "--json", "--config", "没有.toml"],
            "--config 给出的文件不存在：没有.toml",
        ),
    ],
)
def test_option_mistakes_are_one_chinese_line_and_exit_2(args, line):
    result = notice(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"错误：{line}\n"


def test_an_unusable_input_stops_the_notice_and_names_the_file(tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    out = tmp_path / "通报.docx"
    result = notice(
        "overdue",
        *MONTH_FILES,
        str(bad),
        "--month",
        "2022-11",
        "--as-of",
        "2022-11-21",
        "-o",
        str(out),
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().split("\n")
    assert lines[0].startswith(f"错误：{bad}：")
    assert lines[-1].startswith("错误：有 1 个输入无法使用，没有生成通知")
    assert not out.exists()


def test_a_month_not_in_the_ledger_is_refused(tmp_path):
    result = notice(
        "overdue", *MONTH_FILES, "--month", "2023-03", "--as-of", "2023-03-25", "--json"
    )
    assert result.exit_code == 2
    assert "输入中没有 2023-03 的月份列" in result.stderr


def test_a_document_number_of_another_year_is_written_but_flagged(tmp_path):
    out = tmp_path / "通报.md"
    result = notice("overdue", *MONTH_FILES, "--month", "2022-11", "--as-of", "2022-11-21", "-o", str(out),
                    "--doc-number", "鹤信用办发[2021]9号")  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "鹤信用办发〔2021〕9号" in out.read_text("utf-8")
    assert result.stderr.startswith(
        "注意：发文字号 鹤信用办发〔2021〕9号 的年份与成文日期 2022年11月21日 不是同一年"
    )


def test_the_office_config_in_the_working_folder_is_used(tmp_path):
    (tmp_path / "hgcredit.toml").write_text(
        '[notice]\ncontact = "张三"\nphone = "1234567"\n', "utf-8"
    )
    result = notice(
        "reminder", *MONTH_FILES, "--month", "2022-11", "--as-of", "2022-11-18", "--json"
    )
    assert result.exit_code == 0, result.output
    office = json.loads(result.stdout)["office"]
    assert (office["contact"], office["phone"], office["mailbox"]) == (
        "张三",
        "1234567",
        "hgsxyb@163.com",
    )


def test_a_bad_config_is_one_line(tmp_path):
    (tmp_path / "hgcredit.toml").write_text("[notice]\nphone = 3355529\n", "utf-8")
    result = notice("reminder", *MONTH_FILES, "--month", "2022-11", "--json")
    assert result.exit_code == 2
    assert (
        result.stderr.count("\n") == 1
        and "hgcredit.toml：[notice] phone（联系电话）" in result.stderr
    )


def test_late_units_are_named_in_the_circular(tmp_path):
    result = notice("overdue", *MONTH_FILES, "--month", "2022-11", "--as-of", "2022-11-21", "--json",
                    "--late", "鹤岗海关")  # fmt: skip
    assert result.exit_code == 0, result.output
    ctx = json.loads(result.stdout)
    assert [u["department"] for u in ctx["late_units"]] == ["鹤岗海关"]


def test_pdf_without_libreoffice_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on it
    out = tmp_path / "通报.pdf"
    result = notice(
        "overdue", *MONTH_FILES, "--month", "2022-11", "--as-of", "2022-11-21", "-o", str(out)
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert (
        "写出 PDF 需要 LibreOffice" in result.stderr and "libreoffice-writer-nogui" in result.stderr
    )
    assert not out.exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pdf_through_libreoffice_twice_the_same(tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (first, second):
        result = notice(
            "reminder", *MONTH_FILES, "--month", "2022-11", "--as-of", "2022-11-18", "-o", str(out)
        )
        assert result.exit_code == 0, result.output
    assert first.read_bytes().startswith(b"%PDF")
    assert first.read_bytes() == second.read_bytes()
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(first), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "工作推进台账的提醒" in text and "hgsxyb@163.com" in text


def _modules_after(argv: list[str]) -> set[str]:
    """Every module loaded once ``hgcredit *argv`` has run to its end."""
    code = (
        "import sys; sys.argv = ['hgcredit', *sys.argv[1:]]\n"
        "import hgcredit.cli as cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True
    )
    return set(out.stderr.strip().splitlines()[-1].split())


RENDERING = {"jinja2", "docxtpl", "docx", "lxml"}


def test_jinja2_and_docxtpl_are_loaded_only_to_render(tmp_path):
    for argv in (["notice", "--help"], ["--help"], ["check", "--help"]):
        loaded = {m.split(".")[0] for m in _modules_after(argv)}
        assert not loaded & RENDERING, argv
    context_only = ["notice", "overdue", *MONTH_FILES, "--month", "2022-11", "--as-of",
                    "2022-11-21", "--json"]  # fmt: skip
    assert not {m.split(".")[0] for m in _modules_after(context_only)} & RENDERING
    rendered = ["notice", "reminder", *MONTH_FILES, "--month", "2022-11", "--as-of",
                "2022-11-18", "-o", str(tmp_path / "a.docx")]  # fmt: skip
    assert {"jinja2", "docxtpl"} <= {m.split(".")[0] for m in _modules_after(rendered)}
