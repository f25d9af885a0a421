"""The quotes black gives a one-line string literal, without importing black.

black prefers double quotes, unless they would take more backslashes than the literal
has; either way it drops escapes the chosen quotes do not need. Importing black costs
more than rendering a small package, and the layout only needs this one rule for the
pieces it cuts a long string into. tests/unit/test_quotes.py holds it to black's own.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\\.|[^\\]", re.DOTALL)
"""One escape sequence (a backslash and the character after it) or one plain character."""


def normalize_quotes(literal: str) -> str:
    """``literal`` (quote, body, quote; no prefix, one line) in black's preferred quotes."""
    quote, body = literal[0], literal[1:-1]
    other = "'" if quote == '"' else '"'
    if "\\" not in body and other not in body:
        return literal if quote == '"' else f'"{body}"'
    tokens = _TOKEN.findall(body)
    escaped_other, escaped_quote = "\\" + other, "\\" + quote
    kept = "".join(other if token == escaped_other else token for token in tokens)
    swapped = "".join(
        quote if token == escaped_quote else escaped_other if token in (other, escaped_other) else token
        for token in tokens
    )
    kept_escapes, swapped_escapes = kept.count("\\"), swapped.count("\\")
    if swapped_escapes > kept_escapes or (swapped_escapes == kept_escapes and quote == '"'):
        return quote + kept + quote
    return other + swapped + other
