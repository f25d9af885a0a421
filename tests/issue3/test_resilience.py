"""Timeouts and retries (idempotent methods only), configured through the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.issue3 import dropping_upstream
from tests.issue3.support import call, client_module, generate, no_env  # noqa: F401 (fixture)
from tests.issue5.support import load, rest_call, run
from tests.upstream import Upstream

PACKAGE = "http_inputs"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("resilience"), "http_inputs")


@pytest.fixture()
def dropping(no_env: pytest.MonkeyPatch) -> Any:
    server = dropping_upstream.start(drops=1)
    no_env.setenv("SHOP_BASE_URL", server.url)
    try:
        yield server
    finally:
        server.close()


def test_get_is_retried_after_a_dropped_connection(out: Path, dropping: Any) -> None:
    client = client_module(out, PACKAGE)
    response = call(client, lambda c: c.shop.get_item_response(id_="1", name="n"))
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert [line.split(" ")[0] for line in dropping.seen] == ["GET", "GET"]


def test_post_is_not_retried(out: Path, dropping: Any) -> None:
    client = client_module(out, PACKAGE)
    with pytest.raises(httpx.RemoteProtocolError):
        call(client, lambda c: c.shop.post_json_response(title="t", count=1))
    assert [line.split(" ")[0] for line in dropping.seen] == ["POST"]


def test_retries_can_be_turned_off(out: Path, dropping: Any, no_env: pytest.MonkeyPatch) -> None:
    no_env.setenv("NAFTIKO_HTTP_RETRIES", "0")
    client = client_module(out, PACKAGE)
    with pytest.raises(httpx.RemoteProtocolError):
        call(client, lambda c: c.shop.get_item_response(id_="1", name="n"))
    assert len(dropping.seen) == 1


def test_retry_count_comes_from_the_environment(out: Path, no_env: pytest.MonkeyPatch) -> None:
    server = dropping_upstream.start(drops=3)
    try:
        no_env.setenv("SHOP_BASE_URL", server.url)
        no_env.setenv("NAFTIKO_HTTP_RETRIES", "3")
        client = client_module(out, PACKAGE)
        assert call(client, lambda c: c.shop.get_item_response(id_="1", name="n")).status_code == 200
        assert len(server.seen) == 4
    finally:
        server.close()


def test_timeout_from_the_environment(out: Path, upstream: Upstream, no_env: pytest.MonkeyPatch) -> None:
    upstream.reply({"late": True})
    upstream.default.delay = 1.5
    no_env.setenv("SHOP_BASE_URL", upstream.url)
    no_env.setenv("NAFTIKO_HTTP_TIMEOUT", "0.2")
    client = client_module(out, PACKAGE)
    with pytest.raises(httpx.ReadTimeout):
        call(client, lambda c: c.shop.get_item_response(id_="1", name="n"))
    assert len(upstream.requests) == 1  # a timed-out request is not sent again
    answer = run(lambda: rest_call(load(out, PACKAGE), "POST", "/exposed", params={"who": "w", "q": "q", "ref": "r"}, json={"said": "s"}))
    assert answer.status_code == 504
    assert answer.headers["content-type"] == "application/problem+json"
