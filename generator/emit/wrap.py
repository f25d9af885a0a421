"""Docstring and comment lines a spec makes too long, wrapped at spaces.

Black leaves docstring text and comments as they are, so a long spec description
would be a line over the limit in every linter. After layout, each such line inside a
triple-quoted string, or a comment line, is cut at spaces into lines at the same
indent. Only what is between the quotes moves: the string's value keeps its
words, joined by a line break where there was a space.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

from . import layout

_QUOTES = '"""'


_QUOTED_COMMENT = re.compile(r'\n *#[^\n]*"""')


def long_lines(source: str) -> str:
    """``source`` with each over-long docstring or comment line wrapped."""
    limit = layout.LINE_LENGTH
    lines = source.split("\n")
    lengths = list(map(len, lines))
    if max(lengths) <= limit:
        return source  # the common case: nothing to look at
    if _QUOTED_COMMENT.search(source) or source.lstrip(" ").startswith("#") and _QUOTES in lines[0]:  # a comment's quotes open no string: line by line
        candidates: Iterable[int] = range(len(lines))
    else:  # only lines that may not fit; the quotes on the lines between, counted in one go
        candidates = [number for number, length in enumerate(lengths) if length > limit]
        if not source.isascii():  # a line of wide characters may not fit in fewer columns
            candidates = sorted({*candidates, *(n for n, line in enumerate(lines) if not line.isascii())})
    inside = False  # within a triple-quoted string
    counted = offset = 0  # lines (and characters) whose quotes ``inside`` counts
    for number in candidates:
        start = offset + sum(lengths[counted:number]) + number - counted
        if source.count(_QUOTES, offset, start) % 2 == 1:
            inside = not inside
        counted, offset = number + 1, start + lengths[number] + 1
        lines[number], inside = _wrapped(lines[number], inside)
    return "\n".join(lines)


def _wrapped(line: str, inside: bool) -> tuple[str, bool]:
    """One line, wrapped when it is a docstring or comment line that does not fit, and
    whether the line after it is inside a triple-quoted string."""
    code = line.lstrip(" ")
    indent = line[: len(line) - len(code)]
    count = line.count(_QUOTES)
    if not inside and code.startswith("#"):
        return ("\n".join(_comment(line, indent)) if not layout.fits(line) else line), inside
    starts_docstring = not inside and code.startswith(_QUOTES)
    if (inside or starts_docstring) and not layout.fits(line):
        line = "\n".join(_docstring_line(line, indent, inside, count))
    return line, inside != (count % 2 == 1)


def _comment(line: str, indent: str) -> list[str]:
    text = line.lstrip(" ")[1:].strip()
    width = max(layout.LINE_LENGTH - len(indent) - 2, 20)
    pieces = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=True)
    return [f"{indent}# {piece}" for piece in pieces] or [line]


def _docstring_line(line: str, indent: str, inside: bool, count: int) -> list[str]:
    """One line of a docstring cut at spaces, each piece fitting; an opening line keeps
    its quotes in front, a closing one keeps them at its end (black moves closing quotes
    only off a last line they would push over the limit)."""
    text = line[len(indent) :]
    opening = ""
    if not inside:
        opening, text = _QUOTES, text[len(_QUOTES) :]
        count -= 1
    words = text.split(" ")
    if "" in words or text.removesuffix(_QUOTES).endswith("\\"):
        return [line]  # runs of spaces, or an escape at the end: leave it
    if text.isascii():
        return _ascii_pieces(text, indent, opening)
    return _pieces(words, [layout.width(word) for word in words], indent, opening)


def _pieces(words: list[str], sizes: list[int], indent: str, opening: str) -> list[str]:
    """Words filled into lines greedily, by their widths (widths add up: no candidate
    line is built); a word that fits no line is alone on its own."""
    pieces: list[str] = []
    first, used = 0, len(indent) + len(opening) + sizes[0]
    for number in range(1, len(words)):
        if used + 1 + sizes[number] > layout.LINE_LENGTH:
            pieces.append(" ".join(words[first:number]))
            first, used = number, len(indent) + sizes[number]
        else:
            used += 1 + sizes[number]
    pieces.append(" ".join(words[first:]))
    return [indent + opening + pieces[0], *(indent + piece for piece in pieces[1:])]


def _ascii_pieces(text: str, indent: str, opening: str) -> list[str]:
    """``_pieces`` of ASCII text (a column per character), found faster: each piece is
    the longest run of words that fits, up to the last space within reach."""
    lines: list[str] = []
    start, lead = 0, indent + opening
    while True:
        reach = start + layout.LINE_LENGTH - len(lead)  # the piece may end before this
        if len(text) <= reach:
            lines.append(lead + text[start:])
            return lines
        cut = text.rfind(" ", start, reach + 1)
        if cut < 0:  # one word longer than the room: alone on its line
            cut = text.find(" ", start)
            if cut < 0:
                lines.append(lead + text[start:])
                return lines
        lines.append(lead + text[start:cut])
        start, lead = cut + 1, indent
