r"""How far a sheet of an xlsx or ods file reaches, measured on its XML without parsing it.

python-calamine holds a sheet as a dense grid from its first to its last cell, so what a
sheet costs to read is its *extent*: rows × columns up to the last cell holding a value.
The XML says so cheaply: an xlsx cell names its place (``<c r="S1048576">``), an ods row or
cell says how often it repeats (``table:number-rows-repeated="1048000"``). These scanners
stream a part of the zip in blocks of whole rows and never build a tree, so they cost a
fraction of the reading they guard.

>>> scan_xlsx_sheet([b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c>',
...                  b'<c r="AB1"/></row><row r="7"><c r="C7" t="s"><v>0</v></c></row>',
...                  b'</sheetData></worksheet>'])
XlsxExtent(rows=7, columns=28, count=3)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hgcredit.io.tables import column_letter

_P = rb"(?:[A-Za-z_][\w.-]{0,15}:)?"  # an optional namespace prefix: <x:row …>
_ROW_START = re.compile(rb"<" + _P + rb"row(?=[\s>/])")
_ROW_END = re.compile(rb"</" + _P + rb"row\s*>|<" + _P + rb"row\b[^>]*/>")
_ROW_REF = re.compile(rb"<" + _P + rb"row\b[^>]{0,1024}?\sr=\"(\d{1,12})\"")
_CELL_REF = re.compile(rb"\sr=\"([A-Z]{1,4})\d{1,12}\"")
_CELL_START = re.compile(rb"<" + _P + rb"c(?=[\s>/])")
_DIMENSION = re.compile(rb"<" + _P + rb"dimension\s+ref=\"(?:[A-Z]+\d+:)?([A-Z]{1,4})(\d{1,12})\"")
# The fast path: what Excel, WPS and the common libraries write (no prefix, r first).
_FAST_ROW_REF = re.compile(rb"<row r=\"(\d{1,12})\"")
_FAST_WIDE_REF = re.compile(rb" r=\"([A-Z]{2,4})\d")


def column_number(letters: bytes | str) -> int:
    """``A`` -> 1, ``Z`` -> 26, ``AA`` -> 27, ``XFD`` -> 16384.

    >>> column_number("XFD"), column_number(b"S")
    (16384, 19)
    """
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n


def whole_rows(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The XML cut into blocks that end after a row's end tag (the last block: the rest).

    Each chunk is searched once (with the few bytes before it, for a tag cut in two), so a
    single row of 30 MB (one huge cell) costs no more than many small ones.
    """
    pending: list[bytes] = []
    size = 0
    tail = b""  # the last bytes of what is pending: a row's end tag may start there
    for chunk in chunks:
        cut = _after_last_row_end(tail + chunk) - len(tail)
        if cut <= 0:
            pending.append(chunk)
            size += len(chunk)
            tail = (tail + chunk)[-24:]
            if size > 64 * 1024 * 1024:  # a single row this long: give what we have
                yield b"".join(pending)
                pending, size = [], 0
            continue
        pending.append(chunk[:cut])
        yield b"".join(pending)
        rest = chunk[cut:]
        pending, size, tail = ([rest] if rest else []), len(rest), rest[-24:]
    if pending:
        yield b"".join(pending)


def _after_last_row_end(data: bytes) -> int:
    """The position after the last ``</row>`` (or ``</x:row>``) in ``data``, else -1."""
    end = len(data)
    while (at := data.rfind(b"row>", 0, end)) >= 0:
        opening = data.rfind(b"</", max(at - 18, 0), at)
        if opening >= 0 and _ROW_CLOSE.fullmatch(data, opening, at + 4):
            return at + 4
        end = at
    return -1


_ROW_CLOSE = re.compile(rb"</" + _P + rb"row>")


@dataclass
class XlsxExtent:
    rows: int = 0  # the last row holding a cell (1-based), or a bound on it
    columns: int = 0  # the last column holding a cell (1-based), or a bound on it
    count: int = 0  # the cells written in the sheet (a grid of ``cells`` holds this many)

    @property
    def cells(self) -> int:
        """The grid a reader holds: rows × columns from A1."""
        return self.rows * self.columns


def scan_xlsx_sheet(chunks: Iterable[bytes]) -> XlsxExtent:
    """The extent of an xlsx worksheet part given as consecutive chunks of its XML.

    Rows and cells without a reference (``<row>``, ``<c>``) take the next place, as readers
    give them; the extent then counts them so (an upper bound when mixed with references).
    Blocks written as Excel writes them are measured with a few counts and one search; any
    other block row by row.
    """
    found = XlsxExtent()
    declared = 0  # the columns the <dimension> declares (checked, never trusted)
    row = 0
    for i, block in enumerate(whole_rows(chunks)):
        if i == 0 and (dim := _DIMENSION.search(block)) is not None:
            declared = column_number(dim.group(1))
        fast = _fast_block(block, declared, row, i == 0)
        rows, columns, row, count = fast if fast is not None else _slow_block(block, row)
        found.rows = max(found.rows, rows)
        found.columns = max(found.columns, columns)
        found.count += count
    return found


# Blocks at least this long are measured with numpy, whose loops run without holding the
# GIL (a list read beside another in a thread is then not held up by this one's guard);
# shorter ones, and every block of a small sheet, by counting bytes (no numpy import).
NUMPY_FROM = 256 * 1024


def _fast_block(
    block: bytes, declared: int, row: int, first: bool
) -> tuple[int, int, int, int] | None:
    """(last row with a cell, last column, last row, cells) of a block where every row and
    cell carries its reference as ``<row r="…"`` and ``<c r="…"``; None for any other block."""
    # Only rows and cells are counted: cut off what comes before and after <sheetData> (a
    # block that ends after a row holds no </sheetData>; only the first one a <sheetData>).
    if first and (start := block.find(b"<sheetData")) >= 0:
        block = block[start + 10 :]
    if not block.endswith(b"row>") and (end := block.find(b"</sheetData>")) >= 0:
        block = block[:end]
    if len(block) >= NUMPY_FROM:
        return _fast_block_numpy(block, row)
    refs = _FAST_ROW_REF.findall(block)
    if len(refs) != block.count(b"<row"):
        return None
    cells = block.count(b"<c")  # inside sheetData only <c …> starts with it
    if cells != block.count(b' r="') - len(refs):
        return None
    if not refs:
        return (0, 0, row, 0)
    numbers = list(map(int, refs))
    if numbers != sorted(numbers):
        return None  # rows out of order: measured row by row
    if not cells:
        return (0, 0, numbers[-1], 0)
    # The widest column: beyond what <dimension> declares only if a reference says so.
    if 0 < declared <= 26:
        beyond = re.compile(rb' r="(?:[' + bytes([64 + declared + 1]) + rb"-Z]|[A-Z]{2,})\d")
        if declared == 26:
            beyond = _FAST_WIDE_REF
        if beyond.search(block) is None:
            return (_last_row_with_cells(block, numbers), declared, numbers[-1], cells)
    wide = _FAST_WIDE_REF.findall(block)
    if wide:
        columns = max(map(column_number, wide))
    else:
        columns = max(column_number(c) for c in re.findall(rb' r="([A-Z])\d', block))
    return (_last_row_with_cells(block, numbers), columns, numbers[-1], cells)


def _fast_block_numpy(block: bytes, row: int) -> tuple[int, int, int, int] | None:
    """:func:`_fast_block` for a long block, with whole-array operations: every ``<row``
    must be ``<row r="digits"`` and every ``<c`` ``<c r="LETTERS digit`` (reference first,
    as Excel, WPS and the common libraries write), rows in order, and no other ``r="``
    attribute (a prefixed ``<x:row r=…>`` has one); None otherwise (measured row by row)."""
    import numpy as np

    n = len(block)
    # Zeros after the end: a tag cut off there reads as no reference.
    a = np.concatenate((np.frombuffer(block, dtype=np.uint8), np.zeros(16, dtype=np.uint8)))

    def at(offset: int, byte: int) -> Any:
        return a[offset : n + offset] == byte

    lt = at(0, 60)  # "<"
    rows = np.flatnonzero(lt & at(1, 114) & at(2, 111) & at(3, 119))  # "<row"
    cells = np.flatnonzero(lt & at(1, 99))  # "<c"
    # ' r="' anywhere: as many as the rows and cells, or something else has one.
    refs = at(0, 32) & at(1, 114) & at(2, 61) & at(3, 34)
    if int(np.count_nonzero(refs)) != len(rows) + len(cells):
        return None
    if not len(rows):
        return (0, 0, row, 0) if not len(cells) else None
    if not (_at(a, rows, 4, b' r="') and _at(a, cells, 2, b' r="')):
        return None
    numbers = _digits(a, rows + 8)
    if numbers is None or (len(numbers) > 1 and bool((numbers[1:] < numbers[:-1]).any())):
        return None  # more than 7 digits, or rows out of order: measured row by row
    if not len(cells):
        return (0, 0, int(numbers[-1]), 0)
    columns = _letters(a, cells + 6)
    if columns is None:
        return None
    k = int(np.searchsorted(rows, cells[-1])) - 1
    if k < 0:
        return None  # a cell before the first row
    return (int(numbers[k]), int(columns.max()), int(numbers[-1]), len(cells))


def _at(a: Any, starts: Any, offset: int, text: bytes) -> bool:
    """Whether ``text`` is at ``starts + offset`` in ``a`` for every start."""
    return all(bool((a[starts + offset + i] == byte).all()) for i, byte in enumerate(text))


def _digits(a: Any, starts: Any) -> Any:
    """The numbers of 1–7 digits followed by '"' at ``starts``; None if one is not."""
    return _parsed(a, starts, b"09", 10, 7, lambda b: b == 34)


def _letters(a: Any, starts: Any) -> Any:
    """The column numbers of 1–3 letters followed by a digit at ``starts``; None if one is
    not (four letters reach past Excel's last column: measured row by row)."""
    return _parsed(a, starts, b"AZ", 26, 3, lambda b: (b >= 48) & (b <= 57))


def _parsed(
    a: Any, starts: Any, span: bytes, base: int, most: int, ends: Callable[[Any], Any]
) -> Any:
    """The numbers written at ``starts`` with 1 to ``most`` characters in ``span`` (the
    first worth 0 for digits, 1 for letters, in ``base``), each followed by a character
    ``ends`` accepts; None if one is not."""
    import numpy as np

    lo, hi = span
    zero = lo if base == 10 else lo - 1
    value = np.zeros(len(starts), dtype=np.int64)
    open_ = np.ones(len(starts), dtype=bool)
    for i in range(most + 1):
        b = a[starts + i].astype(np.int64)
        inside = (b >= lo) & (b <= hi)
        if i == 0 and not inside.all():
            return None
        if not ends(b[open_ & ~inside]).all():
            return None
        open_ &= inside
        if i == most:
            return None if open_.any() else value
        value = np.where(open_, value * base + (b - zero), value)
    return value


def _last_row_with_cells(block: bytes, numbers: list[int]) -> int:
    """The last row of the block that holds a cell (rows may be formatting only)."""
    last_cell = block.rfind(b"<c")
    start = block.rfind(b"<row", 0, last_cell)
    ref = _FAST_ROW_REF.match(block, start)
    return int(ref.group(1)) if ref else numbers[-1]


def _slow_block(block: bytes, row: int) -> tuple[int, int, int, int]:
    rows = columns = count = 0
    for part in _row_parts(block):
        ref = _ROW_REF.match(part)
        row = int(ref.group(1)) if ref else row + 1
        cells = len(_CELL_START.findall(part))
        count += cells
        if not cells:
            continue
        refs = _CELL_REF.findall(part)
        width = max(map(column_number, refs), default=0)
        if len(refs) < cells:  # cells without a reference follow on
            width += cells - len(refs)
        columns = max(columns, width)
        rows = max(rows, row)
    return rows, columns, row, count


def _row_parts(block: bytes) -> Iterator[bytes]:
    """Each ``<row …>…</row>`` of a block (text outside rows is skipped)."""
    starts = [m.start() for m in _ROW_START.finditer(block)]
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(block)
        yield block[start:end]


# ---------------------------------------------------------------- ods

_ODS_TAG = re.compile(
    rb"<(/?)(" + _P + rb"(?:table-row|table-cell|covered-table-cell|table))\b([^>]*?)(/?)>"
)
_ROWS_REPEATED = re.compile(rb"number-rows-repeated=\"(\d{1,12})\"")
_COLUMNS_REPEATED = re.compile(rb"number-columns-repeated=\"(\d{1,12})\"")
_VALUE_TYPE = re.compile(rb"value-type=")
_TABLE_NAME = re.compile(rb"\bname=\"([^\"]*)\"")


@dataclass
class OdsExtent:
    name: str
    rows: int = 0  # up to the last row with a cell holding a value
    columns: int = 0

    @property
    def cells(self) -> int:
        return self.rows * self.columns


@dataclass
class _OdsState:
    tables: list[OdsExtent] = field(default_factory=list)
    row: int = 0  # rows before the current one
    repeat: int = 1  # how often the current row repeats
    column: int = 0
    filled: bool = False  # the current row holds a value


def scan_ods_content(chunks: Iterable[bytes]) -> list[OdsExtent]:
    """The extent of every table of an ods ``content.xml`` given as chunks of its XML.

    A cell counts as filled when it has a value type or any content; repeated rows and
    cells count as often as they repeat (a reader expands them up to the last filled one).
    """
    state = _OdsState()
    rest = b""
    for chunk in chunks:
        data = rest + chunk
        cut = data.rfind(b"<")
        if cut < 0:
            rest = data
            continue
        _ods_tags(data[:cut], state)
        rest = data[cut:]
        if len(rest) > 1024 * 1024:  # no tag is this long
            rest = b""
    _ods_tags(rest, state)
    return state.tables


def _ods_tags(block: bytes, s: _OdsState) -> None:
    for closing, tag, attrs, empty in _ODS_TAG.findall(block):
        local = tag.rsplit(b":", 1)[-1]
        if local == b"table":
            if not closing:
                name = _TABLE_NAME.search(attrs)
                s.tables.append(OdsExtent(name.group(1).decode("utf-8", "replace") if name else ""))
                s.row = 0
        elif not s.tables:
            continue
        elif local == b"table-row":
            if not closing:
                rep = _ROWS_REPEATED.search(attrs)
                s.repeat = int(rep.group(1)) if rep else 1
                s.column, s.filled = 0, False
            if closing or empty:
                if s.filled:
                    s.tables[-1].rows = s.row + s.repeat
                s.row += s.repeat
                s.filled = False
        elif not closing:  # a cell (covered or not)
            rep = _COLUMNS_REPEATED.search(attrs)
            span = int(rep.group(1)) if rep else 1
            if _VALUE_TYPE.search(attrs) or not empty:
                s.filled = True
                table = s.tables[-1]
                table.columns = max(table.columns, s.column + span)
            s.column += span


def cell_name(row: int, column: int) -> str:
    """``S1048576`` for 1-based row 1048576, column 19."""
    return f"{column_letter(column - 1)}{row}"


# ---------------------------------------------------------------- filtered rows

_AUTOFILTER = re.compile(
    rb"<" + _P + rb"autoFilter\b[^>]*?\sref=\"([A-Z]{1,4})(\d{1,12})(?::([A-Z]{1,4})(\d{1,12}))?\""
)
_ROW_TAG = re.compile(rb"<" + _P + rb"row\b([^>]*)>")
_ROW_R = re.compile(rb"\sr=\"(\d{1,12})\"")
_HIDDEN = re.compile(rb"\shidden=\"(?:1|true)\"")


class FilterWatch:
    """Watches the chunks of a worksheet's XML go by (for another scanner) and keeps the
    last two: an autofilter is written after the rows (``<autoFilter>`` follows
    ``</sheetData>``), so whether the sheet has one is told at the end from them alone,
    without searching the rows (:func:`filtered_rows` then looks for hidden ones)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = chunks
        self._last: list[bytes] = []

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            self._last = [*self._last[-1:], chunk]
            yield chunk

    @property
    def maybe(self) -> bool:
        """Whether the sheet (read to its end) may have rows hidden by an autofilter."""
        return b"autoFilter" in b"".join(self._last)


def filtered_rows(xml: bytes) -> list[int]:
    """The 1-based numbers of the rows an autofilter hides: rows marked hidden below the
    filter's header row, within its range. A row hidden by hand outside it is not one.

    >>> filtered_rows(b'<worksheet><sheetData><row r="1"/><row r="2" hidden="1"/>'
    ...               b'<row r="3"/><row r="9" hidden="1"/></sheetData>'
    ...               b'<autoFilter ref="A1:E4"/></worksheet>')
    [2]
    >>> filtered_rows(b'<worksheet><sheetData><row r="2" hidden="1"/></sheetData></worksheet>')
    []
    """
    found = _AUTOFILTER.search(xml)
    if found is None or (b'hidden="1"' not in xml and b'hidden="true"' not in xml):
        return []
    first = int(found.group(2))
    last = int(found.group(4)) if found.group(4) else first
    out: list[int] = []
    number = 0
    for m in _ROW_TAG.finditer(xml):
        attrs = m.group(1)
        ref = _ROW_R.search(attrs)
        number = int(ref.group(1)) if ref else number + 1
        if first < number <= last and _HIDDEN.search(attrs):
            out.append(number)
    return out
