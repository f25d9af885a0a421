"""JSONPath as the specs use it: ``$``, ``.a``, ``['a']``, ``[0]``, ``[*]``, ``..a``.

This module has no dependency on naftiko-gen or on a web framework.
"""

from __future__ import annotations

import re
from typing import Any

_TOKEN = re.compile(
    r"\.\.|\.([^.\[\]]+)|\[\s*\*\s*\]|\.\*|\[\s*(-?\d+)\s*\]|\[\s*'([^']*)'\s*\]|\[\s*\"([^\"]*)\"\s*\]"
)


def _children(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return list(node.values())
    if isinstance(node, list):
        return list(node)
    return []


def _descendants(node: Any) -> list[Any]:
    found = [node]
    for child in _children(node):
        found.extend(_descendants(child))
    return found


def json_path(document: Any, path: str | None) -> Any:
    """Evaluate a JSONPath (``$``, ``.a``, ``['a']``, ``[0]``, ``[*]``, ``..a``); None if absent."""
    if path is None:
        return None
    path = path.strip()
    if path in ("$", "$.", ""):
        return document
    if not path.startswith("$"):
        path = "$." + path
    nodes = [document]
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
            nodes = [n[index] for n in nodes if isinstance(n, list) and -len(n) <= index < len(n)]
        else:
            key = next(g for g in (match.group(1), match.group(3), match.group(4)) if g is not None)
            nodes = [n[key] for n in nodes if isinstance(n, dict) and key in n]
    if multi:
        return nodes
    return nodes[0] if nodes else None
