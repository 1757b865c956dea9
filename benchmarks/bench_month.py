"""Benchmark `hgcredit month` (``python benchmarks/bench_month.py``).

Two folders, each run as a clerk runs it (a fresh process of the installed command,
interpreter start and imports included), as of 2022-11-25 (the circular):

- sample  ``sample_data/`` as it is: the master ledger, 15 returns, a department's list,
          the tax (801 rows), public (3,002) and last year's double-A lists, documents
          and the generator's scripts to be ignored. Target: ≤ 2 s.
- city    the same month with the city-scale lists instead of the sample's: 62,468 public
          rows and 9,889 tax rows, both xlsx (``benchmarks/make_data.py``), under names
          that say nothing (placed by content). Target: ≤ 3 s.

The baseline, run interleaved with it run by run: the separate commands that give the
same outputs from the same files, named explicitly, one after the other (``import -o``,
``check --json``, ``ratings --json``, ``double-a -o``, ``summary -o``, and ``notice`` for
the circular and the double-A letter when that command exists).

The time of each stage comes from the month's own ``HGCREDIT_TIMINGS=1`` line on stderr;
"start-up" is the rest of the wall time (interpreter, imports, exit). Prints a Markdown
table and writes it to ``benchmarks/results_month.md``. ``--runs N`` (default 7).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "sample_data"
PY = sys.executable
HGCREDIT = str(Path(PY).with_name("hgcredit"))
MONTH, AS_OF = "2022-11", "2022-11-25"
TARGETS = {"sample": 2.0, "city": 3.0}
STAGE_LABELS = {
    "place": "find and place inputs",
    "ledger": "merge ledgers",
    "check": "check",
    "ratings": "ratings",
    "double_a": "double-A join",
    "write_ledger": "write ledger",
    "write_double_a": "write double-A workbook",
    "notice": "notices",
    "summary": "write summary",
    "swap": "report.json and swap",
}

sys.path.insert(0, str(HERE))
from make_data import ensure  # noqa: E402


def city_folder(root: Path) -> Path:
    """The sample month with the city-scale tax and public lists in place of its own."""
    folder = root / "city"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("鹤岗市2022年度纳税信用级别名单.xlsx", "鹤岗市2022年度公共信用评价结果.xlsx"):
        (folder / "entities" / name).unlink()
    paths = ensure("city")
    shutil.copy(paths["public"], folder / "entities" / "public_city.xlsx")
    shutil.copy(paths["tax"], folder / "entities" / "tax_city.xlsx")
    return folder


def month_cmd(folder: Path, out: Path) -> list[str]:
    return [HGCREDIT, "month", str(folder), "--month", MONTH, "--as-of", AS_OF, "-o", str(out)]


def has_command(name: str) -> bool:
    return subprocess.run([HGCREDIT, name, "--help"], capture_output=True).returncode == 0


def baseline(report: dict, out: Path) -> list[list[str]]:
    """The separate commands for the same outputs, from the files the month placed."""
    inputs = report["inputs"]
    ledgers = [i["file"] for i in sorted(inputs, key=lambda i: i["order"] or 0) if i["order"]]
    lists = [i["file"] for i in inputs if i["role"] == "list"]
    role = {i["role"]: i["file"] for i in inputs}
    named = ["--tax", role["tax"], "--public", role["public"], "--previous", role["previous"]]
    when = ["--month", MONTH, "--as-of", AS_OF]
    cmds = [
        [HGCREDIT, "import", *ledgers, "-o", str(out / "台账.xlsx")],
        [HGCREDIT, "check", *ledgers, *when, "--json"],
        [HGCREDIT, "ratings", *ledgers, *lists, "--month", MONTH, "--json"],
        [HGCREDIT, "double-a", *named, "-o", str(out / "双A企业.xlsx")],
        [HGCREDIT, "summary", *ledgers, *lists, *when, *named, "-o", str(out / "汇总.xlsx")],
    ]
    if has_command("notice"):
        for suffix in (".docx", ".md"):
            cmds.append(
                [HGCREDIT, "notice", "overdue", *ledgers, *when, "-o", str(out / f"通报{suffix}")]
            )
            cmds.append(
                [HGCREDIT, "notice", "double-a", *when, *named, "-o", str(out / f"双A{suffix}")]
            )
    return cmds


def run_month(cmd: list[str]) -> tuple[float, dict[str, float]]:
    env = {**os.environ, "HGCREDIT_TIMINGS": "1"}
    start = time.perf_counter()
    proc = subprocess.run(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
    )
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"month failed ({proc.returncode}): {proc.stderr}")
    line = next(x for x in proc.stderr.splitlines() if x.startswith("用时"))
    stages = {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+)", line.split("：", 1)[1])}
    stages.pop("合计", None)
    return wall, stages


def run_all(cmds: list[list[str]]) -> float:
    start = time.perf_counter()
    for cmd in cmds:
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{cmd[1]} failed ({proc.returncode}): {proc.stderr}")
    return time.perf_counter() - start


def bench(name: str, folder: Path, tmp: Path, runs: int) -> dict:
    out = tmp / f"out_{name}"
    cmd = month_cmd(folder, out)
    run_month(cmd)  # warm the file cache once
    report = json.loads((out / MONTH / "report.json").read_text("utf-8"))
    base_out = tmp / f"base_{name}"
    base_out.mkdir()
    cmds = baseline(report, base_out)
    run_all(cmds)
    ours, theirs, parts = [], [], []
    for _ in range(runs):
        wall, stages = run_month(cmd)
        ours.append(wall)
        parts.append(stages)
        theirs.append(run_all(cmds))
    split = {k: statistics.median(p.get(k, 0.0) for p in parts) for k in parts[0]}
    return {
        "name": name,
        "ours": ours,
        "theirs": theirs,
        "split": split,
        "startup": statistics.median(w - sum(p.values()) for w, p in zip(ours, parts, strict=True)),
        "commands": [c[1] + (f" {c[2]}" if c[1] == "notice" else "") for c in cmds],
        "double_a": report["double_a"]["double_a"] if report["double_a"] else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        results.append(bench("sample", SAMPLE, tmp, args.runs))
        results.append(bench("city", city_folder(tmp), tmp, args.runs))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"# `hgcredit month` ({time.strftime('%Y-%m-%d')})",
        "",
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load {load:.1f}; median of {args.runs} runs each, interleaved with the baseline, "
        "each a fresh process of the installed command.",
        "",
        "| folder | `hgcredit month` (median) | target | baseline: the separate commands (median) | all runs of month (s) |",
        "|---|---:|---:|---:|---|",
    ]
    for r in results:
        mine, base = statistics.median(r["ours"]), statistics.median(r["theirs"])
        lines.append(
            f"| {r['name']} | {mine:.2f} s | ≤ {TARGETS[r['name']]:.0f} s | {base:.2f} s "
            f"({len(r['commands'])} commands) | " + ", ".join(f"{t:.2f}" for t in r["ours"]) + " |"
        )
    lines += [
        "",
        "Where the month's time goes (median seconds per stage, from `HGCREDIT_TIMINGS=1`):",
        "",
    ]
    lines.append("| stage | " + " | ".join(r["name"] for r in results) + " |")
    lines.append("|---|" + "---:|" * len(results))
    lines.append(
        "| start-up, imports, exit | " + " | ".join(f"{r['startup']:.2f}" for r in results) + " |"
    )
    for key, label in STAGE_LABELS.items():
        lines.append(
            f"| {label} | " + " | ".join(f"{r['split'].get(key, 0.0):.2f}" for r in results) + " |"
        )
    lines += [
        "",
        "Baseline commands, in order: " + ", ".join(results[0]["commands"]) + ".",
        f"Double-A enterprises: sample {results[0]['double_a']}, city {results[1]['double_a']}.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (HERE / "results_month.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
