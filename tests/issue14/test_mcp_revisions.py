"""Generated MCP servers speak both protocol revisions the pinned SDK knows: 2025-11-25
(initialize handshake, sessions) and 2026-07-28 (no handshake, every request self-contained),
over streamable HTTP (at ``/mcp`` and at the engine's root path ``/``) and over stdio; under
2026-07-28 two replicas serve one client with no sticky sessions. Driven by the official mcp
client, against a real recording upstream."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from generator.model.build import capability_version
from tests.issue5.support import generate_into
from tests.issue14.support import REVISIONS, mcp_mode
from tests.servers import mcp_http_server
from tests.upstream import Upstream

SPEC = Path(__file__).resolve().parent / "specs" / "harbour_gaps.yaml"
PACKAGE = "harbour_gaps"
BOATS = [{"registration": "B-1", "name": "Gull", "kind": "sail"}]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("revisions")
    assert generate_into(folder, SPEC).ok
    return folder


@pytest.fixture()
def harbour(upstream: Upstream) -> Upstream:
    upstream.reply(BOATS, path="/boats")
    return upstream


@contextlib.contextmanager
def replicas(out: Path, env: dict[str, str], count: int) -> Iterator[list[str]]:
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(mcp_http_server(out, PACKAGE, env, "--namespace", "harbour-tools")) for _ in range(count)]


class RoundRobin(httpx2.AsyncBaseTransport):
    """A load balancer with no stickiness: each request goes to the next replica."""

    def __init__(self, urls: list[str]) -> None:
        self.ports = [httpx2.URL(u).port for u in urls]
        self.inner = httpx2.AsyncHTTPTransport()
        self.sent: list[tuple[int, str]] = []  # (replica port, JSON-RPC method header)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        port = self.ports[len(self.sent) % len(self.ports)]
        request.url = request.url.copy_with(port=port)
        self.sent.append((port, request.headers.get("mcp-method", "")))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@contextlib.asynccontextmanager
async def client_at(url: str, revision: str, transport: httpx2.AsyncBaseTransport | None = None) -> AsyncIterator[Client]:
    if transport is None:
        http = create_mcp_http_client()
    else:
        http = httpx2.AsyncClient(transport=transport, timeout=httpx2.Timeout(30, read=300), follow_redirects=True)
    async with http:
        async with Client(streamable_http_client(url, http_client=http), mode=mcp_mode(revision), cache=None) as client:
            assert client.protocol_version == revision
            yield client


async def _exercise(client: Client) -> dict[str, Any]:
    tools = [t.name for t in (await client.list_tools()).tools]
    result = await client.call_tool("list-boats", {"kind": "sail"})
    assert not result.is_error, result
    info = client.server_info
    return {"tools": tools, "result": result.structured_content, "info": info}


def _check(got: dict[str, Any], upstream: Upstream) -> None:
    assert got["tools"] == ["list-boats", "list-moorings", "refresh-boat"]
    assert got["result"] == {"result": BOATS}
    assert upstream.last.query == [("kind", "sail")]
    info = got["info"]
    assert info is not None
    assert (info.name, info.version) == ("Harbour gaps", "1.0.0")  # the capability, info.version


@pytest.mark.parametrize("revision", REVISIONS)
@pytest.mark.parametrize("path", ["/mcp", "/"])
def test_streamable_http(out: Path, harbour: Upstream, revision: str, path: str) -> None:
    env = {"HARBOUR_BASE_URL": harbour.url}
    with replicas(out, env, 1) as (url,):
        base = url.removesuffix("/mcp")

        async def scenario() -> dict[str, Any]:
            async with client_at(base + path, revision) as client:
                return await _exercise(client)

        _check(asyncio.run(scenario()), harbour)


@pytest.mark.parametrize("revision", REVISIONS)
def test_stdio(out: Path, harbour: Upstream, revision: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_BASE_URL")}
    env.update({"HARBOUR_BASE_URL": harbour.url, "PYTHONPATH": str(out)})
    params = StdioServerParameters(
        command=sys.executable, args=["-m", PACKAGE, "mcp", "--transport", "stdio", "--namespace", "harbour-tools"], env=env, cwd=str(out)
    )

    async def scenario() -> dict[str, Any]:
        with open(os.devnull, "w") as errlog:
            async with Client(stdio_client(params, errlog=errlog), mode=mcp_mode(revision), cache=None) as client:
                assert client.protocol_version == revision
                return await _exercise(client)

    _check(asyncio.run(scenario()), harbour)


def test_two_replicas_serve_one_client_under_2026_07_28(out: Path, harbour: Upstream) -> None:
    env = {"HARBOUR_BASE_URL": harbour.url}
    with replicas(out, env, 2) as urls:
        balancer = RoundRobin(urls)

        async def scenario() -> list[Any]:
            async with client_at(urls[0].removesuffix("/mcp") + "/", "2026-07-28", balancer) as client:
                results = []
                for n in range(6):
                    results.append(await client.call_tool("list-boats", {"kind": f"k{n}"}))
                assert [t.name for t in (await client.list_tools()).tools][0] == "list-boats"
                return results

        results = asyncio.run(scenario())
    assert all(not r.is_error for r in results)
    assert [q for r in harbour.requests for q in r.query] == [("kind", f"k{n}") for n in range(6)]
    calls = [port for port, method in balancer.sent if method == "tools/call"]
    assert len(calls) == 6 and set(calls) == set(balancer.ports)  # both replicas answered calls


def test_replicas_need_a_sticky_session_under_2025_11_25(out: Path, harbour: Upstream) -> None:
    """The same balancer breaks a handshake-era client: what the 2026-07-28 test proves is real."""
    env = {"HARBOUR_BASE_URL": harbour.url}
    with replicas(out, env, 2) as urls:
        balancer = RoundRobin(urls)

        async def scenario() -> None:
            async with client_at(urls[0], "2025-11-25", balancer) as client:
                for n in range(4):
                    result = await client.call_tool("list-boats", {"kind": f"k{n}"})
                    assert not result.is_error

        with pytest.raises(BaseException) as failed:
            asyncio.run(scenario())
    assert any("Session not found" in str(e) for e in _leaves(failed.value)), repr(failed.value)


def _leaves(error: BaseException) -> list[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in _leaves(inner)]
    return [error]


def test_capability_version_is_never_empty() -> None:
    assert capability_version("2.4.1") == "2.4.1"
    assert capability_version(3) == "3"
    assert capability_version("  ") == capability_version(None) == "1.0.0"


def _envelope(method: str, params: dict[str, Any], headers: dict[str, str] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}
    body = {"jsonrpc": "2.0", "id": 7, "method": method, "params": {**params, "_meta": meta}}
    sent = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": method}
    return body, {**sent, **(headers or {})}


def test_2026_07_28_on_the_wire_at_the_root_path(out: Path, harbour: Upstream) -> None:
    """What the engine's clients send: self-contained POSTs to ``/``, no initialize, no session."""
    env = {"HARBOUR_BASE_URL": harbour.url}
    with replicas(out, env, 1) as (url,):
        root = url.removesuffix("/mcp") + "/"
        answers = {}
        for method, params, extra in (
            ("server/discover", {}, {}),
            ("tools/list", {}, {}),
            ("tools/call", {"name": "list-boats", "arguments": {"kind": "sail"}}, {"Mcp-Name": "list-boats"}),
        ):
            body, headers = _envelope(method, params, extra)
            answer = httpx.post(root, json=body, headers=headers)
            assert answer.status_code == 200, answer.text
            assert "mcp-session-id" not in answer.headers
            answers[method] = answer.json()["result"]
        body, headers = _envelope("tools/call", {"name": "list-boats", "arguments": {}}, {"Mcp-Method": "tools/list"})
        mismatched = httpx.post(root, json=body, headers=headers)
    discover = answers["server/discover"]
    assert discover["supportedVersions"] == ["2026-07-28"] and discover["resultType"] == "complete"
    assert discover["_meta"]["io.modelcontextprotocol/serverInfo"] == {"name": "Harbour gaps", "version": "1.0.0"}
    listed = answers["tools/list"]
    assert (listed["resultType"], listed["ttlMs"], listed["cacheScope"]) == ("complete", 0, "private")
    called = answers["tools/call"]
    assert called["resultType"] == "complete" and called["isError"] is False
    assert called["structuredContent"] == {"result": BOATS}
    assert mismatched.status_code == 400 and "error" in mismatched.json()
