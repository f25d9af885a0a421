"""Every seed's generated MCP server over stdio, driven by the real mcp client."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.conftest import GENERATED
from tests.servers import mcp_stdio
from tests.test_seeds_rest import SECRETS, basic
from tests.upstream import Upstream

# package -> (environment, tool to call, arguments, expected upstream method and path, tool count)
CASES: dict[str, tuple[dict[str, str], str, dict[str, Any], tuple[str, str], int]] = {
    "customer_io_pipelines_track": (
        {"PIPELINES_TRACK_BASE_URL": "{u}", **SECRETS},
        "track-event",
        {"body": {"event": "Signed Up", "userId": "u1"}},
        ("POST", "/track"),
        1,
    ),
    "customer_io_track_batch": (
        {"TRACK_BATCH_BASE_URL": "{u}/api/v1", **SECRETS},
        "batch-entity-operations",
        {"body": {"batch": []}},
        ("POST", "/api/v2/batch"),
        1,
    ),
    "openpanel_export": (
        {"OPENPANEL_EXPORT_BASE_URL": "{u}"},
        "export-paginated-list-raw-events",
        {"projectId": "p1", "page": 2, "includes": ["profile", "meta"]},
        ("GET", "/export/events"),
        2,
    ),
    "openpanel_track": (
        {"OPENPANEL_TRACK_BASE_URL": "{u}"},
        "ingest-tracking-event-track-identify",
        {"body": {"type": "track", "payload": {"name": "x"}}},
        ("POST", "/track/"),
        2,
    ),
    "segment_pixel_tracking": (
        {"PIXEL_TRACKING_PIXEL_TRACKING_BASE_URL": "{u}"},
        "track-pixel",
        {},
        ("GET", "/pixel/track"),
        6,
    ),
}


@pytest.mark.parametrize("package", sorted(CASES))
def test_seed_mcp_over_stdio(upstream: Upstream, package: str) -> None:
    env_template, tool, arguments, (method, path), count = CASES[package]
    env = {k: v.replace("{u}", upstream.url) for k, v in env_template.items()}
    upstream.reply({"received": True})

    async def scenario() -> None:
        async with mcp_stdio(GENERATED, package, env) as session:
            listed = await session.list_tools()
            assert len(listed.tools) == count
            spec = next(t for t in listed.tools if t.name == tool)
            assert spec.input_schema["type"] == "object"
            assert spec.annotations is not None and spec.annotations.read_only_hint is not None
            result = await session.call_tool(tool, arguments)
            assert not result.is_error, result.content
            assert result.structured_content == {"received": True}
            assert result.content[0].text == '{"received":true}'

    asyncio.run(scenario())
    sent = upstream.last
    assert (sent.method, sent.path) == (method, path)
    if "body" in arguments:
        assert sent.json() == arguments["body"]
    if package.startswith("customer_io"):
        assert sent.headers["authorization"] == basic("alice", "s3cr3t:pw")
    if package == "openpanel_export":
        assert sent.query == [("projectId", "p1"), ("page", "2"), ("includes", "profile"), ("includes", "meta")]


def test_mcp_upstream_error_is_tool_error(upstream: Upstream) -> None:
    upstream.reply({"message": "rate limited"}, status=429)

    async def scenario() -> None:
        env = {"OPENPANEL_TRACK_BASE_URL": upstream.url}
        async with mcp_stdio(GENERATED, "openpanel_track", env) as session:
            result = await session.call_tool("get-generate-stable-device-id", {})
            assert result.is_error
            assert "HTTP 429" in result.content[0].text and "rate limited" in result.content[0].text

    asyncio.run(scenario())
