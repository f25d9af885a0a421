"""Size limits: a spec too big to generate in bounded time and memory is refused up front.

The generated modules, and the memory that holds them until the swap, grow with the
operations and tools of a spec: about 17 MB and 0.8 s per 1,000 of them, above 80 MB. The
largest real spec we know has about 250; MAX_OPERATIONS keeps a run under 400 MB.
"""

from __future__ import annotations

from typing import Any

from .diagnostics import Collector

MAX_OPERATIONS = 12_000


def _items(value: Any, key: str) -> list[Any]:
    """The entries under ``key``: a list, or the values of a map keyed by name (Ikanos)."""
    found = value.get(key) if isinstance(value, dict) else None
    if isinstance(found, dict):
        return list(found.values())
    return found if isinstance(found, list) else []


def operation_count(data: Any) -> int:
    """Consumed operations, REST operations and MCP tools of one loaded spec."""
    capability = data.get("capability") if isinstance(data, dict) else None
    count = 0
    for entry in _items(capability, "consumes") + _items(capability, "exposes"):
        count += len(_items(entry, "tools"))
        count += sum(len(_items(resource, "operations")) for resource in _items(entry, "resources"))
    return count


def check(data: Any, out: Collector) -> None:
    """NG007 when the spec has more operations and tools than naftiko-gen generates."""
    count = operation_count(data)
    if count > MAX_OPERATIONS:
        out.error(
            "NG007",
            f"spec has {count} operations and tools; naftiko-gen generates at most {MAX_OPERATIONS} per spec",
            ("capability",),
            "split the capability into several specs (shared consumes can be imported)",
        )
