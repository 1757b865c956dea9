"""Replace a folder of outputs as a whole: write the new one beside it, then swap.

:func:`swapped_folder` yields a temporary folder beside ``target``
(``.2022-11.hgcredit-<pid>-<token>.tmp``); when the block ends without an error the old
``target`` is renamed aside (``….old``), the new one renamed into place, and the old one
removed. A failure in the block removes the temporary folder and leaves ``target`` as it
was. A run killed at any point leaves ``target`` whole, or (killed between the two
renames) whole under its ``.old`` name: the next run puts it back before doing anything
(:func:`clean_stale`), and removes temporary folders of runs that are no longer running.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from hgcredit.errors import OutputError

_OURS = re.compile(r"^\.(?P<name>.+)\.hgcredit-(?P<pid>\d+)-[0-9a-f]+\.(?P<kind>tmp|old)$")


def _name(target: Path, kind: str) -> Path:
    return target.with_name(f".{target.name}.hgcredit-{os.getpid()}-{secrets.token_hex(4)}.{kind}")


def _alive(pid: int) -> bool:
    """Whether a process with this id runs (another run writing beside us)."""
    if pid == os.getpid():
        return True
    if os.name != "posix":  # no harmless probe (signal 0 would be CTRL_C_EVENT)
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(root: Path) -> list[Path]:
    """Tidy up after runs that were killed: put back an old folder whose replacement never
    arrived, remove other temporary and old folders of ours. Folders of a run still
    running are left alone. Returns what was removed or restored."""
    done: list[Path] = []
    if not root.is_dir():
        return done
    for entry in sorted(root.iterdir()):
        m = _OURS.match(entry.name)
        if m is None or not entry.is_dir() or _alive(int(m["pid"])):
            continue
        target = root / m["name"]
        if m["kind"] == "old" and not target.exists():
            entry.rename(target)
        else:
            shutil.rmtree(entry, ignore_errors=True)
        done.append(entry)
    return done


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
    clean_stale(root)
    tmp = _name(target, "tmp")
    try:
        tmp.mkdir()
    except OSError as exc:
        raise OutputError(f"无法在输出文件夹中写入（{exc.strerror}）", file=root) from None
    try:
        yield tmp
        _swap(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _swap(new: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = _name(target, "old")
        try:
            target.rename(old)
        except OSError as exc:
            raise OutputError(
                f"无法替换上次的输出（{exc.strerror}）；如其中的文件正在 Excel 或 WPS 中打开，请先关闭",
                file=target,
            ) from None
    try:
        new.rename(target)
    except OSError as exc:
        if old is not None:
            old.rename(target)
        raise OutputError(f"无法写入输出文件夹（{exc.strerror}）", file=target) from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
