"""`hgcredit notice`: the circular, the reminder and the double-A notice as documents.

The command parses its options, calls :func:`hgcredit.notices.make.make_notice` and says
what it wrote; Jinja2 and docxtpl are imported only when a document is rendered.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hgcredit.cli.base import (
    EXIT_ACTION,
    EXIT_OK,
    EncodingOption,
    JsonOption,
    RegistryOption,
    app,
    echo,
    emit_json,
    get_registry,
    run,
    warn,
)
from hgcredit.errors import OptionError
from hgcredit.months import parse_date

if TYPE_CHECKING:
    from hgcredit.notices.make import Notice

KIND_NAMES = {"overdue": "逾期通报", "reminder": "催报提醒", "double-a": "双A企业通知"}


@app.command("notice")
def notice_command(
    kind: Annotated[
        str,
        typer.Argument(
            metavar="种类",
            help="overdue（逾期通报）、reminder（催报提醒）或 double-a（双A企业通知）。",
            show_default=False,
        ),
    ],
    month: Annotated[
        str,
        typer.Option(
            "--month", metavar="年-月", help="哪个月的台账，如 2022-11。", show_default=False
        ),
    ],
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="文件",
            help="台账、各部门报送和等级名单（与 check 相同，可混合给出；double-a 不需要）。",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="文件",
            help="写出的文件，格式按扩展名：.docx .md .html .txt .pdf（PDF 需要 LibreOffice）。",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", metavar="日期", help="成文日期和判断逾期的日期，如 2022-11-21（默认今天）。"
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="文件",
            help="单位信息文件（默认当前文件夹的 hgcredit.toml，没有时用内置的市信用办信息）。",
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates", metavar="文件夹", help="使用这个文件夹中自己修改过的模板（同名文件）。"
        ),
    ] = None,
    doc_number: Annotated[
        str | None,
        typer.Option(
            "--doc-number",
            metavar="文号",
            help="发文字号，如 鹤信用办发〔2022〕32号（代替单位信息中的）。",
        ),
    ] = None,
    late: Annotated[
        list[str] | None,
        typer.Option(
            "--late",
            metavar="单位",
            help="截止日后才收到报送的部门或领域，通报中列为逾期报送（可多次）。",
        ),
    ] = None,
    tax: Annotated[
        Path | None, typer.Option("--tax", metavar="文件", help="double-a：纳税信用评价结果名单。")
    ] = None,
    public: Annotated[
        Path | None,
        typer.Option("--public", metavar="文件", help="double-a：公共信用评价结果名单。"),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous", metavar="文件", help="double-a：上一年的双A名单，列出新增和退出。"
        ),
    ] = None,
    registry: RegistryOption = None,
    encoding: EncodingOption = None,
    as_json: JsonOption = False,
) -> None:
    """生成发出的公文：逾期通报、催报提醒或双A企业通知（Word、Markdown、网页、文本或 PDF）。

    overdue：截止日（每月 20 日）以后，通报未按时报送、仅填写占位内容的单位，附报送情况表；
    截止日当天及以前不能通报，请用 reminder。reminder：催报还没报送或只填了“同上月”的单位。
    double-a：把双A企业名单按县（区）发给各县（区）税务局（需要 --tax、--public）。
    --json 打印模板收到的全部内容。
    退出码：0 已生成；1 已生成，但发文字号的年份与成文日期不符；2 输入、选项或模板无法使用（不写出文件）。

    示例：hgcredit notice overdue 台账.xlsx 税务局.xlsx --month 2022-11 --as-of 2022-11-21 -o 通报.docx
    """

    def body() -> int:
        from hgcredit.notices.config import load_config
        from hgcredit.notices.make import make_notice

        if output is None and not as_json:
            raise OptionError("请用 -o 给出要写出的文件（如 -o 通报.docx），或用 --json 只看内容")
        day = parse_date(as_of) if as_of else dt.date.today()
        office = load_config(config, cwd=Path.cwd())
        # Unusable inputs (UnusableInputs) are named one a line by the edge (cli.base.guarded).
        notice = make_notice(
            kind, files or [], month, output=output, as_of=day, config=office,
            templates=templates, number=doc_number, late=late or [], tax=tax,
            public=public, previous=previous, registry=get_registry(registry),
            encoding=encoding,
        )  # fmt: skip
        if as_json:
            emit_json(notice.to_json())
        else:
            echo(_said(notice))
        for line in notice.warnings:
            warn(f"注意：{line}")
        return EXIT_ACTION if notice.warnings else EXIT_OK

    run(body)


def _said(notice: Notice) -> str:
    """One or two lines: what was written and what it says."""
    ctx = notice.context
    if notice.nothing_to_send:
        return f"{ctx['month']} 各领域都已填报，没有需要催报的单位，未写出文件。"
    if notice.kind == "overdue":
        c = ctx["counts"]
        what = (
            f"通报未按时报送 {c['not_on_time']} 个领域（未报送 {c['missing']}、"
            f"仅占位 {c['placeholder']}、逾期报送 {c['late']}），表扬 {len(ctx['praised'])} 个单位"
        )
    elif notice.kind == "reminder":
        if ctx["deadline_passed"]:
            days = f"截止日已过 {ctx['days_past']} 天"
        elif ctx["days_left"]:
            days = f"距截止日还有 {ctx['days_left']} 天"
        else:
            days = "今天是截止日"
        what = f"催报 {len(ctx['units'])} 个领域（{'、'.join(ctx['recipients'])}），{days}"
    else:
        what = f"双A企业 {ctx['total']} 户，{len(ctx['counties'])} 个县（区）"
        if ctx["has_previous"]:
            what += f"；新增 {len(ctx['added'])} 户，退出 {len(ctx['removed'])} 户"
    lines = []
    if notice.output is not None:
        number = "" if notice.kind == "reminder" else f"，{ctx['doc_number']}"
        lines.append(f"已写出 {notice.output}（{KIND_NAMES[notice.kind]}{number}）：{what}。")
        lines.append(f"模板：{notice.template}")
    return "\n".join(lines)
