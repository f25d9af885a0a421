"""NG320-NG322: exposed authentication and input patterns naftiko-gen cannot enforce.

Each refused authentication is also run: the generated app answers every request
with a problem (never opens the API), without calling the upstream.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from generator import pipeline
from tests.issue5.support import load

SPEC = """\
naftiko: 1.0.0-alpha2
info: {{label: Refused, description: Exposed auth the generator refuses.}}
capability:
  consumes:
    - type: http
      namespace: api
      baseUri: http://127.0.0.1:9
      resources:
        - name: things
          path: /things
          operations:
            - {{name: list, method: GET}}
  exposes:
    - type: rest
      namespace: open
      port: 8080
      authentication: {auth}
      resources:
        - path: /things
          operations:
            - method: GET
              name: list
              inputParameters:
                - {{name: q, in: query, type: string, description: Text, pattern: "{pattern}", required: false}}
                - {{name: n, in: query, type: integer, description: Count, pattern: "^1$", required: false}}
              call: api.list
"""


def build(tmp_path: Path, auth: str, pattern: str = "^[a-z]+$") -> tuple[list[str], Path]:
    spec = tmp_path / "refused.yaml"
    spec.write_text(SPEC.format(auth=auth, pattern=pattern))
    result = pipeline.generate([spec])
    for rel, text in result.files().items():
        (tmp_path / str(rel)).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / str(rel)).write_text(text)
    lines = [d.format_text().splitlines()[0] for d in result.diagnostics if d.code.startswith("NG32")]
    return [line.split(str(spec) + ":", 1)[1] for line in lines], tmp_path


def answer(out: Path, **kwargs: object) -> httpx.Response:
    app_module = load(out, "refused")

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app_module.create_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://adapter") as client:
            return await client.get("/things", **kwargs)  # type: ignore[arg-type]

    return asyncio.run(call())


@pytest.mark.parametrize(
    ("auth", "expected"),
    [
        (
            "{type: oauth2, authorizationServerUri: 'https://as.example', resource: 'https://api.example'}",
            "17:23: warning[NG320]: exposed authentication type 'oauth2' is not enforced by naftiko-gen; every request will be refused (501) (at $.capability.exposes[0].authentication)",
        ),
        (
            "{type: bearer, token: plain-text-token}",
            "17:45: warning[NG321]: exposed bearer authentication has no token from the environment; naftiko-gen never compiles secrets into code, so every request will be refused (501) (at $.capability.exposes[0].authentication.token)",
        ),
        (
            "{type: basic, password: '{{PW}}'}",
            "17:23: warning[NG321]: exposed basic authentication has no username; every request will be refused (501) (at $.capability.exposes[0].authentication)",
        ),
    ],
    ids=["oauth2", "literal-token", "no-username"],
)
def test_unenforceable_auth_is_reported_and_refuses(tmp_path: Path, auth: str, expected: str) -> None:
    lines, out = build(tmp_path, auth)
    assert [line for line in lines if "NG322" not in line] == [expected]
    refused = answer(out, headers={"Authorization": "Bearer plain-text-token"})
    assert refused.status_code == 501 and refused.headers["content-type"] == "application/problem+json"
    assert "refused" in refused.json()["detail"]


def test_env_expression_spelling_is_read_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines, out = build(tmp_path, "{type: bearer, token: $env.OPEN_TOKEN}")
    assert [line for line in lines if "NG322" not in line] == []
    monkeypatch.setenv("OPEN_TOKEN", "s3")
    assert answer(out, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert answer(out, headers={"Authorization": "Bearer s3"}, params={"q": "Bad1"}).status_code == 422


def test_patterns_that_cannot_be_enforced(tmp_path: Path) -> None:
    lines, _ = build(tmp_path, "{type: bearer, token: '{{T}}'}", pattern="[unclosed")
    assert lines == [
        "24:82: warning[NG322]: pattern '[unclosed' is not a valid regular expression; it is not enforced (at $.capability.exposes[0].resources[0].operations[0].inputParameters[0].pattern)",
        "25:84: warning[NG322]: pattern on an input of type integer is not enforced (patterns apply to strings) (at $.capability.exposes[0].resources[0].operations[0].inputParameters[1].pattern)",
    ]


def test_an_unexpected_error_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    _, out = build(tmp_path, "{type: bearer, token: '{{T}}'}")
    app_module = load(out, "refused")
    app = app_module.create_app()

    async def boom() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/boom", boom)

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://adapter") as client:
            return await client.get("/boom")

    answer = asyncio.run(call())
    assert answer.status_code == 500 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"] == "an unexpected error while handling the request"
