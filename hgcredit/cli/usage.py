"""Command-line mistakes as one Chinese line. Imported only when a command line cannot be used.

Click's usage errors are told apart by their class and read through their attributes (the
parameter, the option name, Click's own suggestions), never through their English text.
When the command line asks for ``--json``, stdout gets the one JSON error object too
(``{"exit_code": 2, "errors": [{"kind": "usage", "message": …}]}``), as for every failure.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Sequence
from typing import IO, Any

import typer

from hgcredit.cli.base import EXIT_INPUT
from hgcredit.cli.helptext import metavar

# The Click that Typer runs on (see ``base.UsageError``).
_click = importlib.import_module(typer.BadParameter.__module__)
MissingParameter: type[Exception] = _click.MissingParameter
NoSuchOption: type[Exception] = _click.NoSuchOption
BadOptionUsage: type[Exception] = _click.BadOptionUsage
BadParameter: type[Exception] = _click.BadParameter


class CommandLineError(typer.BadParameter):
    """A command line that cannot be used: one Chinese line on stderr and exit code 2 (and
    with ``--json`` on the command line, the JSON error object on stdout)."""

    exit_code = EXIT_INPUT
    as_json = False

    def format_message(self) -> str:
        return self.message

    def show(self, file: IO[Any] | None = None) -> None:
        typer.echo(f"错误：{self.message}", file=file, err=True)
        if self.as_json:
            from hgcredit.cli.base import emit_failure_json
            from hgcredit.errors import Problem

            emit_failure_json([Problem("", self.message, kind="usage")], self.exit_code)


def _json(error: CommandLineError, args: Sequence[str]) -> CommandLineError:
    """``error``, showing the JSON error object too when ``args`` ask for ``--json``."""
    error.as_json = "--json" in args
    return error


def _hint(ctx: Any) -> str:
    return f"；运行 {ctx.command_path} --help 查看用法"


def _names(param: Any) -> str:
    """How the help page names a parameter: ``-o/--output``, or an argument's metavar."""
    if param.param_type_name == "argument":
        return metavar(param)
    return "/".join(sorted(param.opts, key=lambda o: (o.startswith("--"), o)))


def _value_given(command: Any, ctx: Any, args: list[str], param: Any) -> str | None:
    """The value on the command line that ``param`` could not take, read again as Click reads it."""
    try:
        opts, _, _ = command.make_parser(ctx).parse_args(args=list(args))
    except Exception:
        return None
    value = opts.get(param.name)
    values = value if isinstance(value, (list, tuple)) else [value]
    for one in values:
        try:
            param.type.convert(one, param, ctx)
        except Exception:
            return str(one)
    return None


def _expected(param: Any) -> str | None:
    """What a typed value must look like, by the kind of the parameter's type."""
    kind = getattr(param.type, "name", "")
    if kind in ("integer", "int"):
        return "整数"
    if kind == "float":
        return "数字"
    if kind in ("boolean", "bool"):
        return "是或否（true/false）"
    if kind == "choice":
        return "以下之一：" + "、".join(str(getattr(c, "value", c)) for c in param.type.choices)
    if kind == "datetime":
        return "日期，如 2022-11-21"
    return None


def usage_error(exc: Exception, command: Any, ctx: Any, args: list[str]) -> CommandLineError:
    """Click's usage error ``exc`` (raised while ``command`` read ``args``) in Chinese."""
    return _json(_usage_error(exc, command, ctx, args), args)


def _usage_error(exc: Exception, command: Any, ctx: Any, args: list[str]) -> CommandLineError:
    if isinstance(exc, CommandLineError):
        return exc
    hint = _hint(ctx)
    param = getattr(exc, "param", None)
    if isinstance(exc, MissingParameter) and param is not None:
        if param.param_type_name == "argument":
            name = _names(param)
            what = f"要处理的{name}" if name in ("文件", "文件夹") else f"参数 {name}"
            return CommandLineError(f"缺少{what}{hint}", ctx=ctx)
        return CommandLineError(f"缺少必填的选项 {_names(param)}{hint}", ctx=ctx)
    if isinstance(exc, NoSuchOption):
        near = sorted(getattr(exc, "possibilities", None) or [])
        maybe = f"（是不是 {'、'.join(near)}？）" if near else ""
        name = getattr(exc, "option_name", "")
        return CommandLineError(f"没有选项 {name}{maybe}{hint}", ctx=ctx)
    if isinstance(exc, BadOptionUsage):
        name = getattr(exc, "option_name", "")
        flag = any(
            name in (*p.opts, *p.secondary_opts) and getattr(p, "is_flag", False)
            for p in command.get_params(ctx)
        )
        problem = "后面不能带值" if flag else "后面缺少值"
        return CommandLineError(f"选项 {name} {problem}{hint}", ctx=ctx)
    if isinstance(exc, BadParameter) and param is not None:
        value = _value_given(command, ctx, args, param)
        given = f"“{value}”" if value is not None else ""
        expected = _expected(param)
        # A type says what it expects; otherwise the words are a callback's own (ours are Chinese).
        why = f"应为{expected}" if expected else getattr(exc, "message", "")
        return CommandLineError(f"{_names(param)} 的值{given}不能用：{why}{hint}", ctx=ctx)
    return CommandLineError(f"命令行用法有误{hint}", ctx=ctx)


def extra_arguments(ctx: Any, words: Sequence[str], args: Sequence[str] = ()) -> CommandLineError:
    return _json(CommandLineError(f"多余的参数：{' '.join(words)}{_hint(ctx)}", ctx=ctx), args)


def unknown_command(
    ctx: Any, name: str, known: Sequence[str], args: Sequence[str] = ()
) -> CommandLineError:
    near = difflib.get_close_matches(name, known)
    maybe = f"（是不是 {'、'.join(near)}？）" if near else ""
    message = f"没有这个命令：“{name}”{maybe}；可用的命令：{'、'.join(known)}"
    return _json(CommandLineError(message, ctx=ctx), args)


def missing_command(ctx: Any, known: Sequence[str]) -> CommandLineError:
    return CommandLineError(f"没有给出要运行的命令；可用的命令：{'、'.join(known)}", ctx=ctx)
