"""Run generated packages as real processes: REST over HTTP, MCP over stdio or HTTP."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import IO

import httpx

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(out_dir: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_BASE_URL")}
    env.update(extra)
    env["PYTHONPATH"] = str(out_dir)
    return env


def wait_for_port(process: subprocess.Popen[bytes], port: int, what: str, log: IO[bytes], timeout: float = 20) -> None:
    """Return once ``port`` accepts connections; raise with the log if the process exits."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"{what} exited: {log.read().decode(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate a server process, killing it if it does not stop in 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextlib.contextmanager
def mcp_http_server(out_dir: Path, package: str, env: dict[str, str], *extra: str) -> Iterator[str]:
    """Start ``python -m <package> mcp --transport http`` on a free port; yields the /mcp URL."""
    port = free_port()
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a chatty server never blocks
        process = subprocess.Popen(
            [sys.executable, "-m", package, "mcp", "--transport", "http", "--port", str(port), *extra],
            cwd=out_dir,
            env=_env(out_dir, env),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            wait_for_port(process, port, package, log)
            yield f"http://127.0.0.1:{port}/mcp"
        finally:
            stop(process)


@contextlib.asynccontextmanager
async def mcp_http_session(url: str) -> AsyncIterator[ClientSession]:
    """The real mcp client over streamable HTTP, initialized."""
    async with streamable_http_client(url) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            yield session


@contextlib.asynccontextmanager
async def mcp_http(out_dir: Path, package: str, env: dict[str, str]) -> AsyncIterator[ClientSession]:
    """Start the package's MCP server over streamable HTTP and connect the real mcp client."""
    with mcp_http_server(out_dir, package, env) as url:
        async with mcp_http_session(url) as session:
            yield session


@contextlib.contextmanager
def rest_server(out_dir: Path, package: str, env: dict[str, str], *extra: str) -> Iterator[str]:
    """Start ``python -m <package> rest`` on a free port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", package, "rest", "--port", str(port), *extra],
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
        stop(process)


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
