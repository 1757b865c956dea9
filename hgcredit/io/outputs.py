"""Writing outputs safely: atomic replace, and text that can never become a formula.

Workbooks are written with :mod:`hgcredit.io.xlsx` on top of :func:`atomic_path`; csv files
with :func:`write_csv`.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from hgcredit.errors import OptionError, OutputError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def check_output(
    target: str | Path | None,
    suffixes: str | tuple[str, ...],
    option: str,
    inputs: Iterable[str | Path | None] = (),
) -> None:
    """Refuse an output path before any work is done: wrong extension, missing folder, a
    folder given as the file, or one of the inputs (an input is never overwritten).

    >>> check_output("台账.csv", ".xlsx", "-o")
    Traceback (most recent call last):
    hgcredit.errors.OptionError: -o 的文件名应以 .xlsx 结尾：台账.csv
    """
    if target is None:
        return
    target = Path(target)
    allowed = (suffixes,) if isinstance(suffixes, str) else suffixes
    if target.suffix.lower() not in allowed:
        raise OptionError(f"{option} 的文件名应以 {' 或 '.join(allowed)} 结尾：{target}")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OptionError(f"{option} 的输出文件夹不存在，请先创建它：{folder}")
    if target.is_dir():
        raise OptionError(f"{option} 指向的是一个文件夹，请给出文件名：{target}")
    resolved = target.resolve()
    for item in inputs:
        if item is not None and Path(item).exists() and Path(item).resolve() == resolved:
            raise OptionError(f"{option} 的输出文件 {target} 与输入文件相同；请换一个文件名")


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it into place only on success.

    An interrupted or failed write leaves any previous ``target`` whole. A file that
    cannot be written (no permission, open in Excel, disk full) is an :class:`OutputError`.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError("输出文件夹不存在，请先创建它或换一个路径", file=target)
    if target.is_dir():
        raise OutputError("输出路径是一个文件夹，请给出文件名", file=target)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _cannot_write(exc, target) from None
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp makes the file private (0600); give it the mode a plain open() would.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        raise _cannot_write(exc, target) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _cannot_write(exc: OSError, target: Path) -> OutputError:
    if isinstance(exc, PermissionError):
        why = "无法写入（没有权限，或文件正在 Excel 中打开）；请关闭该文件后重试"
    elif exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        why = "无法写入：磁盘空间不足；请清理磁盘或换一个位置"
    else:
        why = f"无法写入（{exc.strerror or exc}）；请换一个位置或文件名后重试"
    return OutputError(why, file=target)


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program would read this text as a formula.

    >>> is_formula_like("=1+1"), is_formula_like("@SUM(A1)"), is_formula_like("鹤岗")
    (True, True, False)
    """
    return text.startswith(FORMULA_START)


def csv_safe(text: str) -> str:
    """Text for a csv cell that Excel will show as text, never evaluate.

    >>> csv_safe("=HYPERLINK()"), csv_safe("普通名称")
    ("'=HYPERLINK()", '普通名称')
    """
    return "'" + text if is_formula_like(text) else text


def write_csv(target: str | Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a csv file atomically, as Excel opens it: UTF-8 with BOM, every text cell
    through :func:`csv_safe`; numbers as they are. Returns the number of rows written.
    """
    n = 0
    start = FORMULA_START
    with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([csv_safe(h) for h in header])
        for row in rows:
            # csv_safe inlined: this runs for every cell of files with many thousand rows.
            writer.writerow(
                ["'" + v if isinstance(v, str) and v.startswith(start) else v for v in row]
            )
            n += 1
    return n
