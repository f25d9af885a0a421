"""The bounded read of binary answers (run-time module ``_http``, imported straight from
generator/emit/runtime/), against a real server that streams chunks without a length."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from generator.emit.runtime import _answer, _http


class _Chunked(BaseHTTPRequestHandler):
    """Answers ``/<n>`` with n bytes in 100-byte chunks, no Content-Length; counts what it sent."""

    protocol_version = "HTTP/1.1"
    sent: list[int] = []

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        total = int(self.path.strip("/"))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        written = 0
        try:
            while written < total:
                size = min(100, total - written)
                self.wfile.write(f"{size:x}\r\n".encode() + b"x" * size + b"\r\n")
                self.wfile.flush()
                written += size
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        _Chunked.sent.append(written)


@pytest.fixture
def chunked() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Chunked)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _get(url: str, max_bytes: int | None, media_type: str | None = None) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient() as http:
            request = _http.Outgoing("GET", url, raw_format="binary", max_bytes=max_bytes, media_type=media_type)
            return await _http.send(http, request, None, {})

    return asyncio.run(go())


def test_a_chunked_answer_within_the_cap_is_read_whole_and_typed(chunked: str) -> None:
    answer = _get(f"{chunked}/1000", 1000, "image/png")
    assert answer.content == b"x" * 1000 and answer.headers["content-type"] == "image/png"
    assert _http.decode_body(answer)["contentType"] == "image/png"


def test_a_chunked_answer_over_the_cap_is_refused_before_it_is_all_read(chunked: str) -> None:
    with pytest.raises(_answer.AnswerTooLarge, match="larger than maxBinarySize \\(500 bytes\\)"):
        _get(f"{chunked}/100000000", 500)
    assert _answer.AnswerTooLarge.status == 502


def test_a_streamed_passthrough_is_cut_off_at_the_cap(chunked: str) -> None:
    async def go(total: int) -> bytes:
        token = _answer.STREAM_BINARY.set(True)
        try:
            async with httpx.AsyncClient() as http:
                request = _http.Outgoing("GET", f"{chunked}/{total}", raw_format="binary", max_bytes=1000)
                answer = await _http.send(http, request, None, {})
                assert answer.extensions[_answer.STREAMED] is True
                try:
                    return b"".join([chunk async for chunk in answer.aiter_bytes()])
                finally:
                    await answer.aclose()
        finally:
            _answer.STREAM_BINARY.reset(token)

    assert asyncio.run(go(1000)) == b"x" * 1000
    with pytest.raises(_answer.AnswerTooLarge, match="maxBinarySize \\(1000 bytes\\)"):
        asyncio.run(go(100_000_000))
