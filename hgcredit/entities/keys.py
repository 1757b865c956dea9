"""Which entity each row of a list stands for: the key it counts under.

Shared by every job that joins entity lists (double-A, the public-evaluation reconciliation):

- :func:`legacy_targets` maps each legacy 15-character taxpayer id seen in any of the lists
  to the unified codes (from any list) whose characters 3–17 it equals;
- :func:`resolve_legacy` gives each row its key: the cleaned unified code, the unified code
  its legacy id stands for when exactly one fits (several: listed, never guessed; none: the
  legacy id itself), '' where the code is unusable;
- :func:`first_rows` finds, for every row, the first row with the same key, by sorting
  numbers rather than hashing strings — also the join of two lists (put the reference list
  first and see which rows point into it);
- :func:`key_list` does all of that for one list, with its grades read on one scale and
  the repeats and grade conflicts found (:class:`KeyedList`).

>>> from hgcredit.entities.codes import check_codes
>>> chk = check_codes(["91230402MA1B2C3D4M", "230402MA1B2C3D4", "91230402MA1B2C3D4M", "x"])
>>> keys = resolve_legacy(chk, legacy_targets([chk]))
>>> keys.keys.tolist(), first_rows(keys.hi, keys.lo).tolist()
(['91230402MA1B2C3D4M', '91230402MA1B2C3D4M', '91230402MA1B2C3D4M', ''], [0, 0, 0, -1])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from hgcredit.entities.codes import CodeCheck, Reason, numeric_keys
from hgcredit.entities.lists import EntityList
from hgcredit.ratings.levels import LevelMatcher
from hgcredit.registry import Scale

_OK, _LEGACY = int(Reason.OK), int(Reason.LEGACY)  # plain ints: enum lookups are slow


def legacy_targets(checks: Sequence[CodeCheck]) -> dict[str, list[str]]:
    """Legacy id -> the unified codes (from any list) whose characters 3–17 it equals."""
    legacy: set[str] = set()
    legacy_lo: list[np.ndarray] = []
    for chk in checks:
        rows = chk.reasons == _LEGACY
        legacy.update(chk.codes[rows].tolist())
        legacy_lo.append(chk.numeric()[1][rows])
    targets: dict[str, list[str]] = {core: [] for core in legacy}
    if not legacy:
        return targets
    wanted = np.unique(np.concatenate(legacy_lo))
    for chk in checks:
        # Same organisation code (``lo``) first, as numbers; then the division, as text.
        lo = chk.numeric()[1]
        hits = np.flatnonzero((chk.reasons == _OK) & np.isin(lo, wanted))
        for code in chk.codes[hits].tolist():
            found = targets.get(code[2:17])
            if found is not None and code not in found:
                found.append(code)
    return targets


@dataclass
class Keys:
    """Each row's key ('' where unusable) and its :func:`~hgcredit.entities.codes.numeric_keys`
    (-1 where unusable); the rows whose legacy id fits several unified codes."""

    keys: np.ndarray  # '<U18'
    hi: np.ndarray
    lo: np.ndarray
    ambiguous: dict[int, list[str]]  # row -> the unified codes its legacy id fits


def resolve_legacy(chk: CodeCheck, core_map: dict[str, list[str]]) -> Keys:
    """The key of each row of a checked code column (see :func:`legacy_targets`)."""
    keys = chk.codes
    hi, lo = chk.numeric()
    legacy = np.flatnonzero(chk.reasons == _LEGACY)
    ambiguous: dict[int, list[str]] = {}
    resolved: list[int] = []
    if legacy.size:  # the check's own arrays are left as they are
        keys, hi, lo = keys.copy(), hi.copy(), lo.copy()
    for i in legacy.tolist():
        targets = core_map.get(str(keys[i]), [])
        if len(targets) == 1:
            keys[i] = targets[0]
            resolved.append(i)
        elif len(targets) > 1:
            ambiguous[i] = sorted(targets)
            keys[i] = ""
            hi[i] = lo[i] = -1
    if resolved:
        hi[resolved], lo[resolved] = numeric_keys(keys[resolved])
    return Keys(keys, hi, lo, ambiguous)


def first_rows(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """For each row, the first row with the same key (-1 where unusable), without
    hashing strings: a stable sort of one 64-bit number per code, checked for
    collisions (then an exact two-key sort)."""
    n = len(hi)
    usable = np.flatnonzero(hi >= 0)
    firsts = np.full(n, -1, dtype=np.int64)
    if not usable.size:
        return firsts
    h, l_ = hi[usable], lo[usable]
    packed = h.astype(np.uint64) * np.uint64(31**9) + l_.astype(np.uint64)  # wraps: a hash
    order = np.argsort(packed, kind="stable")
    same_pack = packed[order][1:] == packed[order][:-1]
    same_code = (h[order][1:] == h[order][:-1]) & (l_[order][1:] == l_[order][:-1])
    if np.any(same_pack & ~same_code):  # two codes share a number: sort exactly instead
        order = np.lexsort((l_, h))
        same_code = (h[order][1:] == h[order][:-1]) & (l_[order][1:] == l_[order][:-1])
    rows = usable[order]  # stable: within a key, rows stay in file order
    start = np.concatenate(([True], ~same_code))
    group = np.cumsum(start) - 1
    firsts[rows] = rows[start][group]
    return firsts


def grade_ids(values: Sequence[object], matcher: LevelMatcher) -> tuple[list[str], np.ndarray]:
    """The distinct grades of a column as normalised labels
    (:meth:`~hgcredit.ratings.levels.LevelMatcher.normalise`; '' for an empty cell) and,
    per row, the index of its label."""
    labels: list[str] = []
    ids: dict[object, int] = {}
    for v in set(values):
        label = matcher.normalise(v)
        if label not in labels:
            labels.append(label)
        ids[v] = labels.index(label)
    return labels, np.fromiter(map(ids.__getitem__, values), dtype=np.int32, count=len(values))


@dataclass
class KeyedList:
    """One list after cleaning: codes, grades, resolved keys, repeats and conflicts."""

    lst: EntityList
    check: CodeCheck
    scale: Scale  # the scale the list is graded on
    labels: list[str]  # the distinct normalised grades
    gids: np.ndarray  # per row: index into labels
    keys: np.ndarray  # '<U18' per row: the code it counts under ('' where unusable)
    hi: np.ndarray  # numeric keys of ``keys`` (-1 where unusable)
    lo: np.ndarray
    firsts: np.ndarray  # per row: the first row with the same key (-1 where unusable)
    repeats: np.ndarray  # rows repeating an earlier row's key
    conflicts: dict[str, list[int]]  # key -> all its rows, where grades differ
    ambiguous: dict[int, list[str]]  # row -> unified codes its legacy id fits

    @property
    def label(self) -> str:
        return self.lst.label

    def grade(self, i: int) -> str:
        return self.labels[self.gids[i]]

    @property
    def entities(self) -> int:
        return int(np.count_nonzero(self.firsts == np.arange(len(self.firsts))))


K = TypeVar("K", bound=KeyedList)


def key_list(
    lst: EntityList,
    chk: CodeCheck,
    core_map: dict[str, list[str]],
    grades: LevelMatcher,
    cls: type[K],
) -> K:
    """Key every row of ``lst`` (codes ``chk``, legacy ids through ``core_map``), read its
    grades with ``grades`` and find its repeats and grade conflicts; the result is a ``cls``
    (:class:`KeyedList` or a subclass with the fields' defaults)."""
    n = len(lst)
    labels, gids = grade_ids(lst.cells.get("grade") or [""] * n, grades)
    found = resolve_legacy(chk, core_map)
    firsts = first_rows(found.hi, found.lo)
    repeats = np.flatnonzero((firsts >= 0) & (firsts != np.arange(n)))
    conflicts: dict[str, list[int]] = {}
    clash = repeats[gids[repeats] != gids[firsts[repeats]]]
    if clash.size:
        groups = np.unique(firsts[clash])
        rows = np.flatnonzero(np.isin(firsts, groups))  # every row of those keys, in order
        for i in rows.tolist():
            conflicts.setdefault(str(found.keys[i]), []).append(i)
    return cls(
        lst,
        chk,
        grades.scale,
        labels,
        gids,
        found.keys,
        found.hi,
        found.lo,
        firsts,
        repeats,
        conflicts,
        found.ambiguous,
    )
