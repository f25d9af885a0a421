"""REST helpers: response shaping (mapped output, passthrough, problem+json), input
validators (the auth dependency is ``_auth.guard``)."""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import httpx
from fastapi import Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import AfterValidator
from starlette.background import BackgroundTask

from . import _answer, _http
from . import _runtime as rt
from . import _secrets

LOG = logging.getLogger(__name__)

PROBLEM = "application/problem+json"

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    500: {
        "description": "The adapter is not configured: a base URL or secret is missing"
        " (application/problem+json)"
    },
    501: {
        "description": "The spec's call could not be resolved"
        " (application/problem+json)"
    },
    413: {"description": "The request body is too large (application/problem+json)"},
    422: {"description": "An input is not valid, or a path value would climb out"},
    502: {
        "description": "Upstream unreachable, or its answer too large (problem+json)"
    },
    504: {"description": "Upstream timed out (application/problem+json)"},
    "5XX": {
        "description": "The upstream's server error, passed through with its body"
        " (as are its 4xx errors)"
    },
}
"""Documented on every route ("4XX" is left out: FastAPI would then drop its 422
schema)."""

AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or wrong credentials (application/problem+json)"},
    503: {
        "description": "The server-side secret is not set (application/problem+json)"
    },
}


def problem(status: int, title: str, detail: str) -> JSONResponse:
    """An RFC 9457 problem document."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def passthrough(upstream: httpx.Response, declared: str | None = None) -> Response:
    """The upstream answer as it came: status, bytes and content type (octet-stream, the
    HTTP default, when the upstream names none; an error body with every secret the
    adapter holds masked; an unread binary body streamed). A route's ``declared``
    binary media type wins over the upstream's, not over the consumed operation's
    `outputMediaType`."""
    media_type = upstream.headers.get("content-type", "application/octet-stream")
    chosen = upstream.extensions.get(_http.MEDIA_DECLARED)
    if declared and upstream.status_code < 400 and not chosen:
        media_type = declared
    if upstream.extensions.get(_answer.STREAMED):
        return StreamingResponse(
            upstream.aiter_bytes(),
            status_code=upstream.status_code,
            media_type=media_type,
            background=BackgroundTask(upstream.aclose),
        )
    content = upstream.content
    if upstream.status_code >= 400:
        content = _secrets.scrub_bytes(content)
    return Response(
        content=content, status_code=upstream.status_code, media_type=media_type
    )


def failure(exc: Exception) -> JSONResponse:
    """The problem answer for a failed upstream call: a fixed text per kind of failure,
    the detail (secrets masked) in the server log only."""
    if isinstance(exc, rt.AdapterError):
        return problem(exc.status, exc.title, _secrets.scrub(str(exc)))
    if isinstance(exc, httpx.HTTPError):
        LOG.warning(
            "upstream call failed: %s: %s", type(exc).__name__, _secrets.scrub(str(exc))
        )
        if isinstance(exc, httpx.TimeoutException):
            return problem(504, "Upstream timeout", _answer.failure_text(exc))
        return problem(502, "Upstream unreachable", _answer.failure_text(exc))
    LOG.error(
        "unexpected error while calling the upstream: %s", _secrets.scrub(repr(exc))
    )
    return problem(
        500,
        "Adapter error",
        "an unexpected error while calling the upstream (see the log)",
    )


async def respond(
    call: Callable[[], Awaitable[httpx.Response]],
    outputs: Sequence[Mapping[str, Any]],
    args: Mapping[str, Any],
    binds: Mapping[str, str],
    media_type: str | None = None,
) -> Response:
    """Run an upstream call and shape its answer for the REST caller (``media_type``:
    the route's declared binary response type)."""
    streaming = _answer.STREAM_BINARY.set(rt.is_whole_document(outputs))
    try:
        upstream = await call()
    except (
        Exception
    ) as exc:  # a bug here must still answer a problem, never a traceback
        return failure(exc)
    finally:
        _answer.STREAM_BINARY.reset(streaming)
    if upstream.status_code >= 400 or rt.is_whole_document(outputs):
        return passthrough(upstream, media_type)
    document = _http.decode_body(upstream)
    if document is None:
        return Response(status_code=upstream.status_code)
    return JSONResponse(
        rt.map_outputs(outputs, document, args, binds), status_code=upstream.status_code
    )


def mock(
    outputs: Sequence[Mapping[str, Any]],
    args: Mapping[str, Any],
    binds: Mapping[str, str],
) -> Response:
    """Answer from static output values, with no upstream call."""
    return JSONResponse(rt.map_outputs(outputs, None, args, binds))


def not_implemented(detail: str) -> Response:
    return problem(501, "Not implemented", detail)


def _matcher(regex: str) -> Callable[[str], bool]:
    """A search with the linear-time RE2 engine (google-re2) when it is installed and
    takes the pattern, else with Python's ``re`` (backreferences, lookarounds:
    NG323)."""
    try:
        re2 = importlib.import_module("re2")  # optional, and without type stubs

        options = re2.Options()
        options.log_errors = False
        compiled2 = re2.compile(regex, options)
        return lambda value: compiled2.search(value) is not None
    except Exception:  # not installed, or a construct RE2 does not have
        compiled = re.compile(regex)
        return lambda value: compiled.search(value) is not None


def pattern(regex: str) -> AfterValidator:
    """A validator for a declared `pattern`: a non-matching value is a 422 naming the
    pattern.

    Searched, as JSON Schema does, in linear time with RE2 where it can be; the pattern
    also goes into the OpenAPI schema.
    """
    matches = _matcher(regex)

    def check(value: Any) -> Any:
        if isinstance(value, str) and not matches(value):
            raise ValueError(f"does not match the pattern {regex!r}")
        return value

    return AfterValidator(check)


def _ascii(value: Any) -> Any:
    items: list[Any] = rt.as_list(value) or [value]
    for item in items:
        if isinstance(item, str) and not item.isascii():
            raise ValueError("header values sent upstream must be ASCII text")
    return value


HEADER_TEXT = AfterValidator(_ascii)
"""A header input is forwarded as a header: non-ASCII text is a 422, not a failed
upstream call."""


def crashed(request: Request, exc: Exception) -> Response:
    """The last-resort handler: an unexpected error is a 500 problem, never a traceback
    page."""
    LOG.error(
        "unhandled error on %s %s", request.method, request.url.path, exc_info=exc
    )
    return problem(
        500, "Adapter error", "an unexpected error while handling the request"
    )
