"""What a package's README lists that the model does not hold directly: every environment
variable the generated code reads, and why. Deterministic: in spec order, each once."""

from __future__ import annotations

from typing import Any

from . import ir
from .context import template_vars

RUNTIME_SETTINGS: tuple[tuple[str, str], ...] = (
    ("NAFTIKO_HTTP_TIMEOUT", "upstream timeout in seconds (default 30); a timed-out request is not sent again"),
    ("NAFTIKO_HTTP_RETRIES", "how often an idempotent request with no answer is sent again (default 2)"),
    ("NAFTIKO_MAX_ANSWER_BYTES", "the most bytes read from one upstream answer, after decompression (default 10 MiB)"),
    ("NAFTIKO_MAX_REQUEST_BYTES", "the largest request body the server accepts (default 10 MiB; more is 413)"),
    ("NAFTIKO_MAX_HEADER_BYTES", "the largest request line and headers (default 32 KiB; more is 431)"),
    ("NAFTIKO_HEADER_TIMEOUT", "seconds a connection has to send a request's headers (default 10)"),
    ("NAFTIKO_KEEP_ALIVE_TIMEOUT", "seconds an idle kept-alive connection stays open (default 5)"),
    ("NAFTIKO_MAX_CONCURRENCY", "connections and requests in progress before the server answers 503 (default 200)"),
    ("NAFTIKO_ALLOWED_HOSTS", "more `Host` names accepted besides the bound host and localhost (comma-separated)"),
)
"""Settings every package reads, whatever its spec (the run-time modules name them:
``_runtime``, ``_answer``, ``_serve``)."""

_AUTH_FIELDS = ("token", "username", "password", "value", "client_id", "client_secret", "token_url", "issuer")


def env_name(variable: str, binds: dict[str, str]) -> str:
    """The environment variable behind a template variable (as ``_runtime.env_name``)."""
    if variable.startswith("env."):
        return variable[4:]
    if variable in binds:
        return binds[variable]
    head, _, rest = variable.partition(".")
    if rest and head not in binds:
        return rest
    return variable


class _Found:
    def __init__(self, binds: dict[str, str]) -> None:
        self.binds = binds
        self.items: dict[str, str] = {}

    def add(self, name: str, purpose: str) -> None:
        self.items.setdefault(name, purpose)

    def templates(self, value: Any, purpose: str, *, every: bool) -> None:
        """Variables of ``{{...}}`` templates: all of them (secrets) or only env./bound ones."""
        for var in template_vars(value):
            if every or var.startswith("env.") or var in self.binds:
                self.add(env_name(var, self.binds), purpose)


def _auth(found: _Found, auth: ir.Auth | None, where: str) -> None:
    if auth is None:
        return
    for key in _AUTH_FIELDS:
        value = getattr(auth, key)
        if isinstance(value, str):
            text = "{{env." + value[5:] + "}}" if value.startswith("$env.") else value
            found.templates(text, f"secret: {auth.kind} {key.replace('_', ' ')} of {where}", every=True)


def env_vars(cap: ir.Capability) -> tuple[tuple[str, str], ...]:
    """(variable, what it is for) for everything the package reads from the environment."""
    found = _Found(dict(cap.binds))
    for c in cap.consumers:
        default = f"default `{c.base_uri}`" if c.base_uri.strip() else "required: the spec gives none"
        found.add(c.base_url_env, f"base URL of consumes `{c.namespace}` ({default})")
        _auth(found, c.auth, f"consumes `{c.namespace}`")
        found.templates(c.base_uri, f"part of the base URL of consumes `{c.namespace}`", every=True)
        for p in c.shared_params:
            if p.location == "environment":
                found.add(p.wire_name, f"input `{p.wire_name}` of every `{c.namespace}` call")
            found.templates(p.template, f"input `{p.wire_name}` of consumes `{c.namespace}`", every=False)
        for op in c.operations:
            where = f"`{c.namespace}.{op.name}`"
            for p in op.params:
                if p.location == "environment":
                    found.add(p.wire_name, f"input `{p.wire_name}` of {where}")
                found.templates(p.template, f"input `{p.wire_name}` of {where}", every=False)
            if op.body is not None:
                found.templates(op.body.data, f"body of {where}", every=False)
    for server in cap.rest_servers:
        _auth(found, server.auth, f"REST exposes `{server.namespace}`")
    for mcp in cap.mcp_servers:
        _auth(found, mcp.auth, f"MCP exposes `{mcp.namespace}`")
    if cap.control is not None:
        _auth(found, cap.control.auth, "the control endpoints")
    for var, env in cap.binds:
        found.add(env, f"value of `{{{{{var}}}}}` (binds)")
    for name, purpose in RUNTIME_SETTINGS:
        found.add(name, purpose)
    if any(server.auth is not None for server in cap.rest_servers):
        found.add("NAFTIKO_DOCS", "`1` serves `/docs`, `/redoc` and `/openapi.json` of the authenticated REST exposes (off by default)")
    return tuple(found.items.items())
