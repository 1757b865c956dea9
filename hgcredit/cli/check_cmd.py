"""`hgcredit check`: where every domain stands for one month."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from hgcredit.cli.base import (
    EncodingOption,
    FilesArgument,
    JsonOption,
    RegistryOption,
    app,
    echo,
    emit_json,
    get_registry,
    report_problems,
    run,
)
from hgcredit.ledger.check import (
    FILLED,
    MISSING,
    PLACEHOLDER,
    STATUS_LABELS,
    CheckReport,
    DomainCheck,
    check_month,
)
from hgcredit.ledger.model import ignored_lines
from hgcredit.ledger.read import load_ledger
from hgcredit.months import parse_date, parse_month


@app.command("check")
def check_command(
    files: FilesArgument,
    month: Annotated[
        str,
        typer.Option(
            "--month", metavar="年-月", help="要检查的月份，如 2022-11。", show_default=False
        ),
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", metavar="日期", help="按哪一天判断是否逾期，如 2022-11-21（默认今天）。"
        ),
    ] = None,
    registry: RegistryOption = None,
    encoding: EncodingOption = None,
    as_json: JsonOption = False,
) -> None:
    """检查某月台账填报情况。

    对登记表中的每个领域，判断已填报、仅占位（无、同上月等）还是未填报，是否有数据支撑，
    是否逾期（登记表的截止日，默认每月 20 日），以及已连续几个月未报。

    退出码：0 没有逾期；1 有逾期；2 有输入文件无法使用（其余文件照常检查）。

    示例：hgcredit check 台账.xlsx 税务局.xlsx --month 2022-11 --as-of 2022-11-21
    """

    def body() -> int:
        key = parse_month(month)
        day = parse_date(as_of) if as_of else dt.date.today()
        reg = get_registry(registry)
        ledger = load_ledger(
            files, reg, encoding=encoding, default_year=int(key[:4]), reference_month=key
        )
        report = check_month(ledger, key, day)
        if as_json:
            emit_json(report.to_json())
        else:
            echo(render(report))
        report_problems(report.errors)
        return report.exit_code

    run(body)


def _state(d: DomainCheck) -> str:
    if d.status == FILLED:
        return "已填报"
    if d.overdue:
        return "逾期"
    return f"待报（剩 {d.days_left} 天）"


def _excerpt(d: DomainCheck, n: int = 24) -> str:
    one = " ".join(d.text.split())
    return one if len(one) <= n else one[:n] + "…"


def _sources(d: DomainCheck) -> str:
    return "、".join(Path(s).name for s in d.sources) or "未报送"


def render(report: CheckReport) -> str:
    """The terminal report: a table per status (problems first), conflicts, errors, summary."""
    from tabulate import tabulate  # lazy: keeps CLI start-up light

    out = []
    when = "已过截止日" if report.deadline_passed else "未到截止日"
    out.append(
        f"{report.month} 台账填报检查（截至 {report.as_of.isoformat()}，"
        f"截止日 {report.deadline.isoformat()}，{when}）"
    )
    if report.files:
        months = "、".join(report.months)
        out.append(f"已读取 {len(report.files)} 个文件，月份列：{months}")
    if not report.month_in_ledger:
        out.append(f"注意：输入中没有 {report.month} 的月份列，所有领域都按未填报计。")
    for status in (MISSING, PLACEHOLDER, FILLED):
        group = [d for d in report.domains if d.status == status]
        if not group:
            continue
        out.append("")
        out.append(f"{STATUS_LABELS[status]}（{len(group)}）")
        if status == FILLED:
            rows = [
                [d.serial, d.department, d.domain, "有" if d.data_supported else "无", _excerpt(d)]
                for d in group
            ]
            headers = ["序号", "实施部门", "领域", "数据支撑", "内容摘要"]
        else:
            streak = report.has_earlier_months
            rows = [
                [
                    d.serial,
                    d.department,
                    d.domain,
                    _state(d),
                    *([d.behind_months] if streak else []),
                    _excerpt(d) if status == PLACEHOLDER else _sources(d),
                ]
                for d in group
            ]
            last = "所填内容" if status == PLACEHOLDER else "报送文件"
            headers = [
                "序号",
                "实施部门",
                "领域",
                "状态",
                *(["连续未报(月)"] if streak else []),
                last,
            ]
        out.append(tabulate(rows, headers=headers, disable_numparse=True))
    if report.conflicts:
        out.append("")
        out.append(f"内容冲突（{len(report.conflicts)} 处，以后给出的文件为准）：")
        for c in report.conflicts:
            out.append(
                f"- {c.department} {c.domain} {c.month}："
                f"{c.earlier_location or c.earlier_file} 与 {c.later_location or c.later_file} 不同，"
                + ("后者仅为占位，保留前者" if c.kept == "earlier" else "采用后者")
            )
    out.extend(ignored_lines(report.ignored))
    out.append("")
    out.append(report.summary())
    return "\n".join(out)
