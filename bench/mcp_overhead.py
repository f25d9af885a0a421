"""MCP overhead: the generated server against a hand-written MCPServer tool, one run.

Both servers run as their own processes over streamable HTTP and make the same
upstream call (GET /items/{id} on a local upstream process, JSON answer). The
real mcp client calls each one in alternating blocks of calls, so both see the same
machine load. Figures are printed as ratios against the hand-written server.

    .venv/bin/python bench/mcp_overhead.py [--calls 1000] [--block 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import items_spec  # noqa: E402
from generator.pipeline import generate  # noqa: E402
from tests.servers import _stop, _wait_for_port, free_port, mcp_http_session  # noqa: E402

SPEC = items_spec.spec(
    "MCP",
    """\
    - type: mcp
      namespace: bench
      port: 9000
      tools:
        - name: get-item
          description: Get an item.
          inputParameters: [{name: id, type: string, description: Item id}]
          call: items.get-item
          with: {id: tools.id}
          outputParameters: [{type: object, mapping: $.}]
""",
)

UPSTREAM = """\
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
BODY = b'{"id": "42", "name": "widget", "tags": ["a", "b"], "price": 9.5}'
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def log_message(self, *a): pass
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)
s = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H)
s.daemon_threads = True
s.serve_forever()
"""

HAND_WRITTEN = """\
import os, sys
import httpx
from mcp.server.mcpserver import MCPServer

BASE = os.environ["ITEMS_BASE_URL"]
client = httpx.AsyncClient()
server = MCPServer(name="hand")


@server.tool(name="get-item", description="Get an item.")
async def get_item(id: str) -> dict:
    response = await client.get(f"{BASE}/items/{id}", timeout=30)
    response.raise_for_status()
    return response.json()


server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[1]))
"""


def _start(args: list[str], cwd: Path, env: dict[str, str], port: int, log: object) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log)  # type: ignore[arg-type]
    _wait_for_port(process, port, args[-1], log)  # type: ignore[arg-type]
    return process


async def _measure(urls: dict[str, str], calls: int, block: int) -> dict[str, list[float]]:
    """Latency of every call, the servers taking turns in blocks of ``block`` calls."""
    latencies: dict[str, list[float]] = {name: [] for name in urls}
    async with contextlib.AsyncExitStack() as stack:
        sessions = {name: await stack.enter_async_context(mcp_http_session(url)) for name, url in urls.items()}
        for session in sessions.values():
            for i in range(10):  # warm the connection pools
                await session.call_tool("get-item", {"id": str(i)})
        for start in range(0, calls, block):
            for name, session in sessions.items():
                for i in range(start, min(start + block, calls)):
                    began = time.perf_counter()
                    result = await session.call_tool("get-item", {"id": str(i)})
                    latencies[name].append(time.perf_counter() - began)
                    assert not result.is_error, result.content
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000, help="tool calls per server")
    parser.add_argument("--block", type=int, default=20, help="calls in a row before the other server's turn")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile() as log:
        work = Path(tmp)
        (work / "bench.yaml").write_text(SPEC)
        result = generate([work / "bench.yaml"])
        assert result.ok, [d.format_text() for d in result.diagnostics]
        for relative, source in result.files().items():
            (work / relative).parent.mkdir(parents=True, exist_ok=True)
            (work / relative).write_text(source)
        (work / "upstream.py").write_text(UPSTREAM)
        (work / "hand.py").write_text(HAND_WRITTEN)
        up_port, gen_port, hand_port = free_port(), free_port(), free_port()
        env = {**os.environ, "PYTHONPATH": str(work), "ITEMS_BASE_URL": f"http://127.0.0.1:{up_port}"}
        processes = []
        try:
            processes.append(_start([sys.executable, "upstream.py", str(up_port)], work, env, up_port, log))
            generated = [sys.executable, "-m", "bench", "mcp", "--transport", "http", "--port", str(gen_port)]
            processes.append(_start(generated, work, env, gen_port, log))
            processes.append(_start([sys.executable, "hand.py", str(hand_port)], work, env, hand_port, log))
            urls = {"generated": f"http://127.0.0.1:{gen_port}/mcp", "hand-written": f"http://127.0.0.1:{hand_port}/mcp"}
            latencies = asyncio.run(_measure(urls, options.calls, options.block))
        finally:
            for process in processes:
                _stop(process)

    base = latencies["hand-written"]
    base_rate, base_p50 = len(base) / sum(base), statistics.median(base)
    print(f"MCP tool calls over streamable HTTP, {options.calls} calls per server in turns of {options.block}")
    print(f"{'server':<14}{'calls/s':>10}{'p50 ms':>10}{'throughput':>12}{'p50':>8}")
    for name in ("hand-written", "generated"):
        values = latencies[name]
        rate, p50 = len(values) / sum(values), statistics.median(values)
        print(f"{name:<14}{rate:>10.0f}{p50 * 1000:>10.2f}{rate / base_rate:>11.2f}x{p50 / base_p50:>7.2f}x")


if __name__ == "__main__":
    main()
