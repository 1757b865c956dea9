"""A plain `pip install .` must carry the registry, so the tool works outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_registry_and_console_script(tmp_path: Path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
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
