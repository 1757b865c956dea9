"""`hgcredit import`: merge department returns into one ledger workbook."""

from __future__ import annotations

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
from hgcredit.errors import OptionError
from hgcredit.io.outputs import check_output
from hgcredit.ledger.model import Ledger
from hgcredit.ledger.read import load_ledger
from hgcredit.ledger.write import write_ledger


@app.command("import")
def import_command(
    files: FilesArgument,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="合并后的台账（.xlsx），原子写入。", show_default=False
        ),
    ],
    year: Annotated[
        int | None,
        typer.Option(
            "--year", metavar="年份", help="表头只写“11月”而表中找不到年份时使用的年份，如 2022。"
        ),
    ] = None,
    registry: RegistryOption = None,
    encoding: EncodingOption = None,
    as_json: JsonOption = False,
) -> None:
    """导入并合并各部门报送的台账，按通知附件 1 的格式写出一份完整台账（登记表中的全部领域）。

    同一领域同一月份两个文件内容不同时，报告冲突，以后给出的文件为准。
    退出码：0 完成；1 完成但有内容冲突需要核对；2 有输入文件无法使用（其余文件照常导入）。

    示例：hgcredit import 台账.xlsx 税务局.xlsx 公安局.csv -o 合并台账.xlsx
    """

    def body() -> int:
        check_output(output, ".xlsx", "-o/--output", files)
        if year is not None and not 1900 <= year <= 2999:
            raise OptionError(f"--year {year} 不是有效年份，如 --year 2022")
        reg = get_registry(registry)
        ledger = load_ledger(files, reg, encoding=encoding, default_year=year)
        written = bool(ledger.files)
        if written:
            write_ledger(ledger, output)
        if as_json:
            emit_json({"output": str(output) if written else None, **ledger.to_json()})
        else:
            echo(_render(ledger, output if written else None))
        report_problems(ledger.errors)
        if ledger.errors:
            return 2
        return 1 if ledger.conflicts else 0

    run(body)


def _render(ledger: Ledger, output: Path | None) -> str:
    out = []
    total = len(ledger.registry.domains)
    if output is None:
        out.append("没有可用的输入，未写出台账。")
    else:
        months = "、".join(ledger.months) or "无"
        out.append(
            f"已写出 {output}：{total} 个领域，月份列 {months}；"
            f"来自 {len(ledger.files)} 个文件，{len(ledger.sources)} 个领域有报送，"
            f"共 {len(ledger.entries)} 格有内容。"
        )
        absent = [d.domain for d in ledger.registry.domains if d.domain not in ledger.sources]
        if absent:
            out.append(f"没有报送的领域（{len(absent)}）：{'、'.join(absent)}")
    if ledger.conflicts:
        out.append("")
        out.append(f"内容冲突（{len(ledger.conflicts)} 处，以后给出的文件为准）：")
        for c in ledger.conflicts:
            out.append(
                f"- {c.department} {c.domain} {c.month}："
                f"{c.earlier_location or c.earlier_file}“{_short(c.earlier_text)}” → "
                f"{c.later_location or c.later_file}“{_short(c.later_text)}”"
                + ("（后者仅为占位，保留前者）" if c.kept == "earlier" else "")
            )
    return "\n".join(out)


def _short(text: str, n: int = 30) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[:n] + "…"
