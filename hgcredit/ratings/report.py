"""Rating counts per domain for one month: read, reconcile, map to the unified tiers.

Sources of counts, per domain:

- the month's ledger text (:mod:`hgcredit.ratings.text`): counts per native level, the
  stated total, problems (the text does not add up) and review notes;
- entity lists (:mod:`hgcredit.ratings.lists`): one row per entity with its level.

When a domain has a list, the list is the evidence: its counts are the domain's counts.
The text's stated total is kept to reconcile against (a list without text is reconciled
against its own number of entity rows, so unknown levels show as not adding up), and
every level the text counts is compared with the list's count.

``consistent`` is False when anything does not add up (level sum vs. stated total, a
其中 breakdown, one level given two numbers, text vs. list, unknown list levels), True
when there are counts, a stated total, and nothing is off, and None otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from hgcredit.errors import Problem
from hgcredit.io.limits import EXCEL_CELL_CHARS
from hgcredit.ratings.levels import display
from hgcredit.ratings.text import TextRatings, read_text
from hgcredit.registry import Domain, Registry

MAX_ROW_NOTES = 20


@dataclass(frozen=True)
class UnknownRow:
    """A list row whose level is not one of its domain's levels."""

    where: str  # file[sheet] 第12行 第C列
    value: str


@dataclass
class ListCount:
    """Counts from one entity list (one sheet) for one domain."""

    domain: Domain
    source: str
    counts: dict[str, int] = field(default_factory=dict)
    rows: int = 0  # entity rows, including those with an unknown level
    unknown: list[UnknownRow] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    column: str = ""  # header of the column the levels were read from


@dataclass
class DomainRatings:
    """The reconciled counts of one domain."""

    domain: Domain
    tiers_order: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=dict)
    stated_total: int | None = None
    problems: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    unknown_rows: list[UnknownRow] = field(default_factory=list)

    @property
    def counted_total(self) -> int | None:
        return sum(self.counts.values()) if self.counts else None

    @property
    def consistent(self) -> bool | None:
        if self.problems:
            return False
        if self.counts and self.stated_total is not None:
            return True
        return None

    @property
    def tiers(self) -> dict[str, int]:
        """Counts on the unified tiers (all tiers, 0 included), or {} without counts."""
        if not self.counts:
            return {}
        out = dict.fromkeys(self.tiers_order, 0)
        for label, n in self.counts.items():
            tier = self.domain.scale.tier_of(label)
            if tier is not None:
                out[tier] = out.get(tier, 0) + n
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "serial": self.domain.serial,
            "department": self.domain.department,
            "domain": self.domain.domain,
            "scale": self.domain.scale.name,
            "counts": dict(self.counts),
            "stated_total": self.stated_total,
            "counted_total": self.counted_total,
            "consistent": self.consistent,
            "tiers": self.tiers,
            "problems": list(self.problems),
            "review": list(self.review),
            "sources": list(self.sources),
            "unknown_rows": [{"where": u.where, "value": u.value} for u in self.unknown_rows],
        }


def reconcile(
    domain: Domain,
    tiers: Sequence[str],
    text: TextRatings | None = None,
    lists: Sequence[ListCount] = (),
    sources: Sequence[str] = (),
) -> DomainRatings:
    """One domain's counts from its text and lists, with every check applied."""
    out = DomainRatings(domain, tuple(tiers), sources=list(sources))
    if text is not None:
        out.counts = dict(text.counts)
        out.stated_total = text.stated_total
        out.problems += text.problems
        out.review += text.review
    if lists:
        listed: dict[str, int] = {}
        rows = 0
        for lst in lists:
            out.sources.append(lst.source)
            rows += lst.rows
            for label, n in lst.counts.items():
                listed[label] = listed.get(label, 0) + n
            out.unknown_rows += lst.unknown
            out.review += lst.review
            out.problems += lst.problems
        if text is not None:
            for label, n in text.counts.items():
                if listed.get(label, 0) != n:
                    out.problems.append(
                        f"台账文字写{display(label)} {n}，名单中数出 {listed.get(label, 0)}"
                    )
        out.counts = {lv: listed[lv] for lv in domain.scale.labels if lv in listed}
        if out.stated_total is None:
            out.stated_total = rows
        if out.unknown_rows:
            out.problems.append(f"名单中有 {len(out.unknown_rows)} 行的等级不是本领域的等级")
            for u in out.unknown_rows[:MAX_ROW_NOTES]:
                out.review.append(
                    f"{u.where}：等级“{u.value or '（空）'}”无法识别"
                    f"（{domain.scale.name}的等级：{'、'.join(domain.scale.labels)}）"
                )
            if len(out.unknown_rows) > MAX_ROW_NOTES:
                out.review.append(f"……另有 {len(out.unknown_rows) - MAX_ROW_NOTES} 行等级无法识别")
    if text is not None and not out.counts:
        out.review += text.unread  # figures, but no counts: say why
    counted = out.counted_total
    if counted is not None and out.stated_total is not None and counted != out.stated_total:
        parts = "+".join(str(n) for n in out.counts.values())
        out.problems.append(f"各等级之和 {parts}={counted} 与总数 {out.stated_total} 不符")
    return out


# ---------------------------------------------------------------- a month


class EntryLike(Protocol):
    """What the ratings need of a ledger entry (hgcredit.ledger.Entry)."""

    @property
    def text(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def location(self) -> str: ...


def _where(entry: EntryLike) -> str:
    """One location of a ledger cell: its file once (a location from
    :meth:`hgcredit.io.tables.Table.where` already starts with the file).

    >>> from types import SimpleNamespace as E
    >>> _where(E(file="a.xlsx", location="a.xlsx[Sheet1] 第2行 第E列"))
    'a.xlsx[Sheet1] 第2行 第E列'
    >>> _where(E(file="a.xlsx", location="第2行 第E列"))
    'a.xlsx 第2行 第E列'
    """
    if entry.file and entry.location.startswith(entry.file):
        return entry.location
    return f"{entry.file} {entry.location}".strip()


class LedgerLike(Protocol):
    """What the ratings need of a ledger (hgcredit.ledger.Ledger)."""

    def entry(self, domain: str, month: str) -> EntryLike | None: ...


@dataclass
class RatingsReport:
    """Every domain's reconciled counts for one month, and the inputs that failed."""

    month: str
    domains: list[DomainRatings]
    errors: list[Problem] = field(default_factory=list)

    @property
    def inconsistent(self) -> list[DomainRatings]:
        return [d for d in self.domains if d.consistent is False]

    def to_frame(self) -> Any:
        """The domains as a pandas DataFrame (:func:`hgcredit.frames.ratings_frame`)."""
        from hgcredit.frames import ratings_frame

        return ratings_frame(self)

    def to_json(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "domains": [d.to_json() for d in self.domains],
            "inconsistent": [d.domain.domain for d in self.inconsistent],
            "errors": [e.to_json() for e in self.errors],
        }


def _read_bounded(text: str, domain: Domain) -> TextRatings:
    """The counts of a ledger text, reading at most Excel's cell size (a 10 MB cell from a
    csv would take the sentence reader minutes); a longer text gets a review note."""
    if len(text) <= EXCEL_CELL_CHARS:
        return read_text(text, domain)
    found = read_text(text[:EXCEL_CELL_CHARS], domain)
    found.review.append(
        f"台账文字过长（共 {len(text):,} 字），只读取了前 {EXCEL_CELL_CHARS:,} 字"
        "（Excel 单元格的上限）；其余部分请人工核对"
    )
    return found


def rate_month(
    registry: Registry,
    month: str,
    *,
    ledger: LedgerLike | None = None,
    lists: Iterable[ListCount] = (),
    errors: Iterable[Problem] = (),
) -> RatingsReport:
    """Counts for every domain: all registry domains when a ledger is given, else the listed ones.

    Domains come in registry (ledger) order.
    """
    by_domain: dict[str, list[ListCount]] = {}
    for lst in lists:
        by_domain.setdefault(lst.domain.domain, []).append(lst)
    results = []
    for domain in registry.domains:
        entry = ledger.entry(domain.domain, month) if ledger is not None else None
        domain_lists = by_domain.get(domain.domain, [])
        if ledger is None and not domain_lists:
            continue
        text = _read_bounded(entry.text, domain) if entry is not None else None
        sources = [_where(entry)] if entry is not None else []
        results.append(reconcile(domain, registry.tiers, text, domain_lists, sources))
    return RatingsReport(month, results, list(errors))
