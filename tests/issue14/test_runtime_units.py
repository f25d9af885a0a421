"""The run-time pieces issue 14 added, imported straight from generator/emit/runtime/: the
skill catalog app, the root-path alias of the MCP endpoint, one value where an array is
declared, and per-element projections of a list step."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from generator.emit.runtime import _mcp, _skills, _steps
from generator.emit.runtime import _runtime as rt

SKILLS = [
    {
        "name": "ops",
        "description": "Operations",
        "license": "MIT",
        "tools": [{"name": "a", "type": "derived", "invocationRef": {"targetNamespace": "t", "action": "a", "mode": "mcp"}}],
    },
    {"name": "docs", "description": None, "tools": []},
]


def _get(app: Any, path: str) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://skills") as client:
            return await client.get(path)

    return asyncio.run(go())


def test_skill_catalog_and_detail() -> None:
    app = _skills.create_app(SKILLS)
    assert _get(app, "/skills").json() == {
        "count": 2,
        "skills": [
            {"name": "ops", "description": "Operations", "license": "MIT", "tools": ["a"]},
            {"name": "docs", "description": None, "tools": []},
        ],
    }
    assert _get(app, "/skills/ops").json() == SKILLS[0]
    missing = _get(app, "/skills/nope")
    assert missing.status_code == 404 and missing.json()["status"] == 404


def test_root_alias_sends_the_root_path_to_the_mcp_endpoint() -> None:
    seen: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["path"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    alias = _mcp.RootAlias(app)
    for path in ("/", "/mcp", "/other"):
        assert _get(alias, path).status_code == 204
    assert seen == ["/mcp", "/mcp", "/other"]


def test_one_value_where_an_array_is_declared_becomes_a_list() -> None:
    rule = {"type": "array", "mapping": "$.vessel", "items": {"type": "object", "properties": [{"name": "code", "mapping": "$.code"}]}}
    assert rt.map_output(rule, {"vessel": {"code": "A"}}, {}, {}) == [{"code": "A"}]
    assert rt.map_output(rule, {"vessel": [{"code": "A"}, {"code": "B"}]}, {}, {}) == [{"code": "A"}, {"code": "B"}]
    assert rt.map_output({"type": "array", "mapping": "$.x"}, {"x": 3}, {}, {}) == [3]
    assert rt.map_output({"type": "string", "mapping": "$.x"}, {"x": {"a": 1}}, {}, {}) == {"a": 1}  # only arrays wrap


def test_a_named_projection_over_a_list_is_per_element() -> None:
    run = _steps.Run({}, {})
    projection = [{"name": "imo-number", "type": "string", "mapping": "$.imo_number"}]
    rows = [{"imo_number": "1", "vessel_name": "A"}, {"imo_number": "2", "vessel_name": "B"}]
    assert run.project(projection, rows) == [{**r, "imo-number": r["imo_number"]} for r in rows]
    whole = [{"type": "array", "mapping": "$.", "items": {"type": "string", "mapping": "$.vessel_name"}}]
    assert run.project(whole, rows) == ["A", "B"]  # an unnamed rule still maps the whole list
