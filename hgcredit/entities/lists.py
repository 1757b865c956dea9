"""The one reader of entity lists: public evaluation results, tax ratings, a department's
graded list, earlier double-A lists.

Where :func:`hgcredit.io.tables.read_tables` turns every cell of a ledger into clean
text, this reader is built for long lists (tens of thousands to millions of rows): it
keeps the rows as raw cell values and copies out only the code and grade columns, so a
code Excel turned into a number is still recognised as such. Sheets, encodings, file
checks, delimiters and cell text are those of :mod:`hgcredit.io.tables`.

Columns are found by their header's **role** — code, name, grade, county, score, tax
office, domain, department — from one vocabulary kept with the registry (``[headers]``
in ``registry.toml``, :class:`hgcredit.registry.HeaderWords`): a header that is one of a
role's words first, then one that contains a word; earlier words win; a header with a
word of ``[headers.not]`` is never of that role; a column serves one role only. The header
may sit under title rows or span two rows; a caller may name a column itself
(``{"code": "识别号"}``, or a column letter such as ``"B"``).

>>> resolve_columns(["序号", "统一社会信用代码", "主管税务机关名称", "纳税人名称", "纳税信用级别"])
{'code': 1, 'name': 3, 'grade': 4, 'office': 2}
>>> role_columns(["评定时间", "企业类别", "信用等级"], "grade")
[2, 1]
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import operator
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

from hgcredit.errors import HeaderError, HgcreditError, OptionError, ReadError
from hgcredit.io.tables import (
    HEADER_SCAN_ROWS,
    TEXT_SUFFIXES,
    HeaderTest,
    RawSheet,
    cell_text,
    check_file,
    column_letter,
    default_header_test,
    fill_merged,
    find_header_row,
    guess_delimiter,
    iter_sheets,
    open_workbook,
    read_bytes,
    stack_header,
    with_encodings,
)
from hgcredit.ledger.footers import footer_row
from hgcredit.registry import HEADER_ROLES, HeaderWords, load_registry
from hgcredit.text import match_key

ROLE_LABELS = HEADER_ROLES  # role -> its name for clerks: code -> 代码
OFFICE = "office"
# The order roles take columns in: a grade header may hold a name word (企业信用等级).
_ORDER = ("code", "grade", "name", "county", "score", OFFICE, "domain", "department", "year")
# A header longer than this (as a match key) is a sentence, not a column's header.
MAX_HEADER_KEY = 30
# What a clerk may write before `=` in a column option.
ROLE_WORDS = {
    **{role: role for role in ROLE_LABELS},
    **{label: role for role, label in ROLE_LABELS.items()},
    "信用代码": "code",
    "级别": "grade",
    "县区": "county",
    "分数": "score",
}

# label, fraction done (None: started, size unknown)
Progress = Callable[[str, float | None], None]


@dataclass
class ListSpec:
    """What to read and how to find its columns."""

    path: Path
    label: str  # the list's name for messages, e.g. 纳税信用名单
    required: tuple[str, ...] = ("code", "grade")
    columns: dict[str, str] = field(default_factory=dict)  # role -> header text or letter
    encoding: str | None = None
    prefer_sheet: str | None = None  # try this sheet first (an earlier output workbook)
    option_hint: str = ""  # how the caller names columns (--tax-col), for error messages
    allow_empty: bool = True  # False: a list with no data rows is an error
    headers: HeaderWords | None = None  # the registry's header words (None: the packaged ones)
    # A row is an entity's when one of these columns is filled (None: the first two of
    # code, grade, name the list has); other rows (blank, a total line) are skipped.
    row_roles: tuple[str, ...] | None = None
    # A header row of some other table (the work ledger's): a sheet headed so is not a list.
    other_header: HeaderTest | None = None

    @property
    def words(self) -> HeaderWords:
        return self.headers if self.headers is not None else default_headers()


class RowColumn(Sequence[Any]):
    """One column of a list of rows, read on demand.

    Code and grade are needed for every row and are copied out as lists; name,
    county and score are only looked at for the rows that end up in a report, so
    they are read from the rows when asked (copying a million names out of a million
    csv rows costs a tenth of a second and touches memory for nothing).
    """

    __slots__ = ("_j", "_rows")

    def __init__(self, rows: list[list[Any]], j: int) -> None:
        self._rows = rows
        self._j = j

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> Any: ...
    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...
    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [row[self._j] for row in self._rows[i]]
        return self._rows[i][self._j]

    def __iter__(self) -> Iterator[Any]:
        return map(operator.itemgetter(self._j), self._rows)


EAGER = ("code", "grade")  # columns copied out; the others are RowColumns


@dataclass
class EntityList:
    """The columns of a list found by role, as raw cell values, with each row's source row."""

    label: str
    file: str
    sheet: str | None
    header: list[str]
    header_row: int  # 1-based
    columns: dict[str, int]  # role -> 0-based column index
    row_numbers: list[int]  # 1-based source row of each kept row
    cells: dict[str, Sequence[Any]]  # role -> raw values, one per kept row
    rows: list[list[Any]] = field(default_factory=list, repr=False)  # the kept rows
    title: list[str] = field(default_factory=list)  # the text of each line above the header
    row_roles: tuple[str, ...] = ()  # the columns that make a row an entity's (ListSpec)
    # Rows under the header that are no entity: a group heading (萝北县（12户）, 一、绿牌企业)
    # or a note (注：……), merged across the row or written alone: (1-based row, text).
    headings: list[tuple[int, str]] = field(default_factory=list)
    # Other columns headed as codes (组织机构代码, 纳税人识别号 beside 统一社会信用代码): an
    # empty code cell takes a code found there; the source row -> that column's header.
    code_alternates: list[int] = field(default_factory=list, repr=False)
    code_from: dict[int, str] = field(default_factory=dict)
    # The title line that gave every row its grade (a list published per level, with no
    # grade column: 2022年度纳税信用A级纳税人名单); see :func:`grade_from_title`.
    grade_title: str = ""

    def __len__(self) -> int:
        return len(self.row_numbers)

    def column(self, role: str) -> Sequence[Any] | None:
        return self.cells.get(role)

    @property
    def place(self) -> str:
        """``file[sheet]`` (the file alone for csv)."""
        return self.file + (f"[{self.sheet}]" if self.sheet else "")

    def where(self, i: int, column: int | None = None) -> str:
        """``file[sheet] 第12行`` (and ``第E列``) of kept row ``i``."""
        at = f"{self.place} 第{self.row_numbers[i]}行"
        return at if column is None else f"{at} 第{column_letter(column)}列"

    def text(self, i: int, column: int) -> str:
        """The clean text of one cell of kept row ``i``."""
        row = self.rows[i]
        if column >= len(row):
            return ""
        value = row[column]
        if type(value) is str and _is_clean(value):  # most cells: nothing to clean
            return value
        return cell_text(value)


def note_code_sources(lst: EntityList, recovered: dict[int, str]) -> None:
    """Say, for each row whose code came from another code column (``lst.code_from``),
    where it came from (into a :class:`~hgcredit.entities.codes.CodeCheck`'s notes)."""
    if not lst.code_from:
        return
    primary = lst.header[lst.columns["code"]] if "code" in lst.columns else "代码"
    for i, number in enumerate(lst.row_numbers):
        header = lst.code_from.get(number)
        if header is not None:
            note = f"“{primary}”为空，代码取自“{header}”列"
            recovered[i] = f"{recovered[i]}；{note}" if i in recovered else note


def _is_clean(text: str) -> bool:
    """Text that :func:`~hgcredit.io.tables.cell_text` returns unchanged (checked without
    a regex): printable, no HTML or entity, no run of spaces, none at either end."""
    return (
        text.isprintable()
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
        and "<" not in text
        and "&" not in text
    )


@dataclass
class ListSheets:
    """What :func:`read_list_sheets` found in a file: every sheet that is a list, or the
    sheet headed as another kind of table (``ListSpec.other_header``; '' for csv)."""

    lists: list[EntityList]
    other: str | None = None


# ---------------------------------------------------------------- columns


def default_headers() -> HeaderWords:
    """The header words of the packaged registry."""
    return load_registry().headers


def parse_column_options(values: Iterable[str], option: str) -> dict[str, str]:
    """``["代码=识别号", "grade=C"]`` -> ``{"code": "识别号", "grade": "C"}``."""
    out: dict[str, str] = {}
    for value in values:
        role_word, sep, header = value.partition("=")
        role = _role_of(role_word)
        if not sep or not header.strip() or role is None:
            raise OptionError(
                f"{option} {value!r} 的格式应为 列用途=表头，列用途为 "
                f"{'、'.join(ROLE_LABELS.values())} 之一，如 {option} 代码=纳税人识别码"
            )
        out[role] = header.strip()
    return out


def column_roles(columns: Mapping[str, str], where: str) -> dict[str, str]:
    """Columns named by role or its Chinese name (``{"代码": "识别号"}``) -> by role."""
    out: dict[str, str] = {}
    for word, header in columns.items():
        role = _role_of(word)
        if role is None or not str(header).strip():
            raise OptionError(
                f"{where} 中的 {word!r}={header!r} 不能用：列用途为 "
                f"{'、'.join(ROLE_LABELS.values())} 之一（或 {'、'.join(ROLE_LABELS)}），表头不能为空"
            )
        out[role] = str(header).strip()
    return out


def _role_of(word: str) -> str | None:
    return ROLE_WORDS.get(word.strip().lower()) or ROLE_WORDS.get(word.strip())


def _role_match(key: str, role: str, words: HeaderWords, exact: bool) -> int | None:
    """The rank of the first word of ``role`` that header ``key`` is (``exact``) or
    contains; None when it is none, or is ruled out by ``[headers.not]``."""
    if not key or (not exact and len(key) > MAX_HEADER_KEY):
        return None
    for rank, word in enumerate(words.keys[role]):
        if key == word if exact else word in key:
            if any(no in key for no in words.exclude_keys.get(role, ())):
                return None
            return rank
    return None


def _ranks(keys: Sequence[str], role: str, words: HeaderWords, exact: bool) -> list[int | None]:
    return [_role_match(k, role, words, exact) for k in keys]


def role_columns(header: Sequence[str], role: str, headers: HeaderWords | None = None) -> list[int]:
    """Every column whose header names ``role``, best first: headers that are one of its
    words (in word order), then headers that contain one."""
    words = headers if headers is not None else default_headers()
    keys = [match_key(h) for h in header]
    out: list[int] = []
    for exact in (True, False):
        ranked = sorted(
            (r, j) for j, r in enumerate(_ranks(keys, role, words, exact)) if r is not None
        )
        out += [j for _, j in ranked if j not in out]
    return out


def resolve_columns(
    header: Sequence[str],
    named: dict[str, str] | None = None,
    *,
    headers: HeaderWords | None = None,
    fixed: dict[str, int] | None = None,
) -> dict[str, int]:
    """Role -> column index for a header row: ``fixed`` columns, then columns the caller
    ``named`` (header text or letter), then headers that are a role's word, then headers
    that contain one (:data:`MAX_HEADER_KEY`). A column serves one role only; the tax
    office is kept only where no column gives the county."""
    words = headers if headers is not None else default_headers()
    named = named or {}
    fixed = fixed or {}
    keys = [match_key(h) for h in header]
    found: dict[str, int] = dict(fixed)
    used = set(found.values())
    for role, name in named.items():
        j = _named_column(keys, name) if role not in found else None
        if j is not None:
            found[role] = j
            used.add(j)
    for exact in (True, False):
        for role in _ORDER:
            if role in found or role in named:
                continue
            ranked = [
                (r, j)
                for j, r in enumerate(_ranks(keys, role, words, exact))
                if r is not None and j not in used
            ]
            if ranked:
                found[role] = j = min(ranked)[1]
                used.add(j)
    if "county" in found and OFFICE not in named and OFFICE not in fixed:
        found.pop(OFFICE, None)
    return {role: found[role] for role in ROLE_LABELS if role in found}


def _named_column(keys: list[str], name: str) -> int | None:
    key = match_key(name)
    for j, k in enumerate(keys):
        if k == key:
            return j
    letters = name.strip().upper()
    if letters.isascii() and letters.isalpha() and len(letters) <= 3:
        index = 0
        for ch in letters:
            index = index * 26 + (ord(ch) - 64)
        if index - 1 < len(keys):
            return index - 1
    return None


def _missing_error(spec: ListSpec, header: Sequence[str], resolved: dict[str, int]) -> HeaderError:
    missing = [r for r in spec.required if r not in resolved]
    shown = [h for h in header if h]
    wants = "；".join(
        f"{ROLE_LABELS[r]}列（表头如 {'、'.join(spec.words.words[r][:4])}）"
        if r not in spec.columns
        else f"{ROLE_LABELS[r]}列“{spec.columns[r]}”"
        for r in missing
    )
    hint = spec.option_hint
    if hint.startswith("-"):  # a command-line option
        hint = f"；如表头不同，请用 {hint} 指定，如 {hint} 代码=纳税人识别码"
    elif hint:  # a Python argument
        hint = f"；如表头不同，请用 {hint} 指定，如 {hint}={{'代码': '纳税人识别码'}}"
    else:  # no option names columns for this list: the header or the registry must
        columns = "、".join(f"“{spec.words.words[r][0]}”" for r in missing)
        roles = "、".join(missing)
        hint = f"；请在表头中补上{columns}一列（表头不同时可把它加进登记表 [headers] 的 {roles}）"
    return HeaderError(
        f"{spec.label}中找不到{wants}。找到的列：{'、'.join(shown) if shown else '（无）'}{hint}",
        file=spec.path,
    )


# ---------------------------------------------------------------- reading


_gc_lock = threading.Lock()
_gc_pausers = 0


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of small objects.

    Reading a million csv rows creates millions of lists; the collector's passes over
    them are wasted work (they double the parsing time). Nothing cyclic is made here.
    Nested and concurrent uses (two lists read in two threads) are counted, and the
    collector is restored when the last one ends, as it was before the first.
    """
    global _gc_pausers
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_state["enabled"] = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_state["enabled"]:
                gc.enable()


_gc_state = {"enabled": True}


def read_lists(
    specs: Sequence[ListSpec],
    progress: Progress | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[list[EntityList | None], list[HgcreditError]]:
    """Read several lists at once (python-calamine parses without holding the GIL, so
    two workbooks are parsed side by side); ``meanwhile`` runs in this thread while
    they are read (e.g. importing what comes next). Returns each list (None where it
    failed) and the errors of the ones that failed."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=max(len(specs), 1)) as pool:
        futures = [pool.submit(read_list, spec, progress) for spec in specs]
        if meanwhile is not None:
            meanwhile()
        results: list[EntityList | None] = []
        errors: list[HgcreditError] = []
        for future in futures:
            try:
                results.append(future.result())
            except HgcreditError as exc:
                results.append(None)
                errors.append(exc)
    return results, errors


def read_list(spec: ListSpec, progress: Progress | None = None) -> EntityList:
    """Read one list: the first sheet (``spec.prefer_sheet`` first) whose header has every
    required column; HeaderError when none has (naming the columns found)."""
    found = _read(spec, progress, every=False)
    if not found.lists:  # a sheet headed as spec.other_header
        raise _missing_error(spec, [], {})
    result = found.lists[0]
    if not spec.allow_empty and not len(result):
        raise ReadError(
            f"{spec.label}只有表头，没有数据行；请确认导出的是完整名单（不是空白模板）",
            file=spec.path,
        )
    return result


def read_list_sheets(spec: ListSpec) -> ListSheets:
    """Every sheet of a file that is a list (its header has every required column); or,
    as soon as one sheet is headed as ``spec.other_header``, that sheet's name and no
    lists. HeaderError when no sheet is either."""
    return _read(spec, None, every=True)


def _read(spec: ListSpec, progress: Progress | None, every: bool) -> ListSheets:
    p = check_file(spec.path)
    if progress:
        progress(spec.label, None)
    with gc_paused():
        if p.suffix.lower() in TEXT_SUFFIXES:
            data = read_bytes(p)
            found = with_encodings(
                data, p, spec.encoding, lambda enc: _parse_csv(data, enc, p, spec, progress)
            )
        else:
            wb = open_workbook(p)
            try:
                found = _read_excel(wb, p, spec, every)
            finally:
                wb.close()
    if progress:
        progress(spec.label, 1.0)
    return found


def _read_excel(wb: Any, p: Path, spec: ListSpec, every: bool) -> ListSheets:
    lists: list[EntityList] = []
    seen: tuple[list[str], dict[str, int]] | None = None
    for sheet in iter_sheets(wb, p, first=spec.prefer_sheet, hidden_last=True):
        if sheet.hidden and lists:  # what the clerk sees holds the list(s)
            break
        grid = sheet.rows
        found = _find_header(spec, grid[:HEADER_SCAN_ROWS])
        if lists and not every:  # one list wanted, one found: is another sheet one too?
            if isinstance(found, _Header) and _holds_codes(found, grid, spec):
                _several_sheets(spec, p, lists[0], sheet)
            continue
        if isinstance(found, _Other):
            if sheet.hidden:
                continue
            return ListSheets([], sheet.name or "")
        if isinstance(found, tuple):
            seen = seen or found
            continue
        if sheet.hidden:
            raise ReadError(
                f"{spec.label}只在隐藏的工作表“{sheet.name}”中，看得见的工作表中没有；本工具不读"
                "隐藏的工作表（常是旧数据）。如要用它，请在 Excel 中取消隐藏（右键工作表标签 → "
                "取消隐藏）后另存，再给出这个文件",
                file=p,
            )
        _not_filtered(sheet, found, spec)
        columns = found.resolve(spec)
        body = grid[found.body :]
        # Merged cells in the body (a county written once for a block of rows).
        ranges = [((a - found.body, b), (c - found.body, d)) for (a, b), (c, d) in sheet.merged]
        ranges = [r for r in ranges if r[0][0] >= 0]
        headings = _merged_headings(ranges, columns, len(body))
        if headings:
            ranges = [r for r in ranges if r[0][0] not in headings]
        if ranges:
            fill_merged(body, ranges)
        lst = _empty_list(spec, sheet.name, found, columns)
        if sheet.numbers is not None:  # a sheet read without its empty rows
            lst.header_row = sheet.number(found.at)
        if sheet.numbers is None and not headings:
            _collect(lst, body, found.body + 1)
        else:  # each row's number in the file
            numbers = [sheet.number(i) for i in range(found.body, len(grid))]
            if headings:
                lst.headings.extend(
                    (numbers[i], cell_text(next((v for v in body[i] if v not in _BLANK), "")))
                    for i in sorted(headings)
                )
                keep = [i for i in range(len(body)) if i not in headings]
                body, numbers = [body[i] for i in keep], [numbers[i] for i in keep]
            _collect(lst, body, 0, numbers)
        _sections(lst)
        _one_year(lst)
        lists.append(lst)
        if not every and spec.prefer_sheet is not None and sheet.name == spec.prefer_sheet:
            break  # the sheet such a list is written to (本工具写出的双A企业)
    if not lists:
        raise _missing_error(spec, *(seen or ([], {})))
    return ListSheets(lists)


@dataclass
class _Header:
    """Where a list's header is: its first row (0-based, -1 when the list has none),
    the header text per column, the first body row and the text lines above it."""

    at: int
    cells: list[str]
    body: int
    title: list[str] = field(default_factory=list)
    columns: dict[str, int] | None = None  # found otherwise than by the header text

    def resolve(self, spec: ListSpec) -> dict[str, int]:
        if self.columns is not None:
            return self.columns
        return resolve_columns(self.cells, spec.columns, headers=spec.words)


@dataclass
class _Other:
    """A sheet headed as ``ListSpec.other_header``."""


def _find_header(
    spec: ListSpec, top: list[list[Any]]
) -> _Header | _Other | tuple[list[str], dict[str, int]]:
    """The header among the top rows: one row holding every required column, or two
    rows (a merged header: 评价结果 over 等级/得分, or 评价等级 merged down beside the
    second row's columns). Else the columns of the likeliest header (for the error
    message), or _Other for a row headed as ``spec.other_header`` above any list header."""
    head = [[cell_text(v) for v in row] for row in top]
    words = spec.words
    exact = words.all_keys

    def resolve(row: Sequence[str]) -> dict[str, int]:
        return resolve_columns(row, spec.columns, headers=words)

    def has_required(row: Sequence[str]) -> bool:
        # A header row as tables sees one (a merged title is one cell, so it is not),
        # holding every required column; a list of codes may have a one-cell header.
        cells = [c for c in row if c]
        if not default_header_test(row) and not (
            spec.required == ("code",) and len(cells) == 1 and match_key(cells[0]) in exact
        ):
            return False
        resolved = resolve(row)
        return all(r in resolved for r in spec.required)

    def sub_header(upper: Sequence[str], lower: Sequence[str]) -> bool:
        # Header words only, or text under an empty (merged) header cell; never a code.
        code = resolve(upper).get("code")
        cells = [(j, c) for j, c in enumerate(lower) if c]
        return (
            bool(cells)
            and (code is None or code >= len(lower) or not lower[code])
            and any(match_key(c) in exact for _, c in cells)
            and all(match_key(c) in exact or j >= len(upper) or not upper[j] for j, c in cells)
        )

    def title(i: int) -> list[str]:
        return [" ".join(c for c in r if c) for r in head[:i] if any(r)]

    for i, row in enumerate(head):
        if spec.other_header is not None and spec.other_header(row):
            return _Other()
        nxt = head[i + 1] if i + 1 < len(head) else []
        if has_required(row):
            if sub_header(row, nxt):
                return _Header(i, stack_header(row, nxt), i + 2, title(i))
            return _Header(i, list(row), i + 1, title(i))
        if (
            default_header_test(row)
            and default_header_test(nxt)
            and not has_required(nxt)
            and sub_header(row, nxt)
            and has_required(stack_header(row, nxt))
        ):
            return _Header(i, stack_header(row, nxt), i + 2, title(i))
    if spec.required == ("code",):
        found = _headerless_codes(top)
        if found is not None:
            return found
    guess = find_header_row(head, default_header_test)
    if guess is None:
        return ([], {})
    return (head[guess], resolve(head[guess]))


# The roles that tell one entity's row from another's.
_IDENTIFYING = ("code", "name", "grade")
# A row holding one cell that is a group heading or a note, not an entity: `一、绿牌企业`,
# `（二）萝北县`, `萝北县（12户）`, `A级企业（共30家）`, `注：……`, `备注：……`.
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|(?:注|备注|说明)\s*\d*\s*[:：])"
    r"|[（(]\s*(?:共|计|合计)?\s*[\d,，]+\s*(?:户|家|个|条|所|处|名)\s*[）)]\s*$"
)


def _merged_headings(
    ranges: Sequence[tuple[tuple[int, int], tuple[int, int]]], columns: dict[str, int], rows: int
) -> set[int]:
    """Body rows under a merged cell that spans two of the columns telling entities apart
    (code, name, grade): a group heading (`萝北县（12户）` over a Word table's rows) or a
    note under the table, never an entity (whose code and name are cells of their own)."""
    identifying = [columns[r] for r in _IDENTIFYING if r in columns]
    out: set[int] = set()
    for (r1, c1), (r2, c2) in ranges:
        if sum(c1 <= j <= c2 for j in identifying) >= 2:
            out.update(range(r1, min(r2, rows - 1) + 1))
    return out


# What a group heading says once its numbering and count are taken off: `一、`, `（二）`,
# `（12户）`, `（共30家）`; a note (注：……) says nothing about the rows under it.
_ENUMERATOR = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])\s*"
)
_COUNT = re.compile(r"\s*[（(]\s*(?:共|计|合计)?\s*[\d,，]+\s*(?:户|家|个|条|所|处|名)\s*[）)]\s*$")
_NOTE = re.compile(r"^(?:注|备注|说明)\s*\d*\s*[:：]")
_PLACE = re.compile(r"(?:县|区|旗|市|市本级|市直)$")
SECTION_HEADERS = {"grade": "等级（分组标题）", "county": "区县（分组标题）"}


def section_value(heading: str) -> str:
    """What a group heading says about the rows under it ('' for a note).

    >>> section_value("一、AAA级（优良）企业（5家）"), section_value("萝北县（12户）"), section_value("注：以上")
    ('AAA级（优良）企业', '萝北县', '')
    """
    if _NOTE.match(heading) or footer_row([heading], notes=True):
        return ""
    return _COUNT.sub("", _ENUMERATOR.sub("", heading)).strip()


def _sections(lst: EntityList) -> None:
    """Group headings as a column: a list grouped under headings that name a county
    (`萝北县（12户）`) or a grade (`一、AAA级企业（5家）`) and has no column of that role
    gets one, headed :data:`SECTION_HEADERS`, holding each row's heading."""
    marks = [(n, section_value(t)) for n, t in lst.headings]
    marks = sorted((n, v) for n, v in marks if v)
    if not marks or not lst.row_numbers:
        return
    role = "county" if all(_PLACE.search(v) for _, v in marks) else "grade"
    if role in lst.columns:
        return
    j = len(lst.header)
    lst.header = [*lst.header, SECTION_HEADERS[role]]
    values: list[str] = []
    k, current = 0, ""
    for number, row in zip(lst.row_numbers, lst.rows, strict=True):
        while k < len(marks) and marks[k][0] < number:
            current = marks[k][1]
            k += 1
        values.append(current)
        if len(row) < j:
            row.extend([""] * (j - len(row)))
        row[j:] = [current]
    lst.columns[role] = j
    lst.cells[role] = values if role in EAGER else RowColumn(lst.rows, j)


def _holds_codes(found: _Header, grid: list[list[Any]], spec: ListSpec) -> bool:
    """Whether a sheet headed like a list has a usable code in its first rows (a legend
    headed 指标代码 · 等级 is no list)."""
    from hgcredit.entities.codes import check_codes

    j = found.resolve(spec).get("code")
    if j is None:
        return False
    values = [row[j] for row in grid[found.body : found.body + 50] if len(row) > j]
    return bool(values) and bool(check_codes(values, recover=True).usable.any())


def _several_sheets(spec: ListSpec, p: Path, first: EntityList, other: RawSheet) -> None:
    """A ReadError when a second visible sheet holds a list too, where one list is read (a
    tax or public evaluation export split into sheets by county or year): reading the first
    alone would drop the others' rows without a word."""
    raise ReadError(
        f"{spec.label}在几个工作表中都有（“{first.sheet}”“{other.name}”……）；本工具只读一个"
        "工作表，不猜是一份名单分在几页还是几份名单：一份名单分页导出的，请把各页的行复制到一个"
        "工作表中；其他工作表不是要用的，请删去或隐藏；另存后再给出这个文件",
        file=p,
    )


TITLE_GRADE_HEADER = "等级（取自标题）"


def grade_from_title(lst: EntityList, value: str, title: str) -> None:
    """Give a list without a grade column one holding ``value`` on every row, headed
    :data:`TITLE_GRADE_HEADER`: a list published per level says its level once, in its
    title (``title``), not on each row."""
    j = len(lst.header)
    lst.header = [*lst.header, TITLE_GRADE_HEADER]
    for row in lst.rows:
        if len(row) < j:
            row.extend([""] * (j - len(row)))
        row[j:] = [value]
    lst.columns["grade"] = j
    lst.cells["grade"] = [value] * len(lst)
    lst.grade_title = title


def _not_filtered(sheet: RawSheet, found: _Header, spec: ListSpec) -> None:
    """A ReadError when an autofilter hides rows of the list: what the clerk sees is not what
    the file holds, and which of the two is meant is not ours to guess (a list filtered to
    one year or county and saved, or a filter left on by mistake)."""
    below = [n for n in sheet.filtered if n > sheet.number(found.at)]
    if not below:
        return
    shown = "、".join(f"第{n}行" for n in below[:5]) + (
        f"等 {len(below):,} 行" if len(below) > 5 else ""
    )
    raise ReadError(
        f"{spec.label}所在的工作表设置了筛选，隐藏了 {len(below):,} 行（{shown}）；本工具不按筛选结果读，"
        "要用全部的行请清除筛选后另存，只要筛选出的行请把它们复制到新工作簿另存，再给出这个文件",
        file=f"{spec.path}[{sheet.name}]",
    )


_A_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _one_year(lst: EntityList) -> None:
    """A ReadError when the list's year column (评价年度 …) holds rows of several years:
    one entity would be listed once per year, and which year is meant is not ours to
    guess (the tax bureau's export may span years)."""
    column = lst.column("year")
    if column is None or not len(lst):
        return
    per_year: Counter[str] = Counter()
    for value, n in Counter(column).items():
        found = _A_YEAR.search(cell_text(value)) if value not in _BLANK else None
        if found:
            per_year[found.group(0)] += n
    if len(per_year) < 2:
        return
    header = lst.header[lst.columns["year"]]
    counts = "、".join(f"{y} 年度 {n:,} 行" for y, n in sorted(per_year.items()))
    raise ReadError(
        f"{lst.label}中有几个年度的评价结果（“{header}”列：{counts}）；一份名单应是一个年度的，"
        "请只导出要用的那一年（或删去其他年度的行）后另存，再给出这个文件",
        file=lst.place,
    )


def _is_heading(row: Sequence[Any]) -> bool:
    """A row of one cell that reads as a group heading or a note (:data:`_HEADING`)."""
    filled = [v for v in row if v not in _BLANK]
    return (
        len(filled) == 1 and isinstance(filled[0], str) and bool(_HEADING.search(filled[0].strip()))
    )


def _is_sign_off(row: Sequence[Any]) -> bool:
    """A sign-off line under a table, its fields in cells of their own (``填表人：``
    ``张三`` ``联系电话：`` ``0468-…``), or a remark: by the one rule for the lines under a
    table, the ledger's footer rule (:func:`hgcredit.ledger.footers.footer_row`).

    >>> _is_sign_off(["填表人：张三", "", "", "联系电话：0468-1234567"])
    True
    >>> _is_sign_off(["审核：", "李四", None, "填报日期：2023年1月5日"])
    True
    >>> _is_sign_off(["", "甲公司", "", "A级"]), _is_sign_off(["绿牌企业：", "甲公司"])
    (False, False)
    """
    return footer_row([cell_text(v).strip() for v in row if v not in _BLANK], notes=True)


def _headerless_codes(top: list[list[Any]]) -> _Header | None:
    """A bare column of codes (no header): the first column where most filled top cells
    are valid codes or legacy ids."""
    from hgcredit.entities.codes import check_codes

    width = max(map(len, top), default=0)
    for j in range(width):
        values = [row[j] for row in top if j < len(row) and row[j] not in _BLANK]
        if values and 2 * int(check_codes(values, recover=True).usable.sum()) > len(values):
            header = ["" for _ in range(width)]
            header[j] = "（无表头）"
            return _Header(-1, header, 0, columns={"code": j})
    return None


def _parse_csv(
    data: bytes, encoding: str, p: Path, spec: ListSpec, progress: Progress | None
) -> ListSheets:
    # Decoded as it is parsed: no second copy of a 100 MB text in memory.
    sample = data[:200_000].decode(encoding, errors="ignore")
    delimiter = guess_delimiter(sample, p.suffix.lower())
    raw = io.BytesIO(data)
    reader = csv.reader(io.TextIOWrapper(raw, encoding=encoding, newline=""), delimiter=delimiter)
    try:
        top = [row for _, row in zip(range(HEADER_SCAN_ROWS), reader, strict=False)]
        found = _find_header(spec, top)
        if isinstance(found, _Other):
            return ListSheets([], "")
        if isinstance(found, tuple):
            raise _missing_error(spec, *found)
        lst = _empty_list(spec, None, found, found.resolve(spec))
        _collect(lst, top[found.body :], found.body + 1)
        consumed = len(top)  # records (rows as Excel shows them), not physical lines
        while True:
            block = [row for _, row in zip(range(_CHUNK), reader, strict=False)]
            if not block:
                break
            _collect(lst, block, consumed + 1)
            consumed += len(block)
            if progress:
                progress(spec.label, raw.tell() / max(len(data), 1))
    except csv.Error as exc:
        raise ReadError(f"CSV 格式错误（第 {reader.line_num} 行：{exc}）", file=p) from None
    _sections(lst)
    _one_year(lst)
    return ListSheets([lst])


_CHUNK = 100_000


def _empty_list(
    spec: ListSpec, sheet: str | None, found: _Header, columns: dict[str, int]
) -> EntityList:
    lst = EntityList(
        label=spec.label,
        file=str(spec.path),
        sheet=sheet,
        header=found.cells,
        header_row=found.at + 1,
        columns=columns,
        row_numbers=[],
        cells={},
        title=found.title,
    )
    roles = spec.row_roles or ("code", "grade", "name")
    present = tuple(r for r in roles if r in columns)
    lst.row_roles = present if spec.row_roles else present[:2]
    if "code" in columns:
        used = set(columns.values())
        lst.code_alternates = [
            j for j in role_columns(found.cells, "code", spec.words) if j not in used
        ]
    for role, j in columns.items():
        lst.cells[role] = [] if role in EAGER else RowColumn(lst.rows, j)
    return lst


def _collect(
    lst: EntityList, rows: list[list[Any]], first_row: int, given: Sequence[int] | None = None
) -> None:
    """Append consecutive source rows (``first_row`` is the 1-based row of ``rows[0]``, or
    ``given`` the number of each), skipping rows empty in the identifying columns."""
    if not rows:
        return
    width = max(lst.columns.values(), default=0) + 1
    if min(map(len, rows)) < width:
        rows = [r if len(r) >= width else [*r, *[""] * (width - len(r))] for r in rows]
    eager = {
        role: list(map(operator.itemgetter(j), rows))
        for role, j in lst.columns.items()
        if role in EAGER
    }
    numbers: Sequence[int] = range(first_row, first_row + len(rows)) if given is None else given
    codes = eager.get("code")
    heads: list[int] = []
    if codes is None:
        # A list without codes (names and grades): its sign-off lines are no entities
        # either, by the same rule.
        heads = [i for i, row in enumerate(rows) if _is_sign_off(row)]
    elif codes.count("") or codes.count(None):
        # Group headings and notes written in one cell (no code of their own): not entities.
        heads = [
            i
            for i, v in enumerate(codes)
            if v in _BLANK and (_is_heading(rows[i]) or _is_sign_off(rows[i]))
        ]
    if heads:
        lst.headings.extend(
            (numbers[i], cell_text(next(v for v in rows[i] if v not in _BLANK))) for i in heads
        )
        drop = set(heads)
        keep = [i for i in range(len(rows)) if i not in drop]
        rows = [rows[i] for i in keep]
        eager = {role: [c[i] for i in keep] for role, c in eager.items()}
        numbers = [numbers[i] for i in keep]
        if not rows:
            return
    if codes is not None and lst.code_alternates and (codes.count("") or codes.count(None)):
        _code_from_alternates(lst, rows, eager["code"], numbers)
    keys = [
        eager[role] if role in eager else list(map(operator.itemgetter(lst.columns[role]), rows))
        for role in lst.row_roles
    ]
    # Blank rows: empty in every identifying column (only looked for when each has blanks).
    if keys and all(k.count("") or k.count(None) for k in keys):
        if len(keys) == 2:
            keep = [
                i
                for i, (x, y) in enumerate(zip(*keys, strict=True))
                if x not in _BLANK or y not in _BLANK
            ]
        else:
            keep = [
                i
                for i, cells in enumerate(zip(*keys, strict=True))
                if any(c not in _BLANK for c in cells)
            ]
        if len(keep) != len(rows):
            rows = [rows[i] for i in keep]
            eager = {role: [c[i] for i in keep] for role, c in eager.items()}
            numbers = [numbers[i] for i in keep]
    lst.row_numbers.extend(numbers)
    lst.rows.extend(rows)
    for role, values in eager.items():
        lst.cells[role].extend(values)  # type: ignore[attr-defined]


_BLANK = ("", None)


def _code_from_alternates(
    lst: EntityList, rows: list[list[Any]], codes: list[Any], numbers: Sequence[int]
) -> None:
    """Fill empty code cells from the list's other code columns, where one holds a code
    (a unified code, a legacy id) or an organisation code (reported as such later)."""
    from hgcredit.entities.codes import Reason, check_codes

    blank = [i for i, v in enumerate(codes) if v in _BLANK]
    found: list[tuple[int, Any, int]] = []  # row, value, column
    for i in blank:
        row = rows[i]
        for j in lst.code_alternates:
            if j < len(row) and row[j] not in _BLANK:
                found.append((i, row[j], j))
                break
    if not found:
        return
    chk = check_codes([v for _, v, _ in found], recover=True)
    for k, (i, value, j) in enumerate(found):
        if chk.reasons[k] <= Reason.LEGACY or chk.reasons[k] == Reason.ORG:
            codes[i] = value
            lst.code_from[numbers[i]] = lst.header[j]
