"""The Python API: the month's work as functions, for scripts and notebooks.

Everything the commands do is here, without a terminal: each function returns a report
with ``to_json()`` (what the command's ``--json`` prints) and ``to_frame()`` (a pandas
DataFrame, with the optional ``pandas`` extra). Problems with single inputs are in each
report's ``errors`` (:class:`~hgcredit.errors.Problem`); an input that makes the whole
job impossible raises an :class:`~hgcredit.errors.HgcreditError` with a Chinese message.

>>> import hgcredit
>>> reg = hgcredit.load_registry()
>>> len(reg.domains), reg.deadline_day
(23, 20)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from hgcredit.doublea.job import double_a
from hgcredit.ledger.check import CheckReport
from hgcredit.ledger.check import check_month as _check_month
from hgcredit.ledger.model import Ledger
from hgcredit.ledger.read import load_ledger
from hgcredit.ledger.write import write_ledger
from hgcredit.month.analyse import MonthAnalysis, analyse_month
from hgcredit.months import parse_date, parse_month
from hgcredit.ratings.rate import rate_files
from hgcredit.ratings.report import RatingsReport
from hgcredit.registry import Registry, load_registry

__all__ = [
    "MonthAnalysis",
    "analyse_month",
    "check_month",
    "count_ratings",
    "double_a",
    "load_registry",
    "read_ledger",
    "write_ledger",
]


def read_ledger(
    paths: Iterable[str | Path],
    *,
    registry: Registry | None = None,
    encoding: str | None = None,
    year: int | None = None,
) -> Ledger:
    """Read and merge ledgers and department returns, in order (a later file wins), as
    ``hgcredit import`` does. Files that cannot be used are in ``ledger.errors``;
    conflicts in ``ledger.conflicts``. ``year`` dates month headers written as ``11月``
    when no other header or title gives the year."""
    reg = registry if registry is not None else load_registry()
    return load_ledger(list(paths), reg, encoding=encoding, default_year=year)


def check_month(
    ledger: Ledger | Iterable[str | Path],
    month: str,
    as_of: dt.date | str | None = None,
    *,
    registry: Registry | None = None,
    encoding: str | None = None,
) -> CheckReport:
    """Where every domain stands for ``month`` (``2022-11``, ``2022/11``, ``2022年11月``)
    as of ``as_of`` (a date or ``YYYY-MM-DD``; today when None), as ``hgcredit check``
    says. ``ledger`` is a merged :class:`Ledger` or the files to merge."""
    if not isinstance(ledger, Ledger):
        ledger = read_ledger(ledger, registry=registry, encoding=encoding)
    day = parse_date(as_of) if isinstance(as_of, str) else as_of or dt.date.today()
    return _check_month(ledger, parse_month(month), day)


def count_ratings(
    paths: Iterable[str | Path],
    month: str,
    *,
    registry: Registry | None = None,
    encoding: str | None = None,
) -> RatingsReport:
    """Every domain's counts per rating level for ``month`` from ledgers and entity lists
    in any mix, reconciled with the stated totals and mapped onto the unified tiers, as
    ``hgcredit ratings`` does."""
    return rate_files(paths, month, registry, encoding=encoding)
