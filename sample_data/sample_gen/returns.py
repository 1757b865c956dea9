"""The master ledger and the November returns, in the forms departments really send."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sample_gen.common import H_DEC, H_NOV, H_NOV_LONG, LEDGER_NAME, LEDGER_TITLE
from sample_gen.november import COMMERCE_CORRECTED, NOVEMBER, November
from sample_gen.seed import SeedLedger
from sample_gen.writers import Sheet, write_csv, write_ods, write_xls, write_xlsx

LEDGER_WIDTHS = [6, 13, 14, 16, 62, 48, 40]


def master_ledger_sheet(seed: SeedLedger) -> Sheet:
    header = [*seed.header[:5], H_NOV, H_DEC]
    if seed.header[5:] != header[5:]:
        raise ValueError(f"seed header changed: {seed.header}")
    rows: list[list[Any]] = []
    merges = []
    for i, r in enumerate(seed.rows):
        serial: Any = int(r.serial) if r.serial else None
        rows.append([serial, r.department or None, r.domain, r.section or None, r.october, "", ""])
        if not r.serial:
            # 市公安局: serial, department and section span its two domain rows.
            merges += [(i - 1, c, i, c) for c in (0, 1, 3)]
    return Sheet("工作推进台账", header, rows, [seed.title], merges, LEDGER_WIDTHS)


def write_master_ledger(out: Path, seed: SeedLedger) -> Path:
    path = out / "台账" / LEDGER_NAME
    write_xlsx(path, [master_ledger_sheet(seed)])
    return path


# ====================================================================== November returns


@dataclass
class ReturnRow:
    """One domain row of a return, and how it was written."""

    department: str  # canonical (registry) name
    domain: str  # canonical domain
    written_department: str
    written_domain: str
    november: November


@dataclass
class ReturnFile:
    name: str
    kind: str  # xlsx · xls · ods · csv-gbk · csv-utf8-bom
    sheets: list[Sheet]
    rows: list[ReturnRow]
    month_header: str
    features: str


def _person(seed: SeedLedger, domain: str) -> str:
    """The seed's 责任科室 责任人 for a domain, without the seed's stray spaces."""
    for i, r in enumerate(seed.rows):
        if re.sub(r"\s|<[^>]+>", "", r.domain) == domain:
            section = r.section or seed.rows[i - 1].section
            return re.sub(r"\s|<[^>]+>", "", section)
    raise KeyError(domain)


def _october(seed: SeedLedger, domain: str) -> str:
    for r in seed.rows:
        if re.sub(r"\s|<[^>]+>", "", r.domain) == domain:
            return r.october
    raise KeyError(domain)


def _simple(
    seed: SeedLedger,
    *,
    name: str,
    kind: str,
    department: str,
    domain: str,
    written_department: str,
    written_domain: str | None = None,
    serial: int | None,
    month_header: str,
    titles: Sequence[str] = (),
    features: str,
    november: November | None = None,
    sheet_name: str = "Sheet1",
    with_serial: bool = True,
) -> ReturnFile:
    nov = november or NOVEMBER[domain]
    header = ["实施部门", "分级分类领域", "责任科室 责任人", month_header]
    row: list[Any] = [written_department, written_domain or domain, _person(seed, domain), nov.text]
    widths = [14, 16, 20, 70]
    if with_serial:
        header.insert(0, "序号")
        row.insert(0, serial)
        widths.insert(0, 6)
    sheet = Sheet(sheet_name, header, [row], list(titles), widths=widths)
    rr = ReturnRow(department, domain, written_department, written_domain or domain, nov)
    return ReturnFile(name, kind, [sheet], [rr], month_header, features)


def november_returns(seed: SeedLedger) -> list[ReturnFile]:
    files: list[ReturnFile] = []
    add = files.append
    month_title = f"{LEDGER_TITLE}（2022年11月）"

    # 1. Tax: the full ledger template with title row, October repeated as sent in October.
    header = [*seed.header[:5], H_NOV, H_DEC]
    tax = NOVEMBER["纳税企业"]
    tax_row = [
        1,
        "国家税务总局鹤岗市税务局",
        "纳税企业",
        _person(seed, "纳税企业"),
        _october(seed, "纳税企业"),
        tax.text,
        "",
    ]
    add(
        ReturnFile(
            "鹤岗市税务局_2022年11月台账.xlsx",
            "xlsx",
            [Sheet("Sheet1", header, [tax_row], [LEDGER_TITLE], widths=LEDGER_WIDTHS)],
            [ReturnRow("市税务局", "纳税企业", "国家税务总局鹤岗市税务局", "纳税企业", tax)],
            H_NOV,
            "完整台账模板（标题行＋10/11/12月三列，10月与总台账相同）；部门写作全称",
        )
    )
    # 2. Customs: month column headed only "11月", the year is in the title.
    add(
        _simple(
            seed,
            name="鹤岗海关_11月.xlsx",
            kind="xlsx",
            department="鹤岗海关",
            domain="海关企业",
            written_department="鹤岗海关",
            serial=2,
            month_header="11月",
            titles=["鹤岗海关2022年信用分级分类监管工作台账"],
            features="月份表头只写“11月”，年份只在标题行里",
        )
    )
    # 3. Environment: own serial number, long month header, department with the city prefix.
    add(
        _simple(
            seed,
            name="鹤岗市生态环境局_11月台账.xlsx",
            kind="xlsx",
            department="市生态环境局",
            domain="企业环境",
            written_department="鹤岗市生态环境局",
            serial=1,
            month_header=H_NOV_LONG,
            titles=[f"{LEDGER_TITLE}（企业环境领域）"],
            features="部门写作“鹤岗市生态环境局”；序号按本单位自编（1）；长月份表头",
        )
    )
    # 4. Labour: GBK csv exported from Excel, title row padded with commas.
    add(
        _simple(
            seed,
            name="市人社局2022年11月台账.csv",
            kind="csv-gbk",
            department="市人社局",
            domain="企业劳动保障",
            written_department="市人社局",
            serial=4,
            month_header="2022年11月",
            titles=[month_title],
            features="GBK 编码的 csv（Excel 另存为“CSV（逗号分隔）”），有标题行",
        )
    )
    # 5. Construction: legacy .xls with merged title, HTML remnants in the text.
    add(
        _simple(
            seed,
            name="鹤岗市住房和城乡建设局_11月.xls",
            kind="xls",
            department="市住建局",
            domain="建筑业企业",
            written_department="鹤岗市住房和城乡建设局",
            serial=5,
            month_header="11月开展行业信用评价及监管情况",
            titles=[f"{LEDGER_TITLE}（2022年）"],
            features="老式 .xls（Excel 97-2003），合并的标题行；正文带 `<p>` 网页残留；年份只在标题里",
        )
    )
    # 6. Road transport: .ods from WPS/LibreOffice, month written 2022-11.
    add(
        _simple(
            seed,
            name="市交通运输局_11月.ods",
            kind="ods",
            department="市交通运输局",
            domain="道路运输经营者",
            written_department="市交通运输局",
            serial=6,
            month_header="2022-11",
            titles=[month_title],
            features="OpenDocument 表格（.ods）；月份写作“2022-11”",
        )
    )
    # 7. Coal: UTF-8 csv with BOM, no title row.
    add(
        _simple(
            seed,
            name="市煤管局_2022年11月.csv",
            kind="csv-utf8-bom",
            department="市煤管局",
            domain="地方煤矿",
            written_department="市煤管局",
            serial=8,
            month_header=H_NOV,
            features="带 BOM 的 UTF-8 csv，没有标题行",
        )
    )
    # 8–9. Commerce: sent, then a correction with a different November text.
    add(
        _simple(
            seed,
            name="市商务局_11月.xlsx",
            kind="xlsx",
            department="市商务局",
            domain="家政企业",
            written_department="市商务局",
            serial=9,
            month_header="2022年11月",
            titles=[month_title],
            features="首次报送；与下一份更正文件冲突",
        )
    )
    add(
        _simple(
            seed,
            name="市商务局_11月_更正.xlsx",
            kind="xlsx",
            department="市商务局",
            domain="家政企业",
            written_department="鹤岗市商务局",
            serial=9,
            month_header="2022年11月",
            titles=[month_title],
            november=COMMERCE_CORRECTED,
            features="更正后重新报送（命令行上放在原文件之后，以它为准）；部门写作“鹤岗市商务局”",
        )
    )
    # 10. Three departments in one sheet (collected by one leader's office), spaces in names.
    three = [
        ("市应急局", "安全生产领域", "鹤岗市应急管理局", "安全生产 领域", 11),
        ("市文体广旅局", "文化和旅游领域", "市文体广旅局", "文化和旅游 领域", 12),
        ("市市场监管局", "食品生产和经营领域", "鹤岗市市场监督管理局", "食品生产和 经营领域", 13),
    ]
    add(
        ReturnFile(
            "市应急局等3部门_11月台账.xlsx",
            "xlsx",
            [
                Sheet(
                    "11月",
                    ["序号", "实施部门", "分级分类领域", "责任科室 责任人", H_NOV],
                    [
                        [serial, wd, wdom, _person(seed, dom), NOVEMBER[dom].text]
                        for _, dom, wd, wdom, serial in three
                    ],
                    [month_title],
                    widths=[6, 14, 16, 20, 70],
                )
            ],
            [ReturnRow(d, dom, wd, wdom, NOVEMBER[dom]) for d, dom, wd, wdom, _ in three],
            H_NOV,
            "一个表里三个部门；领域名中间有空格；正文带 `<p>`、`<br/>` 网页残留；部门写作全称",
        )
    )
    # 11. Two departments, one sheet each; 民政局 writes only a placeholder, with a space.
    health = _simple(
        seed,
        name="",
        kind="xlsx",
        department="市卫健委",
        domain="医疗机构",
        written_department="市卫健委",
        serial=15,
        month_header="2022年11月",
        titles=[month_title],
        features="",
        sheet_name="市卫健委",
    )
    civil = _simple(
        seed,
        name="",
        kind="xlsx",
        department="市民政局",
        domain="养老机构",
        written_department="市 民政局",
        serial=16,
        month_header="2022年11月",
        titles=[month_title],
        features="",
        sheet_name="市民政局",
    )
    add(
        ReturnFile(
            "11月台账_市卫健委_市民政局.xlsx",
            "xlsx",
            health.sheets + civil.sheets,
            health.rows + civil.rows,
            "2022年11月",
            "一个文件两个工作表（每个部门一个）；民政局只写了“同上月”；部门名“市 民政局”中间有空格",
        )
    )
    # 12. Development and reform: no title row at all.
    add(
        _simple(
            seed,
            name="市发改委_11月.xlsx",
            kind="xlsx",
            department="市发改委",
            domain="粮食企业",
            written_department="市发改委",
            serial=17,
            month_header=H_NOV,
            features="没有标题行，表头在第 1 行",
        )
    )
    # 13. Agriculture: a space inside the department name.
    add(
        _simple(
            seed,
            name="市农业农村局_11月.xlsx",
            kind="xlsx",
            department="市农业农村局",
            domain="种子生产经营领域",
            written_department="市农业 农村局",
            serial=19,
            month_header="2022年11月",
            titles=[month_title],
            features="部门名“市农业 农村局”中间有空格",
        )
    )
    # 14. Fire brigade: today's official name, no serial column, month 2022-11.
    add(
        _simple(
            seed,
            name="鹤岗市消防救援支队_11月.xlsx",
            kind="xlsx",
            department="市消防队",
            domain="消防安全领域",
            written_department="鹤岗市消防救援支队",
            serial=None,
            month_header="2022-11",
            titles=[month_title],
            features="部门写作现名“鹤岗市消防救援支队”（台账里是“市消防队”）；没有序号列；月份写作“2022-11”",
            with_serial=False,
        )
    )
    # 15. Public security: two domain rows, serial/department/section merged, HTML remnants.
    police_rows: list[list[Any]] = [
        [
            22,
            "市公安局",
            "制毒化学品领域",
            _person(seed, "制毒化学品领域"),
            _october(seed, "制毒化学品领域"),
            NOVEMBER["制毒化学品领域"].text,
            "",
        ],
        [
            None,
            None,
            "保安服务领域",
            None,
            _october(seed, "保安服务领域"),
            NOVEMBER["保安服务领域"].text,
            "",
        ],
    ]
    add(
        ReturnFile(
            "市公安局_11月.xlsx",
            "xlsx",
            [
                Sheet(
                    "Sheet1",
                    header,
                    police_rows,
                    [month_title],
                    [(0, 0, 1, 0), (0, 1, 1, 1), (0, 3, 1, 3)],
                    LEDGER_WIDTHS,
                )
            ],
            [
                ReturnRow("市公安局", dom, "市公安局", dom, NOVEMBER[dom])
                for dom in ("制毒化学品领域", "保安服务领域")
            ],
            H_NOV,
            "两个领域两行，序号/部门/责任科室为合并单元格；10 月列与总台账相同；正文带 `<p>` 网页残留",
        )
    )
    return files


def write_return(out: Path, rf: ReturnFile) -> None:
    path = out / "returns" / rf.name
    if rf.kind == "xlsx":
        write_xlsx(path, rf.sheets)
    elif rf.kind == "xls":
        write_xls(path, rf.sheets)
    elif rf.kind == "ods":
        write_ods(path, rf.sheets)
    elif rf.kind == "csv-gbk":
        write_csv(path, rf.sheets[0], "gbk")
    elif rf.kind == "csv-utf8-bom":
        write_csv(path, rf.sheets[0], "utf-8-sig")
    else:
        raise ValueError(rf.kind)
