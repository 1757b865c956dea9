"""`hgcredit reconcile`: the public credit evaluation against each department's lists and
against last year's.

The command parses its options, calls :func:`hgcredit.reconcile.job.reconcile`, writes the
workbook when asked and renders a table per domain, then the year over year (or JSON).
numpy, python-calamine and xlsxwriter are imported inside the command, so starting the CLI
stays fast.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    warn,
)
from hgcredit.io.outputs import check_output

if TYPE_CHECKING:
    from hgcredit.reconcile.model import DomainResult, Reconciliation, YearOverYear

_COUNTIES_SHOWN = 12  # on the terminal; a province has a hundred and more
_ROWS_SHOWN = 10  # largest moves, problems: the rest are in the workbook


@app.command("reconcile")
def reconcile_command(
    public: Annotated[
        Path,
        typer.Option("--public", help="公共信用评价结果名单（xlsx/xls/ods/csv）。"),
    ],
    lists: Annotated[
        list[Path] | None,
        typer.Argument(
            help="各部门的名单（每行一个主体：有等级的评级名单，或没有等级的监管对象名单），可给多个。",
            show_default=False,
            metavar="部门名单",
        ),
    ] = None,
    previous_public: Annotated[
        Path | None,
        typer.Option(
            "--previous-public",
            help="上一年的公共信用评价结果，用于列出新增、退出的主体和等级的变化。",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="写出工作簿（.xlsx）：总览、每个领域的对照矩阵、分歧名单、未匹配、年度变化、说明。",
        ),
    ] = None,
    registry: RegistryOption = None,
    encoding: EncodingOption = None,
    as_json: JsonOption = False,
) -> None:
    """用公共信用评价结果对照各部门的名单和上年的评价结果。

    每个领域：按统一社会信用代码（含原15位纳税人识别号）匹配，统计匹配、公共信用评价中没有、
    代码无效、重复的行数；有等级的名单给出统一档次×公共信用评价等级的对照矩阵、一致率、
    加权 kappa 和分歧名单；没有等级的名单给每个主体附上公共信用评价等级。
    给出上年的评价结果时，列出新增、退出的主体，等级的转移矩阵（按区县）和变化最大的主体。
    退出码：0 完成；1 完成，但有代码无效、等级无法识别或等级冲突的行需要核对；2 输入无法使用。

    示例：hgcredit reconcile --public 2022年公共信用评价结果.xlsx --previous-public 2021年公共信用评价结果.xlsx 住建局名单.xlsx 应急局名单.csv -o 对照.xlsx
    """

    def body() -> int:
        from hgcredit.reconcile.job import reconcile

        given = [public, previous_public, *(lists or [])]
        check_output(output, ".xlsx", "-o/--output", given)
        # An unusable public evaluation raises; the edge (cli.base.guarded) names each
        # unusable input on its own line, and with --json prints the error object.
        result = reconcile(
            public, lists or [], previous_public, registry=get_registry(registry), encoding=encoding
        )
        started = time.perf_counter()
        if output is not None:
            from hgcredit.reconcile.workbook import write_workbook

            write_workbook(result, output)
        written = time.perf_counter() - started
        code = EXIT_INPUT if result.errors else EXIT_ACTION if result.needs_attention else EXIT_OK
        if as_json:
            outputs = {"workbook": str(output) if output else None}
            emit_json({**result.to_json(), "outputs": outputs, "exit_code": code})
        else:
            _report(result, output)
        report_problems(result.errors)
        if os.environ.get("HGCREDIT_TIMINGS"):
            t = result.timings
            warn(f"用时：读取 {t['read']:.3f} 秒，核对 {t['check']:.3f} 秒，写出 {written:.3f} 秒")
        return code

    run(body)


def _n(x: int) -> str:
    return f"{x:,}"


def _report(result: Reconciliation, output: Path | None) -> None:
    for s in (result.public, result.previous_public):
        if s is None:
            continue
        extras = [f"代码无效 {_n(s.invalid_codes)} 行", f"重复 {_n(s.duplicates)} 行"]
        extras.append(f"等级冲突 {_n(s.conflicts)} 个代码")
        if s.unknown_grades:
            extras.append(
                "等级无法识别 " + "、".join(f"{g} {n} 行" for g, n in s.unknown_grades.items())
            )
        grades = " · ".join(f"{g} {_n(n)}" for g, n in s.grades.items())
        echo(
            f"{s.label}：{s.file}，{_n(s.rows)} 行，{_n(s.entities)} 个主体（{'，'.join(extras)}）"
        )
        echo(f"  {grades}")
    for d in result.domains:
        echo()
        _domain(d)
    if result.year_over_year is not None:
        echo()
        _years(result.year_over_year)
    looks = result.to_look_at
    if looks:
        echo()
        echo(f"需要核对的行（{_n(len(looks))} 行：代码无效、等级无法识别、等级冲突）：")
        for q in looks[:_ROWS_SHOWN]:
            echo(f"  {q}")
        if len(looks) > _ROWS_SHOWN:
            echo(
                "  ……全部见工作簿“未匹配”表（用 -o 写出）"
                if output is None
                else "  ……全部见工作簿“未匹配”表"
            )
    if output is not None:
        echo()
        echo(f"已写入：{output}")


def _domain(d: DomainResult) -> None:
    from tabulate import tabulate

    dom = d.domain
    kind = f"有等级：{dom.scale.name}" if d.graded else "无等级"
    echo(f"{dom.serial} {dom.department} · {dom.domain}（{kind}）")
    legacy = f"（其中 {d.via_legacy_id} 户按原纳税人识别号）" if d.via_legacy_id else ""
    line = (
        f"  名单 {_n(d.rows)} 行：匹配 {_n(d.matched)}{legacy}，公共信用评价中没有 {_n(d.not_found)}，"
        f"代码无效 {_n(d.invalid_codes)}，重复 {_n(d.duplicates)}"
    )
    if d.unknown_rows:
        line += f"；等级无法识别 {len(d.unknown_rows)} 行"
    if d.conflicts:
        line += f"；等级冲突 {d.conflicts} 户"
    echo(line)
    for note in d.notes:
        echo(f"  注意：{note}")
    labels = list(d.public_labels)
    if d.graded and d.matrix is not None:
        rows = [[t, *row, sum(row)] for t, row in zip(d.tiers, d.matrix.tolist(), strict=True)]
        rows.append(["合计", *map(int, d.matrix.sum(axis=0)), int(d.matrix.sum())])
        table = tabulate(rows, headers=["统一档次＼公共", *labels, "合计"], disable_numparse=True)
        echo("\n".join("  " + r for r in table.splitlines()))
        agree = "—" if d.agreement is None else f"{d.agreement:.1%}"
        kappa = f"—（{d.kappa_note or '无法计算'}）" if d.kappa is None else f"{d.kappa:.3f}"
        echo(
            f"  一致率 {agree}（{_n(d.compared)} 户两边都有等级），加权 kappa {kappa}；"
            f"分歧 {_n(d.good_poor + d.poor_good)} 户（部门评价好、公共评价差 {_n(d.good_poor)}；"
            f"部门评价差、公共评价好 {_n(d.poor_good)}）"
        )
    else:
        grades = " · ".join(f"{g} {_n(n)}" for g, n in d.public_grades.items())
        echo(f"  匹配主体的公共信用评价等级：{grades}")


def _years(y: YearOverYear) -> None:
    from tabulate import tabulate

    echo(f"与上年相比（{y.file}）：新增 {_n(y.added)}，退出 {_n(y.removed)}，保持 {_n(y.kept)}"
         f"（升级 {_n(y.upgraded)}，降级 {_n(y.downgraded)}）")  # fmt: skip
    labels = list(y.labels)
    rows = [[a, *row, sum(row)] for a, row in zip(labels, y.transitions.tolist(), strict=True)]
    table = tabulate(rows, headers=["上年＼今年", *labels, "合计"], disable_numparse=True)
    echo("\n".join("  " + r for r in table.splitlines()))
    counties = list(y.by_county.items())
    rows = [
        [c, v.added, v.removed, v.kept, v.upgraded, v.downgraded]
        for c, v in counties[:_COUNTIES_SHOWN]
    ]
    table = tabulate(
        rows, headers=["区县", "新增", "退出", "保持", "升级", "降级"], disable_numparse=True
    )
    echo("\n".join("  " + r for r in table.splitlines()))
    if len(counties) > _COUNTIES_SHOWN:
        echo(f"  ……共 {len(counties)} 个区县（全部见工作簿“年度变化”或 --json）")
    if y.n_largest:
        best, worst = y.labels[0], y.labels[-1]
        echo(f"  变化最大的主体（{best}→{worst}、{worst}→{best}）：{_n(y.n_largest)} 户")
        for m in y.moves(_ROWS_SHOWN):
            echo(f"    {m.code} {m.name}（{m.county}）：{m.last_year} → {m.this_year}")
        if y.n_largest > _ROWS_SHOWN:
            echo("    ……全部见工作簿“年度变化”或 --json")
