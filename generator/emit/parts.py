"""A module in doubt, parsed part by part (for fmt.py).

Parsing a large module into Python objects takes longer than all else fmt.py does,
and black is needed for a few statements of it at most. So a module is cut into parts
by its text: each runs from a line that looks like the start of a statement at the
block's indent (a name or a decorator there, outside a triple-quoted string) to the
next. A part with no line in doubt is kept as it is, unparsed. A class or function
with a one-line header is cut again in its body; any other part in doubt is parsed
alone (under stand-in ``class _:`` lines for its indent) and goes through fmt.py's
statement by statement formatting. A part that does not parse alone (it was not a
whole statement after all) gives up: fmt.py then parses the whole module, as it
would without this.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from typing import Protocol

from . import layout

_QUOTES = '"""'
_CLAUSE = re.compile(r"(?:else|elif|except|finally)\b")
"""A clause at a statement's indent: the statement goes on."""
_ENDINGS = frozenset(")]}\"'_")


class Formatter(Protocol):
    """What fmt.py does with the parts in doubt, for one file."""

    lines: list[str]

    def body(self, nodes: list[ast.stmt], start: int, depth: int) -> list[str]:
        """``lines[start:]`` up to the end of ``nodes``, each statement in doubt formatted."""

    def header(self, chunk: list[str], depth: int) -> list[str]:
        """A compound statement's header lines, formatted."""


@cache
def _starts_at(depth: int) -> re.Pattern[str]:
    """A line that may start a statement at ``depth``: a name or a decorator at its indent."""
    return re.compile(rf"^ {{{4 * depth}}}[A-Za-z_@]", re.MULTILINE)


@cache
def _compound_at(depth: int) -> re.Pattern[str]:
    """A class or function header on one line at ``depth`` (no bracket left open)."""
    return re.compile(rf" {{{4 * depth}}}(?:class|def|async def) [^()]*(?:\([^()]*\)[^()]*)?:")


def stand_ins(depth: int) -> list[str]:
    """``class _:`` lines nesting ``depth`` levels: a statement of that indent parses (and
    black lays it out) inside them as in its module."""
    return ["    " * level + "class _:" for level in range(depth)]


def span(node: ast.stmt) -> tuple[int, int]:
    """A statement's lines as a slice of the file's lines, its decorators included."""
    decorators = getattr(node, "decorator_list", [])
    first = min([node.lineno, *(d.lineno for d in decorators)]) - 1
    return first, node.end_lineno or node.lineno


def formatted_block(formatter: Formatter, first: int, last: int, depth: int) -> list[str] | None:
    """``lines[first:last]`` (whole statements at ``depth``, and the blank lines and
    comments after them), each statement in doubt formatted; None when a part does not
    parse alone."""
    lines = formatter.lines
    starts = _part_starts(lines, first, last, depth)
    result: list[str] = []
    for start, end in zip(starts, [*starts[1:], last]):
        chunk = lines[start:end]
        if not layout.needs_black("\n".join(chunk)):
            result += chunk
            continue
        formatted = _formatted_part(formatter, start, end, depth)
        if formatted is None:
            return None
        result += formatted
    return result


def _part_starts(lines: list[str], first: int, last: int, depth: int) -> list[int]:
    """Where the parts of ``lines[first:last]`` begin: a decorated definition is one
    part, and a clause (``else:``...) goes with its statement."""
    text = "\n".join(lines[first:last])
    indent = 4 * depth
    starts = [first]
    number, offset = first, 0
    decorated = in_string = False
    for match in _starts_at(depth).finditer(text):
        at = match.start()
        number += text.count("\n", offset, at)
        in_string = in_string != (text.count(_QUOTES, offset, at) % 2 == 1)
        offset = at
        if in_string or number == first or _CLAUSE.match(text, at + indent) or not _ended(lines, number):
            continue
        if not decorated:
            starts.append(number)
        decorated = text.startswith("@", at + indent)
    return starts


def _ended(lines: list[str], number: int) -> bool:
    """True when the code line before ``lines[number]`` may end a statement: it ends in a
    name, a number, a closing bracket or a quote (a line inside brackets at a statement's
    indent mostly follows an opening bracket, a comma or an operator)."""
    for line in reversed(lines[max(number - 8, 0) : number]):
        code = line.strip()
        if code and not code.startswith("#"):
            return code[-1] in _ENDINGS or code[-1].isalnum()
    return False  # (blank lines and comments only, as far as looked: no part then)


def _formatted_part(formatter: Formatter, start: int, end: int, depth: int) -> list[str] | None:
    """One part in doubt, formatted; None when it does not parse alone."""
    lines = formatter.lines
    body = start + 1
    opening = lines[start]
    compound = opening.endswith(":") and _compound_at(depth).fullmatch(opening) is not None
    if compound and body < end and _opens_block(lines[body], depth + 1):
        header = lines[start:body]
        if layout.needs_black(header[0]):
            header = formatter.header(header, depth)
        inside = formatted_block(formatter, body, end, depth + 1)
        return None if inside is None else header + inside
    if start and lines[start - 1].endswith("\\"):
        return None  # the line before goes on into this one
    try:  # (the blank lines put the part's statements on their own line numbers)
        tree = ast.parse("\n" * (start - depth) + "\n".join([*stand_ins(depth), *lines[start:end]]))
    except SyntaxError:
        return None
    nodes = tree.body
    for _ in range(depth):
        nodes = nodes[0].body if len(nodes) == 1 and isinstance(nodes[0], ast.ClassDef) else []
    if not nodes:
        return None
    return formatter.body(nodes, start, depth) + lines[span(nodes[-1])[1] : end]


def _opens_block(line: str, depth: int) -> bool:
    """True when ``line`` is code at ``depth``'s indent: the first statement of a body."""
    indent = 4 * depth
    return line.startswith(" " * indent) and line[indent : indent + 1] not in ("", " ", "#")
