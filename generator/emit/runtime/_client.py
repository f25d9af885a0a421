"""What the typed client methods share: mapped results, public errors, the sync
transport.

Builds on ``_http`` (requests, auth, decoding) and ``_errors``. This module has no
dependency on naftiko-gen or on a web framework.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Generator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx

from . import _answer, _http
from . import _runtime as rt
from ._errors import UpstreamError, UpstreamTimeout, UpstreamUnreachable


def _whole(rule: Mapping[str, Any]) -> bool:
    """True for a rule mapping the whole body (``$.``) with nothing else to build."""
    shaped = any(key in rule for key in ("value", "const", "properties", "items"))
    return not shaped and str(rule.get("mapping", "")).strip() in ("$", "$.")


def result(
    response: httpx.Response,
    rules: Sequence[Mapping[str, Any]],
    args: Mapping[str, Any],
    binds: Mapping[str, str],
) -> Any:
    """The operation's mapped output; UpstreamError for a 4xx or 5xx answer.

    No rules, or one rule mapping ``$.``, give the whole body (converted to its
    declared type); named rules give an object with one key per rule.
    """
    body = _http.decode_body(response)
    if response.status_code >= 400:
        raise UpstreamError(
            f"upstream answered HTTP {response.status_code}",
            status=response.status_code,
            body=body,
        )
    if not rules:
        return body
    if len(rules) == 1 and _whole(rules[0]):
        return rt.map_output(rules[0], body, args, binds)
    return rt.map_outputs(list(rules), body, args, binds)


@contextmanager
def public_errors() -> Generator[None, None, None]:
    """Turn httpx failures into the package's public errors (timeout, unreachable)."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise UpstreamTimeout(_answer.failure_text(exc)) from exc
    except httpx.HTTPError as exc:
        raise UpstreamUnreachable(_answer.failure_text(exc)) from exc


_sync_pool: httpx.Client | None = None
_SYNC_LOCK = threading.Lock()


def shared_sync_http() -> httpx.Client:
    """The process-wide pool of the sync clients (an httpx.Client is thread-safe)."""
    global _sync_pool
    with _SYNC_LOCK:
        if _sync_pool is None or _sync_pool.is_closed:
            # httpx follows no redirect by default, as the async pool
            _sync_pool = httpx.Client(timeout=rt.timeout(), limits=_http.POOL_LIMITS)
        return _sync_pool


def close_shared_sync_http() -> None:
    """Close the sync pool; the next sync call opens a new one."""
    global _sync_pool
    with _SYNC_LOCK:
        if _sync_pool is not None:
            _sync_pool.close()
            _sync_pool = None


def _apply_auth_sync(
    request: _http.Outgoing, auth: Mapping[str, Any] | None, binds: Mapping[str, str]
) -> None:
    """Upstream credentials for a sync call.

    Every kind but oauth2 is filled in without I/O; an oauth2 token is fetched (or
    taken from the shared cache) on a private event loop in a worker thread, so this
    also works where a loop is already running (a notebook).
    """
    if not auth or auth.get("kind") != "oauth2":
        _drive(_http.apply_auth(request, auth, _NO_HTTP, binds))
        return

    async def fetch() -> None:
        async with httpx.AsyncClient(timeout=rt.timeout()) as http:
            await _http.apply_auth(request, auth, http, binds)

    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, fetch()).result()


_NO_HTTP: Any = None
"""Stands for the async pool where the auth kind sends nothing (never used)."""


def _drive(coroutine: Any) -> None:
    """Run a coroutine that never suspends (auth kinds without I/O) to its end."""
    try:
        coroutine.send(None)
    except StopIteration:
        return
    coroutine.close()
    raise RuntimeError("authentication needed I/O on the sync path")  # pragma: no cover


def _finish_sync(response: httpx.Response, request: _http.Outgoing) -> httpx.Response:
    """The answer read within the limit (the operation's `maxBinarySize`, else
    ``NAFTIKO_MAX_ANSWER_BYTES``), as the async path reads it; a sync client never
    streams."""
    if request.media_type:
        response.headers["content-type"] = request.media_type
        response.extensions[_http.MEDIA_DECLARED] = True
    limit = request.max_bytes
    try:
        body = _answer.read_limited_sync(response, limit or _answer.answer_limit())
    except _answer.AnswerTooLarge:
        if limit is None:
            raise
        message = (
            f"the answer of {request.method} {request.url} is larger than maxBinarySize"
        )
        raise _answer.AnswerTooLarge(f"{message} ({limit} bytes)") from None
    finally:
        response.close()
    return _answer.as_read(response, body)


def send_sync(
    http: httpx.Client,
    request: _http.Outgoing,
    auth: Mapping[str, Any] | None,
    binds: Mapping[str, str],
) -> httpx.Response:
    """Authenticate and send on a sync pool, retrying and reading like
    ``_http.send``."""
    _apply_auth_sync(request, auth, binds)
    attempts = _http.attempts_for(request)
    for attempt in range(attempts):
        try:
            outgoing = _http.build_request(http, request)
            response = http.send(
                outgoing, auth=request.auth or httpx.USE_CLIENT_DEFAULT, stream=True
            )
            response.extensions[_http.RAW_FORMAT] = request.raw_format
            return _finish_sync(response, request)
        except _http.RETRYABLE_ERRORS:
            if attempt + 1 >= attempts:
                raise
            time.sleep(0.05 * (2**attempt))
    raise AssertionError("unreachable")  # pragma: no cover
