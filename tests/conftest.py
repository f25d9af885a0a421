"""Shared fixtures: paths, a real upstream, the generated packages on sys.path."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import upstream as upstream_module

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
GENERATED = ROOT / "generated"
SHARED = ROOT.parent / "shared"

SEED_PACKAGES = (
    "customer_io_pipelines_track",
    "customer_io_track_batch",
    "openpanel_export",
    "openpanel_track",
    "segment_pixel_tracking",
)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, but the fast-path index (a cache of
    folder times that any run may rewrite, see generator/fastpath.py)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".naftiko-gen.index"
    }


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
