"""Run generated packages as real processes: REST over HTTP, MCP over stdio or HTTP."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(out_dir: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_BASE_URL")}
    env.update(extra)
    env["PYTHONPATH"] = str(out_dir)
    return env


@contextlib.contextmanager
def rest_server(out_dir: Path, package: str, env: dict[str, str]) -> Iterator[str]:
    """Start ``python -m <package> rest`` on a free port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", package, "rest", "--port", str(port)],
        cwd=out_dir,
        env=_env(out_dir, env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{package} exited: {process.stderr.read().decode() if process.stderr else ''}")
            try:
                httpx.get(url + "/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.asynccontextmanager
async def mcp_stdio(out_dir: Path, package: str, env: dict[str, str]) -> AsyncIterator[ClientSession]:
    """Start ``python -m <package> mcp --transport stdio`` and connect the real mcp client."""
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", package, "mcp", "--transport", "stdio"],
        env=_env(out_dir, env),
        cwd=str(out_dir),
    )
    with open(os.devnull, "w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                yield session
