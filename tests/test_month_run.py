"""run_month: one analysis, every output, swapped in whole (hgcredit.month.run)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from hgcredit.errors import OptionError
from hgcredit.month import swap
from hgcredit.month.run import REPORT, run_month

DATA = Path(__file__).resolve().parents[1] / "sample_data"
MASTER = DATA / "台账" / "鹤岗市信用分级分类监管工作推进台账.xlsx"
AS_OF = dt.date(2022, 11, 25)


def hashes(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) with its sha256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def small_folder(tmp_path: Path) -> Path:
    """The office ledger and two returns: a quick month."""
    folder = tmp_path / "附件"
    folder.mkdir()
    shutil.copy(MASTER, folder)
    for name in ("鹤岗海关_11月.xlsx", "11月台账_市卫健委_市民政局.xlsx"):
        shutil.copy(DATA / "returns" / name, folder)
    return folder


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("month")
    before = hashes(DATA)
    result = run_month(DATA, "2022-11", out, as_of=AS_OF)
    return result, out, before


def test_the_sample_month_writes_every_output_into_its_month_folder(sample):
    result, out, _ = sample
    target = out / "2022-11"
    assert result.target == target
    names = sorted(p.name for p in target.iterdir())
    assert names == sorted([REPORT, *(Path(o.file).name for o in result.outputs)])
    whats = {o.what for o in result.outputs}
    assert {"合并后的台账", "汇总工作簿", "双A企业工作簿"} <= whats
    for o in result.outputs:
        assert Path(o.file).parent == target
        assert hashlib.sha256(Path(o.file).read_bytes()).hexdigest() == o.sha256
    # Nothing else is left beside it: no temporary or old folder.
    assert [p.name for p in out.iterdir()] == ["2022-11"]


def test_nothing_in_the_input_folder_is_modified(sample):
    _, _, before = sample
    assert hashes(DATA) == before


def test_report_json_is_the_runs_json_and_holds_the_reports(sample):
    result, out, _ = sample
    data = json.loads((out / "2022-11" / REPORT).read_text("utf-8"))
    assert data == json.loads(json.dumps(result.to_json()))
    a = result.analysis
    assert data["check"] == a.check.to_json()
    assert data["ratings"] == a.ratings.to_json()
    assert data["double_a"]["double_a"] == len(a.double_a.enterprises) == 125
    assert data["double_a"]["outputs"]["workbook"].endswith("2022年双A企业.xlsx")
    assert data["errors"] == [] and data["exit_code"] == 1
    roles = {Path(i["file"]).name: i["role"] for i in data["inputs"]}
    assert roles["鹤岗市2022年度纳税信用级别名单.xlsx"] == "tax"
    assert all(len(i["sha256"]) == 64 for i in data["inputs"])
    assert data["check"]["summary"]["filled"] == 17


def test_the_merged_ledger_and_summary_come_from_the_one_analysis(sample):
    result, out, _ = sample
    target = out / "2022-11"
    ledger = next(target.glob("*工作推进台账_2022年11月.xlsx"))
    assert "2022年11月" in ledger.name
    wb = openpyxl.load_workbook(next(target.glob("*汇总.xlsx")))
    assert wb.sheetnames == ["总览", "填报情况", "等级分布", "双A企业", "双A企业名单", "说明"]
    about = {row[1] for row in wb["说明"].iter_rows(values_only=True)}
    # The 说明 sheet lists every ledger and list the month was made from.
    assert {str(p) for p in result.placement.ledgers} <= about
    assert {str(p) for p in result.placement.list_files} <= about


def test_two_runs_on_the_same_folder_give_identical_bytes(tmp_path):
    folder = small_folder(tmp_path)
    out = tmp_path / "out"
    run_month(folder, "2022-11", out, as_of=AS_OF)
    first = hashes(out)
    run_month(folder, "2022-11", out, as_of=AS_OF)
    assert hashes(out) == first and len(first) >= 3


@pytest.mark.parametrize(("day", "kind"), [(19, "reminder"), (20, "reminder"), (21, "overdue")])
def test_the_notice_is_the_reminder_up_to_the_deadline_day_and_the_circular_after(
    tmp_path, day, kind
):
    folder = small_folder(tmp_path)
    result = run_month(folder, "2022-11", tmp_path / "out", as_of=dt.date(2022, 11, day))
    assert [n.kind for n in result.notices] == [kind]
    data = json.loads((tmp_path / "out" / "2022-11" / REPORT).read_text("utf-8"))
    assert data["notices"][0]["kind"] == kind
    assert data["deadline"] == "2022-11-20" and data["deadline_passed"] is (day > 20)
    # Before the deadline nothing is overdue, but the reminder is something to act on.
    action = data["needs_action"][0]
    assert action.startswith("逾期未报" if day > 20 else "截止日前尚未填报")
    assert data["exit_code"] == 1


def test_a_failure_in_a_late_stage_leaves_the_previous_outputs_untouched(tmp_path, monkeypatch):
    folder = small_folder(tmp_path)
    out = tmp_path / "out"
    run_month(folder, "2022-11", out, as_of=AS_OF)
    before = hashes(out)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    import hgcredit.summary.workbook

    monkeypatch.setattr(hgcredit.summary.workbook, "write_summary", broken)
    with pytest.raises(RuntimeError):
        run_month(folder, "2022-11", out, as_of=dt.date(2022, 11, 28))
    assert hashes(out) == before
    assert [p.name for p in out.iterdir()] == ["2022-11"]  # the temporary folder is gone


def test_a_killed_runs_leftovers_are_tidied_and_an_old_folder_put_back(tmp_path):
    root = tmp_path / "out"
    stale = root / ".2022-11.hgcredit-4242-abcd1234.tmp"
    stale.mkdir(parents=True)
    (stale / "half.xlsx").write_bytes(b"half")
    (root / ".2022-11.hgcredit-4242-abcd1234.lock").write_bytes(b"")  # nobody holds it
    # Killed between the two renames: the previous outputs sit under their .old name.
    old = root / ".2022-10.hgcredit-4243-abcd1234.old"
    old.mkdir()
    (old / "report.json").write_text("{}", encoding="utf-8")
    # A run still writing: it holds its lock file.
    busy = root / ".2022-09.hgcredit-4244-abcd1234.tmp"
    busy.mkdir()
    with swap._lock(root / ".2022-09.hgcredit-4244-abcd1234.lock"):
        swap.clean_stale(root)
        assert sorted(p.name for p in root.iterdir()) == sorted(
            ["2022-10", busy.name, ".2022-09.hgcredit-4244-abcd1234.lock"]
        )
    assert (root / "2022-10" / "report.json").read_text("utf-8") == "{}"
    swap.clean_stale(root)  # once that run is gone, its folder is a leftover too
    assert sorted(p.name for p in root.iterdir()) == ["2022-10"]


def test_the_output_folder_may_not_hold_the_inputs(tmp_path):
    folder = tmp_path / "out" / "2022-11" / "附件"
    shutil.copytree(small_folder(tmp_path), folder)
    before = hashes(folder)
    with pytest.raises(OptionError, match="不能包含输入"):
        run_month(folder, "2022-11", tmp_path / "out", as_of=AS_OF)
    with pytest.raises(OptionError, match="不能包含输入"):
        run_month(tmp_path / "附件", "2022-11", tmp_path / "out", tax=folder / "x.xlsx")
    assert hashes(folder) == before


def test_an_output_month_folder_that_is_the_input_folder_is_refused(tmp_path):
    folder = tmp_path / "2022-11"
    shutil.copytree(small_folder(tmp_path), folder)
    before = hashes(folder)
    with pytest.raises(OptionError, match="会被整个替换"):
        run_month(folder, "2022-11", tmp_path, as_of=AS_OF)
    assert hashes(folder) == before


def test_a_folder_that_does_not_exist_is_an_option_error(tmp_path):
    with pytest.raises(OptionError, match="输入文件夹不存在"):
        run_month(tmp_path / "没有", "2022-11", tmp_path / "out")


def test_history_ledgers_give_the_months_behind_and_the_trend(tmp_path):
    folder = small_folder(tmp_path)
    history = tmp_path / "往月"
    history.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "实施部门", "分级分类领域", "2022年8月", "2022年9月"])
    ws.append([2, "鹤岗海关", "海关企业", "培育 1 家", "培育 2 家"])
    ws.append([7, "市城管局", "燃气企业", "", ""])
    wb.save(history / "9月台账.xlsx")
    result = run_month(folder, "2022-11", tmp_path / "out", as_of=AS_OF, history=history)
    a = result.analysis
    assert a.ledger.months[:2] == ["2022-08", "2022-09"]
    by = {d.domain: d for d in a.check.domains}
    # 城管 filled October (the office ledger) but nothing before or since.
    assert by["燃气企业"].behind_months == 1
    assert by["海关企业"].status == "filled"
    summary = next((tmp_path / "out" / "2022-11").glob("*汇总.xlsx"))
    header = next(openpyxl.load_workbook(summary)["填报情况"].iter_rows(values_only=True))
    assert {"2022年8月", "2022年9月", "2022年10月", "2022年11月"} <= set(header)
    roles = {Path(i["file"]).name: i["role"] for i in result.to_json()["inputs"]}
    assert roles["9月台账.xlsx"] == "history"


def test_an_unusable_file_is_an_error_and_the_rest_of_the_month_is_done(tmp_path):
    folder = small_folder(tmp_path)
    (folder / "坏.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)  # a cut-off download
    result = run_month(folder, "2022-11", tmp_path / "out", as_of=AS_OF)
    assert [Path(e.file).name for e in result.errors] == ["坏.xlsx"]
    assert result.exit_code == 2
    data = result.to_json()
    assert data["check"]["errors"] == []  # not a ledger: not the check's problem
    assert data["errors"][0]["file"].endswith("坏.xlsx")
    assert any(o.what == "汇总工作簿" for o in result.outputs)
    assert result.analysis.check.count("filled") > 0


def test_an_unreadable_return_holds_the_circular_back_but_not_the_rest(tmp_path):
    folder = small_folder(tmp_path)
    (folder / "市城管局_11月.xlsx").write_bytes(
        b"PK\x03\x04" + bytes(range(256)) * 4
    )  # a return cut off
    result = run_month(folder, "2022-11", tmp_path / "out", as_of=AS_OF)
    (notice,) = result.notices
    assert notice.kind == "overdue" and notice.files == []
    assert "1 处输入无法使用" in notice.note and "误列为未报送" in notice.note
    assert any(o.what == "汇总工作簿" for o in result.outputs)


def test_two_public_lists_do_not_hold_the_circular_back(tmp_path):
    folder = small_folder(tmp_path)
    public = DATA / "entities" / "鹤岗市2022年度公共信用评价结果.xlsx"
    shutil.copy(public, folder / "a.xlsx")
    shutil.copy(public, folder / "b.xlsx")
    result = run_month(folder, "2022-11", tmp_path / "out", as_of=AS_OF)
    assert result.exit_code == 2 and result.analysis.double_a is None
    (notice,) = result.notices
    assert "无法使用" not in notice.note


def test_a_folder_without_a_ledger_is_an_error_and_names_no_one(tmp_path):
    folder = tmp_path / "附件"
    folder.mkdir()
    shutil.copy(DATA / "lists" / "市生态环境局_2022年11月_环境信用评价企业名录.xlsx", folder)
    result = run_month(folder, "2022-11", tmp_path / "out", as_of=AS_OF)
    assert result.exit_code == 2
    assert any("没有找到台账" in e.message for e in result.errors)
    (notice,) = result.notices
    assert notice.files == [] and "台账中没有 2022-11 的一列" in notice.note


def test_the_reminder_names_the_units_still_missing(tmp_path):
    folder = small_folder(tmp_path)
    result = run_month(folder, "2022-11", tmp_path / "out", as_of=dt.date(2022, 11, 18))
    (notice,) = result.notices
    assert [Path(f).name for f in notice.files] == [
        "2022年11月台账催报提醒.docx",
        "2022年11月台账催报提醒.md",
    ]
    text = Path(notice.files[1]).read_text("utf-8")
    assert "市城管局" in text and "鹤岗海关" not in text  # 海关 filled; 城管 did not


def test_the_circular_shows_the_trend_of_the_months_in_the_folder(tmp_path):
    folder = small_folder(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "实施部门", "分级分类领域", "2022年9月"])
    ws.append([2, "鹤岗海关", "海关企业", "培育 2 家"])
    wb.save(folder / "9月台账.xlsx")
    result = run_month(folder, "2022-11", tmp_path / "out", as_of=AS_OF)
    (circular,) = result.notices
    text = Path(circular.files[1]).read_text("utf-8")
    assert "2022年10月填报23个领域" in text
    # A month only one department's file has says nothing of the other 22 (trial: the
    # circular read "2022年9月填报1个领域"); 海关's own September still ends no streak.
    assert "2022年9月" not in text


def test_last_months_output_folder_serves_as_history(tmp_path):
    folder = small_folder(tmp_path)
    out = tmp_path / "out"
    run_month(folder, "2022-10", out, as_of=dt.date(2022, 10, 25))
    result = run_month(folder, "2022-11", out, as_of=AS_OF, history=out / "2022-10")
    roles = {Path(i["file"]).name: i["role"] for i in result.to_json()["inputs"]}
    merged = next(n for n in roles if n.endswith("工作推进台账_2022年10月.xlsx"))
    assert roles[merged] == "history"
    # Last month's summary, notices and report are outputs, not inputs.
    assert roles["2022年10月信用分级分类监管工作汇总.xlsx"] == "ignored"
    assert roles["report.json"] == "ignored"
    assert result.errors == []
    assert result.analysis.ledger.files[0].endswith(merged)
    assert sorted(p.name for p in out.iterdir()) == ["2022-10", "2022-11"]


def test_an_earlier_run_of_this_month_inside_the_folder_is_not_an_input(tmp_path):
    # Trial: after `month 附件 -o 附件/结果`, a run with another -o read 附件/结果/2022-11's
    # merged ledger as the office ledger, so a return moved out of the folder still counted.
    folder = small_folder(tmp_path)
    run_month(folder, "2022-11", folder / "结果", as_of=AS_OF)
    (folder / "鹤岗海关_11月.xlsx").unlink()  # misfiled: taken out before the rerun
    result = run_month(folder, "2022-11", tmp_path / "out", as_of=AS_OF)
    customs = next(d for d in result.analysis.check.domains if d.domain == "海关企业")
    assert customs.status == "missing"
    inputs = {Path(i["file"]).relative_to(folder).as_posix(): i for i in result.to_json()["inputs"]}
    earlier = inputs["结果/2022-11"]
    assert earlier["role"] == "ignored" and "以前为 2022-11 写出的结果文件夹" in earlier["note"]
    assert not any(name.startswith("结果/2022-11/") for name in inputs)
    # An earlier month's output folder is still read (last month's ledger as history).
    run_month(folder, "2022-10", folder / "上月", as_of=dt.date(2022, 10, 25))
    again = run_month(folder, "2022-11", tmp_path / "out", as_of=AS_OF).to_json()["inputs"]
    roles = {Path(i["file"]).name: i["role"] for i in again}
    assert roles["鹤岗市信用分级分类监管工作推进台账_2022年10月.xlsx"] in ("history", "ledger")


def test_a_month_nothing_has_arrived_for_yet_is_no_unusable_input(tmp_path):
    # Trial: early in December, with only October's and November's ledgers, both were
    # listed as "无法使用的文件（1）" under one joined name, exit 2 and "请检查 --month".
    folder = tmp_path / "12月附件"
    folder.mkdir()
    for month in (10, 11):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["序号", "实施部门", "分级分类领域", f"2022年{month}月"])
        ws.append([1, "市税务局", "纳税企业", "A级 5 户"])
        wb.save(folder / f"{month}月台账.xlsx")
    result = run_month(folder, "2022-12", tmp_path / "out", as_of=dt.date(2022, 12, 5))
    assert result.errors == []
    assert result.exit_code == 1
    assert any("都没有 2022-12 的一列（有：2022-10、2022-11）" in n for n in result.needs_action)
    report = result.to_json()
    assert report["errors"] == [] and report["exit_code"] == 1
    # The ratings section is still what `hgcredit ratings` prints for these files.
    # One problem per ledger, each naming its own file (never the two names joined).
    assert [(Path(e["file"]).name, e["kind"]) for e in report["ratings"]["errors"]] == [
        ("10月台账.xlsx", "month"),
        ("11月台账.xlsx", "month"),
    ]
    (reminder,) = result.notices
    assert reminder.files == [] and "没有 2022-12 的一列" in reminder.note
