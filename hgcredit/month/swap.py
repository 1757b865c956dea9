"""Replace a folder of outputs as a whole: write the new one beside it, then swap.

:func:`swapped_folder` yields a temporary folder beside ``target``
(``.2022-11.hgcredit-<pid>-<token>.tmp``); when the block ends without an error the old
``target`` is renamed aside (``….old``), the new one renamed into place, and the old one
removed. A failure in the block removes the temporary folder and leaves ``target`` as it
was. A run killed at any point leaves ``target`` whole, or (killed between the two
renames) whole under its ``.old`` name: the next run puts it back before doing anything
(:func:`clean_stale`) and removes what killed runs left.

A run holds a lock on its ``….lock`` file beside them while it writes (where the system
can lock files, as :mod:`hgcredit.io.outputs` does for single files): the lock ends with
the process however it ends, so leftovers are told from a run still writing by trying
the lock, never by the process id (which the system hands out again). Where files cannot
be locked (Windows), leftovers younger than a day are left alone.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from hgcredit.errors import OutputError
from hgcredit.io.outputs import in_use

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_OURS = re.compile(r"^\.(?P<name>.+)\.hgcredit-(?P<token>\d+-[0-9a-f]+)\.(?P<kind>tmp|old|lock)$")
STALE_AFTER_SECONDS = 24 * 3600.0  # without file locks: how old a leftover must be


def _beside(target: Path, token: str, kind: str) -> Path:
    return target.with_name(f".{target.name}.hgcredit-{token}.{kind}")


def _held(lock: Path) -> bool:
    """Whether a running process holds this lock file (a run still writing)."""
    if fcntl is None:  # pragma: no cover - Windows
        try:
            return time.time() - lock.stat().st_mtime < STALE_AFTER_SECONDS
        except OSError:
            return False
    try:
        return in_use(lock)
    except OSError:
        return False


def clean_stale(root: Path) -> list[Path]:
    """Tidy up after runs that were killed: put back an old folder whose replacement never
    arrived, remove their temporary and old folders and lock files. What a run still
    writing holds is left alone. Returns what was removed or put back; never raises."""
    done: list[Path] = []
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return done
    for entry in entries:
        m = _OURS.match(entry.name)
        if m is None:
            continue
        target = root / m["name"]
        if _held(_beside(target, m["token"], "lock")):
            continue
        try:
            if m["kind"] == "lock":
                entry.unlink()
            elif m["kind"] == "old" and not target.exists():
                entry.rename(target)
            else:
                shutil.rmtree(entry)
        except OSError:
            continue
        done.append(entry)
    return done


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    """Create and hold the run's lock file while the block runs."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o644)
    except OSError as exc:
        raise OutputError(f"无法在输出文件夹中写入（{exc.strerror}）", file=path.parent) from None
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            path.unlink()


@contextlib.contextmanager
def swapped_folder(target: Path) -> Iterator[Path]:
    """A fresh temporary folder whose contents replace ``target`` when the block succeeds."""
    root = target.parent
    if root.exists() and not root.is_dir():
        raise OutputError("输出位置是一个文件，不是文件夹；请用 -o 给出文件夹", file=root)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建输出文件夹（{exc.strerror}）", file=root) from None
    if target.exists() and not target.is_dir():
        raise OutputError("这是一个文件，不是上次输出的文件夹；请改名或换一个输出位置", file=target)
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    with _lock(_beside(target, token, "lock")):
        clean_stale(root)  # after taking our own lock: never our own folders
        tmp = _beside(target, token, "tmp")
        try:
            tmp.mkdir()
        except OSError as exc:
            raise OutputError(f"无法在输出文件夹中写入（{exc.strerror}）", file=root) from None
        try:
            yield tmp
            _swap(tmp, target, _beside(target, token, "old"))
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)


def _swap(new: Path, target: Path, old: Path) -> None:
    moved = False
    if target.exists():
        try:
            target.rename(old)
        except OSError as exc:
            raise OutputError(
                f"无法替换上次的输出（{exc.strerror}）；如其中的文件正在 Excel 或 WPS 中打开，请先关闭",
                file=target,
            ) from None
        moved = True
    try:
        new.rename(target)
    except OSError as exc:
        if moved:
            old.rename(target)
        raise OutputError(f"无法写入输出文件夹（{exc.strerror}）", file=target) from None
    if moved:
        shutil.rmtree(old, ignore_errors=True)
