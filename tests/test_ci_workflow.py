"""The CI workflow on real files in temp folders: --check, the manifest, hand edits,
atomic writes, incremental runs, --force, --error-format, --version."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import command as cli
from generator.cli import exits
from generator.output import fastpath, manifest, writer as output
from generator.emit import fmt, render
from tests.ci_specs import IMPORTING, SHARED_CONSUMES, write_spec
from tests.conftest import GENERATED, ROOT, SPECS, snapshot


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp folder as the working dir, with specs/notes.yaml in it."""
    monkeypatch.chdir(tmp_path)
    write_spec(tmp_path / "specs")
    return tmp_path


def gen(*args: str) -> Result:
    return CliRunner().invoke(cli.command, ["specs", "-o", "out", "-q", *args])


def test_first_run_writes_files_and_a_manifest_of_their_digests(workdir: Path) -> None:
    run = gen()
    assert run.exit_code == 0, run.output
    data = json.loads((workdir / "out" / manifest.FILENAME).read_text())
    assert set(data["generator"]) == {"naftiko-gen", "black", "jinja2"}  # versions only
    assert data["line_length"] == 88
    entry = data["specs"]["../specs/notes.yaml"]  # named relative to OUT
    assert entry["inputs"] == {"../specs/notes.yaml": manifest.sha256_file(workdir / "specs" / "notes.yaml")}
    assert sorted(entry["files"]) == sorted(f"notes/{name}" for name in (*render.PACKAGE_FILES, "README.md", "py.typed"))
    for name, digest in entry["files"].items():
        assert manifest.sha256_file(workdir / "out" / name) == digest
    # versions live in the manifest only, never in generated files
    for name in entry["files"]:
        text = (workdir / "out" / name).read_text()
        assert data["generator"]["black"] not in text and manifest.generator_digest() not in text


def test_check_is_clean_after_a_run_and_writes_nothing(workdir: Path) -> None:
    gen()
    before = snapshot(workdir / "out")
    run = gen("--check")
    assert run.exit_code == 0, run.output
    assert snapshot(workdir / "out") == before


def test_check_reports_a_changed_file_with_a_unified_diff(workdir: Path) -> None:
    gen()
    client = workdir / "out" / "notes" / "client.py"
    client.write_text(client.read_text().replace("List notes.", "List all notes."))
    before = snapshot(workdir / "out")
    run = gen("--check")
    assert run.exit_code == 1
    assert "out/notes/client.py:" in run.stderr and "error[NG501]: generated file is out of date" in run.stderr
    assert "--- notes/client.py (on disk)" in run.stdout
    assert "-" in run.stdout and "+" in run.stdout and "List all notes." in run.stdout
    assert snapshot(workdir / "out") == before


def test_check_reports_a_missing_file(workdir: Path) -> None:
    gen()
    (workdir / "out" / "notes" / "router.py").unlink()
    run = gen("--check")
    assert run.exit_code == 1
    assert "out/notes/router.py:1:1: error[NG502]: generated file is missing" in run.stderr
    assert not (workdir / "out" / "notes" / "router.py").exists()


def test_check_reports_an_extra_file_when_a_spec_is_removed(workdir: Path) -> None:
    write_spec(workdir / "specs", "other.yaml")
    gen()
    (workdir / "specs" / "other.yaml").unlink()
    run = gen("--check")
    assert run.exit_code == 1
    assert "out/other/client.py:1:1: error[NG503]: file is no longer generated" in run.stderr
    assert (workdir / "out" / "other" / "client.py").exists()


def test_check_reports_drift_when_the_spec_changed(workdir: Path) -> None:
    gen()
    write_spec(workdir / "specs", description="Notes, now described differently.")
    run = gen("--check")
    assert run.exit_code == 1
    assert "Notes, now described differently." in run.stdout


def test_check_exits_2_on_a_usage_error(workdir: Path) -> None:
    run = CliRunner().invoke(cli.command, ["nowhere", "-o", "out", "--check"])
    assert run.exit_code == 2
    assert "no such file or folder: nowhere" in run.stderr
    run = CliRunner().invoke(cli.command, ["specs", "--check"])  # no -o
    assert run.exit_code == 2


def test_a_stale_file_we_own_is_deleted_and_its_folder_removed(workdir: Path) -> None:
    write_spec(workdir / "specs", "other.yaml")
    gen()
    (workdir / "specs" / "other.yaml").unlink()
    run = gen()
    assert run.exit_code == 0, run.output
    assert not (workdir / "out" / "other").exists()
    assert (workdir / "out" / "notes" / "client.py").exists()
    assert "specs/other.yaml" not in json.loads((workdir / "out" / manifest.FILENAME).read_text())["specs"]


def test_a_hand_edited_file_is_not_overwritten_without_force(workdir: Path) -> None:
    gen()
    router = workdir / "out" / "notes" / "router.py"
    router.write_text(router.read_text() + "\n# my local fix\n")
    write_spec(workdir / "specs", description="A new description.")  # the spec changes too
    before = snapshot(workdir / "out")
    run = gen()
    assert run.exit_code == 1
    assert "out/notes/router.py:1:1: error[NG504]: will not overwrite or delete: edited by hand" in run.stderr
    assert "--force" in run.stderr
    assert snapshot(workdir / "out") == before  # nothing written at all
    run = gen("--force")
    assert run.exit_code == 0, run.output
    assert "# my local fix" not in router.read_text()
    assert "A new description." in (workdir / "out" / "notes" / "__init__.py").read_text()


def test_a_hand_edited_stale_file_is_kept(workdir: Path) -> None:
    write_spec(workdir / "specs", "other.yaml")
    gen()
    edited = workdir / "out" / "other" / "app.py"
    edited.write_text(edited.read_text() + "# keep me\n")
    (workdir / "specs" / "other.yaml").unlink()
    run = gen()
    assert run.exit_code == 1
    assert "out/other/app.py:1:1: error[NG504]: will not overwrite or delete: no longer generated, but edited by hand" in run.stderr
    assert edited.exists()
    assert gen("--force").exit_code == 0
    assert not edited.exists()


def test_a_file_that_is_not_ours_is_never_overwritten(workdir: Path) -> None:
    foreign = workdir / "out" / "notes" / "client.py"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("# my own client\n")
    run = gen()
    assert run.exit_code == 1
    assert "not written by naftiko-gen" in run.stderr
    assert foreign.read_text() == "# my own client\n"


def test_an_interrupted_swap_leaves_the_old_output_whole(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gen()
    write_spec(workdir / "specs", description="Second version.", tool="list-all-notes")
    before = snapshot(workdir / "out")
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src: str | Path, dst: str | Path) -> None:
        calls["n"] += 1
        if calls["n"] == 5:  # a few files are already swapped in
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", failing_replace)
    run = gen()
    assert run.exit_code == exits.EXIT_INTERNAL
    assert calls["n"] > 5  # the failing call, then the roll-back put files back
    monkeypatch.setattr(output.os, "replace", real_replace)
    assert snapshot(workdir / "out") == before
    assert not list((workdir / "out").glob(output.STAGING_PREFIX + "*"))
    assert gen().exit_code == 0
    assert "Second version." in (workdir / "out" / "notes" / "__init__.py").read_text()


def test_a_killed_run_is_recovered_from_its_staging_folder(workdir: Path) -> None:
    gen()
    before = snapshot(workdir / "out")
    client = workdir / "out" / "notes" / "client.py"
    backup = workdir / "out" / (output.STAGING_PREFIX + "-x") / "old" / "notes" / "client.py"
    backup.parent.mkdir(parents=True)
    os.replace(client, backup)  # killed after moving the old file aside
    run = CliRunner().invoke(cli.command, ["specs", "-o", "out"])
    assert run.exit_code == 0, run.output
    assert "restored out/notes/client.py from an interrupted run" in run.stderr
    assert snapshot(workdir / "out") == before


def test_an_unchanged_spec_skips_render_and_format(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_spec(workdir / "specs", "other.yaml")
    gen()
    calls: list[str] = []
    real_render, real_format = render.render, fmt.format_files

    def spy_render(capability, parallel=False):  # type: ignore[no-untyped-def]
        calls.append(f"render {capability.package}")
        return real_render(capability, parallel)

    def spy_format(files):  # type: ignore[no-untyped-def]
        calls.append("format")
        return real_format(files)

    monkeypatch.setattr(render, "render", spy_render)
    monkeypatch.setattr(fmt, "format_files", spy_format)
    before = snapshot(workdir / "out")
    monkeypatch.setattr(fastpath, "replay", lambda *args: None)  # the manifest's per-spec skip
    run = CliRunner().invoke(cli.command, ["specs", "-o", "out"])
    assert run.exit_code == 0, run.output
    assert calls == []
    assert "2 generated (2 unchanged)" in run.stderr
    assert "warning[NG117]" in run.stderr  # diagnostics are replayed from the manifest
    assert snapshot(workdir / "out") == before
    write_spec(workdir / "specs", "other.yaml", description="Changed.")
    assert gen().exit_code == 0
    assert calls == ["render other", "format"]
    assert "Changed." in (workdir / "out" / "other" / "__init__.py").read_text()


def test_a_missing_output_file_defeats_the_skip(workdir: Path) -> None:
    gen()
    (workdir / "out" / "notes" / "app.py").unlink()
    run = gen()
    assert run.exit_code == 1 and "out/notes/app.py" in run.stderr  # deleted by hand: named
    assert gen("--force").exit_code == 0
    assert (workdir / "out" / "notes" / "app.py").exists()


def test_other_options_or_another_generator_defeat_the_skip(workdir: Path) -> None:
    gen()
    path = workdir / "out" / manifest.FILENAME
    data = json.loads(path.read_text())
    data["generator"]["black"] = "0.0"
    path.write_text(json.dumps(data))
    run = CliRunner().invoke(cli.command, ["specs", "-o", "out"])
    assert "(1 unchanged)" not in run.stderr
    assert json.loads(path.read_text())["generator"] == manifest.fingerprint()
    run = CliRunner().invoke(cli.command, ["specs", "-o", "out", "--strict"])
    assert "(1 unchanged)" not in run.stderr


def test_github_error_format_gives_workflow_annotations(workdir: Path) -> None:
    (workdir / "specs" / "broken.yaml").write_text("naftiko: 1.0.0-alpha2\ncapability:\n  consumes: [\n")
    run = CliRunner().invoke(cli.command, ["specs", "-o", "out", "--error-format", "github"])
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert any(line.startswith("::error file=specs/broken.yaml,line=") and ",title=NG002::invalid YAML" in line for line in lines), lines
    assert any(line.startswith("::warning file=specs/notes.yaml,line=42,col=11,title=NG117::") for line in lines), lines
    assert "%0Ahint: " in run.stdout  # the hint is a second line of the annotation
    assert "error[" not in run.stderr


def test_github_format_escapes_newlines_percent_commas_and_colons() -> None:
    from generator.read.diagnostics import Diagnostic, Severity
    from generator.cli.report import format_github

    line = format_github(Diagnostic(Severity.ERROR, "NG999", "50% done\nnext", "a,b:c.yaml", 3, 4, "try: this"))
    assert line == "::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=NG999::50%25 done%0Anext%0Ahint: try: this"


def test_json_error_format_gives_one_object_per_line(workdir: Path) -> None:
    (workdir / "specs" / "broken.yaml").write_text("naftiko: 1.0.0-alpha2\ncapability:\n  consumes: [\n")
    run = CliRunner().invoke(cli.command, ["specs", "-o", "out", "--error-format", "json"])
    found = [json.loads(line) for line in run.stdout.splitlines()]
    assert {d["code"] for d in found} == {"NG002", "NG117", "NG403"}
    broken = next(d for d in found if d["code"] == "NG002")
    assert broken["file"] == "specs/broken.yaml" and broken["severity"] == "error" and broken["line"] >= 3


def test_check_in_github_format_annotates_the_first_changed_line(workdir: Path) -> None:
    gen()
    client = workdir / "out" / "notes" / "client.py"
    lines = client.read_text().splitlines(keepends=True)
    lines[9] = "# edited\n"
    client.write_text("".join(lines))
    run = gen("--check", "--error-format", "github")
    assert run.exit_code == 1
    assert "::error file=out/notes/client.py,line=10,col=1,title=NG501::generated file is out of date" in run.stdout


def test_version_names_the_generator_and_black() -> None:
    run = CliRunner().invoke(cli.command, ["--version"])
    assert run.exit_code == 0
    assert run.stdout.startswith("naftiko-gen 0.1.0 (black 26.10.1, code ")


def test_the_committed_generated_folder_passes_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    run = CliRunner().invoke(cli.command, [str(SPECS.relative_to(ROOT)), "-o", str(GENERATED.relative_to(ROOT)), "--check", "-q"])
    assert run.exit_code == 0, run.output


def test_pre_commit_hooks_run_the_real_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each hook's entry plus the documented args is a working naftiko-gen command line."""
    import shlex
    import tomllib

    import yaml

    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"naftiko-gen", "naftiko-gen-check", "naftiko-gen-migrate-check"}
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    monkeypatch.chdir(tmp_path)
    write_spec(tmp_path / "specs")
    for hook_id in ("naftiko-gen", "naftiko-gen-check"):  # generate, then check: clean
        program, *args = shlex.split(hooks[hook_id]["entry"])
        assert program in scripts and hooks[hook_id]["pass_filenames"] is False
        run = CliRunner().invoke(cli.command, [*args, "specs", "-o", "out", "-q"])
        assert run.exit_code == 0, run.output
    assert (tmp_path / "out" / "notes" / "client.py").exists()


def test_a_changed_imported_file_defeats_the_skip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "specs" / "shared").mkdir(parents=True)
    shared = tmp_path / "specs" / "shared" / "notes-api.yml"  # .yml next to the spec: not itself a spec
    shared.write_text(SHARED_CONSUMES.format(base="https://one.example.com"))
    (tmp_path / "specs" / "importer.yaml").write_text(IMPORTING)
    run = CliRunner().invoke(cli.command, ["specs/importer.yaml", "-o", "out", "-q"])
    assert run.exit_code == 0, run.output
    entry = json.loads((tmp_path / "out" / manifest.FILENAME).read_text())["specs"]["../specs/importer.yaml"]
    assert set(entry["inputs"]) == {"../specs/importer.yaml", "../specs/shared/notes-api.yml"}
    shared.write_text(SHARED_CONSUMES.format(base="https://two.example.com"))
    run = CliRunner().invoke(cli.command, ["specs/importer.yaml", "-o", "out", "--check", "-q"])
    assert run.exit_code == 1 and "two.example.com" in run.stdout
    assert CliRunner().invoke(cli.command, ["specs/importer.yaml", "-o", "out", "-q"]).exit_code == 0
    assert "two.example.com" in (tmp_path / "out" / "importer" / "client.py").read_text()
