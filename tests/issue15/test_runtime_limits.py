"""Issue 15: the run-time limit and secret helpers on their own, against a real upstream
(straight from generator/emit/runtime/, the files every package gets)."""

from __future__ import annotations

import asyncio
import gzip
import logging
import zlib
from collections.abc import Iterator

import httpx
import pytest

from generator.emit.runtime import _answer, _http, _secrets
from generator.emit.runtime import _runtime as rt
from tests.issue15.support import Answer, Upstream, start_upstream

BODY = b'{"items": [' + b",".join(b'{"n": %d}' % i for i in range(2000)) + b"]}"


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    up = start_upstream()
    yield up
    up.close()


def fetch(upstream: Upstream, path: str, limit: int, monkeypatch: pytest.MonkeyPatch) -> httpx.Response:
    monkeypatch.setenv(_answer.ANSWER_LIMIT_ENV, str(limit))

    async def go() -> httpx.Response:
        async with httpx.AsyncClient() as client:
            return await _http.send(client, _http.Outgoing("GET", upstream.url + path), None, {})

    return asyncio.run(go())


@pytest.mark.parametrize(
    "encoding, packed",
    [
        ("gzip", gzip.compress(BODY)),
        ("deflate", zlib.compress(BODY)),  # zlib-wrapped, as the RFC says
        ("deflate", zlib.compress(BODY)[2:-4]),  # raw deflate, as some servers send
        ("identity", BODY),
    ],
)
def test_compressed_answers_within_the_limit_decode(
    upstream: Upstream, monkeypatch: pytest.MonkeyPatch, encoding: str, packed: bytes
) -> None:
    upstream.answers["/c"] = Answer(200, packed, {"Content-Type": "application/json", "Content-Encoding": encoding})
    answer = fetch(upstream, "/c", len(BODY), monkeypatch)
    assert answer.content == BODY and answer.json()["items"][1999] == {"n": 1999}
    assert "content-encoding" not in answer.headers
    with pytest.raises(_answer.AnswerTooLarge):
        fetch(upstream, "/c", len(BODY) - 1, monkeypatch)


def test_a_corrupt_compressed_answer_is_a_decoding_error(upstream: Upstream, monkeypatch: pytest.MonkeyPatch) -> None:
    upstream.answers["/bad"] = Answer(200, b"\x1f\x8bnot gzip at all", {"Content-Encoding": "gzip"})
    with pytest.raises(httpx.DecodingError):
        fetch(upstream, "/bad", 1000, monkeypatch)
    assert _answer.failure_text(httpx.DecodingError("x")) == "the upstream's answer could not be decoded"


def test_secrets_are_checked_when_read() -> None:
    assert _secrets.checked("V", "tok-1234\n") == "tok-1234"
    assert _secrets.checked("V", "tok-1234\r\n") == "tok-1234"
    for bad in ("tok-1234\n\n", "a\nb", "a\rb", "a\0b", "a\x1bb", "a\x7fb"):
        with pytest.raises(ValueError, match="the secret in V holds a control character") as caught:
            _secrets.checked("V", bad)
        assert bad not in str(caught.value)


def test_scrub_masks_secrets_their_encodings_and_credential_query_values() -> None:
    _secrets.remember("s3cr et/x")
    _secrets.secret_query_name("token_q")
    text = "a s3cr et/x b s3cr%20et%2Fx c s3cr+et%2Fx GET /p?token_q=zzz&k=v"
    assert _secrets.scrub(text) == "a *** b *** c *** GET /p?token_q=***&k=v"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s %s", ("s3cr et/x", 3), None)
    _secrets.Redact().filter(record)
    assert record.getMessage() == "*** 3"


@pytest.mark.parametrize("value, refused", [
    ("..", True), (".", True), ("a/b", True), ("a\\b", True), ("%2E%2e", True),
    ("%252e%252e", True), ("%25252f", True), ("...", False), ("a.b", False), ("%", False),
    ("%zz", False), ("a%20b", False),
])
def test_climbing_values(value: str, refused: bool) -> None:
    assert rt.climbs(value) is refused
