"""The .docx notices read back: GB/T 9704 layout in Word's units (page, margins, line grid,
fonts, sizes, red header, tables, page numbers), and what they say matches the check."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from hgcredit.ledger.check import FILLED
from hgcredit.notices.make import make_notice

DATA = Path(__file__).resolve().parent.parent / "sample_data"
RETURNS = sorted(p for p in (DATA / "returns").iterdir() if "更正" not in p.name)
MONTH_FILES = [
    *sorted((DATA / "台账").iterdir()),
    *RETURNS,
    *sorted(p for p in (DATA / "returns").iterdir() if "更正" in p.name),
    *sorted((DATA / "lists").iterdir()),
]
ENTITIES = DATA / "entities"
CJK_FONTS = {"仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体"}


def _w(el, name):
    return el.get(qn(f"w:{name}"))


@pytest.fixture(scope="module")
def overdue(tmp_path_factory):
    out = tmp_path_factory.mktemp("notice") / "通报.docx"
    notice = make_notice("overdue", MONTH_FILES, "2022-11", as_of=dt.date(2022, 11, 21), output=out)
    return notice, docx.Document(str(out)), out


@pytest.fixture(scope="module")
def letter(tmp_path_factory):
    out = tmp_path_factory.mktemp("notice") / "双A.docx"
    notice = make_notice(
        "double-a", [], "2022-11", as_of=dt.date(2022, 12, 1), output=out,
        tax=ENTITIES / "鹤岗市2022年度纳税信用级别名单.xlsx",
        public=ENTITIES / "鹤岗市2022年度公共信用评价结果.xlsx",
        previous=ENTITIES / "鹤岗市2021年度双A企业名单.xlsx",
    )  # fmt: skip
    return notice, docx.Document(str(out))


def _paragraph(document, text):
    return next(p for p in document.paragraphs if p.text == text)


def _run_props(run):
    rpr = run._r.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    return {
        "eastAsia": _w(fonts, "eastAsia"),
        "ascii": _w(fonts, "ascii"),
        "size": int(_w(rpr.find(qn("w:sz")), "val")),
        "color": _w(rpr.find(qn("w:color")), "val")
        if rpr.find(qn("w:color")) is not None
        else None,
        "lang": _w(rpr.find(qn("w:lang")), "eastAsia"),
    }


# ------------------------------------------------------------------ page


def test_a4_page_with_the_gb_margins(overdue):
    section = overdue[1].sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert (section.top_margin.twips, section.bottom_margin.twips) == (2098, 1984)
    assert (section.left_margin.twips, section.right_margin.twips) == (1588, 1474)


def test_22_lines_on_a_grid_of_579_twips(overdue):
    document = overdue[1]
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert (_w(grid, "type"), _w(grid, "linePitch")) == ("lines", "579")
    body = document.styles["公文正文"].element.find(qn("w:pPr"))
    spacing = body.find(qn("w:spacing"))
    assert (_w(spacing, "line"), _w(spacing, "lineRule")) == ("579", "exact")
    assert _w(body.find(qn("w:ind")), "firstLine") == "640"  # two characters
    rpr = document.styles["公文正文"].element.find(qn("w:rPr"))
    assert _w(rpr.find(qn("w:spacing")), "val") == "-5"  # 28 characters a line


def test_every_run_names_the_office_fonts_with_chinese_language(overdue):
    document = overdue[1]
    runs = [r for p in document.paragraphs for r in p.runs if r.text.strip()]
    runs += [
        r for t in document.tables for row in t.rows for c in row.cells
        for p in c.paragraphs for r in p.runs if r.text.strip()
    ]  # fmt: skip
    assert len(runs) > 100
    for run in runs:
        props = _run_props(run)
        assert props["eastAsia"] in CJK_FONTS, run.text
        assert props["ascii"] == "Times New Roman"
        assert props["lang"] == "zh-CN"


def test_red_header_number_rule_title_and_body_sizes(overdue):
    notice, document, _ = overdue
    ctx = notice.context
    header = _run_props(_paragraph(document, ctx["office"]["header"]).runs[0])
    assert (header["eastAsia"], header["color"]) == ("方正小标宋简体", "FF0000")
    number = _paragraph(document, ctx["doc_number"])
    rule = number._p.find(qn("w:pPr")).find(qn("w:pBdr")).find(qn("w:bottom"))
    assert _w(rule, "color") == "FF0000"
    title = _run_props(_paragraph(document, ctx["title"]).runs[0])
    assert (title["eastAsia"], title["size"]) == ("方正小标宋简体", 44)
    heading = _run_props(_paragraph(document, "一、总体情况").runs[0])
    assert (heading["eastAsia"], heading["size"]) == ("黑体", 32)
    addressed = _run_props(_paragraph(document, "各有关单位：").runs[0])
    assert (addressed["eastAsia"], addressed["size"]) == ("仿宋_GB2312", 32)
    sub = next(p for p in document.paragraphs if p.text.startswith("（一）未报送"))
    assert _run_props(sub.runs[0])["eastAsia"] == "楷体_GB2312"


def test_page_numbers_on_the_outer_side(overdue):
    document = overdue[1]
    settings = document.settings.element
    assert settings.find(qn("w:evenAndOddHeaders")) is not None
    section = document.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        (p,) = footer.paragraphs
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert _w(p._p.find(qn("w:pPr")).find(qn("w:jc")), "val") == side
        assert " PAGE " in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert _run_props(p.runs[0])["eastAsia"] == "宋体"
        assert _run_props(p.runs[0])["size"] == 28


def test_attachment_on_a_new_page_and_the_imprint_at_the_end(overdue):
    notice, document, _ = overdue
    label = _paragraph(document, "附件")
    assert label._p.find(qn("w:pPr")).find(qn("w:pageBreakBefore")) is not None
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[-2] == "抄送：市委办公室，市政府办公室。"
    assert texts[-1] == f"{notice.context['office']['printer']}\t2022年11月21日印发"
    for text in texts[-2:]:
        ppr = _paragraph(document, text)._p.find(qn("w:pPr"))
        assert _w(ppr.find(qn("w:framePr")), "y") is not None  # at the foot of the page
    signature = texts.index(notice.context["office"]["signature"])
    assert texts[signature + 1] == "2022年11月21日"


# ------------------------------------------------------------------ what it says


def test_every_unit_not_filled_is_named_and_no_filled_one(overdue):
    notice, document, _ = overdue
    texts = [p.text for p in document.paragraphs]
    start = texts.index("二、未按时报送单位")
    end = next(i for i in range(start + 1, len(texts)) if texts[i].startswith("三、"))
    section = "".join(texts[start:end])
    units = notice.context["units"]
    assert units
    for u in units:
        assert f"{u['department']}（{u['domain']}" in section
    for row in notice.context["table"]:
        if row["status"] == "on_time":
            assert f"（{row['domain']}" not in section
    held = [u for u in units if u["status"] == "placeholder"]
    assert held and all(f"仅填写“{u['text']}”" in section for u in held)


def test_the_attachment_table_has_a_row_per_domain_and_a_repeating_header(overdue):
    notice, document, _ = overdue
    (table,) = document.tables
    rows = table.rows
    assert [c.text for c in rows[0].cells] == [
        "序号", "实施部门", "分级分类领域", "责任科室/责任人", "报送情况", "连续未报月数", "备注"
    ]  # fmt: skip
    assert len(rows) == 1 + len(notice.context["table"]) == 24
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)
    widths = [int(_w(c, "w")) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) == 11906 - 1588 - 1474
    for row, expected in zip(rows[1:], notice.context["table"], strict=True):
        cells = [c.text for c in row.cells]
        assert cells[:3] == [str(expected["serial"]), expected["department"], expected["domain"]]
        assert cells[4] == expected["status_label"]
    status = {r.cells[2].text: r.cells[4].text for r in rows[1:]}
    assert sum(v == "按时" for v in status.values()) == notice.context["counts"]["on_time"]


def test_the_statuses_in_the_table_are_the_checks(overdue):
    from hgcredit.month.analyse import analyse_month

    _, document, _ = overdue
    check = analyse_month(MONTH_FILES, "2022-11", as_of=dt.date(2022, 11, 21)).check
    (table,) = document.tables
    for row, d in zip(table.rows[1:], check.domains, strict=True):
        assert (row.cells[4].text == "按时") is (d.status == FILLED)


def test_the_double_a_tables_per_county(letter):
    notice, document = letter
    ctx = notice.context
    counties = [p.text for p in document.paragraphs if p.style.name == "附件分组"]
    assert counties == [f"{c['county']}（{c['count']}户）" for c in ctx["counties"]]
    tables = document.tables
    assert len(tables) == len(ctx["counties"]) + 1  # and the table of those that dropped out
    for table, county in zip(tables, ctx["counties"], strict=False):
        header = [c.text for c in table.rows[0].cells]
        assert header == ["序号", "企业名称", "统一社会信用代码", "县（区）", "纳税信用等级",
                          "公共信用评价等级", "新增/保留"]  # fmt: skip
        assert [r.cells[2].text for r in table.rows[1:]] == [
            e["code"] for e in county["enterprises"]
        ]
    removed = tables[-1]
    assert [c.text for c in removed.rows[0].cells][-1] == "退出原因"
    assert len(removed.rows) == 1 + len(ctx["removed"])
    body = "".join(p.text for p in document.paragraphs)
    assert f"全市共认定“双A企业”{ctx['total']}户" in body
    for county in ctx["counties"]:
        assert f"{county['county']}{county['count']}户" in body
    assert "专家体检+绿色通道" in body and "风险提示+无事不扰" in body


def test_without_last_years_list_the_double_a_tables_have_no_change_column(tmp_path):
    out = tmp_path / "双A.docx"
    make_notice(
        "double-a", [], "2022-11", as_of=dt.date(2022, 12, 1), output=out,
        tax=ENTITIES / "鹤岗市2022年度纳税信用级别名单.xlsx",
        public=ENTITIES / "鹤岗市2022年度公共信用评价结果.xlsx",
    )  # fmt: skip
    document = docx.Document(str(out))
    assert all(len(t.columns) == 6 for t in document.tables)
    assert "附件2" not in [p.text for p in document.paragraphs]


def test_fixed_properties_and_zip_times(overdue):
    notice, document, out = overdue
    props = document.core_properties
    assert props.created == props.modified == dt.datetime(2022, 11, 21, tzinfo=dt.UTC)
    assert props.author == notice.context["office"]["issuer"]
    assert props.title == notice.context["title"]
    with zipfile.ZipFile(out) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert not [n for n in z.namelist() if "thumbnail" in n]


def test_the_same_notice_twice_is_the_same_bytes(overdue, tmp_path):
    _, _, first = overdue
    again = tmp_path / "again.docx"
    make_notice("overdue", MONTH_FILES, "2022-11", as_of=dt.date(2022, 11, 21), output=again)
    assert again.read_bytes() == first.read_bytes()
    assert io.BytesIO(first.read_bytes()).getvalue()[:2] == b"PK"
