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
    "reconcile": "reconcile_cmd",
    "summary": "summary_cmd",
    "registry": "registry_cmd",
}


def register(names: list[str] | None = None) -> None:
    """Import the modules of these commands (all when None) so they are on ``app``."""
    for name in COMMAND_MODULES if names is None else names:
        importlib.import_module(f"hgcredit.cli.{COMMAND_MODULES[name]}")


def main() -> None:
    """The console script: load the command being run, then let the app parse and exit."""
    from hgcredit.cli.base import app

    first = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
    if first in COMMAND_MODULES:
        register([first])
    elif first is not None or "--version" not in sys.argv:  # help, or an unknown command
        register()
    app(prog_name="hgcredit")  # exits with the command's code; usage errors exit 2


def __getattr__(name: str) -> Any:
    if name == "app":
        from hgcredit.cli.base import app

        register()
        return app
    raise AttributeError(name)


__all__ = ["COMMAND_MODULES", "app", "main", "register"]
