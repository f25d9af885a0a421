"""The fake shipyard upstream answers as the mock APIs' OpenAPI examples and Microcks
dispatchers say (so the acceptance suite checks our servers, not a lenient fake)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import shared_or_skip
from tests.issue14 import shipyard


@pytest.fixture(scope="module")
def fake() -> Iterator[shipyard.Shipyard]:
    server = shipyard.start(shared_or_skip("reference", "ikanos", "openapi"))
    yield server
    server.close()


def test_query_filters_pick_their_example(fake: shipyard.Shipyard) -> None:
    registry = fake.base_url("registry")
    assert [s["imo_number"] for s in httpx.get(registry + "/ships").json()] == ["IMO-9321483", "IMO-9456781"]
    assert [s["imo_number"] for s in httpx.get(registry + "/ships?status=maintenance").json()] == ["IMO-9456781"]
    assert len(httpx.get(registry + "/ships?status=decommissioned").json()) == 2  # the fallback
    laid_up = httpx.get(fake.base_url("legacy") + "/vessels?status=laid_up")
    assert laid_up.headers["content-type"] == "application/xml"
    assert laid_up.text.count("<vessel>") == 1 and "LEGACY-2087" in laid_up.text


def test_path_parts_pick_their_example_or_the_error(fake: shipyard.Shipyard) -> None:
    registry = fake.base_url("registry")
    assert httpx.get(registry + "/ships/IMO-9456781").json()["vessel_name"] == "Pacific Dawn"
    missing = httpx.get(registry + "/ships/IMO-0000000")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    refreshed = httpx.post(registry + "/ships/IMO-9321483/crew")
    assert (refreshed.status_code, refreshed.content) == (204, b"")


def test_the_voyage_script_echoes_the_body(fake: shipyard.Shipyard) -> None:
    body = {"shipImo": "IMO-1", "departurePort": "Bergen", "arrivalPort": "Oslo", "departureDate": "d1", "arrivalDate": "d2", "crewIds": ["x"]}
    created = httpx.post(fake.base_url("registry") + "/voyages", json=body)
    assert created.status_code == 201
    voyage = created.json()
    assert {k: voyage[k] for k in ("shipImo", "departurePort", "arrivalPort", "departureDate", "arrivalDate")} == {
        k: body[k] for k in ("shipImo", "departurePort", "arrivalPort", "departureDate", "arrivalDate")
    }
    assert (voyage["voyageId"], voyage["crewIds"], voyage["status"]) == ("VOY-2026-042", ["CREW-001", "CREW-003"], "planned")
    assert fake.requests[-1].json() == body  # recorded as received
