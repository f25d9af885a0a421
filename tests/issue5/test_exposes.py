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
