"""An exposes block's `maxBinarySize` caps the request bodies of its running adapter (413
problem+json); NAFTIKO_MAX_REQUEST_BYTES, when set, wins over the spec."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from generator import pipeline
from tests.issue15.support import Upstream, serve, start_upstream

SPEC = Path(__file__).parent / "specs" / "capped_uploads.yaml"


@pytest.fixture(scope="module")
def pkg_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("capped")
    result = pipeline.generate([SPEC], pipeline.Options())
    assert result.ok, [d.message for d in result.diagnostics]
    for path, text in result.files().items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(text, encoding="utf-8")
    return out


@pytest.fixture
def up() -> Iterator[Upstream]:
    upstream = start_upstream()
    yield upstream
    upstream.close()


def _post(url: str, size: int) -> httpx.Response:
    body = json.dumps({"text": "x" * size}).encode()
    return httpx.post(url + "/items", content=body, headers={"Content-Type": "application/json"})


def test_the_spec_cap_refuses_a_larger_body(pkg_dir: Path, up: Upstream) -> None:
    env = {"STORE_BASE_URL": up.url}
    with serve(pkg_dir, env, "rest", package="capped_uploads") as adapter:
        small = _post(adapter.url, 500)
        large = _post(adapter.url, 2000)
    assert small.status_code == 200, small.text
    assert large.status_code == 413
    assert large.headers["content-type"].startswith("application/problem+json")
    assert "larger than 1024 bytes" in large.json()["detail"]
    assert len(up.seen) == 1  # the refused body never went upstream


def test_the_environment_wins_over_the_spec(pkg_dir: Path, up: Upstream) -> None:
    env = {"STORE_BASE_URL": up.url, "NAFTIKO_MAX_REQUEST_BYTES": "4096"}
    with serve(pkg_dir, env, "rest", package="capped_uploads") as adapter:
        assert _post(adapter.url, 2000).status_code == 200
        assert _post(adapter.url, 5000).status_code == 413
