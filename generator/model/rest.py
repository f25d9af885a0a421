"""REST exposes: each `type: rest` block -> an ``ir.RestServer`` with its routes."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..read.semantics import PLACEHOLDER, DocPath, as_dict, as_list, path_placeholders, text
from .binary import size_in_bytes
from . import exposes, ir, steps
from .exposes import block_auth
from .calls import build_call, declared_inputs
from .consumes import build_outputs, merge_params
from .context import HTTP_METHODS, LOCAL_NAMES, BuildContext, Inputs, prose, py_type
from .naming import NameTable, snake


def _fastapi_path(raw_path: str, inputs: Inputs) -> str:
    path = raw_path.split("?", 1)[0].split("#", 1)[0] or "/"
    if not path.startswith("/"):
        path = "/" + path

    def repl(match: re.Match[str]) -> str:
        name = (match.group(1) or match.group(2)).strip()
        item = inputs.items.get(name)
        return "{" + (item.path_key if item else snake(name)) + "}"

    return PLACEHOLDER.sub(repl, path)


def build_rest(raw: dict[str, Any], ei: int, py_names: NameTable, handler_names: NameTable, namespaces: set[str], ctx: BuildContext) -> ir.RestServer:
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
            forwards.append(exposes.build_forward(resource, ("capability", "exposes", ei, "resources", ri), handler_names, ctx))
        placeholders = path_placeholders(raw_path.split("?", 1)[0])
        for oi, operation in enumerate(as_list(resource.get("operations"))):
            operation = as_dict(operation)
            where: DocPath = ("capability", "exposes", ei, "resources", ri, "operations", oi)
            method = (text(operation.get("method")) or "GET").upper()
            if method not in HTTP_METHODS:
                method = "GET"
            inputs = Inputs(NameTable(LOCAL_NAMES))
            declared_inputs(
                merge_params(as_list(resource.get("inputParameters")), as_list(operation.get("inputParameters"))),
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
            run, function, _ = steps.run_plan(operation, where, f"{namespace} {method} {raw_path}", inputs, namespaces, ctx, False)
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
                    operation_id=operation_ids.claim(snake(name, fallback="route", limit=None)),
                    summary=prose(operation.get("label")) or prose(operation.get("name")),
                    description=prose(operation.get("description")) or (function.description if function else None),
                    inputs=tuple(inputs.items.values()),
                    call=call,
                    outputs=build_outputs(operation.get("outputParameters")),
                    origin=ctx.origin(where),
                    run=run,
                    tags=_tags(resource, operation),
                    media_type=_binary_media_type(operation),
                )
            )
    port = raw.get("port")
    return ir.RestServer(
        namespace=namespace,
        py_name=py_names.claim(snake(namespace)),
        port=port if isinstance(port, int) and 0 < port < 65536 else 8080,
        max_body=size_in_bytes(raw.get("maxBinarySize")),
        address=text(raw.get("address")) or "127.0.0.1",
        description=prose(raw.get("description")),
        routes=tuple(routes),
        forwards=tuple(forwards),
        auth=block_auth(raw, ("capability", "exposes", ei), ctx),
    )


def _tags(resource: dict[str, Any], operation: dict[str, Any]) -> tuple[str, ...]:
    """The route's OpenAPI tags: its resource's ``tags``, then its operation's, once each."""
    found = [text(t) for t in as_list(resource.get("tags")) + as_list(operation.get("tags"))]
    return tuple(dict.fromkeys(t for t in found if t))


def _binary_media_type(operation: dict[str, Any]) -> str | None:
    """The media type of the binary answer the operation declares: `responseBinary`, else
    the first binary content of a 2xx entry of `responses`."""
    shorthand = as_dict(operation.get("responseBinary"))
    if text(shorthand.get("mediaType")):
        return text(shorthand.get("mediaType"))
    for status, response in as_dict(operation.get("responses")).items():
        if str(status).startswith("2"):
            for media, content in as_dict(as_dict(response).get("content")).items():
                if as_dict(content).get("binary") is True:
                    return str(media)
    return None


def _check_input_patterns(resource: dict[str, Any], where: DocPath, ctx: BuildContext) -> None:
    """NG322 for the `pattern`s of a REST resource's and its operations' inputs."""
    found: list[tuple[DocPath, Any]] = [(where + ("inputParameters", i), p) for i, p in enumerate(as_list(resource.get("inputParameters")))]
    for oi, operation in enumerate(as_list(resource.get("operations"))):
        found += [(where + ("operations", oi, "inputParameters", i), p) for i, p in enumerate(as_list(as_dict(operation).get("inputParameters")))]
    exposes.check_patterns(found, ctx)


def _fix_body_inputs(inputs: Inputs) -> None:
    """One whole-body input takes the request body; body fields otherwise."""
    body = [i for i in inputs.items.values() if i.location == "body"]
    whole = [i for i in body if i.whole_body]
    if len(body) == 1 and not whole:
        return
    if len(whole) >= 1 and len(body) > 1:
        # a whole body cannot coexist with body fields: keep every body input a field
        for item in whole:
            inputs.items[item.wire_name] = dataclasses.replace(item, whole_body=False)
