"""Department returns → one work ledger (工作推进台账).

A *return* is any ledger-shaped table: a header with 实施部门 and/or 分级分类领域 and one
column per month (``2022年11月开展…情况``, ``2022年11月``, ``11月``, ``2022-11``, an Excel date),
and a row per domain. :func:`load_ledger` reads several returns and merges them: the file
given later wins, and where two files give different text for the same domain and month a
:class:`Conflict` names both. A file that cannot be used becomes a :class:`~hgcredit.errors.Problem` in
``Ledger.errors``; it never raises.

Row rules (each decided once, here):

* Rows are recognised through the registry: the department by any of its names, the domain
  by name or alias (spaces inside names ignored). A department with one domain needs no
  domain cell. With no department cell (a merged cell lost on export), the domain decides.
* A domain name found in another column than the domain column (a row shifted because a
  merged cell was dropped) realigns the whole row by that shift.
* A row with one cell and no department or domain continues the row above: its text is
  joined to that row's last filled month (or to the column it sits in).
* An unknown department (or a domain that is not the department's) is a problem naming the
  nearest known names; *that row* is skipped and the file's other rows are still used.
* Text before the header is title; after the table, a row starting ``附件`` or a lone text in
  the serial/department column (notice prose, signature, footnote) ends it.

"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hgcredit.errors import HeaderError, HgcreditError, Problem
from hgcredit.io.tables import Table, header_like, read_tables, stack_header
from hgcredit.ledger.model import Entry, Ledger
from hgcredit.months import (
    header_year_month,
    title_month,
    title_year,
    ym,
)
from hgcredit.registry import Domain, Registry
from hgcredit.text import match_key

# Notices put the ledger well below the first screen; look this far for its header.
LEDGER_SCAN_ROWS = 400
MONTH_TITLE = "{year}年{month}月开展行业信用评价及监管情况"

# The header of a column of the month's work that does not say which month.
_PROGRESS = re.compile(r"本月|当月|本期|进展|进度|(?:开展|监管|推进|落实|完成|工作)情况|工作动态")
_SPACES = re.compile(r"\s+")
_DEPARTMENT_SUFFIX = re.compile(r"(局|委|委员会|队|支队|办|办公室|海关|中心|院|站|所|厅)$")


# ---------------------------------------------------------------- header layout


@dataclass
class Layout:
    """Which column holds what, from a ledger header row."""

    serial: int | None
    department: int | None
    domain: int | None
    section: int | None
    raw_months: dict[int, tuple[int | None, int]]  # column -> (year or None, month)
    months: dict[int, str] = field(default_factory=dict)  # column -> "YYYY-MM" once resolved
    # Columns like 本月工作进展 in a header with no month column: the month is in the title.
    undated: list[int] = field(default_factory=list)

    @property
    def fixed(self) -> list[int]:
        return [
            c for c in (self.serial, self.department, self.domain, self.section) if c is not None
        ]


def header_layout(cells: Sequence[str]) -> Layout | None:
    """The layout of a ledger header row, or None when the row is not one.

    A ledger header names the department or domain column and at least one month, or
    else one column of the month's work without its date (``本月工作进展``, ``监管情况``).
    """
    serial = department = domain = section = None
    months: dict[int, tuple[int | None, int]] = {}
    undated: list[int] = []
    for col, cell in enumerate(cells):
        if not cell or len(cell) > 200:
            continue
        ym = header_year_month(cell)
        if ym is not None:
            months[col] = ym
            continue
        key = match_key(cell)
        if len(key) > 20:
            continue
        if serial is None and key in ("序号", "序", "编号", "no"):
            serial = col
        elif domain is None and "领域" in key:
            domain = col
        elif department is None and ("部门" in key or "单位" in key):
            department = col
        elif section is None and ("科室" in key or "责任人" in key or "联系人" in key):
            section = col
        elif _PROGRESS.search(key):
            undated.append(col)
    if (department is None and domain is None) or not (months or undated):
        return None
    return Layout(serial, department, domain, section, months, undated=[] if months else undated)


def is_ledger_header(cells: Sequence[str]) -> bool:
    return header_layout(cells) is not None


def resolve_months(
    layout: Layout,
    title: Sequence[str] = (),
    default_year: int | None = None,
    reference_month: str | None = None,
) -> list[int]:
    """Fill ``layout.months``; return the columns whose year could not be found.

    A header with no month column but one undated column of the month's work takes the
    month of the title rows (the file's name is the farthest title line).

    A month header without a year takes it from the nearest header to its left that has one
    (the year turning over after December), else from the right, else from the title rows,
    else the year that puts it nearest ``reference_month``, else ``default_year``.
    """
    if layout.undated:
        month = title_month(title) if len(layout.undated) == 1 else None
        if month is None:
            return list(layout.undated)
        layout.months[layout.undated[0]] = month
        return []
    cols = sorted(layout.raw_months)
    years: dict[int, int | None] = {c: layout.raw_months[c][0] for c in cols}
    month_of = {c: layout.raw_months[c][1] for c in cols}
    if any(y is not None for y in years.values()):
        _carry_years(cols, years, month_of)
    elif (year := title_year(title)) is not None:
        years[cols[0]] = year
        _carry_years(cols, years, month_of)
    elif reference_month:
        ref = int(reference_month[:4]) * 12 + int(reference_month[5:7])
        for c in cols:
            options = [ref // 12 - 1, ref // 12, ref // 12 + 1]
            years[c] = min(options, key=lambda y: abs(y * 12 + month_of[c] - ref))
    elif default_year is not None:
        years = dict.fromkeys(cols, default_year)
    unresolved = []
    for c in cols:
        y = years[c]
        if y is None:
            unresolved.append(c)
        else:
            layout.months[c] = ym(y, month_of[c])
    return unresolved


def _carry_years(cols: list[int], years: dict[int, int | None], month_of: dict[int, int]) -> None:
    prev = None
    for c in cols:  # forwards: a smaller month than the one before is next year
        if years[c] is None and prev is not None:
            years[c] = years[prev] + (1 if month_of[c] < month_of[prev] else 0)  # type: ignore[operator]
        if years[c] is not None:
            prev = c
    nxt = None
    for c in reversed(cols):  # backwards for leading columns without a year
        if years[c] is None and nxt is not None:
            years[c] = years[nxt] - (1 if month_of[c] > month_of[nxt] else 0)  # type: ignore[operator]
        if years[c] is not None:
            nxt = c


# ---------------------------------------------------------------- rows


@dataclass
class _Record:
    """One recognised ledger row of one table, before it is merged."""

    domain: Domain
    row_index: int
    shift: int
    section: str = ""
    texts: dict[int, str] = field(default_factory=dict)  # realigned month column -> text


def _join(first: str, more: str) -> str:
    """Join a text split over two lines: no space between CJK, one between Latin words."""
    if first and more and first[-1].isascii() and first[-1].isalnum() and more[0].isascii():
        return f"{first} {more}"
    return first + more


class _TableReader:
    """Walks one table's rows and turns them into records and problems."""

    def __init__(
        self,
        table: Table,
        registry: Registry,
        layout: Layout,
        problems: list[Problem],
    ) -> None:
        self.table = table
        self.registry = registry
        self.layout = layout
        self.problems = problems
        self.records: list[tuple[_Record, Layout]] = []

    def place(self, index: int | None) -> str:
        """Where a body row (or, for None, the header) is, without the file name."""
        t = self.table
        sheet = f"[{t.sheet}] " if t.sheet else ""
        number = t.header_row if index is None else t.row_numbers[index]
        return f"{sheet}第{number}行"

    def problem(self, index: int | None, message: str) -> None:
        t = self.table
        row = t.header_row if index is None else t.row_numbers[index]
        self.problems.append(
            Problem(
                t.file,
                f"{self.place(index)}：{message}",
                sheet=t.sheet or None,
                row=row,
                kind="row",
            )
        )

    def run(self, default_year: int | None, reference_month: str | None) -> None:
        for i, row in enumerate(self.table.rows):
            nonempty = [c for c, v in enumerate(row) if v]
            if not nonempty:
                continue
            new_layout = header_layout(row)
            if new_layout is not None and not self._names_a_domain(row):
                # A repeated header (several returns pasted together). A data row can look
                # like one (`安全生产领域` … `2022年11月，我局…`), hence the check above.
                self.set_layout(new_layout, i, default_year, reference_month)
                continue
            if self.records and match_key(row[nonempty[0]]).startswith("附件"):
                return
            if self._row(i, row, nonempty) == "stop":
                return

    def set_layout(
        self,
        layout: Layout,
        index: int | None,
        default_year: int | None,
        reference_month: str | None,
    ) -> None:
        """Use a header's layout from here on; ``index`` None is the table's own header."""
        rows = self.table.rows[:index] if index is not None else []
        cells = self.table.rows[index] if index is not None else self.table.header
        title = [*self.table.title, *(" ".join(v for v in r if v) for r in rows)]
        if layout.undated:  # only a month's date may come from the file's name
            title.insert(0, Path(self.table.file).stem)
        unresolved = resolve_months(layout, title, default_year, reference_month)
        if unresolved and layout.undated:
            self.problem(index, _no_month_message([cells[c] for c in unresolved]))
        elif unresolved:
            self.problem(index, _no_year_message([cells[c] for c in unresolved]))
        self.layout = layout

    def _cell(self, row: Sequence[str], col: int | None) -> str:
        return row[col] if col is not None and col < len(row) else ""

    def _names_a_domain(self, row: Sequence[str]) -> bool:
        return any(
            self.registry.match_department(v) or self._exact_domain(v) for v in row if len(v) <= 30
        )

    def _exact_domain(self, text: str) -> Domain | None:
        if not text or len(text) > 30:
            return None
        d = self.registry.find_domain(text)
        if d is None:
            return None
        keys = {match_key(n) for n in (d.domain, *d.domain_aliases)}
        return d if match_key(text) in keys else None

    def _row(self, i: int, row: list[str], nonempty: list[int]) -> str | None:
        L, reg = self.layout, self.registry
        dept_text = self._cell(row, L.department)
        domain_text = self._cell(row, L.domain)
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
                dept_text = self._cell(row, L.department)
                department = reg.match_department(dept_text) if dept_text else None

        if dept_text and department is None:
            has_content = bool(domain_text) or any(c in L.months for c in nonempty)
            if has_content or serial_text.isdigit() or _looks_like_department(dept_text):
                self.problem(i, self._unknown_department(dept_text))
                return None
            return "stop" if self.records else None

        if department is not None and domain is not None and domain.department != department:
            self.problem(
                i,
                f"领域“{domain_text or domain.domain}”属于 {domain.department}，"
                f"不属于 {department}；请核对该行的实施部门和领域",
            )
            return None

        if domain is None and department is not None:
            own = reg.domains_of(department)
            if len(own) == 1:
                domain = own[0]
            else:
                names = "、".join(d.domain for d in own)
                what = f"未知领域“{domain_text}”" if domain_text else "没有填写领域"
                self.problem(i, f"{what}；{department} 的领域是：{names}")
                return None

        if domain is None and domain_text:
            names = "、".join(self._suggest_domains(domain_text)) or "请检查领域名称"
            self.problem(i, f"未知领域“{domain_text}”；最接近的已知领域：{names}")
            return None

        if domain is None:
            return self._unmatched(i, row, nonempty)

        record = _Record(domain, i, shift, section=self._cell(row, L.section))
        for col in L.months:
            if self._cell(row, col):
                record.texts[col] = row[col]
        self.records.append((record, L))
        return None

    def _unmatched(self, i: int, row: list[str], nonempty: list[int]) -> str | None:
        """A row with neither department nor domain: continuation, footer, or a problem."""
        L = self.layout
        first = nonempty[0]
        in_months = [c for c in nonempty if c in L.months]
        labelled = first in (L.serial, L.department) or first < min(L.fixed, default=0)
        if labelled and not self._cell(row, L.serial).isdigit():
            # Notice prose, signature or 填表人 line after the table (or a note before it).
            return "stop" if self.records else None
        if len(nonempty) == 1 and self.records and (in_months or first == L.section):
            prev, prev_layout = self.records[-1]
            if first == L.section:
                prev.section = _join(prev.section, row[first])
            elif prev.texts:
                last = max(prev.texts)
                prev.texts[last] = _join(prev.texts[last], row[first])
            elif prev_layout is L:
                prev.texts[first] = row[first]
            return None
        if not in_months or not self.records:
            return None  # remarks, a second header line, a units row and the like
        self.problem(i, "这一行没有实施部门和领域，无法确定属于哪个领域；请补填部门和领域")
        return None

    def _unknown_department(self, name: str) -> str:
        try:
            self.registry.find_department(name)
        except HgcreditError as exc:
            return exc.message
        return f"未知部门“{name}”"  # pragma: no cover - find_department found it after all

    def _suggest_domains(self, name: str) -> list[str]:
        import difflib

        names = {match_key(d.domain): d.domain for d in self.registry.domains}
        close = difflib.get_close_matches(match_key(name), list(names), n=3, cutoff=0.3)
        return [names[c] for c in close]


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


def _looks_like_department(text: str) -> bool:
    return (
        len(text) <= 25
        and "：" not in text
        and ":" not in text
        and bool(_DEPARTMENT_SUFFIX.search(text))
    )


def _no_month_message(headers: Sequence[str]) -> str:
    shown = "、".join(f"“{h}”" for h in headers)
    return (
        f"看不出 {shown} 一列是哪个月的（表头、标题和文件名中都没有写明唯一的年月）；"
        "请把表头改为月份，如 2022年11月"
    )


def _no_year_message(headers: Sequence[str]) -> str:
    shown = "、".join(f"“{h}”" for h in headers)
    return f"月份列 {shown} 没有年份；请在表头写明年份（如 2022年11月），或用 --month/--year 指明"


# ---------------------------------------------------------------- loading


def load_ledger(
    paths: Iterable[str | Path],
    registry: Registry,
    *,
    encoding: str | None = None,
    default_year: int | None = None,
    reference_month: str | None = None,
) -> Ledger:
    """Read and merge returns in the order given; bad files go to ``.errors``, never raise.

    ``default_year`` (or better ``reference_month``, ``YYYY-MM``) dates month headers
    written without a year when neither the other headers nor the title give one.
    """
    ledger = Ledger(registry=registry)
    for path in paths:
        _load_file(ledger, Path(path), encoding, default_year, reference_month)
    return ledger


def _take_month_line(table: Table) -> None:
    """``监管情况`` over ``2022年11月``: a header without months whose next row gives them
    becomes a header over two rows (the one row alone passed as an undated header)."""
    layout = header_layout(table.header)
    if layout is None or not layout.undated or not table.rows or not header_like(table.rows[0]):
        return
    stacked = stack_header(table.header, table.rows[0])
    if (found := header_layout(stacked)) is not None and found.raw_months:
        table.header = stacked
        del table.rows[0], table.row_numbers[0]


def _load_file(
    ledger: Ledger,
    path: Path,
    encoding: str | None,
    default_year: int | None,
    reference_month: str | None,
) -> None:
    file = str(path)
    try:
        tables = read_tables(
            path, encoding=encoding, header_test=is_ledger_header, scan_rows=LEDGER_SCAN_ROWS
        )
    except HeaderError:
        ledger.errors.append(
            Problem(
                file,
                "不是台账格式：没有找到含“实施部门”或“分级分类领域”以及月份列（如 2022年11月）"
                "的表头行；请用台账模板填报",
            )
        )
        return
    except HgcreditError as exc:
        ledger.errors.append(Problem(file, exc.message))
        return
    except OSError as exc:  # pragma: no cover - races between exists() and open()
        ledger.errors.append(Problem(file, f"无法读取（{exc.strerror}）"))
        return

    problems: list[Problem] = []
    records: list[tuple[Table, _Record, Layout]] = []
    months: set[str] = set()
    for table in tables:
        _take_month_line(table)
        layout = header_layout(table.header)
        assert layout is not None  # read_tables split the table at such a row
        reader = _TableReader(table, ledger.registry, layout, problems)
        reader.set_layout(layout, None, default_year, reference_month)
        reader.run(default_year, reference_month)
        for record, lay in reader.records:
            records.append((table, record, lay))
            months.update(lay.months.values())
    ledger.errors.extend(problems)
    if not records:
        if not problems:
            ledger.errors.append(
                Problem(file, "表头下没有任何部门或领域的行；请确认填报了台账内容")
            )
        return

    ledger.files.append(file)
    for month in sorted(months):
        if month not in ledger.months:
            ledger.months.append(month)
    ledger.months.sort()
    for table, record, lay in records:
        domain = record.domain.domain
        files = ledger.sources.setdefault(domain, [])
        if file not in files:
            files.append(file)
        if record.section:
            ledger.sections[domain] = record.section
        for col, text in sorted(record.texts.items()):
            resolved = lay.months.get(col)
            if resolved is None:
                continue
            where = table.where(record.row_index, col - record.shift)
            ledger.put(domain, resolved, Entry(text, file, where))
