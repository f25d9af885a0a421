"""Our quote normalization against black's own, on generated and random literals."""

from __future__ import annotations

import random

from black.strings import normalize_string_quotes

from generator.emit.quotes import normalize_quotes


CASES = [
    "'a'", '"a"', "'it\\'s'", '"it\'s"', "'say \"hi\"'", '"say \\"hi\\""', "'\\\\'", '"\\\\"',
    "'a\\\\\\'b'", "'\\\"'", '"\\\'"', "'both \\' and \"'", '"both \' and \\""', "''", '""',
    "'\\n\\t'", "'back\\\\'", "'\\\\\"'",
]  # fmt: skip


def test_known_cases_match_black() -> None:
    for literal in CASES:
        assert normalize_quotes(literal) == normalize_string_quotes(literal), literal


def test_random_literals_match_black() -> None:
    rnd = random.Random(11)
    alphabet = ["a", " ", "'", '"', "\\\\", "\\'", '\\"', "\\n", "é"]
    for _ in range(5000):
        quote = rnd.choice("'\"")
        body = ""
        for _ in range(rnd.randint(0, 8)):
            piece = rnd.choice(alphabet)
            if piece == quote:
                piece = "\\" + quote  # an unescaped own quote would end the literal
            body += piece
        literal = quote + body + quote
        assert normalize_quotes(literal) == normalize_string_quotes(literal), literal
