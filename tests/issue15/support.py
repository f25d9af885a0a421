"""Issue 15: a hardened-adapter spec, a scriptable recording upstream (headers, streamed
and compressed bodies) and generated servers run as real processes with their logs kept."""

from __future__ import annotations

import contextlib
import gzip
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any

from generator import pipeline
from tests.servers import free_port, stop, wait_for_port

PACKAGE = "hardened"
API_TOKEN = "tok-SECRET-4711"
SPACED_TOKEN = "spc-SECRET-0815 "
QUERY_KEY = "qk-SECRET-2929"
INBOUND = "in-SECRET-5150"
TRUSTED = "[X-Trace, Transfer-Encoding, Host, Authorization, Content-Length, Connection, Proxy-Authorization, Upgrade, Keep-Alive, TE]"

SPEC = """\
naftiko: "1.0.0-alpha2"
info:
  label: Hardened
  description: The adapter issue 15 attacks.
capability:
  consumes:
    - namespace: api
      type: http
      baseUri: "http://api.invalid"
      authentication: {type: bearer, token: "{{env.H_API_TOKEN}}"}
      resources:
        - name: items
          path: /items/{{id}}
          operations:
            - name: get-item
              method: GET
              inputParameters:
                - {name: id, in: path}
        - name: notes
          path: /notes
          operations:
            - name: post-note
              method: POST
              body: {type: json, data: {text: "{{text}}"}}
        - {name: big, path: /big, operations: [{name: get-big, method: GET}]}
        - {name: blob, path: /blob, operations: [{name: get-blob, method: GET}]}
        - {name: conf, path: /conf, operations: [{name: get-conf, method: GET, outputRawFormat: yaml}]}
    - namespace: spaced
      type: http
      baseUri: "http://spaced.invalid"
      authentication: {type: bearer, token: "{{env.H_SPACED_TOKEN}}"}
      resources:
        - {name: s, path: /spaced, operations: [{name: get-spaced, method: GET}]}
    - namespace: broken
      type: http
      baseUri: "http://broken.invalid"
      authentication: {type: bearer, token: "{{env.H_BROKEN_TOKEN}}"}
      resources:
        - {name: b, path: /broken, operations: [{name: get-broken, method: GET}]}
    - namespace: keyed
      type: http
      baseUri: "http://keyed.invalid"
      authentication: {type: apikey, key: api_key, value: "{{env.H_QUERY_KEY}}", placement: query}
      resources:
        - {name: things, path: /things, operations: [{name: list-things, method: GET}]}
  exposes:
    - type: rest
      namespace: guarded
      port: 8415
      authentication: {type: bearer, token: "{{env.H_INBOUND_TOKEN}}"}
      resources:
        - path: /items/{id}
          name: item
          operations:
            - method: GET
              name: get-item
              inputParameters:
                - {name: id, in: path, type: string, description: Item id}
              call: api.get-item
              with: {id: guarded.id}
        - path: /notes
          name: notes
          operations:
            - method: POST
              name: post-note
              inputParameters:
                - {name: text, in: body, type: string, description: Note text}
              call: api.post-note
              with: {text: guarded.text}
        - {path: /big, name: big, operations: [{method: GET, name: big, call: api.get-big}]}
        - {path: /blob, name: blob, operations: [{method: GET, name: blob, call: api.get-blob}]}
        - path: /conf
          name: conf
          operations:
            - method: GET
              name: conf
              call: api.get-conf
              outputParameters:
                - {name: data, type: object, mapping: $}
        - {path: /spaced, name: spaced, operations: [{method: GET, name: spaced, call: spaced.get-spaced}]}
        - {path: /broken, name: broken, operations: [{method: GET, name: broken, call: broken.get-broken}]}
        - path: /fwd/{{rest}}
          name: fwd
          forward: {targetNamespace: api, trustedHeaders: TRUSTED}
    - type: mcp
      namespace: tools
      port: 9415
      description: Hardened tools.
      tools:
        - name: get-item
          description: One item.
          inputParameters:
            - {name: id, type: string, description: Item id}
          call: api.get-item
          with: {id: tools.id}
        - {name: big, description: A big answer., call: api.get-big}
        - {name: spaced, description: A secret with a trailing space., call: spaced.get-spaced}
        - {name: things, description: Things behind a query API key., call: keyed.list-things}
      resources:
        - name: docs
          label: Docs
          uri: docs://files
          description: Files.
          location: "file://DOCS"
""".replace("TRUSTED", TRUSTED)


def generate(out: Path, docs: Path) -> pipeline.Result:
    """Generate the hardened package into ``out`` (its file resource served from ``docs``)."""
    spec = out / "specs" / "hardened.yaml"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(SPEC.replace("DOCS", str(docs)))
    result = pipeline.generate([spec])
    assert result.ok, [d.format_text() for d in result.diagnostics]
    for rel, text in result.files().items():
        target = out / "pkg" / str(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return result


# --------------------------------------------------------------------------- upstream


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    raw_headers: list[tuple[str, str]]
    body: bytes


@dataclass
class Answer:
    status: int = 200
    body: bytes = b'{"ok": true}'
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    stream: Callable[[], Iterator[bytes]] | None = None  # sent chunked, never held whole
    delay: float = 0.0


@dataclass
class Upstream:
    server: ThreadingHTTPServer
    seen: list[Seen] = field(default_factory=list)
    answers: dict[str, Answer] = field(default_factory=dict)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_upstream() -> Upstream:
    holder: dict[str, Upstream] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _handle(self) -> None:
            up = holder["u"]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = self.path.split("?", 1)[0]
            up.seen.append(
                Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                     list(self.headers.items()), body)
            )
            answer = up.answers.get(path, Answer())
            if answer.delay:
                time.sleep(answer.delay)
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            if answer.stream is not None:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    for chunk in answer.stream():
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.write(b"0\r\n\r\n")
                except OSError:
                    self.close_connection = True
                return
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            try:
                self.wfile.write(answer.body)
            except OSError:
                self.close_connection = True

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # type: ignore[method-assign]
    up = Upstream(server)
    holder["u"] = up
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return up


def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzip-compressed (about a thousandth of the size)."""
    return gzip.compress(b"\0" * size, compresslevel=9)


def chunks(total: int, size: int = 1 << 20) -> Callable[[], Iterator[bytes]]:
    def generate_chunks() -> Iterator[bytes]:
        block = b"x" * size
        for _ in range(total // size):
            yield block

    return generate_chunks


# --------------------------------------------------------------------------- processes


@dataclass
class Running:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: IO[bytes]

    def log_text(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def memory_kib(self, field_name: str = "VmHWM") -> int:
        """A memory figure of the server process from /proc/PID/status, in KiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
        raise AssertionError(f"no {field_name} for {self.process.pid}")

    def open_fds(self) -> int:
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))


@contextlib.contextmanager
def serve(
    pkg_dir: Path, env: dict[str, str], *command: str, package: str = PACKAGE
) -> Iterator[Running]:
    """Run ``python -m <package> <command> --port P``; waits for the port; keeps stderr."""
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if not k.endswith("_BASE_URL")}
    full_env.update(env)
    full_env["PYTHONPATH"] = str(pkg_dir)
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", package, *command, "--port", str(port)],
            cwd=pkg_dir, env=full_env, stdout=log, stderr=log,
        )
        try:
            wait_for_port(process, port, " ".join(command), log, timeout=30)
            yield Running(f"http://127.0.0.1:{port}", port, process, log)
        finally:
            stop(process)
