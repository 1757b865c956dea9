"""The Typer application and what every command shares: options, error edge, output."""

from __future__ import annotations

import codecs
import importlib.abc
import importlib.util
import json
import os
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

import hgcredit
from hgcredit.errors import HgcreditError
from hgcredit.registry import Registry, load_registry

_RICH_TEXTS = {
    "OPTIONS_PANEL_TITLE": "选项",
    "ARGUMENTS_PANEL_TITLE": "参数",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中断。",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEFAULT_STRING": "[默认：{}]",
    "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
}


class _ChineseRichTexts(importlib.abc.MetaPathFinder):
    """Sets Typer's help-panel texts in Chinese when ``typer.rich_utils`` is first imported.

    Typer imports rich only to draw help and usage errors; importing it eagerly here would
    add ~50 ms to every command, so the texts are set as the module loads instead.
    """

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "typer.rich_utils":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        execute = loader.exec_module

        def exec_module(module: types.ModuleType) -> None:
            execute(module)
            for key, text in _RICH_TEXTS.items():
                setattr(module, key, text)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _localise_help() -> None:
    """Chinese panel titles and help-option text (Typer has no locale setting)."""
    from typer import core

    rich_utils = sys.modules.get("typer.rich_utils")
    if rich_utils is not None:
        for key, text in _RICH_TEXTS.items():
            setattr(rich_utils, key, text)
    else:
        sys.meta_path.insert(0, _ChineseRichTexts())
    for cls in (core.TyperCommand, core.TyperGroup):
        original = cls.get_help_option

        def get_help_option(self: Any, ctx: Any, _original: Any = original) -> Any:
            option = _original(self, ctx)
            if option is not None:
                option.help = "显示本帮助并退出。"
            return option

        cls.get_help_option = get_help_option  # type: ignore[method-assign]


_localise_help()

app = typer.Typer(
    name="hgcredit",
    help="鹤岗市信用分级分类监管月度工作工具：导入台账、检查填报、统计评级、计算双A企业。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK = 0
EXIT_ACTION = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as shell tools end under `| head`

_state: dict[str, Any] = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hgcredit {hgcredit.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="显示版本号并退出。"),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="出错时显示完整的技术细节（供开发人员排查）。")
    ] = False,
) -> None:
    """鹤岗市信用分级分类监管月度工作工具。

    示例：hgcredit check sample_data/returns/* --month 2022-11
    """
    _state["debug"] = debug


RegistryOption = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        help="使用自己的登记表（TOML），代替内置的 23 个领域登记表。",
    ),
]


def _known_encoding(value: str | None) -> str | None:
    """Refuse an unknown --encoding at once, even when no csv is given."""
    if value is None:
        return value
    try:
        info = codecs.lookup(value)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        error_line(f"--encoding：未知编码“{value}”；常用的是 utf-8、gb18030（即 GBK）")
        raise typer.Exit(EXIT_INPUT)
    return value


EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="强制按此编码读取 csv/txt 文件，如 gb18030、utf-8（默认自动识别）。",
        callback=_known_encoding,
    ),
]
FilesArgument = Annotated[
    list[Path],
    typer.Argument(
        help="台账或各部门报送的表格（xlsx/xls/ods/csv/txt），可给多个；后给出的文件优先。",
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="在标准输出打印一个 JSON 对象（供程序读取）。")
]


def error_lines(errors: Sequence[Any]) -> list[str]:
    """The terminal block naming every input that could not be used (``.file``, ``.message``)."""
    if not errors:
        return []
    return [
        "",
        f"无法使用的输入（{len(errors)} 处）：",
        *(f"- {e.file}：{e.message}" for e in errors),
    ]


def error_line(message: str) -> None:
    typer.echo(f"错误：{message}", err=True)


@contextmanager
def guarded() -> Iterator[None]:
    """Turn core errors into one Chinese line and an exit code; no traceback."""
    try:
        yield
    except typer.Exit:
        raise
    except HgcreditError as exc:
        if _state["debug"]:
            raise
        error_line(str(exc))
        raise typer.Exit(EXIT_INPUT) from None
    except KeyboardInterrupt:
        typer.echo("已中断，未写入任何不完整的输出。", err=True)
        raise typer.Exit(130) from None
    except BrokenPipeError:
        # The reader of the output went away (`| head`): stop quietly, as shell tools do;
        # stdout goes to /dev/null so that flushing it at exit does not fail again.
        _silence_stdout()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except Exception as exc:
        if _state["debug"]:
            raise
        error_line(
            f"内部错误：{type(exc).__name__}: {exc}（加 --debug 查看详情，并报告给维护人员）"
        )
        raise typer.Exit(EXIT_INTERNAL) from None


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests)
        pass


def get_registry(path: Path | None) -> Registry:
    return load_registry(path)


def emit_json(obj: Any) -> None:
    """One JSON object on stdout, UTF-8, stable key order as built."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def echo(text: str = "") -> None:
    typer.echo(text)


def warn(text: str) -> None:
    typer.echo(text, err=True)


def run(fn: Callable[[], int]) -> None:
    """Run a command body under the error edge and exit with its code."""
    with guarded():
        code = fn()
    raise typer.Exit(code)
