"""A plain `pip install .` must carry the registry, so the tool works outside the checkout."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import shutil
import subprocess
import sys
import tomllib
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


# ------------------------------------------------------------ dependencies

# Extras that only the checkout needs (tests, benchmarks); any other extra is a feature of
# the product (such as pandas for DataFrames) and may be imported by hgcredit/.
CHECKOUT_EXTRAS = {"dev", "bench"}


def _canonical(name: str) -> str:
    """A distribution's name as PEP 503 compares them: python_Calamine -> python-calamine."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _names(requirements: list[str]) -> set[str]:
    return {_canonical(re.match(r"[A-Za-z0-9._-]+", r).group()) for r in requirements}  # type: ignore[union-attr]


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]


def _third_party_imports() -> dict[str, set[str]]:
    """Top-level names of every absolute import in hgcredit/ that is neither the standard
    library nor hgcredit itself, with the files importing each."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "hgcredit").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.partition(".")[0]
                if top != "hgcredit" and top not in sys.stdlib_module_names:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _distributions_of(module: str) -> set[str]:
    """The installed distributions that provide an importable top-level ``module``
    (python_calamine -> python-calamine, stdnum -> python-stdnum)."""
    return {_canonical(d) for d in importlib.metadata.packages_distributions().get(module, [])}


def test_runtime_dependencies_are_what_the_product_imports():
    project = _project()
    runtime = _names(project["dependencies"])
    features = set().union(
        *(
            _names(reqs)
            for extra, reqs in project.get("optional-dependencies", {}).items()
            if extra not in CHECKOUT_EXTRAS
        )
    )
    imports = _third_party_imports()
    assert imports, "found no third-party imports at all: the scan is broken"

    undeclared = {
        module: sorted(files)
        for module, files in imports.items()
        if not _distributions_of(module) & (runtime | features)
    }
    assert undeclared == {}, "imported by hgcredit/ but not a runtime dependency"

    provided = set().union(*(_distributions_of(m) for m in imports))
    unused = runtime - provided
    assert unused == set(), "runtime dependencies that hgcredit/ never imports"


def test_the_import_scan_sees_lazy_and_type_only_imports():
    imports = _third_party_imports()
    # xlsxwriter is imported inside functions only; both must still count.
    assert "hgcredit/io/xlsx.py" in imports["xlsxwriter"]
    assert "python_calamine" in imports and "numpy" in imports
    assert _distributions_of("python_calamine") == {"python-calamine"}
    assert _distributions_of("stdnum") == {"python-stdnum"}


def test_test_only_libraries_stay_out_of_the_runtime_dependencies():
    project = _project()
    runtime = _names(project["dependencies"])
    dev = _names(project["optional-dependencies"]["dev"])
    assert {"openpyxl", "python-stdnum"} <= dev
    assert not {"openpyxl", "python-stdnum", "defusedxml"} & runtime
