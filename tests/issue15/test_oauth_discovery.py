"""Issue 15 "should fix": OAuth2 discovery on a running REST adapter never sends the client
secret to a token endpoint the issuer's own metadata does not vouch for."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from generator import pipeline
from tests.issue15.support import Answer, Upstream, serve, start_upstream

SPEC = """\
naftiko: "1.0.0-alpha2"
info: {label: Discovery, description: OAuth2 discovery checks.}
capability:
  consumes:
    - namespace: api
      type: http
      baseUri: "http://api.invalid"
      authentication: {type: oauth2, authorizationServerUri: "{{env.O_ISSUER}}"}
      resources:
        - {name: r, path: /r, operations: [{name: get, method: GET}]}
  exposes:
    - type: rest
      namespace: disco
      port: 8418
      resources:
        - {path: /r, name: r, operations: [{method: GET, name: get, call: api.get}]}
"""
CLIENT_SECRET = "cs-SECRET-3131"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("disco")
    spec = root / "specs" / "discovery.yaml"
    spec.parent.mkdir()
    spec.write_text(SPEC)
    result = pipeline.generate([spec])
    assert result.ok, [d.format_text() for d in result.diagnostics]
    for rel, text in result.files().items():
        (root / "pkg" / str(rel)).parent.mkdir(parents=True, exist_ok=True)
        (root / "pkg" / str(rel)).write_text(text)
    return root / "pkg"


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    up = start_upstream()
    yield up
    up.close()


def run_with(pkg: Path, upstream: Upstream, issuer: str, metadata: dict[str, str]) -> httpx.Response:
    upstream.seen.clear()
    upstream.answers.clear()
    upstream.answers["/iss/.well-known/oauth-authorization-server"] = Answer(200, json.dumps(metadata).encode())
    upstream.answers["/iss/token"] = Answer(200, b'{"access_token": "at-1", "expires_in": 60}')
    env = {"API_BASE_URL": upstream.url, "O_ISSUER": issuer, "API_CLIENT_ID": "cid",
           "API_CLIENT_SECRET": CLIENT_SECRET}
    with serve(pkg, env, "rest", package="discovery") as running:
        return httpx.get(running.url + "/r")


def token_requests(upstream: Upstream) -> list[str]:
    return [s.path for s in upstream.seen if s.method == "POST"]


def test_matching_metadata_gets_a_token(pkg: Path, upstream: Upstream) -> None:
    issuer = upstream.url + "/iss"
    answer = run_with(pkg, upstream, issuer, {"issuer": issuer, "token_endpoint": issuer + "/token"})
    assert answer.status_code == 200, answer.text
    assert token_requests(upstream) == ["/iss/token"]
    assert upstream.seen[-1].headers["authorization"] == "Bearer at-1"


def test_metadata_naming_another_issuer_is_refused(pkg: Path, upstream: Upstream) -> None:
    issuer = upstream.url + "/iss"
    answer = run_with(pkg, upstream, issuer, {"issuer": "https://evil.example", "token_endpoint": issuer + "/token"})
    assert answer.status_code == 500 and "another issuer" in answer.json()["detail"]
    assert token_requests(upstream) == []


def test_a_token_endpoint_on_another_origin_is_refused(pkg: Path, upstream: Upstream) -> None:
    issuer = upstream.url + "/iss"
    other = upstream.url.replace("127.0.0.1", "localhost") + "/iss/token"
    answer = run_with(pkg, upstream, issuer, {"issuer": issuer, "token_endpoint": other})
    assert answer.status_code == 500 and "another origin" in answer.json()["detail"]
    assert token_requests(upstream) == []


def test_plain_http_outside_loopback_is_refused(pkg: Path, upstream: Upstream) -> None:
    answer = run_with(pkg, upstream, "http://auth.example.test/iss", {})
    assert answer.status_code == 500 and "https" in answer.json()["detail"]
    assert upstream.seen == []
