#!/usr/bin/env python3
"""Generate sample_data/: a realistic month for the demo and the end-to-end tests.

Writes, beside this script (or under ``--out DIR``):

- ``台账/``     the office's master ledger, October filled from the seed's own text;
- ``returns/``  November 2022 returns from 17 of the 22 departments, in mixed real-world forms;
- ``lists/``    one department entity list with a level column (for ``hgcredit ratings``);
- ``entities/`` the public credit evaluation, the tax rating list and last year's double-A list
                (for ``hgcredit double-a``), with ``EXPECTED.md`` stating what was planted;
                and last year's public evaluation (for ``hgcredit reconcile``);
- ``部门名单/``  a department's graded list and another's list without grades, built from the
                public evaluation's entities (for ``hgcredit reconcile``), with ``EXPECTED.md``;
- ``EXPECTED.md`` what the returns and the list contain, for checking import/check/ratings;
- ``expected.json`` every fact of the EXPECTED.md files as data (they are rendered from it),
                what the golden end-to-end test (tests/test_golden.py) compares the commands with;
                its ``month`` section is what ``hgcredit month`` must show on the whole folder.

Deterministic: fixed random seed, fixed workbook properties and zip entry times, so every run
writes the same bytes (given the same library versions). Uses only the project's dependencies.

    python sample_data/make_sample_data.py            # what `make sample-data` runs
    python sample_data/make_sample_data.py --out /tmp/sd
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from sample_gen.common import RANDOM_SEED, ROOT
from sample_gen.entities import make_entities, make_env_list, write_entities, write_env_list
from sample_gen.expected import (
    entities_expected,
    expected_json,
    reconcile_expected,
    returns_expected,
    returns_facts,
)
from sample_gen.month import month_facts
from sample_gen.names import Factory
from sample_gen.reconcile import FOLDER, make_reconcile, write_reconcile
from sample_gen.returns import november_returns, write_master_ledger, write_return
from sample_gen.seed import load_seed

HERE = Path(__file__).resolve().parent
GENERATED_DIRS = ("台账", "returns", "lists", "entities", FOLDER)
GENERATED_FILES = ("EXPECTED.md", "expected.json")


def generate(out: Path) -> list[Path]:
    """Write every generated file under ``out``; return their paths."""
    seed = load_seed()
    for name in GENERATED_DIRS:
        folder = out / name
        if folder.exists():
            shutil.rmtree(folder)
    write_master_ledger(out, seed)
    files = november_returns(seed)
    for rf in files:
        write_return(out, rf)
    rng = random.Random(RANDOM_SEED)
    factory = Factory(rng)
    planted = make_entities(rng, factory)
    write_entities(out, planted)
    env_rows, env_odd_row = make_env_list(random.Random(RANDOM_SEED + 1), factory)
    write_env_list(out, env_rows)
    # Built last, from the same entities: the files above do not change.
    made = make_reconcile(random.Random(RANDOM_SEED + 2), factory, planted)
    write_reconcile(out, made)
    # One set of facts, written as JSON and rendered as the EXPECTED.md files.
    facts = returns_facts(seed, files, env_odd_row, planted.facts)
    facts["reconcile"] = made.facts
    facts["month"] = month_facts(facts)  # the whole folder as one month, from all of the above
    (out / "expected.json").write_text(expected_json(facts), encoding="utf-8")
    (out / "entities" / "EXPECTED.md").write_text(
        entities_expected(facts["entities"]), encoding="utf-8"
    )
    (out / "EXPECTED.md").write_text(returns_expected(facts), encoding="utf-8")
    (out / FOLDER / "EXPECTED.md").write_text(
        reconcile_expected(facts["reconcile"]), encoding="utf-8"
    )
    written = [p for name in GENERATED_DIRS for p in sorted((out / name).rglob("*")) if p.is_file()]
    return written + [out / name for name in GENERATED_FILES]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成 sample_data/ 演示与测试数据（确定性）。")
    parser.add_argument("--out", type=Path, default=HERE, help="输出文件夹（默认本脚本所在文件夹）")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    written = generate(args.out)
    print(f"已生成 {len(written)} 个文件，位于 {args.out}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
