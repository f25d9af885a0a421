"""Docstring and comment lines a spec makes too long, wrapped at spaces.

Black leaves docstring text and comments as they are, so a long spec description
would be a line over the limit in every linter. After layout, each such line inside a
triple-quoted string, or a comment line, is cut at spaces into lines at the same
indent. Only what is between the quotes moves: the string's value keeps its
words, joined by a line break where there was a space.
"""

from __future__ import annotations

import textwrap

from . import layout

_QUOTES = '"""'


def long_lines(source: str) -> str:
    """``source`` with each over-long docstring or comment line wrapped."""
    limit = layout.LINE_LENGTH
    if all(len(line) <= limit for line in source.split("\n")):
        return source  # the common case: nothing to look at
    out: list[str] = []
    inside = False  # within a triple-quoted string
    for line in source.split("\n"):
        code = line.lstrip(" ")
        indent = line[: len(line) - len(code)]
        count = line.count(_QUOTES)
        if not inside and code.startswith("#"):
            out.extend(_comment(line, indent) if not layout.fits(line) else [line])
            continue
        starts_docstring = not inside and code.startswith(_QUOTES)
        if (inside or starts_docstring) and not layout.fits(line):
            out.extend(_docstring_line(line, indent, inside, count))
        else:
            out.append(line)
        if count % 2 == 1:
            inside = not inside
    return "\n".join(out)


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
    if any(not word for word in words) or text.removesuffix(_QUOTES).endswith("\\"):
        return [line]  # runs of spaces, or an escape at the end: leave it
    lines: list[str] = []
    current, empty = indent + opening, True
    for word in words:
        candidate = current + word if empty else current + " " + word
        if not empty and not layout.fits(candidate):
            lines.append(current)
            candidate = indent + word
        current, empty = candidate, False
    lines.append(current)
    return lines
