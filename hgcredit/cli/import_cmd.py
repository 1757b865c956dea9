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
from hgcredit.ledger.model import Ledger, ignored_lines
from hgcredit.ledger.read import load_ledger
from hgcredit.ledger.write import EXCEL_CELL_CHARS, WrittenLedger, write_ledger


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
    表尾落款（填报人、联系电话、盖章等）和备注不算台账内容；其他读不了的行逐行报告。
    超过 Excel 单元格上限的内容在台账中截断，全文写入旁边的“台账名_全文.txt”。
    退出码：0 完成；1 完成但有内容冲突、截断的内容需要核对，或输入全是空白而未替换原有台账；
    2 有输入文件（或其中的行）无法使用（其余文件照常导入）。

    示例：hgcredit import 台账.xlsx 税务局.xlsx 公安局.csv -o 合并台账.xlsx
    """

    def body() -> int:
        check_output(output, ".xlsx", "-o/--output", files)
        if year is not None and not 1900 <= year <= 2999:
            raise OptionError(f"--year {year} 不是有效年份，如 --year 2022")
        reg = get_registry(registry)
        ledger = load_ledger(files, reg, encoding=encoding, default_year=year)
        # A run that read no text at all never replaces an existing ledger; nor does a run
        # that read no text and could not use an input, and it writes no blank ledger either.
        used = bool(ledger.files) and not (ledger.errors and not ledger.entries)
        keep = used and not ledger.entries and output.exists()
        written = write_ledger(ledger, output) if used and not keep else None
        if as_json:
            emit_json(
                {
                    "output": str(output) if written else None,
                    "kept_existing_output": keep,
                    "full_text": str(written.full_text) if written and written.full_text else None,
                    "cut_cells": [c.to_json() for c in written.cut] if written else [],
                    **ledger.to_json(),
                }
            )
        else:
            echo(_render(ledger, output, written, keep))
        report_problems(ledger.errors)
        if ledger.errors:
            return 2
        return 1 if ledger.conflicts or keep or (written and written.cut) else 0

    run(body)


def _render(ledger: Ledger, output: Path, written: WrittenLedger | None, keep: bool) -> str:
    out = []
    total = len(ledger.registry.domains)
    if keep:
        out.append(
            f"输入中没有任何月份内容（各月份列都是空白），未写出台账；原有的 {output} 保持不变。"
        )
    elif written is None:
        kept = f"原有的 {output} 保持不变。" if output.exists() else ""
        if ledger.files:
            out.append(
                f"读到的输入中各月份列都是空白，且有输入无法使用（见下），未写出台账。{kept}"
            )
        else:
            out.append(f"没有可用的输入，未写出台账。{kept}")
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
        if written.cut:
            out.append("")
            out.append(
                f"超长内容（{len(written.cut)} 格超过 Excel 单元格上限 {EXCEL_CELL_CHARS:,} 字，"
                f"台账中只保留前 {EXCEL_CELL_CHARS:,} 字，全文已写入 {written.full_text}）："
            )
            out += [
                f"- {c.department} {c.domain} {c.month}：共 {c.chars:,} 字"
                + (f"（{c.location}）" if c.location else "")
                for c in written.cut
            ]
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
    out.extend(ignored_lines(ledger.ignored))
    return "\n".join(out)


def _short(text: str, n: int = 30) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[:n] + "…"
