"""Every reader path and every error path of tables.read_tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlwt

from hgcredit.errors import EncodingError, HeaderError, ReadError
from hgcredit.io.tables import read_tables

HEADER = ["序号", "实施部门", "分级分类领域", "2022年11月"]


def _is_ledger_header(cells):
    return "实施部门" in cells


def test_xlsx_title_rows_offset_and_merged_cells(tmp_path: Path):
    # The table starts at B3 under a merged title, and 公安局's serial/department span two rows.
    path = tmp_path / "台账.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws["B1"] = "鹤岗市信用分级分类监管工作推进台账"
    ws.merge_cells("B1:E1")
    for c, h in enumerate(HEADER, 2):
        ws.cell(3, c, h)
    ws.cell(4, 2, 22)
    ws.cell(4, 3, "市公安局")
    ws.cell(4, 4, "<p>制毒化学 品领域</p>")
    ws.cell(4, 5, "  评价 3 家\u3000 ")
    ws.cell(5, 4, "保安服务领域")
    ws.cell(5, 5, "Ａ级单位３家")
    ws.merge_cells("B4:B5")
    ws.merge_cells("C4:C5")
    wb.save(path)

    (table,) = read_tables(path)
    assert table.sheet == "台账"
    assert table.title == ["鹤岗市信用分级分类监管工作推进台账"]
    assert table.header_row == 3
    assert table.header == ["", *HEADER]
    assert table.rows == [
        ["", "22", "市公安局", "制毒化学 品领域", "评价 3 家"],
        ["", "22", "市公安局", "保安服务领域", "Ａ级单位３家"],  # full-width kept for display
    ]
    assert table.row_numbers == [4, 5]
    assert table.where(1, 4) == f"{path}[台账] 第5行 第E列"


def test_xls_legacy_with_merged_cells(tmp_path: Path):
    path = tmp_path / "公安局.xls"
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    ws.write_merge(0, 0, 0, 3, "2022年台账")
    for c, h in enumerate(HEADER):
        ws.write(1, c, h)
    ws.write_merge(2, 3, 0, 0, 22)
    ws.write_merge(2, 3, 1, 1, "市公安局")
    ws.write(2, 2, "制毒化学品领域")
    ws.write(3, 2, "保安服务领域")
    ws.write(3, 3, "6家")
    wb.save(str(path))

    (table,) = read_tables(path, header_test=_is_ledger_header)
    assert table.title == ["2022年台账"]
    assert table.rows == [
        ["22", "市公安局", "制毒化学品领域", ""],
        ["22", "市公安局", "保安服务领域", "6家"],
    ]
    assert table.row_numbers == [3, 4]


def test_ods_via_odfpy(tmp_path: Path):
    path = tmp_path / "税务局.ods"
    frame = pd.DataFrame(
        [["鹤岗市台账", None, None, None], HEADER, [1, "市税务局", "纳税企业", "A级236户"]]
    )
    with pd.ExcelWriter(path, engine="odf") as writer:
        frame.to_excel(writer, index=False, header=False, sheet_name="十一月")
    (table,) = read_tables(path, header_test=_is_ledger_header)
    assert table.sheet == "十一月"
    assert table.header == HEADER
    assert table.rows == [["1", "市税务局", "纳税企业", "A级236户"]]


def test_excel_date_header_becomes_iso_text(tmp_path: Path):
    path = tmp_path / "dates.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["实施部门", dt.datetime(2022, 11, 1)])
    ws.append(["市税务局", "已评价 9889 户"])
    wb.save(path)
    (table,) = read_tables(path)
    assert table.header == ["实施部门", "2022-11-01"]


def _csv(rows: list[list[str]]) -> str:
    return "\r\n".join(",".join(r) for r in rows) + "\r\n"


CSV_ROWS = [
    ["鹤岗市信用分级分类监管工作推进台账"],
    HEADER,
    ["6", "市交通运输局", "道路运输经营者", "62 家"],
]


def test_gbk_csv_is_detected(tmp_path: Path):
    path = tmp_path / "交通.csv"
    path.write_bytes(_csv(CSV_ROWS).encode("gbk"))
    (table,) = read_tables(path, header_test=_is_ledger_header)
    assert table.title == ["鹤岗市信用分级分类监管工作推进台账"]
    assert table.rows == [["6", "市交通运输局", "道路运输经营者", "62 家"]]
    assert table.row_numbers == [3]


def test_utf8_bom_csv(tmp_path: Path):
    path = tmp_path / "交通.csv"
    path.write_bytes(_csv(CSV_ROWS).encode("utf-8-sig"))
    (table,) = read_tables(path, header_test=_is_ledger_header)
    assert table.header[0] == "序号"  # no BOM glued to the first header
    assert table.rows[0][1] == "市交通运输局"


def test_forced_encoding(tmp_path: Path):
    path = tmp_path / "交通.csv"
    path.write_bytes(_csv(CSV_ROWS).encode("gbk"))
    (table,) = read_tables(path, encoding="gbk", header_test=_is_ledger_header)
    assert table.rows[0][1] == "市交通运输局"
    with pytest.raises(EncodingError) as err:
        read_tables(path, encoding="utf-8", header_test=_is_ledger_header)
    assert str(path) in str(err.value)
    assert "--encoding gb18030" in str(err.value)


def test_unknown_encoding_name(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text(_csv(CSV_ROWS), encoding="utf-8")
    with pytest.raises(EncodingError, match="未知编码“nope”"):
        read_tables(path, encoding="nope")


def test_tab_separated_txt_with_notice_text_above(tmp_path: Path):
    path = tmp_path / "通知.txt"
    path.write_text(
        "关于加强分级分类监管的通知\n\n各有关单位：\n"
        + "\t".join(HEADER)
        + "\n1\t市税务局\t纳税企业\t<p>A级236户</p>\n",
        encoding="utf-8",
    )
    (table,) = read_tables(path, header_test=_is_ledger_header)
    assert table.title == ["关于加强分级分类监管的通知", "各有关单位："]
    assert table.rows == [["1", "市税务局", "纳税企业", "A级236户"]]


def test_seed_notice_ledger_rows(seed_path: Path):
    (table,) = read_tables(seed_path, header_test=lambda r: any("实施部门" in c for c in r))
    assert table.header[:3] == ["序号", "实施部门", "分级分类领域"]
    assert table.rows[0][:3] == ["1", "市税务局", "纳税企业"]
    assert any(r[1] == "保安服务 领域" for r in table.rows)  # 公安局's shifted second row


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        (
            "坏.xlsx",
            b"PK\x03\x04 this is not really a zip",
            ReadError,
            "文件已损坏或不完整",
        ),
        ("坏.ods", b"\x00\x01garbage", ReadError, "无法识别的文件内容，不是 Excel/ODS 表格"),
        ("空.csv", b"", ReadError, "文件为空"),
        # Trial: a BOM or whitespace alone is as empty as 0 bytes (not "找到的列：（无）").
        ("只有BOM.csv", b"\xef\xbb\xbf", ReadError, "文件为空"),
        ("只有空白.csv", b" \r\n\t\n\n", ReadError, "文件为空"),
        ("BOM和换行.tsv", b"\xef\xbb\xbf\r\n\r\n", ReadError, "文件为空"),
        ("UTF-16空白.txt", b"\xff\xfe \x00\r\x00\n\x00", ReadError, "文件为空"),
        ("台账.pdf", b"%PDF-1.4", ReadError, "不支持的文件类型“.pdf”"),
        ("台账", b"data", ReadError, "不支持的文件类型“无扩展名”"),
        (
            "网页.xls",
            b"<html><body><table><tr><td>1</td></tr></table></body></html>",
            ReadError,
            "实际是网页（HTML）",
        ),
        ("二进制.csv", b"\x00\x01\x02\x03binary", EncodingError, "不是文本文件"),
        ("无表头.csv", "只有一行说明文字\n".encode(), HeaderError, "没有找到表头行"),
    ],
)
def test_unusable_files_are_one_error_naming_the_file(
    tmp_path: Path, name, content, error, message
):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error) as err:
        read_tables(path)
    assert message in str(err.value)
    assert err.value.file == str(path)


def test_missing_file_and_directory(tmp_path: Path):
    with pytest.raises(ReadError, match="文件不存在"):
        read_tables(tmp_path / "没有.xlsx")
    with pytest.raises(ReadError, match="文件夹"):
        read_tables(tmp_path)


def test_undecodable_text_without_forced_encoding(tmp_path: Path):
    path = tmp_path / "乱码.csv"
    # Valid in neither UTF-8 nor GB18030 (0x80 alone and a bad trail byte).
    path.write_bytes(b"a,b\r\n\x80\xff,\x81\x20\r\n")
    with pytest.raises(EncodingError, match="--encoding"):
        read_tables(path)


def test_header_over_two_rows_is_read_as_one(tmp_path: Path):
    # "2022年" merged over "10月 | 11月"; 序号/实施部门/备注 merged down over both rows.
    path = tmp_path / "两行表头.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["鹤岗市信用分级分类监管工作推进台账"])
    ws.append(["序号", "实施部门", "2022年", None, "备注"])
    ws.append([None, None, "10月", "11月", None])
    ws.append([1, "市商务局", "对6家评价", "对7家复评", ""])
    for merged in ("A1:E1", "C2:D2", "A2:A3", "B2:B3", "E2:E3"):
        ws.merge_cells(merged)
    wb.save(path)

    def has_month(cells):
        return "实施部门" in cells and any("10月" in c for c in cells)

    (table,) = read_tables(path, header_test=has_month)
    assert table.header == ["序号", "实施部门", "2022年\n10月", "2022年\n11月", "备注"]
    assert table.header_row == 2
    assert table.rows == [["1", "市商务局", "对6家评价", "对7家复评", ""]]
    assert table.row_numbers == [4]
    assert table.title == ["鹤岗市信用分级分类监管工作推进台账"]


def test_a_one_row_header_is_preferred_to_two_rows(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text("序号,实施部门,2022年11月\n,说明,单位：家\n1,市商务局,7\n", encoding="utf-8")
    (table,) = read_tables(path, header_test=lambda cells: "实施部门" in cells)
    assert table.header == ["序号", "实施部门", "2022年11月"]
    assert table.rows[0] == ["", "说明", "单位：家"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_bom(tmp_path: Path, encoding: str):
    path = tmp_path / "导出.csv"
    text = "序号,实施部门,2022年11月\n1,市商务局,对7家开展评价\n"  # 开 is U+5F00
    path.write_bytes(text.encode(encoding))
    (table,) = read_tables(path)
    assert table.header == ["序号", "实施部门", "2022年11月"]
    assert table.rows == [["1", "市商务局", "对7家开展评价"]]


def test_binary_that_is_not_utf16_is_still_refused(tmp_path: Path):
    path = tmp_path / "坏.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00\x08\x00" + bytes(range(256)))
    with pytest.raises(EncodingError, match="看起来不是文本文件"):
        read_tables(path)
