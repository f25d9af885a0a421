"""What every model builder shares: the build context, the inputs being collected, and
the small readers of spec values (types, flags, descriptions, `with` values)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..read.diagnostics import Collector
from ..read.semantics import DocPath, OperationIndex, text
from . import ir
from .naming import NameTable, snake
from .request_parts import TEMPLATE_VAR, WITH_REF


HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


LOCATIONS = ("path", "query", "header", "cookie", "body", "environment")


JSON_TYPES = ("string", "number", "integer", "boolean", "array", "object")


# Names generated functions use for their own locals and modules: never parameter names.
LOCAL_NAMES = {"self", "_http", "args", "request", "rt", "rest", "mcp_support", "httpx", "Any", "Number", "BINDS", "clients", "Annotated", "Body", "Cookie", "Header", "Path", "Query", "Response", "ctx", "context", "steps", "orchestration", "forward", "auth", "serve", "control", "Request", "APIRouter", "ResourceError", "CallToolResult", "ToolAnnotations", "MCPServer", "Callable", "ROUTERS", "PORTS", "SERVERS", "SETTINGS", "url", "content", "fields", "cast"}
"""Module aliases and module-level names of the generated modules: no generated local name may take one."""


# Client method names that would shadow the class's own helpers.
CLIENT_RESERVED = {"close", "aclose", "request", "base_url", "send", "auth", "namespace", "default_base_url", "base_url_env"}


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


def json_type_of(value: Any, default: str = "string") -> str:
    t = text(value)
    return t if t in JSON_TYPES else default


def required_flag(value: Any, default: bool) -> bool:
    return value if isinstance(value, bool) else default


def prose(value: Any) -> str | None:
    t = text(value)
    return " ".join(t.split()) if t and t.strip() else None


@dataclass
class BuildContext:
    spec_file: str
    out: Collector
    index: OperationIndex
    locate: Any
    bind_vars: set[str] = field(default_factory=set)
    exposed_namespaces: frozenset[str] = frozenset()
    consumers: dict[str, ir.HttpConsumer] = field(default_factory=dict)
    operations: dict[DocPath, ir.ClientOperation] = field(default_factory=dict)
    orchestrations: list[ir.Orchestration] = field(default_factory=list)
    functions: dict[str, Any] = field(default_factory=dict)  # aggregate functions (steps.Function)
    fn_names: NameTable = field(default_factory=lambda: NameTable(LOCAL_NAMES))

    def origin(self, path: DocPath) -> ir.Origin:
        line, col = self.locate(path) if self.locate else (1, 1)
        return ir.Origin(self.spec_file, line, col)


@dataclass
class Inputs:
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


def parse_with(value: Any, namespaces: set[str]) -> tuple[str, Any]:
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
