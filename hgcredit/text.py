"""Text clean-up shared by every reader and matcher.

Display text keeps the clerk's characters (full-width included); *match keys* are
normalised so that `Ａ级`, `A 级` and `A级` compare equal.

>>> clean_text("<p>开展 2021 年&nbsp;评价</p>")
'开展 2021 年 评价'
>>> match_key("安全生产 领域")
'安全生产领域'
>>> match_key("ＡＢＣ　１２３")
'abc123'
"""

from __future__ import annotations

import html
import re
import unicodedata

_TAG = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>")
_BR = re.compile(r"<\s*(br|/p|/div|/li)\s*/?\s*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
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


def clean_text(value: object) -> str:
    """Text of a cell for display: no HTML, no stray or doubled whitespace."""
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
