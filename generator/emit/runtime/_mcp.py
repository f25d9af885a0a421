"""MCP plumbing: tools listed with the spec's exact schema, results with structured
content,
resources read through the consumed API or from files, prompts rendered from
templates."""

from __future__ import annotations

import base64
import importlib
import logging
import mimetypes
import os
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import httpx
from mcp.server.caching import CacheHint
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp.server.mcpserver.prompts.base import Message, Prompt, PromptArgument
from mcp.server.mcpserver.resources import FunctionResource
from mcp.server.mcpserver.tools import Tool
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from . import _answer as answers
from . import _http
from . import _runtime as rt

from . import _secrets

jsonschema: Any = importlib.import_module("jsonschema")
"""Looked up by name: jsonschema ships no type information, so no checker needs it."""

LOG = logging.getLogger(__name__)


class WireTool(Tool):
    """A tool whose arguments are checked against exactly the ``inputSchema`` it
    lists, then reach Python under safe names (they arrive under their wire names)."""

    wire_names: dict[str, str] = Field(default_factory=dict, exclude=True)
    validator: Any = Field(default=None, exclude=True)  # for exactly ``parameters``

    async def run(
        self, arguments: dict[str, Any], context: Any, convert_result: bool = False
    ) -> Any:
        check_arguments(self.name, self.validator, arguments)
        renamed = {
            self.wire_names.get(key, key): value for key, value in arguments.items()
        }
        return await super().run(renamed, context, convert_result)


def check_arguments(name: str, validator: Any, arguments: dict[str, Any]) -> None:
    """ToolError (an ``isError`` result the caller can correct) for arguments the listed
    schema refuses: ``"5"`` for a number, ``"yes"`` for a boolean, a missing input."""
    problem = jsonschema.exceptions.best_match(validator.iter_errors(arguments))
    if problem is not None:
        where = "/".join(str(part) for part in problem.absolute_path) or "arguments"
        raise ToolError(
            f"Invalid arguments for tool {name}: {where}: {problem.message}"
        )


class ContractServer(MCPServer):
    """An ``MCPServer`` answering an unknown tool or prompt with JSON-RPC -32602."""

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Any = None
    ) -> Any:
        if self._tool_manager.get_tool(name) is None:
            raise MCPError(code=INVALID_PARAMS, message=f"Unknown tool: {name}")
        return await super().call_tool(name, arguments, context)

    async def get_prompt(
        self, name: str, arguments: dict[str, Any] | None = None, context: Any = None
    ) -> Any:
        if self._prompt_manager.get_prompt(name) is None:
            raise MCPError(code=INVALID_PARAMS, message=f"Unknown prompt: {name}")
        return await super().get_prompt(name, arguments, context)


def tool(
    fn: Callable[..., Awaitable[CallToolResult]],
    *,
    name: str,
    title: str | None,
    description: str,
    annotations: ToolAnnotations | None,
    input_schema: dict[str, Any],
    wire_names: dict[str, str],
) -> Tool:
    """Register ``fn`` as a tool listed with ``input_schema`` (exactly as the spec
    declares it)."""
    made = WireTool.from_function(
        fn,
        name=name,
        title=title,
        description=description,
        annotations=annotations,
        structured_output=False,
    )
    if not isinstance(made, WireTool):  # from_function makes the class it is called on
        raise TypeError(f"expected a WireTool, got {type(made).__name__}")
    made.parameters = input_schema
    made.validator = jsonschema.Draft202012Validator(input_schema)
    made.wire_names = wire_names
    return made


def quiet_logs() -> None:
    """httpx/httpcore at WARNING, every root log line scrubbed of secrets."""
    _secrets.redact_root_logs()


def error_result(message: str) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text=message)], is_error=True
    )


def success(value: Any) -> CallToolResult:
    """A result with the value as JSON text and as structured content."""
    text = value if isinstance(value, str) else rt.compact_json(value)
    mapping = rt.as_dict(value)
    structured = mapping if mapping is not None else {"result": value}
    return CallToolResult(
        content=[TextContent(type="text", text=text)], structured_content=structured
    )


EMPTY = object()
"""The answer of an upstream that sent no body (204): a tool result with no content."""


class UpstreamFailure(Exception):
    """The upstream call failed: the message says how, for the caller to read."""


async def _answer(
    call: Callable[[], Awaitable[httpx.Response]],
    outputs: Sequence[Mapping[str, Any]],
    args: Mapping[str, Any],
    binds: Mapping[str, str],
) -> Any:
    """Run an upstream call; the mapped value, or UpstreamFailure saying what went
    wrong."""
    try:
        upstream = await call()
    except rt.AdapterError as exc:
        raise UpstreamFailure(_secrets.scrub(f"{exc.title}: {exc}")) from None
    except httpx.HTTPError as exc:
        LOG.warning(
            "upstream call failed: %s: %s", type(exc).__name__, _secrets.scrub(str(exc))
        )
        raise UpstreamFailure(answers.failure_text(exc)) from None
    if upstream.status_code >= 400:
        excerpt = _secrets.scrub(rt.excerpt(upstream.text))
        raise UpstreamFailure(
            f"upstream returned HTTP {upstream.status_code}: {excerpt}"
        )
    document = _http.decode_body(upstream)
    if document is None:
        return EMPTY
    return rt.map_outputs(outputs, document, args, binds) if outputs else document


async def result(
    call: Callable[[], Awaitable[httpx.Response]],
    outputs: Sequence[Mapping[str, Any]],
    args: Mapping[str, Any],
    binds: Mapping[str, str],
) -> CallToolResult:
    """Run an upstream call and turn its answer into a tool result."""
    try:
        value = await _answer(call, outputs, args, binds)
    except UpstreamFailure as exc:
        return error_result(str(exc))
    return CallToolResult(content=[]) if value is EMPTY else success(value)


async def read(
    call: Callable[[], Awaitable[httpx.Response]],
    outputs: Sequence[Mapping[str, Any]],
    args: Mapping[str, Any],
    binds: Mapping[str, str],
) -> str:
    """Run an upstream call for a resource read: its mapped answer as text (JSON unless
    text)."""
    try:
        value = await _answer(call, outputs, args, binds)
    except UpstreamFailure as exc:
        raise ResourceError(str(exc)) from None
    if value is EMPTY:
        return ""
    return value if isinstance(value, str) else rt.compact_json(value)


CACHED_METHODS = (
    "tools/list",
    "resources/list",
    "resources/read",
    "resources/templates/list",
    "prompts/list",
)
"""The results that carry the spec's caching hints (as on the engine)."""


def cache_hints(
    ttl_ms: int, scope: Literal["public", "private"]
) -> dict[Any, CacheHint]:
    """The SDK's per-method caching hints for the spec's `ttlMs` and `cacheScope`."""
    return {method: CacheHint(ttl_ms=ttl_ms, scope=scope) for method in CACHED_METHODS}


async def read_binary(
    call: Callable[[], Awaitable[httpx.Response]],
    outputs: list[Mapping[str, Any]],
    args: Mapping[str, Any],
    binds: Mapping[str, str],
) -> bytes:
    """A resource read as a blob (`binary: true`): the body's bytes, never text."""
    try:
        value = await _answer(call, outputs, args, binds)
    except UpstreamFailure as exc:
        raise ResourceError(str(exc)) from None
    if value is EMPTY:
        return b""
    mapping = rt.as_dict(value)
    if mapping is not None and isinstance(mapping.get("base64"), str):
        return base64.b64decode(mapping["base64"])
    return (value if isinstance(value, str) else rt.compact_json(value)).encode()


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _served(root: Path, path: Path) -> Path | None:
    """``path`` resolved (symlinks followed), when it is a visible regular file inside
    ``root``; None otherwise."""
    try:
        real_root = root.resolve(strict=True)
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_relative_to(real_root) or _hidden(real.relative_to(real_root)):
        return None
    return real if real.is_file() else None


def directory_files(root: Path) -> list[Path]:
    """The files a directory resource serves: no dotfile, nothing under a dot-directory,
    nothing a symlink leads to outside the directory."""
    found: list[Path] = []
    if not root.is_dir():
        return found
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            if not name.startswith(".") and _served(root, path) is not None:
                found.append(path)
    return found


def read_file(root: Path, path: Path) -> str | bytes:
    """A directory resource's file, checked again when read (it may have changed)."""
    real = _served(root, path)
    if real is None:
        raise ResourceError("this resource is not available")
    limit = answers.answer_limit()
    if real.stat().st_size > limit:
        raise ResourceError(f"this resource is larger than {limit} bytes")
    data = real.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


def add_directory(
    server: MCPServer,
    *,
    uri: str,
    location: str,
    name: str,
    title: str | None,
    description: str,
    mime_type: str | None,
) -> None:
    """Serve every visible file under ``location`` as the resource
    ``uri/<relative path>``."""
    root = Path(location)
    for path in directory_files(root):
        relative = path.relative_to(root).as_posix()
        guessed = mimetypes.guess_type(path.name)[0] or "text/plain"

        def reader(path: Path = path) -> str | bytes:
            return read_file(root, path)

        server.add_resource(
            FunctionResource(
                uri=uri.rstrip("/") + "/" + relative,
                name=f"{name}/{relative}",
                title=title,
                description=description,
                mime_type=mime_type or guessed,
                fn=reader,
            )
        )


PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")


def fill(template: str, arguments: Mapping[str, Any]) -> str:
    """``{{name}}`` replaced by the argument; a placeholder with no argument stays as
    written."""
    return PLACEHOLDER.sub(
        lambda m: str(arguments[m.group(1)]) if m.group(1) in arguments else m.group(0),
        template,
    )


def prompt(
    *,
    name: str,
    title: str | None,
    description: str,
    arguments: Sequence[tuple[str, str | None, bool]],
    messages: Sequence[tuple[str, str]],
    location: str | None,
) -> Prompt:
    """A prompt whose messages (or file) are rendered with the caller's arguments."""

    async def render(**given: Any) -> list[Message]:
        if location is not None:
            try:
                text = Path(location).read_text(encoding="utf-8")
            except OSError as exc:
                raise ValueError(
                    f"prompt file {location} cannot be read: {exc.strerror}"
                ) from None
            return [Message(role="user", content=fill(text, given))]
        return [
            Message(role=role, content=fill(content, given))
            for role, content in messages
        ]

    return Prompt(
        name=name,
        title=title,
        description=description,
        arguments=[
            PromptArgument(name=a, description=d, required=r) for a, d, r in arguments
        ],
        fn=render,
        context_kwarg=None,
    )


def mock(
    outputs: Sequence[Mapping[str, Any]],
    args: Mapping[str, Any],
    binds: Mapping[str, str],
) -> CallToolResult:
    return success(rt.map_outputs(outputs, None, args, binds))


class RootAlias:
    """ASGI wrapper: requests to ``/`` reach the MCP endpoint at ``/mcp`` too.

    The engine's clients POST to the server's root path; clients configured for
    ``/mcp`` keep working unchanged.
    """

    def __init__(self, app: Any, path: str = "/mcp") -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == "/":
            scope = {**scope, "path": self.path, "raw_path": self.path.encode()}
        await self.app(scope, receive, send)


def http_app(server: MCPServer, host: str) -> Any:
    """The streamable HTTP application of ``server``, at ``/mcp`` and ``/``.

    Clients of 2025-11-25 get the initialize handshake and a session; clients of
    2026-07-28 send self-contained requests (no initialize, no session), so any
    replica answers any request.
    """
    return RootAlias(server.streamable_http_app(host=host))
