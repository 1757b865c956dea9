"""The Typer application and what every command shares: options, error edge, output.

Help pages and command-line usage errors are Chinese through Typer's own extension points:
the app and every command are built with our classes (``cls=``), which lay out the help page
themselves (``helptext``, imported only for help) and turn Click's usage errors, told apart
by their class, into one Chinese line (``usage``, imported only for such a mistake). Nothing
in Typer, Click or rich is patched, no English message text is read, rich is never imported.
"""

from __future__ import annotations

import codecs
import importlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn, cast

import typer
from typer.core import TyperCommand, TyperGroup

import hgcredit
from hgcredit.errors import HgcreditError, InputErrors, OptionError, OutputError, Problem
from hgcredit.registry import Registry, load_registry
from hgcredit.text import strip_controls

EXIT_OK = 0
EXIT_ACTION = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as shell tools end under `| head`

HELP_OPTION_TEXT = "显示本帮助并退出。"

# Click's usage errors are caught by their base class, then told apart in ``usage``. Typer runs
# on its own copy of Click since 0.26 (on the click package before); typer.BadParameter is that
# Click's class re-exported, so its module is the one whose exceptions Typer raises.
UsageError: type[Exception] = importlib.import_module(typer.BadParameter.__module__).UsageError
_get_current_context = importlib.import_module(
    typer.BadParameter.__module__.rsplit(".", 1)[0] + ".globals"
).get_current_context


def _chinese_help_option(option: Any) -> Any:
    if option is not None:
        option.help = HELP_OPTION_TEXT
    return option


class HgcreditCommand(TyperCommand):
    """A command with a Chinese help page and Chinese usage errors."""

    allow_extra_args = True  # words nobody takes are refused below, in Chinese

    def get_help_option(self, ctx: Any) -> Any:
        return _chinese_help_option(super().get_help_option(ctx))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        from hgcredit.cli.helptext import usage

        formatter.write(usage(self, ctx) + "\n")

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from hgcredit.cli.helptext import render

        formatter.write(render(self, ctx, formatter.width))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        given = list(args)  # Click consumes the list it parses
        try:
            rest = super().parse_args(ctx, args)
        except UsageError as exc:
            from hgcredit.cli.usage import usage_error

            raise usage_error(exc, self, ctx, given) from None
        if rest and not ctx.resilient_parsing:
            from hgcredit.cli.usage import extra_arguments

            raise extra_arguments(ctx, rest, given)
        return rest


class HgcreditGroup(TyperGroup):
    """The ``hgcredit`` group: Chinese help listing the commands, Chinese usage errors."""

    def get_help_option(self, ctx: Any) -> Any:
        return _chinese_help_option(super().get_help_option(ctx))

    def list_commands(self, ctx: Any) -> list[str]:
        """In the order of the month's work, whatever order their modules were imported in."""
        from hgcredit.cli import COMMAND_MODULES

        order = list(COMMAND_MODULES)
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: order.index(n) if n in order else len(order))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        from hgcredit.cli.helptext import usage

        formatter.write(usage(self, ctx, is_group=True) + "\n")

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from hgcredit.cli.helptext import render

        commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        formatter.write(render(self, ctx, formatter.width, [c for c in commands if c[1]]))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            typer.echo(ctx.get_help())  # a bare `hgcredit` asks for help: stdout, exit 0
            ctx.exit(EXIT_OK)
        given = list(args)
        try:
            return super().parse_args(ctx, args)
        except UsageError as exc:
            from hgcredit.cli.usage import usage_error

            raise usage_error(exc, self, ctx, given) from None

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if ctx.token_normalize_func is not None:
            name = ctx.token_normalize_func(name)
        if (
            args
            and not name.startswith("-")
            and not ctx.resilient_parsing
            and self.get_command(ctx, name) is None
        ):
            from hgcredit.cli.usage import unknown_command

            raise unknown_command(ctx, args[0], self.list_commands(ctx), args)
        return super().resolve_command(ctx, args)


class _Typer(typer.Typer):
    """A Typer app whose commands are built as :class:`HgcreditCommand` unless told otherwise."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("cls") is None:
            kwargs["cls"] = HgcreditCommand
        return super().command(*args, **kwargs)


app = _Typer(
    name="hgcredit",
    cls=HgcreditGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # usage errors are shown by CommandLineError.show, never by rich
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state: dict[str, Any] = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hgcredit {hgcredit.__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _main(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="显示版本号并退出。"),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="出错时显示完整的技术细节（供开发人员排查）。")
    ] = False,
) -> None:
    """鹤岗市信用分级分类监管月度工作工具：导入台账、检查填报、统计评级、计算双A企业、对照公共信用评价、生成通报和汇总。

    一条命令办完一个月：把本月附件存进一个文件夹，运行 hgcredit month。
    每个命令的用法和示例：hgcredit 命令 --help
    示例：hgcredit month 11月附件 --month 2022-11 -o 月度工作
    """
    _state["debug"] = debug
    if ctx.invoked_subcommand is None:  # options but no command, as in `hgcredit --debug`
        from hgcredit.cli.usage import missing_command

        raise missing_command(ctx, cast(HgcreditGroup, ctx.command).list_commands(ctx))


RegistryOption = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        help="使用自己的登记表（TOML），代替内置的登记表。",
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
        from hgcredit.cli.usage import CommandLineError

        raise CommandLineError(f"--encoding：未知编码“{value}”；常用的是 utf-8、gb18030（即 GBK）")
    return value


EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        metavar="编码",
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


def error_line(message: str) -> None:
    typer.echo(f"错误：{terminal_text(message)}", err=True)


def report_problems(problems: Sequence[Problem]) -> None:
    """Every input (or place in one) that could not be used: one line each on stderr,
    ``错误：file：message``, whatever the command and whether or not ``--json`` is given."""
    for problem in problems:
        error_line(str(problem))


def emit_failure_json(problems: Sequence[Problem], code: int) -> None:
    """The one JSON object a failing command prints on stdout with ``--json``."""
    emit_json({"exit_code": code, "errors": [p.to_json() for p in problems]})


def json_requested() -> bool:
    """Whether the running command was given ``--json`` (its ``as_json`` parameter)."""
    ctx = _get_current_context(silent=True)
    while ctx is not None:
        if ctx.params.get("as_json"):
            return True
        ctx = ctx.parent
    return False


def _fail(problems: Sequence[Problem], code: int) -> NoReturn:
    report_problems(problems)
    if json_requested():
        emit_failure_json(problems, code)
    raise typer.Exit(code)


def problems_of(exc: HgcreditError) -> list[Problem]:
    """The problems an error describes, tagged by kind: ``option``, ``output`` or ``file``."""
    if isinstance(exc, InputErrors):
        return [p for e in exc.errors for p in problems_of(e)]
    listed = getattr(exc, "problems", None)  # an error that carries the inputs it is about
    if isinstance(listed, list) and all(isinstance(p, Problem) for p in listed):
        return [*listed, Problem(exc.file or "", exc.message, kind="file")]
    kind = (
        "option"
        if isinstance(exc, OptionError)
        else "output"
        if isinstance(exc, OutputError)
        else "file"
    )
    return [Problem(exc.file or "", exc.message, kind=kind)]


@contextmanager
def guarded() -> Iterator[None]:
    """Turn core errors into one Chinese line each on stderr and an exit code, and with
    ``--json`` the JSON error object on stdout; no traceback unless --debug asks for it."""
    try:
        yield
    except typer.Exit:
        raise
    except HgcreditError as exc:
        if _state["debug"]:
            _print_traceback()
        _fail(problems_of(exc), EXIT_INPUT)
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
            _print_traceback()
        hint = "请把以上技术细节" if _state["debug"] else "加 --debug 查看详情，并"
        message = f"内部错误：{type(exc).__name__}: {exc}（{hint}报告给维护人员）"
        _fail([Problem("", message, kind="internal")], EXIT_INTERNAL)


def _print_traceback() -> None:
    """--debug: the technical details on stderr; the exit code still says what happened."""
    import traceback

    traceback.print_exc(file=sys.stderr)


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


def terminal_text(text: str) -> str:
    """Text safe to print: no control character but tab and newline, so nothing in an
    input (an ESC sequence in a ledger cell) can reach the terminal as a command."""
    return strip_controls(text)


def echo(text: str = "") -> None:
    typer.echo(terminal_text(text))


def warn(text: str) -> None:
    typer.echo(terminal_text(text), err=True)


def run(fn: Callable[[], int]) -> None:
    """Run a command body under the error edge and exit with its code."""
    with guarded():
        code = fn()
    raise typer.Exit(code)
