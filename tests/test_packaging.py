"""A plain `pip install .` must carry the registry, so the tool works outside the checkout."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _skip(folder: str, names: list[str]) -> set[str]:
    skipped = {".venv", "build", ".git", "demo_output", ".mypy_cache", ".ruff_cache"}
    if Path(folder).name == "benchmarks":
        skipped |= {"data", "out"}
    return {n for n in names if n in skipped or n.endswith(".egg-info")}


def test_wheel_contains_registry_and_console_script(tmp_path: Path):
    # Build from a clean copy so no stale build/ folder of the checkout leaks into the wheel.
    src = tmp_path / "src"
    shutil.copytree(
        ROOT,
        src,
        ignore=_skip,
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(src)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("hgcredit-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "hgcredit/registry.toml" in names
    assert "hgcredit/cli/__init__.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "hgcredit = hgcredit.cli:main" in text
