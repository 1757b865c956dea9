"""Check a workbook file before python-calamine opens it, and refuse what it must not read.

python-calamine is fast because it trusts the file: a 5.7 MB xlsx that inflates to 2 GB,
or a 6 KB one with a cell at ``S1048576``, makes it allocate gigabytes (and abort the whole
process when the system says no). So every workbook is first looked at from outside, within
the limits of :mod:`hgcredit.io.limits`:

* what it really is, whatever its name says: a zip package (xlsx, xlsm, ods), an OLE file
  (xls, or an encrypted xlsx), a web page, a csv, an image, noise;
* a zip: its directory (members, their uncompressed sizes and compression ratios), the
  start of every XML part (no ``<!DOCTYPE``: entity declarations are how XML bombs are
  made, and Excel never writes one), and how far each sheet reaches
  (:mod:`hgcredit.io.extent`);
* an OLE file: its streams (encrypted or not, Excel or Word) and each sheet's declared
  size (:mod:`hgcredit.io.ole`).

A file beyond a limit is refused with one Chinese line that names the limit and the fix;
the other files of the run are read as usual. An xlsx sheet that only *reaches* far (a
few cells far apart) is not refused: :mod:`hgcredit.io.sparse` rewrites it without its
empty rows, and the reader is given the rewritten workbook and each row's real number.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from hgcredit.errors import ReadError
from hgcredit.io import limits
from hgcredit.io.extent import (
    FilterWatch,
    XlsxExtent,
    cell_name,
    filtered_rows,
    scan_ods_content,
    scan_xlsx_sheet,
)
from hgcredit.io.ole import MAGIC as OLE_MAGIC
from hgcredit.io.ole import OleError, inspect_ole

_CHUNK = 1024 * 1024
_PROLOG_BYTES = 64 * 1024
_XML_SUFFIXES = (".xml", ".rels", ".rdf", ".vml")
_XLS_ROWS, _XLS_COLUMNS = 65_536, 256
_DEFLATE_MOST = 1032  # deflate inflates a byte to at most this many
SPARSE_FLOOR = 1_000_000  # a grid this big is read without its empty rows when mostly empty

CORRUPT = (
    "文件已损坏或不完整（可能下载或复制时中断）；请重新获取原文件，或在 Excel 中打开后另存为 .xlsx"
)


@dataclass
class Checked:
    """What to open for a checked workbook: the file itself, or (for a sheet rewritten by
    :mod:`hgcredit.io.sparse`) a workbook in memory; and for each rewritten sheet the
    number in the file of each row read."""

    kind: str  # "xlsx", "ods", "xlsb", "xls"
    data: bytes | None = None
    row_numbers: dict[str, list[int]] = field(default_factory=dict)
    # The content is not what the file's name says (an .xls that is an xlsx): open by content.
    by_content: bool = False
    # For each sheet with an autofilter that hides rows, the numbers of the hidden rows.
    filtered: dict[str, list[int]] = field(default_factory=dict)


def check_workbook(p: Path) -> Checked:
    """Look at a workbook file from outside; a :class:`ReadError` naming the limit or the
    problem, and the fix, when it must not be read."""
    lim = limits.current()
    try:
        with p.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise ReadError(f"无法读取（{exc.strerror or exc}）", file=p) from None
    if head.startswith(b"PK"):
        checked = _check_zip(p, lim)
    elif head.startswith(OLE_MAGIC):
        checked = _check_ole(p, lim)
    else:
        raise ReadError(not_a_workbook(head), file=p)
    checked.by_content = p.suffix.lower() not in _SUFFIXES[checked.kind]
    return checked


_SUFFIXES = {"xlsx": (".xlsx", ".xlsm"), "ods": (".ods",), "xlsb": (".xlsb",), "xls": (".xls",)}


# ---------------------------------------------------------------- what a file is

_DOCUMENT_BYTES = 64 * 1024 * 1024  # an OLE file bigger than this is not looked into here


def document_kind(p: Path) -> str | None:
    """What office document (not a spreadsheet) a file is, whatever its name says
    (``Word 文档（.docx）`` for a .docx renamed .xlsx), else None: a workbook, anything
    else, or a file that cannot be looked into (the readers then say what is wrong).

    >>> document_kind(Path(__file__)) is None
    True
    """
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
        if head.startswith(b"PK"):
            with zipfile.ZipFile(p) as zf:
                names = zf.namelist()
                if len(names) > limits.MAX_MEMBERS:
                    return None
                lowered = {n.lower() for n in names}
                if "mimetype" in names:
                    mimetype = zf.read("mimetype")[:200]
                    if b"opendocument.text" in mimetype:
                        return "OpenDocument 文字文件（.odt）"
                    if b"opendocument.presentation" in mimetype:
                        return "OpenDocument 演示文件（.odp）"
                    return None
                if any(n.startswith("xl/") for n in lowered):
                    return None
                if any(n.startswith("word/") for n in lowered):
                    return "Word 文档（.docx）"
                if any(n.startswith("ppt/") for n in lowered):
                    return "演示文稿（.pptx）"
            return None
        if head.startswith(OLE_MAGIC) and p.stat().st_size <= _DOCUMENT_BYTES:
            found = inspect_ole(p.read_bytes())
            if "WordDocument" in found.streams:
                return "Word 文档（.doc）"
            if "PowerPoint Document" in found.streams:
                return "演示文稿（.ppt）"
    except (OSError, OleError, zipfile.BadZipFile, ValueError, EOFError, KeyError):
        return None
    return None


_IMAGES = {
    b"\x89PNG": "图片（PNG）",
    b"\xff\xd8\xff": "图片（JPEG）",
    b"GIF8": "图片（GIF）",
    b"BM": "图片（BMP）",
    b"II*\x00": "图片（TIFF）",
    b"MM\x00*": "图片（TIFF）",
    b"%PDF": "PDF 文件",
    b"Rar!": "RAR 压缩包",
    b"7z\xbc\xaf": "7z 压缩包",
    b"\x1f\x8b": "gzip 压缩包",
}


def not_a_workbook(head: bytes) -> str:
    """Why bytes that are neither zip nor OLE are no workbook, and what to do.

    >>> not_a_workbook(b"\\x89PNG\\r\\n")
    '这是图片（PNG），不是表格；请给出表格文件本身'
    >>> not_a_workbook("序号,实施部门\\n1,市税务局\\n".encode("gbk"))
    '这是文本文件（如 csv），不是 Excel 表格；如是 csv，请把扩展名改为 .csv'
    """
    for magic, what in _IMAGES.items():
        if head.startswith(magic):
            return f"这是{what}，不是表格；请给出表格文件本身"
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<html", b"<!doctype", b"<table", b"<meta", b"<head")):
        return "该文件实际是网页（HTML）而不是 Excel 表格；请用 Excel 打开后另存为 .xlsx 再导入"
    if lowered.startswith(b"<?xml"):
        return (
            "这是 XML 文件（可能是 Excel 2003 XML 表格），不是 .xlsx；请用 Excel 打开后另存为 .xlsx"
        )
    if _looks_like_text(head):
        return "这是文本文件（如 csv），不是 Excel 表格；如是 csv，请把扩展名改为 .csv"
    return "无法识别的文件内容，不是 Excel/ODS 表格；文件可能已损坏或扩展名不对，请用 Excel 打开后另存为 .xlsx"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return head.startswith((b"\xff\xfe", b"\xfe\xff"))
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # only a character cut at the end is allowed
                continue
            text = head[: exc.start].decode(encoding)
        controls = sum(ch < " " and ch not in "\t\r\n\x0b\x0c" for ch in text)
        return controls * 100 <= len(text)
    return False


# ---------------------------------------------------------------- zip packages


def _check_zip(p: Path, lim: limits.Limits) -> Checked:
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ReadError(CORRUPT, file=p) from None
    with zf:
        try:
            return _check_package(p, zf, lim)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
            raise ReadError(CORRUPT, file=p) from None


def _check_package(p: Path, zf: zipfile.ZipFile, lim: limits.Limits) -> Checked:
    infos = zf.infolist()
    if len(infos) > limits.MAX_MEMBERS:
        raise ReadError(
            f"压缩包内有 {len(infos):,} 个文件，不是正常的表格（上限 {limits.MAX_MEMBERS:,}）；"
            "请确认文件来源，或在 Excel 中另存为 .xlsx",
            file=p,
        )
    kind = _package_kind(zf, {i.filename for i in infos})
    if any(i.flag_bits & 0x1 for i in infos):
        raise ReadError("压缩包设置了密码（已加密），无法读取；请去掉密码后另存为 .xlsx", file=p)
    total = sum(i.file_size for i in infos)
    if total > lim.unzipped_bytes:
        raise ReadError(
            f"解压后共 {limits.megabytes(total)}，超过上限 {lim.unzipped_mb} MB"
            "（可能是“压缩炸弹”）；请确认文件来源，删去多余内容后另存，"
            f"{limits.how_to_raise('unzipped_mb')}",
            file=p,
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.RATIO_FLOOR and ratio > lim.ratio:
            raise ReadError(
                f"其中 {info.filename} 的压缩比为 {ratio:,.0f} 倍，超过上限 {lim.ratio} 倍"
                "（可能是“压缩炸弹”）；请确认文件来源，或在 Excel 中另存后再读，"
                f"{limits.how_to_raise('ratio')}",
                file=p,
            )
    roots: dict[str, str] = {}
    for info in infos:
        if info.filename.lower().endswith(_XML_SUFFIXES):
            roots[info.filename] = _xml_root(p, zf, info)
    checked = Checked(kind)
    if kind == "xlsx":
        _check_xlsx_sheets(p, zf, roots, lim, checked)
    elif kind == "ods" and "content.xml" in roots:
        _check_ods_tables(p, zf, lim)
    # A member whose compressed data could inflate beyond what is left of the limit is
    # inflated once here: zipfile stops at the size the directory declares and checks the
    # CRC, so a directory that lies about a member's size is found before the reader trusts it.
    scanned = {n for n, root in roots.items() if root == "worksheet"} | {"content.xml"}
    budget = lim.unzipped_bytes - total
    for info in infos:
        if info.filename not in scanned and info.compress_size * _DEFLATE_MOST > (
            info.file_size + budget
        ):
            for _ in _chunks(zf, info.filename):
                pass
    return checked


def _package_kind(zf: zipfile.ZipFile, names: set[str]) -> str:
    lowered = {n.lower() for n in names}
    if "mimetype" in names and "content.xml" in names:
        mimetype = zf.read("mimetype")[:200]
        if b"spreadsheet" in mimetype:
            return "ods"
        raise ReadError(
            "这是 OpenDocument 文字或演示文件，不是表格；请给出 .ods 或 .xlsx 表格",
            file=zf.filename,
        )
    if any(n.startswith("xl/") and n.endswith("workbook.xml") for n in lowered):
        return "xlsx"
    if any(n.startswith("xl/") and n.endswith("workbook.bin") for n in lowered):
        return "xlsb"
    if any(n.startswith("word/") for n in lowered):
        what = "Word 文档（.docx）"
    elif any(n.startswith("ppt/") for n in lowered):
        what = "演示文稿（.pptx）"
    else:
        what = "zip 压缩包"
    raise ReadError(
        f"这是{what}，不是 Excel/ODS 表格；请给出表格文件本身（压缩包请先解压）", file=zf.filename
    )


_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


def _xml_root(p: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """The root element's local name of an XML part; a ReadError for a DOCTYPE (entities)."""
    with zf.open(info) as fh:
        head = fh.read(_PROLOG_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[1:2] == b"\x00":
        head = head.decode("utf-16", "replace").encode("utf-8")
    at = _PROLOG.match(head)
    rest = head[at.end() if at else 0 :]
    if rest.startswith(b"<!"):
        raise ReadError(
            f"其中 {info.filename} 含有 XML 实体声明（<!DOCTYPE），Excel 保存的文件不会这样，"
            "可能是恶意构造的“XML 炸弹”；已拒绝读取，请向报送单位索取原表格",
            file=p,
        )
    root = _ROOT.match(rest)
    return root.group(1).decode() if root else ""


def _chunks(zf: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    with zf.open(name) as fh:
        while chunk := fh.read(_CHUNK):
            yield chunk


def _check_xlsx_sheets(
    p: Path, zf: zipfile.ZipFile, roots: dict[str, str], lim: limits.Limits, checked: Checked
) -> None:
    replaced: dict[str, bytes] = {}
    for part, root in roots.items():
        if root != "worksheet":
            continue
        watch = FilterWatch(_chunks(zf, part))
        extent = scan_xlsx_sheet(watch)
        if watch.maybe and (hidden := filtered_rows(b"".join(_chunks(zf, part)))):
            name = _sheet_names(zf).get(part)
            if name is not None:
                checked.filtered[name] = hidden
        if extent.rows > limits.EXCEL_ROWS or extent.columns > limits.EXCEL_COLUMNS:
            raise ReadError(
                f"工作表有单元格超出 Excel 的行列上限（{cell_name(extent.rows, extent.columns)}），"
                "文件可能被篡改；请向报送单位索取原表格",
                file=p,
            )
        if extent.cells <= lim.cells and not _sparse(extent):
            continue
        from hgcredit.io.sparse import squeeze_sheet

        names = _sheet_names(zf)
        name = names.get(part)
        xml, numbers = squeeze_sheet(_chunks(zf, part))
        squeezed = scan_xlsx_sheet([xml])
        if name is None or squeezed.cells > lim.cells:
            shown = f"工作表“{name}”" if name else "有一个工作表"
            raise ReadError(
                f"{shown}过大（到 {cell_name(extent.rows, extent.columns)}，"
                f"共 {limits.cells(squeezed.cells)}，上限 {limits.cells(lim.cells)}）；"
                f"请删去多余的行列后另存，或拆分成几个文件，{limits.how_to_raise('cells')}",
                file=p,
            )
        replaced[part] = xml
        checked.row_numbers[name] = numbers
    if replaced:
        checked.data = _rebuilt(zf, replaced)


def _sparse(extent: XlsxExtent) -> bool:
    """A grid of over a million places of which not one in four is written (a few cells far
    apart): cheaper read without its empty rows (a dense grid is read as it is)."""
    return extent.cells > SPARSE_FLOOR and extent.count * 4 < extent.cells


_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb"([\w:]+)=\"([^\"]*)\"")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> sheet name, from the workbook part and its relationships."""
    names = zf.namelist()
    book = next((n for n in names if n.lower() == "xl/workbook.xml"), None)
    rels = next((n for n in names if n.lower() == "xl/_rels/workbook.xml.rels"), None)
    if book is None or rels is None:
        return {}
    targets = {}
    for element in _REL.findall(zf.read(rels)):
        attrs = dict(_ATTR.findall(element))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[attrs.get(b"Id", b"")] = _normal(part)
    found = {}
    for element in _SHEET.findall(zf.read(book)):
        attrs = dict(_ATTR.findall(element))
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), b"")
        if rid in targets and b"name" in attrs:
            import html

            found[targets[rid]] = html.unescape(attrs[b"name"].decode("utf-8", "replace"))
    return found


def _normal(part: str) -> str:
    out: list[str] = []
    for piece in part.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece not in ("", "."):
            out.append(piece)
    return "/".join(out)


def _rebuilt(zf: zipfile.ZipFile, replaced: dict[str, bytes]) -> bytes:
    """The package with some parts replaced, in memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new:
        for info in zf.infolist():
            data = replaced.get(info.filename)
            new.writestr(info.filename, data if data is not None else zf.read(info))
    return out.getvalue()


def _check_ods_tables(p: Path, zf: zipfile.ZipFile, lim: limits.Limits) -> None:
    for table in scan_ods_content(_chunks(zf, "content.xml")):
        if table.cells > lim.cells:
            raise ReadError(
                f"工作表“{table.name}”过大（到 {cell_name(table.rows, table.columns)}，"
                f"共 {limits.cells(table.cells)}，上限 {limits.cells(lim.cells)}）；"
                "请删去远处多余的单元格后另存（或另存为 .xlsx），"
                f"{limits.how_to_raise('cells')}",
                file=p,
            )


# ---------------------------------------------------------------- OLE files


def _check_ole(p: Path, lim: limits.Limits) -> Checked:
    try:
        found = inspect_ole(p.read_bytes())
    except OleError:
        raise ReadError(CORRUPT, file=p) from None
    except OSError as exc:
        raise ReadError(f"无法读取（{exc.strerror or exc}）", file=p) from None
    if found.encrypted:
        raise ReadError(
            "工作簿设置了打开密码（已加密），无法读取；请在 Excel 中打开并去掉密码"
            "（文件 → 信息 → 保护工作簿），另存为 .xlsx 后再读",
            file=p,
        )
    if not found.workbook:
        what = "Word 文档（.doc）" if "WordDocument" in found.streams else "Office 文件"
        raise ReadError(f"这是{what}，不是 Excel 表格；请给出表格文件本身", file=p)
    for sheet in found.sheets:
        if sheet.rows > _XLS_ROWS or sheet.columns > _XLS_COLUMNS:
            raise ReadError(
                f"工作表“{sheet.name}”声明的大小超出 .xls 的上限，文件可能已损坏；"
                "请在 Excel 中打开后另存为 .xlsx",
                file=p,
            )
        cells = sheet.rows * sheet.columns
        if cells > lim.cells:
            raise ReadError(
                f"工作表“{sheet.name}”过大（到 {cell_name(sheet.rows, sheet.columns)}，"
                f"共 {limits.cells(cells)}，上限 {limits.cells(lim.cells)}）；"
                "请在 Excel 中删去远处多余的单元格，另存为 .xlsx 后再读，"
                f"{limits.how_to_raise('cells')}",
                file=p,
            )
    return Checked("xls")
