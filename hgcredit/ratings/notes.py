"""Review notes: how a sentence is quoted, and why a text with figures gave no counts.

The reader (:mod:`hgcredit.ratings.text`) takes a number only from a reading that leaves no
doubt; what it cannot read becomes a note that quotes the sentence (:func:`quote`). When a
domain's text ends with no counts at all although it has numbers of entities (`62家`,
`煤矿12处`; not `3名执法人员`, which counts people), the clerk is also told why, one note per
sentence with such numbers that got no note of its own while being read
(:func:`unread_notes`):

- it states a total but no level is given a number (`参评企业共计62家…`);
- it has numbers but names no level of the domain's scale (`对25家企业开展了综合评价`);
- the only grades it names are not of the scale (`5A级景区3家` in a domain rated A–D is
  a different thing);
- it names levels and numbers, but none of the readings ties a number to a level
  (`对B级企业加强监管，检查50家企业`).

>>> notes = unread_notes(
...     [SentenceReading("参评企业共计62家，其中客运16家", ["62家", "16家"], total="62家")],
...     ["A级", "B级"],
... )
>>> notes[0]
'“参评企业共计62家，其中客运16家”：写了总数 62家，但没有写各等级（A级、B级）的数量，其他数量（16家）也没有等级，未计入'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hgcredit.text import halfwidth

MAX_FIGURES = 3  # numbers quoted in a note
MAX_NOTES = 5  # sentences noted per text
QUOTE_LENGTH = 90  # characters of a sentence quoted in a note
_LOCATE_WITHIN = 4000  # a focus further into a sentence is not looked for


def quote(sentence: str, focus: str = "") -> str:
    """The sentence in quotes, cut to :data:`QUOTE_LENGTH` characters; around ``focus`` (a
    piece of the normalised sentence, such as `25家`) when that lies past the cut.

    >>> quote("A级5家。")
    '“A级5家。”'
    >>> quote("甲" * 100 + "对 25 家企业开展评价。", "25家")[:8]
    '“…甲甲甲甲甲甲'
    """
    text = sentence.strip()
    if len(text) <= QUOTE_LENGTH:
        return f"“{text}”"
    at = _locate(text, focus) if focus else -1
    if at < QUOTE_LENGTH - 20:
        return f"“{text[: QUOTE_LENGTH - 1]}…”"
    start = max(0, at - QUOTE_LENGTH // 3)
    end = start + QUOTE_LENGTH - 2
    return f"“…{text[start:end]}{'…' if end < len(text) else ''}”"


def _locate(written: str, fragment: str) -> int:
    """Where a piece of the normalised sentence (half width, no spaces) starts in the
    sentence as written, or -1 (also past the first few thousand characters)."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(written[:_LOCATE_WITHIN]):
        for c in halfwidth(ch):
            if not c.isspace():
                chars.append(c)
                where.append(i)
    at = "".join(chars).find(fragment)
    return where[at] if at >= 0 else -1


@dataclass
class SentenceReading:
    """What a sentence held, for telling why it gave no count."""

    sentence: str  # as written
    figures: list[str]  # numbers of entities, normalised (`62家`), in order
    total: str | None = None  # the figure the sentence states as a total
    levels: list[str] = field(default_factory=list)  # levels of the scale it names
    others: list[str] = field(default_factory=list)  # grades it names that are not levels
    noted: bool = False  # reading it already gave a review note


def _figures(figures: Sequence[str]) -> str:
    shown = "、".join(figures[:MAX_FIGURES])
    return shown + ("…" if len(figures) > MAX_FIGURES else "")


def _reason(s: SentenceReading, scale: str) -> str:
    if s.total is not None:
        rest = [f for f in s.figures if f != s.total]
        why = f"写了总数 {s.total}，但没有写各等级（{scale}）的数量"
        return why + (f"，其他数量（{_figures(rest)}）也没有等级" if rest else "")
    figures = _figures(s.figures)
    if s.levels:
        named = "、".join(dict.fromkeys(s.levels))
        return (
            f"有等级（{named}）也有数量（{figures}），但看不出哪个数量是哪个等级的"
            "（不在同一分句，也没有“评为”之类的说法）"
        )
    if s.others:
        named = "、".join(f"“{o}”" for o in dict.fromkeys(s.others))
        return f"有数量（{figures}），但句中的{named}不是本领域的等级（{scale}）"
    return f"有数量（{figures}），但没有写是哪个等级（本领域的等级：{scale}）"


def unread_notes(sentences: Sequence[SentenceReading], levels: Sequence[str]) -> list[str]:
    """A review note for each sentence with numbers of entities and no note of its own.

    Meant for a text that gave no counts; ``levels`` are the scale's levels as a clerk
    reads them (`A级`, `绿`).
    """
    scale = "、".join(levels)
    unread = [s for s in sentences if s.figures and not s.noted]
    notes = [
        f"{quote(s.sentence, s.total or s.figures[0])}：{_reason(s, scale)}，未计入"
        for s in unread[:MAX_NOTES]
    ]
    if len(unread) > MAX_NOTES:
        notes.append(f"……另有 {len(unread) - MAX_NOTES} 句有数量但未读出等级数量")
    return notes
