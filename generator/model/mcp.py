"""MCP exposes: each `type: mcp` block -> an ``ir.McpServer`` with its tools (resources and
prompts come from ``mcp_parts``)."""

from __future__ import annotations

import functools
from typing import Any

from ..read.semantics import DocPath, as_dict, as_list, text
from .binary import size_in_bytes
from . import ir, steps
from .calls import build_call, declared_inputs
from .consumes import build_outputs
from .context import LOCAL_NAMES, BuildContext, Inputs, prose
from .exposes import block_auth
from .mcp_parts import build_prompts, build_resources
from .naming import NameTable, snake


ANY_JSON = ("string", "number", "boolean", "object", "array", "null")
"""An input of no declared type: any JSON value, spelled so that it still constrains
(strict MCP clients flag a schema with no validation keyword)."""


@functools.lru_cache(maxsize=1024)
def input_schema(inputs: tuple[ir.ExposedInput, ...]) -> ir.FrozenDict:
    """The JSON Schema of an MCP tool's arguments: an object, no $ref, wire names as keys.

    Tools with the same inputs share one (read-only) schema: the emit stage lays it out once."""
    schema: dict[str, Any] = {"type": "object"}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for item in inputs:
        prop: dict[str, Any] = {}
        if item.json_type == "any":
            prop["anyOf"] = [{"type": kind} for kind in ANY_JSON]
        else:
            prop["type"] = item.json_type
        if item.json_type == "array" and item.py_type.startswith("list[str]"):
            prop["items"] = {"type": "string"}  # as the Python type and the REST query say
        if item.description:
            prop["description"] = item.description
        properties[item.wire_name] = prop
        if item.required:
            required.append(item.wire_name)
    if properties:
        schema["properties"] = properties
    if required:
        schema["required"] = required
    return ir.FrozenDict(schema)


def _hints(raw: Any) -> ir.ToolHints:
    raw = as_dict(raw)

    def flag(key: str) -> bool | None:
        value = raw.get(key)
        return value if isinstance(value, bool) else None

    return ir.ToolHints(flag("readOnly"), flag("destructive"), flag("idempotent"), flag("openWorld"))


def build_mcp(raw: dict[str, Any], ei: int, py_names: NameTable, fn_names: NameTable, namespaces: set[str], ctx: BuildContext) -> ir.McpServer:
    namespace = text(raw.get("namespace")) or f"mcp-{ei}"
    tools: list[ir.McpTool] = []
    raw_tools = [as_dict(tool) for tool in as_list(raw.get("tools"))]
    last = {text(tool.get("name")): ti for ti, tool in enumerate(raw_tools)}  # the last of a name answers (NG210)
    for ti, tool in enumerate(raw_tools):
        where: DocPath = ("capability", "exposes", ei, "tools", ti)
        name = text(tool.get("name"))
        if name is None or last[name] != ti:
            continue
        inputs = Inputs(NameTable(LOCAL_NAMES))
        declared_inputs(as_list(tool.get("inputParameters")), inputs, for_mcp=True)
        call = build_call(tool, where, inputs, set(), namespaces, True, ctx)
        run, function, _ = steps.run_plan(tool, where, f"{namespace} {name}", inputs, namespaces, ctx, True)
        items = tuple(inputs.items.values())
        hints = _hints(tool.get("hints"))
        if function is not None:
            hints = steps.merge_hints(function.hints, hints)
        tools.append(
            ir.McpTool(
                name=name,
                py_name=fn_names.claim(snake(name, fallback="tool")),
                title=prose(tool.get("label")),
                description=prose(tool.get("description")) or (function.description if function else None) or name,
                hints=hints,
                inputs=items,
                input_schema=input_schema(items),
                call=call,
                outputs=build_outputs(tool.get("outputParameters")),
                origin=ctx.origin(where),
                run=run,
            )
        )
    resources = build_resources(raw, ei, fn_names, namespaces, ctx)
    prompts = build_prompts(raw, ei, ctx)
    port = raw.get("port")
    transport = "stdio" if text(raw.get("transport")) == "stdio" else "http"
    return ir.McpServer(
        namespace=namespace,
        py_name=py_names.claim(snake(namespace)),
        port=port if isinstance(port, int) and 0 < port < 65536 else 9090,
        max_body=size_in_bytes(raw.get("maxBinarySize")),
        address=text(raw.get("address")) or "127.0.0.1",
        transport=transport,
        description=prose(raw.get("description")),
        tools=tuple(tools),
        resources=resources,
        prompts=prompts,
        auth=block_auth(raw, ("capability", "exposes", ei), ctx),
        cache=_cache_hints(raw),
    )


def _cache_hints(raw: dict[str, Any]) -> tuple[int, str] | None:
    """(ttlMs, cacheScope) when the block gives either, with the engine's defaults (0, private)."""
    ttl, scope = raw.get("ttlMs"), raw.get("cacheScope")
    if ttl is None and scope is None:
        return None
    ttl_ms = ttl if isinstance(ttl, int) and not isinstance(ttl, bool) and ttl >= 0 else 0
    return ttl_ms, scope if scope in ("public", "private") else "private"
