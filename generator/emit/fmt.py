"""Stage 6: black, in-process, with one fixed mode (never read from the working dir), run
only where the rendered code might not be in black's style already.

Templates are written in black's style and layout.py splits what a spec makes long the
way black would, so most files need nothing. Where a line is in doubt (layout.needs_black),
only the innermost statement holding it goes through black (a signature, one assignment,
one call). Tests hold the result to black's own output for the whole file.
"""

from __future__ import annotations

import ast
import functools
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from . import layout, parts
from .parts import span, stand_ins

if TYPE_CHECKING:
    import black


def mode(line_length: int | None = None) -> black.Mode:
    """Black's mode for the output: fixed but for the line length (layout's by default)."""
    return _mode(layout.LINE_LENGTH if line_length is None else line_length)


def black_mode() -> black.Mode:
    """Black's mode at the line length of the run under way."""
    return mode()


@functools.cache
def _mode(line_length: int) -> black.Mode:
    """One fixed mode per line length (black is imported on first use: it is slow to
    import, and most runs never need it)."""
    import black

    return black.Mode(
        target_versions={black.TargetVersion.PY311},
        line_length=line_length,
        string_normalization=True,
        magic_trailing_comma=True,
    )


def __getattr__(name: str) -> Any:
    """``fmt.MODE``: the mode of default output (``--line-length`` unset), built when
    first asked for."""
    if name == "MODE":
        return _mode(layout.DEFAULT_LINE_LENGTH)
    raise AttributeError(name)


class FormatError(Exception):
    """Black could not parse rendered code: a generator bug, not a user error."""

    def __init__(self, path: PurePosixPath, detail: str, source: str) -> None:
        super().__init__(f"{path}: generated code does not parse: {detail}")
        self.path = path
        self.source = source


_CACHE: dict[tuple[int, str], str] = {}
_CACHE_LIMIT = 256
_SMALL = 1 << 16
_small_needs_black = functools.lru_cache(maxsize=64)(layout.needs_black)
"""``needs_black`` of a small file, kept: every package has the same run-time modules."""


def format_source(path: PurePosixPath, source: str) -> str:
    """One Python file in black's style: as rendered, but for each statement with a line
    in doubt, which goes through black."""
    if layout.LINE_LENGTH != layout.DEFAULT_LINE_LENGTH:
        return black_source(path, source)  # the templates' own text is laid out for 88
    if not (_small_needs_black(source) if len(source) <= _SMALL else layout.needs_black(source)):
        return source
    lines = source.split("\n")
    formatted = parts.formatted_block(_Parts(path, lines), 0, len(lines), 0)
    if formatted is None:  # a part that does not parse alone: the file in one piece
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            raise FormatError(path, str(exc), source) from None
        end = span(tree.body[-1])[1] if tree.body else 0
        formatted = _formatted_body(path, lines, tree.body, 0, 0) + lines[end:]
    return "\n".join(formatted)


class _Parts:
    """What ``parts.formatted_block`` needs of this module for one file."""

    def __init__(self, path: PurePosixPath, lines: list[str]) -> None:
        self.path, self.lines = path, lines

    def body(self, nodes: list[ast.stmt], start: int, depth: int) -> list[str]:
        return _formatted_body(self.path, self.lines, nodes, start, depth)

    def header(self, chunk: list[str], depth: int) -> list[str]:
        return _black_header(self.path, chunk, depth)


_COMPOUND = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _formatted_body(path: PurePosixPath, lines: list[str], body: list[ast.stmt], start: int, depth: int) -> list[str]:
    """``lines[start:]`` up to the end of ``body``, each statement in doubt replaced by
    black's lines for it; blank lines and comments between statements kept as they are."""
    result: list[str] = []
    done = start
    for node in body:
        first, last = span(node)
        result += lines[done:first]
        chunk = lines[first:last]
        if layout.needs_black("\n".join(chunk)):
            chunk = _black_statement(path, lines, node, depth)
        result += chunk
        done = last
    return result


def _black_statement(path: PurePosixPath, lines: list[str], node: ast.stmt, depth: int) -> list[str]:
    """Black's lines for one statement at ``depth``. A class or function is done in parts,
    its header (decorators, signature) and each statement of its body on its own, so one
    long line costs black the statement holding it, not the whole module."""
    first, last = span(node)
    if isinstance(node, _COMPOUND) and node.body:
        body_start = span(node.body[0])[0]
        header = lines[first:body_start]
        if layout.needs_black("\n".join(header)):
            header = _black_header(path, header, depth)
        return header + _formatted_body(path, lines, node.body, body_start, depth + 1)
    return _black_at_depth(path, lines[first:last], depth)


def _black_header(path: PurePosixPath, header: list[str], depth: int) -> list[str]:
    """Black's lines for a class's or function's header (decorators, signature), formatted
    with a stand-in body."""
    return _black_at_depth(path, [*header, "    " * (depth + 1) + "pass"], depth)[:-1]


def _black_at_depth(path: PurePosixPath, chunk: list[str], depth: int) -> list[str]:
    """Black's lines for one statement indented ``depth`` levels: formatted inside as many
    stand-in ``class _:`` lines, which are then dropped (black lays a statement out the
    same whatever surrounds it; only the blank lines around it differ, and are not kept)."""
    formatted = black_source(path, "\n".join(stand_ins(depth) + chunk) + "\n").split("\n")[depth:-1]
    while formatted and not formatted[0]:
        formatted.pop(0)
    return formatted


def black_source(path: PurePosixPath, source: str) -> str:
    """One Python file through black."""
    key = (layout.LINE_LENGTH, source)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    import black

    try:
        formatted = black.format_str(source, mode=mode())
    except black.InvalidInput as exc:
        raise FormatError(path, str(exc), source) from None
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[key] = formatted
    return formatted


def format_files(files: dict[PurePosixPath, str]) -> dict[PurePosixPath, str]:
    """Format every .py file; other files pass through."""
    return {
        path: format_source(path, text) if path.suffix == ".py" else text
        for path, text in files.items()
    }
