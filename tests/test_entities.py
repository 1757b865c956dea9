from __future__ import annotations

import gc
from pathlib import Path

import openpyxl
import pytest

from hgcredit.entities.lists import (
    ListSpec,
    gc_paused,
    note_code_sources,
    parse_column_options,
    read_list,
    read_list_sheets,
    read_lists,
    resolve_columns,
    role_columns,
)
from hgcredit.errors import EncodingError, HeaderError, OptionError, ReadError

CODE = "91110000600037341L"


def xlsx(path: Path, rows: list[list[object]], merge: str | None = None, sheets: int = 1) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    for i in range(1, sheets):
        wb.create_sheet(f"其他{i}")
    wb.save(path)
    return path


def test_header_found_under_title_rows(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "p.xlsx",
        [
            ["鹤岗市2022年度公共信用评价结果"],
            ["数据截至：2022年10月31日", "单位：户"],
            ["序号", "统一社会信用代码", "市场主体名称", "所属区县", "综合得分", "信用等级"],
            [1, CODE, "甲公司", "向阳区", 900, "A"],
        ],
    )
    lst = read_list(ListSpec(path, "公共信用评价名单"))
    assert lst.header_row == 3
    assert lst.columns == {"code": 1, "name": 2, "grade": 5, "county": 3, "score": 4}
    assert lst.row_numbers == [4]
    assert lst.cells["code"] == [CODE]
    assert lst.where(0).endswith("[名单] 第4行")


def test_a_title_naming_the_code_column_is_not_the_header(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "prev.xlsx",
        [["2021年双A企业名单（统一社会信用代码）"], ["统一社会信用代码", "企业名称"], [CODE, "甲"]],
        merge="A1:B1",
    )
    lst = read_list(ListSpec(path, "上年双A名单", required=("code",)))
    assert (lst.header_row, lst.cells["code"]) == (2, [CODE])


def test_columns_by_exact_name_before_containment() -> None:
    header = ["纳税人识别号", "主管税务机关名称", "纳税人名称", "评价年度", "纳税信用级别"]
    # 主管税务机关名称 holds 名称 but is the tax office; 纳税人名称 is a name exactly.
    # 评价年度 is the evaluation year of each row.
    assert resolve_columns(header) == {"code": 0, "name": 2, "grade": 4, "office": 1, "year": 3}


def test_columns_named_by_the_clerk(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "t.xlsx", [["识别号", "户名", "结果"], [CODE, "甲", "A"]])
    with pytest.raises(HeaderError):
        read_list(ListSpec(path, "纳税信用名单"))
    columns = parse_column_options(["代码=识别号", "名称=户名", "grade=C"], "--tax-col")
    assert columns == {"code": "识别号", "name": "户名", "grade": "C"}
    lst = read_list(ListSpec(path, "纳税信用名单", columns=columns))
    assert lst.columns == {"code": 0, "name": 1, "grade": 2}
    assert lst.cells["grade"] == ["A"]


@pytest.mark.parametrize("bad", ["代码", "颜色=红", "代码="])
def test_bad_column_option(bad: str) -> None:
    with pytest.raises(OptionError, match="--tax-col"):
        parse_column_options([bad], "--tax-col")


def test_missing_column_lists_the_columns_found(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "t.xlsx", [["标题"], ["序号", "纳税人识别号", "纳税人名称"], [1, CODE, "甲"]]
    )
    spec = ListSpec(path, "纳税信用名单", option_hint="--tax-col")
    with pytest.raises(HeaderError) as err:
        read_list(spec)
    message = str(err.value)
    assert "纳税信用名单中找不到等级列" in message
    assert "找到的列：序号、纳税人识别号、纳税人名称" in message
    assert "--tax-col" in message and str(path) in message


def test_no_header_at_all(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "t.xlsx", [["只有一行说明"]])
    with pytest.raises(HeaderError, match="找到的列：（无）"):
        read_list(ListSpec(path, "纳税信用名单"))


def test_sheet_with_the_columns_is_used(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["说明"])
    ws = wb.create_sheet("双A企业")
    ws.append(["统一社会信用代码", "企业名称"])
    ws.append([CODE, "甲"])
    wb.save(tmp_path / "prev.xlsx")
    lst = read_list(ListSpec(tmp_path / "prev.xlsx", "上年双A名单", required=("code",)))
    assert (lst.sheet, lst.cells["code"]) == ("双A企业", [CODE])


def test_merged_county_cells_are_filled(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "p.xlsx",
        [
            ["区县", "统一社会信用代码", "等级"],
            ["萝北县", CODE, "A"],
            [None, "91110000600037342X", "B"],
        ],
        merge="A2:A3",
    )
    assert list(read_list(ListSpec(path, "x")).cells["county"]) == ["萝北县", "萝北县"]


def test_csv_in_gbk_with_ragged_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    text = (
        "纳税人识别号,纳税人名称,纳税信用级别\n" + f"{CODE},鹤岗市甲公司,A\n" + "230402123456789\n"
    )
    path.write_bytes(text.encode("gb18030"))
    lst = read_list(ListSpec(path, "纳税信用名单"))
    assert lst.column("name")[0:2] == ["鹤岗市甲公司", ""]  # read from the rows on demand
    assert {role: list(values) for role, values in lst.cells.items()} == {
        "code": [CODE, "230402123456789"],
        "name": ["鹤岗市甲公司", ""],
        "grade": ["A", ""],
    }
    assert lst.row_numbers == [2, 3]


def test_csv_utf8_bom_semicolons_and_a_title_line(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        f"2022年度评价结果\n代码;名称;等级\n{CODE};甲;A\n\n91110000600037342X;乙;B\n".replace(
            "代码", "统一社会信用代码"
        ),
        encoding="utf-8-sig",
    )
    lst = read_list(ListSpec(path, "x"))
    assert lst.header_row == 2
    assert lst.row_numbers == [3, 5]  # the blank line is skipped, numbering kept


def test_forced_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("纳税人识别号,等级\n".encode("gb18030"))
    with pytest.raises(EncodingError, match="不能按 utf-8 解码"):
        read_list(ListSpec(path, "x", encoding="utf-8"))


def test_read_lists_reports_bad_files_and_reads_good_ones(tmp_path: Path) -> None:
    good = xlsx(tmp_path / "good.xlsx", [["统一社会信用代码", "等级"], [CODE, "A"]])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    lists, errors = read_lists(
        [ListSpec(good, "a"), ListSpec(broken, "b"), ListSpec(tmp_path / "none.csv", "c")]
    )
    assert lists[0] is not None and lists[1] is None and lists[2] is None
    assert [type(e) for e in errors] == [ReadError, ReadError]
    assert "broken.xlsx" in str(errors[0]) and "文件不存在" in str(errors[1])


def test_gc_pause_nests_and_restores() -> None:
    assert gc.isenabled()
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods", ".csv", ".tsv", ".txt"])
def test_every_format_the_readers_know(tmp_path: Path, suffix: str) -> None:
    import pandas as pd

    rows = [["2022年度评价结果", "", ""], ["统一社会信用代码", "企业名称", "信用等级"]]
    rows += [[CODE, "鹤岗市甲公司", "A"], ["230402123456789", "乙", "B"]]
    path = tmp_path / f"list{suffix}"
    frame = pd.DataFrame(rows)
    if suffix in (".csv", ".tsv", ".txt"):
        sep = "," if suffix == ".csv" else "\t"
        frame.to_csv(path, sep=sep, header=False, index=False, encoding="gb18030")
    elif suffix == ".xls":
        import xlwt

        book = xlwt.Workbook()
        sheet = book.add_sheet("名单")
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                sheet.write(i, j, value)
        book.save(str(path))
    else:
        frame.to_excel(path, header=False, index=False, engine="odf" if suffix == ".ods" else None)
    lst = read_list(ListSpec(path, "公共信用评价名单"))
    assert lst.header_row == 2
    assert lst.cells["code"] == [CODE, "230402123456789"]
    assert lst.cells["grade"] == ["A", "B"]
    assert list(lst.cells["name"]) == ["鹤岗市甲公司", "乙"]


@pytest.mark.parametrize("encoding", ["nope", "base64"])
def test_unknown_or_non_text_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text("统一社会信用代码,等级\n", encoding="utf-8")
    with pytest.raises(EncodingError, match=f"未知编码“{encoding}”"):
        read_list(ListSpec(path, "x", encoding=encoding))


def test_header_over_two_rows_with_merged_cells(tmp_path: Path) -> None:
    # 评价结果 spans 等级/得分 on the row below; the other headers are merged down.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2022年度公共信用评价结果"])
    ws.append(["序号", "统一社会信用代码", "企业名称", "评价结果", None])
    ws.append([None, None, None, "等级", "得分"])
    ws.append([1, CODE, "甲", "A", 91])
    for col in "ABC":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("D2:E2")
    wb.save(tmp_path / "p.xlsx")
    lst = read_list(ListSpec(tmp_path / "p.xlsx", "公共信用评价名单"))
    assert lst.columns == {"code": 1, "name": 2, "grade": 3, "score": 4}
    assert lst.row_numbers == [4]
    assert lst.cells["grade"] == ["A"]


def test_header_over_two_rows_with_the_grade_only_on_the_first(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        f"序号,基本信息,,评价等级\n,企业名称,统一社会信用代码,\n1,甲,{CODE},A\n", encoding="utf-8"
    )
    lst = read_list(ListSpec(path, "公共信用评价名单"))
    assert lst.columns == {"code": 2, "name": 1, "grade": 3}
    assert (lst.header_row, lst.row_numbers, lst.cells["grade"]) == (1, [3], ["A"])


def test_a_data_row_with_header_words_is_not_a_second_header_row(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(f"统一社会信用代码,企业名称,等级\n,名称,A\n{CODE},甲,A\n", encoding="utf-8")
    lst = read_list(ListSpec(path, "公共信用评价名单"))
    assert lst.row_numbers == [2, 3]  # a row with a grade value is data, not header


def test_a_list_of_codes_under_a_one_cell_header(tmp_path: Path) -> None:
    path = tmp_path / "prev.csv"
    path.write_text(f"统一社会信用代码\n{CODE}\n230402123456789\n", encoding="utf-8")
    lst = read_list(ListSpec(path, "上年双A名单", required=("code",)))
    assert (lst.header_row, lst.cells["code"]) == (1, [CODE, "230402123456789"])


def test_a_list_of_codes_without_a_header(tmp_path: Path) -> None:
    path = tmp_path / "prev.csv"
    path.write_text(f"{CODE}\n 91110000600037342X \n230402123456789\n", encoding="utf-8")
    lst = read_list(ListSpec(path, "上年双A名单", required=("code",)))
    assert (lst.header_row, lst.row_numbers) == (0, [1, 2, 3])
    assert lst.cells["code"] == [CODE, " 91110000600037342X ", "230402123456789"]
    with pytest.raises(HeaderError):  # a list that needs a grade still needs its header
        read_list(ListSpec(path, "纳税信用名单"))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_list_with_only_its_header(tmp_path: Path, suffix: str) -> None:
    rows = [["标题"], ["统一社会信用代码", "企业名称", "等级"], ["合计", "", ""]]
    path = tmp_path / f"p{suffix}"
    if suffix == ".csv":
        path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    else:
        xlsx(path, rows)
    assert len(read_list(ListSpec(path, "上年双A名单", required=("code",)))) == 1  # 合计
    empty = tmp_path / f"e{suffix}"
    if suffix == ".csv":
        empty.write_text("统一社会信用代码,等级\n\n", encoding="utf-8")
    else:
        xlsx(empty, rows[:2])
    assert len(read_list(ListSpec(empty, "x"))) == 0
    with pytest.raises(ReadError, match="公共信用评价名单只有表头，没有数据行"):
        read_list(ListSpec(empty, "公共信用评价名单", allow_empty=False))


def test_the_tax_office_column_is_found_beside_the_roles(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "t.xlsx",
        [
            ["纳税人识别号", "纳税人名称", "纳税信用级别", "主管税务机关"],
            [CODE, "甲", "A", "国家税务总局萝北县税务局"],
        ],
    )
    lst = read_list(ListSpec(path, "纳税信用名单"))
    assert lst.columns == {"code": 0, "name": 1, "grade": 2, "office": 3}
    assert list(lst.cells["office"]) == ["国家税务总局萝北县税务局"]
    with_county = xlsx(
        tmp_path / "c.xlsx",
        [["统一社会信用代码", "等级", "所属税务机关", "区县"], [CODE, "A", "x", "萝北县"]],
    )
    assert "office" not in read_list(ListSpec(with_county, "x")).columns  # the county wins


# ---------------------------------------------------------------- one reader, one vocabulary

REGISTRY_TOML = Path(__file__).resolve().parent.parent / "hgcredit" / "registry.toml"


def own_registry(tmp_path: Path, *edits: tuple[str, str]):
    """The packaged registry with some lines changed, loaded as an office's own file."""
    from hgcredit.registry import load_registry

    text = REGISTRY_TOML.read_text("utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "mine.toml"
    path.write_text(text, "utf-8")
    return load_registry(path)


def graded_list(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    """A list under a title row (a file name that names the tax domain, for ratings)."""
    return xlsx(path, [["鹤岗市2022年度名单"], header, *rows])


CODES = [CODE, "91110000600037342X"]


def public_list(tmp_path: Path) -> Path:
    return xlsx(tmp_path / "公共.xlsx", [["统一社会信用代码", "信用等级"], [CODE, "A"]])


@pytest.mark.parametrize(
    ("header", "code", "grade"),
    [
        (["序号", "纳税人识别号", "纳税人名称", "纳税信用级别"], 1, 3),
        (["统一社会信用代码", "企业名称", "所属区县", "信用等级"], 0, 3),
        (["评定时间", "企业信用等级", "社会信用代码（18位）"], 2, 1),
        (["部门代码", "信用代码", "评价结果", "备注"], 1, 2),
    ],
)
def test_rating_lists_and_double_a_lists_find_columns_by_one_vocabulary(
    tmp_path: Path, header: list[str], code: int, grade: int
) -> None:
    from hgcredit.doublea.job import double_a
    from hgcredit.ratings.lists import classify, count_lists
    from hgcredit.registry import load_registry

    width = len(header)
    rows = []
    for c, g in zip(CODES, ["A", "B"], strict=True):
        row: list[object] = ["2022-10-31"] * width
        row[code], row[grade] = c, g
        rows.append(row)
    path = graded_list(tmp_path / "纳税企业_信用等级名单.xlsx", header, rows)
    reg = load_registry()
    # The double-A job reads it as its tax list ...
    result = double_a(path, path, registry=reg)
    assert result.tax.columns["代码"] == header[code]
    assert result.tax.columns["等级"] == header[grade]
    assert [e.code for e in result.enterprises] == [CODE]
    # ... and ratings reads the same file as a graded list, with the same columns.
    kind, (lst,) = classify(path, reg)
    assert kind == "list"
    assert (lst.columns["code"], lst.columns["grade"]) == (code, grade)
    (counted,) = count_lists([lst], reg)
    assert counted.counts == {"A": 1, "B": 1}


def test_an_offices_own_header_word_is_honoured_by_both_readers(tmp_path: Path) -> None:
    from hgcredit.doublea.job import double_a
    from hgcredit.ratings.rate import rate_files
    from hgcredit.registry import load_registry

    header = ["证照号码", "企业名称", "信用状况"]
    path = graded_list(tmp_path / "纳税企业_名单.xlsx", header, [[CODE, "甲", "A"]])
    with pytest.raises(HeaderError, match="纳税信用名单中找不到代码列") as err:
        double_a(path, public_list(tmp_path), registry=load_registry())
    assert """请用 tax_columns 指定，如 tax_columns={'代码': '纳税人识别码'}""" in str(err.value)
    (error,) = rate_files([path], "2022-10", load_registry()).errors
    assert "既不是台账" in error.message
    mine = own_registry(
        tmp_path,
        ('code = ["统一社会信用代码",', 'code = ["证照号码", "统一社会信用代码",'),
        ('grade = ["信用等级",', 'grade = ["信用状况", "信用等级",'),
    )
    result = double_a(path, path, registry=mine)
    assert (result.tax.columns["代码"], result.public.columns["等级"]) == ("证照号码", "信用状况")
    assert [e.code for e in result.enterprises] == [CODE]
    report = rate_files([path], "2022-10", mine)
    assert report.errors == []
    assert [(d.domain.domain, d.counts) for d in report.domains] == [("纳税企业", {"A": 1})]


def test_a_header_ruled_out_by_headers_not_is_no_column_for_either(tmp_path: Path) -> None:
    from hgcredit.ratings.lists import classify

    header = ["统一社会信用代码", "等级评定日期", "评价等级"]
    path = graded_list(tmp_path / "纳税企业.xlsx", header, [[CODE, "2022-10-31", "A"]])
    assert read_list(ListSpec(path, "x")).columns == {"code": 0, "grade": 2}
    assert classify(path)[1][0].columns == {"code": 0, "grade": 2}
    assert role_columns(header, "grade") == [2]


def test_a_list_away_from_a1_keeps_its_rows_and_columns(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B3"], ws["C3"], ws["D3"] = "统一社会信用代码", "企业名称", "信用等级"
    ws["B4"], ws["C4"], ws["D4"] = CODE, "甲", "A"
    wb.save(tmp_path / "p.xlsx")
    lst = read_list(ListSpec(tmp_path / "p.xlsx", "x"))
    assert (lst.header_row, lst.row_numbers, lst.columns) == (
        3,
        [4],
        {"code": 1, "name": 2, "grade": 3},
    )
    assert lst.where(0, lst.columns["grade"]).endswith("[Sheet] 第4行 第D列")


def test_every_list_sheet_of_a_file_or_the_sheet_of_another_table(tmp_path: Path) -> None:
    from hgcredit.ledger.read import is_ledger_header

    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本文件含两份名单"])
    for name, grade in (("一", "A"), ("二", "B")):
        ws = wb.create_sheet(name)
        ws.append(["标题"])
        ws.append(["统一社会信用代码", "等级"])
        ws.append([CODE, grade])
    wb.save(tmp_path / "two.xlsx")
    found = read_list_sheets(ListSpec(tmp_path / "two.xlsx", "x", other_header=is_ledger_header))
    assert found.other is None
    assert [(lst.sheet, lst.title, lst.cells["grade"]) for lst in found.lists] == [
        ("一", ["标题"], ["A"]),
        ("二", ["标题"], ["B"]),
    ]
    ws = wb.create_sheet("台账", 1)
    ws.append(["序号", "实施部门", "分级分类领域", "2022年10月"])
    wb.save(tmp_path / "mixed.xlsx")
    found = read_list_sheets(ListSpec(tmp_path / "mixed.xlsx", "x", other_header=is_ledger_header))
    assert (found.lists, found.other) == ([], "台账")


# ---------------------------------------------------------------- group headings and notes

CODE_B = "91110000600037342X"


def _merged_xlsx(path: Path, rows: list[list[object]], merges: list[str]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in rows:
        ws.append(row)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def test_group_headings_merged_across_a_word_table_are_no_entities(tmp_path: Path) -> None:
    # Last year's double-A list as a Word table pasted into Excel: a title, the name merged
    # over two columns, county headings merged across the whole row, 序号 with a gap.
    path = _merged_xlsx(
        tmp_path / "prev.xlsx",
        [
            ["2021年度双A企业名单", None, None, None],
            ["序号", "企业名称", None, "统一社会信用代码"],
            ["萝北县（2户）", None, None, None],
            ["1", "萝北县甲公司", None, CODE],
            ["3", "萝北县乙公司", None, CODE_B],
            [None, None, None, None],
            ["绥滨县（1户）", None, None, None],
            ["4", "绥滨县丙公司", None, "91110000600037343P"],
        ],
        ["A1:D1", "B2:C2", "A3:D3", "B4:C4", "B5:C5", "A7:D7", "B8:C8"],
    )
    lst = read_list(ListSpec(path, "上年双A名单", required=("code",)))
    assert lst.row_numbers == [4, 5, 8]
    assert lst.cells["code"] == [CODE, CODE_B, "91110000600037343P"]
    assert lst.headings == [(3, "萝北县（2户）"), (7, "绥滨县（1户）")]
    assert [lst.text(i, lst.columns["name"]) for i in range(3)] == [
        "萝北县甲公司",
        "萝北县乙公司",
        "绥滨县丙公司",
    ]


def test_a_note_merged_under_the_table_is_no_entity(tmp_path: Path) -> None:
    path = _merged_xlsx(
        tmp_path / "public.xlsx",
        [
            ["鹤岗市2022年度公共信用综合评价结果", None, None],
            ["统一社会信用代码", "主体名称", "评价等级"],
            [CODE, "甲", "A"],
            [CODE_B, "乙", "B"],
            ["注：评价等级分为A、B、C、D四级。", None, None],
        ],
        ["A1:C1", "A5:C5"],
    )
    lst = read_list(ListSpec(path, "公共信用评价名单"))
    assert (len(lst), lst.cells["grade"]) == (2, ["A", "B"])
    assert lst.headings == [(5, "注：评价等级分为A、B、C、D四级。")]


def test_merges_that_are_not_headings_still_fill_their_cells(tmp_path: Path) -> None:
    # A county merged down a block, and a name merged over two columns: entity rows.
    path = _merged_xlsx(
        tmp_path / "p.xlsx",
        [
            ["区县", "企业名称", None, "统一社会信用代码", "等级"],
            ["萝北县", "甲", None, CODE, "A"],
            [None, "乙", None, CODE_B, "B"],
        ],
        ["B1:C1", "A2:A3", "B2:C2", "B3:C3"],
    )
    lst = read_list(ListSpec(path, "x"))
    assert (len(lst), lst.headings) == (2, [])
    assert list(lst.cells["county"]) == ["萝北县", "萝北县"]


@pytest.mark.parametrize(
    "heading",
    ["萝北县（12户）", "一、绿牌企业", "（二）向阳区", "A级企业（共30家）", "备注：以上为市本级"],
)
def test_a_heading_written_alone_in_one_cell_is_no_entity(tmp_path: Path, heading: str) -> None:
    # Not merged (a csv, or a table pasted as text): alone in its row, in the name column.
    path = tmp_path / "l.csv"
    path.write_text(
        f"企业名称,统一社会信用代码,等级\n{heading},,\n甲,{CODE},A\n乙,,B\n", encoding="utf-8"
    )
    lst = read_list(ListSpec(path, "x"))
    assert lst.headings == [(2, heading)]
    assert lst.row_numbers == [3, 4]  # 乙 has no code but a grade: an entity, reported later
    assert lst.cells["code"] == [CODE, ""]


def test_an_entity_named_alone_in_its_row_is_still_an_entity(tmp_path: Path) -> None:
    # A name without a code or grade is a row to report, not a heading.
    path = tmp_path / "l.csv"
    path.write_text(f"企业名称,统一社会信用代码,等级\n甲公司,,\n乙,{CODE},A\n", encoding="utf-8")
    lst = read_list(ListSpec(path, "x", row_roles=("code", "grade", "name")))
    assert (lst.row_numbers, lst.headings) == ([2, 3], [])


# ---------------------------------------------------------------- a second code column

LEGACY = CODE[2:17]
ORG = CODE[8:17]


def test_an_empty_code_cell_takes_a_code_from_another_code_column(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text(
        "单位名称,统一社会信用代码,组织机构代码,纳税人识别号,行政区划代码,信用等级\n"
        f"甲,{CODE},{ORG},,230402,A\n"  # the code column filled: kept as it is
        f"乙,,,{LEGACY},230402,B\n"  # a legacy id in another code column
        f"丙,,{ORG[:8]}-{ORG[8]},,230402,C\n"  # only the organisation code
        "丁,,,,230402,D\n",  # nothing but a division code: no code
        encoding="utf-8",
    )
    lst = read_list(ListSpec(path, "部门名单"))
    assert lst.columns["code"] == 1
    assert lst.cells["code"] == [CODE, LEGACY, f"{ORG[:8]}-{ORG[8]}", ""]
    assert lst.code_from == {3: "纳税人识别号", 4: "组织机构代码"}
    notes: dict[int, str] = {}
    note_code_sources(lst, notes)
    assert notes == {
        1: "“统一社会信用代码”为空，代码取自“纳税人识别号”列",
        2: "“统一社会信用代码”为空，代码取自“组织机构代码”列",
    }


def test_a_list_with_one_code_column_has_no_alternates(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text(f"企业名称,统一社会信用代码,等级\n甲,,A\n乙,{CODE},B\n", encoding="utf-8")
    lst = read_list(ListSpec(path, "x"))
    assert (lst.code_alternates, lst.code_from, lst.cells["code"]) == ([], {}, ["", CODE])


# ---------------------------------------------------------------- group headings as a column


def test_grade_headings_of_a_grouped_list_become_its_grade_column(tmp_path: Path) -> None:
    # A published notice pasted from Word: entities grouped under grade headings, no grade
    # column; a note under the table is no group.
    path = _merged_xlsx(
        tmp_path / "road.xlsx",
        [
            ["序号", "企业名称", "统一社会信用代码", "经营范围"],
            ["一、AAA级（优良）企业（1家）", None, None, None],
            [1, "甲", CODE, "货运"],
            ["二、AA级（合格）企业（2家）", None, None, None],
            [2, "乙", CODE_B, "货运"],
            [3, "丙", "91110000600037343P", "客运"],
            ["注：以上排名不分先后。", None, None, None],
        ],
        ["A2:D2", "A4:D4", "A7:D7"],
    )
    lst = read_list(ListSpec(path, "部门名单", required=("code",)))
    assert lst.columns["grade"] == 4 and lst.header[4] == "等级（分组标题）"
    assert lst.cells["grade"] == ["AAA级（优良）企业", "AA级（合格）企业", "AA级（合格）企业"]
    assert [lst.text(i, 4) for i in range(3)] == lst.cells["grade"]


def test_county_headings_become_a_county_column_unless_the_list_has_one(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["序号", "企业名称", "统一社会信用代码"],
        ["萝北县（1户）", None, None],
        [1, "甲", CODE],
        ["（二）绥滨县", None, None],
        [2, "乙", CODE_B],
    ]
    lst = read_list(
        ListSpec(_merged_xlsx(tmp_path / "a.xlsx", rows, ["A2:C2"]), "x", required=("code",))
    )
    assert "grade" not in lst.columns
    assert list(lst.cells["county"]) == ["萝北县", "绥滨县"]
    with_county = [
        [*r, c] for r, c in zip(rows, ["所属区县", None, "萝北县", None, "萝北县"], strict=True)
    ]
    lst = read_list(
        ListSpec(_merged_xlsx(tmp_path / "b.xlsx", with_county, ["A2:D2"]), "x", required=("code",))
    )
    assert list(lst.cells["county"]) == ["萝北县", "萝北县"]  # the list's own column
    assert "区县（分组标题）" not in lst.header


# ---------------------------------------------------------------- one evaluation year


def test_a_list_holding_several_evaluation_years_is_refused_naming_them(tmp_path: Path) -> None:
    # The tax bureau's export of 2021 and 2022 together: each taxpayer twice.
    rows = [["序号", "纳税人识别号", "纳税人名称", "评价年度", "信用级别"]]
    rows += [
        [str(i), CODE, "甲", year, grade]
        for i, (year, grade) in enumerate([("2021", "B"), ("2022", "A")], 1)
    ]
    path = tmp_path / "纳税.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(ReadError) as err:
        read_list(ListSpec(path, "纳税信用名单"))
    message = str(err.value)
    assert (
        "纳税信用名单中有几个年度的评价结果（“评价年度”列：2021 年度 1 行、2022 年度 1 行）"
        in message
    )
    assert "请只导出要用的那一年（或删去其他年度的行）" in message


def test_a_list_of_one_evaluation_year_keeps_its_year_column(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "t.xlsx",
        [
            ["纳税人识别号", "纳税人名称", "评价年度", "信用级别"],
            [CODE, "甲", 2022, "A"],
            [CODE_B, "乙", "2022年度", "B"],
        ],
    )
    lst = read_list(ListSpec(path, "纳税信用名单"))
    assert lst.columns == {"code": 0, "name": 1, "grade": 3, "year": 2}
    assert lst.cells["grade"] == ["A", "B"]


# ---------------------------------------------------------------- rows hidden by a filter


def test_a_list_whose_autofilter_hides_rows_is_refused_naming_them(tmp_path: Path) -> None:
    # A list filtered to 2022 in Excel and saved: the 2021 rows are still in the file. Read
    # all, the numbers would not be what the clerk sees; read as seen, a filter left on by
    # mistake would drop rows silently. Neither is guessed.
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "家政企业"
    ws.append(["鹤岗市家政企业信用评价结果"])
    ws.append(["序号", "企业名称", "统一社会信用代码", "评价年度", "信用等级"])
    ws.append([1, "甲", CODE, "2021", "B"])
    ws.append([2, "甲", CODE, "2022", "A"])
    ws.append([3, "乙", "91230403MA1B0002PC", "2021", "C"])
    ws.append([4, "乙", "91230403MA1B0002PC", "2022", "B"])
    ws.append(["注：本表由业务科汇总"])
    ws.auto_filter.ref = "A2:E6"
    ws.auto_filter.add_filter_column(3, ["2022"])
    for row in (3, 5):
        ws.row_dimensions[row].hidden = True
    ws.row_dimensions[7].hidden = True  # hidden by hand, outside the filter: not filtered
    path = tmp_path / "家政.xlsx"
    wb.save(path)
    with pytest.raises(ReadError) as err:
        read_list(ListSpec(path, "部门名单"))
    message = str(err.value)
    assert message.startswith(f"{path}[家政企业]：部门名单所在的工作表设置了筛选，隐藏了 2 行")
    assert "（第3行、第5行）" in message and "第7行" not in message
    assert "清除筛选后另存" in message and "复制到新工作簿另存" in message
    # The filter cleared (all rows shown), the same list is read.
    for row in (3, 5):
        ws.row_dimensions[row].hidden = False
    wb.save(path)
    with pytest.raises(ReadError, match="有几个年度"):  # now the two years are seen
        read_list(ListSpec(path, "部门名单"))


# ---------------------------------------------------------------- sign-off lines


def test_sign_off_lines_under_a_table_are_no_entities(tmp_path: Path) -> None:
    # 填表人 / 联系电话 / 审核 / 填报日期 in cells of their own under the rows: before, each
    # line was an entity with an empty code and an unknown grade (ratings: 不符).
    path = xlsx(
        tmp_path / "市林草局_林草监管领域.xlsx",
        [
            ["序号", "单位名称", "统一社会信用代码", "信用等级"],
            [1, "甲", CODE, "A级"],
            [None, None, None, None],
            ["填表人：张三", None, None, "联系电话：0468-1234567"],
            ["审核：", "李四", None, "填报日期：2023年1月5日"],
            ["填报单位（盖章）：鹤岗市林业和草原局"],
        ],
    )
    lst = read_list(ListSpec(path, "部门名单"))
    assert len(lst) == 1 and lst.row_numbers == [2]
    assert [n for n, _ in lst.headings] == [4, 5, 6]
    assert lst.header == ["序号", "单位名称", "统一社会信用代码", "信用等级"]  # no section column
    # A list without grades does not gain a grade column from its sign-off lines.
    ungraded = xlsx(
        tmp_path / "名单.xlsx",
        [["序号", "单位名称", "统一社会信用代码"], [1, "甲", CODE], ["制表人：赵六", None, None]],
    )
    lst = read_list(ListSpec(ungraded, "部门名单", required=("code",)))
    assert len(lst) == 1 and "grade" not in lst.columns


def test_sign_off_lines_under_a_list_without_codes_are_no_entities(tmp_path: Path) -> None:
    # Trial 5: in a list of names and grades (no code column) the sign-off lines were read
    # as entities ("联系电话：…" an unknown grade, "审核：" an entity graded "李四").
    first = [
        ["序号", "单位名称", "信用等级"],
        [1, "鹤岗市甲林场", "A级"],
        [2, "鹤岗市乙林场", "B级"],
        [None, None, None],
        ["填表人：张三", None, "联系电话：0468-1234567"],
        ["审核：", "李四", "填报日期：2023年1月5日"],
        ["填报单位（盖章）：鹤岗市林业和草原局"],
    ]
    second = [
        ["单位名称", "信用等级"],
        ["鹤岗市甲林场", "A级"],
        ["鹤岗市乙林场", "B级"],
        ["填表人：张三", "联系电话：0468-1234567"],
        ["审核：", "李四"],
    ]
    for signed_off, rows in (([5, 6, 7], first), ([4, 5], second)):
        path = xlsx(tmp_path / "市林草局_林草监管领域.xlsx", rows)
        lst = read_list(ListSpec(path, "部门名单", required=("name", "grade")))
        assert "code" not in lst.columns
        assert list(lst.column("name") or []) == ["鹤岗市甲林场", "鹤岗市乙林场"]
        assert list(lst.column("grade") or []) == ["A级", "B级"]
        assert [n for n, _ in lst.headings] == signed_off


def test_sign_off_lines_are_told_by_the_ledgers_footer_rule() -> None:
    # One rule for the lines under a table: what a ledger takes for its footer, a list
    # takes for its sign-off lines, and the other way round.
    from hgcredit.entities.lists import _is_sign_off
    from hgcredit.ledger.footers import footer_row

    for row in (
        ["填表人：张三", "", "", "联系电话：0468-1234567"],
        ["审核：", "李四", "", "填报日期：2023年1月5日"],
        ["填报单位（盖章）：鹤岗市林业和草原局"],
        ["统计人：王五", "责任人：赵六"],
        ["1", "鹤岗市甲林场", "A级"],
        ["绿牌企业：", "甲公司"],
    ):
        assert _is_sign_off(row) == footer_row(row), row


# ---------------------------------------------------------------- hidden sheets


def test_a_hidden_sheet_is_not_read_while_a_visible_one_holds_the_list(tmp_path: Path) -> None:
    # Last year's results kept in a hidden first sheet, this year's visible: before, the
    # hidden sheet was read (double-a: 0 enterprises, nothing said about which sheet).
    wb = openpyxl.Workbook()
    old = wb.active
    assert old is not None
    old.title = "2021年"
    new = wb.create_sheet("2022年")
    for ws, grade in ((old, "D"), (new, "A")):
        ws.append(["序号", "统一社会信用代码", "市场主体名称", "评价等级"])
        ws.append([1, CODE, "甲", grade])
    old.sheet_state = "hidden"
    wb.active = 1
    path = tmp_path / "公共.xlsx"
    wb.save(path)
    lst = read_list(ListSpec(path, "公共信用评价名单"))
    assert lst.sheet == "2022年" and list(lst.cells["grade"]) == ["A"]
    sheets = read_list_sheets(ListSpec(path, "部门名单"))
    assert [x.sheet for x in sheets.lists] == ["2022年"]  # every sheet: the visible ones
    # Only a hidden sheet holds the list: refused, saying where it is and how to use it.
    new.delete_rows(1, 2)
    new.append(["本表为公共信用评价结果"])
    wb.save(path)
    with pytest.raises(ReadError) as err:
        read_list(ListSpec(path, "公共信用评价名单"))
    assert "公共信用评价名单只在隐藏的工作表“2021年”中" in str(err.value)
    assert "取消隐藏" in str(err.value)


def test_one_list_split_over_visible_sheets_is_refused_not_cut_short(tmp_path: Path) -> None:
    # A public evaluation exported one sheet per county: before, only the first sheet was
    # read and the other counties' entities were dropped without a word.
    path = xlsx(tmp_path / "公共.xlsx", [["统一社会信用代码", "评价等级"], [CODE, "A"]], sheets=3)
    wb = openpyxl.load_workbook(path)
    wb["其他1"].append(["统一社会信用代码", "评价等级"])
    wb["其他1"].append(["91230403MA1B0002PC", "B"])
    wb["其他2"].append(["说明：本表为评价结果"])  # a sheet that is no list: fine
    wb.save(path)
    with pytest.raises(ReadError) as err:
        read_list(ListSpec(path, "公共信用评价名单"))
    message = str(err.value)
    assert message.startswith(f"{path}：公共信用评价名单在几个工作表中都有（“名单”“其他1”……）")
    assert "请把各页的行复制到一个工作表中" in message
    # Where every sheet counts (department lists), both are read as before.
    assert [x.sheet for x in read_list_sheets(ListSpec(path, "部门名单")).lists] == [
        "名单",
        "其他1",
    ]
    # The second sheet hidden: the visible one is the list.
    wb["其他1"].sheet_state = "hidden"
    wb.save(path)
    assert read_list(ListSpec(path, "公共信用评价名单")).sheet == "名单"


def test_a_legend_sheet_headed_like_a_list_does_not_stop_the_one_list(tmp_path: Path) -> None:
    # A tax export's second sheet explains its columns (指标代码 · 等级): no code in it.
    path = xlsx(tmp_path / "纳税.xlsx", [["纳税人识别号", "信用等级"], [CODE, "A"]], sheets=2)
    wb = openpyxl.load_workbook(path)
    wb["其他1"].append(["指标代码", "等级"])
    wb["其他1"].append(["01", "A：90分以上"])
    wb.save(path)
    lst = read_list(ListSpec(path, "纳税信用名单"))
    assert lst.sheet == "名单" and len(lst) == 1
