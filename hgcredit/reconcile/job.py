"""The reconciliation from files: read the public evaluation, last year's and the
departments' lists side by side, then compare (:func:`reconcile`), as the CLI and the
Python API both do.

Every list is read by the one entity-list reader (:mod:`hgcredit.entities.lists`) with the
registry's ``[headers]``: the public evaluations need a code and a grade column, a
department's list a code column (a grade column is optional). Files are parsed in worker
threads (python-calamine releases the GIL while it parses) while this thread imports numpy.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from hgcredit.entities.lists import (
    EntityList,
    ListSpec,
    Progress,
    gc_paused,
    read_list,
    read_list_sheets,
)
from hgcredit.errors import HeaderError, HgcreditError, InputErrors, Problem, ReadError
from hgcredit.io.tables import TEXT_SUFFIXES
from hgcredit.ledger.layout import is_ledger_header
from hgcredit.reconcile.agreement import WEIGHTS, Weights
from hgcredit.registry import Registry, load_registry

if TYPE_CHECKING:
    from hgcredit.reconcile.compare import Checked
    from hgcredit.reconcile.model import InputFile, Reconciliation

T = TypeVar("T")

PUBLIC_LABEL = "公共信用评价名单"
PREVIOUS_LABEL = "上年公共信用评价名单"
LIST_LABEL = "部门名单"
_PUBLIC_HINT = "；请确认这是公共信用评价结果（应有代码列和等级列）"
_WORKERS = 4


def reconcile(
    public: str | Path,
    lists: Iterable[str | Path] = (),
    previous_public: str | Path | None = None,
    *,
    registry: Registry | None = None,
    encoding: str | None = None,
    weights: Weights = "linear",
    progress: Progress | None = None,
) -> Reconciliation:
    """The public evaluation against each department's lists (a domain's rating list, with
    or without grades) and, given last year's evaluation, against last year.

    ``weights`` is the weighting of Cohen's kappa: ``"linear"`` (the default) or
    ``"quadratic"``. A department's list or last year's evaluation that cannot be used is
    an :class:`~hgcredit.errors.Problem` in the result's ``errors`` (the others are still
    compared); when this year's public evaluation cannot be used, the error is raised
    (:class:`~hgcredit.errors.InputErrors` when other inputs failed too).

    >>> data = Path(__file__).parents[2] / "sample_data"
    >>> result = reconcile(
    ...     data / "entities" / "鹤岗市2022年度公共信用评价结果.xlsx",
    ...     sorted((data / "部门名单").glob("*.*[xv]")),
    ...     previous_public=data / "entities" / "鹤岗市2021年度公共信用评价结果.xlsx",
    ... )
    >>> [(d.domain.domain, d.graded) for d in result.domains]
    [('建筑业企业', True), ('安全生产领域', False)]
    >>> all(d.matched + d.not_found + d.invalid_codes + d.duplicates == d.rows for d in result.domains)
    True
    >>> yoy = result.year_over_year
    >>> yoy.kept + yoy.added == result.public.entities and int(yoy.transitions.sum()) <= yoy.kept
    True
    """
    if weights not in WEIGHTS:
        raise ValueError(f"weights must be one of {WEIGHTS}, not {weights!r}")
    started = time.perf_counter()
    reg = registry if registry is not None else load_registry()
    unique: dict[Path, Path] = {}  # a file named twice is read once
    for p in map(Path, lists):
        unique.setdefault(p.resolve(), p)
    paths = list(unique.values())
    public_spec = _public_spec(Path(public), PUBLIC_LABEL, reg, encoding)
    # Workbooks are parsed side by side (python-calamine lets go of the GIL). A csv file is
    # parsed in Python, holding it: csv files are read one after another in a lane of their
    # own (no faster side by side, and two large ones at once would only add to the peak
    # memory), while the codes of the one read are checked in another thread (numpy lets go).
    with ThreadPoolExecutor(_WORKERS) as books, ThreadPoolExecutor(1) as texts:

        def submit(path: Path, read: Callable[..., Any], *args: Any) -> Future[Any]:
            if path.suffix.lower() not in TEXT_SUFFIXES:
                return books.submit(lambda: _check(read(*args)))
            parsed = texts.submit(read, *args)
            return books.submit(lambda: _check(parsed.result()))

        main = submit(Path(public), _read_public, public_spec, progress)
        before = None
        if previous_public is not None:
            spec = _public_spec(Path(previous_public), PREVIOUS_LABEL, reg, encoding)
            before = submit(Path(previous_public), _read_public, spec, progress)
        sheets = [submit(p, _read_sheets, _list_spec(p, reg, encoding)) for p in paths]
        _warm_up()
        errors: list[HgcreditError] = []
        current = _one(_result(main, errors))
        previous = _one(_result(before, errors)) if before is not None else None
        found = [_result(s, errors) for s in sheets]
    if current is None:
        raise errors[0] if len(errors) == 1 else InputErrors(errors)
    read = time.perf_counter()

    from hgcredit.reconcile.compare import compare_all

    lists_read = [c for f in found if f is not None for c in f]
    problems = [Problem.of(e) for e in errors]
    with gc_paused():
        result = compare_all(current, previous, lists_read, reg, weights, problems)
    result.inputs = _inputs(public, previous_public, paths)
    result.timings.update(read=read - started, check=time.perf_counter() - read)
    return result


def _public_spec(path: Path, label: str, reg: Registry, encoding: str | None) -> ListSpec:
    return ListSpec(path, label, encoding=encoding, allow_empty=False, headers=reg.headers)


def _list_spec(path: Path, reg: Registry, encoding: str | None) -> ListSpec:
    return ListSpec(
        path,
        LIST_LABEL,
        required=("code",),
        encoding=encoding,
        headers=reg.headers,
        row_roles=("code", "name", "grade"),  # a named entity without a code is a row
    )


def _read_public(spec: ListSpec, progress: Progress | None) -> list[EntityList]:
    try:
        return [read_list(spec, progress)]
    except HeaderError as exc:
        raise HeaderError(exc.message + _PUBLIC_HINT, file=exc.file) from None


def _read_sheets(spec: ListSpec) -> list[EntityList]:
    try:
        found = read_list_sheets(spec).lists
    except HeaderError:
        _not_a_ledger(spec)
        raise
    if not any(len(lst) for lst in found):
        raise ReadError(
            f"{LIST_LABEL}只有表头，没有数据行；请确认导出的是完整名单（不是空白模板）",
            file=spec.path,
        )
    return found


def _not_a_ledger(spec: ListSpec) -> None:
    """A HeaderError saying so when a file that holds no list is a work ledger (given with
    the lists, as a folder's files are): the fix is another command, not a code column."""
    try:
        other = read_list_sheets(replace(spec, other_header=is_ledger_header)).other
    except HgcreditError:
        return
    if other is not None:
        where = f"工作表“{other}”" if other else "表头"
        raise HeaderError(
            f"是工作推进台账（{where}有“实施部门”和月份列），不是{LIST_LABEL}；reconcile 只对照"
            "每行一个主体的名单，台账请用 hgcredit import、check 或 ratings",
            file=spec.path,
        )


def _check(lists: list[EntityList]) -> list[Checked]:
    from hgcredit.reconcile.compare import checked

    with gc_paused():
        return [checked(lst) for lst in lists]


def _one(found: list[Checked] | None) -> Checked | None:
    return found[0] if found else None


def _result(future: Future[T] | None, errors: list[HgcreditError]) -> T | None:
    if future is None:
        return None
    try:
        return future.result()
    except HgcreditError as exc:
        errors.append(exc)
        return None


def _inputs(public: str | Path, previous: str | Path | None, lists: list[Path]) -> list[InputFile]:
    from hgcredit.reconcile.model import InputFile

    out = [InputFile(PUBLIC_LABEL, str(public))]
    if previous is not None:
        out.append(InputFile(PREVIOUS_LABEL, str(previous)))
    return out + [InputFile(LIST_LABEL, str(p)) for p in lists]


def _warm_up() -> None:
    """Import what comes after reading while the files are parsed in other threads."""
    import hgcredit.reconcile.compare  # noqa: F401
