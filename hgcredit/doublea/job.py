"""The double-A job from files: read the tax, public-evaluation and last year's lists
side by side and join them (:func:`double_a`), as the CLI and the Python API both do.

The lists are parsed in worker threads (python-calamine and the csv reader release the
GIL for much of the work) while this thread imports what comes next; heavy modules are
imported here, not at the top, so that importing this module stays cheap.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from hgcredit.entities.lists import EntityList, ListSpec, Progress, column_roles, read_lists
from hgcredit.errors import HeaderError, HgcreditError, InputErrors
from hgcredit.registry import Registry, load_registry

if TYPE_CHECKING:
    from hgcredit.doublea.compute import DoubleA

TAX_LABEL = "纳税信用名单"
PUBLIC_LABEL = "公共信用评价名单"
PREVIOUS_LABEL = "上年双A名单"
PREVIOUS_SHEET = "双A企业"  # the sheet of last year's workbook of this job


def double_a(
    tax: str | Path,
    public: str | Path,
    previous: str | Path | None = None,
    *,
    registry: Registry | None = None,
    tax_columns: Mapping[str, str] | None = None,
    public_columns: Mapping[str, str] | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    column_hints: tuple[str, str] = ("tax_columns", "public_columns"),
) -> DoubleA:
    """The double-A enterprises of a tax list and a public-evaluation list, per county,
    with every problem found in the lists and, given last year's list, what changed.

    ``tax_columns``/``public_columns`` name columns whose header the registry's
    ``[headers]`` does not know, by header text or column letter (``{"code": "识别号",
    "等级": "F"}``; roles by English or Chinese name, :data:`~hgcredit.entities.lists.ROLE_WORDS`);
    ``column_hints`` is how the caller's user names them, for messages (the CLI passes
    ``--tax-col``/``--public-col``).
    ``progress(label, fraction or None)`` is called from the reading threads.

    Raises the :class:`~hgcredit.errors.HgcreditError` of a list that cannot be used, or
    :class:`~hgcredit.errors.InputErrors` naming each when several cannot.

    >>> data = Path(__file__).parents[2] / "sample_data" / "entities"
    >>> result = double_a(
    ...     data / "鹤岗市2022年度纳税信用级别名单.xlsx",
    ...     data / "鹤岗市2022年度公共信用评价结果.xlsx",
    ...     previous=data / "鹤岗市2021年度双A企业名单.xlsx",
    ... )
    >>> sum(result.by_county.values()) == len(result.enterprises) > 0
    True
    >>> result.tax.label, result.public.grades, result.previous is not None
    ('纳税信用名单', ('A', 'B', 'C', 'D'), True)
    """
    started = time.perf_counter()
    reg = registry if registry is not None else load_registry()
    specs = [
        ListSpec(
            Path(tax),
            TAX_LABEL,
            columns=column_roles(tax_columns or {}, column_hints[0]),
            encoding=encoding,
            option_hint=column_hints[0],
            allow_empty=False,
            headers=reg.headers,
        ),
        ListSpec(
            Path(public),
            PUBLIC_LABEL,
            columns=column_roles(public_columns or {}, column_hints[1]),
            encoding=encoding,
            option_hint=column_hints[1],
            allow_empty=False,
            headers=reg.headers,
        ),
    ]
    if previous is not None:
        specs.append(
            ListSpec(
                Path(previous),
                PREVIOUS_LABEL,
                required=("code",),
                encoding=encoding,
                prefer_sheet=PREVIOUS_SHEET,
                headers=reg.headers,
            )
        )
    lists, errors = read_lists(specs, progress, meanwhile=_warm_up)
    if errors:
        lists, errors = _graded_by_titles(specs, lists, errors, reg)
    if errors:
        raise errors[0] if len(errors) == 1 else InputErrors(errors)
    read = time.perf_counter()

    from hgcredit.doublea.compute import compute

    found = [lst for lst in lists if lst is not None]
    result = compute(found[0], found[1], reg, found[2] if previous is not None else None)
    result.timings.update(read=read - started, check=time.perf_counter() - read)
    return result


def _warm_up() -> None:
    """Import what comes after reading (numpy, the join, and the writer most callers
    use next) while the files are parsed in other threads."""
    import hgcredit.doublea.compute
    import hgcredit.doublea.workbook  # noqa: F401


def _graded_by_titles(
    specs: list[ListSpec],
    lists: list[EntityList | None],
    errors: list[HgcreditError],
    reg: Registry,
) -> tuple[list[EntityList | None], list[HgcreditError]]:
    """The tax or public list that failed for want of a grade column, read again when its
    title (sheet or file name) names one level of its scale: the published list of one
    level (2022年度纳税信用A级纳税人名单) has codes and names only. Other failures stand."""
    failed = iter(errors)
    out = list(lists)
    kept: list[HgcreditError] = []
    for k, spec in enumerate(specs):
        if out[k] is not None:
            continue
        exc = next(failed)
        found = graded_by_title(spec, reg) if k < 2 and isinstance(exc, HeaderError) else None
        if found is None:
            kept.append(exc)
        out[k] = found
    return out, kept


def graded_by_title(spec: ListSpec, reg: Registry) -> EntityList | None:
    """The tax list (``spec.label`` :data:`TAX_LABEL`) or public list (else) of ``spec``
    read with codes only and graded by its title (else sheet or file name) when that names
    exactly one level of the evaluation's scale; None when it has a grade column, cannot be
    read so, or its title names no level or several. ``double-a`` and ``month`` both read a
    published one-level list through this one rule."""
    import re
    from dataclasses import replace

    from hgcredit.entities.lists import grade_from_title, read_list
    from hgcredit.ratings.levels import matcher_for
    from hgcredit.text import halfwidth

    try:
        lst = read_list(replace(spec, required=("code",)))
    except HgcreditError:
        return None
    if "grade" in lst.columns:
        return None
    scale = reg.evaluations["tax" if spec.label == TAX_LABEL else "public"]
    matcher = matcher_for(scale)
    for text in (*lst.title, lst.sheet or "", Path(lst.file).stem):
        labels = {m.label for m in matcher.mentions(re.sub(r"\s+", "", halfwidth(text)))}
        if labels:
            if len(labels) == 1 and None not in labels:
                grade_from_title(lst, str(labels.pop()), text.strip())
                return lst
            return None
    return None
