"""Compiled templates kept between runs: Jinja's bytecode cache, in the user's cache folder.

Compiling the templates takes a single-spec run about a tenth of its time; with the
cache, a later run (of any naftiko-gen process of this Python and Jinja) loads them.
Jinja checks each entry against its template's source, so an edited template is simply
compiled again. The folder is ``$XDG_CACHE_HOME/naftiko-gen/templates`` (by default
``~/.cache/naftiko-gen/templates``); ``NAFTIKO_GEN_CACHE=off`` turns it off. Nothing
in it affects the output, and a folder that cannot be made or written is no error.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2


class _QuietCache(jinja2.FileSystemBytecodeCache):
    """A bytecode cache that skips, rather than fails, what the disk refuses."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def cache_folder() -> Path | None:
    """Where compiled templates are kept, or None when the cache is off or cannot be made."""
    if os.environ.get("NAFTIKO_GEN_CACHE", "").lower() in ("off", "0", "no"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "naftiko-gen" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK | os.X_OK) else None


def bytecode_cache() -> jinja2.BytecodeCache | None:
    folder = cache_folder()
    return _QuietCache(str(folder)) if folder is not None else None
