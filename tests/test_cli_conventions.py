"""What every command does alike when it fails: with ``--json`` one JSON object with ``errors``
on stdout, the lines naming what could not be used on stderr, no traceback, and Ctrl-C at
any moment ends the run cleanly."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import hgcredit.ledger.check
from hgcredit.cli import COMMAND_MODULES, app

DATA = Path(__file__).resolve().parent / "bad_inputs" / "handled"
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
GOOD = str(DATA / "UTF16.csv")
TAX, PUBLIC = str(DATA / "纳税信用名单.csv"), str(DATA / "公共信用评价结果.csv")
HG = str(Path(sys.executable).with_name("hgcredit"))


def _cases(tmp: Path) -> list[tuple[str, list[str], int, str]]:
    """(name, command line, exit code, kind of the first error)."""
    missing = str(tmp / "没有.xlsx")
    out = str(tmp / "台账.xlsx")
    return [
        ("import without -o", ["import", GOOD], 2, "usage"),
        ("check without --month", ["check", GOOD], 2, "usage"),
        ("ratings unknown option", ["ratings", GOOD, "--month", "2022-11", "--nope"], 2, "usage"),
        ("double-a without --public", ["double-a", "--tax", TAX], 2, "usage"),
        ("double-a extra word", ["double-a", "--tax", TAX, "--public", PUBLIC, "多余"], 2, "usage"),
        ("import --year not a number", ["import", GOOD, "-o", out, "--year", "abc"], 2, "usage"),
        ("unknown command", ["nosuch"], 2, "usage"),
        ("unknown --encoding", ["check", GOOD, "--month", "2022-11", "--encoding", "xyz"], 2, "usage"),
        ("check --month 13", ["check", GOOD, "--month", "2022-13"], 2, "option"),
        ("check --as-of bad", ["check", GOOD, "--month", "2022-11", "--as-of", "11月31日"], 2, "option"),
        ("ratings --month bad", ["ratings", GOOD, "--month", "下月"], 2, "option"),
        ("import --year 1800", ["import", GOOD, "-o", out, "--year", "1800"], 2, "option"),
        ("import -o .csv", ["import", GOOD, "-o", str(tmp / "台账.csv")], 2, "option"),
        ("double-a --detail .xlsx", ["double-a", "--tax", TAX, "--public", PUBLIC, "--detail", out], 2, "option"),
        ("double-a --tax-col bad", ["double-a", "--tax", TAX, "--public", PUBLIC, "--tax-col", "x"], 2, "option"),
        ("double-a a missing list", ["double-a", "--tax", missing, "--public", PUBLIC], 2, "file"),
        ("double-a two bad lists", ["double-a", "--tax", missing, "--public", missing], 2, "file"),
        ("import nothing usable", ["import", missing, "-o", out], 2, "file"),
        ("check nothing usable", ["check", missing, "--month", "2022-11"], 2, "file"),
        ("ratings nothing usable", ["ratings", missing, "--month", "2022-11"], 2, "file"),
    ]  # fmt: skip


def test_every_failure_with_json_is_one_object_with_errors(tmp_path: Path):
    cases = _cases(tmp_path)
    assert len(cases) >= 19
    for name, args, code, kind in cases:
        result = CliRunner().invoke(app, [*args, "--json"])
        assert result.exit_code == code, (name, result.output)
        data = json.loads(result.stdout)  # one object, nothing else on stdout
        assert isinstance(data, dict), name
        assert data["errors"], name
        assert data.get("exit_code", code) == code, name  # a report of its own may omit it
        first = data["errors"][0]
        assert first.get("kind", "file") == kind, (name, first)
        assert first["message"] and "Traceback" not in result.output, name
        # The same words are on stderr, each on a line of its own.
        assert first["message"] in result.stderr, (name, result.stderr)


@pytest.mark.parametrize("command", list(COMMAND_MODULES))
def test_every_command_gets_the_json_error_object(command: str, tmp_path: Path):
    # A mistake on the command line and an unusable input, in every command there is.
    usage = CliRunner().invoke(app, [command, "--no-such-option", "--json"])
    assert usage.exit_code == 2
    assert json.loads(usage.stdout)["errors"][0]["kind"] == "usage"
    if command == "registry":
        args = ["registry", "--registry", str(tmp_path / "没有.toml")]
    elif command == "double-a":
        args = ["double-a", "--tax", str(tmp_path / "没有.csv"), "--public", PUBLIC]
    elif command == "reconcile":
        args = ["reconcile", "--public", str(tmp_path / "没有.csv")]
    elif command == "notice":
        args = ["notice", "reminder", str(tmp_path / "没有.csv"), "--month", "2022-11"]
    else:
        args = [command, str(tmp_path / "没有.csv"), "--month", "2022-11"]
        if command == "import":
            args = ["import", str(tmp_path / "没有.csv"), "-o", str(tmp_path / "台账.xlsx")]
        elif command == "summary":
            args += ["-o", str(tmp_path / "汇总.xlsx")]
        elif command == "month":
            args += ["-o", str(tmp_path / "月度工作")]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 2, (command, result.output)
    data = json.loads(result.stdout)
    assert any("没有" in e["file"] or "没有" in e["message"] for e in data["errors"]), data
    assert "错误：" in result.stderr and "Traceback" not in result.output


def test_without_json_a_failure_prints_nothing_on_stdout(tmp_path: Path):
    for name, args, code, _ in _cases(tmp_path):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == code, name
        if code == 2 and args[0] == "double-a":
            assert result.stdout == "", name
        assert result.stderr.startswith("错误："), (name, result.stderr)


def test_an_internal_error_is_exit_3_with_the_json_object(monkeypatch: pytest.MonkeyPatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("模拟的内部错误")

    monkeypatch.setattr(hgcredit.ledger.check, "check_month", broken)
    monkeypatch.setattr("hgcredit.cli.check_cmd.check_month", broken)
    result = CliRunner().invoke(app, ["check", GOOD, "--month", "2022-11", "--json"])
    assert result.exit_code == 3
    (error,) = json.loads(result.stdout)["errors"]
    assert error["kind"] == "internal" and "模拟的内部错误" in error["message"]
    assert result.stderr.startswith("错误：内部错误：RuntimeError")


def test_debug_shows_the_traceback_and_keeps_the_exit_codes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    """--debug adds the technical details; the exit code still says what happened (2 for an
    unusable option or input, 3 for an internal error), never 1 (done, with things to act on)."""
    result = CliRunner().invoke(app, ["--debug", "check", GOOD, "--month", "2022-13"])
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "OptionError" in result.stderr
    assert "错误：--month “2022-13” 格式不对" in result.stderr
    empty = tmp_path / "空.csv"
    empty.write_bytes(b"")
    result = CliRunner().invoke(
        app, ["--debug", "double-a", "--tax", str(empty), "--public", str(empty)]
    )
    assert result.exit_code == 2 and "Traceback" in result.stderr

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("模拟的内部错误")

    monkeypatch.setattr("hgcredit.cli.check_cmd.check_month", broken)
    result = CliRunner().invoke(app, ["--debug", "check", GOOD, "--month", "2022-11", "--json"])
    assert result.exit_code == 3
    assert "Traceback" in result.stderr and "RuntimeError: 模拟的内部错误" in result.stderr
    (error,) = json.loads(result.stdout)["errors"]
    assert error["kind"] == "internal"


def test_unusable_inputs_are_named_on_stderr_in_every_command(tmp_path: Path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n")
    runs = {
        "import": ["import", GOOD, str(bad), "-o", str(tmp_path / "台账.xlsx")],
        "check": ["check", GOOD, str(bad), "--month", "2022-11", "--as-of", "2022-11-21"],
        "ratings": ["ratings", GOOD, str(bad), "--month", "2022-11"],
        "double-a": ["double-a", "--tax", str(bad), "--public", PUBLIC],
    }
    for name, args in runs.items():
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, (name, result.output)
        line = f"错误：{bad}：这是图片（PNG），不是表格；请给出表格文件本身\n"
        assert result.stderr == line, name
        assert str(bad) not in result.stdout, name


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n", b"  \n\t\n"])
def test_a_file_of_only_a_bom_or_whitespace_is_empty_in_every_command(
    tmp_path: Path, content: bytes
):
    # Trial: a BOM-only csv given as a list got "找到的列：（无）", as a ledger "不是台账格式".
    blank = tmp_path / "空白.csv"
    blank.write_bytes(content)
    runs = {
        "import": ["import", str(blank), "-o", str(tmp_path / "台账.xlsx")],
        "check": ["check", str(blank), "--month", "2022-11", "--as-of", "2022-11-21"],
        "ratings": ["ratings", str(blank), "--month", "2022-11"],
        "double-a": ["double-a", "--tax", str(blank), "--public", PUBLIC],
        "reconcile": ["reconcile", "--public", PUBLIC, str(blank)],
        "reconcile --public": ["reconcile", "--public", str(blank), GOOD],
    }
    line = f"错误：{blank}：文件为空（除编码标记 BOM 和空白外没有任何内容），请重新导出\n"
    for name, args in runs.items():
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, (name, result.output)
        if name == "reconcile --public":  # the list given (a ledger) is named on a line too
            assert result.stderr.startswith(line) and "找到的列" not in result.stderr
        else:
            assert result.stderr == line, name


def test_an_escape_sequence_in_a_ledger_never_reaches_the_terminal(tmp_path: Path):
    ledger = tmp_path / "台账.csv"
    ledger.write_text(
        "序号,实施部门,分级分类领域,2022年11月\n1,市税务局,纳税企业,\x1b]0;owned\x07A级5家\x1b[2J\n",
        "utf-8",
    )
    result = CliRunner().invoke(app, ["check", str(ledger), "--month", "2022-11"])
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "A级5家" in result.stdout


def test_ctrl_c_early_or_late_ends_cleanly(tmp_path: Path):
    """SIGINT while the modules load, while the lists are read in threads, and while writing:
    one Chinese line, exit 130, no traceback, no hang, no temporary file left."""
    entities = SAMPLE / "entities"
    tax = entities / "鹤岗市2022年度纳税信用级别名单.xlsx"
    public = entities / "鹤岗市2022年度公共信用评价结果.xlsx"
    reached = 0
    for delay in (0.06, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4):
        out = tmp_path / f"{delay}"
        out.mkdir()
        args = ["double-a", "--tax", str(tax), "--public", str(public), "-o", str(out / "双A.xlsx")]
        proc = subprocess.Popen(
            [HG, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)  # never a hang
        if err.startswith("Fatal Python error: init") or (
            proc.returncode == -signal.SIGINT and not err
        ):
            continue  # still inside the interpreter's own start-up, before any of our code
        assert "Traceback" not in err, (delay, err)
        if proc.returncode == 130:
            assert err == "\n已中断，没有写出不完整的文件。\n"
            reached += 1
        else:  # it finished before the signal came
            assert proc.returncode in (0, 1), (delay, proc.returncode, err)
        assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert reached >= 3
