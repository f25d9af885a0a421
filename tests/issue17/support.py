"""The issue-17 spec generated once per module, and its upstream answers."""

from __future__ import annotations

import json
from pathlib import Path

from tests import upstream as upstream_module
from tests.issue5.support import generate_into

HERE = Path(__file__).resolve().parent
SPEC = HERE / "typed_shop.yaml"
PACKAGE = "typed_shop"
ITEM = {
    "id": "7",
    "name": "lamp",
    "price": 12.5,
    "active": True,
    "owner": {"login": "ada"},
    "tags": [{"label": "x"}, {"label": "y"}],
}


def generate(out: Path) -> Path:
    """Generate the typed shop into ``out``; fails on any error diagnostic."""
    result = generate_into(out, SPEC)
    assert result.ok, [str(d) for d in result.diagnostics]
    return out


def script_shop(server: upstream_module.Upstream) -> upstream_module.Upstream:
    """Answer /items/7, /catalog and a 404 for /items/missing."""
    server.requests.clear()
    server.routes.clear()
    server.reply(ITEM, path="/items/7")
    server.reply({"error": "no such item"}, status=404, path="/items/missing")
    server.reply([{"id": 1}, {"id": 2}], path="/catalog")
    return server


def dumps(value: object) -> bytes:
    return json.dumps(value).encode()
