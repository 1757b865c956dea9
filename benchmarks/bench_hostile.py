"""Benchmark what guarding the readers costs and saves, against the code before it, in one run.

    python benchmarks/bench_hostile.py [--baseline main] [--runs 5] [--baseline-runs 3]

Both trees run the same way, as their own processes (interpreter start and imports included):
``python -c 'from hgcredit.cli import main; main()' ARGS`` with ``PYTHONPATH`` set to the tree
(this checkout, and ``git archive BASELINE`` unpacked into a temporary folder). Measured:

- the sparse grid: ``import`` of a 6 KB return with one stray cell at ``S1048576``
  (``tests/bad_inputs/handled/远处单元格.xlsx``): the guard reads it without its empty rows;
- the guard's cost on ordinary big files: ``double-a`` on the city-scale lists of
  ``benchmarks/make_data.py`` (62,468 + 9,889 rows, xlsx), where every sheet is now measured
  before python-calamine reads it.

Writes ``benchmarks/results_hostile.md`` (or ``--results FILE``) with medians, every run and peak memory.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from make_data import ensure  # noqa: E402

MAIN = "import sys; sys.argv[0] = 'hgcredit'; from hgcredit.cli import main; main()"


@dataclass
class Runs:
    walls: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    codes: set[int] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    def add(self, wall: float, rss_mb: float, code: int) -> None:
        self.walls.append(wall)
        self.rss_mb.append(rss_mb)
        self.codes.add(code)


def timed(tree: Path, args: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall time, peak RSS (MB) and exit code of one run of ``tree``'s hgcredit."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", MAIN, *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode


def baseline_tree(ref: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def row(name: str, r: Runs) -> str:
    runs = ", ".join(f"{w:.2f}" for w in r.walls)
    return f"| {name} | {r.median:.2f} | {runs} | {max(r.rss_mb):.0f} | {sorted(r.codes)} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="main", help="git ref of the code before (main)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--baseline-runs", type=int, default=3, help="runs of the slow baseline (sparse grid)"
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=HERE / "results_hostile.md",
        help="where to write the results (another file keeps the guard's own record)",
    )
    args = parser.parse_args()

    load_before = os.getloadavg()
    city = ensure("city")
    sparse = ROOT / "tests" / "bad_inputs" / "handled" / "远处单元格.xlsx"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = baseline_tree(args.baseline, work / "baseline")
        cases = {
            "import: one stray cell at S1048576 (6 KB xlsx)": [
                "import", str(sparse), "-o", str(work / "台账.xlsx"),
            ],
            "double-a: city scale (62,468 + 9,889 rows, xlsx) -o OUT.xlsx": [
                "double-a", "--tax", str(city["tax"]), "--public", str(city["public"]),
                "-o", str(work / "双A.xlsx"),
            ],
        }  # fmt: skip
        results = {}
        for n, (name, cmd) in enumerate(cases.items()):
            # Alternate the two trees so that a change in the machine's load hits both. The
            # baseline of the sparse grid takes half a minute a run: fewer runs of it.
            base_runs = args.baseline_runs if n == 0 else args.runs
            ours, theirs = Runs(), Runs()
            for i in range(max(args.runs, base_runs)):
                if i < args.runs:
                    ours.add(*timed(ROOT, cmd, work))
                if i < base_runs:
                    theirs.add(*timed(base, cmd, work))
            results[name] = (ours, theirs)
            print(name)
            print(" ", row("this branch", ours))
            print(" ", row(f"baseline ({args.baseline})", theirs))

    load_after = os.getloadavg()
    lines = [
        "# Guarded readers: benchmark results",
        "",
        "Produced by `python benchmarks/bench_hostile.py`; both trees run as their own processes,",
        "alternately, in one run.",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, Python "
        f"{platform.python_version()}; python-calamine {version('python-calamine')}.",
        "Load average (1/5/15 min) before: "
        + " / ".join(f"{x:.2f}" for x in load_before)
        + "; after: "
        + " / ".join(f"{x:.2f}" for x in load_after)
        + " (the cores are shared with other work).",
        "",
    ]
    for name, (ours, theirs) in results.items():
        lines += [
            f"## {name}",
            "",
            "| code | median wall (s) | runs (s) | peak RSS (MB) | exit codes |",
            "|---|---:|---|---:|---|",
            row("this branch", ours),
            row(f"baseline (`{args.baseline}`)", theirs),
            "",
            f"Ratio of medians (baseline / this branch): {theirs.median / ours.median:.2f}.",
            "",
        ]
    args.results.write_text("\n".join(lines), "utf-8")


if __name__ == "__main__":
    main()
