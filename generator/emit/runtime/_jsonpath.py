"""JSON-like data read safely: typed views of objects and arrays, and JSONPath.

Part of the run-time helpers (``_runtime`` re-exports all of it); no dependency on
naftiko-gen or on a web framework.
"""

from __future__ import annotations

import re
from typing import Any, TypeGuard

_TOKEN = re.compile(
    r"\.\.|\.([^.\[\]]+)|\[\s*\*\s*\]|\.\*|\[\s*(-?\d+)\s*\]|\[\s*'([^']*)'\s*\]|\[\s*\"([^\"]*)\"\s*\]"
)


def _is_dict(value: object) -> TypeGuard[dict[str, Any]]:
    return isinstance(value, dict)


def _is_list(value: object) -> TypeGuard[list[Any]]:
    return isinstance(value, list)


def as_dict(value: object) -> dict[str, Any] | None:
    """``value`` when it is a JSON object (a dict), else None."""
    return value if _is_dict(value) else None


def as_list(value: object) -> list[Any] | None:
    """``value`` when it is a JSON array (a list), else None."""
    return value if _is_list(value) else None


def _children(node: Any) -> list[Any]:
    mapping = as_dict(node)
    if mapping is not None:
        return list(mapping.values())
    return list(as_list(node) or [])


def _descendants(node: Any) -> list[Any]:
    found = [node]
    for child in _children(node):
        found.extend(_descendants(child))
    return found


def json_path(document: Any, path: str | None) -> Any:
    """Evaluate a JSONPath (``$``, ``.a``, ``['a']``, ``[0]``, ``[*]``, ``..a``); None
    if absent."""
    if path is None:
        return None
    path = path.strip()
    if path in ("$", "$.", ""):
        return document
    if not path.startswith("$"):
        path = "$." + path
    nodes: list[Any] = [document]
    multi = False
    pos = 1
    recursive = False
    while pos < len(path):
        match = _TOKEN.match(path, pos)
        if match is None:
            return None
        pos = match.end()
        token = match.group(0)
        if token == "..":
            recursive, multi = True, True
            continue
        if recursive:
            nodes = [d for n in nodes for d in _descendants(n)]
            recursive = False
        if token in (".*",) or token.replace(" ", "") == "[*]":
            nodes, multi = [c for n in nodes for c in _children(n)], True
        elif match.group(2) is not None:
            index = int(match.group(2))
            lists = [found for found in map(as_list, nodes) if found is not None]
            nodes = [n[index] for n in lists if -len(n) <= index < len(n)]
        else:
            key = next(
                g
                for g in (match.group(1), match.group(3), match.group(4))
                if g is not None
            )
            dicts = [found for found in map(as_dict, nodes) if found is not None]
            nodes = [n[key] for n in dicts if key in n]
    if multi:
        return nodes
    return nodes[0] if nodes else None
