"""The no-op fast path (generator/output/fastpath.py): a run in which nothing changed replays
the last report from OUT's index in the run cache without loading the manifest or any spec;
any change falls through to the normal run."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import command as cli
from generator.cli import exits
from generator.output import fastpath, manifest
from tests.ci_specs import write_spec


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_spec(tmp_path / "specs")
    (tmp_path / "specs" / "broken.yaml").write_text("naftiko: 1.0.0-alpha2\ninfo: 7\n")  # refused: replayed too
    return tmp_path


def gen(*args: str) -> Result:
    return CliRunner().invoke(cli.command, ["specs", "-o", "out", "--keep-going", *args])


class ManifestRead(Exception):
    pass


def refuse_manifest(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any read of the manifest fail loudly: only the fast path can then answer, and a
    run that goes the normal way ends as an internal error naming ManifestRead."""

    def refuse(out_dir: Path) -> None:
        raise ManifestRead(str(out_dir))

    monkeypatch.setattr(manifest, "load", refuse)


def went_the_normal_way(run: Result) -> bool:
    return run.exit_code == exits.EXIT_INTERNAL and "ManifestRead" in run.stderr


def test_a_no_op_run_replays_what_the_normal_run_prints(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = gen()
    assert first.exit_code == 1  # broken.yaml is refused; notes is written
    assert fastpath.index_path(workdir / "out").is_file()
    with monkeypatch.context() as patched:
        patched.setattr(fastpath, "replay", lambda *args: None)
        normal = gen()  # the manifest's per-spec skip: what a no-op run prints
    assert "1 generated (1 unchanged)" in normal.stderr and "0 files written" in normal.stderr
    refuse_manifest(monkeypatch)
    fast = gen()
    assert (fast.exit_code, fast.stdout, fast.stderr) == (normal.exit_code, normal.stdout, normal.stderr)
    assert "error[" in fast.stderr and "broken.yaml" in fast.stderr


@pytest.mark.parametrize(
    "change",
    ["spec edited", "spec added", "generated file deleted", "other options", "manifest touched"],
)
def test_any_change_falls_through_to_the_normal_run(workdir: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    gen()
    args: tuple[str, ...] = ()
    if change == "spec edited":
        write_spec(workdir / "specs", description="Changed.")
    elif change == "spec added":
        write_spec(workdir / "specs", "other.yaml")
    elif change == "generated file deleted":
        (workdir / "out" / "notes" / "client.py").unlink()
    elif change == "other options":
        args = ("--strict",)
    else:
        data = (workdir / "out" / manifest.FILENAME).read_text()
        (workdir / "out" / manifest.FILENAME).write_text(data + " ")
    refuse_manifest(monkeypatch)
    assert went_the_normal_way(gen(*args))


def test_a_file_deleted_after_a_replayable_run_is_named_then_restored_with_force(workdir: Path) -> None:
    gen()
    (workdir / "out" / "notes" / "client.py").unlink()
    run = gen()
    assert run.exit_code == 1 and "nothing written" in run.stderr
    assert "out/notes/client.py:1:1: error[NG504]: will not overwrite or delete: deleted by hand" in run.stderr
    assert not (workdir / "out" / "notes" / "client.py").exists()
    assert "1 file written" in gen("--force").stderr
    assert (workdir / "out" / "notes" / "client.py").is_file()


def test_check_and_force_never_replay(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gen()
    refuse_manifest(monkeypatch)
    assert not went_the_normal_way(gen())  # the control: a plain run replays
    for flag in ("--check", "--force"):
        assert went_the_normal_way(gen(flag)), flag
