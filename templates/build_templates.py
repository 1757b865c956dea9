"""Build the Word templates of the notices (``make templates``): overdue.docx,
reminder.docx and double-a.docx, laid out as GB/T 9704-2012 asks, in Word's units.

The layout lives here, reviewable line by line, rather than in binary files edited by
hand; the wording is Jinja inside the text (docxtpl tags: ``{%p if %}`` paragraphs,
``{%tr for %}`` table rows), fed the context ``hgcredit notice … --json`` prints. Running it
twice gives the same bytes.

Page: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 28
characters (exact line spacing 579 twips on a line grid of 579, body character spacing
−0.25 pt). Fonts as the office's Windows machines name them: 仿宋_GB2312 body (三号 16 pt),
方正小标宋简体 title (二号 22 pt) and red 发文机关标志, 黑体 一、 headings, 楷体_GB2312 （一）
headings, Times New Roman for Latin letters and digits; page numbers ``— 1 —`` in 宋体
14 pt on the outer side.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips

from hgcredit.notices.render import stable_docx

HERE = Path(__file__).resolve().parent

# ------------------------------------------------------------------ units and fonts

PAGE_W, PAGE_H = 11906, 16838  # A4
TOP, BOTTOM, LEFT, RIGHT = 2098, 1984, 1588, 1474  # 37, 35, 28, 26 mm
TEXT_W = PAGE_W - LEFT - RIGHT  # 8844 twips = 156 mm
LINE = 579  # exact line spacing and grid pitch: 22 lines a page
CHAR = 320  # one 三号 character (16 pt), for indents
FOOTER = 1304  # 23 mm from the paper's bottom edge: the number ~7 mm below the text

FANGSONG, KAITI, HEITI, SONGTI, XBS = "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体"
LATIN = "Times New Roman"
RED = "FF0000"
SIZE_BODY, SIZE_TITLE, SIZE_SMALL, SIZE_TABLE, SIZE_LIST = 32, 44, 28, 24, 21  # half-points

# Child order of w:rPr and w:pPr (ECMA-376), so that inserted properties stay valid.
RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]
PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]


def put(parent, tag: str, order: Sequence[str], **attrs: str):
    """Set child ``w:tag`` of ``parent`` (replacing any), at its place in ``order``."""
    for old in parent.findall(qn(f"w:{tag}")):
        parent.remove(old)
    el = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), str(value))
    later = {qn(f"w:{t}") for t in order[order.index(tag) + 1 :]}
    for i, child in enumerate(parent):
        if child.tag in later:
            parent.insert(i, el)
            return el
    parent.append(el)
    return el


def run_props(rpr, font: str, size: int, *, color: str | None = None, spacing: int = 0,
              scale: int | None = None) -> None:  # fmt: skip
    """Fonts (CJK face in eastAsia, Times New Roman for Latin), size, colour, spacing."""
    put(rpr, "rFonts", RPR_ORDER, ascii=LATIN, hAnsi=LATIN, eastAsia=font, cs=LATIN,
        hint="eastAsia")  # fmt: skip
    if color:
        put(rpr, "color", RPR_ORDER, val=color)
    if spacing:
        put(rpr, "spacing", RPR_ORDER, val=spacing)
    if scale:
        put(rpr, "w", RPR_ORDER, val=scale)
    put(rpr, "kern", RPR_ORDER, val=0)
    put(rpr, "sz", RPR_ORDER, val=size)
    put(rpr, "szCs", RPR_ORDER, val=size)
    put(rpr, "lang", RPR_ORDER, val="en-US", eastAsia="zh-CN", bidi="ar-SA")


# ------------------------------------------------------------------ styles

# name -> (font, size, colour, character spacing, width scale)
RUN_STYLES: dict[str, tuple[str, int, str | None, int, int | None]] = {}


def paragraph_style(doc, name: str, font: str, size: int, *, jc: str = "both",
                    first_line: int = 0, left: int = 0, right: int = 0, line: int | None = LINE,
                    before: int = 0, after: int = 0, color: str | None = None,
                    spacing: int = 0, scale: int | None = None, snap: bool = True,
                    keep_next: bool = False) -> None:  # fmt: skip
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    ppr = style.element.get_or_add_pPr()
    if keep_next:
        put(ppr, "keepNext", PPR_ORDER)
    if not snap:
        put(ppr, "snapToGrid", PPR_ORDER, val=0)
    if line is None:
        put(ppr, "spacing", PPR_ORDER, before=before, after=after, line=240, lineRule="auto")
    else:
        put(ppr, "spacing", PPR_ORDER, before=before, after=after, line=line, lineRule="exact")
    put(ppr, "ind", PPR_ORDER, left=left, right=right, firstLine=first_line)
    put(ppr, "jc", PPR_ORDER, val=jc)
    run_props(style.element.get_or_add_rPr(), font, size, color=color, spacing=spacing,
              scale=scale)  # fmt: skip
    RUN_STYLES[name] = (font, size, color, spacing, scale)


def add_styles(doc) -> None:
    """The document's defaults and the paragraph styles every notice uses."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    run_props(rpr, FANGSONG, SIZE_BODY)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    put(ppr, "spacing", PPR_ORDER, before=0, after=0, line=LINE, lineRule="exact")
    normal = doc.styles["Normal"].element
    nppr = normal.get_or_add_pPr()
    put(nppr, "widowControl", PPR_ORDER, val=0)
    put(nppr, "spacing", PPR_ORDER, before=0, after=0, line=LINE, lineRule="exact")
    put(nppr, "jc", PPR_ORDER, val="both")
    run_props(normal.get_or_add_rPr(), FANGSONG, SIZE_BODY, spacing=-5)

    body = {"spacing": -5}
    paragraph_style(doc, "公文正文", FANGSONG, SIZE_BODY, first_line=2 * CHAR, **body)
    paragraph_style(doc, "公文顶格", FANGSONG, SIZE_BODY, **body)
    paragraph_style(doc, "发文机关标志", XBS, SIZE_TITLE, jc="center", line=None, color=RED,
                    scale=90, before=1920)  # fmt: skip
    paragraph_style(doc, "发文字号", FANGSONG, SIZE_BODY, jc="center")
    paragraph_style(doc, "公文标题", XBS, SIZE_TITLE, jc="center", snap=False)
    paragraph_style(doc, "一级标题", HEITI, SIZE_BODY, first_line=2 * CHAR, keep_next=True,
                    **body)  # fmt: skip
    paragraph_style(doc, "二级标题", KAITI, SIZE_BODY, first_line=2 * CHAR, keep_next=True,
                    **body)  # fmt: skip
    paragraph_style(doc, "附件说明", FANGSONG, SIZE_BODY, left=5 * CHAR, first_line=-3 * CHAR,
                    **body)  # fmt: skip
    paragraph_style(doc, "署名", FANGSONG, SIZE_BODY, jc="right", right=2 * CHAR, **body)
    paragraph_style(doc, "成文日期", FANGSONG, SIZE_BODY, jc="left", left=_date_indent(),
                    **body)  # fmt: skip
    paragraph_style(doc, "附件标识", HEITI, SIZE_BODY, jc="left", keep_next=True, **body)
    paragraph_style(doc, "附件分组", KAITI, SIZE_BODY, jc="left", keep_next=True, before=LINE // 2,
                    **body)  # fmt: skip
    paragraph_style(doc, "表头", HEITI, SIZE_TABLE, jc="center", line=None, snap=False)
    paragraph_style(doc, "表格文字", FANGSONG, SIZE_TABLE, jc="left", line=None, snap=False)
    paragraph_style(doc, "表格居中", FANGSONG, SIZE_TABLE, jc="center", line=None, snap=False)
    paragraph_style(doc, "名单表头", HEITI, SIZE_LIST, jc="center", line=None, snap=False)
    paragraph_style(doc, "名单文字", FANGSONG, SIZE_LIST, jc="left", line=None, snap=False)
    paragraph_style(doc, "名单居中", FANGSONG, SIZE_LIST, jc="center", line=None, snap=False)
    paragraph_style(doc, "版记", FANGSONG, SIZE_SMALL, jc="left", left=CHAR * 7 // 8,
                    right=CHAR * 7 // 8, line=None, snap=False)  # fmt: skip
    paragraph_style(doc, "页码", SONGTI, SIZE_SMALL, jc="right", line=None, snap=False)


def _date_indent() -> int:
    """Where the date starts: two characters right of the signature's first character
    (GB/T 9704 7.3.5.2, no seal), for the default signature of 20 characters."""
    signature = 20 * (CHAR - 5)  # characters less the body's −0.25 pt spacing
    return TEXT_W - 2 * CHAR - signature + 2 * CHAR


# ------------------------------------------------------------------ paragraphs

Run = str | tuple[str, str]  # text, or (style of the run's font, text)


def para(container, style: str, *runs: Run, page_break: bool = False,
         border: dict[str, str] | None = None):  # fmt: skip
    """A paragraph of ``style`` whose runs carry the style's fonts explicitly."""
    p = container.add_paragraph(style=style)
    ppr = p._p.get_or_add_pPr()
    if page_break:
        put(ppr, "pageBreakBefore", PPR_ORDER)
    if border:
        bdr = put(ppr, "pBdr", PPR_ORDER)
        el = OxmlElement("w:bottom")
        for key, value in border.items():
            el.set(qn(f"w:{key}"), value)
        bdr.append(el)
    for item in runs:
        run_style, text = (style, item) if isinstance(item, str) else item
        r = p.add_run(text)
        font, size, color, spacing, scale = RUN_STYLES[run_style]
        run_props(r._r.get_or_add_rPr(), font, size, color=color, spacing=spacing,
                  scale=scale)  # fmt: skip
    return p


def blank(container, n: int = 1) -> None:
    for _ in range(n):
        para(container, "公文顶格")


def tag(container, text: str) -> None:
    """A paragraph that only holds a docxtpl paragraph tag (``{%p if … %}``)."""
    para(container, "公文顶格", text)


# ------------------------------------------------------------------ page set-up


def page_setup(doc, *, first_page_number: bool = True) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(PAGE_W), Twips(PAGE_H)
    section.top_margin, section.bottom_margin = Twips(TOP), Twips(BOTTOM)
    section.left_margin, section.right_margin = Twips(LEFT), Twips(RIGHT)
    section.header_distance = Twips(851)
    section.footer_distance = Twips(FOOTER)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, "right")
    _page_number(section.even_page_footer, "left")
    section.header.is_linked_to_previous = False
    section.even_page_header.is_linked_to_previous = False
    if not first_page_number:
        section.different_first_page_header_footer = True


def _page_number(footer, side: str) -> None:
    """``— 1 —`` in 宋体 14 pt, one character in from the outer side."""
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p.style = "页码"
    ppr = p._p.get_or_add_pPr()
    put(ppr, "ind", PPR_ORDER, left=280 if side == "left" else 0,
        right=280 if side == "right" else 0)  # fmt: skip
    put(ppr, "jc", PPR_ORDER, val=side)
    font, size, *_ = RUN_STYLES["页码"]

    def run(text: str | None = None, field: str | None = None, instr: str | None = None):
        r = p.add_run()
        run_props(r._r.get_or_add_rPr(), font, size)
        if field:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), field)
            r._r.append(el)
        elif instr:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
            r._r.append(el)
        else:
            r.text = text

    run("— ")
    run(field="begin")
    run(instr=" PAGE ")
    run(field="separate")
    run("1")
    run(field="end")
    run(" —")


# ------------------------------------------------------------------ tables

BORDER = {"val": "single", "sz": "4", "space": "0", "color": "000000"}


def table(doc, widths: Sequence[int], header: Sequence[str], rows: Sequence[Sequence[Run]],
          *, header_style: str = "表头", styles: Sequence[str]):  # fmt: skip
    """A table with widths in its grid, a header row that repeats on every page and rows
    that do not split; ``rows`` are the template rows (``{%tr for %}`` … ``{%tr endfor %}``)."""
    t = doc.add_table(rows=0, cols=len(widths))
    tbl = t._tbl
    tblpr = tbl.tblPr
    for old in tblpr.findall(qn("w:tblStyle")):
        tblpr.remove(old)
    _child(tblpr, "w:tblW", w=str(sum(widths)), type="dxa")
    _child(tblpr, "w:jc", val="center")
    borders = _child(tblpr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _child(borders, f"w:{side}", **BORDER)
    _child(tblpr, "w:tblLayout", type="fixed")
    margins = _child(tblpr, "w:tblCellMar")
    for side in ("left", "right"):
        _child(margins, f"w:{side}", w="57", type="dxa")
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(width))
    _row(t, widths, [[h] for h in header], [header_style] * len(widths), header=True)
    for cells in rows:
        _row(t, widths, [[c] for c in cells], styles)
    return t


def _row(t, widths, cells, styles, *, header: bool = False) -> None:
    row = t.add_row()
    trpr = row._tr.get_or_add_trPr()
    _child(trpr, "w:cantSplit")
    if header:
        _child(trpr, "w:tblHeader")
    for cell, width, content, style in zip(row.cells, widths, cells, styles, strict=True):
        cell.width = Twips(width)
        tcpr = cell._tc.get_or_add_tcPr()
        _child(tcpr, "w:vAlign", val="center")
        first = cell.paragraphs[0]
        first._p.getparent().remove(first._p)
        para(cell, style, *content)


def _child(parent, tag: str, **attrs: str):
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    parent.append(el)
    return el


def loop_rows(var: str, items: str, cells: Sequence[Run], cols: int) -> list[Sequence[Run]]:
    """The three template rows of a docxtpl row loop."""
    return [
        [f"{{%tr for {var} in {items} %}}", *[""] * (cols - 1)],
        list(cells),
        ["{%tr endfor %}", *[""] * (cols - 1)],
    ]


# ------------------------------------------------------------------ shared blocks


def red_head(doc) -> None:
    """发文机关标志, 发文字号 and the red rule (版头)."""
    para(doc, "发文机关标志", "{{ office.header }}")
    blank(doc, 2)
    para(doc, "发文字号", "{{ doc_number }}",
         border={"val": "single", "sz": "12", "space": "11", "color": RED})  # fmt: skip
    blank(doc, 2)


def contact(doc) -> None:
    """Contact, phone and mailbox on two lines, as notice 鹤信用办发〔2022〕31号 has them
    (an address never breaks, so it starts its own line)."""
    para(doc, "公文正文", "联系人：{{ office.contact }}，联系电话：{{ office.phone }}。")
    para(doc, "公文正文", "邮箱：{{ office.mailbox }}。")


def signature(doc) -> None:
    """署名 and 成文日期 one line below the text (GB/T 9704 7.3.5.2, no seal)."""
    blank(doc)
    para(doc, "署名", "{{ office.signature }}")
    para(doc, "成文日期", "{{ date }}")


def imprint(doc) -> None:
    """版记: 抄送, 印发机关 and 印发日期 between rules (first and last 0.35 mm, middle 0.25 mm),
    at the foot of the text area of the last page: each line in a frame of its own
    (LibreOffice groups consecutive framed paragraphs only when their borders are alike)."""
    height = TOP + (PAGE_H - TOP - BOTTOM)  # the foot of the text area, from the paper's top
    tag(doc, "{%p if office.cc %}")
    _framed(para(doc, "版记", "抄送：{{ office.cc|join('，') }}。"), height - 2 * LINE,
            top="8", bottom="4")  # fmt: skip
    _nothing(doc)  # keeps the two frames apart
    _framed(_printed(doc), height - LINE, bottom="8")
    tag(doc, "{%p else %}")
    _framed(_printed(doc), height - LINE, top="8", bottom="8")
    tag(doc, "{%p endif %}")
    _nothing(doc)


def _nothing(doc) -> None:
    """A paragraph that takes no room."""
    p = para(doc, "公文顶格")
    put(p._p.get_or_add_pPr(), "spacing", PPR_ORDER, before=0, after=0, line=20,
        lineRule="exact")  # fmt: skip


def _printed(doc):
    """印发机关 on the left, 印发日期 on the right (a right tab one character in)."""
    p = para(doc, "版记", "{{ office.printer }}\t{{ date }}印发")
    ppr = p._p.get_or_add_pPr()
    tabs = put(ppr, "tabs", PPR_ORDER)
    # The tab at the right edge: the office's full name and the date only just fit.
    tabs.append(_make("w:tab", val="right", pos=str(TEXT_W)))
    put(ppr, "ind", PPR_ORDER, left=CHAR * 7 // 8, right=0)
    return p


def _framed(p, y: int, **borders: str) -> None:
    """Put ``p`` in a frame one line high, ``y`` twips from the paper's top, with rules."""
    ppr = p._p.get_or_add_pPr()
    put(ppr, "framePr", PPR_ORDER, w=TEXT_W, h=LINE, hRule="exact", wrap="notBeside",
        hAnchor="margin", vAnchor="page", x=0, y=y)  # fmt: skip
    bdr = put(ppr, "pBdr", PPR_ORDER)
    for side in ("top", "bottom"):
        if side in borders:
            bdr.append(_make(f"w:{side}", val="single", sz=borders[side], space="1",
                             color="000000"))  # fmt: skip


def _make(tag: str, **attrs: str):
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def join(items: str, text: str, sep: str = "、") -> str:
    """Inline Jinja: ``text`` for each of ``items``, separated by ``sep``."""
    return f"{{% for u in {items} %}}{text}{{% if not loop.last %}}{sep}{{% endif %}}{{% endfor %}}"


def new_document(*, first_page_number: bool = True):
    doc = Document()
    # Parts of python-docx's default template no notice needs (a thumbnail of an empty
    # page would show in file browsers).
    for rels, kinds in ((doc.part.package.rels, ("/thumbnail",)),
                        (doc.part.rels, ("/stylesWithEffects", "/customXml"))):  # fmt: skip
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(kinds):
                rels.pop(rid)
    add_styles(doc)
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):
        body.remove(p)
    page_setup(doc, first_page_number=first_page_number)
    return doc


# ------------------------------------------------------------------ the circular

UNIT = "{{ u.department }}（{{ u.domain }}{% if u.note %}，{{ u.note }}{% endif %}）"


def overdue():
    doc = new_document()
    red_head(doc)
    para(doc, "公文标题", "{{ title }}")
    blank(doc)
    para(doc, "公文顶格", "{{ office.to }}：")
    para(doc, "公文正文",
         "为推动信用分级分类监管工作落地见效，"
         "{% if office.basis_title %}按照《{{ office.basis_title }}》"
         "{% if office.basis %}（{{ office.basis }}）{% endif %}要求，{% endif %}"
         "各有关单位应于每月{{ deadline_day }}日前将本单位信用分级分类监管有数据支撑的工作成效"
         "更新上报工作推进台账。现将{{ month_cn }}台账报送情况通报如下：")  # fmt: skip
    para(doc, "一级标题", "一、总体情况")
    para(doc, "公文正文",
         "全市{{ counts.departments }}个部门{{ counts.domains }}个领域应于{{ deadline_cn }}前"
         "报送{{ month_cn }}工作推进台账。截至{{ date }}，按时报送{{ counts.on_time }}个领域，"
         "按时报送率{{ counts.rate }}；{% if counts.late %}逾期报送{{ counts.late }}个，{% endif %}"
         "仅填写占位内容{{ counts.placeholder }}个，未报送{{ counts.missing }}个。"
         "已报送的{{ counts.filled }}个领域中，{{ counts.data_supported }}个有数据支撑"
         "{% if counts.without_data %}，{{ counts.without_data }}个没有数据支撑{% endif %}。")  # fmt: skip
    tag(doc, "{%p if trend %}")
    para(doc, "公文正文",
         "从近几个月看，"
         + join("trend", "{{ u.month_cn }}填报{{ u.filled }}个领域", "，")
         + "。")  # fmt: skip
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if praised %}")
    para(doc, "公文正文",
         join("praised", "{{ u }}") + "等{{ praised|length }}个单位按时报送，内容完整，"
         "有数据支撑，予以通报表扬。")  # fmt: skip
    tag(doc, "{%p endif %}")
    para(doc, "一级标题", "二、未按时报送单位")
    tag(doc, "{%p if not units and not late_units %}")
    para(doc, "公文正文", "各单位均按时报送了{{ month_cn }}工作推进台账。")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if counts.missing %}")
    para(doc, "公文正文",
         ("二级标题", "（一）未报送。"),
         "{% for u in units if u.status == 'missing' %}" + UNIT
         + "{% if not loop.last %}、{% endif %}{% endfor %}，"
         "共{{ counts.missing }}个领域。")  # fmt: skip
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if counts.placeholder %}")
    para(doc, "公文正文",
         ("二级标题", "（{{ '二' if counts.missing else '一' }}）仅填写占位内容。"),
         "{% for u in units if u.status == 'placeholder' %}" + UNIT
         + "{% if not loop.last %}、{% endif %}{% endfor %}，"
         "共{{ counts.placeholder }}个领域。")  # fmt: skip
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if late_units %}")
    para(doc, "公文正文",
         ("二级标题", "（{{ '一二三'[(1 if counts.missing else 0) + (1 if counts.placeholder else 0)] }}）"
                     "逾期报送。"),
         join("late_units", "{{ u.department }}（{{ u.domain }}）") + "，截止日后才报送。")  # fmt: skip
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if quality or no_data %}")
    para(doc, "一级标题", "三、报送质量问题")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if quality %}")
    para(doc, "公文正文",
         "以下领域报送的评级数量前后对不上，请核实后更正："
         + join("quality", "{{ u.department }}（{{ u.domain }}）：{{ u.problem }}", "；")
         + "。")  # fmt: skip
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if no_data %}")
    para(doc, "公文正文",
         join("no_data", "{{ u.department }}（{{ u.domain }}）")
         + "报送的内容没有数据支撑，请补充监管措施的具体数量和工作成效。")  # fmt: skip
    tag(doc, "{%p endif %}")
    para(doc, "一级标题", "{{ '四' if quality or no_data else '三' }}、有关要求")
    tag(doc, "{%p if units or late_units %}")
    para(
        doc,
        "公文正文",
        "（一）请未按时报送的单位于{{ catch_up_date }}前补报{{ month_cn }}工作推进台账。",
    )
    tag(doc, "{%p endif %}")
    para(doc, "公文正文",
         "（{{ '二' if units or late_units else '一' }}）各单位报送内容要聚焦监管措施、"
         "行业信用评价开展情况、评价结果应用情况和有数据支撑的工作成效，"
         "不得以“无”“同上月”等占位内容代替。")  # fmt: skip
    para(doc, "公文正文",
         "（{{ '三' if units or late_units else '二' }}）对再次未按时报送或报送质量不高的单位，"
         "将在全市进行通报，并呈报市委、市政府主要领导。")  # fmt: skip
    contact(doc)
    blank(doc)
    para(doc, "附件说明", "附件：{{ attachment }}")
    signature(doc)
    para(doc, "附件标识", "附件", page_break=True)
    blank(doc)
    para(doc, "公文标题", "{{ attachment }}")
    blank(doc)
    widths = (640, 1560, 1750, 1900, 1080, 840, 1074)
    assert sum(widths) == TEXT_W
    cells = ["{{ r.serial }}", "{{ r.department }}", "{{ r.domain }}", "{{ r.section_person }}",
             "{{ r.status_label }}", "{{ r.behind_months if r.behind_months else '' }}",
             "{{ r.note }}"]  # fmt: skip
    table(
        doc,
        widths,
        ["序号", "实施部门", "分级分类领域", "责任科室/责任人", "报送情况", "连续未报月数", "备注"],
        loop_rows("r", "table", cells, len(widths)),
        styles=["表格居中", "表格文字", "表格文字", "表格文字", "表格居中", "表格居中", "表格文字"],
    )
    imprint(doc)
    return doc


# ------------------------------------------------------------------ the reminder


def reminder():
    """No red header (a reminder is a short notice), one page for a usual month."""
    doc = new_document()
    para(doc, "公文标题", "{{ title }}")
    blank(doc)
    para(doc, "公文顶格", join("recipients", "{{ u }}") + "：")
    para(doc, "公文正文",
         "{% if office.basis_title %}按照《{{ office.basis_title }}》"
         "{% if office.basis %}（{{ office.basis }}）{% endif %}要求，{% endif %}"
         "各单位应于每月{{ deadline_day }}日前更新上报工作推进台账。截至{{ date }}，"
         "以下{{ units|length }}个领域尚未报送{{ month_cn }}台账或仅填写了占位内容：")  # fmt: skip
    tag(doc, "{%p for u in units %}")
    para(doc, "公文正文",
         "{{ loop.index }}．{{ u.department }}（{{ u.domain }}）："
         "{% if u.status == 'placeholder' %}仅填写“{{ u.text }}”{% else %}未报送{% endif %}"
         "{% if u.behind_months > 1 %}，已连续{{ u.behind_months }}个月未报送{% endif %}。")  # fmt: skip
    tag(doc, "{%p endfor %}")
    para(doc, "公文正文",
         "{% if deadline_passed %}报送截止日（{{ deadline_cn }}）已过{{ days_past }}天，"
         "请上述单位尽快"
         "{% elif days_left == 0 %}今天（{{ deadline_cn }}）是报送截止日，请上述单位于今天下班前"
         "{% else %}距报送截止日（{{ deadline_cn }}）还有{{ days_left }}天，请上述单位于截止日前"
         "{% endif %}将{{ month_cn }}工作推进台账报送市信用办，内容要有数据支撑。"
         "逾期未报送的，将在全市通报。")  # fmt: skip
    contact(doc)
    signature(doc)
    return doc


# ------------------------------------------------------------------ the double-A notice

MEASURES = [
    ("专家体检+绿色通道。",
     "针对“双A企业”生产经营活动中的涉税“难点”“堵点”和常见涉税风险疑点，组建专家服务团队，"
     "通过“线上+线下”进行涉税“体检”，及时为其提供各项税惠政策支持。办税场所提供绿色通道或"
     "专门人员预约上门帮助办理涉税事项，一般纳税人可单次领取3个月的增值税发票用量，需要调整"
     "增值税发票用量时即时办理，普通发票按需领用。"),
    ("容缺办理+快速退税。",
     "“双A企业”在办理相关事项时未能完整提交资料，承诺按照约定的方式和时间补齐资料的，可先行"
     "为其办理，并将纳税人事后履行承诺情况记入其信用档案。在办理退（免）税业务时，由税务机关"
     "提前预审，专人跟进，保证退库税款第一时间到达纳税人账户。"),
    ("风险提示+无事不扰。",
     "依托税收大数据，对“双A企业”涉税疑点主动提示提醒，及时帮助企业解决问题、消除风险。对"
     "“双A企业”除线索清晰的举报案件以及协查案件外，按照国家相关法律法规，在评定后的一年内，"
     "税务机关实行“零进入”、不打扰。"),
    ("定制服务+特约监督。",
     "根据“双A企业”特点和需求提供税收法律援助、涉税政策辅导、办税软件辅导等全链条、"
     "一对一的“个性化”定制服务。在纳税人自愿的前提下，聘请“双A企业”法定代表人或财务负责人"
     "担任纳税服务监督员，对税务干部税风税纪、服务质效进行监督。"),
]  # fmt: skip
NUMBERS = "一二三四五六七八九十"


def double_a():
    doc = new_document()
    red_head(doc)
    para(doc, "公文标题", "{{ title }}")
    blank(doc)
    para(doc, "公文顶格", "{{ office.tax_bureaus }}：")
    para(doc, "公文正文",
         "为充分发挥信用评价与纳税信用等级的叠加效应，营造更加优质的税收营商环境，"
         "{% if office.basis_title %}按照《{{ office.basis_title }}》"
         "{% if office.basis %}（{{ office.basis }}）{% endif %}有关要求，{% endif %}"
         "现将{{ year }}年度“双A企业”名单印发给你们，请结合工作实际认真落实。")  # fmt: skip
    para(doc, "一级标题", "一、“双A企业”认定情况")
    para(doc, "公文正文",
         "“双A企业”是指同时被评为纳税信用A级和公共信用评价A级的企业。经将{{ year }}年度"
         "公共信用评价结果与纳税信用评价结果逐户比对，全市共认定“双A企业”{{ total }}户"
         "{% if total %}，其中{% for c in counties %}{{ c.county }}{{ c.count }}户"
         "{% if not loop.last %}、{% endif %}{% endfor %}{% endif %}。")  # fmt: skip
    tag(doc, "{%p if has_previous %}")
    para(doc, "公文正文",
         "与{{ previous_year }}年度相比，新增{{ added|length }}户，退出{{ removed|length }}户，"
         "保留{{ kept }}户。退出的企业不再享受“双A企业”服务措施，名单见附件2。")  # fmt: skip
    tag(doc, "{%p endif %}")
    para(doc, "一级标题", "二、服务措施")
    for i, (head, text) in enumerate(MEASURES):
        para(doc, "公文正文", ("二级标题", f"（{NUMBERS[i]}）{head}"), text)
    para(doc, "一级标题", "三、有关要求")
    para(doc, "公文正文",
         "各县（区）税务局要将“双A企业”名单落实到具体服务人员，对名单内企业落实上述服务措施，"
         "并于{{ deadline_cn }}前将落实情况报送市信用办。"
         "企业信用状况发生变化或对名单有异议的，请及时与市信用办联系。")  # fmt: skip
    contact(doc)
    blank(doc)
    para(doc, "附件说明", "附件：1．{{ year }}年度“双A企业”名单")
    tag(doc, "{%p if has_previous %}")
    para(doc, "附件说明", "　　　2．{{ year }}年度退出“双A企业”名单")
    tag(doc, "{%p endif %}")
    signature(doc)
    para(doc, "附件标识", "附件1", page_break=True)
    blank(doc)
    para(doc, "公文标题", "{{ year }}年度“双A企业”名单")
    blank(doc)
    tag(doc, "{%p for c in counties %}")
    para(doc, "附件分组", "{{ c.county }}（{{ c.count }}户）")
    tag(doc, "{%p if has_previous %}")
    widths = (560, 2432, 2800, 820, 744, 744, 744)
    assert sum(widths) == TEXT_W
    header = [
        "序号",
        "企业名称",
        "统一社会信用代码",
        "县（区）",
        "纳税信用等级",
        "公共信用评价等级",
    ]
    cells = ["{{ e.serial }}", "{{ e.name }}", "{{ e.code }}", "{{ e.county }}",
             "{{ e.tax_grade }}", "{{ e.public_grade }}"]  # fmt: skip
    styles = ["名单居中", "名单文字", "名单居中", "名单居中", "名单居中", "名单居中"]
    table(doc, widths, [*header, "新增/保留"],
          loop_rows("e", "c.enterprises", [*cells, "{{ e.change }}"], len(widths)),
          header_style="名单表头", styles=[*styles, "名单居中"])  # fmt: skip
    tag(doc, "{%p else %}")
    widths6 = (560, 3176, 2800, 820, 744, 744)
    assert sum(widths6) == TEXT_W
    table(doc, widths6, header, loop_rows("e", "c.enterprises", cells, len(widths6)),
          header_style="名单表头", styles=styles)  # fmt: skip
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if has_previous %}")
    para(doc, "附件标识", "附件2", page_break=True)
    blank(doc)
    para(doc, "公文标题", "{{ year }}年度退出“双A企业”名单")
    blank(doc)
    widths5 = (560, 2432, 2800, 820, 2232)
    assert sum(widths5) == TEXT_W
    table(doc, widths5, ["序号", "企业名称", "统一社会信用代码", "县（区）", "退出原因"],
          loop_rows("e", "removed", ["{{ e.serial }}", "{{ e.name }}", "{{ e.code }}",
                                     "{{ e.county }}", "{{ e.reason }}"], 5),
          header_style="名单表头",
          styles=["名单居中", "名单文字", "名单居中", "名单居中", "名单文字"])  # fmt: skip
    tag(doc, "{%p endif %}")
    imprint(doc)
    return doc


# ------------------------------------------------------------------ output

BUILDERS = {"overdue": overdue, "reminder": reminder, "double-a": double_a}


def prune_styles(doc) -> None:
    """Keep only the styles the document uses (and the defaults and what they are based on):
    python-docx's default template brings 185, a fifth of a second to parse on every render."""
    parts = [doc.element, *(rel.target_part.element for rel in doc.part.rels.values()
                            if rel.reltype.endswith(("/footer", "/header")))]  # fmt: skip
    used = {
        el.get(qn("w:val"))
        for part in parts
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle")
        for el in part.iter(qn(tag))
    }
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    keep = used | {i for i, s in by_id.items() if s.get(qn("w:default")) == "1"}
    keep |= {i for i, s in by_id.items() if s.find(qn("w:name")).get(qn("w:val")) in RUN_STYLES}
    todo = list(keep)
    while todo:
        based = by_id[todo.pop()].find(qn("w:basedOn"))
        if based is not None and based.get(qn("w:val")) not in keep:
            keep.add(based.get(qn("w:val")))
            todo.append(based.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles.remove(style)
            continue
        for tag in ("w:next", "w:link"):
            el = style.find(qn(tag))
            if el is not None and el.get(qn("w:val")) not in keep:
                style.remove(el)


def build(folder: Path = HERE) -> list[Path]:
    """Write every template into ``folder``; the files written."""
    written = []
    for kind, builder in BUILDERS.items():
        RUN_STYLES.clear()
        doc = builder()
        prune_styles(doc)
        props = doc.core_properties
        props.title = f"hgcredit {kind} 模板"
        props.author = props.last_modified_by = "hgcredit"
        props.comments = (
            "由 templates/build_templates.py 生成；文字可在 Word 中修改，花括号标记请整个保留"
        )
        props.revision = 1
        props.created = props.modified = props.last_printed = dt.datetime(2022, 11, 9)
        buffer = io.BytesIO()
        doc.save(buffer)
        target = folder / f"{kind}.docx"
        target.write_bytes(stable_docx(buffer.getvalue()))
        written.append(target)
    return written


def main(argv: Iterable[str] = ()) -> int:
    args = list(argv)
    folder = Path(args[0]) if args else HERE
    for path in build(folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
