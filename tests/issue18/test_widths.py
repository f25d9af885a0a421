"""generator/emit/widths.py counts columns exactly as black does, without importing it."""

from __future__ import annotations

from black import strings

from generator.emit import widths


def test_every_code_point_has_blacks_width() -> None:
    for codepoint in range(0x110000):
        if 0xD800 <= codepoint <= 0xDFFF:
            continue  # surrogates are no characters
        char = chr(codepoint)
        assert widths.char_width(char) == strings.char_width(char), hex(codepoint)


def test_lines_have_blacks_width() -> None:
    for line in ["plain ascii", "em — dash", "日本語のテキスト", "e\u0301 combining", "tab\tand\x07bell", ""]:
        assert widths.str_width(line) == strings.str_width(line), line
