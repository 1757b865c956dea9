"""What a notice says, as plain data: the context its template receives, exactly what
``hgcredit notice … --json`` prints.

Built from one :class:`~hgcredit.month.analyse.MonthAnalysis` (the check, the ratings and
the double-A result the other commands report) and the office's :class:`OfficeConfig`.
Every kind has ``kind``, ``month``, ``as_of``, ``deadline``, ``doc_number``, ``office``,
``date`` and ``title``; ``overdue`` and ``reminder`` add ``units`` (exactly the domains the
notice names as not filled) and ``table`` (every domain, as in the 附件); ``double-a``
adds ``total``, ``by_county``, ``counties``, ``added`` and ``removed``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hgcredit.errors import OptionError
from hgcredit.ledger.check import FILLED, MISSING, PLACEHOLDER, DomainCheck, classify
from hgcredit.months import deadline_of
from hgcredit.notices.config import OfficeConfig
from hgcredit.notices.dates import date_cn, month_cn
from hgcredit.registry import Domain, Registry

if TYPE_CHECKING:
    from hgcredit.doublea.compute import DoubleA
    from hgcredit.month.analyse import MonthAnalysis

ON_TIME, LATE = "on_time", "late"
# 报送情况 in the 附件 table.
STATUS_LABELS = {ON_TIME: "按时", LATE: "逾期", PLACEHOLDER: "仅占位", MISSING: "未报送"}
ADDED, KEPT = "新增", "保留"
_PLACEHOLDER_CHARS = 20  # a placeholder quoted in the notice is short; longer is cut


def month_title(month: str) -> str:
    return f"关于{month_cn(month)}信用分级分类监管工作推进台账报送情况的通报"


def overdue_context(
    analysis: MonthAnalysis,
    config: OfficeConfig,
    *,
    doc_number: str | None = None,
    late: Sequence[str] = (),
) -> dict[str, Any]:
    """The circular (通报) on the month's returns, once the deadline has passed.

    Raises :class:`~hgcredit.errors.OptionError` on or before the deadline (a reminder is
    what can be sent then) and for a ``late`` name that is unknown or was not filled.
    """
    check = analysis.check
    if not check.deadline_passed:
        raise OptionError(
            f"{analysis.month} 的报送截止日是 {check.deadline.isoformat()}（每月 "
            f"{analysis.registry.deadline_day} 日前），{check.as_of.isoformat()} 还不能通报逾期；"
            f"截止日前请用 hgcredit notice reminder 发催报提醒，"
            f"或用 --as-of 给出截止日以后的日期（如 --as-of {_after(check.deadline)}）"
        )
    ctx = _base("overdue", analysis, config, doc_number)
    late_domains = _late_domains(analysis, late)
    rows = _rows(analysis, late_domains)
    units = [r for r in rows if r["status"] in (PLACEHOLDER, MISSING)]
    late_units = [r for r in rows if r["status"] == LATE]
    filled = [r for r in rows if r["status"] in (ON_TIME, LATE)]
    on_time = [r for r in rows if r["status"] == ON_TIME]
    total = len(rows)
    ctx.update(
        title=month_title(analysis.month),
        counts={
            "departments": len(analysis.registry.departments),
            "domains": total,
            "filled": len(filled),
            "on_time": len(on_time),
            "late": len(late_units),
            "placeholder": sum(r["status"] == PLACEHOLDER for r in rows),
            "missing": sum(r["status"] == MISSING for r in rows),
            "not_on_time": total - len(on_time),
            "rate": _percent(len(on_time), total),
            "data_supported": sum(r["data_supported"] for r in filled),
            "without_data": sum(not r["data_supported"] for r in filled),
        },
        units=units,
        late_units=late_units,
        no_data=[_name(r) for r in filled if not r["data_supported"]],
        quality=_quality(analysis),
        praised=_praised(rows),
        trend=_trend(analysis),
        catch_up_date=date_cn(analysis.as_of + dt.timedelta(days=config.catch_up_days)),
        attachment=f"{month_cn(analysis.month)}信用分级分类监管工作推进台账报送情况表",
        table=rows,
    )
    return ctx


def reminder_context(
    analysis: MonthAnalysis, config: OfficeConfig, *, doc_number: str | None = None
) -> dict[str, Any]:
    """The reminder (催报提醒) to the units that have not filled the month, or only with a
    placeholder: the deadline, the days left (or past), where to send it."""
    check = analysis.check
    ctx = _base("reminder", analysis, config, doc_number)
    rows = _rows(analysis, set())
    units = [r for r in rows if r["status"] in (PLACEHOLDER, MISSING)]
    days = (check.deadline - check.as_of).days
    ctx.update(
        title=f"关于报送{month_cn(analysis.month)}工作推进台账的提醒",
        units=units,
        recipients=list(dict.fromkeys(u["department"] for u in units)),
        days_left=max(days, 0),
        days_past=max(-days, 0),
        deadline_passed=check.deadline_passed,
        counts={
            "domains": len(rows),
            "filled": sum(r["status"] == ON_TIME for r in rows),
            "placeholder": sum(r["status"] == PLACEHOLDER for r in rows),
            "missing": sum(r["status"] == MISSING for r in rows),
        },
        table=rows,
    )
    return ctx


def double_a_context(
    analysis: MonthAnalysis, config: OfficeConfig, *, doc_number: str | None = None
) -> dict[str, Any]:
    """The double-A notice to the county and district tax bureaus: the total and per
    county, the per-county lists for the 附件, and (given last year's list) who is new and
    who dropped out."""
    result = analysis.double_a
    if result is None:
        raise OptionError(
            "notice double-a 需要 --tax（纳税信用名单）和 --public（公共信用评价名单）"
        )
    ctx = _base("double-a", analysis, config, doc_number)
    year = int(analysis.month[:4])
    # The tax bureaus report back with the ledger: by the next deadline from today.
    reply = deadline_of(analysis.month, analysis.registry.deadline_day)
    while reply < analysis.as_of:
        reply = _next_deadline(reply, analysis.registry.deadline_day)
    ctx["deadline"] = reply.isoformat()
    ctx["deadline_cn"] = date_cn(reply)
    ctx.update(
        title=f"关于做好{year}年度“双A企业”信用监管和服务工作的通知",
        year=year,
        previous_year=year - 1,
        total=len(result.enterprises),
        by_county=dict(result.by_county),
        counties=_counties(result),
        has_previous=result.previous is not None,
        added=_added(result),
        removed=_removed(result),
        kept=len(result.previous.kept) if result.previous is not None else 0,
    )
    return ctx


# ---------------------------------------------------------------- shared parts


def _base(
    kind: str, analysis: MonthAnalysis, config: OfficeConfig, doc_number: str | None
) -> dict[str, Any]:
    check = analysis.check
    return {
        "kind": kind,
        "month": analysis.month,
        "month_cn": month_cn(analysis.month),
        "as_of": analysis.as_of.isoformat(),
        "date": date_cn(analysis.as_of),
        "deadline": check.deadline.isoformat(),
        "deadline_cn": date_cn(check.deadline),
        "deadline_day": analysis.registry.deadline_day,
        "doc_number": doc_number or config.doc_number,
        "office": config.to_json(),
        "title": "",
    }


def _rows(analysis: MonthAnalysis, late: set[str]) -> list[dict[str, Any]]:
    """Every domain as the 附件 table shows it, in ledger order."""
    registry = analysis.registry
    ratings = {r.domain.domain: r for r in analysis.ratings.domains}
    rows = []
    for d in analysis.check.domains:
        domain = registry.domain(d.domain)
        status = d.status if d.status != FILLED else (LATE if d.domain in late else ON_TIME)
        rated = ratings.get(d.domain)
        notes = []
        if d.status == PLACEHOLDER:
            notes.append(f"仅填写“{_placeholder(d)}”")
        if d.status != FILLED and d.behind_months > 1:
            notes.append(f"已连续{d.behind_months}个月未报送")
        if status == LATE:
            notes.append("截止日后报送")
        if d.status == FILLED and not d.data_supported:
            notes.append("无数据支撑")
        if rated is not None and rated.consistent is False:
            notes.append("评级数量对不上")
        rows.append(
            {
                "serial": d.serial,
                "department": d.department,
                "domain": d.domain,
                "section": domain.section,
                "person": domain.person,
                "section_person": "/".join(x for x in (domain.section, domain.person) if x),
                "status": status,
                "status_label": STATUS_LABELS[status],
                "behind_months": d.behind_months,
                "data_supported": d.data_supported,
                "text": _placeholder(d) if d.status == PLACEHOLDER else "",
                "note": "；".join(notes),
            }
        )
    return rows


_LOOSE = re.compile(r"(?<=[^\x00-\x7f]) +(?=[\x00-\x7f])|(?<=[\x00-\x7f]) +(?=[^\x00-\x7f])")


_SUM = re.compile(r"\d+(?:\s*\+\s*\d+)+\s*=\s*(\d+)")


def tight(text: str) -> str:
    """A terminal report's sentence as a document says it: no spaces between Chinese and
    digits (Word spaces them itself), and a sum by its result (``190+20+1+0=211`` cannot
    break across lines and would stretch a justified line).

    >>> tight("各等级之和 190+20+1+0=211 与总数 212 不符")
    '各等级之和211与总数212不符'
    """
    return _LOOSE.sub("", _SUM.sub(r"\1", text))


def _placeholder(d: DomainCheck) -> str:
    """A placeholder as the notice quotes it: one line, without its full stop."""
    text = " ".join(d.text.split()).rstrip("。.；;，,")
    return text if len(text) <= _PLACEHOLDER_CHARS else text[:_PLACEHOLDER_CHARS] + "…"


def _name(row: dict[str, Any]) -> dict[str, Any]:
    return {"serial": row["serial"], "department": row["department"], "domain": row["domain"]}


def _quality(analysis: MonthAnalysis) -> list[dict[str, Any]]:
    """Domains whose rating counts do not add up, with why (from ``ratings``)."""
    filled = {d.domain for d in analysis.check.domains if d.status == FILLED}
    return [
        {
            "serial": r.domain.serial,
            "department": r.domain.department,
            "domain": r.domain.domain,
            "problems": [tight(p) for p in r.problems],
            "problem": "；".join(tight(p) for p in r.problems),
        }
        for r in analysis.ratings.domains
        if r.consistent is False and r.domain.domain in filled
    ]


def _praised(rows: list[dict[str, Any]]) -> list[str]:
    """Departments all of whose domains were filled on time, backed by figures and without
    a counting problem: named in the circular's line of praise."""
    by_department: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_department.setdefault(r["department"], []).append(r)
    return [
        department
        for department, own in by_department.items()
        if all(r["status"] == ON_TIME and r["data_supported"] and not r["note"] for r in own)
    ]


def _trend(analysis: MonthAnalysis) -> list[dict[str, Any]]:
    """Domains filled in each month of the ledger up to this one, when there are several.
    An earlier month is in it only when the inputs have every domain's row under it (a
    whole ledger of that month), not when one department's return carries its own."""
    ledger = analysis.ledger
    domains = analysis.registry.domains

    def whole(m: str) -> bool:
        return not ledger.covered or all((d.domain, m) in ledger.covered for d in domains)

    months = [m for m in ledger.months if m == analysis.month or (m < analysis.month and whole(m))]
    if len(months) < 2:
        return []
    placeholders = analysis.registry.placeholders
    out = []
    for m in months:
        filled = 0
        for d in analysis.registry.domains:
            entry = ledger.entry(d.domain, m)
            filled += classify(entry.text if entry else None, placeholders) == FILLED
        out.append({"month": m, "month_cn": month_cn(m), "filled": filled})
    return out


def _late_domains(analysis: MonthAnalysis, names: Sequence[str]) -> set[str]:
    """The domains of ``--late`` names (departments or domains), each filled this month."""
    registry = analysis.registry
    status = {d.domain: d.status for d in analysis.check.domains}
    out: set[str] = set()
    for name in names:
        domains = _named_domains(registry, name)
        for d in domains:
            if status[d.domain] != FILLED:
                raise OptionError(
                    f"--late {name}：{d.department}·{d.domain} 本月一列没有填报，不是逾期报送；"
                    "请先把它的报送文件加入输入，或去掉这个 --late"
                )
            out.add(d.domain)
    return out


def _named_domains(registry: Registry, name: str) -> list[Domain]:
    department = registry.match_department(name)
    if department is not None:
        return registry.domains_of(department)
    domain = registry.find_domain(name)
    if domain is not None:
        return [domain]
    near = registry.suggest_departments(name)
    hint = f"；最接近的已知部门：{'、'.join(near)}" if near else ""
    raise OptionError(f"--late “{name}” 不是登记表中的部门或领域{hint}")


def _percent(part: int, whole: int) -> str:
    """``73.9%`` (one decimal; ``100%`` and ``0%`` without)."""
    if whole == 0:
        return "0%"
    value = round(part * 100 / whole, 1)
    return f"{value:g}%"


def _after(day: dt.date) -> str:
    return (day + dt.timedelta(days=1)).isoformat()


def _next_deadline(day: dt.date, deadline_day: int) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, deadline_day)


# ---------------------------------------------------------------- double-A


def _counties(result: DoubleA) -> list[dict[str, Any]]:
    """Per county with enterprises: its count and its enterprises, for the 附件."""
    change = _changes(result)
    out: list[dict[str, Any]] = []
    for county, count in result.by_county.items():
        if not count:
            continue
        rows = [e for e in result.enterprises if e.county == county]
        out.append(
            {
                "county": county,
                "count": count,
                "enterprises": [
                    {
                        "serial": i,
                        "name": e.name,
                        "code": e.code,
                        "county": e.county,
                        "tax_grade": e.tax_grade,
                        "public_grade": e.public_grade,
                        "change": change.get(e.code, ""),
                    }
                    for i, e in enumerate(rows, 1)
                ],
            }
        )
    return out


def _changes(result: DoubleA) -> dict[str, str]:
    if result.previous is None:
        return {}
    out = {e.code: ADDED for e in result.previous.added}
    out.update({e.code: KEPT for e in result.previous.kept})
    return out


def _added(result: DoubleA) -> list[dict[str, Any]]:
    if result.previous is None:
        return []
    return [
        {"serial": i, "name": e.name, "code": e.code, "county": e.county}
        for i, e in enumerate(result.previous.added, 1)
    ]


def _removed(result: DoubleA) -> list[dict[str, Any]]:
    if result.previous is None:
        return []
    return [
        {"serial": i, "name": r.name, "code": r.code, "county": r.county, "reason": tight(r.reason)}
        for i, r in enumerate(result.previous.removed, 1)
    ]
