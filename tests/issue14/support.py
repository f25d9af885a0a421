"""The engine's acceptance suite (``tests.yml``) run against generated servers.

For each tutorial syntax this module generates every step file once, starts the generated
server that a case names (MCP, REST or skill, picked by the case's port as the engine
does) as a real process, and calls it with the official mcp client or httpx. The tutorial
and its secrets file are read in place from ../shared (the servers run with the tutorial
folder as their working directory, so ``file:///./shared/secrets.yaml`` resolves), and the
upstream is the local fake of the two mock APIs (``shipyard.py``).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jq
import pytest
import yaml
from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from generator import pipeline
from tests.conftest import SHARED
from tests.issue14 import shipyard
from tests.servers import stop, wait_for_port

SUITE = SHARED / "reference" / "ikanos" / "tests.yml"
OPENAPI = SHARED / "reference" / "ikanos" / "openapi"
TUTORIALS = {
    "alpha2": SHARED / "corpus" / "official" / "tutorial",
    "ikanos": SHARED / "reference" / "ikanos" / "tutorial",
}
REVISIONS = ("2025-11-25", "2026-07-28")


def suite_cases() -> list[dict[str, Any]]:
    """The cases of tests.yml, or none when the reference folder is absent."""
    if not SUITE.exists():
        return []
    return list(yaml.safe_load(SUITE.read_text(encoding="utf-8"))["tests"])


def secrets(syntax: str) -> dict[str, str]:
    """The tutorial's secrets file (what the servers read through their binds)."""
    data = yaml.safe_load((TUTORIALS[syntax] / "shared" / "secrets.yaml").read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


def package_of(file: str) -> str:
    return Path(file).stem.replace("-", "_")


def exposes_at(syntax: str, file: str, port: int) -> dict[str, Any]:
    """The exposes block of a tutorial file listening on ``port`` (how a case picks its server)."""
    spec = yaml.safe_load((TUTORIALS[syntax] / file).read_text(encoding="utf-8"))
    for block in spec["capability"]["exposes"]:
        if block.get("port") == port:
            return block
    raise LookupError(f"{file} has no exposes on port {port}")


def jq_all(program: str, value: Any) -> list[Any]:
    """Every output of a jq program (the real jq, through the PyPI binding) on ``value``."""
    return list(jq.compile(program).input_value(value).all())


def failed_validations(case: dict[str, Any], value: Any) -> list[str]:
    """The case's jq validations that do not give true (all outputs must be true)."""
    failures = []
    for check in case.get("validations", []):
        outputs = jq_all(check["jq"], value)
        if not outputs or not all(o is True for o in outputs):
            failures.append(f"{check['jq']} -> {outputs}")
    return failures


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------- generating


@dataclass
class Generated:
    syntax: str
    out: Path


def generate_tutorial(syntax: str, out: Path) -> Generated:
    """Generate every step file of a tutorial (skipped when ../shared is absent)."""
    folder = TUTORIALS[syntax]
    if not folder.exists():
        pytest.skip(f"reference material not present: {folder}")
    steps = sorted(folder.glob("step-*.yml"))
    result = pipeline.generate(steps)
    errors = [d for d in result.diagnostics if d.is_error]
    assert errors == [], "\n".join(d.format_text() for d in errors)
    for rel, text in result.files().items():
        target = out / str(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return Generated(syntax, out)


# --------------------------------------------------------------------------- processes


def server_env(generated: Generated, upstream: shipyard.Shipyard, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_BASE_URL")}
    env.update(upstream.env())
    env["PYTHONPATH"] = str(generated.out)
    env.update(extra or {})
    return env


@contextlib.contextmanager
def serve(generated: Generated, file: str, kind: str, namespace: str, env: dict[str, str]) -> Iterator[str]:
    """Run ``python -m PKG <kind> --namespace NS`` from the tutorial folder; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", package_of(file), kind, "--port", str(port)]
    if kind == "mcp":
        command += ["--transport", "http"]
    if kind != "skill":
        command += ["--namespace", namespace]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, cwd=TUTORIALS[generated.syntax], env=env, stdout=subprocess.DEVNULL, stderr=log
        )
        try:
            wait_for_port(process, port, " ".join(command[2:]), log, timeout=30)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)


@dataclass
class Fleet:
    """Servers started on demand, one per (file, exposes), kept for the whole session."""

    generated: Generated
    upstream: shipyard.Shipyard
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    urls: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)

    def server(self, file: str, port: int) -> tuple[str, str]:
        """(kind, base URL) of the server for the exposes of ``file`` on ``port``."""
        if (file, port) not in self.urls:
            block = exposes_at(self.generated.syntax, file, port)
            kind = str(block["type"])
            env = server_env(self.generated, self.upstream)
            url = self.stack.enter_context(serve(self.generated, file, kind, str(block["namespace"]), env))
            self.urls[(file, port)] = (kind, url)
        return self.urls[(file, port)]

    def close(self) -> None:
        self.stack.close()


# --------------------------------------------------------------------------- calling


def mcp_mode(revision: str) -> str:
    """The mcp Client mode for a protocol revision: the handshake, or discover then envelope."""
    return "legacy" if revision == "2025-11-25" else "auto"


@contextlib.asynccontextmanager
async def mcp_client(url: str, revision: str, token: str | None = None) -> AsyncIterator[Client]:
    """The official mcp client over streamable HTTP, at ``revision``, with a bearer if given."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with create_mcp_http_client(headers=headers) as http:
        transport = streamable_http_client(url, http_client=http)
        async with Client(transport, mode=mcp_mode(revision), cache=None) as client:
            assert client.protocol_version == revision
            yield client


@contextlib.asynccontextmanager
async def mcp_stdio_client(generated: Generated, file: str, env: dict[str, str], revision: str) -> AsyncIterator[Client]:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", package_of(file), "mcp", "--transport", "stdio"],
        env=env,
        cwd=str(TUTORIALS[generated.syntax]),
    )
    async with Client(params, mode=mcp_mode(revision), cache=None) as client:
        assert client.protocol_version == revision
        yield client


def tool_value(result: Any) -> Any:
    """A tool result's value: the JSON text content (what the engine's clients read)."""
    assert not result.is_error, result
    texts = [c.text for c in result.content if getattr(c, "type", None) == "text"]
    assert len(texts) == 1, result
    return json.loads(texts[0])


def endpoint(url: str, revision: str) -> str:
    """Where a client of ``revision`` talks to a server: the engine's root path under
    2026-07-28 (as the engine's clients do), ``/mcp`` under 2025-11-25."""
    return url + ("/" if revision == "2026-07-28" else "/mcp")


async def call_tool(url: str, revision: str, token: str | None, tool: str, args: dict[str, Any]) -> Any:
    async with mcp_client(endpoint(url, revision), revision, token) as client:
        return tool_value(await client.call_tool(tool, args))


def rest_call(url: str, case: dict[str, Any]) -> httpx.Response:
    method = case.get("method", "GET")
    body = case.get("body")
    return httpx.request(method, url + case["path"], json=body, timeout=30)
