"""A real HTTP upstream for tests: records every request, answers as scripted."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    """One request as the upstream received it."""

    method: str
    path: str  # the raw path, still percent-encoded
    query: list[tuple[str, str]]
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b'{"ok": true}'
    content_type: str = "application/json"
    delay: float = 0.0


@dataclass
class Upstream:
    """Records requests; replies come from ``routes`` (path -> Reply) or ``default``."""

    server: ThreadingHTTPServer
    requests: list[Recorded] = field(default_factory=list)
    routes: dict[str, Reply] = field(default_factory=dict)
    default: Reply = field(default_factory=Reply)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def last(self) -> Recorded:
        assert self.requests, "the upstream received no request"
        return self.requests[-1]

    def reply(self, body: Any, status: int = 200, path: str | None = None, content_type: str = "application/json") -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        answer = Reply(status, raw, content_type)
        if path is None:
            self.default = answer
        else:
            self.routes[path] = answer

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start() -> Upstream:
    """Start an upstream on 127.0.0.1 with a free port, in a background thread."""
    holder: dict[str, Upstream] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _handle(self) -> None:
            upstream = holder["u"]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            upstream.requests.append(
                Recorded(
                    self.command,
                    parts.path,
                    parse_qsl(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
            )
            answer = upstream.routes.get(parts.path, upstream.default)
            if answer.delay:
                threading.Event().wait(answer.delay)
            self.send_response(answer.status)
            if answer.status != 204:
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            if answer.status != 204 and self.command != "HEAD":
                self.wfile.write(answer.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    upstream = Upstream(server)
    holder["u"] = upstream
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return upstream
