"""Write the bad-inputs corpus: files that hgcredit must refuse cleanly or read correctly.

    python tests/bad_inputs/make_bad_inputs.py          # the small files, committed here
    python tests/bad_inputs/make_bad_inputs.py --big D  # the big ones (GBs unzipped), into D

Deterministic: fixed seeds, fixed zip dates, workbooks assembled part by part (no library
writes a date or a random id into them), so running it again gives the same bytes
(``tests/test_bad_inputs.py`` checks that). Two groups:

* ``refused/``: each must end with exit code 2 and one Chinese line on stderr that names
  the file and says what to do, write nothing, and stay within time and memory bounds;
* ``handled/``: each must give the right result within the same bounds.

Folders, named pipes and symbolic links cannot live in git; the test makes them at run
time (:func:`make_special`), and the big files too (:func:`make_big`), cached per session.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import struct
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

# ---------------------------------------------------------------- content

HEADER = ["序号", "实施部门", "分级分类领域", "2022年11月"]
TAX_TEXT = "对全市9889户纳税人开展评价，A级236户、B级3495户、M级5352户、C级197户、D级609户。"
RETURN_ROWS: list[list[object]] = [HEADER, [1, "市税务局", "纳税企业", TAX_TEXT]]


def uscc(body: str) -> str:
    """A valid unified social credit code from its first 17 characters (GB 32100)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(alphabet.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + alphabet[(31 - total % 31) % 31]


CODES = [uscc(f"91230402MA1BX{n:04d}") for n in range(1, 6)]
NAMES = [f"鹤岗市测试{n}号有限公司" for n in range(1, 6)]
TAX_HEADER = ["序号", "统一社会信用代码", "纳税人名称", "纳税信用级别"]
TAX_ROWS: list[list[object]] = [TAX_HEADER] + [
    [i + 1, c, n, "A"] for i, (c, n) in enumerate(zip(CODES, NAMES, strict=True))
]
PUBLIC_HEADER = ["统一社会信用代码", "企业名称", "评价等级", "综合得分"]
PUBLIC_ROWS: list[list[object]] = [PUBLIC_HEADER] + [
    [c, n, "A", 900 - i] for i, (c, n) in enumerate(zip(CODES, NAMES, strict=True))
]


class Formula:
    """A formula cell with (or without) its cached value."""

    def __init__(self, formula: str, cached: str | None) -> None:
        self.formula, self.cached = formula, cached


# ---------------------------------------------------------------- xlsx, by hand

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def ooxml_text(text: str) -> str:
    """Text as an xlsx part holds it: XML-escaped, control characters as ``_xHHHH_``."""
    out = []
    for ch in escape(text):
        if (ord(ch) < 0x20 and ch not in "\t\n\r") or 0x7F <= ord(ch) <= 0x9F:
            out.append(f"_x{ord(ch):04X}_")
        else:
            out.append(ch)
    return "".join(out)


def cell_xml(ref: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Formula):
        cached = f"<v>{ooxml_text(value.cached)}</v>" if value.cached is not None else ""
        return f'<c r="{ref}" t="str"><f>{escape(value.formula)}</f>{cached}</c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = ooxml_text(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def sheet_xml(
    rows: dict[int, Sequence[object]] | Sequence[Sequence[object]], prolog: str = ""
) -> str:
    """A worksheet part; ``rows`` by 1-based row number (a dict) or from row 1 (a list)."""
    numbered = rows.items() if isinstance(rows, dict) else enumerate(rows, 1)
    body = []
    last_row, last_col = 1, 1
    for r, values in numbered:
        cells = "".join(cell_xml(f"{column_letter(c)}{r}", v) for c, v in enumerate(values))
        if cells:
            last_row = max(last_row, r)
            last_col = max(last_col, len(values))
        body.append(f'<row r="{r}">{cells}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + prolog
        + f'<worksheet {NS} {NS_R}><dimension ref="A1:{column_letter(last_col - 1)}{last_row}"/>'
        + f"<sheetData>{''.join(body)}</sheetData></worksheet>"
    )


def xlsx_parts(sheets: Sequence[tuple[str, str]]) -> dict[str, bytes]:
    """The parts of a minimal workbook of these (sheet name, worksheet XML) pairs."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    book = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, (name, _) in enumerate(sheets, 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    parts = {
        "[Content_Types].xml": CONTENT_TYPES.format(sheets=overrides),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f"<workbook {NS} {NS_R}><sheets>{book}</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{rels}</Relationships>"
        ),
    }
    for i, (_, xml) in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = xml
    return {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in parts.items()}


def write_zip(path: Path, parts: dict[str, bytes], *, encrypted_flag: bool = False) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    data = bytearray(buf.getvalue())
    if encrypted_flag:  # zipfile cannot encrypt: set the "encrypted" bit in every header
        for signature, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = 0
            while (start := data.find(signature, start)) >= 0:
                data[start + at] |= 0x1
                start += 4
    path.write_bytes(bytes(data))


def write_xlsx(path: Path, sheets: Sequence[tuple[str, str]]) -> None:
    write_zip(path, xlsx_parts(sheets))


def write_csv(path: Path, rows: Sequence[Sequence[object]], *, encoding: str = "utf-8") -> None:
    text = "".join(",".join(_csv_field(v) for v in row) + "\r\n" for row in rows)
    path.write_bytes(text.encode(encoding))


def _csv_field(value: object) -> str:
    text = "" if value is None else str(value)
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


# ---------------------------------------------------------------- OLE, by hand


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (512-byte sectors) holding these streams, each at
    least 4096 bytes long so that none lives in the mini stream."""
    sector = 512
    end, free, fatsect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    fat = [fatsect, end]  # sector 0: the FAT, sector 1: the directory
    data = b""
    starts = []
    for payload in streams.values():
        assert len(payload) >= 4096
        padded = payload + b"\0" * (-len(payload) % sector)
        first = 2 + len(data) // sector
        count = len(padded) // sector
        starts.append(first)
        fat += [first + i + 1 for i in range(count - 1)] + [end]
        data += padded
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, right, child)
            + b"\0" * 16
            + b"\0" * 4
            + b"\0" * 16
            + struct.pack("<IIi", start, size, 0)
        )

    names = list(streams)
    directory = entry("Root Entry", 5, 1, 0xFFFFFFFF, end, 0)
    for i, name in enumerate(names, 1):
        right = i + 1 if i < len(names) else 0xFFFFFFFF
        directory += entry(name, 2, 0xFFFFFFFF, right, starts[i - 1], len(streams[name]))
    directory = directory.ljust(sector, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<108I", *([free] * 108))
    )
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + data


# ---------------------------------------------------------------- ods, by hand


def ods_far_cell() -> dict[str, bytes]:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="台账">'
        + "".join(
            "<table:table-row>"
            + "".join(
                f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'
                for v in row
            )
            + "</table:table-row>"
            for row in RETURN_ROWS
        )
        + '<table:table-row table:number-rows-repeated="1048000">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
        '<table:table-row><table:table-cell table:number-columns-repeated="1000"/>'
        '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
        "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return {
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": content.encode(),
        "META-INF/manifest.xml": manifest.encode(),
    }


# ---------------------------------------------------------------- the corpus


def make_refused(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20221109)
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in xlsx_parts([("台账", sheet_xml(RETURN_ROWS))]).items():
            zf.writestr(zipfile.ZipInfo(name, ZIP_DATE), data)
    (folder / "空文件.xlsx").write_bytes(b"")
    write_csv(folder / "csv改名.xlsx", RETURN_ROWS)
    (folder / "截断.xlsx").write_bytes(good.getvalue()[: len(good.getvalue()) * 3 // 5])
    write_zip(folder / "压缩包.xlsx", {"说明.txt": "这不是表格。\n".encode()})
    (folder / "乱码.xlsx").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    (folder / "图片.xlsx").write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
            "0000000d4944415478da63f8ffff3f0005fe02fea7d6a4b00000000049454e44ae426082"
        )
    )
    laughs = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    bomb = f"<!DOCTYPE worksheet [{laughs}]>\n"
    rows_with_entity = [HEADER, [1, "市税务局", "纳税企业", "&lol9;"]]
    xml = sheet_xml(rows_with_entity, prolog=bomb).replace("&amp;lol9;", "&lol9;")
    write_xlsx(folder / "实体炸弹.xlsx", [("台账", xml)])
    parts = xlsx_parts([("台账", sheet_xml(RETURN_ROWS))])
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"?>\n", b'?>\n<!DOCTYPE workbook SYSTEM "http://example.invalid/x.dtd">\n', 1
    )
    write_zip(folder / "外部实体.xlsx", parts)
    (folder / "加密.xlsx").write_bytes(
        ole_file(
            {
                "EncryptionInfo": bytes(rng.randrange(256) for _ in range(4096)),
                "EncryptedPackage": bytes(rng.randrange(256) for _ in range(8192)),
            }
        )
    )
    write_zip(
        folder / "加密压缩包.xlsx",
        xlsx_parts([("台账", sheet_xml(RETURN_ROWS))]),
        encrypted_flag=True,
    )
    (folder / "网页.xls").write_bytes(
        "<html><head><meta charset='utf-8'></head><body><table><tr><td>序号</td>"
        "<td>实施部门</td></tr></table></body></html>".encode()
    )
    write_zip(
        folder / "Word文档.xlsx",
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "word/document.xml": b'<?xml version="1.0"?><document/>',
        },
    )
    (folder / "损坏的xls.xls").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.randrange(256) for _ in range(1528))
    )
    (folder / "远处单元格.ods").write_bytes(_zip_bytes(ods_far_cell()))
    _far_xls(folder / "远处单元格.xls")
    write_xlsx(
        folder / "缺少等级列.xlsx",
        [
            (
                "名单",
                sheet_xml(
                    [
                        ["统一社会信用代码", "企业名称"],
                        *([c, n] for c, n in zip(CODES, NAMES, strict=True)),
                    ]
                ),
            )
        ],
    )
    write_csv(folder / "缺少表头.csv", [["说明"], ["本月无报送表格，只有这段说明文字。"]])


def _zip_bytes(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def _far_xls(path: Path) -> None:
    import xlwt  # dev dependency; its output has no date in it

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("台账")
    for r, row in enumerate(RETURN_ROWS):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    ws.write(65535, 255, "x")
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())


CONTROL_TEXT = (
    "对全市9889户纳税人开展评价，\x0bA级236户\x1f、B级3495户\x1b[31m（红字）\x1b[0m、"
    "M级5352户\x07、C级197户\x00、D级609户\x7f\x9b。"
)


def make_handled(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "公共信用评价结果.csv", PUBLIC_ROWS)
    write_csv(folder / "纳税信用名单.csv", TAX_ROWS)
    write_xlsx(folder / "仅表头名单.xlsx", [("纳税企业", sheet_xml([TAX_HEADER]))])
    dup_header = [
        "序号",
        "统一社会信用代码",
        "统一社会信用代码",
        "纳税人名称",
        "纳税信用级别",
        "纳税信用级别",
    ]
    write_xlsx(
        folder / "重复列名名单.xlsx",
        [
            (
                "纳税企业",
                sheet_xml(
                    [dup_header] + [[r[0], r[1], r[1], r[2], r[3], r[3]] for r in TAX_ROWS[1:]]
                ),
            )
        ],
    )
    far: dict[int, Sequence[object]] = dict(enumerate(RETURN_ROWS, 1))
    far[1_048_576] = [""] * 18 + [" "]  # a space typed far away: a 6 KB file reaching S1048576
    write_xlsx(folder / "远处单元格.xlsx", [("台账", sheet_xml(far))])
    far_list: dict[int, Sequence[object]] = dict(enumerate(TAX_ROWS, 1))
    far_list[1_048_576] = [""] * 18 + ["备注：以上为全部名单"]
    write_xlsx(folder / "远处单元格名单.xlsx", [("纳税企业", sheet_xml(far_list))])
    # Control characters after the first 4 KB of a csv (before it, NUL means binary).
    padding = [["鹤岗市税务局2022年11月台账" + "　" * 1500]]
    write_csv(
        folder / "控制字符.csv", [*padding, HEADER, [1, "市税务局", "纳税企业", CONTROL_TEXT]]
    )
    write_xlsx(
        folder / "控制字符.xlsx",
        [("台账", sheet_xml([HEADER, [1, "市税务局", "纳税企业", CONTROL_TEXT]]))],
    )
    write_xlsx(
        folder / "公式缓存值.xlsx",
        [
            (
                "台账",
                sheet_xml(
                    [
                        HEADER,
                        [
                            1,
                            "市税务局",
                            "纳税企业",
                            Formula('CONCATENATE("对全市9889户")', TAX_TEXT),
                        ],
                    ]
                ),
            )
        ],
    )
    write_xlsx(
        folder / "公式无缓存值.xlsx",
        [
            (
                "台账",
                sheet_xml(
                    [
                        HEADER,
                        [1, "市税务局", "纳税企业", Formula('CONCATENATE("对全市9889户")', None)],
                    ]
                ),
            )
        ],
    )
    write_xlsx(
        folder / "序列号月份.xlsx",
        [("台账", sheet_xml([[*HEADER[:3], 44866], [1, "市税务局", "纳税企业", TAX_TEXT]]))],
    )
    lines = [
        ",".join(HEADER),
        "1,市税务局,纳税企业," + TAX_TEXT,
        "2,鹤岗海关,海关企业,新增AEO高级认证企业1家。",
        "3,市生态环境局,企业环境,绿牌企业32家。",
    ]
    (folder / "混合换行.csv").write_bytes(
        (lines[0] + "\r\n" + lines[1] + "\n" + lines[2] + "\r" + lines[3] + "\r\n").encode()
    )
    (folder / "中间BOM.csv").write_bytes(
        ("\ufeff" + lines[0] + "\r\n" + lines[1] + "\r\n" + "\ufeff" + lines[2] + "\r\n").encode()
    )
    footer = [
        HEADER,
        [1, "市税务局", "纳税企业", TAX_TEXT],
        ["填报人：张三", "", "", "联系电话：0468-1234567"],
        ["", "审核人：李四", "", "填报日期：2022年11月18日"],
        ["", "", "填报人：张三　审核人：李四"],
        ["", "", "（盖章）"],
    ]
    write_xlsx(folder / "页脚.xlsx", [("台账", sheet_xml(footer))])
    write_csv(folder / "页脚.csv", footer)
    mismatch = io.BytesIO()
    with zipfile.ZipFile(mismatch, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in xlsx_parts([("台账", sheet_xml(RETURN_ROWS))]).items():
            zf.writestr(zipfile.ZipInfo(name, ZIP_DATE), data)
    (folder / "其实是xlsx.xls").write_bytes(mismatch.getvalue())
    write_csv(folder / "UTF16.csv", RETURN_ROWS, encoding="utf-16")
    write_csv(
        folder / "月份开头的未知行.csv",
        [
            HEADER,
            [1, "市大数据中心", "数据共享领域", "12月开展数据共享单位信用评价"],
            [2, "市税务局", "纳税企业", TAX_TEXT],
        ],
    )


def make_big(folder: Path) -> dict[str, Path]:
    """The big corpus files (not in git): a decompression bomb (over the 1024 MB unzipped
    limit), a ratio bomb (under it, 500x compressed), 200,000 blank rows (xlsx and csv), a
    10 MB cell (xlsx and csv), 16,384 columns. Written once per folder."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "refused": folder / "refused",
        "handled": folder / "handled",
    }
    for p in paths.values():
        p.mkdir(exist_ok=True)
    bomb = paths["refused"] / "压缩炸弹.xlsx"
    if not bomb.exists():
        _bomb(bomb, 1100 * 1024 * 1024)
    ratio = paths["refused"] / "高压缩比.xlsx"
    if not ratio.exists():
        _bomb(ratio, 48 * 1024 * 1024)
    handled = paths["handled"]
    blank = handled / "二十万空行.xlsx"
    if not blank.exists():
        rows: dict[int, Sequence[object]] = dict(enumerate(TAX_ROWS, 1))
        body = sheet_xml(rows).replace(
            "</sheetData>",
            "".join(
                f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t></t></is></c><c r="D{r}" t="inlineStr"><is><t></t></is></c></row>'
                for r in range(len(TAX_ROWS) + 1, len(TAX_ROWS) + 200_001)
            )
            + "</sheetData>",
        )
        write_xlsx(blank, [("纳税企业", body)])
    blank_csv = handled / "二十万空行.csv"
    if not blank_csv.exists():
        write_csv(blank_csv, [*RETURN_ROWS, *([""] * 4 for _ in range(200_000))])
    # Prose-like: characters drawn at random (a repeated one would compress 1000-fold, as
    # no clerk's text does, and be refused as a bomb).
    rng = random.Random(10)
    common = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"
    long = "对全市9889户纳税人开展评价。" + "".join(
        rng.choice(common) for _ in range(10 * 1024 * 1024)
    )
    big_cell = handled / "一千万字符.xlsx"
    if not big_cell.exists():
        write_xlsx(big_cell, [("台账", sheet_xml([HEADER, [1, "市税务局", "纳税企业", long]]))])
    big_field = handled / "一千万字符.csv"
    if not big_field.exists():
        write_csv(big_field, [HEADER, [1, "市税务局", "纳税企业", long]])
    wide = handled / "16384列名单.xlsx"
    if not wide.exists():
        extra = 16_384 - len(TAX_HEADER)
        header = [*TAX_HEADER, *(f"备用{i}" for i in range(1, extra + 1))]
        rows_w = [header] + [[*r, *(["-"] * extra)] for r in TAX_ROWS[1:]]
        write_xlsx(wide, [("纳税企业", sheet_xml(rows_w))])
    return paths


def _bomb(path: Path, size: int) -> None:
    """An xlsx whose sheet inflates to ``size`` bytes: one cell of the same letter, repeated."""
    head, tail = sheet_xml([HEADER, [1, "市税务局", "纳税企业", "@"]]).split("@")
    chunk = b"x" * (1024 * 1024)
    parts = xlsx_parts([("台账", sheet_xml([HEADER]))])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                zf.writestr(zipfile.ZipInfo(name, ZIP_DATE), data)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as fh:
            fh.write(head.encode())
            written = len(head)
            while written < size:
                fh.write(chunk)
                written += len(chunk)
            fh.write(tail.encode())


def make_special(folder: Path) -> dict[str, Path]:
    """What git cannot hold: a folder, a named pipe, a symlink loop, a dangling symlink."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {
        "folder": folder / "文件夹.xlsx",
        "fifo": folder / "命名管道.csv",
        "loop": folder / "循环链接.xlsx",
        "dangling": folder / "断开的链接.xlsx",
    }
    made["folder"].mkdir(exist_ok=True)
    if not made["fifo"].exists():
        os.mkfifo(made["fifo"])
    if not os.path.lexists(made["loop"]):
        os.symlink(made["loop"].name, made["loop"])
    if not os.path.lexists(made["dangling"]):
        os.symlink("不存在的文件.xlsx", made["dangling"])
    return made


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=Path, help="write the big files into this folder")
    parser.add_argument("--out", type=Path, default=HERE, help="folder of the small files")
    args = parser.parse_args(argv)
    if args.big:
        print(make_big(args.big))
        return
    make_refused(args.out / "refused")
    make_handled(args.out / "handled")


if __name__ == "__main__":
    sys.exit(main())
