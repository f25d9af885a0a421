"""The typed client as a library: a user's script run sync and async against a real
upstream, checked by mypy --strict; construction, errors, pools across event loops."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import upstream as upstream_module
from tests.issue5.support import load
from tests.issue17.support import HERE, ITEM, PACKAGE, generate, script_shop

SCRIPT = HERE / "client_script.py"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("issue17") / "out")


@pytest.fixture(scope="module")
def shared_upstream() -> Iterator[upstream_module.Upstream]:
    server = upstream_module.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture()
def shop(shared_upstream: upstream_module.Upstream) -> upstream_module.Upstream:
    return script_shop(shared_upstream)


@pytest.fixture()
def package(out: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("SHOP_TOKEN", "t0ken")
    load(out, PACKAGE, "client")
    return sys.modules[PACKAGE]


def _env(out: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOP_", "NAFTIKO_"))}
    return {**env, "PYTHONPATH": str(out), "MYPYPATH": str(out), **extra}


def test_script_calls_sync_and_async_and_gets_typed_results(out: Path, shop: upstream_module.Upstream) -> None:
    run = subprocess.run(
        [sys.executable, str(SCRIPT), shop.url],
        env=_env(out, SHOP_TOKEN="t0ken"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr
    first = shop.requests[0]
    assert (first.path, first.query) == ("/items/7", [("tags", "a"), ("tags", "b"), ("limit", "2")])
    assert {r.headers.get("authorization") for r in shop.requests} == {"Bearer t0ken"}
    posted = [r for r in shop.requests if r.method == "POST"]
    assert len(posted) == 2 and all(r.json() == {"name": "desk"} for r in posted)


def _mypy(out: Path, script: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-incremental", str(script)],
        env=_env(out),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_script_passes_mypy_strict(out: Path) -> None:
    run = _mypy(out, SCRIPT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_sees_the_declared_types(out: Path, tmp_path: Path) -> None:
    """A script misusing a typed result fails the same check (so the check can fail)."""
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        "from typed_shop import SyncClient\n"
        "name: int = SyncClient().get_item(id_='7')['name']\n"
        "SyncClient().get_item(id_=7)\n",
        encoding="utf-8",
    )
    run = _mypy(out, wrong)
    assert run.returncode == 1
    assert 'has type "str | None", variable has type "int"' in run.stdout, run.stdout
    assert 'Argument "id_"' in run.stdout, run.stdout


def test_errors_are_public_and_carry_status_and_body(package: Any, shop: upstream_module.Upstream) -> None:
    client = package.SyncClient(base_url=shop.url)
    with pytest.raises(package.UpstreamError) as caught:
        client.get_item(id_="missing")
    assert (caught.value.status, caught.value.body) == (404, {"error": "no such item"})
    assert isinstance(caught.value, package.ClientError)
    shop.reply("upstream broke", status=503, path="/catalog", content_type="text/plain")
    with pytest.raises(package.UpstreamError) as caught:
        asyncio.run(package.Client(base_url=shop.url).list_items())
    assert (caught.value.status, caught.value.body) == (503, "upstream broke")


def test_missing_setting_is_a_public_config_error(package: Any, shop: upstream_module.Upstream, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOP_TOKEN")
    with pytest.raises(package.ConfigError, match="SHOP_TOKEN") as caught:
        package.SyncClient(base_url=shop.url).get_item(id_="7")
    assert caught.value.status == 500 and isinstance(caught.value, package.ClientError)
    assert shop.requests == []  # nothing is sent half-configured


def test_timeout_is_a_public_error(package: Any, shop: upstream_module.Upstream, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NAFTIKO_HTTP_TIMEOUT", "0.2")
    shop.routes["/items/7"] = upstream_module.Reply(body=b"{}", delay=1.0)
    with pytest.raises(package.UpstreamTimeout) as caught:
        package.SyncClient(base_url=shop.url).get_item(id_="7")
    assert caught.value.status == 504
    with pytest.raises(package.UpstreamTimeout):
        asyncio.run(package.Client(base_url=shop.url).get_item(id_="7"))


def test_base_url_falls_back_to_the_environment(package: Any, shop: upstream_module.Upstream, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_BASE_URL", shop.url)
    assert package.SyncClient().get_item(id_="7")["name"] == "lamp"
    assert package.SyncClient(base_url="http://127.0.0.1:9").base_url() == "http://127.0.0.1:9"


def test_auth_argument_replaces_the_spec_credentials(package: Any, shop: upstream_module.Upstream, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOP_TOKEN")  # not needed when the caller gives credentials
    client = package.SyncClient(base_url=shop.url, auth=httpx.BasicAuth("u", "p"))
    assert client.get_item(id_="7")["id"] == 7
    assert shop.last.headers["authorization"] == "Basic dTpw"


def test_http_argument_is_used(package: Any, shop: upstream_module.Upstream) -> None:
    seen: list[str] = []

    async def scenario() -> Any:
        async with httpx.AsyncClient(event_hooks={"request": [lambda r: _note(seen, r)]}) as http:
            return await package.Client(http=http, base_url=shop.url).get_item(id_="7")

    assert asyncio.run(scenario())["owner"] == {"login": "ada"}
    assert seen == [shop.url + "/items/7"]
    with httpx.Client(event_hooks={"request": [lambda r: seen.append(str(r.url))]}) as sync_http:
        package.SyncClient(sync_http, base_url=shop.url).list_items()
    assert seen[-1] == shop.url + "/catalog"


async def _note(seen: list[str], request: httpx.Request) -> None:
    seen.append(str(request.url))


def test_pool_per_event_loop(package: Any, shop: upstream_module.Upstream) -> None:
    """The shared pool of a closed loop is never reused: two asyncio.run() in a row work."""
    pools: list[int] = []

    async def once() -> Any:
        client = package.Client(base_url=shop.url)
        pools.append(id(client.http))
        return await client.get_item(id_="7")

    assert [asyncio.run(once())["name"] for _ in range(3)] == ["lamp"] * 3
    assert len(pools) == 3


def test_test_client_without_with(out: Path, shop: upstream_module.Upstream, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    monkeypatch.setenv("SHOP_BASE_URL", shop.url)
    monkeypatch.setenv("SHOP_TOKEN", "t0ken")
    app = load(out, PACKAGE, "app")
    client = TestClient(app.create_app())
    answers = [client.get("/items/7") for _ in range(4)]
    assert [a.status_code for a in answers] == [200] * 4, [a.text for a in answers]
    assert answers[-1].json() == ITEM  # the REST route passes the upstream body through
