"""REST contracts of a generated adapter (a real uvicorn process, a real upstream):
non-finite numbers and lone surrogates are 422, bodies that are not UTF-8 JSON are 422,
FastAPI's HTTP errors are problem+json, and /openapi.json documents what passes through."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests import upstream as upstream_module
from tests.issue17.support import PACKAGE, generate, script_shop
from tests.servers import rest_server


@pytest.fixture(scope="module")
def shop() -> Iterator[upstream_module.Upstream]:
    server = upstream_module.start()
    try:
        yield script_shop(server)
    finally:
        server.close()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, shop: upstream_module.Upstream) -> Iterator[str]:
    out: Path = generate(tmp_path_factory.mktemp("issue17-rest") / "out")
    with rest_server(out, PACKAGE, {"SHOP_BASE_URL": shop.url, "SHOP_TOKEN": "t"}) as url:
        yield url


def _json_invalid(answer: httpx.Response) -> str:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/json"
    detail = answer.json()["detail"][0]
    assert detail["type"] == "json_invalid" and detail["loc"][0] == "body"
    return str(detail["ctx"]["error"])


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-Infinity", "1e400"])
def test_non_finite_query_numbers_are_422(app: str, shop: upstream_module.Upstream, value: str) -> None:
    shop.requests.clear()
    answer = httpx.get(app + "/items/7", params={"limit": value})
    assert answer.status_code == 422, answer.text
    assert any(item["loc"][:2] == ["query", "limit"] for item in answer.json()["detail"])
    assert shop.requests == []  # nothing was sent upstream


def test_finite_query_numbers_still_pass(app: str, shop: upstream_module.Upstream) -> None:
    script_shop(shop)
    assert httpx.get(app + "/items/7", params={"limit": "2.5"}).status_code == 200
    assert shop.last.query == [("limit", "2.5")]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"body": {"price": NaN}}', "NaN is not a JSON number"),
        (b'{"body": {"price": Infinity}}', "Infinity is not a JSON number"),
        (b'{"body": {"price": -Infinity}}', "-Infinity is not a JSON number"),
        (b'{"body": {"price": 1e400}}', "1e400 is out of range for a number"),
        (b'{"body": {"name": "\\ud800"}}', "lone surrogate"),
        (b'{"body": {"\\udfff": 1}}', "lone surrogate"),
        (b'{"body": {"name": "caf\xe9"}}', "not UTF-8"),
        (b"\xff\xfe{\x00}\x00", "not UTF-8"),
        (b'{"body": ', "Expecting value"),
    ],
)
def test_bodies_that_are_not_plain_json_are_422(app: str, shop: upstream_module.Upstream, body: bytes, reason: str) -> None:
    shop.requests.clear()
    answer = httpx.post(app + "/catalog", content=body, headers={"content-type": "application/json"})
    assert reason in _json_invalid(answer)
    assert shop.requests == []


def test_plain_json_with_a_surrogate_pair_passes(app: str, shop: upstream_module.Upstream) -> None:
    script_shop(shop)
    answer = httpx.post(app + "/catalog", content=b'{"body": {"name": "\\ud83d\\ude00"}}', headers={"content-type": "application/json"})
    assert answer.status_code == 200, answer.text
    assert shop.last.json() == {"name": "\U0001f600"}


def test_http_errors_are_problem_json(app: str) -> None:
    for answer in (httpx.get(app + "/no/such/route"), httpx.delete(app + "/catalog")):
        assert answer.headers["content-type"] == "application/problem+json", answer.text
        problem = answer.json()
        assert problem["status"] == answer.status_code and problem["title"] in ("Not Found", "Method Not Allowed")
    assert httpx.delete(app + "/catalog").headers["allow"] == "POST"


def test_openapi_lists_passed_through_statuses(app: str) -> None:
    document = httpx.get(app + "/openapi.json").json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            for status in ("2XX", "4XX", "5XX"):
                assert responses[status]["content"] == {"*/*": {"schema": {}}}, (path, method, status)
            for status in ("500", "502", "504"):
                content = responses[status]["content"]
                assert set(content) == {"application/problem+json", "*/*"}, (path, method, status)
            validation = responses["422"]["content"]["application/json"]["schema"]["anyOf"]
            assert validation[0] == {"$ref": "#/components/schemas/HTTPValidationError"}  # FastAPI's, kept
    assert "HTTPValidationError" in document["components"]["schemas"]


def test_upstream_errors_pass_through_as_documented(app: str, shop: upstream_module.Upstream) -> None:
    script_shop(shop)
    shop.reply({"violations": ["name"]}, status=422, path="/catalog")
    answer = httpx.post(app + "/catalog", json={"body": {"name": 1}})
    assert (answer.status_code, answer.json()) == (422, {"violations": ["name"]})
    missing = httpx.get(app + "/items/missing")
    assert (missing.status_code, missing.json()) == (404, {"error": "no such item"})
