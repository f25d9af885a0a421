"""Every seed's generated REST app, run as a real process, against a real upstream."""

from __future__ import annotations

import base64

import httpx

from tests.conftest import GENERATED
from tests.servers import rest_server
from tests.upstream import Upstream

SECRETS = {"CUSTOMER_IO_USER": "alice", "CUSTOMER_IO_PASS": "s3cr3t:pw"}


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_pipelines_track_posts_body_with_basic_auth(upstream: Upstream) -> None:
    upstream.reply({"accepted": True, "n": 2})
    env = {"PIPELINES_TRACK_BASE_URL": upstream.url + "/v1", **SECRETS}
    with rest_server(GENERATED, "customer_io_pipelines_track", env) as url:
        answer = httpx.post(url + "/v1/track", json={"type": "track", "event": "Signed Up", "n": 2.0, "q": 'say "hi"'})
    assert answer.status_code == 200
    assert answer.json() == {"accepted": True, "n": 2}
    sent = upstream.last
    assert (sent.method, sent.path, sent.query) == ("POST", "/v1/track", [])
    assert sent.headers["authorization"] == basic("alice", "s3cr3t:pw")
    assert sent.headers["content-type"] == "application/json"
    assert sent.json() == {"type": "track", "event": "Signed Up", "n": 2.0, "q": 'say "hi"'}


def test_track_batch_resolves_relative_path(upstream: Upstream) -> None:
    upstream.reply({"ok": 1})
    env = {"TRACK_BATCH_BASE_URL": upstream.url + "/api/v1", **SECRETS}
    with rest_server(GENERATED, "customer_io_track_batch", env) as url:
        answer = httpx.post(url + "/v1//v2/batch", json={"batch": [{"type": "person"}]})
    assert answer.status_code == 200 and answer.json() == {"ok": 1}
    assert (upstream.last.method, upstream.last.path) == ("POST", "/api/v2/batch")
    assert upstream.last.json() == {"batch": [{"type": "person"}]}
    assert upstream.last.headers["authorization"] == basic("alice", "s3cr3t:pw")


def test_openpanel_export_forwards_query_as_sent(upstream: Upstream) -> None:
    upstream.reply({"series": [1, 2]})
    env = {"OPENPANEL_EXPORT_BASE_URL": upstream.url}
    with rest_server(GENERATED, "openpanel_export", env) as url:
        charts = httpx.get(
            url + "/v1/export/charts",
            params=[("breakdowns", "country"), ("breakdowns", "os"), ("previous", "true"), ("projectId", "p 1")],
        )
        assert charts.status_code == 200 and charts.json() == {"series": [1, 2]}
        assert upstream.last.path == "/export/charts"
        assert upstream.last.query == [("breakdowns", "country"), ("breakdowns", "os"), ("previous", "true"), ("projectId", "p 1")]
        events = httpx.get(url + "/v1/export/events", params={"page": "2", "limit": "2.5", "event": "screen_view"})
        assert events.status_code == 200
        assert upstream.last.path == "/export/events"
        assert sorted(upstream.last.query) == [("event", "screen_view"), ("limit", "2.5"), ("page", "2")]
        bad = httpx.get(url + "/v1/export/events", params={"page": "two"})
        assert bad.status_code == 422


def test_openpanel_track_routes_and_missing_base_url(upstream: Upstream) -> None:
    with rest_server(GENERATED, "openpanel_track", {}) as url:
        missing = httpx.post(url + "/v1/track", json={"type": "track"})
    assert missing.status_code == 500
    assert missing.headers["content-type"] == "application/problem+json"
    assert "OPENPANEL_TRACK_BASE_URL" in missing.json()["detail"]
    assert upstream.requests == []
    upstream.reply({"deviceId": "d1", "sessionId": "s1"})
    with rest_server(GENERATED, "openpanel_track", {"OPENPANEL_TRACK_BASE_URL": upstream.url}) as url:
        device = httpx.get(url + "/v1/track/device-id")
        assert device.json() == {"deviceId": "d1", "sessionId": "s1"}
        assert (upstream.last.method, upstream.last.path) == ("GET", "/track/device-id")
        posted = httpx.post(url + "/v1/track", json={"type": "track", "payload": {"name": "x"}})
        assert posted.status_code == 200
        assert (upstream.last.method, upstream.last.path) == ("POST", "/track/")
        assert upstream.last.json() == {"type": "track", "payload": {"name": "x"}}


def test_segment_pixel_routes_keep_binary_bodies(upstream: Upstream) -> None:
    gif = b"GIF89a\x01\x00\x01\x00\x80\xff\x00"
    upstream.reply(gif, content_type="image/gif")
    env = {"PIXEL_TRACKING_PIXEL_TRACKING_BASE_URL": upstream.url + "/v1"}
    with rest_server(GENERATED, "segment_pixel_tracking", env) as url:
        for route in ("alias", "group", "identify", "page", "screen", "track"):
            answer = httpx.get(url + f"/v1/pixel/{route}")
            assert answer.status_code == 200
            assert answer.content == gif and answer.headers["content-type"] == "image/gif"
            assert (upstream.last.method, upstream.last.path) == ("GET", f"/v1/pixel/{route}")


def test_upstream_errors_pass_through_and_missing_secret(upstream: Upstream) -> None:
    upstream.reply({"error": "nope"}, status=403)
    env = {"PIPELINES_TRACK_BASE_URL": upstream.url, **SECRETS}
    with rest_server(GENERATED, "customer_io_pipelines_track", env) as url:
        answer = httpx.post(url + "/v1/track", json={"event": "x"})
    assert answer.status_code == 403 and answer.json() == {"error": "nope"}
    upstream.requests.clear()
    env = {"PIPELINES_TRACK_BASE_URL": upstream.url, "CUSTOMER_IO_USER": "alice"}
    with rest_server(GENERATED, "customer_io_pipelines_track", env) as url:
        answer = httpx.post(url + "/v1/track", json={"event": "x"})
    assert answer.status_code == 500
    assert "CUSTOMER_IO_PASS" in answer.json()["detail"]
    assert upstream.requests == []
