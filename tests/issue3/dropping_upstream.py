"""An upstream that reads each request and hangs up without answering, for the first N connections."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field


@dataclass
class DroppingUpstream:
    drops: int
    sock: socket.socket
    seen: list[str] = field(default_factory=list)  # request lines, in arrival order

    @property
    def url(self) -> str:
        host, port = self.sock.getsockname()[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.sock.close()


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0)
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    return head


def start(drops: int) -> DroppingUpstream:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    upstream = DroppingUpstream(drops, sock)

    def serve() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            with conn:
                head = _read_request(conn)
                upstream.seen.append(head.split(b"\r\n", 1)[0].decode())
                if len(upstream.seen) <= upstream.drops:
                    continue  # hang up: no status line at all
                body = b'{"ok": true}'
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )

    threading.Thread(target=serve, daemon=True).start()
    return upstream
