"""A month's rating counts from files: :func:`rate_files` tells work ledgers from entity
lists, reads each file once, and reconciles every domain (:func:`~hgcredit.ratings.report.rate_month`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hgcredit.errors import HgcreditError, Problem
from hgcredit.io.outputs import path_key
from hgcredit.ledger.model import Ledger
from hgcredit.ledger.read import load_ledger
from hgcredit.months import parse_month
from hgcredit.ratings.lists import classify, count_list, ungraded
from hgcredit.ratings.report import ListCount, RatingsReport, rate_month
from hgcredit.registry import Registry, load_registry


def rate_files(
    paths: Iterable[str | Path],
    month: str,
    registry: Registry | None = None,
    *,
    encoding: str | None = None,
) -> RatingsReport:
    """Every domain's counts for ``month`` (``2022-10``, ``2022/10``, ``2022年10月``) from
    work ledgers and entity lists given in any mix, told apart by their headers.

    A file named twice is read once. A file that cannot be used, and the month missing
    from the ledgers, become :class:`~hgcredit.errors.Problem` entries in the report's
    ``errors``; the other files are still counted. A ``--month`` that is no month raises
    :class:`~hgcredit.errors.OptionError`.

    >>> data = Path(__file__).parents[2] / "sample_data"
    >>> report = rate_files([data / "lists"], "2022-11")
    >>> [(e.kind, "文件夹" in e.message) for e in report.errors]
    [('file', True)]
    >>> report = rate_files(sorted((data / "lists").iterdir()), "2022-11")
    >>> [(d.domain.domain, list(d.counts)) for d in report.domains]
    [('企业环境', ['绿', '蓝', '黄', '红'])]
    """
    reg = registry if registry is not None else load_registry()
    wanted = parse_month(month)
    inputs = sort_inputs(paths, reg, encoding=encoding)
    ledger = None
    if inputs.ledgers:
        # Dated as check and month date them: a header `12月` takes its year from --month.
        ledger = load_ledger(inputs.ledgers, reg, encoding=encoding, reference_month=wanted)
    return rate_ledger(reg, wanted, ledger, inputs.lists, inputs.errors)


@dataclass
class SortedInputs:
    """Files told apart by their headers: work ledgers (paths, read later with
    :func:`~hgcredit.ledger.read.load_ledger`) and entity lists (already counted)."""

    ledgers: list[Path] = field(default_factory=list)
    lists: list[ListCount] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)


def sort_inputs(
    paths: Iterable[str | Path], registry: Registry, *, encoding: str | None = None
) -> SortedInputs:
    """Tell work ledgers from entity lists; a file named twice is taken once (its list
    would otherwise count twice); a file that is neither, or a list sheet that cannot be
    counted (its domain cannot be told), becomes a problem and the rest is still used."""
    found = SortedInputs()
    unique: dict[str, Path] = {}
    for path in map(Path, paths):
        unique.setdefault(path_key(path), path)
    for path in unique.values():
        try:
            kind, lists = classify(path, registry, encoding=encoding)
        except HgcreditError as exc:
            found.errors.append(Problem.of(exc, path))
            continue
        if kind == "ledger":
            found.ledgers.append(path)
            continue
        for lst in lists:
            where = f"[{lst.sheet}] " if lst.sheet else ""
            try:
                counts = count_list(lst, registry)
            except HgcreditError as exc:
                found.errors.append(
                    Problem(str(path), f"{where}{exc.message}", sheet=lst.sheet or None)
                )
                continue
            for count in counts:
                why = ungraded(count)
                if why is None:
                    found.lists.append(count)
                else:
                    found.errors.append(
                        Problem(str(path), f"{where}{why}", sheet=lst.sheet or None)
                    )
    return found


def rate_ledger(
    registry: Registry,
    month: str,
    ledger: Ledger | None,
    lists: Iterable[ListCount] = (),
    errors: Iterable[Problem] = (),
) -> RatingsReport:
    """Every domain's counts for ``month`` (``YYYY-MM``) from a merged ledger (its
    problems are reported too) and counted lists. A ledger without that month's column
    is a problem, and only the lists are counted."""
    problems = list(errors)
    if ledger is not None:
        problems += ledger.errors
        if ledger.months and month not in ledger.months:
            # One problem per file, each naming its file and the months it has.
            problems += [
                Problem(
                    file,
                    f"台账中没有 {month} 这个月的一列"
                    f"（有：{'、'.join(ledger.file_months.get(file) or ledger.months)}）；"
                    "请检查 --month",
                    kind="month",
                )
                for file in ledger.files
            ]
        if month not in ledger.months:
            ledger = None  # nothing usable for this month: report only the lists
    return rate_month(registry, month, ledger=ledger, lists=list(lists), errors=problems)
