"""emit/wrap.py: only docstring and comment lines that do not fit are cut, at spaces.

Only the lines that may not fit are looked at; whether one is inside a triple-quoted
string comes from the quotes counted on the lines before it, so these cases hold that
count to what reading line by line says."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.emit import wrap

LONG = " ".join(["word"] * 30)  # 149 columns


def test_a_long_line_inside_a_docstring_opened_lines_before_is_cut() -> None:
    source = f'def f():\n    """Short.\n\n    {LONG}\n    """\nx = 1\n'
    lines = wrap.long_lines(source).split("\n")
    assert lines[3] == "    " + " ".join(["word"] * 17) and lines[4] == "    " + " ".join(["word"] * 13)
    assert all(len(line) <= 88 for line in lines)


def test_a_long_code_line_after_a_closed_docstring_is_left_alone() -> None:
    source = f'"""Doc."""\n\nx = "{LONG}"\n'
    assert wrap.long_lines(source) == source


def test_quotes_in_a_comment_open_no_string() -> None:
    source = f'# an odd """ quote\n\nx = "{LONG}"\n'
    assert wrap.long_lines(source) == source, "the string statement is not a docstring line"
    assert wrap.long_lines(f"#{LONG}\n").split("\n")[0] == "# " + " ".join(["word"] * 17)


def test_wide_characters_count_two_columns_in_a_module_with_long_lines() -> None:
    wide = " ".join(["中文"] * 20)  # 59 characters, 99 columns
    lines = wrap.long_lines(f'"""{wide}"""\nx = "{LONG}"\n').split("\n")
    assert lines[0] == '"""' + " ".join(["中文"] * 17) and lines[1] == " ".join(["中文"] * 3) + '"""'
    assert lines[2] == f'x = "{LONG}"', "a code line is never cut here"


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.text(alphabet="abcxyz", min_size=1, max_size=60), min_size=1, max_size=40),
    st.sampled_from(["", "    ", " " * 8, " " * 40]),
    st.sampled_from(["", '"""']),
)
def test_ascii_lines_are_cut_as_the_general_greedy_fill_cuts_them(words: list[str], indent: str, opening: str) -> None:
    text = " ".join(words)
    assert wrap._ascii_pieces(text, indent, opening) == wrap._pieces(words, [len(w) for w in words], indent, opening)
