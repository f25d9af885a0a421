"""REST overhead: the generated adapter against a hand-written FastAPI + httpx proxy, one run.

Three setups answer the same GET /items/{id}, each its own uvicorn process on
127.0.0.1 with the same settings:

- direct: the upstream itself (a minimal ASGI app returning a fixed JSON document);
- hand-written: FastAPI with one shared httpx.AsyncClient, passing the upstream
  answer through (status, bytes, content type), as a careful user would write it;
- generated: ``python -m bench rest`` from a spec with the same call.

wrk drives each setup in turn, for several rounds, so all three see the same machine
load (the order rotates between rounds): first one connection (latency: what the
proxy adds to one call), then ``--connections`` (throughput). The median over rounds
is printed, with ratios.

    .venv/bin/python bench/rest_overhead.py [--rounds 5] [--seconds 3] [--connections 32]

Needs ``wrk`` (``apt-get install wrk``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import items_spec  # noqa: E402
from generator.pipeline import generate  # noqa: E402
from tests.servers import _stop, _wait_for_port, free_port  # noqa: E402

SPEC = items_spec.spec(
    "REST",
    """\
    - type: rest
      namespace: bench
      port: 8000
      resources:
        - path: /items/{id}
          name: item
          operations:
            - method: GET
              name: get-item
              description: Get an item.
              inputParameters: [{name: id, in: path, type: string, description: Item id}]
              call: items.get-item
              with: {id: bench.id}
              outputParameters: [{type: object, mapping: $.}]
""",
)

UPSTREAM = """\
import sys
import uvicorn

BODY = b'{"id": "42", "name": "widget", "tags": ["a", "b"], "price": 9.5}'
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="info")
"""

HAND_WRITTEN = """\
import os
import sys
from contextlib import asynccontextmanager

import httpx
import uvicorn
from fastapi import FastAPI
from fastapi.responses import Response

BASE = os.environ["ITEMS_BASE_URL"]
client = httpx.AsyncClient(timeout=30)


@asynccontextmanager
async def lifespan(app):
    yield
    await client.aclose()


app = FastAPI(lifespan=lifespan)


@app.get("/items/{id}")
async def get_item(id: str) -> Response:
    upstream = await client.get(f"{BASE}/items/{id}")
    return Response(upstream.content, upstream.status_code, media_type=upstream.headers.get("content-type"))


uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="info")
"""

SETUPS = ("direct", "hand-written", "generated")
UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0}


@dataclass
class Run:
    """One wrk run: requests per second and latency percentiles in seconds."""

    rate: float
    p50: float
    p99: float


def _seconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    assert match, text
    return float(match.group(1)) * UNITS[match.group(2)]


def wrk(url: str, connections: int, seconds: int) -> Run:
    """Drive ``url`` with wrk (one thread) and read its summary."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    report = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in report or "Socket errors" in report:
        raise SystemExit(f"errors while driving {url}:\n{report}")
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", report, re.MULTILINE))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1))  # type: ignore[union-attr]
    return Run(rate, _seconds(percentiles["50"]), _seconds(percentiles["99"]))


def _write_setups(work: Path) -> None:
    (work / "bench.yaml").write_text(SPEC)
    result = generate([work / "bench.yaml"])
    assert result.ok, [d.format_text() for d in result.diagnostics]
    for relative, source in result.files().items():
        (work / relative).parent.mkdir(parents=True, exist_ok=True)
        (work / relative).write_text(source)
    (work / "upstream.py").write_text(UPSTREAM)
    (work / "hand.py").write_text(HAND_WRITTEN)


def measure(rounds: int, seconds: int, connections: int) -> dict[str, dict[int, list[Run]]]:
    """Every setup at 1 and ``connections`` connections, in turns, ``rounds`` times."""
    runs: dict[str, dict[int, list[Run]]] = {name: {1: [], connections: []} for name in SETUPS}
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile() as log:
        work = Path(tmp)
        _write_setups(work)
        ports = {name: free_port() for name in SETUPS}
        env = {**os.environ, "PYTHONPATH": str(work), "ITEMS_BASE_URL": f"http://127.0.0.1:{ports['direct']}"}
        commands = {
            "direct": [sys.executable, "upstream.py", str(ports["direct"])],
            "hand-written": [sys.executable, "hand.py", str(ports["hand-written"])],
            "generated": [sys.executable, "-m", "bench", "rest", "--port", str(ports["generated"])],
        }
        processes = []
        try:
            for name in SETUPS:
                process = subprocess.Popen(commands[name], cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=log)
                processes.append(process)
                _wait_for_port(process, ports[name], name, log)  # type: ignore[arg-type]
            urls = {name: f"http://127.0.0.1:{ports[name]}/items/42" for name in SETUPS}
            for url in urls.values():
                wrk(url, connections, 1)  # warm up: imports, connection pools
            for turn in range(rounds):
                order = SETUPS[turn % 3 :] + SETUPS[: turn % 3]  # nobody always goes first
                for count in (1, connections):
                    for name in order:
                        runs[name][count].append(wrk(urls[name], count, seconds))
        finally:
            for process in processes:
                _stop(process)
    return runs


def report(runs: dict[str, dict[int, list[Run]]], connections: int) -> None:
    def median(name: str, count: int, field: str) -> float:
        return statistics.median(getattr(run, field) for run in runs[name][count])

    for count in (1, connections):
        print(f"\n{count} connection{'s' if count > 1 else ''}:")
        print(f"{'setup':<14}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'vs hand':>9}{'p50 over direct':>17}")
        for name in SETUPS:
            rate, p50, p99 = (median(name, count, f) for f in ("rate", "p50", "p99"))
            ratio = rate / median("hand-written", count, "rate")
            added = (p50 - median("direct", count, "p50")) * 1000
            print(f"{name:<14}{rate:>9.0f}{p50 * 1000:>9.2f}{p99 * 1000:>9.2f}{ratio:>8.2f}x{added:>14.2f} ms")
    gen, hand = median("generated", connections, "rate"), median("hand-written", connections, "rate")
    added = (median("generated", 1, "p50") - median("direct", 1, "p50")) * 1000
    print(f"\ngenerated throughput / hand-written at {connections} connections: {gen / hand:.2f}x (target >= 0.90)")
    print(f"generated p50 added over direct at 1 connection: {added:.2f} ms (target < 1 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="turns of every setup")
    parser.add_argument("--seconds", type=int, default=3, help="length of one wrk run")
    parser.add_argument("--connections", type=int, default=32, help="connections of the throughput runs")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    runs = measure(options.rounds, options.seconds, options.connections)
    print(f"GET /items/{{id}} through each setup; wrk, 1 thread, median of {options.rounds} rounds of {options.seconds} s")
    report(runs, options.connections)


if __name__ == "__main__":
    main()
