"""outputRawFormat conversions, output mapping rules, coercion, mocks and binary passthrough."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from tests.issue3.support import SPECS3, call, client_module, generate, module_upstream, reset
from tests.issue5.support import load, rest_call, run
from tests.upstream import Upstream

PACKAGE = "http_outputs"

XML = b"""<?xml version="1.0"?>
<root><user admin="true"><id>1</id><name>Ann &amp; Bo</name></user><user><id>2</id><name>Cy</name></user><total>2</total></root>"""
CSV = 'name,score\n"Doe, Jane",4.5\nBob,3\n'
HTML = """<html><body><table><tr><td>no headers</td></tr></table>
<table><thead><tr><th>City</th><th>Pop</th></tr></thead><tbody><tr><td>Oslo</td><td>700 000</td></tr>
<tr><td>Bergen &amp; co</td><td>285</td></tr></tbody></table></body></html>"""
MARKDOWN = """---
title: Report
version: 2
---
# Summary
All good.

## Numbers
| metric | value |
|--------|------:|
| a | 1 |
| b | 2 |
"""
YAML = "items:\n  - id: 1\n    ok: true\n  - id: 2\n    ok: false\nname: list\n"

CONVERSIONS = [
    ("get_xml", XML, "application/xml", {"user": [{"admin": "true", "id": "1", "name": "Ann & Bo"}, {"id": "2", "name": "Cy"}], "total": "2"}),
    ("get_csv", CSV, "text/csv", [{"name": "Doe, Jane", "score": "4.5"}, {"name": "Bob", "score": "3"}]),
    ("get_tsv", "a\tb\n1\t2\n", "text/tab-separated-values", [{"a": "1", "b": "2"}]),
    ("get_psv", "a|b\n1|x y\n", "text/plain", [{"a": "1", "b": "x y"}]),
    ("get_yaml", YAML, "application/yaml", {"items": [{"id": 1, "ok": True}, {"id": 2, "ok": False}], "name": "list"}),
    ("get_html", HTML, "text/html", {"tables": [[{"City": "Oslo", "Pop": "700 000"}, {"City": "Bergen & co", "Pop": "285"}]]}),
    (
        "get_markdown",
        MARKDOWN,
        "text/markdown",
        {
            "frontMatter": {"title": "Report", "version": 2},
            "tables": [[{"metric": "a", "value": "1"}, {"metric": "b", "value": "2"}]],
            "sections": [
                {"heading": "Summary", "level": 1, "content": "All good."},
                {"heading": "Numbers", "level": 2, "content": "| metric | value |\n|--------|------:|\n| a | 1 |\n| b | 2 |"},
            ],
        },
    ),
]

DOC = {
    "id": 7,
    "count": "12",
    "ratio": "0.25",
    "flag": "true",
    "owner": {"login": "ann", "deep": {"z": "9"}},
    "items": [{"label": "x", "n": "1"}, {"label": 5, "n": 2}],
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("outputs"), "http_outputs")


@pytest.fixture(scope="module")
def shared_upstream() -> Iterator[Upstream]:
    yield from module_upstream()


@pytest.fixture()
def feeds(out: Path, shared_upstream: Upstream, monkeypatch: pytest.MonkeyPatch) -> Upstream:
    reset(shared_upstream)
    monkeypatch.setenv("FEEDS_BASE_URL", shared_upstream.url)
    return shared_upstream


def _body(value: Any) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


@pytest.mark.parametrize(("method", "body", "content_type", "expected"), CONVERSIONS)
def test_raw_formats_become_json(out: Path, feeds: Upstream, method: str, body: Any, content_type: str, expected: Any) -> None:
    feeds.reply(_body(body), content_type=content_type)
    client = client_module(out, PACKAGE)

    async def fetch(c: Any) -> Any:
        return client._http.decode_body(await getattr(c.feeds, method + "_response")(format_="f"))

    assert call(client, fetch) == expected


def test_xml_upstream_mapped_over_rest_with_coercion(out: Path, feeds: Upstream) -> None:
    feeds.reply(XML, content_type="application/xml")
    answer = run(lambda: rest_call(load(out, PACKAGE), "GET", "/xml-users"))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"users": [{"id": 1, "name": "Ann & Bo", "admin": True}, {"id": 2, "name": "Cy", "admin": None}]}
    assert feeds.last.path == "/formats/users.xml"


def test_steps_read_converted_formats(out: Path, feeds: Upstream) -> None:
    feeds.reply(XML, content_type="application/xml")
    answer = run(lambda: rest_call(load(out, PACKAGE), "GET", "/steps-xml"))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"total": "2", "first": "Ann & Bo"}


def test_csv_upstream_mapped_over_rest(out: Path, feeds: Upstream) -> None:
    feeds.reply(CSV.encode(), content_type="text/csv")
    answer = run(lambda: rest_call(load(out, PACKAGE), "GET", "/csv-rows"))
    assert answer.json() == {"first": "Doe, Jane", "score": 4.5, "names": ["Doe, Jane", "Bob"]}


def test_output_rules_value_mapping_nested_items_const_and_coercion(out: Path, feeds: Upstream) -> None:
    feeds.reply(DOC)
    answer = run(lambda: rest_call(load(out, PACKAGE), "GET", "/mapped"))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "id": "7",
        "count": 12,
        "ratio": 0.25,
        "enabled": True,
        "kind": "fixed-kind",
        "owner": {"login": "ann", "deep": {"z": 9}},
        "tags": [{"label": "x", "n": 1}, {"label": "5", "n": 2}],
        "missing": None,
    }


def test_mock_values_are_typed_and_templated(out: Path, feeds: Upstream) -> None:
    answer = run(lambda: rest_call(load(out, PACKAGE), "GET", "/mock/Ann%20B"))
    assert answer.json() == {"greeting": "hello Ann B", "answer": 42, "nested": {"flag": True, "label": "constant"}}
    assert feeds.requests == []


BINARY = bytes(range(256)) * 4


def test_binary_upstream_passes_through_unchanged(out: Path, feeds: Upstream) -> None:
    feeds.reply(BINARY, content_type="application/octet-stream")
    answer = run(lambda: rest_call(load(out, PACKAGE), "GET", "/raw/blob.bin"))
    assert answer.status_code == 200
    assert answer.content == BINARY
    assert answer.headers["content-type"] == "application/octet-stream"


def test_binary_body_decodes_to_base64_not_mangled_text(out: Path, feeds: Upstream) -> None:
    feeds.reply(BINARY, content_type="image/png")
    client = client_module(out, PACKAGE)

    async def fetch(c: Any) -> Any:
        return client._http.decode_body(await c.feeds.get_json_response(format_="x.png"))

    decoded = call(client, fetch)
    assert decoded["contentType"] == "image/png"
    assert __import__("base64").b64decode(decoded["base64"]) == BINARY
    assert json.dumps(decoded)  # JSON-safe for MCP results


def test_protobuf_is_handed_on_as_base64_with_a_warning(out: Path, feeds: Upstream) -> None:
    result = pipeline.generate([SPECS3 / "http_outputs.yaml"])
    assert [d.code for d in result.diagnostics if d.code == "NG304"] == ["NG304"]
    feeds.reply(b"\x08\x96\x01text", content_type="application/x-protobuf")
    client = client_module(out, PACKAGE)

    async def fetch(c: Any) -> Any:
        return client._http.decode_body(await c.feeds.get_proto_response(format_="m.pb"))

    decoded = call(client, fetch)
    assert __import__("base64").b64decode(decoded["base64"]) == b"\x08\x96\x01text"
