"""MCP contracts through the real mcp client over stdio: arguments checked against exactly
the listed inputSchema, array items typed alike everywhere, -32602 for an unknown tool or
prompt with no traceback in the server log, serverInfo with name and version."""

from __future__ import annotations

import asyncio
import inspect
import os
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.shared.exceptions import MCPError

from tests import upstream as upstream_module
from tests.issue5.support import load
from tests.issue17.support import PACKAGE, generate, script_shop


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("issue17-mcp") / "out")


@pytest.fixture(scope="module")
def shop() -> Iterator[upstream_module.Upstream]:
    server = upstream_module.start()
    try:
        yield script_shop(server)
    finally:
        server.close()


@asynccontextmanager
async def session(out: Path, shop: upstream_module.Upstream, log: Path) -> AsyncIterator[tuple[ClientSession, Any]]:
    env = {**os.environ, "PYTHONPATH": str(out), "SHOP_BASE_URL": shop.url, "SHOP_TOKEN": "t"}
    params = StdioServerParameters(command=sys.executable, args=["-m", PACKAGE, "mcp", "--transport", "stdio"], env=env, cwd=str(out))
    with log.open("w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write):
            async with ClientSession(read, write) as client:
                yield client, await client.initialize()


def run(out: Path, shop: upstream_module.Upstream, log: Path, scenario: Any) -> Any:
    async def main() -> Any:
        async with session(out, shop, log) as (client, init):
            return await scenario(client, init)

    return asyncio.run(main())


def test_arguments_are_checked_against_the_listed_schema(out: Path, shop: upstream_module.Upstream, tmp_path: Path) -> None:
    async def scenario(client: ClientSession, init: Any) -> dict[str, Any]:
        listed = {tool.name: tool.input_schema for tool in (await client.list_tools()).tools}
        answers = {
            "number as text": await client.call_tool("get-item", {"id": "7", "limit": "5"}),
            "yes for a boolean": await client.call_tool("get-item", {"id": "7", "active": "yes"}),
            "numbers for text items": await client.call_tool("get-item", {"id": "7", "tags": [1, 2]}),
            "missing id": await client.call_tool("get-item", {}),
        }
        shop.requests.clear()
        good = await client.call_tool("get-item", {"id": "7", "tags": ["a", "b"], "limit": 5, "active": True})
        return {"listed": listed, "answers": answers, "good": good, "sent": list(shop.requests)}

    found = run(out, script_shop(shop), tmp_path / "log", scenario)
    schema = found["listed"]["get-item"]
    assert schema["properties"]["tags"] == {"type": "array", "items": {"type": "string"}, "description": "Tags"}
    for case, answer in found["answers"].items():
        assert answer.is_error, case
    texts = {case: answer.content[0].text for case, answer in found["answers"].items()}
    assert "limit" in texts["number as text"] and "'5' is not of type 'number'" in texts["number as text"]
    assert "active" in texts["yes for a boolean"] and "'yes' is not of type 'boolean'" in texts["yes for a boolean"]
    assert "tags/" in texts["numbers for text items"] and "is not of type 'string'" in texts["numbers for text items"]
    assert "'id' is a required property" in texts["missing id"]
    assert not found["good"].is_error, found["good"].content
    assert [r.query for r in found["sent"]] == [[("tags", "a"), ("tags", "b"), ("limit", "5")]]


def test_array_items_agree_between_schema_client_and_rest(out: Path) -> None:
    """One array input, three views: the MCP schema, the client's hint, the REST query."""
    mcp_server = load(out, PACKAGE, "mcp_server")
    client = sys.modules[f"{PACKAGE}.client"]
    app = sys.modules[f"{PACKAGE}.app"] if f"{PACKAGE}.app" in sys.modules else load(out, PACKAGE, "app")
    tool = mcp_server.SERVERS["shop-mcp"]()._tool_manager.get_tool("get-item")
    assert tool.parameters["properties"]["tags"]["items"] == {"type": "string"}
    hint = inspect.signature(client.ShopClient.get_item).parameters["tags"].annotation
    assert hint == "list[str] | None"
    document = app.create_app().openapi()
    query = next(p for p in document["paths"]["/items/{id}"]["get"]["parameters"] if p["name"] == "tags")
    assert query["schema"]["anyOf"][0] == {"type": "array", "items": {"type": "string"}}


def test_unknown_tool_and_prompt_are_invalid_params_without_traceback(out: Path, shop: upstream_module.Upstream, tmp_path: Path) -> None:
    log = tmp_path / "server.log"

    async def scenario(client: ClientSession, init: Any) -> list[MCPError]:
        errors: list[MCPError] = []
        for attempt in (client.call_tool("no-such-tool", {}), client.get_prompt("no-such-prompt")):
            try:
                await attempt
            except MCPError as exc:
                errors.append(exc)
        greeting = await client.get_prompt("greet", {"who": "Ada"})
        assert greeting.messages[0].content.text == "Hello Ada"
        return errors

    errors = run(out, shop, log, scenario)
    assert [e.error.code for e in errors] == [-32602, -32602]
    assert "no-such-tool" in errors[0].error.message and "no-such-prompt" in errors[1].error.message
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_server_info_has_name_and_version(out: Path, shop: upstream_module.Upstream, tmp_path: Path) -> None:
    async def scenario(client: ClientSession, init: Any) -> Any:
        return init.server_info

    info = run(out, shop, tmp_path / "log", scenario)
    assert (info.name, info.version) == ("Typed shop", "1.0.0")  # info.label, no info.version
