r"""Text clean-up shared by every reader and matcher.

Display text keeps the clerk's characters (full-width included); *match keys* are
normalised so that `Ａ级`, `A 级` and `A级` compare equal.

>>> clean_text("<p>开展 2021 年&nbsp;评价</p>")
'开展 2021 年 评价'
>>> match_key("安全生产 领域")
'安全生产领域'
>>> match_key("ＡＢＣ　１２３")
'abc123'

Control characters never survive reading: Word's soft line break (``\x0b``), form feed,
NEL and the Unicode line/paragraph separators become line breaks; every other C0/C1
control character (NUL, ESC, ``\x1f`` …) and DEL is dropped, tab and newline aside. So no
terminal escape sequence reaches the screen and no workbook gets an illegal character.

>>> clean_text("A级\x0b236户\x1f，\x1b[31m红\x1b[0m\x00")
'A级\n236户，[31m红[0m'
"""

from __future__ import annotations

import html
import re
import unicodedata

_TAG = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>")
_BR = re.compile(r"<\s*(br|/p|/div|/li)\s*/?\s*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
# Line breaks in other clothes -> "\n"; every other control character but tab -> dropped.
_CONTROLS = {
    **dict.fromkeys([*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0)]),
    **dict.fromkeys([0x0B, 0x0C, 0x85, 0x2028, 0x2029], "\n"),
}
_KEY_DROP = re.compile(
    r"[\s\u3000\u00a0\u200b\ufeff·•．.、,，:：;；/\\|()（）\[\]【】<>《》\"'“”‘’_\-—–]+"
)


def strip_html(text: str) -> str:
    """Remove HTML tags and decode entities; block ends become line breaks."""
    if "<" not in text and "&" not in text:
        return text
    text = _BR.sub("\n", text)
    text = _TAG.sub("", text)
    return html.unescape(text)


def strip_controls(text: str) -> str:
    r"""``text`` without control characters (see the module's docstring); tab and newline stay.

    >>> strip_controls("a\x0bb\x1b[0m\tc")
    'a\nb[0m\tc'
    """
    return text if text.isprintable() else text.translate(_CONTROLS)


def clean_text(value: object) -> str:
    """Text of a cell for display: no HTML, no control characters, no stray or doubled
    whitespace."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer() and abs(value) < 2**53:
            value = int(value)
        else:
            # Beyond float precision the trailing digits are noise: show what Excel shows.
            return format(value, ".15g")
    text = strip_html(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = strip_controls(text)
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = _BLANK_LINES.sub("\n", text)
    return text.strip()


def halfwidth(text: str) -> str:
    """Full-width letters, digits and punctuation to their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def match_key(text: object) -> str:
    """A key for matching names: half-width, lower case, no spaces or punctuation."""
    return _KEY_DROP.sub("", halfwidth(clean_text(text))).lower()


_SCORE = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*分?")


def score_value(value: object) -> object:
    """A score cell as a number (an int when whole): a number, or text such as ``92.5分``,
    ``９１`` or `` 90 ``; '' for an empty cell; other text (``—``, ``免评``) as written.

    >>> [score_value(v) for v in [959.0, 92.5, "92.5分", "９１", " 90 ", "", None, "—"]]
    [959, 92.5, 92.5, 91, 90, '', '', '—']
    """
    if isinstance(value, bool):
        return clean_text(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | float):
        return value
    text = clean_text(value)
    found = _SCORE.fullmatch(halfwidth(text).strip())
    if found is None:
        return text
    number = float(found.group(1))
    return int(number) if number.is_integer() else number
