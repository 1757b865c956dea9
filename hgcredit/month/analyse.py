"""One month analysed once: ledgers merged and checked, ratings counted, double-A computed.

:func:`analyse_month` reads each input once for what it is (a work ledger or an entity
list, told apart by its headers), so a notice, the summary workbook and the one-command
month all say the same thing about the same files.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hgcredit.errors import HgcreditError, InputErrors, Problem
from hgcredit.ledger.check import CheckReport, check_month
from hgcredit.ledger.model import Ledger
from hgcredit.ledger.read import load_ledger
from hgcredit.months import parse_month
from hgcredit.ratings.rate import SortedInputs, rate_ledger, sort_inputs
from hgcredit.ratings.report import RatingsReport
from hgcredit.registry import Registry, load_registry

if TYPE_CHECKING:
    from hgcredit.doublea.compute import DoubleA


@dataclass
class MonthAnalysis:
    """Everything known about one month: the merged ledger, its check, the ratings and
    (when both lists were given) the double-A result."""

    month: str
    as_of: dt.date
    registry: Registry
    ledger: Ledger
    check: CheckReport
    ratings: RatingsReport
    double_a: DoubleA | None = None
    errors: list[Problem] = field(default_factory=list)  # inputs that could not be used
    # Seconds per stage (ledger, check, ratings …), for HGCREDIT_TIMINGS; never in to_json().
    timings: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        """Each part exactly as its own command's ``--json`` prints it."""
        return {
            "month": self.month,
            "as_of": self.as_of.isoformat(),
            "check": self.check.to_json(),
            "ratings": self.ratings.to_json(),
            "double_a": self.double_a.to_json() if self.double_a is not None else None,
            "errors": [e.to_json() for e in self.errors],
        }


def analyse_month(
    paths: Iterable[str | Path],
    month: str,
    *,
    as_of: dt.date | None = None,
    registry: Registry | None = None,
    encoding: str | None = None,
    tax: str | Path | None = None,
    public: str | Path | None = None,
    previous: str | Path | None = None,
    default_year: int | None = None,
) -> MonthAnalysis:
    """Analyse ``month`` (``2022-11``, ``2022/11``, ``2022年11月``) from ledgers, returns and
    rating lists in any mix and order (later files win, as in ``import``), as of ``as_of``
    (today when None). Double-A is computed when both ``tax`` and ``public`` are given.

    Inputs that cannot be used are in ``errors`` (and in each report's own ``errors``); an
    unusable tax, public or previous list is in ``errors`` too, and ``double_a`` is None.
    """
    reg = registry if registry is not None else load_registry()
    started = time.perf_counter()
    inputs = sort_inputs(paths, reg, encoding=encoding)
    sorted_at = time.perf_counter()
    result = None
    list_errors: list[Problem] = []
    if tax is not None and public is not None:
        from hgcredit.doublea.job import double_a

        try:
            result = double_a(tax, public, previous, registry=reg, encoding=encoding)
        except InputErrors as exc:
            list_errors = [Problem.of(e) for e in exc.errors]
        except HgcreditError as exc:
            list_errors = [Problem.of(exc, tax)]
    analysis = analyse_inputs(
        inputs, month, as_of=as_of, registry=reg, encoding=encoding,
        default_year=default_year, double_a=result, errors=list_errors,
    )  # fmt: skip
    analysis.timings.update(sort=sorted_at - started, double_a=time.perf_counter() - sorted_at)
    return analysis


def analyse_inputs(
    inputs: SortedInputs,
    month: str,
    *,
    as_of: dt.date | None = None,
    registry: Registry | None = None,
    encoding: str | None = None,
    default_year: int | None = None,
    double_a: DoubleA | None = None,
    errors: Iterable[Problem] = (),
) -> MonthAnalysis:
    """The analysis of inputs already told apart (:func:`~hgcredit.ratings.rate.sort_inputs`,
    or the month's placement of a folder, :mod:`hgcredit.month.inputs`): the ledgers are
    merged in the order given and checked, the counted lists reconciled with them, and
    ``double_a`` (computed by the caller, or None) kept with them.

    ``inputs.errors`` are reported as :func:`analyse_month` reports them (in the check and
    the ratings too, as those commands would); ``errors`` are further problems (an unusable
    double-A list, a file that could not be placed) that belong to no command's report and
    are only in the analysis' own ``errors``.
    """
    reg = registry if registry is not None else load_registry()
    wanted = parse_month(month)
    day = as_of if as_of is not None else dt.date.today()
    started = time.perf_counter()
    ledger = load_ledger(
        inputs.ledgers,
        reg,
        encoding=encoding,
        default_year=default_year,
        reference_month=wanted,
    )
    loaded = time.perf_counter()
    check = check_month(ledger, wanted, day)
    check.errors = [*inputs.errors, *check.errors]
    checked = time.perf_counter()
    ratings = rate_ledger(reg, wanted, ledger, inputs.lists, inputs.errors)
    rated = time.perf_counter()
    found = _unique([*inputs.errors, *ledger.errors, *errors])
    analysis = MonthAnalysis(wanted, day, reg, ledger, check, ratings, double_a, found)
    analysis.timings.update(
        ledger=loaded - started, check=checked - loaded, ratings=rated - checked
    )
    return analysis


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    out = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out
