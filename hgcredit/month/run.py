"""Run a whole month over a folder: :func:`run_month`.

Find the inputs (:mod:`.inputs`), analyse the month once (:mod:`.analyse`: merge → check →
ratings, and double-A when both lists are there), then write every output from that one
analysis into ``OUTDIR/YYYY-MM/``: the merged ledger, the notice the date calls for
(:mod:`.notice`), the double-A workbook (when computed), the summary workbook and
``report.json``. The outputs are written into a temporary folder beside ``OUTDIR/YYYY-MM``
and swapped in at the end (:mod:`.swap`), so an interrupted or failed run leaves the
previous outputs whole. Nothing in the input folder is ever written to.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hgcredit.errors import OptionError, Problem
from hgcredit.month.analyse import MonthAnalysis, analyse_inputs
from hgcredit.month.inputs import (
    HISTORY,
    LEDGER,
    LIST,
    PREVIOUS,
    PUBLIC,
    TAX,
    UNUSABLE,
    Placement,
    place_inputs,
)
from hgcredit.month.notice import NoticeWritten, write_notices
from hgcredit.month.swap import swapped_folder
from hgcredit.months import parse_month
from hgcredit.ratings.rate import SortedInputs
from hgcredit.registry import Registry, load_registry

if TYPE_CHECKING:
    from hgcredit.doublea.compute import DoubleA
    from hgcredit.notices.config import OfficeConfig

EXIT_OK, EXIT_ACTION, EXIT_INPUT = 0, 1, 2
REPORT = "report.json"
TOOL = "hgcredit month"


@dataclass(frozen=True)
class Stage:
    """A stage done: its key, its name for the clerk, what it found, and its seconds."""

    key: str
    label: str
    detail: str
    seconds: float


Progress = Callable[[Stage], None]


@dataclass(frozen=True)
class Output:
    """A file written into the month's folder: its final path, what it is, its sha256."""

    file: str
    what: str
    sha256: str

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "what": self.what, "sha256": self.sha256}


@dataclass
class MonthRun:
    """What :func:`run_month` did: the inputs placed, the analysis, the notices and every
    output written (final paths), and ``report.json`` (:meth:`to_json`)."""

    folder: Path
    target: Path
    placement: Placement
    analysis: MonthAnalysis
    notices: list[NoticeWritten] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    double_a_workbook: str | None = None
    cut_cells: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    version: str = ""
    office: OfficeConfig | None = field(default=None, repr=False)  # the notices' config

    @property
    def errors(self) -> list[Problem]:
        """Every input (or place in one) that could not be used, once. No ledger with the
        month's column (nothing of the month arrived yet) is no input's fault: it is in
        ``ratings`` as that command says it, and here in ``needs_action``."""
        from hgcredit.summary.sheets import all_errors

        return [p for p in all_errors(self.analysis) if p.kind != "month"]

    @property
    def needs_action(self) -> list[str]:
        """What the clerk must act on (Chinese, one line each): overdue units, the reminder
        to send, counts that do not add up, conflicting returns, cut cells, problems that
        could change the double-A list, a notice to look at before sending it."""
        a = self.analysis
        check = a.check
        out = []
        written = {n.kind for n in self.notices if n.files}
        if check.overdue:
            note = "（通报已写好）" if "overdue" in written else ""
            out.append(f"逾期未报 {len(check.overdue)} 个领域{note}")
        elif check.pending:
            note = "（催报提醒已写好）" if "reminder" in written else ""
            out.append(f"截止日前尚未填报 {len(check.pending)} 个领域{note}")
        if not check.month_in_ledger:
            months = "、".join(a.ledger.months) or "无"
            out.append(
                f"文件夹中的台账都没有 {a.month} 的一列（有：{months}）：还没有收到本月的报送，"
                "或缺少本月的总台账；收到后再运行"
            )
        if a.ratings.inconsistent:
            out.append(f"评级数字对不上 {len(a.ratings.inconsistent)} 个领域")
        if check.conflicts:
            out.append(f"内容冲突 {len(check.conflicts)} 处（以后报送的为准，请核对）")
        if self.cut_cells:
            out.append(f"超长内容 {self.cut_cells} 格（台账中只保留前 32,767 字，全文另存）")
        if a.double_a is not None and a.double_a.needs_attention:
            out.append(f"双A名单中有 {a.double_a.needs_attention} 处问题可能影响结果")
        # A notice written with something to look at first (its document number's year).
        out += [f"{n.label}：{n.note}" for n in self.notices if n.files and n.note]
        return out

    @property
    def exit_code(self) -> int:
        """2 when an input could not be used, else 1 when something needs action, else 0."""
        if self.errors:
            return EXIT_INPUT
        return EXIT_ACTION if self.needs_action else EXIT_OK

    def double_a_json(self) -> dict[str, Any] | None:
        """What ``hgcredit double-a --json -o WORKBOOK`` prints, or None."""
        result = self.analysis.double_a
        if result is None:
            return None
        return {**result.to_json(), "outputs": {"workbook": self.double_a_workbook, "detail": None}}

    def to_json(self) -> dict[str, Any]:
        """``report.json``: ``check``, ``ratings``, ``double_a`` and ``errors`` exactly as
        ``check``, ``ratings`` and ``double-a`` print them with ``--json``; the notices,
        every input with its role and sha256, every output with its sha256."""
        a = self.analysis
        return {
            "tool": TOOL,
            "version": self.version,
            "month": a.month,
            "as_of": a.as_of.isoformat(),
            "deadline": a.check.deadline.isoformat(),
            "deadline_passed": a.check.deadline_passed,
            "folder": str(self.folder),
            "output": str(self.target),
            "check": a.check.to_json(),
            "ratings": a.ratings.to_json(),
            "double_a": self.double_a_json(),
            "errors": [e.to_json() for e in self.errors],
            "notices": [n.to_json() for n in self.notices],
            "inputs": [f.to_json() for f in self.placement.files],
            "outputs": [o.to_json() for o in self.outputs],
            "needs_action": self.needs_action,
            "exit_code": self.exit_code,
        }


def month_title(month: str) -> str:
    """``2022-11`` → ``2022年11月``."""
    return f"{month[:4]}年{int(month[5:7])}月"


def output_names(month: str, registry: Registry, year: int) -> dict[str, str]:
    """The file name (stem) of each output of ``month``; ``year`` is the double-A year."""
    title = month_title(month)
    return {
        "ledger": f"{registry.city}信用分级分类监管工作推进台账_{title}",
        "summary": f"{title}信用分级分类监管工作汇总",
        "overdue": f"{title}台账报送情况通报",
        "reminder": f"{title}台账催报提醒",
        "double-a": f"{year}年双A企业通知",
        "double_a": f"{year}年双A企业",
    }


def run_month(
    folder: str | Path,
    month: str,
    output: str | Path,
    *,
    as_of: dt.date | None = None,
    registry: Registry | None = None,
    encoding: str | None = None,
    tax: str | Path | None = None,
    public: str | Path | None = None,
    previous: str | Path | None = None,
    history: str | Path | None = None,
    config: str | Path | None = None,
    progress: Progress | None = None,
    version: str | None = None,
) -> MonthRun:
    """Run ``month`` (``2022-11``) over the files in ``folder`` (any depth, any mix of
    formats), as of ``as_of`` (today when None), writing into ``output/YYYY-MM/``.

    ``tax``, ``public`` and ``previous`` name those lists when the folder holds more than
    one that could fit; ``history`` is a folder of earlier months' ledgers; ``config`` is
    the office's ``hgcredit.toml`` for the notices (the working folder's when None, as
    ``hgcredit notice`` reads it). ``progress`` is called with each :class:`Stage` done.

    Inputs that cannot be used are in the result's ``errors``; the rest of the month is
    still done. Raises :class:`~hgcredit.errors.OptionError` for a folder that does not
    exist or an output folder that would hold the inputs, and
    :class:`~hgcredit.errors.OutputError` when the outputs cannot be written (the previous
    ones are then left as they were).
    """
    reg = registry if registry is not None else load_registry()
    wanted = parse_month(month)
    day = as_of if as_of is not None else dt.date.today()
    if version is None:
        import hgcredit

        version = hgcredit.__version__
    source = Path(folder)
    if not source.is_dir():
        raise OptionError(f"输入文件夹不存在：{source}；请给出保存本月附件的文件夹")
    if history is not None and not Path(history).is_dir():
        raise OptionError(f"--history 给出的文件夹不存在：{history}")
    root = Path(output)
    target = root / wanted
    _refuse_overlap(target, source, history, tax, public, previous)
    from hgcredit.notices.config import load_config

    office = load_config(config)
    notify = progress or (lambda stage: None)
    timings: dict[str, float] = {}

    def done(key: str, label: str, detail: str, started: float) -> None:
        timings[key] = time.perf_counter() - started
        notify(Stage(key, label, detail, timings[key]))

    started = time.perf_counter()
    placement = place_inputs(
        source, wanted, reg, encoding=encoding, tax=tax, public=public,
        previous=previous, history=history, skip=[target],
    )  # fmt: skip
    if not placement.ledgers:
        placement.problems.append(
            Problem(
                str(source),
                "文件夹中没有找到台账或报送（表头有“实施部门”“分级分类领域”和月份列的表格）；"
                "请确认本月的附件已存进这个文件夹",
            )
        )
    done("place", "查找输入", _placed(placement), started)

    started = time.perf_counter()
    result = _double_a(placement, reg)
    double_a_seconds = time.perf_counter() - started
    inputs = SortedInputs(ledgers=list(placement.ledgers), lists=list(placement.lists))
    analysis = analyse_inputs(
        inputs, wanted, as_of=day, registry=reg, encoding=encoding,
        default_year=int(wanted[:4]), double_a=result, errors=placement.problems,
    )  # fmt: skip
    t = analysis.timings
    notify(Stage("ledger", "合并台账", _merged(analysis), t["ledger"]))
    notify(Stage("check", "检查填报", analysis.check.summary(), t["check"]))
    notify(Stage("ratings", "统计评级", _rated(analysis), t["ratings"]))
    timings.update(t)
    timings["double_a"] = double_a_seconds
    notify(Stage("double_a", "计算双A企业", _doubled(analysis, placement), double_a_seconds))

    names = output_names(wanted, reg, placement.year or int(wanted[:4]))
    run = MonthRun(
        source, target, placement, analysis, version=version, timings=timings, office=office
    )
    with swapped_folder(target) as tmp:
        _write_all(run, tmp, names, done)
        started = time.perf_counter()
        data = json.dumps(run.to_json(), ensure_ascii=False, indent=2) + "\n"
        (tmp / REPORT).write_bytes(data.encode("utf-8"))  # "\n" on every system
    done("swap", "写出", f"{target}（{len(run.outputs) + 1} 个文件）", started)
    return run


def _refuse_overlap(target: Path, *inputs: str | Path | None) -> None:
    """The month's output folder is replaced as a whole: it must hold no input."""
    out = target.resolve()
    for item in inputs:
        if item is None:
            continue
        path = Path(item).resolve()
        if path == out or out in path.parents:
            raise OptionError(
                f"输出文件夹 {target} 会被整个替换，不能包含输入 {item}；请用 -o 换一个输出位置"
            )


def _double_a(placement: Placement, registry: Registry) -> DoubleA | None:
    """The double-A join of the lists the placement read (as ``double-a`` reads them)."""
    if placement.tax is None or placement.public is None:
        return None
    from hgcredit.doublea.compute import compute

    started = time.perf_counter()
    result = compute(placement.tax, placement.public, registry, placement.previous)
    result.timings.update(read=0.0, check=time.perf_counter() - started)  # read while placing
    return result


def _write_all(
    run: MonthRun,
    tmp: Path,
    names: dict[str, str],
    done: Callable[[str, str, str, float], None],
) -> None:
    from hgcredit.ledger.write import write_ledger
    from hgcredit.summary.sheets import sha256_of
    from hgcredit.summary.workbook import write_summary

    a = run.analysis

    def add(path: Path, what: str) -> None:
        final = run.target / path.name
        run.outputs.append(Output(str(final), what, sha256_of(path)))

    started = time.perf_counter()
    ledger_path = tmp / f"{names['ledger']}.xlsx"
    written = write_ledger(a.ledger, ledger_path)
    add(ledger_path, "合并后的台账")
    if written.full_text is not None:
        add(written.full_text, "超长内容的全文")
    run.cut_cells = len(written.cut)
    done("write_ledger", "写合并台账", ledger_path.name, started)

    started = time.perf_counter()
    if a.double_a is not None:
        from hgcredit.doublea.workbook import write_workbook

        path = tmp / f"{names['double_a']}.xlsx"
        write_workbook(a.double_a, path)
        run.double_a_workbook = str(run.target / path.name)
        add(path, "双A企业工作簿")
        done("write_double_a", "写双A企业工作簿", path.name, started)

    started = time.perf_counter()
    # Any input that could hide a return holds the reminder or circular back.
    blocked = [p for p in run.errors if p not in run.placement.double_a_problems]
    run.notices = write_notices(a, tmp, names, config=run.office, blocked=blocked)
    for notice in run.notices:
        for path in notice.files:
            add(path, f"{notice.label}（{path.suffix.lstrip('.')}）")
        notice.files = [run.target / p.name for p in notice.files]
    done("notice", "写通知", _noticed(run.notices), started)

    started = time.perf_counter()
    summary = tmp / f"{names['summary']}.xlsx"
    used = [
        f.path
        for f in run.placement.files
        if f.role in (HISTORY, LEDGER, LIST, UNUSABLE) and f.path.is_file()
    ]
    write_summary(a, summary, inputs=used, version=run.version)
    add(summary, "汇总工作簿")
    done("summary", "写汇总工作簿", summary.name, started)


# ---------------------------------------------------------------- progress lines


def _placed(p: Placement) -> str:
    counts = {role: len(p.of(role)) for role in (LEDGER, HISTORY, LIST)}
    parts = [f"台账/报送 {counts[LEDGER]} 份"]
    if counts[HISTORY]:
        parts.append(f"往月台账 {counts[HISTORY]} 份")
    if counts[LIST]:
        parts.append(f"等级名单 {counts[LIST]} 份")
    parts += [
        label
        for role, label in (
            (TAX, "纳税信用名单"),
            (PUBLIC, "公共信用评价名单"),
            (PREVIOUS, "上年双A名单"),
        )
        if p.of(role)
    ]
    unusable = len(p.of(UNUSABLE))
    ignored = (
        len(p.files)
        - sum(len(p.of(r)) for r in (LEDGER, HISTORY, LIST, TAX, PUBLIC, PREVIOUS))
        - unusable
    )
    line = "、".join(parts)
    if ignored:
        line += f"；{ignored} 个文件未用"
    if unusable:
        line += f"；{unusable} 个无法使用"
    return line


def _merged(a: MonthAnalysis) -> str:
    months = a.ledger.months
    span = f"{months[0]}…{months[-1]}" if len(months) > 2 else "、".join(months) or "无"
    return f"{len(a.ledger.sources)} 个领域，月份列 {span}，内容冲突 {len(a.check.conflicts)} 处"


def _rated(a: MonthAnalysis) -> str:
    counted = sum(1 for r in a.ratings.domains if r.counts)
    return f"{counted} 个领域读出了各等级数量，{len(a.ratings.inconsistent)} 个对不上"


def _doubled(a: MonthAnalysis, p: Placement) -> str:
    result = a.double_a
    if result is not None:
        line = f"{len(result.enterprises)} 户"
        if result.previous is not None:
            line += f"（与上年相比新增 {len(result.previous.added)} 户，退出 {len(result.previous.removed)} 户）"
        return line
    gap = p.double_a_gap()
    return f"未计算（{gap}）" if gap else "未计算"


def _noticed(notices: list[NoticeWritten]) -> str:
    parts = []
    for n in notices:
        parts.append(
            f"{n.label}：{'、'.join(f.name for f in n.files)}"
            if n.files
            else f"{n.label}：{n.note}"
        )
    return "；".join(parts)
