"""io.guard and its helpers: what a workbook is refused for before python-calamine reads it,
and how a sheet reaching far is read without the empty space (io.sparse, io.extent)."""

from __future__ import annotations

import importlib.util
import io
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hgcredit.errors import OptionError, ReadError
from hgcredit.io import extent, limits
from hgcredit.io.extent import column_number, scan_ods_content, scan_xlsx_sheet, whole_rows
from hgcredit.io.guard import check_workbook
from hgcredit.io.ole import inspect_ole
from hgcredit.io.tables import column_letter, read_tables
from hgcredit.ledger.read import load_ledger
from hgcredit.registry import load_registry

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
_spec = importlib.util.spec_from_file_location("make_bad_inputs", CORPUS / "make_bad_inputs.py")
assert _spec is not None and _spec.loader is not None
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)
REG = load_registry()


def _return(path: Path, rows: dict[int, list[object]] | None = None) -> Path:
    gen.write_xlsx(path, [("台账", gen.sheet_xml(rows or dict(enumerate(gen.RETURN_ROWS, 1))))])
    return path


# ---------------------------------------------------------------- limits


def test_a_bomb_is_refused_naming_the_limit_and_the_other_files_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("HGCREDIT_MAX_UNZIPPED_MB", "1")
    bomb = tmp_path / "炸弹.xlsx"
    gen._bomb(bomb, 2 * 1024 * 1024)
    good = tmp_path / "好.csv"
    gen.write_csv(good, gen.RETURN_ROWS)
    ledger = load_ledger([bomb, good], REG, reference_month="2022-11")
    assert ledger.files == [str(good)]
    (problem,) = ledger.errors
    assert problem.file == str(bomb)
    assert "解压后共 2.0 MB，超过上限 1 MB" in problem.message
    assert "HGCREDIT_MAX_UNZIPPED_MB" in problem.message


def test_a_high_compression_ratio_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    bomb = tmp_path / "压缩比.xlsx"
    gen._bomb(bomb, 17 * 1024 * 1024)  # over the 16 MB floor, ~500 times compressed
    with pytest.raises(ReadError, match=r"压缩比为 .* 倍，超过上限 200 倍"):
        check_workbook(bomb)
    monkeypatch.setenv("HGCREDIT_MAX_RATIO", "100000")
    check_workbook(bomb)  # a clerk may raise the limit for a file they trust


def test_a_directory_lying_about_a_members_size_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("HGCREDIT_MAX_UNZIPPED_MB", "1")
    parts = gen.xlsx_parts([("台账", gen.sheet_xml(gen.RETURN_ROWS))])
    rng = random.Random(3)
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0"?><sst>'
        + bytes(rng.choice(b"abcdefgh") for _ in range(600_000))
        + b"</sst>"
    )
    path = tmp_path / "谎报.xlsx"
    gen.write_zip(path, parts)
    data = bytearray(path.read_bytes())
    # Declare 100,000 bytes (more than a prolog read, less than the truth) for the strings.
    name = b"xl/sharedStrings.xml"
    for signature, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            offset = 30 if signature == b"PK\x03\x04" else 46
            length = int.from_bytes(data[start + (26 if offset == 30 else 28) :][:2], "little")
            if data[start + offset : start + offset + length] == name:
                data[start + at : start + at + 4] = (100_000).to_bytes(4, "little")
            start += 4
    path.write_bytes(bytes(data))
    with pytest.raises(ReadError, match="文件已损坏或不完整"):
        check_workbook(path)


def test_the_cell_limit_can_be_lowered_and_a_bad_value_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = _return(tmp_path / "台账.xlsx")
    monkeypatch.setenv("HGCREDIT_MAX_CELLS", "5")
    with pytest.raises(ReadError, match="共 8 格，上限 5 格") as caught:
        read_tables(path)
    assert "HGCREDIT_MAX_CELLS" in str(caught.value)
    monkeypatch.setenv("HGCREDIT_MAX_CELLS", "很多")
    with pytest.raises(OptionError, match="HGCREDIT_MAX_CELLS 的值“很多”不是正整数"):
        limits.current()


def test_an_oversized_file_is_refused_before_it_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("HGCREDIT_MAX_FILE_MB", "1")
    path = tmp_path / "大.csv"
    path.write_bytes(b"a,b\n" * (300 * 1024))
    with pytest.raises(ReadError, match=r"文件过大（1\.2 MB，上限 1 MB）"):
        read_tables(path)


@pytest.mark.parametrize(
    "part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"]
)
def test_a_doctype_in_any_part_is_refused(tmp_path: Path, part: str):
    parts = gen.xlsx_parts([("台账", gen.sheet_xml(gen.RETURN_ROWS))])
    parts[part] = parts[part].replace(
        b"?>\n", b'?>\n<!-- a comment first -->\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n', 1
    )
    path = tmp_path / "实体.xlsx"
    gen.write_zip(path, parts)
    with pytest.raises(
        ReadError, match=f"其中 {part.replace('[', '.').replace(']', '.')} 含有 XML 实体声明"
    ):
        check_workbook(path)


# ---------------------------------------------------------------- far-reaching sheets


def test_a_sheet_reaching_s1048576_is_read_without_its_empty_rows(tmp_path: Path):
    rows: dict[int, list[object]] = dict(enumerate(gen.RETURN_ROWS, 1))
    rows[700_000] = ["", "", "", "中间的说明"]
    rows[1_048_576] = [""] * 18 + ["远处的值"]
    path = _return(tmp_path / "远处.xlsx", rows)
    checked = check_workbook(path)
    assert checked.data is not None and checked.row_numbers == {"台账": [1, 2, 700_000, 1_048_576]}
    (table,) = read_tables(path)
    assert table.row_numbers == [2, 700_000, 1_048_576]  # every value, at its row in the file
    assert table.rows[0][:4] == ["1", "市税务局", "纳税企业", gen.TAX_TEXT]
    assert table.rows[2][18] == "远处的值"
    assert table.where(2, 18) == f"{path}[台账] 第1048576行 第S列"


def test_merged_cells_follow_the_rows_they_are_on(tmp_path: Path):
    rows: dict[int, list[object]] = {1: gen.HEADER, 2: [1, "市公安局", "制毒化学品领域", "甲"],
                                      3: ["", "", "保安服务领域", "乙"], 1_048_576: ["x"]}  # fmt: skip
    path = tmp_path / "合并.xlsx"
    parts = gen.xlsx_parts([("台账", gen.sheet_xml(rows))])
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="B2:B3"/></mergeCells>'
    )
    gen.write_zip(path, parts)
    # Under the cell limit, but a million places for nine cells: read without the empty rows.
    assert check_workbook(path).row_numbers == {"台账": [1, 2, 3, 1_048_576]}
    (table,) = read_tables(path)
    assert [r[1] for r in table.rows] == ["市公安局", "市公安局", ""]


def test_a_sheet_too_big_even_without_its_empty_rows_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("HGCREDIT_MAX_CELLS", "40")
    rows = {r: [f"r{r}"] * 8 for r in range(1, 7)} | {1_048_576: ["x"] * 8}
    path = _return(tmp_path / "大.xlsx", rows)
    with pytest.raises(ReadError, match="工作表“台账”过大（到 H1048576，共 56 格，上限 40 格）"):
        check_workbook(path)


def test_cells_beyond_excels_grid_are_refused(tmp_path: Path):
    path = _return(tmp_path / "越界.xlsx", {1: gen.HEADER, 2_000_000: ["x"]})
    with pytest.raises(ReadError, match="超出 Excel 的行列上限"):
        check_workbook(path)


def test_an_ods_or_xls_reaching_far_is_refused_naming_the_sheet():
    for name in ("远处单元格.ods", "远处单元格.xls"):
        with pytest.raises(ReadError, match="工作表“台账”过大") as caught:
            check_workbook(CORPUS / "refused" / name)
        assert "HGCREDIT_MAX_CELLS" in str(caught.value)


def test_ole_contents_and_declared_sheet_sizes():
    far = inspect_ole((CORPUS / "refused" / "远处单元格.xls").read_bytes())
    assert far.workbook and not far.encrypted
    assert [(s.name, s.rows, s.columns) for s in far.sheets] == [("台账", 65536, 256)]
    locked = inspect_ole((CORPUS / "refused" / "加密.xlsx").read_bytes())
    assert locked.encrypted and locked.streams == ["EncryptionInfo", "EncryptedPackage"]
    sample = Path(__file__).resolve().parent.parent / "sample_data" / "returns"
    xls = inspect_ole((sample / "鹤岗市住房和城乡建设局_11月.xls").read_bytes())
    assert [(s.rows, s.columns) for s in xls.sheets] == [(3, 5)]


def test_a_workbook_named_as_another_kind_is_read_by_its_content(tmp_path: Path):
    (table,) = read_tables(CORPUS / "handled" / "其实是xlsx.xls")
    assert table.rows[0][3] == gen.TAX_TEXT


# ---------------------------------------------------------------- the scanners


def _sheet(cells: dict[tuple[int, int], str], refs: bool, prefix: str) -> bytes:
    rows: dict[int, list[tuple[int, str]]] = {}
    for (r, c), v in sorted(cells.items()):
        rows.setdefault(r, []).append((c, v))
    out = [f'<{prefix}worksheet><{prefix}dimension ref="A1:B2"/><{prefix}sheetData>']
    for r, row in rows.items():
        out.append(f'<{prefix}row r="{r}" spans="1:3">')
        for c, v in row:
            ref = f' r="{column_letter(c - 1)}{r}"' if refs or c > 1 else ""
            out.append(
                f'<{prefix}c{ref} t="inlineStr"><{prefix}is><{prefix}t>{v}</{prefix}t></{prefix}is></{prefix}c>'
            )
        out.append(f"</{prefix}row>")
    out.append(f"</{prefix}sheetData></{prefix}worksheet>")
    return "".join(out).encode()


@settings(max_examples=60, deadline=None)
@given(
    cells=st.dictionaries(
        st.tuples(st.integers(1, 2_000), st.integers(1, 800)), st.sampled_from(["a", "鹤", "1"]),
        min_size=1, max_size=40,
    ),
    refs=st.booleans(),
    prefix=st.sampled_from(["", "x:"]),
    chunk=st.integers(7, 4_000),
    numpy_from=st.sampled_from([extent.NUMPY_FROM, 0]),  # bytes counted, or numpy
)  # fmt: skip
def test_the_extent_is_never_less_than_the_cells_reach(cells, refs, prefix, chunk, numpy_from):
    xml = _sheet(cells, refs, prefix)
    usual, extent.NUMPY_FROM = extent.NUMPY_FROM, numpy_from
    try:
        found = scan_xlsx_sheet(xml[i : i + chunk] for i in range(0, len(xml), chunk))
    finally:
        extent.NUMPY_FROM = usual
    assert found.rows == max(r for r, _ in cells)
    assert found.count == len(cells)
    reach = max(c for _, c in cells)
    assert reach <= found.columns <= reach + len(cells)  # a cell without a reference follows on


_ODD_SHEETS = {
    "far cell": _sheet({(1, 1): "a", (1_048_576, 19): "b"}, True, ""),
    "wide": _sheet({(3, 16_384): "a", (4, 27): "b", (5, 703): "c"}, True, ""),
    "no refs": _sheet({(2, 1): "a", (2, 2): "b"}, False, ""),
    "prefixed": _sheet({(2, 5): "a"}, True, "x:"),
    "attribute first": b'<sheetData><row r="1"><c s="1" r="XFD9"/></row></sheetData>',
    "rows out of order": b'<sheetData><row r="900000"><c r="A900000"/></row>'
    b'<row r="2"><c r="B2"/></row></sheetData>',
    "four letters": b'<sheetData><row r="1"><c r="AAAA1"/></row></sheetData>',
    "eight digits": b'<sheetData><row r="12345678"><c r="A12345678"/></row></sheetData>',
    "cell before a row": b'<sheetData><c r="C1"/><row r="1"><c r="A1"/></row></sheetData>',
    "cut tag": b'<sheetData><row r="1"><c r="A1"/></row><c',
}


@pytest.mark.parametrize("name", _ODD_SHEETS)
def test_numpy_and_counting_measure_every_sheet_alike(name: str):
    xml = _ODD_SHEETS[name]
    found = {}
    usual = extent.NUMPY_FROM
    for numpy_from in (usual, 0):
        extent.NUMPY_FROM = numpy_from
        try:
            found[numpy_from] = scan_xlsx_sheet([xml])
        finally:
            extent.NUMPY_FROM = usual
    assert found[0] == found[usual]


def test_numpy_measures_a_sheet_as_excel_writes_it_without_falling_back():
    cells = {(r, c): "鹤" for r in range(1, 400) for c in (1, 2, 6)} | {(402, 28): "a"}
    xml = _sheet(cells, True, "")
    body = xml[xml.index(b"<sheetData") + 10 : xml.index(b"</sheetData>")]
    assert extent._fast_block_numpy(body, 0) == (402, 28, 402, len(cells))


@given(st.integers(1, 300))
def test_blocks_end_after_whole_rows_whatever_the_chunks(chunk):
    xml = _sheet({(r, 1): "甲" for r in range(1, 30)}, True, "")
    blocks = list(whole_rows(xml[i : i + chunk] for i in range(0, len(xml), chunk)))
    assert b"".join(blocks) == xml
    assert all(b.endswith(b"</row>") for b in blocks[:-1])


def test_ods_tables_count_repeated_rows_and_cells_up_to_the_last_value():
    xml = gen.ods_far_cell()["content.xml"]
    (table,) = scan_ods_content([xml[i : i + 100] for i in range(0, len(xml), 100)])
    assert (table.name, table.rows, table.columns) == ("台账", 1_048_003, 1001)


def test_column_numbers():
    rng = random.Random(7)
    for n in [1, 26, 27, 702, 703, 16_384, *rng.sample(range(1, 16_384), 50)]:
        assert column_number(column_letter(n - 1)) == n


def test_a_zip_of_many_members_is_refused(tmp_path: Path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in gen.xlsx_parts([("台账", gen.sheet_xml(gen.RETURN_ROWS))]).items():
            zf.writestr(name, data)
        for i in range(limits.MAX_MEMBERS + 1):
            zf.writestr(f"x/{i}", b"")
    path = tmp_path / "多.xlsx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(ReadError, match=r"压缩包内有 10,0\d\d 个文件"):
        check_workbook(path)
