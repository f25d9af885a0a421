"""Session fixtures of the acceptance suite: one fake upstream, one generated tutorial and
one set of running servers per syntax."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import shared_or_skip
from tests.issue14 import shipyard
from tests.issue14.support import OPENAPI, Fleet, Generated, generate_tutorial


@pytest.fixture(scope="session")
def shipyard_upstream() -> Iterator[shipyard.Shipyard]:
    shared_or_skip("reference", "ikanos", "openapi")
    server = shipyard.start(OPENAPI)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session", params=["alpha2", "ikanos"])
def syntax(request: pytest.FixtureRequest) -> str:
    return str(request.param)


_GENERATED: dict[str, Generated | str] = {}  # syntax -> its generated tutorial, or why it skips


@pytest.fixture(scope="session")
def tutorial_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tutorial")


def generated_for(syntax: str, out: Path) -> Generated:
    """The tutorial of ``syntax`` generated once per session (a skip is remembered too)."""
    if syntax not in _GENERATED:
        try:
            _GENERATED[syntax] = generate_tutorial(syntax, out / syntax)
        except pytest.skip.Exception as skipped:
            _GENERATED[syntax] = str(skipped.msg)
    found = _GENERATED[syntax]
    if isinstance(found, str):
        pytest.skip(found)
    return found


_FLEETS: dict[str, Fleet] = {}


@pytest.fixture(scope="session")
def fleets() -> Iterator[dict[str, Fleet]]:
    try:
        yield _FLEETS
    finally:
        for fleet in _FLEETS.values():
            fleet.close()


def fleet_for(syntax: str, out: Path, upstream: shipyard.Shipyard, fleets: dict[str, Fleet]) -> Fleet:
    generated = generated_for(syntax, out)
    if syntax not in fleets:
        fleets[syntax] = Fleet(generated, upstream)
    return fleets[syntax]
