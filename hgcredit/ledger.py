# TEMPORARY stand-in until branch ledger lands
"""Minimal ledger import, only so `hgcredit ratings` can run before the real module lands.

Implements exactly the agreed interface (Entry, Ledger, FileProblem, load_ledger) simply:
header row containing 实施部门, month columns headed ``YYYY年M月…``. The real module
(branch ``ledger``) replaces this file at merge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hgcredit.errors import HgcreditError
from hgcredit.registry import Registry
from hgcredit.tables import column_letter, read_tables

_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")


@dataclass(frozen=True)
class Entry:
    text: str
    file: str
    location: str


@dataclass(frozen=True)
class FileProblem:
    file: str
    message: str


@dataclass
class Ledger:
    registry: Registry
    months: list[str]
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=dict)
    conflicts: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def entry(self, domain: str, month: str) -> Entry | None:
        return self.entries.get((domain, month))


def load_ledger(
    paths: Iterable[str | Path],
    registry: Registry,
    *,
    encoding: str | None = None,
    default_year: int | None = None,
) -> Ledger:
    ledger = Ledger(registry, [])
    months: set[str] = set()
    for path in paths:
        try:
            tables = read_tables(
                path, encoding=encoding, header_test=lambda c: any("实施部门" in x for x in c)
            )
        except HgcreditError as exc:
            ledger.errors.append(FileProblem(str(path), exc.message))
            continue
        for table in tables:
            head = table.header
            cols = {}
            for i, h in enumerate(head):
                m = _MONTH.search(h)
                if m:
                    cols[i] = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
            months.update(cols.values())
            dept_col = next(i for i, h in enumerate(head) if "实施部门" in h)
            dom_col = next((i for i, h in enumerate(head) if "领域" in h), dept_col + 1)
            texts: dict[tuple[str, str], list[str]] = {}
            where: dict[tuple[str, str], str] = {}
            last: tuple[str, int] | None = None
            for r, row in enumerate(table.rows):
                d = registry.find_domain(row[dom_col]) if dom_col < len(row) else None
                if d is None and registry.find_domain(row[dept_col]) is not None:
                    row = ["", *row]  # a row shifted one column left
                    d = registry.find_domain(row[dom_col])
                if d is not None:
                    for c, month in cols.items():
                        if c < len(row) and row[c]:
                            texts[(d.domain, month)] = [row[c]]
                            where[(d.domain, month)] = (
                                f"第{table.row_numbers[r]}行 第{column_letter(c)}列"
                            )
                            last = (d.domain, c)
                elif last is not None and not any(row[: dom_col + 1]):
                    extra = "".join(x for x in row[dom_col + 1 :] if x)
                    key = (last[0], cols[last[1]])
                    if extra and key in texts:
                        texts[key].append(extra)
            for key, parts in texts.items():
                if key not in ledger.entries:
                    ledger.entries[key] = Entry("".join(parts), str(path), where[key])
                    ledger.sources.setdefault(key[0], []).append(str(path))
    ledger.months = sorted(months)
    return ledger
