"""The county or district of an entity: from a list's county column (normalised to the
registry's ``[divisions]`` names), else from the division in its code (characters 3–8 of
a unified code, 1–6 of a legacy id).

A county cell that names none of the registry's counties (``市本级``, ``市直``, only the
city ``鹤岗市``, a place that is no division) gives way to the division in the code when the
registry knows that division; otherwise it is kept as written (the city by its name).

>>> from hgcredit.registry import load_registry
>>> c = Counties(load_registry())
>>> c.of("鹤岗市向阳区", ""), c.of("萝北", ""), c.of("", "91230422MA1B2C3D4L"), c.of("", "230407123456789")
('向阳区', '萝北县', '绥滨县', '兴山区')
>>> c.of("市本级", "91230400MA1B2C3D4X"), c.of("市本级", ""), c.of("哈尔滨市", "91230102MA1B2C3D4X")
('鹤岗市', '市本级', '哈尔滨市')
>>> c.of("鹤岗市", "91230402MA1B2C3D4M"), c.of("黑龙江省鹤岗市", ""), c.of("鹤岗", "91230102MA1B2C3D4X")
('向阳区', '鹤岗市', '鹤岗市')
>>> names, ids = c.ids(["萝北县", "", None, "市本级", "鹤岗市", "鹤岗市"],
...                    np.array(["", "91230402MA1B2C3D4M", "91110000600037341L", "91230400MA1B2C3D4X",
...                              "91230402MA1B2C3D4M", ""]))
>>> [names[i] for i in ids]
['萝北县', '向阳区', '其他地区（110000）', '鹤岗市', '向阳区', '鹤岗市']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hgcredit.registry import Registry
from hgcredit.text import clean_text, match_key


class Counties:
    """County/district names: from a list's column (normalised to the registry's names)
    or from the division in the code."""

    def __init__(self, registry: Registry) -> None:
        self.divisions = dict(registry.divisions)
        self.names = list(dict.fromkeys(self.divisions.values()))
        self._rank = {name: i for i, name in enumerate(self.names)}
        self._cache: dict[str, str | None] = {}
        keys = []
        for name in self.names:
            keys.append((match_key(name), name))
            short = name[:-1] if len(name) > 2 and name[-1] in "区县市旗" else ""
            if short:
                keys.append((match_key(short), name))
        self._keys = keys
        self._listed = set(self.listed())

    def listed(self) -> list[str]:
        """Counties shown even with no entity in them (not the city level)."""
        return [name for code, name in self.divisions.items() if not code.endswith(("00", "01"))]

    def specific(self, written: str) -> str:
        """The county or district ``written`` names ('' when it names none, or only the
        city: 国家税务总局鹤岗市税务局 says nothing the code does not)."""
        found = self.of(written, "")
        return found if found in self._listed else ""

    def order(self, name: str) -> int:
        return self._rank.get(name, len(self._rank))

    def of(self, written: str, code: str) -> str:
        if written:
            found = self.named(written)
            if found is not None and found in self._listed:
                return found
            if found is not None:  # only the city (鹤岗市): the code may tell the county
                written = found
        division = code[2:8] if len(code) == 18 else code[:6]
        if written and (not code or division not in self.divisions):
            return written
        return self.of_division(division)

    def named(self, written: str) -> str | None:
        """The registry's name of the county ``written`` names, None when it names none."""
        if written not in self._cache:
            self._cache[written] = self._match(written)
        return self._cache[written]

    def of_division(self, division: str) -> str:
        return self.divisions.get(division) or f"其他地区（{division}）"

    def ids(self, written: Sequence[object], keys: np.ndarray) -> tuple[list[str], np.ndarray]:
        """Whole columns at once: each row's county as an index into the returned names,
        from its cell in ``written`` (raw county cells), else from its key (cleaned codes;
        '' gives the county '')."""
        names: list[str] = []
        index: dict[str, int] = {}

        def name_id(name: str) -> int:
            if name not in index:
                index[name] = len(names)
                names.append(name)
            return index[name]

        # Per distinct cell: its county's id; -1 for an empty cell; for a cell that names
        # no division, -2 - its index in ``unnamed`` (its text, used when the code cannot tell).
        by_cell: dict[object, int] = {}
        unnamed: list[str] = []
        for v in set(written):
            text = "" if v in ("", None) else clean_text(v)
            named = self.named(text) if text else None
            if named and named in self._listed:
                by_cell[v] = name_id(named)
            elif named:  # only the city (鹤岗市): the code may tell the county
                by_cell[v] = -2 - len(unnamed)
                unnamed.append(named)
            elif text:
                by_cell[v] = -2 - len(unnamed)
                unnamed.append(text)
            else:
                by_cell[v] = -1
        ids = np.fromiter(map(by_cell.__getitem__, written), dtype=np.int64, count=len(written))
        from_code = np.flatnonzero(ids < 0)
        if from_code.size:
            codes = np.ascontiguousarray(keys[from_code], dtype="<U18")
            m = codes.view(np.uint32).reshape(len(codes), 18)
            full = m[:, 17] != 0
            division = np.where(full[:, None], m[:, 2:8], m[:, 0:6])
            division[m[:, 0] == 0] = 0  # no code: no county
            texts = np.ascontiguousarray(division).view("<U6").ravel()
            found, back = np.unique(texts, return_inverse=True)
            known = np.isin(found, list(self.divisions))
            mapped = np.array(
                [name_id(self.of_division(str(d)) if d else "") for d in found.tolist()],
                dtype=np.int64,
            )
            given = ids[from_code]
            ids[from_code] = mapped[back.ravel()]
            # A cell naming no division keeps its text where the code's division is unknown.
            keep = np.flatnonzero((given <= -2) & ~known[back.ravel()])
            if keep.size:
                which, back_w = np.unique(-2 - given[keep], return_inverse=True)
                as_written = [name_id(unnamed[k]) for k in which.tolist()]
                ids[from_code[keep]] = np.array(as_written, dtype=np.int64)[back_w.ravel()]
        return names, ids

    def _match(self, written: str) -> str | None:
        """The registry name a written county stands for; in ``鹤岗市向阳区`` the last
        (most specific) name wins. None when it names none."""
        key = match_key(written)
        best: tuple[int, int, str] | None = None
        for k, name in self._keys:
            at = key.rfind(k) if k else -1
            if at >= 0:
                rank = (at + len(k), len(k), name)
                if best is None or rank[:2] > best[:2]:
                    best = rank
        return best[2] if best else None
