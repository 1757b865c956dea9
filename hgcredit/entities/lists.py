"""Read entity lists fast: public evaluation results, tax ratings, earlier double-A lists.

Where :mod:`hgcredit.io.tables` turns every cell of a ledger into clean text, this reader
is built for long lists (tens of thousands to millions of rows) and keeps only the
columns the double-A job needs, as raw cell values: the code column stays exactly as
stored so that a code Excel turned into a number is recognised as such.

Columns are found by their headers (:data:`ROLES`), under any title rows (the header is
found the way :func:`hgcredit.tables.find_header_row` finds it); a caller may name a
column itself (``{"code": "识别号"}``, or a column letter such as ``"B"``). Encodings
and file checks are those of :mod:`hgcredit.io.tables`.

>>> resolve_columns(["序号", "统一社会信用代码", "主管税务机关名称", "纳税人名称", "纳税信用级别"])
{'code': 1, 'name': 3, 'grade': 4}
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import operator
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

from hgcredit.errors import HeaderError, HgcreditError, OptionError, ReadError
from hgcredit.io.tables import (
    HEADER_SCAN_ROWS,
    MAX_CELLS,
    TEXT_SUFFIXES,
    candidate_encodings,
    cell_text,
    check_file,
    column_letter,
    default_header_test,
    fill_merged,
    find_header_row,
    guess_delimiter,
    open_workbook,
    read_bytes,
    short_error,
    stack_header,
    undecodable,
)
from hgcredit.text import match_key

# Header names per role, most specific first (matched on text.match_key).
ROLES: dict[str, tuple[str, ...]] = {
    "code": ("统一社会信用代码", "社会信用代码", "纳税人识别号", "信用代码"),
    "name": ("企业名称", "纳税人名称", "市场主体名称", "主体名称", "单位名称", "名称"),
    "grade": ("信用等级", "评价等级", "纳税信用级别", "纳税信用等级", "评价结果", "等级", "级别"),
    "county": ("所属区县", "县区", "区县", "所属县区", "行政区划"),
    "score": ("综合得分", "得分", "评价得分", "评分", "分值"),
}
ROLE_LABELS = {"code": "代码", "name": "名称", "grade": "等级", "county": "区县", "score": "得分"}
# A tax list's 主管税务机关 (国家税务总局萝北县税务局) names the county when no county
# column does; found beside the roles, only in a list without a county column.
OFFICE = "office"
OFFICE_HEADERS = ("主管税务机关", "所属税务机关", "税务机关")
COLUMN_LABELS = {**ROLE_LABELS, OFFICE: "税务机关"}
# What a clerk may write before `=` in a column option.
ROLE_WORDS = {
    **{role: role for role in ROLES},
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
    option_hint: str = ""  # the option that names columns, for error messages
    allow_empty: bool = True  # False: a list with no data rows is an error


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
    """The needed columns of a list, as raw cell values, with each row's source row."""

    label: str
    file: str
    sheet: str | None
    header: list[str]
    header_row: int  # 1-based
    columns: dict[str, int]  # role -> 0-based column index
    row_numbers: list[int]  # 1-based source row of each kept row
    cells: dict[str, Sequence[Any]]  # role -> raw values, one per kept row
    rows: list[list[Any]] = field(default_factory=list, repr=False)  # the kept rows

    def __len__(self) -> int:
        return len(self.row_numbers)

    def column(self, role: str) -> Sequence[Any] | None:
        return self.cells.get(role)

    def where(self, i: int) -> str:
        place = self.file + (f"[{self.sheet}]" if self.sheet else "")
        return f"{place} 第{self.row_numbers[i]}行"


# ---------------------------------------------------------------- columns


def parse_column_options(values: Iterable[str], option: str) -> dict[str, str]:
    """``["代码=识别号", "grade=C"]`` -> ``{"code": "识别号", "grade": "C"}``."""
    out: dict[str, str] = {}
    for value in values:
        role_word, sep, header = value.partition("=")
        role = ROLE_WORDS.get(role_word.strip().lower()) or ROLE_WORDS.get(role_word.strip())
        if not sep or not header.strip() or role is None:
            raise OptionError(
                f"{option} {value!r} 的格式应为 列用途=表头，列用途为 "
                f"{'、'.join(ROLE_LABELS.values())} 之一，如 {option} 代码=纳税人识别码"
            )
        out[role] = header.strip()
    return out


def resolve_columns(header: Sequence[str], named: dict[str, str] | None = None) -> dict[str, int]:
    """Role -> column index for a header row: named columns first, then exact header
    names, then headers that contain a known name. A column serves one role only."""
    keys = [match_key(h) for h in header]
    found: dict[str, int] = {}
    used: set[int] = set()
    for role, name in (named or {}).items():
        j = _named_column(keys, name)
        if j is not None:
            found[role] = j
            used.add(j)
    for exact in (True, False):
        for role, candidates in ROLES.items():
            if role in found or role in (named or {}):
                continue
            for cand in candidates:
                ck = match_key(cand)
                j = next(
                    (
                        j
                        for j, k in enumerate(keys)
                        if j not in used and k and (k == ck if exact else ck in k)
                    ),
                    None,
                )
                if j is not None:
                    found[role] = j
                    used.add(j)
                    break
    return {role: found[role] for role in ROLES if role in found}


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
        f"{ROLE_LABELS[r]}列（表头如 {'、'.join(ROLES[r][:4])}）"
        if r not in spec.columns
        else f"{ROLE_LABELS[r]}列“{spec.columns[r]}”"
        for r in missing
    )
    hint = (
        f"；如表头不同，请用 {spec.option_hint} 指定，如 {spec.option_hint} 代码=纳税人识别码"
        if spec.option_hint
        else ""
    )
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
    """Read one list; HeaderError when a required column is missing (naming the columns found)."""
    p = check_file(spec.path)
    if progress:
        progress(spec.label, None)
    with gc_paused():
        if p.suffix.lower() in TEXT_SUFFIXES:
            result = _read_csv(p, spec, progress)
        else:
            wb = open_workbook(p)
            try:
                result = _read_excel(wb, p, spec)
            finally:
                wb.close()
    if not spec.allow_empty and not len(result):
        raise ReadError(
            f"{spec.label}只有表头，没有数据行；请确认导出的是完整名单（不是空白模板）", file=p
        )
    if progress:
        progress(spec.label, 1.0)
    return result


def _read_excel(wb: Any, p: Path, spec: ListSpec) -> EntityList:
    names = list(wb.sheet_names)
    if spec.prefer_sheet in names:
        names.remove(spec.prefer_sheet)
        names.insert(0, spec.prefer_sheet)
    seen: tuple[list[str], dict[str, int]] | None = None
    for name in names:
        try:
            sheet = wb.get_sheet_by_name(name)
            if sheet.height * max(sheet.width, 1) > MAX_CELLS:
                raise ReadError(
                    f"工作表“{name}”过大（{sheet.height} 行 × {sheet.width} 列），超出处理上限",
                    file=p,
                )
            r0, c0 = sheet.start or (0, 0)
            grid = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
        except ReadError:
            raise
        except Exception as exc:
            raise ReadError(
                f"读取工作表“{name}”失败（{short_error(exc)}）；请用 Excel 另存为 .xlsx", file=p
            ) from None
        if c0:  # the used area starts right of column A: keep real column indices
            grid = [[None] * c0 + list(r) for r in grid]
        found = _find_header(spec, grid[:HEADER_SCAN_ROWS])
        if isinstance(found, tuple):
            seen = seen or found
            continue
        columns = found.resolve(spec)
        body = grid[found.body :]
        if merged:
            # Merged cells in the body (a county written once for a block of rows).
            skip = r0 + found.body  # absolute row of body[0]
            ranges = [((a - skip, b), (c - skip, d)) for (a, b), (c, d) in merged if a >= skip]
            fill_merged(body, ranges)
        lst = _empty_list(spec, name, found.cells, r0 + found.at + 1, columns)
        _collect(lst, body, r0 + found.body + 1)
        return lst
    raise _missing_error(spec, *(seen or ([], {})))


@dataclass
class _Header:
    """Where a list's header is: its first row (0-based, -1 when the list has none),
    the header text per column, and the first body row."""

    at: int
    cells: list[str]
    body: int
    columns: dict[str, int] | None = None  # found otherwise than by the header text

    def resolve(self, spec: ListSpec) -> dict[str, int]:
        if self.columns is not None:
            return self.columns
        return _with_office(resolve_columns(self.cells, spec.columns), self.cells)


def _with_office(columns: dict[str, int], header: Sequence[str]) -> dict[str, int]:
    """Add the tax office column (:data:`OFFICE_HEADERS`) when there is no county column."""
    if "county" in columns:
        return columns
    keys = [match_key(h) for h in header]
    used = set(columns.values())
    for cand in OFFICE_HEADERS:
        ck = match_key(cand)
        for j, k in enumerate(keys):
            if j not in used and ck in k:
                return {**columns, OFFICE: j}
    return columns


def _find_header(
    spec: ListSpec, top: list[list[Any]]
) -> _Header | tuple[list[str], dict[str, int]]:
    """The header among the top rows: one row holding every required column, or two
    rows (a merged header: 评价结果 over 等级/得分, or 评价等级 merged down beside the
    second row's columns). Else the columns of the likeliest header (for the error
    message)."""
    head = [[cell_text(v) for v in row] for row in top]
    exact = {match_key(c) for names in ROLES.values() for c in names}

    def has_required(row: Sequence[str]) -> bool:
        # A header row as tables sees one (a merged title is one cell, so it is not),
        # holding every required column; a list of codes may have a one-cell header.
        cells = [c for c in row if c]
        if not default_header_test(row) and not (
            len(spec.required) == 1 and len(cells) == 1 and match_key(cells[0]) in exact
        ):
            return False
        resolved = resolve_columns(row, spec.columns)
        return all(r in resolved for r in spec.required)

    def sub_header(upper: Sequence[str], lower: Sequence[str]) -> bool:
        # Header words only, or text under an empty (merged) header cell; never a code.
        code = resolve_columns(upper, spec.columns).get("code")
        cells = [(j, c) for j, c in enumerate(lower) if c]
        return (
            bool(cells)
            and (code is None or code >= len(lower) or not lower[code])
            and any(match_key(c) in exact for _, c in cells)
            and all(match_key(c) in exact or j >= len(upper) or not upper[j] for j, c in cells)
        )

    for i, row in enumerate(head):
        nxt = head[i + 1] if i + 1 < len(head) else []
        if has_required(row):
            if sub_header(row, nxt):
                return _Header(i, stack_header(row, nxt), i + 2)
            return _Header(i, list(row), i + 1)
        if (
            default_header_test(row)
            and default_header_test(nxt)
            and not has_required(nxt)
            and sub_header(row, nxt)
            and has_required(stack_header(row, nxt))
        ):
            return _Header(i, stack_header(row, nxt), i + 2)
    if spec.required == ("code",):
        found = _headerless_codes(top)
        if found is not None:
            return found
    guess = find_header_row(head, default_header_test)
    if guess is None:
        return ([], {})
    return (head[guess], resolve_columns(head[guess], spec.columns))


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
            return _Header(-1, header, 0, {"code": j})
    return None


def _read_csv(p: Path, spec: ListSpec, progress: Progress | None) -> EntityList:
    data = read_bytes(p)
    last: UnicodeDecodeError | None = None
    for enc in candidate_encodings(data, p, spec.encoding):
        try:
            return _parse_csv(data, enc, p, spec, progress)
        except UnicodeDecodeError as exc:  # found mid-way: start again with the next one
            last = exc
    raise undecodable(p, spec.encoding, last)


def _parse_csv(
    data: bytes, encoding: str, p: Path, spec: ListSpec, progress: Progress | None
) -> EntityList:
    # Decoded as it is parsed: no second copy of a 100 MB text in memory.
    sample = data[:200_000].decode(encoding, errors="ignore")
    delimiter = guess_delimiter(sample, p.suffix.lower())
    raw = io.BytesIO(data)
    reader = csv.reader(io.TextIOWrapper(raw, encoding=encoding, newline=""), delimiter=delimiter)
    try:
        top = [row for _, row in zip(range(HEADER_SCAN_ROWS), reader, strict=False)]
        found = _find_header(spec, top)
        if isinstance(found, tuple):
            raise _missing_error(spec, *found)
        columns = found.resolve(spec)
        lst = _empty_list(spec, None, found.cells, found.at + 1, columns)
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
    return lst


_CHUNK = 100_000


def _empty_list(
    spec: ListSpec, sheet: str | None, header: list[str], header_row: int, columns: dict[str, int]
) -> EntityList:
    lst = EntityList(
        label=spec.label,
        file=str(spec.path),
        sheet=sheet,
        header=header,
        header_row=header_row,
        columns=columns,
        row_numbers=[],
        cells={},
    )
    for role, j in columns.items():
        lst.cells[role] = [] if role in EAGER else RowColumn(lst.rows, j)
    return lst


def _collect(lst: EntityList, rows: list[list[Any]], first_row: int) -> None:
    """Append consecutive source rows (``first_row`` is the 1-based row of ``rows[0]``),
    skipping rows empty in the identifying columns."""
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
    key_cols = [lst.columns[r] for r in ("code", "grade", "name") if r in lst.columns][:2]
    a = eager["code"] if "code" in eager else list(map(operator.itemgetter(key_cols[0]), rows))
    b = list(map(operator.itemgetter(key_cols[-1]), rows)) if key_cols[-1] != key_cols[0] else a
    numbers: Sequence[int] = range(first_row, first_row + len(rows))
    # Blank rows: empty in both identifying columns (only looked for when both have blanks).
    if (a.count("") or a.count(None)) and (b.count("") or b.count(None)):
        keep = [
            i
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            if x not in _BLANK or y not in _BLANK
        ]
        if len(keep) != len(rows):
            rows = [rows[i] for i in keep]
            eager = {role: [c[i] for i in keep] for role, c in eager.items()}
            numbers = [first_row + i for i in keep]
    lst.row_numbers.extend(numbers)
    lst.rows.extend(rows)
    for role, values in eager.items():
        lst.cells[role].extend(values)  # type: ignore[attr-defined]


_BLANK = ("", None)


def describe_columns(lst: EntityList) -> str:
    """``代码=B列“统一社会信用代码” …`` for messages and the detail file."""
    return " ".join(
        f"{COLUMN_LABELS[r]}={column_letter(j)}列“{lst.header[j]}”" for r, j in lst.columns.items()
    )
