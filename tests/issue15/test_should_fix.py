"""Issue 15 "should fix": reserved names, Host allow-list, path refusal through steps, on
running generated adapters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import socket
import time

import httpx
import pytest

from generator import pipeline
from tests.issue15.support import Running, Upstream, serve, start_upstream

SPEC = """\
naftiko: "1.0.0-alpha2"
info: {label: Names, description: Names that collide with module aliases.}
capability:
  consumes:
    - namespace: api
      type: http
      baseUri: "http://api.invalid"
      inputParameters:
        - {name: region, in: query}
      resources:
        - name: look
          path: /lookup
          operations:
            - name: lookup
              method: GET
              inputParameters:
                - {name: greeting, in: query, value: "hi {{who}}"}
                - {name: zone, in: environment}
                - {name: zone-q, in: query, value: "{{zone}}"}
        - name: things
          path: /things/{{id}}
          operations:
            - {name: steps, method: GET, inputParameters: [{name: id, in: path}]}
            - {name: orchestration, method: PUT, inputParameters: [{name: id, in: path}]}
            - {name: forward, method: DELETE, inputParameters: [{name: id, in: path}]}
  exposes:
    - type: rest
      namespace: keyed-in
      port: 8419
      authentication: {type: apikey, key: access_key, value: "{{env.IN_KEY}}", placement: query}
      resources:
        - path: /things/{id}
          name: keyed-things
          operations:
            - method: GET
              name: keyed-get
              inputParameters: [{name: id, in: path, type: string, description: Id}]
              call: api.steps
              with: {id: keyed-in.id}
    - type: rest
      namespace: rest
      port: 8417
      resources:
        - path: /things/{id}
          name: things
          operations:
            - method: GET
              name: steps
              inputParameters: [{name: id, in: path, type: string, description: Id}]
              call: api.steps
              with: {id: rest.id}
            - method: PUT
              name: orchestration
              inputParameters: [{name: id, in: path, type: string, description: Id}]
              call: api.orchestration
              with: {id: rest.id}
            - method: DELETE
              name: forward
              inputParameters: [{name: id, in: path, type: string, description: Id}]
              call: api.forward
              with: {id: rest.id}
        - path: /stepped/{id}
          name: stepped
          operations:
            - method: GET
              name: stepped
              inputParameters: [{name: id, in: path, type: string, description: Id}]
              steps:
                - {name: one, type: call, call: api.steps, with: {id: "{{id}}"}}
              mappings:
                - {targetName: got, value: "$.one.ok"}
        - path: /by-query
          name: by-query
          operations:
            - method: GET
              name: by-query
              inputParameters: [{name: id, in: query, type: string, description: Id}]
              call: api.steps
              with: {id: rest.id}
        - path: /lookup
          name: lookup
          operations:
            - {method: GET, name: lookup, call: api.lookup}
        - path: /mock
          name: mock
          operations:
            - method: GET
              name: mock
              outputParameters:
                - {name: v, type: string, value: "{{LEAKY}}"}
                - {name: e, type: string, value: "{{env.SHOWN}}"}
        - path: /match
          name: match
          operations:
            - method: GET
              name: match
              inputParameters:
                - {name: word, in: query, type: string, description: W, pattern: "^(a+)+$"}
              call: api.steps
              with: {id: rest.word}
        - path: /fwd/{{rest}}
          name: fwd
          forward: {targetNamespace: api}
"""


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("names")
    spec = root / "specs" / "names.yaml"
    spec.parent.mkdir()
    spec.write_text(SPEC)
    result = pipeline.generate([spec])
    assert result.ok, [d.format_text() for d in result.diagnostics]
    for rel, text in result.files().items():
        (root / "pkg" / str(rel)).parent.mkdir(parents=True, exist_ok=True)
        (root / "pkg" / str(rel)).write_text(text)
    return root / "pkg"


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    up = start_upstream()
    yield up
    up.close()


@pytest.fixture(scope="module")
def adapter(pkg: Path, upstream: Upstream) -> Iterator[Running]:
    env = {
        "API_BASE_URL": upstream.url, "region": "LEAK-1", "who": "LEAK-2", "LEAKY": "LEAK-3",
        "zone": "z-9", "SHOWN": "shown",
    }
    with serve(pkg, env, "rest", "--namespace", "rest", package="names") as running:
        yield running




def test_operations_named_like_module_aliases_work(adapter: Running, upstream: Upstream) -> None:
    upstream.seen.clear()
    for method in ("GET", "PUT", "DELETE"):
        answer = httpx.request(method, adapter.url + "/things/t1")
        assert answer.status_code == 200, (method, answer.text)
    assert [(s.method, s.path) for s in upstream.seen] == [
        ("GET", "/things/t1"), ("PUT", "/things/t1"), ("DELETE", "/things/t1")
    ]
    assert httpx.get(adapter.url + "/stepped/t2").json() == {"got": True}
    assert httpx.get(adapter.url + "/fwd/things/t3").status_code == 200


def test_path_values_through_steps_are_refused(adapter: Running, upstream: Upstream) -> None:
    upstream.seen.clear()
    answer = httpx.get(adapter.url + "/stepped/%252e%252e")
    assert answer.status_code == 422, answer.text
    assert upstream.seen == []


@pytest.mark.parametrize("value", ["..", "../../admin", "a/b", "%2e%2e", "%252F", "a\\b"])
def test_query_inputs_mapped_into_a_path_are_refused(adapter: Running, upstream: Upstream, value: str) -> None:
    upstream.seen.clear()
    answer = httpx.get(adapter.url + "/by-query", params={"id": value})
    assert answer.status_code == 422 and answer.json()["title"] == "Invalid input", answer.text
    assert upstream.seen == []
    assert httpx.get(adapter.url + "/by-query", params={"id": "a.b"}).status_code == 200
    assert upstream.seen[-1].path == "/things/a.b"


def test_only_the_bound_host_and_localhost_are_accepted(adapter: Running, upstream: Upstream) -> None:
    upstream.seen.clear()
    evil = httpx.get(adapter.url + "/things/t1", headers={"Host": "rebound.example"})
    assert evil.status_code == 400 and evil.headers["content-type"] == "application/problem+json"
    assert upstream.seen == []
    for host in (f"localhost:{adapter.port}", f"127.0.0.1:{adapter.port}", "localhost"):
        assert httpx.get(adapter.url + "/things/t1", headers={"Host": host}).status_code == 200


def test_more_hosts_come_from_the_environment(pkg: Path, upstream: Upstream) -> None:
    env = {"API_BASE_URL": upstream.url, "NAFTIKO_ALLOWED_HOSTS": "api.example.test, other.test"}
    with serve(pkg, env, "rest", "--namespace", "rest", package="names") as running:
        ok = httpx.get(running.url + "/things/t1", headers={"Host": "api.example.test"})
        assert ok.status_code == 200
        bad = httpx.get(running.url + "/things/t1", headers={"Host": "evil.test"})
        assert bad.status_code == 400


def test_no_trailing_slash_redirect(adapter: Running) -> None:
    answer = httpx.get(adapter.url + "/things/t1/", headers={"Host": "localhost"})
    assert answer.status_code == 404 and "location" not in answer.headers


def test_a_nested_quantifier_pattern_does_not_hang_the_server(adapter: Running) -> None:
    import threading

    took: dict[str, float] = {}

    def attack() -> None:
        started = time.monotonic()
        answer = httpx.get(adapter.url + "/match", params={"word": "a" * 28 + "!"}, timeout=30)
        took["attack"] = time.monotonic() - started
        assert answer.status_code == 422

    thread = threading.Thread(target=attack)
    thread.start()
    started = time.monotonic()
    assert httpx.get(adapter.url + "/match", params={"word": "aaaa"}).status_code == 200
    took["other"] = time.monotonic() - started
    thread.join()
    assert took["attack"] < 1.0 and took["other"] < 1.0, took


def test_only_environment_sourced_names_read_the_environment(adapter: Running, upstream: Upstream) -> None:
    upstream.seen.clear()
    assert httpx.get(adapter.url + "/lookup").status_code == 200
    path = upstream.seen[-1].path
    assert "LEAK" not in path, path
    assert "zone-q=z-9" in path  # `in: environment` still reads it
    assert httpx.get(adapter.url + "/mock").json() == {"v": None, "e": "shown"}


def test_unsafe_patterns_are_warned_at_generation(tmp_path: Path) -> None:
    spec = tmp_path / "specs" / "names.yaml"
    spec.parent.mkdir()
    spec.write_text(SPEC.replace('pattern: "^(a+)+$"', 'pattern: "^(a)\\\\1$"'))
    result = pipeline.generate([spec])
    assert "NG323" in [d.code for d in result.diagnostics]


def test_an_inbound_query_api_key_never_reaches_the_access_log(pkg: Path, upstream: Upstream) -> None:
    env = {"API_BASE_URL": upstream.url, "IN_KEY": "ik-SECRET-8080"}
    with serve(pkg, env, "rest", "--namespace", "keyed-in", package="names") as running:
        good = httpx.get(running.url + "/things/t1", params={"access_key": "ik-SECRET-8080"})
        bad = httpx.get(running.url + "/things/t1", params={"access_key": "guess-SECRET-1", "q": "shown"})
        assert (good.status_code, bad.status_code) == (200, 401)
        time.sleep(0.3)
        log = running.log_text()
    assert "GET /things/t1?access_key=*** HTTP/1.1" in log
    assert "q=shown" in log
    assert "ik-SECRET" not in log and "guess-SECRET" not in log


def test_concurrency_and_keep_alive_are_bounded(pkg: Path, upstream: Upstream) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from tests.issue15.support import Answer

    upstream.answers["/things/slow"] = Answer(delay=1.0)
    env = {"API_BASE_URL": upstream.url, "NAFTIKO_MAX_CONCURRENCY": "4",
           "NAFTIKO_KEEP_ALIVE_TIMEOUT": "1"}
    try:
        with serve(pkg, env, "rest", "--namespace", "rest", package="names") as running:
            with ThreadPoolExecutor(12) as pool:
                codes = list(pool.map(lambda _: httpx.get(running.url + "/things/slow", timeout=10).status_code, range(12)))
            assert codes.count(503) >= 4 and codes.count(200) >= 1, codes
            sock = socket.create_connection(("127.0.0.1", running.port), timeout=5)
            sock.sendall(b"GET /things/t1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
            reply = b""
            while not reply.endswith(b'{"ok": true}'):
                reply += sock.recv(65536)
            assert reply.startswith(b"HTTP/1.1 200")
            started = time.monotonic()
            assert sock.recv(1024) == b""  # the idle kept-alive connection is closed ...
            assert time.monotonic() - started < 3  # ... after about a second
            sock.close()
    finally:
        upstream.answers.clear()
