"""Read any department spreadsheet into clean tables of text with provenance.

One entry point, :func:`read_tables`, for ``.xlsx .xlsm .xls .ods`` (python-calamine)
and ``.csv .tsv .txt`` (UTF-8 with or without BOM, then GB18030, or a forced
``encoding``). For each sheet it finds the header row under any title rows, fills
merged cells from their top-left value, strips HTML and stray whitespace, and keeps
the file, sheet and source row of every row so messages can point at the cell.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import html
import io
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from hgcredit.errors import EncodingError, HeaderError, ReadError
from hgcredit.io import limits
from hgcredit.text import clean_text

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
SUPPORTED = EXCEL_SUFFIXES + TEXT_SUFFIXES
HEADER_SCAN_ROWS = 60

HeaderTest = Callable[[Sequence[str]], bool]
T = TypeVar("T")


@dataclass
class Table:
    """A sheet as clean text: header, body rows, and where each row came from."""

    file: str
    sheet: str | None
    header: list[str]
    header_row: int  # 1-based row number of the header in the source
    rows: list[list[str]]
    row_numbers: list[int]  # 1-based source row of each body row
    title: list[str] = field(default_factory=list)  # text above the header
    hidden: bool = False  # a sheet hidden in Excel (not seen by whoever opens the file)

    def where(self, index: int, column: int | None = None) -> str:
        """Human-readable location of a body row (and column): ``file[sheet] 第12行 第E列``."""
        place = f"{self.file}"
        if self.sheet:
            place += f"[{self.sheet}]"
        place += f" 第{self.row_numbers[index]}行"
        if column is not None:
            place += f" 第{column_letter(column)}列"
        return place


def column_letter(index: int) -> str:
    """0-based column index to Excel letters.

    >>> column_letter(0), column_letter(25), column_letter(26)
    ('A', 'Z', 'AA')
    """
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_text(value: object) -> str:
    """Text of one raw cell value (numbers without a spurious ``.0``, dates as ISO)."""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return clean_text(value)


# ---------------------------------------------------------------- raw grids


@dataclass
class RawSheet:
    name: str | None
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    # The 1-based number in the file of each row, when rows are not simply 1, 2, 3 … (a
    # sheet read without its empty rows, see hgcredit.io.sparse); None: row i is i + 1.
    numbers: list[int] | None = None
    # The 1-based numbers of rows an autofilter hides (xlsx); they are in ``rows`` all the same.
    filtered: list[int] = field(default_factory=list)
    hidden: bool = False  # the sheet is hidden (or very hidden) in the workbook

    def number(self, index: int) -> int:
        """The 1-based row number in the file of ``rows[index]``."""
        if self.numbers is None or index >= len(self.numbers):
            return index + 1
        return self.numbers[index]


def check_file(path: str | Path) -> Path:
    """The path of an existing, non-empty regular file of a supported type within the
    size limit (:mod:`hgcredit.io.limits`), else a ReadError that says what to do.

    A folder, a named pipe or device (which would block or never end), a symbolic link
    that loops or points nowhere are refused here, before anything is opened.
    """
    p = Path(path)
    try:
        info = os.stat(p)
    except OSError as exc:
        raise ReadError(_unreachable(p, exc), file=p) from None
    if stat.S_ISDIR(info.st_mode):
        raise ReadError("这是一个文件夹，请给出其中的表格文件", file=p)
    if not stat.S_ISREG(info.st_mode):
        raise ReadError(
            "不是普通文件（是命名管道、设备或套接字），无法作为表格读取；请给出表格文件本身", file=p
        )
    if _lock_file(p, info.st_size):
        original = p.name.removeprefix("~$").removeprefix(".~lock.").removesuffix("#")
        raise ReadError(
            f"这是 Excel/WPS 打开“{original}”时留下的临时锁文件，不是表格；"
            "请不要把它作为输入（关闭该文件后它会自动消失）",
            file=p,
        )
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED:
        raise ReadError(
            f"不支持的文件类型“{suffix or '无扩展名'}”；支持 {' '.join(SUPPORTED)}", file=p
        )
    if info.st_size == 0:
        raise ReadError("文件为空（0 字节），请重新导出", file=p)
    lim = limits.current()
    if info.st_size > lim.file_bytes:
        raise ReadError(
            f"文件过大（{limits.megabytes(info.st_size)}，上限 {lim.file_mb} MB）；"
            f"请拆分后再读，或{limits.how_to_raise('file_mb')}",
            file=p,
        )
    if suffix in TEXT_SUFFIXES and _blank_text(p):
        raise ReadError("文件为空（除编码标记 BOM 和空白外没有任何内容），请重新导出", file=p)
    return p


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_BLANK_BYTES = b" \t\r\n\x0b\x0c\x00"  # ASCII whitespace; NUL: UTF-16's other half


def _blank_text(p: Path) -> bool:
    """A text file holding nothing but a BOM and whitespace (in UTF-8, UTF-16 or GB18030):
    empty, as a 0-byte one is. Reads only until the first other byte (at once, for a table)."""
    try:
        with p.open("rb") as fh:
            chunk = fh.read(64 * 1024)
            chunk = next((chunk[len(b) :] for b in _BOMS if chunk.startswith(b)), chunk)
            while chunk:
                if chunk.strip(_BLANK_BYTES):
                    return False
                chunk = fh.read(64 * 1024)
    except OSError as exc:
        raise ReadError(_unreachable(p, exc), file=p) from None
    return True


_LOCK_FILE_MOST = 4096  # Excel's ~$ owner file is 165 bytes, LibreOffice's .~lock a line


def _lock_file(p: Path, size: int) -> bool:
    """Excel's/WPS's ``~$name.xlsx`` (or LibreOffice's ``.~lock.name#``) left beside a file
    open in it: small, and no workbook package inside (a real workbook so named is read)."""
    if not p.name.startswith(("~$", ".~lock.")) or not 0 < size <= _LOCK_FILE_MOST:
        return False
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return not head.startswith((b"PK", b"\xd0\xcf\x11\xe0"))


def _unreachable(p: Path, exc: OSError) -> str:
    """Why a path cannot be opened, and what to do."""
    if exc.errno == errno.ELOOP:
        return "符号链接（快捷方式）循环指向自身，找不到实际文件；请给出文件本身的路径"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        if os.path.islink(p):
            return "符号链接（快捷方式）指向的文件不存在；请给出文件本身的路径"
        return "文件不存在，请检查路径"
    if isinstance(exc, PermissionError):
        return "没有读取这个文件的权限；请复制到自己的文件夹后再读"
    return f"无法读取（{exc.strerror or exc}）"


def read_raw(path: str | Path, encoding: str | None = None) -> list[RawSheet]:
    """The cell grid of every sheet (0-based, absolute coordinates)."""
    p = check_file(path)
    if p.suffix.lower() in TEXT_SUFFIXES:
        return [RawSheet(None, _read_text_rows(p, encoding))]
    return _read_excel(p)


@dataclass
class Workbook:
    """An open workbook (python-calamine's) and, for sheets read without their empty rows,
    the number in the file of each row (:mod:`hgcredit.io.guard`)."""

    book: Any
    numbers: dict[str, list[int]] = field(default_factory=dict)
    filtered: dict[str, list[int]] = field(default_factory=dict)  # see RawSheet.filtered

    @property
    def sheet_names(self) -> list[str]:
        return list(self.book.sheet_names)

    def close(self) -> None:
        self.book.close()


def open_workbook(p: Path) -> Workbook:
    """Open an Excel/ODS file with python-calamine once :func:`hgcredit.io.guard.check_workbook`
    found it safe to (refusing bombs, disguised and encrypted files with a clear message)."""
    from python_calamine import CalamineWorkbook

    from hgcredit.io.guard import check_workbook

    checked = check_workbook(p)
    try:
        if checked.data is not None:
            book = CalamineWorkbook.from_filelike(io.BytesIO(checked.data))
        elif checked.by_content:  # e.g. an .xls that is an xlsx: let calamine tell by content
            book = CalamineWorkbook.from_filelike(io.BytesIO(read_bytes(p)))
        else:
            book = CalamineWorkbook.from_path(str(p))
    except Exception as exc:  # calamine raises several private error types
        raise ReadError(
            f"无法作为 Excel/ODS 表格打开（{short_error(exc)}）；文件可能已损坏、加密或扩展名不对，"
            "请用 Excel 打开后另存为 .xlsx",
            file=p,
        ) from None
    return Workbook(book, checked.row_numbers, checked.filtered)


def _read_excel(p: Path) -> list[RawSheet]:
    wb = open_workbook(p)
    try:
        return list(iter_sheets(wb, p))
    finally:
        wb.close()


def iter_sheets(
    wb: Workbook, p: Path, first: str | None = None, *, hidden_last: bool = False
) -> Iterator[RawSheet]:
    """The cell grid of each sheet of an open workbook, read one at a time as asked for
    (``first``, when it is a sheet's name, comes first; with ``hidden_last`` hidden sheets
    come after every visible one). Rows and columns are 0-based from A1 (absolute
    coordinates, matching merged ranges), whatever the used area; a sheet read without its
    empty rows says each row's number in the file (``RawSheet.numbers``)."""
    names = wb.sheet_names
    if first in names:
        names.remove(first)
        names.insert(0, first)
    hidden = _hidden_sheets(wb)
    if hidden_last:
        names.sort(key=lambda n: n in hidden)
    most = limits.current().cells
    for name in names:
        try:
            sheet = wb.book.get_sheet_by_name(name)
            # The grid starts at A1 (empty area included), so bound its full extent.
            r_end, c_end = sheet.end or (0, 0)
            if (r_end + 1) * (c_end + 1) > most:
                raise ReadError(
                    f"工作表“{name}”过大（{r_end + 1} 行 × {c_end + 1} 列，上限 "
                    f"{limits.cells(most)}）；请删去多余的行列后另存，{limits.how_to_raise('cells')}",
                    file=p,
                )
            # skip_empty_area=False keeps absolute coordinates, matching merged_cell_ranges.
            rows: list[list[object]] = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
        except ReadError:
            raise
        except Exception as exc:
            raise ReadError(
                f"读取工作表“{name}”失败（{short_error(exc)}）；请用 Excel 另存为 .xlsx", file=p
            ) from None
        yield RawSheet(
            name, rows, merged, wb.numbers.get(name), wb.filtered.get(name, []), name in hidden
        )


def _hidden_sheets(wb: Workbook) -> set[str]:
    """The names of the workbook's hidden and very hidden sheets (none when the reader
    cannot tell)."""
    try:
        return {
            m.name
            for m in wb.book.sheets_metadata
            if str(m.visible).rsplit(".", 1)[-1] != "Visible"
        }
    except Exception:  # an older python-calamine, or a format without the flag
        return set()


def short_error(exc: BaseException) -> str:
    """First line of an exception's text, for a one-line message."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def candidate_encodings(data: bytes, path: Path, encoding: str | None = None) -> tuple[str, ...]:
    """The encodings to try, in order, on text bytes: the forced one, else UTF-8 (BOM or
    not) then GB18030 (a superset of GBK/GB2312); UTF-16 when it has a BOM."""
    if encoding:
        try:  # unknown, or not a text encoding (e.g. base64); b"" would skip the lookup
            b"a".decode(encoding)
        except LookupError:
            raise EncodingError(
                f"未知编码“{encoding}”；常用的是 utf-8、gb18030", file=path
            ) from None
        except UnicodeError:
            pass
        return (encoding,)
    if b"\x00" in data[:4096]:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return ("utf-16",)
        if (guessed := _utf16_without_bom(data[:4096])) is not None:
            return (guessed,)
        raise EncodingError(
            "看起来不是文本文件（含有二进制内容）；如是 Excel 文件，请改正扩展名", file=path
        )
    return ("utf-8-sig", "gb18030")


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``-be`` for UTF-16 text saved without a BOM: ASCII characters (the
    delimiters, line breaks, digits) leave their zero byte on odd or on even places."""
    odd = head[1::2].count(0)
    even = head[0::2].count(0)
    pairs = len(head) // 2
    # A CJK character can have a zero byte too (开 is U+5F00), so "nearly all" on one side.
    if (
        len(head) % 2
        or not pairs
        or min(odd, even) * 5 > max(odd, even)
        or max(odd, even) < pairs // 4
    ):
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    text = head.decode(encoding, errors="replace")
    controls = sum(ch < " " and ch not in "\t\r\n" for ch in text)
    return None if controls or "\ufffd" in text[:-1] else encoding


def undecodable(path: Path, encoding: str | None, exc: UnicodeDecodeError | None) -> EncodingError:
    """The error for text that none of the :func:`candidate_encodings` could decode."""
    if encoding:
        where = f"（第 {exc.start} 字节）" if exc is not None else ""
        return EncodingError(
            f"不能按 {encoding} 解码{where}；请改用 --encoding gb18030 或 --encoding utf-8",
            file=path,
        )
    return EncodingError(
        "无法识别文本编码（既不是 UTF-8 也不是 GBK/GB18030）；请用 --encoding 指定，如 --encoding big5",
        file=path,
    )


def with_encodings(data: bytes, path: Path, encoding: str | None, use: Callable[[str], T]) -> T:
    """``use(enc)`` with each of :func:`candidate_encodings` in turn, until one does not
    raise UnicodeDecodeError (text decoded as it is parsed can fail mid-way); the
    :func:`undecodable` error when none decodes."""
    last: UnicodeDecodeError | None = None
    for enc in candidate_encodings(data, path, encoding):
        try:
            return use(enc)
        except UnicodeDecodeError as exc:
            last = exc
    raise undecodable(path, encoding, last)


def decode_text(data: bytes, path: Path, encoding: str | None = None) -> str:
    """Decode text bytes: forced encoding, else UTF-8 (BOM or not), else GB18030."""
    return with_encodings(data, path, encoding, data.decode)


def read_bytes(p: Path) -> bytes:
    try:
        return p.read_bytes()
    except OSError as exc:
        raise ReadError(_unreachable(p, exc), file=p) from None


def read_text(p: Path, encoding: str | None = None) -> str:
    """The whole text of a csv/tsv/txt file, decoded as :func:`decode_text` does."""
    return decode_text(read_bytes(p), p, encoding)


def _read_text_rows(p: Path, encoding: str | None) -> list[list[object]]:
    text = read_text(p, encoding)
    delimiter = guess_delimiter(text, p.suffix.lower())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        with csv_field_limit(len(text)):
            return [list(row) for row in reader]
    except csv.Error as exc:
        raise csv_error(exc, reader.line_num, p) from None


# The longest csv field read (characters). Python's own limit is 131,072; a department's text
# can be longer. A field longer than this is refused, naming the line.
MAX_CSV_FIELD = 64 * 1024 * 1024


@contextlib.contextmanager
def csv_field_limit(size: int) -> Iterator[None]:
    """Let the csv module read fields up to ``size`` characters (at most :data:`MAX_CSV_FIELD`)
    while the block runs; the process-wide limit is put back afterwards."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, min(size, MAX_CSV_FIELD)))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def csv_error(exc: csv.Error, line: int, p: Path) -> ReadError:
    """A csv module error as one Chinese line naming the line of the file."""
    if "field larger than field limit" in str(exc):
        return ReadError(
            f"第 {line} 行附近有一个字段超过 {MAX_CSV_FIELD:,} 个字符，超出读取上限；"
            "请检查文件是否完整、引号是否成对（缺少右引号时其后全部内容会连成一个字段）",
            file=p,
        )
    return ReadError(
        f"CSV 格式错误（第 {line} 行附近：{exc}）；请用 Excel 打开后另存为 .xlsx", file=p
    )


def guess_delimiter(text: str, suffix: str) -> str:
    """The delimiter of a text table: tab for .tsv, else the commonest of , tab ;"""
    if suffix == ".tsv":
        return "\t"
    sample = text[:200_000]
    lines = [ln for ln in sample.splitlines() if ln.strip()]
    tabs = sum(ln.count("\t") for ln in lines)
    commas = sum(ln.count(",") for ln in lines)
    semis = sum(ln.count(";") for ln in lines)
    if suffix == ".txt" and tabs:
        return "\t"
    best = max((commas, ","), (tabs, "\t"), (semis, ";"))
    return best[1] if best[0] else ","


# ---------------------------------------------------------------- formulas

# How much of a workbook's sheet XML is looked into for formulas without a stored result.
FORMULA_SCAN_BYTES = 64 * 1024 * 1024
_XML_ATTR = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_XML_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_XML_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_XML_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>)", re.S)
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")


def uncached_formulas(path: str | Path) -> dict[str, list[tuple[int, int]]]:
    """Cells of an ``.xlsx``/``.xlsm`` file that hold a formula but no stored result, per
    sheet name, as 0-based (row, column) in sheet order.

    python-calamine reads such a cell as empty. Excel and WPS store every formula's result
    when they save; files written by scripts or some exporters may not. Other formats always
    store results (or are not looked into). At most :data:`FORMULA_SCAN_BYTES` of a
    workbook's sheet XML are looked into (a larger sheet is passed over); a file that cannot
    be opened gives ``{}`` (reading it reports why).
    """
    p = Path(path)
    if p.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    out: dict[str, list[tuple[int, int]]] = {}
    budget = FORMULA_SCAN_BYTES  # for the whole workbook
    try:
        with zipfile.ZipFile(p) as zf:
            members = {info.filename: info for info in zf.infolist()}
            for sheet, member in _sheet_members(zf, members).items():
                info = members.get(member)
                if info is None or info.file_size > budget:
                    continue
                with zf.open(info) as fh:
                    data = fh.read(budget + 1)
                budget -= len(data)
                if budget >= 0 and _XML_FORMULA.search(data):
                    cells = _uncached_cells(data)
                    if cells:
                        out[sheet] = cells
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, RuntimeError, EOFError):
        return {}
    return out


def _xml_attrs(raw: bytes) -> dict[str, str]:
    return {
        m.group(1).decode().rsplit(":", 1)[-1]: html.unescape(
            (m.group(2) if m.group(2) is not None else m.group(3) or b"").decode("utf-8", "replace")
        )
        for m in _XML_ATTR.finditer(raw)
    }


def _small_member(zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], name: str) -> bytes:
    info = members.get(name)
    if info is None or info.file_size > 4 * 1024 * 1024:
        return b""
    with zf.open(info) as fh:
        return fh.read(4 * 1024 * 1024)


def _sheet_members(zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML (workbook.xml and its relationships)."""
    book = "xl/workbook.xml"
    for m in re.finditer(rb"<Relationship\b[^>]*>", _small_member(zf, members, "_rels/.rels")):
        attrs = _xml_attrs(m.group(0))
        if attrs.get("Type", "").endswith("/officeDocument"):
            book = attrs.get("Target", book).lstrip("/")
    folder = book.rsplit("/", 1)[0] + "/" if "/" in book else ""
    rels_name = f"{folder}_rels/{book.rsplit('/', 1)[-1]}.rels"
    targets = {}
    for m in re.finditer(rb"<Relationship\b[^>]*>", _small_member(zf, members, rels_name)):
        attrs = _xml_attrs(m.group(0))
        target = attrs.get("Target", "")
        targets[attrs.get("Id", "")] = (
            target.lstrip("/") if target.startswith("/") else folder + target
        )
    sheets = {}
    for m in re.finditer(rb"<(?:\w+:)?sheet\b[^>]*>", _small_member(zf, members, book)):
        attrs = _xml_attrs(m.group(0))
        if attrs.get("id") in targets and "name" in attrs:
            sheets[attrs["name"]] = targets[attrs["id"]]
    return sheets


def _uncached_cells(data: bytes) -> list[tuple[int, int]]:
    cells = []
    for m in _XML_CELL.finditer(data):
        inner = m.group(2)
        if not inner or not _XML_FORMULA.search(inner):
            continue
        attrs = _xml_attrs(m.group(1))
        value = _XML_VALUE.search(inner)
        # An empty result is stored as an empty string (t="str"); a number is never empty.
        if value is not None and (value.group(1) or attrs.get("t") in ("str", "inlineStr")):
            continue
        ref = _CELL_REF.fullmatch(attrs.get("r", ""))
        if ref is None:
            continue
        col = 0
        for ch in ref.group(1):
            col = col * 26 + ord(ch) - 64
        cells.append((int(ref.group(2)) - 1, col - 1))
    return cells


# ---------------------------------------------------------------- tables


def default_header_test(cells: Sequence[str]) -> bool:
    """A row with at least two distinct non-empty, short cells."""
    values = {c for c in cells if c and len(c) <= 80}
    return len(values) >= 2


def fill_merged(
    rows: list[list[Any]], merged: list[tuple[tuple[int, int], tuple[int, int]]]
) -> None:
    """Give every cell of a merged range the value of its top-left cell (where empty)."""
    for (r1, c1), (r2, c2) in merged:
        if r1 >= len(rows) or c1 >= len(rows[r1]):
            continue
        value = rows[r1][c1]
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c2:
                row.extend([""] * (c2 + 1 - len(row)))
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1) and not row[c]:
                    row[c] = value


def find_header_row(
    rows: Sequence[Sequence[str]],
    header_test: HeaderTest = default_header_test,
    scan_rows: int = HEADER_SCAN_ROWS,
) -> int | None:
    """0-based index of the first row (within the first ``scan_rows``) that passes
    ``header_test``; rows above it are titles. None when there is none.

    >>> find_header_row([["2022年度评价结果", ""], ["代码", "等级"], ["1", "A"]])
    1
    """
    for i, row in enumerate(rows[:scan_rows]):
        if header_test(row):
            return i
    return None


def stack_header(upper: Sequence[str], lower: Sequence[str]) -> list[str]:
    r"""One header from two rows, column by column: ``2022年`` over ``11月`` is
    ``2022年\n11月``; a cell merged down over both rows (or empty in one) is itself.

    >>> stack_header(["序号", "2022年", "2022年"], ["序号", "10月", "11月"])
    ['序号', '2022年\n10月', '2022年\n11月']
    """
    width = max(len(upper), len(lower))
    out = []
    for c in range(width):
        u = upper[c] if c < len(upper) else ""
        low = lower[c] if c < len(lower) else ""
        out.append(u if u == low or not low else low if not u else f"{u}\n{low}")
    return out


_SERIAL_CELL = re.compile(r"\d+[.、]?")


def header_like(cells: Sequence[str]) -> bool:
    """A row that can be the second line of a header: short labels, no serial number."""
    values = [c for c in cells if c]
    return bool(values) and all(len(c) <= 20 and not _SERIAL_CELL.fullmatch(c) for c in values)


def find_stacked_header(
    rows: Sequence[Sequence[str]],
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]],
    header_test: HeaderTest = default_header_test,
    scan_rows: int = HEADER_SCAN_ROWS,
) -> int | None:
    """0-based index of the first of two rows that pass ``header_test`` only together
    (a group heading such as ``2022年`` or ``监管情况`` merged over ``10月 | 11月``)."""
    for i in range(min(scan_rows, len(rows) - 1)):
        if not any(rows[i]) or not header_like(rows[i + 1]):
            continue
        pair = [list(rows[i]), list(rows[i + 1])]
        local = [
            ((r1 - i, c1), (min(r2, i + 1) - i, c2))
            for (r1, c1), (r2, c2) in merged
            if i <= r1 <= i + 1
        ]
        fill_merged(pair, local)
        if header_test(stack_header(pair[0], pair[1])):
            return i
    return None


def to_table(
    sheet: RawSheet,
    file: str,
    header_test: HeaderTest = default_header_test,
    scan_rows: int = HEADER_SCAN_ROWS,
) -> Table | None:
    """Clean a raw sheet and split it at its header row; None when no header is found."""
    rows = [[cell_text(v) for v in row] for row in sheet.rows]
    header_at = find_header_row(rows, header_test, scan_rows)
    depth = 1
    if header_at is None:
        header_at = find_stacked_header(rows, sheet.merged, header_test, scan_rows)
        if header_at is None:
            return None
        depth = 2
    # Merged cells: fill only header and body; a title merged across stays one value.
    body_merges = [m for m in sheet.merged if m[0][0] >= header_at]
    fill_merged(rows, body_merges)
    header = rows[header_at]
    if depth == 2:
        header = stack_header(rows[header_at], rows[header_at + 1])
        rows[header_at + 1] = []  # part of the header, not a body row
    width = max([len(header), *(len(r) for r in rows[header_at + 1 :])], default=0)
    while (
        width and not header[width - 1 :] and all(len(r) < width or not r[width - 1] for r in rows)
    ):
        width -= 1
    header = header + [""] * (width - len(header))
    body, numbers = [], []
    for i in range(header_at + 1, len(rows)):
        row = rows[i] + [""] * (width - len(rows[i]))
        if any(row):
            body.append(row[:width] if width else row)
            numbers.append(sheet.number(i))
    title = [" ".join(c for c in r if c) for r in rows[:header_at] if any(r)]
    return Table(
        file, sheet.name, header, sheet.number(header_at), body, numbers, title, sheet.hidden
    )


def read_tables(
    path: str | Path,
    *,
    encoding: str | None = None,
    header_test: HeaderTest = default_header_test,
    scan_rows: int = HEADER_SCAN_ROWS,
) -> list[Table]:
    """Every sheet of a file that has a header row (within ``scan_rows``), as clean tables."""
    p = Path(path)
    tables = []
    for sheet in read_raw(p, encoding):
        table = to_table(sheet, str(p), header_test, scan_rows)
        if table is not None:
            tables.append(table)
    if not tables:
        raise HeaderError(
            f"没有找到表头行（前 {scan_rows} 行内没有符合要求的表头）；"
            "请确认这是要求的表格，表头在标题行下方",
            file=p,
        )
    return tables
