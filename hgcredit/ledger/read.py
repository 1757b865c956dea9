"""Department returns → one work ledger (工作推进台账).

A *return* is any ledger-shaped table: a header with 实施部门 and/or 分级分类领域 and one
column per month (``2022年11月开展…情况``, ``2022年11月``, ``11月``, ``2022-11``, an Excel date,
see :mod:`hgcredit.ledger.layout`), and a row per domain. :func:`load_ledger` reads several
returns and merges them: the file given later wins, and where two files give different text
for the same domain and month a :class:`Conflict` names both. A file that cannot be used
becomes a :class:`~hgcredit.errors.Problem` in ``Ledger.errors``; it never raises.

Every non-empty row under a table's header is used or reported (:mod:`hgcredit.ledger.rows`):

* Rows are recognised through the registry: the department by any of its names, the domain
  by name or alias (spaces inside names ignored). A department with one domain needs no
  domain cell; a domain cell naming another domain is refused, naming both. With no
  department cell (a merged cell lost on export), the domain decides.
* A domain name found in another column than the domain column (a row shifted because a
  merged cell was dropped) realigns the whole row by that shift.
* A lone text right under a domain's row continues it: it is joined to that row's last
  filled month (or to the column it sits in).
* A month merged over sub-columns (``2022年12月`` over ``监管措施 | 工作成效``) is one month:
  a row's texts under it are joined in column order, each after its label.
* An unknown department or domain (or a domain that is not the department's) is a problem
  naming the nearest known names; *that row* is skipped and the file's other rows are used.
* The form's footer (填报人, 联系电话, 审核人, 日期, 盖章), notes and totals are ignored and
  listed in ``Ledger.ignored``; a row starting ``附件`` ends the table.
* The table's header is never a row naming a known department or domain; a header repeated
  inside the table is made of labels only.
* A formula cell without a stored result (it reads as empty) is a problem saying how to fix
  it: open and save the file in Excel or WPS.

"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from hgcredit.errors import HeaderError, HgcreditError, Problem
from hgcredit.io.tables import (
    Table,
    column_letter,
    header_like,
    read_tables,
    stack_header,
    uncached_formulas,
)
from hgcredit.ledger.layout import Layout, header_layout, is_ledger_header, resolve_months
from hgcredit.ledger.model import Entry, Ledger
from hgcredit.ledger.rows import Record, TableWalk, looks_like_department
from hgcredit.months import header_year_month, month_header_rest
from hgcredit.registry import Registry
from hgcredit.text import match_key

# Notices put the ledger well below the first screen; look this far for its header.
LEDGER_SCAN_ROWS = 400
MONTH_TITLE = "{year}年{month}月开展行业信用评价及监管情况"
_FORMULAS_SHOWN = 5
_SENTENCE = re.compile(r"[,;!?。，；！？]")

__all__ = [
    "LEDGER_SCAN_ROWS",
    "MONTH_TITLE",
    "Layout",
    "Ledger",
    "header_layout",
    "is_ledger_header",
    "ledger_header_test",
    "load_ledger",
    "resolve_months",
]


def ledger_header_test(registry: Registry) -> Callable[[Sequence[str]], bool]:
    """Whether a row is a ledger's header: :func:`header_layout` finds one, and the row is
    no domain's row. A domain's row such as ``安全生产领域 | 11月，我局…`` has a domain column
    and a month-led text too; it names a known department or domain, or has a department's
    name outside the labelled columns (``市教育局``), or a report in a month column (a month
    followed by figures and sentences: ``12月开展评价，共 30 家``)."""

    def test(cells: Sequence[str]) -> bool:
        layout = header_layout(cells)
        if layout is None:
            return False
        for col, cell in enumerate(cells):
            if not cell:
                continue
            if col in layout.raw_months:
                rest = month_header_rest(cell) or ""
                if any(ch.isdigit() for ch in rest) and _SENTENCE.search(rest):
                    return False
                continue
            if len(cell) > 30:
                continue
            if registry.match_department(cell) or _exact_domain(registry, cell):
                return False
            if col not in layout.fixed and looks_like_department(cell):
                return False
        return True

    return test


def _exact_domain(registry: Registry, cell: str) -> bool:
    domain = registry.find_domain(cell)
    return domain is not None and match_key(cell) in {
        match_key(n) for n in (domain.domain, *domain.domain_aliases)
    }


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
    becomes a header over two rows (the one row alone passed as an undated header). So does
    a month merged over sub-columns, ``2022年12月`` over ``监管措施 | 工作成效``."""
    layout = header_layout(table.header)
    if layout is None or not table.rows or not header_like(table.rows[0]):
        return
    if not layout.undated and not _sub_columns(table.header, table.rows[0], layout):
        return
    stacked = stack_header(table.header, table.rows[0])
    if (found := header_layout(stacked)) is not None and found.raw_months:
        table.header = stacked
        del table.rows[0], table.row_numbers[0]


def _sub_columns(header: Sequence[str], below: Sequence[str], layout: Layout) -> bool:
    """The row under a header names the parts of a month merged across columns: a month
    header over two or more columns with a different label under each, and under the
    other columns nothing but the header again (cells merged down) or blanks."""
    cell = lambda row, c: row[c] if c < len(row) else ""  # noqa: E731
    by_month: dict[tuple[int | None, int], list[int]] = {}
    for col, month in layout.raw_months.items():
        by_month.setdefault(month, []).append(col)
    split = [cols for cols in by_month.values() if len(cols) > 1]
    if not split or any(len({cell(below, c) for c in cols}) < len(cols) for cols in split):
        return False
    spread = {c for cols in split for c in cols}
    return all(
        not cell(below, c) or cell(below, c) == cell(header, c)
        for c in range(max(len(header), len(below)))
        if c not in spread
    )


def _parts(record: Record, header: Sequence[str]) -> dict[int, str]:
    """A record's texts with one per month: a month written in several columns (sub-columns
    such as 监管措施 | 工作成效) is their texts joined in column order, each after its label."""
    by_month: dict[str, list[int]] = {}
    for col in sorted(record.texts):
        if (month := record.layout.months.get(col)) is not None:
            by_month.setdefault(month, []).append(col)
    out = dict(record.texts)
    for cols in by_month.values():
        filled = [c for c in cols if record.texts[c].strip()]
        if len(filled) < 2:
            continue
        parts = []
        for c in filled:
            label = _sub_label(header, c)
            parts.append(f"{label}：{record.texts[c]}" if label else record.texts[c])
            del out[c]
        out[filled[0]] = "\n".join(parts)
    return out


def _sub_label(header: Sequence[str], col: int) -> str:
    """The sub-column's own label: the lower line of a stacked header cell, unless that is
    the month itself (``2022年`` over ``11月``)."""
    cell = header[col] if col < len(header) else ""
    if "\n" not in cell:
        return ""
    label = cell.rsplit("\n", 1)[1].strip()
    return "" if header_year_month(label) is not None else label


def _read(
    ledger: Ledger, path: Path, encoding: str | None, registry: Registry
) -> list[Table] | None:
    file = str(path)
    try:
        return read_tables(
            path,
            encoding=encoding,
            header_test=ledger_header_test(registry),
            scan_rows=LEDGER_SCAN_ROWS,
        )
    except HeaderError:
        ledger.errors.append(Problem(file, _no_header_message(path, encoding)))
    except HgcreditError as exc:
        ledger.errors.append(Problem(file, exc.message))
    except OSError as exc:  # pragma: no cover - races between exists() and open()
        ledger.errors.append(Problem(file, f"无法读取（{exc.strerror}）"))
    return None


def _no_header_message(path: Path, encoding: str | None) -> str:
    """Why no ledger header was found: a row that labels the columns but has no month
    column is named with its cells (a month header stored as a number out of range, a
    header in words no one reads as a month); else the general message."""
    note = ""
    if formulas := sum(len(cells) for cells in uncached_formulas(path).values()):
        note = (
            f"（表中有 {formulas} 个公式单元格没有保存计算结果，读出为空；"
            "请先用 Excel 或 WPS 打开该文件、保存后再导入）"
        )
    general = (
        "不是台账格式：没有找到含“实施部门”或“分级分类领域”以及月份列（如 2022年11月）"
        f"的表头行；请用台账模板填报{note}"
    )
    try:
        tables = read_tables(
            path,
            encoding=encoding,
            header_test=lambda cells: header_layout(cells, months_required=False) is not None,
            scan_rows=LEDGER_SCAN_ROWS,
        )
    except (HgcreditError, OSError):
        return general
    table = tables[0]
    layout = header_layout(table.header, months_required=False)
    assert layout is not None
    others = [
        f"{column_letter(c)}列“{v}”"
        for c, v in enumerate(table.header)
        if v and c not in layout.fixed
    ]
    sheet = f"[{table.sheet}] " if table.sheet else ""
    shown = "、".join(others[:6]) if others else "（没有其他列）"
    return (
        f"{sheet}第{table.header_row}行是台账表头，但没有能看出月份的列：{shown}；"
        "请把月份列的表头写成 2022年11月 这样的文字"
        f"（表头是 Excel 日期时，请把单元格格式设为日期，或改成文字）{note}"
    )


def _formula_problems(path: Path, tables: Sequence[Table]) -> list[Problem]:
    """Formula cells in a table with no stored result: they read as empty."""
    found = uncached_formulas(path)
    problems = []
    for table in tables:
        cells = [
            (r + 1, c)
            for r, c in found.get(table.sheet or "", [])
            if r + 1 >= table.header_row and c < max(len(table.header), 1)
        ]
        if not cells:
            continue
        shown = "、".join(f"{column_letter(c)}{r}" for r, c in cells[:_FORMULAS_SHOWN])
        more = f" 等 {len(cells)} 个单元格" if len(cells) > _FORMULAS_SHOWN else ""
        sheet = f"[{table.sheet}] " if table.sheet else ""
        problems.append(
            Problem(
                str(path),
                f"{sheet}{shown}{more}是公式，但文件中没有保存公式的计算结果，读出为空"
                "（相应领域会显示为未填报）；请用 Excel 或 WPS 打开该文件、保存后再导入",
                sheet=table.sheet or None,
                row=cells[0][0],
                column=column_letter(cells[0][1]),
                kind="row",
            )
        )
    return problems


def _load_file(
    ledger: Ledger,
    path: Path,
    encoding: str | None,
    default_year: int | None,
    reference_month: str | None,
) -> None:
    file = str(path)
    tables = _read(ledger, path, encoding, ledger.registry)
    if tables is None:
        return

    problems: list[Problem] = _formula_problems(path, tables)
    if any(not t.hidden for t in tables):
        # What the sender sees is what is read: a hidden sheet (an old copy, a template)
        # is left out and said so; a file whose tables are all hidden is read as it is.
        for t in tables:
            if t.hidden:
                ledger.ignored.append(
                    Problem(
                        file,
                        f"[{t.sheet}] 是隐藏的工作表（在 Excel 中看不到），未读取；"
                        "如确是报送内容，请取消隐藏后另存",
                        sheet=t.sheet,
                        kind="note",
                    )
                )
        tables = [t for t in tables if not t.hidden]
    records: list[tuple[Table, Record]] = []
    months: set[str] = set()
    for table in tables:
        _take_month_line(table)
        layout = header_layout(table.header)
        assert layout is not None  # read_tables split the table at such a row
        walk = TableWalk(
            table,
            ledger.registry,
            layout,
            default_year=default_year,
            reference_month=reference_month,
        )
        walk.walk()
        problems.extend(walk.problems)
        ledger.ignored.extend(walk.ignored)
        for record in walk.records:
            records.append((table, record))
            months.update(record.layout.months.values())
    ledger.errors.extend(problems)
    if not records:
        if not problems:
            ledger.errors.append(
                Problem(file, "表头下没有任何部门或领域的行；请确认填报了台账内容")
            )
        return
    if not months:
        # Rows, but no month column could be dated (``11月`` with no year anywhere): the
        # file gave nothing, and is not counted as used. Its header was reported.
        if not problems:
            ledger.errors.append(
                Problem(file, "没有一个月份列能确定是哪年哪月；请在表头写明年份（如 2022年11月）")
            )
        return

    ledger.files.append(file)
    ledger.file_months[file] = sorted(months | set(ledger.file_months.get(file, ())))
    for month in sorted(months):
        if month not in ledger.months:
            ledger.months.append(month)
    ledger.months.sort()
    for table, record in records:
        domain = record.domain.domain
        files = ledger.sources.setdefault(domain, [])
        if file not in files:
            files.append(file)
        if record.section:
            ledger.sections[domain] = record.section
        ledger.covered.update((domain, m) for m in record.layout.months.values())
        for col, text in sorted(_parts(record, table.header).items()):
            resolved = record.layout.months.get(col)
            if resolved is None:
                continue  # a month column without a year: reported at its header
            where = table.where(record.row_index, col - record.shift)
            ledger.put(domain, resolved, Entry(text, file, where))
