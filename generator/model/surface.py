"""The API surface of a capability, and what changed between two versions of it.

The surface is what callers of the generated adapters rely on: MCP tools and REST
routes, their inputs (wire name, type, required) and the shape of their output.
``compare`` lists additions, removals, renames and changes, each marked breaking
or not. A rename is a removal and an addition with the same inputs, output and
call target.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import ir


@dataclass(frozen=True)
class Input:
    name: str
    type: str
    required: bool


@dataclass(frozen=True)
class Endpoint:
    """One MCP tool or REST route."""

    kind: str  # "tool" | "route"
    name: str  # the tool name, or "METHOD /path"
    inputs: tuple[Input, ...]
    output: Any  # a JSON-like shape: "string", {"object": {...}}, ["array", shape]
    target: str | None
    where: str  # file:line:col

    def signature(self) -> tuple[Any, ...]:
        return (self.kind, self.inputs, repr(self.output), self.target)


@dataclass(frozen=True)
class Change:
    capability: str
    endpoint: str
    message: str
    breaking: bool
    where: str

    def format_text(self) -> str:
        mark = "breaking" if self.breaking else "compatible"
        return f"{self.where}: {mark}: {self.capability}: {self.endpoint}: {self.message}"


def _shape(param: ir.OutputParam) -> Any:
    if param.type == "object" and param.properties:
        return {"object": {p.name or "": _shape(p) for p in param.properties}}
    if param.type == "array" and param.items is not None:
        return ["array", _shape(param.items)]
    return param.type


def output_shape(outputs: tuple[ir.OutputParam, ...]) -> Any:
    """The shape of a result: one unnamed output is itself, named ones make an object."""
    if len(outputs) == 1 and not outputs[0].name:
        return _shape(outputs[0])
    if not outputs:
        return "any"
    return {"object": {p.name or "": _shape(p) for p in outputs}}


def _inputs(inputs: tuple[ir.ExposedInput, ...]) -> tuple[Input, ...]:
    return tuple(sorted(Input(i.wire_name, i.json_type, i.required) for i in inputs))


def _where(origin: ir.Origin) -> str:
    return f"{origin.file}:{origin.line}:{origin.col}"


def endpoints(capability: ir.Capability) -> dict[str, Endpoint]:
    """Every tool and route of a capability, by a key unique within it."""
    found: dict[str, Endpoint] = {}
    for server in capability.mcp_servers:
        for tool in server.tools:
            target = tool.call.target if tool.call else None
            found[f"tool {tool.name}"] = Endpoint("tool", tool.name, _inputs(tool.inputs), output_shape(tool.outputs), target, _where(tool.origin))
    for rest in capability.rest_servers:
        for route in rest.routes:
            name = f"{route.method} {route.raw_path}"
            target = route.call.target if route.call else None
            found[f"route {name}"] = Endpoint("route", name, _inputs(route.inputs), output_shape(route.outputs), target, _where(route.origin))
    return found


def _shape_changes(old: Any, new: Any, at: str = "result") -> list[tuple[str, bool]]:
    """Differences between two output shapes: (message, breaking)."""
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[tuple[str, bool]] = []
        for key in sorted(old["object"].keys() - new["object"].keys()):
            changes.append((f"output field {at}.{key} removed", True))
        for key in sorted(new["object"].keys() - old["object"].keys()):
            changes.append((f"output field {at}.{key} added", False))
        for key in sorted(old["object"].keys() & new["object"].keys()):
            changes += _shape_changes(old["object"][key], new["object"][key], f"{at}.{key}")
        return changes
    if isinstance(old, list) and isinstance(new, list):
        return _shape_changes(old[1], new[1], f"{at}[]")
    if old != new:
        return [(f"output {at} changed from {_describe(old)} to {_describe(new)}", True)]
    return []


def _describe(shape: Any) -> str:
    if isinstance(shape, dict):
        return "object"
    if isinstance(shape, list):
        return f"array of {_describe(shape[1])}"
    return str(shape)


def _endpoint_changes(old: Endpoint, new: Endpoint) -> list[tuple[str, bool]]:
    changes: list[tuple[str, bool]] = []
    before = {i.name: i for i in old.inputs}
    after = {i.name: i for i in new.inputs}
    for name in sorted(before.keys() - after.keys()):
        changes.append((f"input {name!r} removed", True))
    for name in sorted(after.keys() - before.keys()):
        if after[name].required:
            changes.append((f"new required input {name!r}", True))
        else:
            changes.append((f"optional input {name!r} added", False))
    for name in sorted(before.keys() & after.keys()):
        was, now = before[name], after[name]
        if now.required and not was.required:
            changes.append((f"input {name!r} is now required", True))
        elif was.required and not now.required:
            changes.append((f"input {name!r} is now optional", False))
        if was.type != now.type:
            changes.append((f"input {name!r} changed type from {was.type} to {now.type}", True))
    changes += _shape_changes(old.output, new.output)
    return changes


def compare(package: str, old: dict[str, Endpoint], new: dict[str, Endpoint]) -> list[Change]:
    """Every change from ``old`` to ``new`` endpoints of one capability."""
    changes: list[Change] = []
    removed = {key: old[key] for key in sorted(old.keys() - new.keys())}
    added = {key: new[key] for key in sorted(new.keys() - old.keys())}
    for key, gone in list(removed.items()):
        twin = next((k for k, e in added.items() if e.signature() == gone.signature()), None)
        if twin is not None:
            now = added.pop(twin)
            del removed[key]
            changes.append(Change(package, f"{gone.kind} {gone.name!r}", f"renamed to {now.name!r}", True, now.where))
    for gone in removed.values():
        changes.append(Change(package, f"{gone.kind} {gone.name!r}", "removed", True, gone.where))
    for now in added.values():
        changes.append(Change(package, f"{now.kind} {now.name!r}", "added", False, now.where))
    for key in sorted(old.keys() & new.keys()):
        for message, breaking in _endpoint_changes(old[key], new[key]):
            changes.append(Change(package, f"{new[key].kind} {new[key].name!r}", message, breaking, new[key].where))
    return changes
