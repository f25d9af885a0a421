"""The sync client authenticates like the async one: every kind, against the issue-3 auth
upstream (real HTTP), secrets read at call time; oauth2 tokens shared with the async path."""

from __future__ import annotations

import asyncio
import base64
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.issue3 import auth_upstream
from tests.issue3.support import generate
from tests.issue3.test_auth import configured_client


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("sync-auth"), "http_auth")


@pytest.fixture(scope="module")
def server() -> Iterator[auth_upstream.AuthUpstream]:
    up = auth_upstream.start()
    try:
        yield up
    finally:
        up.close()


@pytest.fixture()
def api(out: Path, server: auth_upstream.AuthUpstream, monkeypatch: pytest.MonkeyPatch) -> Any:
    module = configured_client(out, server, monkeypatch)
    module._http._TOKENS.clear()
    module._http._TOKEN_ENDPOINTS.clear()
    return module


def test_every_kind_on_the_sync_path(api: Any, server: auth_upstream.AuthUpstream) -> None:
    clients = api.SyncClients()
    clients.bearer.get_response()
    clients.key_header.get_response()
    clients.key_query.get_response(q="v")
    clients.basic.get_response()
    assert clients.digest.get_response().json() == {"user": "alice"}
    assert server.on("/bearer")[0].headers["authorization"] == "Bearer tok-1"
    assert server.on("/key-header")[0].headers["x-api-key"] == "key-1"
    assert server.on("/key-query")[0].query == [("q", "v"), ("api_key", "k&y 2")]
    pair = base64.b64encode(f"{auth_upstream.USER}:{auth_upstream.PASSWORD}".encode()).decode()
    assert server.on("/basic")[0].headers["authorization"] == "Basic " + pair
    assert server.on("/digest")[-1].headers["authorization"].startswith("Digest ")


def test_oauth2_on_the_sync_path_shares_the_token_cache(api: Any, server: auth_upstream.AuthUpstream) -> None:
    server.token_lifetime, server.tokens_issued = 3600, 0
    clients = api.SyncClients()
    clients.oauth.get_response()
    clients.oauth.get_response()

    async def from_async() -> None:
        await api.Clients().oauth.get_response()
        await api._http.close_shared_http()

    asyncio.run(from_async())
    assert [r.headers["authorization"] for r in server.on("/oauth")] == ["Bearer token-1"] * 3
    assert len(server.on("/issuer/token")) == 1


def test_sync_client_works_inside_a_running_loop(api: Any, server: auth_upstream.AuthUpstream) -> None:
    """A notebook runs a loop: a sync call (oauth2 included) made from it still works."""
    server.token_lifetime, server.tokens_issued = 3600, 0

    async def inside() -> tuple[int, int]:
        clients = api.SyncClients()
        return clients.oauth.get_response().status_code, clients.bearer.get_response().status_code

    assert asyncio.run(inside()) == (200, 200)


def test_sync_clients_are_thread_safe(api: Any, server: auth_upstream.AuthUpstream) -> None:
    clients = api.SyncClients()
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(clients.bearer.get_response().status_code)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 8
