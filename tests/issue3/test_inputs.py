"""Consumed inputs in every place, path encoding, bodies, and exposed-input templates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote
from xml.etree import ElementTree

import pytest

from tests.issue3.support import call, client_module, generate, module_upstream, reset
from tests.issue5.support import load, rest_call, run
from tests.servers import mcp_stdio
from tests.upstream import Upstream

PACKAGE = "http_inputs"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("inputs"), "http_inputs")


@pytest.fixture(scope="module")
def shared_upstream() -> Iterator[Upstream]:
    yield from module_upstream()


@pytest.fixture()
def shop(out: Path, shared_upstream: Upstream, monkeypatch: pytest.MonkeyPatch) -> Any:
    reset(shared_upstream)
    monkeypatch.setenv("SHOP_BASE_URL", shared_upstream.url + "/api")
    monkeypatch.setenv("SHOP_TENANT_ENV", "tenant-7")
    monkeypatch.setenv("SHOP_REGION", "eu west")
    return client_module(out, PACKAGE)


@pytest.mark.parametrize("value", ["?x=1", "#frag", "%2", "a b", "@evil.example", "..."])
def test_path_values_stay_one_segment(shop: Any, shared_upstream: Upstream, value: str) -> None:
    call(shop, lambda c: c.shop.get_item_response(id_=value, name="n"))
    sent = shared_upstream.last
    assert sent.path.startswith("/api/items/") and sent.path.endswith("/sub/n")
    segments = sent.path.split("/")
    assert len(segments) == 6
    assert unquote(segments[3]) == value
    assert sent.headers["host"] == shared_upstream.url.removeprefix("http://")


def test_inputs_from_consumes_resource_operation_and_environment(shop: Any, shared_upstream: Upstream) -> None:
    call(
        shop,
        lambda c: c.shop.get_item_response(
            id_="7", name="x y", tags=["a", "b c"], x_trace="t-1", session="s=1", x_res_input="r-in", who="bob", x_request_id="rq-1"
        ),
    )
    sent = shared_upstream.last
    assert sent.path == "/api/items/7/sub/x%20y"
    assert sent.query == [
        ("tags", "a"),
        ("tags", "b c"),
        ("region", "eu west"),
        ("greeting", "hello bob"),
        ("api-version", "2024-01"),
    ]
    assert sent.headers["x-tenant"] == "tenant-7"  # consumes level, through a bind
    assert sent.headers["x-resource"] == "items-resource"  # resource level constant
    assert sent.headers["x-res-input"] == "r-in"  # resource level argument
    assert sent.headers["x-trace"] == "t-1"
    assert sent.headers["x-request-id"] == "rq-1"  # consumes level argument
    assert sent.headers["cookie"] == "session=s=1"


def test_absent_optional_inputs_send_nothing(shop: Any, shared_upstream: Upstream) -> None:
    call(shop, lambda c: c.shop.get_item_response(id_="1", name="n"))
    sent = shared_upstream.last
    assert "x-trace" not in sent.headers and "cookie" not in sent.headers and "x-request-id" not in sent.headers
    assert [k for k, _ in sent.query] == ["region", "greeting", "api-version"]


TRICKY = 'he said "hi" & <b>a=b</b>\\ \n'


def test_json_body_keeps_types_and_escapes_quotes(shop: Any, shared_upstream: Upstream) -> None:
    call(shop, lambda c: c.shop.post_json_response(title=TRICKY, count=3))
    sent = shared_upstream.last
    assert sent.headers["content-type"] == "application/json"
    assert sent.json() == {"title": TRICKY, "count": 3, "note": "say " + TRICKY, "fixed": 1}


def test_json_text_template_stays_valid_json(shop: Any, shared_upstream: Upstream) -> None:
    call(shop, lambda c: c.shop.post_json_text_response(title=TRICKY, count=[1, 2]))
    assert shared_upstream.last.json() == {"title": TRICKY, "count": [1, 2]}
    call(shop, lambda c: c.shop.post_json_text_response(title=None, count=None))
    assert shared_upstream.last.json() == {"title": "", "count": None}


def test_json_string_data_is_a_json_template(shop: Any, shared_upstream: Upstream) -> None:
    call(shop, lambda c: c.shop.post_json_string_response(title=TRICKY, count=2.5))
    assert shared_upstream.last.headers["content-type"] == "application/json"
    assert shared_upstream.last.json() == {"t": TRICKY, "n": 2.5}


def test_sparql_body_escapes_string_values(shop: Any, shared_upstream: Upstream) -> None:
    call(shop, lambda c: c.shop.post_sparql_response(title='a"b\\c\n'))
    sent = shared_upstream.last
    assert sent.headers["content-type"] == "application/sparql-query"
    assert sent.body.decode() == 'SELECT ?s WHERE { ?s ?p "a\\"b\\\\c\\n" }'


def test_text_body(shop: Any, shared_upstream: Upstream) -> None:
    call(shop, lambda c: c.shop.post_text_response(title=TRICKY))
    sent = shared_upstream.last
    assert sent.headers["content-type"] == "text/plain"
    assert sent.body.decode() == f"Hello {TRICKY}!"


def test_xml_body_escapes_values(shop: Any, shared_upstream: Upstream) -> None:
    call(shop, lambda c: c.shop.post_xml_response(title=TRICKY))
    sent = shared_upstream.last
    assert sent.headers["content-type"] == "application/xml"
    assert ElementTree.fromstring(sent.body).find("t").text == TRICKY  # type: ignore[union-attr]


@pytest.mark.parametrize("method", ["post_form", "post_form_text"])
def test_form_bodies_are_url_encoded(shop: Any, shared_upstream: Upstream, method: str) -> None:
    call(shop, lambda c: getattr(c.shop, method)(title="a&b=c d+é", count=2))
    sent = shared_upstream.last
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qsl(sent.body.decode(), keep_blank_values=True) == [("q", "a&b=c d+é"), ("n", "2")]


def test_multipart_body_has_fields_and_files(shop: Any, shared_upstream: Upstream) -> None:
    call(shop, lambda c: c.shop.post_multipart_response(title='x "y"'))
    sent = shared_upstream.last
    assert sent.headers["content-type"].startswith("multipart/form-data; boundary=")
    head = f"Content-Type: {sent.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + sent.body)
    parts = [(p.get_param("name", header="content-disposition"), p.get_filename(), p.get_content_type(), p.get_payload(decode=True)) for p in message.iter_parts()]
    assert parts == [
        ("q", None, "text/plain", b'x "y"'),
        ("upload", "note.txt", "text/plain", b'file x "y"'),
    ]


def test_raw_body_takes_content_type_from_header_input(shop: Any, shared_upstream: Upstream) -> None:
    call(shop, lambda c: c.shop.post_raw_response(title='a "b"'))
    sent = shared_upstream.last
    assert sent.headers["content-type"] == "text/csv"
    assert sent.body == b'raw,a "b"'


def test_body_input_is_the_whole_json_body(shop: Any, shared_upstream: Upstream) -> None:
    call(shop, lambda c: c.shop.post_whole_response(body={"k": [1, {"z": None}]}))
    assert shared_upstream.last.json() == {"k": [1, {"z": None}]}


def test_rest_and_tools_refs_in_consumed_templates_mean_exposed_inputs(out: Path, shared_upstream: Upstream, monkeypatch: pytest.MonkeyPatch) -> None:
    reset(shared_upstream)
    monkeypatch.setenv("SHOP_BASE_URL", shared_upstream.url + "/api")
    monkeypatch.delenv("who", raising=False)
    app = load(out, PACKAGE)
    said = 'S "quoted"'
    answer = run(lambda: rest_call(app, "POST", "/exposed", params={"who": "W", "q": "Q 1", "ref": "x?y"}, json={"said": said}))
    assert answer.status_code == 200, answer.text
    sent = shared_upstream.last
    assert sent.path == "/api/exposed/" + quote("x?y", safe="")
    assert sent.headers["x-who"] == "W"
    assert ("q", "Q 1") in sent.query
    assert sent.json() == {"who": "W", "said": said, "both": f"W and {said}"}
    assert json.loads(json.dumps(sent.json()))["said"] == said


def test_tools_refs_in_consumed_templates_over_mcp(out: Path, shared_upstream: Upstream) -> None:
    reset(shared_upstream)
    env = {"SHOP_BASE_URL": shared_upstream.url + "/api"}

    async def scenario() -> Any:
        async with mcp_stdio(out, PACKAGE, env) as session:
            return await session.call_tool("post-exposed", {"who": "Ann", "said": 'x "y"', "q": "Q", "ref": "a b"})

    result = run(scenario)
    assert not result.is_error, result.content
    sent = shared_upstream.last
    assert sent.path == "/api/exposed/a%20b"
    assert sent.headers["x-who"] == "Ann" and ("q", "Q") in sent.query
    assert sent.json() == {"who": "Ann", "said": 'x "y"', "both": 'Ann and x "y"'}
