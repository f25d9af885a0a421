"""Property: any text in a path input reaches the upstream as exactly one segment that decodes back."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import upstream as upstream_module
from tests.issue3.support import call, client_module, generate

PACKAGE = "http_inputs"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("property"), "http_inputs")


def test_any_path_value_is_one_segment_on_the_same_host(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = upstream_module.start()
    monkeypatch.setenv("SHOP_BASE_URL", server.url + "/api")
    client = client_module(out, PACKAGE)
    host = server.url.removeprefix("http://")
    special = st.sampled_from(["/", "?", "#", "%", "%2F", "..", ".", "@", ":", "\\", " ", "\u00e9", "\U0001f600", "http://x"])
    values = st.one_of(st.text(min_size=1), st.lists(special, min_size=1, max_size=6).map("".join))

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(first=values, second=values)
    def check(first: str, second: str) -> None:
        server.requests.clear()
        if client.rt.climbs(first) or client.rt.climbs(second):  # dot segments, separators
            with pytest.raises(client.rt.BadInput):
                call(client, lambda c: c.shop.get_item_response(id_=first, name=second))
            assert server.requests == []
            return
        call(client, lambda c: c.shop.get_item_response(id_=first, name=second))
        sent = server.last
        segments = sent.path.split("/")
        assert segments[:3] == ["", "api", "items"] and segments[4] == "sub"
        assert len(segments) == 6
        assert unquote(segments[3], errors="strict") == first
        assert unquote(segments[5], errors="strict") == second
        assert sent.headers["host"] == host

    try:
        check()
    finally:
        server.close()
