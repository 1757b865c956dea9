"""io.outputs: formula-safe csv whatever a cell holds, stale temporary files, write faults."""

from __future__ import annotations

import csv
import enum
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from hgcredit.errors import OptionError, OutputError
from hgcredit.io import outputs
from hgcredit.io.outputs import (
    atomic_path,
    check_output,
    discard_temporaries,
    remove_stale_temporaries,
    write_csv,
)

HG = str(Path(sys.executable).with_name("hgcredit"))
PAYLOADS = ["=cmd|' /C calc'!A0", "@SUM(1)", "+1", "-1", "=1+1", "\tx", "\rx"]


class Grade(enum.Enum):
    BAD = "=1+1"

    def __str__(self) -> str:
        return self.value


class Label:
    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


def test_every_cell_is_text_safe_whatever_its_type(tmp_path: Path):
    out = tmp_path / "明细.csv"
    rows: list[list[object]] = [
        [p, Label(p), Grade.BAD, Path(p), None, True, -1, 2.5] for p in PAYLOADS
    ]
    write_csv(out, ["=名单", "@等级", "+说明", "路径", "空", "是否", "数", "分"], rows)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        got = list(csv.reader(fh))
    for row in got:
        for cell in row[:5]:  # every text column, whatever the object behind it
            assert not cell.startswith(outputs.FORMULA_START), row
    assert got[1][:4] == ["'" + PAYLOADS[0]] * 2 + ["'=1+1", "'" + PAYLOADS[0]]
    assert got[1][4:] == ["", "是", "-1", "2.5"]  # numbers stay numbers


def _stale(folder: Path, name: str, age: float = 3600) -> Path:
    path = folder / name
    path.write_bytes(b"half a workbook")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_stale_temporaries_of_ours_are_removed_on_the_next_write(tmp_path: Path):
    killed = _stale(tmp_path, ".台账.xlsx.k3j_9x2a.tmp")  # a run killed while writing
    other = _stale(tmp_path, ".双A.csv.abcd1234.tmp")
    young = _stale(tmp_path, ".台账.xlsx.zzzzzzzz.tmp", age=0)  # may be being created
    foreign = _stale(tmp_path, ".notes.txt.swp.tmp")  # not our name pattern
    not_ours = _stale(tmp_path, ".photo.jpg.abcd1234.tmp")  # not an output type of ours
    held = _stale(tmp_path, ".明细.csv.held0000.tmp")
    fd = os.open(held, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a run writing right now holds its file
    try:
        with atomic_path(tmp_path / "台账.xlsx") as tmp:
            tmp.write_bytes(b"new")
    finally:
        os.close(fd)
    names = {p.name for p in tmp_path.iterdir()}
    assert killed.name not in names and other.name not in names
    assert {young.name, foreign.name, not_ours.name, held.name, "台账.xlsx"} == names


def test_a_temporary_file_is_locked_while_it_is_written(tmp_path: Path):
    with atomic_path(tmp_path / "a.xlsx") as tmp:
        tmp.write_bytes(b"x")
        then = time.time() - 3600
        os.utime(tmp, (then, then))
        assert remove_stale_temporaries(tmp_path) == []  # another run leaves it alone
        assert tmp.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]


def test_folders_links_and_pipes_are_never_removed(tmp_path: Path):
    (tmp_path / ".a.xlsx.abcdefgh.tmp").mkdir()
    (tmp_path / ".b.xlsx.abcdefgh.tmp").symlink_to(_stale(tmp_path, "target"))
    os.mkfifo(tmp_path / ".c.csv.abcdefgh.tmp")
    then = time.time() - 3600
    for p in tmp_path.iterdir():
        os.utime(p, (then, then), follow_symlinks=False)
    assert remove_stale_temporaries(tmp_path) == []
    assert len(list(tmp_path.iterdir())) == 4


def test_ctrl_c_discards_the_temporary_being_written(tmp_path: Path):
    (tmp_path / "a.xlsx").write_bytes(b"previous")
    with pytest.raises(KeyboardInterrupt), atomic_path(tmp_path / "a.xlsx") as tmp:
        tmp.write_bytes(b"partial")
        discard_temporaries()  # what the SIGINT handler does before it exits
        assert not tmp.exists()
        raise KeyboardInterrupt
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]
    assert (tmp_path / "a.xlsx").read_bytes() == b"previous"


def test_ctrl_c_right_as_the_temporary_is_created_still_discards_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # Seen once under load: Ctrl-C landed after mkstemp made the file and before its name
    # was registered, and the .tmp was left behind after exit 130.
    made = tempfile.mkstemp
    other = tmp_path / ".a.xlsx.zzzzzzzz.tmp"  # another run's, locked while it writes
    other.write_bytes(b"theirs")
    fd = os.open(other, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)

    def interrupted(*args: object, **kwargs: object) -> tuple[int, str]:
        handle, _name = made(*args, **kwargs)  # type: ignore[call-overload]
        os.close(handle)
        discard_temporaries()  # the SIGINT handler, at this very moment
        raise KeyboardInterrupt

    monkeypatch.setattr(tempfile, "mkstemp", interrupted)
    try:
        with pytest.raises(KeyboardInterrupt), atomic_path(tmp_path / "a.xlsx"):
            pass
    finally:
        os.close(fd)
    assert [p.name for p in tmp_path.iterdir()] == [other.name]


# A run that gets SIGINT at a chosen moment of atomic_path, with the command line's own
# handler (hgcredit.cli._interrupted): the signal is raised in the process itself, so the
# handler runs at exactly that moment, not whenever the scheduler lets it.
_INTERRUPTED_RUN = """
import fcntl, os, signal, sys
from pathlib import Path
from hgcredit import cli
from hgcredit.io import outputs

folder, point = Path(sys.argv[1]), sys.argv[2]
signal.signal(signal.SIGINT, cli._interrupted)
real_open, real_flock, real_replace = os.open, fcntl.flock, os.replace

def opened(path, flags, *args, **kwargs):
    fd = real_open(path, flags, *args, **kwargs)
    if point == "created" and os.fspath(path).endswith(".tmp") and flags & os.O_CREAT:
        signal.raise_signal(signal.SIGINT)  # mkstemp has made it; its name is not known yet
    return fd

def locked(fd, how):
    real_flock(fd, how)
    if point == "locked":
        signal.raise_signal(signal.SIGINT)

def replaced(source, target):
    if point == "replacing":
        signal.raise_signal(signal.SIGINT)
    real_replace(source, target)

os.open, fcntl.flock, os.replace = opened, locked, replaced
with outputs.atomic_path(folder / "双A.xlsx") as tmp:
    tmp.write_bytes(b"partial")
    if point == "writing":
        signal.raise_signal(signal.SIGINT)
print("not interrupted")
"""


@pytest.mark.parametrize("point", ["created", "locked", "writing", "replacing"])
def test_ctrl_c_at_any_moment_of_a_write_leaves_no_temporary_and_not_another_runs(
    tmp_path: Path, point: str
):
    # The window of test_ctrl_c_early_or_late_ends_cleanly, made deterministic: whenever the
    # signal comes, this run's temporary is removed, the previous output is whole, and the
    # temporary of another run writing the same output (made, not locked yet) is left alone.
    (tmp_path / "双A.xlsx").write_bytes(b"previous")
    other = tmp_path / ".双A.xlsx.1.abcdefgh.tmp"  # process 1's: never this run's
    other.write_bytes(b"theirs")
    run = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_RUN, str(tmp_path), point],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (run.returncode, run.stdout) == (130, ""), run.stderr
    assert run.stderr == "\n已中断，没有写出不完整的文件。\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["双A.xlsx", other.name])
    assert (tmp_path / "双A.xlsx").read_bytes() == b"previous"
    assert other.read_bytes() == b"theirs"


def test_ctrl_c_removes_each_temporary_of_this_run_whatever_else_is_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # An entry of this run's prefix that cannot be removed (a folder), listed first, keeps
    # no other from being removed.
    listed = os.listdir
    monkeypatch.setattr(outputs.os, "listdir", lambda folder: sorted(listed(folder)))
    prefix = f".a.xlsx.{os.getpid()}."
    (tmp_path / f"{prefix}aaaaaaaa.tmp").mkdir()
    mine = tmp_path / f"{prefix}zzzzzzzz.tmp"
    mine.write_bytes(b"partial")
    outputs._CREATING.add((str(tmp_path), prefix))
    try:
        discard_temporaries()
    finally:
        outputs._CREATING.discard((str(tmp_path), prefix))
    assert not mine.exists()


def test_a_temporary_named_with_the_process_id_is_stale_when_left(tmp_path: Path):
    left = _stale(tmp_path, f".台账.xlsx.{os.getpid()}.abcdefgh.tmp")
    older = _stale(tmp_path, ".台账.xlsx.12345678.tmp")  # as earlier versions named them
    assert sorted(remove_stale_temporaries(tmp_path)) == sorted([left, older])


def test_an_unwritable_folder_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(OptionError, match="输出文件夹没有写入权限"):
        check_output(tmp_path / "a.xlsx", ".xlsx", "-o")


def test_a_folder_that_refuses_new_files_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with (
        pytest.raises(OutputError, match="没有写入权限）；请换一个文件夹"),
        atomic_path(tmp_path / "a.csv"),
    ):
        pass


def test_output_checks_survive_symlink_loops(tmp_path: Path):
    loop = tmp_path / "loop.xlsx"
    loop.symlink_to(loop.name)
    check_output(tmp_path / "out.xlsx", ".xlsx", "-o", [loop])  # no RuntimeError
    with pytest.raises(OptionError, match="与输入文件相同"):
        check_output(loop, ".xlsx", "-o", [loop])


def _as_nobody() -> list[str] | None:
    """How to run a command without root's right to write anywhere; None when not possible."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.mark.parametrize("command", ["import", "double-a"])
def test_a_read_only_output_folder_is_exit_2_and_one_chinese_line(command: str):
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("running as root without setpriv")
    data = Path(__file__).resolve().parent / "bad_inputs" / "handled"
    base = Path(tempfile.mkdtemp(prefix="hg-readonly-"))
    try:
        base.chmod(0o755)
        for name in ("纳税信用名单.csv", "公共信用评价结果.csv", "UTF16.csv"):
            shutil.copy(data / name, base / name)
            (base / name).chmod(0o644)
        locked = base / "只读"
        locked.mkdir(mode=0o555)
        locked.chmod(0o555)
        if command == "import":
            args = ["import", str(base / "UTF16.csv"), "-o", str(locked / "台账.xlsx")]
        else:
            args = ["double-a", "--tax", str(base / "纳税信用名单.csv"), "--public",
                    str(base / "公共信用评价结果.csv"), "-o", str(locked / "双A.xlsx")]  # fmt: skip
        result = subprocess.run([*prefix, HG, *args], capture_output=True, text=True)
        assert result.returncode == 2, result.stderr
        assert (
            result.stderr
            == f"错误：-o/--output 的输出文件夹没有写入权限，请换一个文件夹：{locked}\n"
        )
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)
        shutil.rmtree(base)
