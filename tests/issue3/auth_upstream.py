"""A real upstream for the auth tests: a digest challenge, OAuth2 metadata and a token endpoint."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.upstream import Recorded

REALM, NONCE = "naftiko-test", "5f3c0a9e"
USER, PASSWORD = "alice", "s3cr3t:pw"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def digest_ok(method: str, header: str) -> bool:
    """True when an `Authorization: Digest ...` header proves USER knows PASSWORD (RFC 7616, MD5, qop=auth)."""
    fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header.removeprefix("Digest ")))
    if fields.get("username") != USER or fields.get("nonce") != NONCE or fields.get("realm") != REALM:
        return False
    ha1 = _md5(f"{USER}:{REALM}:{PASSWORD}")
    ha2 = _md5(f"{method}:{fields.get('uri', '')}")
    expected = _md5(f"{ha1}:{NONCE}:{fields.get('nc', '')}:{fields.get('cnonce', '')}:auth:{ha2}")
    return fields.get("response") == expected


@dataclass
class AuthUpstream:
    server: ThreadingHTTPServer
    requests: list[Recorded] = field(default_factory=list)
    token_lifetime: int = 3600
    tokens_issued: int = 0

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def on(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start() -> AuthUpstream:
    holder: dict[str, AuthUpstream] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _handle(self) -> None:
            up = holder["u"]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            up.requests.append(Recorded(self.command, parts.path, parse_qsl(parts.query), headers, body))
            if parts.path == "/digest":
                if digest_ok(self.command, headers.get("authorization", "")):
                    return self._answer(200, {"user": USER})
                challenge = f'Digest realm="{REALM}", nonce="{NONCE}", qop="auth", algorithm=MD5'
                return self._answer(401, {"error": "digest"}, {"WWW-Authenticate": challenge})
            if parts.path == "/issuer/.well-known/oauth-authorization-server":
                return self._answer(200, {"issuer": up.url + "/issuer", "token_endpoint": up.url + "/issuer/token"})
            if parts.path == "/issuer/token":
                expected = "Basic " + base64.b64encode(b"client-1:client-secret").decode()
                form = dict(parse_qsl(body.decode()))
                if headers.get("authorization") != expected or form.get("grant_type") != "client_credentials":
                    return self._answer(401, {"error": "invalid_client"})
                up.tokens_issued += 1
                token = f"token-{up.tokens_issued}"
                return self._answer(200, {"access_token": token, "token_type": "Bearer", "expires_in": up.token_lifetime})
            return self._answer(200, {"ok": True})

        do_GET = do_POST = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    upstream = AuthUpstream(server)
    holder["u"] = upstream
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return upstream
