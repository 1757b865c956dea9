"""A plain `pip install .` must carry the registry and the notice templates, so the tool
works outside the checkout."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _skip(folder: str, names: list[str]) -> set[str]:
    skipped = {".venv", "build", ".git", "demo_output", ".mypy_cache", ".ruff_cache"}
    if Path(folder).name == "benchmarks":
        skipped |= {"data", "out"}
    return {n for n in names if n in skipped or n.endswith(".egg-info")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a clean copy, so no stale build/ folder of the checkout leaks in."""
    tmp_path = tmp_path_factory.mktemp("wheel")
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
    (built,) = tmp_path.glob("hgcredit-*.whl")
    return built


def test_wheel_contains_registry_and_console_script(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    assert "hgcredit/registry.toml" in names
    assert "hgcredit/cli/__init__.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "hgcredit = hgcredit.cli:main" in text


def test_wheel_carries_the_notice_templates_but_not_their_build_script(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind in ("overdue", "reminder", "double-a"):
        for suffix in (".docx", ".md", ".html", ".txt"):
            assert f"hgcredit/templates/{kind}{suffix}" in names
            packaged = zipfile.ZipFile(wheel).read(f"hgcredit/templates/{kind}{suffix}")
            assert packaged == (ROOT / "templates" / f"{kind}{suffix}").read_bytes()
    assert "hgcredit/notices/fonts.conf" in names
    assert not [n for n in names if n.startswith("hgcredit/templates/") and n.endswith(".py")]
    assert not [n for n in names if n.startswith(("templates/", "docs/", "tests/"))]


def test_an_installed_wheel_renders_with_its_own_templates(wheel: Path, tmp_path: Path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    out = tmp_path / "提醒.md"
    code = (
        "import datetime, sys, hgcredit\n"
        "from hgcredit.notices.make import make_notice\n"
        "n = make_notice('reminder', sys.argv[1:-1], '2022-11', as_of=datetime.date(2022, 11, 18),"
        " output=sys.argv[-1])\n"
        "print(hgcredit.__file__)\nprint(n.template)\n"
    )
    ledger = ROOT / "sample_data" / "台账" / "鹤岗市信用分级分类监管工作推进台账.xlsx"
    done = subprocess.run(
        [sys.executable, "-c", code, str(ledger), str(out)],
        env={**os.environ, "PYTHONPATH": str(site)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    module, template = done.stdout.split()
    assert Path(module).is_relative_to(site)
    assert Path(template) == site / "hgcredit" / "templates" / "reminder.md"
    assert out.read_text("utf-8").startswith("# 关于报送2022年11月工作推进台账的提醒")


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
