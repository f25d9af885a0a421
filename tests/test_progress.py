"""The progress bar: shown on a terminal for more than 20 specs, silent otherwise and with -q."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

NOT_A_CAPABILITY = "naftiko: 1.0.0-alpha2\n"  # rejected at load time: fast, and still counted


def _specs(folder: Path, count: int) -> Path:
    folder.mkdir()
    for number in range(count):
        (folder / f"spec{number:02}.yaml").write_text(NOT_A_CAPABILITY)
    return folder


def _stderr_on_a_terminal(*args: str) -> str:
    """Run naftiko-gen with stderr on a pseudo-terminal; return what it printed there."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode(errors="replace")


def test_bar_on_a_terminal_for_more_than_20_specs(tmp_path: Path) -> None:
    specs = _specs(tmp_path / "specs", 21)
    shown = _stderr_on_a_terminal(str(specs), "-o", str(tmp_path / "out"))
    assert "naftiko-gen" in shown and "21/21" in shown


def test_no_bar_with_quiet_or_20_specs_or_off_a_terminal(tmp_path: Path) -> None:
    many = _specs(tmp_path / "many", 21)
    assert "21/21" not in _stderr_on_a_terminal(str(many), "-o", str(tmp_path / "out"), "-q")
    few = _specs(tmp_path / "few", 20)
    assert "/20" not in _stderr_on_a_terminal(str(few), "-o", str(tmp_path / "out"))
    piped = subprocess.run([sys.executable, "-m", "generator", str(many), "-o", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True)
    assert "21/21" not in piped.stderr and "error[NG004]" in piped.stderr
