"""Placing a folder's files by what they are (hgcredit.month.inputs)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from hgcredit.month.inputs import (
    HISTORY,
    IGNORED,
    LEDGER,
    LIST,
    PREVIOUS,
    PUBLIC,
    TAX,
    UNUSABLE,
    place_inputs,
)
from hgcredit.registry import load_registry

DATA = Path(__file__).resolve().parents[1] / "sample_data"
ENTITIES = DATA / "entities"
TAX_FILE = ENTITIES / "鹤岗市2022年度纳税信用级别名单.xlsx"
PUBLIC_FILE = ENTITIES / "鹤岗市2022年度公共信用评价结果.xlsx"
PREVIOUS_FILE = ENTITIES / "鹤岗市2021年度双A企业名单.xlsx"
MASTER = DATA / "台账" / "鹤岗市信用分级分类监管工作推进台账.xlsx"
REG = load_registry()


def place(folder: Path, **kwargs):
    return place_inputs(folder, "2022-11", REG, **kwargs)


def roles(placement, folder: Path) -> dict[str, str]:
    return {f.path.relative_to(folder).as_posix(): f.role for f in placement.files}


def xlsx(path: Path, rows: list[list[object]], sheet: str = "Sheet1") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


CODES = ["91230402MA1B2C3D4X", "91230403MA1B2C3D5Y", "91230404MA1B2C3D6Z"]


def public_list(path: Path, year: int) -> Path:
    return xlsx(
        path,
        [
            [f"鹤岗市{year}年度市场主体公共信用综合评价结果"],
            ["序号", "统一社会信用代码", "市场主体名称", "综合得分", "评价等级"],
            *([i, c, f"企业{i}", 900 - i, "AB"[i % 2]] for i, c in enumerate(CODES, 1)),
        ],
    )


@pytest.fixture(scope="module")
def sample():
    return place(DATA)


def test_the_sample_folder_is_placed_by_content(sample):
    got = roles(sample, DATA)
    assert got["entities/鹤岗市2022年度纳税信用级别名单.xlsx"] == TAX
    assert got["entities/鹤岗市2022年度公共信用评价结果.xlsx"] == PUBLIC
    assert got["entities/鹤岗市2021年度双A企业名单.xlsx"] == PREVIOUS
    assert got["lists/市生态环境局_2022年11月_环境信用评价企业名录.xlsx"] == LIST
    assert got["台账/鹤岗市信用分级分类监管工作推进台账.xlsx"] == LEDGER
    returns = [k for k in got if k.startswith("returns/")]
    assert len(returns) == 15 and all(got[k] == LEDGER for k in returns)
    # Generator, scripts and documents are not inputs, and say so.
    for name in ("README.md", "EXPECTED.md", "expected.json", "demo.sh", "make_sample_data.py"):
        assert got[name] == IGNORED
    assert all(got[k] == IGNORED for k in got if k.startswith("sample_gen/"))
    assert sample.problems == []
    assert sample.tax is not None and sample.public is not None and sample.previous is not None
    assert sample.year == 2022
    assert [c.domain.domain for c in sample.lists] == ["企业环境", "建筑业企业"]
    # A department's graded list is a rating list; one whose "类别" column holds no level
    # is an ungraded list; last year's public evaluation is told apart by its year.
    assert got["部门名单/市住建局_2022年度建筑业企业信用评价结果.xlsx"] == LIST
    assert got["部门名单/市应急局_安全生产领域重点监管企业名单.csv"] == IGNORED
    assert got["entities/鹤岗市2021年度公共信用评价结果.xlsx"] == IGNORED
    older = sample.found(DATA / "entities" / "鹤岗市2021年度公共信用评价结果.xlsx")
    assert "较早（2021年度）" in older.note and "hgcredit reconcile" in older.note


def test_every_file_has_a_hash_and_every_unused_one_a_reason(sample):
    for f in sample.files:
        assert len(f.sha256) == 64, f.path
        if f.role in (IGNORED, UNUSABLE):
            assert f.note, f.path


def test_ledgers_merge_the_office_ledger_first_and_a_correction_after_its_return(sample):
    order = [p.relative_to(DATA).as_posix() for p in sample.ledgers]
    assert order[0] == "台账/鹤岗市信用分级分类监管工作推进台账.xlsx"
    assert order[-1] == "returns/市商务局_11月_更正.xlsx"
    assert order.index("returns/市商务局_11月.xlsx") < order.index(
        "returns/市商务局_11月_更正.xlsx"
    )
    by_path = {f.path: f.order for f in sample.files}
    assert [by_path[p] for p in sample.ledgers] == list(range(1, len(sample.ledgers) + 1))


def test_a_second_download_of_a_return_is_merged_after_the_first(tmp_path):
    # Trial: 市人社局12月.xlsx, then the resend saved by the browser as 市人社局12月(1).xlsx
    # and 市人社局12月 (2).xlsx: path order put the first draft last, and it won.
    head = ["实施部门", "分级分类领域", "2022年12月"]
    for name, text in [
        ("市人社局12月.xlsx", "初稿"),
        ("市人社局12月(1).xlsx", "检查 172 家"),
        ("市人社局12月 (2).xlsx", "终稿：检查 172 家"),
        ("市人社局12月（更正）.xlsx", "更正：检查 172 家"),
        ("市民政局.xlsx", "检查 3 家"),
    ]:
        xlsx(tmp_path / name, [head, [name[:4], "", text]])
    p = place(tmp_path)
    assert [path.name for path in p.ledgers] == [
        "市人社局12月.xlsx",
        "市人社局12月(1).xlsx",
        "市人社局12月 (2).xlsx",
        "市民政局.xlsx",
        "市人社局12月（更正）.xlsx",  # a correction still comes after every return
    ]


def test_the_tax_and_public_lists_are_known_by_headers_and_grades_not_names(tmp_path):
    # File names that say nothing: the tax list by its headers and its M grade, the
    # public list by its title and A–D grades.
    shutil.copy(TAX_FILE, tmp_path / "data1.xlsx")
    shutil.copy(PUBLIC_FILE, tmp_path / "data2.xlsx")
    shutil.copy(MASTER, tmp_path / "a.xlsx")
    got = roles(place(tmp_path), tmp_path)
    assert got == {"data1.xlsx": TAX, "data2.xlsx": PUBLIC, "a.xlsx": LEDGER}


def test_a_misleading_name_does_not_make_a_file_what_it_says(tmp_path):
    # A ledger named like a public evaluation is still a ledger.
    shutil.copy(MASTER, tmp_path / "鹤岗市2022年度公共信用评价结果.xlsx")
    p = place(tmp_path)
    assert [f.role for f in p.files] == [LEDGER] and p.public is None


def test_files_that_fit_nowhere_are_reported_with_the_reason(tmp_path):
    shutil.copy(MASTER, tmp_path / "台账.xlsx")
    xlsx(tmp_path / "通讯录.xlsx", [["姓名", "电话"], ["张三", "3355529"]])
    # Codes and grades, but nothing says what list it is.
    xlsx(
        tmp_path / "名单.xlsx",
        [["统一社会信用代码", "等级"], *([c, "A"] for c in CODES)],
    )
    (tmp_path / "说明.txt").write_text("请于20日前报送。\n", encoding="utf-8")
    (tmp_path / "通知.docx").write_bytes(b"PK\x03\x04 not really")
    (tmp_path / "附件.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    (tmp_path / "~$台账.xlsx").write_bytes(b"lock")
    (tmp_path / "表.et").write_bytes(b"\xd0\xcf\x11\xe0")
    p = place(tmp_path)
    found = {f.path.name: f for f in p.files}
    assert found["台账.xlsx"].role == LEDGER
    assert found["通讯录.xlsx"].role == UNUSABLE
    assert "既不是台账" in found["通讯录.xlsx"].note
    assert found["名单.xlsx"].role == UNUSABLE
    assert "无法确定这份名单属于哪个领域" in found["名单.xlsx"].note
    assert found["附件.zip"].role == UNUSABLE and "解压" in found["附件.zip"].note
    assert found["表.et"].role == UNUSABLE and "另存为 .xlsx" in found["表.et"].note
    assert (found["说明.txt"].role, found["通知.docx"].role, found["~$台账.xlsx"].role) == (
        IGNORED,
        IGNORED,
        IGNORED,
    )
    assert "锁文件" in found["~$台账.xlsx"].note
    # Each unusable file is one problem naming it; nothing ignored is a problem.
    assert sorted(Path(e.file).name for e in p.problems) == [
        "名单.xlsx",
        "表.et",
        "通讯录.xlsx",
        "附件.zip",
    ]


def test_two_files_for_one_role_are_reported_and_the_option_decides(tmp_path):
    shutil.copy(MASTER, tmp_path / "台账.xlsx")
    shutil.copy(PUBLIC_FILE, tmp_path / "公共信用评价结果.xlsx")
    (tmp_path / "下载").mkdir()
    shutil.copy(PUBLIC_FILE, tmp_path / "下载" / "评价结果(1).xlsx")
    shutil.copy(TAX_FILE, tmp_path / "纳税.xlsx")
    p = place(tmp_path)
    assert p.public is None
    got = roles(p, tmp_path)
    assert got["公共信用评价结果.xlsx"] == got["下载/评价结果(1).xlsx"] == UNUSABLE
    # One problem per file, naming the file and the one it ties with (trial: one problem
    # for both made `file` read "a、b" and the month count two files as one).
    first, second = p.problems
    assert (first.file, second.file) == (
        str(tmp_path / "下载" / "评价结果(1).xlsx"),
        str(tmp_path / "公共信用评价结果.xlsx"),
    )
    assert first.message.startswith(f"与 {tmp_path / '公共信用评价结果.xlsx'} 都可能是")
    for problem in p.problems:
        assert "都可能是公共信用评价结果" in problem.message and "--public" in problem.message
    assert p.double_a_problems == p.problems
    assert p.double_a_gap() == "公共信用评价结果有 2 份，请用 --public 指定"
    assert got["纳税.xlsx"] == TAX  # the other roles are still placed

    chosen = tmp_path / "下载" / "评价结果(1).xlsx"
    p = place(tmp_path, public=chosen)
    got = roles(p, tmp_path)
    assert got["下载/评价结果(1).xlsx"] == PUBLIC and p.public is not None
    assert got["公共信用评价结果.xlsx"] == IGNORED
    assert "--public 指定了" in p.found(tmp_path / "公共信用评价结果.xlsx").note
    assert p.problems == []


def test_an_earlier_years_evaluation_is_told_apart_by_its_year(tmp_path):
    shutil.copy(MASTER, tmp_path / "台账.xlsx")
    shutil.copy(PUBLIC_FILE, tmp_path / "本年.xlsx")
    public_list(tmp_path / "上年.xlsx", 2021)
    p = place(tmp_path)
    got = roles(p, tmp_path)
    assert got["本年.xlsx"] == PUBLIC and got["上年.xlsx"] == IGNORED
    assert "2021年度" in p.found(tmp_path / "上年.xlsx").note
    assert p.problems == []
    # Without a year to tell them apart, the clerk is asked.
    public_list(tmp_path / "上年.xlsx", 2022)
    p = place(tmp_path)
    assert p.public is None and "请用 --public 指定" in p.problems[0].message


def test_last_years_double_a_list_is_older_than_this_years_evaluation(tmp_path):
    shutil.copy(TAX_FILE, tmp_path / "纳税.xlsx")
    shutil.copy(PUBLIC_FILE, tmp_path / "公共.xlsx")
    shutil.copy(PREVIOUS_FILE, tmp_path / "上年双A.xlsx")
    # This year's double-A list (say, an earlier output copied in) is not last year's.
    xlsx(
        tmp_path / "2022年双A企业.xlsx",
        [
            ["序号", "统一社会信用代码", "企业名称"],
            *([i, c, f"企业{i}"] for i, c in enumerate(CODES)),
        ],
        sheet="双A企业",
    )
    p = place(tmp_path)
    got = roles(p, tmp_path)
    assert got["上年双A.xlsx"] == PREVIOUS and p.previous is not None
    assert got["2022年双A企业.xlsx"] == IGNORED
    assert "不是上年" in p.found(tmp_path / "2022年双A企业.xlsx").note
    assert p.problems == []


def test_earlier_months_ledgers_are_history_and_merged_first(tmp_path):
    shutil.copy(MASTER, tmp_path / "台账.xlsx")
    xlsx(
        tmp_path / "往月" / "9月台账.xlsx",
        [
            ["序号", "实施部门", "分级分类领域", "2022年8月", "2022年9月"],
            [1, "市税务局", "纳税企业", "开展评价 5 户", "无"],
        ],
    )
    history = tmp_path.parent / f"{tmp_path.name}_history"
    xlsx(
        history / "10月.xlsx",
        [
            ["序号", "实施部门", "分级分类领域", "2022年10月"],
            [2, "鹤岗海关", "海关企业", "培育 1 家"],
        ],
    )
    xlsx(history / "杂项.xlsx", [["姓名", "电话"], ["张三", "1"]])
    p = place(tmp_path, history=history)
    got = {f.path.name: f.role for f in p.files}
    assert got == {
        "台账.xlsx": LEDGER,
        "9月台账.xlsx": HISTORY,
        "10月.xlsx": HISTORY,
        "杂项.xlsx": IGNORED,
    }
    assert [x.name for x in p.ledgers] == ["9月台账.xlsx", "10月.xlsx", "台账.xlsx"]


def test_our_own_outputs_and_the_output_folder_are_not_inputs(tmp_path):
    shutil.copy(MASTER, tmp_path / "台账.xlsx")
    out = tmp_path / "结果" / "2022-11"
    out.mkdir(parents=True)
    shutil.copy(MASTER, out / "合并台账.xlsx")  # inside the output folder: not looked at
    summary = xlsx(tmp_path / "上月汇总.xlsx", [["序号"]], sheet="总览")
    wb = openpyxl.load_workbook(summary)
    for name in ("填报情况", "等级分布", "说明"):
        wb.create_sheet(name).append(["序号", "实施部门", "分级分类领域", "2022年10月"])
    wb.save(summary)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.xlsx").write_bytes(b"")
    p = place(tmp_path, skip=[out])
    got = roles(p, tmp_path)
    assert got["台账.xlsx"] == LEDGER
    assert got["上月汇总.xlsx"] == IGNORED and "汇总工作簿" in p.found(summary).note
    assert got["结果/2022-11"] == IGNORED and ".git" in got
    assert "结果/2022-11/合并台账.xlsx" not in got
    assert p.ledgers == [tmp_path / "台账.xlsx"]


def test_a_list_whose_grade_column_holds_no_levels_is_an_ungraded_list(tmp_path):
    xlsx(
        tmp_path / "市应急局_安全生产领域重点监管企业名单.xlsx",
        [
            ["鹤岗市安全生产领域重点监管企业名单"],
            ["序号", "单位名称", "统一社会信用代码", "行业类别"],
            *([i, f"企业{i}", c, "危险化学品"] for i, c in enumerate(CODES, 1)),
        ],
    )
    p = place(tmp_path)
    (f,) = p.files
    assert f.role == IGNORED and "没有本领域的等级" in f.note and "安全生产领域" in f.note
    assert p.lists == [] and p.problems == []


def test_an_unreadable_spreadsheet_is_unusable_with_the_fix(tmp_path):
    (tmp_path / "坏.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)  # a cut-off download
    (tmp_path / "空.csv").write_bytes(b"")
    p = place(tmp_path)
    got = {f.path.name: f for f in p.files}
    assert got["坏.xlsx"].role == UNUSABLE and "另存为" in got["坏.xlsx"].note
    assert got["空.csv"].role == UNUSABLE and "重新导出" in got["空.csv"].note
    assert len(p.problems) == 2


def test_an_explicit_list_outside_the_folder_is_used(tmp_path):
    shutil.copy(MASTER, tmp_path / "台账.xlsx")
    p = place(tmp_path, tax=TAX_FILE, public=PUBLIC_FILE)
    assert p.tax is not None and p.public is not None
    assert {f.path: f.role for f in p.files}[TAX_FILE] == TAX
    assert "由 --tax 指定" in p.found(TAX_FILE).note
    missing = tmp_path / "没有.xlsx"
    p = place(tmp_path, public=missing, tax=TAX_FILE)
    assert p.public is None and [e.file for e in p.problems] == [str(missing)]


def test_a_list_only_its_grades_place_is_a_list_with_a_note(tmp_path):
    # Trial (December): a postal list (A–E) naming no domain made the month unusable.
    xlsx(
        tmp_path / "名单" / "快递网点信用等级名单.xlsx",
        [
            ["快递末端网点信用等级评定结果"],
            ["序号", "网点名称", "统一社会信用代码", "评定等级"],
            *([i, f"网点{i}", c, g] for i, (c, g) in enumerate(zip(CODES, "AEB", strict=True), 1)),
        ],
    )
    p = place(tmp_path)
    (f,) = p.files
    assert f.role == LIST and p.problems == []
    assert f.note.startswith("邮政快递企业（3 行）") and "按等级认出" in f.note
    (count,) = p.lists
    assert count.counts == {"A": 1, "B": 1, "E": 1}


def _zip(path: Path, members: dict[str, bytes], utf8: bool = True, names: str = "gbk") -> Path:
    """A zip whose member names are flagged UTF-8, or (``utf8`` False) written in
    ``names`` without the flag, as Windows (GBK) or Linux/macOS ``zip`` (UTF-8) do."""
    import zipfile

    raw: dict[bytes, bytes] = {}  # zipfile flags any non-ASCII name: write a stand-in
    with zipfile.ZipFile(path, "w") as zf:
        for i, (name, data) in enumerate(members.items()):
            if utf8:
                zf.writestr(name, data)
                continue
            written = name.encode(names)
            stand_in = f"{i:03d}".encode().ljust(len(written), b"#")
            raw[stand_in] = written
            zf.writestr(stand_in.decode(), data)
    packed = path.read_bytes()
    for stand_in, written in raw.items():
        packed = packed.replace(stand_in, written)  # same length: offsets stay right
    path.write_bytes(packed)
    return path


@pytest.mark.parametrize("names", ["gbk", "utf-8"])
def test_a_zip_names_the_tables_it_holds_as_they_were_written(tmp_path, names):
    # Trial: a zip made with `zip` on Linux (UTF-8 names, no flag) said
    # "其中 σòåσèíσ▒Ç.xlsx 没有解压到这个文件夹".
    shutil.copy(MASTER, tmp_path / "台账.xlsx")
    _zip(tmp_path / "报送.zip", {"市商务局12月.xlsx": b"x" * 10}, utf8=False, names=names)
    got = {f.path.name: f for f in place(tmp_path).files}
    assert got["报送.zip"].role == UNUSABLE
    assert "其中 市商务局12月.xlsx 没有解压到这个文件夹" in got["报送.zip"].note


def test_a_zip_already_unpacked_in_the_folder_is_no_input(tmp_path):
    # Trial (December): the zip the returns came in, left beside them, stopped the circular.
    master = (tmp_path / "报送" / "台账.xlsx").parent
    master.mkdir()
    shutil.copy(MASTER, master / "台账.xlsx")
    data = (master / "台账.xlsx").read_bytes()
    _zip(tmp_path / "附件.zip", {"台账.xlsx": data, "说明.docx": b"x"}, utf8=False)
    _zip(tmp_path / "只有文档.zip", {"通知.docx": b"x"})
    _zip(tmp_path / "另一份.zip", {"台账.xlsx": data, "市商务局_更正.xlsx": data + b"x"})
    p = place(tmp_path)
    got = {f.path.name: f for f in p.files}
    assert got["附件.zip"].role == IGNORED
    assert "1 个表格都已解压在文件夹中" in got["附件.zip"].note
    assert got["只有文档.zip"].role == IGNORED and "没有表格文件" in got["只有文档.zip"].note
    # A table not in the folder (here: not the same bytes) keeps the zip an unusable input.
    assert got["另一份.zip"].role == UNUSABLE
    assert (
        "市商务局_更正.xlsx 没有解压到这个文件夹（其余 1 个已在文件夹中）" in got["另一份.zip"].note
    )
    assert [Path(e.file).name for e in p.problems] == ["另一份.zip"]


def test_an_office_document_named_as_a_workbook_says_what_it_is_and_what_to_do(tmp_path):
    # Trial (December): a Word document saved as .xlsx; in a month's folder the fix is to
    # have it sent as a table, or to move it out (it still stops the circular: it may be a
    # department's return).
    shutil.copy(MASTER, tmp_path / "台账.xlsx")
    _zip(tmp_path / "通知.xlsx", {"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
    _zip(tmp_path / "汇报.xls", {"ppt/presentation.xml": b"<p/>"})
    (tmp_path / "图.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)  # no document
    p = place(tmp_path)
    got = {f.path.name: f for f in p.files}
    assert got["通知.xlsx"].role == UNUSABLE
    assert got["通知.xlsx"].note.startswith("这是Word 文档（.docx），只是扩展名为 .xlsx")
    assert got["通知.xlsx"].note.endswith("如不是，请把它移出这个文件夹")
    assert got["汇报.xls"].role == UNUSABLE and "演示文稿" in got["汇报.xls"].note
    assert got["图.xlsx"].role == UNUSABLE and "图片" in got["图.xlsx"].note
    assert sorted(Path(e.file).name for e in p.problems) == ["图.xlsx", "汇报.xls", "通知.xlsx"]


def test_a_lists_year_is_the_year_it_evaluates_not_the_date_it_was_exported(tmp_path):
    # The tax bureau's export: 评价年度：2022 beside the export time 2023-04-12; the
    # platform's: data up to 2022年12月31日, exported on 2023-01-05 (only in the file name).
    shutil.copy(MASTER, tmp_path / "台账.xlsx")
    tax = xlsx(
        tmp_path / "纳税信用评价结果导出_20230412.xlsx",
        [
            ["纳税信用评价结果"],
            ["评价年度：2022    导出时间：2023-04-12 09:31:05"],
            ["序号", "纳税人识别号", "纳税人名称", "评价年度", "信用级别", "主管税务机关"],
            *(
                [i, c, f"企业{i}", "2022", "AB"[i % 2], "国家税务总局萝北县税务局"]
                for i, c in enumerate(CODES)
            ),
        ],
    )
    public = xlsx(
        tmp_path / "公共信用综合评价结果_导出2023-01-05.xlsx",
        [
            ["鹤岗市市场主体公共信用综合评价结果（数据截至：2022年12月31日）"],
            ["序号", "统一社会信用代码", "市场主体名称", "综合得分", "评价等级"],
            *([i, c, f"企业{i}", 900 - i, "AB"[i % 2]] for i, c in enumerate(CODES, 1)),
        ],
    )
    p = place(tmp_path)
    assert (p.found(tax).role, p.found(tax).year) == (TAX, 2022)
    assert (p.found(public).role, p.found(public).year) == (PUBLIC, 2022)
    assert p.found(tax).note.startswith("2022年度")
    assert p.year == 2022
