"""Stage 4: validated spec data -> the immutable model in ``ir.py``.

This is the only place Python names are made. Inputs implied by `with`
references (``rest.x``, ``tools.x``) or by consumed inputs that nothing feeds
become exposed inputs of the same kind, so every route and tool can really
reach the API it calls.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field, replace
from typing import Any

from . import build_exposes, build_steps, ir
from .build_requests import TEMPLATE_VAR, WITH_REF, build_body, unqualify, unqualify_path
from .diagnostics import Collector
from .naming import NameTable, env_var, pascal, snake
from .semantics import (
    PLACEHOLDER,
    DocPath,
    OperationIndex,
    as_dict,
    as_list,
    consumed_operation_name,
    path_placeholders,
    text,
)

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
LOCATIONS = ("path", "query", "header", "cookie", "body", "environment")
JSON_TYPES = ("string", "number", "integer", "boolean", "array", "object")

# Names generated functions use for their own locals and modules: never parameter names.
LOCAL_NAMES = {"self", "args", "request", "rt", "rest", "mcp_support", "httpx", "Any", "Number", "BINDS", "clients", "Annotated", "Body", "Cookie", "Header", "Path", "Query", "Response", "ctx", "context"}

# Client method names that would shadow the class's own helpers.
CLIENT_RESERVED = {"close", "aclose", "request", "base_url", "send"}


def template_vars(value: Any) -> list[str]:
    """Names used as ``{{name}}`` anywhere inside a string or nested data, in order."""
    found: list[str] = []
    if isinstance(value, str):
        for match in TEMPLATE_VAR.finditer(value):
            name = match.group(1).strip()
            if name not in found:
                found.append(name)
    elif isinstance(value, dict):
        for item in value.values():
            found += [n for n in template_vars(item) if n not in found]
    elif isinstance(value, (list, tuple)):
        for item in value:
            found += [n for n in template_vars(item) if n not in found]
    return found


def py_type(json_type: str, location: str, required: bool) -> str:
    """The annotation used for an input of a JSON type at a location."""
    if location in ("query", "header", "cookie", "path"):
        base = {
            "integer": "int",
            "number": "Number",
            "boolean": "bool",
            "array": "list[str]",
        }.get(json_type, "str")
    else:
        base = {
            "string": "str",
            "integer": "int",
            "number": "Number",
            "boolean": "bool",
            "array": "list[Any]",
            "object": "dict[str, Any]",
        }.get(json_type, "Any")
    if required or base == "Any":
        return base
    return f"{base} | None"


def _json_type(value: Any, default: str = "string") -> str:
    t = text(value)
    return t if t in JSON_TYPES else default


def _required(value: Any, default: bool) -> bool:
    return value if isinstance(value, bool) else default


def _description(value: Any) -> str | None:
    t = text(value)
    return " ".join(t.split()) if t and t.strip() else None


@dataclass
class _Context:
    spec_file: str
    out: Collector
    index: OperationIndex
    locate: Any
    bind_vars: set[str] = field(default_factory=set)
    exposed_namespaces: frozenset[str] = frozenset()
    consumers: dict[str, ir.HttpConsumer] = field(default_factory=dict)
    operations: dict[DocPath, ir.ClientOperation] = field(default_factory=dict)
    orchestrations: list[ir.Orchestration] = field(default_factory=list)
    functions: dict[str, Any] = field(default_factory=dict)  # aggregate functions (build_steps.Function)
    fn_names: NameTable = field(default_factory=lambda: NameTable(LOCAL_NAMES))

    def origin(self, path: DocPath) -> ir.Origin:
        line, col = self.locate(path) if self.locate else (1, 1)
        return ir.Origin(self.spec_file, line, col)


# --------------------------------------------------------------------------- outputs


def build_output(raw: Any) -> ir.OutputParam | None:
    """One output parameter rule (properties as a map or list, items as object or list)."""
    raw = as_dict(raw)
    if not raw:
        return None
    properties: list[ir.OutputParam] = []
    props = raw.get("properties")
    if isinstance(props, dict):
        for key, prop in props.items():
            built = build_output({**as_dict(prop), "name": key}) if isinstance(prop, dict) else None
            if built is not None:
                properties.append(built)
    elif isinstance(props, list):
        properties = [p for p in (build_output(item) for item in props) if p is not None]
    items_raw = raw.get("items")
    if isinstance(items_raw, list):
        items_raw = items_raw[0] if items_raw else None
    items = build_output(items_raw) if isinstance(items_raw, dict) else None
    mapping = text(raw.get("mapping"))
    value = raw.get("value")
    has_value = "value" in raw and value is not None
    # The consumed-output form {name, value: $.x} is a mapping (semantics §1.4).
    if mapping is None and isinstance(value, str) and value.startswith("$"):
        mapping, has_value, value = value, False, None
    return ir.OutputParam(
        name=text(raw.get("name")),
        type=text(raw.get("type")) or "string",
        mapping=mapping,
        value=value,
        has_value=has_value,
        const=raw.get("const"),
        has_const="const" in raw,
        properties=tuple(properties),
        items=items,
    )


def build_outputs(raw: Any) -> tuple[ir.OutputParam, ...]:
    return tuple(p for p in (build_output(item) for item in as_list(raw)) if p is not None)


# --------------------------------------------------------------------------- consumes


def build_auth(raw: Any, namespace: str) -> ir.Auth | None:
    """Upstream authentication, including the public dialect's apikey `in`/`name` aliases.

    oauth2 is the client-credentials grant: the token endpoint is `tokenEndpoint` (or
    discovered from `authorizationServerUri`); the client id and secret default to
    ``<NAMESPACE>_CLIENT_ID`` / ``<NAMESPACE>_CLIENT_SECRET`` in the environment.
    """
    raw = as_dict(raw)
    if not raw:
        return None
    kind = (text(raw.get("type")) or "").lower()
    if kind == "bearer":
        return ir.Auth("bearer", token=text(raw.get("token")) or "")
    if kind in ("basic", "digest"):
        return ir.Auth(kind, username=text(raw.get("username")) or "", password=text(raw.get("password")) or "")
    if kind == "apikey":
        placement = (text(raw.get("placement")) or text(raw.get("in")) or "header").lower()
        key = text(raw.get("key")) or text(raw.get("name")) or "X-API-Key"
        value = text(raw.get("value"))
        if value is None:
            value = "{{" + env_var(key) + "}}"
        if placement not in ("header", "query", "cookie"):
            return ir.Auth(
                "unsupported",
                unsupported_reason=f"apikey placement {placement!r} is not supported (use header, query or cookie)",
            )
        return ir.Auth("apikey", key=key, value=value, placement=placement)
    if kind == "oauth2":
        token_url = text(raw.get("tokenEndpoint")) or text(raw.get("tokenUrl")) or text(raw.get("tokenUri"))
        scopes = raw.get("scopes")
        prefix = env_var(namespace)
        return ir.Auth(
            "oauth2",
            token_url=token_url,
            issuer=text(raw.get("authorizationServerUri")),
            resource=text(raw.get("resource")),
            audience=text(raw.get("audience")),
            client_id=text(raw.get("clientId")) or "{{" + prefix + "_CLIENT_ID}}",
            client_secret=text(raw.get("clientSecret")) or "{{" + prefix + "_CLIENT_SECRET}}",
            scopes=tuple(str(s) for s in as_list(scopes)) if isinstance(scopes, list) else (),
        )
    reason = f"authentication type {kind or '(none)'!r} is not supported by naftiko-gen"
    return ir.Auth("unsupported", unsupported_reason=reason)


def _consumed_param(raw: dict[str, Any], table: NameTable, exposed: frozenset[str], default_in: str = "query") -> ir.ClientParam | None:
    wire = text(raw.get("name"))
    if wire is None:
        return None
    location = text(raw.get("in"))
    if location not in LOCATIONS:
        location = "body" if wire == "body" or text(raw.get("type")) == "object" else default_in
    json_type = _json_type(raw.get("type"), "any" if location == "body" else "string")
    required = _required(raw.get("required"), location in ("path", "body"))
    value = unqualify(raw.get("value", raw.get("template")), exposed)
    template: str | None = None
    has_constant = False
    constant: Any = None
    if isinstance(value, str) and "{{" in value:
        template = value
    elif value is not None:
        has_constant, constant = True, value
    return ir.ClientParam(
        wire_name=wire,
        py_name=table.claim(snake(wire)),
        location=location,  # type: ignore[arg-type]
        json_type=json_type,  # type: ignore[arg-type]
        py_type=py_type(json_type, location, required),
        required=required,
        description=_description(raw.get("description")),
        template=template,
        constant=constant,
        has_constant=has_constant,
    )


def _merge_params(*groups: list[Any]) -> list[dict[str, Any]]:
    """Merge input lists; a later entry with the same (name, in) replaces an earlier one."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for group in groups:
        for raw in group:
            raw = as_dict(raw)
            name = text(raw.get("name"))
            if name is None:
                continue
            merged[(name, text(raw.get("in")) or "")] = raw
    return list(merged.values())


def _path_parts(raw_path: str, params: dict[str, ir.ClientParam]) -> tuple[ir.PathPart, ...]:
    parts: list[ir.PathPart] = []
    pos = 0
    for match in PLACEHOLDER.finditer(raw_path):
        if match.start() > pos:
            parts.append(ir.PathPart(raw_path[pos : match.start()]))
        name = (match.group(1) or match.group(2)).strip()
        parts.append(ir.PathPart(match.group(0), params.get(name)))
        pos = match.end()
    if pos < len(raw_path):
        parts.append(ir.PathPart(raw_path[pos:]))
    return tuple(parts)


def build_operation(
    raw: dict[str, Any],
    resource: dict[str, Any],
    shared: list[Any],
    wanted_name: str,
    method_names: NameTable,
    ctx: _Context,
    shared_params: tuple[ir.ClientParam, ...] = (),
) -> ir.ClientOperation:
    name = consumed_operation_name(raw) or "operation"
    exposed = ctx.exposed_namespaces
    raw_path = unqualify_path(text(raw.get("path")) or text(resource.get("path")) or "", exposed)
    table = NameTable(LOCAL_NAMES)
    params: list[ir.ClientParam] = []
    for entry in _merge_params(as_list(resource.get("inputParameters")), as_list(raw.get("inputParameters"))):
        param = _consumed_param(entry, table, exposed)
        if param is not None:
            params.append(param)
    # consumes-level inputs the caller gives are optional arguments of every operation
    own = {p.wire_name for p in params}
    for p in shared_params:
        if p.is_argument and p.location in ("query", "header", "cookie") and p.wire_name not in own:
            py_annotation = py_type(p.json_type, p.location, False)
            params.append(replace(p, py_name=table.claim(snake(p.wire_name)), required=False, py_type=py_annotation, shared=True))
    by_path_name = {p.wire_name: p for p in params if p.location == "path"}
    for placeholder in path_placeholders(raw_path):
        if placeholder in by_path_name or placeholder in ctx.bind_vars or placeholder.startswith("env."):
            continue
        implied = ir.ClientParam(
            wire_name=placeholder,
            py_name=table.claim(snake(placeholder)),
            location="path",
            json_type="string",
            py_type="str",
            required=True,
            description=None,
        )
        params.append(implied)
        by_path_name[placeholder] = implied
    content_type = next(
        (p.constant for p in params if p.location == "header" and p.wire_name.lower() == "content-type" and isinstance(p.constant, str)),
        None,
    )
    body = build_body(unqualify(raw.get("body"), exposed), content_type)
    # Variables used only inside templates (body, consumed values) become arguments too.
    used = template_vars(body.data) if body else []
    for p in params:
        if p.template:
            used += [v for v in template_vars(p.template) if v not in used]
    for shared_raw in shared:
        used += [v for v in template_vars(unqualify(as_dict(shared_raw).get("value"), exposed)) if v not in used]
    # a template naming a templated or constant input means the caller's value of that name
    known = {p.wire_name for p in params if p.is_argument or p.location == "environment"}
    for var in used:
        if var in known or var in ctx.bind_vars or var.startswith("env.") or "." in var:
            continue
        params.append(
            ir.ClientParam(
                wire_name=var,
                py_name=table.claim(snake(var)),
                location="template",
                json_type="any",
                py_type="Any",
                required=False,
                description=None,
            )
        )
        known.add(var)
    method = (text(raw.get("method")) or "GET").upper()
    return ir.ClientOperation(
        name=name,
        py_name=method_names.claim(snake(wanted_name, fallback="call")),
        method=method if method in HTTP_METHODS else "GET",
        raw_path=raw_path,
        path=_path_parts(raw_path, by_path_name),
        params=tuple(params),
        body=body,
        raw_format=(text(raw.get("outputRawFormat")) or "json").lower(),
        description=_description(raw.get("description")),
        outputs=build_outputs(raw.get("outputParameters")),
    )


def build_consumer(raw: dict[str, Any], ci: int, attr_names: NameTable, class_names: NameTable, ctx: _Context) -> ir.HttpConsumer | None:
    namespace = text(raw.get("namespace"))
    if namespace is None or namespace in ctx.consumers:
        return None
    path: DocPath = ("capability", "consumes", ci)
    base_uri = text(raw.get("baseUri")) or ""
    base_env = env_var(namespace) + "_BASE_URL"
    if not base_uri.strip():
        ctx.out.warning(
            "NG301",
            f"consumes {namespace!r} has an empty baseUri; the adapter needs {base_env} at run time",
            path + ("baseUri",),
            f"set {base_env} in the environment, or write the API's base URL in the spec",
        )
    elif base_uri.endswith("/"):
        base_uri = base_uri.rstrip("/")
    method_names = NameTable(CLIENT_RESERVED)
    op_counts: dict[str, int] = {}
    for resource in as_list(raw.get("resources")):
        for operation in as_list(as_dict(resource).get("operations")):
            op_name = consumed_operation_name(as_dict(operation)) or "operation"
            op_counts[op_name] = op_counts.get(op_name, 0) + 1
    shared_table = NameTable(LOCAL_NAMES)
    shared = [p for p in (_consumed_param(as_dict(r), shared_table, ctx.exposed_namespaces, "header") for r in as_list(raw.get("inputParameters"))) if p]
    operations: list[ir.ClientOperation] = []
    for ri, resource in enumerate(as_list(raw.get("resources"))):
        resource = as_dict(resource)
        for oi, operation in enumerate(as_list(resource.get("operations"))):
            op_path = path + ("resources", ri, "operations", oi)
            op_name = consumed_operation_name(as_dict(operation)) or "operation"
            wanted = f"{text(resource.get('name')) or ri}_{op_name}" if op_counts.get(op_name, 0) > 1 else op_name
            built = build_operation(as_dict(operation), resource, as_list(raw.get("inputParameters")), wanted, method_names, ctx, tuple(shared))
            ctx.operations[op_path] = built
            if built.raw_format in ("protobuf", "avro"):
                ctx.out.warning(
                    "NG304",
                    f"outputRawFormat {built.raw_format!r} of {namespace}.{built.name} is not decoded by naftiko-gen; callers get the body as base64",
                    op_path + ("outputRawFormat",),
                    "map the fields on the caller's side, or ask the upstream for JSON",
                )
            operations.append(built)
    consumer = ir.HttpConsumer(
        namespace=namespace,
        class_name=class_names.claim(pascal(namespace) + "Client"),
        attr_name=attr_names.claim(snake(namespace)),
        base_uri=base_uri,
        base_url_env=base_env,
        description=_description(raw.get("description")),
        auth=build_auth(raw.get("authentication", raw.get("auth")), namespace),
        shared_params=tuple(shared),
        operations=tuple(operations),
    )
    if consumer.auth is not None and consumer.auth.kind == "unsupported":
        ctx.out.warning(
            "NG302",
            f"{consumer.auth.unsupported_reason}; calls through {namespace!r} will fail with a clear error",
            path + ("authentication",),
            "use bearer, basic, digest, apikey or oauth2, or add the credentials as header inputs",
        )
    ctx.consumers[namespace] = consumer
    return consumer


# --------------------------------------------------------------------------- exposes


@dataclass
class _Inputs:
    """Exposed inputs being collected for one route or tool, by wire name."""

    table: NameTable
    items: dict[str, ir.ExposedInput] = field(default_factory=dict)

    def add(self, wire: str, location: str, json_type: str, required: bool, description: str | None, *, implied: bool, whole_body: bool = False, pattern: str | None = None) -> ir.ExposedInput:
        if wire in self.items:
            return self.items[wire]
        item = ir.ExposedInput(
            wire_name=wire,
            py_name=self.table.claim(snake(wire)),
            location=location,  # type: ignore[arg-type]
            json_type=json_type,  # type: ignore[arg-type]
            py_type=py_type(json_type, location, required),
            required=required,
            description=description,
            whole_body=whole_body,
            implied=implied,
            pattern=pattern,
        )
        self.items[wire] = item
        return item


def _parse_with(value: Any, namespaces: set[str]) -> tuple[str, Any]:
    """Classify one `with` value: ('input', name) | ('env', VAR) | ('template', text) | ('literal', value)."""
    if not isinstance(value, str):
        return ("literal", value)
    match = WITH_REF.match(value)
    if match:
        return ("input", match.group(1))
    head, dot, rest = value.partition(".")
    if dot and head in namespaces and rest:
        return ("input", rest)
    if dot and head == "env" and rest:
        return ("env", rest)
    if "{{" in value:
        return ("template", value)
    return ("literal", value)


def build_call(
    owner: dict[str, Any],
    where: DocPath,
    inputs: _Inputs,
    exposed_path_vars: set[str],
    namespaces: set[str],
    for_mcp: bool,
    ctx: _Context,
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
        kind, payload = _parse_with(value, namespaces)
        if kind == "input":
            source = ir.ArgSource("input", input=imply(str(payload), param).py_name)
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
            build_steps.warn_unfed(key, call_text, by_wire, where, ctx)
            continue
        arguments.append((param.py_name, source))
    fed = {name for name, _ in arguments}
    for param in operation.arguments:
        if param.py_name in fed:
            continue
        exposed = inputs.items.get(param.wire_name) or imply(param.wire_name, param)
        arguments.append((param.py_name, ir.ArgSource("input", input=exposed.py_name)))
    return ir.CallPlan(consumer.attr_name, operation.py_name, tuple(arguments), target=call_text)


def _declared_inputs(raws: list[Any], inputs: _Inputs, *, for_mcp: bool) -> None:
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
        json_type = _json_type(raw.get("type"))
        pattern = text(raw.get("pattern"))
        inputs.add(
            wire,
            location,
            json_type,
            _required(raw.get("required"), True),  # the spec's default (semantics §1.3)
            _description(raw.get("description")),
            implied=False,
            pattern=pattern if json_type == "string" and build_exposes.valid_pattern(pattern) else None,
        )


def _fastapi_path(raw_path: str, inputs: _Inputs) -> str:
    path = raw_path.split("?", 1)[0].split("#", 1)[0] or "/"
    if not path.startswith("/"):
        path = "/" + path

    def repl(match: re.Match[str]) -> str:
        name = (match.group(1) or match.group(2)).strip()
        item = inputs.items.get(name)
        return "{" + (item.path_key if item else snake(name)) + "}"

    return PLACEHOLDER.sub(repl, path)


def build_rest(raw: dict[str, Any], ei: int, py_names: NameTable, handler_names: NameTable, namespaces: set[str], ctx: _Context) -> ir.RestServer:
    namespace = text(raw.get("namespace")) or f"rest-{ei}"
    routes: list[ir.RestRoute] = []
    operation_ids = NameTable()
    name_counts: dict[str, int] = {}
    for resource in as_list(raw.get("resources")):
        for operation in as_list(as_dict(resource).get("operations")):
            op_name = text(as_dict(operation).get("name")) or ""
            name_counts[op_name] = name_counts.get(op_name, 0) + 1
    seen: set[tuple[str, str]] = set()
    forwards: list[ir.Forward] = []
    for ri, resource in enumerate(as_list(raw.get("resources"))):
        resource = as_dict(resource)
        raw_path = text(resource.get("path")) or "/"
        _check_input_patterns(resource, ("capability", "exposes", ei, "resources", ri), ctx)
        if isinstance(resource.get("forward"), dict):
            forwards.append(build_exposes.build_forward(resource, ("capability", "exposes", ei, "resources", ri), handler_names, ctx))
        placeholders = path_placeholders(raw_path.split("?", 1)[0])
        for oi, operation in enumerate(as_list(resource.get("operations"))):
            operation = as_dict(operation)
            where: DocPath = ("capability", "exposes", ei, "resources", ri, "operations", oi)
            method = (text(operation.get("method")) or "GET").upper()
            if method not in HTTP_METHODS:
                method = "GET"
            inputs = _Inputs(NameTable(LOCAL_NAMES))
            _declared_inputs(
                _merge_params(as_list(resource.get("inputParameters")), as_list(operation.get("inputParameters"))),
                inputs,
                for_mcp=False,
            )
            for name in placeholders:
                if name not in inputs.items:
                    inputs.add(name, "path", "string", True, None, implied=True)
                elif inputs.items[name].location != "path":
                    old = inputs.items[name]
                    inputs.items[name] = dataclasses.replace(old, location="path", py_type=py_type(old.json_type, "path", True), required=True, whole_body=False)
            call = build_call(operation, where, inputs, set(placeholders), namespaces, False, ctx, resource)
            run, function, _ = build_steps.run_plan(operation, where, f"{namespace} {method} {raw_path}", inputs, namespaces, ctx, False)
            fastapi_path = _fastapi_path(raw_path, inputs)
            key = (method, PLACEHOLDER.sub("{}", fastapi_path))
            if key in seen:
                continue  # reported by semantics (NG205)
            seen.add(key)
            op_name = text(operation.get("name"))
            if op_name is None or name_counts.get(op_name, 0) > 1:
                name = f"{text(resource.get('name')) or raw_path} {op_name or method.lower()}"
            else:
                name = op_name
            _fix_body_inputs(inputs)
            routes.append(
                ir.RestRoute(
                    method=method,
                    path=fastapi_path,
                    raw_path=raw_path,
                    py_name=handler_names.claim(snake(name, fallback="route")),
                    operation_id=operation_ids.claim(snake(name, fallback="route")),
                    summary=_description(operation.get("label")) or _description(operation.get("name")),
                    description=_description(operation.get("description")) or (function.description if function else None),
                    inputs=tuple(inputs.items.values()),
                    call=call,
                    outputs=build_outputs(operation.get("outputParameters")),
                    origin=ctx.origin(where),
                    run=run,
                )
            )
    port = raw.get("port")
    return ir.RestServer(
        namespace=namespace,
        py_name=py_names.claim(snake(namespace)),
        port=port if isinstance(port, int) and 0 < port < 65536 else 8080,
        address=text(raw.get("address")) or "127.0.0.1",
        description=_description(raw.get("description")),
        routes=tuple(routes),
        forwards=tuple(forwards),
        auth=_exposed_auth(raw, ("capability", "exposes", ei), ctx),
    )


def _exposed_auth(raw: dict[str, Any], where: DocPath, ctx: _Context) -> ir.Auth | None:
    return build_exposes.exposed_auth(build_auth(raw.get("authentication"), text(raw.get("namespace")) or ""), where, ctx)


def _check_input_patterns(resource: dict[str, Any], where: DocPath, ctx: _Context) -> None:
    """NG322 for the `pattern`s of a REST resource's and its operations' inputs."""
    found: list[tuple[DocPath, Any]] = [(where + ("inputParameters", i), p) for i, p in enumerate(as_list(resource.get("inputParameters")))]
    for oi, operation in enumerate(as_list(resource.get("operations"))):
        found += [(where + ("operations", oi, "inputParameters", i), p) for i, p in enumerate(as_list(as_dict(operation).get("inputParameters")))]
    build_exposes.check_patterns(found, ctx)


def _fix_body_inputs(inputs: _Inputs) -> None:
    """One whole-body input takes the request body; body fields otherwise."""
    body = [i for i in inputs.items.values() if i.location == "body"]
    whole = [i for i in body if i.whole_body]
    if len(body) == 1 and not whole:
        return
    if len(whole) >= 1 and len(body) > 1:
        # a whole body cannot coexist with body fields: keep every body input a field
        for item in whole:
            inputs.items[item.wire_name] = dataclasses.replace(item, whole_body=False)


def input_schema(inputs: tuple[ir.ExposedInput, ...]) -> dict[str, Any]:
    """The JSON Schema of an MCP tool's arguments: an object, no $ref, wire names as keys."""
    schema: dict[str, Any] = {"type": "object"}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for item in inputs:
        prop: dict[str, Any] = {}
        if item.json_type != "any":
            prop["type"] = item.json_type
        if item.json_type == "array":
            prop["items"] = {}
        if item.description:
            prop["description"] = item.description
        properties[item.wire_name] = prop
        if item.required:
            required.append(item.wire_name)
    if properties:
        schema["properties"] = properties
    if required:
        schema["required"] = required
    return schema


def _hints(raw: Any) -> ir.ToolHints:
    raw = as_dict(raw)

    def flag(key: str) -> bool | None:
        value = raw.get(key)
        return value if isinstance(value, bool) else None

    return ir.ToolHints(flag("readOnly"), flag("destructive"), flag("idempotent"), flag("openWorld"))


def build_mcp(raw: dict[str, Any], ei: int, py_names: NameTable, fn_names: NameTable, namespaces: set[str], ctx: _Context) -> ir.McpServer:
    namespace = text(raw.get("namespace")) or f"mcp-{ei}"
    tools: list[ir.McpTool] = []
    raw_tools = [as_dict(tool) for tool in as_list(raw.get("tools"))]
    last = {text(tool.get("name")): ti for ti, tool in enumerate(raw_tools)}  # the last of a name answers (NG210)
    for ti, tool in enumerate(raw_tools):
        where: DocPath = ("capability", "exposes", ei, "tools", ti)
        name = text(tool.get("name"))
        if name is None or last[name] != ti:
            continue
        inputs = _Inputs(NameTable(LOCAL_NAMES))
        _declared_inputs(as_list(tool.get("inputParameters")), inputs, for_mcp=True)
        call = build_call(tool, where, inputs, set(), namespaces, True, ctx)
        run, function, _ = build_steps.run_plan(tool, where, f"{namespace} {name}", inputs, namespaces, ctx, True)
        items = tuple(inputs.items.values())
        hints = _hints(tool.get("hints"))
        if function is not None:
            hints = build_steps.merge_hints(function.hints, hints)
        tools.append(
            ir.McpTool(
                name=name,
                py_name=fn_names.claim(snake(name, fallback="tool")),
                title=_description(tool.get("label")),
                description=_description(tool.get("description")) or (function.description if function else None) or name,
                hints=hints,
                inputs=items,
                input_schema=input_schema(items),
                call=call,
                outputs=build_outputs(tool.get("outputParameters")),
                origin=ctx.origin(where),
                run=run,
            )
        )
    from .build_mcp_parts import build_prompts, build_resources  # builds on this module

    resources = build_resources(raw, ei, fn_names, namespaces, ctx)
    prompts = build_prompts(raw, ei, ctx)
    port = raw.get("port")
    transport = "stdio" if text(raw.get("transport")) == "stdio" else "http"
    return ir.McpServer(
        namespace=namespace,
        py_name=py_names.claim(snake(namespace)),
        port=port if isinstance(port, int) and 0 < port < 65536 else 9090,
        address=text(raw.get("address")) or "127.0.0.1",
        transport=transport,
        description=_description(raw.get("description")),
        tools=tuple(tools),
        resources=resources,
        prompts=prompts,
        auth=_exposed_auth(raw, ("capability", "exposes", ei), ctx),
    )


# --------------------------------------------------------------------------- capability


def _binds(data: dict[str, Any]) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """(variable, environment variable) pairs, and (variable, file, key) for binds with a location.

    A variable bound to a file is read from the environment under its own name first.
    """
    pairs: dict[str, str] = {}
    files: dict[str, tuple[str, str, str]] = {}
    capability = as_dict(data.get("capability"))
    for bind in as_list(data.get("binds")) + as_list(capability.get("binds")):
        location = text(as_dict(bind).get("location"))
        for var, source in as_dict(as_dict(bind).get("keys")).items():
            if location:
                pairs[str(var)] = str(var)
                files[str(var)] = (str(var), location, text(source) or str(var))
            else:
                pairs[str(var)] = text(source) or str(var)
                files.pop(str(var), None)
    return list(pairs.items()), list(files.values())


def build(data: dict[str, Any], package: str, source: str, index: OperationIndex, out: Collector) -> ir.Capability:
    """Build the model for one validated spec."""
    binds, bind_files = _binds(data)
    capability = as_dict(data.get("capability"))
    namespaces = {text(as_dict(e).get("namespace")) or "" for e in as_list(capability.get("exposes"))} - {""}
    ctx = _Context(source, out, index, out.locate, bind_vars={var for var, _ in binds}, exposed_namespaces=frozenset(namespaces))
    info = as_dict(data.get("info"))
    attr_names = NameTable()
    class_names = NameTable({"Clients"})
    consumers = [
        c
        for ci, raw in enumerate(as_list(capability.get("consumes")))
        if isinstance(raw, dict) and (c := build_consumer(raw, ci, attr_names, class_names, ctx)) is not None
    ]
    build_steps.build_aggregates(capability, namespaces, ctx)
    rest_names, mcp_names = NameTable(), NameTable()
    handler_names, tool_fn_names = NameTable(LOCAL_NAMES), NameTable(LOCAL_NAMES)
    rest: list[ir.RestServer] = []
    mcp: list[ir.McpServer] = []
    control: ir.Control | None = None
    for ei, exposes in enumerate(as_list(capability.get("exposes"))):
        exposes = as_dict(exposes)
        kind = exposes.get("type")
        if kind == "rest":
            rest.append(build_rest(exposes, ei, rest_names, handler_names, namespaces, ctx))
        elif kind == "mcp":
            mcp.append(build_mcp(exposes, ei, mcp_names, tool_fn_names, namespaces, ctx))
        elif kind == "control" and control is None:
            where = ("capability", "exposes", ei)
            control = build_exposes.build_control(exposes, where, ctx, _exposed_auth(exposes, where, ctx))
    skills = build_exposes.build_skills(as_list(capability.get("exposes")), rest, mcp, ctx)
    return ir.Capability(
        package=package,
        source=source,
        label=text(info.get("label")) or text(info.get("title")) or package,
        description=_description(info.get("description")),
        binds=tuple(binds),
        consumers=tuple(consumers),
        rest_servers=tuple(rest),
        mcp_servers=tuple(mcp),
        orchestrations=tuple(ctx.orchestrations),
        bind_files=tuple(bind_files),
        skills=skills,
        control=control,
    )
