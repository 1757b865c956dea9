"""The summary job from files: analyse the month once and write the workbook.

:func:`summarise` is what ``hgcredit summary`` runs and what a script calls. Inputs that
cannot be used are reported, never fatal, while something is left to summarise: an
unusable tax or public list leaves the double-A sheets out and the rest is still written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hgcredit.errors import OptionError, Problem
from hgcredit.month.analyse import MonthAnalysis, analyse_month
from hgcredit.registry import Registry

EXIT_OK, EXIT_ACTION, EXIT_INPUT = 0, 1, 2


@dataclass
class Summary:
    """What :func:`summarise` did: the analysis, the workbook written (None when there was
    nothing usable to summarise), its sheets, and every input with its role and sha256."""

    analysis: MonthAnalysis
    output: str | None
    sheets: list[str] = field(default_factory=list)
    inputs: list[dict[str, str]] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Every input that could not be used, once."""
        from hgcredit.summary.sheets import all_errors

        return all_errors(self.analysis)

    @property
    def needs_action(self) -> list[str]:
        """What the clerk must act on: overdue units, counts that do not add up, problems
        that could change the double-A list (Chinese, one line each)."""
        a = self.analysis
        out = []
        if a.check.overdue:
            out.append(f"逾期未报 {len(a.check.overdue)} 个领域")
        if a.ratings.inconsistent:
            out.append(f"评级数字对不上 {len(a.ratings.inconsistent)} 个领域")
        if a.double_a is not None and a.double_a.needs_attention:
            out.append(f"双A名单中有 {a.double_a.needs_attention} 处问题可能影响结果")
        return out

    @property
    def exit_code(self) -> int:
        """2 when an input could not be used, else 1 when something needs action, else 0."""
        if self.errors or self.output is None:
            return EXIT_INPUT
        return EXIT_ACTION if self.needs_action else EXIT_OK

    def to_json(self) -> dict[str, Any]:
        """What ``hgcredit summary --json`` prints."""
        return {
            "output": self.output,
            "sheets": self.sheets,
            "inputs": self.inputs,
            "needs_action": self.needs_action,
            "analysis": self.analysis.to_json(),
            "errors": [e.to_json() for e in self.errors],
            "exit_code": self.exit_code,
        }


def summarise(
    paths: Sequence[str | Path],
    month: str,
    target: str | Path,
    *,
    as_of: dt.date | None = None,
    registry: Registry | None = None,
    encoding: str | None = None,
    tax: str | Path | None = None,
    public: str | Path | None = None,
    previous: str | Path | None = None,
    version: str | None = None,
) -> Summary:
    """Analyse ``month`` from ``paths`` (ledgers, returns, rating lists; later files win)
    and, with ``tax`` and ``public``, the double-A lists; write the summary workbook to
    ``target``.

    Nothing is written when no input gave anything to summarise (no ledger row and no
    list); a previous ``target`` is then left as it was. ``tax`` and ``public`` go
    together; ``previous`` needs both.
    """
    from hgcredit.summary.sheets import describe_inputs
    from hgcredit.summary.workbook import write_summary

    if (tax is None) != (public is None):
        raise OptionError("--tax 和 --public 要一起给出（计算双A企业需要两份名单）")
    if previous is not None and tax is None:
        raise OptionError("--previous 要与 --tax、--public 一起给出")
    given: list[str | Path] = list(paths)

    analysis = analyse_month(
        given, month, as_of=as_of, registry=registry, encoding=encoding,
        tax=tax, public=public, previous=previous,
    )  # fmt: skip
    lists = [p for p in (tax, public, previous) if p is not None]
    if lists and analysis.double_a is None:
        # Summarise the rest; the lists are named on the 说明 sheet as unusable.
        given = [*given, *lists]
    summary = Summary(analysis, None)
    summary.inputs = [f.to_json() for f in describe_inputs(analysis, given)]
    usable = analysis.ledger.files or any(r.sources for r in analysis.ratings.domains)
    if usable or analysis.double_a is not None:
        summary.sheets = write_summary(analysis, target, inputs=given, version=version)
        summary.output = str(target)
    return summary
