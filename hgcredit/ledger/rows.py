"""One ledger table's body, row by row: every row ends in exactly one outcome.

:meth:`TableWalk.walk` gives each body row (every non-empty row under the header) one
:class:`Outcome`, so that no row can be lost without a word:

* ``record`` — a domain's row: its department and/or domain are the registry's;
* ``continuation`` — a lone text carried over from the row just above (a text split over
  two lines, as the notice's 交通运输局 row), joined to that row's last filled month;
* ``header`` — a header repeated inside the table (several returns pasted together): made
  only of header labels and month headers, never of a department's name or a report;
* ``ignored`` — with its reason, reported in ``Ledger.ignored``: the form's footer
  (``填报人：…``, ``（盖章）``, a date alone, :mod:`hgcredit.ledger.footers`), a note or total
  (``注：…``, ``合计``), a row with nothing in the department, domain and month columns, and
  the attachment that ends the table (``附件 2`` and everything under it);
* ``problem`` — an :class:`~hgcredit.errors.Problem` of kind ``row`` naming the file, sheet
  and row and how to fix it: an unknown department or domain (with the nearest known names),
  a domain that is not the department's, a report with no department or domain.

Under ``附件`` nothing more is read, but a row there that names a known department and has
text in a month column is still a problem: the table may have been cut by mistake.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hgcredit.errors import Problem
from hgcredit.io.tables import Table, column_letter, header_like
from hgcredit.ledger.footers import footer_row, is_note
from hgcredit.ledger.layout import Layout, header_layout, resolve_months
from hgcredit.ledger.placeholders import is_placeholder
from hgcredit.months import month_header_rest
from hgcredit.registry import Domain, Registry
from hgcredit.text import match_key

RECORD, CONTINUATION, HEADER, IGNORED, PROBLEM = (
    "record",
    "continuation",
    "header",
    "ignored",
    "problem",
)
# Kinds of ignored rows, as Problem.kind in Ledger.ignored.
FOOTER, NOTE, ATTACHMENT = "footer", "note", "attachment"

_DEPARTMENT_SUFFIX = re.compile(r"(局|委|委员会|队|支队|办|办公室|海关|中心|院|站|所|厅)$")
_SENTENCE = re.compile(r"[,;!?。，；！？]")
_LABEL_CHARS = 30  # what a month header says after its month (开展行业信用评价及监管情况)
_EXCERPT = 30


@dataclass(frozen=True)
class Outcome:
    """What became of one body row."""

    use: str  # RECORD, CONTINUATION, HEADER, IGNORED or PROBLEM
    reason: str = ""  # for IGNORED and PROBLEM: the message


@dataclass
class Record:
    """One recognised ledger row of one table, before it is merged."""

    domain: Domain
    row_index: int
    shift: int
    layout: Layout
    section: str = ""
    texts: dict[int, str] = field(default_factory=dict)  # realigned month column -> text


def join_lines(first: str, more: str) -> str:
    """Join a text split over two lines: no space between CJK, one between Latin words."""
    if first and more and first[-1].isascii() and first[-1].isalnum() and more[0].isascii():
        return f"{first} {more}"
    return first + more


def _excerpt(text: str) -> str:
    one = " ".join(text.split())
    return one if len(one) <= _EXCERPT else one[:_EXCERPT] + "…"


def _has_words(text: str) -> bool:
    """Any letter, digit or CJK character (``/``, ``—`` alone say nothing)."""
    return any(ch.isalnum() for ch in text)


class TableWalk:
    """Walks one table's rows; ``outcomes`` holds one :class:`Outcome` per body row."""

    def __init__(
        self,
        table: Table,
        registry: Registry,
        layout: Layout,
        *,
        default_year: int | None = None,
        reference_month: str | None = None,
    ) -> None:
        self.table = table
        self.registry = registry
        self.layout = layout
        self.default_year = default_year
        self.reference_month = reference_month
        self.records: list[Record] = []
        self.problems: list[Problem] = []
        self.ignored: list[Problem] = []
        self.outcomes: list[Outcome] = []
        self._previous: Outcome | None = None
        self._attachment: int | None = None  # index of the 附件 row that ended the table
        self._attachment_note = -1  # its place in ``ignored``
        self._attachment_text = ""
        self._after_attachment = 0
        self._yearless: list[tuple[int | None, Layout, list[str]]] = []
        self._labels = {match_key(c) for c in table.header if c} | {
            k for role in ("domain", "department") for k in registry.headers.keys.get(role, ())
        }

    # ------------------------------------------------------------ reporting

    def place(self, index: int | None) -> str:
        """Where a body row (or, for None, the header) is, without the file name."""
        t = self.table
        sheet = f"[{t.sheet}] " if t.sheet else ""
        return f"{sheet}第{self.row_number(index)}行"

    def row_number(self, index: int | None) -> int:
        t = self.table
        return t.header_row if index is None else t.row_numbers[index]

    def _problem(self, index: int | None, message: str, column: int | None = None) -> Problem:
        t = self.table
        return Problem(
            t.file,
            f"{self.place(index)}：{message}",
            sheet=t.sheet or None,
            row=self.row_number(index),
            column=column_letter(column) if column is not None else None,
            kind="row",
        )

    def problem(self, index: int, message: str, column: int | None = None) -> Outcome:
        self.problems.append(self._problem(index, message, column))
        return Outcome(PROBLEM, message)

    def ignore(self, index: int, kind: str, message: str) -> Outcome:
        t = self.table
        self.ignored.append(
            Problem(
                t.file,
                f"{self.place(index)}：{message}",
                sheet=t.sheet or None,
                row=self.row_number(index),
                kind=kind,
            )
        )
        return Outcome(IGNORED, message)

    # ------------------------------------------------------------ walking

    def walk(self) -> None:
        """Give every body row its outcome; then report month columns without a year."""
        self.set_layout(self.layout, None)
        for i, row in enumerate(self.table.rows):
            outcome = self._classify(i, row)
            self.outcomes.append(outcome)
            self._previous = outcome
        if self._attachment is not None and self._after_attachment:
            i = self._attachment
            self.ignored[self._attachment_note] = Problem(
                self.table.file,
                f"{self.place(i)}：“{self._attachment_text}”起为附件，不是台账内容；其后 {self._after_attachment} 行未读取",
                sheet=self.table.sheet or None,
                row=self.row_number(i),
                kind=ATTACHMENT,
            )
        self._report_yearless()
        self.problems.sort(key=lambda p: p.row or 0)

    def _classify(self, i: int, row: list[str]) -> Outcome:
        nonempty = [c for c, v in enumerate(row) if v]
        if not nonempty:  # read_tables drops blank rows; nothing to account for
            return Outcome(IGNORED, "空行")
        if self._attachment is not None:
            return self._under_attachment(i, row, nonempty)
        new_layout = self._repeated_header(row, nonempty)
        if new_layout is not None:
            self.set_layout(new_layout, i)
            return Outcome(HEADER)
        first = row[nonempty[0]]
        if self.records and match_key(first).startswith("附件"):
            self._attachment = i
            self._attachment_note = len(self.ignored)
            self._attachment_text = _excerpt(first)
            return self.ignore(i, ATTACHMENT, f"“{_excerpt(first)}”起为附件，不是台账内容")
        if footer_row(row):
            return self.ignore(
                i, FOOTER, f"表尾落款“{_excerpt(' '.join(row[c] for c in nonempty))}”"
            )
        return self._row(i, row, nonempty)

    # ------------------------------------------------------------ headers

    def set_layout(self, layout: Layout, index: int | None) -> None:
        """Use a header's layout from here on; ``index`` None is the table's own header."""
        rows = self.table.rows[:index] if index is not None else []
        cells = self.table.rows[index] if index is not None else self.table.header
        title = [*self.table.title, *(" ".join(v for v in r if v) for r in rows)]
        if layout.undated:  # only a month's date may come from the file's name
            title.insert(0, Path(self.table.file).stem)
        unresolved = resolve_months(layout, title, self.default_year, self.reference_month)
        if unresolved:
            self._yearless.append((index, layout, [cells[c] for c in unresolved]))
        self.layout = layout

    def _repeated_header(self, row: list[str], nonempty: list[int]) -> Layout | None:
        """The layout of a header repeated in the body, or None when the row is no header.

        Only labels make one: a month column's header says a month and then at most a short
        label (not a report: no figures, sentences or placeholders such as ``12月无新增``),
        the department and domain columns hold header words (this table's own, or the
        registry's ``[headers]``), and no cell is a department's or domain's name.
        """
        layout = header_layout(row)
        if layout is None:
            return None
        for col in nonempty:
            cell = row[col]
            if len(cell) <= 30 and (
                self.registry.match_department(cell) or self._exact_domain(cell)
            ):
                return None
            if col in layout.raw_months:
                if not self._month_label(cell):
                    return None
            elif col == layout.domain:
                if match_key(cell) not in self._labels:
                    return None
            elif col == layout.serial:
                continue
            elif (
                len(cell) > 20
                or looks_like_department(cell)
                or (col == layout.department and not _department_label(cell))
            ):
                return None
        return layout

    def _month_label(self, cell: str) -> bool:
        rest = month_header_rest(cell)
        if rest is None:  # a bare number read as a month (44866, 12)
            return True
        rest = rest.lstrip(" :-—")
        return not (
            len(rest) > _LABEL_CHARS
            or any(ch.isdigit() for ch in rest)
            or _SENTENCE.search(rest)
            or (rest and is_placeholder(rest, self.registry.placeholders))
        )

    def _report_yearless(self) -> None:
        """A month column without a year: say so at its header, and which rows lost text."""
        for index, layout, headers in self._yearless:
            cols = {c for c in layout.raw_months if c not in layout.months} | {
                c for c in layout.undated if c not in layout.months
            }
            lost = [
                self.row_number(r.row_index)
                for r in self.records
                if r.layout is layout and any(c in cols for c in r.texts)
            ]
            message = _no_month_message(headers) if layout.undated else _no_year_message(headers)
            if lost:
                message += f"（因此第 {_numbers(lost)} 行该列的内容未使用）"
            self.problems.append(
                Problem(
                    self.table.file,
                    f"{self.place(index)}：{message}",
                    sheet=self.table.sheet or None,
                    row=self.row_number(index),
                    kind="row",
                )
            )

    # ------------------------------------------------------------ rows

    def _cell(self, row: Sequence[str], col: int | None) -> str:
        return row[col] if col is not None and col < len(row) else ""

    def _exact_domain(self, text: str) -> Domain | None:
        if not text or len(text) > 30:
            return None
        d = self.registry.find_domain(text)
        if d is None:
            return None
        keys = {match_key(n) for n in (d.domain, *d.domain_aliases)}
        return d if match_key(text) in keys else None

    def _month_columns(self, nonempty: list[int], layout: Layout | None = None) -> list[int]:
        L = layout or self.layout
        return [c for c in nonempty if c in L.raw_months or c in L.months or c in L.undated]

    def _row(self, i: int, row: list[str], nonempty: list[int]) -> Outcome:
        L, reg = self.layout, self.registry
        dept_text = self._cell(row, L.department)
        domain_text = self._cell(row, L.domain)
        if not _has_words(domain_text):
            domain_text = ""
        serial_text = self._cell(row, L.serial)
        department = reg.match_department(dept_text) if dept_text else None
        domain: Domain | None = None
        shift = 0

        if domain_text:
            domain = reg.find_domain(domain_text)
            if domain is None and department is not None:
                domain = reg.find_domain(domain_text, department)
        if domain is None and department is None:
            # A shifted row: the domain name sits in another non-month column.
            for col in nonempty:
                if col == L.domain or col in L.raw_months:
                    continue
                found = self._exact_domain(row[col])
                if found is not None and L.domain is not None:
                    domain, shift = found, L.domain - col
                    break
            if domain is not None:
                row = _shifted(row, shift)
                nonempty = [c for c, v in enumerate(row) if v]
                dept_text = self._cell(row, L.department)
                department = reg.match_department(dept_text) if dept_text else None

        if dept_text and department is None:
            has_content = bool(domain_text) or bool(self._month_columns(nonempty))
            if has_content or serial_text.isdigit() or looks_like_department(dept_text):
                return self.problem(i, self._unknown_department(dept_text), L.department)
            return self._note(i, row, nonempty)

        if department is not None and domain is not None and domain.department != department:
            return self.problem(
                i,
                f"领域“{domain_text or domain.domain}”属于 {domain.department}，"
                f"不属于 {department}；请核对该行的实施部门和领域",
                L.domain,
            )

        if domain is None and department is not None:
            own = reg.domains_of(department)
            names = "、".join(d.domain for d in own)
            if domain_text:
                return self.problem(
                    i,
                    f"领域“{domain_text}”不是 {department} 的领域（{department} 的领域是：{names}）；"
                    "请核对该行的实施部门和领域",
                    L.domain,
                )
            if len(own) != 1:
                return self.problem(i, f"没有填写领域；{department} 的领域是：{names}", L.domain)
            domain = own[0]

        if domain is None and domain_text:
            return self.problem(i, self._unknown_domain(domain_text), L.domain)

        if domain is None:
            return self._unmatched(i, row, nonempty)

        record = Record(domain, i, shift, L, section=self._cell(row, L.section))
        for col in self._month_columns(nonempty):
            if self._cell(row, col):
                record.texts[col] = row[col]
        self.records.append(record)
        return Outcome(RECORD)

    def _unmatched(self, i: int, row: list[str], nonempty: list[int]) -> Outcome:
        """A row with neither department nor domain: continuation, note, or a problem."""
        L = self.layout
        first = nonempty[0]
        in_months = self._month_columns(nonempty)
        labelled = first in (L.serial, L.department) or first < min(L.fixed, default=0)
        if labelled and not self._cell(row, L.serial).isdigit():
            return self._note(i, row, nonempty)  # 合计, 说明, prose under the table
        if len(nonempty) == 1 and (in_months or first == L.section):
            previous = self._previous.use if self._previous is not None else None
            if previous in (RECORD, CONTINUATION) and self.records:
                return self._continue(row, first)
            if previous == PROBLEM:
                return self.problem(
                    i, "这一行接在上一行（未使用）之后，同样未使用；请补填实施部门和领域", first
                )
        if not in_months:
            what = "只有序号" if nonempty == [L.serial] else "没有实施部门、领域和月份内容"
            return self.ignore(
                i,
                NOTE,
                f"{what}，不是某个领域的内容：“{_excerpt(' '.join(row[c] for c in nonempty))}”",
            )
        texts = [row[c] for c in in_months]
        if all(is_note(t) for t in texts) or (not self.records and header_like(row)):
            return self.ignore(i, NOTE, f"说明文字，不是某个领域的内容：“{_excerpt(texts[0])}”")
        return self.problem(
            i, "这一行没有实施部门和领域，无法确定属于哪个领域；请补填部门和领域", in_months[0]
        )

    def _continue(self, row: list[str], col: int) -> Outcome:
        prev = self.records[-1]
        if col == self.layout.section:
            prev.section = join_lines(prev.section, row[col])
        elif prev.texts:
            last = max(prev.texts)
            prev.texts[last] = join_lines(prev.texts[last], row[col])
        elif prev.layout is self.layout:
            prev.texts[col] = row[col]
        return Outcome(CONTINUATION)

    def _note(self, i: int, row: list[str], nonempty: list[int]) -> Outcome:
        text = " ".join(row[c] for c in nonempty)
        return self.ignore(i, NOTE, f"备注或说明，不是某个领域的内容：“{_excerpt(text)}”")

    def _under_attachment(self, i: int, row: list[str], nonempty: list[int]) -> Outcome:
        """Under 附件 nothing is read, but a known department's report is not let go quietly."""
        L = self.layout
        named = self.registry.match_department(self._cell(row, L.department)) or self._exact_domain(
            self._cell(row, L.domain)
        )
        if named and self._month_columns(nonempty):
            start = self.row_number(self._attachment)
            return self.problem(
                i,
                f"在第{start}行“附件”之后（台账到此结束），这一行未使用；"
                "如是台账的内容，请把它移到“附件”之前",
            )
        self._after_attachment += 1
        return Outcome(IGNORED, "附件内容")

    # ------------------------------------------------------------ messages

    def _unknown_department(self, name: str) -> str:
        near = self.registry.suggest_departments(name)
        if near:
            hint = f"最接近的已知部门：{'、'.join(near)}"
        else:
            hint = "没有相近的已知部门（全部部门可用 hgcredit registry 查看）"
        return f"未知部门“{name}”。{hint}；如确为新名称，请在登记表的 aliases 中添加"

    def _unknown_domain(self, name: str) -> str:
        names = {match_key(d.domain): d.domain for d in self.registry.domains}
        close = difflib.get_close_matches(match_key(name), list(names), n=3, cutoff=0.3)
        if close:
            hint = f"最接近的已知领域：{'、'.join(names[c] for c in close)}"
        else:
            hint = "没有相近的已知领域（全部领域可用 hgcredit registry 查看）"
        return f"未知领域“{name}”；{hint}；如确为新名称，请在登记表的领域别名中添加"


def _shifted(row: list[str], shift: int) -> list[str]:
    """The row with every cell moved ``shift`` columns (right when positive)."""
    out = [""] * len(row)
    for col, value in enumerate(row):
        if value and 0 <= col + shift < len(out):
            out[col + shift] = value
        elif value and col + shift >= len(out):
            out.extend([""] * (col + shift + 1 - len(out)))
            out[col + shift] = value
    return out


def looks_like_department(text: str) -> bool:
    """A short name ending like a department's (局, 委, 支队, 办公室, 中心 …)."""
    return (
        len(text) <= 25
        and "：" not in text
        and ":" not in text
        and bool(_DEPARTMENT_SUFFIX.search(text))
    )


def _department_label(text: str) -> bool:
    key = match_key(text)
    return ("部门" in key or "单位" in key) and not looks_like_department(text)


def _numbers(rows: Sequence[int]) -> str:
    """Row numbers as runs: ``3–5、8``."""
    out: list[str] = []
    start = prev = rows[0]
    for n in [*rows[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return "、".join(out)


def _no_month_message(headers: Sequence[str]) -> str:
    shown = "、".join(f"“{h}”" for h in headers)
    return (
        f"看不出 {shown} 一列是哪个月的（表头、标题和文件名中都没有写明唯一的年月）；"
        "请把表头改为月份，如 2022年11月"
    )


def _no_year_message(headers: Sequence[str]) -> str:
    shown = "、".join(f"“{h}”" for h in headers)
    return (
        f"月份列 {shown} 没有年份；请在表头写明年份（如 2022年11月），"
        "或在命令中指明（import 用 --year 2022，其他命令用 --month 2022-11）"
    )


__all__ = [
    "CONTINUATION",
    "HEADER",
    "IGNORED",
    "PROBLEM",
    "RECORD",
    "Outcome",
    "Record",
    "TableWalk",
    "looks_like_department",
]
