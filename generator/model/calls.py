"""`call` + `with` on an exposed operation, tool or step: the consumed operation it reaches,
the arguments it passes, and the exposed inputs those imply."""

from __future__ import annotations

from typing import Any

from ..read.semantics import DocPath, as_dict, text
from . import exposes, ir
from .context import LOCATIONS, BuildContext, Inputs, prose, json_type_of, parse_with, required_flag, template_vars


def build_call(
    owner: dict[str, Any],
    where: DocPath,
    inputs: Inputs,
    exposed_path_vars: set[str],
    namespaces: set[str],
    for_mcp: bool,
    ctx: BuildContext,
    resource: dict[str, Any] | None = None,
) -> ir.CallPlan | None:
    """Resolve `call` + `with` into a CallPlan, implying the exposed inputs it needs."""
    if "call" not in owner:
        return None
    call_text = text(owner.get("call"))
    resolution = ctx.index.resolve(owner.get("call"), owner, resource)
    if resolution.target is None:
        return ir.CallPlan(None, None, (), problem=resolution.problem, target=call_text)
    operation = ctx.operations.get(resolution.target.doc_path)
    consumer = ctx.consumers.get(resolution.target.namespace)
    if operation is None or consumer is None:
        return ir.CallPlan(None, None, (), problem=f"call {call_text!r} cannot be generated", target=call_text)
    with_map = as_dict(owner.get("with"))
    by_wire = {p.wire_name: p for p in operation.arguments}
    arguments: list[tuple[str, ir.ArgSource]] = []

    def imply(name: str, param: ir.ClientParam | None) -> ir.ExposedInput:
        location = param.location if param is not None else "query"
        if for_mcp:
            location = location if location in ("path", "query", "header", "cookie", "body") else "query"
        elif location == "path" and name not in exposed_path_vars:
            location = "query"
        elif location not in ("path", "query", "header", "cookie", "body"):
            location = "query"
        json_type = param.json_type if param is not None else "string"
        required = param.required if param is not None else False
        return inputs.add(
            name,
            location,
            json_type,
            required,
            param.description if param is not None else None,
            implied=True,
            whole_body=location == "body",
        )

    for key, value in with_map.items():
        param = by_wire.get(key)
        kind, payload = parse_with(value, namespaces)
        if kind == "input":
            exposed = imply(str(payload), param)
            source = ir.ArgSource("input", input=exposed.py_name, loose=_loose(exposed, param))
        elif kind == "env":
            source = ir.ArgSource("env", value=str(payload))
        elif kind == "template":
            for var in template_vars(payload):
                if var not in ctx.bind_vars and not var.startswith("env."):
                    imply(var, None)
            source = ir.ArgSource("template", value=payload)
        else:
            source = ir.ArgSource("literal", value=payload)
        if param is None:
            warn_unfed(key, call_text, by_wire, where, ctx)
            continue
        arguments.append((param.py_name, source))
    fed = {name for name, _ in arguments}
    for param in operation.arguments:
        if param.py_name in fed:
            continue
        exposed = inputs.items.get(param.wire_name) or imply(param.wire_name, param)
        source = ir.ArgSource("input", input=exposed.py_name, loose=_loose(exposed, param))
        arguments.append((param.py_name, source))
    return ir.CallPlan(consumer.attr_name, operation.py_name, tuple(arguments), target=call_text)


def _loose(exposed: ir.ExposedInput, param: ir.ClientParam | None) -> bool:
    """True when the exposed input's type is not the client argument's (a path input is
    text, the consumed one an integer): the value is passed on as it came, typed Any."""
    if param is None:
        return False
    return exposed.py_type.removesuffix(" | None") != param.py_type.removesuffix(" | None")


def declared_inputs(raws: list[Any], inputs: Inputs, *, for_mcp: bool) -> None:
    for raw in raws:
        raw = as_dict(raw)
        wire = text(raw.get("name"))
        if wire is None:
            continue
        location = text(raw.get("in")) or ("query" if for_mcp else "body")
        if location not in LOCATIONS or location == "environment":
            location = "query"
        value = raw.get("value")
        if not for_mcp and value is not None and not (isinstance(value, str) and value.startswith("$")):
            continue  # a constant on the exposed side is not a parameter (semantics §5.2)
        json_type = json_type_of(raw.get("type"))
        pattern = text(raw.get("pattern"))
        inputs.add(
            wire,
            location,
            json_type,
            _declared_required(raw.get("required"), location, for_mcp),
            prose(raw.get("description")),
            implied=False,
            pattern=pattern if json_type == "string" and exposes.valid_pattern(pattern) else None,
        )


def _declared_required(value: Any, location: str, for_mcp: bool) -> bool:
    """MCP tool inputs: the schema's default (required unless ``required: false``, semantics
    §1.3). REST inputs: as the engine validates them, only path parameters and inputs that
    say ``required: true`` (docs/engine-differences.md)."""
    if for_mcp:
        return required_flag(value, True)
    return location == "path" or value is True


def warn_unfed(key: Any, call_text: str, by_wire: dict[str, ir.ClientParam], where: DocPath, ctx: "BuildContext") -> None:
    """NG206: a `with` key that names no input of the called operation."""
    ctx.out.warning(
        "NG206",
        f"with key {key!r} feeds no input of {call_text!r}",
        where + ("with", key),
        "inputs of the operation: " + (", ".join(by_wire) or "none"),
        at_key=True,
    )
