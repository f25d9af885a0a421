"""Compiled templates are kept in the user's cache folder between runs; the output is the
same with the cache, without it, and when the folder cannot be made."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SPECS, snapshot


def generate(tmp: Path, name: str, **env: str) -> dict[str, bytes]:
    out = tmp / name
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "generator", str(SPECS), "-o", str(out), "-q", "-j", "1"]
    subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True, timeout=300)
    files = snapshot(out)
    files.pop(".naftiko-gen.json", None)  # records the output folder's path
    return files


def test_templates_are_compiled_once_and_the_output_does_not_depend_on_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = generate(tmp_path, "first", XDG_CACHE_HOME=str(cache), NAFTIKO_GEN_CACHE="")
    kept = sorted((cache / "naftiko-gen" / "templates").iterdir())
    assert len(kept) >= 5, "one compiled entry per template used"
    stamps = [p.stat().st_mtime_ns for p in kept]
    assert generate(tmp_path, "second", XDG_CACHE_HOME=str(cache), NAFTIKO_GEN_CACHE="") == first
    assert [p.stat().st_mtime_ns for p in kept] == stamps, "the second run loads, it does not compile again"
    off = tmp_path / "off"
    assert generate(tmp_path, "uncached", XDG_CACHE_HOME=str(off), NAFTIKO_GEN_CACHE="off") == first
    assert not off.exists()
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert generate(tmp_path, "blocked", XDG_CACHE_HOME=str(blocked), NAFTIKO_GEN_CACHE="") == first
