"""Orchestration in the model: `steps` + `mappings`, aggregate functions and `ref`.

Every orchestrated route or tool, and every aggregate function, becomes one
``Orchestration`` (one async function in the generated ``orchestration.py``).
Routes and tools point at it with a ``RunPlan``, so a function referenced by a
REST operation and an MCP tool is generated once and serves both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import ir
from .calls import declared_inputs, warn_unfed
from .consumes import build_outputs
from .context import LOCAL_NAMES, BuildContext, Inputs, parse_with, prose, template_vars
from .naming import NameTable, snake
from ..read.semantics import DocPath, as_dict, as_list, text

STEP_KINDS = ("call", "lookup", "script")


@dataclass
class Function:
    """An aggregate function once built: its orchestration and what `ref` inherits."""

    key: str
    orchestration: ir.Orchestration
    description: str | None
    hints: ir.ToolHints


def _step_arg(value: Any, namespaces: set[str], step_names: set[str], inputs: Inputs, ctx: BuildContext) -> ir.StepArg:

    kind, payload = parse_with(value, namespaces)
    if kind == "input":
        name = str(payload)
        if name not in inputs.items and name.split(".")[0] not in step_names:
            inputs.add(name, "query", "string", False, None, implied=True)
        return ir.StepArg("arg", name)
    if kind == "env":
        return ir.StepArg("env", str(payload))
    if kind == "template":
        for var in template_vars(payload):
            head = var.split(".")[0]
            if var in ctx.bind_vars or var.startswith("env.") or head in step_names or var in inputs.items:
                continue
            inputs.add(var, "query", "string", False, None, implied=True)
        return ir.StepArg("template", payload)
    return ir.StepArg("literal", payload)




def _call_step(raw: dict[str, Any], name: str, where: DocPath, namespaces: set[str], step_names: set[str], inputs: Inputs, ctx: BuildContext) -> ir.CallStep:
    call_text = text(raw.get("call"))
    resolution = ctx.index.resolve(raw.get("call"), raw)
    if resolution.note:
        ctx.out.warning(resolution.code or "NG207", resolution.note, where + ("call",), resolution.hint)
    if resolution.target is None:
        ctx.out.warning(
            resolution.code or "NG202",
            f"step {name!r}: {resolution.problem}; it will answer 501 Not Implemented",
            where + ("call",),
            resolution.hint,
        )
        return ir.CallStep(name, None, None, (), (), problem=f"step {name!r}: {resolution.problem}")
    operation = ctx.operations.get(resolution.target.doc_path)
    consumer = ctx.consumers.get(resolution.target.namespace)
    if operation is None or consumer is None:
        return ir.CallStep(name, None, None, (), (), problem=f"step {name!r}: call {call_text!r} cannot be generated")
    by_wire = {p.wire_name: p for p in operation.arguments}
    arguments: list[tuple[str, ir.StepArg]] = []
    for key, value in as_dict(raw.get("with")).items():
        param = by_wire.get(str(key))
        if param is None:
            warn_unfed(key, call_text, by_wire, where, ctx)
            continue
        arguments.append((param.py_name, _step_arg(value, namespaces, step_names, inputs, ctx)))
    fed = {n for n, _ in arguments}
    for param in operation.arguments:
        if param.py_name not in fed:
            # an unfed input is implied as a caller argument of the same name (like a plain call)
            if param.wire_name not in inputs.items and param.wire_name not in step_names:
                location = "body" if param.location == "body" else "query"
                inputs.add(param.wire_name, location, param.json_type, False, param.description, implied=True, whole_body=location == "body")
            arguments.append((param.py_name, ir.StepArg("arg", param.wire_name)))
    return ir.CallStep(name, consumer.attr_name, operation.py_name, tuple(arguments), operation.outputs)


def _lookup_step(raw: dict[str, Any], name: str, where: DocPath, earlier: set[str], ctx: BuildContext) -> tuple[ir.LookupStep | None, str | None]:
    index = text(raw.get("index")) or ""
    if index not in earlier:
        problem = f"lookup step {name!r} uses index {index!r}, which is not an earlier step"
        ctx.out.warning("NG313", problem + "; it will answer 501 Not Implemented", where + ("index",), "earlier steps: " + (", ".join(sorted(earlier)) or "none"))
        return None, problem
    fields = []
    for item in as_list(raw.get("outputParameters")):
        field = text(item) if not isinstance(item, dict) else text(item.get("name"))
        if field:
            fields.append(field)
    step = ir.LookupStep(name, index, text(raw.get("match")) or "", text(raw.get("lookupValue")) or "", tuple(fields))
    return step, None


def build_orchestration(
    owner: dict[str, Any],
    where: DocPath,
    label: str,
    inputs: Inputs,
    namespaces: set[str],
    ctx: BuildContext,
    outputs: tuple[ir.OutputParam, ...],
) -> ir.Orchestration:
    """Steps + mappings, or a single `call` (aggregate functions), or static outputs (mock)."""

    steps: list[ir.CallStep | ir.LookupStep] = []
    problem: str | None = None
    raw_steps = as_list(owner.get("steps"))
    step_names = {n for n in (text(as_dict(s).get("name")) for s in raw_steps) if n}
    earlier: set[str] = set()
    for si, raw in enumerate(raw_steps):
        raw = as_dict(raw)
        step_where = where + ("steps", si)
        name = text(raw.get("name")) or f"step-{si + 1}"
        kind = text(raw.get("type")) or ("call" if "call" in raw else "lookup" if "index" in raw else "")
        if kind == "call":
            step = _call_step(raw, name, step_where, namespaces, step_names, inputs, ctx)
            problem = problem or step.problem
            steps.append(step)
        elif kind == "lookup":
            lookup, why = _lookup_step(raw, name, step_where, earlier, ctx)
            problem = problem or why
            if lookup is not None:
                steps.append(lookup)
        else:
            language = text(raw.get("language")) or "unspecified"
            why = f"script step {name!r} ({language}) is not generated"
            ctx.out.error(
                "NG312",
                why + ": naftiko-gen does not run embedded scripts",
                step_where,
                "rewrite the script as call and lookup steps with mappings, or as an aggregate function",
            )
            problem = problem or why
        earlier.add(name)
    if not raw_steps and "call" in owner:
        step = _call_step(owner, "call", where, namespaces, set(), inputs, ctx)
        problem = step.problem
        steps.append(step)
    mappings = tuple(
        ir.StepMapping(t, v)
        for m in as_list(owner.get("mappings"))
        if (t := text(as_dict(m).get("targetName"))) and (v := text(as_dict(m).get("value")))
    )
    defaults = tuple((str(k), _step_arg(v, namespaces, step_names, inputs, ctx)) for k, v in as_dict(owner.get("with")).items()) if raw_steps or "call" not in owner else ()
    name = ctx.fn_names.claim(snake(label, fallback="orchestration"))
    return ir.Orchestration(
        py_name=name,
        label=label,
        steps=tuple(steps),
        mappings=mappings,
        outputs=outputs or build_outputs(owner.get("outputParameters")),
        defaults=defaults,
        inputs=tuple(inputs.items.values()),
        problem=problem,
    )


def _semantics_hints(raw: Any) -> ir.ToolHints:
    raw = as_dict(raw)
    safe = raw.get("safe")
    idempotent = raw.get("idempotent")
    if safe is True:
        return ir.ToolHints(True, False, idempotent if isinstance(idempotent, bool) else None, None)
    return ir.ToolHints(False if safe is False else None, None, idempotent if isinstance(idempotent, bool) else None, None)


def build_aggregates(capability: dict[str, Any], namespaces: set[str], ctx: BuildContext) -> None:
    """Build every aggregate function into ``ctx.functions`` (key ``namespace.name``)."""

    agg_namespaces = {text(as_dict(a).get("namespace")) or "" for a in as_list(capability.get("aggregates"))} - {""}
    for ai, aggregate in enumerate(as_list(capability.get("aggregates"))):
        aggregate = as_dict(aggregate)
        namespace = text(aggregate.get("namespace")) or f"aggregate-{ai}"
        for fi, function in enumerate(as_list(aggregate.get("functions"))):
            function = as_dict(function)
            fname = text(function.get("name"))
            if fname is None:
                continue
            key = f"{namespace}.{fname}"
            if key in ctx.functions:
                continue
            inputs = Inputs(NameTable(LOCAL_NAMES))
            declared_inputs(as_list(function.get("inputParameters")), inputs, for_mcp=True)
            where: DocPath = ("capability", "aggregates", ai, "functions", fi)
            orchestration = build_orchestration(function, where, key, inputs, namespaces | agg_namespaces, ctx, ())
            ctx.orchestrations.append(orchestration)
            ctx.functions[key] = Function(key, orchestration, prose(function.get("description")), _semantics_hints(function.get("semantics")))


def merge_hints(derived: ir.ToolHints, explicit: ir.ToolHints) -> ir.ToolHints:
    """Explicit tool hints win field by field over hints derived from a function's semantics."""
    pick = lambda a, b: a if a is not None else b  # noqa: E731
    return ir.ToolHints(
        pick(explicit.read_only, derived.read_only),
        pick(explicit.destructive, derived.destructive),
        pick(explicit.idempotent, derived.idempotent),
        pick(explicit.open_world, derived.open_world),
    )


def run_plan(
    owner: dict[str, Any],
    where: DocPath,
    label: str,
    inputs: Inputs,
    namespaces: set[str],
    ctx: BuildContext,
    for_mcp: bool,
) -> tuple[ir.RunPlan | None, Function | None, str | None]:
    """The RunPlan of a route or tool with `steps` or `ref` (or None), the referenced function, and a problem."""

    if owner.get("steps"):
        outputs = build_outputs(owner.get("outputParameters"))
        orchestration = build_orchestration(owner, where, label, inputs, namespaces, ctx, outputs)
        ctx.orchestrations.append(orchestration)
        return ir.RunPlan(orchestration.py_name), None, orchestration.problem
    ref = text(owner.get("ref"))
    if ref is None:
        return None, None, None
    function = ctx.functions.get(ref)
    if function is None:
        known = ", ".join(sorted(ctx.functions)) or "none"
        problem = f"ref {ref!r} names no aggregate function (known: {known})"
        ctx.out.warning("NG314", problem + "; it will answer 501 Not Implemented", where + ("ref",), _did_you_mean(ref, list(ctx.functions)))
        return None, None, problem
    declared = [i for i in inputs.items.values() if not i.implied]
    for item in function.orchestration.inputs:
        if item.wire_name in inputs.items:
            continue
        if for_mcp and declared:
            continue  # a tool that declares its own inputs keeps them (semantics §7.1)
        location = "query" if not for_mcp or item.location not in ("path", "query", "header", "cookie", "body") else item.location
        inputs.add(item.wire_name, location, item.json_type, item.required, item.description, implied=not for_mcp)
    extra = tuple((str(k), _step_arg(v, namespaces, set(), inputs, ctx)) for k, v in as_dict(owner.get("with")).items())
    outputs = build_outputs(owner.get("outputParameters"))
    return ir.RunPlan(function.orchestration.py_name, extra, outputs), function, function.orchestration.problem


def _did_you_mean(value: str, known: list[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None
