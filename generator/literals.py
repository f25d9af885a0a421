"""Safe Python source for values from a spec: literals, docstrings and comments.

These are the only Jinja filters. Each one produces text that Python reads
back as exactly the value it came from, so no spec string can become code.
"""

from __future__ import annotations

import math
from typing import Any


def py_literal(value: Any) -> str:
    """A Python expression that evaluates to ``value`` (JSON-like data only)."""
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
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, dict):
        items = ", ".join(f"{py_literal(str(k))}: {py_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(py_literal(v) for v in value)
        return "[" + inner + "]"
    if hasattr(value, "plain"):
        return py_literal(value.plain())
    return py_str(str(value))


def py_str(value: Any) -> str:
    """A string literal. Surrogates and other non-encodable text are escaped."""
    text = str(value)
    literal = repr(text)
    try:
        literal.encode("utf-8")
    except UnicodeEncodeError:
        literal = ascii(text)
    return literal


def docstring(value: Any, indent: str = "") -> str:
    """A triple-quoted docstring holding ``value`` exactly, or a plain literal if it cannot."""
    text = " ".join(str(value).split()) if value is not None else ""
    if not text:
        return '""""""'
    safe = all(ch.isprintable() for ch in text) and "\\" not in text and '"""' not in text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        safe = False
    if safe and not text.endswith('"') and not text.startswith('"'):
        return f'"""{text}"""'
    return py_str(text)


def comment(value: Any) -> str:
    """Text safe to put after ``#``: one line, printable, no surrogates."""
    text = " ".join(str(value).split())
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text.encode("utf-8", "replace").decode("utf-8")


def doc_text(value: Any) -> str:
    """Text for inside a docstring the template opens and closes: one line, printable,
    with backslashes and double quotes escaped, so it can neither close the string nor
    start an escape sequence."""
    return comment(value).replace("\\", "\\\\").replace('"', '\\"')


FILTERS = {"py": py_literal, "py_str": py_str, "docstring": docstring, "comment": comment, "doc_text": doc_text}
