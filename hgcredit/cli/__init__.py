"""Command-line interface: one thin Typer command per job over the core modules.

Each command lives in its own module, which registers it on ``app`` when imported. The
console script imports only the module of the command being run (every one for help or an
unknown name), so starting ``hgcredit double-a`` does not pay for the ledger and ratings
code. ``from hgcredit.cli import app`` gives the app with every command registered.
"""

from __future__ import annotations

import os  # loaded by the interpreter itself: binding it costs nothing
import sys

# Nothing else is imported before main() has installed the Ctrl-C handler (typing alone
# costs 2 ms of every start); the rest comes inside the functions.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

# Command name -> module, in the order of the month's work (the order help lists them).
COMMAND_MODULES = {
    "month": "month_cmd",
    "import": "import_cmd",
    "check": "check_cmd",
    "ratings": "ratings_cmd",
    "double-a": "doublea_cmd",
    "reconcile": "reconcile_cmd",
    "notice": "notice_cmd",
    "summary": "summary_cmd",
    "registry": "registry_cmd",
}


def register(names: list[str] | None = None) -> None:
    """Import the modules of these commands (all when None) so they are on ``app``."""
    import importlib

    for name in COMMAND_MODULES if names is None else names:
        importlib.import_module(f"hgcredit.cli.{COMMAND_MODULES[name]}")


INTERRUPTED = 130  # 128 + SIGINT, as shell tools end on Ctrl-C


def main() -> None:
    """The console script: load the command being run, then let the app parse and exit.

    Ctrl-C at any moment, even while the modules are still being imported, ends the run at
    once with one Chinese line and exit code 130: never a Python traceback, never a hang
    (worker threads reading files cannot hold it up). The SIGINT handler is the first thing
    installed; it removes the temporary output files being written, and the outputs
    themselves are only ever replaced whole (``io.outputs.atomic_path``).
    """
    import signal

    signal.signal(signal.SIGINT, _interrupted)
    from hgcredit.cli.base import app

    first = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
    if first in COMMAND_MODULES:
        register([first])
    elif first is not None or "--version" not in sys.argv:  # help, or an unknown command
        register()
    app(prog_name="hgcredit")  # exits with the command's code; usage errors exit 2


def _interrupted(signum: int, frame: object) -> NoReturn:
    """Stop now: remove our temporary outputs, say so, exit 130 (no cleanup of Python's:
    a thread or an import in progress could otherwise keep the process alive)."""
    # Nothing is imported in a handler; the module may be half-imported when the signal comes.
    discard = getattr(sys.modules.get("hgcredit.io.outputs"), "discard_temporaries", None)
    if discard is not None:
        try:  # noqa: SIM105 - a handler that raises would print a traceback
            discard()
        except Exception:
            pass
    try:  # noqa: SIM105 - no contextlib import inside a signal handler
        os.write(2, "\n已中断，没有写出不完整的文件。\n".encode())
    except OSError:
        pass
    os._exit(INTERRUPTED)


def __getattr__(name: str) -> Any:
    if name == "app":
        from hgcredit.cli.base import app

        register()
        return app
    raise AttributeError(name)


__all__ = ["COMMAND_MODULES", "app", "main", "register"]
