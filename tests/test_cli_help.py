"""Every command documents itself in Chinese, and every command-line mistake is one Chinese line.

One parametrised set over all commands (sqlite-utils style): a command without a docstring,
an example, a line in README's command table or a README section fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from hgcredit import __version__
from hgcredit.cli import COMMAND_MODULES, app
from hgcredit.cli.base import HgcreditCommand, HgcreditGroup
from hgcredit.cli.helptext import columns, first_sentence, wrap

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
GROUP = typer.main.get_command(app)
assert isinstance(GROUP, HgcreditGroup)
COMMANDS = list(COMMAND_MODULES)  # the order of the month's work, as help lists them
AVAILABLE = "、".join(COMMANDS)  # as a usage error lists them
WIDTH = 80

# What Click and Typer would print in English, had our classes not drawn the page.
ENGLISH = re.compile(
    r"Usage|Options|Arguments|Commands|Show this message|default|required|Try |Error"
    r"|\[OPTIONS\]|COMMAND|ARGS|TEXT|PATH|INTEGER|FILES"
)


def _help(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": str(WIDTH)})
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


def test_every_command_is_registered_with_our_class():
    assert sorted(GROUP.commands) == sorted(COMMANDS)
    assert all(type(GROUP.commands[name]) is HgcreditCommand for name in COMMANDS)


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"hgcredit {__version__}"


def _section(text: str, title: str) -> dict[str, str]:
    """A help section as {name: its text with the wrapped lines joined up}."""
    rows: dict[str, str] = {}
    name = ""
    for line in text.split(f"\n{title}\n")[1].split("\n\n")[0].splitlines():
        if not line.startswith("   "):
            name, _, line = line.strip().partition("  ")
            rows[name] = ""
        rows[name] += line.strip()
    return rows


def test_top_level_help_lists_every_command_with_its_first_sentence():
    text = _help()
    assert text.startswith("用法：hgcredit [选项] 命令 [参数]...\n")
    assert "鹤岗市信用分级分类监管月度工作工具" in text
    assert re.search(r"^  示例：hgcredit \S+ ", text, re.M)
    assert _section(text, "选项：") == {
        "--version": "显示版本号并退出。",
        "--debug": "出错时显示完整的技术细节（供开发人员排查）。",
        "-h, --help": "显示本帮助并退出。",
    }
    listed = _section(text, "命令：")
    assert list(listed) == COMMANDS
    for name, summary in listed.items():
        expected = first_sentence(GROUP.commands[name].help or "")
        assert expected.endswith("。") and summary.replace(" ", "") == expected.replace(" ", "")


def test_a_bare_hgcredit_shows_the_help_on_stdout_and_exits_0():
    result = CliRunner().invoke(app, [], env={"COLUMNS": str(WIDTH)})
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == _help()


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_documents_itself(name):
    command = GROUP.commands[name]
    assert command.help, f"hgcredit {name} 没有说明（函数的 docstring）"
    text = _help(name)
    assert text.startswith(f"用法：hgcredit {name} [选项]")
    assert first_sentence(command.help).replace(" ", "") in re.sub(r"\s", "", text)
    assert re.search(rf"^  示例：hgcredit {name} .+$", text, re.M), "帮助中没有示例"
    options = _section(text, "选项：")
    for param in command.params:
        if param.param_type_name == "option":
            (row,) = (k for k in options if param.opts[0] in re.split(r"[ ,]+", k))
            assert options[row].replace(" ", "") == (param.help or "").replace(" ", "") + (
                "[必填]" if param.required else ""
            )
    assert options["-h, --help"] == "显示本帮助并退出。"
    assert f"| `hgcredit {name}` |" in README, f"README 的命令表缺少 hgcredit {name}"
    assert f"### hgcredit {name}" in README, f"README 缺少 hgcredit {name} 一节"


@pytest.mark.parametrize("args", [[], *([name] for name in COMMANDS)])
def test_help_pages_are_chinese(args):
    text = _help(*args)
    assert not ENGLISH.search(text), ENGLISH.search(text)
    assert "\n选项：\n" in text
    assert ("\n命令：\n" in text) == (not args)


@pytest.mark.parametrize("name", [None, *COMMANDS])
@pytest.mark.parametrize("columns_", [80, 100, 52])
def test_help_pages_fit_the_terminal(monkeypatch, name, columns_):
    # As in a real terminal (CliRunner forces Click's help width to 80 whatever the terminal).
    monkeypatch.setenv("COLUMNS", str(columns_))
    with GROUP.make_context("hgcredit", [], resilient_parsing=True) as ctx:
        if name is not None:
            ctx = GROUP.commands[name].make_context(name, [], parent=ctx, resilient_parsing=True)
        text = ctx.get_help()
    assert text.startswith(f"用法：hgcredit {name or ''}".rstrip())
    for line in text.splitlines():
        if "hgcredit " in line:  # an example is kept whole so that it can be copied
            continue
        assert columns(line) <= columns_, line


def test_metavars_and_required_marks():
    text = _help("check")
    assert _section(text, "参数：") == {
        "文件...": "台账或各部门报送的表格（xlsx/xls/ods/csv/txt），可给多个；后给出的文件优先。[必填]"
    }
    assert re.search(r"^  --month 年-月 +要检查的月份，如 2022-11。\[必填\]$", text, re.M)
    assert re.search(
        r"^  --as-of 日期 +按哪一天判断是否逾期，如 2022-11-21（默认今天）。$", text, re.M
    )
    assert "\n  -o, --output 文件  " in _help("import")


_closing, _opening = "，。）”；", "（“"
_pieces = st.one_of(
    st.sampled_from(list("台账检查领域填报")),
    st.sampled_from(list(_closing)).map(lambda mark: "报" + mark),
    st.sampled_from(list(_opening)).map(lambda mark: mark + "台"),
    st.from_regex(r" [a-z0-9=-]{1,6} ", fullmatch=True),
)


@given(st.lists(_pieces, max_size=60).map("".join), st.integers(16, 60))
def test_wrapping_keeps_every_character_within_the_width(text, width):
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for i, line in enumerate(lines):
        assert columns(line) <= width + 2, line  # a closing mark may hang at the end
        assert i == 0 or not line.startswith(tuple(_closing)), lines
        assert i == len(lines) - 1 or not line.endswith(tuple(_opening)), lines


def test_wrapping_never_splits_an_option_or_a_key_value_example():
    text = "纳税信用名单的列名，表头特殊时使用，如 --tax-col 代码=识别号 --tax-col 等级=F（可多次）。[必填]"
    for width in range(12, 60):
        words = " ".join(wrap(text, width)).split()
        assert "--tax-col" in words and "代码=识别号" in words
        assert any(word.endswith("[必填]") for word in words)


def _usage_error(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    return result.stderr


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["check", "x.xlsx"], "缺少必填的选项 --month；运行 hgcredit check --help 查看用法"),
        (["import", "x.xlsx"], "缺少必填的选项 -o/--output；运行 hgcredit import --help 查看用法"),
        (["check", "--month", "2022-11"], "缺少要处理的文件；运行 hgcredit check --help 查看用法"),
        (
            ["check", "x.xlsx", "--month", "2022-11", "--nope"],
            "没有选项 --nope；运行 hgcredit check --help 查看用法",
        ),
        (
            ["check", "x.xlsx", "--mnth", "2022-11"],
            "没有选项 --mnth（是不是 --month？）；运行 hgcredit check --help 查看用法",
        ),
        (["--nope"], "没有选项 --nope；运行 hgcredit --help 查看用法"),
        (
            ["import", "x.xlsx", "-o", "y.xlsx", "--year", "二〇二二"],
            "--year 的值“二〇二二”不能用：应为整数；运行 hgcredit import --help 查看用法",
        ),
        (
            ["check", "x.xlsx", "--month"],
            "选项 --month 后面缺少值；运行 hgcredit check --help 查看用法",
        ),
        (
            ["registry", "--json=yes"],
            "选项 --json 后面不能带值；运行 hgcredit registry --help 查看用法",
        ),
        (
            ["registry", "我的登记表.toml"],
            "多余的参数：我的登记表.toml；运行 hgcredit registry --help 查看用法",
        ),
        (
            ["nosuch"],
            f"没有这个命令：“nosuch”；可用的命令：{AVAILABLE}",
        ),
        (
            ["chek", "x.xlsx"],
            f"没有这个命令：“chek”（是不是 check？）；可用的命令：{AVAILABLE}",
        ),
        (
            ["--debug"],
            f"没有给出要运行的命令；可用的命令：{AVAILABLE}",
        ),
    ],
)
def test_a_command_line_mistake_is_one_chinese_line_with_exit_2(args, line):
    assert _usage_error(args) == f"错误：{line}\n"


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
