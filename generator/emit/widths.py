"""Display width of a line as black counts it (wide East Asian characters count two,
control characters none), without importing black: black's own width table is read
from its installed ``_width_table.py`` (importing black takes longer than most runs)."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path


@functools.cache
def width_table() -> tuple[tuple[int, int, int], ...]:
    """black's (first code point, last code point, width) ranges."""
    spec = importlib.util.find_spec("black")  # finds the package without importing it
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        source = Path(folder) / "_width_table.py"
        if source.is_file():
            names: dict[str, object] = {}
            exec(compile(source.read_text(encoding="utf-8"), str(source), "exec"), names)  # noqa: S102
            return tuple(names["WIDTH_TABLE"])  # type: ignore[arg-type]
    from black._width_table import WIDTH_TABLE  # a build without the source file

    return tuple(WIDTH_TABLE)


def char_width(char: str) -> int:
    """One character's width: black's binary search over its table."""
    table = width_table()
    codepoint = ord(char)
    lowest, highest = 0, len(table) - 1
    while lowest <= highest:
        middle = (lowest + highest) // 2
        start, end, width = table[middle]
        if codepoint < start:
            highest = middle - 1
        elif codepoint > end:
            lowest = middle + 1
        else:
            return 0 if width < 0 else width
    return 1


def str_width(text: str) -> int:
    """Columns ``text`` takes, as black's ``str_width`` counts them."""
    if text.isascii():
        return len(text)
    return sum(map(char_width, text))
