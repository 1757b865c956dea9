"""The merged ledger: every domain's text per month, where it came from, and conflicts.

:meth:`Ledger.put` is the one merge rule: a later file wins, except that a later
placeholder never replaces an earlier report; different texts become a :class:`Conflict`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hgcredit.errors import Problem
from hgcredit.ledger.placeholders import is_placeholder
from hgcredit.registry import Registry
from hgcredit.text import halfwidth

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Entry:
    """One domain's text for one month."""

    text: str  # cleaned display text (HTML stripped)
    file: str
    location: str  # e.g. Table.where(i, col)


@dataclass
class Conflict:
    """Two files gave different text for the same domain and month; the later one won,
    unless it was only a placeholder (无, 同上月) over a report (``kept`` says which)."""

    domain: str
    department: str
    month: str
    earlier_file: str
    earlier_text: str
    later_file: str
    later_text: str
    earlier_location: str = ""
    later_location: str = ""
    kept: str = "later"  # "earlier" when the later text was only a placeholder

    def to_json(self) -> dict[str, str]:
        return {
            "department": self.department,
            "domain": self.domain,
            "month": self.month,
            "earlier_file": self.earlier_file,
            "earlier_location": self.earlier_location,
            "earlier_text": self.earlier_text,
            "later_file": self.later_file,
            "later_location": self.later_location,
            "later_text": self.later_text,
            "kept": self.kept,
        }


@dataclass
class Ledger:
    """The merged ledger: every domain's text per month, with where it came from."""

    registry: Registry
    months: list[str] = field(default_factory=list)  # "YYYY-MM", sorted
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)
    # (domain, month) of every row read under a month column, blank or not: the months an
    # input says something about for that domain (a return of one department with its own
    # earlier months says nothing about the other departments' earlier months).
    covered: set[tuple[str, str]] = field(default_factory=set)
    sources: dict[str, list[str]] = field(default_factory=dict)  # domain -> files
    conflicts: list[Conflict] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)  # domain -> 责任科室 责任人 as given
    files: list[str] = field(default_factory=list)  # inputs that gave at least one row
    file_months: dict[str, list[str]] = field(default_factory=dict)  # file -> its months
    # Rows read but not used, with why: kind ``footer`` (填报人, 联系电话, 盖章 …), ``note``
    # (注：…, 合计, a row with nothing in the department, domain and month columns) or
    # ``attachment`` (附件 and what follows it).
    ignored: list[Problem] = field(default_factory=list)

    def entry(self, domain: str, month: str) -> Entry | None:
        return self.entries.get((domain, month))

    def put(self, domain: str, month: str, entry: Entry) -> None:
        """Record a text; a different earlier text becomes a conflict, the later one wins
        unless it is only a placeholder and the earlier one is not."""
        old = self.entries.get((domain, month))
        kept = "later"
        if old is not None and _comparable(old.text) != _comparable(entry.text):
            placeholders = self.registry.placeholders
            if is_placeholder(entry.text, placeholders) and not is_placeholder(
                old.text, placeholders
            ):
                kept = "earlier"
            self.conflicts.append(
                Conflict(
                    domain=domain,
                    department=self.registry.domain(domain).department,
                    month=month,
                    earlier_file=old.file,
                    earlier_text=old.text,
                    later_file=entry.file,
                    later_text=entry.text,
                    earlier_location=old.location,
                    later_location=entry.location,
                    kept=kept,
                )
            )
        if kept == "later":
            self.entries[(domain, month)] = entry
        if month not in self.months:
            self.months.append(month)
            self.months.sort()

    def to_frame(self) -> Any:
        """Every filled cell as a pandas DataFrame (:func:`hgcredit.frames.ledger_frame`)."""
        from hgcredit.frames import ledger_frame

        return ledger_frame(self)

    def to_json(self) -> dict[str, Any]:
        """What was merged: files used, months, domains with rows, conflicts, problems."""
        return {
            "files": self.files,
            "months": self.months,
            "domains_with_rows": len(self.sources),
            "texts": len(self.entries),
            "sources": self.sources,
            "conflicts": [c.to_json() for c in self.conflicts],
            "errors": [e.to_json() for e in self.errors],
            "ignored": [e.to_json() for e in self.ignored],
        }


def _comparable(text: str) -> str:
    """Texts that differ only in spacing or character width are the same text."""
    return _SPACES.sub("", halfwidth(text))


def ignored_lines(ignored: Sequence[Problem]) -> list[str]:
    """The terminal block for rows read but not used: notes and attachments one by one (a
    report may hide in them), footers counted (every return has one)."""
    listed = [p for p in ignored if p.kind != "footer"]
    footers = len(ignored) - len(listed)
    if not ignored:
        return []
    out = ["", f"未使用的行（{len(ignored)} 行，不是台账内容，已忽略）："]
    out += [f"- {p}" for p in listed]
    if footers:
        out.append(f"- 表尾落款（填报人、联系电话、日期、盖章等）{footers} 行")
    return out
