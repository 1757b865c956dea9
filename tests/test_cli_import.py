from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from hgcredit.cli import app
from hgcredit.ledger.read import load_ledger
from hgcredit.registry import load_registry

HEAD = "序号,实施部门,分级分类领域,2022年10月,2022年11月"


def _import(*args: str):
    return CliRunner().invoke(app, ["import", *args])


def test_import_seed_writes_the_ledger(seed_path: Path, tmp_path: Path):
    out = tmp_path / "台账.xlsx"
    result = _import(str(seed_path), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"已写出 {out}：23 个领域，月份列 2022-10、2022-11、2022-12" in result.stdout
    assert "23 个领域有报送，共 23 格有内容" in result.stdout
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert ws["A1"].value == "鹤岗市信用分级分类监管工作推进台账"
    assert ws["C25"].value == "保安服务领域"
    again = load_ledger([out], load_registry())
    assert len(again.entries) == 23 and again.errors == []


def test_conflict_exit_1_later_file_wins(tmp_path: Path):
    a = tmp_path / "a.csv"
    a.write_text(f"{HEAD}\n1,市税务局,纳税企业,评价 9889 户,\n", "utf-8")
    b = tmp_path / "b.csv"
    b.write_text(f"{HEAD}\n1,市税务局,纳税企业,评价 9890 户,\n", "utf-8")
    out = tmp_path / "台账.xlsx"
    result = _import(str(a), str(b), "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "内容冲突（1 处，以后给出的文件为准）" in result.stdout
    assert f"{a} 第2行 第D列“评价 9889 户” → {b} 第2行 第D列“评价 9890 户”" in result.stdout
    assert "没有报送的领域（22）" in result.stdout
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert ws["E3"].value == "评价 9890 户"


def test_good_and_bad_inputs_write_the_good_and_exit_2(seed_path: Path, tmp_path: Path):
    bad = tmp_path / "坏.ods"
    bad.write_bytes(b"garbage")
    out = tmp_path / "台账.xlsx"
    result = _import(str(seed_path), str(bad), "-o", str(out), "--json")
    assert result.exit_code == 2, result.output
    data = json.loads(result.stdout)
    assert data["output"] == str(out)
    assert data["files"] == [str(seed_path)]
    assert data["months"] == ["2022-10", "2022-11", "2022-12"]
    assert data["texts"] == 23
    assert [e["file"] for e in data["errors"]] == [str(bad)]
    assert out.exists()


def test_nothing_usable_writes_nothing_and_keeps_the_old_output(tmp_path: Path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"garbage")
    out = tmp_path / "台账.xlsx"
    out.write_bytes(b"previous")
    result = _import(str(bad), "-o", str(out))
    assert result.exit_code == 2
    assert "没有可用的输入，未写出台账" in result.stdout
    assert f"错误：{bad}：这是文本文件（如 csv），不是 Excel 表格" in result.stderr
    assert out.read_bytes() == b"previous"


def test_year_option_for_yearless_headers(tmp_path: Path):
    f = tmp_path / "税务.csv"
    f.write_text("实施部门,11月\n市税务局,评价 9889 户\n", "utf-8")
    out = tmp_path / "台账.xlsx"
    without = _import(str(f), "-o", str(out))
    assert without.exit_code == 2
    assert "没有年份" in without.stderr
    result = _import(str(f), "-o", str(out), "--year", "2022")
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert ws["E2"].value == "2022年11月开展行业信用评价及监管情况"


def test_bad_output_options_exit_2(seed_path: Path, tmp_path: Path):
    for args, message in [
        (["-o", str(tmp_path / "台账.csv")], "应以 .xlsx 结尾"),
        (["-o", str(tmp_path / "没有" / "台账.xlsx")], "输出文件夹不存在"),
        (["-o", str(tmp_path / "a.xlsx"), "--year", "22"], "--year 22"),
    ]:
        result = _import(str(seed_path), *args)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("错误：") and message in result.stderr


def test_output_may_not_overwrite_an_input(tmp_path: Path, seed_path: Path):
    out = tmp_path / "台账.xlsx"
    assert _import(str(seed_path), "-o", str(out)).exit_code == 0
    before = out.read_bytes()
    result = _import(str(out), "-o", str(out))
    assert result.exit_code == 2
    assert "与输入文件相同" in result.stderr
    assert out.read_bytes() == before


def test_readme_documents_the_json_fields():
    doc = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    assert "`data_supported`" in doc and "`errors[]`" in doc


def test_a_later_placeholder_keeps_the_report_and_says_so(tmp_path: Path):
    a = tmp_path / "a.csv"
    a.write_text(f"{HEAD}\n1,市税务局,纳税企业,,评价 9889 户\n", "utf-8")
    b = tmp_path / "b.csv"
    b.write_text(f"{HEAD}\n1,市税务局,纳税企业,,本月无新增\n", "utf-8")
    out = tmp_path / "台账.xlsx"
    result = _import(str(a), str(b), "-o", str(out), "--json")
    assert result.exit_code == 1, result.output
    (conflict,) = json.loads(result.stdout)["conflicts"]
    assert (conflict["later_text"], conflict["kept"]) == ("本月无新增", "earlier")
    again = load_ledger([out], load_registry())
    assert again.entry("纳税企业", "2022-11").text == "评价 9889 户"  # type: ignore[union-attr]
    text = _import(str(a), str(b), "-o", str(out)).stdout
    assert "“本月无新增”（后者仅为占位，保留前者）" in text
    checked = CliRunner().invoke(app, ["check", str(a), str(b), "--month", "2022-11"])
    assert "不同，后者仅为占位，保留前者" in checked.stdout
    assert "已填报 1 · 仅占位 0" in checked.stdout
