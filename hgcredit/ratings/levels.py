"""Recognise the levels of a rating scale, in running text and in list cells.

Driven by the registry's scales: a scale's letter labels are found when followed by 级 or
类 (`A级`, `A 类`, `Ａ级`, and shared-suffix lists such as `C、D、E 级`); every other
level by its label (when at least two characters) and its `forms` (`绿牌`,
`环保诚信企业`, `红榜企业`, `信用很好`); a form with a bracket is one mention either way
round (`绿色（诚信）`, `诚信（绿色）`), its halves alone are none (`绿色通道`). Adjacent
mentions of one level (`环保诚信企业(绿牌)`, `AAA 级信用很好`) are one mention.

:meth:`LevelMatcher.match_cell` is the one grade normaliser of list cells, for the lists
a department sends (:mod:`hgcredit.ratings.lists`) and for the tax and public-evaluation
lists of the double-A job (:mod:`hgcredit.doublea.compute`): `A`, `A级`, `Ａ类`,
`a 级`, `A级纳税人`, `A（90分）`, `【A】`, `绿色标识`, `3A级` (for AAA) are levels of their scale;
:meth:`LevelMatcher.normalise` also gives a grade outside the scale in one written form
(`AAA级企业` → `AAA`) so that it can be reported.

>>> from hgcredit.registry import load_registry
>>> reg = load_registry()
>>> env = LevelMatcher(reg.domain("企业环境").scale)
>>> [(m.label, m.written) for m in env.mentions("其中环保诚信企业(绿牌)32家,环保良好企业(蓝牌)10家")]
[('绿', '环保诚信企业(绿牌)'), ('蓝', '环保良好企业(蓝牌)')]
>>> env.match_cell("绿色标识"), env.match_cell("红牌企业"), env.match_cell("紫")
('绿', '红', None)
>>> tax = LevelMatcher(reg.domain("纳税企业").scale)
>>> [m.label for m in tax.mentions("分为A级、B级、C、D级,M级;5A级景区,AAA级旅游景区")]
['A', 'B', 'C', 'D', 'M']
>>> tax.match_cell(" ａ级 "), tax.match_cell("A+"), tax.match_cell("A（90分）")
('A', None, 'A')
>>> build = LevelMatcher(reg.domain("建筑业企业").scale)
>>> build.match_cell("3A级"), build.match_cell("2A级企业"), build.match_cell("AAA级（信用很好）")
('AAA', 'AA', 'AAA')
>>> [tax.normalise(v) for v in ["Ａ", "A级纳税人", "【A】", "AAA级", "A+", "", None]]
['A', 'A', 'A', 'AAA', 'A+', '', '']
>>> public = LevelMatcher(reg.evaluations["public"])
>>> public.match_cell("优"), public.match_cell("中等"), public.mentions("其中优化营商环境")
('A', 'C', [])
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from hgcredit.registry import Scale
from hgcredit.text import clean_text, halfwidth

LETTERS = re.compile(r"[A-Z]{1,3}")
# A letter grade: not glued to other letters or digits (so `5A级景区`, `AEO` are not grades).
# A scenic area's quality grade (国家A级旅游景区, AAA级景区) is no credit level either.
_NOT_A_GRADE = r"(?!(?:旅游)?景区)"
_SINGLE = re.compile(rf"(?<![A-Za-z0-9])([A-Za-z]{{1,3}})(?:级|类){_NOT_A_GRADE}")
_SHARED = re.compile(
    rf"(?<![A-Za-z0-9])([A-Za-z]{{1,3}}(?:[、,/和及与或][A-Za-z]{{1,3}})+)(?:级|类){_NOT_A_GRADE}"
)
_OPEN_RANGE = re.compile(r"(?:及|或)?(?:以上|以下)")
_JOIN_GAP = re.compile(r"[()（）“”\"'\[\]【】]*")
# A note or score in brackets after a grade (`A（90分）`, `A级(2021年度)`), half-width.
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")
_BRACKETS = "()[]【】"
# A letter grade written as its count and letter (`3A级` for AAA, `2A` for AA), in a cell.
_REPEATED = re.compile(r"(?<![0-9A-Z])([2-5])([A-E])(?![A-Z0-9])")
# What may follow a level in a list cell and still be that level.
_CELL_SUFFIXES = (
    "企业",
    "单位",
    "主体",
    "机构",
    "纳税人",
    "等级",
    "级别",
    "级",
    "类",
    "等",
    "档",
    "标识",
    "牌",
    "色",
    "标",
)


@dataclass(frozen=True)
class Mention:
    """A level written in a text. ``label`` is None for a letter grade not in the scale."""

    label: str | None
    written: str
    start: int
    end: int
    open_range: bool = False  # `A级及以上`: a range, not one level


def display(label: str) -> str:
    """How a clerk reads a level label: letter grades get 级.

    >>> display("AAA"), display("绿"), display("红榜")
    ('AAA级', '绿', '红榜')
    """
    return f"{label}级" if LETTERS.fullmatch(label) else label


class LevelMatcher:
    """Finds the levels of one scale."""

    def __init__(self, scale: Scale) -> None:
        self.scale = scale
        self.letter_labels = {lv.label for lv in scale.levels if LETTERS.fullmatch(lv.label)}
        words: dict[str, str] = {}
        for lv in scale.levels:
            for form in lv.forms:
                for written in _written_forms(form):
                    words.setdefault(written, lv.label)
            if lv.label not in self.letter_labels and len(lv.label) >= 2:
                words.setdefault(_norm(lv.label), lv.label)
        self._words = words
        # A one-character form (优, 中, 差 of the public evaluation) names its level only as
        # a whole cell: in running text it is any other word's part (其中, 优化, 较差).
        alternatives = sorted((w for w in words if len(w) >= 2), key=len, reverse=True)
        self._word_re = (
            re.compile("|".join(re.escape(w) for w in alternatives)) if alternatives else None
        )
        cells = {_norm(lv.label).upper(): lv.label for lv in scale.levels}
        for word, label in words.items():
            cells.setdefault(word.upper(), label)
        self._cells = cells
        self._cell_cache: dict[str, str | None] = {}
        self._normal: dict[object, str] = {}

    # ------------------------------------------------------------------ text

    def mentions(self, text: str) -> list[Mention]:
        """Level mentions in normalised text (half-width, no spaces), left to right."""
        found: list[Mention] = []
        for m in _SHARED.finditer(text):
            pos = m.start()
            for part in re.split(r"([、,/和及与或])", m.group(1)):
                if part and LETTERS.fullmatch(part.upper()):
                    found.append(self._letter(part, pos, pos + len(part), text))
                pos += len(part)
        for m in _SINGLE.finditer(text):
            found.append(self._letter(m.group(1), m.start(), m.end(), text))
        if self._word_re is not None:
            for m in self._word_re.finditer(text):
                label = self._words[m.group(0)]
                found.append(Mention(label, m.group(0), m.start(), m.end()))
        found.sort(key=lambda x: (x.start, -(x.end - x.start)))
        kept: list[Mention] = []
        for mention in found:
            if kept and mention.start < kept[-1].end:
                continue  # overlaps a longer or earlier mention
            kept.append(mention)
        return [self._ranged(m, text) for m in _merge(kept, text)]

    def _letter(self, letters: str, start: int, end: int, text: str) -> Mention:
        label = letters.upper()
        return Mention(label if label in self.letter_labels else None, text[start:end], start, end)

    @staticmethod
    def _ranged(m: Mention, text: str) -> Mention:
        rest = text[m.end :]
        rest = rest[1:] if rest[:1] in ("级", "类") else rest
        if _OPEN_RANGE.match(rest):
            return Mention(m.label, m.written, m.start, m.end, True)
        return m

    # ----------------------------------------------------------------- cells

    def match_cell(self, value: str) -> str | None:
        """The level a list cell names (`A`, `A级`, `Ａ类`, `A（90分）`, `绿色标识`,
        `红榜企业`), else None."""
        if value not in self._cell_cache:
            self._cell_cache[value] = self._match_cell(value)
        return self._cell_cache[value]

    def _match_cell(self, value: str) -> str | None:
        key = _spelled(_norm(value).upper())
        found = self._lookup(key)
        if found is None and any(b in key for b in _BRACKETS):
            # A note or score in brackets is not part of the grade; `【A】` is the grade.
            bare = _BRACKETED.sub("", key) or key.strip(_BRACKETS)
            found = self._lookup(bare) if bare != key else None
        if found is not None:
            return found
        labels = {m.label for m in self.mentions(_norm(value))}
        if len(labels) == 1 and None not in labels and not re.search(r"\d", value):
            return labels.pop()
        return None

    def _lookup(self, key: str) -> str | None:
        """The level ``key`` is, or is with a suffix (`企业`, `级`, `标识` …) dropped."""
        queue, seen = [key], set()
        while queue:
            k = queue.pop(0)
            if k in self._cells:
                return self._cells[k]
            seen.add(k)
            for suffix in _CELL_SUFFIXES:
                if k.endswith(suffix) and len(k) > len(suffix) and k[: -len(suffix)] not in seen:
                    queue.append(k[: -len(suffix)])
        return None

    def normalise(self, value: object) -> str:
        """A raw list cell as a grade: the level's label (:meth:`match_cell`), else the
        grade as written in one form (:func:`grade_text`, `AAA级企业` → `AAA`); '' for
        an empty cell. Meant to be called once per distinct cell value."""
        found = self._normal.get(value) if isinstance(value, str | None) else None
        if found is None:
            text = clean_text(value)
            label = self.match_cell(text) if text else None
            found = label if label is not None else grade_text(text)
            if isinstance(value, str | None):
                self._normal[value] = found
        return found


_GRADE_NOUNS = ("纳税人", "企业", "单位", "主体")


def grade_text(value: object) -> str:
    """A grade that is none of a scale's levels, in one written form for reports:
    half-width, upper case, no spaces; a note in brackets, a noun and 级/类 after it
    dropped.

    >>> [grade_text(v) for v in ["AAA级企业", "a+", "优（95分）", "（空）"]]
    ['AAA', 'A+', '优', '空']
    """
    text = _spelled(halfwidth(clean_text(value)).upper().replace(" ", ""))
    bare = _BRACKETED.sub("", text) or text.strip(_BRACKETS)
    if bare:
        text = bare
    for noun in _GRADE_NOUNS:
        if text.endswith(noun) and len(text) > len(noun):
            text = text[: -len(noun)]
            break
    for suffix in ("级别", "级", "类", "等"):
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", halfwidth(text))


def _spelled(key: str) -> str:
    """A grade's letters written out: `3A级` is `AAA级`, `2A` is `AA` (upper-case key).

    >>> _spelled("3A级"), _spelled("2A(良好)"), _spelled("A3"), _spelled("5A级景区")
    ('AAA级', 'AA(良好)', 'A3', 'AAAAA级景区')
    """
    if not any(c.isdigit() for c in key):
        return key
    return _REPEATED.sub(lambda m: m.group(2) * int(m.group(1)), key)


_PAIRED_FORM = re.compile(r"([^()]+)\(([^()]+)\)")


def _written_forms(form: str) -> list[str]:
    """How a registry form is written in text. A form with a bracket (`绿色（诚信）`: a
    colour and its meaning) is one word either way round (`诚信（绿色）`); neither half is
    the level on its own (`绿色通道`, `诚信企业`).

    >>> _written_forms("绿色（诚信）"), _written_forms("绿牌")
    (['绿色(诚信)', '诚信(绿色)'], ['绿牌'])
    """
    norm = _norm(form)
    paired = _PAIRED_FORM.fullmatch(norm)
    if paired is None:
        return [norm]
    return [norm, f"{paired.group(2)}({paired.group(1)})"]


def _merge(mentions: list[Mention], text: str) -> list[Mention]:
    """Join adjacent mentions of one level: `环保诚信企业(绿牌)`, `AAA级信用很好`."""
    out: list[Mention] = []
    for m in mentions:
        if out and m.label is not None and out[-1].label == m.label:
            gap = text[out[-1].end : m.start]
            if _JOIN_GAP.fullmatch(gap):
                prev = out[-1]
                end = m.end
                if text[end : end + 1] in (")", "）") and "(" in text[prev.start : end]:
                    end += 1
                out[-1] = Mention(prev.label, text[prev.start : end], prev.start, end)
                continue
        out.append(m)
    return out


@cache
def matcher_for(scale: Scale) -> LevelMatcher:
    """The matcher of a scale (one per scale, kept)."""
    return LevelMatcher(scale)


def normalise_grade(value: object, scale: Scale) -> str:
    """A list cell as a grade of ``scale`` (:meth:`LevelMatcher.normalise`).

    >>> from hgcredit.registry import load_registry
    >>> tax = load_registry().evaluations["tax"]
    >>> [normalise_grade(v, tax) for v in ["A级", "Ａ", " a 级", "AAA级", "M", "", None]]
    ['A', 'A', 'A', 'AAA', 'M', '', '']
    """
    return matcher_for(scale).normalise(value)
