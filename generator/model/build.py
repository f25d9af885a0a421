"""Validated spec data -> the immutable model in ``ir.py``.

This is the only place Python names are made. Inputs implied by `with`
references (``rest.x``, ``tools.x``) or by consumed inputs that nothing feeds
become exposed inputs of the same kind, so every route and tool can really
reach the API it calls.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..read.diagnostics import Collector
from ..read.semantics import OperationIndex, as_dict, as_list, text
from . import exposes as exposed_blocks, ir, package_doc, steps
from .exposes import block_auth
from .consumes import build_consumer
from .context import LOCAL_NAMES, BuildContext, prose
from .mcp import build_mcp
from .naming import NameTable
from .rest import build_rest
from .skill_servers import build_skill_servers


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
    ctx = BuildContext(source, out, index, out.locate, bind_vars={var for var, _ in binds}, exposed_namespaces=frozenset(namespaces))
    info = as_dict(data.get("info"))
    attr_names = NameTable()
    class_names = NameTable({"Clients", "SyncClients", "Client", "SyncClient", "TypedDict", "TypeAlias"})
    consumers = [
        c
        for ci, raw in enumerate(as_list(capability.get("consumes")))
        if isinstance(raw, dict) and (c := build_consumer(raw, ci, attr_names, class_names, ctx)) is not None
    ]
    steps.build_aggregates(capability, namespaces, ctx)
    rest_names, mcp_names = NameTable(LOCAL_NAMES), NameTable(LOCAL_NAMES)
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
            control = exposed_blocks.build_control(exposes, where, ctx, block_auth(exposes, where, ctx))
    skills = exposed_blocks.build_skills(as_list(capability.get("exposes")), rest, mcp, ctx)
    capability_model = ir.Capability(
        package=package,
        source=source,
        label=text(info.get("label")) or text(info.get("title")) or package,
        description=prose(info.get("description")),
        binds=tuple(binds),
        consumers=tuple(consumers),
        rest_servers=tuple(rest),
        mcp_servers=tuple(mcp),
        orchestrations=tuple(ctx.orchestrations),
        bind_files=tuple(bind_files),
        skills=skills,
        control=control,
        skill_servers=build_skill_servers(as_list(capability.get("exposes")), skills),
        version=capability_version(info.get("version")),
    )
    return replace(capability_model, env_vars=package_doc.env_vars(capability_model))


def capability_version(value: Any) -> str:
    """The capability's version: ``info.version`` when it says one, else 1.0.0 (never empty)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return (text(value) or "").strip() or "1.0.0"
