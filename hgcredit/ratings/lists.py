"""Count entity lists by level: one row per entity, a column with its level.

A list is recognised by a level column (等级, 信用等级, 评价等级, 级别, 评定结果, 标识,
颜色, 榜单, 类别 …). Its domain comes from, in order: a 领域 column, a 部门 column,
the title rows above the header, the sheet name, the file name. A list whose domain
cannot be told is an error naming the file and how to fix it. Rows whose level is not
one of the domain's levels are kept as unknown rows with their place; summary rows
(合计, 总计, 小计) are skipped. One entity listed twice (same code, else same name) is
counted once and noted.

>>> is_list_header(["序号", "企业名称", "统一社会信用代码", "信用等级"])
True
>>> is_ledger_header(["序号", "实施部门", "分级分类领域", "2022年10月开展情况"])
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from hgcredit.errors import HeaderError, UnknownDepartmentError
from hgcredit.io.tables import Table, read_tables
from hgcredit.ratings.levels import matcher_for
from hgcredit.ratings.report import ListCount, UnknownRow
from hgcredit.registry import Domain, Registry
from hgcredit.text import match_key

_LEVEL_HEADER = re.compile(r"等级|级别|评级|评定结果|评价结果|评定|标识|颜色|榜单|类别|分类|档次")
_NOT_LEVEL_HEADER = re.compile(r"时间|日期|机关|部门|单位|依据|分数|得分|分值|领域|文号|说明|备注")
_DOMAIN_HEADER = re.compile(r"领域")
_DEPARTMENT_HEADER = re.compile(r"部门")
_ID_HEADER = re.compile(r"统一社会信用代码|信用代码|纳税人识别号|识别号|代码")
_NAME_HEADER = re.compile(r"名称|企业|单位|主体|纳税人|机构")
_MONTH_HEADER = re.compile(r"\d{1,2}\s*月")
_SUMMARY = re.compile(r"^(合计|总计|小计|共计)")


def _level_header(cell: str) -> bool:
    key = match_key(cell)
    return (
        bool(key)
        and len(key) <= 20
        and bool(_LEVEL_HEADER.search(key))
        and not _NOT_LEVEL_HEADER.search(key)
    )


def is_list_header(cells: Sequence[str]) -> bool:
    """A header row of an entity list: a level column beside at least one other column."""
    filled = [c for c in cells if c]
    return len(filled) >= 2 and any(_level_header(c) for c in filled)


def is_ledger_header(cells: Sequence[str]) -> bool:
    """A header row of the work ledger: 实施部门 and at least one month column, or any
    header the ledger reader takes (``实施部门 | 监管情况`` with the month in the title)."""
    if any("实施部门" in c for c in cells) and any(_MONTH_HEADER.search(c) for c in cells):
        return True
    from hgcredit.ledger.read import is_ledger_header as ledger_header

    return ledger_header(cells)


def classify(path: str | Path, encoding: str | None = None) -> tuple[str, list[Table]]:
    """("ledger" | "list", tables) for one file, by its header row."""
    try:
        tables = read_tables(
            path,
            encoding=encoding,
            header_test=lambda cells: is_ledger_header(cells) or is_list_header(cells),
        )
    except HeaderError:
        raise HeaderError(
            "既不是台账（表头应有“实施部门”和月份列），也不是等级名单（表头应有“等级”“信用等级”"
            "“评价等级”“标识”或“颜色”一列）；请检查是否选错了文件，或在表头中补上这一列",
            file=path,
        ) from None
    if any(is_ledger_header(t.header) for t in tables):
        return "ledger", tables
    return "list", tables


def guess_domain(text: str, registry: Registry) -> Domain | None:
    """The one domain a free text (title, sheet or file name) names, else None.

    A longer name wins over one it contains (定点医疗机构 over 医疗机构); a department
    name counts when it has one domain or narrows several.

    >>> from hgcredit.registry import load_registry
    >>> reg = load_registry()
    >>> guess_domain("鹤岗市2022年度纳税信用A级纳税人名单", reg).domain
    '纳税企业'
    >>> guess_domain("定点医疗机构信用评价结果", reg).domain
    '定点医药机构'
    >>> guess_domain("市公安局名单", reg) is None
    True
    """
    key = match_key(text)
    if not key:
        return None
    hits: list[tuple[str, Domain]] = []
    for d in registry.domains:
        for name in (d.domain, *d.domain_aliases):
            k = match_key(name)
            if len(k) >= 2 and k in key:
                hits.append((k, d))
    hits = [(k, d) for k, d in hits if not any(k != k2 and k in k2 for k2, _ in hits)]
    domains = {d.domain: d for _, d in hits}
    departments: set[str] = set()
    for d in registry.domains:
        names = [d.department, *d.department_aliases]
        if d.department.startswith("市"):
            names.append(registry.city.removesuffix("市") + d.department)
        if any(len(k := match_key(n)) >= 3 and k in key for n in names):
            departments.add(d.department)
    if departments:
        narrowed = {n: d for n, d in domains.items() if d.department in departments}
        if narrowed:
            domains = narrowed
        elif not domains:
            domains = {d.domain: d for dep in departments for d in registry.domains_of(dep)}
    return next(iter(domains.values())) if len(domains) == 1 else None


def count_tables(tables: Sequence[Table], registry: Registry) -> list[ListCount]:
    """Counts of every list sheet of one file (sheets without a level column are skipped)."""
    out: list[ListCount] = []
    lists = [t for t in tables if is_list_header(t.header)]
    if not lists:
        raise HeaderError("没有找到等级列（如“等级”“信用等级”“标识”）", file=tables[0].file)
    for table in lists:
        out += count_table(table, registry)
    return out


def count_table(table: Table, registry: Registry) -> list[ListCount]:
    """Counts of one list sheet, per domain."""
    place = f"{table.file}[{table.sheet}]" if table.sheet else table.file
    row_domains = _row_domains(table, registry)
    if row_domains is None:
        found = None
        for text in (*table.title, table.sheet or "", Path(table.file).stem):
            found = guess_domain(text, registry)
            if found is not None:
                break
        if found is None:
            raise UnknownDepartmentError(
                "无法确定这份名单属于哪个领域（文件名、工作表名和标题中都没有领域或部门名称）；"
                "请把文件改名为如“纳税企业_评级名单.xlsx”，或在表中增加一列“领域”",
                file=place,
            )
        row_domains = [found] * len(table.rows)
    by_domain: dict[str, tuple[Domain, list[int]]] = {}
    for i, d in enumerate(row_domains):
        if d is not None:
            by_domain.setdefault(d.domain, (d, []))[1].append(i)
    return [_count(table, place, d, rows) for d, rows in by_domain.values()]


def _row_domains(table: Table, registry: Registry) -> list[Domain | None] | None:
    """Each row's domain from a 领域 or 部门 column; None when the list has neither filled.

    Summary rows get None. A row with the column left empty takes the list's only
    domain; when the list has several, it is an error naming the row.
    """
    header = table.header
    domain_cols = [i for i, h in enumerate(header) if _DOMAIN_HEADER.search(h)]
    dept_cols = [i for i, h in enumerate(header) if _DEPARTMENT_HEADER.search(h)]
    if not domain_cols and not dept_cols:
        return None
    out: list[Domain | None] = []
    unknown: list[int] = []
    blank: list[int] = []
    for i, row in enumerate(table.rows):
        d = None
        dept = next((registry.match_department(row[c]) for c in dept_cols if row[c]), None)
        for c in domain_cols:
            if row[c]:
                d = registry.find_domain(row[c], department=dept)
                break
        if d is None and dept is not None and len(registry.domains_of(dept)) == 1:
            d = registry.domains_of(dept)[0]
        if d is None and not _is_summary(row):
            (unknown if any(row[c] for c in domain_cols + dept_cols) else blank).append(i)
        out.append(d)
    filled = {d.domain: d for d in out if d is not None}
    if not filled and not unknown:
        return None
    if blank and len(filled) == 1:
        only = next(iter(filled.values()))
        for i in blank:
            out[i] = only
        blank = []
    for rows, what in ((unknown, "领域或部门无法识别"), (blank, "没有填写领域或部门")):
        if rows:
            places = "、".join(f"第{table.row_numbers[i]}行" for i in rows[:3])
            more = f"等 {len(rows)} 行" if len(rows) > 3 else ""
            raise UnknownDepartmentError(
                f"{places}{more}{what}；请写登记表中的领域名称（hgcredit registry 可查看）",
                file=f"{table.file}[{table.sheet}]" if table.sheet else table.file,
            )
    return out


def _is_summary(row: Sequence[str]) -> bool:
    return any(_SUMMARY.match(c) for c in row[:3] if c)


def _level_column(table: Table, domain: Domain, rows: list[int]) -> int:
    matcher = matcher_for(domain.scale)
    candidates = [i for i, h in enumerate(table.header) if _level_header(h)]
    best, best_hits = candidates[0], -1
    for c in candidates:
        hits = sum(1 for r in rows if matcher.match_cell(table.rows[r][c]) is not None)
        if hits > best_hits:
            best, best_hits = c, hits
    return best


def _key_column(table: Table, skip: Sequence[int | None], pattern: re.Pattern[str]) -> int | None:
    for i, h in enumerate(table.header):
        if (
            i not in skip
            and pattern.search(h)
            and not (pattern is _NAME_HEADER and _ID_HEADER.search(h))
            and not _DEPARTMENT_HEADER.search(h)
        ):
            return i
    return None


def _entity_key(row: Sequence[str], id_col: int | None, name_col: int | None) -> str:
    """Who a row is: its code, else (code cell empty) its name; "" when neither."""
    for prefix, col in (("code:", id_col), ("name:", name_col)):
        if col is not None and (key := match_key(row[col])):
            return prefix + key
    return ""


def _count(table: Table, place: str, domain: Domain, rows: list[int]) -> ListCount:
    matcher = matcher_for(domain.scale)
    col = _level_column(table, domain, rows)
    id_col = _key_column(table, (col,), _ID_HEADER)
    name_col = _key_column(table, (col, id_col), _NAME_HEADER)
    result = ListCount(domain, place)
    seen: dict[str, tuple[int, str | None]] = {}
    for i in rows:
        row = table.rows[i]
        if _is_summary(row):
            continue
        value = row[col]
        label = matcher.match_cell(value) if value else None
        key = _entity_key(row, id_col, name_col)
        if key and key in seen:
            first, first_label = seen[key]
            where = f"{table.where(i)}与第{table.row_numbers[first]}行"
            if first_label != label:
                result.problems.append(f"{where}是同一主体，等级却不同")
            else:
                result.review.append(f"{where}是同一主体，只计一次")
            continue
        if key:
            seen[key] = (i, label)
        result.rows += 1
        if label is None:
            result.unknown.append(UnknownRow(table.where(i, col), value))
        else:
            result.counts[label] = result.counts.get(label, 0) + 1
    result.counts = {lv: result.counts[lv] for lv in domain.scale.labels if lv in result.counts}
    return result
