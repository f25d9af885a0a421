"""``naftiko-gen migrate`` as a command: in-place writes, --check, exit codes, reports."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.issue13m.helpers import naftiko_gen
from tests.issue13m.test_migrate_text import MIGRATED, SPEC

DUPLICATE = "naftiko: 1.0.0-alpha2\ncapability:\n  exposes:\n  - type: mcp\n    namespace: m\n"
DUPLICATE += (
    "    tools:\n    - name: a\n      description: x\n    - name: a\n      description: y\n"
)


def _tree(tmp_path: Path) -> Path:
    specs = tmp_path / "specs"
    (specs / "sub").mkdir(parents=True)
    (specs / "notes.yaml").write_text(SPEC, encoding="utf-8")
    (specs / "sub" / "new.yml").write_text("ikanos: 1.0.0-beta5\ncapability: {}\n")
    (specs / "sub" / "secrets.yaml").write_text("token: abc\n")
    os.chmod(specs / "notes.yaml", 0o640)
    return specs


def _bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_check_lists_what_would_change_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    specs = _tree(tmp_path)
    before = _bytes(specs)
    result = naftiko_gen("migrate", "specs", "--check", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert (
        "specs/notes.yaml:1:1: error[NG607]: would be rewritten into ikanos 1.0.0-beta5"
        in result.stderr
    )
    assert "new.yml" not in result.stderr and "secrets" not in result.stderr
    assert "1 would be rewritten, 1 already ikanos" in result.stderr
    assert _bytes(specs) == before


def test_migrate_rewrites_in_place_then_check_passes(tmp_path: Path) -> None:
    specs = _tree(tmp_path)
    result = naftiko_gen("migrate", "specs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "migrated specs/notes.yaml\n"
    assert (specs / "notes.yaml").read_text(encoding="utf-8") == MIGRATED
    assert stat.S_IMODE((specs / "notes.yaml").stat().st_mode) == 0o640
    assert sorted(_bytes(specs)) == [
        "notes.yaml",
        "sub/new.yml",
        "sub/secrets.yaml",
    ]  # no temp files
    again = naftiko_gen("migrate", "specs", "--check", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    second = naftiko_gen("migrate", "specs", cwd=tmp_path)
    assert second.returncode == 0 and second.stdout == ""
    assert (specs / "notes.yaml").read_text(encoding="utf-8") == MIGRATED


def test_a_refused_file_is_not_written_and_the_run_exits_1(tmp_path: Path) -> None:
    specs = _tree(tmp_path)
    (specs / "dup.yaml").write_text(DUPLICATE)
    result = naftiko_gen("migrate", "specs", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "specs/dup.yaml:9:7: error[NG601]: two tool entries are named 'a' (lines 7 and 9)"
        in result.stderr
    )
    assert "specs/dup.yaml:1:1: error[NG600]: not migrated: nothing was written" in result.stderr
    assert (specs / "dup.yaml").read_text() == DUPLICATE
    assert (specs / "notes.yaml").read_text(encoding="utf-8") == MIGRATED  # the others are


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = naftiko_gen("migrate", "nowhere", cwd=tmp_path)
    assert missing.returncode == 2 and "no such file or folder: nowhere" in missing.stderr
    assert naftiko_gen("migrate", cwd=tmp_path).returncode == 2


def test_the_pre_commit_hook_runs_migrate_check(tmp_path: Path) -> None:
    """The hook's entry, given the staged files as pre-commit does, fails then passes."""
    import shlex

    import yaml

    from tests.issue13m.helpers import ROOT

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    [hook] = [h for h in hooks if h["id"] == "naftiko-gen-migrate-check"]
    assert hook["pass_filenames"] is True
    program, *args = shlex.split(hook["entry"])
    assert program == "naftiko-gen" and args == ["migrate", "--check"]
    specs = _tree(tmp_path)
    staged = ["specs/notes.yaml", "specs/sub/new.yml", "specs/sub/secrets.yaml"]
    assert naftiko_gen(*args, *staged, cwd=tmp_path).returncode == 1
    assert naftiko_gen("migrate", "specs", "-q", cwd=tmp_path).returncode == 0
    assert naftiko_gen(*args, *staged, cwd=tmp_path).returncode == 0
    assert (specs / "notes.yaml").read_text(encoding="utf-8") == MIGRATED


def test_a_symlinked_spec_is_migrated_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text(SPEC, encoding="utf-8")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "link.yaml").symlink_to(real)
    result = naftiko_gen("migrate", "specs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "specs" / "link.yaml").is_symlink()
    assert real.read_text(encoding="utf-8") == MIGRATED
