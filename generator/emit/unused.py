"""Imports a rendered module does not use, left out.

Templates import everything any spec may need; what one spec's module does not use
would be an unused import to every linter. After rendering, each name imported at the
top of a module that the code below never mentions is dropped (and an import line
left with no name, and any blank line that leaves doubled). A name counts as used
when it appears as an identifier outside comments and plain string literals (an
f-string counts as code), or in ``__all__``: a name is never dropped while some code
may read it.
"""

from __future__ import annotations

import re

_NAMES = r"[\w.]+(?: as \w+)?(?:, [\w.]+(?: as \w+)?)*"
_IMPORT = re.compile(rf"(from [\w.]+ import |import )({_NAMES})")
_QUOTES = '"""'
_BINDING = re.compile(r"([\w.]+)(?: as (\w+))?")
_TOKENS = re.compile(
    r"""(?P<s>(?:[rRbBuU]{0,2})(?:\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''"""
    r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'))|#[^\n]*|(?P<n>[^\W\d]\w*)"""
)


def _used_names(code: str) -> set[str]:
    return {match.group("n") for match in _TOKENS.finditer(code) if match.group("n")}


def prune(source: str) -> str:
    """``source`` without the top-level imports its code never uses."""
    lines = source.split("\n")
    imports: list[int] = []
    end = 0
    in_string = False  # inside the module docstring (its text may read like an import)
    for number, line in enumerate(lines):
        if in_string or line.startswith(_QUOTES):
            in_string = in_string != (line.count(_QUOTES) % 2 == 1)
            continue
        if _IMPORT.fullmatch(line):
            imports.append(number)
            end = number + 1
        elif line.startswith(("def ", "class ", "async def ", "@")) or (
            line and not line.startswith(("#", " ")) and "=" in line
        ):
            break
    if not imports:
        return source
    body = "\n".join(lines[end:])
    used = _used_names(body)
    if "__all__" in body:  # a re-export names what it exports in strings
        used |= set(re.findall(r"[\"'](\w+)[\"']", body[body.index("__all__") :]))
    kept: list[str] = []
    for number, line in enumerate(lines[:end]):
        if number in imports:
            line = _kept_import(line, used)
            if line is None:
                continue
        if not line and kept and not kept[-1]:
            continue  # a blank line next to one already kept
        kept.append(line)
    while kept and not kept[-1] and end < len(lines) and not lines[end]:
        kept.pop()  # the blank lines after the imports follow anyway
    return "\n".join(kept + lines[end:])


def _kept_import(line: str, used: set[str]) -> str | None:
    """The import line with only the names in ``used``; None when none is left."""
    match = _IMPORT.fullmatch(line)
    assert match is not None
    head, names = match.group(1), match.group(2)
    if head == "from __future__ import ":
        return line
    bindings = [_BINDING.fullmatch(part.strip()) for part in names.split(",")]
    kept: list[str] = []
    for binding in bindings:
        assert binding is not None
        name, alias = binding.group(1), binding.group(2)
        bound = alias or (name if head != "import " else name.split(".")[0])
        if bound in used or alias == name:  # ``X as X``: an explicit re-export
            kept.append(binding.group(0))
    if not kept:
        return None
    return head + ", ".join(kept)
