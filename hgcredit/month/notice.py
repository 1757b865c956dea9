"""The notice stage of the month: which notice the date calls for, written by the notices
package (:mod:`hgcredit.notices`) from the month's one analysis.

Up to and including the deadline day the units still missing (or placeholder-only) get a
reminder (``reminder``); after it, the circular (``overdue``). When double-A was
computed, the letter to the county and district tax bureaus (``double-a``) is written too.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hgcredit.errors import Problem
from hgcredit.ledger.check import CheckReport
from hgcredit.month.analyse import MonthAnalysis

if TYPE_CHECKING:
    from hgcredit.notices.config import OfficeConfig

REMINDER, OVERDUE, DOUBLE_A = "reminder", "overdue", "double-a"
KIND_LABELS = {REMINDER: "催报提醒", OVERDUE: "通报", DOUBLE_A: "双A企业通知"}
FORMATS = (".docx", ".md")


@dataclass
class NoticeWritten:
    """One notice of the month: its kind, the files written (none when there was nothing
    to send or it could not be made) and a note saying why not."""

    kind: str
    files: list[Path] = field(default_factory=list)
    note: str = ""

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "files": [str(f) for f in self.files],
            "note": self.note,
        }


def notice_kind(check: CheckReport) -> str:
    """``reminder`` up to and including the deadline day, ``overdue`` after it.

    >>> import datetime as dt
    >>> from types import SimpleNamespace as NS
    >>> [notice_kind(NS(deadline_passed=p)) for p in (False, True)]  # type: ignore[arg-type]
    ['reminder', 'overdue']
    """
    return OVERDUE if check.deadline_passed else REMINDER


def write_notices(
    analysis: MonthAnalysis,
    folder: Path,
    stem: dict[str, str],
    *,
    config: OfficeConfig | None = None,
    blocked: Sequence[Problem] = (),
) -> list[NoticeWritten]:
    """Write the notice the date calls for (and the double-A letter when double-A was
    computed) into ``folder`` as .docx and .md, named ``stem[kind]`` + the format, with
    the office's details ``config`` (the defaults when None).

    A notice must not name a unit as missing because its return could not be read: with
    ``blocked`` problems (inputs that could hide a return) or without the month's column
    in the ledgers, the reminder or circular is not written and the note says why. The
    circular takes the config's document number, the double-A letter the next one.
    """
    from hgcredit.notices.config import OfficeConfig

    office = config if config is not None else OfficeConfig()
    kind = notice_kind(analysis.check)
    label = KIND_LABELS[kind]
    numbers = iter(_numbers(office.doc_number))
    if not analysis.check.month_in_ledger:
        first = NoticeWritten(
            kind,
            note=f"台账中没有 {analysis.month} 的一列，未写{label}（否则所有单位都会被列为未报送）",
        )
    elif blocked:
        first = NoticeWritten(
            kind,
            note=f"有 {len(blocked)} 处输入无法使用，未写{label}（否则可能把这些单位误列为未报送）；"
            "请改正或移走这些文件后重跑",
        )
    else:
        number = next(numbers) if kind == OVERDUE else None
        first = _render(kind, analysis, folder / stem[kind], office, number)
    notices = [first]
    if analysis.double_a is not None:
        notices.append(_render(DOUBLE_A, analysis, folder / stem[DOUBLE_A], office, next(numbers)))
    return notices


def _numbers(first: str) -> Iterator[str]:
    """The config's next document number, then the ones after it.

    >>> list(itertools.islice(_numbers("鹤信用办发〔2022〕32号"), 2))
    ['鹤信用办发〔2022〕32号', '鹤信用办发〔2022〕33号']
    """
    head, number = re.fullmatch(r"(.*?)(\d+)号", first).groups()  # type: ignore[union-attr]
    return (f"{head}{n}号" for n in itertools.count(int(number)))


def _render(
    kind: str, analysis: MonthAnalysis, stem: Path, office: OfficeConfig, number: str | None
) -> NoticeWritten:
    """One notice as .docx and .md, through the notices package's own context and renderer."""
    from hgcredit.notices.context import double_a_context, overdue_context, reminder_context
    from hgcredit.notices.dates import date_cn, doc_year
    from hgcredit.notices.make import write_notice

    build = {OVERDUE: overdue_context, REMINDER: reminder_context, DOUBLE_A: double_a_context}
    context = build[kind](analysis, office, doc_number=number)
    if kind == REMINDER and not context["units"]:
        return NoticeWritten(kind, note="各单位都已填报，不需要催报")
    written = NoticeWritten(kind)
    for suffix in FORMATS:
        _, path = write_notice(context, stem.with_name(stem.name + suffix), None, office.templates)
        written.files.append(path)
    if number is not None and doc_year(number) != analysis.as_of.year:
        written.note = (
            f"发文字号 {number} 的年份与成文日期 {date_cn(analysis.as_of)} 不是同一年；"
            "请在 hgcredit.toml 的 doc_number 中写本年的字号"
        )
    return written
