"""forward, control and skill exposes, generated from tests/specs5/proxy_control.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.issue5.support import SPECS5, generate_into, load, rest_call, run
from tests.upstream import Upstream


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exposes")
    result = generate_into(folder, SPECS5 / "proxy_control.yaml")
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return folder


def test_forward_keeps_method_body_query_and_trusted_headers(out: Path, upstream: Upstream, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_BASE_URL", upstream.url + "/api")
    upstream.reply({"made": True}, status=201)
    app = load(out, "proxy_control")
    answer = run(
        lambda: rest_call(
            app,
            "POST",
            "/raw/a/b%20c",
            params=[("q", "1"), ("q", "2")],
            json={"x": 1},
            headers={"X-Correlation-Id": "abc", "X-Secret": "no"},
        )
    )
    assert answer.status_code == 201 and answer.json() == {"made": True}
    sent = upstream.last
    assert (sent.method, sent.path, sent.query) == ("POST", "/api/a/b%20c", [("q", "1"), ("q", "2")])
    assert sent.json() == {"x": 1}
    assert sent.headers["x-correlation-id"] == "abc"
    assert "x-secret" not in sent.headers
    assert sent.headers["x-api-version"] == "2026-01-01"  # consumes-level inputs still apply
    # the resource's own operations take priority over forward
    upstream.reply({"id": "7"})
    assert run(lambda: rest_call(app, "GET", "/notes/7")).json() == {"id": "7"}
    assert upstream.last.path == "/api/notes/7"
    # no climbing out of the base URL
    assert run(lambda: rest_call(app, "GET", "/raw/a/%2E%2E/admin")).status_code == 400


def test_control_health_and_metrics(out: Path, upstream: Upstream, monkeypatch: pytest.MonkeyPatch) -> None:
    app = load(out, "proxy_control")
    assert run(lambda: rest_call(app, "GET", "/health/live")).json() == {"status": "UP"}
    ready = run(lambda: rest_call(app, "GET", "/health/ready"))
    assert ready.status_code == 200 and ready.json()["adapters"] == {"notes": "UP"}

    async def scenario() -> str:
        import httpx

        transport = httpx.ASGITransport(app=app.create_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://a") as client:
            await client.get("/health/live")
            await client.get("/health/live")
            await client.get("/nowhere")
            return (await client.get("/metrics")).text

    text = run(scenario)
    assert 'naftiko_requests_total{method="GET",route="/health/live",status="200"} 2' in text
    assert 'naftiko_requests_total{method="GET",route="unmatched",status="404"} 1' in text
    assert "naftiko_uptime_seconds" in text


def test_skill_md_lists_tools_and_inputs(out: Path) -> None:
    skill = (out / "proxy_control" / "skills" / "note-reading" / "SKILL.md").read_text()
    assert skill.startswith('---\nname: "note-reading"\ndescription: "Read notes"\n---\n')
    assert "MCP tool `read-note` of server `proxy-mcp`" in skill
    assert "`GET /notes/{id}` on REST adapter `proxy`" in skill
    assert "| `id` | string | yes | argument | The note \\| id |" in skill
    # the tool the skill names is really served by the generated MCP server
    module = load(out, "proxy_control", "mcp_server")
    assert [t.name for t in module.build_proxy_mcp()._tool_manager.list_tools()] == ["read-note"]


CONTROL_TOGGLES = """\
naftiko: 1.0.0-alpha2
info: {label: Control toggles, description: Control switches}
capability:
  consumes:
    - namespace: api
      type: http
      baseUri: ""
      resources:
        - name: things
          path: /things
          operations:
            - {name: list, method: GET}
  exposes:
    - type: rest
      namespace: front
      port: 8110
      resources:
        - path: /things
          name: things
          operations:
            - {method: GET, name: list, call: api.list}
    - type: control
      port: 9110
      authentication: {type: bearer, token: "{{env.CONTROL_TOKEN}}"}
      management: {health: false, info: true}
      observability:
        enabled: true
        metrics: {local: {enabled: false}}
        traces: {local: {buffer-size: 20}}
"""


def test_control_toggles_auth_and_what_is_not_generated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "control_toggles.yaml"
    spec.write_text(CONTROL_TOGGLES)
    result = generate_into(tmp_path / "out", spec)
    notes = [d.format_text() for d in result.diagnostics if d.code == "NG317"]
    assert len(notes) == 1 and "control_toggles.yaml:22:7: warning[NG317]" in notes[0]
    assert "not generated: /traces, /config;" in notes[0]
    app = load(tmp_path / "out", "control_toggles")
    monkeypatch.delenv("CONTROL_TOKEN", raising=False)
    assert run(lambda: rest_call(app, "GET", "/status")).status_code == 503  # secret unset: never open
    monkeypatch.setenv("CONTROL_TOKEN", "s3cret")
    assert run(lambda: rest_call(app, "GET", "/status")).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert run(lambda: rest_call(app, "GET", "/status", headers=wrong)).status_code == 401
    status = run(lambda: rest_call(app, "GET", "/status", headers={"Authorization": "Bearer s3cret"}))
    assert status.status_code == 200
    # baseUri is empty and API_BASE_URL unset: the status says which variable is missing
    assert status.json()["capability"] == "Control toggles" and "API_BASE_URL" in status.json()["adapters"]["api"]
    assert run(lambda: rest_call(app, "GET", "/health/live")).status_code == 404  # management.health: false
    assert run(lambda: rest_call(app, "GET", "/metrics")).status_code == 404  # metrics.local.enabled: false
    assert run(lambda: rest_call(app, "GET", "/things")).status_code != 401  # the business routes have no auth
