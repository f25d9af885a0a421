"""fmt.py parses only the parts of a module in doubt (generator/emit/parts.py)."""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

import black
import pytest

from generator.emit import fmt, parts

PATH = PurePosixPath("m.py")
LONG = "x" * 100

MODULE = f'''"""Module."""

from typing import Any


class Client:
    """A client."""

    def short(self) -> int:
        return 1

    def long(self) -> dict[str, Any]:
        return {{"key": "{LONG}", "other": [1, 2, 3]}}

    # a comment between methods


def build() -> None:
    def inner() -> None:
        print("{LONG}", "second argument")

    inner()


@decorator
def plain() -> None:
    pass
'''


def _parsed_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of non-blank lines of each text ``ast.parse`` is given from now on."""
    sizes: list[int] = []
    real = ast.parse

    def recording(source: str, *args: object, **kwargs: object) -> ast.Module:
        sizes.append(sum(1 for line in source.split("\n") if line.strip()))
        return real(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ast, "parse", recording)
    return sizes


def test_only_the_statements_in_doubt_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = _parsed_sizes(monkeypatch)
    formatted = fmt.format_source(PATH, MODULE)
    assert formatted == black.format_str(MODULE, mode=fmt.MODE)
    # the long method (under one stand-in class line) and the inner function (under one)
    assert sizes == [1 + 2 + 1, 1 + 2]


def test_a_part_that_does_not_parse_alone_falls_back_to_the_whole_module(monkeypatch: pytest.MonkeyPatch) -> None:
    # a line at a statement's indent inside brackets, after a name: it looks like a start
    source = f'VALUE = call("{LONG}", a\nif b else c)\n'
    sizes = _parsed_sizes(monkeypatch)
    assert fmt.format_source(PATH, source) == black.format_str(source, mode=fmt.MODE)
    assert sizes == [1, 2]  # the part, then the module


def test_a_line_after_an_open_bracket_or_a_comma_starts_no_part(monkeypatch: pytest.MonkeyPatch) -> None:
    source = f'VALUE = call(\nf("{LONG}", 1),\nother\n)\n'  # (``f(...),`` alone is a tuple)
    sizes = _parsed_sizes(monkeypatch)
    assert fmt.format_source(PATH, source) == black.format_str(source, mode=fmt.MODE)
    assert sizes == [4]


def test_docstring_lines_that_look_like_statements_start_no_part() -> None:
    lines = ['def f() -> None:', '    """Text', '    word on a line', '    """', '    return None']
    assert parts._part_starts(lines, 1, len(lines), 1) == [1, 4]


def test_clauses_and_decorated_definitions_stay_with_their_statement() -> None:
    lines = ["try:", "    x = 1", "except ValueError:", "    pass", "@a", "@b", "def f():", "    pass", "elsewhere = 1"]
    assert parts._part_starts(lines, 0, len(lines), 0) == [0, 4, 8]


def test_a_module_that_does_not_parse_is_still_a_format_error() -> None:
    source = f'x = call("{LONG}", ]\n'
    with pytest.raises(fmt.FormatError):
        fmt.format_source(PATH, source)
