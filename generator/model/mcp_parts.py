"""Stage 4, MCP resources and prompts: spec data -> ``ir.McpResource`` / ``ir.McpPrompt``.

A resource with `call` is read on demand through the consumed operation; the
`{var}` placeholders of its URI become the reader's parameters (and a URI with
placeholders is listed as a resource template). A resource with `location:
file:///dir` serves the files under that directory. A prompt renders its
messages (or a `location` file) with `{{argument}}` placeholders.
"""

from __future__ import annotations

import keyword
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from . import ir
from .calls import build_call
from .consumes import build_outputs
from .context import LOCAL_NAMES, BuildContext, Inputs, prose
from .naming import NameTable, snake
from ..read.semantics import DocPath, as_dict, as_list, text

URI_VAR = re.compile(r"\{([A-Za-z0-9_.\-]+)\}")
"""A simple RFC 6570 variable in a resource URI (``{userId}``)."""


def _keeps_name(var: str) -> bool:
    return var.isidentifier() and var.isascii() and not keyword.iskeyword(var) and var not in LOCAL_NAMES and not var.startswith("_")


def file_location(value: Any) -> str | None:
    """The local path a ``file:///...`` location names, or None."""
    raw = text(value)
    if raw is None or not raw.startswith("file://"):
        return None
    return unquote(urlsplit(raw).path) or None


def _resource(
    raw: dict[str, Any],
    where: DocPath,
    fn_names: NameTable,
    namespaces: set[str],
    ctx: BuildContext,
) -> ir.McpResource | None:
    name = text(raw.get("name"))
    uri = text(raw.get("uri"))
    if name is None or uri is None:
        return None
    inputs = Inputs(NameTable(LOCAL_NAMES))
    location = file_location(raw.get("location"))
    call = None
    if location is None:
        for var in URI_VAR.findall(uri):
            if var not in inputs.items and _keeps_name(var):
                # the listed URI template keeps the spec's variable name when Python can too
                inputs.items[var] = ir.ExposedInput(var, inputs.table.claim(var), "path", "string", "str", True, None)
            inputs.add(var, "path", "string", True, None, implied=False)
        call = build_call(raw, where, inputs, set(inputs.items), namespaces, True, ctx)
    variables = {wire: item for wire, item in inputs.items.items() if item.location == "path" and not item.implied}
    listed_uri = URI_VAR.sub(lambda m: "{" + variables[m.group(1)].py_name + "}" if m.group(1) in variables else m.group(0), uri)
    return ir.McpResource(
        name=name,
        py_name=fn_names.claim(snake("resource " + name, fallback="resource")),
        title=prose(raw.get("label")),
        description=prose(raw.get("description")) or name,
        uri=listed_uri,
        mime_type=text(raw.get("mimeType")) or (None if location else "application/json"),
        inputs=tuple(variables.values()),
        unfed=tuple(item for wire, item in inputs.items.items() if wire not in variables),
        call=call,
        outputs=build_outputs(raw.get("outputParameters")),
        location=location,
        origin=ctx.origin(where),
        binary=raw.get("binary") is True,
    )


def build_resources(raw: dict[str, Any], ei: int, fn_names: NameTable, namespaces: set[str], ctx: BuildContext) -> tuple[ir.McpResource, ...]:
    """The resources of one MCP exposes block (unnamed or duplicate URIs are skipped)."""
    found: list[ir.McpResource] = []
    seen: set[str] = set()
    for ri, entry in enumerate(as_list(raw.get("resources"))):
        built = _resource(as_dict(entry), ("capability", "exposes", ei, "resources", ri), fn_names, namespaces, ctx)
        if built is not None and built.uri not in seen:
            seen.add(built.uri)
            found.append(built)
    return tuple(found)


def _prompt(raw: dict[str, Any], where: DocPath, ctx: BuildContext) -> ir.McpPrompt | None:
    name = text(raw.get("name"))
    if name is None:
        return None
    arguments = []
    for arg in as_list(raw.get("arguments")):
        arg = as_dict(arg)
        arg_name = text(arg.get("name"))
        if arg_name is not None:
            required = arg.get("required")
            arguments.append(ir.PromptArgument(arg_name, prose(arg.get("description")), required is not False))
    messages = []
    for message in as_list(raw.get("template")):
        message = as_dict(message)
        role = text(message.get("role"))
        content = message.get("content")
        if isinstance(content, str):
            messages.append(ir.PromptMessage("assistant" if role == "assistant" else "user", content))
    return ir.McpPrompt(
        name=name,
        title=prose(raw.get("label")),
        description=prose(raw.get("description")) or name,
        arguments=tuple(arguments),
        messages=tuple(messages),
        location=file_location(raw.get("location")),
        origin=ctx.origin(where),
    )


def build_prompts(raw: dict[str, Any], ei: int, ctx: BuildContext) -> tuple[ir.McpPrompt, ...]:
    """The prompts of one MCP exposes block (unnamed or duplicate names are skipped)."""
    found: list[ir.McpPrompt] = []
    seen: set[str] = set()
    for pi, entry in enumerate(as_list(raw.get("prompts"))):
        built = _prompt(as_dict(entry), ("capability", "exposes", ei, "prompts", pi), ctx)
        if built is not None and built.name not in seen:
            seen.add(built.name)
            found.append(built)
    return tuple(found)
