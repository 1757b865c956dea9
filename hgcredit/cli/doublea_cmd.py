"""`hgcredit double-a`: double-A enterprises from the tax and public evaluation lists.

The command parses its options, calls :func:`hgcredit.doublea.job.double_a`, writes what
was asked for and renders the summary. Heavy modules (numpy, python-calamine, xlsxwriter)
are imported inside the command, while the lists are being read, so that starting the CLI
stays fast.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
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
from hgcredit.io.outputs import check_output

if TYPE_CHECKING:
    from hgcredit.doublea.compute import DoubleA

_COUNTIES_SHOWN = 12  # on the terminal; a province has a hundred and more


@app.command("double-a")
def double_a_command(
    tax: Annotated[
        Path,
        typer.Option("--tax", help="纳税信用评价结果名单（xlsx/xls/ods/csv）。"),
    ],
    public: Annotated[
        Path,
        typer.Option("--public", help="公共信用评价结果名单（xlsx/xls/ods/csv）。"),
    ],
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="上一年的双A名单（本命令写出的工作簿或任一名单），用于列出新增、退出和保持的企业。",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="写出工作簿（.xlsx）：双A企业、按区县（含条形图）、问题记录、变化。",
        ),
    ] = None,
    detail: Annotated[
        Path | None,
        typer.Option("--detail", help="写出两份名单每一行的核对明细（.csv）。"),
    ] = None,
    tax_col: Annotated[
        list[str] | None,
        typer.Option(
            "--tax-col",
            metavar="用途=表头",
            help="纳税信用名单的列名，表头特殊时使用，如 --tax-col 代码=识别号 --tax-col 等级=F（可多次）。",
        ),
    ] = None,
    public_col: Annotated[
        list[str] | None,
        typer.Option(
            "--public-col", metavar="用途=表头", help="公共信用评价名单的列名，用法同 --tax-col。"
        ),
    ] = None,
    registry: RegistryOption = None,
    encoding: EncodingOption = None,
    as_json: JsonOption = False,
) -> None:
    """计算双A企业：既是纳税信用A级、又是公共信用评价A级的企业，按区县统计，并与上年比较。

    代码先清理（全角转半角、去空格和连字符、转大写）再按 GB 32100 校验；
    无效代码、重复、等级冲突都记入“问题记录”，不计入双A。
    原15位纳税人识别号按统一社会信用代码第3–17位匹配。
    退出码：0 完成；1 完成，但有可能影响双A名单的问题（A级行的代码无效或等级冲突）；2 输入无法使用。

    示例：hgcredit double-a --tax 纳税信用A级名单.xlsx --public 公共信用评价结果.xlsx --previous 2021年双A企业.xlsx -o 2022年双A企业.xlsx
    """

    def body() -> int:
        from hgcredit.doublea.job import double_a
        from hgcredit.entities.lists import parse_column_options

        for path, suffix, option in (
            (output, ".xlsx", "-o/--output"),
            (detail, ".csv", "--detail"),
        ):
            check_output(path, suffix, option, (tax, public, previous))
        tax_columns = parse_column_options(tax_col or [], "--tax-col")
        public_columns = parse_column_options(public_col or [], "--public-col")
        reg = get_registry(registry)
        # An unusable list raises; the edge (cli.base.guarded) names each one on its own line.
        with _progress() as progress:
            result = double_a(
                tax, public, previous, registry=reg, tax_columns=tax_columns,
                public_columns=public_columns, encoding=encoding, progress=progress,
                column_hints=("--tax-col", "--public-col"),
            )  # fmt: skip
        written = _write(result, output, detail)
        _render(result, output, detail, as_json, written)
        return EXIT_ACTION if result.needs_attention else EXIT_OK

    run(body)


def _write(result: DoubleA, output: Path | None, detail: Path | None) -> float:
    """Write the workbook and the detail csv asked for; the seconds it took."""
    started = time.perf_counter()
    if output is not None:
        from hgcredit.doublea.workbook import write_workbook

        write_workbook(result, output)
    if detail is not None:
        from hgcredit.doublea.workbook import write_detail

        write_detail(result, detail)
    return time.perf_counter() - started


def _render(
    result: DoubleA, output: Path | None, detail: Path | None, as_json: bool, written: float
) -> None:
    if as_json:
        outputs = {"workbook": output, "detail": detail}
        paths = {key: str(path) if path else None for key, path in outputs.items()}
        emit_json({**result.to_json(), "outputs": paths})
    else:
        _report(result, output, detail)
    if os.environ.get("HGCREDIT_TIMINGS"):
        t = result.timings
        warn(f"用时：读取 {t['read']:.3f} 秒，核对 {t['check']:.3f} 秒，写出 {written:.3f} 秒")


@contextmanager
def _progress() -> Iterator[_Progress | None]:
    """The progress line while the lists are read, on a terminal only."""
    progress = _Progress() if sys.stderr.isatty() else None
    try:
        yield progress
    finally:
        if progress is not None:
            progress.close()


class _Progress:
    """One status line on stderr while files are read (only on a terminal, only for
    reads longer than half a second): a bar for csv, elapsed time for workbooks."""

    def __init__(self) -> None:
        self.state: dict[str, float | None] = {}
        self.started = time.monotonic()
        self.shown = False
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._tick, daemon=True)
        self.thread.start()

    def __call__(self, label: str, done: float | None) -> None:
        with self.lock:
            self.state[label] = done

    def _tick(self) -> None:
        while not self.stop.wait(0.2):
            if time.monotonic() - self.started >= 0.5:
                self._draw()

    def _draw(self) -> None:
        with self.lock:
            parts = []
            for label, done in self.state.items():
                if done is None:
                    parts.append(f"{label} 读取中…")
                elif done >= 1.0:
                    parts.append(f"{label} ✓")
                else:
                    filled = int(done * 20)
                    parts.append(f"{label} [{'#' * filled}{'-' * (20 - filled)}] {done:4.0%}")
        elapsed = time.monotonic() - self.started
        sys.stderr.write("\r\033[K" + "  ".join(parts) + f"  {elapsed:.1f} 秒")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _report(result: DoubleA, output: Path | None, detail: Path | None) -> None:
    for s in (result.tax, result.public):
        extras = [f"代码无效 {s.invalid_codes:,} 行"]
        if s.legacy_ids:
            extras.append(f"原纳税人识别号 {s.legacy_ids:,} 行")
        extras += [f"重复 {s.duplicates:,} 行", f"等级冲突 {s.conflicts:,} 个代码"]
        echo(f"{s.label}：{s.file}，{s.rows:,} 行，A级 {s.grade_a:,} 户（{'，'.join(extras)}）")
        if s.grade_title:
            echo(
                f"  注意：{s.label}没有等级列，按标题“{s.grade_title}”每一行都算作其中的等级；"
                "如不是这样，请给出有等级列的名单"
            )
        if s.unknown_grades:
            grades = "、".join(f"{g} {n:,} 行" for g, n in s.unknown_grades.items())
            echo(
                f"  注意：{s.label}中有不属于 {'、'.join(s.grades)} 的等级：{grades}"
                "（不算 A 级；如该名单用的是其他等级体系，请核对，见问题记录）"
            )
    legacy = result.matched_via_legacy_id
    echo(
        f"双A企业：{len(result.enterprises):,} 户"
        + (f"（其中 {legacy} 户通过原纳税人识别号匹配）" if legacy else "")
    )
    counts = list(result.by_county.items())
    line = " · ".join(f"{c} {n}" for c, n in counts[:_COUNTIES_SHOWN])
    if len(counts) > _COUNTIES_SHOWN:
        line += f" ……共 {len(counts)} 个区县（全部见工作簿“按区县”或 --json）"
    echo("  " + line)
    if result.previous is not None:
        d = result.previous
        echo(f"与上年相比：新增 {len(d.added)} 户，退出 {len(d.removed)} 户，保持 {len(d.kept)} 户")
    if result.problems:
        echo(
            f"问题记录：{len(result.problems):,} 条，其中 {result.needs_attention:,} 条可能影响双A名单"
        )
        if output is None:
            shown = [q for q in result.problems if q.affects][:10]
            for q in shown:
                echo(f"  {q}")
            if result.needs_attention > len(shown):
                echo("  ……用 -o 写出工作簿可查看全部问题")
    if output is None and result.enterprises:
        from tabulate import tabulate

        echo(
            tabulate(
                [
                    [e.code, e.name, e.county, e.tax_grade, e.public_grade, e.score]
                    for e in result.enterprises
                ],
                headers=["统一社会信用代码", "企业名称", "所属区县", "纳税", "公共", "得分"],
            )
        )
    for path in (output, detail):
        if path is not None:
            echo(f"已写入：{path}")
