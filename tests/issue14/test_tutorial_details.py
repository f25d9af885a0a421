"""What the acceptance suite's jq checks leave loose, on the same generated tutorial servers:
exact values from the mock data, tool order, required versus optional inputs, credentials
that reach the upstream, status codes, and the MCP bearer of step 3."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.issue14 import shipyard
from tests.issue14.conftest import fleet_for
from tests.issue14.support import REVISIONS, TUTORIALS, Fleet, call_tool, mcp_client, secrets

NORTHERN_STAR = {"imo": "IMO-9321483", "name": "Northern Star", "type": "cargo", "flag": "NO", "status": "active"}
PACIFIC_DAWN = {"imo": "IMO-9456781", "name": "Pacific Dawn", "type": "tanker", "flag": "SG", "status": "maintenance"}
OLD_FAITHFUL = {"vesselCode": "LEGACY-4012", "name": "Old Faithful", "type": "cargo", "flag": "GB", "status": "active"}
IRON_MAIDEN = {"vesselCode": "LEGACY-2087", "name": "Iron Maiden", "type": "bulk_carrier", "flag": "PA", "status": "laid_up"}
SPECS = {"yearBuilt": 2015, "tonnage": 42000, "length": 229}
CREW = [{"fullName": "Erik Lindström", "role": "captain"}, {"fullName": "Aiko Tanaka", "role": "cook"}]
CARGO = [{"type": "container", "description": "Electronics components", "weight": 12.5, "hazardous": False}]
VOYAGE_ARGS = {
    "shipImo": "IMO-9321483",
    "departurePort": "Oslo",
    "arrivalPort": "Singapore",
    "departureDate": "2026-04-10",
    "arrivalDate": "2026-05-02",
    "crewIds": ["CREW-001", "CREW-003"],
    "cargoIds": ["CARGO-2024-0451"],
}
VOYAGE = {  # the mock echoes the body's scalars; its arrays are the example's fixed ones
    "voyageId": "VOY-2026-042",
    "shipImo": "IMO-9321483",
    "route": {"from": "Oslo", "to": "Singapore"},
    "dates": {"departure": "2026-04-10", "arrival": "2026-05-02"},
    "crewIds": ["CREW-001", "CREW-003"],
    "cargoIds": ["CARGO-2024-0451"],
    "status": "planned",
}
REQUIRED = {  # tool -> (required inputs, optional inputs), as the tutorial declares them
    "list-ships": (set(), {"status"}),
    "get-ship": ({"imo"}, set()),
    "list-legacy-vessels": (set(), {"status"}),
    "create-voyage": ({"shipImo", "departurePort", "arrivalPort", "departureDate", "arrivalDate", "crewIds"}, {"cargoIds"}),
    "get-ship-with-crew": ({"imo"}, set()),
    "get-voyage-manifest": ({"voyageId"}, {"status"}),  # status: implied by the unfed list-ships step (engine-differences 10b)
}


@pytest.fixture()
def fleet(syntax: str, tutorial_out: Path, shipyard_upstream: shipyard.Shipyard, fleets: dict[str, Fleet]) -> Fleet:
    return fleet_for(syntax, tutorial_out, shipyard_upstream, fleets)


def _tool(fleet: Fleet, file: str, tool: str, args: dict[str, Any], revision: str = "2026-07-28") -> Any:
    _, url = fleet.server(file, 3001)
    token = secrets(fleet.generated.syntax)["mcp-server-token"]
    fleet.upstream.requests.clear()
    return asyncio.run(call_tool(url, revision, token, tool, args))


def _names(entries: Any) -> list[str]:
    """Names of a spec's tools or inputs: a list of named entries (alpha2) or a map (current)."""
    if isinstance(entries, dict):
        return [str(k) for k in entries]
    return [str(e["name"]) for e in entries or []]


def _mcp_block(syntax: str, file: str) -> dict[str, Any]:
    spec = yaml.safe_load((TUTORIALS[syntax] / file).read_text(encoding="utf-8"))
    return next(b for b in spec["capability"]["exposes"] if b["type"] == "mcp")


def test_exact_values_from_the_mock_data(fleet: Fleet) -> None:
    assert _tool(fleet, "step-1-shipyard-mock.yml", "get-ship", {"imo_number": "IMO-1"}) == {**NORTHERN_STAR, "imo": "IMO-1"}
    assert fleet.upstream.requests == []  # step 1 is a mock: nothing is called
    assert _tool(fleet, "step-2-shipyard-wiring.yml", "list-ships", {}) == [NORTHERN_STAR, PACIFIC_DAWN]
    assert _tool(fleet, "step-2-shipyard-wiring.yml", "list-ships", {"status": "maintenance"}) == [PACIFIC_DAWN]
    assert fleet.upstream.requests[0].query == [("status", "maintenance")]
    assert _tool(fleet, "step-4-shipyard-output-shaping.yml", "get-ship", {"imo": "IMO-9321483"}) == {**NORTHERN_STAR, "specs": SPECS}
    step5 = "step-5-shipyard-multi-source.yml"
    assert _tool(fleet, step5, "list-legacy-vessels", {}) == [OLD_FAITHFUL, IRON_MAIDEN]
    assert _tool(fleet, step5, "list-legacy-vessels", {"status": "laid_up"}) == [IRON_MAIDEN]  # one XML element
    assert _tool(fleet, "step-6-shipyard-write-operations.yml", "create-voyage", VOYAGE_ARGS) == VOYAGE
    assert fleet.upstream.requests[0].json() == VOYAGE_ARGS  # the body the tool built
    with_crew = _tool(fleet, "step-7-shipyard-orchestrated-lookup.yml", "get-ship-with-crew", {"imo": "IMO-9321483"})
    assert with_crew == {**NORTHERN_STAR, **SPECS, "crew": CREW}
    manifest = _tool(fleet, "step-11-shipyard-fleet-manifest.yml", "get-voyage-manifest", {"voyageId": "VOY-2026-042"})
    assert manifest["ship"] == {"name": "Northern Star", "type": "cargo", "flag": "NO"}
    assert (manifest["crew"], manifest["cargo"], manifest["status"]) == (CREW, CARGO, "planned")


def test_rest_values_and_statuses(fleet: Fleet) -> None:
    _, step10 = fleet.server("step-10-shipyard-rest-adapter.yml", 3003)
    ships = httpx.get(step10 + "/ships")
    assert ships.status_code == 200 and ships.json() == [NORTHERN_STAR, PACIFIC_DAWN]  # status is optional
    assert httpx.get(step10 + "/ships", params={"status": "active"}).json() == [NORTHERN_STAR]
    assert httpx.get(step10 + "/legacy/vessels", params={"status": "laid_up"}).json() == [IRON_MAIDEN]
    created = httpx.post(step10 + "/voyages", json=VOYAGE_ARGS)
    assert created.status_code == 201 and created.json() == VOYAGE
    missing = httpx.get(step10 + "/ships/IMO-0000000")
    assert missing.status_code == 404
    _, step11 = fleet.server("step-11-shipyard-fleet-manifest.yml", 3002)
    created = httpx.post(step11 + "/voyages", json=VOYAGE_ARGS)
    assert created.status_code == 201
    manifest = httpx.get(step11 + "/voyages/VOY-2026-042/manifest").json()
    assert (manifest["shipName"], manifest["shipType"], manifest["shipFlag"]) == ("Northern Star", "cargo", "NO")
    assert (manifest["departurePort"], manifest["arrivalPort"]) == ("Oslo", "Singapore")
    assert (manifest["crew"], manifest["cargo"]) == (CREW, CARGO)


def test_rest_inputs_required_only_in_the_path(fleet: Fleet) -> None:
    _, step10 = fleet.server("step-10-shipyard-rest-adapter.yml", 3003)
    document = httpx.get(step10 + "/openapi.json").json()
    params = {(p["in"], p["name"]): p.get("required", False) for p in document["paths"]["/ships"]["get"]["parameters"]}
    assert params == {("query", "status"): False}
    (path_param,) = document["paths"]["/ships/{imo}"]["get"]["parameters"]
    assert (path_param["in"], path_param["required"]) == ("path", True)
    body = httpx.post(step10 + "/voyages", json={"shipImo": "IMO-9321483"})
    assert body.status_code == 201  # no body field is required either


def test_tools_in_spec_order_with_required_and_optional_inputs(fleet: Fleet) -> None:
    token = secrets(fleet.generated.syntax)["mcp-server-token"]
    files = sorted(p.name for p in TUTORIALS[fleet.generated.syntax].glob("step-*.yml"))
    for file in files:
        block = _mcp_block(fleet.generated.syntax, file)
        _, url = fleet.server(file, block["port"])

        async def listed() -> list[Any]:
            async with mcp_client(url + "/mcp", "2026-07-28", token) as client:
                return list((await client.list_tools()).tools)

        tools = asyncio.run(listed())
        assert [t.name for t in tools] == _names(block["tools"]), file
        for tool in tools:
            if tool.name not in REQUIRED:
                continue
            required, optional = REQUIRED[tool.name]
            if file.startswith("step-1-"):
                required, optional = {"imo_number"}, set()
            assert set(tool.input_schema.get("required", [])) == required, (file, tool.name)
            assert set(tool.input_schema["properties"]) == required | optional, (file, tool.name)


def test_credentials_from_the_secrets_file_reach_the_upstream(fleet: Fleet) -> None:
    keys = secrets(fleet.generated.syntax)
    _tool(fleet, "step-2-shipyard-wiring.yml", "list-ships", {})
    assert "authorization" not in fleet.upstream.requests[0].headers  # step 2 has no credentials yet
    for file in ("step-3-shipyard-auth.yml", "step-6-shipyard-write-operations.yml"):
        _tool(fleet, file, "get-ship", {"imo": "IMO-9321483"})
        (sent,) = fleet.upstream.received("registry")
        assert sent.headers["authorization"] == f"Bearer {keys['registry-bearer-token']}"
        assert sent.headers["registry-version"] == keys["registry-api-version"]
    _tool(fleet, "step-5-shipyard-multi-source.yml", "list-legacy-vessels", {})
    (sent,) = fleet.upstream.received("legacy")
    assert sent.headers["x-dock-key"] == keys["dockyard-api-key"]
    assert "authorization" not in sent.headers  # the registry's bearer stays with the registry


def _raw_mcp(url: str, revision: str, token: str | None) -> httpx.Response:
    """One ``tools/list`` POST as a client of ``revision`` sends it, with or without a bearer."""
    headers = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": revision}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if revision == "2025-11-25":
        body: dict[str, Any] = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"protocolVersion": revision, "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
        }
        headers.pop("MCP-Protocol-Version")
    else:
        meta = {"io.modelcontextprotocol/protocolVersion": revision, "io.modelcontextprotocol/clientCapabilities": {}}
        body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": meta}}
        headers["Mcp-Method"] = "tools/list"
    return httpx.post(url, json=body, headers=headers)


@pytest.mark.parametrize("revision", REVISIONS)
def test_step3_mcp_bearer(fleet: Fleet, revision: str) -> None:
    _, url = fleet.server("step-3-shipyard-auth.yml", 3001)
    token = secrets(fleet.generated.syntax)["mcp-server-token"]
    fleet.upstream.requests.clear()
    for path in ("/mcp", "/"):
        assert _raw_mcp(url + path, revision, token).status_code == 200
        for wrong in (None, "sk-mcp-wrong", token + "x"):
            refused = _raw_mcp(url + path, revision, wrong)
            assert refused.status_code == 401, refused.text
            assert refused.headers["www-authenticate"].startswith("Bearer")
    assert fleet.upstream.requests == []
    assert asyncio.run(call_tool(url, revision, token, "get-ship", {"imo": "IMO-9321483"}))["name"] == "Northern Star"


@pytest.mark.parametrize("revision", REVISIONS)
def test_refresh_crew_204_gives_empty_content(fleet: Fleet, revision: str) -> None:
    file = "step-6-shipyard-write-operations.yml"
    if "refresh-crew" not in _names(_mcp_block(fleet.generated.syntax, file)["tools"]):
        pytest.skip("this tutorial has no refresh-crew tool (the 204 case is in tests/issue14/test_gaps.py)")
    _, url = fleet.server(file, 3001)
    keys = secrets(fleet.generated.syntax)
    fleet.upstream.requests.clear()

    async def call() -> Any:
        async with mcp_client(url + "/mcp", revision, keys["mcp-server-token"]) as client:
            return await client.call_tool("refresh-crew", {"imo_number": "IMO-9321483"})

    result = asyncio.run(call())
    assert (result.is_error, result.content) == (False, [])
    (sent,) = fleet.upstream.requests
    assert (sent.method, sent.path) == ("POST", "/registry/ships/IMO-9321483/crew")
    assert sent.headers["authorization"] == f"Bearer {keys['registry-bearer-token']}"
