"""REST helpers: response shaping (mapped output, passthrough, problem+json), input
validators (the auth dependency is ``_auth.guard``)."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import httpx
from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import AfterValidator

from . import _http
from . import _runtime as rt

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
    502: {"description": "Upstream unreachable (application/problem+json)"},
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
    503: {"description": "The server-side secret is not set (application/problem+json)"},
}


def problem(status: int, title: str, detail: str) -> JSONResponse:
    """An RFC 9457 problem document."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def passthrough(upstream: httpx.Response) -> Response:
    """The upstream answer as it came: status, bytes and content type."""
    return Response(
        content=upstream.content,
        status_code=upstream.status_code,
        media_type=upstream.headers.get("content-type"),
    )


async def respond(
    call: Callable[[], Awaitable[httpx.Response]],
    outputs: Sequence[Mapping[str, Any]],
    args: Mapping[str, Any],
    binds: Mapping[str, str],
) -> Response:
    """Run an upstream call and shape its answer for the REST caller."""
    try:
        upstream = await call()
    except rt.AdapterError as exc:
        return problem(exc.status, exc.title, str(exc))
    except httpx.TimeoutException as exc:
        return problem(
            504, "Upstream timeout", f"the upstream did not answer in time ({type(exc).__name__})"
        )
    except httpx.HTTPError as exc:
        return problem(502, "Upstream unreachable", f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # a bug here must still answer a problem, never a traceback
        LOG.exception("unexpected error while calling the upstream")
        return problem(
            500,
            "Adapter error",
            f"{type(exc).__name__} while calling the upstream (see the server log)",
        )
    if upstream.status_code >= 400 or rt.is_whole_document(outputs):
        return passthrough(upstream)
    document = _http.decode_body(upstream)
    if document is None:
        return Response(status_code=upstream.status_code)
    return JSONResponse(
        rt.map_outputs(outputs, document, args, binds), status_code=upstream.status_code
    )


def mock(
    outputs: Sequence[Mapping[str, Any]], args: Mapping[str, Any], binds: Mapping[str, str]
) -> Response:
    """Answer from static output values, with no upstream call."""
    return JSONResponse(rt.map_outputs(outputs, None, args, binds))


def not_implemented(detail: str) -> Response:
    return problem(501, "Not implemented", detail)


def pattern(regex: str) -> AfterValidator:
    """A validator for a declared `pattern`: a non-matching value is a 422 naming the
    pattern.

    Python's ``re`` (searched, as JSON Schema does) so every pattern the generator
    accepted works; the pattern also goes into the OpenAPI schema.
    """
    compiled = re.compile(regex)

    def check(value: Any) -> Any:
        if isinstance(value, str) and compiled.search(value) is None:
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
    LOG.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, "Adapter error", f"{type(exc).__name__} while handling the request")
