"""The consumed side of the intermediate model: HTTP APIs, their operations and parameters.

Re-exported by ``ir``; templates and builders name these classes as ``ir.HttpConsumer`` etc.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Location = Literal["path", "query", "header", "cookie", "body", "environment", "template"]
"""`template`: a variable used only inside templates (body, values); never sent on its own."""
JsonType = Literal["string", "number", "integer", "boolean", "array", "object", "any"]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a node came from, for messages the generated code gives at run time."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        # no file name: run-time messages never say where the spec lived
        return f"spec line {self.line}, column {self.col}"


@dataclass(frozen=True, slots=True)
class OutputParam:
    """One output mapping rule (see naftiko-semantics §4.3), with its intended meaning."""

    name: str | None
    type: str
    mapping: str | None = None
    value: Any = None
    has_value: bool = False
    const: Any = None
    has_const: bool = False
    properties: tuple["OutputParam", ...] = ()
    items: "OutputParam | None" = None

    def plain(self) -> dict[str, Any]:
        """The rule as plain data, rendered into generated code as a literal."""
        out: dict[str, Any] = {"type": self.type}
        if self.name is not None:
            out["name"] = self.name
        if self.mapping is not None:
            out["mapping"] = self.mapping
        if self.has_value:
            out["value"] = self.value
        if self.has_const:
            out["const"] = self.const
        if self.properties:
            out["properties"] = [p.plain() for p in self.properties]
        if self.items is not None:
            out["items"] = self.items.plain()
        return out


@dataclass(frozen=True, slots=True)
class Auth:
    """Upstream authentication. Secret fields are templates resolved at call time."""

    kind: str  # bearer | basic | digest | apikey | oauth2 | unsupported
    token: str | None = None
    username: str | None = None
    password: str | None = None
    key: str | None = None
    value: str | None = None
    placement: str = "header"  # header | query | cookie
    token_url: str | None = None
    issuer: str | None = None  # oauth2: authorization server, for token endpoint discovery
    resource: str | None = None  # oauth2: RFC 8707 resource indicator
    audience: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    scopes: tuple[str, ...] = ()
    unsupported_reason: str | None = None

    def plain(self) -> dict[str, Any]:
        """The settings as plain data, rendered into the client as a literal."""
        out: dict[str, Any] = {"kind": self.kind}
        for key in ("token", "username", "password", "key", "value", "token_url", "issuer", "resource", "audience", "client_id", "client_secret"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.kind == "apikey":
            out["placement"] = self.placement
        if self.scopes:
            out["scopes"] = list(self.scopes)
        if self.unsupported_reason:
            out["reason"] = self.unsupported_reason
        return out


@dataclass(frozen=True, slots=True)
class PathPart:
    """A literal piece of a consumed path, or a placeholder filled from a parameter."""

    text: str
    param: "ClientParam | None" = None  # the parameter that fills a placeholder


@dataclass(frozen=True, slots=True)
class ClientParam:
    """One consumed input: a method argument, or a constant/template the client fills."""

    wire_name: str
    py_name: str
    location: Location
    json_type: JsonType
    py_type: str
    required: bool
    description: str | None
    template: str | None = None  # `value:` on the consumed input: sent as rendered text
    constant: Any = None
    has_constant: bool = False
    shared: bool = False  # a consumes-level input: placed by the client's `_send`

    @property
    def is_argument(self) -> bool:
        """True when callers pass it (no constant, no template, not from the environment)."""
        return self.template is None and not self.has_constant and self.location != "environment"


@dataclass(frozen=True, slots=True)
class RequestBody:
    """A `body:` block on a consumed operation."""

    kind: str  # json (structured data) | template (text) | form (field map) | multipart (parts)
    content_type: str
    data: Any  # JSON-like data, a text template, a field map, or a tuple of part dicts
    escape: str = "none"  # template bodies: how values are escaped (json | xml | form | sparql | none)


@dataclass(frozen=True, slots=True)
class ResultShape:
    """A TypedDict the client declares for a mapped result: (key, annotation) fields."""

    name: str
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ClientOperation:
    """One consumed HTTP operation: a typed method (its mapped output) and a
    ``<py_name>_response`` twin (the raw answer), async and sync."""

    name: str
    py_name: str
    method: str
    raw_path: str
    path: tuple[PathPart, ...]
    params: tuple[ClientParam, ...]
    body: RequestBody | None
    raw_format: str
    description: str | None
    outputs: tuple[OutputParam, ...]
    max_binary: int | None = None  # `maxBinarySize` in bytes (binary answers only)
    media_type: str | None = None  # `outputMediaType`: the Content-Type the answer is given
    result_type: str = "Any"  # the annotation of the typed method's mapped output
    result_shapes: tuple[ResultShape, ...] = ()  # TypedDicts it names, inner ones first
    result_alias: str | None = None  # what ``result_type`` aliases, when it is an alias
    arguments: tuple[ClientParam, ...] = field(init=False, repr=False, compare=False)
    """The parameters callers pass (``ClientParam.is_argument``), in order; made once."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "arguments", tuple(p for p in self.params if p.is_argument))

    @property
    def response_name(self) -> str:
        """The raw twin's name (``build_operation`` keeps it free)."""
        return self.py_name + "_response"


@dataclass(frozen=True, slots=True)
class HttpConsumer:
    """One consumes namespace: one client class."""

    namespace: str
    class_name: str
    attr_name: str
    base_uri: str
    base_url_env: str
    description: str | None
    auth: Auth | None
    shared_params: tuple[ClientParam, ...]
    operations: tuple[ClientOperation, ...]
    sync_class_name: str = ""  # the sync twin (on httpx.Client)
    base_class_name: str = ""  # settings and request building both share
