"""Start-up time of the command line (``make bench``): how long a clerk waits before a
command starts working, for commands that do almost nothing else.

Each command runs as its own process of the installed console script, alternating with
the same command of an earlier revision when ``--against REV`` is given (that revision's
``hgcredit/`` is exported with ``git archive`` and put first on ``PYTHONPATH``), so that
both see the same machine load. Bytecode is cached as in an installed wheel.
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
COMMANDS = {
    "hgcredit --version": ["--version"],
    "hgcredit registry --json": ["registry", "--json"],
    "hgcredit check --help": ["check", "--help"],
    "hgcredit check x.xlsx (usage error)": ["check", "x.xlsx"],
}


def run_once(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [HGCREDIT, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/"
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--against", help="a git revision to compare with, e.g. 5f55f38")
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
    print(f"{'command':40s}" + "".join(f"{name:>16s}" for name in envs) + "   (median ms)")
    for label, args in COMMANDS.items():
        walls: dict[str, list[float]] = {name: [] for name in envs}
        for name in envs:  # warm the bytecode caches
            run_once(args, envs[name])
        for i in range(opts.runs):
            order = list(envs) if i % 2 == 0 else list(envs)[::-1]
            for name in order:
                walls[name].append(run_once(args, envs[name]))
        print(
            f"{label:40s}" + "".join(f"{statistics.median(w) * 1000:16.1f}" for w in walls.values())
        )


if __name__ == "__main__":
    main()
