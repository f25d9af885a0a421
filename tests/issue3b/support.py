"""Generate the issue-3b test specs into a folder the app processes run from."""

from __future__ import annotations

import base64
from pathlib import Path

from generator import pipeline

SPECS3B = Path(__file__).resolve().parents[1] / "specs3b"
PROBLEM = "application/problem+json"


def generate(out: Path, *names: str) -> Path:
    """Run the real pipeline on specs3b files and write the packages under ``out``."""
    result = pipeline.generate([SPECS3B / name for name in names])
    assert result.ok, [d.format_text() for d in result.diagnostics]
    for rel, text in result.files().items():
        target = out / str(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return out


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
