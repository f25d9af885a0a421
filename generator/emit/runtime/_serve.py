"""Serving with bounds: uvicorn with a header size limit, a timeout for incomplete
requests, keep-alive and concurrency limits; request bodies capped (413); every log line
scrubbed of secrets.

Every limit is read from the environment when the server starts (see the README's
"Security" section). This module has no dependency on naftiko-gen.
"""

from __future__ import annotations

import copy
import json
import os
from typing import Any

from starlette.exceptions import HTTPException

from . import _secrets

ASGIApp = Any

REQUEST_LIMIT_ENV = "NAFTIKO_MAX_REQUEST_BYTES"
HEADER_LIMIT_ENV = "NAFTIKO_MAX_HEADER_BYTES"
HEADER_TIMEOUT_ENV = "NAFTIKO_HEADER_TIMEOUT"
KEEP_ALIVE_ENV = "NAFTIKO_KEEP_ALIVE_TIMEOUT"
CONCURRENCY_ENV = "NAFTIKO_MAX_CONCURRENCY"
HOSTS_ENV = "NAFTIKO_ALLOWED_HOSTS"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
DEFAULTS: dict[str, float] = {
    REQUEST_LIMIT_ENV: 10 * 1024 * 1024,
    HEADER_LIMIT_ENV: 32 * 1024,
    HEADER_TIMEOUT_ENV: 10.0,
    KEEP_ALIVE_ENV: 5.0,
    CONCURRENCY_ENV: 200,
}
"""Each limit's default, by the environment variable that changes it."""
PROBLEM = "application/problem+json"


def setting(name: str) -> float:
    """A limit from the environment (a positive number), else its default."""
    try:
        value = float(os.environ.get(name, DEFAULTS[name]))
    except ValueError:
        return DEFAULTS[name]
    return value if value > 0 else DEFAULTS[name]


def request_limit(spec_limit: int | None) -> int:
    """The request-body cap: ``NAFTIKO_MAX_REQUEST_BYTES`` when set, else the spec's
    `maxBinarySize`, else 10 MiB."""
    if spec_limit and REQUEST_LIMIT_ENV not in os.environ:
        return spec_limit
    return int(setting(REQUEST_LIMIT_ENV))


class BodyTooLarge(HTTPException):
    """The request body passed the limit (answered 413 problem+json)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


def problem_bytes(status: int, title: str, detail: str) -> bytes:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return json.dumps(body).encode()


async def _answer(send: Any, status: int, title: str, detail: str) -> None:
    body = problem_bytes(status, title, detail)
    headers = [
        (b"content-type", PROBLEM.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """ASGI middleware: a request body over the limit is refused with 413, before it is
    read when Content-Length says so, else as soon as the count passes the limit."""

    def __init__(self, app: ASGIApp, limit: int | None = None) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = request_limit(self.limit)
        for name, value in scope.get("headers", []):
            if name == b"content-length" and (
                not value.isdigit() or int(value) > limit
            ):
                await _answer(
                    send, 413, "Request body too large", BodyTooLarge(limit).detail
                )
                return
        received = 0
        started = False

        async def limited() -> Any:
            nonlocal received
            message = await receive()
            if message.get("type") == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked(message: Any) -> None:
            nonlocal started
            started = started or message.get("type") == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, tracked)
        except BodyTooLarge as exc:
            if not started:
                await _answer(send, 413, "Request body too large", exc.detail)


def allowed_hosts(bound: str) -> frozenset[str] | None:
    """The Host names accepted: the bound host, localhost names and
    ``NAFTIKO_ALLOWED_HOSTS``
    (comma-separated); None (any) when bound to every interface and the variable is
    unset."""
    listed = {h.strip().lower() for h in os.environ.get(HOSTS_ENV, "").split(",")}
    listed.discard("")
    if bound in ("0.0.0.0", "::", "") and not listed:
        return None
    return frozenset(listed | LOCAL_HOSTS | {bound.lower().strip("[]")})


def host_name(value: bytes) -> str:
    """The name in a Host header: port and IPv6 brackets dropped, lower case."""
    text = value.decode("latin-1").strip().lower()
    if text.startswith("["):
        return text[1:].split("]", 1)[0]
    return text.rsplit(":", 1)[0] if text.count(":") == 1 else text


class HostCheck:
    """ASGI middleware: a request whose Host is not an accepted name is refused (400
    problem+json) before anything else runs, so a DNS-rebound page cannot reach it."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str] | None) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and self.hosts is not None:
            given = dict(scope.get("headers", [])).get(b"host", b"")
            if host_name(given) not in self.hosts:
                detail = f"this server does not answer for that Host (see {HOSTS_ENV})"
                await _answer(send, 400, "Host not allowed", detail)
                return
        await self.app(scope, receive, send)


def too_large(request: Any, exc: Exception) -> Any:
    """FastAPI exception handler: BodyTooLarge as 413 problem+json."""
    from starlette.responses import Response

    detail = exc.detail if isinstance(exc, HTTPException) else "request body too large"
    body = problem_bytes(413, "Request body too large", detail)
    return Response(body, status_code=413, media_type=PROBLEM)


def log_config() -> dict[str, Any]:
    """uvicorn's logging set-up with every handler scrubbing secrets (and credential
    query values) from what it writes; other loggers log WARNING and up through it."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact": {"()": _secrets.Redact}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact"]
    config["root"] = {"handlers": ["default"], "level": "WARNING"}
    return config


def _bounded_protocol() -> type[Any] | str:
    """uvicorn's httptools protocol with a header size limit and a timeout for requests
    whose headers do not arrive in time (h11 with a size limit when httptools is
    absent)."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # pragma: no cover - depends on the installation
        return "h11"

    limit = int(setting(HEADER_LIMIT_ENV))
    patience = setting(HEADER_TIMEOUT_ENV)

    class BoundedHttpTools(HttpToolsProtocol):
        _head_open = True
        _head_bytes = 0
        _head_timer: Any = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self._head_open:
                self._head_bytes += len(data)
            super().data_received(data)
            closing = self.transport.is_closing()
            if self._head_open and self._head_bytes > limit and not closing:
                self._refuse(b"431 Request Header Fields Too Large")

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._head_open = True
            self._arm()

        def on_headers_complete(self) -> None:
            self._head_open, self._head_bytes = False, 0
            self._disarm()
            super().on_headers_complete()

        def _arm(self) -> None:
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(patience, self._late)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _late(self) -> None:
            self._head_timer = None
            if self._head_open and not self.transport.is_closing():
                self._refuse(b"408 Request Timeout")

        def _refuse(self, status: bytes) -> None:
            self._disarm()
            self._head_open = False
            self.transport.write(
                b"HTTP/1.1 "
                + status
                + b"\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            )
            self.transport.close()

    return BoundedHttpTools


def run(app: ASGIApp, host: str, port: int, body_limit: int | None = None) -> None:
    """Serve ``app`` with uvicorn within the limits (request bodies capped at
    ``NAFTIKO_MAX_REQUEST_BYTES``, else ``body_limit``, the spec's `maxBinarySize`, else
    10 MiB; Host checked)."""
    import uvicorn

    protocol = _bounded_protocol()
    uvicorn.run(
        HostCheck(BodyLimit(app, body_limit), allowed_hosts(host)),
        host=host,
        port=port,
        http=protocol,
        h11_max_incomplete_event_size=int(setting(HEADER_LIMIT_ENV)),
        timeout_keep_alive=int(setting(KEEP_ALIVE_ENV)),
        limit_concurrency=int(setting(CONCURRENCY_ENV)),
        log_config=log_config(),
        log_level="info",
    )
