"""Schemathesis `--checks all` against each seed's REST adapter, its upstream being the
provider's own OpenAPI document served by Prism (`prism mock --errors`).

A failure is the adapter's fault unless the answer is the upstream's own verdict passed
through: Prism refusing a request that the adapter's contract (the seed) allows, because
the seed does not declare a constraint of the provider's API. Those are findings about the
seeds; they are listed by operation and Prism's violation, and must stay the known ones.

Needs ../shared and Prism (`npm ci --prefix .ci/prism`); skips cleanly without them.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import GENERATED
from tests.servers import rest_server
from tests.test_prism import SECRETS, openapi, prism

PRISM_ERROR = "https://stoplight.io/prism/errors#"
EXAMPLES = "12"


@dataclass(frozen=True)
class Seed:
    package: str
    base_env: str
    document: tuple[str, ...]
    base_suffix: str = ""


SEEDS = [
    Seed("customer_io_pipelines_track", "PIPELINES_TRACK_BASE_URL", ("customer-io", "openapi", "customer-io-pipelines-api-openapi.yml")),
    Seed("customer_io_track_batch", "TRACK_BATCH_BASE_URL", ("customer-io", "openapi", "customer-io-track-api-openapi.yml"), "/v1"),
    Seed("openpanel_export", "OPENPANEL_EXPORT_BASE_URL", ("openpanel", "openapi", "openpanel-export-api-openapi.yml")),
    Seed("openpanel_track", "OPENPANEL_TRACK_BASE_URL", ("openpanel", "openapi", "openpanel-track-api-openapi.yml")),
    Seed("segment_pixel_tracking", "PIXEL_TRACKING_PIXEL_TRACKING_BASE_URL", ("segment", "openapi", "segment-pixel-tracking-api-openapi.yml")),
]

SEED_GAPS = {
    "customer_io_pipelines_track": {"POST /v1/track"},  # the seed's body is any object
    "openpanel_export": {"GET /v1/export/charts"},  # breakdowns items, interval values
    "openpanel_track": {"POST /v1/track"},  # the seed's body is any object
    "segment_pixel_tracking": {f"GET /v1/pixel/{kind}" for kind in ("alias", "group", "identify", "page", "screen", "track")},  # `data`
}
"""Operations where the provider refuses schema-valid requests to the adapter because the
seed omits a constraint of the provider's API (Prism's violations are in the message)."""


def _served_document(seed: Seed, tmp_path: Path) -> Path:
    original = openapi(*seed.document)
    if seed.package != "customer_io_track_batch":
        return original
    # Prism cannot route the document's literal `../v2/...` keys (see tests/test_prism.py).
    copy = tmp_path / "track.yml"
    copy.write_text(original.read_text().replace("\n  ../v2/", "\n  /v2/"))
    return copy


def _body(response: dict[str, object]) -> object:
    content = response.get("content") or {}
    raw = base64.b64decode(content.get("$base64", "")) if isinstance(content, dict) else b""
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _adapter_answer(body: object) -> bool:
    """True for an answer the adapter wrote itself: FastAPI's 422, or its own problem."""
    if not isinstance(body, dict):
        return False
    return isinstance(body.get("detail"), list) or body.get("type") == "about:blank"


def _collapsed_path(operation: str, uri: str) -> bool:
    """A seed path with `//` (customer_io_track_batch) that schemathesis sent collapsed."""
    declared = operation.split(" ", 1)[1]
    sent = urlsplit(uri).path
    return "//" in declared and sent != declared and sent == re.sub("/+", "/", declared)


def _violations(body: object) -> set[str]:
    items = body.get("validation", []) if isinstance(body, dict) else []
    return {".".join(str(p) for p in item.get("location", [])[:2]) for item in items if isinstance(item, dict)}


def _run(seed: Seed, tmp_path: Path) -> tuple[list[str], set[str], int]:
    report = tmp_path / "events.ndjson"
    with prism(_served_document(seed, tmp_path)) as upstream:
        with rest_server(GENERATED, seed.package, {seed.base_env: upstream + seed.base_suffix, **SECRETS}) as adapter:
            subprocess.run(
                [sys.executable, "-m", "schemathesis.cli", "run", adapter + "/openapi.json", "--checks", "all",
                 "-n", EXAMPLES, "--generation-deterministic", "--request-timeout", "10", "--suppress-health-check", "all",
                 "--no-color", "--report", "ndjson", "--report-ndjson-path", str(report)],
                capture_output=True, text=True, timeout=600, cwd=tmp_path,  # its cache stays out of the tree
            )
    ours: list[str] = []
    gaps: set[str] = set()
    seen_violations: set[str] = set()
    cases = 0
    for line in report.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        recorder = event.get("ScenarioFinished", {}).get("recorder")
        if not recorder:
            continue
        for case_id, checks in recorder.get("checks", {}).items():
            cases += 1
            response = (recorder.get("interactions", {}).get(case_id) or {}).get("response") or {}
            body = _body(response)
            sent = (recorder.get("interactions", {}).get(case_id) or {}).get("request", {})
            for check in checks:
                if check["status"] != "failure":
                    continue
                failure = check["failure_info"]["failure"]
                if failure["code"] == "ST202" and not _adapter_answer(body):
                    gaps.add(failure["operation"])
                    seen_violations.add(f"{failure['operation']} -> {response.get('status_code')} {sorted(_violations(body))}")
                elif _collapsed_path(failure["operation"], str(sent.get("uri", ""))):
                    continue  # schemathesis sent the request to another path than the operation's
                else:
                    ours.append(f"{failure['operation']}: {failure['code']} {failure['title']}: {failure['message'][:300]} ({sent.get('method')} {sent.get('uri', '')[:200]} -> {response.get('status_code')} {str(body)[:200]})")
    print("\n".join(sorted(seen_violations)))  # the findings about the seed, in the test log
    return ours, gaps, cases


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.package)
def test_schemathesis_finds_no_adapter_fault(seed: Seed, tmp_path: Path) -> None:
    ours, gaps, cases = _run(seed, tmp_path)
    assert cases > 0, "schemathesis ran no case"
    assert not ours, "\n".join(ours)
    assert gaps <= SEED_GAPS.get(seed.package, set()), f"new upstream verdicts: {sorted(gaps)}"
