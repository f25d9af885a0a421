"""`forward`: proxy a REST resource to a consumes namespace (method, body, query
kept)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response

from . import _http
from . import _rest as rest
from . import _runtime as rt

NEVER_FORWARDED = frozenset(
    {
        "connection",
        "transfer-encoding",
        "content-length",
        "host",
        "te",
        "trailer",
        "upgrade",
        "keep-alive",
    }
)
"""Hop-by-hop and framing headers: never copied, whatever ``trustedHeaders`` says (nor
any ``Proxy-*`` header)."""


def auth_headers(auth: Any) -> set[str]:
    """The (lower-case) headers the consumes namespace's own authentication sets."""
    if not auth:
        return set()
    if auth.get("kind") == "apikey":
        placement = auth.get("placement", "header")
        if placement == "header":
            return {str(auth.get("key", "")).lower()}
        return {"cookie"} if placement == "cookie" else set()
    return {"authorization"}


def copied(name: str, wanted: set[str], own: set[str]) -> bool:
    """True when a caller's header ``name`` is passed on upstream."""
    lower = name.lower()
    if lower in NEVER_FORWARDED or lower.startswith("proxy-") or lower in own:
        return False
    return lower in wanted


def target_path(tail: str) -> str | None:
    """The forwarded path, percent-encoded per segment; None when it would climb out
    (``..``)."""
    segments = tail.lstrip("/").split("/")
    if any(rt.climbs(s) for s in segments):
        return None
    return "/" + "/".join(quote(s, safe="") for s in segments)


async def proxy(
    request: Request, client: Any, tail: str, trusted: list[str]
) -> Response:
    """Send the caller's request to the client's base URL + tail; answer with the
    upstream's reply.

    Only ``trusted`` headers are copied (case-insensitive), never a hop-by-hop or
    framing header and never one the consumes namespace's own authentication sets; its
    inputs and authentication are applied by the client.
    """
    path = target_path(tail)
    if path is None:
        return rest.problem(
            400,
            "Bad forward path",
            "'.' and '..' segments (also percent-encoded) and '\\' are not forwarded",
        )
    body = await request.body()  # bounded by the request body limit (413)
    wanted = {h.lower() for h in trusted}
    own = auth_headers(getattr(client, "auth", None))

    async def call() -> Any:
        outgoing = _http.Outgoing(request.method, client.base_url() + path)
        outgoing.params = list(request.query_params.multi_items())
        outgoing.headers = {
            k: v for k, v in request.headers.items() if copied(k, wanted, own)
        }
        if body:
            outgoing.content = body
            if "content-type" in request.headers:
                outgoing.headers["Content-Type"] = request.headers["content-type"]
        return await client.send(outgoing)

    return await rest.respond(call, [], {}, {})
