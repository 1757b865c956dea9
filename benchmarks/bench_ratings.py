"""Time of `hgcredit ratings --json` on the seed ledger and on the sample month (master
ledger, 15 returns, the environment list), and of the text reader alone (every ledger
text of both, read 50 times in one process), against an earlier revision.

Each run is its own process of the installed console script, alternating with the same
command of the revision given with ``--against REV`` (its ``hgcredit/`` exported with
``git archive`` and put first on ``PYTHONPATH``), so that both see the same machine load.

    .venv/bin/python benchmarks/bench_ratings.py --against main
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HGCREDIT = str(Path(sys.executable).with_name("hgcredit"))
SAMPLE = ROOT / "sample_data"


def _returns() -> list[str]:
    files = sorted((SAMPLE / "returns").iterdir(), key=lambda p: ("更正" in p.name, p.name))
    return [str(p) for p in files]


COMMANDS = {
    "seed ledger, 2022-10": [
        str(ROOT / "tests" / "data" / "seed_notice.txt"),
        "--month",
        "2022-10",
    ],
    "sample month, 2022-11": [
        *map(str, sorted((SAMPLE / "台账").iterdir())),
        *_returns(),
        *map(str, sorted((SAMPLE / "lists").iterdir())),
        "--month",
        "2022-11",
    ],
}


# The reader alone: the texts are loaded once, then every one is read 50 times.
READER = f"""
import sys, time
from hgcredit.ledger.read import load_ledger
from hgcredit.ratings.text import read_text
from hgcredit.registry import load_registry
reg = load_registry()
texts = []
for files in ({[COMMANDS["seed ledger, 2022-10"][0]]!r}, {COMMANDS["sample month, 2022-11"][:-3]!r}):
    ledger = load_ledger(files, reg)
    texts += [(reg.domain(d), e.text) for (d, _), e in sorted(ledger.entries.items())]
start = time.perf_counter()
for _ in range(50):
    for domain, text in texts:
        read_text(text, domain)
print(time.perf_counter() - start)
"""
COMMANDS["text reader alone, 50 x all texts"] = ["-c", READER]


def run_once(args: list[str], env: dict[str, str]) -> float:
    if args[0] == "-c":  # time measured inside, without start-up and loading
        out = subprocess.run(
            [sys.executable, *args], env=env, capture_output=True, text=True, cwd="/", check=True
        )
        return float(out.stdout)
    start = time.perf_counter()
    subprocess.run(
        [HGCREDIT, "ratings", *args, "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd="/",
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--against", help="a git revision to compare with, e.g. main")
    opts = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    envs = {"this tree": env}
    if opts.against:
        base = Path(tempfile.mkdtemp(prefix="hgcredit-base-"))
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", opts.against, "hgcredit"],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        envs[opts.against] = {**env, "PYTHONPATH": str(base)}
    print(
        f"{'hgcredit ratings --json':32s}" + "".join(f"{n:>14s}" for n in envs) + "   (median ms)"
    )
    for label, args in COMMANDS.items():
        walls: dict[str, list[float]] = {name: [] for name in envs}
        for name in envs:  # warm the bytecode caches
            run_once(args, envs[name])
        for i in range(opts.runs):
            order = list(envs) if i % 2 == 0 else list(envs)[::-1]
            for name in order:
                walls[name].append(run_once(args, envs[name]))
        print(
            f"{label:32s}" + "".join(f"{statistics.median(w) * 1000:14.0f}" for w in walls.values())
        )


if __name__ == "__main__":
    main()
