"""analyse_month says what the separate commands say about the same files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hgcredit.doublea.job import double_a
from hgcredit.ledger.check import check_month
from hgcredit.ledger.read import load_ledger
from hgcredit.month.analyse import analyse_month
from hgcredit.ratings.rate import rate_files
from hgcredit.registry import load_registry

DATA = Path(__file__).parents[1] / "sample_data"
LEDGERS = sorted((DATA / "台账").iterdir()) + sorted((DATA / "returns").iterdir())
LISTS = sorted((DATA / "lists").iterdir())
TAX = DATA / "entities" / "鹤岗市2022年度纳税信用级别名单.xlsx"
PUBLIC = DATA / "entities" / "鹤岗市2022年度公共信用评价结果.xlsx"
AS_OF = dt.date(2022, 11, 25)


@pytest.fixture(scope="module")
def analysis():
    return analyse_month([*LEDGERS, *LISTS], "2022-11", as_of=AS_OF, tax=TAX, public=PUBLIC)


def test_check_is_what_check_says(analysis):
    alone = check_month(load_ledger(LEDGERS, load_registry()), "2022-11", AS_OF)
    assert analysis.check.to_json() == alone.to_json()


def test_ratings_are_what_ratings_says(analysis):
    assert analysis.ratings.to_json() == rate_files([*LEDGERS, *LISTS], "2022-11").to_json()


def test_double_a_is_what_double_a_says(analysis):
    assert analysis.double_a is not None
    alone = double_a(TAX, PUBLIC)
    assert [e.code for e in analysis.double_a.enterprises] == [e.code for e in alone.enterprises]


def test_lists_given_to_check_are_not_ledger_errors(analysis):
    # A rating list among the files is a list, not "不是台账格式".
    assert analysis.errors == [] and analysis.check.errors == []
    data = analysis.to_json()
    assert set(data) >= {"check", "ratings", "double_a", "errors"}


def test_no_lists_no_double_a_and_bad_files_reported(tmp_path: Path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    a = analyse_month([*LEDGERS, bad], "2022/11", as_of=AS_OF)
    assert a.double_a is None and a.month == "2022-11"
    assert [e.file for e in a.errors] == [str(bad)]
    assert [e.file for e in a.check.errors] == [str(bad)]
    assert a.to_json()["double_a"] is None


def test_an_unusable_double_a_list_is_reported_and_the_month_still_analysed(tmp_path: Path):
    bad = tmp_path / "纳税.xlsx"
    bad.write_bytes(b"not a workbook")
    a = analyse_month(LEDGERS, "2022-11", as_of=AS_OF, tax=bad, public=PUBLIC)
    assert a.double_a is None
    assert [e.file for e in a.errors] == [str(bad)]
    assert a.check.count("filled") == 17  # the ledgers were still checked
