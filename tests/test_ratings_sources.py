"""A ratings source names the file once (issue 8: ``a.xlsx a.xlsx[Sheet1] 第2行``)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from hgcredit.cli import app
from hgcredit.ledger.read import load_ledger
from hgcredit.ratings.report import rate_month
from hgcredit.registry import load_registry


def test_the_source_of_a_ledger_text_names_its_file_once(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    ws.append(["序号", "实施部门", "分级分类领域", "2022年11月"])
    ws.append([1, "市税务局", "纳税企业", "A级236户、B级3495户，共3731户。"])
    path = tmp_path / "a.xlsx"
    wb.save(path)
    reg = load_registry()
    tax = rate_month(reg, "2022-11", ledger=load_ledger([path], reg)).domains[0]
    assert tax.sources == [f"{path}[Sheet1] 第2行 第D列"]
    result = CliRunner().invoke(app, ["ratings", str(path), "--month", "2022-11", "--json"])
    (source,) = json.loads(result.stdout)["domains"][0]["sources"]
    assert source.count(str(path)) == 1
