"""Writing ahead (output.Stager): each spec's files go to a staging folder inside OUT as soon
as the spec is generated, while later specs are still being generated; the swap then only
renames. Whatever the run ends with, nothing is left half-written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import command as cli
from generator.cli import exits
from generator.output import writer as output
from generator import pipeline
from tests.ci_specs import write_spec


def gen(*args: str) -> tuple[int, str]:
    run = CliRunner().invoke(cli.command, ["specs", "-o", "out", *args])
    return run.exit_code, run.stderr


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("a-notes", "b-notes", "c-notes"):
        write_spec(tmp_path / "specs", name=f"{name}.yaml")
    return tmp_path


def staging_folders(out: Path) -> list[Path]:
    return sorted(out.glob(output.STAGING_PREFIX + "*")) if out.is_dir() else []


def test_files_are_staged_while_later_specs_are_still_generated(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    real_process, real_stage = pipeline.process, output.Stager.stage

    def process(path: Path, options: pipeline.Options, source: str | None = None, cores: int = 1) -> pipeline.SpecResult:
        events.append(f"generate {path.stem}")
        return real_process(path, options, source, cores)

    def stage(self: output.Stager, files: dict) -> dict | None:
        events.append("stage " + sorted(files)[0].parts[0])
        return real_stage(self, files)

    monkeypatch.setattr(pipeline, "process", process)
    monkeypatch.setattr(output.Stager, "stage", stage)
    code, stderr = gen("-j", "1")
    assert code == 0, stderr
    assert events == ["generate a-notes", "stage a_notes", "generate b-notes", "stage b_notes", "generate c-notes", "stage c_notes"]
    assert (workdir / "out" / "c_notes" / "client.py").is_file()
    assert staging_folders(workdir / "out") == []


def test_written_output_is_the_same_with_or_without_staging(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert gen()[0] == 0
    monkeypatch.setattr(output.Stager, "stage", lambda self, files: None)  # apply writes all
    assert CliRunner().invoke(cli.command, ["specs", "-o", "plain"]).exit_code == 0
    staged = {p.relative_to(workdir / "out"): p.read_bytes() for p in (workdir / "out").rglob("*.py")}
    plain = {p.relative_to(workdir / "plain"): p.read_bytes() for p in (workdir / "plain").rglob("*.py")}
    assert staged == plain and len(staged) > 20


def test_a_refused_run_leaves_no_output_folder_and_no_staging(workdir: Path) -> None:
    (workdir / "specs" / "z-broken.yaml").write_text("naftiko: 1.0.0-alpha2\ninfo: 7\n", encoding="utf-8")
    code, stderr = gen()
    assert code == 1 and "nothing written" in stderr
    assert not (workdir / "out").exists()  # the staging folder and the OUT it needed are gone


def test_a_refused_run_leaves_an_existing_output_as_it_was(workdir: Path) -> None:
    assert gen()[0] == 0
    before = {p: p.read_bytes() for p in (workdir / "out").rglob("*") if p.is_file()}
    write_spec(workdir / "specs", name="a-notes.yaml", description="Changed notes.")
    (workdir / "specs" / "z-broken.yaml").write_text("naftiko: 1.0.0-alpha2\ninfo: 7\n", encoding="utf-8")
    assert gen()[0] == 1
    after = {p: p.read_bytes() for p in (workdir / "out").rglob("*") if p.is_file()}
    assert after == before
    assert staging_folders(workdir / "out") == []


def test_a_run_that_fails_after_staging_removes_what_it_staged(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_plan(*args: object, **kwargs: object) -> output.Plan:
        raise RuntimeError("plan failed")

    monkeypatch.setattr(output, "plan", broken_plan)
    code, _ = gen()
    assert code == exits.EXIT_INTERNAL
    assert not (workdir / "out").exists()


def test_a_killed_run_leaves_staging_that_the_next_run_removes(workdir: Path) -> None:
    assert gen()[0] == 0
    leftover = workdir / "out" / f"{output.STAGING_PREFIX}-killed" / "new" / "a_notes"
    leftover.mkdir(parents=True)
    (leftover / "client.py").write_text("half", encoding="utf-8")
    write_spec(workdir / "specs", name="a-notes.yaml", description="Changed notes.")
    assert gen()[0] == 0
    assert staging_folders(workdir / "out") == []
    assert "Changed notes." in (workdir / "out" / "a_notes" / "app.py").read_text(encoding="utf-8")


def test_a_run_keeps_digests_not_texts_once_files_are_staged(workdir: Path) -> None:
    """Once a spec's files are staged, its result holds their digests (the corpus makes
    hundreds of megabytes of code), and the swap still writes every byte."""
    from generator.output import manifest
    from generator.output.staged import Staged

    stager = output.Stager(workdir / "out")
    result = pipeline.generate([workdir / "specs"], on_files=stager.stage)
    texts = pipeline.generate([workdir / "specs"]).files()
    held = result.files()
    assert held and set(held) == set(texts)
    assert all(isinstance(content, Staged) for content in held.values())
    assert {path: content.digest for path, content in held.items()} == {path: manifest.sha256_text(text) for path, text in texts.items()}
    stager.discard()
    code, _ = gen()  # the command stages the same way, and the swap moves staged files
    assert code == 0
    for path, text in texts.items():
        assert (workdir / "out" / path).read_text(encoding="utf-8") == text
