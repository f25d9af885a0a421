"""Shared fixtures: paths, a real upstream, the generated packages on sys.path."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests import upstream as upstream_module

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
GENERATED = ROOT / "generated"
SHARED = ROOT.parent / "shared"

# Property tests run the same examples on every machine, so CI is repeatable; a slow CI
# machine must not fail them on time either. HYPOTHESIS_PROFILE=explore searches afresh
# (more examples, new seeds) when hunting for bugs on purpose.
settings.register_profile("repeatable", derandomize=True, deadline=None, database=None)
settings.register_profile("explore", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

SEED_PACKAGES = (
    "customer_io_pipelines_track",
    "customer_io_track_batch",
    "openpanel_export",
    "openpanel_track",
    "segment_pixel_tracking",
)


# Runs keep their cache (generator/output/cache.py) in one folder of this test session,
# never in the checkout; subprocesses inherit it.
os.environ.setdefault("NAFTIKO_GEN_CACHE_DIR", tempfile.mkdtemp(prefix="naftiko-gen-cache-"))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def shared_or_skip(*parts: str) -> Path:
    """A path inside ../shared, or skip the test when the reference folder is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference material not present: {path}")
    return path


@pytest.fixture()
def upstream() -> Iterator[upstream_module.Upstream]:
    server = upstream_module.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def generated_on_path() -> Iterator[Path]:
    """The committed generated/ folder importable as top-level packages."""
    sys.path.insert(0, str(GENERATED))
    try:
        yield GENERATED
    finally:
        sys.path.remove(str(GENERATED))
