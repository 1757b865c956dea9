"""`hgcredit summary`: the month's summary workbook for the leadership group.

The command parses its options and calls :func:`hgcredit.summary.job.summarise`; the
analysis, the workbook and its modules are imported only when it runs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hgcredit.cli.base import (
    EncodingOption,
    JsonOption,
    RegistryOption,
    app,
    echo,
    emit_json,
    error_line,
    get_registry,
    run,
)
from hgcredit.io.outputs import check_output
from hgcredit.months import parse_date, parse_month

if TYPE_CHECKING:
    from hgcredit.summary.job import Summary


@app.command("summary")
def summary_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="台账、各部门报送和等级名单（xlsx/xls/ods/csv/txt），可混合给出，按表头自动区分；"
            "后给出的文件优先。",
            show_default=False,
            metavar="文件",
        ),
    ],
    month: Annotated[
        str,
        typer.Option(
            "--month", metavar="年-月", help="汇总哪个月，如 2022-11。", show_default=False
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            metavar="文件",
            help="写出汇总工作簿（.xlsx）：总览、填报情况、等级分布、双A企业、说明。",
            show_default=False,
        ),
    ],
    tax: Annotated[
        Path | None,
        typer.Option(
            "--tax",
            metavar="文件",
            help="纳税信用评价结果名单；与 --public 一起给出时汇总双A企业。",
        ),
    ] = None,
    public: Annotated[
        Path | None,
        typer.Option("--public", metavar="文件", help="公共信用评价结果名单。"),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous", metavar="文件", help="上一年的双A名单，用于标出新增和退出的企业。"
        ),
    ] = None,
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
    """写出本月的汇总工作簿，供领导小组阅看。

    工作表：总览（各领域本月填报、各等级数量、核对、统一档次）、填报情况（各领域×各月份，
    按状态着色，连续未报月数和各月趋势图）、等级分布（统一档次及堆积条形图）、
    双A企业和双A企业名单（给出 --tax、--public 时，按区县统计并附图）、说明（输入文件及其 SHA-256）。
    输入与 check、ratings 相同，可混合给出台账、各部门报送和等级名单；后给出的文件优先。
    退出码：0 没有需要处理的事项；1 有逾期、评级数字对不上或双A名单有问题；
    2 有输入文件无法使用（其余文件照常汇总）。

    示例：hgcredit summary 台账.xlsx 报送/*.xlsx --month 2022-11 --tax 纳税信用名单.xlsx --public 公共信用评价结果.xlsx -o 2022年11月汇总.xlsx
    """

    def body() -> int:
        from hgcredit.summary.job import summarise

        key = parse_month(month)
        day = parse_date(as_of) if as_of else dt.date.today()
        check_output(output, ".xlsx", "-o/--output", (*files, tax, public, previous))
        result = summarise(
            files, key, output, as_of=day, registry=get_registry(registry),
            encoding=encoding, tax=tax, public=public, previous=previous,
        )  # fmt: skip
        if as_json:
            emit_json(result.to_json())
        else:
            _report(result)
        for problem in result.errors:
            error_line(str(problem))
        return result.exit_code

    run(body)


def _report(result: Summary) -> None:
    a = result.analysis
    if result.output is None:
        echo("没有可以汇总的内容（没有可用的台账行或名单），未写出工作簿。")
        return
    echo(f"已写出 {result.output}：{'、'.join(result.sheets)}")
    echo(f"  填报：{a.check.summary()}")
    counted = sum(1 for r in a.ratings.domains if r.counts)
    echo(f"  评级：{counted} 个领域读出了各等级数量，{len(a.ratings.inconsistent)} 个对不上")
    if a.double_a is not None:
        line = f"  双A企业：{len(a.double_a.enterprises)} 户"
        if (diff := a.double_a.previous) is not None:
            line += f"（与上年相比新增 {len(diff.added)} 户，退出 {len(diff.removed)} 户）"
        echo(line)
    if result.needs_action:
        echo(f"需要处理：{'；'.join(result.needs_action)}")
