"""Generate the issue-3 test specs into a temporary folder and drive their clients in-process."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests import upstream as upstream_module
from tests.issue5.support import generate_into, load

SPECS3 = Path(__file__).resolve().parents[1] / "specs3"
T = TypeVar("T")


def generate(out: Path, spec: str) -> Path:
    """Generate ``tests/specs3/<spec>.yaml`` into ``out``; fails on any error diagnostic."""
    result = generate_into(out, SPECS3 / f"{spec}.yaml")
    assert result.ok, [str(d) for d in result.diagnostics]
    return out


def client_module(out: Path, package: str) -> Any:
    """The generated ``client`` module (with its ``rt`` runtime) imported from ``out``."""
    return load(out, package, "client")


def call(module: Any, fn: Callable[[Any], Awaitable[T]]) -> T:
    """Run ``fn(clients)`` on a fresh event loop with a fresh pool, closed afterwards."""

    async def scenario() -> T:
        try:
            return await fn(module.Clients())
        finally:
            await module._http.close_shared_http()

    return asyncio.run(scenario())


def module_upstream() -> Iterator[upstream_module.Upstream]:
    """One real upstream for a whole test module (wrap with ``pytest.fixture(scope="module")``)."""
    server = upstream_module.start()
    try:
        yield server
    finally:
        server.close()


def reset(server: upstream_module.Upstream) -> upstream_module.Upstream:
    """Forget earlier requests and scripted replies."""
    server.requests.clear()
    server.routes.clear()
    server.default = upstream_module.Reply()
    return server


@pytest.fixture()
def no_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A monkeypatch with the HTTP tuning variables cleared."""
    for name in ("NAFTIKO_HTTP_TIMEOUT", "NAFTIKO_HTTP_RETRIES"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch
