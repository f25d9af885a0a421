"""REST contracts the generated routers enforce and document.

- JSON bodies are parsed strictly: UTF-8 only, no ``NaN``/``Infinity`` (nor a number too
  large for a float), no lone surrogate. Anything else is FastAPI's 422
  ``json_invalid``.
- Other HTTP errors FastAPI raises (a body it cannot parse, an unknown path, a wrong
  method) answer ``application/problem+json``.
- The OpenAPI document lists the upstream statuses passed through (``4XX``, ``5XX``, an
  upstream 422 beside FastAPI's), with the content types they may carry.

This module has no dependency on naftiko-gen.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Coroutine
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import (
    validation_error_definition,
    validation_error_response_definition,
)
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from . import _rest as rest
from . import _runtime as rt

PROBLEM = "application/problem+json"
JSON = "application/json"
VALIDATION_REF = "#/components/schemas/HTTPValidationError"
PASSED_THROUGH: dict[str, Any] = {"*/*": {"schema": {}}}
"""What an upstream answer passed through may hold: any content type, any body."""


PASSTHROUGH_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The upstream's answer as it came (status, body, content type)",
        "content": PASSED_THROUGH,
    },
    **rest.ERROR_RESPONSES,
}
"""The responses of a route answering the upstream's body as it is (no mapping)."""


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is out of range for a number")
    return number


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    mapping, items = rt.as_dict(value), rt.as_list(value)
    if mapping is not None:
        return any(map(_has_lone_surrogate, [*mapping, *mapping.values()]))
    if items is not None:
        return any(_has_lone_surrogate(item) for item in items)
    return False


def strict_json(body: bytes) -> Any:
    """A JSON body; json.JSONDecodeError (FastAPI's 422) for anything not plain JSON."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise json.JSONDecodeError("the body is not UTF-8", "", exc.start) from None
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except json.JSONDecodeError:
        raise
    except ValueError as exc:
        raise json.JSONDecodeError(str(exc), text, 0) from None
    if "\\u" in text and _has_lone_surrogate(value):
        message = "a string holds a lone surrogate (not Unicode text)"
        raise json.JSONDecodeError(message, text, 0)
    return value


class StrictRequest(Request):
    """A request whose ``json()`` is ``strict_json``."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = strict_json(await self.body())
        return self._json


class StrictRoute(APIRoute):
    """The route class of the generated routers: endpoints see a ``StrictRequest``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(StrictRequest(request.scope, request.receive))

        return strict


def http_problem(request: Request, exc: Exception) -> Response:
    """FastAPI's and Starlette's HTTP errors (400, 404, 405...) as problem+json."""
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": str(exc.detail),
    }
    return JSONResponse(body, status, exc.headers, PROBLEM)


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
}
"""RFC 9457 problem details, as the adapter writes them."""


def _document_passthrough(schema: dict[str, Any]) -> None:
    """Every error status an operation may answer, the upstream's passed through."""
    ranges = {
        "2XX": "Another upstream success status, passed through",
        "4XX": "The upstream's client error, passed through with its body",
        "5XX": "The upstream's server error, passed through with its body",
    }
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            if "422" in responses:
                _document_422(schema, responses["422"])
            for status, description in ranges.items():
                responses.setdefault(status, {"description": description})
            for status, response in responses.items():
                if status[0] in "45" and status != "422":
                    content = response.setdefault("content", {})
                    if status[1:] != "XX":
                        content.setdefault(PROBLEM, {"schema": PROBLEM_SCHEMA})
                    content.update(PASSED_THROUGH)
                elif status == "2XX":
                    response.setdefault("content", dict(PASSED_THROUGH))


def _document_422(schema: dict[str, Any], response: dict[str, Any]) -> None:
    """A 422 is FastAPI's validation error (its schema kept, or put back when a listed
    422 made FastAPI leave it out), the adapter's own problem, or the upstream's 422."""
    content = response.setdefault("content", {})
    validation = content.setdefault(JSON, {}).get("schema", {"$ref": VALIDATION_REF})
    upstream_422 = {"description": "an upstream 422 answer, passed through"}
    content[JSON]["schema"] = {"anyOf": [validation, upstream_422]}
    content.setdefault(PROBLEM, {"schema": PROBLEM_SCHEMA})
    content.update(PASSED_THROUGH)
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ValidationError", validation_error_definition)
    schemas.setdefault("HTTPValidationError", validation_error_response_definition)


def install(app: FastAPI) -> None:
    """Problem+json for HTTP errors; passed-through statuses in ``/openapi.json``."""
    app.add_exception_handler(HTTPException, http_problem)
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _document_passthrough(build())
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
