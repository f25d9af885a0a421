"""Steps, lookups, mappings, aggregates with ref, mocks, imported consumes and file binds.

Our own spec (tests/specs5/orchestrated_fleet.yaml) restates the tutorial's orchestrated
lookup (step 7) and aggregate (step 9) cases; the generated app runs in-process against a
real recording upstream on 127.0.0.1 and the MCP server is driven by the real mcp client.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import importlib
import pytest
from mcp import Client

from tests.issue5.support import SPECS5, generate_into, load, rest_call, run
from tests.upstream import Upstream

SHIP = {"imo": "IMO-1", "name": "Aurora", "crew": ["c2", "c1", "zz"]}
CREW = [{"id": "c1", "name": "Ann", "role": "captain", "age": 50}, {"id": "c2", "name": "Bo", "role": "cook"}]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("orch")
    result = generate_into(folder, SPECS5 / "orchestrated_fleet.yaml")
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return folder


@pytest.fixture()
def fleet(upstream: Upstream, monkeypatch: pytest.MonkeyPatch) -> Upstream:
    upstream.reply(SHIP, path="/ships/IMO-1")
    upstream.reply(CREW, path="/crew")
    monkeypatch.setenv("FLEET_BASE_URL", upstream.url)
    monkeypatch.chdir(SPECS5)  # the bind file location is relative to the working directory
    monkeypatch.delenv("FLEET_TOKEN", raising=False)
    return upstream


def test_rest_steps_lookup_and_mappings(out: Path, fleet: Upstream) -> None:
    app = load(out, "orchestrated_fleet")
    answer = run(lambda: rest_call(app, "GET", "/ships/IMO-1/crew"))
    assert answer.status_code == 200
    assert answer.json() == {"imo": "IMO-1", "crew": [{"name": "Bo"}, {"name": "Ann"}]}
    assert [(r.method, r.path) for r in fleet.requests] == [("GET", "/ships/IMO-1"), ("GET", "/crew")]
    # the bearer token comes from the bind file (binds with a location)
    assert {r.headers["authorization"] for r in fleet.requests} == {"Bearer from-file"}


def test_environment_wins_over_bind_file(out: Path, fleet: Upstream, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEET_TOKEN", "from-env")
    app = load(out, "orchestrated_fleet")
    run(lambda: rest_call(app, "GET", "/name", params={"imo": "IMO-1"}))
    assert fleet.last.headers["authorization"] == "Bearer from-env"


def test_step_upstream_error_stops_the_steps(out: Path, fleet: Upstream) -> None:
    fleet.reply({"error": "no such ship"}, status=404, path="/ships/IMO-9")
    app = load(out, "orchestrated_fleet")
    answer = run(lambda: rest_call(app, "GET", "/ships/IMO-9/crew"))
    assert answer.status_code == 404 and answer.json() == {"error": "no such ship"}
    assert [r.path for r in fleet.requests] == ["/ships/IMO-9"]


def test_rest_ref_to_aggregate_function(out: Path, fleet: Upstream) -> None:
    app = load(out, "orchestrated_fleet")
    answer = run(lambda: rest_call(app, "GET", "/agg/IMO-1"))
    assert answer.status_code == 200
    assert answer.json() == {
        "imo": "IMO-1",
        "vessel": {"name": "Aurora"},
        "crew": [{"name": "Bo", "role": "cook"}, {"name": "Ann", "role": "captain"}],
    }
    named = run(lambda: rest_call(app, "GET", "/name", params={"imo": "IMO-1"}))
    assert named.json() == {"title": "Aurora"}
    assert fleet.last.path == "/ships/IMO-1"


def test_rest_mock_output(out: Path, fleet: Upstream) -> None:
    app = load(out, "orchestrated_fleet")
    answer = run(lambda: rest_call(app, "GET", "/mock", params={"who": "you"}))
    assert answer.status_code == 200 and answer.json() == {"hello": "hi you", "n": "42"}
    assert fleet.requests == []


def _structured(result: Any) -> Any:
    assert not result.is_error, result.content
    return result.structured_content


def test_mcp_ref_steps_and_mock(out: Path, fleet: Upstream) -> None:
    module = load(out, "orchestrated_fleet", "mcp_server")

    async def scenario() -> dict[str, Any]:
        async with Client(module.build_fleet_mcp()) as client:
            tools = {t.name: t for t in (await client.list_tools()).tools}
            got = {
                "crew": _structured(await client.call_tool("ship-crew", {"imo": "IMO-1"})),
                "name": _structured(await client.call_tool("ship-name", {"imo": "IMO-1"})),
                "ping": _structured(await client.call_tool("ping", {})),
                "steps": _structured(await client.call_tool("ship-steps", {"imo": "IMO-1"})),
            }
        await importlib.import_module(f"{module.__package__}._http").close_shared_http()
        return {"tools": tools, **got}

    got = run(scenario)
    tools = got["tools"]
    # ref inherits description, inputs and hints derived from the function's semantics
    assert tools["ship-crew"].description == "Ship with its crew names"
    assert tools["ship-crew"].input_schema["properties"]["imo"]["type"] == "string"
    assert tools["ship-crew"].annotations.read_only_hint is True
    assert tools["ship-crew"].annotations.idempotent_hint is True
    assert tools["ship-name"].annotations.open_world_hint is False
    assert got["crew"]["crew"] == [{"name": "Bo", "role": "cook"}, {"name": "Ann", "role": "captain"}]
    assert got["name"] == {"title": "Aurora"}
    assert got["ping"] == {"status": "up"}
    assert got["steps"] == {"n": "Aurora"}
