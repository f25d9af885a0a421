"""emit/quotes.py picks the quotes black's string normalization picks, without black.

``layout.split_string`` cuts a long string literal into pieces at spaces and each piece
gets the quotes black would give it (a piece may hold more of one quote than the whole
string did); the generator does not import black for that (it is slow to import)."""

from __future__ import annotations

from black.strings import normalize_string_quotes
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.emit import layout
from generator.emit.literals import py_str
from generator.emit.quotes import preferred

TEXTS = st.text(alphabet="ab '\"\\\n\té\u2018\ud800", max_size=40)


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_whole_literals_get_blacks_quotes(text: str) -> None:
    literal = py_str(text)
    assert preferred(literal) == literal == normalize_string_quotes(literal)


@settings(max_examples=500, deadline=None)
@given(TEXTS, st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=40))
def test_pieces_cut_at_spaces_get_blacks_quotes(text: str, first: int, last: int) -> None:
    literal = py_str(text)
    quote, words = literal[0], layout._WORD.findall(literal[1:-1])
    piece = quote + "".join(words[first : first + last]) + quote
    assert preferred(piece) == normalize_string_quotes(piece)


def test_a_piece_with_more_double_quotes_than_single_ones_takes_single_quotes() -> None:
    assert preferred('"say \\"hi\\" "') == "'say \"hi\" '"
    assert preferred("'it\\'s \"x\"'") == "'it\\'s \"x\"'"
    assert preferred("'it\\'s'") == '"it\'s"'
