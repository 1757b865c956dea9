"""Writing outputs safely: atomic replace, and text that can never become a formula.

Workbooks are written with :mod:`hgcredit.io.xlsx` on top of :func:`atomic_path`; csv files
with :func:`write_csv`.

A run killed while writing (power cut, ``kill -9``) leaves its hidden temporary file
``.NAME.PID.xxxxxxxx.tmp`` behind; the next output written into that folder removes such
files of ours that no running process holds (:func:`remove_stale_temporaries`). A run
stopped by Ctrl-C removes its own at once (:func:`discard_temporaries`): the process id in
the name tells them from another run's writing the same output at the same moment.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import numbers
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from hgcredit.errors import OptionError, OutputError

try:  # POSIX: a temporary file is locked while it is written (see atomic_path)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The outputs this tool writes; only temporary files of these are ever removed.
OUTPUT_SUFFIXES = (".xlsx", ".csv", ".docx", ".md", ".html", ".txt", ".json")
TEMP_PREFIX, TEMP_SUFFIX = ".", ".tmp"  # .NAME.PID.xxxxxxxx.tmp (xxxxxxxx: tempfile.mkstemp's)
# Also .NAME.xxxxxxxx.tmp, as earlier versions named them.
_TEMP_NAME = re.compile(r"\.(?P<name>.+?)(?:\.\d+)?\.[a-z0-9_]{8}\.tmp")
# A temporary file younger than this is left alone even when unlocked (it may have been
# created a moment ago); where files cannot be locked (Windows), only after a day.
STALE_AFTER_SECONDS = 5.0 if fcntl is not None else 24 * 3600.0
# The temporary files being written right now (removed by discard_temporaries on Ctrl-C).
_ACTIVE: set[str] = set()
# (folder, name prefix) of a temporary file being created: a Ctrl-C after mkstemp made it
# and before its name is in _ACTIVE still finds it. The prefix holds this process's id, so
# it is never another run's (which may be just as fresh and not locked yet).
_CREATING: set[tuple[str, str]] = set()


def path_key(path: str | Path) -> str:
    """The real absolute path of ``path`` for telling two names of one file apart;
    never raises (a symlink loop or a missing file is its absolute path).

    >>> path_key("a/../b.csv") == path_key("b.csv")
    True
    """
    return os.path.realpath(os.path.abspath(path))


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
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OptionError(f"{option} 的输出文件夹没有写入权限，请换一个文件夹：{folder}")
    resolved = path_key(target)
    for item in inputs:
        if item is not None and os.path.lexists(item) and path_key(item) == resolved:
            raise OptionError(f"{option} 的输出文件 {target} 与输入文件相同；请换一个文件名")


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it into place only on success.

    An interrupted or failed write leaves any previous ``target`` whole. A file that
    cannot be written (no permission, open in Excel, disk full) is an :class:`OutputError`.
    While it exists the temporary file is locked (where the system can), so that another
    run's :func:`remove_stale_temporaries` leaves it alone.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError("输出文件夹不存在，请先创建它或换一个路径", file=target)
    if target.is_dir():
        raise OutputError("输出路径是一个文件夹，请给出文件名", file=target)
    remove_stale_temporaries(folder)
    creating = (str(folder), f"{TEMP_PREFIX}{target.name}.{os.getpid()}.")
    _CREATING.add(creating)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=creating[1], suffix=TEMP_SUFFIX, dir=folder)
        _ACTIVE.add(tmp_name)
    except OSError as exc:
        raise _cannot_write(exc, target, creating=True) from None
    finally:
        _CREATING.discard(creating)
    tmp = Path(tmp_name)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)  # held on the file (inode) until fd is closed
        else:  # pragma: no cover - Windows: an open file cannot be renamed over
            os.close(fd)
            fd = -1
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        raise _cannot_write(exc, target) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        _ACTIVE.discard(tmp_name)
        if fd >= 0:
            os.close(fd)


def discard_temporaries() -> None:
    """Remove the temporary files being written now (for a run stopped by Ctrl-C: the
    outputs they were to replace stay as they were). Safe to call from a signal handler.

    Only this run's: a file being created is found by its name's prefix, which holds this
    process's id (another run writing the same output keeps its file, even in the instant
    before it locks it). Each file is removed on its own: one that cannot be (another
    entry of that name left behind) does not keep the others.
    """
    for name in list(_ACTIVE):
        with contextlib.suppress(OSError):
            os.unlink(name)
    for folder, prefix in list(_CREATING):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name.startswith(prefix) and name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))


def remove_stale_temporaries(folder: str | Path) -> list[Path]:
    """Remove the temporary files that runs of this tool left in ``folder`` when they were
    killed while writing (``.NAME.xxxxxxxx.tmp`` of an output type this tool writes), unless
    a running process still holds one or it is only seconds old. Returns those removed;
    never raises."""
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not (name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)):
            continue
        match = _TEMP_NAME.fullmatch(name)
        if match is None or not match["name"].lower().endswith(OUTPUT_SUFFIXES):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < STALE_AFTER_SECONDS:
                continue
            if in_use(entry.path):
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def in_use(path: str | Path) -> bool:
    """Whether a running process holds the lock of a file we write or lock (a temporary
    output, a month's lock file); False where files cannot be locked (the age decides
    there). OSError when the file cannot be opened."""
    if fcntl is None:  # pragma: no cover - Windows
        return False
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases the lock we may have taken
    return False


def _cannot_write(exc: OSError, target: Path, *, creating: bool = False) -> OutputError:
    if isinstance(exc, PermissionError) and creating:
        why = "无法在输出文件夹中新建文件（没有写入权限）；请换一个文件夹，或请管理员开放写入权限"
    elif isinstance(exc, PermissionError):
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


def csv_cell(value: object) -> object:
    """What goes into a csv cell: a number as it is, ``True``/``False`` as ``是``/``否``
    (as in workbooks), ``None`` as empty, anything else as its text through :func:`csv_safe`.

    >>> [csv_cell(v) for v in (-5, 2.5, True, None, "=1+1", Path("@a"))]
    [-5, 2.5, '是', '', "'=1+1", "'@a"]
    """
    if isinstance(value, str):
        return csv_safe(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, numbers.Real):
        return value
    return "" if value is None else csv_safe(str(value))


def write_csv(target: str | Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a csv file atomically, as Excel opens it: UTF-8 with BOM, every cell of every
    row through :func:`csv_cell`, whatever column it is in (text never starts as a
    formula would). Returns the number of rows written.
    """
    n = 0
    start = FORMULA_START
    with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([csv_cell(h) for h in header])
        for row in rows:
            # csv_cell inlined for plain text: this runs for every cell of a million rows.
            writer.writerow(
                [
                    (v if not v.startswith(start) else "'" + v) if type(v) is str else csv_cell(v)
                    for v in row
                ]
            )
            n += 1
    return n
