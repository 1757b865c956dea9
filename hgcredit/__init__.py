"""hgcredit: the Hegang credit office's monthly work from a terminal, or from Python.

The public API (see the README section “在 Python 中使用”)::

    import hgcredit
    ledger = hgcredit.read_ledger(files)                  # merge ledgers and returns
    report = hgcredit.check_month(ledger, "2022-11", as_of="2022-11-25")
    ratings = hgcredit.count_ratings(files, "2022-11")    # counts per level and tier
    result = hgcredit.double_a(tax, public, previous)     # double-A enterprises
    month = hgcredit.analyse_month(files, "2022-11", tax=tax, public=public)
    hgcredit.summarise(files, "2022-11", "汇总.xlsx", tax=tax, public=public)
    hgcredit.make_notice("overdue", files, "2022-11", output="通报.docx")
    hgcredit.reconcile(public, lists, previous_public=last_year)  # public evaluation × grades
    hgcredit.run_month("11月附件", "2022-11", "月度工作")     # the whole month, as `month`
    report.to_frame()                                     # pandas, with hgcredit[pandas]

Names are loaded on first use, so that starting the command line stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hgcredit.api import (
        analyse_month,
        check_month,
        count_ratings,
        double_a,
        load_registry,
        read_ledger,
        write_ledger,
    )
    from hgcredit.doublea.compute import DoubleA
    from hgcredit.errors import HgcreditError, Problem
    from hgcredit.ledger.check import CheckReport
    from hgcredit.ledger.model import Ledger
    from hgcredit.month.analyse import MonthAnalysis
    from hgcredit.month.run import run_month
    from hgcredit.notices.make import make_notice
    from hgcredit.ratings.report import RatingsReport
    from hgcredit.reconcile.job import reconcile
    from hgcredit.registry import Registry
    from hgcredit.summary.job import summarise

# Public name -> the module that defines it.
_EXPORTS = {
    "load_registry": "hgcredit.api",
    "read_ledger": "hgcredit.api",
    "write_ledger": "hgcredit.api",
    "check_month": "hgcredit.api",
    "count_ratings": "hgcredit.api",
    "double_a": "hgcredit.api",
    "analyse_month": "hgcredit.api",
    "summarise": "hgcredit.summary.job",
    "make_notice": "hgcredit.notices.make",
    "run_month": "hgcredit.month.run",
    "reconcile": "hgcredit.reconcile.job",
    "Registry": "hgcredit.registry",
    "Ledger": "hgcredit.ledger.model",
    "CheckReport": "hgcredit.ledger.check",
    "RatingsReport": "hgcredit.ratings.report",
    "DoubleA": "hgcredit.doublea.compute",
    "MonthAnalysis": "hgcredit.month.analyse",
    "Problem": "hgcredit.errors",
    "HgcreditError": "hgcredit.errors",
}

__all__ = [
    "CheckReport",
    "DoubleA",
    "HgcreditError",
    "Ledger",
    "MonthAnalysis",
    "Problem",
    "RatingsReport",
    "Registry",
    "__version__",
    "analyse_month",
    "check_month",
    "count_ratings",
    "double_a",
    "load_registry",
    "make_notice",
    "read_ledger",
    "reconcile",
    "run_month",
    "summarise",
    "write_ledger",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        # Looked up on first use only: importlib.metadata costs ~30 ms at every CLI start.
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("hgcredit")
        except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
            return "0.0.0"
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'hgcredit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
