"""Stage 1b+2: what the dialect and schema stages find in a loaded spec.

A large spec alone in a run may have this found ahead, in a forked child that reads the
file itself, while this process goes on to build the model (see pipeline.analyse): the
schema is the one stage whose answer the build does not need, only its verdict.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import forked
from . import dialect, limits, loader
from .diagnostics import Diagnostic

AHEAD_BYTES = 256 * 1024
"""How large a spec file must be before its validation is worth a child of its own
(about 8 ms of validation; the fork costs a fraction of that)."""


def validated(spec: loader.LoadedSpec, schema: bool = True) -> tuple[loader.LoadedSpec, list[Diagnostic], bool]:
    """The spec as the schema sees it, what the dialect and schema stages found, and
    whether it is in the Ikanos syntax (then its old list forms are maps already).
    ``schema=False``: the same spec and syntax, nothing checked (the findings are empty)."""
    syntax = dialect.detect(spec.data)
    if not syntax.ikanos:
        if not schema:
            return spec, [], False
        from . import validate

        return spec, validate.validate(spec), False
    out = spec.collector()
    spec = dialect.normalize(spec, out)
    if not schema:
        return spec, [], True
    from .validate_ikanos import validate_ikanos

    return spec, sorted(out.items + validate_ikanos(spec, syntax), key=Diagnostic.sort_key), True


def ahead(path: Path, shown: str) -> forked.Pending[list[Diagnostic] | None] | None:
    """``validated``'s findings for the spec at ``path``, worked out in a forked child
    when the file is large enough; None when it is not (or no child could start).
    The child answers None when the spec stops before validation (it does not load, or
    it is a key/value file, or too large): this process finds that itself."""
    try:
        if os.stat(path).st_size < AHEAD_BYTES:
            return None
    except OSError:
        return None
    return forked.start(lambda: _findings(path, shown))


def _findings(path: Path, shown: str) -> list[Diagnostic] | None:
    spec = checked_load(path, shown)[0]
    return None if spec is None else validated(spec)[1]


KEY_VALUE_FILE = "a key/value data file, not a spec (such as a file a binds 'location' names)"


def checked_load(path: Path, shown: str) -> tuple[loader.LoadedSpec | None, list[Diagnostic], str | None]:
    """Stage 1: the spec at ``path``, ready for ``validated``. None instead when it does
    not load or is too large (with the diagnostics that say so), or when it is a
    key/value data file (with why nothing is generated for it)."""
    try:
        spec = loader.load(path, shown)
    except loader.LoadError as exc:
        return None, exc.diagnostics, None
    if dialect.is_key_value_file(spec.data):
        return None, [], KEY_VALUE_FILE
    too_big = spec.collector()
    limits.check(spec.data, too_big)
    if too_big.items:
        return None, too_big.items, None
    return spec, [], None
