"""The monthly check: for one month, where does every domain stand?

Each of the registry's domains gets a status for the month — ``filled``, ``placeholder``
(only 无, 暂无, 同上月, /, - and the like) or ``missing`` (empty or not submitted) — whether a
filled text carries figures of work (``data_supported``), and whether it is ``overdue``
(not filled and ``as_of`` after the deadline, the registry's ``deadline_day`` of that
month) or still ``pending`` with days left. ``behind_months`` counts the months in a row,
up to this one, that the domain has not been filled among the ledger's month columns: an
earlier month counts only where an input has the domain's row under that month's column, and
only without a gap (a month no input has ends the count).

>>> is_data_supported("对全市 7 家燃气经营企业的信用信息进行收集和认定")
True
>>> is_data_supported("结果已于2022年5月21日发布，依据鹤信用发〔2022〕2号文件")
False
>>> classify("同上月。", load_registry().placeholders), classify("  ", frozenset())
('placeholder', 'missing')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hgcredit.errors import Problem
from hgcredit.ledger.model import Conflict, Ledger
from hgcredit.ledger.placeholders import is_placeholder
from hgcredit.months import deadline_of, previous_month
from hgcredit.registry import load_registry  # noqa: F401  (used by the doctests)
from hgcredit.text import halfwidth

FILLED, PLACEHOLDER, MISSING = "filled", "placeholder", "missing"
STATUSES = (FILLED, PLACEHOLDER, MISSING)
STATUS_LABELS = {FILLED: "已填报", PLACEHOLDER: "仅占位", MISSING: "未填报"}
EXCERPT_CHARS = 60

# ---------------------------------------------------------------- text rules

# A figure of work: a count with a unit, a share, a score, a rate. Dates (年/月/日), document
# numbers (〔2022〕2号) and years (2021 年度) carry none of these units, so they never count.
_NUMBER = r"\d+(?:[.,，]\d+)*"
_UNITS = "家户个次项人件名所座台辆条份批宗起例处张元"
_FIGURES = re.compile(
    "|".join(
        [
            rf"(?<![第\d.])(?<!第\s){_NUMBER}\s*(?:万|余|多)?\s*[{_UNITS}]",  # 25 家, 9889户, 3 万余户
            rf"{_NUMBER}\s*[%‰]",  # 10%
            r"百分之[零一二三四五六七八九十百\d]",  # 百分之三十
            rf"(?<![第\d.])(?<!第\s){_NUMBER}\s*分(?!级|类|公司|支|局|别|批|钟|期|管|工|布|之)",  # 860 分, 90 分以上
            rf"率\s*(?:为|达|达到|是)?\s*{_NUMBER}",  # 覆盖率达 95
            r"(?<![第首])[两二三四五六七八九十百千]+\s*[家户]",  # 十家, 两家 (not 首家)
        ]
    )
)


def is_data_supported(text: str) -> bool:
    """True when a text carries figures of work done (counts, shares, scores), not only dates.

    >>> is_data_supported("其中 A 级 187 家、B 级 21 家")
    True
    >>> is_data_supported("优良率达 100%"), is_data_supported("最终得分为860分")
    (True, True)
    >>> is_data_supported("开展 2021 年度评价，鹤岗海关辖区首家认证企业")
    False
    """
    return bool(_FIGURES.search(halfwidth(text)))


def classify(text: str | None, placeholders: Iterable[str]) -> str:
    """``missing`` when empty, ``placeholder`` when only a placeholder word, else ``filled``."""
    if text is None or not text.strip():
        return MISSING
    return PLACEHOLDER if is_placeholder(text, placeholders) else FILLED


# ---------------------------------------------------------------- dates


# ---------------------------------------------------------------- the check


@dataclass
class DomainCheck:
    """One domain's standing for the month."""

    serial: int
    department: str
    domain: str
    status: str
    data_supported: bool
    overdue: bool
    pending: bool
    days_left: int | None
    behind_months: int
    text: str
    location: str
    sources: list[str] = field(default_factory=list)

    @property
    def excerpt(self) -> str:
        one_line = " ".join(self.text.split())
        return one_line if len(one_line) <= EXCERPT_CHARS else one_line[:EXCERPT_CHARS] + "…"


@dataclass
class CheckReport:
    """The whole month: every domain, plus the merge's conflicts and unusable inputs."""

    month: str
    as_of: dt.date
    deadline: dt.date
    month_in_ledger: bool
    months: list[str]
    files: list[str]
    domains: list[DomainCheck]
    conflicts: list[Conflict]
    errors: list[Problem]
    ignored: list[Problem] = field(default_factory=list)  # rows read but not used (Ledger)

    @property
    def deadline_passed(self) -> bool:
        return self.as_of > self.deadline

    def count(self, status: str) -> int:
        return sum(d.status == status for d in self.domains)

    @property
    def overdue(self) -> list[DomainCheck]:
        return [d for d in self.domains if d.overdue]

    @property
    def pending(self) -> list[DomainCheck]:
        return [d for d in self.domains if d.pending]

    @property
    def exit_code(self) -> int:
        """2 when an input could not be used, else 1 when something is overdue, else 0."""
        if self.errors:
            return 2
        return 1 if self.overdue else 0

    def summary(self) -> str:
        """``已填报 15 · 仅占位 2 · 未填报 6（逾期 6）``"""
        line = " · ".join(f"{STATUS_LABELS[s]} {self.count(s)}" for s in STATUSES)
        late = self.overdue if self.deadline_passed else self.pending
        held = sum(d.status == PLACEHOLDER for d in late)
        also = f"，含仅占位 {held}" if held else ""
        if self.deadline_passed:
            line += f"（逾期 {len(late)}{also}）"
        elif late:
            days = (self.deadline - self.as_of).days
            line += f"（待报 {len(late)}{also}，距截止还有 {days} 天）"
        return line

    @property
    def has_earlier_months(self) -> bool:
        return any(m < self.month for m in self.months)

    def to_frame(self) -> Any:
        """The domains as a pandas DataFrame (:func:`hgcredit.frames.check_frame`)."""
        from hgcredit.frames import check_frame

        return check_frame(self)

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` object (keys English, values for people in Chinese)."""
        return {
            "month": self.month,
            "as_of": self.as_of.isoformat(),
            "deadline": self.deadline.isoformat(),
            "deadline_passed": self.deadline_passed,
            "month_in_ledger": self.month_in_ledger,
            "months": self.months,
            "files": self.files,
            "summary": {
                "filled": self.count(FILLED),
                "placeholder": self.count(PLACEHOLDER),
                "missing": self.count(MISSING),
                "overdue": len(self.overdue),
                "pending": len(self.pending),
                "data_supported": sum(d.data_supported for d in self.domains),
                "text": self.summary(),
            },
            "domains": [
                {
                    "serial": d.serial,
                    "department": d.department,
                    "domain": d.domain,
                    "status": d.status,
                    "status_label": STATUS_LABELS[d.status],
                    "data_supported": d.data_supported,
                    "overdue": d.overdue,
                    "pending": d.pending,
                    "days_left": d.days_left,
                    "behind_months": d.behind_months,
                    "excerpt": d.excerpt,
                    "location": d.location,
                    "sources": d.sources,
                }
                for d in self.domains
            ],
            "conflicts": [c.to_json() for c in self.conflicts],
            "errors": [e.to_json() for e in self.errors],
            "ignored": [e.to_json() for e in self.ignored],
            "exit_code": self.exit_code,
        }


def check_month(ledger: Ledger, month: str, as_of: dt.date) -> CheckReport:
    """Check every domain of the registry for ``month`` (``YYYY-MM``) as of ``as_of``."""
    reg = ledger.registry
    deadline = deadline_of(month, reg.deadline_day)
    earlier = sorted({m for m in ledger.months if m < month}, reverse=True)
    domains = []
    for d in reg.domains:
        entry = ledger.entry(d.domain, month)
        status = classify(entry.text if entry else None, reg.placeholders)
        behind = 0
        if status != FILLED:
            behind = 1
            expected = month
            for m in earlier:
                # Only the month right before, and only where an input has this domain's
                # row under that month: a month no input covers for it is not known missed.
                # (A ledger built in code without ``covered`` has every month for all.)
                expected = previous_month(expected)
                known = not ledger.covered or (d.domain, m) in ledger.covered
                if m != expected or not known:
                    break
                e = ledger.entry(d.domain, m)
                if classify(e.text if e else None, reg.placeholders) == FILLED:
                    break
                behind += 1
        not_filled = status != FILLED
        domains.append(
            DomainCheck(
                serial=d.serial,
                department=d.department,
                domain=d.domain,
                status=status,
                data_supported=status == FILLED and is_data_supported(entry.text if entry else ""),
                overdue=not_filled and as_of > deadline,
                pending=not_filled and as_of <= deadline,
                days_left=(deadline - as_of).days if not_filled and as_of <= deadline else None,
                behind_months=behind,
                text=entry.text if entry else "",
                location=entry.location if entry else "",
                sources=list(ledger.sources.get(d.domain, [])),
            )
        )
    return CheckReport(
        month=month,
        as_of=as_of,
        deadline=deadline,
        month_in_ledger=month in ledger.months,
        months=list(ledger.months),
        files=list(ledger.files),
        domains=domains,
        conflicts=list(ledger.conflicts),
        errors=list(ledger.errors),
        ignored=list(ledger.ignored),
    )
