"""Safe Python source for values from a spec: literals, docstrings and comments.

These are the only Jinja filters. Each one produces text that Python reads
back as exactly the value it came from, so no spec string can become code.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from typing import Any

from ..model.ir import FrozenDict
from .layout import Node, Value, flat, register
from .quotes import preferred


_SHORT = 40
"""Literals up to this length never decide a line's layout on their own: left as text."""


def py_literal(value: Any) -> str:
    """A Python expression that evaluates to ``value`` (JSON-like data only), on one line."""
    return flat(py_node(value))


def py_laid_out(value: Any) -> str:
    """The ``py`` filter: scalars as text, a non-empty dict or list as a placeholder that
    layout.expand lays out the way black would."""
    node = _string_literal(value) if type(value) is str else py_node(value)  # (a string: most often)
    if isinstance(node, Node) or len(node) > _SHORT:
        return register(node)  # (no literal holds a placeholder: nothing to resolve)
    return node


def py_node(value: Any) -> Value:
    """``value`` as a layout value: literal text, or a node for a non-empty dict or list."""
    if isinstance(value, str):
        return _string_literal(str(value))
    if isinstance(value, dict):
        if not value:
            return "{}"
        if isinstance(value, FrozenDict):
            return _shared_node(value, lambda: _dict_node(value))
        return _dict_node(value)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return Node("", "[", "]", tuple([("", py_node(v), "") for v in value]), data=True)
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value):
            return 'float("nan")'  # the one value with no literal form
        if math.isinf(value):
            return "1e999" if value > 0 else "-1e999"  # literals that overflow to +/-inf
        return repr(value)
    if hasattr(value, "plain"):
        return _shared_node(value, lambda: py_node(value.plain()))
    return py_str(str(value))


def _dict_node(value: dict[Any, Any]) -> Node:
    return Node("", "{", "}", tuple([(py_str(str(k)) + ": ", py_node(v), "") for k, v in value.items()]), data=True)


_SHARED_NODES: dict[int, tuple[Any, Value]] = {}
"""``py_node`` of the model objects (immutable, and read-only dicts) of the capability
being rendered, by identity: the model shares the output rules and input schemas many
operations have alike, and each is rendered into more than one file."""


def _shared_node(value: Any, make: Callable[[], Value]) -> Value:
    known = _SHARED_NODES.get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    node = make()
    _SHARED_NODES[id(value)] = (value, node)  # (holding ``value``: its id stays its own)
    return node


def forget() -> None:
    """Start a capability: drop what ``py_node`` kept of the last one."""
    _SHARED_NODES.clear()


_CONFUSABLE = {"\u2018": "\\u2018", "\u2019": "\\u2019"}
"""Characters linters flag as look-alikes of ASCII (ruff RUF001-RUF003), written as escapes:
the same text, nothing for a reader to mistake."""
_CONFUSABLE_RE = re.compile("[\u2018\u2019]")


def _escape_confusables(literal: str) -> str:
    return _CONFUSABLE_RE.sub(lambda m: _CONFUSABLE[m.group(0)], literal)


def py_str(value: Any) -> str:
    """A string literal. Surrogates and other non-encodable text are escaped."""
    return _string_literal(str(value))


@functools.lru_cache(maxsize=1 << 16)
def _string_literal(text: str) -> str:
    """``py_str`` of one text (a spec repeats its keys and names thousands of times)."""
    literal = repr(text)
    try:
        literal.encode("utf-8")
    except UnicodeEncodeError:
        literal = ascii(text)
    return preferred(_escape_confusables(literal))


def docstring(value: Any, indent: str = "") -> str:
    """A triple-quoted docstring holding ``value`` exactly, or a plain literal if it cannot."""
    return _docstring("" if value is None else str(value))


@functools.lru_cache(maxsize=1 << 12)
def _docstring(value: str) -> str:
    """``docstring`` of one text (an async method and its sync twin have the same one)."""
    text = " ".join(value.split())
    if not text:
        return '""""""'
    safe = text.isprintable() and "\\" not in text and '"""' not in text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        safe = False
    if safe and not text.endswith('"') and not text.startswith('"'):
        return f'"""{_escape_confusables(text)}"""'
    return _quote_free(py_str(text))


_ANY_QUOTE = re.compile(r"""\\.|["']""")
_HEX_QUOTES = {'"': "\\x22", "\\\"": "\\x22", "'": "\\x27", "\\'": "\\x27"}


def _quote_free(literal: str) -> str:
    """The same string with every quote written as a hex escape, in double quotes.

    Black rewrites a docstring that starts or ends with its own quote character (it adds
    a space); with no quote character inside, there is nothing for it to change.
    """
    body = _ANY_QUOTE.sub(lambda m: _HEX_QUOTES.get(m.group(0), m.group(0)), literal[1:-1])
    return '"' + body + '"'


def comment(value: Any) -> str:
    """Text safe to put after ``#``: one line, printable, no surrogates."""
    text = " ".join(str(value).split())
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text.encode("utf-8", "replace").decode("utf-8")


def cell(value: Any) -> str:
    """Text for a Markdown table cell: a ``comment``, its bars escaped (nothing: empty)."""
    return comment(value or "").replace("|", "\\|")


def doc_text(value: Any) -> str:
    """Text for inside a docstring the template opens and closes: one line, printable,
    with backslashes and double quotes escaped, so it can neither close the string nor
    start an escape sequence."""
    escaped = comment(value).replace("\\", "\\\\").replace('"', '\\"')
    return _escape_confusables(escaped)


FILTERS = {"py": py_laid_out, "py_str": py_str, "docstring": docstring, "comment": comment, "doc_text": doc_text, "cell": cell}
