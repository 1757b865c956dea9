from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hgcredit.io.tables import cell_text
from hgcredit.text import clean_text, strip_controls


def _control(ch: str) -> bool:
    return (ord(ch) < 0x20 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F


def test_word_soft_line_break_and_other_breaks_become_line_breaks():
    assert clean_text("A级236户\x0bB级3495户") == "A级236户\nB级3495户"
    assert clean_text("一\x0c二\x85三\u2028四\u2029五") == "一\n二\n三\n四\n五"


def test_escape_sequences_nul_and_other_controls_are_dropped():
    text = "\x1b[31m红字\x1b[0m\x00，\x1f可选连字符\x07\x7f\x9b结束"
    assert clean_text(text) == "[31m红字[0m，可选连字符结束"
    assert cell_text(text) == clean_text(text)  # the one place every reader goes through
    assert clean_text("&#27;[2J清屏") == "[2J清屏"  # an HTML entity of ESC too


def test_tab_and_newline_stay_in_strip_controls():
    assert strip_controls("a\tb\nc") == "a\tb\nc"


@given(st.text(alphabet=st.characters(max_codepoint=0x3000), max_size=200))
def test_no_control_character_survives_cleaning(text: str):
    assert not any(_control(ch) for ch in clean_text(text))
