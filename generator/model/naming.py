"""Python names made from spec names: sanitized, never a keyword, never colliding.

Wire names (what goes on HTTP or MCP) are never changed; only the Python
identifiers derived from them are. Every rename is deterministic.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import re
import unicodedata

_RESERVED = (
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | set(dir(builtins))
    | {"self", "cls", "scope", "request", "response", "http", "client", "clients", "router", "server", "app", "json", "os", "re"}
)

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_IDENT = re.compile(r"[^0-9a-zA-Z]+")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def words(text: str) -> list[str]:
    """Split a name into lower-case words at punctuation and case changes."""
    return list(_words(str(text)))


@functools.lru_cache(maxsize=1 << 14)
def _words(text: str) -> tuple[str, ...]:
    spaced = _WORD_BOUNDARY.sub("_", _ascii(text))
    return tuple(w.lower() for w in _NON_IDENT.split(spaced) if w)


MAX_NAME = 64
"""The longest Python name made from spec names (before a ``_2`` of ``NameTable``): with
it, the longest line a route's or tool's name goes in (``_OUTPUTS_<NAME>: list[``) fits
black's 88 columns. Longer names are cut at a word (spec generators write names of 100
characters); wire names are never cut."""

MAX_METHOD = 48
"""The longest name of a client method, whose longest line is
``        lambda: _client.<name>_response(),``."""


def _joined(parts: list[str], separator: str, limit: int | None) -> str:
    """``parts`` joined, without the words past ``limit`` characters (a first word that
    alone is longer is cut)."""
    name = separator.join(parts)
    if limit is None or len(name) <= limit:
        return name
    kept = parts[0][:limit]
    for part in parts[1:]:
        if len(kept) + len(separator) + len(part) > limit:
            break
        kept += separator + part
    return kept


def snake(text: str, *, fallback: str = "value", limit: int | None = MAX_NAME) -> str:
    """A snake_case identifier: never empty, never starting with a digit, never reserved,
    at most ``limit`` characters (and one more for those two rules)."""
    return _snake(str(text), fallback, limit)


@functools.lru_cache(maxsize=1 << 14)
def _snake(text: str, fallback: str, limit: int | None) -> str:
    name = _joined(list(_words(text)), "_", limit) or fallback
    if name[0].isdigit():
        name = f"n{name}" if fallback == "value" else f"{fallback}_{name}"
    if name in _RESERVED:
        name = f"{name}_"
    return name


def package_name(stem: str) -> str:
    """The package (folder) name for a spec file stem: snake_case, a valid identifier."""
    name = "_".join(words(stem)) or "capability"
    if name[0].isdigit():
        name = f"capability_{name}"
    if keyword.iskeyword(name) or name in {"mcp", "fastapi", "httpx", "pydantic", "uvicorn", "generator"}:
        name = f"{name}_capability"
    return name


def pascal(text: str, *, fallback: str = "Item") -> str:
    """A PascalCase class name (at most ``MAX_NAME`` characters, a few more for the rules)."""
    name = _joined([w[:1].upper() + w[1:] for w in words(text)], "", MAX_NAME) or fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    if name in _RESERVED:
        name = f"{name}_"
    return name


def env_var(text: str) -> str:
    """An UPPER_SNAKE environment variable name."""
    name = "_".join(words(text)).upper() or "NAFTIKO"
    if name[0].isdigit():
        name = f"N{name}"
    return name


class NameTable:
    """Hands out unique names within one scope, suffixing later duplicates _2, _3..."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self._taken: set[str] = set(taken or ())
        self.renamed: list[tuple[str, str]] = []

    def claim(self, wanted: str) -> str:
        """Return ``wanted`` or the first free ``wanted_N``; record renames."""
        if wanted not in self._taken:
            self._taken.add(wanted)
            return wanted
        n = 2
        while f"{wanted}_{n}" in self._taken:
            n += 1
        unique = f"{wanted}_{n}"
        self._taken.add(unique)
        self.renamed.append((wanted, unique))
        return unique

    def __contains__(self, name: str) -> bool:
        return name in self._taken
