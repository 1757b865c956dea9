"""Unified social credit codes (GB 32100-2015) and legacy taxpayer ids, whole columns at once.

:func:`check_codes` cleans and validates a column of cells with numpy: full-width to
half-width, spaces and hyphens removed, upper case, surrounding whitespace stripped;
then length, alphabet and check character. Its verdict on a unified code is the same
as ``stdnum.cn.uscc.is_valid`` (python-stdnum, the reference used in the tests) on the
width-folded text — python-stdnum itself folds full-width digits but not full-width
letters. Every invalid cell gets a :class:`Reason` and a Chinese explanation.

A legacy 15-character taxpayer id (6-digit division + 9-character organisation code)
is recognised as such; it equals characters 3–17 of the entity's unified code. A bare
9-character organisation code (GB 11714, with its check character) is told apart from a
code of the wrong length (:attr:`Reason.ORG`), but it is not usable: it names no division;
so is a person's identity card number (:attr:`Reason.PERSON`, 个体工商户 listed by their
owner), which is no code at all.

>>> chk = check_codes(["91110000600037341L", "９１１１００００６０００３７３４１ｌ", "91110000600037341X",
...                    "110000600037341", 9.12304021234568e17, ""])
>>> chk.codes.tolist()
['91110000600037341L', '91110000600037341L', '', '110000600037341', '', '']
>>> chk.cleaned(2), chk.cleaned(4)
('91110000600037341X', '9.12304021234568E+17')
>>> [Reason(r).name for r in chk.reasons]
['OK', 'OK', 'CHECK', 'LEGACY', 'NUMBER', 'EMPTY']
>>> chk.explain(2)
'校验码错误：第 18 位应为“L”，实为“X”'
>>> is_valid("9111 0000-6000 3734 1l"), compact(" 9111 0000-6000 3734 1l ")
(True, '91110000600037341L')
>>> legacy_core("91110000600037341L")
'110000600037341'
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CODE_LENGTH = 18
LEGACY_LENGTH = 15
# Cells are laid out in a fixed-width matrix; longer cells go to a matrix of their own.
_WIDTH = 24


class Reason(enum.IntEnum):
    """Verdict on one cell; OK and LEGACY are usable, the rest are problems."""

    OK = 0
    LEGACY = 1
    EMPTY = 2
    LENGTH = 3
    CHARACTER = 4
    CHECK = 5
    NUMBER = 6
    ORG = 7  # a 9-character organisation code (GB 11714): part of a code, not one
    PERSON = 8  # an identity card number (GB 11643), or a person's tax id built on one


_EMPTY, _CHECK, _NUMBER = int(Reason.EMPTY), int(Reason.CHECK), int(Reason.NUMBER)

REASON_LABELS = {
    Reason.OK: "有效",
    Reason.LEGACY: "原纳税人识别号",
    Reason.EMPTY: "代码为空",
    Reason.LENGTH: "长度不对",
    Reason.CHARACTER: "含不允许的字符",
    Reason.CHECK: "校验码错误",
    Reason.NUMBER: "以数字形式保存，末几位已丢失",
    Reason.ORG: "组织机构代码，不是统一社会信用代码",
    Reason.PERSON: "个人的身份证号码或纳税人识别号，不是统一社会信用代码",
}

# ---------------------------------------------------------------- character tables

# Characters python-stdnum turns into a space or a hyphen (both then removed) ...
_SPACES = (0x20, 0xA0, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)
_HYPHENS = (
    0x2D, 0xAF, 0x2D7, 0x58A, 0x5BE, 0x1680, 0x180A, *range(0x2010, 0x2016), 0x203E,
    0x2043, 0x207B, 0x208B, 0x2212, 0x23AF, *range(0x23BA, 0x23BE), 0x23E4, 0xFE63,
    0xFF0D, 0xFFE3,
)  # fmt: skip
# ... and the digit look-alikes it reads as digits (mathematical digits; full-width
# digits come with the full-width block below).
_MATH_DIGIT_BLOCKS = (0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6)
# What str.strip() removes at the ends (str.isspace), among those not removed above.
_STRIPPED = (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x85, 0x2028, 0x2029)


def _build_map() -> tuple[np.ndarray, np.ndarray]:
    pairs: dict[int, int] = {}
    for c in range(0xFF01, 0xFF5F):  # full-width ASCII block -> ASCII
        pairs[c] = c - 0xFEE0
    for block in _MATH_DIGIT_BLOCKS:
        for d in range(10):
            pairs[block + d] = 0x30 + d
    for c in _SPACES:
        pairs[c] = 0x20
    for c in _HYPHENS:
        pairs[c] = 0x2D
    keys = np.array(sorted(k for k in pairs if k >= 0x80), dtype=np.uint32)
    return keys, np.array([pairs[int(k)] for k in keys], dtype=np.uint32)


_MAP_FROM, _MAP_TO = _build_map()
_TRANSLATE = {int(a): int(b) for a, b in zip(_MAP_FROM, _MAP_TO, strict=True)}

# Character value (0-30) for ASCII, 255 for anything outside the alphabet.
_VALUE = np.full(128, 255, dtype=np.uint8)
for _i, _c in enumerate(ALPHABET):
    _VALUE[ord(_c)] = _i
_WEIGHTS = np.array(WEIGHTS, dtype=np.float32)
_STRIP_CODES = np.array(_STRIPPED, dtype=np.uint32)

_FLOAT_FORM = re.compile(r"^[0-9]+(\.[0-9]*)?E\+?[0-9]+$|^[0-9]+\.[0-9]*$")

# ---------------------------------------------------------------- results


@dataclass
class CodeCheck:
    """Cleaned codes and a verdict for each cell of a column."""

    codes: np.ndarray  # '<U18': the cleaned code ('' when empty or unusable)
    reasons: np.ndarray  # uint8 Reason per cell
    raw: Sequence[object]  # the cells as given, for explanations
    bad_text: dict[int, str]  # cleaned text of each unusable cell
    _numeric: tuple[np.ndarray, np.ndarray] | None = None
    recovered: dict[int, str] = field(default_factory=dict)  # cell -> what was removed

    def note(self, i: int) -> str:
        """What :func:`check_codes` with ``recover`` removed from cell ``i`` ('' if nothing)."""
        return self.recovered.get(i, "")

    def numeric(self) -> tuple[np.ndarray, np.ndarray]:
        """:func:`numeric_keys` of the cleaned codes (computed once)."""
        if self._numeric is None:
            self._numeric = numeric_keys(self.codes)
        return self._numeric

    def cleaned(self, i: int) -> str:
        """The cleaned text of cell ``i`` (the code itself when usable)."""
        return self.bad_text.get(i) or str(self.codes[i])

    @property
    def usable(self) -> np.ndarray:
        """True where the cell is a valid unified code or a legacy id."""
        return self.reasons <= Reason.LEGACY

    def explain(self, i: int) -> str:
        """A clerk's explanation of why cell ``i`` is unusable ('' if it is fine)."""
        return explain(self.raw[i], self.cleaned(i), Reason(int(self.reasons[i])))


def explain(raw: object, cleaned: str, reason: Reason) -> str:
    if reason in (Reason.OK, Reason.LEGACY):
        return ""
    if reason == Reason.EMPTY:
        return "代码为空"
    if reason == Reason.NUMBER:
        return (
            f"代码被存成了数字（{_value_text(raw)}），末几位已丢失；"
            "请把该列设为文本后从原系统重新导出"
        )
    if reason == Reason.ORG:
        return (
            f"“{cleaned}”是 9 位的组织机构代码，不是统一社会信用代码，本工具不按它匹配；"
            "请补上统一社会信用代码（组织机构代码是它的第 9–17 位）"
        )
    if reason == Reason.PERSON and len(cleaned) == PERSON_TAX_ID_LENGTH:
        return (
            f"“{cleaned}”是以居民身份证号码加 2 位编的个人（个体工商户）纳税人识别号，"
            "不是统一社会信用代码，本工具不按它匹配；请补上营业执照上的统一社会信用代码"
            "（个体工商户为 92 开头的 18 位）"
        )
    if reason == Reason.PERSON:
        return (
            "是 18 位的居民身份证号码（个人），不是统一社会信用代码；"
            "个体工商户等请填营业执照上的统一社会信用代码"
        )
    if reason == Reason.LENGTH and not any(c.isdigit() for c in cleaned):
        return f"没有代码（写的是“{cleaned}”）；请补上统一社会信用代码"
    if reason == Reason.LENGTH:
        return (
            f"长度不对：清理后为 {len(cleaned)} 位，统一社会信用代码应为 18 位"
            "（原纳税人识别号为 15 位）"
        )
    if reason == Reason.CHECK:
        expected = check_character(cleaned[:17])
        return f"校验码错误：第 18 位应为“{expected}”，实为“{cleaned[17]}”"
    digits = 8 if len(cleaned) == CODE_LENGTH else 6
    for pos, ch in enumerate(cleaned):
        if pos < digits and not ("0" <= ch <= "9"):
            return f"第 {pos + 1} 位“{_show(ch)}”应为数字（前 {digits} 位须为数字）" + _typo_hint(
                cleaned
            )
        if ch not in ALPHABET:
            return (
                f"第 {pos + 1} 位“{_show(ch)}”不是允许的字符（数字或除 I、O、S、V、Z 外的大写字母）"
                + _typo_hint(cleaned)
            )
    return "含不允许的字符"


_LOOKALIKE_DIGITS = {"O": "0", "I": "1"}


def _typo_hint(cleaned: str) -> str:
    """When reading the letters O and I as the digits 0 and 1 gives a valid code (or a
    legacy id of the right form), say so: the usual typing slip."""
    letters = [c for c in _LOOKALIKE_DIGITS if c in cleaned]
    if not letters:
        return ""
    fixed = cleaned
    for c in letters:
        fixed = fixed.replace(c, _LOOKALIKE_DIGITS[c])
    if check_codes([fixed]).reasons[0] > Reason.LEGACY:
        return ""
    what = "、".join(f"把字母 {c} 改为数字 {_LOOKALIKE_DIGITS[c]}" for c in letters)
    return f"；{what} 后为 {fixed}，校验通过，请与原件核对"


def _show(ch: str) -> str:
    return ch if ch.isprintable() and not ch.isspace() else f"U+{ord(ch):04X}"


def check_character(body17: str) -> str:
    """The check character (18th) for the first 17 characters of a unified code.

    >>> check_character("91110000600037341")
    'L'
    """
    total = sum(ALPHABET.index(c) * w for c, w in zip(body17, WEIGHTS, strict=False))
    return ALPHABET[(31 - total) % 31]


ORG_LENGTH = 9
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def is_org_code(text: str) -> bool:
    """True for a cleaned 9-character organisation code (GB 11714: 8 digits or capital
    letters and a check character, 0-9 or X) — what characters 9–17 of a unified code are.

    >>> is_org_code("MA0000001"), is_org_code("600037341"), is_org_code("600037342")
    (False, True, False)
    """
    body = text[:8]
    if len(text) != ORG_LENGTH or not all("0" <= c <= "9" or "A" <= c <= "Z" for c in body):
        return False
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return text[8] == ("X" if check == 10 else "0" if check == 11 else str(check))


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def is_id_number(text: str) -> bool:
    """True for a cleaned 18-character resident identity card number (GB 11643): a
    province digit 1–8, 16 more digits with a birth date at 7–14, and its check character
    (0-9 or X). Used only to explain a code that is not valid as a unified code.

    >>> is_id_number("110101199003070038"), is_id_number("110101199003070033")
    (True, False)
    """
    if len(text) != CODE_LENGTH or not text[:17].isdigit() or text[0] not in "12345678":
        return False
    try:
        born = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2100:
        return False
    total = sum(int(c) * w for c, w in zip(text[:17], _ID_WEIGHTS, strict=True))
    return text[17] == "10X98765432"[total % 11]


PERSON_TAX_ID_LENGTH = 20


def is_person_tax_id(text: str) -> bool:
    """True for a cleaned 20-character taxpayer id of a person or an individual business:
    an identity card number (:func:`is_id_number`) and two more digits, as tax systems
    numbered them before the unified code.

    >>> is_person_tax_id("11010119900307003801"), is_person_tax_id("11010119900307003301")
    (True, False)
    """
    return len(text) == PERSON_TAX_ID_LENGTH and is_id_number(text[:18]) and text[18:].isdigit()


def legacy_core(code: str) -> str:
    """Characters 3–17 of a unified code: what its legacy taxpayer id was."""
    return code[2:17]


# ---------------------------------------------------------------- cell text


def _value_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")  # what Excel shows; the digits beyond are lost
    return str(value)


def _number_lost(value: object) -> bool:
    """A numeric cell whose value cannot hold a whole code (15 significant digits)."""
    return isinstance(value, float) and not (value.is_integer() and abs(value) < 1e15)


# ---------------------------------------------------------------- the vectorised check


def check_codes(values: Sequence[object], *, recover: bool = False) -> CodeCheck:
    """Clean and validate a whole column of cells (str, numbers, None).

    With ``recover``, cells found invalid get a second look for what spreadsheets and
    exports add around a code: a leading apostrophe (``'9123…``), the ``="9123…"``
    wrapper, invisible characters (zero-width space, BOM, soft hyphen), and ``.0``
    after digits (a csv round trip of a 15-digit legacy id). Such cells are judged on
    what remains, and :meth:`CodeCheck.note` says what was removed. Without it the
    verdict is python-stdnum's."""
    n = len(values)
    texts: list[str]
    if set(map(type, values)) <= {str}:
        texts = values if isinstance(values, list) else [str(v) for v in values]
    else:
        texts = [v if type(v) is str else _value_text(v) for v in values]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    reasons = np.full(n, Reason.EMPTY, dtype=np.uint8)
    codes = np.zeros(n, dtype=f"<U{CODE_LENGTH}")
    bad_text: dict[int, str] = {}
    exact = lengths == CODE_LENGTH  # the usual case: one matrix built without numpy's str loop
    short = (lengths <= _WIDTH) & ~exact
    for mask, same_length in ((exact, True), (short, False), (~(exact | short), False)):
        idx = np.flatnonzero(mask)
        if idx.size:
            if idx.size == n:
                sub = texts
            elif same_length:
                sub = list(itertools.compress(texts, mask.tolist()))
            else:
                sub = [texts[i] for i in idx.tolist()]
            c, r, bad = _check_block(sub, lengths[idx], same_length)
            codes[idx], reasons[idx] = c, r
            bad_text.update((int(idx[j]), t) for j, t in bad.items())
    # Numbers that lost their digits: numeric cells, float text, Excel-rounded digits.
    for i, text in bad_text.items():
        if reasons[i] == _EMPTY:
            continue
        if (
            _number_lost(values[i])
            or _FLOAT_FORM.match(text)
            or (
                reasons[i] == _CHECK
                and len(text) == CODE_LENGTH
                and text.isdigit()
                and text.endswith("000")
            )
        ):
            reasons[i] = _NUMBER
    # A 9-character organisation code where a unified code belongs: say what it is.
    # ... and a person's identity card number where an entity's code belongs.
    for i, text in bad_text.items():
        if reasons[i] == Reason.LENGTH and len(text) == ORG_LENGTH and is_org_code(text):
            reasons[i] = Reason.ORG
        elif (reasons[i] == _CHECK and is_id_number(text)) or (
            reasons[i] == Reason.LENGTH and is_person_tax_id(text)
        ):
            reasons[i] = Reason.PERSON
    chk = CodeCheck(codes, reasons, values, bad_text)
    if recover and bad_text:
        _recover(chk, texts)
    return chk


_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202c"
_QUOTES = "'‘’`＇"
_DIGITS_DOT_ZERO = re.compile(r"^([0-9]{15}|[0-9]{18})\.0+$")


def _recover(chk: CodeCheck, texts: list[str]) -> None:
    """Second look at the invalid cells (few): see :func:`check_codes`."""
    redo: dict[int, tuple[str, str]] = {}
    for i in chk.bad_text:
        if chk.reasons[i] == _EMPTY:
            continue
        text, removed = texts[i], []
        if any(c in text for c in _INVISIBLE) or any(unicodedata.category(c) == "Cf" for c in text):
            text = "".join(c for c in text if unicodedata.category(c) != "Cf")
            removed.append("不可见字符")
        text = text.strip()
        if text.startswith('="') and text.endswith('"') and len(text) > 3:
            text = text[2:-1].strip()
            removed.append('="…" 包装')
        if text[:1] in _QUOTES and text[:1]:
            text = text.lstrip(_QUOTES).strip()
            removed.append("代码前的撇号")
        if _DIGITS_DOT_ZERO.match(text):
            text = text.split(".", 1)[0]
            removed.append("末尾的“.0”")
        if removed:
            redo[i] = (text, "已去掉" + "、".join(removed))
    if not redo:
        return
    idx = list(redo)
    again = check_codes([redo[i][0] for i in idx])
    for j, i in enumerate(idx):
        chk.codes[i] = again.codes[j]
        chk.reasons[i] = again.reasons[j]
        if again.reasons[j] <= Reason.LEGACY:
            del chk.bad_text[i]
            chk.recovered[i] = redo[i][1]
        else:
            chk.bad_text[i] = again.cleaned(j)


def _check_block(
    texts: list[str], lengths: np.ndarray, same_length: bool = False
) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    n = len(texts)
    width = max(int(lengths.max()), CODE_LENGTH)
    if same_length and width == CODE_LENGTH:
        # All 18 characters long: one UTF-32 string, viewed as an n x 18 matrix.
        utf32 = bytearray("".join(texts).encode("utf-32-le"))
        m = np.frombuffer(utf32, dtype=np.uint32).reshape(n, CODE_LENGTH)
    else:
        m = np.array(texts, dtype=f"<U{width}").view(np.uint32).reshape(n, width)
    # A NUL inside the text would vanish into the padding: such cells are invalid.
    has_nul = np.count_nonzero(m, axis=1) != lengths
    values = _VALUE[np.minimum(m[:, :CODE_LENGTH], 0x7F)]  # 0x7F (DEL): not in the alphabet
    # Most cells are already 18 characters of the alphabet: only the others are cleaned.
    simple = (lengths == CODE_LENGTH) & (values != 255).all(axis=1)
    messy = np.flatnonzero(~simple & ~has_nul)
    length = lengths.copy()
    if messy.size:
        sub = _clean_matrix(m[messy])
        # Cells still holding non-ASCII characters: str.upper() may turn some into
        # ASCII (the ligature 'ﬀ' -> 'FF'); do exactly what python-stdnum does, per cell.
        exotic = np.flatnonzero((sub >= 0x80).any(axis=1))
        if exotic.size:
            redo = [_clean_scalar(texts[i]) for i in messy[exotic].tolist()]
            w = max(max(map(len, redo)), width)
            if w > width:
                m = np.pad(m, ((0, 0), (0, w - width)))
                sub = np.pad(sub, ((0, 0), (0, w - width)))
                width = w
            sub[exotic] = np.array(redo, dtype=f"<U{width}").view(np.uint32).reshape(-1, width)
        m[messy] = sub
        values[messy] = _VALUE[np.minimum(sub[:, :CODE_LENGTH], 0x7F)]
        length[messy] = np.count_nonzero(sub, axis=1)
    codes, reasons = _validate_matrix(m, values, length)
    reasons[has_nul] = Reason.CHARACTER
    bad = np.flatnonzero(reasons > Reason.LEGACY)
    bad_text = dict(
        zip(
            bad.tolist(),
            np.ascontiguousarray(m[bad]).view(f"<U{width}").ravel().tolist(),
            strict=True,
        )
    )
    for i in np.flatnonzero(has_nul).tolist():
        bad_text[i] = _clean_scalar(texts[i])
    return codes, reasons, bad_text


def _clean_matrix(m: np.ndarray) -> np.ndarray:
    """Map look-alikes, drop spaces and hyphens, upper-case ASCII, strip, left-align."""
    high = m >= 0x80
    if high.any():
        vals = m[high]
        pos = np.searchsorted(_MAP_FROM, vals)
        pos_c = np.minimum(pos, len(_MAP_FROM) - 1)
        hit = _MAP_FROM[pos_c] == vals
        vals[hit] = _MAP_TO[pos_c[hit]]
        m[high] = vals
    m[(m == 0x20) | (m == 0x2D)] = 0
    lower = (m >= 0x61) & (m <= 0x7A)
    m[lower] -= 0x20
    ws = ((m >= 0x09) & (m <= 0x0D)) | ((m >= 0x1C) & (m <= 0x1F))
    if high.any():
        ws[high] |= np.isin(m[high], _STRIP_CODES)
    if ws.any():
        solid = (m != 0) & ~ws
        lead = ws & (np.cumsum(solid, axis=1) == 0)
        trail = ws & (np.cumsum(solid[:, ::-1], axis=1)[:, ::-1] == 0)
        m[lead | trail] = 0
    keep = m != 0
    # Rows with a gap before a character need left-aligning.
    gap = (~keep[:, :-1] & keep[:, 1:]).any(axis=1)
    if gap.any():
        rows = np.flatnonzero(gap)
        order = np.argsort(~keep[rows], axis=1, kind="stable")
        m[rows] = np.take_along_axis(m[rows], order, axis=1)
    return m


def _validate_matrix(
    m: np.ndarray, values: np.ndarray, length: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Verdicts from the cleaned, left-aligned matrix, its character values (first 18
    columns) and the cleaned lengths."""
    n = len(m)
    reasons = np.full(n, Reason.LENGTH, dtype=np.uint8)
    reasons[length == 0] = Reason.EMPTY
    head = m[:, :CODE_LENGTH]
    digit = values <= 9
    in_alpha = values != 255

    full = length == CODE_LENGTH
    fmt_ok = digit[:, :8].all(axis=1) & in_alpha[:, 8:CODE_LENGTH].all(axis=1)
    # Weighted sum as a float32 product: exact, the largest sum is 17 * 30 * 30.
    total = (values[:, :17].astype(np.float32) @ _WEIGHTS).astype(np.int64)
    check_ok = (31 - total % 31) % 31 == values[:, 17]
    reasons[full & ~fmt_ok] = Reason.CHARACTER
    reasons[full & fmt_ok & ~check_ok] = Reason.CHECK
    reasons[full & fmt_ok & check_ok] = Reason.OK

    legacy = length == LEGACY_LENGTH
    legacy_ok = digit[:, :6].all(axis=1) & in_alpha[:, 6:LEGACY_LENGTH].all(axis=1)
    reasons[legacy & legacy_ok] = Reason.LEGACY
    reasons[legacy & ~legacy_ok] = Reason.CHARACTER

    codes = np.array(head, order="C", copy=True).view(f"<U{CODE_LENGTH}").ravel()
    codes[reasons > Reason.LEGACY] = ""
    return codes, reasons


def _clean_scalar(text: str) -> str:
    """One cell the slow way (cells with characters outside ASCII only)."""
    text = text.translate(_TRANSLATE)
    return "".join(c for c in text if c not in " -").upper().strip()


BLOCK = 100_000


def check_codes_in_blocks(
    values: Sequence[object], *, recover: bool = False, block: int = BLOCK
) -> CodeCheck:
    """:func:`check_codes` of a long column, ``block`` cells at a time, with the numeric
    keys (:meth:`CodeCheck.numeric`) worked out as it goes: the same verdicts, but the
    work arrays of one block are reused for the next instead of a million-row set of them
    being mapped fresh from the system (page faults cost more than the checking itself on
    some machines).

    >>> values = ["91110000600037341L", "bad", "110000600037341", ""] * 3
    >>> whole, parts = check_codes(values), check_codes_in_blocks(values, block=5)
    >>> parts.codes.tolist() == whole.codes.tolist(), parts.reasons.tolist() == whole.reasons.tolist()
    (True, True)
    >>> parts.bad_text == whole.bad_text, parts.explain(5) == whole.explain(5)
    (True, True)
    """
    n = len(values)
    if n <= block:
        chk = check_codes(values, recover=recover)
        chk.numeric()
        return chk
    parts = []
    for start in range(0, n, block):
        part = check_codes(values[start : start + block], recover=recover)
        part.numeric()
        parts.append((start, part))
    bad_text: dict[int, str] = {}
    recovered: dict[int, str] = {}
    for start, part in parts:
        bad_text.update((start + i, t) for i, t in part.bad_text.items())
        recovered.update((start + i, t) for i, t in part.recovered.items())
    checks = [part for _, part in parts]
    return CodeCheck(
        np.concatenate([c.codes for c in checks]),
        np.concatenate([c.reasons for c in checks]),
        values,
        bad_text,
        (
            np.concatenate([c.numeric()[0] for c in checks]),
            np.concatenate([c.numeric()[1] for c in checks]),
        ),
        recovered,
    )


# ---------------------------------------------------------------- numeric keys

_POW10F = (10 ** np.arange(7, -1, -1, dtype=np.int64)).astype(np.float64)
_POW31F = (31 ** np.arange(8, -1, -1, dtype=np.int64)).astype(np.float64)
LEGACY_HI = 10**8  # legacy ids get hi >= LEGACY_HI, unified codes hi < LEGACY_HI


def numeric_keys(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two int64 numbers per cleaned code that are equal exactly when the codes are.

    For a unified code, ``hi`` is its first 8 digits and ``lo`` characters 9–17 in
    base 31 (the check character follows from them); a legacy id gets ``hi`` =
    LEGACY_HI + its division and ``lo`` its organisation code, so a legacy id and the
    unified code it stands for share ``lo``; anything else gets -1. Sorting and
    comparing numbers is many times faster than hashing millions of strings.
    """
    n = len(codes)
    m = (
        np.ascontiguousarray(codes, dtype=f"<U{CODE_LENGTH}")
        .view(np.uint32)
        .reshape(n, CODE_LENGTH)
    )
    values = _VALUE[np.minimum(m, 0x7F)]
    # float64 products are exact here (lo < 31**9 < 2**53) and run through BLAS.
    full = m[:, 17] != 0
    hi_full = values[:, :8].astype(np.float64) @ _POW10F
    lo_full = values[:, 8:17].astype(np.float64) @ _POW31F
    legacy = (m[:, 14] != 0) & (m[:, 15] == 0)
    hi = np.where(full, hi_full, -1.0)
    lo = np.where(full, lo_full, -1.0)
    if legacy.any():
        rows = np.flatnonzero(legacy)
        hi[rows] = LEGACY_HI + values[rows, :6].astype(np.float64) @ _POW10F[2:]
        lo[rows] = values[rows, 6:15].astype(np.float64) @ _POW31F
    return hi.astype(np.int64), lo.astype(np.int64)


# ---------------------------------------------------------------- conveniences


def compact(value: object) -> str:
    """The cleaned form of one code (no validation)."""
    return check_codes([value]).cleaned(0)


def is_valid(value: object) -> bool:
    """True for a valid unified social credit code (not a legacy id)."""
    return bool(check_codes([value]).reasons[0] == Reason.OK)
