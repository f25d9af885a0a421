"""New constructs of the Ikanos syntax, run for real: REST tags and info.version in the
generated app's OpenAPI, binary upstream bodies never decoded as text, a tunnel with
``fallback: direct`` calling the upstream directly, ``fallback: fail`` refused."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from generator import pipeline
from tests import upstream as upstream_module
from tests.conftest import shared_or_skip
from tests.issue5 import support as run_support
from tests.issue13 import support


def _spec(base: str, extra_consumes: str = "", operation: str = "") -> str:
    text = support.items(base=base).replace('  description: "Reads items"\n',
                                           '  description: "Reads items"\n  version: "2.3.4"\n')
    text = text.replace("      resources:\n        items:\n", extra_consumes + "      resources:\n        items:\n", 1)
    return text.replace("              method: GET\n              display", operation + "              method: GET\n"
                        "              display", 1)


def test_rest_tags_and_info_version_reach_the_openapi_document(tmp_path: Path) -> None:
    text = _spec("https://api.example.com").replace(
        '          path: "/items/{id}"\n', '          path: "/items/{id}"\n          tags: [items, public]\n'
    ).replace("              display: \"Read an item\"\n", "              display: \"Read an item\"\n              tags: [read, items]\n")
    spec = support.write(tmp_path / "specs" / "tagged.yml", text)
    result = run_support.generate_into(tmp_path / "out", spec)
    assert result.ok and not result.diagnostics
    app = run_support.load(tmp_path / "out", "tagged")
    document = app.create_app().openapi()
    assert document["info"]["version"] == "2.3.4"
    [operation] = document["paths"]["/items/{id}"].values()
    assert operation["tags"] == ["items-rest", "items", "public", "read"]


def test_binary_output_is_capped_typed_and_passed_on(tmp_path: Path, upstream: upstream_module.Upstream) -> None:
    payload = bytes(range(256)) * 4  # 1 KiB, not UTF-8 text
    upstream.reply(payload, content_type="application/octet-stream")  # type: ignore[arg-type]
    text = _spec(upstream.url).replace(
        "            get-item:\n              method: GET\n",
        "            get-item:\n              method: GET\n              outputRawFormat: binary\n"
        "              outputMediaType: image/webp\n              maxBinarySize: 1KiB\n",
    )
    mapped = "              outputParameters:\n                - type: object\n                  mapping: \"$.\"\n" \
        "                  properties:\n                    name:\n                      type: string\n" \
        "                      mapping: \"$.name\"\n"
    assert mapped in text
    text = text.replace(mapped, "", 1)  # the route answers what the upstream call gives
    spec = support.write(tmp_path / "specs" / "photos.yml", text)
    result = run_support.generate_into(tmp_path / "out", spec)
    [warning] = [d for d in result.diagnostics if d.code == "NG330"]
    assert "streamed only through REST passthrough routes" in warning.message and "the cap is 1KiB" in warning.message
    assert warning.json_path == "$.capability.consumes[0].resources.items.operations.get-item.outputRawFormat"
    app = run_support.load(tmp_path / "out", "photos")
    answer = run_support.run(lambda: run_support.rest_call(app, "GET", "/items/7"))
    assert (answer.status_code, answer.headers["content-type"], answer.content) == (200, "image/webp", payload)
    assert upstream.last.path == "/items/7"
    upstream.reply(payload + b"!", content_type="application/octet-stream")  # type: ignore[arg-type]
    refused = run_support.run(lambda: run_support.rest_call(app, "GET", "/items/8"))
    assert refused.status_code == 502 and "larger than maxBinarySize (1024 bytes)" in refused.json()["detail"]
    tools = run_support.load(tmp_path / "out", "photos", "client")
    assert "max_bytes=1024" in Path(tools.__file__).read_text()


def test_tunnel_with_fallback_direct_calls_the_upstream_directly(tmp_path: Path, upstream: upstream_module.Upstream) -> None:
    upstream.reply({"name": "direct"})
    tunnel = "      tunnel:\n        type: ziti\n        service: items-api\n        identity: ./id.json\n        fallback: direct\n"
    spec = support.write(tmp_path / "specs" / "tunnelled.yml", _spec(upstream.url, tunnel))
    result = run_support.generate_into(tmp_path / "out", spec)
    [warning] = result.diagnostics
    assert warning.code == "NG332" and "items-api" in warning.message and result.ok
    assert warning.json_path == "$.capability.consumes[0].tunnel.fallback"
    app = run_support.load(tmp_path / "out", "tunnelled")
    answer = run_support.run(lambda: run_support.rest_call(app, "GET", "/items/3"))
    assert answer.json() == {"name": "direct"} and upstream.last.path == "/items/3"


def test_tunnel_that_must_not_fall_back_is_refused(tmp_path: Path) -> None:
    tunnel = "      tunnel:\n        type: ziti\n        service: items-api\n        identity: ./id.json\n"
    spec = support.write(tmp_path / "tunnelled.yml", _spec("https://api.example.com", tunnel))
    result = pipeline.process(spec, pipeline.Options())
    [error] = [d for d in result.diagnostics if d.is_error]
    assert error.code == "NG333" and "fallback: fail" in error.message and "cannot dial" in error.message
    assert "fallback: direct" in (error.hint or "")
    assert not result.files


def test_mcp_cache_hints_reach_the_client_and_media_types_apply(tmp_path: Path) -> None:
    from mcp import Client

    text = _spec("https://api.example.com").replace(
        '      description: "Item tools"\n', '      description: "Item tools"\n      ttlMs: 60000\n      cacheScope: public\n'
    ).replace("            get-item:\n              method: GET\n",
              "            get-item:\n              method: GET\n              outputMediaType: application/json\n")
    spec = support.write(tmp_path / "specs" / "hints.yml", text)
    result = run_support.generate_into(tmp_path / "out", spec)
    assert result.ok and not result.diagnostics
    client = (tmp_path / "out" / "hints" / "client.py").read_text()
    assert 'media_type="application/json"' in client  # the answer's Content-Type
    server_module = run_support.load(tmp_path / "out", "hints", "mcp_server")

    async def listed() -> Any:
        async with Client(server_module.build_items_mcp()) as session:
            return await session.list_tools()

    tools = run_support.run(listed)
    assert (tools.ttl_ms, tools.cache_scope) == (60000, "public")
    assert [t.name for t in tools.tools] == ["get-item"]


def test_binary_content_example_serves_bytes_over_rest_and_a_blob_over_mcp(
    tmp_path: Path, upstream: upstream_module.Upstream
) -> None:
    from mcp import Client

    example = shared_or_skip("reference", "ikanos", "schema", "examples", "capability-binary-content.yml")
    payload = bytes(range(256)) * 3
    upstream.reply(payload, content_type="image/jpeg")
    text = example.read_text(encoding="utf-8").replace("https://photos.example.org", upstream.url)
    # the example feeds the resource's URI variable as "{id}", which naftiko-gen passes on
    # as text; "{{id}}" is the template it means (see docs/engine-differences.md)
    text = text.replace('id: "{id}"', 'id: "{{id}}"')
    spec = support.write(tmp_path / "specs" / "photos.yml", text)
    result = run_support.generate_into(tmp_path / "out", spec)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    assert not [d for d in result.diagnostics if "REST operation" in d.message]  # streamed as declared
    app = run_support.load(tmp_path / "out", "photos")
    for url in ("/photos/1/image", "/photos/1/thumbnail"):
        answer = run_support.run(lambda: run_support.rest_call(app, "GET", url))
        assert (answer.status_code, answer.headers["content-type"], answer.content) == (200, "image/jpeg", payload)
    # the consumed operation's outputMediaType (image/jpeg) wins over the upstream's type; without
    # it, the route's declared responseBinary type does
    upstream.reply(payload, content_type="application/octet-stream")  # type: ignore[arg-type]
    plain = text.replace('              outputMediaType: "image/jpeg"\n              maxBinarySize', '              maxBinarySize')
    assert plain != text
    support.write(tmp_path / "plain" / "photos2.yml", plain.replace('responseBinary:\n                status: 200\n'
                  '                mediaType: "image/jpeg"', 'responseBinary:\n                status: 200\n'
                  '                mediaType: "image/webp"'))
    run_support.generate_into(tmp_path / "out2", tmp_path / "plain" / "photos2.yml")
    app2 = run_support.load(tmp_path / "out2", "photos2")
    thumb = run_support.run(lambda: run_support.rest_call(app2, "GET", "/photos/1/thumbnail"))
    image = run_support.run(lambda: run_support.rest_call(app2, "GET", "/photos/1/image"))
    assert (thumb.headers["content-type"], thumb.content) == ("image/webp", payload)
    assert image.headers["content-type"] == "image/jpeg"  # from its binary 200 responses entry
    assert upstream.last.path == "/photos/1/binary"
    server_module = run_support.load(tmp_path / "out", "photos", "mcp_server")

    async def read() -> Any:
        try:
            async with Client(server_module.build_photos_mcp()) as client:
                return (await client.read_resource("photos://library/9/bytes"),
                        await client.call_tool("get-photo", {"id": "5"}))
        finally:
            await run_support.load(tmp_path / "out", "photos", "_http").close_shared_http()

    resource, tool = run_support.run(read)
    [content] = resource.contents
    assert base64.b64decode(content.blob) == payload and content.mime_type == "image/jpeg"
    assert not tool.is_error and tool.structured_content is not None
    assert base64.b64decode(tool.structured_content["base64"]) == payload  # a tool answers JSON
    assert upstream.last.path == "/photos/5/binary"


def test_tags_outside_rest_are_one_warning(tmp_path: Path) -> None:
    text = _spec("https://api.example.com").replace(
        '          display: "Get an item"\n', '          display: "Get an item"\n          tags: [items]\n'
    ).replace("            get-item:\n              method: GET\n",
              "            get-item:\n              method: GET\n              tags: [upstream]\n")
    result = pipeline.process(support.write(tmp_path / "tagged.yml", text), pipeline.Options())
    [found] = result.diagnostics
    assert found.code == "NG331" and "and 1 more place are not generated" in found.message
    assert found.json_path == "$.capability.exposes[1].tools.get-item.tags"
    assert result.ok
