"""`hgcredit ratings`: counts per rating level for every domain, reconciled, on four tiers.

The command parses its options, calls :func:`hgcredit.ratings.rate.rate_files` and renders
the report as a table (or JSON).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hgcredit.cli.base import (
    EXIT_ACTION,
    EXIT_INPUT,
    EXIT_OK,
    EncodingOption,
    JsonOption,
    RegistryOption,
    app,
    echo,
    emit_json,
    get_registry,
    report_problems,
    run,
)
from hgcredit.ratings.rate import rate_files
from hgcredit.ratings.report import DomainRatings, RatingsReport


@app.command("ratings")
def ratings_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="台账文件和/或等级名单文件（xlsx、xls、ods、csv），可混合给出，按表头自动区分。",
            show_default=False,
            metavar="文件",
        ),
    ],
    month: Annotated[
        str, typer.Option("--month", help="统计哪个月的台账内容，格式 YYYY-MM，如 2022-10。")
    ],
    registry: RegistryOption = None,
    encoding: EncodingOption = None,
    as_json: JsonOption = False,
) -> None:
    """统计各领域各评级的数量，与所述总数核对，并折算为统一的四档（A/B/C/D）。

    数量从台账本月一列的文字和各部门的等级名单（每行一个主体及其等级）中读出。
    读不准的句子不给数字，列在“需人工核对”中；数字对不上的领域列在表下。
    名单与台账文字并存时，以名单数出的数量为准，并与文字核对。
    退出码：0 全部一致；1 有领域对不上；2 有文件或选项无法使用。

    示例：hgcredit ratings 台账.xlsx 纳税信用A级名单.xlsx --month 2022-10
    """

    def body() -> int:
        report = rate_files(files, month, get_registry(registry), encoding=encoding)
        if as_json:
            emit_json(report.to_json())
        else:
            show(report)
        report_problems(report.errors)
        if report.errors:
            return EXIT_INPUT
        return EXIT_ACTION if report.inconsistent else EXIT_OK

    run(body)


def _counts(d: DomainRatings) -> str:
    return " · ".join(f"{label} {n}" for label, n in d.counts.items())


def _mark(d: DomainRatings) -> str:
    return {True: "一致", False: "不符", None: "—"}[d.consistent]


def show(report: RatingsReport) -> None:
    from tabulate import tabulate  # lazy: keeps CLI start-up light

    if not report.domains:
        return
    year, mon = report.month.split("-")
    echo(f"{year}年{int(mon)}月 各领域评级数量（{len(report.domains)} 个领域）")
    rows = [
        [
            d.domain.serial,
            d.domain.department,
            d.domain.domain,
            _counts(d) or "（未读出数量）",
            "" if d.stated_total is None else d.stated_total,
            "" if d.counted_total is None else d.counted_total,
            _mark(d),
            " · ".join(f"{t} {n}" for t, n in d.tiers.items()),
        ]
        for d in report.domains
    ]
    echo(
        tabulate(
            rows,
            headers=[
                "序号",
                "实施部门",
                "领域",
                "各等级数量",
                "所述总数",
                "合计",
                "核对",
                "统一档次",
            ],
            disable_numparse=True,
        )
    )
    bad = report.inconsistent
    if bad:
        echo()
        echo(f"对不上的领域（{len(bad)} 个）：")
        for d in bad:
            for problem in d.problems:
                echo(f"  {d.domain.department}·{d.domain.domain}：{problem}")
    review = [(d, note) for d in report.domains for note in d.review]
    if review:
        echo()
        echo(f"需人工核对（{len(review)} 条，未计入数量）：")
        for d, note in review:
            echo(f"  {d.domain.department}·{d.domain.domain}：{note}")
    empty = [d.domain.domain for d in report.domains if not d.counts]
    if empty:
        echo()
        echo(f"未读出评级数量的领域（{len(empty)} 个）：{'、'.join(empty)}")
