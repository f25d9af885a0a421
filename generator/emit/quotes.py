"""The quotes black's string normalization gives a one-line string literal.

Double quotes, unless single ones need fewer escapes; an escape other than a quote's is
left as it is. ``literals.py`` writes every literal this way, and ``layout.split_string``
each piece of a string it cuts (a piece may hold more of one quote than the whole did),
so neither needs black.
"""

from __future__ import annotations

import re

_PART = re.compile(r"""\\.|["']""")


def preferred(literal: str) -> str:
    """``literal`` (no prefix, one line, each of its own quotes escaped, the other kind
    not) in the quotes black would pick."""
    quote, body = literal[0], literal[1:-1]
    other = "'" if quote == '"' else '"'
    own, others = body.count(quote), body.count(other)  # escapes kept, escapes made
    if others > own or (others == own and quote == '"'):
        return literal
    swapped = {"\\" + quote: quote, other: "\\" + other}
    return other + _PART.sub(lambda m: swapped.get(m.group(0), m.group(0)), body) + other
