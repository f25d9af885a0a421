"""Readable names for places in a spec ("consumed operation", "MCP tool", ...) and short
descriptions of values and types, for diagnostic messages."""

from __future__ import annotations

import json
from typing import Any

from .codes import DocPath

_FIELDS: dict[tuple[str, str], str] = {
    ("document", "info"): "info",
    ("document", "binds"): "binding",
    ("document", "consumes"): "consumes entry",
    ("document", "capability"): "capability",
    ("info", "stakeholders"): "stakeholder",
    ("binding", "keys"): "binding keys",
    ("capability", "binds"): "binding",
    ("capability", "exposes"): "exposes entry",
    ("capability", "consumes"): "consumes entry",
    ("capability", "aggregates"): "aggregate",
    ("consumes entry", "resources"): "consumed resource",
    ("consumes entry", "inputParameters"): "consumed input parameter",
    ("consumes entry", "authentication"): "authentication",
    ("consumes entry", "auth"): "authentication",
    ("consumed resource", "operations"): "consumed operation",
    ("consumed resource", "inputParameters"): "consumed input parameter",
    ("consumed operation", "inputParameters"): "consumed input parameter",
    ("consumed operation", "outputParameters"): "consumed output parameter",
    ("consumed operation", "body"): "request body",
    ("request body", "data"): "multipart part",
    ("REST exposes", "resources"): "REST resource",
    ("REST exposes", "authentication"): "authentication",
    ("REST resource", "operations"): "REST operation",
    ("REST resource", "inputParameters"): "REST input parameter",
    ("REST resource", "forward"): "forward",
    ("REST operation", "inputParameters"): "REST input parameter",
    ("REST operation", "outputParameters"): "REST output parameter",
    ("MCP exposes", "tools"): "MCP tool",
    ("MCP exposes", "resources"): "MCP resource",
    ("MCP exposes", "prompts"): "MCP prompt",
    ("MCP exposes", "authentication"): "authentication",
    ("MCP tool", "inputParameters"): "MCP tool input parameter",
    ("MCP tool", "outputParameters"): "MCP tool output parameter",
    ("MCP tool", "hints"): "MCP tool hints",
    ("MCP resource", "outputParameters"): "MCP resource output parameter",
    ("MCP prompt", "arguments"): "MCP prompt argument",
    ("MCP prompt", "template"): "MCP prompt message",
    ("document", "exposes"): "exposes entry",
    ("document", "aggregates"): "aggregate",
    ("aggregate", "functions"): "aggregate function",
    ("aggregate", "flows"): "aggregate flow",
    ("aggregate flow", "inputParameters"): "flow input parameter",
    ("aggregate flow", "outputParameters"): "flow output parameter",
    ("aggregate flow", "semantics"): "flow semantics",
    ("consumes entry", "tunnel"): "tunnel",
    ("REST operation", "responses"): "REST responses",
    ("REST operation", "responseBinary"): "REST binary response",
    ("aggregate function", "inputParameters"): "function input parameter",
    ("aggregate function", "outputParameters"): "function output parameter",
    ("aggregate function", "semantics"): "function semantics",
    ("skill exposes", "skills"): "skill",
    ("skill exposes", "authentication"): "authentication",
    ("skill", "tools"): "skill tool",
    ("control exposes", "management"): "control management",
    ("control exposes", "observability"): "control observability",
    ("control exposes", "authentication"): "authentication",
}


_STEP_OWNERS = ("REST operation", "MCP tool", "MCP resource", "aggregate function", "aggregate flow")

_NAMED_FIELDS = frozenset({"resources", "operations", "tools", "prompts", "skills", "steps", "inputParameters",
                           "outputParameters", "arguments", "flows", "functions"})
"""Fields that the Ikanos syntax writes as a map keyed by name: the next path segment is a name."""


_EXPOSES_KINDS = {"rest": "REST exposes", "mcp": "MCP exposes", "skill": "skill exposes", "control": "control exposes"}


def _child_kind(kind: str, name: str) -> str | None:
    if (kind, name) in _FIELDS:
        return _FIELDS[(kind, name)]
    if kind.endswith("output parameter") and name in ("properties", "items"):
        return kind
    if kind in _STEP_OWNERS and name == "steps":
        return "step"
    if kind in _STEP_OWNERS and name == "mappings":
        return "step mapping"
    if name == "with":
        return "'with' mapping"
    return None


def kind_of(path: DocPath, data: Any) -> str:
    kind = "document"
    node = data
    skip_next = False
    for position, segment in enumerate(path):
        node = _step(node, segment)
        if skip_next or isinstance(segment, int):
            skip_next = False
            if kind == "exposes entry":
                kind = _exposes_kind(node)
            continue
        child = _child_kind(kind, segment)
        if child is None:
            return f"{segment!r} value" if position == len(path) - 1 else "value"
        skip_next = (child.endswith("output parameter") and segment == "properties") or (
            segment in _NAMED_FIELDS and isinstance(node, dict))
        kind = child
        if kind == "authentication" and isinstance(node, dict) and isinstance(node.get("type"), str):
            kind = f"{short(node['type'], 20).strip(chr(39))} authentication"
    return kind


def shape_key(path: DocPath, data: Any) -> tuple[Any, ...]:
    """Paths that name the same kind of place share this key (list indexes do not matter)."""
    extra: tuple[Any, ...] = ()
    if len(path) >= 3 and path[:2] == ("capability", "exposes"):
        extra = (_exposes_kind(value_at(data, path[:3])),)
    if "authentication" in path or "auth" in path:
        return path  # the authentication type is part of the name; these are few
    return extra + tuple("#" if isinstance(s, int) else s for s in path)


def _exposes_kind(node: Any) -> str:
    kind = node.get("type") if isinstance(node, dict) else None
    return _EXPOSES_KINDS.get(kind, "exposes entry") if isinstance(kind, str) else "exposes entry"


def _step(node: Any, segment: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(segment)
    if isinstance(node, list) and isinstance(segment, int) and 0 <= segment < len(node):
        return node[segment]
    return None


def value_at(data: Any, path: DocPath) -> Any:
    node = data
    for segment in path:
        node = _step(node, segment)
    return node


def describe_value(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    for kind, words in ((bool, "a boolean"), (int, "an integer"), (float, "a number"), (str, "a string"),
                        (list, "a list"), (dict, "a mapping")):
        if isinstance(value, kind):
            return words
    return type(value).__name__


_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


def describe_types(types: Any) -> str:
    names = types if isinstance(types, list) else [types]
    if {"string", "number", "boolean"} <= set(names):
        return "a scalar (text, number or boolean)"
    return " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in names)


def short(value: Any, limit: int = 48) -> str:
    """A value for a message: quoted, and cut when long."""
    text = repr(value) if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."
