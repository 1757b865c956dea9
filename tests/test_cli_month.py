"""`hgcredit month` through the command line."""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hgcredit.cli import app

DATA = Path(__file__).resolve().parents[1] / "sample_data"
MASTER = DATA / "台账" / "鹤岗市信用分级分类监管工作推进台账.xlsx"
WHEN = ["--month", "2022-11", "--as-of", "2022-11-25"]


def invoke(*args: object) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def small_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "附件"
    folder.mkdir()
    shutil.copy(MASTER, folder)
    shutil.copy(DATA / "returns" / "鹤岗海关_11月.xlsx", folder)
    return folder


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any], Path]:
    out = tmp_path_factory.mktemp("month")
    result = invoke("month", DATA, *WHEN, "-o", out, "--json")
    report = json.loads((out / "2022-11" / "report.json").read_text("utf-8"))
    return result, report, out


def test_json_prints_report_json(sample):
    result, report, _ = sample
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout) == report
    assert result.stderr == ""
    assert report["exit_code"] == 1


def test_report_sections_are_what_each_command_prints_with_json(sample):
    _, report, out = sample
    ledgers = sorted(
        (i for i in report["inputs"] if i["order"] is not None), key=lambda i: i["order"]
    )
    ledger_files = [i["file"] for i in ledgers]
    lists = [i["file"] for i in report["inputs"] if i["role"] == "list"]

    def own(*args: object) -> dict[str, Any]:
        result = invoke(*args, "--json")
        assert result.exit_code in (0, 1), result.output
        return json.loads(result.stdout)

    assert own("check", *ledger_files, *WHEN) == report["check"]
    assert own("ratings", *ledger_files, *lists, "--month", "2022-11") == report["ratings"]
    role = {i["role"]: i["file"] for i in report["inputs"]}
    workbook = out / "2022年双A企业.xlsx"  # the month's own copy stays as it is
    double_a = own(
        "double-a", "--tax", role["tax"], "--public", role["public"],
        "--previous", role["previous"], "-o", workbook,
    )  # fmt: skip
    assert double_a["outputs"]["workbook"] == str(workbook)
    month_a = report["double_a"]
    assert month_a["outputs"]["workbook"] == str(out / "2022-11" / "2022年双A企业.xlsx")
    double_a.pop("outputs"), month_a.pop("outputs")
    assert double_a == month_a
    # The same workbook bytes as the double-a command writes.
    assert workbook.read_bytes() == (out / "2022-11" / "2022年双A企业.xlsx").read_bytes()


def test_the_terminal_report(tmp_path):
    result = invoke("month", DATA, *WHEN, "-o", tmp_path)
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert out.startswith("2022-11 月度工作（截至 2022-11-25，截止日 2022-11-20，已过截止日）\n")
    assert "  填报            已填报 17 · 仅占位 1 · 未填报 5（逾期 6，含仅占位 1）\n" in out
    assert "  逾期未报        6 个领域\n" in out
    assert "  双A企业         125 户（与上年相比新增 30 户，退出 18 户）" in out
    assert "市民政局·养老机构（仅占位）" in out
    assert f"{tmp_path / '2022-11'}/\n├── " in out
    assert "└── report.json" in out
    assert "需要处理：逾期未报 6 个领域" in out
    assert result.stderr == ""


def test_an_unusable_file_exits_2_names_it_and_the_month_is_still_done(tmp_path):
    folder = small_folder(tmp_path)
    (folder / "坏.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)  # a cut-off download
    result = invoke("month", folder, *WHEN, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"错误：{folder / '坏.xlsx'}：") and "另存为 .xlsx" in line
    assert "无法使用的文件  1 个" in result.stdout
    assert (tmp_path / "out" / "2022-11" / "report.json").exists()


def test_two_public_lists_exit_2_until_public_names_one(tmp_path):
    folder = small_folder(tmp_path)
    for name in ("公共信用评价结果.xlsx", "公共信用评价结果(1).xlsx"):
        shutil.copy(DATA / "entities" / "鹤岗市2022年度公共信用评价结果.xlsx", folder / name)
    shutil.copy(DATA / "entities" / "鹤岗市2022年度纳税信用级别名单.xlsx", folder)
    result = invoke("month", folder, *WHEN, "-o", tmp_path / "out", "--json")
    assert result.exit_code == 2
    assert "请用 --public 指定其中一个" in result.stderr
    report = json.loads(result.stdout)
    assert report["double_a"] is None
    assert sorted(Path(e["file"]).name for e in report["errors"]) == [
        "公共信用评价结果(1).xlsx",
        "公共信用评价结果.xlsx",
    ]
    # The terminal says why double-A was not computed, and counts each file once.
    out = invoke("month", folder, *WHEN, "-o", tmp_path / "out").stdout
    assert "双A企业         未计算（公共信用评价结果有 2 份，请用 --public 指定）" in out
    assert "无法使用的文件  2 个" in out
    assert "没有公共信用评价结果" not in out
    chosen = folder / "公共信用评价结果.xlsx"
    result = invoke("month", folder, *WHEN, "-o", tmp_path / "out", "--json", "--public", chosen)
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["double_a"]["public"]["file"] == str(chosen)


def test_two_public_lists_are_not_reported_as_no_public_list(tmp_path):
    """The terminal says why no double-A was computed: two files that may each be the
    public evaluation, not "no public evaluation"."""
    folder = small_folder(tmp_path)
    for name in ("公共信用评价结果.xlsx", "公共信用评价结果(1).xlsx"):
        shutil.copy(DATA / "entities" / "鹤岗市2022年度公共信用评价结果.xlsx", folder / name)
    shutil.copy(DATA / "entities" / "鹤岗市2022年度纳税信用级别名单.xlsx", folder)
    result = invoke("month", folder, *WHEN, "-o", tmp_path / "out")
    assert result.exit_code == 2
    (line,) = [x for x in result.stdout.splitlines() if x.strip().startswith("双A企业")]
    assert "没有公共信用评价结果" not in line
    assert "未计算（公共信用评价结果有 2 份，请用 --public 指定）" in line
    # A list really missing is still named as missing.
    (folder / "鹤岗市2022年度纳税信用级别名单.xlsx").unlink()
    result = invoke("month", folder, *WHEN, "-o", tmp_path / "out")
    (line,) = [x for x in result.stdout.splitlines() if x.strip().startswith("双A企业")]
    assert "未计算（没有纳税信用名单；公共信用评价结果有 2 份，请用 --public 指定）" in line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["没有这个文件夹"], "输入文件夹不存在"),
        (["{folder}", "--as-of", "昨天"], "昨天"),
        (["{folder}", "--history", "没有"], "--history 给出的文件夹不存在"),
    ],
)
def test_option_mistakes_are_one_line_and_exit_2(tmp_path, args, message):
    folder = small_folder(tmp_path)
    args = [a.replace("{folder}", str(folder)) for a in args]
    result = invoke("month", *args, "--month", "2022-11", "-o", tmp_path / "out")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("错误：") and message in line
    assert not (tmp_path / "out").exists()


def test_month_help_loads_neither_the_analysis_nor_rich():
    code = (
        "import sys; sys.argv = ['hgcredit', 'month', '--help']\n"
        "import hgcredit.cli as cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stderr.split())
    assert "hgcredit.cli.month_cmd" in loaded
    assert not {
        m
        for m in loaded
        if m == "hgcredit.month" or m.startswith(("hgcredit.month.", "rich", "hgcredit.ledger"))
    }


KILLED = """
import sys, time
import hgcredit.summary.workbook as workbook

write = workbook.write_summary
ready = sys.argv[1]

def slow(*args, **kwargs):
    names = write(*args, **kwargs)
    open(ready, "w").close()  # the summary is written; the swap has not happened
    time.sleep(120)
    return names

workbook.write_summary = slow
sys.argv = ["hgcredit", "month", *sys.argv[2:]]
from hgcredit.cli import main
main()
"""


def test_a_run_killed_while_writing_leaves_the_previous_outputs_whole(tmp_path):
    folder = small_folder(tmp_path)
    out = tmp_path / "out"
    first = invoke("month", folder, *WHEN, "-o", out)
    assert first.exit_code == 1, first.output
    before = hashes(out)
    shutil.copy(DATA / "returns" / "市发改委_11月.xlsx", folder)  # a new return this time
    ready = tmp_path / "ready"
    args = [str(folder), "--month", "2022-11", "--as-of", "2022-11-26", "-o", str(out)]
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(ready), *args])
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert proc.poll() is None, "the run ended before it was killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert hashes(out / "2022-11") == {k.split("/", 1)[1]: v for k, v in before.items()}
    # The half-written folder and the run's lock file are left behind.
    left = sorted(p.name for p in out.iterdir() if p.name != "2022-11")
    assert [n.rsplit(".", 1)[1] for n in left] == ["lock", "tmp"]
    assert all(n.startswith(f".2022-11.hgcredit-{proc.pid}-") for n in left)
    # The next run tidies it away and swaps in the new month.
    again = invoke("month", folder, *WHEN, "-o", out, "--json")
    assert again.exit_code == 1, again.output
    assert [p.name for p in out.iterdir()] == ["2022-11"]
    assert "市发改委_11月.xlsx" in {
        Path(i["file"]).name for i in json.loads(again.stdout)["inputs"]
    }


def test_the_notices_are_what_hgcredit_notice_writes_from_the_same_files(sample):
    _, report, out = sample
    ledgers = sorted(
        (i for i in report["inputs"] if i["order"] is not None), key=lambda i: i["order"]
    )
    files = [i["file"] for i in ledgers] + [
        i["file"] for i in report["inputs"] if i["role"] == "list"
    ]
    role = {i["role"]: i["file"] for i in report["inputs"]}
    (circular, letter) = report["notices"]
    assert (circular["kind"], letter["kind"]) == ("overdue", "double-a")
    assert [Path(f).suffix for f in circular["files"]] == [".docx", ".md"]
    for written in circular["files"]:
        own = out / f"own{Path(written).suffix}"
        result = invoke("notice", "overdue", *files, *WHEN, "-o", own)
        assert result.exit_code == 0, result.output
        assert Path(written).read_bytes() == own.read_bytes()
    # The letter takes the document number after the circular's.
    for written in letter["files"]:
        own = out / f"own_letter{Path(written).suffix}"
        result = invoke(
            "notice", "double-a", *WHEN, "--tax", role["tax"], "--public", role["public"],
            "--previous", role["previous"], "--doc-number", "鹤信用办发〔2022〕33号", "-o", own,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert Path(written).read_bytes() == own.read_bytes()
    text = Path(circular["files"][1]).read_text("utf-8")
    assert "鹤信用办发〔2022〕32号" in text and "市民政局（养老机构，仅填写“同上月”）" in text


def test_a_month_with_every_domain_filled_before_the_deadline_exits_0_without_a_reminder(
    tmp_path,
):
    from hgcredit.registry import load_registry

    folder = tmp_path / "附件"
    folder.mkdir()
    rows = ["序号,实施部门,分级分类领域,2022年11月"] + [
        f"{d.serial},{d.department},{d.domain},本月开展检查 {d.serial} 次"
        for d in load_registry().domains
    ]
    (folder / "台账.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = invoke(
        "month",
        folder,
        "--month",
        "2022-11",
        "--as-of",
        "2022-11-19",
        "-o",
        tmp_path / "out",
        "--json",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    (notice,) = report["notices"]
    assert notice["kind"] == "reminder" and notice["files"] == []
    assert "不需要催报" in notice["note"]
    assert report["needs_action"] == []


def test_the_bad_inputs_corpus_as_a_folder_is_refused_file_by_file(tmp_path):
    # Encrypted, truncated, bombs, pictures and web pages named .xlsx, sparse grids: each
    # is one line on stderr; nothing crashes; the usable returns are still checked.
    corpus = Path(__file__).resolve().parent / "bad_inputs"
    result = invoke("month", corpus, *WHEN, "-o", tmp_path, "--json")
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    unusable = [i["file"] for i in report["inputs"] if i["role"] == "unusable"]
    refused = sorted(str(p) for p in (corpus / "refused").iterdir() if p.is_file())
    assert set(refused) <= set(unusable)
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("错误：") for line in lines)
    assert "Traceback" not in result.output and "内部错误" not in result.stderr
    assert report["check"]["files"]  # the returns that could be read were used
    assert report["notices"][0]["files"] == []  # no circular over unreadable returns


def test_a_notice_written_with_a_note_says_so_on_the_terminal(tmp_path):
    # Trial: December's circular, made on 5 January, took 〔2022〕 numbers; report.json said
    # so, the terminal did not.
    folder = small_folder(tmp_path)
    result = invoke(
        "month", folder, "--month", "2022-12", "--as-of", "2023-01-05", "-o", tmp_path / "out"
    )
    assert result.exit_code == 1, result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith("  通报"))
    assert "2022年12月台账报送情况通报.docx" in line
    assert (
        "（注意：发文字号 鹤信用办发〔2022〕32号 的年份与成文日期 2023年1月5日 不是同一年" in line
    )
    report = json.loads((tmp_path / "out" / "2022-12" / "report.json").read_text("utf-8"))
    assert any(
        x.startswith("通报：发文字号 鹤信用办发〔2022〕32号") for x in report["needs_action"]
    )
    assert "通报：发文字号" in result.stdout.splitlines()[-1]  # 需要处理：…


def test_a_clerks_strays_do_not_stop_the_circular(tmp_path):
    # Trial (December): a return written 市人社, the zip it came in left beside it, an
    # e-mail signature and a lock file; the circular must still be written.
    folder = small_folder(tmp_path)
    ret = folder / "人社局台账12月.csv"
    ret.write_bytes(
        "序号;实施部门;分级分类领域;2022年11月\n"
        "4;市人社;企业劳动保障;评定A级12家、B级160家、C级4家，共计176家\n".encode("gbk")
    )
    import zipfile

    with zipfile.ZipFile(folder / "附件.zip", "w") as zf:
        zf.write(ret, ret.name)
    (folder / "邮件签名.txt").write_text("刘洋\n电话：0468-3456789\n", encoding="utf-8")
    (folder / "~$台账.xlsx").write_bytes(b"\x05lock")
    result = invoke("month", folder, *WHEN, "-o", tmp_path / "out", "--json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["errors"] == [] and result.stderr == ""
    assert report["notices"][0]["kind"] == "overdue" and report["notices"][0]["files"]
    labour = next(d for d in report["check"]["domains"] if d["domain"] == "企业劳动保障")
    assert labour["status"] == "filled"
    counts = next(d for d in report["ratings"]["domains"] if d["domain"] == "企业劳动保障")
    assert (counts["counts"], counts["consistent"]) == ({"A": 12, "B": 160, "C": 4}, True)


def _codes() -> list[str]:
    from stdnum.cn import uscc

    bodies = ["91230402MA1B2C3D4", "91230421MA2B2C3D4", "91230403MA3B2C3D4"]
    bodies += ["91230406MA4B2C3D4", "91230404MA5B2C3D4"]
    return [b[:17] + uscc.calc_check_digit(b[:17]) for b in bodies]


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_published_a_level_tax_list_is_the_tax_list_as_double_a_reads_it(tmp_path):
    """The tax bureau's published 2022年度纳税信用A级纳税人名单 (codes and names, the level in
    the title) is placed as the tax list, graded by the rule double-a uses, and month's
    double-A is double-a's on the same files."""
    a1, a2, a3, a4, b1 = _codes()
    folder = small_folder(tmp_path)
    public = _sheet(
        folder / "鹤岗市2022年度公共信用评价结果.xlsx",
        [
            ["鹤岗市2022年度公共信用评价结果"],
            ["统一社会信用代码", "市场主体名称", "综合得分", "信用等级"],
            *([c, f"企业{i}", 950 - i, "A"] for i, c in enumerate((a1, a2, a3, a4), 1)),
            [b1, "企业5", 700, "B"],
        ],
    )
    tax = _sheet(
        folder / "名单.xlsx",
        [
            ["国家税务总局鹤岗市税务局2022年度纳税信用A级纳税人名单"],
            ["序号", "纳税人识别号", "纳税人名称"],
            *([i, c, f"企业{i}"] for i, c in enumerate((a1, a2, a3, b1), 1)),
        ],
    )
    result = invoke("month", folder, *WHEN, "-o", tmp_path / "out", "--json")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    roles = {Path(i["file"]).name: (i["role"], i["note"]) for i in report["inputs"]}
    role, note = roles["名单.xlsx"]
    assert role == "tax"
    assert "没有等级列，按标题“国家税务总局鹤岗市税务局2022年度纳税信用A级纳税人名单”" in note
    month_a = report["double_a"]
    assert month_a["double_a"] == 3
    assert month_a["tax"]["grade_from_title"].endswith("A级纳税人名单")
    own = invoke("double-a", "--tax", tax, "--public", public, "--json")
    assert own.exit_code == 0, own.output
    double_a = json.loads(own.stdout)
    double_a.pop("outputs"), month_a.pop("outputs")
    assert double_a == month_a
    # Named by --tax (here from outside the folder), it is read the same way.
    outside = shutil.move(tax, tmp_path / "名单.xlsx")
    named = invoke("month", folder, *WHEN, "-o", tmp_path / "out", "--json", "--tax", outside)
    assert named.exit_code in (0, 1), named.output
    assert json.loads(named.stdout)["double_a"]["double_a"] == 3
