"""A zip in the month's folder: already unpacked there, or still holding inputs.

Clerks save an e-mail's attachments as they come, and a department often sends its returns
as one zip. hgcredit reads no archive; what matters is whether its tables are in the folder
already (unpacked beside it, byte for byte the same). :func:`archive_note` says which:

* every table in the zip is in the folder → the zip is not an input (nothing is lost);
* some table is not → the zip is an input that cannot be used, naming those tables;
* no table in it (documents only) → not an input.

Reading a member is bounded as every zip is (:mod:`hgcredit.io.limits`): the members'
declared sizes together, and zipfile stops at the declared size and checks the CRC.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from hgcredit.io import limits
from hgcredit.io.tables import EXCEL_SUFFIXES

UNPACK = "压缩文件，其中的表格没有读取；请先解压到这个文件夹"
# What a zip may hold that is an input (a .txt in a zip is an e-mail's text, not a return).
_TABLES = (*EXCEL_SUFFIXES, ".csv", ".tsv")
_SHOWN = 3


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as the sender's computer wrote it: zips made on Chinese Windows
    store names in GBK, and ``zip`` on Linux or macOS in UTF-8, without saying so (zipfile
    reads both as cp437). UTF-8 is tried first: GBK names are almost never valid UTF-8.

    >>> info = zipfile.ZipInfo("商务局.xlsx".encode().decode("cp437"))
    >>> info.flag_bits &= ~0x800
    >>> member_name(info)
    '商务局.xlsx'
    """
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _is_table(name: str) -> bool:
    path = PurePosixPath(name)
    if any(part.startswith((".", "__MACOSX")) for part in path.parts):
        return False
    return not path.name.startswith("~$") and path.suffix.lower() in _TABLES


def archive_note(archive: Path, folder_files: Iterable[Path]) -> tuple[bool, str]:
    """(usable-as-ignored, note) for a zip among ``folder_files`` (the folder's other files):
    True with why it is not an input, or False with what to do (the zip is then unusable)."""
    if archive.suffix.lower() != ".zip":
        return False, UNPACK
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            if not infos or len(infos) > limits.MAX_MEMBERS:
                return False, UNPACK
            if any(i.flag_bits & 0x1 for i in infos):
                return False, "压缩文件设置了密码，其中的表格没有读取；请解压到这个文件夹"
            tables = [i for i in infos if _is_table(member_name(i))]
            if not tables:
                return True, "压缩文件，其中没有表格文件"
            if sum(i.file_size for i in tables) > limits.current().unzipped_bytes:
                return False, UNPACK
            by_size: dict[int, list[Path]] = {}
            for f in folder_files:
                try:
                    by_size.setdefault(f.stat().st_size, []).append(f)
                except OSError:
                    continue
            digests: dict[Path, str] = {}
            found: list[Path] = []
            missing: list[str] = []
            for info in tables:
                same = by_size.get(info.file_size, [])
                match = None
                if same:
                    digest = _member_digest(zf, info)
                    match = next((f for f in same if _digest(f, digests) == digest), None)
                if match is None:
                    missing.append(PurePosixPath(member_name(info)).name)
                else:
                    found.append(match)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, ValueError):
        return False, UNPACK
    if missing:
        shown = "、".join(missing[:_SHOWN]) + (
            f" 等 {len(missing)} 个" if len(missing) > _SHOWN else ""
        )
        done = f"（其余 {len(found)} 个已在文件夹中）" if found else ""
        return False, f"压缩文件，其中 {shown} 没有解压到这个文件夹{done}；请先解压到这个文件夹"
    places = sorted({str(f.parent) for f in found})
    where = "、".join(places[:_SHOWN]) + ("等" if len(places) > _SHOWN else "")
    return True, f"压缩文件，其中的 {len(found)} 个表格都已解压在文件夹中（{where}），未重复读取"


def _member_digest(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    h = hashlib.sha256()
    with zf.open(info) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _digest(path: Path, cache: dict[Path, str]) -> str:
    if path not in cache:
        h = hashlib.sha256()
        try:
            with path.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
        except OSError:
            cache[path] = ""
            return ""
        cache[path] = h.hexdigest()
    return cache[path]
