"""Declared inputs are validated (422), upstream failures keep their meaning, and OpenAPI says so.

One generated app process runs against one real upstream for the whole module.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests import upstream as upstream_module
from tests.issue3b.support import PROBLEM, generate
from tests.servers import free_port, rest_server

PACKAGE = "open_catalog"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("catalog"), "open_catalog.yaml")


@pytest.fixture(scope="module")
def shared_upstream() -> Iterator[upstream_module.Upstream]:
    server = upstream_module.start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def app(out: Path, shared_upstream: upstream_module.Upstream) -> Iterator[str]:
    env = {"CATALOG_BASE_URL": shared_upstream.url, "NAFTIKO_HTTP_TIMEOUT": "0.5"}
    with rest_server(out, PACKAGE, env) as url:
        yield url


@pytest.fixture()
def upstream(shared_upstream: upstream_module.Upstream) -> upstream_module.Upstream:
    shared_upstream.requests.clear()
    shared_upstream.routes.clear()
    shared_upstream.reply({"ok": True})
    return shared_upstream


def errors(answer: httpx.Response) -> list[tuple[str, ...]]:
    """The locations FastAPI's 422 names."""
    assert answer.status_code == 422, answer.text
    return [tuple(str(part) for part in item["loc"]) for item in answer.json()["detail"]]


def test_valid_request_reaches_the_upstream(app: str, upstream: upstream_module.Upstream) -> None:
    answer = httpx.get(app + "/products/Ab1", params={"page": "3", "fields": "name"}, headers={"Accept-Language": "fr"})
    assert answer.status_code == 200 and answer.json() == {"ok": True}
    sent = upstream.last
    assert (sent.path, sorted(sent.query), sent.headers["accept-language"]) == ("/products/Ab1", [("fields", "name"), ("page", "3")], "fr")


def test_bad_inputs_get_422_naming_them(app: str, upstream: upstream_module.Upstream) -> None:
    assert errors(httpx.get(app + "/products/has-dash")) == [("path", "id")]  # pattern
    assert errors(httpx.get(app + "/products/Ab1", params={"page": "two"})) == [("query", "page")]  # type
    assert errors(httpx.get(app + "/search")) == [("query", "q")]  # required: true
    assert errors(httpx.get(app + "/search", params={"q": "x", "in_stock": "maybe"})) == [("query", "in_stock")]
    assert errors(httpx.post(app + "/products/Ab1", json={"comment": "no stars"})) == [("body", "stars")]
    assert errors(httpx.post(app + "/products/Ab1", json={"stars": "many", "tags": "x"})) == [("body", "stars"), ("body", "tags")]
    assert "pattern" in httpx.get(app + "/products/has-dash").json()["detail"][0]["msg"]
    assert upstream.requests == []


def test_body_fields_are_sent_and_outputs_mapped(app: str, upstream: upstream_module.Upstream) -> None:
    answer = httpx.post(app + "/products/Ab1", json={"stars": 4, "tags": ["a", "b"]})
    assert answer.status_code == 200 and answer.json() == {"accepted": True}
    assert upstream.last.json() == {"stars": 4, "comment": None, "tags": ["a", "b"]}


@pytest.mark.parametrize("status", [400, 404, 409, 429, 500, 503])
def test_upstream_errors_pass_through_with_their_body(app: str, upstream: upstream_module.Upstream, status: int) -> None:
    upstream.reply(b"<err>nope</err>", status=status, content_type="application/xml")
    answer = httpx.get(app + "/search", params={"q": "x"})
    assert (answer.status_code, answer.content, answer.headers["content-type"]) == (status, b"<err>nope</err>", "application/xml")


def test_mapped_route_passes_errors_through_too(app: str, upstream: upstream_module.Upstream) -> None:
    upstream.reply({"error": "no such product"}, status=404)
    answer = httpx.post(app + "/products/Ab1", json={"stars": 1})
    assert answer.status_code == 404 and answer.json() == {"error": "no such product"}


def test_upstream_timeout_is_504_problem(app: str, upstream: upstream_module.Upstream) -> None:
    upstream.routes["/products/slow1"] = upstream_module.Reply(200, b"{}", "application/json", delay=2.0)
    answer = httpx.get(app + "/products/slow1", timeout=10)
    assert answer.status_code == 504 and answer.headers["content-type"] == PROBLEM
    assert answer.json()["title"] == "Upstream timeout"


def test_unreachable_upstream_is_502_problem(out: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    with rest_server(out, PACKAGE, {"CATALOG_BASE_URL": closed, "NAFTIKO_HTTP_RETRIES": "0"}) as url:
        answer = httpx.get(url + "/search", params={"q": "x"})
        posted = httpx.post(url + "/products/Ab1", json={"stars": 2})
    for one in (answer, posted):
        assert one.status_code == 502 and one.headers["content-type"] == PROBLEM
        assert one.json()["title"] == "Upstream unreachable" and one.json()["detail"] == "the upstream is unreachable (no connection)"


def test_openapi_describes_operations_and_parameters(app: str) -> None:
    document = httpx.get(app + "/openapi.json").json()
    get_product = document["paths"]["/products/{id}"]["get"]
    assert (get_product["operationId"], get_product["summary"], get_product["description"]) == (
        "get_product",
        "Get a product",
        "Read one product of the catalog.",
    )
    params = {(p["name"], p["in"]): p for p in get_product["parameters"]}
    assert list(params) == [("id", "path"), ("fields", "query"), ("page", "query"), ("Accept-Language", "header")]
    assert params[("id", "path")]["schema"]["pattern"] == "^[A-Za-z0-9]{1,12}$"
    assert [p["required"] for p in params.values()] == [True, False, False, False]
    assert params[("page", "query")]["description"] == "Page number"
    search = document["paths"]["/search"]["get"]
    assert search["operationId"] == "search_products"
    assert [(p["name"], p["required"]) for p in search["parameters"]] == [("q", True), ("in_stock", False)]
    body_ref = document["paths"]["/products/{id}"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = document["components"]["schemas"][body_ref.rsplit("/", 1)[1]]
    assert body["required"] == ["stars"] and body["properties"]["stars"]["description"] == "One to five stars"
    assert set(get_product["responses"]) >= {"200", "422", "502", "504"}


def test_non_ascii_header_is_422_not_a_crash(app: str, upstream: upstream_module.Upstream) -> None:
    answer = httpx.get(app + "/products/Ab1", headers={b"Accept-Language": "café".encode("latin-1")})
    assert errors(answer) == [("header", "Accept-Language")]
    assert upstream.requests == []
