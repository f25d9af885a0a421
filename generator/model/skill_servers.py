"""The model of the skill catalog servers: one per ``type: skill`` exposes.

The engine serves each skill exposes on its own port: ``GET /skills`` lists the skills and
``GET /skills/{name}`` gives one with its tools. The documents are built here, at
generation time, from the spec and the tools the skills resolved to (``exposes.build_skills``).
"""

from __future__ import annotations

from typing import Any

from ..read.semantics import as_dict, as_list, text
from . import ir

OPTIONAL_KEYS = (
    "license",
    "compatibility",
    "argument-hint",
    "allowed-tools",
    "user-invocable",
    "disable-model-invocation",
)
"""Skill frontmatter keys the detail document carries when the spec sets them."""


def _tool_document(tool: ir.SkillTool, modes: dict[str, str]) -> dict[str, Any]:
    document: dict[str, Any] = {"name": tool.name, "description": tool.description}
    if tool.mode == "instruction":
        document["type"] = "instruction"
        document["instruction"] = tool.invocation
        return document
    document["type"] = "derived"
    document["invocationRef"] = {
        "targetNamespace": tool.target_namespace,
        "action": tool.action,
        "mode": modes.get(tool.target_namespace or "", "unknown"),
    }
    return document


def _skill_document(raw: dict[str, Any], skill: ir.Skill, modes: dict[str, str]) -> dict[str, Any]:
    document: dict[str, Any] = {"name": skill.name, "description": skill.description}
    for key in OPTIONAL_KEYS:
        value = raw.get(key)
        if isinstance(value, (str, bool)):
            document[key] = value
    metadata = {str(k): str(v) for k, v in as_dict(raw.get("metadata")).items()}
    if metadata:
        document["metadata"] = metadata
    document["tools"] = [_tool_document(tool, modes) for tool in skill.tools]
    return document


def build_skill_servers(exposes: list[Any], skills: tuple[ir.Skill, ...]) -> tuple[ir.SkillServer, ...]:
    """One SkillServer per skill exposes, its skills in spec order."""
    modes = {
        text(as_dict(e).get("namespace")) or "": str(as_dict(e).get("type"))
        for e in exposes
        if as_dict(e).get("type") in ("mcp", "rest")
    }
    servers: list[ir.SkillServer] = []
    for ei, block in enumerate(exposes):
        block = as_dict(block)
        if block.get("type") != "skill":
            continue
        namespace = text(block.get("namespace")) or f"skills-{ei}"
        mine = [s for s in skills if s.namespace == namespace]
        raws = [as_dict(r) for r in as_list(block.get("skills"))]
        documents = tuple(_skill_document(raw, skill, modes) for raw, skill in zip(raws, mine))
        port = block.get("port")
        servers.append(
            ir.SkillServer(
                namespace=namespace,
                port=port if isinstance(port, int) and 0 < port < 65536 else 8080,
                address=text(block.get("address")) or "127.0.0.1",
                description=" ".join((text(block.get("description")) or "").split()) or None,
                skills=documents,
            )
        )
    return tuple(servers)
