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


# ---------------------------------------------------------------- rows that vanish (issue 8)


def test_footers_under_a_valid_return_exit_0_and_are_listed(tmp_path: Path):
    f = tmp_path / "税务.csv"
    f.write_text(
        f"{HEAD}\n1,市税务局,纳税企业,,评价 9889 户\n"
        "填报人：张三,联系电话：13800000000,审核人：李四,,\n,,,,填报日期：2022年11月18日\n"
        "注：数据截至 11 月 15 日,,,,\n",
        "utf-8",
    )
    out = tmp_path / "台账.xlsx"
    result = _import(str(f), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "未使用的行（3 行，不是台账内容，已忽略）" in result.stdout
    assert (
        f"- {f}：第5行：备注或说明，不是某个领域的内容：“注：数据截至 11 月 15 日”" in result.stdout
    )
    assert "- 表尾落款（填报人、联系电话、日期、盖章等）2 行" in result.stdout
    data = json.loads(_import(str(f), "-o", str(out), "--json").stdout)
    assert [(i["row"], i["kind"]) for i in data["ignored"]] == [
        (3, "footer"),
        (4, "footer"),
        (5, "note"),
    ]
    assert data["errors"] == []


def test_a_run_that_read_no_text_keeps_the_existing_output(tmp_path: Path):
    f = tmp_path / "空.csv"
    f.write_text(f"{HEAD}\n1,市税务局,纳税企业,,\n2,鹤岗海关,海关企业,,\n", "utf-8")
    out = tmp_path / "台账.xlsx"
    out.write_bytes(b"previous")
    result = _import(str(f), "-o", str(out), "--json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["output"] is None and data["kept_existing_output"] is True
    assert out.read_bytes() == b"previous"
    text = _import(str(f), "-o", str(out)).stdout
    assert f"未写出台账；原有的 {out} 保持不变" in text
    fresh = tmp_path / "新台账.xlsx"  # nothing to keep: the blank ledger is written
    assert _import(str(f), "-o", str(fresh)).exit_code == 0
    assert fresh.exists()


def test_serial_number_month_headers_import_and_never_replace_with_nothing(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "实施部门", "分级分类领域", 44866])  # 2022-11-01 without a date format
    ws.append([1, "市税务局", "纳税企业", "11月，评价 9889 户"])
    ws.append([11, "市应急局", "安全生产领域", "11月，我局对 25 家企业开展评价"])
    f = tmp_path / "回执.xlsx"
    wb.save(f)
    out = tmp_path / "台账.xlsx"
    result = _import(str(f), "-o", str(out), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["months"] == ["2022-11"] and data["texts"] == 2
    again = load_ledger([out], load_registry())
    assert again.entry("安全生产领域", "2022-11").text == "11月，我局对 25 家企业开展评价"  # type: ignore[union-attr]


def test_a_text_longer_than_an_excel_cell_is_cut_named_and_kept_whole(tmp_path: Path):
    long = "对全市纳税人开展信用评价。" * 25_000  # 325,000 characters: past csv's 128 KB too
    f = tmp_path / "税务.csv"
    f.write_text(f"{HEAD}\n1,市税务局,纳税企业,,{long}\n2,鹤岗海关,海关企业,,培育 1 家\n", "utf-8")
    out = tmp_path / "台账.xlsx"
    result = _import(str(f), "-o", str(out), "--json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    full = tmp_path / "台账_全文.txt"
    assert data["full_text"] == str(full)
    assert data["cut_cells"] == [
        {
            "department": "市税务局",
            "domain": "纳税企业",
            "month": "2022-11",
            "chars": len(long),
            "location": f"{f} 第2行 第E列",
        }
    ]
    assert long in full.read_text("utf-8")
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert ws["F3"].value == long[:32_767]
    text = _import(str(f), "-o", str(out)).stdout
    assert f"全文已写入 {full}" in text
    assert f"- 市税务局 纳税企业 2022-11：共 {len(long):,} 字" in text


# ---------------------------------------------------------------- nothing usable (trial 5)


def test_an_undated_month_column_alone_writes_nothing(tmp_path: Path):
    """A return whose only month column has no year nothing can give is not used: no
    0-cell ledger is written, an existing one is left as it was, exit 2 with one line
    naming the file and the fix."""
    out = tmp_path / "台账.xlsx"
    for header in ("11月", "本月工作进展"):
        f = tmp_path / "税务.csv"
        f.write_text(f"实施部门,{header}\n市税务局,评价 9889 户\n", "utf-8")
        out.unlink(missing_ok=True)
        result = _import(str(f), "-o", str(out), "--json")
        assert result.exit_code == 2, result.output
        data = json.loads(result.stdout)
        assert data["output"] is None and data["files"] == [] and data["sources"] == {}
        assert not out.exists()
        (error,) = data["errors"]
        assert error["file"] == str(f)
        assert "2022年11月" in error["message"]
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"错误：{f}：")
        out.write_bytes(b"previous")
        again = _import(str(f), "-o", str(out))
        assert again.exit_code == 2
        assert f"没有可用的输入，未写出台账。原有的 {out} 保持不变。" in again.stdout
        assert out.read_bytes() == b"previous"


def test_a_blank_return_beside_an_unusable_one_writes_nothing(tmp_path: Path):
    blank = tmp_path / "空.csv"
    blank.write_text(f"{HEAD}\n1,市税务局,纳税企业,,\n", "utf-8")
    bad = tmp_path / "无年份.csv"
    bad.write_text("实施部门,11月\n鹤岗海关,培育 AEO 企业 1 家\n", "utf-8")
    out = tmp_path / "台账.xlsx"
    result = _import(str(blank), str(bad), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "各月份列都是空白，且有输入无法使用（见下），未写出台账" in result.stdout
    assert not out.exists()
    out.write_bytes(b"previous")
    assert _import(str(blank), str(bad), "-o", str(out)).exit_code == 2
    assert out.read_bytes() == b"previous"


def test_other_inputs_that_give_nothing_write_nothing(tmp_path: Path):
    out = tmp_path / "台账.xlsx"
    cases = {
        "表头.csv": f"{HEAD}\n",
        "未知部门.csv": f"{HEAD}\n1,市某局,某领域,评价 5 户,\n",
        "落款.csv": f"{HEAD}\n填报人：张三,联系电话：13800000000,,,\n",
    }
    for name, text in cases.items():
        f = tmp_path / name
        f.write_text(text, "utf-8")
        result = _import(str(f), "-o", str(out))
        assert result.exit_code == 2, (name, result.output)
        assert "没有可用的输入，未写出台账" in result.stdout
        assert result.stderr.startswith(f"错误：{f}：")
        assert not out.exists()
