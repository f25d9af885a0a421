"""Line length: 88 (black's default) unless ``--line-length N``; no configuration is read;
the choice is recorded in the manifest, and runs without the option (``--check``,
incremental) use the recorded one."""

from __future__ import annotations

import json
from pathlib import Path

import black
import pytest
from click.testing import CliRunner, Result

from generator.cli import command as cli
from generator.emit import fmt
from generator.output import cache, manifest
from tests.conftest import SPECS


def gen(out: Path, *args: str) -> Result:
    return CliRunner().invoke(cli.command, [str(SPECS), "-o", str(out), "-q", "-j", "1", *args])


def _black_stable(out: Path, line_length: int) -> list[str]:
    mode = fmt.mode(line_length)
    return [str(p) for p in sorted(out.rglob("*.py")) if black.format_str(p.read_text(), mode=mode) != p.read_text()]


@pytest.mark.parametrize("line_length", [88, 100, 120])
def test_output_is_black_at_the_chosen_length_and_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line_length: int) -> None:
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 60\n")  # never read
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    args = () if line_length == 88 else ("--line-length", str(line_length))
    assert gen(out, *args).exit_code == 0
    assert json.loads((out / manifest.FILENAME).read_text())["line_length"] == line_length
    assert _black_stable(out, line_length) == []
    check = gen(out, "--check")  # no option: the recorded length
    assert check.exit_code == 0, check.output
    again = CliRunner().invoke(cli.command, [str(SPECS), "-o", str(out), "-j", "1"])
    assert again.exit_code == 0 and "0 files written" in again.stderr


def test_default_output_passes_black_check_without_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    out = tmp_path / "out"
    assert gen(out).exit_code == 0
    assert _black_stable(out, black.DEFAULT_LINE_LENGTH) == []
    wider = tmp_path / "wider"
    assert gen(wider, "--line-length", "120").exit_code == 0
    assert (out / "openpanel_export" / "client.py").read_text() != (wider / "openpanel_export" / "client.py").read_text()
