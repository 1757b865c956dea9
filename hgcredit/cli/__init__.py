"""Command-line interface: one thin Typer command per job over the core modules.

Each command lives in its own module, which registers it on ``app`` when imported. The
console script imports only the module of the command being run (every one for help or an
unknown name), so starting ``hgcredit double-a`` does not pay for the ledger and ratings
code. ``from hgcredit.cli import app`` gives the app with every command registered.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

# Command name -> module, in the order of the month's work (the order help lists them).
COMMAND_MODULES = {
    "import": "import_cmd",
    "check": "check_cmd",
    "ratings": "ratings_cmd",
    "double-a": "doublea_cmd",
    "registry": "registry_cmd",
}


def register(names: list[str] | None = None) -> None:
    """Import the modules of these commands (all when None) so they are on ``app``."""
    for name in COMMAND_MODULES if names is None else names:
        importlib.import_module(f"hgcredit.cli.{COMMAND_MODULES[name]}")


def main() -> None:
    from hgcredit.cli.base import EXIT_INPUT, app, error_line

    first = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
    register([first] if first in COMMAND_MODULES else None)
    try:
        code = app(standalone_mode=False)
    except Exception as exc:
        message = usage_message(exc)
        if message is None:
            raise
        if message:  # "" when help was shown for a bare `hgcredit`
            error_line(message)
        sys.exit(EXIT_INPUT if message else 0)
    sys.exit(code if isinstance(code, int) else 0)


def usage_message(exc: BaseException) -> str | None:
    """A command-line usage error (missing or unknown option, bad value) as one Chinese line.

    Matched by class name, so it works whether Typer uses Click or its own copy of it.
    """
    kinds = {cls.__name__ for cls in type(exc).__mro__}
    if "UsageError" not in kinds:
        return None
    if "NoArgsIsHelpError" in kinds:
        return ""
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", "hgcredit") or "hgcredit"
    hint = f"；运行 {path} --help 查看用法"
    param = getattr(exc, "param", None)
    opts = "/".join(getattr(param, "opts", None) or []) or str(getattr(exc, "param_hint", "") or "")
    if "MissingParameter" in kinds:
        if getattr(param, "param_type_name", "") == "argument":
            return f"缺少要处理的文件{hint}"
        return f"缺少必填的选项 {opts}{hint}"
    if "NoSuchOption" in kinds:
        near = sorted(getattr(exc, "possibilities", None) or [])
        maybe = f"（是不是 {'、'.join(near)}？）" if near else ""
        return f"没有选项 {getattr(exc, 'option_name', '')}{maybe}{hint}"
    if "BadParameter" in kinds:
        return f"{opts} 的值不能用：{getattr(exc, 'message', exc)}{hint}"
    text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    if text.startswith("No such command"):
        return f"没有这个命令：{text.split(' ', 3)[-1].strip('.')}；可用的命令：{'、'.join(COMMAND_MODULES)}"
    return f"{text}{hint}"


def __getattr__(name: str) -> Any:
    if name == "app":
        from hgcredit.cli.base import app

        register()
        return app
    raise AttributeError(name)


__all__ = ["COMMAND_MODULES", "app", "main", "register", "usage_message"]
