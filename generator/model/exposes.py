"""The model for `forward` resources, `skill` exposes and `control` exposes."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from . import ir
from .consumes import build_auth
from .context import LOCAL_NAMES, BuildContext
from .naming import NameTable, snake
from ..read.semantics import PLACEHOLDER, DocPath, as_dict, as_list, text



_NEVER_FORWARDED = frozenset(
    {"connection", "transfer-encoding", "content-length", "host", "te", "trailer", "upgrade", "keep-alive"}
)
"""Hop-by-hop and framing headers: the generated forward never copies them (nor Proxy-*)."""


def _auth_headers(auth: ir.Auth | None) -> set[str]:
    """The (lower-case) headers a consumes namespace's own authentication sets."""
    if auth is None:
        return set()
    if auth.kind == "apikey":
        if auth.placement == "header":
            return {(auth.key or "").lower()}
        return {"cookie"} if auth.placement == "cookie" else set()
    return {"authorization"}


def _trusted_headers(raw: dict[str, Any], auth: ir.Auth | None, where: DocPath, ctx: BuildContext) -> tuple[str, ...]:
    """`trustedHeaders` without the ones forward never passes on (NG318, NG319)."""
    own = _auth_headers(auth)
    kept: list[str] = []
    for i, header in enumerate(as_list(raw.get("trustedHeaders"))):
        if not isinstance(header, str):
            continue
        lower = header.lower()
        place = where + ("forward", "trustedHeaders", i)
        if lower in _NEVER_FORWARDED or lower.startswith("proxy-"):
            ctx.out.warning("NG318", f"trusted header {header!r} is a hop-by-hop or framing header; forward never passes it on", place)
        elif lower in own:
            ctx.out.warning("NG319", f"trusted header {header!r} is set by the target's own authentication; the caller's value is dropped for the adapter's", place)
        else:
            kept.append(header)
    return tuple(kept)


def build_forward(resource: dict[str, Any], where: DocPath, handler_names: NameTable, ctx: BuildContext) -> ir.Forward:
    """A REST resource proxied to a consumes namespace; the last path placeholder is the tail."""
    raw = as_dict(resource.get("forward"))
    raw_path = text(resource.get("path")) or "/"
    target = text(raw.get("targetNamespace")) or ""
    consumer = ctx.consumers.get(target)
    problem = None
    if consumer is None:
        known = ", ".join(sorted(ctx.consumers)) or "none"
        problem = f"forward targets unknown consumes namespace {target!r} (known: {known})"
        ctx.out.warning("NG315", problem + "; it will answer 501 Not Implemented", where + ("forward", "targetNamespace"))
    path = raw_path.split("?", 1)[0] or "/"
    if not path.startswith("/"):
        path = "/" + path
    matches = list(PLACEHOLDER.finditer(path))
    names = NameTable(LOCAL_NAMES | {"request", "args"})
    tail: str | None = None
    pieces: list[str] = []
    pos = 0
    for i, match in enumerate(matches):
        pieces.append(path[pos : match.start()])
        py = names.claim(snake((match.group(1) or match.group(2)).strip(), fallback="part"))
        last = i == len(matches) - 1
        pieces.append("{" + py + (":path}" if last else "}"))
        if last:
            tail = py
        pos = match.end()
    pieces.append(path[pos:])
    if tail is None:
        # no placeholder: everything under the resource path is forwarded
        tail = "tail"
        pieces = [path.rstrip("/") + "/{tail:path}"]
    trusted = _trusted_headers(raw, consumer.auth if consumer else None, where, ctx)
    return ir.Forward(
        path="".join(pieces),
        raw_path=raw_path,
        py_name=handler_names.claim(snake("forward " + (text(resource.get("name")) or path), fallback="forward")),
        tail=tail,
        consumer_attr=consumer.attr_name if consumer else None,
        trusted_headers=trusted,
        problem=problem,
    )


# Control features the generated app does not serve, by the spec key that asks for them.
_CONTROL_NOT_GENERATED: tuple[tuple[tuple[str, ...], str], ...] = (
    (("management", "reload"), "POST /config/reload"),
    (("management", "validate"), "POST /config/validate"),
    (("management", "logs"), "/logs"),
    (("management", "scripting"), "/scripting"),
    (("observability", "traces"), "/traces"),
    (("observability", "exporters"), "OTLP exporters"),
)


def _enabled(value: Any) -> bool:
    """A control toggle is on unless it is ``false`` or ``{enabled: false}``."""
    if isinstance(value, dict):
        return value.get("enabled") is not False
    return value is not False and value is not None


def build_control(raw: dict[str, Any], where: DocPath, ctx: BuildContext, auth: ir.Auth | None) -> ir.Control:
    """The control endpoints the spec switches on; one NG317 warning names what is not generated."""
    management = as_dict(raw.get("management"))
    observability = as_dict(raw.get("observability"))
    observing = observability.get("enabled") is not False
    metrics_local = as_dict(observability.get("metrics")).get("local")
    missing: list[str] = []
    for keys, label in _CONTROL_NOT_GENERATED:
        value: Any = raw
        for key in keys:
            value = as_dict(value).get(key)
        if _enabled(value) and (observing or keys[0] != "observability"):
            missing.append(label)
    if management.get("info") is True:
        missing.append("/config")
    if missing:
        ctx.out.warning(
            "NG317",
            "control exposes: not generated: " + ", ".join(missing) + "; only the health, status and metrics endpoints are",
            where,
        )
    port = raw.get("port")
    return ir.Control(
        port=port if isinstance(port, int) and 0 < port < 65536 else 9190,
        address=text(raw.get("address")) or "127.0.0.1",
        health=management.get("health") is not False,
        metrics=observing and (metrics_local is None or _enabled(metrics_local)),
        status=management.get("info") is True,
        auth=auth,
    )


def _find_target(namespace: str, action: str, rest: list[ir.RestServer], mcp: list[ir.McpServer]) -> tuple[str, str, tuple[ir.ExposedInput, ...]] | None:
    for server in mcp:
        if server.namespace == namespace:
            for tool in server.tools:
                if tool.name == action:
                    return "mcp", tool.name, tool.inputs
    for server in rest:
        if server.namespace == namespace:
            for route in server.routes:
                if action in (route.operation_id, route.summary, route.py_name) or snake(action, limit=None) == route.operation_id:
                    return "rest", f"{route.method} {route.raw_path}", route.inputs
    return None


def build_skills(exposes: list[Any], rest: list[ir.RestServer], mcp: list[ir.McpServer], ctx: BuildContext) -> tuple[ir.Skill, ...]:
    """Every skill of every `type: skill` exposes, with its tools resolved to generated ones."""
    skills: list[ir.Skill] = []
    dirs = NameTable()
    for ei, block in enumerate(exposes):
        block = as_dict(block)
        if block.get("type") != "skill":
            continue
        namespace = text(block.get("namespace")) or f"skills-{ei}"
        for si, skill in enumerate(as_list(block.get("skills"))):
            skill = as_dict(skill)
            name = text(skill.get("name")) or f"skill-{si + 1}"
            tools: list[ir.SkillTool] = []
            for ti, tool in enumerate(as_list(skill.get("tools"))):
                tool = as_dict(tool)
                tool_name = text(tool.get("name")) or f"tool-{ti + 1}"
                source = as_dict(tool.get("from"))
                description = " ".join((text(tool.get("description")) or "").split()) or None
                if not source:
                    instruction = text(tool.get("instruction")) or ""
                    tools.append(ir.SkillTool(tool_name, description, "instruction", None, None, instruction))
                    continue
                target_ns = text(source.get("sourceNamespace")) or ""
                action = text(source.get("action")) or tool_name
                found = _find_target(target_ns, action, rest, mcp)
                if found is None:
                    problem = f"skill tool {tool_name!r} points at {target_ns}.{action}, which is no generated MCP tool or REST operation"
                    ctx.out.warning("NG316", problem, ("capability", "exposes", ei, "skills", si, "tools", ti, "from"))
                    tools.append(ir.SkillTool(tool_name, description, "missing", target_ns, action, "", problem=problem))
                    continue
                mode, invocation, inputs = found
                tools.append(ir.SkillTool(tool_name, description, mode, target_ns, action, invocation, inputs))
            skills.append(
                ir.Skill(
                    name=name,
                    dir_name=dirs.claim(snake(name, fallback="skill", limit=None).replace("_", "-")),
                    description=" ".join((text(skill.get("description")) or "").split()) or None,
                    namespace=namespace,
                    tools=tuple(tools),
                )
            )
    return tuple(skills)


# --------------------------------------------------------------------------- exposed auth and input checks

ENFORCED_AUTH = ("bearer", "basic", "apikey")
SECRET_FIELDS = {"bearer": ("token",), "basic": ("password",), "apikey": ("value",)}
ENV_EXPRESSION = re.compile(r"^\$env\.([A-Za-z_][A-Za-z0-9_]*)$")


def _env_template(value: str | None) -> str | None:
    """The schema's ``$env.X`` spelling as the ``{{env.X}}`` template the runtime resolves."""
    match = ENV_EXPRESSION.match(value or "")
    return "{{env." + match.group(1) + "}}" if match else value


def exposed_auth(auth: ir.Auth | None, where: DocPath, ctx: BuildContext) -> ir.Auth | None:
    """Authentication on an exposes block: bearer, basic or apikey with secrets from the environment.

    Anything naftiko-gen cannot enforce (other kinds, a secret written as plain text in the
    spec) becomes ``unsupported``: the generated server then refuses every request, never
    serving the API open.
    """
    if auth is None:
        return None
    where = where + ("authentication",)
    if auth.kind not in ENFORCED_AUTH:
        reason = auth.unsupported_reason or f"exposed authentication type {auth.kind!r} is not enforced by naftiko-gen"
        ctx.out.warning("NG320", reason + "; every request will be refused (501)", where, "use bearer, basic or apikey")
        return ir.Auth("unsupported", unsupported_reason=reason)
    auth = dataclasses.replace(
        auth,
        token=_env_template(auth.token),
        username=_env_template(auth.username),
        password=_env_template(auth.password),
        value=_env_template(auth.value),
    )
    for name in SECRET_FIELDS[auth.kind]:
        secret = getattr(auth, name)
        if not secret or "{{" not in secret:
            reason = f"exposed {auth.kind} authentication has no {name} from the environment"
            ctx.out.warning(
                "NG321",
                reason + "; naftiko-gen never compiles secrets into code, so every request will be refused (501)",
                where + (name,),
                f"write {name}: '{{{{MY_SECRET}}}}' and set MY_SECRET where the adapter runs",
            )
            return ir.Auth("unsupported", unsupported_reason=reason)
    if auth.kind == "basic" and not auth.username:
        reason = "exposed basic authentication has no username"
        ctx.out.warning("NG321", reason + "; every request will be refused (501)", where, "add username: '{{MY_USER}}'")
        return ir.Auth("unsupported", unsupported_reason=reason)
    return auth


def valid_pattern(pattern: str | None) -> bool:
    """True when a `pattern` compiles as a Python regular expression."""
    if pattern is None:
        return False
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


_BACKTRACKING_ONLY = re.compile(r"\\[1-9]|\(\?(?:=|!|<=|<!|P=|>)|\\k<|[*+?}][+]")
"""Backreferences, lookarounds, atomic groups and possessive quantifiers: RE2 has none."""


def check_patterns(raws: list[tuple[DocPath, Any]], ctx: BuildContext) -> None:
    """Warn about input `pattern`s that cannot be enforced (NG322)."""
    for where, raw in raws:
        pattern = as_dict(raw).get("pattern")
        if pattern is None:
            continue
        if not isinstance(pattern, str) or not valid_pattern(pattern):
            ctx.out.warning(
                "NG322",
                f"pattern {pattern!r} is not a valid regular expression; it is not enforced",
                where + ("pattern",),
                "write a regular expression (ECMA-262 subset: no lookbehind, no named groups in JS syntax)",
            )
        elif _BACKTRACKING_ONLY.search(pattern):
            ctx.out.warning(
                "NG323",
                f"pattern {pattern!r} uses a backreference or lookaround, which the linear-time matcher (RE2) cannot run; it is checked with Python's backtracking re, which a crafted input can keep busy",
                where + ("pattern",),
                "rewrite the pattern without backreferences and lookarounds",
            )
        elif text(as_dict(raw).get("type")) not in (None, "string"):
            ctx.out.warning(
                "NG322",
                f"pattern on an input of type {text(as_dict(raw).get('type'))} is not enforced (patterns apply to strings)",
                where + ("pattern",),
                "remove the pattern, or make the input type: string",
            )


def block_auth(raw: dict[str, Any], where: DocPath, ctx: BuildContext) -> ir.Auth | None:
    return exposed_auth(build_auth(raw.get("authentication"), text(raw.get("namespace")) or ""), where, ctx)
