"""Every command documents itself: Chinese help with an example, and a README section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from hgcredit import __version__
from hgcredit.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_there_are_commands():
    assert "registry" in COMMANDS


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"hgcredit {__version__}"


def test_top_level_help_is_chinese_and_lists_every_command():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    assert "鹤岗" in result.output
    assert "显示本帮助并退出" in result.output
    for name in COMMANDS:
        assert name in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_has_chinese_text_and_an_example(name):
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "示例" in result.output
    assert re.search(r"[\u4e00-\u9fff]", result.output)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_a_readme_section(name):
    assert f"### hgcredit {name}" in README, f"README 缺少 hgcredit {name} 一节"


@pytest.mark.parametrize("name", ["check", "import", "ratings"])
def test_an_unknown_encoding_is_refused_at_once(name, tmp_path):
    # Even with no csv among the inputs, a wrong --encoding is one Chinese line and exit 2.
    args = [name, str(tmp_path / "any.xlsx"), "--encoding", "no-such-codec"]
    if name != "import":
        args += ["--month", "2022-11"]
    else:
        args += ["-o", str(tmp_path / "out.xlsx")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert (
        result.stderr
        == "错误：--encoding：未知编码“no-such-codec”；常用的是 utf-8、gb18030（即 GBK）\n"
    )
    assert not (tmp_path / "out.xlsx").exists()


def test_a_folder_given_as_a_list_is_a_chinese_error(tmp_path):
    result = CliRunner().invoke(
        app, ["double-a", "--tax", str(tmp_path), "--public", str(tmp_path / "p.xlsx")]
    )
    assert result.exit_code == 2
    assert "这是一个文件夹" in result.stderr
    assert "Traceback" not in result.output
