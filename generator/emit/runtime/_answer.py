"""Upstream answers read within limits: the body is read chunk by chunk and
decompressed in bounded steps, so no answer (nor a compression bomb) takes more memory
than the limit; a binary answer for a REST passthrough is left unread, to be streamed.

This module has no dependency on naftiko-gen or on a web framework.
"""

from __future__ import annotations

import contextvars
import os
import zlib
from typing import Any

import httpx

from . import _runtime as rt

ANSWER_LIMIT_ENV = "NAFTIKO_MAX_ANSWER_BYTES"
DEFAULT_ANSWER_LIMIT = 10 * 1024 * 1024
"""An upstream answer is read up to this many bytes (after decompression), no more."""
STREAM_BINARY: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "naftiko_stream_binary", default=False
)
"""Set by a REST passthrough: a binary answer is then handed on unread, as a stream."""
STREAMED = "naftiko.streamed"
"""Response extension: True when the body was left unread for the caller to stream."""
FAILURES: tuple[tuple[type[Exception], str], ...] = (
    (httpx.TimeoutException, "the upstream timed out (no answer in time)"),
    (httpx.ConnectError, "the upstream is unreachable (no connection)"),
    (httpx.RemoteProtocolError, "the upstream's answer was not valid HTTP"),
    (httpx.DecodingError, "the upstream's answer could not be decoded"),
    (
        httpx.LocalProtocolError,
        "the upstream request could not be sent (a header or value is not valid HTTP)",
    ),
    (httpx.InvalidURL, "the upstream URL is not valid"),
    (httpx.UnsupportedProtocol, "the upstream URL is not valid"),
)
"""The fixed text a caller reads for each kind of transport failure (never the error's
own text, which can quote a secret header)."""


class AnswerTooLarge(rt.AdapterError):
    """The upstream answer is larger than the adapter reads."""

    status = 502
    title = "Upstream answer too large"


def answer_limit() -> int:
    """The most bytes read from one upstream answer (``NAFTIKO_MAX_ANSWER_BYTES``)."""
    try:
        return max(1, int(os.environ.get(ANSWER_LIMIT_ENV, DEFAULT_ANSWER_LIMIT)))
    except ValueError:
        return DEFAULT_ANSWER_LIMIT


def failure_text(exc: BaseException) -> str:
    """The caller-facing text for a transport failure."""
    for kind, text in FAILURES:
        if isinstance(exc, kind):
            return text
    return "the upstream call failed"


def _too_large(limit: int) -> AnswerTooLarge:
    return AnswerTooLarge(
        f"the upstream answer is larger than {limit} bytes"
        f" (set {ANSWER_LIMIT_ENV} to change the limit)"
    )


def _decompressor(encoding: str) -> Any:
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(zlib.MAX_WBITS | 16)
    return zlib.decompressobj(zlib.MAX_WBITS)


async def read_limited(response: httpx.Response, limit: int) -> bytes:
    """The body, read chunk by chunk and decompressed in bounded steps; AnswerTooLarge
    as soon as it would pass ``limit`` bytes."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    declared = response.headers.get("content-length", "")
    if encoding in ("", "identity") and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    total = 0
    if encoding in ("gzip", "x-gzip", "deflate"):
        decoder = _decompressor(encoding)
        first = True
        async for data in response.aiter_raw():
            while data:
                try:
                    piece = decoder.decompress(data, limit - total + 1)
                except zlib.error:
                    if not (first and encoding == "deflate"):
                        raise httpx.DecodingError("bad compressed answer") from None
                    decoder, first = zlib.decompressobj(-zlib.MAX_WBITS), False
                    continue
                first = False
                total += len(piece)
                if total > limit:
                    raise _too_large(limit)
                chunks.append(piece)
                data = decoder.unconsumed_tail
        return b"".join(chunks)
    stream = response.aiter_bytes() if encoding not in ("", "identity") else None
    async for data in stream or response.aiter_raw():
        total += len(data)
        if total > limit:
            raise _too_large(limit)
        chunks.append(data)
    return b"".join(chunks)


def as_read(response: httpx.Response, body: bytes) -> httpx.Response:
    """A response holding ``body`` (already decoded), headers and extensions kept."""
    dropped = {"content-encoding", "content-length", "transfer-encoding"}
    headers = [
        (k, v) for k, v in response.headers.multi_items() if k.lower() not in dropped
    ]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=body,
        request=response.request,
        extensions=dict(response.extensions),
    )


def is_binary_type(content_type: str) -> bool:
    """True for octet-stream, image, audio, video and font content types."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind == "application/octet-stream" or kind.startswith(
        ("image/", "audio/", "video/", "font/")
    )
