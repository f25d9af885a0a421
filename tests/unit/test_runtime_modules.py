"""The run-time modules, imported straight from generator/emit/runtime/ (the same files every
generated package gets, after its header), tested on their own: templates and path
placeholders, placing inputs, output mapping, formats, upstream auth and retries."""

from __future__ import annotations

import asyncio
import base64
import socket
from collections.abc import Iterator

import httpx
import pytest

from generator.emit.runtime import _formats, _http
from generator.emit.runtime import _runtime as rt
from tests import upstream


@pytest.fixture
def api() -> Iterator[upstream.Upstream]:
    server = upstream.start()
    yield server
    server.close()


def test_render_fills_placeholders_from_the_arguments() -> None:
    assert rt.render("/v1/{{id}}/{{ kind }}", {"id": 7, "kind": "ship"}, {}) == "/v1/7/ship"
    assert rt.render("{{ship.name}}", {"ship": {"name": "A"}}, {}) == "A"


def test_a_missing_secret_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("API_TOKEN", raising=False)
    with pytest.raises(rt.ConfigError, match="API_TOKEN"):
        rt.render("{{API_TOKEN}}", {}, {}, secret=True)


def test_binds_rename_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REAL_TOKEN", "t-1")
    assert rt.render("{{token}}", {}, {"token": "REAL_TOKEN"}) == "t-1"


def test_a_path_value_stays_one_segment() -> None:
    assert rt.segment("a b c?d#e") == "a%20b%20c%3Fd%23e"
    assert rt.join_url("https://api.test/v1", "/ships/", rt.segment("x y")) == "https://api.test/v1/ships/x%20y"
    for climbing in ("a/b", "..", ".", "a\\b", "%2e%2E", "%252F", "%25252e%25252e"):
        with pytest.raises(rt.BadInput):
            rt.segment(climbing)  # issue 15: refused, never sent encoded
    assert rt.join_url("https://api.test/v1", "ships") == "https://api.test/v1/ships"


def test_place_puts_inputs_where_they_travel() -> None:
    request = _http.Outgoing("GET", "https://api.test/")
    _http.place(request, "query", "tag", ["a", "b"])
    _http.place(request, "header", "X-Count", 3)
    _http.place(request, "cookie", "session", "s 1")
    _http.place(request, "query", "skipped", None)
    assert request.params == [("tag", "a"), ("tag", "b")]
    assert request.headers == {"X-Count": "3"}
    assert request.cookies == {"session": "s 1"}


def test_json_path_and_output_mapping() -> None:
    document = {"ships": [{"imo": "1", "name": "A"}, {"imo": "2", "name": "B"}]}
    assert rt.json_path(document, "$.ships[1].name") == "B"
    assert rt.json_path(document, "$.ships[*].imo") == ["1", "2"]
    rules = [{"name": "first", "type": "string", "mapping": "$.ships[0].name"}]
    assert rt.map_outputs(rules, document, {}, {}) == {"first": "A"}


@pytest.mark.parametrize(
    ("raw_format", "text", "expected"),
    [
        ("csv", "a,b\n1,2\n", [{"a": "1", "b": "2"}]),
        ("tsv", "a\tb\n1\t2\n", [{"a": "1", "b": "2"}]),
        ("xml", "<ship><name>A</name></ship>", {"name": "A"}),
    ],
)
def test_formats_turn_bodies_into_json_like_data(raw_format: str, text: str, expected: object) -> None:
    assert _formats.convert(text, raw_format) == expected


def _auth_headers(auth: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> _http.Outgoing:
    monkeypatch.setenv("SECRET", "s3cret")
    monkeypatch.setenv("USER", "ann")
    request = _http.Outgoing("GET", "https://api.test/")

    async def go() -> None:
        async with httpx.AsyncClient() as http:
            await _http.apply_auth(request, auth, http, {})

    asyncio.run(go())
    return request


def test_upstream_auth_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    bearer = _auth_headers({"kind": "bearer", "token": "{{SECRET}}"}, monkeypatch)
    assert bearer.headers["Authorization"] == "Bearer s3cret"
    basic = _auth_headers({"kind": "basic", "username": "{{USER}}", "password": "{{SECRET}}"}, monkeypatch)
    assert basic.headers["Authorization"] == "Basic " + base64.b64encode(b"ann:s3cret").decode()
    query = _auth_headers({"kind": "apikey", "key": "api_key", "value": "{{SECRET}}", "placement": "query"}, monkeypatch)
    assert query.params == [("api_key", "s3cret")]
    with pytest.raises(rt.UnsupportedAuth):
        _auth_headers({"kind": "hawk"}, monkeypatch)


def test_send_retries_an_idempotent_request_that_got_no_answer(api: upstream.Upstream, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first connection is refused (nothing listens on the port yet); the retry reaches the API."""
    monkeypatch.setenv(rt.RETRIES_ENV, "2")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    attempts: list[str] = []

    async def go() -> httpx.Response:
        async def count(request: httpx.Request) -> None:
            attempts.append(str(request.url))

        async with httpx.AsyncClient(event_hooks={"request": [count]}) as http:
            with pytest.raises(httpx.ConnectError):
                await _http.send(http, _http.Outgoing("GET", dead), None, {})
            return await _http.send(http, _http.Outgoing("GET", api.url + "/ok"), None, {})

    response = asyncio.run(go())
    assert response.status_code == 200
    assert attempts.count(dead) == 3  # one try and two retries
    assert len(api.requests) == 1


def test_send_does_not_retry_a_post(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(rt.RETRIES_ENV, "2")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    attempts: list[str] = []

    async def go() -> None:
        async def count(request: httpx.Request) -> None:
            attempts.append(request.method)

        async with httpx.AsyncClient(event_hooks={"request": [count]}) as http:
            with pytest.raises(httpx.ConnectError):
                await _http.send(http, _http.Outgoing("POST", dead), None, {})

    asyncio.run(go())
    assert attempts == ["POST"]
