"""What an OLE compound file (legacy ``.xls``, or an encrypted ``.xlsx``) holds, read
without python-calamine: its streams' names, and each worksheet's declared size.

python-calamine builds every sheet of an ``.xls`` as a dense grid when it opens the file,
so a 6 KB file with one cell at ``IV65536`` costs half a gigabyte before a single row is
looked at. :func:`inspect_ole` reads the container's directory and the workbook stream's
records that declare each sheet's extent (``DIMENSIONS``), following sector chains with a
bound on every loop, so that :mod:`hgcredit.io.guard` can refuse such a file first.

>>> inspect_ole(b"not an OLE file")
Traceback (most recent call last):
hgcredit.io.ole.OleError: not an OLE compound file
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFE  # end of a sector chain
_FREE = 0xFFFFFFFF
_NOSTREAM = 0xFFFFFFFF

# BIFF record types
_BOF, _EOF, _FILEPASS, _BOUNDSHEET, _DIMENSIONS = 0x0809, 0x000A, 0x002F, 0x0085, 0x0200
_WORKSHEET = 0x0010  # BOF dt of a worksheet
# Records that hold a cell: after one of these, DIMENSIONS (which comes first) is missing.
_CELLS = {0x00FD, 0x0204, 0x0203, 0x027E, 0x00BD, 0x0205, 0x0006, 0x00D6, 0x0201, 0x00BE}
_HEAD_RECORDS = 200  # DIMENSIONS comes within a sheet's first records


class OleError(ValueError):
    """The bytes are no OLE compound file, or a broken one."""


@dataclass
class SheetExtent:
    """A worksheet's declared size: rows and columns from A1 to its last cell (0 when unknown)."""

    name: str
    rows: int
    columns: int
    declared: bool = True  # False: the sheet had no DIMENSIONS record


@dataclass
class OleContents:
    streams: list[str]  # every stream's name
    workbook: bool = False  # has a Workbook/Book stream (an Excel file)
    encrypted: bool = False  # an encrypted OOXML package or a password-protected xls
    sheets: list[SheetExtent] = field(default_factory=list)


def inspect_ole(data: bytes) -> OleContents:
    """The streams of an OLE file and, for an Excel workbook, each worksheet's extent."""
    try:
        return _inspect(data)
    except (struct.error, IndexError) as exc:
        raise OleError(f"broken OLE compound file ({exc})") from None


def _inspect(data: bytes) -> OleContents:
    ole = _Ole(data)
    names = [e.name for e in ole.entries if e.kind == 2]
    found = OleContents(names)
    if "EncryptionInfo" in names or "EncryptedPackage" in names:
        found.encrypted = True
        return found
    book = next((e for e in ole.entries if e.kind == 2 and e.name in ("Workbook", "Book")), None)
    if book is None:
        return found
    found.workbook = True
    stream = ole.stream(book)
    found.encrypted, found.sheets = _biff_sheets(stream)
    return found


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    start: int
    size: int


class _Ole:
    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(MAGIC):
            raise OleError("not an OLE compound file")
        self.data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise OleError("unexpected sector size")
        self.sector = 1 << shift
        self.mini = 1 << mini_shift
        (n_fat, first_dir, _, cutoff, first_minifat, n_minifat, first_difat, n_difat) = (
            struct.unpack_from("<IIIIIIII", data, 0x2C)
        )
        self.cutoff = cutoff
        difat = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _END]
        seen: set[int] = set()
        sector = first_difat
        per = self.sector // 4 - 1
        while sector < _END and len(seen) < max(n_difat, 0) + 1 and sector not in seen:
            seen.add(sector)
            values = struct.unpack_from(f"<{per + 1}I", self._sector(sector))
            difat += [s for s in values[:per] if s < _END]
            sector = values[per]
        difat = difat[: max(n_fat, 0) or len(difat)]
        fat: list[int] = []
        for s in difat:
            fat.extend(struct.unpack_from(f"<{self.sector // 4}I", self._sector(s)))
        self.fat = fat
        self.entries = self._directory(first_dir)
        root = self.entries[0] if self.entries else None
        self.ministream = self._read_chain(root.start, root.size) if root else b""
        self.minifat: list[int] = []
        if first_minifat < _END and n_minifat:
            raw = self._read_chain(first_minifat, n_minifat * self.sector)
            self.minifat = list(struct.unpack_from(f"<{len(raw) // 4}I", raw))

    def _sector(self, n: int) -> bytes:
        start = (n + 1) * self.sector
        if start >= len(self.data):
            raise OleError("sector out of range")
        return self.data[start : start + self.sector].ljust(self.sector, b"\0")

    def _chain(self, start: int, table: list[int]) -> list[int]:
        chain: list[int] = []
        seen: set[int] = set()
        n = start
        while n < _END:
            if n in seen or n >= len(table) or len(chain) > len(table):
                raise OleError("broken sector chain")
            seen.add(n)
            chain.append(n)
            n = table[n]
        return chain

    def _read_chain(self, start: int, size: int) -> bytes:
        if start >= _END:
            return b""
        parts = [self._sector(n) for n in self._chain(start, self.fat)]
        return b"".join(parts)[:size]

    def _directory(self, first: int) -> list[_Entry]:
        raw = b"".join(self._sector(n) for n in self._chain(first, self.fat))
        entries = []
        for off in range(0, len(raw) - 127, 128):
            length, kind = struct.unpack_from("<HB", raw, off + 0x40)
            if kind not in (1, 2, 5):
                entries.append(_Entry("", 0, _NOSTREAM, 0))
                continue
            name = raw[off : off + max(min(length, 64) - 2, 0)].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<II", raw, off + 0x74)
            entries.append(_Entry(name, kind, start, size))
        return entries

    def stream(self, entry: _Entry) -> bytes:
        if entry.size < self.cutoff and entry.kind == 2:
            chain = self._chain(entry.start, self.minifat)
            parts = [self.ministream[n * self.mini : (n + 1) * self.mini] for n in chain]
            return b"".join(parts)[: entry.size]
        return self._read_chain(entry.start, entry.size)


def _records(stream: bytes, offset: int) -> list[tuple[int, int, int]]:
    """(type, data offset, length) of the records from ``offset`` to the substream's EOF."""
    out = []
    pos = offset
    while pos + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, pos)
        out.append((kind, pos + 4, length))
        pos += 4 + length
        if kind == _EOF:
            break
    return out


def _biff_sheets(stream: bytes) -> tuple[bool, list[SheetExtent]]:
    """Whether the workbook is password-protected, and each worksheet's declared extent."""
    encrypted = False
    sheets: list[tuple[str, int]] = []
    for kind, at, length in _records(stream, 0):
        if kind == _FILEPASS:
            encrypted = True
        elif kind == _BOUNDSHEET and length >= 8:
            offset = struct.unpack_from("<I", stream, at)[0]
            sheet_type, cch, flags = stream[at + 5], stream[at + 6], stream[at + 7]
            raw = stream[at + 8 : at + length]
            name = (
                raw[: 2 * cch].decode("utf-16-le", "replace")
                if flags & 1
                else raw[:cch].decode("latin-1")
            )
            if sheet_type == 0:
                sheets.append((name, offset))
    extents = []
    for name, offset in sheets:
        extents.append(_extent(stream, name, offset))
    return encrypted, extents


def _extent(stream: bytes, name: str, offset: int) -> SheetExtent:
    pos = offset
    for _ in range(_HEAD_RECORDS):
        if pos + 4 > len(stream):
            break
        kind, length = struct.unpack_from("<HH", stream, pos)
        at = pos + 4
        if kind == _DIMENSIONS and length >= 14:
            _, rows, _, columns = struct.unpack_from("<IIHH", stream, at)
            return SheetExtent(name, rows, columns)
        if kind == _DIMENSIONS and length >= 10:  # BIFF5/7: 16-bit rows
            _, rows, _, columns = struct.unpack_from("<HHHH", stream, at)
            return SheetExtent(name, rows, columns)
        if kind in _CELLS or kind == _EOF:
            break
        pos = at + length
    return _walked_extent(stream, name, offset)


# Cell records whose row and column are their first two 16-bit fields (BLANK/MULBLANK hold
# no value and are not counted, as the reader does not count them).
_ONE_CELL = {0x00FD, 0x0204, 0x0203, 0x027E, 0x0205, 0x0006, 0x00D6}
_MULRK = 0x00BD


def _walked_extent(stream: bytes, name: str, offset: int) -> SheetExtent:
    """A sheet without DIMENSIONS: its extent from every cell record (slower)."""
    rows = columns = 0
    for kind, at, length in _records(stream, offset):
        if kind in _ONE_CELL and length >= 4:
            row, col = struct.unpack_from("<HH", stream, at)
        elif kind == _MULRK and length >= 6:
            row = struct.unpack_from("<H", stream, at)[0]
            col = struct.unpack_from("<H", stream, at + length - 2)[0]
        else:
            continue
        rows, columns = max(rows, row + 1), max(columns, col + 1)
    return SheetExtent(name, rows, columns, declared=False)
