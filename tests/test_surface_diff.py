"""``naftiko-gen diff OLD NEW``: API-surface changes between spec versions, on real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from generator.cli import diff as surface_cli
from tests.ci_specs import OBJECT_OUTPUT, write_spec
from tests.conftest import ROOT


def diff(tmp_path: Path, *args: str, **new: object) -> Result:
    write_spec(tmp_path / "old")
    write_spec(tmp_path / "new", **new)
    return CliRunner().invoke(surface_cli.command, [str(tmp_path / "old"), str(tmp_path / "new"), *args])


def test_no_change_reports_nothing(tmp_path: Path) -> None:
    run = diff(tmp_path, "--fail-on-breaking", description="Only the description changed.")
    assert run.exit_code == 0, run.output
    assert run.stdout == ""
    assert "0 changes, 0 breaking." in run.stderr


def test_a_renamed_tool_is_one_breaking_rename(tmp_path: Path) -> None:
    run = diff(tmp_path, tool="list-all-notes")
    assert run.exit_code == 0  # without --fail-on-breaking
    assert run.stdout.splitlines() == [
        f"{tmp_path / 'new' / 'notes.yaml'}:50:7: breaking: notes: tool 'list-notes': renamed to 'list-all-notes'"
    ]


def test_a_renamed_route_and_fail_on_breaking(tmp_path: Path) -> None:
    run = diff(tmp_path, "--fail-on-breaking", route="memos")
    assert run.exit_code == 1
    assert "breaking: notes: route 'GET /v1/notes': renamed to 'GET /v1/memos'" in run.stdout


def test_a_new_required_input_is_breaking(tmp_path: Path) -> None:
    run = diff(tmp_path, "--json", q_required=True)
    changes = json.loads(run.stdout)
    assert {(c["endpoint"], c["message"], c["breaking"]) for c in changes} == {
        ("route 'GET /v1/notes'", "input 'q' is now required", True),
        ("tool 'list-notes'", "input 'q' is now required", True),
    }


def test_an_input_renamed_is_removed_and_added(tmp_path: Path) -> None:
    run = diff(tmp_path, rest_input="query")
    lines = run.stdout.splitlines()
    assert any(line.endswith("breaking: notes: route 'GET /v1/notes': input 'q' removed") for line in lines)
    assert any(line.endswith("compatible: notes: route 'GET /v1/notes': optional input 'query' added") for line in lines)
    assert not any("tool" in line for line in lines)


def test_a_changed_output_shape_is_breaking(tmp_path: Path) -> None:
    run = diff(tmp_path, "--fail-on-breaking", output=OBJECT_OUTPUT)
    assert run.exit_code == 1
    assert "breaking: notes: tool 'list-notes': output result changed from array to object" in run.stdout


def test_added_and_removed_capabilities(tmp_path: Path) -> None:
    write_spec(tmp_path / "old", "gone.yaml")
    write_spec(tmp_path / "new", "fresh.yaml")
    run = diff(tmp_path, "--fail-on-breaking")
    assert run.exit_code == 1
    assert "breaking: gone: tool 'list-notes': removed" in run.stdout
    assert "compatible: fresh: route 'GET /v1/notes': added" in run.stdout


def test_an_unreadable_spec_is_reported_and_exits_1(tmp_path: Path) -> None:
    write_spec(tmp_path / "old")
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "notes.yaml").write_text("naftiko: [\n")
    run = CliRunner().invoke(surface_cli.command, [str(tmp_path / "old"), str(tmp_path / "new")])
    assert run.exit_code == 1
    assert "error[NG002]" in run.stderr


def test_diff_and_the_generating_form_share_one_command(tmp_path: Path) -> None:
    """``naftiko-gen diff`` is dispatched by the real entry point; a missing path is a usage error."""
    write_spec(tmp_path / "old")
    write_spec(tmp_path / "new", tool="list-all-notes")
    run = subprocess.run(
        [sys.executable, "-m", "generator", "diff", str(tmp_path / "old" / "notes.yaml"), str(tmp_path / "new" / "notes.yaml"), "--fail-on-breaking"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert run.returncode == 1, run.stderr
    assert "renamed to 'list-all-notes'" in run.stdout
    run = subprocess.run([sys.executable, "-m", "generator", "diff", str(tmp_path / "nowhere"), str(tmp_path / "new")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 2
