"""Hermetic output: the bytes of OUT (packages and manifest) depend neither on the
working directory nor on where the checkout lives, and OUT holds nothing
machine-specific (the run cache lives outside it). The seeds are generated from two
checkout locations, each from the checkout's root and from its parent folder, and
every byte is compared; no generated file names an absolute path or the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SPECS, snapshot


def _checkout(where: Path) -> Path:
    """A copy of what generation reads: the generator, its templates and the seeds."""
    for name in ("generator", "templates", "specs"):
        shutil.copytree(ROOT / name, where / name, ignore=shutil.ignore_patterns("__pycache__"))
    return where


def _generate(checkout: Path, cwd: Path, cache: Path) -> dict[str, bytes]:
    prefix = os.path.relpath(checkout, cwd)
    specs, out = os.path.join(prefix, "specs"), os.path.join(prefix, "generated")
    env = {**os.environ, "PYTHONPATH": str(checkout), "NAFTIKO_GEN_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "generator", specs, "-o", out, "-q", "-j", "1"]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return snapshot(checkout / "generated")


def test_output_bytes_do_not_depend_on_the_working_dir_or_checkout(tmp_path: Path) -> None:
    first = _checkout(tmp_path / "one" / "repo")
    second = _checkout(tmp_path / "elsewhere" / "much" / "deeper" / "repo")
    runs = []
    for checkout in (first, second):
        for cwd in (checkout, checkout.parent):  # inside the repository, and from its parent
            shutil.rmtree(checkout / "generated", ignore_errors=True)
            runs.append(_generate(checkout, cwd, tmp_path / f"cache-{len(runs)}"))
    assert len(runs[0]) > 40 and ".naftiko-gen.json" in runs[0]
    for other in runs[1:]:
        assert other.keys() == runs[0].keys()
        assert [name for name in runs[0] if other[name] != runs[0][name]] == []
    for name, data in runs[0].items():
        text = data.decode("utf-8")
        assert str(tmp_path) not in text and "/repo/" not in text, name
    assert not any(name.endswith(".naftiko-gen.index") for name in runs[0])  # no cache in OUT


def test_the_committed_output_matches_a_run_from_elsewhere(tmp_path: Path) -> None:
    """The golden folder, generated from another working directory, byte for byte."""
    checkout = _checkout(tmp_path / "repo")
    assert _generate(checkout, tmp_path, tmp_path / "cache") == snapshot(ROOT / "generated")
    assert SPECS.is_dir()
