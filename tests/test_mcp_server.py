"""A generated MCP server driven by the real mcp client over stdio and streamable HTTP.

One spec exercises what MCP clients rely on: the listed schemas, titles and
annotations, structured results, error results, resources and prompts.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import ClientSession
from mcp.shared.exceptions import MCPError

from generator.pipeline import generate
from tests.servers import free_port, mcp_http, mcp_stdio
from tests.upstream import Reply, Upstream

SPEC = """\
naftiko: 1.0.0-alpha2
info:
  label: MCP behaviour
  description: Every MCP behaviour clients rely on.
capability:
  consumes:
    - type: http
      namespace: api
      baseUri: http://unused.invalid
      resources:
        - name: items
          path: /items/{{id}}
          operations:
            - name: update-item
              method: POST
              inputParameters:
                - {name: id, in: path}
                - {name: count, in: query, type: integer}
                - {name: payload, in: body, type: object}
        - name: empty
          path: /empty
          operations:
            - {name: delete-all, method: DELETE}
        - name: fail
          path: /fail
          operations:
            - {name: fail, method: GET}
        - name: slow
          path: /slow
          operations:
            - {name: slow, method: POST}
        - name: profile
          path: /users/{{uid}}
          operations:
            - name: get-user
              method: GET
              inputParameters:
                - {name: uid, in: path}
    - type: http
      namespace: down
      baseUri: http://unused.invalid
      resources:
        - name: ping
          path: /ping
          operations:
            - {name: ping, method: POST}
    - type: http
      namespace: locked
      baseUri: http://unused.invalid
      authentication:
        type: bearer
        token: "{{env.W4_MISSING_TOKEN}}"
      resources:
        - name: secret
          path: /secret
          operations:
            - {name: read-secret, method: GET}
  exposes:
    - type: mcp
      namespace: behaviour
      port: 9999
      description: Behaviour test server.
      tools:
        - name: update-item
          label: Update item
          description: Update one item.
          hints: {readOnly: false, destructive: true, idempotent: false, openWorld: true}
          inputParameters:
            - {name: id, type: string, description: Item id}
            - {name: ratio, type: number, description: A ratio, required: false}
            - {name: flag, type: boolean, description: A flag, required: false}
            - {name: tags, type: array, description: Some tags, required: false}
            - {name: meta, type: object, description: Metadata, required: false}
          call: api.update-item
          with:
            id: tools.id
            count: tools.count
          outputParameters:
            - {name: updated, type: string, mapping: $.id}
            - {name: total, type: integer, mapping: $.n}
        - name: delete-all
          description: Delete everything; answers 204.
          hints: {readOnly: false, destructive: true, idempotent: true}
          call: api.delete-all
        - name: fail
          description: Always fails upstream.
          call: api.fail
        - name: slow
          description: Answers too late.
          call: api.slow
        - name: ping-down
          description: An upstream nobody listens on.
          call: down.ping
        - name: read-secret
          description: Needs a secret that is not set.
          call: locked.read-secret
      resources:
        - name: user
          label: User
          uri: data://users/{userId}
          description: A user by id.
          mimeType: application/json
          call: api.get-user
          with:
            uid: "{{userId}}"
          outputParameters:
            - {name: name, type: string, mapping: $.name}
        - name: failing
          label: Failing
          uri: data://failing
          description: Reads from an endpoint that fails.
          call: api.fail
        - name: docs
          label: Docs
          uri: docs://files
          description: Static documents.
          location: "file://{docs}"
      prompts:
        - name: greet
          label: Greet
          description: Greet someone.
          arguments:
            - {name: who, description: Who to greet}
            - {name: tone, description: The tone, required: false}
          template:
            - {role: user, content: "Say hello to {{who}} in a {{tone}} tone."}
            - {role: assistant, content: "Hello, {{who}}!"}
        - name: from-file
          label: From file
          description: A prompt kept in a file.
          arguments:
            - {name: topic, description: The topic}
          location: "file://{prompt}"
"""

PACKAGE = "mcp_behaviour"


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("mcp")
    docs = root / "docs"
    (docs / "guides").mkdir(parents=True)
    (docs / "readme.md").write_text("# Read me\n")
    (docs / "guides" / "start.txt").write_text("start here")
    prompt = root / "prompt.txt"
    prompt.write_text("Write about {{topic}}.")
    spec = root / "specs" / "mcp-behaviour.yaml"
    spec.parent.mkdir()
    spec.write_text(SPEC.replace("{docs}", str(docs)).replace("{prompt}", str(prompt)))
    result = generate([spec])
    assert result.ok, [d.format_text() for d in result.diagnostics]
    out = root / "out"
    for relative, text in result.files().items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(text)
    yield out


def _env(upstream: Upstream) -> dict[str, str]:
    return {
        "API_BASE_URL": upstream.url,
        "DOWN_BASE_URL": f"http://127.0.0.1:{free_port()}",
        "NAFTIKO_HTTP_TIMEOUT": "0.5",
        "NAFTIKO_HTTP_RETRIES": "0",
    }


def _text(result: Any) -> str:
    return result.content[0].text


async def _check_tools(session: ClientSession, upstream: Upstream) -> None:
    tools = {t.name: t for t in (await session.list_tools()).tools}
    assert list(tools) == ["update-item", "delete-all", "fail", "slow", "ping-down", "read-secret"]
    update = tools["update-item"]
    assert update.title == "Update item"
    assert update.annotations is not None
    assert (update.annotations.title, update.annotations.read_only_hint, update.annotations.destructive_hint) == ("Update item", False, True)
    assert (update.annotations.idempotent_hint, update.annotations.open_world_hint) == (False, True)
    assert tools["fail"].annotations is None
    schema = update.input_schema
    assert schema["type"] == "object" and "$defs" not in json.dumps(schema) and "$ref" not in json.dumps(schema)
    props = schema["properties"]
    assert {k: v.get("type") for k, v in props.items()} == {
        "id": "string",
        "ratio": "number",
        "flag": "boolean",
        "tags": "array",
        "meta": "object",
        "count": "integer",  # implied by `with: count: tools.count`
        "payload": "object",  # the consumed body nothing feeds
    }
    assert props["ratio"]["description"] == "A ratio"
    assert schema["required"] == ["id", "payload"]  # required defaults to true; implied ones keep the upstream's

    upstream.reply({"id": "a 1", "n": 3}, path="/items/a%201")
    result = await session.call_tool("update-item", {"id": "a 1", "count": 2, "payload": {"x": 1}})
    assert not result.is_error, _text(result)
    assert result.structured_content == {"updated": "a 1", "total": 3}
    assert json.loads(_text(result)) == {"updated": "a 1", "total": 3}
    sent = upstream.last
    assert (sent.method, sent.path, sent.query, sent.json()) == ("POST", "/items/a%201", [("count", "2")], {"x": 1})

    upstream.routes["/empty"] = Reply(status=204, body=b"")
    result = await session.call_tool("delete-all", {})
    assert not result.is_error and result.content == [] and result.structured_content is None

    upstream.reply({"error": "kaput" * 200}, status=503, path="/fail")
    result = await session.call_tool("fail", {})
    assert result.is_error and "HTTP 503" in _text(result) and "kaput" in _text(result)
    assert len(_text(result)) < 400  # a short excerpt, not the whole body

    upstream.routes["/slow"] = Reply(body=b"{}", delay=2.0)
    result = await session.call_tool("slow", {})
    assert result.is_error and "timed out" in _text(result)

    result = await session.call_tool("ping-down", {})
    assert result.is_error and "unreachable" in _text(result)

    result = await session.call_tool("read-secret", {})
    assert result.is_error and "W4_MISSING_TOKEN" in _text(result)

    result = await session.call_tool("update-item", {"count": 2, "payload": {}})
    assert result.is_error  # missing required argument, rejected by the SDK before any call


async def _check_resources(session: ClientSession, upstream: Upstream) -> None:
    listed = {str(r.uri): r for r in (await session.list_resources()).resources}
    assert set(listed) == {"data://failing", "docs://files/readme.md", "docs://files/guides/start.txt"}
    assert listed["docs://files/readme.md"].mime_type == "text/markdown"
    templates = (await session.list_resource_templates()).resource_templates
    assert [(t.uri_template, t.name, t.title, t.mime_type) for t in templates] == [
        ("data://users/{userId}", "user", "User", "application/json")
    ]
    upstream.reply({"name": "Ada", "secret": "x"}, path="/users/42")
    read = await session.read_resource("data://users/42")
    assert json.loads(read.contents[0].text) == {"name": "Ada"}
    assert read.contents[0].mime_type == "application/json"
    assert upstream.last.path == "/users/42"
    read = await session.read_resource("docs://files/guides/start.txt")
    assert read.contents[0].text == "start here"
    upstream.reply({"error": "nope"}, status=500, path="/fail")
    with pytest.raises(MCPError, match="HTTP 500"):
        await session.read_resource("data://failing")


async def _check_prompts(session: ClientSession) -> None:
    prompts = {p.name: p for p in (await session.list_prompts()).prompts}
    assert prompts["greet"].title == "Greet"
    assert [(a.name, a.required) for a in prompts["greet"].arguments or []] == [("who", True), ("tone", False)]
    got = await session.get_prompt("greet", {"who": "Ada"})
    assert [(m.role, m.content.text) for m in got.messages] == [
        ("user", "Say hello to Ada in a {{tone}} tone."),
        ("assistant", "Hello, Ada!"),
    ]
    got = await session.get_prompt("from-file", {"topic": "tides"})
    assert [(m.role, m.content.text) for m in got.messages] == [("user", "Write about tides.")]
    with pytest.raises(MCPError):
        await session.get_prompt("greet", {})


@pytest.mark.parametrize("transport", ["stdio", "http"])
def test_mcp_server_end_to_end(out_dir: Path, upstream: Upstream, transport: str) -> None:
    connect = mcp_stdio if transport == "stdio" else mcp_http

    async def scenario() -> None:
        async with connect(out_dir, PACKAGE, _env(upstream)) as session:
            await _check_tools(session, upstream)
            await _check_resources(session, upstream)
            await _check_prompts(session)

    asyncio.run(scenario())
