"""Exposed-side authentication: incoming credentials checked against secrets from the
environment.

Shared by the REST app (a router dependency) and the MCP server over streamable
HTTP (an ASGI middleware). Secrets are read when a request arrives, never stored in
code; a secret that is not set refuses the request (503), it never opens access.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any

from fastapi import Depends
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.requests import Request

from . import _runtime as rt
from . import _secrets

PROBLEM = "application/problem+json"
REALM = "naftiko"

ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]


class Denied(HTTPException):
    """A request that does not pass the exposed authentication, as an HTTP problem."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status, detail, dict(headers or {}))
        self.title = title

    def problem(self) -> dict[str, Any]:
        """The RFC 9457 problem document."""
        return {
            "type": "about:blank",
            "title": self.title,
            "status": self.status_code,
            "detail": self.detail,
        }


def _challenge(settings: Mapping[str, Any]) -> dict[str, str]:
    scheme = {"bearer": "Bearer", "basic": "Basic"}.get(settings["kind"])
    return {"WWW-Authenticate": f'{scheme} realm="{REALM}"'} if scheme else {}


def _unauthorized(settings: Mapping[str, Any], detail: str) -> Denied:
    return Denied(401, "Unauthorized", detail, _challenge(settings))


def _secret(template: str, binds: Mapping[str, str]) -> bytes:
    """A secret from the environment (or a bind file); 503 naming the variable when
    unset or empty."""
    try:
        value = rt.render(template, {}, binds, secret=True)
    except rt.ConfigError as exc:
        raise Denied(
            503,
            "Authentication not configured",
            f"{exc}; the server refuses requests until it is set",
        ) from None
    if not value:
        raise Denied(
            503,
            "Authentication not configured",
            f"the secret {template} is empty; "
            "the server refuses requests until it is set",
        )
    return value.encode()


def _same(given: str, expected: bytes) -> bool:
    return hmac.compare_digest(given.encode(), expected)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return headers.get(name.lower())


def _bearer(
    settings: Mapping[str, Any], binds: Mapping[str, str], headers: Mapping[str, str]
) -> None:
    expected = _secret(settings["token"], binds)
    scheme, _, token = (_header(headers, "authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized(settings, "send Authorization: Bearer <token>")
    if not _same(token.strip(), expected):
        raise _unauthorized(settings, "the bearer token is not valid")


def _basic(
    settings: Mapping[str, Any], binds: Mapping[str, str], headers: Mapping[str, str]
) -> None:
    user = (
        _secret(settings["username"], binds)
        if "{{" in settings["username"]
        else settings["username"].encode()
    )
    password = _secret(settings["password"], binds)
    scheme, _, encoded = (_header(headers, "authorization") or "").partition(" ")
    if scheme.lower() != "basic":
        raise _unauthorized(
            settings, "send Authorization: Basic <base64(user:password)>"
        )
    try:
        given_user, colon, given_password = (
            base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
        )
    except (binascii.Error, UnicodeDecodeError):
        raise _unauthorized(
            settings, "the basic credentials are not valid base64 text"
        ) from None
    user_ok = _same(given_user, user)
    password_ok = _same(given_password, password)
    if not (colon and user_ok and password_ok):
        raise _unauthorized(settings, "the user name or password is not valid")


def _apikey(
    settings: Mapping[str, Any],
    binds: Mapping[str, str],
    headers: Mapping[str, str],
    query: Mapping[str, str],
    cookies: Mapping[str, str],
) -> None:
    expected = _secret(settings["value"], binds)
    key, placement = settings["key"], settings["placement"]
    if placement == "query":
        _secrets.secret_query_name(key)  # never in an access log line
    given = {
        "header": lambda: _header(headers, key),
        "query": lambda: query.get(key),
        "cookie": lambda: cookies.get(key),
    }[placement]()
    if given is None:
        raise _unauthorized(settings, f"send the API key in the {placement} {key!r}")
    if not _same(given, expected):
        raise _unauthorized(
            settings, f"the API key in the {placement} {key!r} is not valid"
        )


def check(
    settings: Mapping[str, Any],
    binds: Mapping[str, str],
    headers: Mapping[str, str],
    query: Mapping[str, str],
    cookies: Mapping[str, str],
) -> None:
    """Pass, or raise Denied (401 bad credentials, 503 secret not set, 501 not
    enforceable).

    ``headers`` is looked up with lower-case names (Starlette's Headers are
    case-insensitive).
    """
    kind = settings["kind"]
    if kind == "bearer":
        _bearer(settings, binds, headers)
    elif kind == "basic":
        _basic(settings, binds, headers)
    elif kind == "apikey":
        _apikey(settings, binds, headers, query, cookies)
    else:
        reason = (
            settings.get("reason") or f"authentication type {kind!r} is not supported"
        )
        raise Denied(
            501, "Authentication not supported", f"{reason}; every request is refused"
        )


def problem_response(denied: Denied) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Status, raw headers and body of the problem+json answer for a refused request."""
    body = json.dumps(denied.problem()).encode()
    headers = [
        (b"content-type", PROBLEM.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    headers += [
        (k.lower().encode(), v.encode()) for k, v in (denied.headers or {}).items()
    ]
    return denied.status_code, headers, body


class Guard:
    """ASGI middleware: every HTTP request must pass ``check`` before it reaches the
    app."""

    def __init__(
        self, app: ASGIApp, settings: Mapping[str, Any], binds: Mapping[str, str]
    ) -> None:
        self.app = app
        self.settings = settings
        self.binds = binds

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        try:
            check(
                self.settings,
                self.binds,
                request.headers,
                request.query_params,
                request.cookies,
            )
        except Denied as denied:
            status, headers, body = problem_response(denied)
            await send(
                {"type": "http.response.start", "status": status, "headers": headers}
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


# --------------------------------------------------------------------------- FastAPI


def guard(
    settings: Mapping[str, Any], binds: Mapping[str, str], scheme_name: str
) -> Any:
    """A router dependency enforcing exposed authentication.

    It is a FastAPI security scheme, so the OpenAPI document declares it too.
    """
    from fastapi.security import (
        APIKeyCookie,
        APIKeyHeader,
        APIKeyQuery,
        HTTPBasic,
        HTTPBearer,
    )

    kind = settings["kind"]
    base: type[Any]
    if kind == "apikey":
        base = {"header": APIKeyHeader, "query": APIKeyQuery, "cookie": APIKeyCookie}[
            settings["placement"]
        ]
        options: dict[str, Any] = {"name": settings["key"]}
    else:
        base, options = (
            (HTTPBasic, {"realm": REALM}) if kind == "basic" else (HTTPBearer, {})
        )

    async def call(self: Any, request: Request) -> None:
        check(settings, binds, request.headers, request.query_params, request.cookies)

    guarded: type[Any] = type("Guarded", (base,), {"__call__": call})
    return Depends(guarded(auto_error=False, scheme_name=scheme_name, **options))


def denied(request: Request, exc: Exception) -> Response:
    """The exception handler answering a refused request with problem+json."""
    assert isinstance(exc, Denied)
    return JSONResponse(
        exc.problem(),
        status_code=exc.status_code,
        headers=exc.headers,
        media_type=PROBLEM,
    )


def guarded_route(
    settings: Mapping[str, Any], binds: Mapping[str, str], base: type[Any] | None = None
) -> type[Any]:
    """A route class (on ``base``, else APIRoute) checking exposed authentication
    before the request body is read (FastAPI reads and parses the body before any
    dependency)."""
    from fastapi.routing import APIRoute

    parent: type[APIRoute] = base or APIRoute

    def get_route_handler(
        self: APIRoute,
    ) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = parent.get_route_handler(self)

        async def guarded(request: Request) -> Response:
            check(
                settings, binds, request.headers, request.query_params, request.cookies
            )
            return await handler(request)

        return guarded

    return type("GuardedRoute", (parent,), {"get_route_handler": get_route_handler})
