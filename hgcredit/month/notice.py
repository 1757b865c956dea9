"""The notice stage of the month: which notice the date calls for, written by the notices
package (:mod:`hgcredit.notices`) from the month's one analysis.

Up to and including the deadline day the units still missing (or placeholder-only) get a
reminder (``reminder``); after it, the circular (``overdue``). When double-A was
computed, the letter to the county and district tax bureaus (``double-a``) is written too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hgcredit.errors import Problem
from hgcredit.ledger.check import CheckReport
from hgcredit.month.analyse import MonthAnalysis

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
    blocked: Sequence[Problem] = (),
) -> list[NoticeWritten]:
    """Write the notice the date calls for (and the double-A letter when double-A was
    computed) into ``folder`` as .docx and .md, named ``stem[kind]`` + the format.

    A notice must not name a unit as missing because its return could not be read: with
    ``blocked`` problems (inputs that could hide a return) or without the month's column
    in the ledgers, the reminder or circular is not written and the note says why.
    """
    kind = notice_kind(analysis.check)
    label = KIND_LABELS[kind]
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
        first = _render(kind, analysis, folder, stem)
    notices = [first]
    if analysis.double_a is not None:
        notices.append(_render(DOUBLE_A, analysis, folder, stem))
    return notices


def _render(
    kind: str, analysis: MonthAnalysis, folder: Path, stem: dict[str, str]
) -> NoticeWritten:
    return NoticeWritten(kind, note="通知模块（hgcredit notice）尚未安装，未写出")
