"""Shared paths and helpers for the migrate tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "reference" / "ikanos"
TUTORIAL = SHARED / "corpus" / "official" / "tutorial"
OFFICIAL = SHARED / "corpus" / "official"
DEV = SHARED / "corpus" / "dev"
SEEDS = SHARED / "seeds"
BETA5 = REFERENCE / "schema" / "ikanos-schema-1.0.0-beta5.json"


def need_shared() -> None:
    if not BETA5.is_file() or not TUTORIAL.is_dir():
        pytest.skip("../shared (reference schema and corpus) is not here")


def dev_sample(step: int) -> list[Path]:
    """Every ``step``-th spec of the dev corpus, in name order (deterministic)."""
    return sorted(DEV.glob("*.yaml"))[::step]


def naftiko_gen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
