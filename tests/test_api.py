"""The public Python API: what `hgcredit` exports, and the README's notebook example."""

from __future__ import annotations

import datetime as dt
import doctest
import re
import subprocess
import sys
from pathlib import Path

import pytest

import hgcredit

ROOT = Path(__file__).parents[1]


def test_every_exported_name_resolves_and_is_documented():
    for name in hgcredit.__all__:
        obj = getattr(hgcredit, name)
        if name != "__version__":
            assert obj.__doc__ and obj.__doc__.strip(), name
    assert set(dir(hgcredit)) >= set(hgcredit.__all__)
    with pytest.raises(AttributeError):
        hgcredit.no_such_name  # noqa: B018


def test_importing_the_package_stays_light():
    code = "import hgcredit, sys; print(sorted(m for m in sys.modules if m.startswith(('hgcredit', 'numpy', 'pandas'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['hgcredit']"


def test_package_is_typed():
    assert (Path(hgcredit.__file__).parent / "py.typed").exists()


def test_readme_python_section_runs_as_written(monkeypatch):
    pytest.importorskip("pandas")
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"## 在 Python 中使用\n(.*?)\n## ", text, re.S)
    assert section, "README has no section 在 Python 中使用"
    examples = doctest.DocTestParser().get_doctest(section.group(1), {}, "README", "README.md", 0)
    assert len(examples.examples) >= 10
    monkeypatch.chdir(ROOT)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(examples)
    failed, attempted = runner.summarize(verbose=False)
    assert failed == 0 and attempted == len(examples.examples)


def test_check_month_accepts_files_and_dates_as_text():
    files = [ROOT / "sample_data" / "台账" / "鹤岗市信用分级分类监管工作推进台账.xlsx"]
    by_files = hgcredit.check_month(files, "2022/10", as_of="2022-11-09")
    ledger = hgcredit.read_ledger(files)
    by_ledger = hgcredit.check_month(ledger, "2022-10", dt.date(2022, 11, 9))
    assert by_files.to_json() == by_ledger.to_json()
    assert by_files.month == "2022-10" and by_files.count("filled") == 23  # the seed filled October


def test_frames_have_the_documented_columns():
    pytest.importorskip("pandas")
    files = [ROOT / "sample_data" / "台账" / "鹤岗市信用分级分类监管工作推进台账.xlsx"]
    ledger = hgcredit.read_ledger(files)
    lf = ledger.to_frame()
    assert list(lf.columns) == [
        "serial",
        "department",
        "domain",
        "month",
        "text",
        "file",
        "location",
    ]
    assert len(lf) == len(ledger.entries)
    rf = hgcredit.count_ratings(files, "2022-10").to_frame()
    assert len(rf) == 23 and str(rf["tier:A"].dtype) == "Int64"
    tax = rf.set_index("domain").loc["纳税企业"]
    assert tax["level:A"] == 236 and tax["stated_total"] == tax["counted_total"]


def test_reconcile_stays_callable_when_its_subpackage_is_imported():
    """`hgcredit.reconcile` names both the function and its subpackage. Importing the subpackage
    (the function itself does, and so may the analyst, as the README shows) binds the module to
    the package's attribute; calling `hgcredit.reconcile(...)` must still work afterwards."""
    public = "sample_data/entities/鹤岗市2022年度公共信用评价结果.xlsx"
    code = f"""
import hgcredit
first = hgcredit.reconcile({public!r})
second = hgcredit.reconcile({public!r})
assert second.to_json() == first.to_json()
"""
    imported_first = f"""
from hgcredit.reconcile.job import reconcile
import hgcredit
assert hgcredit.reconcile({public!r}).to_json() == reconcile({public!r}).to_json()
import hgcredit.reconcile.job
assert hgcredit.reconcile.job.reconcile is reconcile
"""
    for script in (code, imported_first):
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT
        )
        assert out.returncode == 0, out.stderr
