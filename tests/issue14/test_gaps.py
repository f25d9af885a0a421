"""Regression tests for the four gaps the engine's acceptance suite found, on our own spec
(tests/issue14/specs/harbour_gaps.yaml): optional REST inputs, per-element projections of a
list step, one XML element where an array is declared, the skill catalog server; and a 204
tool result. The generated app runs in-process against a real recording upstream, the MCP
server is driven by the real mcp client, the skill server runs as a real process.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client

from tests.issue5.support import generate_into, load, rest_call, run
from tests.servers import free_port
from tests.upstream import Reply, Upstream

SPEC = Path(__file__).resolve().parent / "specs" / "harbour_gaps.yaml"
PACKAGE = "harbour_gaps"
BOATS = [
    {"registration": "B-1", "name": "Gull", "kind": "sail"},
    {"registration": "B-2", "name": "Tern", "kind": "motor"},
]
ONE_MOORING = b"<moorings><mooring><berth>A1</berth><length>12.5</length></mooring></moorings>"
TWO_MOORINGS = (
    b"<moorings><mooring><berth>A1</berth><length>12.5</length></mooring>"
    b"<mooring><berth>B7</berth><length>9</length></mooring></moorings>"
)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("harbour")
    result = generate_into(folder, SPEC)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return folder


@pytest.fixture()
def harbour(upstream: Upstream, monkeypatch: pytest.MonkeyPatch) -> Upstream:
    upstream.reply(BOATS, path="/boats")
    upstream.reply({"id": "T-9", "boat": "B-2"}, path="/trips/T-9")
    upstream.reply(ONE_MOORING, path="/moorings", content_type="application/xml")
    upstream.routes["/boats/B-1/refresh"] = Reply(status=204, body=b"")
    monkeypatch.setenv("HARBOUR_BASE_URL", upstream.url)
    return upstream


# --------------------------------------------------------------------------- gap 1


def test_rest_inputs_are_optional_unless_in_the_path(out: Path, harbour: Upstream) -> None:
    app = load(out, PACKAGE)
    answer = run(lambda: rest_call(app, "GET", "/boats"))
    assert answer.status_code == 200, answer.text  # no `kind`, no `X-Trace`: both optional
    assert harbour.last.query == []
    assert run(lambda: rest_call(app, "GET", "/boats", params={"kind": "sail"})).status_code == 200
    assert harbour.last.query == [("kind", "sail")]
    document = app.create_app().openapi()
    params = {p["name"]: p["required"] for p in document["paths"]["/boats"]["get"]["parameters"]}
    assert params == {"kind": False, "X-Trace": False}
    (path_param,) = document["paths"]["/boats/{boatId}/refresh"]["post"]["parameters"]
    assert (path_param["in"], path_param["required"]) == ("path", True)


def test_mcp_inputs_keep_required_by_default(out: Path, harbour: Upstream) -> None:
    module = load(out, PACKAGE, "mcp_server")

    async def schema() -> dict[str, Any]:
        async with Client(module.build_harbour_tools()) as client:
            tools = {t.name: t for t in (await client.list_tools()).tools}
        return tools["list-boats"].input_schema

    assert run(schema)["required"] == ["kind"]  # `limit` says required: false


# --------------------------------------------------------------------------- gap 2


def test_list_step_projection_is_per_element_so_the_lookup_matches(out: Path, harbour: Upstream) -> None:
    app = load(out, PACKAGE)
    answer = run(lambda: rest_call(app, "GET", "/trips/T-9/sheet"))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"trip": "T-9", "boatName": "Tern", "boatKind": "motor"}
    assert [r.path for r in harbour.requests] == ["/trips/T-9", "/boats"]


def test_projection_of_a_list_keeps_each_item_and_adds_the_projected_name(out: Path) -> None:
    steps = load(out, PACKAGE, "_steps")
    run_state = steps.Run({}, {})
    projection = [{"name": "boat-id", "type": "string", "mapping": "$.registration"}]
    assert run_state.project(projection, BOATS) == [{**b, "boat-id": b["registration"]} for b in BOATS]
    assert run_state.project(projection, BOATS[0]) == {"boat-id": "B-1"}  # one object: replaced, as before


# --------------------------------------------------------------------------- gap 3


def test_one_xml_element_is_a_one_item_list(out: Path, harbour: Upstream) -> None:
    app = load(out, PACKAGE)
    one = run(lambda: rest_call(app, "GET", "/moorings"))
    assert one.json() == [{"berth": "A1", "length": 12.5}]
    harbour.reply(TWO_MOORINGS, path="/moorings", content_type="application/xml")
    two = run(lambda: rest_call(app, "GET", "/moorings"))
    assert two.json() == [{"berth": "A1", "length": 12.5}, {"berth": "B7", "length": 9}]


def test_one_xml_element_is_a_one_item_list_over_mcp(out: Path, harbour: Upstream) -> None:
    module = load(out, PACKAGE, "mcp_server")

    async def call() -> Any:
        async with Client(module.build_harbour_tools()) as client:
            result = await client.call_tool("list-moorings", {})
        await importlib.import_module(f"{PACKAGE}._http").close_shared_http()
        return result

    result = run(call)
    assert not result.is_error and result.structured_content == {"result": [{"berth": "A1"}]}


def test_any_single_value_where_an_array_is_declared(out: Path) -> None:
    rt = load(out, PACKAGE, "_runtime")
    rule = {"type": "array", "mapping": "$.tags", "items": {"type": "string", "mapping": "$."}}
    assert rt.map_output(rule, {"tags": "solo"}, {}, {}) == ["solo"]  # e.g. one YAML or CSV value
    assert rt.map_output(rule, {"tags": ["a", "b"]}, {}, {}) == ["a", "b"]
    assert rt.map_output(rule, {}, {}, {}) is None


# --------------------------------------------------------------------------- 204


def test_a_204_tool_gives_empty_content_and_no_error(out: Path, harbour: Upstream) -> None:
    module = load(out, PACKAGE, "mcp_server")

    async def call() -> Any:
        async with Client(module.build_harbour_tools()) as client:
            result = await client.call_tool("refresh-boat", {"boatId": "B-1"})
        await importlib.import_module(f"{PACKAGE}._http").close_shared_http()
        return result

    result = run(call)
    assert (result.is_error, result.content, result.structured_content) == (False, [], None)
    assert (harbour.last.method, harbour.last.path) == ("POST", "/boats/B-1/refresh")


# --------------------------------------------------------------------------- gap 4


@pytest.fixture(scope="module")
def skill_url(out: Path) -> Any:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", PACKAGE, "skill", "--host", "127.0.0.1", "--port", str(port)],
        cwd=out,
        env={"PYTHONPATH": str(out), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(url + "/skills", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, "skill server did not start"
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_skill_catalog_lists_every_skill(skill_url: str) -> None:
    answer = httpx.get(skill_url + "/skills")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert answer.json() == {
        "count": 2,
        "skills": [
            {"name": "berthing", "description": "Find a berth for a boat", "license": "Apache-2.0", "tools": ["moorings", "boats", "guide"]},
            {"name": "empty-skill", "description": "A skill with no tools", "tools": []},
        ],
    }


def test_skill_detail_gives_tools_with_invocation_refs(skill_url: str) -> None:
    detail = httpx.get(skill_url + "/skills/berthing").json()
    assert detail == {
        "name": "berthing",
        "description": "Find a berth for a boat",
        "license": "Apache-2.0",
        "allowed-tools": "list-moorings",
        "tools": [
            {
                "name": "moorings",
                "description": "Moorings over MCP",
                "type": "derived",
                "invocationRef": {"targetNamespace": "harbour-tools", "action": "list-moorings", "mode": "mcp"},
            },
            {
                "name": "boats",
                "description": "Boats over REST",
                "type": "derived",
                "invocationRef": {"targetNamespace": "harbour-api", "action": "list-boats", "mode": "rest"},
            },
            {"name": "guide", "description": "How to berth", "type": "instruction", "instruction": "guide.md"},
        ],
    }
    missing = httpx.get(skill_url + "/skills/nope")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"


def test_skill_md_is_still_written(out: Path) -> None:
    text = (out / PACKAGE / "skills" / "berthing" / "SKILL.md").read_text(encoding="utf-8")
    assert text.startswith('---\nname: "berthing"')


def test_no_skill_command_without_a_skill_exposes(tmp_path: Path) -> None:
    spec = tmp_path / "plain.yaml"
    spec.write_text(SPEC.read_text(encoding="utf-8").split("    - type: skill")[0], encoding="utf-8")
    result = generate_into(tmp_path / "out", spec)
    assert result.ok
    files = {p.name for p in (tmp_path / "out" / "plain").iterdir()}
    assert "skill_server.py" not in files and "_skills.py" not in files
    done = subprocess.run([sys.executable, "-m", "plain", "skill"], cwd=tmp_path / "out", capture_output=True, text=True)
    assert done.returncode == 2 and "invalid choice: 'skill'" in done.stderr
