from __future__ import annotations

import random
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc

from hgcredit.entities import codes
from hgcredit.entities.codes import ALPHABET, Reason, check_codes, legacy_core, numeric_keys

VALID = "91110000600037341L"  # python-stdnum's own example


def fold(text: str) -> str:
    """Full-width ASCII block to ASCII: the one thing we clean beyond python-stdnum."""
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text)


def oracle(text: str) -> str | None:
    """python-stdnum's verdict on the width-folded text: the compact code, or None."""
    folded = fold(text)
    try:
        ok = uscc.is_valid(folded)
    except ValueError:
        # python-stdnum raises (instead of answering False) when a newline sits at
        # position 8: its digit regex ends in `$`, which matches before a final "\n".
        ok = False
    return uscc.compact(folded) if ok else None


def make_code(rng: random.Random) -> str:
    body = (
        rng.choice("159") + rng.choice("0123") + "".join(rng.choice("0123456789") for _ in range(6))
    )
    body += "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + codes.check_character(body)


JUNK = (
    "0123456789ABCDEFGHJKLMNPQRTUWXYabcxyzIOSVZ"
    " -\t\n\r\x0b\x0c\x1c\x85\u2028\u2029\u3000\u00a0\u2009\u2010\u2212\uff0d\u00af"
    "\x00ﬀﬂﬄßſı\u212a"
    "０１９ＡＬＸａｌｘ"
    "\U0001d7ce\U0001d7d7"
    ".,*/:'E+"
)


@st.composite
def near_valid(draw: st.DrawFn) -> str:
    rng = random.Random(draw(st.integers(0, 2**32)))
    chars = list(make_code(rng))
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["replace", "insert", "delete", "lower", "wide"]))
        pos = draw(st.integers(0, max(len(chars) - 1, 0)))
        if op == "replace" and chars:
            chars[pos] = draw(st.sampled_from(JUNK))
        elif op == "insert":
            chars.insert(pos, draw(st.sampled_from(JUNK)))
        elif op == "delete" and chars:
            del chars[pos]
        elif op == "lower" and chars:
            chars[pos] = chars[pos].lower()
        elif op == "wide" and chars and "!" <= chars[pos] <= "~":
            chars[pos] = chr(ord(chars[pos]) + 0xFEE0)
    return "".join(chars)


cells = st.one_of(near_valid(), st.text(alphabet=JUNK, max_size=30), st.text(max_size=30))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cells, min_size=1, max_size=40))
def test_vectorised_verdict_equals_python_stdnum(values: list[str]) -> None:
    chk = check_codes(values)
    for i, text in enumerate(values):
        expected = oracle(text)
        got = str(chk.codes[i]) if chk.reasons[i] == Reason.OK else None
        assert got == expected, (text, Reason(int(chk.reasons[i])).name)


@settings(max_examples=200, deadline=None)
@given(st.lists(cells, min_size=1, max_size=20))
def test_without_fullwidth_characters_it_is_python_stdnum_itself(values: list[str]) -> None:
    values = [v for v in values if fold(v) == v]
    chk = check_codes(values)
    for i, text in enumerate(values):
        try:
            ok = uscc.is_valid(text)
        except ValueError:  # see oracle()
            ok = False
        assert (chk.reasons[i] == Reason.OK) == ok, text


def test_character_tables_match_python_stdnum() -> None:
    from stdnum import util

    char_map = getattr(util, "_char_map", None)
    if char_map is None:  # pragma: no cover - private table renamed upstream
        pytest.skip("python-stdnum no longer exposes _char_map")
    removed = {ord(k) for k, v in char_map.items() if v in " -"} | {0x20, 0x2D}
    assert removed == set(codes._SPACES) | set(codes._HYPHENS)
    for k, v in char_map.items():
        if v.isdigit():
            assert codes._TRANSLATE.get(ord(k), ord(k)) == ord(v), hex(ord(k))
    stripped = {c for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert stripped == set(codes._STRIPPED) | set(codes._SPACES) | {0x1680}


def test_cleaning_lowercase_fullwidth_spaces_hyphens() -> None:
    chk = check_codes(
        [
            "91110000600037341l",
            "９１１１００００６０００３７３４１Ｌ",
            " 9111 0000-6000－3734 1L\t",
            "9111\u30000000600037341L",
            "9 1 1 1 0 0 0 0 6 0 0 0 3 7 3 4 1 L",  # longer than the fixed-width matrix
        ]
    )
    assert chk.codes.tolist() == [VALID] * 5
    assert chk.reasons.tolist() == [Reason.OK] * 5


@pytest.mark.parametrize(
    ("cell", "reason", "says"),
    [
        ("", Reason.EMPTY, "代码为空"),
        (None, Reason.EMPTY, "代码为空"),
        (" - ", Reason.EMPTY, "代码为空"),
        ("9111000060003734", Reason.LENGTH, "清理后为 16 位"),
        ("无", Reason.LENGTH, "没有代码（写的是“无”）；请补上统一社会信用代码"),  # not 长度不对
        ("N/A", Reason.LENGTH, "没有代码（写的是“N/A”）"),
        ("91110000600037341LX", Reason.LENGTH, "清理后为 19 位"),
        ("9111000060003734IL", Reason.CHARACTER, "第 17 位“I”"),
        ("91A10000600037341L", Reason.CHARACTER, "第 3 位“A”应为数字"),
        ("91110000600037341X", Reason.CHECK, "应为“L”，实为“X”"),
        (9.12304021234568e17, Reason.NUMBER, "9.12304021234568e+17"),
        ("9.12304e+17", Reason.NUMBER, "末几位已丢失"),
        ("912304021234568000", Reason.NUMBER, "存成了数字"),
        ("110000600037341", Reason.LEGACY, ""),
        ("11000060003734I", Reason.CHARACTER, "第 15 位“I”"),
        ("60003734-1", Reason.ORG, "“600037341”是 9 位的组织机构代码"),  # GB 11714, its check
        ("600037342", Reason.LENGTH, "清理后为 9 位"),  # 9 characters, check wrong: no org code
        ("110101199003070038", Reason.PERSON, "居民身份证号码"),  # GB 11643, its check
        ("110101199003070033", Reason.CHECK, "校验码"),  # an id number's digits, check wrong
        # An individual business's old taxpayer id: its owner's id number and 2 digits.
        (
            "11010119900307003801",
            Reason.PERSON,
            "居民身份证号码加 2 位编的个人（个体工商户）纳税人识别号",
        ),
        ("11010119900307003301", Reason.LENGTH, "清理后为 20 位"),  # id number's check wrong
    ],
)
def test_each_reason_with_its_explanation(cell: object, reason: Reason, says: str) -> None:
    chk = check_codes([cell])
    assert chk.reasons[0] == reason
    assert says in chk.explain(0)


def test_an_all_digit_code_ending_in_000_that_checks_is_valid() -> None:
    bodies = (f"912304021234{k:03d}00" for k in range(1000))
    code = next(b + "0" for b in bodies if codes.check_character(b) == "0")
    assert check_codes([code]).reasons[0] == Reason.OK
    # The same digits with a wrong check character: Excel rounding, not a typo.
    assert check_codes([code[:-4] + "1000"]).reasons[0] == Reason.NUMBER


def test_numbers_in_cells() -> None:
    # A 15-digit legacy id survives as a number; an 18-digit code does not.
    chk = check_codes([230402123456789.0, 230402123456789, 9.1230402123456e17])
    assert chk.reasons.tolist() == [Reason.LEGACY, Reason.LEGACY, Reason.NUMBER]
    assert chk.codes[0] == "230402123456789"


def test_legacy_id_is_characters_3_to_17() -> None:
    assert legacy_core(VALID) == "110000600037341"
    hi, lo = numeric_keys(np.array([VALID, "110000600037341", "110000600037342", ""]))
    assert lo[0] == lo[1] != lo[2]
    assert hi[0] != hi[1]
    assert hi[3] == lo[3] == -1


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 2**32), min_size=2, max_size=30))
def test_numeric_keys_are_equal_exactly_when_codes_are(seeds: list[int]) -> None:
    values = [make_code(random.Random(s)) for s in seeds]
    values += [v[2:17] for v in values[:3]]  # legacy ids too
    hi, lo = numeric_keys(np.array(values))
    for i in range(len(values)):
        for j in range(len(values)):
            assert (values[i] == values[j]) == (hi[i] == hi[j] and lo[i] == lo[j])


def test_scalar_helpers() -> None:
    assert codes.is_valid(" 91110000600037341l ")
    assert not codes.is_valid("110000600037341")  # a legacy id is not a unified code
    assert codes.compact("9111-0000 600037341l") == VALID


def test_an_empty_column() -> None:
    chk = check_codes([])
    assert chk.codes.tolist() == [] and chk.reasons.tolist() == []
    hi, lo = chk.numeric()
    assert hi.tolist() == lo.tolist() == []


@pytest.mark.parametrize(
    ("cell", "code", "reason", "note"),
    [
        ("'" + VALID, VALID, Reason.OK, "撇号"),
        ("‘" + VALID, VALID, Reason.OK, "撇号"),
        ('="' + VALID + '"', VALID, Reason.OK, '="…"'),
        (VALID + "\u200b", VALID, Reason.OK, "不可见字符"),
        ("\ufeff\u200d110000600037341\u2060", "110000600037341", Reason.LEGACY, "不可见字符"),
        ("110000600037341.0", "110000600037341", Reason.LEGACY, "“.0”"),
        ("'91110000600037341X", "", Reason.CHECK, ""),  # the real fault, not the apostrophe
        ("912304021234568000.0", "", Reason.NUMBER, ""),
    ],
)
def test_recovering_what_spreadsheets_add_to_codes(
    cell: str, code: str, reason: Reason, note: str
) -> None:
    plain = check_codes([cell])
    assert plain.reasons[0] > Reason.LEGACY  # python-stdnum's verdict stays the default
    chk = check_codes([VALID, cell], recover=True)
    assert chk.codes.tolist() == [VALID, code]
    assert chk.reasons.tolist() == [Reason.OK, reason]
    assert chk.note(0) == ""
    assert note in chk.note(1) if note else chk.note(1) == ""
    if reason > Reason.LEGACY:
        says = {Reason.CHECK: "校验码错误：第 18 位应为“L”", Reason.NUMBER: "存成了数字"}[reason]
        assert says in chk.explain(1)


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("9111OOOO600037341L", "把字母 O 改为数字 0"),
        ("9111000060003734IL", "把字母 I 改为数字 1"),
        ("91110000600O37341L", "把字母 O 改为数字 0"),
    ],
)
def test_a_letter_for_a_digit_names_the_code_it_would_be(cell: str, says: str) -> None:
    chk = check_codes([cell])
    assert chk.reasons[0] == Reason.CHARACTER
    assert says in chk.explain(0) and VALID in chk.explain(0)
    assert VALID not in check_codes(["9111OOOO600037341X"]).explain(0)  # no code fits


def test_an_organisation_code_is_the_9_characters_after_the_division() -> None:
    # Characters 9-17 of every valid unified code are an organisation code (GB 11714).
    assert codes.is_org_code(VALID[8:17])
    assert not codes.is_org_code(VALID[8:16] + "0")
    assert not codes.is_org_code(VALID[:9])
    chk = check_codes([VALID[8:17], VALID])
    assert chk.reasons.tolist() == [Reason.ORG, Reason.OK]
    assert not chk.usable[0]  # told apart, never matched on
