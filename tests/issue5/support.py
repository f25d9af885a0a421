"""Generate the issue-5 test specs once per session and import their packages in-process."""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx

from generator import pipeline

SPECS5 = Path(__file__).resolve().parents[1] / "specs5"
T = TypeVar("T")


def generate_into(out: Path, *paths: Path) -> pipeline.Result:
    """Run the real pipeline on ``paths`` and write every file under ``out``."""
    result = pipeline.generate(list(paths))
    for rel, text in result.files().items():
        target = out / str(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return result


def load(out: Path, package: str, module: str = "app") -> Any:
    """Import ``package.module`` from ``out`` (fresh when a previous test imported another copy)."""
    if str(out) not in sys.path:
        sys.path.insert(0, str(out))
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]
    return importlib.import_module(f"{package}.{module}")


def run(coro_fn: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(coro_fn())


async def rest_call(app_module: Any, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request to the generated FastAPI app through ASGI, closing the shared pool after."""
    app = app_module.create_app()
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://adapter") as client:
            return await client.request(method, url, **kwargs)
    finally:
        await app_module._http.close_shared_http()
