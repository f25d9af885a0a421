"""Upstream authentication: every kind against a real local upstream; secrets read at call time."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.issue3 import auth_upstream
from tests.issue3.support import call, client_module, generate
from tests.issue5.support import load, rest_call, run

PACKAGE = "http_auth"
NAMESPACES = ("BEARER", "KEY_HEADER", "KEY_QUERY", "BASIC", "DIGEST", "OAUTH")
SECRETS = {
    "AUTH_BEARER_TOKEN": "tok-1",
    "AUTH_API_KEY": "key-1",
    "AUTH_QUERY_KEY": "k&y 2",
    "AUTH_USER": auth_upstream.USER,
    "AUTH_PASS": auth_upstream.PASSWORD,
    "OAUTH_CLIENT_ID": "client-1",
    "OAUTH_CLIENT_SECRET": "client-secret",
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("auth"), "http_auth")


@pytest.fixture(scope="module")
def server() -> Iterator[auth_upstream.AuthUpstream]:
    up = auth_upstream.start()
    try:
        yield up
    finally:
        up.close()


@pytest.fixture()
def api(out: Path, server: auth_upstream.AuthUpstream, monkeypatch: pytest.MonkeyPatch) -> Any:
    return configured_client(out, server, monkeypatch)


def configured_client(out: Path, server: auth_upstream.AuthUpstream, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The generated client module, its base URLs and secrets set for ``server``."""
    server.requests.clear()
    for ns in NAMESPACES:
        monkeypatch.setenv(f"{ns}_BASE_URL", server.url)
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AUTH_ISSUER", server.url + "/issuer")
    return client_module(out, PACKAGE)


def test_bearer_reads_the_secret_at_call_time(api: Any, server: auth_upstream.AuthUpstream, monkeypatch: pytest.MonkeyPatch) -> None:
    call(api, lambda c: c.bearer.get_response())
    monkeypatch.setenv("AUTH_BEARER_TOKEN", "tok-2")
    call(api, lambda c: c.bearer.get_response())
    assert [r.headers["authorization"] for r in server.on("/bearer")] == ["Bearer tok-1", "Bearer tok-2"]


def test_apikey_in_header_and_in_query(api: Any, server: auth_upstream.AuthUpstream) -> None:
    call(api, lambda c: c.key_header.get_response())
    assert server.on("/key-header")[0].headers["x-api-key"] == "key-1"
    call(api, lambda c: c.key_query.get_response(q="v"))
    assert server.on("/key-query")[0].query == [("q", "v"), ("api_key", "k&y 2")]


def test_basic(api: Any, server: auth_upstream.AuthUpstream) -> None:
    call(api, lambda c: c.basic.get_response())
    pair = base64.b64encode(f"{auth_upstream.USER}:{auth_upstream.PASSWORD}".encode()).decode()
    assert server.on("/basic")[0].headers["authorization"] == "Basic " + pair


def test_digest_answers_a_real_challenge(api: Any, server: auth_upstream.AuthUpstream, monkeypatch: pytest.MonkeyPatch) -> None:
    response = call(api, lambda c: c.digest.get_response())
    assert response.status_code == 200 and response.json() == {"user": "alice"}
    first, second = server.on("/digest")
    assert "authorization" not in first.headers
    assert second.headers["authorization"].startswith("Digest ")
    monkeypatch.setenv("AUTH_PASS", "wrong")
    assert call(api, lambda c: c.digest.get_response()).status_code == 401


def test_oauth2_client_credentials_token_is_discovered_fetched_and_cached(api: Any, server: auth_upstream.AuthUpstream) -> None:
    server.token_lifetime, server.tokens_issued = 3600, 0
    api._http._TOKENS.clear()
    api._http._TOKEN_ENDPOINTS.clear()

    async def twice(c: Any) -> None:
        await c.oauth.get_response()
        await c.oauth.get_response()

    call(api, twice)
    calls = server.on("/oauth")
    assert [r.headers["authorization"] for r in calls] == ["Bearer token-1", "Bearer token-1"]
    assert len(server.on("/issuer/token")) == 1
    token_form = dict(__import__("urllib.parse").parse.parse_qsl(server.on("/issuer/token")[0].body.decode()))
    assert token_form == {"grant_type": "client_credentials", "scope": "read write", "resource": "https://api.example.test"}


def test_oauth2_token_is_renewed_when_expired(api: Any, server: auth_upstream.AuthUpstream) -> None:
    server.token_lifetime, server.tokens_issued = 0, 0
    api._http._TOKENS.clear()

    async def twice(c: Any) -> None:
        await c.oauth.get_response()
        await c.oauth.get_response()

    call(api, twice)
    assert [r.headers["authorization"] for r in server.on("/oauth")] == ["Bearer token-1", "Bearer token-2"]


@pytest.mark.parametrize(
    ("variable", "client"),
    [
        ("AUTH_BEARER_TOKEN", "bearer"),
        ("AUTH_API_KEY", "key_header"),
        ("AUTH_QUERY_KEY", "key_query"),
        ("AUTH_PASS", "basic"),
        ("AUTH_USER", "digest"),
        ("OAUTH_CLIENT_SECRET", "oauth"),
    ],
)
@pytest.mark.parametrize("unset", [True, False])
def test_missing_secret_names_the_variable_and_sends_nothing(
    api: Any, server: auth_upstream.AuthUpstream, monkeypatch: pytest.MonkeyPatch, variable: str, client: str, unset: bool
) -> None:
    api._http._TOKENS.clear()
    if unset:
        monkeypatch.delenv(variable)
    else:
        monkeypatch.setenv(variable, "")
    with pytest.raises(api.rt.ConfigError, match=f"environment variable {variable} is not set"):
        call(api, lambda c: getattr(c, client).get())
    assert server.requests == []


def test_missing_secret_is_a_problem_response_over_rest(out: Path, server: auth_upstream.AuthUpstream, monkeypatch: pytest.MonkeyPatch) -> None:
    server.requests.clear()
    monkeypatch.setenv("BEARER_BASE_URL", server.url)
    monkeypatch.delenv("AUTH_BEARER_TOKEN", raising=False)
    app = load(out, PACKAGE)
    answer = run(lambda: rest_call(app, "GET", "/bearer"))
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    assert "AUTH_BEARER_TOKEN" in answer.json()["detail"]
    assert server.requests == []
