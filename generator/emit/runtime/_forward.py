"""`forward`: proxy a REST resource to a consumes namespace (method, body, query
kept)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response

from . import _http
from . import _rest as rest


def target_path(tail: str) -> str | None:
    """The forwarded path, percent-encoded per segment; None when it would climb out
    (``..``)."""
    segments = tail.lstrip("/").split("/")
    if any(s in (".", "..") for s in segments):
        return None
    return "/" + "/".join(quote(s, safe="") for s in segments)


async def proxy(request: Request, client: Any, tail: str, trusted: list[str]) -> Response:
    """Send the caller's request to the client's base URL + tail; answer with the
    upstream's reply.

    Only ``trusted`` headers are copied (case-insensitive); the consumes namespace's own
    inputs and authentication are applied by the client.
    """
    path = target_path(tail)
    if path is None:
        return rest.problem(400, "Bad forward path", "'.' and '..' segments are not forwarded")

    async def call() -> Any:
        outgoing = _http.Outgoing(request.method, client.base_url() + path)
        outgoing.params = list(request.query_params.multi_items())
        wanted = {h.lower() for h in trusted}
        outgoing.headers = {k: v for k, v in request.headers.items() if k.lower() in wanted}
        body = await request.body()
        if body:
            outgoing.content = body
            if "content-type" in request.headers:
                outgoing.headers["Content-Type"] = request.headers["content-type"]
        return await client.send(outgoing)

    return await rest.respond(call, [], {}, {})
