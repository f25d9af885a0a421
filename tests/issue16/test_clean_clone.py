"""A clean clone plus the README's first command leaves ``git status --porcelain`` empty:
the committed generated/ (manifest included) is what the command writes, and the run
cache it makes in the working directory ignores itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_readme_command_leaves_a_clean_clone_clean(tmp_path: Path) -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    first_command = (ROOT / "README.md").read_text(encoding="utf-8").split("\n    ", 1)[1].split("\n")[0]
    assert first_command.endswith(".venv/bin/naftiko-gen specs/ -o generated/"), first_command
    clone = tmp_path / "clone"
    _git("clone", "-q", "--no-local", str(ROOT), str(clone), cwd=tmp_path)
    # the command's last step, run with this interpreter (the venv steps only install it)
    env = {key: value for key, value in os.environ.items() if key != "NAFTIKO_GEN_CACHE_DIR"}
    env["PYTHONPATH"] = str(clone)
    command = [sys.executable, "-m", "generator", "specs/", "-o", "generated/"]
    done = subprocess.run(command, cwd=clone, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "0 files written" in done.stderr
    assert (clone / ".naftiko-gen-cache" / ".gitignore").is_file()  # the cache, in the clone
    assert _git("status", "--porcelain", "--untracked-files=all", cwd=clone) == ""
