"""The templates' node-building helpers, in Python (templates/_macros.jinja re-exports
them under the same names): each returns the code text, with what a spec can make long
as layout placeholders, exactly as the Jinja macros they replace did, only without
Jinja's per-call overhead (a large spec calls them tens of thousands of times)."""

from __future__ import annotations

from typing import Any

from .layout import call, code_dict, long_call, once, params, subscript
from .literals import py_laid_out as py

_SOURCES = {"path": "Path", "query": "Query", "header": "Header", "cookie": "Cookie"}


def param_value(p: Any) -> str:
    """How a client parameter's value is computed inside a client method."""
    if p.is_argument:
        return str(p.py_name)
    if p.template is not None:
        return call("rt.render", [py(p.template), "args", "BINDS"])
    if p.has_constant:
        return py(p.constant)
    return call("rt.env", [py(p.wire_name), "BINDS"])


def url_call(op: Any) -> str:
    """The call joining the base URL and a consumed path, its placeholders filled and encoded."""
    parts = ["self.base_url()"]
    for part in op.path:
        if part.param is not None:
            parts.append(call("rt.segment", [param_value(part.param)]))
        elif part.text.startswith("{"):
            template = py("{{" + part.text.strip("{}").strip() + "}}")
            parts.append(call("rt.segment", [call("rt.render", [template, "args", "BINDS"])]))
        else:
            parts.append(py(part.text))
    return call("rt.join_url", parts)


def arg_source(src: Any) -> str:
    """How one client argument is computed on the exposed side."""
    if src.kind == "input":
        return call("rt.loose", [str(src.input)]) if src.loose else str(src.input)
    if src.kind == "literal":
        return py(src.value)
    if src.kind == "template":
        return call("rt.render", [py(src.value), "args", "BINDS"])
    return call("rt.env", [py(src.value), "BINDS"])


def call_expr(call_plan: Any) -> str:
    """The call expression for a resolved CallPlan: the client method's raw
    ``_response`` twin (the router and MCP server shape the answer themselves)."""
    items = [f"{name}={arg_source(src)}" for name, src in call_plan.arguments]
    method = f"{call_plan.operation_py_name}_response"
    client = "_client" if long_call(call_plan) else f"clients().{call_plan.consumer_attr}"
    return call(f"{client}.{method}", items)


def args_dict(inputs: Any) -> str:
    """The dict of exposed inputs by wire name, the scope for templates and outputs.

    Two inputs of one name (a path and a query parameter, say; the model warns, NG305)
    make one key, where the first stands, with the last one's value, as a dict display
    holding the key twice would at run time (ruff F601 flags that display)."""
    scope: dict[str, str] = {}
    for i in inputs:
        scope[i.wire_name] = i.py_name
    return code_dict([(py(wire), name) for wire, name in scope.items()])


def route_param(i: Any) -> str:
    """One FastAPI route parameter: its source, alias, description and declared pattern."""
    return once(("route_param", i), lambda: _route_param(i))


def _route_param(i: Any) -> str:
    source = _SOURCES.get(i.location, "Body")
    options = []
    if source == "Body" and not i.whole_body:
        options.append("embed=True")
    if source == "Path" and i.path_key != i.py_name:
        options.append("alias=" + py(i.path_key))
    if source != "Path" and not i.whole_body:
        options.append("alias=" + py(i.wire_name))
    if i.description:
        options.append("description=" + py(i.description))
    if i.pattern is not None:
        options.append("json_schema_extra=" + code_dict([('"pattern"', py(i.pattern))]))
    parts = [i.py_type, call(source, options)]
    if i.pattern is not None:
        parts.append(call("rest.pattern", [py(i.pattern)]))
    if source == "Header":
        parts.append("rest.HEADER_TEXT")
    default = " = None" if not i.required and source != "Path" else ""
    return f"{i.py_name}: {subscript('Annotated', parts)}{default}"


def route_params(head: str, inputs: Any) -> str:
    """A route function's parameters: keyword-only, each a FastAPI parameter (``route_param``)."""
    return params(head, ["*", *map(route_param, inputs)] if inputs else [])


def keyword_args(inputs: Any) -> list[str]:
    """``name=name`` for each input: passing a method's arguments on as they came."""
    return [f"{i.py_name}={i.py_name}" for i in inputs]


def keyword_params(head: str, inputs: Any, first: Any = ()) -> str:
    """A def's parameters: keyword-only after "*" when there are any."""
    items = list(first)
    if inputs:
        items.append("*")
    for i in inputs:
        items.append(f"{i.py_name}: {i.py_type}{'' if i.required else ' = None'}")
    return params(head, items)


def step_arg(src: Any) -> str:
    """How one step argument is computed from an orchestration's running scope."""
    if src.kind == "arg":
        return call("run.arg", [py(src.value)])
    if src.kind == "literal":
        return py(src.value)
    if src.kind == "template":
        return call("run.render", [py(src.value)])
    return call("run.env", [py(src.value)])


def run_expr(plan: Any, outputs_name: str) -> str:
    """A route's or tool's call of an orchestration function, its own `with` merged into args."""
    pairs = []
    for key, src in plan.extra:
        if src.kind == "arg":
            value = call("args.get", [py(src.value)])
        elif src.kind == "literal":
            value = py(src.value)
        elif src.kind == "template":
            value = call("rt.render_data", [py(src.value), "args", "BINDS"])
        else:
            value = call("rt.env", [py(src.value), "BINDS"])
        pairs.append((py(key), value))
    merged = call("steps.merged", ["args", code_dict(pairs)])
    return call(f"orchestration.{plan.function}", [merged, outputs_name])


MACROS = {
    "param_value": param_value,
    "url_call": url_call,
    "arg_source": arg_source,
    "call_expr": call_expr,
    "args_dict": args_dict,
    "route_param": route_param,
    "route_params": route_params,
    "keyword_args": keyword_args,
    "keyword_params": keyword_params,
    "step_arg": step_arg,
    "run_expr": run_expr,
}
