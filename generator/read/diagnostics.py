"""Diagnostics: problems found in a spec, collected as values and printed once.

Every diagnostic renders as one line, ``file:line:col: severity[CODE]: message``,
optionally followed by an indented ``hint:`` line.

Code ranges:
    NG0xx  loading (files, YAML syntax, duplicate keys, not a capability)
    NG1xx  schema validation (errors) and the public dialect (warnings)
    NG2xx  semantic checks (call targets, with sources, path parameters, names)
    NG3xx  model building (Python names, collisions, unsupported constructs)
    NG4xx  MCP lint (tool names, descriptions, payload sizes)
    NG5xx  output and CI (drift found by --check, hand-edited files)
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


class Severity(enum.Enum):
    """How bad a diagnostic is. Warnings become errors under ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, located in a file."""

    severity: Severity
    code: str
    message: str
    file: str
    line: int = 1
    col: int = 1
    hint: str | None = None
    json_path: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def promoted(self) -> Diagnostic:
        """The same diagnostic as an error (used by ``--strict``)."""
        return Diagnostic(
            Severity.ERROR,
            self.code,
            self.message,
            self.file,
            self.line,
            self.col,
            self.hint,
            self.json_path,
        )

    def format_text(self) -> str:
        """The text form: one line, plus an indented hint line when there is one."""
        where = f" (at {self.json_path})" if self.json_path else ""
        text = (
            f"{self.file}:{self.line}:{self.col}: "
            f"{self.severity.value}[{self.code}]: {self.message}{where}"
        )
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.col, self.code, self.message)


@lru_cache(maxsize=4096)
def _resolved(folder: str) -> Path:
    return Path(folder).resolve()


def display_path(path: Path) -> str:
    """A path as users want to read it: relative to the working dir when possible.

    Folders are resolved once per run (a large tree shares few folders); the working
    dir is looked up on each call, since callers may change it.
    """
    try:
        resolved = _resolved(str(path.absolute().parent)) / path.name
        return str(resolved.relative_to(_resolved(os.getcwd())))
    except ValueError:
        return str(path)


def json_pointer(path: tuple[str | int, ...]) -> str:
    """A JSON-path-like rendering of a location inside a document: ``$.a.b[0]``."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.replace("_", "").replace("-", "").isalnum():
            out += f".{part}"
        else:
            escaped = part.replace("\\", "\\\\").replace("'", "\\'")
            out += f"['{escaped}']"
    return out


class Collector:
    """Accumulates diagnostics for one file, with its positions for locating them."""

    def __init__(self, file: str, locate: "Locator | None" = None) -> None:
        self.file = file
        self.locate = locate
        self.items: list[Diagnostic] = []

    def add(
        self,
        severity: Severity,
        code: str,
        message: str,
        path: tuple[str | int, ...] = (),
        hint: str | None = None,
        *,
        at_key: bool = False,
    ) -> None:
        line, col = (1, 1)
        shown = path
        if self.locate is not None:
            line, col = self.locate(path, at_key=at_key)
            shown = self.locate.source_path(path)
        self.items.append(
            Diagnostic(
                severity,
                code,
                message,
                self.file,
                line,
                col,
                hint,
                json_pointer(shown) if shown else None,
            )
        )

    def error(self, code: str, message: str, path: tuple[str | int, ...] = (), hint: str | None = None, *, at_key: bool = False) -> None:
        self.add(Severity.ERROR, code, message, path, hint, at_key=at_key)

    def warning(self, code: str, message: str, path: tuple[str | int, ...] = (), hint: str | None = None, *, at_key: bool = False) -> None:
        self.add(Severity.WARNING, code, message, path, hint, at_key=at_key)


class Locator:
    """Protocol-like base: maps a document path to a (line, col) pair."""

    def __call__(self, path: tuple[str | int, ...], *, at_key: bool = False) -> tuple[int, int]:
        raise NotImplementedError

    def source_path(self, path: tuple[str | int, ...]) -> tuple[str | int, ...]:
        """The path as written in the user's file (the same path unless the dialect stage rewrote it)."""
        return path
