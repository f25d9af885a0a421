"""The run cache folder: machine-specific state kept out of the vendored output.

``.naftiko-gen-cache/`` in the working directory (or ``$NAFTIKO_GEN_CACHE_DIR``), made
on first use with a ``.gitignore`` of ``*``, as ruff and mypy do with theirs, so it is
never committed. Removing it at any time is safe: the next run is a full one.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV = "NAFTIKO_GEN_CACHE_DIR"
DEFAULT = ".naftiko-gen-cache"


def folder() -> Path:
    """The cache folder (not made here)."""
    return Path(os.environ.get(ENV) or DEFAULT)


def ensure() -> Path:
    """The cache folder, made (with its .gitignore) when missing."""
    where = folder()
    ignore = where / ".gitignore"
    if not ignore.is_file():
        where.mkdir(parents=True, exist_ok=True)
        ignore.write_text("# Made by naftiko-gen: a run cache, never to be committed.\n*\n")
    return where
