"""Talking to the consumed APIs: the outgoing request, authentication, retries, the
pool,
and the answer decoded.

Builds on ``_runtime`` (settings, templates, errors). This module has no dependency on
naftiko-gen or on a web framework.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
import weakref
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from . import _answer
from . import _runtime as rt
from . import _secrets

Pool = httpx.AsyncClient | httpx.Client
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_ERRORS = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.RemoteProtocolError,
    httpx.ReadError,
)
"""Failures where the request got no answer: an idempotent request is sent again."""
RAW_FORMAT = "naftiko.raw_format"
"""Response extension naming the consumed operation's `outputRawFormat`."""
BINARY_FORMATS = frozenset({"protobuf", "avro", "binary"})
MEDIA_DECLARED = "naftiko.media_type"
"""Response extension: True when the Content-Type is the `outputMediaType`."""
"""Formats not decoded here: the body is handed on as base64."""


@dataclass
class OAuthToken:
    value: str
    expires_at: float


_TOKENS: dict[tuple[str, str], OAuthToken] = {}
_TOKEN_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)
"""One token lock per event loop (an asyncio lock cannot be shared between loops)."""


def _token_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _TOKEN_LOCKS.get(loop)
    if lock is None:
        lock = _TOKEN_LOCKS[loop] = asyncio.Lock()
    return lock


_TOKEN_ENDPOINTS: dict[str, str] = {}
"""Token endpoints discovered from authorization servers (RFC 8414), by issuer."""


LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


def _origin(url: str) -> tuple[str, str, int | None]:
    parsed = httpx.URL(url)
    return parsed.scheme, parsed.host, parsed.port


def _secure_origin(url: str, what: str) -> None:
    """https, or plain http on a loopback address only (a client secret goes there)."""
    parsed = httpx.URL(url)
    if parsed.scheme != "https" and not (
        parsed.scheme == "http" and parsed.host in LOOPBACK
    ):
        raise rt.AdapterError(f"oauth2: the {what} must use https (or be on loopback)")


async def _token_endpoint(
    http: httpx.AsyncClient, auth: Mapping[str, Any], binds: Mapping[str, str]
) -> str:
    """The spec's token endpoint, else the one the authorization server's metadata
    names."""
    if auth.get("token_url"):
        return rt.render(auth["token_url"], {}, binds, secret=True)
    issuer = rt.render(auth.get("issuer") or "", {}, binds, secret=True).rstrip("/")
    if not issuer:
        raise rt.UnsupportedAuth(
            "oauth2 authentication has no tokenEndpoint or authorizationServerUri"
            " in the spec"
        )
    if issuer not in _TOKEN_ENDPOINTS:
        _secure_origin(issuer, "authorizationServerUri")
        metadata_url = issuer + "/.well-known/oauth-authorization-server"
        response = await http.get(metadata_url, timeout=rt.timeout())
        try:
            metadata: Any = response.json() if response.status_code < 400 else {}
            endpoint = metadata.get("token_endpoint")
            named = str(metadata.get("issuer", "")).rstrip("/")
        except (ValueError, AttributeError, TypeError):
            endpoint, named = None, ""
        if not isinstance(endpoint, str) or not endpoint:
            raise rt.AdapterError(
                f"oauth2: no token_endpoint in {metadata_url}"
                f" (HTTP {response.status_code})"
            )
        if named != issuer:
            raise rt.AdapterError(
                "oauth2: the authorization server metadata names another issuer;"
                " the client secret is not sent"
            )
        if _origin(endpoint) != _origin(issuer):
            raise rt.AdapterError(
                "oauth2: the discovered token endpoint is on another origin than the"
                " issuer; name it in the spec (tokenEndpoint) to use it"
            )
        _secure_origin(endpoint, "token endpoint")
        _TOKEN_ENDPOINTS[issuer] = endpoint
    return _TOKEN_ENDPOINTS[issuer]


async def _oauth2_token(
    http: httpx.AsyncClient, auth: Mapping[str, Any], binds: Mapping[str, str]
) -> str:
    """A client-credentials access token, fetched once and reused until it is about to
    expire."""
    client_id = rt.render(auth.get("client_id") or "", {}, binds, secret=True)
    client_secret = rt.render(auth.get("client_secret") or "", {}, binds, secret=True)
    async with _token_lock():
        token_url = await _token_endpoint(http, auth, binds)
        key = (token_url, client_id)
        cached = _TOKENS.get(key)
        if cached is not None and cached.expires_at > time.monotonic():
            return cached.value
        form = {"grant_type": "client_credentials"}
        for name, field_name in (
            ("scope", "scopes"),
            ("resource", "resource"),
            ("audience", "audience"),
        ):
            value = auth.get(field_name)
            listed = rt.as_list(value)
            if listed is not None and listed:
                form[name] = " ".join(map(str, listed))
            elif value:
                form[name] = rt.render(value, {}, binds)
        response = await http.post(
            token_url, data=form, auth=(client_id, client_secret), timeout=rt.timeout()
        )
        if response.status_code >= 400:
            raise rt.AdapterError(
                f"oauth2 token request to {token_url}"
                f" failed with HTTP {response.status_code}"
            )
        try:
            payload = response.json()
            value = str(payload["access_token"])
            _secrets.remember(value)
            lifetime = float(payload.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError):
            raise rt.AdapterError("oauth2 token response has no access_token") from None
        # renewed a little before it expires: 30 s early, or a tenth of a short lifetime
        _TOKENS[key] = OAuthToken(
            value, time.monotonic() + lifetime - min(30.0, lifetime / 10)
        )
        return value


@dataclass
class Outgoing:
    """An upstream request being assembled."""

    method: str
    url: str
    params: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])
    headers: dict[str, str] = field(default_factory=dict[str, str])
    cookies: dict[str, str] = field(default_factory=dict[str, str])
    content: bytes | str | None = None
    json: Any = None
    has_json: bool = False
    data: dict[str, Any] | None = None
    files: list[tuple[str, Any]] | None = None
    auth: httpx.Auth | None = None
    raw_format: str = "json"  # the operation's `outputRawFormat`, kept on the response
    max_bytes: int | None = None  # a binary answer's cap (`maxBinarySize`)
    media_type: str | None = None  # `outputMediaType`: the answer's Content-Type


async def apply_auth(
    request: Outgoing,
    auth: Mapping[str, Any] | None,
    http: httpx.AsyncClient,
    binds: Mapping[str, str],
) -> None:
    """Add upstream credentials. Secrets come from the environment at call time."""
    if not auth:
        return
    kind = auth.get("kind")
    if kind == "bearer":
        request.headers["Authorization"] = "Bearer " + rt.render(
            auth["token"], {}, binds, secret=True
        )
    elif kind == "basic":
        user = rt.render(auth["username"], {}, binds, secret=True)
        password = rt.render(auth["password"], {}, binds, secret=True)
        pair = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        _secrets.remember(pair)
        request.headers["Authorization"] = "Basic " + pair
    elif kind == "digest":
        user = rt.render(auth["username"], {}, binds, secret=True)
        password = rt.render(auth["password"], {}, binds, secret=True)
        request.auth = httpx.DigestAuth(user, password)
    elif kind == "apikey":
        value = rt.render(auth["value"], {}, binds, secret=True)
        placement = auth.get("placement", "header")
        if placement == "query":
            _secrets.secret_query_name(auth["key"])
            request.params.append((auth["key"], value))
        elif placement == "cookie":
            request.cookies[auth["key"]] = value
        else:
            request.headers[auth["key"]] = value
    elif kind == "oauth2":
        request.headers["Authorization"] = "Bearer " + await _oauth2_token(
            http, auth, binds
        )
    else:
        raise rt.UnsupportedAuth(
            auth.get("reason") or f"authentication {kind!r} is not supported"
        )


def cookie_value(value: str) -> str:
    """A cookie value with the characters a cookie cannot hold percent-encoded."""
    return quote(value, safe="!#$%&'()*+-./:<=>?@[]^_`{|}~")


def wire_kwargs(request: Outgoing) -> tuple[dict[str, Any], dict[str, str]]:
    """The body arguments for httpx and the headers (cookies folded in) of a request."""
    kwargs: dict[str, Any] = {}
    if request.has_json:
        kwargs["json"] = request.json
    elif request.content is not None:
        kwargs["content"] = request.content
    if request.data is not None:
        kwargs["data"] = request.data
    if request.files is not None:
        kwargs["files"] = request.files
    headers = dict(request.headers)
    if request.cookies:
        headers["Cookie"] = "; ".join(
            f"{name}={cookie_value(value)}" for name, value in request.cookies.items()
        )
    headers.setdefault("Accept-Encoding", "gzip, deflate")
    return kwargs, headers


def attempts_for(request: Outgoing) -> int:
    """One try, plus the configured retries for an idempotent method."""
    return 1 + (rt.retries() if request.method in IDEMPOTENT_METHODS else 0)


def build_request(http: Pool, request: Outgoing) -> httpx.Request:
    """The wire request for one attempt (sync and async pools build it alike)."""
    kwargs, headers = wire_kwargs(request)
    return http.build_request(
        request.method,
        request.url,
        params=tuple(request.params) if request.params else None,
        headers=headers or None,
        timeout=rt.timeout(),
        **kwargs,
    )


async def send(
    http: httpx.AsyncClient,
    request: Outgoing,
    auth: Mapping[str, Any] | None,
    binds: Mapping[str, str],
) -> httpx.Response:
    """Authenticate and send; idempotent methods are retried if no answer came."""
    await apply_auth(request, auth, http, binds)
    attempts = attempts_for(request)
    for attempt in range(attempts):
        try:
            outgoing = build_request(http, request)
            response = await http.send(
                outgoing, auth=request.auth or httpx.USE_CLIENT_DEFAULT, stream=True
            )
            response.extensions[RAW_FORMAT] = request.raw_format
            return await _finish(response, request)
        except RETRYABLE_ERRORS:
            if attempt + 1 >= attempts:
                raise
            await asyncio.sleep(0.05 * (2**attempt))
    raise AssertionError("unreachable")  # pragma: no cover


async def _finish(response: httpx.Response, request: Outgoing) -> httpx.Response:
    """The answer read within the limit (the operation's `maxBinarySize`, else the
    adapter's), or left unread for a REST passthrough to stream (still capped)."""
    if request.media_type:
        response.headers["content-type"] = request.media_type
        response.extensions[MEDIA_DECLARED] = True
    binary = request.raw_format in BINARY_FORMATS or _answer.is_binary_type(
        response.headers.get("content-type", "")
    )
    limit = request.max_bytes
    if _answer.STREAM_BINARY.get() and binary and response.status_code < 400:
        if limit is not None:
            response = await _capped(response, limit, _too_large(request, limit))
        response.extensions[_answer.STREAMED] = True
        return response
    try:
        body = await _answer.read_limited(response, limit or _answer.answer_limit())
    except _answer.AnswerTooLarge:
        if limit is None:
            raise
        raise _answer.AnswerTooLarge(_too_large(request, limit)) from None
    finally:
        await response.aclose()
    return _answer.as_read(response, body)


def _too_large(request: Outgoing, limit: int) -> str:
    where = f"{request.method} {request.url}"
    return f"the answer of {where} is larger than maxBinarySize ({limit} bytes)"


class _Capped(httpx.AsyncByteStream):
    """An unread answer's (decoded) bytes, streamed; an error past ``limit`` bytes."""

    def __init__(self, response: httpx.Response, limit: int, message: str) -> None:
        self.response, self.limit, self.message = response, limit, message

    async def __aiter__(self) -> AsyncIterator[bytes]:
        total = 0
        async for chunk in self.response.aiter_bytes():
            total += len(chunk)
            if total > self.limit:
                raise _answer.AnswerTooLarge(self.message)
            yield chunk

    async def aclose(self) -> None:
        await self.response.aclose()


async def _capped(response: httpx.Response, limit: int, message: str) -> httpx.Response:
    """``response`` to be streamed, at most ``limit`` bytes: refused at once when its
    declared length says more, cut off (an error in the stream) when it sends more."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    declared = response.headers.get("content-length", "")
    if encoding in ("", "identity") and declared.isdigit() and int(declared) > limit:
        await response.aclose()
        raise _answer.AnswerTooLarge(message)
    dropped = {"content-encoding", "content-length", "transfer-encoding"}
    kept = [
        (k, v) for k, v in response.headers.multi_items() if k.lower() not in dropped
    ]
    return httpx.Response(
        response.status_code,
        headers=kept,
        stream=_Capped(response, limit, message),
        request=response.request,
        extensions=dict(response.extensions),
    )


_POOLS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
    weakref.WeakKeyDictionary()
)
"""The shared connection pool of each event loop (a pool cannot outlive its loop)."""

POOL_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)
"""httpx defaults: a larger pool is slower under load (bench/rest_overhead.py)."""


def shared_http() -> httpx.AsyncClient:
    """The connection pool every generated client shares in the running event loop.

    Each loop gets its own, so two ``asyncio.run()`` in a row, or a test client that
    runs each request in a new loop, never reuse a pool bound to a closed loop.
    """
    loop = asyncio.get_running_loop()
    pool = _POOLS.get(loop)
    if pool is None or pool.is_closed:
        pool = httpx.AsyncClient(
            timeout=rt.timeout(), limits=POOL_LIMITS
        )  # no redirects
        _POOLS[loop] = pool
    return pool


async def close_shared_http() -> None:
    """Close the running loop's shared pool (called on application shutdown)."""
    pool = _POOLS.pop(asyncio.get_running_loop(), None)
    if pool is not None:
        await pool.aclose()


def place(request: Outgoing, location: str, name: str, value: Any) -> None:
    """Put one consumed input on the request (query pairs, a header or a cookie); None
    sends nothing."""
    if value is None:
        return
    if location == "query":
        request.params.extend(rt.query_items(name, value))
    elif location == "header":
        request.headers[name] = rt.to_text(value)
    elif location == "cookie":
        request.cookies[name] = rt.to_text(value)


def multipart_parts(
    parts: Iterable[Mapping[str, Any]],
    args: Mapping[str, Any],
    binds: Mapping[str, str],
) -> list[tuple[str, Any]]:
    """httpx `files` for multipart parts: plain fields, or files with a name and content
    type."""
    out: list[tuple[str, Any]] = []
    for part in parts:
        value = rt.render_data(part.get("value"), args, binds)
        if value is None:
            continue
        content = (
            value if isinstance(value, bytes) else rt.to_text(value).encode("utf-8")
        )
        if part.get("filename"):
            filename = rt.render(str(part["filename"]), args, binds)
            out.append(
                (
                    part["name"],
                    (
                        filename,
                        content,
                        part.get("contentType") or "application/octet-stream",
                    ),
                )
            )
        else:
            out.append((part["name"], (None, content)))
    return out


def form_fields(
    data: Any, args: Mapping[str, Any], binds: Mapping[str, str]
) -> dict[str, str]:
    """Form or multipart fields from a `data` mapping, each value filled in as text."""
    filled = rt.render_data(data, args, binds)
    fields = rt.as_dict(filled)
    if fields is None:
        return {"data": rt.to_text(filled)}
    return {str(k): rt.to_text(v) for k, v in fields.items() if v is not None}


def binary_text(response: httpx.Response) -> str | None:
    """The body as text, or None when it is binary (octet-stream, or not valid
    UTF-8)."""
    if _answer.is_binary_type(response.headers.get("content-type", "")):
        return None
    try:
        return response.content.decode(response.encoding or "utf-8")
    except (UnicodeDecodeError, LookupError):
        return None


def decode_body(response: httpx.Response) -> Any:
    """The upstream body as JSON-like data (converted from its `outputRawFormat`), else
    its text.

    A binary body is never decoded as text: it comes back as ``{"contentType",
    "base64"}``.
    """
    if not response.content:
        return None
    raw_format = response.extensions.get(RAW_FORMAT, "json")
    text = None if raw_format in BINARY_FORMATS else binary_text(response)
    if text is None:
        kind = response.headers.get("content-type", "application/octet-stream")
        return {
            "contentType": kind,
            "base64": base64.b64encode(response.content).decode("ascii"),
        }
    try:
        if raw_format != "json":
            from . import _formats

            return _formats.convert(text, raw_format)
        return json.loads(text)
    except ValueError:
        return text
