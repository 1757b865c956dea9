"""Benchmark `hgcredit summary` on the sample month (``python benchmarks/bench_summary.py``).

The sample month of ``sample_data/`` as ``docs/render_summary.sh`` passes it: the master
ledger, 15 returns, the environment list, the tax, public and last year's double-A lists.
Each contender runs as its own process (interpreter start and imports count), the two
interleaved run by run so that both see the same load on a shared machine:

- summary    ``hgcredit summary FILES --month 2022-11 --tax … --public … --previous … -o OUT``
- commands   the baseline: the three commands whose results the summary holds, one after
             the other (``check --json``, ``ratings --json``, ``double-a -o OUT``)

Then, in one process, where the summary's time goes: the analysis
(:func:`hgcredit.month.analyse.analyse_month`) and writing the workbook. Prints a
Markdown table and writes it to ``benchmarks/results_summary.md``. ``--runs N`` (default 7).
"""

from __future__ import annotations

import argparse
import os
import platform
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
ENTITIES = SAMPLE / "entities"
TAX = ENTITIES / "鹤岗市2022年度纳税信用级别名单.xlsx"
PUBLIC = ENTITIES / "鹤岗市2022年度公共信用评价结果.xlsx"
PREVIOUS = ENTITIES / "鹤岗市2021年度双A企业名单.xlsx"


def files() -> list[str]:
    returns = sorted((SAMPLE / "returns").iterdir(), key=lambda p: ("更正" in p.name, p.name))
    master = SAMPLE / "台账" / "鹤岗市信用分级分类监管工作推进台账.xlsx"
    return [str(p) for p in [master, *returns, *sorted((SAMPLE / "lists").iterdir())]]


def summary_cmd(out: Path) -> list[list[str]]:
    lists = ["--tax", str(TAX), "--public", str(PUBLIC), "--previous", str(PREVIOUS)]
    when = ["--month", MONTH, "--as-of", AS_OF]
    return [[HGCREDIT, "summary", *files(), *when, *lists, "-o", str(out)]]


def commands(out: Path) -> list[list[str]]:
    ledgers = [f for f in files() if "/lists/" not in f]
    when = ["--month", MONTH, "--as-of", AS_OF]
    lists = ["--tax", str(TAX), "--public", str(PUBLIC), "--previous", str(PREVIOUS)]
    return [
        [HGCREDIT, "check", *ledgers, *when, "--json"],
        [HGCREDIT, "ratings", *files(), "--month", MONTH, "--json"],
        [HGCREDIT, "double-a", *lists, "-o", str(out)],
    ]


def timed(cmds: list[list[str]]) -> float:
    """Wall time of running ``cmds`` one after the other; exit codes 0 and 1 are success."""
    start = time.perf_counter()
    for cmd in cmds:
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{cmd[1]} failed ({proc.returncode}): {proc.stderr}")
    return time.perf_counter() - start


STAGES = """
import datetime as dt, json, sys, time
t0 = time.perf_counter()
from hgcredit.month.analyse import analyse_month
from hgcredit.summary.workbook import write_summary
t1 = time.perf_counter()
a = analyse_month(sys.argv[2:], "{month}", as_of=dt.date.fromisoformat("{as_of}"),
                  tax="{tax}", public="{public}", previous="{previous}")
t2 = time.perf_counter()
write_summary(a, sys.argv[1], inputs=sys.argv[2:])
t3 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "analyse": t2 - t1, "write": t3 - t2}}))
"""


def stages(out: Path) -> dict[str, float]:
    import json

    code = STAGES.format(month=MONTH, as_of=AS_OF, tax=TAX, public=PUBLIC, previous=PREVIOUS)
    raw = subprocess.check_output([PY, "-c", code, str(out), *files()], text=True)
    result: dict[str, float] = json.loads(raw)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "汇总.xlsx"
        timed(summary_cmd(out))  # warm the file cache once
        ours, theirs, parts = [], [], []
        for _ in range(args.runs):
            ours.append(timed(summary_cmd(out)))
            theirs.append(timed(commands(Path(tmp) / "双A.xlsx")))
            parts.append(stages(Path(tmp) / "stages.xlsx"))
    mine, base = statistics.median(ours), statistics.median(theirs)
    split = {k: statistics.median(p[k] for p in parts) for k in parts[0]}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"# `hgcredit summary` on the sample month ({time.strftime('%Y-%m-%d')})",
        "",
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load {load:.1f}; median of {args.runs} runs each, interleaved, each a fresh process.",
        "",
        "| run | median | all runs (s) |",
        "|---|---:|---|",
        f"| `hgcredit summary … -o OUT.xlsx` | {mine:.2f} s | "
        + ", ".join(f"{t:.2f}" for t in ours)
        + " |",
        f"| baseline: `check --json`, `ratings --json`, `double-a -o` one after the other | "
        f"{base:.2f} s | " + ", ".join(f"{t:.2f}" for t in theirs) + " |",
        "",
        f"Inside one summary process (median): imports {split['import']:.2f} s, "
        f"analysis {split['analyse']:.2f} s, writing the workbook {split['write']:.2f} s.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (HERE / "results_summary.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
