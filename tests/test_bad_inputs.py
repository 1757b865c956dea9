"""The bad-inputs corpus (``tests/bad_inputs/``, written by ``make_bad_inputs.py``): every file
through every command that reads its kind, each run as the clerk runs it (the console
script, its own process) and measured (wall time, peak memory from ``wait4``).

*Refused* files: exit 2, one Chinese line on stderr that names the file and says what to do,
no traceback, nothing written, within the bounds. *Handled* files: the right result, within
the bounds.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
REFUSED = CORPUS / "refused"
HANDLED = CORPUS / "handled"
HG = str(Path(sys.executable).with_name("hgcredit"))
MAX_SECONDS = 10.0
MAX_MB = 500.0
COMMANDS = ("import", "check", "ratings", "double-a")
GOOD_PUBLIC = HANDLED / "公共信用评价结果.csv"

_spec = importlib.util.spec_from_file_location("make_bad_inputs", CORPUS / "make_bad_inputs.py")
assert _spec is not None and _spec.loader is not None
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)
TAX_COUNTS = {"A": 236, "B": 3495, "M": 5352, "C": 197, "D": 609}


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    rss_mb: float
    written: list[str]  # every file left in the run's output folder

    def json(self) -> Any:
        return json.loads(self.stdout)


# Runs the command and reports its own wall time and peak memory. Linux keeps a process's
# peak across fork and exec, so a command started straight from pytest would report
# pytest's size; this small launcher is the command's parent instead.
LAUNCHER = """
import os, sys, time
report, argv = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(argv[0], argv)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as fh:
    fh.write(f"{time.perf_counter() - started} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run(args: list[str], out: Path) -> Run:
    """One command in its own process; wall time and peak memory of that process alone."""
    out.mkdir(parents=True, exist_ok=True)
    logs = out.parent / f"{out.name}.log"
    logs.mkdir(exist_ok=True)
    report = logs / "usage"
    with (logs / "stdout").open("wb") as so, (logs / "stderr").open("wb") as se:
        proc = subprocess.run(
            [sys.executable, "-c", LAUNCHER, str(report), HG, *args],
            stdout=so,
            stderr=se,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
    seconds, rss_kb = report.read_text().split()
    return Run(
        proc.returncode,
        (logs / "stdout").read_text("utf-8"),
        (logs / "stderr").read_text("utf-8"),
        float(seconds),
        int(rss_kb) / 1024,  # kilobytes on Linux
        sorted(p.name for p in out.iterdir()),
    )


def command_line(command: str, path: Path, out: Path, *, as_json: bool = False) -> list[str]:
    extra = ["--json"] if as_json else []
    if command == "import":
        return ["import", str(path), "-o", str(out / "台账.xlsx"), *extra]
    if command == "check":
        return ["check", str(path), "--month", "2022-11", "--as-of", "2022-11-21", *extra]
    if command == "ratings":
        return ["ratings", str(path), "--month", "2022-11", *extra]
    assert command == "double-a"
    return [
        "double-a", "--tax", str(path), "--public", str(GOOD_PUBLIC),
        "-o", str(out / "双A.xlsx"), "--detail", str(out / "明细.csv"), *extra,
    ]  # fmt: skip


@pytest.fixture(scope="session")
def big(request: pytest.FixtureRequest) -> Path:
    """The big corpus files, made once per version of the script, kept in pytest's cache."""
    version = hashlib.sha256((CORPUS / "make_bad_inputs.py").read_bytes()).hexdigest()[:12]
    folder = Path(request.config.cache.mkdir(f"bad_inputs_big_{version}"))
    for old in folder.parent.glob("bad_inputs_big_*"):  # made by an earlier version
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)
    gen.make_big(folder)
    return folder


@pytest.fixture(scope="session")
def special(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return gen.make_special(tmp_path_factory.mktemp("special"))


def corpus_file(name: str, big: Path, special: dict[str, Path]) -> Path:
    if name.startswith("special:"):
        return special[name.split(":", 1)[1]]
    if name.startswith("big:"):
        return big / name.split(":", 1)[1]
    for folder in (REFUSED, HANDLED):
        if (folder / name).exists():
            return folder / name
    raise AssertionError(f"no corpus file {name}")


def within_bounds(result: Run) -> None:
    assert result.seconds <= MAX_SECONDS, f"{result.seconds:.1f} s"
    assert result.rss_mb <= MAX_MB, f"{result.rss_mb:.0f} MB"
    assert "Traceback" not in result.stderr + result.stdout


# ---------------------------------------------------------------- refused

# file -> what its one line says (every command), or per command
REFUSED_FILES: dict[str, str | dict[str, str]] = {
    "空文件.xlsx": "文件为空",
    "csv改名.xlsx": "这是文本文件（如 csv）",
    "截断.xlsx": "文件已损坏或不完整",
    "压缩包.xlsx": "zip 压缩包",
    "乱码.xlsx": "无法识别的文件内容",
    "图片.xlsx": "这是图片（PNG）",
    "实体炸弹.xlsx": "XML 实体声明",
    "外部实体.xlsx": "XML 实体声明",
    "加密.xlsx": "设置了打开密码",
    "加密压缩包.xlsx": "压缩包设置了密码",
    "网页.xls": "网页（HTML）",
    "Word文档.xlsx": "Word 文档",
    "损坏的xls.xls": "文件已损坏或不完整",
    "远处单元格.ods": "HGCREDIT_MAX_CELLS",
    "远处单元格.xls": "HGCREDIT_MAX_CELLS",
    "缺少等级列.xlsx": {
        "import": "不是台账格式",
        "check": "不是台账格式",
        "ratings": "既不是台账",
        "double-a": "找不到等级列",
    },
    "缺少表头.csv": {
        "import": "不是台账格式",
        "check": "不是台账格式",
        "ratings": "既不是台账",
        "double-a": "找不到代码列",
    },
    "big:refused/压缩炸弹.xlsx": "HGCREDIT_MAX_UNZIPPED_MB",
    "big:refused/高压缩比.xlsx": "HGCREDIT_MAX_RATIO",
    "special:folder": "这是一个文件夹",
    "special:fifo": "不是普通文件",
    "special:loop": "循环",
    "special:dangling": "指向的文件不存在",
}


def test_the_corpus_is_big_enough() -> None:
    committed = list(REFUSED.iterdir()) + list(HANDLED.iterdir())
    assert len(REFUSED_FILES) + len(HANDLED_CASES_FILES) >= 30
    assert len(committed) >= 30
    assert sum(f.stat().st_size for f in committed) < 256 * 1024  # the big ones are made


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", list(REFUSED_FILES))
def test_refused(name: str, command: str, runs: Runs, big: Path, special: dict[str, Path]):
    path = corpus_file(name, big, special)
    result, _ = runs[(name, command, False)]
    says = REFUSED_FILES[name]
    says = says if isinstance(says, str) else says[command]
    assert result.code == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"错误：{path}："), lines[0]
    assert says in lines[0] and "请" in lines[0], lines[0]
    assert says not in result.stdout  # the unusable input is named on stderr only
    assert result.written == []  # no output, no temporary file
    within_bounds(result)


# ---------------------------------------------------------------- handled


def _ledger_cell(path: Path, domain: str) -> str:
    ws = openpyxl.load_workbook(path).active
    assert ws is not None
    for row in ws.iter_rows(min_row=3, values_only=True):
        if row[2] == domain:
            return str(row[4] or "")
    raise AssertionError(domain)


def _domain(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(d for d in data["domains"] if d["domain"] == name)


def imported(texts: int) -> Callable[[Run, Path], None]:
    def check(result: Run, out: Path) -> None:
        assert result.code == 0, result.stderr
        data = result.json()
        assert data["texts"] == texts and data["errors"] == []
        assert _ledger_cell(out / "台账.xlsx", "纳税企业") == gen.TAX_TEXT

    return check


def checked(filled: int) -> Callable[[Run, Path], None]:
    def check(result: Run, out: Path) -> None:
        assert result.code == 1, result.stderr  # the other domains are overdue
        data = result.json()
        assert data["summary"]["filled"] == filled and data["errors"] == []
        assert _domain(data, "纳税企业")["status"] == "filled"

    return check


def rated(counts: dict[str, int], code: int = 0) -> Callable[[Run, Path], None]:
    def check(result: Run, out: Path) -> None:
        assert result.code == code, result.stderr
        data = result.json()
        assert _domain(data, "纳税企业")["counts"] == counts
        assert data["errors"] == []

    return check


def double_a(count: int) -> Callable[[Run, Path], None]:
    def check(result: Run, out: Path) -> None:
        assert result.code == 0, result.stderr
        assert result.json()["double_a"] == count
        assert {"双A.xlsx", "明细.csv"} <= set(result.written)

    return check


def cleaned_of_controls(result: Run, out: Path) -> None:
    assert result.code == 0, result.stderr
    text = _ledger_cell(out / "台账.xlsx", "纳税企业")
    assert "\nA级236户" in text  # Word's soft line break (\x0b) is a line break
    assert not any((ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in text)
    assert "_x00" not in text  # no escaped control character either


def check_has_no_escape(result: Run, out: Path) -> None:
    assert result.code == 1, result.stderr
    assert "\x1b" not in result.stdout and "\x1b" not in result.stderr
    data = result.json()
    assert _domain(data, "纳税企业")["status"] == "filled"


def formula_without_value_is_named(result: Run, out: Path) -> None:
    assert "公式" in result.stderr and "保存" in result.stderr, result.stderr


def serial_month(result: Run, out: Path) -> None:
    """Read as the month it is (or refused by name, saying why): never a silently wrong status."""
    if result.code == 2:
        assert "44866" in result.stderr or "日期" in result.stderr, result.stderr
        return
    data = result.json()
    if "texts" in data:  # import
        assert result.code == 0, result.stderr
        assert data["months"] == ["2022-11"] and data["texts"] == 1
    else:
        assert result.code == 1, result.stderr
        assert _domain(data, "纳税企业")["status"] == "filled"


def unknown_row_named_and_the_rest_used(result: Run, out: Path) -> None:
    assert result.code == 2, result.stderr  # the unknown row is named …
    assert "第2行" in result.stderr and "市大数据中心" in result.stderr, result.stderr
    data = result.json()
    if "texts" in data:  # … and the return's other rows are still used
        assert data["texts"] == 1
        assert _ledger_cell(out / "台账.xlsx", "纳税企业") == gen.TAX_TEXT
    else:
        assert _domain(data, "纳税企业")["status"] == "filled"


def big_cell_kept(result: Run, out: Path) -> None:
    """Read (not refused with an English reason); the cell Excel cannot hold is named and
    its full text kept beside the ledger."""
    assert "field larger" not in result.stderr
    assert result.code in (0, 1), result.stderr
    data = result.json()
    (cut,) = data["cut_cells"]
    assert cut["domain"] == "纳税企业" and cut["chars"] > 10 * 1024 * 1024
    assert Path(data["full_text"]).stat().st_size > 30 * 1024 * 1024


def header_only(result: Run, out: Path) -> None:
    assert result.code == 0, result.stderr
    assert result.json()["errors"] == []


def header_only_tax(result: Run, out: Path) -> None:
    assert result.code == 2
    assert "只有表头，没有数据行" in result.stderr and result.written == []


Check = Callable[[Run, Path], None]
HANDLED_CASES: list[Any] = []


def handled(name: str, command: str, check: Check) -> None:
    HANDLED_CASES.append(pytest.param(name, command, check, id=f"{name}-{command}"))


A5 = {"A": 5}
for _name in (
    "远处单元格.xlsx",
    "混合换行.csv",
    "其实是xlsx.xls",
    "UTF16.csv",
    "页脚.xlsx",
    "页脚.csv",
):
    _texts = 3 if _name == "混合换行.csv" else 1
    handled(_name, "import", imported(_texts))
    handled(_name, "check", checked(_texts))
    handled(_name, "ratings", rated(TAX_COUNTS))
handled("中间BOM.csv", "import", imported(2))
handled("中间BOM.csv", "check", checked(2))
handled("中间BOM.csv", "ratings", rated(TAX_COUNTS))
handled("公式缓存值.xlsx", "import", imported(1))
handled("公式缓存值.xlsx", "check", checked(1))
handled("公式缓存值.xlsx", "ratings", rated(TAX_COUNTS))
handled("公式无缓存值.xlsx", "import", formula_without_value_is_named)
handled("公式无缓存值.xlsx", "check", formula_without_value_is_named)
handled("序列号月份.xlsx", "import", serial_month)
handled("序列号月份.xlsx", "check", serial_month)
handled("月份开头的未知行.csv", "import", unknown_row_named_and_the_rest_used)
handled("月份开头的未知行.csv", "check", unknown_row_named_and_the_rest_used)
for _name in ("控制字符.csv", "控制字符.xlsx"):
    handled(_name, "import", cleaned_of_controls)
    handled(_name, "check", check_has_no_escape)
    handled(_name, "ratings", rated(TAX_COUNTS))
for _name in (
    "纳税信用名单.csv",
    "重复列名名单.xlsx",
    "远处单元格名单.xlsx",
    "big:handled/二十万空行.xlsx",
    "big:handled/16384列名单.xlsx",
):
    handled(_name, "ratings", rated(A5))
    handled(_name, "double-a", double_a(5))
handled("仅表头名单.xlsx", "ratings", header_only)
handled("仅表头名单.xlsx", "double-a", header_only_tax)
handled("big:handled/二十万空行.csv", "import", imported(1))
handled("big:handled/二十万空行.csv", "check", checked(1))
handled("big:handled/二十万空行.csv", "ratings", rated(TAX_COUNTS))
handled("big:handled/一千万字符.xlsx", "import", big_cell_kept)
handled("big:handled/一千万字符.xlsx", "check", checked(1))
handled("big:handled/一千万字符.csv", "import", big_cell_kept)
handled("big:handled/一千万字符.csv", "check", checked(1))
HANDLED_CASES_FILES = {p.values[0] for p in HANDLED_CASES}


@pytest.mark.parametrize(("name", "command", "check"), HANDLED_CASES)
def test_handled(name: str, command: str, check: Check, runs: Runs):
    result, out = runs[(name, command, True)]
    check(result, out)
    within_bounds(result)


Runs = dict[tuple[str, str, bool], tuple[Run, Path]]


@pytest.fixture(scope="session")
def runs(
    big: Path,
    special: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Runs:
    """The corpus runs of the selected tests, two at a time (each one's time and memory
    are its own process's)."""
    jobs = []
    for item in request.session.items:
        params = getattr(item, "callspec", None)
        if params is None or item.module is not sys.modules[__name__]:
            continue
        args = params.params
        if item.originalname == "test_refused":
            jobs.append((args["name"], args["command"], False))
        elif item.originalname == "test_handled":
            jobs.append((args["name"], args["command"], True))
    root = tmp_path_factory.mktemp("corpus")

    def one(index: int) -> tuple[Run, Path]:
        name, command, as_json = jobs[index]
        out = root / str(index) / "out"
        path = corpus_file(name, big, special)
        return run(command_line(command, path, out, as_json=as_json), out), out

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(jobs, pool.map(one, range(len(jobs))), strict=True))


def test_ratings_reads_a_10_mb_cell_only_as_far_as_excel_would(tmp_path: Path, big: Path):
    path = big / "handled" / "一千万字符.xlsx"
    out = tmp_path / "out"
    result = run(["ratings", str(path), "--month", "2022-11", "--json"], out)
    assert result.code == 0, result.stderr
    notes = _domain(result.json(), "纳税企业")["review"]
    assert any("只读取了前 32,767 字" in note for note in notes), notes
    within_bounds(result)


def test_the_committed_corpus_is_what_the_script_writes(tmp_path: Path):
    gen.make_refused(tmp_path / "refused")
    gen.make_handled(tmp_path / "handled")
    for folder in ("refused", "handled"):
        made = {p.name: p.read_bytes() for p in (tmp_path / folder).iterdir()}
        kept = {p.name: p.read_bytes() for p in (CORPUS / folder).iterdir()}
        assert made.keys() == kept.keys()
        changed = [name for name in made if made[name] != kept[name]]
        assert changed == [], "run tests/bad_inputs/make_bad_inputs.py"
