"""The seeds' generated adapters against the providers' own OpenAPI documents.

Prism (`@stoplight/prism-cli`, `prism mock --errors`) serves each upstream OpenAPI document
from ../shared/upstream-openapi as a validating mock: a request that breaks the provider's
contract (wrong auth, path, query or body) gets a 4xx with the violations instead of a mock
answer. So a 2xx here means the generated adapter sent what the real API expects.

Needs ../shared and a prism binary (`.ci/run` installs one into .ci/prism; `PRISM` names
another); skips cleanly without either.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import GENERATED, ROOT, shared_or_skip
from tests.servers import free_port, rest_server, stop, wait_for_port

SECRETS = {"CUSTOMER_IO_USER": "site-id", "CUSTOMER_IO_PASS": "api-key"}


def _prism_binary() -> str:
    for candidate in (os.environ.get("PRISM"), str(ROOT / ".ci" / "prism" / "node_modules" / ".bin" / "prism")):
        if candidate and Path(candidate).is_file():
            return candidate
    found = shutil.which("prism")
    if not found:
        pytest.skip("prism is not installed (bash .ci/run installs it into .ci/prism)")
    return found


@contextlib.contextmanager
def prism(document: Path) -> Iterator[str]:
    """``prism mock --errors`` on a free port; yields its URL."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [_prism_binary(), "mock", "--errors", "-h", "127.0.0.1", "-p", str(port), str(document)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(process, port, "prism", log)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)


def openapi(*parts: str) -> Path:
    return shared_or_skip("upstream-openapi", *parts)


def test_prism_rejects_a_request_without_auth() -> None:
    """The control: Prism does check the contract, so the 2xx answers below mean something."""
    with prism(openapi("customer-io", "openapi", "customer-io-pipelines-api-openapi.yml")) as url:
        answer = httpx.post(url + "/track", json={"type": "track", "event": "Signed Up", "userId": "u1"})
    assert answer.status_code == 401


def test_pipelines_track_sends_basic_auth_and_body() -> None:
    with prism(openapi("customer-io", "openapi", "customer-io-pipelines-api-openapi.yml")) as upstream:
        env = {"PIPELINES_TRACK_BASE_URL": upstream, **SECRETS}
        with rest_server(GENERATED, "customer_io_pipelines_track", env) as adapter:
            answer = httpx.post(adapter + "/v1/track", json={"type": "track", "event": "Signed Up", "userId": "u1"})
    assert answer.status_code == 200, answer.text


def test_track_batch_reaches_the_v2_path(tmp_path: Path) -> None:
    # Prism cannot route the document's literal `../v2/...` keys (it crashes on them), so the
    # test serves a copy with those keys written as the paths they resolve to.
    original = openapi("customer-io", "openapi", "customer-io-track-api-openapi.yml")
    document = tmp_path / "track.yml"
    document.write_text(original.read_text().replace("\n  ../v2/", "\n  /v2/"))
    batch = {"batch": [{"type": "person", "action": "identify", "identifiers": {"id": "42"}}]}
    with prism(document) as upstream:
        env = {"TRACK_BATCH_BASE_URL": upstream + "/v1", **SECRETS}
        with rest_server(GENERATED, "customer_io_track_batch", env) as adapter:
            answer = httpx.post(adapter + "/v1//v2/batch", json=batch)
            wrong = httpx.post(adapter + "/v1//v2/batch", json={"batch": [{"type": "robot"}]})
    assert answer.status_code == 200, answer.text
    assert wrong.status_code == 400  # Prism's verdict on a bad body (the document's 400), passed through


def test_openpanel_track_posts_event_and_reads_device_id() -> None:
    with prism(openapi("openpanel", "openapi", "openpanel-track-api-openapi.yml")) as upstream:
        env = {"OPENPANEL_TRACK_BASE_URL": upstream}
        with rest_server(GENERATED, "openpanel_track", env) as adapter:
            posted = httpx.post(adapter + "/v1/track", json={"type": "track", "payload": {"name": "signup"}})
            device = httpx.get(adapter + "/v1/track/device-id")
    assert posted.status_code == 200, posted.text
    assert device.status_code == 200 and set(device.json()) == {"deviceId", "sessionId", "message"}


def test_openpanel_export_sends_typed_and_repeated_query_values() -> None:
    with prism(openapi("openpanel", "openapi", "openpanel-export-api-openapi.yml")) as upstream:
        env = {"OPENPANEL_EXPORT_BASE_URL": upstream}
        with rest_server(GENERATED, "openpanel_export", env) as adapter:
            events = httpx.get(
                adapter + "/v1/export/events",
                params=[("projectId", "p1"), ("page", "2"), ("limit", "10"), ("includes", "profile"), ("includes", "meta")],
            )
    assert events.status_code == 200, events.text


def test_segment_pixel_seed_lacks_the_required_data_input() -> None:
    """A finding about the seed, not the generator: Segment's pixel API requires a `data` query
    value that the seed never declares, so the adapter (doing what the spec says) is refused.
    The upstream's 422 and its violations reach the caller unchanged."""
    with prism(openapi("segment", "openapi", "segment-pixel-tracking-api-openapi.yml")) as upstream:
        env = {"PIXEL_TRACKING_PIXEL_TRACKING_BASE_URL": upstream}
        with rest_server(GENERATED, "segment_pixel_tracking", env) as adapter:
            answer = httpx.get(adapter + "/v1/pixel/track")
    assert answer.status_code == 422
    assert "data" in answer.text
