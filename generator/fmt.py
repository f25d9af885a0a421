"""Stage 6: black, in-process, with one fixed mode (never read from the working dir)."""

from __future__ import annotations

from pathlib import PurePosixPath

import black

MODE = black.Mode(
    target_versions={black.TargetVersion.PY311},
    line_length=100,
    string_normalization=True,
    magic_trailing_comma=True,
)


class FormatError(Exception):
    """Black could not parse rendered code: a generator bug, not a user error."""

    def __init__(self, path: PurePosixPath, detail: str, source: str) -> None:
        super().__init__(f"{path}: generated code does not parse: {detail}")
        self.path = path
        self.source = source


_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 256


def format_source(path: PurePosixPath, source: str) -> str:
    """Format one Python file. Identical sources (the run-time modules) are formatted once."""
    cached = _CACHE.get(source)
    if cached is not None:
        return cached
    try:
        formatted = black.format_str(source, mode=MODE)
    except black.InvalidInput as exc:
        raise FormatError(path, str(exc), source) from None
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[source] = formatted
    return formatted


def format_files(files: dict[PurePosixPath, str]) -> dict[PurePosixPath, str]:
    """Format every .py file; other files pass through."""
    return {
        path: format_source(path, text) if path.suffix == ".py" else text
        for path, text in files.items()
    }
