"""io.tables: formula cells without a stored result, and csv fields past Python's limit."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from hgcredit.errors import ReadError
from hgcredit.io.tables import MAX_CSV_FIELD, read_tables, uncached_formulas


def test_formula_without_a_stored_result_is_found_by_sheet_and_cell(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "台账 & 回执"
    ws.append(["实施部门", "2022年11月"])
    ws.append(["市税务局", "=A1&B1"])
    ws.append(["鹤岗海关", "新增 1 家"])
    other = wb.create_sheet("Sheet2")
    other["C5"] = "=1+1"
    path = tmp_path / "a.xlsx"
    wb.save(path)
    assert uncached_formulas(path) == {"台账 & 回执": [(1, 1)], "Sheet2": [(4, 2)]}


def test_formulas_with_stored_results_are_not_reported(tmp_path: Path):
    made = tmp_path / "made.xlsx"
    wb = xlsxwriter.Workbook(str(made))
    ws = wb.add_worksheet()
    ws.write_formula(0, 0, "=1+1", None, 2)  # a number result
    ws.write_formula(1, 0, "=1+2")  # xlsxwriter stores 0 unless told
    ws.write_formula(2, 0, '=IF(1,"","x")', None, "")
    wb.close()
    # Excel stores an empty text result as an empty value of type text (t="str").
    path = tmp_path / "b.xlsx"
    with zipfile.ZipFile(made) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<c r="A3"><f>' in data
                data = data.replace(b'<c r="A3">', b'<c r="A3" t="str">')
            dst.writestr(item, data)
    assert uncached_formulas(path) == {}


def test_other_formats_and_broken_files_give_nothing(tmp_path: Path):
    broken = tmp_path / "c.xlsx"
    broken.write_bytes(b"not a zip")
    text = tmp_path / "d.csv"
    text.write_text("a,b\n", "utf-8")
    assert uncached_formulas(broken) == {} and uncached_formulas(text) == {}


def test_a_csv_field_past_pythons_limit_is_read(tmp_path: Path):
    long = "甲" * (csv.field_size_limit() + 10)
    path = tmp_path / "e.csv"
    path.write_text(f"实施部门,2022年11月\n市税务局,{long}\n", "utf-8")
    (table,) = read_tables(path)
    assert table.rows[0][1] == long
    assert csv.field_size_limit() == 131_072  # the process-wide limit is put back


def test_a_csv_field_past_our_bound_is_refused_in_chinese(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("hgcredit.io.tables.MAX_CSV_FIELD", 200_000)
    path = tmp_path / "f.csv"
    path.write_text('实施部门,2022年11月\n市税务局,"' + "甲" * 300_000 + "\n", "utf-8")
    with pytest.raises(ReadError) as err:
        read_tables(path)
    assert "第 2 行附近有一个字段超过 200,000 个字符" in str(err.value)
    assert "引号是否成对" in str(err.value)
    assert "field larger" not in str(err.value)
    assert MAX_CSV_FIELD == 64 * 1024 * 1024
