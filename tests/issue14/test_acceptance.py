"""The engine's own acceptance cases (../shared/reference/ikanos/tests.yml, 33 cases) against
the generated servers, for each tutorial syntax; MCP cases under both protocol revisions.

Run: .venv/bin/python -m pytest -q tests/issue14/test_acceptance.py
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.issue14 import shipyard
from tests.issue14.conftest import fleet_for
from tests.issue14.support import REVISIONS, Fleet, call_tool, failed_validations, rest_call, secrets, suite_cases

CASES = suite_cases()


def _variants() -> list[Any]:
    found = []
    for case in CASES:
        if case.get("type") == "rest":
            found.append(pytest.param(case, None, id=case["name"]))
        else:
            found += [pytest.param(case, rev, id=f"{case['name']}@{rev}") for rev in REVISIONS]
    return found


def test_the_suite_has_its_33_cases() -> None:
    if not CASES:
        pytest.skip("reference material not present: tests.yml")
    assert len(CASES) == 33


def run_case(fleet: Fleet, case: dict[str, Any], revision: str | None) -> Any:
    """Call what the case names on the server it names; the value the validations read."""
    kind, url = fleet.server(case["file"], case["port"])
    if case.get("type") == "rest":
        response = rest_call(url, case)
        assert response.status_code < 300, (response.status_code, response.text[:500])
        return response.json()
    assert kind == "mcp"
    token = secrets(fleet.generated.syntax)["mcp-server-token"]
    return asyncio.run(call_tool(url, str(revision), token, case["tool"], case.get("args") or {}))


@pytest.mark.parametrize(("case", "revision"), _variants())
def test_case(
    case: dict[str, Any],
    revision: str | None,
    syntax: str,
    tutorial_out: Path,
    shipyard_upstream: shipyard.Shipyard,
    fleets: dict[str, Fleet],
) -> None:
    fleet = fleet_for(syntax, tutorial_out, shipyard_upstream, fleets)
    value = run_case(fleet, case, revision)
    assert failed_validations(case, value) == [], value
