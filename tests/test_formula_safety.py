"""No cell of any output can run as a formula, whatever input column its text came from.

Inputs whose every text column holds a formula payload go through ``double-a`` (workbook,
detail csv, last year's comparison) and ``import`` (ledger workbook); then every cell of
every output is read back: no xlsx cell is a formula, no csv cell starts as one unescaped.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import zipfile
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from hgcredit.cli import app

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
_spec = importlib.util.spec_from_file_location("make_bad_inputs", CORPUS / "make_bad_inputs.py")
assert _spec is not None and _spec.loader is not None
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)

PAYLOADS = ["=cmd|' /C calc'!A0", "@SUM(1)", "+1", "-1", "=1+1"]
STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _lists(folder: Path, kind: str) -> tuple[Path, Path, Path]:
    """Tax, public and last year's lists with a payload in every text column of every row
    (the code column too: those rows are invalid codes and go to the problems)."""
    tax = [["序号", "统一社会信用代码", "纳税人名称", "纳税信用级别", "主管税务机关", "备注"]]
    public = [["统一社会信用代码", "企业名称", "评价等级", "综合得分", "所属区县", "备注"]]
    previous = [["统一社会信用代码", "企业名称", "所属区县"]]
    for i, payload in enumerate(PAYLOADS):
        code = gen.uscc(f"91230402MA2BX{i:04d}")
        gone = gen.uscc(f"91230403MA3BX{i:04d}")
        tax += [
            [payload, code, payload, "A", payload, payload],
            [i, payload, payload, payload, payload, payload],
        ]
        public += [[code, payload, "A", payload, payload, payload], [payload] * 6]
        previous += [[code, payload, payload], [gone, payload, payload], [payload] * 3]
    paths = []
    for name, rows in (("纳税", tax), ("公共", public), ("上年", previous)):
        path = folder / f"{name}.{kind}"
        if kind == "csv":
            gen.write_csv(path, rows)
        else:
            gen.write_xlsx(path, [("名单", gen.sheet_xml(rows))])
        paths.append(path)
    return paths[0], paths[1], paths[2]


def _xlsx_cells(path: Path) -> list[tuple[str, str, object]]:
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name), name
    book = openpyxl.load_workbook(path)
    cells = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(STARTS):
                    assert cell.data_type == "s", (ws.title, cell.coordinate)  # text, typed so
                cells.append((ws.title, cell.coordinate, cell.value))
    return cells


def _csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    for row in rows:
        for column, value in zip(header, row, strict=True):
            if value.startswith(STARTS):
                assert NUMBER.fullmatch(value), (column, value)  # only a number may
    return [v for row in rows for v in row]


def test_double_a_outputs_hold_no_formula_in_any_column(tmp_path: Path):
    for kind in ("csv", "xlsx"):
        folder = tmp_path / kind
        folder.mkdir()
        tax, public, previous = _lists(folder, kind)
        out, detail = folder / "双A.xlsx", folder / "明细.csv"
        result = CliRunner().invoke(
            app,
            ["double-a", "--tax", str(tax), "--public", str(public), "--previous", str(previous),
             "-o", str(out), "--detail", str(detail)],
        )  # fmt: skip
        assert result.exit_code in (0, 1), result.output
        cells = _xlsx_cells(out)
        sheets = {sheet for sheet, _, _ in cells}
        assert {"双A企业", "按区县", "问题记录", "变化"} <= sheets
        shown = {v for _, _, v in cells}
        assert set(PAYLOADS) <= shown  # the payloads are there, as text
        written = _csv_cells(detail)
        assert {"'" + p for p in PAYLOADS} <= set(written)


def test_the_ledger_workbook_holds_no_formula(tmp_path: Path):
    ret = tmp_path / "回执.csv"
    rows: list[list[object]] = [
        ["序号", "实施部门", "分级分类领域", "责任科室 责任人", "2022年11月"]
    ]
    rows += [[1, "市税务局", "纳税企业", PAYLOADS[0], PAYLOADS[4]]]
    rows += [[2, "鹤岗海关", "海关企业", PAYLOADS[1], PAYLOADS[2]]]
    rows += [[3, "市生态环境局", "企业环境", PAYLOADS[3], PAYLOADS[0]]]
    gen.write_csv(ret, rows)
    out = tmp_path / "台账.xlsx"
    result = CliRunner().invoke(app, ["import", str(ret), "-o", str(out)])
    assert result.exit_code == 0, result.output
    shown = {v for _, _, v in _xlsx_cells(out)}
    assert set(PAYLOADS) <= shown
