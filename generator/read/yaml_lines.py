"""The line-level syntax of the block-style YAML reader: where keys end, quoted and plain
scalars, one-line flow scalars. Each function reads a piece of one line (or, for quoted
scalars, of a few joined lines) or raises GiveUp when the text leaves what ``blockyaml``
reads exactly as PyYAML does.
"""

from __future__ import annotations

import re
from typing import Any

from .yaml_scalars import key_text, plain_value


PLAIN_KEYS: dict[str, str] = {}
"""The text before a line's first ``: `` that ``split_entry`` found to be a plain key, with
the key it makes (keys repeat: ``name``, ``type``): the reader's shortcut past it."""


class GiveUp(Exception):
    """The text leaves the supported part of YAML: the PyYAML path reads it."""


class Unclosed(GiveUp):
    """A quoted scalar goes on past the text at hand."""


NO_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
"""Characters that cannot start a plain scalar (``-``, ``?`` and ``:`` can, when a
non-space follows)."""

_DOUBLE_QUOTED_STOP = re.compile(r'["\\]')
_ESCAPES = {
    "0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "\\": "\\", "/": "/", "N": "\x85",
    "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_HEX_WIDTHS = {"x": 2, "u": 4, "U": 8}
_HEX = frozenset("0123456789abcdefABCDEF")
_FLOW_STOP = frozenset(",]}:[{#?")


def plain_starts(text: str) -> bool:
    """Whether ``text`` may begin a plain scalar."""
    first = text[0]
    if first not in NO_PLAIN_START:
        return True
    return first in "-?:" and len(text) > 1 and text[1] != " "


def fold(segment: str) -> str:
    """Quoted text between escapes, its line breaks folded as YAML folds them."""
    if "\n" not in segment:
        return segment
    lines = segment.split("\n")
    parts, breaks = [lines[0].rstrip(" ")], 0
    for middle in lines[1:-1]:
        body = middle.strip(" ")
        if not body:
            breaks += 1
            continue
        parts.append("\n" * breaks if breaks else " ")
        parts.append(body)
        breaks = 0
    parts.append("\n" * breaks if breaks else " ")
    parts.append(lines[-1].lstrip(" "))
    return "".join(parts)


def quoted(text: str, start: int) -> tuple[str, int]:
    """The quoted scalar at ``text[start]`` (a quote) and the index just past its end.

    ``text`` may hold several lines; Unclosed means the scalar goes on past its end."""
    if text[start] == "'":
        parts, at = [], start + 1
        while True:
            close = text.find("'", at)
            if close < 0:
                raise Unclosed
            parts.append(fold(text[at:close]))
            if text.startswith("'", close + 1):
                parts.append("'")
                at = close + 2
                continue
            return "".join(parts), close + 1
    parts, at = [], start + 1
    while True:
        stop = _DOUBLE_QUOTED_STOP.search(text, at)
        if stop is None:
            raise Unclosed
        index = stop.start()
        parts.append(fold(text[at:index]))
        if text[index] == '"':
            return "".join(parts), index + 1
        code = text[index + 1 : index + 2]
        if code in _ESCAPES:
            parts.append(_ESCAPES[code])
            at = index + 2
        elif code in _HEX_WIDTHS:
            digits = text[index + 2 : index + 2 + _HEX_WIDTHS[code]]
            if len(digits) != _HEX_WIDTHS[code] or not _HEX.issuperset(digits):
                raise GiveUp
            value = int(digits, 16)
            if value > 0x10FFFF:
                raise GiveUp
            parts.append(chr(value))
            at = index + 2 + len(digits)
        elif code == "\n":  # an escaped line break: the lines join without a space
            at = index + 2
            while at < len(text) and text[at] in " \n":
                if text[at] == "\n":
                    parts.append("\n")
                at += 1
        elif not code:
            raise Unclosed
        else:
            raise GiveUp  # an escape YAML refuses


def skip_spaces(text: str, at: int) -> int:
    while text.startswith(" ", at):
        at += 1
    return at


def flow_scalar(text: str, at: int) -> tuple[Any, int]:
    """The quoted or plain scalar at ``text[at]`` inside a one-line flow collection, and
    the index just past it."""
    if at >= len(text):
        raise GiveUp
    if text[at] == '"' or text[at] == "'":
        return quoted(text, at)
    end = at
    while end < len(text) and text[end] not in _FLOW_STOP:
        end += 1
    plain = text[at:end].rstrip(" ")
    if not plain or not plain_starts(plain) or end < len(text) and text[end] in "[{#?":
        raise GiveUp
    if end < len(text) and text[end] == ":" and not text.startswith(": ", end):
        raise GiveUp
    return plain_value(plain), at + len(plain)


def rest_is_blank(text: str, at: int) -> bool:
    """Whether nothing but spaces and a comment follows ``text[at:]``."""
    tail = text[at:].lstrip(" ")
    return not tail or tail[0] == "#"


def split_entry(content: str) -> tuple[str, int] | None:
    """A line's ``key:`` part: the key and the index of its colon, or None for no key."""
    colon = content.find(": ")
    if colon < 0 and content.endswith(":"):
        colon = len(content) - 1
    if colon > 0:
        known = PLAIN_KEYS.get(content[:colon])
        if known is not None:
            return known, colon
    first = content[0]
    if first == '"' or first == "'":
        key, end = quoted(content, 0)
        colon = end
        while colon < len(content) and content[colon] == " ":
            colon += 1
        if content.startswith(":", colon) and (colon + 1 == len(content) or content[colon + 1] == " "):
            return key, colon
        return None
    if first == "[" or first == "{":
        return None  # a flow collection (as a key, the PyYAML path reads it)
    colon = content.find(": ")
    if colon < 0:
        if not content.endswith(":"):
            return None
        colon = len(content) - 1
    written = content[:colon]
    raw = written.rstrip(" ")
    if not raw or " #" in raw or len(raw) > 1000 or not plain_starts(raw):
        raise GiveUp
    key = key_text(plain_value(raw))
    if len(PLAIN_KEYS) > 100_000:
        PLAIN_KEYS.clear()
    PLAIN_KEYS[written] = key
    return key, colon


def is_entry(content: str) -> bool:
    """Whether ``content`` (the text after a ``- ``) starts a mapping: ``- name: x``."""
    try:
        return split_entry(content) is not None
    except Unclosed:
        return False  # a quoted scalar over several lines
