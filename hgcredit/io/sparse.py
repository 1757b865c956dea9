r"""Read an xlsx sheet whose cells lie far apart without holding the empty space between them.

A return with its table at the top and one stray cell at ``S1048576`` is a 6 KB file, but
python-calamine would hold all 1,048,576 × 19 places of that sheet (0.6 GB, half a minute).
:func:`squeeze_sheet` rewrites such a sheet's XML keeping only the rows that hold a value,
numbered one after another, and returns each kept row's number in the file, so that every
message still names the row the clerk sees in Excel. No value is dropped: the stray cell is
read too, on the row after the table.

>>> xml = (b'<worksheet><dimension ref="A1:S1048576"/><sheetData>'
...        b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
...        b'<row r="9" s="1"><c r="B9" s="1"/></row>'
...        b'<row r="1048576"><c r="S1048576"><v>7</v></c></row></sheetData>'
...        b'<mergeCells><mergeCell ref="A1:A1048576"/></mergeCells></worksheet>')
>>> out, numbers = squeeze_sheet([xml])
>>> numbers
[1, 1048576]
>>> out.decode()  # doctest: +NORMALIZE_WHITESPACE
'<worksheet><dimension ref="A1:S2"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="2"><c r="S2"><v>7</v></c></row></sheetData><mergeCells><mergeCell ref="A1:A2"/></mergeCells></worksheet>'
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from hgcredit.io.extent import _P, _ROW_REF, _ROW_START, column_number, whole_rows
from hgcredit.io.tables import column_letter

_FILLED_CELL = re.compile(rb"<" + _P + rb"c(?:\s[^>]*[^/>])?>|<" + _P + rb"c>")
_ROW_NUMBER = re.compile(rb"(<" + _P + rb"row\b[^>]{0,1024}?\sr=\")\d{1,12}(\")")
_CELL_NUMBER = re.compile(rb"(\sr=\"[A-Z]{1,4})\d{1,12}(\")")
_DIMENSION = re.compile(rb"(<" + _P + rb"dimension\s+ref=\")[^\"]*(\")")
_MERGE = re.compile(
    rb"(<" + _P + rb"mergeCell\s+ref=\")([A-Z]{1,4})(\d{1,12}):([A-Z]{1,4})(\d{1,12})(\")"
)
_SHEET_DATA_END = re.compile(rb"</" + _P + rb"sheetData>")


def squeeze_sheet(chunks: Iterable[bytes]) -> tuple[bytes, list[int]]:
    """The sheet XML (given as consecutive chunks) with only its rows that hold a value,
    renumbered 1, 2, 3 …; and the original 1-based number of each kept row.

    Cells keep their columns; merged ranges are moved onto the kept rows (a range over
    dropped rows only is dropped); ``<dimension>`` is set to the new extent.
    """
    parts: list[bytes] = []
    numbers: list[int] = []
    widest = 0
    row = 0
    before = True  # still in the text before the first row
    for block in whole_rows(chunks):
        starts = [m.start() for m in _ROW_START.finditer(block)]
        if not starts:
            parts.append(block)
            continue
        if before:
            parts.append(block[: starts[0]])
            before = False
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else len(block)
            element = block[start:end]
            # The last row of a block may carry what follows the rows (</sheetData>, …).
            tail = b""
            if i + 1 == len(starts) and (m := _SHEET_DATA_END.search(element)) is not None:
                element, tail = element[: m.start()], element[m.start() :]
            ref = _ROW_REF.match(element)
            row = int(ref.group(1)) if ref else row + 1
            if _FILLED_CELL.search(element):
                numbers.append(row)
                new = len(numbers)
                element = _ROW_NUMBER.sub(rb"\g<1>%d\g<2>" % new, element, count=1)
                element = _CELL_NUMBER.sub(rb"\g<1>%d\g<2>" % new, element)
                widest = max(widest, max((column_number(c) for c in _columns(element)), default=0))
                parts.append(element)
            parts.append(tail)
    xml = b"".join(parts)
    last = f"{column_letter(max(widest, 1) - 1)}{max(len(numbers), 1)}".encode()
    xml = _DIMENSION.sub(rb"\g<1>A1:" + last + rb"\g<2>", xml, count=1)
    if numbers != sorted(numbers):  # rows out of order: a merged range has no one place
        return _MERGE.sub(b"", xml), numbers
    return _MERGE.sub(lambda m: _moved_merge(m, numbers), xml), numbers


def _columns(element: bytes) -> list[bytes]:
    return re.findall(rb"\sr=\"([A-Z]{1,4})\d", element)


def _moved_merge(m: re.Match[bytes], numbers: list[int]) -> bytes:
    """A merged range on the kept rows: from the first kept row at or below its top to the
    last kept row at or above its bottom; empty (dropped) when no kept row is inside."""
    top, bottom = int(m.group(3)), int(m.group(5))
    first = bisect.bisect_left(numbers, top) + 1
    last = bisect.bisect_right(numbers, bottom)
    if first > last:
        return b""
    return b"%s%s%d:%s%d%s" % (m.group(1), m.group(2), first, m.group(4), last, m.group(6))
