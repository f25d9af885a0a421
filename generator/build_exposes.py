"""The model for `forward` resources, `skill` exposes and `control` exposes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import ir
from .naming import NameTable, snake
from .semantics import PLACEHOLDER, DocPath, as_dict, as_list, text

if TYPE_CHECKING:
    from .build import _Context


def build_forward(resource: dict[str, Any], where: DocPath, handler_names: NameTable, ctx: "_Context") -> ir.Forward:
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
    names = NameTable({"request", "args"})
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
        tail = "rest"
        pieces = [path.rstrip("/") + "/{rest:path}"]
    trusted = tuple(str(h) for h in as_list(raw.get("trustedHeaders")) if isinstance(h, str))
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
    (("authentication",), "authentication (the control endpoints are served without it)"),
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


def build_control(raw: dict[str, Any], where: DocPath, ctx: "_Context") -> ir.Control:
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
                if action in (route.operation_id, route.summary, route.py_name) or snake(action) == route.operation_id:
                    return "rest", f"{route.method} {route.raw_path}", route.inputs
    return None


def build_skills(exposes: list[Any], rest: list[ir.RestServer], mcp: list[ir.McpServer], ctx: "_Context") -> tuple[ir.Skill, ...]:
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
                    dir_name=dirs.claim(snake(name, fallback="skill").replace("_", "-")),
                    description=" ".join((text(skill.get("description")) or "").split()) or None,
                    namespace=namespace,
                    tools=tuple(tools),
                )
            )
    return tuple(skills)
