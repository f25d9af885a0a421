"""MCP lint: what real MCP clients reject or silently drop, found at generation time.

Runs on the built model (so it sees what ``tools/list`` will really carry) and
reports at the spec position of each tool. Codes NG401-NG407, documented in
docs/diagnostics.md. Duplicate tool names are NG210 (semantics; the last one is generated).
"""

from __future__ import annotations

import json
import re
from typing import Any

from . import ir
from ..read.diagnostics import Collector
from ..read.semantics import DocPath, as_dict, as_list, text

TOOL_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
NAME_MAX = 64  # MCP tool names (SEP-986 profile most clients enforce; Claude Desktop rejects longer)
NAME_WARN = 60  # Cursor's limit, counting its own server prefix
DESCRIPTION_MAX = 1024  # OpenAI function calling rejects longer tool descriptions
SCHEMA_MAX = 4096  # bytes of input schema past which a client replaces it with {}
LIST_MAX = 64 * 1024  # bytes of tools/list past which clients are reported to drop tools
TOOLS_MAX = 128  # tools per request that OpenAI-backed clients accept


def listed_tool(tool: ir.McpTool) -> dict[str, Any]:
    """The tool as ``tools/list`` shows it (the SDK's wire form, for measuring sizes)."""
    entry: dict[str, Any] = {"name": tool.name, "description": tool.description, "inputSchema": tool.input_schema}
    if tool.title:
        entry["title"] = tool.title
    annotations = {
        key: value
        for key, value in (
            ("title", tool.title),
            ("readOnlyHint", tool.hints.read_only),
            ("destructiveHint", tool.hints.destructive),
            ("idempotentHint", tool.hints.idempotent),
            ("openWorldHint", tool.hints.open_world),
        )
        if value is not None
    }
    if annotations:
        entry["annotations"] = annotations
    return entry


def _size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def _same_words(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"[^a-z0-9]+", "", s.lower())

    return norm(a) == norm(b)


def _lint_name(name: str, where: DocPath, out: Collector) -> None:
    if not TOOL_NAME.match(name):
        bad = sorted({ch for ch in name if not re.match(r"[A-Za-z0-9_.-]", ch)})
        if bad:
            shown = ", ".join(repr(ch) for ch in bad)
            problem = f"uses {shown}; MCP tool names allow only letters, digits, '_', '-' and '.'"
        elif not name:
            problem = "is empty"
        else:
            problem = f"is {len(name)} characters long; MCP clients reject names over {NAME_MAX}"
        out.error("NG401", f"MCP tool name {name!r} {problem}", where + ("name",), "rename the tool; clients call it by this name")
    elif len(name) > NAME_WARN:
        out.warning(
            "NG402",
            f"MCP tool name {name!r} is {len(name)} characters long; some clients cut names over {NAME_WARN}",
            where + ("name",),
            f"keep tool names to {NAME_WARN} characters or fewer",
        )


def _lint_tool(tool: ir.McpTool, raw: dict[str, Any], where: DocPath, out: Collector) -> None:
    _lint_name(tool.name, where, out)
    description = text(raw.get("description")) or ""
    if not description.strip() or _same_words(description, tool.name) or (tool.title and _same_words(description, tool.title)):
        out.warning(
            "NG403",
            f"MCP tool {tool.name!r} has no description beyond its name; agents choose tools by description",
            where + (("description",) if "description" in raw else ()),
            "say what the tool does, what it needs and what it returns",
        )
    elif len(tool.description) > DESCRIPTION_MAX:
        out.warning(
            "NG404",
            f"MCP tool {tool.name!r} has a {len(tool.description)}-character description; clients reject or cut descriptions over {DESCRIPTION_MAX}",
            where + ("description",),
            "move reference detail out of the description; keep what an agent needs to pick the tool",
        )
    schema_size = _size(tool.input_schema)
    if schema_size > SCHEMA_MAX:
        out.warning(
            "NG405",
            f"MCP tool {tool.name!r} has a {schema_size}-byte input schema; some clients replace schemas over {SCHEMA_MAX} bytes with {{}}",
            where + (("inputParameters",) if "inputParameters" in raw else ()),
            "shorten the input descriptions, or split the tool",
        )


def _lint_server(server: ir.McpServer, raw: dict[str, Any], base: DocPath, out: Collector) -> None:
    raw_tools = [as_dict(entry) for entry in as_list(raw.get("tools"))]
    by_name = {tool.name: tool for tool in server.tools}
    last = {text(entry.get("name")) or "": ti for ti, entry in enumerate(raw_tools)}  # the generated one (NG210)
    for ti, entry in enumerate(raw_tools):
        name = text(entry.get("name")) or ""
        if name in by_name and last[name] == ti:
            _lint_tool(by_name[name], entry, base + ("tools", ti), out)
    total = _size({"tools": [listed_tool(tool) for tool in server.tools]})
    if total > LIST_MAX:
        out.warning(
            "NG406",
            f"MCP server {server.namespace!r} lists {len(server.tools)} tools in {total // 1024} KiB; clients are known to drop tools from lists over {LIST_MAX // 1024} KiB",
            base + ("tools",),
            "split the capability into several MCP exposes, or shorten descriptions",
        )
    if len(server.tools) > TOOLS_MAX:
        out.warning(
            "NG407",
            f"MCP server {server.namespace!r} has {len(server.tools)} tools; many clients accept at most {TOOLS_MAX}",
            base + ("tools",),
            "split the capability into several MCP exposes",
        )


def lint(data: dict[str, Any], capability: ir.Capability, out: Collector) -> None:
    """Report every MCP client problem in the spec's MCP exposes blocks."""
    servers = iter(capability.mcp_servers)
    for ei, raw in enumerate(as_list(as_dict(data.get("capability")).get("exposes"))):
        raw = as_dict(raw)
        if raw.get("type") != "mcp":
            continue
        server = next(servers, None)
        if server is None:
            return
        _lint_server(server, raw, ("capability", "exposes", ei), out)
