"""Exposed-side authentication on the generated REST app and MCP server, run as real processes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from tests import upstream as upstream_module
from tests.issue3b.support import PROBLEM, basic, generate
from tests.servers import mcp_http_server, mcp_stdio, rest_server

PACKAGE = "guarded_inventory"
SECRETS = {"INVENTORY_TOKEN": "t0k-en", "SHOP_API_KEY": "k3y", "SHOP_USER": "ann", "SHOP_PASSWORD": "pa:ss"}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("auth"), "guarded_inventory.yaml")


@pytest.fixture(scope="module")
def shared_upstream() -> Iterator[upstream_module.Upstream]:
    server = upstream_module.start()
    yield server
    server.close()


def serve(out: Path, upstream_url: str, namespace: str) -> Iterator[str]:
    env = {"INVENTORY_BASE_URL": upstream_url, "NAFTIKO_DOCS": "1", **SECRETS}
    with rest_server(out, PACKAGE, env, "--namespace", namespace) as url:
        yield url


@pytest.fixture(scope="module")
def app(out: Path, shared_upstream: upstream_module.Upstream) -> Iterator[str]:
    yield from serve(out, shared_upstream.url, "bearer-api")


@pytest.fixture(scope="module")
def key_app(out: Path, shared_upstream: upstream_module.Upstream) -> Iterator[str]:
    yield from serve(out, shared_upstream.url, "key-api")


@pytest.fixture(scope="module")
def basic_app(out: Path, shared_upstream: upstream_module.Upstream) -> Iterator[str]:
    yield from serve(out, shared_upstream.url, "basic-api")


@pytest.fixture()
def upstream(shared_upstream: upstream_module.Upstream) -> upstream_module.Upstream:
    shared_upstream.requests.clear()
    shared_upstream.reply({"id": "a1", "count": 3})
    return shared_upstream


def assert_refused(answer: httpx.Response, status: int, challenge: str | None) -> dict[str, object]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM
    assert answer.headers.get("www-authenticate") == challenge
    problem = answer.json()
    assert problem["status"] == status
    return problem


def test_bearer_refuses_missing_and_wrong_tokens(app: str, upstream: upstream_module.Upstream) -> None:
    challenge = 'Bearer realm="naftiko"'
    headers = {"X-Trace": "tr-1"}
    assert_refused(httpx.get(app + "/bearer/items/a1", headers=headers), 401, challenge)
    assert_refused(httpx.get(app + "/bearer/items/a1", headers={**headers, "Authorization": "Bearer t0k-eN"}), 401, challenge)
    assert_refused(httpx.get(app + "/bearer/items/a1", headers={**headers, "Authorization": basic("t0k", "en")}), 401, challenge)
    assert upstream.requests == []
    ok = httpx.get(app + "/bearer/items/a1", params={"limit": 2}, headers={**headers, "Authorization": "bearer t0k-en"})
    assert ok.status_code == 200 and ok.json() == {"id": "a1", "count": 3}
    assert (upstream.last.path, upstream.last.query, upstream.last.headers["x-trace"]) == ("/items/a1", [("limit", "2")], "tr-1")
    assert "authorization" not in upstream.last.headers  # the caller's credentials are not forwarded


def test_auth_is_checked_before_input_validation(app: str, upstream: upstream_module.Upstream) -> None:
    # no credentials and a bad id: the caller learns nothing about the inputs
    assert_refused(httpx.get(app + "/bearer/items/NOT_VALID"), 401, 'Bearer realm="naftiko"')


def test_apikey_header(key_app: str, upstream: upstream_module.Upstream) -> None:
    assert_refused(httpx.get(key_app + "/key/items/a1"), 401, None)
    assert_refused(httpx.get(key_app + "/key/items/a1", headers={"X-Api-Key": "k3"}), 401, None)
    assert_refused(httpx.get(key_app + "/key/items/a1", params={"X-Api-Key": "k3y"}), 401, None)  # header only
    assert upstream.requests == []
    ok = httpx.get(key_app + "/key/items/a1", headers={"x-api-key": "k3y"})
    assert ok.status_code == 200 and upstream.last.path == "/items/a1"


def test_basic(basic_app: str, upstream: upstream_module.Upstream) -> None:
    challenge = 'Basic realm="naftiko"'
    assert_refused(httpx.get(basic_app + "/basic/items/a1"), 401, challenge)
    assert_refused(httpx.get(basic_app + "/basic/items/a1", headers={"Authorization": basic("ann", "pa:sS")}), 401, challenge)
    assert_refused(httpx.get(basic_app + "/basic/items/a1", headers={"Authorization": basic("bob", "pa:ss")}), 401, challenge)
    assert_refused(httpx.get(basic_app + "/basic/items/a1", headers={"Authorization": "Basic !!not-base64"}), 401, challenge)
    assert_refused(httpx.get(basic_app + "/basic/items/a1", headers={"Authorization": "Bearer pa:ss"}), 401, challenge)
    assert upstream.requests == []
    ok = httpx.get(basic_app + "/basic/items/a1", headers={"Authorization": basic("ann", "pa:ss")})
    assert ok.status_code == 200 and upstream.last.path == "/items/a1"


def test_each_router_has_its_own_scheme(app: str, key_app: str, upstream: upstream_module.Upstream) -> None:
    # the bearer token does not open the apikey API, and the other way round
    assert httpx.get(key_app + "/key/items/a1", headers={"Authorization": "Bearer t0k-en"}).status_code == 401
    assert httpx.get(app + "/bearer/items/a1", headers={"X-Api-Key": "k3y", "X-Trace": "t"}).status_code == 401


def test_missing_secret_refuses_with_its_name(out: Path, upstream: upstream_module.Upstream) -> None:
    env = {"INVENTORY_BASE_URL": upstream.url, "SHOP_USER": "ann"}
    with rest_server(out, PACKAGE, env, "--namespace", "bearer-api") as url:
        bearer = httpx.get(url + "/bearer/items/a1", headers={"Authorization": "Bearer {{INVENTORY_TOKEN}}", "X-Trace": "t"})
    with rest_server(out, PACKAGE, env, "--namespace", "basic-api") as url:
        user = httpx.get(url + "/basic/items/a1", headers={"Authorization": basic("ann", "")})
    assert "INVENTORY_TOKEN" in assert_refused(bearer, 503, None)["detail"]  # type: ignore[operator]
    assert "SHOP_PASSWORD" in assert_refused(user, 503, None)["detail"]  # type: ignore[operator]
    assert upstream.requests == []


def test_openapi_declares_the_security_schemes(app: str, key_app: str, basic_app: str) -> None:
    expected = {
        app: {"type": "http", "scheme": "bearer"},
        key_app: {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
        basic_app: {"type": "http", "scheme": "basic"},
    }
    for url, scheme in expected.items():
        document = httpx.get(url + "/openapi.json").json()
        (name, declared), *others = document["components"]["securitySchemes"].items()
        assert declared == scheme and others == []
        for operation in (op for path in document["paths"].values() for op in path.values()):
            assert operation["security"] == [{name: []}]
            assert set(operation["responses"]) >= {"401", "503", "422", "502", "504"}


async def _mcp_call(url: str, headers: dict[str, str]) -> str:
    async with create_mcp_http_client(headers=headers) as http:
        async with streamable_http_client(url, http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                result = await session.call_tool("get-item", {"id": "a1"})
                assert not result.is_error, result
                return result.content[0].text  # type: ignore[union-attr]


def test_mcp_over_http_requires_the_api_key(out: Path, upstream: upstream_module.Upstream) -> None:
    env = {"INVENTORY_BASE_URL": upstream.url, "SHOP_API_KEY": "k3y"}
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
    accept = {"Accept": "application/json, text/event-stream"}
    with mcp_http_server(out, PACKAGE, env) as url:
        assert_refused(httpx.post(url, json=initialize, headers=accept), 401, None)
        assert_refused(httpx.post(url, json=initialize, headers={**accept, "X-Api-Key": "nope"}), 401, None)
        assert upstream.requests == []
        text = asyncio.run(_mcp_call(url, {"X-Api-Key": "k3y"}))
    assert '"count":3' in text.replace(" ", "")
    assert upstream.last.path == "/items/a1"


def test_mcp_over_stdio_is_unaffected(out: Path, upstream: upstream_module.Upstream) -> None:
    async def call() -> bool:
        async with mcp_stdio(out, PACKAGE, {"INVENTORY_BASE_URL": upstream.url}) as session:
            result = await session.call_tool("get-item", {"id": "a1"})
            return bool(result.is_error)

    assert asyncio.run(call()) is False
    assert upstream.last.path == "/items/a1"
