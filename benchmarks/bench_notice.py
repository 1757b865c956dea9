"""How long `hgcredit notice` takes for the sample month (issue 9: under 1 s without PDF).

Each contender is the installed command run as a fresh process (interpreter start, imports,
reading the month's files, the analysis, rendering and writing), several times in
interleaved rounds so that the load of the shared cores falls on all of them alike. Side by
side, as baselines: the start of the interpreter and CLI with the registry and no input
(``hgcredit registry --json``), and reading and checking the same ledgers (``hgcredit check
… --json``), so that what the notice adds — the rating lists, ratings, context, template,
document — is the difference.

Writes ``benchmarks/results_notice.md``. Options: ``--runs N`` (default 7), ``--pdf`` to also
time the PDF (LibreOffice; not part of the 1 s target), ``--results FILE``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = ROOT / "sample_data"
RETURNS = sorted(p for p in (DATA / "returns").iterdir() if "更正" not in p.name)
MONTH_FILES = [
    *sorted((DATA / "台账").iterdir()),
    *RETURNS,
    *sorted(p for p in (DATA / "returns").iterdir() if "更正" in p.name),
    *sorted((DATA / "lists").iterdir()),
]
ENTITIES = DATA / "entities"
MONTH = ["--month", "2022-11"]


def contenders(hgcredit: str, out: Path, pdf: bool) -> list[tuple[str, list[str]]]:
    files = [str(p) for p in MONTH_FILES]
    ledgers = [f for f in files if "/lists/" not in f]  # check does not take rating lists
    after = ["--as-of", "2022-11-21"]
    lists = [
        "--tax", str(ENTITIES / "鹤岗市2022年度纳税信用级别名单.xlsx"),
        "--public", str(ENTITIES / "鹤岗市2022年度公共信用评价结果.xlsx"),
        "--previous", str(ENTITIES / "鹤岗市2021年度双A企业名单.xlsx"),
    ]  # fmt: skip
    rows = [
        (
            "baseline: `hgcredit registry --json` (start-up, the registry, no inputs)",
            [hgcredit, "registry", "--json"],
        ),
        (
            "baseline: `hgcredit check LEDGERS … --json` (reading and checking the ledgers)",
            [hgcredit, "check", *ledgers, *MONTH, *after, "--json"],
        ),
        (
            "`hgcredit notice overdue … -o 通报.docx`",
            [hgcredit, "notice", "overdue", *files, *MONTH, *after, "-o", str(out / "a.docx")],
        ),
        (
            "`hgcredit notice overdue … -o 通报.md`",
            [hgcredit, "notice", "overdue", *files, *MONTH, *after, "-o", str(out / "a.md")],
        ),
        (
            "`hgcredit notice reminder … -o 提醒.docx`",
            [
                hgcredit,
                "notice",
                "reminder",
                *files,
                *MONTH,
                "--as-of",
                "2022-11-18",
                "-o",
                str(out / "r.docx"),
            ],
        ),
        (
            "`hgcredit notice double-a --tax … --public … --previous … -o 双A.docx`",
            [
                hgcredit,
                "notice",
                "double-a",
                *MONTH,
                "--as-of",
                "2022-12-01",
                *lists,
                "-o",
                str(out / "d.docx"),
            ],
        ),
    ]
    if pdf:
        rows.append(
            (
                "`hgcredit notice overdue … -o 通报.pdf` (LibreOffice)",
                [hgcredit, "notice", "overdue", *files, *MONTH, *after, "-o", str(out / "a.pdf")],
            )
        )
    return rows


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    took = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr.decode()}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pdf", action="store_true")
    parser.add_argument("--results", type=Path, default=HERE / "results_notice.md")
    args = parser.parse_args()
    hgcredit = shutil.which("hgcredit", path=str(Path(sys.executable).parent))
    if hgcredit is None:
        raise SystemExit("hgcredit is not installed beside this Python: run make install")
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-notice-") as tmp:
        rows = contenders(hgcredit, Path(tmp), args.pdf)
        for _, command in rows:  # warm the file cache and byte-compiled modules
            timed(command)
        times: dict[str, list[float]] = {label: [] for label, _ in rows}
        for _ in range(args.runs):
            for label, command in rows:
                times[label].append(timed(command))
    load_after = os.getloadavg()
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("jinja2", "docxtpl", "python-docx", "lxml")
    )
    analysis = statistics.median(times[rows[1][0]])
    lines = [
        "# Notice benchmark results",
        "",
        "Produced by `benchmarks/bench_notice.py` (`make bench`) on `sample_data/` (the month's"
        f" {len(MONTH_FILES)} files: ledger, returns, a rating list; the double-A lists of 3,000"
        " and 800 rows and last year's list).",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, Python "
        f"{platform.python_version()}; {versions}.",
        "Load average (1/5/15 min) before: {:.2f} / {:.2f} / {:.2f}; after: {:.2f} / {:.2f} / {:.2f}.".format(
            *load_before, *load_after
        ),
        "",
        f"Every run is a fresh process of the installed command; {args.runs} runs each, in "
        "interleaved rounds, after one warm-up run each.",
        "",
        "| contender | median wall (s) | runs (s) | minus the check baseline (s) |",
        "|---|---:|---|---:|",
    ]
    for label, _ in rows:
        median = statistics.median(times[label])
        extra = (
            f"{median - analysis:+.2f}"
            if label.startswith("`hgcredit notice") and "double-a" not in label
            else ""
        )
        runs = ", ".join(f"{t:.2f}" for t in times[label])
        lines.append(f"| {label} | {median:.2f} | {runs} | {extra} |")
    text = "\n".join(lines) + "\n"
    args.results.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
