"""Issue 15: attacks on a running generated MCP server over streamable HTTP (the real mcp
client): secrets in errors and logs, path values, big answers, file resources."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp.shared.exceptions import MCPError

from tests.issue15.support import (
    API_TOKEN, QUERY_KEY, SPACED_TOKEN, Answer, Running, Upstream, chunks, generate, serve,
    start_upstream,
)
from tests.servers import mcp_http_session

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hardened_mcp")
    docs = root / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / ".git").mkdir()
    (docs / "visible.txt").write_text("visible")
    (docs / "sub" / "ok.md").write_text("# ok")
    (docs / ".env").write_text("SECRET=1")
    (docs / ".git" / "config").write_text("[core]")
    outside = root / "outside.txt"
    outside.write_text("outside-secret")
    os.symlink(outside, docs / "link-out.txt")
    os.symlink(docs / "visible.txt", docs / "link-in.txt")
    generate(root, docs)
    return root


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    up = start_upstream()
    yield up
    up.close()


@pytest.fixture(scope="module")
def server(root: Path, upstream: Upstream) -> Iterator[Running]:
    env = {
        "API_BASE_URL": upstream.url, "SPACED_BASE_URL": upstream.url,
        "KEYED_BASE_URL": upstream.url,
        "H_API_TOKEN": API_TOKEN, "H_SPACED_TOKEN": SPACED_TOKEN, "H_QUERY_KEY": QUERY_KEY,
        "NAFTIKO_MAX_ANSWER_BYTES": str(2 * MIB), "NAFTIKO_HTTP_RETRIES": "0",
    }
    with serve(root / "pkg", env, "mcp", "--transport", "http") as running:
        yield running


@pytest.fixture()
def up(upstream: Upstream) -> Upstream:
    upstream.seen.clear()
    upstream.answers.clear()
    return upstream


def session_run(server: Running, scenario: Any) -> Any:
    async def go() -> Any:
        async with mcp_http_session(server.url + "/mcp") as session:
            return await scenario(session)

    return asyncio.run(go())


def text(result: Any) -> str:
    return result.content[0].text


def test_tool_errors_and_logs_never_carry_secrets(server: Running, up: Upstream) -> None:
    up.answers["/items/x"] = Answer(403, f'{{"error": "{API_TOKEN} refused"}}'.encode())

    async def scenario(session: Any) -> list[Any]:
        return [
            await session.call_tool("spaced", {}),
            await session.call_tool("get-item", {"id": "x"}),
            await session.call_tool("things", {}),
        ]

    spaced, refused, things = session_run(server, scenario)
    assert spaced.is_error and "SECRET" not in text(spaced)
    assert "not valid HTTP" in text(spaced)
    assert refused.is_error and API_TOKEN not in text(refused) and "***" in text(refused)
    assert not things.is_error
    assert ("api_key", QUERY_KEY) in [tuple(p.split("=")) for p in up.seen[-1].path.split("?")[1].split("&")]
    log = server.log_text()
    assert "upstream call failed: LocalProtocolError" in log  # the detail goes to the log
    for secret in (API_TOKEN, SPACED_TOKEN.strip(), QUERY_KEY):
        assert secret not in log
    assert "HTTP Request:" not in log  # httpx's INFO lines (every upstream URL) are off


@pytest.mark.parametrize("value", ["..", ".", "../x", "%2e%2E", "%252e%252e", "a\\b", "%5C"])
def test_path_values_that_climb_are_refused(server: Running, up: Upstream, value: str) -> None:
    async def scenario(session: Any) -> Any:
        return await session.call_tool("get-item", {"id": value})

    result = session_run(server, scenario)
    assert result.is_error and text(result).startswith("Invalid input"), text(result)
    assert up.seen == []


def test_a_large_answer_is_an_mcp_error_in_bounded_memory(server: Running, up: Upstream) -> None:
    up.answers["/big"] = Answer(stream=chunks(100 * MIB))
    before = server.memory_kib("VmHWM")

    async def scenario(session: Any) -> Any:
        return await session.call_tool("big", {})

    result = session_run(server, scenario)
    assert result.is_error and "larger than 2097152 bytes" in text(result)
    assert server.memory_kib("VmHWM") - before < 30 * 1024


def test_file_resources_hide_dotfiles_and_stay_inside(server: Running, root: Path) -> None:
    async def listing(session: Any) -> list[str]:
        return sorted(str(r.uri) for r in (await session.list_resources()).resources)

    uris = session_run(server, listing)
    assert uris == ["docs://files/link-in.txt", "docs://files/sub/ok.md", "docs://files/visible.txt"]
    # swapped for a symlink out of the directory after the server listed it
    target = root / "docs" / "sub" / "ok.md"
    target.unlink()
    os.symlink(root / "outside.txt", target)

    async def reads(session: Any) -> list[Any]:
        found = []
        for uri in ("docs://files/visible.txt", "docs://files/sub/ok.md", "docs://files/.env",
                    "docs://files/.git/config", "docs://files/link-out.txt"):
            try:
                found.append((await session.read_resource(uri)).contents[0].text)
            except MCPError as exc:
                found.append(("error", str(exc)))
        return found

    got = session_run(server, reads)
    assert got[0] == "visible"
    assert all(isinstance(g, tuple) for g in got[1:]), got
    assert not any("outside-secret" in str(g) or "SECRET=1" in str(g) for g in got)


def test_over_stdio_the_log_carries_no_upstream_url(root: Path, up: Upstream, tmp_path: Path) -> None:
    import sys

    from mcp import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    env = {**{k: v for k, v in os.environ.items() if not k.endswith("_BASE_URL")},
           "KEYED_BASE_URL": up.url, "H_QUERY_KEY": QUERY_KEY, "PYTHONPATH": str(root / "pkg")}
    params = StdioServerParameters(command=sys.executable, args=["-m", "hardened", "mcp", "--transport", "stdio"],
                                   env=env, cwd=str(root / "pkg"))
    log_path = tmp_path / "stderr.log"

    async def scenario() -> Any:
        with open(log_path, "w") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    return await session.call_tool("things", {})

    result = asyncio.run(scenario())
    assert not result.is_error
    assert f"api_key={QUERY_KEY}" in up.seen[-1].path  # the key did go upstream ...
    log = log_path.read_text()
    assert QUERY_KEY not in log and "HTTP Request:" not in log  # ... and not to the log
