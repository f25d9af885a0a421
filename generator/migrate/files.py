"""Migrate files: read, convert, and write the result atomically (or only report it)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .convert import Outcome, migrate_text
from .ops import Problem


@dataclass
class FileOutcome:
    """One file's outcome; ``changed`` when it was (or, with check, would be) rewritten."""

    path: Path
    outcome: Outcome

    @property
    def changed(self) -> bool:
        return self.outcome.status == "migrated"


def _read(path: Path) -> str | Problem:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Problem("NG001", f"cannot read file: {exc.strerror or exc}", 1, 1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return Problem("NG001", "cannot read file: not UTF-8 text", 1, 1, "save the spec as UTF-8")


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step, keeping its permissions (and a symlink)."""
    path = path.resolve()
    mode = path.stat().st_mode & 0o7777
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def migrate_file(path: Path, check: bool) -> FileOutcome:
    """Migrate one file in place (``check``: only find out whether it would change)."""
    text = _read(path)
    if isinstance(text, Problem):
        return FileOutcome(path, Outcome("refused", problems=[text]))
    result = FileOutcome(path, migrate_text(text))
    if result.changed and not check:
        assert result.outcome.text is not None
        write_atomically(path, result.outcome.text)
    return result
