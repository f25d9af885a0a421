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


class LimitedReader:
    """An answer's body collected chunk by chunk and decompressed in bounded steps;
    AnswerTooLarge as soon as it would pass ``limit`` bytes. ``raw`` says whether to
    feed
    it the raw bytes (identity, gzip, deflate: decompressed here) or httpx's decoded
    ones."""

    def __init__(self, response: httpx.Response, limit: int) -> None:
        encoding = response.headers.get("content-encoding", "").strip().lower()
        declared = response.headers.get("content-length", "")
        if (
            encoding in ("", "identity")
            and declared.isdigit()
            and int(declared) > limit
        ):
            raise _too_large(limit)
        compressed = encoding in ("gzip", "x-gzip", "deflate")
        self.encoding, self.limit = encoding, limit
        self.raw = compressed or encoding in ("", "identity")
        self.decoder = _decompressor(encoding) if compressed else None
        self.first = True
        self.total = 0
        self.chunks: list[bytes] = []

    def feed(self, data: bytes) -> None:
        if self.decoder is None:
            self._keep(data)
            return
        while data:
            try:
                piece = self.decoder.decompress(data, self.limit - self.total + 1)
            except zlib.error:
                if not (self.first and self.encoding == "deflate"):
                    raise httpx.DecodingError("bad compressed answer") from None
                self.decoder, self.first = zlib.decompressobj(-zlib.MAX_WBITS), False
                continue
            self.first = False
            self._keep(piece)
            data = self.decoder.unconsumed_tail

    def _keep(self, piece: bytes) -> None:
        self.total += len(piece)
        if self.total > self.limit:
            raise _too_large(self.limit)
        self.chunks.append(piece)

    def body(self) -> bytes:
        return b"".join(self.chunks)


async def read_limited(response: httpx.Response, limit: int) -> bytes:
    """The body of a streamed async answer, read within ``limit`` (see
    LimitedReader)."""
    reader = LimitedReader(response, limit)
    async for data in response.aiter_raw() if reader.raw else response.aiter_bytes():
        reader.feed(data)
    return reader.body()


def read_limited_sync(response: httpx.Response, limit: int) -> bytes:
    """The body of a streamed sync answer, read within ``limit`` (see LimitedReader)."""
    reader = LimitedReader(response, limit)
    for data in response.iter_raw() if reader.raw else response.iter_bytes():
        reader.feed(data)
    return reader.body()


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
