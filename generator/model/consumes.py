"""Consumed APIs: each `consumes` block -> an ``ir.HttpConsumer`` with its operations,
parameters, bodies, authentication and output rules."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..read.semantics import PLACEHOLDER, DocPath, as_dict, as_list, consumed_operation_name, path_placeholders, text
from . import ir
from .client_types import result_type
from .binary import binary_limits
from .context import CLIENT_RESERVED, HTTP_METHODS, LOCAL_NAMES, LOCATIONS, BuildContext, json_type_of, prose, py_type, required_flag, template_vars
from .naming import MAX_METHOD, NameTable, env_var, pascal, snake
from .request_parts import build_body, unqualify, unqualify_path


_UNNAMED = object()


def build_output(raw: Any, name: Any = _UNNAMED) -> ir.OutputParam | None:
    """One output parameter rule (properties as a map or list, items as object or list);
    ``name``: the key of a property given as a map, which names it."""
    raw = as_dict(raw)
    if not raw and name is _UNNAMED:
        return None
    props = raw.get("properties")
    if isinstance(props, dict):
        properties = tuple([built for key, prop in props.items() if isinstance(prop, dict) and (built := build_output(prop, key)) is not None])
    elif isinstance(props, list):
        properties = tuple([built for item in props if (built := build_output(item)) is not None])
    else:
        properties = ()
    items_raw = raw.get("items")
    if isinstance(items_raw, list):
        items_raw = items_raw[0] if items_raw else None
    items = build_output(items_raw) if isinstance(items_raw, dict) else None
    mapping = text(raw.get("mapping"))
    value = raw.get("value")
    has_value = value is not None  # (a value of None is no value)
    # The consumed-output form {name, value: $.x} is a mapping (semantics §1.4).
    if mapping is None and isinstance(value, str) and value.startswith("$"):
        mapping, has_value, value = value, False, None
    return ir.OutputParam(
        text(raw.get("name") if name is _UNNAMED else name),
        text(raw.get("type")) or "string",
        mapping,
        value,
        has_value,
        raw.get("const"),
        "const" in raw,
        properties,
        items,
    )


_BUILT: dict[str, tuple[ir.OutputParam, ...]] = {}
"""Output rules already built, by the ``repr`` of their spec data (plain data: its repr
tells its whole structure and every type). A large spec gives many operations the same
outputs: they are built once, and the emit stage meets the same objects again."""


def build_outputs(raw: Any) -> tuple[ir.OutputParam, ...]:
    key = repr(raw)
    built = _BUILT.get(key)
    if built is None:
        built = tuple([p for item in as_list(raw) if (p := build_output(item)) is not None])
        if len(_BUILT) >= 4096:
            _BUILT.clear()
        _BUILT[key] = built
    return built


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
    json_type = json_type_of(raw.get("type"), "any" if location == "body" else "string")
    required = required_flag(raw.get("required"), location in ("path", "body"))
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
        description=prose(raw.get("description")),
        template=template,
        constant=constant,
        has_constant=has_constant,
    )


def merge_params(*groups: list[Any]) -> list[dict[str, Any]]:
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
    ctx: BuildContext,
    shared_params: tuple[ir.ClientParam, ...] = (),
    type_names: NameTable | None = None,
) -> ir.ClientOperation:
    name = consumed_operation_name(raw) or "operation"
    exposed = ctx.exposed_namespaces
    raw_path = unqualify_path(text(raw.get("path")) or text(resource.get("path")) or "", exposed)
    table = NameTable(LOCAL_NAMES)
    params: list[ir.ClientParam] = []
    for entry in merge_params(as_list(resource.get("inputParameters")), as_list(raw.get("inputParameters"))):
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
    py_name = claim_method(method_names, snake(wanted_name, fallback="call", limit=MAX_METHOD))
    outputs = build_outputs(raw.get("outputParameters"))
    annotation, shapes, alias = result_type(outputs, pascal(py_name) + "Result", type_names or NameTable())
    max_binary, media_type = binary_limits(raw)
    return ir.ClientOperation(
        name=name,
        py_name=py_name,
        method=method if method in HTTP_METHODS else "GET",
        raw_path=raw_path,
        path=_path_parts(raw_path, by_path_name),
        params=tuple(params),
        body=body,
        raw_format=(text(raw.get("outputRawFormat")) or "json").lower(),
        description=prose(raw.get("description")),
        outputs=outputs,
        result_type=annotation,
        result_shapes=shapes,
        result_alias=alias,
        max_binary=max_binary,
        media_type=media_type,
    )


def _warn_shared_names(operation: ir.ClientOperation, shown: str, op_path: DocPath, ctx: BuildContext) -> None:
    """NG305 for each argument named like an earlier one (sent both; templates see the last)."""
    first: dict[str, ir.ClientParam] = {}
    for param in operation.arguments:
        earlier = first.setdefault(param.wire_name, param)
        if earlier is not param:
            ctx.out.warning(
                "NG305",
                f"{shown} has two inputs named {param.wire_name!r} ({earlier.location} and {param.location}): both are sent,"
                f" but a template or output mapping naming {param.wire_name!r} sees the {param.location} one",
                op_path + ("inputParameters",),
                "nothing to do when the upstream names both so; only a template or mapping naming the input is ambiguous",
            )


def claim_method(table: NameTable, wanted: str) -> str:
    """A method name whose ``_response`` twin is free too; both are claimed."""
    while True:
        name = table.claim(wanted)
        if name + "_response" not in table:
            table.claim(name + "_response")
            return name


def build_consumer(raw: dict[str, Any], ci: int, attr_names: NameTable, class_names: NameTable, ctx: BuildContext) -> ir.HttpConsumer | None:
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
    class_name = class_names.claim(pascal(namespace) + "Client")
    sync_class_name = class_names.claim("Sync" + class_name)
    base_class_name = class_names.claim("_" + class_name + "Base")
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
            built = build_operation(as_dict(operation), resource, as_list(raw.get("inputParameters")), wanted, method_names, ctx, tuple(shared), class_names)
            ctx.operations[op_path] = built
            _warn_shared_names(built, f"{namespace}.{built.name}", op_path, ctx)
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
        class_name=class_name,
        sync_class_name=sync_class_name,
        base_class_name=base_class_name,
        attr_name=attr_names.claim(snake(namespace)),
        base_uri=base_uri,
        base_url_env=base_env,
        description=prose(raw.get("description")),
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
