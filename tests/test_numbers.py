"""Number forms departments write: Arabic, thousands separators, full width, Chinese."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hgcredit.ratings.counts import find_counts, normalise
from hgcredit.ratings.numbers import chinese_to_int, parse_number

CN_DIGITS = "零一二三四五六七八九"
FINANCIAL = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")
FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")


def _section(n: int) -> str:
    """0 < n < 10000 in Chinese, with 零 for inner gaps (一千零一十)."""
    out, gap = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            gap = gap or bool(out)
            continue
        if gap:
            out += "零"
            gap = False
        out += CN_DIGITS[digit] + unit
    return out


def to_chinese(n: int, *, liang: bool = False, spell_one_ten: bool = False) -> str:
    """Write 0 <= n < 10^8 the way a clerk would: 十五, 一百零五, 两千, 三万零二十."""
    if n == 0:
        return "零"
    high, low = divmod(n, 10_000)
    out = _section(high) + "万" if high else ""
    if low:
        if high and low < 1000:
            out += "零"
        out += _section(low)
    if not spell_one_ten and out.startswith("一十"):
        out = out[1:]
    if liang:
        for unit in "千百万":
            out = out.replace("二" + unit, "两" + unit)
    return out


def test_formatter_writes_the_usual_forms():
    assert [to_chinese(n) for n in (10, 15, 21, 105, 1010, 10001, 100000, 30020)] == [
        "十",
        "十五",
        "二十一",
        "一百零五",
        "一千零一十",
        "一万零一",
        "十万",
        "三万零二十",
    ]
    assert to_chinese(2200, liang=True) == "两千两百"


@given(st.integers(0, 10**12))
def test_arabic(n):
    assert parse_number(str(n)) == n


@given(st.integers(0, 10**12))
def test_thousands_separators(n):
    assert parse_number(f"{n:,}") == n


@given(st.integers(0, 10**12))
def test_thousands_grouped_by_spaces_in_running_text(n):
    # GB 3101 groups thousands with a space: `3 512户` is one count (trial, December).
    written = f"{n:,}".replace(",", " ")
    assert [c.value for c in find_counts(normalise(f"B级{written}户"))] == [n]


@given(st.integers(0, 10**9))
def test_full_width_digits_and_separators(n):
    assert parse_number(str(n).translate(FULL_WIDTH)) == n
    assert parse_number(f"{n:,}".translate(FULL_WIDTH)) == n


@given(st.integers(0, 99_999_999), st.booleans(), st.booleans())
def test_chinese_numerals_round_trip(n, liang, spell_one_ten):
    assert parse_number(to_chinese(n, liang=liang, spell_one_ten=spell_one_ten)) == n


@given(st.integers(1, 99_999))
def test_financial_numerals(n):
    written = to_chinese(n, spell_one_ten=True).translate(FINANCIAL)
    assert chinese_to_int(written) == n


@given(
    st.integers(0, 99_999),
    st.sampled_from(["arabic", "thousands", "full", "chinese"]),
    st.sampled_from(["家", "户", "个"]),
)
def test_a_count_in_running_text(n, form, unit):
    written = {
        "arabic": str(n),
        "thousands": f"{n:,}",
        "full": f"{n:,}".translate(FULL_WIDTH),
        "chinese": to_chinese(n),
    }[form]

    text = normalise(f"其中 A 级 {written} {unit}，")
    assert [c.value for c in find_counts(text)] == [n]


@pytest.mark.parametrize(
    "written",
    ["", "一一", "十十", "两十", "百", "万", "零五", "一百零", "二〇二二", "1.5", "-3", "abc"],
)
def test_not_a_whole_number(written):
    assert parse_number(written) is None


@pytest.mark.parametrize(
    ("written", "value"),
    [("两", 2), ("十", 10), ("一百五", 150), ("一万二", 12000), ("3万", 30000), ("1.2万", 12000)],
)
def test_colloquial_forms(written, value):
    assert parse_number(written) == value
