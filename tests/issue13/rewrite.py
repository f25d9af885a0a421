"""Test helper: an alpha2 document rewritten into the Ikanos syntax, as data (the reverse
of the dialect stage, written independently of it: lists of named entries become maps,
'label' 'display', 'functions' 'flows', 'targetName' 'target', 'location' 'from').

``rewrite`` returns None for a document that cannot be keyed by name (two entries of one
name in a list), which no faithful rewrite can express."""

from __future__ import annotations

from typing import Any

_PARAMS = ("param", "named")
_OWNER = {"inputParameters": _PARAMS, "steps": ("step", "named"), "mappings": ("mapping", "list"),
          "outputParameters": ("output", "outputs")}
_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "root": {"info": ("info", "one"), "capability": ("capability", "one"), "consumes": ("consumes", "list"),
             "binds": ("bind", "list")},
    "capability": {"consumes": ("consumes", "list"), "exposes": ("exposes", "list"),
                   "aggregates": ("aggregate", "list"), "binds": ("bind", "list")},
    "consumes": {"inputParameters": _PARAMS, "resources": ("c-resource", "named")},
    "c-resource": {"inputParameters": _PARAMS, "operations": ("c-op", "named")},
    "c-op": {"inputParameters": _PARAMS, "outputParameters": _PARAMS},
    "rest": {"resources": ("r-resource", "named")},
    "r-resource": {"inputParameters": _PARAMS, "operations": ("owner", "named")},
    "mcp": {"tools": ("owner", "named"), "resources": ("owner", "named"), "prompts": ("prompt", "named")},
    "skill": {"skills": ("skill-entry", "named")},
    "skill-entry": {"tools": ("param", "named")},
    "prompt": {"arguments": _PARAMS},
    "aggregate": {"functions": ("owner", "named")},
    "owner": _OWNER,
    "output": {"items": ("output", "items")},
}


class _Unkeyable(Exception):
    pass


def rewrite(data: Any, version: str = "1.0.0-beta5") -> Any | None:
    """``data`` (an alpha2 document) in the Ikanos syntax, or None when it cannot be."""
    if not isinstance(data, dict):
        return None
    try:
        body = _entity("root", {k: v for k, v in data.items() if k != "naftiko"})
    except _Unkeyable:
        return None
    return {"ikanos": version, **body}


def _kind(kind: str, node: dict[str, Any]) -> str:
    if kind in ("consumes", "exposes", "aggregate", "bind") and "import" in node:
        return "import"
    if kind == "exposes":
        return node.get("type") if node.get("type") in ("rest", "mcp", "skill") else "other"
    return kind


def _entity(kind: str, node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    exact = _kind(kind, node)
    fields = _FIELDS.get(exact, {})
    result: dict[str, Any] = {}
    for key, value in node.items():
        new_key = _rename(exact, key)
        if key in fields:
            value = _field(exact, key, *fields[key], value)
        elif exact == "output" and key == "properties" and isinstance(value, dict):
            value = {k: _entity("output", v) for k, v in value.items()}
        result[new_key] = value
    return result


def _rename(kind: str, key: str) -> str:
    if key == "label":
        return "display"
    return {"mapping": {"targetName": "target"}, "aggregate": {"functions": "flows"},
            "import": {"location": "from"}}.get(kind, {}).get(key, key)


def _field(owner: str, key: str, kind: str, layout: str, value: Any) -> Any:
    if layout == "one":
        return _entity(kind, value)
    if layout == "list":
        return [_entity(kind, v) for v in value] if isinstance(value, list) else value
    if not isinstance(value, list):
        return value
    if layout == "outputs" and (owner != "owner" or not _all_named(value) or any("mapping" in v for v in value)):
        return value  # mapped outputs: the same in both syntaxes
    if layout == "items" and not _all_named(value):
        return value
    if not _all_named(value):
        return [_entity(kind, v) for v in value]  # no name to key by: the list form stays
    names = [v["name"] for v in value]
    if len(set(names)) != len(names):
        raise _Unkeyable(key)
    return {v["name"]: _entity(kind, {k: x for k, x in v.items() if k != "name"}) for v in value}


def _all_named(value: list[Any]) -> bool:
    return bool(value) and all(isinstance(v, dict) and isinstance(v.get("name"), str) for v in value)
