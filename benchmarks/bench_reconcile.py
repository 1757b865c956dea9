"""Benchmark `hgcredit reconcile` against a pandas notebook doing the same work (``make bench``).

City scale: this year's public evaluation (62,468 rows, xlsx with a title row), last year's
(xlsx) and 23 department lists of 60,000 rows in all (xlsx and csv), built with a fixed seed
by ``make_reconcile_data.py``. Every contender runs as its own process, alternating run by
run so that all see the same machine load, interpreter start and imports included:

- ``hgcredit reconcile … --json``  the installed console script, the answers as JSON
- ``hgcredit reconcile … -o OUT.xlsx``  the same writing the clerk's workbook
- the notebook  ``reconcile_notebook.py``: pandas ``read_excel(engine="calamine")``, codes
  checked row by row with python-stdnum, ``merge``, ``crosstab`` (prints its answers as JSON)

The answers of ``--json`` and of the notebook must be the same (every domain's counts,
matrix, agreement, kappa, disagreements; the year over year with its transition matrix and
per county). Province scale: 1,000,000 public rows against last year's 1,000,000 (csv), for
wall time and peak memory. Results go to ``benchmarks/results.md`` (its reconcile part).
Options: ``--runs N`` (default 5), ``--province-runs N`` (default 3), ``--skip-province``,
``--baseline REF``: also run ``-o OUT.xlsx`` with the code at git ref REF (``git archive``,
run as ``python -c`` with ``PYTHONPATH``, as ``bench_hostile.py`` does), alternating with the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_doublea import load, stage_times, timed  # noqa: E402
from bench_hostile import MAIN, baseline_tree  # noqa: E402
from make_reconcile_data import ensure  # noqa: E402

PY = sys.executable
HGCREDIT = str(Path(PY).with_name("hgcredit"))
TARGETS = {"wall": 1.5, "notebook": 3.0}
PROVINCE_TARGETS = {"wall": 8.0, "rss_mb": 2048}
RESULTS = HERE / "results.md"
STAGES = {
    "read": "reading the 25 files and checking their codes (threads)",
    "check": "keying, the 23 domains, year over year",
    "write": "writing the workbook (xlsxwriter)",
}
MARK = "<!-- reconcile -->"
# Installed wheels carry compiled bytecode: so do these runs (the sandbox's
# PYTHONDONTWRITEBYTECODE would make every run compile hgcredit from source).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _inputs(info: dict[str, Any]) -> list[str]:
    return [
        "--public",
        info["public"],
        "--previous-public",
        info["previous"],
        *(x["file"] for x in info["lists"]),
    ]


def same_answers(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    """Where the notebook's answers differ from hgcredit's ``--json`` ([] when nowhere)."""
    diff = []
    by_domain = {d["domain"]: d for d in ours["domains"]}
    for d in theirs["domains"]:
        mine = by_domain.get(d["domain"], {})
        for key, value in d.items():
            if isinstance(value, float):
                ok = mine.get(key) is not None and abs(value - mine[key]) < 1e-9
            else:
                ok = mine.get(key) == value
            if not ok:
                diff.append(f"{d['domain']} {key}: {value} != {mine.get(key)}")
    if len(theirs["domains"]) != len(ours["domains"]):
        diff.append(f"domains: {len(theirs['domains'])} != {len(ours['domains'])}")
    y, mine_y = theirs["year_over_year"], ours["year_over_year"]
    for key in ("added", "removed", "kept", "transitions"):
        if y[key] != mine_y[key]:
            diff.append(f"year over year {key}")
    for county, counts in y["by_county"].items():
        mine_c = mine_y["by_county"].get(county, {})
        if {k: mine_c.get(k, 0) for k in counts} != counts:
            diff.append(f"year over year {county}")
    return diff


def city(runs: int, out: Path, baseline: str | None = None) -> tuple[list[str], bool]:
    info = ensure("city")
    manifest = str(HERE / "data" / "reconcile_city.json")
    inputs = _inputs(info)
    cmds = {
        "json": [HGCREDIT, "reconcile", *inputs, "--json"],
        "workbook": [HGCREDIT, "reconcile", *inputs, "-o", str(out / "reconcile.xlsx")],
        "notebook": [PY, str(HERE / "reconcile_notebook.py"), manifest],
    }
    env = {**ENV, "HGCREDIT_TIMINGS": "1"}
    envs = {name: env for name in cmds}
    if baseline is not None:
        tree = baseline_tree(baseline, out / "baseline-tree")
        # Both trees the same way (python -c, PYTHONPATH), beside the installed command.
        for name, root in (("here", HERE.parent), ("baseline", tree)):
            cmds[name] = [PY, "-c", MAIN, "reconcile", *inputs, "-o", str(out / f"{name}.xlsx")]
            envs[name] = {**env, "PYTHONPATH": str(root)}
    for name, cmd in cmds.items():  # warm the file cache and the bytecode
        timed(cmd, envs[name])
    walls: dict[str, list[float]] = {name: [] for name in cmds}
    rss: dict[str, list[float]] = {name: [] for name in cmds}
    stages: dict[str, list[dict[str, float]]] = {name: [] for name in cmds}
    for i in range(runs):
        for name, cmd in cmds.items():
            wall, peak, err = timed(cmd, envs[name])
            walls[name].append(wall)
            rss[name].append(peak)
            stages[name].append(stage_times(err))
            print(f"  {name:9s} run {i + 1}: {wall:6.2f} s", flush=True)
    import subprocess

    ours = json.loads(
        subprocess.run(cmds["json"], env=ENV, capture_output=True, check=False).stdout
    )
    theirs = json.loads(
        subprocess.run(cmds["notebook"], env=ENV, capture_output=True, check=True).stdout
    )
    diff = same_answers(ours, theirs)
    med = {name: statistics.median(w) for name, w in walls.items()}
    checks = {
        f"`--json` median wall ≤ {TARGETS['wall']} s": med["json"] <= TARGETS["wall"],
        f"`-o OUT.xlsx` median wall ≤ {TARGETS['wall']} s": med["workbook"] <= TARGETS["wall"],
        f"`--json` ≥ {TARGETS['notebook']:g}× faster than the notebook": med["notebook"] / med["json"] >= TARGETS["notebook"],
        f"`-o OUT.xlsx` ≥ {TARGETS['notebook']:g}× faster than the notebook": med["notebook"] / med["workbook"] >= TARGETS["notebook"],
        "the same answers": not diff,
    }  # fmt: skip
    rows = sum(1 for _ in ours["domains"])
    labels = {
        "json": "`hgcredit reconcile … --json`",
        "workbook": "`hgcredit reconcile … -o OUT.xlsx`",
        "notebook": 'pandas notebook: `read_excel(engine="calamine")`, per-row stdnum, `merge`, `crosstab`',
        "here": "this tree as `python -c` (as the baseline is run): `… -o OUT.xlsx`",
        "baseline": f"the code at `{baseline}` as `python -c`: `… -o OUT.xlsx`",
    }
    lines = [
        "## City scale: 62,468 public rows (xlsx, title row) against last year's (xlsx) and 23 "
        "department lists of 60,000 rows (xlsx and csv)",
        "",
        f"{runs} runs of each, alternating; every run is a fresh process (interpreter start and "
        f"imports included). {rows} domains compared.",
        "",
        "| contender | median wall (s) | runs (s) | peak RSS (MB) | hgcredit is faster by |",
        "|---|---:|---|---:|---:|",
    ]
    for name in cmds:
        ratio = "—" if name == "notebook" else f"{med['notebook'] / med[name]:.1f}×"
        runs_text = ", ".join(f"{w:.2f}" for w in walls[name])
        lines.append(
            f"| {labels[name]} | {med[name]:.2f} | {runs_text} | {statistics.median(rss[name]):.0f} | {ratio} |"
        )
    if baseline is not None:
        lines += [
            "",
            f"Against the code at `{baseline}` (`-o OUT.xlsx`, alternating in this run): median "
            f"{med['baseline']:.2f} s there, {med['here']:.2f} s here, both run as `python -c` "
            f"(ratio {med['baseline'] / med['here']:.2f}).",
        ]
    per_sheet = _sheet_cells(out / "reconcile.xlsx")
    big = ", ".join(f"{name} {n:,}" for name, n in per_sheet.items() if n > 1000)
    stage = {
        name: {k: statistics.median(s[k] for s in stages[name] if s) for k in STAGES}
        for name in ("json", "workbook")
    }
    lines += [
        "",
        "Where hgcredit's time goes (medians of the stage times it reports with "
        "`HGCREDIT_TIMINGS=1`; reading overlaps with importing numpy and checking codes):",
        "",
        "| stage | `--json` (s) | `-o OUT.xlsx` (s) |",
        "|---|---:|---:|",
        *(
            f"| {label} | {stage['json'][k]:.3f} | {stage['workbook'][k]:.3f} |"
            for k, label in STAGES.items()
        ),
        "| interpreter start, imports, output, exit | "
        f"{med['json'] - sum(stage['json'].values()):.3f} | "
        f"{med['workbook'] - sum(stage['workbook'].values()):.3f} |",
        "",
        f"The workbook holds {sum(per_sheet.values()):,} filled cells (of them {big}): the "
        "disagreements, the unmatched rows and the entities of the lists without grades, "
        "from 60,000 department rows, every cell written by xlsxwriter.",
    ]
    answers = (
        "identical (every domain's counts, matrix, agreement, kappa and disagreements; the "
        "year over year, its transition matrix and per county)."
        if not diff
        else "**DIFFERENT**: " + "; ".join(diff[:10])
    )
    lines += [
        "",
        f"Answers of `--json` and the notebook: {answers}",
        "",
        "Targets:",
        "",
        *[f"- {'✅' if ok else '❌'} {what}" for what, ok in checks.items()],
    ]
    return lines, all(checks.values())


def _sheet_cells(path: Path) -> dict[str, int]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return {
        name: sum(1 for row in wb.get_sheet_by_name(name).to_python() for v in row if v != "")
        for name in wb.sheet_names
    }


def province(runs: int, out: Path) -> tuple[list[str], bool]:
    info = ensure("province")
    cmd = [HGCREDIT, "reconcile", *_inputs(info), "-o", str(out / "province.xlsx")]
    env = {**ENV, "HGCREDIT_TIMINGS": "1"}
    timed(cmd, env)
    walls, peaks, stages = [], [], []
    for i in range(runs):
        wall, rss, err = timed(cmd, env)
        walls.append(wall)
        peaks.append(rss)
        stages.append(stage_times(err))
        print(f"  province run {i + 1}: {wall:6.2f} s, {rss:6.0f} MB", flush=True)
    med, peak = statistics.median(walls), max(peaks)
    checks = {
        f"median wall ≤ {PROVINCE_TARGETS['wall']:g} s": med <= PROVINCE_TARGETS["wall"],
        f"peak memory ≤ {PROVINCE_TARGETS['rss_mb'] / 1024:g} GB": peak
        <= PROVINCE_TARGETS["rss_mb"],
    }
    lines = [
        "## Province scale: 1,000,000 public rows against last year's 1,000,000 (csv)",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| `hgcredit reconcile … -o OUT.xlsx`, median wall ({runs} runs: "
        f"{', '.join(f'{w:.2f}' for w in walls)}) | {med:.2f} s |",
        f"| peak RSS (largest of the runs) | {peak:.0f} MB |",
        *(
            f"| {label} | {statistics.median(s[key] for s in stages if s):.2f} s |"
            for key, label in (
                ("read", "reading both files (csv, one after the other) and checking codes"),
                ("check", "keying, year over year"),
                ("write", "writing the workbook"),
            )
        ),
        "",
        "Targets:",
        "",
        *[f"- {'✅' if ok else '❌'} {what}" for what, ok in checks.items()],
    ]
    return lines, all(checks.values())


def write_results(lines: list[str]) -> None:
    """Replace the reconcile part of results.md (after MARK), keeping the rest."""
    text = RESULTS.read_text("utf-8") if RESULTS.exists() else ""
    head = text.split(MARK)[0].rstrip("\n")
    RESULTS.write_text(head + "\n\n" + MARK + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--province-runs", type=int, default=3)
    parser.add_argument("--skip-province", action="store_true")
    parser.add_argument("--baseline", help="git ref: also run -o with the code at this ref")
    args = parser.parse_args()
    load_before = load()
    with tempfile.TemporaryDirectory(prefix="hgcredit-bench-") as tmp:
        out = Path(tmp)
        print("reconcile, city scale …", flush=True)
        city_lines, city_ok = city(args.runs, out, args.baseline)
        province_lines: list[str] = []
        province_ok = True
        if not args.skip_province:
            print("reconcile, province scale …", flush=True)
            province_lines, province_ok = province(args.province_runs, out)
    versions = ", ".join(
        f"{p} {version(p)}"
        for p in ("python-calamine", "numpy", "xlsxwriter", "pandas", "python-stdnum")
    )
    lines = [
        "# Reconcile benchmark results",
        "",
        "Produced by `make bench` (`benchmarks/bench_reconcile.py`); data generated by "
        "`benchmarks/make_reconcile_data.py` with a fixed seed.",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}; {versions}.",
        f"Load average (1/5/15 min) before: {load_before}; after: {load()} "
        "(the cores are shared with other work, which shows as noise between runs).",
        "",
        *city_lines,
        "",
        *province_lines,
    ]
    write_results(lines)
    print("\n".join(lines))
    return 0 if city_ok and province_ok else 1


if __name__ == "__main__":
    sys.exit(main())
