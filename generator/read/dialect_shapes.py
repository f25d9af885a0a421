"""Where the Ikanos syntax (``ikanos: 1.0.0-alpha3`` .. ``1.0.0-beta5``) keeps its
named collections: which keys hold a map keyed by name, what kind of entity each
value is, and what each kind renamed since Naftiko 1.0.0-alpha2.

Both dialect walks (``dialect_lists``: old list forms into maps; ``dialect_convert``:
maps into the internal alpha2 shape) read these tables, so they agree on the shape.
"""

from __future__ import annotations

from typing import Any

ONE = "one"  # a single entity
LIST = "list"  # a list of entities, in both syntaxes
NAMED = "named"  # a map keyed by name (the alpha2 list of entries with 'name')
OUTPUTS = "outputs"  # outputParameters of a step owner: a mapped list, or a named map
ITEMS = "items"  # items of an orchestrated output: a named map; of a mapped one: one entity

_PARAMS = ("param", NAMED)

_OWNER = {
    "inputParameters": _PARAMS,
    "steps": ("step", NAMED),
    "mappings": ("mapping", LIST),
    "outputParameters": ("output", OUTPUTS),
}
"""A REST operation, MCP tool, MCP resource or aggregate flow: something that calls or orchestrates."""

FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "root": {
        "info": ("info", ONE),
        "capability": ("capability", ONE),
        "consumes": ("consumes", LIST),
        "exposes": ("exposes", LIST),
        "aggregates": ("aggregate", LIST),
        "binds": ("bind", LIST),
    },
    "capability": {
        "consumes": ("consumes", LIST),
        "exposes": ("exposes", LIST),
        "aggregates": ("aggregate", LIST),
        "binds": ("bind", LIST),
    },
    "consumes": {"inputParameters": _PARAMS, "resources": ("consumed resource", NAMED)},
    "consumed resource": {"inputParameters": _PARAMS, "operations": ("consumed operation", NAMED)},
    "consumed operation": {"inputParameters": _PARAMS, "outputParameters": _PARAMS},
    "rest": {"resources": ("rest resource", NAMED)},
    "rest resource": {"inputParameters": _PARAMS, "operations": ("owner", NAMED)},
    "mcp": {
        "tools": ("owner", NAMED),
        "resources": ("owner", NAMED),
        "prompts": ("prompt", NAMED),
    },
    "skill": {"skills": ("skill entry", NAMED)},
    "skill entry": {"tools": ("param", NAMED)},
    "prompt": {"arguments": _PARAMS},
    "aggregate": {"flows": ("owner", NAMED), "functions": ("owner", NAMED)},
    "owner": _OWNER,
    "output": {"properties": ("output", ONE), "items": ("output", ITEMS)},
}
"""kind -> {key: (kind of the value, how the value is laid out)}. For 'output', 'properties'
is a map of outputs under their own names in both syntaxes (handled by the walkers)."""

RENAMES: dict[str, dict[str, str]] = {
    "mapping": {"target": "targetName"},
    "aggregate": {"flows": "functions"},
    "import": {"from": "location"},
}
"""kind -> {Ikanos key: alpha2 key}; 'display' becomes 'label' everywhere besides."""


def kind_of_entry(kind: str, node: Any) -> str:
    """The precise kind of one entry: exposes entries by type, imports, steps kept as is."""
    if not isinstance(node, dict):
        return kind
    if kind in ("consumes", "exposes", "aggregate", "bind") and "import" in node:
        return "import"
    if kind == "exposes":
        exposed = node.get("type")
        return exposed if exposed in ("rest", "mcp", "skill") else "exposes other"
    return kind
