"""The intermediate model: the only thing templates see.

Built by the builders in this package from a validated spec (the consumed side lives in
``ir_consumes`` and is re-exported here). Every Python name is made there
(never in a template), and every node is immutable and ordered as in the spec.

    Capability
    ├── consumers: HttpConsumer            one client class per consumes namespace
    │   ├── auth: Auth | None
    │   ├── shared_params: ClientParam     consumes-level inputs (sent on every call)
    │   └── operations: ClientOperation    one async method each
    │       ├── path: PathPart             literal text or a placeholder
    │       ├── params: ClientParam        method keyword arguments or constants
    │       ├── body: RequestBody | None   a `body:` block
    │       └── outputs: OutputParam       consumed output mapping (used by steps)
    ├── rest_servers: RestServer           one FastAPI APIRouter each
    │   └── routes: RestRoute
    │       ├── inputs: ExposedInput       route parameters (declared or implied)
    │       ├── call: CallPlan             which client method, with which arguments
    │       └── outputs: OutputParam
    └── mcp_servers: McpServer             one MCPServer each
        ├── tools: McpTool
        │   ├── inputs: ExposedInput       tool arguments (declared or implied)
        │   ├── call: CallPlan
        │   └── outputs: OutputParam
        ├── resources: McpResource         dynamic (call) or static (files)
        └── prompts: McpPrompt             messages with {{argument}} placeholders
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .ir_consumes import (
    Auth,
    ClientOperation as ClientOperation,
    ClientParam as ClientParam,
    HttpConsumer,
    JsonType,
    Location,
    Origin,
    OutputParam,
    PathPart as PathPart,
    RequestBody as RequestBody,
    ResultShape as ResultShape,
)


class FrozenDict(dict[str, Any]):
    """A dict of the model that several nodes share (the JSON Schema of tools with the
    same inputs): read-only, so that what is made of it once (its literal in the
    generated code) stands for every node holding it."""

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a FrozenDict of the model is read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only
    __ior__ = _read_only



@dataclass(frozen=True, slots=True)
class ExposedInput:
    """A REST route parameter or an MCP tool argument."""

    wire_name: str
    py_name: str
    location: Location  # for MCP tools every input is an argument; location is informative
    json_type: JsonType
    py_type: str
    required: bool
    description: str | None
    whole_body: bool = False
    implied: bool = False
    pattern: str | None = None

    @property
    def path_key(self) -> str:
        """The placeholder in a FastAPI path: the wire name when Starlette accepts it (OpenAPI shows it)."""
        wire = self.wire_name
        return wire if wire.isascii() and wire.isidentifier() else self.py_name


@dataclass(frozen=True, slots=True)
class ArgSource:
    """How one client argument is computed from the exposed side."""

    kind: Literal["input", "literal", "template", "env"]
    input: str | None = None  # python name of the ExposedInput
    value: Any = None  # literal value, template text or environment variable name
    loose: bool = False  # the input's Python type is not the argument's: passed as Any


@dataclass(frozen=True, slots=True)
class CallPlan:
    """A resolved `call`: the client method and its arguments, or why it cannot run."""

    consumer_attr: str | None
    operation_py_name: str | None
    arguments: tuple[tuple[str, ArgSource], ...]  # (client parameter py_name, source)
    problem: str | None = None  # set when the call target is missing or ambiguous
    target: str | None = None  # the `call` text as written


@dataclass(frozen=True, slots=True)
class StepArg:
    """How one consumed argument of a step is computed from the running scope."""

    kind: Literal["arg", "literal", "template", "env"]
    value: Any = None  # wire name of a caller argument, a literal, template text or a variable


@dataclass(frozen=True, slots=True)
class CallStep:
    """A ``type: call`` step: one client method call whose output is kept under ``name``."""

    name: str
    consumer_attr: str | None
    operation_py_name: str | None
    arguments: tuple[tuple[str, StepArg], ...]
    outputs: tuple[OutputParam, ...]  # the consumed operation's outputs (project the step output)
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class LookupStep:
    """A ``type: lookup`` step: match values against an earlier step's list."""

    name: str
    index: str
    match: str
    lookup_value: str
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StepMapping:
    """One ``mappings`` entry: a dotted target name and a ``$.step.field`` path."""

    target: str
    value: str

    def plain(self) -> list[str]:
        return [self.target, self.value]


@dataclass(frozen=True, slots=True)
class Orchestration:
    """One generated async function: steps (or one call, or a mock) and how the answer is built.

    Shared by REST routes and MCP tools (aggregate functions are referenced by both).
    """

    py_name: str
    label: str
    steps: tuple["CallStep | LookupStep", ...]
    mappings: tuple[StepMapping, ...]
    outputs: tuple[OutputParam, ...]
    defaults: tuple[tuple[str, StepArg], ...] = ()  # the function's own `with`, by wire name
    inputs: tuple["ExposedInput", ...] = ()  # what callers pass (aggregate functions)
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class RunPlan:
    """A route or tool served by an orchestration function, with its own `with` values."""

    function: str
    extra: tuple[tuple[str, StepArg], ...] = ()
    outputs: tuple[OutputParam, ...] = ()  # the caller's outputs, applied when the function maps nothing


@dataclass(frozen=True, slots=True)
class Forward:
    """A REST resource proxied to a consumes namespace."""

    path: str  # FastAPI path, the last placeholder taking the rest of the path
    raw_path: str
    py_name: str
    tail: str | None  # python name of the path parameter holding the forwarded path
    consumer_attr: str | None
    trusted_headers: tuple[str, ...]
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class RestRoute:
    """One exposed REST operation."""

    method: str
    path: str  # FastAPI path with python-name placeholders
    raw_path: str
    py_name: str
    operation_id: str
    summary: str | None
    description: str | None
    inputs: tuple[ExposedInput, ...]
    call: CallPlan | None
    outputs: tuple[OutputParam, ...]
    origin: Origin
    run: RunPlan | None = None
    tags: tuple[str, ...] = ()  # OpenAPI tags: the resource's, then the operation's
    media_type: str | None = None  # the declared binary response type (`responseBinary`)

    @property
    def passes_through(self) -> bool:
        """True when the upstream's answer is returned as it came (no outputs, or one `$.`),
        as ``_runtime.is_whole_document`` decides at run time."""
        if self.run is not None or self.call is None or self.call.problem:
            return False
        if not self.outputs:
            return True
        rule = self.outputs[0]
        plain = rule.name is None and not (rule.has_value or rule.has_const or rule.properties or rule.items)
        return len(self.outputs) == 1 and plain and (rule.mapping or "").strip() in ("$", "$.")


@dataclass(frozen=True, slots=True)
class RestServer:
    """One `exposes: type: rest` block: one APIRouter."""

    namespace: str
    py_name: str
    port: int
    address: str
    description: str | None
    routes: tuple[RestRoute, ...]
    forwards: tuple[Forward, ...] = ()
    auth: Auth | None = None  # exposed-side authentication every request must pass
    max_body: int | None = None  # the block's `maxBinarySize` in bytes: caps request bodies


@dataclass(frozen=True, slots=True)
class ToolHints:
    read_only: bool | None = None
    destructive: bool | None = None
    idempotent: bool | None = None
    open_world: bool | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in (self.read_only, self.destructive, self.idempotent, self.open_world))


@dataclass(frozen=True, slots=True)
class McpTool:
    """One MCP tool."""

    name: str
    py_name: str
    title: str | None
    description: str
    hints: ToolHints
    inputs: tuple[ExposedInput, ...]
    input_schema: FrozenDict
    call: CallPlan | None
    outputs: tuple[OutputParam, ...]
    origin: Origin
    run: RunPlan | None = None


@dataclass(frozen=True, slots=True)
class McpResource:
    """One MCP resource: dynamic (a `call`, read on demand) or static (files under `location`)."""

    name: str
    py_name: str
    title: str | None
    description: str
    uri: str  # as listed; template variables renamed to the Python names of `inputs`
    mime_type: str | None
    inputs: tuple[ExposedInput, ...]  # the URI template variables (dynamic resources)
    unfed: tuple[ExposedInput, ...]  # consumed inputs a URI cannot carry: sent as None
    call: CallPlan | None
    outputs: tuple[OutputParam, ...]
    location: str | None  # a local directory (static resources)
    origin: Origin
    binary: bool = False  # read as a blob (the body's bytes), never as text

    @property
    def is_template(self) -> bool:
        return bool(self.inputs)


@dataclass(frozen=True, slots=True)
class PromptArgument:
    name: str
    description: str | None
    required: bool


@dataclass(frozen=True, slots=True)
class PromptMessage:
    role: str  # user | assistant
    content: str  # text with {{argument}} placeholders


@dataclass(frozen=True, slots=True)
class McpPrompt:
    """One MCP prompt: inline messages, or a file read when the prompt is fetched."""

    name: str
    title: str | None
    description: str
    arguments: tuple[PromptArgument, ...]
    messages: tuple[PromptMessage, ...]
    location: str | None  # a local file whose text is one user message
    origin: Origin


@dataclass(frozen=True, slots=True)
class McpServer:
    """One `exposes: type: mcp` block: one MCPServer."""

    namespace: str
    py_name: str
    port: int
    address: str
    transport: str  # stdio | http
    description: str | None
    tools: tuple[McpTool, ...]
    resources: tuple[McpResource, ...] = ()
    prompts: tuple[McpPrompt, ...] = ()
    auth: Auth | None = None  # exposed-side authentication, enforced over streamable HTTP
    cache: tuple[int, str] | None = None  # (`ttlMs`, `cacheScope`) hints on list/read results
    max_body: int | None = None  # the block's `maxBinarySize` in bytes: caps request bodies


@dataclass(frozen=True, slots=True)
class Capability:
    """Everything generated for one spec file."""

    package: str
    source: str
    label: str
    description: str | None
    binds: tuple[tuple[str, str], ...]  # (template variable, environment variable)
    consumers: tuple[HttpConsumer, ...]
    rest_servers: tuple[RestServer, ...]
    mcp_servers: tuple[McpServer, ...]
    env_vars: tuple[tuple[str, str], ...] = field(default=())  # (variable, what it is for)
    orchestrations: tuple[Orchestration, ...] = ()
    bind_files: tuple[tuple[str, str, str], ...] = ()  # (variable, file location, key in the file)
    skills: tuple["Skill", ...] = ()
    control: "Control | None" = None
    skill_servers: tuple["SkillServer", ...] = ()
    version: str = "1.0.0"  # info.version, reported as the MCP serverInfo and OpenAPI version

    @property
    def exposed_auth(self) -> bool:
        """True when some REST, MCP or control exposes block requires authentication."""
        guarded = self.control is not None and self.control.auth is not None
        return guarded or any(s.auth is not None for s in self.rest_servers + self.mcp_servers)  # type: ignore[operator]

    @property
    def app_auth(self) -> bool:
        """True when the REST app checks credentials: a guarded REST exposes or control block."""
        guarded = self.control is not None and self.control.auth is not None
        return guarded or any(s.auth is not None for s in self.rest_servers)


@dataclass(frozen=True, slots=True)
class SkillTool:
    """One tool of a skill, pointing at a generated MCP tool or REST route."""

    name: str
    description: str | None
    mode: str  # mcp | rest | instruction
    target_namespace: str | None
    action: str | None
    invocation: str  # how to call it: an MCP tool name, or "METHOD /path"
    inputs: tuple["ExposedInput", ...] = ()
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Skill:
    """One skill of a ``type: skill`` exposes: rendered as ``skills/<name>/SKILL.md``."""

    name: str
    dir_name: str
    description: str | None
    namespace: str
    tools: tuple[SkillTool, ...]


@dataclass(frozen=True, slots=True)
class SkillServer:
    """A ``type: skill`` exposes served as a catalog: ``GET /skills``, ``GET /skills/{name}``."""

    namespace: str
    port: int
    address: str
    description: str | None
    skills: tuple[dict[str, Any], ...]  # each skill's detail document, as the server answers it

    def plain(self) -> dict[str, Any]:
        """What the generated catalog holds for this exposes: its port and skills."""
        return {"port": self.port, "skills": list(self.skills)}


@dataclass(frozen=True, slots=True)
class Control:
    """A ``type: control`` exposes: health, status and metrics endpoints on the generated app."""

    port: int
    address: str
    health: bool  # /health/live and /health/ready (management.health, default on)
    metrics: bool  # /metrics (observability on and its local endpoint not disabled)
    status: bool  # /status (management.info, default off)
    auth: Auth | None = None  # the control block's own `authentication`, enforced like a REST exposes
