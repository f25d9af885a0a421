"""Binary bodies of consumed operations (`outputRawFormat: binary`): the size cap and the
media type the generated client applies, as the engine does (docs/support.md)."""

from __future__ import annotations

import re
from typing import Any

from ..read.semantics import text

DEFAULT_MAX_BINARY = 10 * 1024**2
"""The engine's default cap on a binary answer: 10 MiB."""

_SIZE = re.compile(r"^(\d+(?:\.\d+)?)(B|KiB|MiB|GiB)$")

_UNITS = {"B": 1, "KiB": 1024, "MiB": 1024**2, "GiB": 1024**3}


def size_in_bytes(value: Any) -> int | None:
    """``'512KiB'`` as 524288; None for anything that is not such a size."""
    found = _SIZE.match(text(value) or "")
    return int(float(found.group(1)) * _UNITS[found.group(2)]) if found else None


def binary_limits(operation: dict[str, Any]) -> tuple[int | None, str | None]:
    """(cap in bytes, declared media type) for one consumed operation; no cap unless binary."""
    media = text(operation.get("outputMediaType"))
    if (text(operation.get("outputRawFormat")) or "").lower() != "binary":
        return None, media
    return size_in_bytes(operation.get("maxBinarySize")) or DEFAULT_MAX_BINARY, media
