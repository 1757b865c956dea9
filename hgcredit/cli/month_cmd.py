"""`hgcredit month`: the whole month in one command, over the folder of the month's files.

The command parses its options and calls :func:`hgcredit.month.run.run_month`; on a
terminal it shows a line per stage as it is done (rich, on stderr) and then a short table
(on stdout); ``--json`` prints ``report.json`` instead. The month's modules and rich are
imported only when it runs.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hgcredit.cli.base import (
    EncodingOption,
    JsonOption,
    RegistryOption,
    app,
    emit_json,
    get_registry,
    report_problems,
    run,
    terminal_text,
    warn,
)
from hgcredit.months import parse_date, parse_month

if TYPE_CHECKING:
    from hgcredit.month.run import MonthRun, Stage


@app.command("month")
def month_command(
    folder: Annotated[
        Path,
        typer.Argument(
            help="保存本月附件的文件夹：总台账、各部门报送、等级名单、纳税信用名单、"
            "公共信用评价结果、上年双A名单，可放在子文件夹中，按内容自动识别。",
            show_default=False,
            metavar="文件夹",
        ),
    ],
    month: Annotated[
        str,
        typer.Option(
            "--month", metavar="年-月", help="办理哪个月，如 2022-11。", show_default=False
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            metavar="文件夹",
            help="输出文件夹；本月的结果写在其中的 年-月 子文件夹（如 2022-11/），整个替换上次的结果。",
            show_default=False,
        ),
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="日期",
            help="按哪一天判断是否逾期，如 2022-11-21（默认今天）；截止日当天及以前写催报提醒，之后写通报。",
        ),
    ] = None,
    tax: Annotated[
        Path | None,
        typer.Option(
            "--tax", metavar="文件", help="纳税信用名单（文件夹中有两份都可能是时指定）。"
        ),
    ] = None,
    public: Annotated[
        Path | None,
        typer.Option(
            "--public", metavar="文件", help="本年的公共信用评价结果（有两份都可能是时指定）。"
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous", metavar="文件", help="上一年的双A名单（有两份都可能是时指定）。"
        ),
    ] = None,
    history: Annotated[
        Path | None,
        typer.Option(
            "--history",
            metavar="文件夹",
            help="往月台账所在的文件夹（如上月的输出），用于连续未报月数和各月趋势。",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="文件",
            help="单位信息（发文机关、发文字号、联系人等），默认当前文件夹中的 hgcredit.toml（同 notice）。",
        ),
    ] = None,
    registry: RegistryOption = None,
    encoding: EncodingOption = None,
    as_json: JsonOption = False,
) -> None:
    """一条命令办完一个月：合并台账、检查填报、统计评级、计算双A企业，写出通报或催报提醒和汇总工作簿。

    把本月收到的附件存进一个文件夹（可有子文件夹），按表头和内容识别每个文件是什么；
    认不出或有两份都可能是同一种名单时列出原因，不猜。截止日当天及以前写催报提醒，之后写通报。
    结果写在 输出文件夹/年-月/：合并台账、通报或催报提醒（.docx、.md）、汇总工作簿、
    双A企业工作簿（有两份名单时）和 report.json；先写到临时文件夹，全部写好才替换上次的结果。
    退出码：0 没有需要处理的事项；1 有逾期、待催报、评级数字对不上等需要处理的事项；
    2 有输入文件无法使用（其余照常办完）。

    示例：hgcredit month 11月附件 --month 2022-11 --as-of 2022-11-21 -o 月度工作
    """

    def body() -> int:
        from hgcredit.month.run import run_month

        key = parse_month(month)
        day = parse_date(as_of) if as_of else dt.date.today()
        console = _console(sys.stderr) if not as_json and sys.stderr.isatty() else None
        result = run_month(
            folder, key, output, as_of=day, registry=get_registry(registry),
            encoding=encoding, tax=tax, public=public, previous=previous,
            history=history, config=config, progress=_progress(console) if console else None,
        )  # fmt: skip
        if as_json:
            emit_json(result.to_json())
        else:
            _report(result)
        report_problems(result.errors)
        if os.environ.get("HGCREDIT_TIMINGS"):
            t = result.timings
            parts = "，".join(f"{k} {v:.3f}" for k, v in t.items())
            warn(f"用时（秒）：{parts}，合计 {sum(t.values()):.3f}")
        return result.exit_code

    run(body)


def _console(stream: Any) -> Any:
    from rich.console import Console

    return Console(file=stream, highlight=False, markup=False, emoji=False)


def _progress(console: Any) -> Any:
    def show(stage: Stage) -> None:
        console.print("✓", style="green", end=" ")
        line = f"{stage.label}：{stage.detail}（{stage.seconds:.2f} 秒）"
        console.print(terminal_text(line), soft_wrap=True)

    return show


LABEL_WIDTH = 16  # terminal columns of the table's first column


def _pad(label: str) -> str:
    from wcwidth import wcswidth

    return label + " " * max(LABEL_WIDTH - wcswidth(label), 1)


def _report(result: MonthRun) -> None:
    """The short table, the units to chase, the files written (a tree), what needs action."""
    console = _console(sys.stdout)
    for line, style in report_lines(result):
        console.print(terminal_text(line), style=style, soft_wrap=True)


def report_lines(result: MonthRun) -> list[tuple[str, str | None]]:
    """The terminal report as (line, rich style) pairs."""
    a = result.analysis
    check = a.check
    when = "已过截止日" if check.deadline_passed else "未到截止日"
    out: list[tuple[str, str | None]] = [
        (
            f"{a.month} 月度工作（截至 {check.as_of.isoformat()}，"
            f"截止日 {check.deadline.isoformat()}，{when}）",
            "bold",
        ),
        ("", None),
    ]
    late = check.overdue if check.deadline_passed else check.pending
    late_label = "逾期未报" if check.deadline_passed else "截止日前未报"
    bad = a.ratings.inconsistent
    unusable = list(dict.fromkeys(e.file for e in result.errors))
    rows = [
        ("填报", check.summary()),
        (late_label, f"{len(late)} 个领域" if late else "无"),
        ("评级对不上", f"{len(bad)} 个领域" if bad else "无"),
        ("双A企业", _double_a_line(result)),
        ("无法使用的文件", f"{len(unusable)} 个（原因见标准错误输出）" if unusable else "无"),
    ]
    for n in result.notices:
        written = "、".join(Path(f).name for f in n.files)
        if written and n.note:
            written += f"（注意：{n.note}）"  # something to look at before it is sent
        rows.append((n.label, written or n.note))
    rows.append(("输出", f"{result.target}{os.sep}（{len(result.outputs) + 1} 个文件）"))
    out += [(f"  {_pad(label)}{value}", None) for label, value in rows]
    details = []
    if late:
        names = "、".join(
            f"{d.department}·{d.domain}{'（仅占位）' if d.status == 'placeholder' else ''}"
            for d in late
        )
        details.append(f"{late_label}（{len(late)}）：{names}")
    if bad:
        details.append(
            f"评级对不上（{len(bad)}）：{'、'.join(f'{r.domain.department}·{r.domain.domain}' for r in bad)}"
        )
    if unusable:
        details.append(f"无法使用的文件（{len(unusable)}）：{'、'.join(unusable)}")
    if details:
        out += [("", None), *((d, None) for d in details)]
    out += [("", None), (f"{result.target}{os.sep}", "bold")]
    files = [(Path(o.file).name, o.what) for o in result.outputs]
    files.append(("report.json", "本月结果（检查、评级、双A、输入与输出，供程序读取）"))
    for i, (name, what) in enumerate(files):
        branch = "└── " if i == len(files) - 1 else "├── "
        out.append((f"{branch}{name}　{what}", None))
    if result.needs_action:
        out += [("", None), (f"需要处理：{'；'.join(result.needs_action)}", "bold yellow")]
    return out


def _double_a_line(result: MonthRun) -> str:
    d = result.analysis.double_a
    if d is None:
        gap = result.placement.double_a_gap()
        return f"未计算（{gap}）" if gap else "未计算"
    line = f"{len(d.enterprises)} 户"
    if d.previous is not None:
        line += f"（与上年相比新增 {len(d.previous.added)} 户，退出 {len(d.previous.removed)} 户）"
    if d.needs_attention:
        line += f"；名单中有 {d.needs_attention} 处问题可能影响结果"
    return line
