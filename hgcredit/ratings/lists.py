"""Count entity lists by level: one row per entity, a column with its level.

A department's list is read by the one entity-list reader (:mod:`hgcredit.entities.lists`)
with the registry's header words: any sheet whose header has a grade column (等级,
信用等级, 评价等级, 级别, 评定结果, 标识, 颜色, 榜单, 类别 …) is a list; a file whose
header is the work ledger's (:func:`hgcredit.ledger.read.is_ledger_header`) is a ledger.

What is counted here: the list's domain comes from, in order, its domain column, its
department column, the title rows above the header, the sheet name, the file name, and
last its grades when only one domain's scale reads them all (A–E: 邮政快递企业); a list
whose domain cannot be told is an error naming the file and how to fix it. Of several
grade columns the one holding most of the domain's levels is counted. Rows whose level is
not one of the domain's levels (read by :meth:`~hgcredit.ratings.levels.LevelMatcher.match_cell`)
are kept as unknown rows with their place; summary rows (合计, 总计, 小计) are skipped. One
entity listed twice (same code, else same name) is counted once and noted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from hgcredit.entities.lists import (
    EntityList,
    ListSpec,
    read_list_sheets,
    resolve_columns,
    role_columns,
)
from hgcredit.errors import HeaderError, HgcreditError, UnknownDomainError
from hgcredit.ledger.read import is_ledger_header
from hgcredit.ratings.levels import matcher_for
from hgcredit.ratings.report import ListCount, UnknownRow
from hgcredit.registry import Domain, Registry, load_registry
from hgcredit.text import halfwidth, match_key

LIST_LABEL = "等级名单"
_SUMMARY = re.compile(r"^(合计|总计|小计|共计)")


def classify(
    path: str | Path, registry: Registry | None = None, *, encoding: str | None = None
) -> tuple[str, list[EntityList]]:
    """``("ledger", [])`` for a work ledger (a sheet headed as one), else ``("list",
    lists)`` with every sheet of the file that is an entity list; HeaderError when the
    file is neither."""
    reg = registry if registry is not None else load_registry()
    spec = ListSpec(
        Path(path),
        LIST_LABEL,
        required=("grade",),
        encoding=encoding,
        headers=reg.headers,
        other_header=is_ledger_header,
        row_roles=("code", "grade", "name"),  # a named entity without a level is counted
    )
    try:
        found = read_list_sheets(spec)
    except HeaderError:
        coded = _coded_lists(spec)
        graded = [lst for lst in coded if "grade" in lst.columns]  # grades in group headings
        if graded:
            return "list", graded
        ungraded = coded[0] if coded else None
        if ungraded is not None:
            raise HeaderError(
                f"既不是台账，也不是等级名单：是主体名单（有“{ungraded.header[ungraded.columns['code']]}”列），但没有等级列"
                f"（找到的列：{'、'.join(h for h in ungraded.header if h)}），不能统计各等级数量；"
                "没有等级的监管对象名单请用 hgcredit reconcile 按公共信用评价分级，"
                "有等级的请在表头中写明等级列（如“信用等级”）",
                file=path,
            ) from None
        raise HeaderError(
            "既不是台账（表头应有“实施部门”和月份列），也不是等级名单（表头应有“等级”“信用等级”"
            "“评价等级”“标识”或“颜色”一列）；请检查是否选错了文件，或在表头中补上这一列",
            file=path,
        ) from None
    if found.other is not None:
        return "ledger", []
    return "list", found.lists


def _coded_lists(spec: ListSpec) -> list[EntityList]:
    """The sheets of a file that are entity lists with a code column but no grade column
    in their header (their grades may be in group headings: ``一、AAA级企业（5家）``)."""
    try:
        return read_list_sheets(replace(spec, required=("code",))).lists
    except HgcreditError:
        return []


def guess_domain(text: str, registry: Registry) -> Domain | None:
    """The one domain a free text (title, sheet or file name) names, else None.

    A longer name wins over one it contains (定点医疗机构 over 医疗机构); a department
    name counts when it has one domain or narrows several.

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


def count_lists(lists: Sequence[EntityList], registry: Registry) -> list[ListCount]:
    """Counts of every list (sheet) of one file, per domain."""
    return [count for lst in lists for count in count_list(lst, registry)]


def count_list(lst: EntityList, registry: Registry) -> list[ListCount]:
    """Counts of one list sheet, per domain."""
    by_domain: dict[str, tuple[Domain, list[int]]] = {}
    for i, d in enumerate(list_domains(lst, registry)):
        if d is not None:
            by_domain.setdefault(d.domain, (d, []))[1].append(i)
    return [_count(lst, d, rows, registry) for d, rows in by_domain.values()]


def list_domains(lst: EntityList, registry: Registry) -> list[Domain | None]:
    """Each row's domain: from its domain or department column, else the one domain the
    list's title rows, sheet name or file name names (None for a summary row);
    UnknownDomainError when it cannot be told, saying how to fix the file."""
    row_domains = _row_domains(lst, registry)
    if row_domains is None:
        found = named_domain(lst, registry) or graded_domain(lst, registry)
        names = (*lst.title, lst.sheet or "", Path(lst.file).stem)
        for word, what in _NOT_A_DOMAIN.items():
            if found is None and any(word in halfwidth(text).upper() for text in names):
                raise UnknownDomainError(what, file=lst.place)
        if found is None:
            raise UnknownDomainError(
                "无法确定这份名单属于哪个领域（文件名、工作表名和标题中都没有领域或部门名称，"
                "等级也不是只有一个领域用）；"
                "请把文件改名为如“纳税企业_评级名单.xlsx”，或在表中增加一列“领域”",
                file=lst.place,
            )
        row_domains = [found] * len(lst)
    return row_domains


# Lists that belong to no domain, told by a word in their title, sheet or file name.
_NOT_A_DOMAIN = {
    "公共信用": "这是公共信用评价结果，不是某个领域的评级名单，不在各领域的评级数量中统计；"
    "算双A企业请用 hgcredit double-a --public，与各部门名单对照请用 hgcredit reconcile --public",
    "双A": "这是双A企业名单，不是某个领域的评级名单；上年的双A企业名单请用 hgcredit double-a --previous，"
    "本年的由 hgcredit double-a 算出",
}


def named_domain(lst: EntityList, registry: Registry) -> Domain | None:
    """The one domain the list's title rows, sheet name or file name names, else None."""
    for text in (*lst.title, lst.sheet or "", Path(lst.file).stem):
        found = guess_domain(text, registry)
        if found is not None:
            return found
    return None


def told_by_grades(lst: EntityList, registry: Registry) -> bool:
    """Whether only the grades tell the list's domain (no column, title or name does)."""
    return _row_domains(lst, registry) is None and named_domain(lst, registry) is None


def graded_domain(lst: EntityList, registry: Registry) -> Domain | None:
    """The one domain whose rating scale reads every grade of the list (blank and summary
    rows aside), else None: a list graded A–E is 邮政快递企业's, one of 绿牌/蓝牌 企业环境's;
    one graded A–D fits many domains and is no one's in particular."""
    rows = [i for i in range(len(lst)) if not _is_summary(lst, i)]
    fitting: dict[str, Domain] = {}
    for column in role_columns(lst.header, "grade", registry.headers):
        values = {v for i in rows if (v := lst.text(i, column))}
        if not values:
            continue
        for d in registry.domains:
            matcher = matcher_for(d.scale)
            if all(matcher.match_cell(v) is not None for v in values):
                fitting[d.domain] = d
    return next(iter(fitting.values())) if len(fitting) == 1 else None


def _row_domains(lst: EntityList, registry: Registry) -> list[Domain | None] | None:
    """Each row's domain from a domain or department column; None when the list has
    neither filled.

    Summary rows get None. A row with the column left empty takes the list's only
    domain; when the list has several, it is an error naming the row.
    """
    domain_cols = role_columns(lst.header, "domain", registry.headers)
    dept_cols = role_columns(lst.header, "department", registry.headers)
    if not domain_cols and not dept_cols:
        return None
    out: list[Domain | None] = []
    unknown: list[int] = []
    blank: list[int] = []
    for i in range(len(lst)):
        domains = [lst.text(i, c) for c in domain_cols]
        departments = [lst.text(i, c) for c in dept_cols]
        dept = next((registry.match_department(t) for t in departments if t), None)
        d = next((registry.find_domain(t, department=dept) for t in domains if t), None)
        if d is None and dept is not None and len(registry.domains_of(dept)) == 1:
            d = registry.domains_of(dept)[0]
        if d is None and not _is_summary(lst, i):
            (unknown if any(domains + departments) else blank).append(i)
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
            places = "、".join(f"第{lst.row_numbers[i]}行" for i in rows[:3])
            more = f"等 {len(rows)} 行" if len(rows) > 3 else ""
            raise UnknownDomainError(
                f"{places}{more}{what}；请写登记表中的领域名称（hgcredit registry 可查看）",
                file=lst.place,
            )
    return out


def _is_summary(lst: EntityList, i: int) -> bool:
    return any(_SUMMARY.match(text) for j in range(3) if (text := lst.text(i, j)))


def ungraded(count: ListCount) -> str | None:
    """Why a counted list cannot be counted by level: not one row holds a level of its
    domain (its grade-like column is an industry, 行业类别: 危险化学品, or a wording the
    registry lacks), so it is a list of entities without grades; None when it has levels.

    The same rule as ``reconcile`` and ``month``, which take such a list as ungraded.
    """
    if count.counts or not count.unknown:
        return None
    scale = count.domain.scale
    sample = next(u.value for u in count.unknown if u.value)
    return (
        f"“{count.column}”列中没有{count.domain.domain}的等级（{scale.name}："
        f"{'、'.join(scale.labels)}；该列写的是如“{sample}”），不能统计各等级数量；"
        "没有等级的监管对象名单请用 hgcredit reconcile 按公共信用评价分级，"
        "如这一列就是等级，请把这种写法加进登记表中该等级的 forms"
    )


def _level_column(lst: EntityList, domain: Domain, rows: list[int], registry: Registry) -> int:
    """Of the grade columns (best header first), the one holding most of the domain's levels."""
    matcher = matcher_for(domain.scale)
    candidates = role_columns(lst.header, "grade", registry.headers)
    best, best_hits = candidates[0], -1
    for c in candidates:
        hits = sum(1 for r in rows if matcher.match_cell(lst.text(r, c)) is not None)
        if hits > best_hits:
            best, best_hits = c, hits
    return best


def _entity_key(lst: EntityList, i: int, columns: dict[str, int]) -> str:
    """Who a row is: its code, else (code cell empty) its name; "" when neither."""
    for role in ("code", "name"):
        if role in columns and (key := match_key(lst.text(i, columns[role]))):
            return f"{role}:{key}"
    return ""


def _count(lst: EntityList, domain: Domain, rows: list[int], registry: Registry) -> ListCount:
    matcher = matcher_for(domain.scale)
    col = _level_column(lst, domain, rows, registry)
    columns = resolve_columns(lst.header, headers=registry.headers, fixed={"grade": col})
    result = ListCount(domain, lst.place, column=lst.header[col] if col < len(lst.header) else "")
    seen: dict[str, tuple[int, str | None]] = {}
    for i in rows:
        if _is_summary(lst, i):
            continue
        value = lst.text(i, col)
        label = matcher.match_cell(value) if value else None
        key = _entity_key(lst, i, columns)
        if key and key in seen:
            first, first_label = seen[key]
            where = f"{lst.where(i)}与第{lst.row_numbers[first]}行"
            if first_label != label:
                result.problems.append(f"{where}是同一主体，等级却不同")
            else:
                result.review.append(f"{where}是同一主体，只计一次")
            continue
        if key:
            seen[key] = (i, label)
        result.rows += 1
        if label is None:
            result.unknown.append(UnknownRow(lst.where(i, col), value))
        else:
            result.counts[label] = result.counts.get(label, 0) + 1
    result.counts = {lv: result.counts[lv] for lv in domain.scale.labels if lv in result.counts}
    return result
