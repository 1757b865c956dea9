"""The notice job: analyse the month, build what the notice says, render and write it.

:func:`make_notice` is what ``hgcredit notice`` runs and what a Python caller uses::

    notice = make_notice("overdue", files, "2022-11", as_of=date(2022, 11, 21), output="通报.docx")
    notice.context["units"]      # the domains it names as not filled

An outgoing document must not name a unit as missing because its file could not be read:
when any input cannot be used, nothing is written and every such input is named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hgcredit.errors import HgcreditError, OptionError, Problem
from hgcredit.io.outputs import atomic_path, check_output
from hgcredit.notices import FORMATS, KINDS
from hgcredit.notices.config import OfficeConfig
from hgcredit.notices.context import double_a_context, overdue_context, reminder_context
from hgcredit.notices.dates import date_cn, doc_number, doc_year
from hgcredit.registry import Registry


class UnusableInputs(HgcreditError):
    """Inputs that could not be used; the notice is not made without them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(
            f"有 {len(self.problems)} 个输入无法使用，没有生成通知（否则会把这些单位误列为未报送）；"
            "请改正或去掉这些文件后重试"
        )


@dataclass
class Notice:
    """A notice made: what it says (``context``), where it was written and from which
    template, and what the clerk should look at before sending it."""

    kind: str
    context: dict[str, Any]
    output: Path | None = None
    template: Path | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def nothing_to_send(self) -> bool:
        """A reminder with nobody left to remind (nothing was written)."""
        return self.kind == "reminder" and not self.context["units"]

    def to_json(self) -> dict[str, Any]:
        """The context, exactly as the template received it."""
        return self.context


def make_notice(
    kind: str,
    paths: Sequence[str | Path],
    month: str,
    *,
    output: str | Path | None = None,
    as_of: dt.date | None = None,
    config: OfficeConfig | None = None,
    templates: str | Path | None = None,
    number: str | None = None,
    late: Sequence[str] = (),
    tax: str | Path | None = None,
    public: str | Path | None = None,
    previous: str | Path | None = None,
    registry: Registry | None = None,
    encoding: str | None = None,
) -> Notice:
    """Make the ``kind`` notice (``overdue``, ``reminder``, ``double-a``) for ``month`` from
    ledgers, returns and rating lists (``paths``) and, for ``double-a``, the ``tax``,
    ``public`` and ``previous`` lists; write it to ``output`` (.docx .md .html .txt .pdf)
    when given. ``number`` overrides the config's next document number, ``late`` names
    units (departments or domains) whose filled return came after the deadline."""
    from hgcredit.month.analyse import analyse_month

    if kind not in KINDS:
        raise OptionError(f"没有“{kind}”这种通知；可用的：{'、'.join(KINDS)}")
    office = config if config is not None else OfficeConfig()
    inputs = [*paths, tax, public, previous]
    check_output(output, FORMATS, "-o/--output", inputs)
    if output is not None and Path(output).suffix.lower() == ".pdf":
        from hgcredit.notices.pdf import INSTALL_HINT, PdfError, soffice

        if soffice() is None:
            raise PdfError(INSTALL_HINT)
    number = doc_number(number) if number else None
    if kind == "double-a":
        if tax is None or public is None:
            raise OptionError(
                "notice double-a 需要 --tax（纳税信用名单）和 --public（公共信用评价名单）"
            )
    elif not paths:
        raise OptionError("缺少台账文件：请给出台账或各部门的报送表格")
    if late and kind != "overdue":
        raise OptionError("--late 只用于 notice overdue（通报）")
    analysis = analyse_month(
        paths,
        month,
        as_of=as_of,
        registry=registry,
        encoding=encoding,
        tax=tax if kind == "double-a" else None,
        public=public if kind == "double-a" else None,
        previous=previous if kind == "double-a" else None,
    )
    if analysis.errors:
        raise UnusableInputs(analysis.errors)
    if kind != "double-a" and not analysis.check.month_in_ledger:
        months = "、".join(analysis.ledger.months) or "没有"
        raise OptionError(
            f"输入中没有 {analysis.month} 的月份列（有的月份：{months}），"
            "所有领域都会被当作未报送；请检查 --month 和输入文件"
        )
    if kind == "overdue":
        context = overdue_context(analysis, office, doc_number=number, late=late)
    elif kind == "reminder":
        context = reminder_context(analysis, office, doc_number=number)
    else:
        context = double_a_context(analysis, office, doc_number=number)
    notice = Notice(kind, context, warnings=_warnings(context, analysis.as_of))
    if output is not None and not notice.nothing_to_send:
        notice.template, notice.output = write_notice(
            context, Path(output), templates, office.templates
        )
    return notice


def write_notice(
    context: dict[str, Any],
    output: Path,
    templates: str | Path | None = None,
    office_templates: Path | None = None,
) -> tuple[Path, Path]:
    """Render ``context`` in the format of ``output``'s extension and write it atomically;
    the template used and the output."""
    from hgcredit.notices.render import render_docx, render_text
    from hgcredit.notices.templates import find_template

    folders = [Path(templates) if templates is not None else None, office_templates]
    if templates is not None and not Path(templates).is_dir():
        raise OptionError(f"--templates 给出的文件夹不存在：{templates}")
    suffix = output.suffix.lower()
    kind = context["kind"]
    template = find_template(kind, ".docx" if suffix == ".pdf" else suffix, folders)
    if suffix == ".docx":
        data = render_docx(template, context)
    elif suffix == ".pdf":
        from hgcredit.notices.pdf import docx_to_pdf

        data = docx_to_pdf(render_docx(template, context), dt.date.fromisoformat(context["as_of"]))
    else:
        data = render_text(template, context).encode("utf-8")
    with atomic_path(output) as tmp:
        tmp.write_bytes(data)
    return template, output


def _warnings(context: dict[str, Any], day: dt.date) -> list[str]:
    out = []
    number = context["doc_number"]
    if context["kind"] != "reminder" and doc_year(number) != day.year:
        out.append(
            f"发文字号 {number} 的年份与成文日期 {date_cn(day)} 不是同一年；"
            "请用 --doc-number 或 hgcredit.toml 的 doc_number 给出本年的字号"
        )
    return out
