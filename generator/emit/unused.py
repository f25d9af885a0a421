"""Imports a rendered module does not use, left out.

Templates import everything any spec may need; what one spec's module does not use
would be an unused import to every linter. After rendering, each name imported at the
top of a module that the code below never mentions is dropped (and an import line
left with no name, and any blank line that leaves doubled). A name counts as used
when it appears as an identifier outside comments and string literals (the text of an
f-string does not count; its ``f`` does), or in ``__all__``: a name is never dropped
while some code may read it.

A large module is megabytes of text, so the body is never tokenized in Python: one
regular-expression pass (in C) blanks its strings and comments, and each imported
name is then looked up in what is left.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

_NAMES = r"[\w.]+(?: as \w+)?(?:, [\w.]+(?: as \w+)?)*"
_IMPORT = re.compile(rf"(from [\w.]+ import |import )({_NAMES})")
_QUOTES = '"""'
_BINDING = re.compile(r"([\w.]+)(?: as (\w+))?")
# A string literal. Each body is written as "a run of plain characters, then escapes or
# lone quotes each followed by such a run", and the forms opening with the same quote
# share one branch (the triple-quoted form tried first): the engine matches that fast.
_STRING = (
    r'"(?:""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""|[^"\\\n]*(?:\\.[^"\\\n]*)*")'
    r"|'(?:''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''|[^'\\\n]*(?:\\.[^'\\\n]*)*')"
)
_NOT_CODE = re.compile(_STRING + r"|#[^\n]*")  # (not grouped: the engine then skips to a quote or #)
_PREFIX = re.compile(r"[rRbBuU]{1,2}")
"""Names that may be a string's prefix: left in front of the blanked string, so looked
up by tokenizing (see ``_token_in``)."""
_TOKENS = re.compile(rf"(?P<s>[rRbBuU]{{0,2}}(?:{_STRING}))|#[^\n]*|(?P<n>[^\W\d]\w*)")
_WORD_CHAR = re.compile(r"\w")


def prune(source: str) -> str:
    """``source`` without the top-level imports its code never uses."""
    lines: list[str] = []
    imports: list[int] = []
    end = 0  # lines of the import section
    in_string = False  # inside the module docstring (its text may read like an import)
    start = 0
    while start <= len(source):
        stop = source.find("\n", start)
        line = source[start:] if stop < 0 else source[start:stop]
        start = len(source) + 1 if stop < 0 else stop + 1
        lines.append(line)
        if in_string or line.startswith(_QUOTES):
            in_string = in_string != (line.count(_QUOTES) % 2 == 1)
            continue
        if _IMPORT.fullmatch(line):
            imports.append(len(lines) - 1)
            end = len(lines)
        elif line.startswith(("def ", "class ", "async def ", "@")) or (
            line and not line.startswith(("#", " ")) and "=" in line
        ):
            break
    if not imports:
        return source
    offset = sum(len(line) + 1 for line in lines[:end])
    body = source[offset:]
    code = _NOT_CODE.sub(" ", body)
    exported: set[str] = set()
    if "__all__" in body:  # a re-export names what it exports in strings
        exported = set(re.findall(r"[\"'](\w+)[\"']", body[body.index("__all__") :]))
    kept: list[str] = []
    for number, line in enumerate(lines[:end]):
        if number in imports:
            pruned = _kept_import(line, lambda name: name in exported or _used(name, code, body))
            if pruned is None:
                continue
            line = pruned
        if not line and kept and not kept[-1]:
            continue  # a blank line next to one already kept
        kept.append(line)
    after = lines[end] if end < len(lines) else None
    while kept and not kept[-1] and after == "":
        kept.pop()  # the blank lines after the imports follow anyway
    return "\n".join([*kept, body] if offset <= len(source) else kept)


def _used(name: str, code: str, body: str) -> bool:
    """True when ``name`` is an identifier of ``body``; ``code`` is ``body`` with its
    strings and comments blanked."""
    if _PREFIX.fullmatch(name):
        return _token_in(name, body)
    for match in _name_pattern(name).finditer(code):
        begin = match.start()
        while begin and code[begin - 1].isdecimal():
            begin -= 1  # digits before a name are not part of it (``1e`` is not ``e``)
        if not begin or not _WORD_CHAR.match(code[begin - 1]):
            return True
    return False


@functools.lru_cache(maxsize=1024)
def _name_pattern(name: str) -> re.Pattern[str]:
    """``name`` not followed by a word character (the same few names, in every module)."""
    return re.compile(re.escape(name) + r"(?!\w)")


def _token_in(name: str, body: str) -> bool:
    """``name`` is one of ``body``'s identifiers, found token by token (where the name
    could be a string prefix, as ``r`` or ``b``)."""
    return any(match.group("n") == name for match in _TOKENS.finditer(body))


def _kept_import(line: str, used: Callable[[str], bool]) -> str | None:
    """The import line with only the names ``used`` accepts; None when none is left."""
    head, bindings = _bindings(line)
    if head == "from __future__ import ":
        return line
    kept = [text for text, bound, exported in bindings if exported or used(bound)]
    if not kept:
        return None
    return head + ", ".join(kept)


@functools.lru_cache(maxsize=1024)
def _bindings(line: str) -> tuple[str, tuple[tuple[str, str, bool], ...]]:
    """An import line's head, and each name's text, the name it binds and whether it is
    an explicit re-export (``X as X``); every module of a template has the same lines."""
    match = _IMPORT.fullmatch(line)
    assert match is not None
    head, names = match.group(1), match.group(2)
    bindings: list[tuple[str, str, bool]] = []
    for part in names.split(","):
        binding = _BINDING.fullmatch(part.strip())
        assert binding is not None
        name, alias = binding.group(1), binding.group(2)
        bound = alias or (name if head != "import " else name.split(".")[0])
        bindings.append((binding.group(0), bound, alias == name))
    return head, tuple(bindings)
