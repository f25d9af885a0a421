"""Issue 15: attacks on a running generated REST adapter (secrets, paths, forward, bodies,
answers, slow clients), with a recording upstream, memory read from /proc/PID/status."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.issue15.support import (
    API_TOKEN, INBOUND, SPACED_TOKEN, Answer, Running, Upstream, chunks, generate, gzip_bomb,
    serve, start_upstream,
)

AUTH = {"Authorization": f"Bearer {INBOUND}"}
MIB = 1024 * 1024
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hardened")
    (root / "docs").mkdir()
    generate(root, root / "docs")
    return root


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    up = start_upstream()
    yield up
    up.close()


@pytest.fixture(scope="module")
def adapter(out: Path, upstream: Upstream) -> Iterator[Running]:
    env = {
        "API_BASE_URL": upstream.url, "SPACED_BASE_URL": upstream.url,
        "BROKEN_BASE_URL": upstream.url,
        "H_API_TOKEN": API_TOKEN + "\n",  # a file-mounted secret: one newline dropped
        "H_SPACED_TOKEN": SPACED_TOKEN,  # h11 refuses it: the error must not quote it
        "H_BROKEN_TOKEN": "brk-SECRET-77\r\nX-Injected: 1",
        "H_INBOUND_TOKEN": INBOUND,
        "NAFTIKO_MAX_REQUEST_BYTES": str(MIB),
        "NAFTIKO_MAX_ANSWER_BYTES": str(2 * MIB),
        "NAFTIKO_HEADER_TIMEOUT": "1.5",
        "NAFTIKO_MAX_HEADER_BYTES": "8192",
        "NAFTIKO_HTTP_RETRIES": "0",
    }
    with serve(out / "pkg", env, "rest") as running:
        yield running


@pytest.fixture()
def up(upstream: Upstream) -> Upstream:
    upstream.seen.clear()
    upstream.answers.clear()
    return upstream


def baseline(adapter: Running) -> int:
    return adapter.memory_kib("VmRSS")


# --------------------------------------------------------------------------- 1 secrets


def test_secret_read_with_trailing_newline_is_sent_without_it(adapter: Running, up: Upstream) -> None:
    answer = httpx.get(adapter.url + "/items/a1", headers=AUTH)
    assert answer.status_code == 200, answer.text
    assert up.seen[-1].headers["authorization"] == f"Bearer {API_TOKEN}"


def test_transport_errors_never_echo_the_secret(adapter: Running, up: Upstream) -> None:
    answer = httpx.get(adapter.url + "/spaced", headers=AUTH)
    assert answer.status_code == 502 and answer.headers["content-type"] == PROBLEM
    assert answer.json()["detail"] == (
        "the upstream request could not be sent (a header or value is not valid HTTP)"
    )
    assert "SECRET" not in answer.text and up.seen == []
    assert "spc-SECRET" not in adapter.log_text()
    assert "upstream call failed: LocalProtocolError" in adapter.log_text()


def test_control_characters_in_a_secret_name_the_variable_not_the_value(
    adapter: Running, up: Upstream
) -> None:
    answer = httpx.get(adapter.url + "/broken", headers=AUTH)
    assert answer.status_code == 500, answer.text
    assert "H_BROKEN_TOKEN" in answer.json()["detail"]
    assert "brk-SECRET" not in answer.text and "Injected" not in answer.text
    assert up.seen == []


def test_upstream_error_bodies_are_scrubbed(adapter: Running, up: Upstream) -> None:
    up.answers["/items/x"] = Answer(401, f'{{"error": "token {API_TOKEN} refused"}}'.encode())
    answer = httpx.get(adapter.url + "/items/x", headers=AUTH)
    assert answer.status_code == 401
    assert API_TOKEN not in answer.text and "***" in answer.text


# --------------------------------------------------------------------------- 2 paths


@pytest.mark.parametrize("raw", ["%2E%2E", "%2e", "%252E%252E", "a%5Cb", "%25252Fetc", "..%255Cx"])
def test_dot_segments_and_separators_are_refused(adapter: Running, up: Upstream, raw: str) -> None:
    with httpx.Client() as client:
        answer = client.send(client.build_request("GET", httpx.URL(adapter.url + "/items/" + raw), headers=AUTH))
    assert answer.status_code == 422, (raw, answer.status_code, answer.text)
    assert answer.json()["title"] == "Invalid input"
    assert up.seen == []


def test_a_plain_value_still_goes_out_as_one_segment(adapter: Running, up: Upstream) -> None:
    answer = httpx.get(adapter.url + "/items/a%20b%3F", headers=AUTH)
    assert answer.status_code == 200
    assert up.seen[-1].path == "/items/a%20b%3F"


def test_forward_refuses_encoded_dot_segments(adapter: Running, up: Upstream) -> None:
    with httpx.Client() as client:
        request = client.build_request("GET", httpx.URL(adapter.url + "/fwd/a/%252e%252e/b"), headers=AUTH)
        answer = client.send(request)
    assert answer.status_code == 400 and up.seen == []


# --------------------------------------------------------------------------- 3 forward


def test_forward_never_passes_framing_hop_by_hop_or_credential_headers(
    adapter: Running, up: Upstream
) -> None:
    sock = socket.create_connection(("127.0.0.1", adapter.port))
    body = b'{"n": 1}'
    sock.sendall(
        b"POST /fwd/notes HTTP/1.1\r\nHost: localhost:1\r\n"
        + f"Authorization: Bearer {INBOUND}\r\n".encode()
        + b"X-Trace: t-1\r\nProxy-Authorization: Basic eDp5\r\nUpgrade: h2c\r\n"
        b"Keep-Alive: timeout=99\r\nTE: trailers\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
    )
    reply = _read_reply(sock)
    sock.close()
    assert reply.startswith(b"HTTP/1.1 200"), reply
    seen = up.seen[-1]
    assert seen.body == body and seen.headers["content-length"] == str(len(body))
    assert seen.headers["host"] == up.url.removeprefix("http://")
    assert seen.headers["authorization"] == f"Bearer {API_TOKEN}"  # the adapter's, not the caller's
    assert [v for k, v in seen.raw_headers if k.lower() == "authorization"] == [f"Bearer {API_TOKEN}"]
    assert seen.headers["x-trace"] == "t-1"
    for name in ("proxy-authorization", "upgrade", "keep-alive", "te", "transfer-encoding"):
        assert name not in seen.headers, name


def test_forward_header_rules_are_warned_at_generation(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    result = generate(tmp_path, tmp_path / "docs")
    codes = [d.code for d in result.diagnostics]
    assert codes.count("NG318") == 8  # Transfer-Encoding, Host, Content-Length, Connection, Proxy-*, Upgrade, Keep-Alive, TE
    assert codes.count("NG319") == 1  # Authorization: the target's bearer auth sets it


# --------------------------------------------------------------------------- 5 bodies


def _read_reply(sock: socket.socket) -> bytes:
    """One HTTP answer read off a raw socket (head and a Content-Length body)."""
    reply = b""
    while b"\r\n\r\n" not in reply:
        data = sock.recv(65536)
        if not data:
            return reply
        reply += data
    head, _, body = reply.partition(b"\r\n\r\n")
    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        data = sock.recv(65536)
        if not data:
            break
        body += data
    return head + b"\r\n\r\n" + body


def _raw_post(adapter: Running, head: bytes, body_chunks: int, chunk: bytes) -> tuple[bytes, float]:
    started = time.monotonic()
    sock = socket.create_connection(("127.0.0.1", adapter.port), timeout=10)
    sock.sendall(head)
    try:
        for _ in range(body_chunks):
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    except OSError:
        pass  # the adapter answered and closed before the body was all sent
    try:
        reply = _read_reply(sock)
    except OSError:
        reply = b""
    sock.close()
    return reply, time.monotonic() - started


def test_unauthenticated_huge_body_is_refused_before_it_is_read(adapter: Running, up: Upstream) -> None:
    before = adapter.memory_kib("VmHWM")
    head = (b"POST /notes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 314572800\r\n\r\n")
    sock = socket.create_connection(("127.0.0.1", adapter.port), timeout=10)
    sock.sendall(head + b"x" * MIB)
    reply = sock.recv(65536)
    sock.close()
    assert reply.startswith(b"HTTP/1.1 413"), reply
    head = (b"POST /notes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")
    reply, took = _raw_post(adapter, head, 300, b"x" * MIB)
    assert reply.startswith(b"HTTP/1.1 401"), reply  # auth checked before the body is read
    assert b"application/problem+json" in reply
    assert adapter.memory_kib("VmHWM") - before < 40 * 1024
    assert up.seen == []


def test_authenticated_body_over_the_limit_is_413(adapter: Running, up: Upstream) -> None:
    head = (b"POST /notes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {INBOUND}\r\n".encode() + b"Transfer-Encoding: chunked\r\n\r\n")
    reply, _ = _raw_post(adapter, head, 3, b"x" * MIB)
    assert reply.startswith(b"HTTP/1.1 413"), reply
    assert b"application/problem+json" in reply and b"larger than 1048576 bytes" in reply
    ok = httpx.post(adapter.url + "/notes", json={"text": "hi"}, headers=AUTH)
    assert ok.status_code == 200 and json.loads(up.seen[-1].body) == {"text": "hi"}


# --------------------------------------------------------------------------- 6 answers


def test_a_gzip_bomb_answer_is_a_502_within_bounded_memory(adapter: Running, up: Upstream) -> None:
    bomb = gzip_bomb(400 * MIB)
    assert len(bomb) < 500_000
    up.answers["/items/bomb"] = Answer(200, bomb, {"Content-Type": "application/json", "Content-Encoding": "gzip"})
    before = adapter.memory_kib("VmHWM")
    answer = httpx.get(adapter.url + "/items/bomb", headers=AUTH)
    assert answer.status_code == 502, answer.text
    assert answer.json()["title"] == "Upstream answer too large"
    assert adapter.memory_kib("VmHWM") - before < 30 * 1024


def test_a_large_text_answer_is_a_502(adapter: Running, up: Upstream) -> None:
    up.answers["/big"] = Answer(stream=chunks(50 * MIB))
    answer = httpx.get(adapter.url + "/big", headers=AUTH)
    assert answer.status_code == 502 and "NAFTIKO_MAX_ANSWER_BYTES" in answer.json()["detail"]


def test_a_large_binary_answer_is_streamed_through(adapter: Running, up: Upstream) -> None:
    up.answers["/blob"] = Answer(headers={"Content-Type": "application/octet-stream"}, stream=chunks(64 * MIB))
    before = adapter.memory_kib("VmHWM")
    total = 0
    with httpx.stream("GET", adapter.url + "/blob", headers=AUTH, timeout=60) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/octet-stream"
        for data in answer.iter_raw():
            total += len(data)
    assert total == 64 * MIB
    assert adapter.memory_kib("VmHWM") - before < 30 * 1024


def test_a_yaml_alias_bomb_is_not_expanded(adapter: Running, up: Upstream) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        p, c = chr(96 + i), chr(97 + i)
        lines.append(f"{c}: &{c} [" + ", ".join([f"*{p}"] * 9) + "]")
    bomb = ("\n".join(lines) + "\n").encode()
    assert len(bomb) < 400
    up.answers["/conf"] = Answer(200, bomb, {"Content-Type": "application/yaml"})
    before = adapter.memory_kib("VmHWM")
    started = time.monotonic()
    answer = httpx.get(adapter.url + "/conf", headers=AUTH, timeout=30)
    assert time.monotonic() - started < 5
    assert answer.status_code == 200
    assert adapter.memory_kib("VmHWM") - before < 20 * 1024


# --------------------------------------------------------------------------- 8 slow clients


def test_oversized_headers_are_refused(adapter: Running) -> None:
    sock = socket.create_connection(("127.0.0.1", adapter.port), timeout=10)
    sock.sendall(b"GET /items/a HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (64 * 1024))
    reply = sock.recv(4096)
    sock.close()
    assert reply.startswith(b"HTTP/1.1 431"), reply


def test_idle_and_half_open_connections_are_closed(adapter: Running, up: Upstream) -> None:
    fds_before = adapter.open_fds()
    idle = [socket.create_connection(("127.0.0.1", adapter.port)) for _ in range(150)]
    half = [socket.create_connection(("127.0.0.1", adapter.port)) for _ in range(150)]
    for sock in half:
        sock.sendall(b"GET /items/a HTTP/1.1\r\nHost: x\r\n")
    accepted = time.monotonic() + 1.2  # before the 1.5 s header timeout closes them
    while adapter.open_fds() < fds_before + 250 and time.monotonic() < accepted:
        time.sleep(0.05)
    assert adapter.open_fds() >= fds_before + 250  # all accepted ...
    deadline = time.monotonic() + 10
    closed = 0
    for sock in idle + half:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            data = sock.recv(1024)
            closed += data == b"" or data.startswith(b"HTTP/1.1 408")
        except OSError:
            pass
        sock.close()
    assert closed == 300  # ... and all closed by the header timeout (1.5 s here)
    answer = httpx.get(adapter.url + "/items/a", headers=AUTH)
    assert answer.status_code == 200


# --------------------------------------------------------------------------- should fix


def test_docs_and_openapi_are_off_when_auth_is_on(adapter: Running) -> None:
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert httpx.get(adapter.url + path).status_code == 404


def test_no_redirect_before_auth(adapter: Running) -> None:
    answer = httpx.get(adapter.url + "/notes/", headers={"Host": "evil.example"})
    assert answer.status_code != 307 and "location" not in answer.headers
