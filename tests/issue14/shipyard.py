"""A local fake of the tutorial's two mock APIs, replaying their OpenAPI examples.

The engine's acceptance suite runs the shipyard tutorial against Microcks mocks built from
``../shared/reference/ikanos/openapi/``. This server reads those documents at start-up
and answers the way their ``x-microcks-operation`` dispatchers say: a query filter picks
the ``?status=...`` example, a path part picks ``/imo_number=...``, a script picks its
fallback example and fills ``{{ request.body/x }}`` from the request body; a response
with no content (``POST /ships/{imo}/crew``) is a bare 204. Each API is served under its
own prefix (``/registry``, ``/legacy``) on one port, and every request is recorded.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml

from tests.upstream import Recorded

API_FILES = {
    "registry": "naftiko-shipyard-maritime-registry-api.yaml",
    "legacy": "naftiko-shipyard-legacy-dockyard-api.yaml",
}
_BODY_REF = re.compile(r"\{\{\s*request\.body/([A-Za-z0-9_]+)\s*\}\}")


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str | None
    body: bytes


@dataclass(frozen=True)
class MockOperation:
    """One operation of a mock API: its path pattern and how it picks an example."""

    method: str
    pattern: re.Pattern[str]
    operation: dict[str, Any]

    def answer(self, path_values: dict[str, str], query: dict[str, str], body: bytes) -> Answer:
        dispatch = self.operation.get("x-microcks-operation") or {}
        wanted = _example_keys(dispatch, path_values, query)
        responses = self.operation.get("responses", {})
        for key in wanted:
            for status, response in responses.items():
                for media, content in (response.get("content") or {}).items():
                    examples = content.get("examples") or {}
                    if key in examples:
                        return Answer(int(status), media, _render(examples[key]["value"], media, body))
        for status, response in responses.items():
            if not response.get("content") and int(status) < 300:
                return Answer(int(status), None, b"")  # e.g. 204 No Content
        for status, response in responses.items():  # no example for these values: the error one
            for media, content in (response.get("content") or {}).items():
                examples = list((content.get("examples") or {}).values())
                if int(status) >= 400 and examples:
                    return Answer(int(status), media, _render(examples[0]["value"], media, body))
            if not dispatch:
                for media, content in (response.get("content") or {}).items():
                    examples = list((content.get("examples") or {}).values())
                    if examples:
                        return Answer(int(status), media, _render(examples[0]["value"], media, body))
        return Answer(404, "application/json", b'{"error":"no example matches"}')


def _example_keys(dispatch: dict[str, Any], path_values: dict[str, str], query: dict[str, str]) -> list[str]:
    """The example names to try, best first, as the Microcks dispatcher would."""
    kind, rules, fallback = dispatch.get("dispatcher"), dispatch.get("dispatcherRules"), None
    if kind == "FALLBACK":
        inner = json.loads(rules)
        kind, rules, fallback = inner["dispatcher"], inner["dispatcherRules"], inner["fallback"]
    keys: list[str] = []
    if kind == "URI_PARAMS" and str(rules) in query:
        keys.append(f"?{rules}={query[str(rules)]}")
    if kind == "URI_PARTS":
        keys.append(f"/{rules}={path_values.get(str(rules))}")
    return keys + ([fallback] if fallback else [])


def _render(value: Any, media: str, body: bytes) -> bytes:
    """The example as bytes, ``{{ request.body/x }}`` filled from the JSON request body."""
    if "xml" in media:
        return str(value).encode()
    request = json.loads(body) if body else {}

    def fill(node: Any) -> Any:
        if isinstance(node, str):
            whole = _BODY_REF.fullmatch(node.strip())
            if whole:
                return request.get(whole.group(1))
            return _BODY_REF.sub(lambda m: str(request.get(m.group(1), "")), node)
        if isinstance(node, dict):
            return {k: fill(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fill(v) for v in node]
        return node

    return json.dumps(fill(value)).encode()


def load_operations(openapi: Path) -> list[MockOperation]:
    document = yaml.safe_load(openapi.read_text(encoding="utf-8"))
    found: list[MockOperation] = []
    for template, item in document["paths"].items():
        regex = re.sub(r"\\\{([A-Za-z0-9_]+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        for method, operation in item.items():
            found.append(MockOperation(method.upper(), re.compile(regex + "$"), operation))
    return found


@dataclass
class Shipyard:
    """The running fake: its URL, the recorded requests, and the base URL of each API."""

    server: ThreadingHTTPServer
    apis: dict[str, list[MockOperation]]
    requests: list[Recorded] = field(default_factory=list)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def base_url(self, api: str) -> str:
        return f"{self.url}/{api}"

    def env(self) -> dict[str, str]:
        """The base-URL overrides of the tutorial's consumes namespaces."""
        return {f"{api.upper()}_BASE_URL": self.base_url(api) for api in self.apis}

    def received(self, api: str) -> list[Recorded]:
        return [r for r in self.requests if r.path.startswith(f"/{api}/")]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, method: str, path: str, query: dict[str, str], body: bytes) -> Answer:
        api, _, rest = path.lstrip("/").partition("/")
        for operation in self.apis.get(api, []):
            matched = operation.pattern.match("/" + rest)
            if matched and operation.method == method:
                values = {k: unquote(v) for k, v in matched.groupdict().items()}
                return operation.answer(values, query, body)
        return Answer(404, "application/json", b'{"error":"not_found"}')


def start(openapi_dir: Path) -> Shipyard:
    """Start the fake on 127.0.0.1 (a free port) in a background thread."""
    apis = {api: load_operations(openapi_dir / name) for api, name in API_FILES.items()}
    holder: dict[str, Shipyard] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _handle(self) -> None:
            shipyard = holder["s"]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            query = parse_qsl(parts.query, keep_blank_values=True)
            headers = {k.lower(): v for k, v in self.headers.items()}
            shipyard.requests.append(Recorded(self.command, parts.path, query, headers, body))
            answer = shipyard.answer(self.command, parts.path, dict(query), body)
            self.send_response(answer.status)
            if answer.content_type is not None:
                self.send_header("Content-Type", answer.content_type)
            if answer.status != 204:
                self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            if answer.status != 204:
                self.wfile.write(answer.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    shipyard = Shipyard(server, apis)
    holder["s"] = shipyard
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return shipyard
