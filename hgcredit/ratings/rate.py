"""A month's rating counts from files: :func:`rate_files` tells work ledgers from entity
lists, reads each file once, and reconciles every domain (:func:`~hgcredit.ratings.report.rate_month`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from hgcredit.errors import HgcreditError, Problem
from hgcredit.ledger.read import load_ledger
from hgcredit.months import parse_month
from hgcredit.ratings.lists import classify, count_lists
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
    errors: list[Problem] = []
    ledger_paths: list[Path] = []
    lists: list[ListCount] = []
    unique: dict[Path, Path] = {}  # the same file named twice would count its list twice
    for path in map(Path, paths):
        unique.setdefault(path.resolve(), path)
    for path in unique.values():
        try:
            kind, found = classify(path, reg, encoding=encoding)
            if kind == "ledger":
                ledger_paths.append(path)
            else:
                lists += count_lists(found, reg)
        except HgcreditError as exc:
            errors.append(Problem.of(exc, path))
    ledger = None
    if ledger_paths:
        ledger = load_ledger(ledger_paths, reg, encoding=encoding)
        errors += ledger.errors
        if ledger.months and wanted not in ledger.months:
            errors.append(
                Problem(
                    "、".join(map(str, ledger_paths)),
                    f"台账中没有 {wanted} 这个月的一列（有：{'、'.join(ledger.months)}）；"
                    "请检查 --month",
                    kind="month",
                )
            )
        if wanted not in ledger.months:
            ledger = None  # nothing usable for this month: report only the lists
    return rate_month(reg, wanted, ledger=ledger, lists=lists, errors=errors)
