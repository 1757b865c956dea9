from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hgcredit.cli import app

HEAD = "序号,实施部门,分级分类领域,2022年10月,2022年11月"


def _check(*args: str):
    return CliRunner().invoke(app, ["check", *args])


def test_seed_october_all_filled_exit_0(seed_path: Path):
    result = _check(str(seed_path), "--month", "2022-10", "--as-of", "2022-11-09")
    assert result.exit_code == 0, result.output
    assert "2022-10 台账填报检查（截至 2022-11-09，截止日 2022-10-20，已过截止日）" in result.stdout
    assert "已填报（23）" in result.stdout
    assert "未填报（" not in result.stdout
    assert result.stdout.rstrip().endswith("已填报 23 · 仅占位 0 · 未填报 0（逾期 0）")


def test_seed_november_after_deadline_exit_1(seed_path: Path):
    result = _check(str(seed_path), "--month", "2022-11", "--as-of", "2022-11-21")
    assert result.exit_code == 1, result.output
    assert "未填报（23）" in result.stdout
    assert "逾期" in result.stdout
    assert "已填报 0 · 仅占位 0 · 未填报 23（逾期 23）" in result.stdout


def test_seed_november_before_deadline_is_pending_exit_0(seed_path: Path):
    result = _check(str(seed_path), "--month", "2022-11", "--as-of", "2022-11-15")
    assert result.exit_code == 0, result.output
    assert "待报（剩 5 天）" in result.stdout
    assert "（待报 23，距截止还有 5 天）" in result.stdout


def test_json_schema(seed_path: Path):
    result = _check(str(seed_path), "--month", "2022-11", "--as-of", "2022-11-21", "--json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["month"] == "2022-11"
    assert data["as_of"] == "2022-11-21"
    assert data["deadline"] == "2022-11-20"
    assert len(data["domains"]) == 23
    for d in data["domains"]:
        assert {"department", "domain", "status", "data_supported", "overdue", "sources"} <= set(d)
    police = data["domains"][-1]
    assert (police["department"], police["domain"]) == ("市公安局", "保安服务领域")
    assert police["status"] == "missing" and police["overdue"] is True
    assert police["behind_months"] == 1
    assert data["conflicts"] == [] and data["errors"] == []


def test_one_good_and_one_bad_file_still_checks_the_good_one(seed_path: Path, tmp_path: Path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"garbage")
    result = _check(str(bad), str(seed_path), "--month", "2022-10", "--as-of", "2022-11-09")
    assert result.exit_code == 2, result.output
    assert "已填报（23）" in result.stdout
    # The unusable input is named on stderr, one line, and not in the report on stdout.
    assert (
        result.stderr
        == f"错误：{bad}：这是文本文件（如 csv），不是 Excel 表格；如是 csv，请把扩展名改为 .csv\n"
    )
    assert str(bad) not in result.stdout
    as_json = _check(
        str(bad), str(seed_path), "--month", "2022-10", "--as-of", "2022-11-09", "--json"
    )
    assert as_json.exit_code == 2
    data = json.loads(as_json.stdout)
    assert data["summary"]["filled"] == 23
    assert [e["file"] for e in data["errors"]] == [str(bad)]
    assert "不是 Excel 表格" in data["errors"][0]["message"]


def test_placeholders_unknown_department_and_conflict(tmp_path: Path):
    a = tmp_path / "a.csv"
    a.write_text(
        f"{HEAD}\n1,市税务局,纳税企业,评价 9889 户,同上月。\n2,鹤岗海关,海关企业,x,\n", "utf-8"
    )
    b = tmp_path / "b.csv"
    b.write_text(f"{HEAD}\n2,鹤岗海关,海关企业,y,培育 1 家\n3,市税物局,企业环境,,\n", "gbk")
    result = _check(str(a), str(b), "--month", "2022-11", "--as-of", "2022-11-21")
    assert result.exit_code == 2, result.output
    out = result.stdout
    assert "仅占位（1）" in out
    assert "同上月。" in out
    assert "内容冲突（1 处，以后给出的文件为准）" in out
    assert f"{a} 第3行 第D列 与 {b} 第2行 第D列 不同" in out
    assert f"错误：{b}：第3行：未知部门“市税物局”" in result.stderr and "市税务局" in result.stderr
    assert "已填报 1 · 仅占位 1 · 未填报 21（逾期 22，含仅占位 1）" in out


def test_month_missing_from_the_ledger_is_noted(seed_path: Path):
    result = _check(str(seed_path), "--month", "2023-01", "--as-of", "2023-01-25")
    assert result.exit_code == 1
    assert "输入中没有 2023-01 的月份列" in result.stdout


def test_yearless_headers_take_the_year_of_month(tmp_path: Path):
    f = tmp_path / "税务.csv"
    f.write_text("实施部门,11月,12月\n市税务局,评价 9889 户,\n", "utf-8")
    result = _check(str(f), "--month", "2022-11", "--as-of", "2022-11-21", "--json")
    data = json.loads(result.stdout)
    assert data["months"] == ["2022-11", "2022-12"]
    assert data["summary"]["filled"] == 1


def test_forced_wrong_encoding_is_an_input_error(tmp_path: Path):
    f = tmp_path / "交通.csv"
    f.write_bytes(f"{HEAD}\n6,市交通运输局,道路运输经营者,62 家,\n".encode("gbk"))
    result = _check(str(f), "--month", "2022-10", "--as-of", "2022-11-09", "--encoding", "utf-8")
    assert result.exit_code == 2
    assert "--encoding gb18030" in result.stderr and "--encoding" not in result.stdout
    ok = _check(str(f), "--month", "2022-10", "--as-of", "2022-11-09", "--encoding", "gb18030")
    assert "已填报 1" in ok.stdout


def test_bad_options_exit_2_with_one_line(seed_path: Path):
    for args, message in [
        (["--month", "11月"], "--month"),
        (["--month", "2022-11", "--as-of", "2022-11-31"], "--as-of"),
    ]:
        result = _check(str(seed_path), *args)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("错误：")
        assert result.stderr.count("\n") == 1
        assert message in result.stderr
    missing = _check(str(seed_path))
    assert missing.exit_code == 2


def test_behind_streak_column_only_when_earlier_months_exist(seed_path: Path, tmp_path: Path):
    with_earlier = _check(str(seed_path), "--month", "2022-12", "--as-of", "2022-12-21")
    assert "连续未报(月)" in with_earlier.stdout
    f = tmp_path / "只有本月.csv"
    f.write_text("实施部门,2022-11\n市税务局,\n", "utf-8")
    alone = _check(str(f), "--month", "2022-11", "--as-of", "2022-11-21")
    assert alone.exit_code == 1, alone.output
    assert "连续未报(月)" not in alone.stdout
    assert "未填报（23）" in alone.stdout


# ---------------------------------------------------------------- rows that vanish (issue 8)


def test_month_led_row_of_an_unknown_department_is_reported_not_a_header(tmp_path: Path):
    f = tmp_path / "回执.csv"
    f.write_text(
        "序号,实施部门,分级分类领域,2022年11月\n1,市税务局,纳税企业,评价 9889 户\n"
        "2,市教育局,教育领域,12月开展校外培训机构信用评价，共 30 家\n3,鹤岗海关,海关企业,新增 1 家\n",
        "utf-8",
    )
    result = _check(str(f), "--month", "2022-11", "--as-of", "2022-11-10", "--json")
    assert result.exit_code == 2, result.output
    data = json.loads(result.stdout)
    assert data["months"] == ["2022-11"]
    status = {d["domain"]: d["status"] for d in data["domains"]}
    assert status["纳税企业"] == status["海关企业"] == "filled"
    assert [(e["row"], e["kind"]) for e in data["errors"]] == [(3, "row")]


def test_serial_number_month_header_gives_the_true_statuses(tmp_path: Path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "实施部门", "分级分类领域", 44835, 44866])
    for d in range(1, 12):
        ws.append([d, *_DOMAINS[d - 1], "10月 开展", f"11月，开展评价 {d} 家"])
    f = tmp_path / "回执.xlsx"
    wb.save(f)
    result = _check(str(f), "--month", "2022-11", "--as-of", "2022-11-21", "--json")
    data = json.loads(result.stdout)
    assert data["errors"] == []
    assert data["summary"]["filled"] == 11 and data["summary"]["overdue"] == 12


def test_formula_without_stored_result_is_an_error_saying_how_to_fix(tmp_path: Path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "实施部门", "分级分类领域", "2022年11月"])
    ws.append([1, "市税务局", "纳税企业", '=CONCATENATE("评价","9889户")'])
    f = tmp_path / "回执.xlsx"
    wb.save(f)
    result = _check(str(f), "--month", "2022-11", "--as-of", "2022-11-10")
    assert result.exit_code == 2, result.output
    assert "D2是公式，但文件中没有保存公式的计算结果" in result.stderr
    assert "请用 Excel 或 WPS 打开该文件、保存后再导入" in result.stderr


_DOMAINS = [
    ("市税务局", "纳税企业"),
    ("鹤岗海关", "海关企业"),
    ("市生态环境局", "企业环境"),
    ("市人社局", "企业劳动保障"),
    ("市住建局", "建筑业企业"),
    ("市交通运输局", "道路运输经营者"),
    ("市城管局", "燃气企业"),
    ("市煤管局", "地方煤矿"),
    ("市商务局", "家政企业"),
    ("市医保局", "定点医药机构"),
    ("市应急局", "安全生产领域"),
]


def test_an_excel_lock_file_in_a_glob_is_named_as_one(tmp_path: Path):
    # Trial: `hgcredit check 报送/*` while a return was open in Excel took Excel's ~$ owner
    # file as a damaged workbook ("文件可能已损坏…请另存为 .xlsx").
    good = tmp_path / "税务局.csv"
    good.write_text(f"{HEAD}\n1,市税务局,纳税企业,,A级 5 户\n", encoding="utf-8")
    lock = tmp_path / "~$税务局12月.xlsx"
    lock.write_bytes(b"\x04" + "刘洋".encode("utf-16-le").ljust(108, b"\x00") + b"\x00" * 56)
    office = tmp_path / ".~lock.台账.xlsx#"
    office.write_text(",刘洋,PC,02.12.2026 10:00,file:///C:/Users;\n", encoding="utf-8")
    result = _check(
        str(good), str(lock), str(office), "--month", "2022-11", "--as-of", "2022-11-15"
    )
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines == [
        f"错误：{lock}：这是 Excel/WPS 打开“税务局12月.xlsx”时留下的临时锁文件，不是表格；"
        "请不要把它作为输入（关闭该文件后它会自动消失）",
        f"错误：{office}：这是 Excel/WPS 打开“台账.xlsx”时留下的临时锁文件，不是表格；"
        "请不要把它作为输入（关闭该文件后它会自动消失）",
    ]
    assert "已填报 1" in result.stdout  # the good file is still checked


def test_a_real_workbook_whose_name_starts_like_a_lock_file_is_read(tmp_path: Path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEAD.split(","))
    ws.append(["1", "市税务局", "纳税企业", "", "A级 5 户"])
    named = tmp_path / "~$台账.xlsx"
    wb.save(named)
    result = _check(str(named), "--month", "2022-11", "--as-of", "2022-11-15")
    assert result.exit_code == 0, result.output
    assert "已填报 1" in result.stdout
