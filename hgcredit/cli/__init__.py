"""Command-line interface: one thin Typer command per job over the core modules."""

from hgcredit.cli.app import app

# Each module registers its command on `app` when imported, in the order of the month's work.
from hgcredit.cli import import_cmd  # noqa: F401  isort: skip
from hgcredit.cli import check_cmd  # noqa: F401  isort: skip
from hgcredit.cli import ratings_cmd  # noqa: F401  isort: skip
from hgcredit.cli import doublea_cmd  # noqa: F401  isort: skip
from hgcredit.cli import registry_cmd  # noqa: F401  isort: skip


def main() -> None:
    app()


__all__ = ["app", "main"]
