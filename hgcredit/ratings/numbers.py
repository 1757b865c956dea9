"""Numbers as departments write them: Arabic, thousands separators, full width, Chinese.

>>> parse_number("3,495"), parse_number("５５０"), parse_number("1.2万"), parse_number("3 512")
(3495, 550, 12000, 3512)
>>> parse_number("二十一"), parse_number("两"), parse_number("一百零五"), parse_number("十")
(21, 2, 105, 10)
>>> parse_number("一一") is None, parse_number("百") is None, parse_number("2.5") is None
(True, True, True)
"""

from __future__ import annotations

import re

from hgcredit.text import halfwidth

CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}
CHINESE_CHARS = "".join(CHINESE_DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)

# A number as it appears in (half-width) running text. Thousands groups need exactly
# three digits after each comma, so "23,149" is one number but "5,10" is two. A space
# groups thousands too (GB 3101: `3 512`), never a comma and a space in one number.
ARABIC = r"\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?: \d{3})+(?![\d,])|\d+(?:\.\d+)?"
NUMBER_PATTERN = rf"(?:{ARABIC})(?:万)?|[{CHINESE_CHARS}]+"
NUMBER_RE = re.compile(NUMBER_PATTERN)


def chinese_to_int(text: str) -> int | None:
    """Value of a Chinese numeral, or None when it is not a well-formed one.

    Accepts the usual written forms: 十五, 二十一, 一百零五, 两千, 三万四千五百六十七,
    一万零一, the financial forms (壹贰叁…拾佰仟), and the colloquial shortening where a
    last digit stands for the next lower unit (一百五 = 150, 一万二 = 12000).

    >>> [chinese_to_int(s) for s in ["十五", "一百零五", "两千", "一万零一", "一百五"]]
    [15, 105, 2000, 10001, 150]
    >>> [chinese_to_int(s) for s in ["一一", "十十", "两十", "万", "零", "百五"]]
    [None, None, None, None, 0, None]
    """
    if not text:
        return None
    if text in ("零", "〇"):
        return 0
    total = 0  # finished sections above the current one (already times 万/亿)
    section = 0  # value below the current big unit
    digit: int | None = None  # a digit waiting for its unit
    digit_char = ""
    last_small = 10_000  # units within a section must decrease
    last_big = 10**12  # big units must decrease
    after_zero = False
    last_unit = 0  # the unit just written, for 一百五 = 150
    for ch in text:
        if ch in CHINESE_DIGITS:
            value = CHINESE_DIGITS[ch]
            if digit is not None:
                return None  # two digits in a row ("一一")
            if value == 0:
                if after_zero or (section == 0 and total == 0):
                    return None
                after_zero = True
                continue
            digit, digit_char = value, ch
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if unit >= last_small:
                return None
            if digit is None:
                # A bare 十 may open a section: 十五, 十万.
                if unit != 10 or section != 0 or after_zero:
                    return None
                digit = 1
            elif digit_char == "两" and unit == 10:
                return None  # 两十 is not written
            section += digit * unit
            digit, digit_char, after_zero = None, "", False
            last_small, last_unit = unit, unit
        elif ch in BIG_UNITS:
            unit = BIG_UNITS[ch]
            if unit >= last_big:
                return None
            if digit is not None:
                section += digit
                digit = None
            if section == 0:
                return None  # 万 alone, or 零万
            total += section * unit
            section, digit_char, after_zero = 0, "", False
            last_small, last_big, last_unit = 10_000, unit, unit
        else:
            return None
    if after_zero and digit is None:
        return None  # trailing 零 ("一百零")
    if digit is not None:
        if after_zero or last_unit == 0:
            section += digit
        else:
            section += digit * (last_unit // 10)  # 一百五 = 150, 一万二 = 12000
    return total + section


def parse_number(text: str) -> int | None:
    """A whole token as an integer: Arabic (any width, thousands separators), N万, Chinese.

    Returns None for anything that is not a whole non-negative integer.
    """
    token = halfwidth(text).strip().replace(" ", "")
    if not token:
        return None
    if token[0] in CHINESE_CHARS and not token[0].isdigit():
        return chinese_to_int(token)
    multiplier = 1
    if token.endswith(("万", "萬")):
        multiplier, token = 10_000, token[:-1]
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", token):
        token = token.replace(",", "")
    if re.fullmatch(r"\d+", token):
        return int(token) * multiplier
    if multiplier > 1 and re.fullmatch(r"\d+\.\d+", token):
        whole, frac = token.split(".")
        scaled = int(whole) * multiplier + int(frac.ljust(4, "0")[:4]) * multiplier // 10_000
        # Only when the decimal gives a whole number of units (1.2万 yes, 1.23456万 no).
        if len(frac) <= 4:
            return scaled
    return None
