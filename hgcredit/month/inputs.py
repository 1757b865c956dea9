"""Find a month's inputs in a folder by what they are, never by file name alone.

:func:`place_inputs` walks a folder at any depth and gives every file a role:

* ``ledger`` — a work ledger or a department's return (a sheet headed as the ledger:
  实施部门/分级分类领域 and month columns, :func:`hgcredit.ledger.layout.is_ledger_header`);
  ``history`` — a ledger whose month columns all come before the month (an earlier
  month's ledger), or any ledger in the ``history`` folder;
* ``list`` — a department's graded list (a grade column whose values are levels of the
  domain the list belongs to: its domain or department column, title, sheet or file name);
* ``tax`` / ``public`` — the tax-credit list and the public-evaluation results: a code and
  a grade column, grades on the scale the registry gives the evaluation (``[evaluations]``),
  and the evaluation named in the headers, title, sheet or file name (纳税 … / 公共信用 …);
  several of one kind are told apart by the year they name, the latest being this year's;
* ``previous`` — last year's double-A list: a code column, every grade (when there are
  grades) A, and 双A in the title, sheet or file name; the latest year before this year's;
* ``ignored`` — not an input: documents, scripts, images, lock files, our own summary
  workbook, earlier years' evaluations, ledger-less text files (each with the reason);
* ``unusable`` — a spreadsheet that cannot be read or placed (with the reason and the fix),
  or two files that fit the same role (``--tax``, ``--public``, ``--previous`` decide).

Each file is read once for its headers by the one entity-list reader
(:mod:`hgcredit.entities.lists`), in worker threads; the tax and public lists are kept as
read (with the ``double-a`` command's own reading rules) so that the big lists are parsed
once. Small files that need a closer look (a ledger's months, a list's domain) are read
again: a few milliseconds each.
"""

from __future__ import annotations

import html
import json
import os
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hgcredit.doublea.job import (
    PREVIOUS_LABEL,
    PREVIOUS_SHEET,
    PUBLIC_LABEL,
    TAX_LABEL,
    graded_by_title,
)
from hgcredit.entities.lists import EntityList, ListSpec, read_list, read_list_sheets
from hgcredit.errors import HeaderError, HgcreditError, Problem, ReadError
from hgcredit.io.guard import document_kind
from hgcredit.io.tables import EXCEL_SUFFIXES, SUPPORTED, cell_text
from hgcredit.ledger.layout import is_ledger_header
from hgcredit.ledger.model import Ledger
from hgcredit.ledger.read import load_ledger
from hgcredit.month.archives import UNPACK, archive_note
from hgcredit.ratings.levels import matcher_for
from hgcredit.ratings.lists import classify, count_lists, guess_domain, told_by_grades
from hgcredit.ratings.report import ListCount
from hgcredit.registry import Registry, Scale
from hgcredit.text import match_key

LEDGER, HISTORY, LIST = "ledger", "history", "list"
TAX, PUBLIC, PREVIOUS = "tax", "public", "previous"
IGNORED, UNUSABLE = "ignored", "unusable"
ROLE_LABELS = {
    LEDGER: "台账/报送",
    HISTORY: "往月台账",
    LIST: "等级名单",
    TAX: "纳税信用名单",
    PUBLIC: "公共信用评价名单",
    PREVIOUS: "上年双A名单",
    IGNORED: "未用",
    UNUSABLE: "无法使用",
}
OPTIONS = {TAX: "--tax", PUBLIC: "--public", PREVIOUS: "--previous"}
ROLE_NAMES = {TAX: "纳税信用名单", PUBLIC: "公共信用评价结果", PREVIOUS: "上年双A名单"}

# Spreadsheets we cannot read, and containers whose contents need unpacking first.
_OTHER_SHEETS = {".et": "WPS 表格", ".numbers": "Numbers 表格", ".ett": "WPS 表格模板"}
_ARCHIVES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz")
# A correction resent by a department: merged after the return it corrects.
_CORRECTION = re.compile(r"更正|修正|修改|重报|补报")
# A second download of the same file name: 台账(1).xlsx, 台账 (2).xlsx, 台账（3）.xlsx.
_COPY_NUMBER = re.compile(r"\s*[(（]\s*(\d{1,3})\s*[)）]$")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
# A year named as the evaluation's: 2022年度, 评价年度：2022.
_MARKED_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年度|年度\s*[:：]?\s*(20\d\d)(?!\d)")
# A date (2023-04-12, 2023/4/12, 2023.04.12, 2023年4月12日) or a year and month (2022年12月):
# when a list was exported or what its data run to, not the year it evaluates.
_DATED = re.compile(
    r"(?<!\d)20\d\d\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)"
)
# Of a list's grades (counted by row), this share must be on the evaluation's scale.
ON_SCALE = 0.9
# Our own summary workbook (hgcredit summary / month): never an input.
SUMMARY_SHEETS = frozenset({"总览", "填报情况", "说明"})


@dataclass
class Found:
    """One file of the folder and what it was taken for (``role``) and why (``note``)."""

    path: Path
    role: str
    note: str = ""
    year: int | None = None
    sha256: str = ""
    order: int | None = None  # a ledger's place in the merge (1 first; later files win)
    double_a: bool = field(default=False, repr=False)  # a candidate tax, public or previous list

    @property
    def label(self) -> str:
        return ROLE_LABELS[self.role]

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "sha256": self.sha256,
            "role": self.role,
            "role_label": self.label,
            "note": self.note,
            "order": self.order,
        }


@dataclass
class Placement:
    """The folder's files placed: ledgers in the order they are merged (earlier months
    first, then whole ledgers, then returns, corrections after what they correct), the
    graded lists counted, the double-A lists (tax and public as read), and every problem
    (a file that could not be used or placed, two files for one role)."""

    files: list[Found] = field(default_factory=list)
    ledgers: list[Path] = field(default_factory=list)
    lists: list[ListCount] = field(default_factory=list)
    list_files: list[Path] = field(default_factory=list)
    tax: EntityList | None = None
    public: EntityList | None = None
    previous: EntityList | None = None
    problems: list[Problem] = field(default_factory=list)
    # Those of ``problems`` about the double-A lists only (they do not touch the ledgers).
    double_a_problems: list[Problem] = field(default_factory=list)
    year: int | None = None  # the double-A year (the public evaluation's)
    # A role two or more files could fill with nothing to choose between them.
    ambiguous: dict[str, list[Path]] = field(default_factory=dict)

    def of(self, role: str) -> list[Found]:
        return [f for f in self.files if f.role == role]

    def double_a_gap(self) -> str:
        """Why double-A cannot be computed (empty when both lists are here): a list
        missing, or two that could both be it (the option that chooses)."""
        gaps = []
        for role, lst in ((TAX, self.tax), (PUBLIC, self.public)):
            if lst is not None:
                continue
            tied = self.ambiguous.get(role)
            if tied:
                gaps.append(f"{ROLE_NAMES[role]}有 {len(tied)} 份，请用 {OPTIONS[role]} 指定")
            else:
                gaps.append(f"没有{ROLE_NAMES[role]}")
        return "；".join(gaps)

    def found(self, path: Path) -> Found | None:
        return next((f for f in self.files if f.path == path), None)


def place_inputs(
    folder: str | Path,
    month: str,
    registry: Registry,
    *,
    encoding: str | None = None,
    tax: str | Path | None = None,
    public: str | Path | None = None,
    previous: str | Path | None = None,
    history: str | Path | None = None,
    skip: Iterable[str | Path] = (),
) -> Placement:
    """Every file under ``folder`` (and ``history``) with its role for ``month``
    (``YYYY-MM``). ``tax``/``public``/``previous`` name those lists explicitly (inside the
    folder or not); folders in ``skip`` (the outputs) are not looked into."""
    from hgcredit.summary.sheets import sha256_of

    placement = Placement()
    skipped = {Path(p).resolve() for p in skip}
    explicit = {r: Path(p) for r, p in ((TAX, tax), (PUBLIC, public), (PREVIOUS, previous)) if p}
    named = {p.resolve(): role for role, p in explicit.items()}
    entries = _walk(Path(folder), skipped, month)
    if history is not None:
        entries += [(p, note, True) for p, note, _ in _walk(Path(history), skipped, month)]
    seen: set[Path] = set()
    tables: list[tuple[Found, bool]] = []
    others = [p for p, note, _ in entries if note is None]
    for path, note, from_history in entries:
        if note == f"!{UNPACK}":
            usable, why = archive_note(path, others)
            note = why if usable else f"!{why}"
        real = path.resolve()
        if real in seen or real in named:  # a file named by an option is placed below
            continue
        seen.add(real)
        if note is None:
            found = Found(path, IGNORED)  # decided below
            tables.append((found, from_history))
        else:
            found = Found(path, UNUSABLE if note.startswith("!") else IGNORED, note.lstrip("!"))
        placement.files.append(found)
    reads = _first_reads([f.path for f, _ in tables], registry, encoding)
    ledgers: list[tuple[Found, Ledger]] = []
    candidates: dict[str, list[tuple[Found, EntityList | None]]] = {
        TAX: [],
        PUBLIC: [],
        PREVIOUS: [],
    }
    for (found, from_history), read in zip(tables, reads, strict=True):
        _place(found, read, from_history, month, registry, encoding, placement, ledgers, candidates)
    for role, path in explicit.items():
        found = Found(path, role, f"由 {OPTIONS[role]} 指定", double_a=True)
        placement.files.append(found)
        read_one = _explicit(path, role, registry, encoding)
        if isinstance(read_one, Problem):
            found.role, found.note = UNUSABLE, read_one.message
        else:
            found.year = _year(read_one)
            # The file named wins; the others that could fit lose to it.
            candidates[role] = [(found, read_one), *((f, None) for f, _ in candidates[role])]
    _order_ledgers(ledgers, month, registry, placement)
    _choose(candidates, explicit, month, registry, encoding, placement)
    placement.files.sort(key=lambda f: str(f.path))
    reported = {p.message for p in placement.problems}
    for f in placement.files:
        if f.path.is_file():
            f.sha256 = sha256_of(f.path)
        if f.role == UNUSABLE and f.note not in reported:
            problem = Problem(str(f.path), f.note)
            placement.problems.append(problem)
            if f.double_a:
                placement.double_a_problems.append(problem)
    return placement


# ---------------------------------------------------------------- walking the folder


def _walk(folder: Path, skipped: set[Path], month: str) -> list[tuple[Path, str | None, bool]]:
    """Every file under ``folder`` in path order, with the reason it is not an input
    (``!reason`` when it is an input that cannot be used), or None for a table file."""
    out: list[tuple[Path, str | None, bool]] = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        keep = []
        for d in sorted(dirs):
            sub = here / d
            if sub.resolve() in skipped:
                out.append((sub, "本命令的输出文件夹（-o）", False))
            elif (done := _month_output(sub)) is not None and done >= month:
                out.append((sub, _EARLIER_RUN.format(month=done), False))
            elif d.startswith(".") or d == "__pycache__":
                out.append((sub, "隐藏或缓存文件夹，未查看其中的文件", False))
            else:
                keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            out.append((here / name, _not_a_table(here / name), False))
    out.sort(key=lambda e: str(e[0]))
    return out


_EARLIER_RUN = (
    "hgcredit month 以前为 {month} 写出的结果文件夹：其中的合并台账来自当时的输入，"
    "不再作为输入（否则已移走或改正的报送仍会算进去）"
)
_REPORT_MOST = 64 * 1024 * 1024


def _month_output(folder: Path) -> str | None:
    """The month of an earlier ``hgcredit month`` run whose output folder this is (it
    holds that run's report.json), else None."""
    report = folder / "report.json"
    try:
        if not report.is_file() or report.stat().st_size > _REPORT_MOST:
            return None
        data = json.loads(report.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("tool") != "hgcredit month":
        return None
    month = data.get("month")
    return month if isinstance(month, str) and re.fullmatch(r"\d{4}-\d{2}", month) else None


def _not_a_table(path: Path) -> str | None:
    name = path.name
    suffix = path.suffix.lower()
    if name.startswith("~$") or name.startswith(".~lock."):
        return "Excel/WPS 打开文件时留下的临时锁文件"
    if name.startswith("."):
        return "隐藏文件"
    if suffix in _OTHER_SHEETS:
        return f"!{_OTHER_SHEETS[suffix]}（{suffix}）读不了；请用 WPS 或 Excel 另存为 .xlsx"
    if suffix in _ARCHIVES or name.lower().endswith(".tar.gz"):
        return f"!{UNPACK}"  # a zip already unpacked in the folder is let go below
    if suffix not in SUPPORTED:
        return "不是表格文件"
    if suffix in EXCEL_SUFFIXES and (kind := document_kind(path)) is not None:
        return (
            f"!这是{kind}，只是扩展名为 {suffix}，不是表格；如是某单位的报送，请让其改报表格，"
            "如不是，请把它移出这个文件夹"
        )
    if suffix in (".xlsx", ".xlsm") and set(_xlsx_sheet_names(path)) >= SUMMARY_SHEETS:
        return "hgcredit 写出的汇总工作簿（总览、填报情况……），不作为输入"
    return None


def _xlsx_sheet_names(path: Path) -> list[str]:
    """The sheet names of an xlsx from its workbook.xml alone (no cell is parsed); none
    when the file is no sound workbook (the readers then say what is wrong with it)."""
    limit = 1 << 20
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > limit:
                return []
            with zf.open(info) as fh:
                data = fh.read(limit + 1)  # never more, whatever the directory says
    except Exception:  # broken, encrypted or hostile: zipfile raises many kinds
        return []
    if len(data) > limit:
        return []
    text = data.decode("utf-8", errors="replace")
    return [
        html.unescape(m) for m in re.findall(r"<(?:\w+:)?sheet\b[^>]*\bname=\"([^\"]*)\"", text)
    ]


# ---------------------------------------------------------------- reading


@dataclass
class _Read:
    """What the first read of a file found: a ledger, lists with codes and grades (read
    as ``double-a`` reads its lists), nothing of either (``lists`` empty), or an error."""

    ledger: bool = False
    lists: list[EntityList] = field(default_factory=list)
    error: HgcreditError | None = None


def _coded_spec(path: Path, registry: Registry, encoding: str | None, label: str) -> ListSpec:
    """The spec ``double-a`` reads the tax and public lists with (and, here, a ledger's
    header tells a ledger)."""
    return ListSpec(
        path,
        label,
        encoding=encoding,
        allow_empty=False,
        headers=registry.headers,
        other_header=is_ledger_header,
    )


def _first_reads(paths: Sequence[Path], registry: Registry, encoding: str | None) -> list[_Read]:
    def read(path: Path) -> _Read:
        try:
            found = read_list_sheets(_coded_spec(path, registry, encoding, "名单"))
        except HeaderError:
            return _Read()
        except HgcreditError as exc:
            return _Read(error=exc)
        except OSError as exc:
            return _Read(error=ReadError(f"无法读取（{exc.strerror}）", file=path))
        return _Read(ledger=found.other is not None, lists=found.lists)

    # python-calamine parses without holding the GIL: two files at a time.
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        return list(pool.map(read, paths))


def _explicit(
    path: Path, role: str, registry: Registry, encoding: str | None
) -> EntityList | Problem:
    """A list named by an option, read as ``double-a`` reads it."""
    try:
        if role == PREVIOUS:
            return _read_previous(path, registry, encoding)
        spec = _coded_spec(path, registry, encoding, TAX_LABEL if role == TAX else PUBLIC_LABEL)
        spec.other_header = None
        try:
            return read_list(spec)
        except HeaderError:
            # A published one-level list (codes and names, the level in its title), as
            # ``double-a`` reads it; else the header problem stands.
            if (graded := graded_by_title(spec, registry)) is not None:
                return graded
            raise
    except HgcreditError as exc:
        return Problem.of(exc, path)


def _read_previous(path: Path, registry: Registry, encoding: str | None) -> EntityList:
    spec = ListSpec(
        path,
        PREVIOUS_LABEL,
        required=("code",),
        encoding=encoding,
        prefer_sheet=PREVIOUS_SHEET,
        headers=registry.headers,
    )
    return read_list(spec)


# ---------------------------------------------------------------- placing one file


def _texts(lst: EntityList) -> list[str]:
    """What a list says about itself: title lines, sheet name, file name."""
    return [*lst.title, lst.sheet or "", Path(lst.file).stem]


def _says(lst: EntityList, *words: str, header: bool = True) -> bool:
    keys = [match_key(t) for t in _texts(lst)]
    if header:
        keys += [match_key(h) for h in lst.header]
    return any(match_key(w) in k for w in words for k in keys)


def _year(lst: EntityList) -> int | None:
    """The year a list evaluates, from its title, sheet or file name: the latest year named
    as such (2022年度, 评价年度：2022), else the latest year that is not part of a date
    (导出时间：2023-04-12 says when it was exported), else the earliest year of a date (数据截至
    2022年12月31日 beside an export date in 2023)."""
    texts = _texts(lst)
    for years, pick in (
        ([y for t in texts for m in _MARKED_YEAR.finditer(t) for y in m.groups() if y], max),
        ([y for t in texts for y in _YEAR.findall(_DATED.sub(" ", t))], max),
        ([y for t in texts for y in _YEAR.findall(t)], min),
    ):
        if years:
            return int(pick(years))
    return None


def _grades(lst: EntityList) -> Counter[str]:
    """The list's grade cells as text, counted (blank cells left out)."""
    column = lst.column("grade")
    if column is None:
        return Counter()
    counted = Counter(column)
    out: Counter[str] = Counter()
    for value, n in counted.items():
        text = cell_text(value)
        if text:
            out[text] += n
    return out


def _share(grades: Counter[str], scale: Scale, only: str | None = None) -> float:
    """The share of grades (by row) that are levels of ``scale`` (only ``only``, when given)."""
    matcher = matcher_for(scale)
    total = sum(grades.values())
    if not total:
        return 0.0
    hit = 0
    for text, n in grades.items():
        label = matcher.match_cell(text)
        if label is not None and (only is None or label == only):
            hit += n
    return hit / total


def _is_double_a(lst: EntityList, registry: Registry) -> bool:
    """A double-A list: 双A in its title, sheet or file name, a code column, and every
    grade (when it has a grade column) A."""
    if "code" not in lst.columns or not _says(lst, "双A", header=False):
        return False
    grades = _grades(lst)
    return not grades or _share(grades, registry.evaluations["tax"], only="A") >= ON_SCALE


def _evaluation(lst: EntityList, registry: Registry) -> str | None:
    """TAX or PUBLIC when the list is that evaluation's (named, and graded on its scale)."""
    grades = _grades(lst)
    tax = (_says(lst, "纳税") or "office" in lst.columns) and _share(
        grades, registry.evaluations["tax"]
    ) >= ON_SCALE
    public = (
        _says(lst, "公共信用")
        and not _says(lst, "纳税", header=False)
        and _share(grades, registry.evaluations["public"]) >= ON_SCALE
    )
    if tax == public:
        return None
    return TAX if tax else PUBLIC


def _place(
    found: Found,
    read: _Read,
    from_history: bool,
    month: str,
    registry: Registry,
    encoding: str | None,
    placement: Placement,
    ledgers: list[tuple[Found, Ledger]],
    candidates: dict[str, list[tuple[Found, EntityList | None]]],
) -> None:
    path = found.path
    text_file = path.suffix.lower() == ".txt"
    if read.error is not None:
        found.role = IGNORED if text_file else UNUSABLE
        found.note = read.error.message
        if text_file:
            found.note = f"文本文件，读不出表格（{read.error.message}）"
        return
    if read.ledger:
        ledger = load_ledger(
            [path], registry, encoding=encoding, default_year=int(month[:4]), reference_month=month
        )
        found.role = HISTORY if from_history else LEDGER
        ledgers.append((found, ledger))
        return
    if from_history:
        found.note = "--history 中只用台账，这个文件不是台账"
        return
    if read.lists:
        lst = read.lists[0]
        if _is_double_a(lst, registry):
            found.year = _year(lst)
            candidates[PREVIOUS].append((found, None))
            return
        kind = _evaluation(lst, registry)
        if kind is not None:
            found.year = _year(lst)
            label = TAX_LABEL if kind == TAX else PUBLIC_LABEL
            candidates[kind].append((found, replace(lst, label=label)))
            return
    _place_list(found, registry, encoding, placement, candidates)


def _place_list(
    found: Found,
    registry: Registry,
    encoding: str | None,
    placement: Placement,
    candidates: dict[str, list[tuple[Found, EntityList | None]]],
) -> None:
    """A file that is no ledger and no evaluation: a department's graded list, last year's
    double-A list without grades, an ungraded list, or nothing we can place."""
    path = found.path
    text_file = path.suffix.lower() == ".txt"
    try:
        _, lists = classify(path, registry, encoding=encoding)
    except HeaderError as exc:
        _place_ungraded(found, registry, encoding, candidates, exc.message, text_file)
        return
    except HgcreditError as exc:
        found.role, found.note = UNUSABLE, exc.message
        return
    try:
        counts = count_lists(lists, registry)
    except HgcreditError as exc:
        if lists and _is_double_a(lists[0], registry):
            found.year = _year(lists[0])
            candidates[PREVIOUS].append((found, None))
            return
        found.role = UNUSABLE
        found.note = f"等级名单，但{exc.message}"
        return
    if counts and not any(c.counts for c in counts):
        domains = "、".join(dict.fromkeys(c.domain.domain for c in counts))
        column = lists[0].header[lists[0].columns["grade"]] if lists else "等级"
        found.note = (
            f"{domains}的名单，但“{column}”列中没有本领域的等级，按没有等级的名单处理，不计入评级"
        )
        return
    found.role = LIST
    rows = sum(c.rows for c in counts)
    domains = "、".join(dict.fromkeys(c.domain.domain for c in counts))
    found.note = f"{domains}（{rows:,} 行）"
    if any(told_by_grades(lst, registry) for lst in lists):
        found.note += "；名单中没有写领域，按等级认出（只有这个领域用这些等级），请核对"
    placement.lists += counts
    placement.list_files.append(path)


def _place_ungraded(
    found: Found,
    registry: Registry,
    encoding: str | None,
    candidates: dict[str, list[tuple[Found, EntityList | None]]],
    why: str,
    text_file: bool,
) -> None:
    """A table without a grade column: last year's double-A list (codes and 双A in its
    title, sheet or name), a list of some domain's entities (not used this month), or
    a file that fits nowhere."""
    try:
        lst = read_list(
            ListSpec(
                found.path, "名单", required=("code",), encoding=encoding, headers=registry.headers
            )
        )
    except HgcreditError:
        lst = None
    if lst is not None and _says(lst, "双A", header=False):
        found.year = _year(lst)
        candidates[PREVIOUS].append((found, None))
        return
    if lst is not None and (placed := _graded_by_title(found.path, registry, encoding)):
        kind, graded = placed
        found.year = _year(graded)
        candidates[kind].append((found, graded))
        return
    if lst is not None and "name" in lst.columns:
        domain = next((d for t in _texts(lst) if (d := guess_domain(t, registry))), None)
        if domain is not None:
            found.note = f"{domain.domain}的主体名单，没有等级列，不计入评级"
            return
    if text_file:
        found.note = "文本文件，不是台账也不是名单"
        return
    found.role = UNUSABLE
    found.note = f"无法确定这是什么文件：{why}"


def _graded_by_title(
    path: Path, registry: Registry, encoding: str | None
) -> tuple[str, EntityList] | None:
    """The tax or public list published for one level, without a grade column
    (2022年度纳税信用A级纳税人名单): graded by its title as ``double-a`` grades it
    (:func:`hgcredit.doublea.job.graded_by_title`), and then placed as any list is, by the
    evaluation it names (:func:`_evaluation`)."""
    for kind, label in ((TAX, TAX_LABEL), (PUBLIC, PUBLIC_LABEL)):
        graded = graded_by_title(_coded_spec(path, registry, encoding, label), registry)
        if graded is not None and _evaluation(graded, registry) == kind:
            return kind, graded
    return None


# ---------------------------------------------------------------- ledgers


def _order_ledgers(
    ledgers: list[tuple[Found, Ledger]], month: str, registry: Registry, placement: Placement
) -> None:
    """Earlier months' ledgers first (oldest first), then whole ledgers (rows for at least
    half the domains: the office's ledger), then returns; a correction (更正, 重报 …) after
    the return it corrects; the same rank in path order. Later files win in the merge."""
    half = len(registry.domains) / 2

    def rank(item: tuple[Found, Ledger]) -> tuple[int, str, bool, str, int]:
        found, ledger = item
        months = ledger.months
        if months and months[-1] < month and found.role == LEDGER:
            found.role = HISTORY
        if found.role == HISTORY:
            return (0, months[-1] if months else "", False, *_copy_order(found.path))
        whole = len(ledger.sources) >= half
        correction = bool(_CORRECTION.search(found.path.stem))
        return (1 if whole else 2, "", correction, *_copy_order(found.path))

    for order, (found, ledger) in enumerate(sorted(ledgers, key=rank), 1):
        placement.ledgers.append(found.path)
        found.order = order
        months = "、".join(ledger.months) or "无"
        note = f"月份列 {months}；{len(ledger.sources)} 个领域"
        if not ledger.files:
            note += "；没有可用的行（见无法使用的输入）"
        found.note = note


def _copy_order(path: Path) -> tuple[str, int]:
    """Path order, with a file saved again under the same name (``台账(1).xlsx``,
    ``台账 (2).xlsx``, as browsers and chat programs name a second download) right after
    the first, by its number: the later download is the department's resend."""
    if (m := _COPY_NUMBER.search(path.stem)) is None:
        return str(path), 0
    return str(path.with_name(path.stem[: m.start()] + path.suffix)), int(m[1])


# ---------------------------------------------------------------- double-A lists


def _choose(
    candidates: dict[str, list[tuple[Found, EntityList | None]]],
    explicit: dict[str, Path],
    month: str,
    registry: Registry,
    encoding: str | None,
    placement: Placement,
) -> None:
    """One tax, public and previous list each: the one named by its option, else the
    only candidate, else the one of the latest year; two of the same (or an unknown)
    year are a problem asking for the option. Last year's double-A list must be of a
    year before this year's evaluation."""
    for found, _ in (c for role in candidates.values() for c in role):
        found.double_a = True
    for role in (TAX, PUBLIC):
        chosen = _pick(role, candidates[role], explicit, placement)
        if chosen is not None:
            found, lst = chosen
            assert lst is not None
            setattr(placement, role, lst)
            _describe(found, lst)
    year = next(
        (f.year for role in (PUBLIC, TAX) for f in placement.of(role) if f.year is not None),
        int(month[:4]),
    )
    placement.year = year
    previous = candidates[PREVIOUS]
    if PREVIOUS not in explicit:
        kept = []
        for found, lst in previous:
            if found.year is not None and found.year >= year:
                found.note = f"{found.year}年度的双A名单，不是上年（{year - 1}年度及以前）的，未用"
            else:
                kept.append((found, lst))
        previous = kept
    chosen = _pick(PREVIOUS, previous, explicit, placement)
    if chosen is not None:
        found, lst = chosen
        if lst is None:
            try:
                lst = _read_previous(found.path, registry, encoding)
            except HgcreditError as exc:
                found.role, found.note = UNUSABLE, exc.message
                return
        placement.previous = lst
        _describe(found, lst)
    if placement.previous is not None and (placement.tax is None or placement.public is None):
        for f in placement.of(PREVIOUS):
            f.note += f"；未计算双A企业（{placement.double_a_gap()}）"


def _pick(
    role: str,
    candidates: list[tuple[Found, EntityList | None]],
    explicit: dict[str, Path],
    placement: Placement,
) -> tuple[Found, EntityList | None] | None:
    name = ROLE_NAMES[role]
    if not candidates:
        return None
    if role in explicit:
        chosen, others = candidates[0], candidates[1:]
        for found, _ in others:
            found.role, found.note = (
                IGNORED,
                f"也可能是{name}，但 {OPTIONS[role]} 指定了 {explicit[role]}",
            )
        return chosen
    if len(candidates) == 1:
        candidates[0][0].role = role
        return candidates[0]
    years = [f.year for f, _ in candidates]
    latest = max((y for y in years if y is not None), default=None)
    best = [c for c in candidates if c[0].year == latest]
    if latest is None or None in years or len(best) > 1:
        tied = [c[0] for c in candidates if None in years or latest is None or c[0].year == latest]
        placement.ambiguous[role] = [f.path for f in tied]
        # Each file is one problem naming it (and the others it ties with), made below
        # with the other unusable files.
        for f in tied:
            rest = "、".join(str(o.path) for o in tied if o is not f)
            f.role = UNUSABLE
            f.note = (
                f"与 {rest} 都可能是{name}（看不出哪一个是本年度的）；"
                f"请用 {OPTIONS[role]} 指定其中一个"
            )
        for found, _ in candidates:
            if found not in tied:
                found.note = f"较早（{found.year}年度）的{name}，未用"
        return None
    chosen = best[0]
    chosen[0].role = role
    for found, _ in candidates:
        if found is not chosen[0]:
            found.note = f"较早（{found.year}年度）的{name}"
            if role == PUBLIC:
                found.note += "（与本年的对比请用 hgcredit reconcile）"
    return chosen


def _describe(found: Found, lst: EntityList) -> None:
    year = f"{found.year}年度，" if found.year is not None else ""
    given = f"{found.note}；" if found.note.startswith("由 ") else ""
    found.note = f"{given}{year}{len(lst):,} 行"
    if lst.grade_title:
        found.note += f"；没有等级列，按标题“{lst.grade_title}”每一行都算作其中的等级"
