"""The no-op fast path (generator/output/fastpath.py): a run in which nothing changed replays
the last report from OUT's index in the run cache without loading the manifest or any spec;
any change falls through to the normal run."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from generator.cli import command as cli
from generator.cli import exits
from generator import pipeline
from generator.output import fastpath, manifest, stats
from tests.ci_specs import IMPORTING, SHARED_CONSUMES, write_spec


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_spec(tmp_path / "specs")
    (tmp_path / "specs" / "broken.yaml").write_text("naftiko: 1.0.0-alpha2\ninfo: 7\n")  # refused: replayed too
    (tmp_path / "specs" / "shared").mkdir()
    (tmp_path / "specs" / "shared" / "notes-api.yml").write_text(SHARED_CONSUMES.format(base="https://one.example.com"))
    (tmp_path / "specs" / "importer.yaml").write_text(IMPORTING)
    return tmp_path


def settle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let every stat vouch as soon as it is recorded, as those of files older than
    ``stats.RACY_NS`` do (the specs of a test are a few milliseconds old)."""
    monkeypatch.setattr(stats, "RACY_NS", 0)


def index(workdir: Path) -> dict[str, Any]:
    found = json.loads(fastpath.index_path(workdir / "out").read_text())
    assert isinstance(found, dict)
    return found


def read_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any hashing of a file or discovery of the specs fail loudly."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise ManifestRead("read")

    monkeypatch.setattr(manifest, "sha256_file", refuse)
    monkeypatch.setattr(pipeline, "discover", refuse)


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
    assert "2 generated (3 unchanged)" in normal.stderr and "0 files written" in normal.stderr
    refuse_manifest(monkeypatch)
    fast = gen()
    assert (fast.exit_code, fast.stdout, fast.stderr) == (normal.exit_code, normal.stdout, normal.stderr)
    assert "error[" in fast.stderr and "broken.yaml" in fast.stderr


def edit_keeping_size_and_time(path: Path) -> None:
    """Change a byte of ``path`` and set its modification time back."""
    before = path.stat()
    path.write_text(path.read_text().replace("List notes.", "List nodes."))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


@pytest.mark.parametrize("settled", [False, True], ids=["recent", "settled"])
@pytest.mark.parametrize(
    "change",
    [
        "spec edited",
        "spec edited keeping size and time",
        "imported file edited keeping size and time",
        "spec added",
        "spec added in a subfolder",
        "spec removed",
        "generated file deleted",
        "other options",
        "manifest touched",
    ],
)
def test_any_change_falls_through_to_the_normal_run(workdir: Path, monkeypatch: pytest.MonkeyPatch, change: str, settled: bool) -> None:
    if settled:
        settle(monkeypatch)
    assert gen().exit_code == 1
    args: tuple[str, ...] = ()
    if change == "spec edited":
        write_spec(workdir / "specs", description="Changed.")
    elif change == "spec edited keeping size and time":
        edit_keeping_size_and_time(workdir / "specs" / "notes.yaml")
    elif change == "imported file edited keeping size and time":
        edit_keeping_size_and_time(workdir / "specs" / "shared" / "notes-api.yml")
    elif change == "spec added":
        write_spec(workdir / "specs", "other.yaml")
    elif change == "spec added in a subfolder":
        write_spec(workdir / "specs" / "shared", "other.yaml")
    elif change == "spec removed":
        (workdir / "specs" / "importer.yaml").unlink()
    elif change == "generated file deleted":
        (workdir / "out" / "notes" / "client.py").unlink()
    elif change == "other options":
        args = ("--strict",)
    else:
        data = (workdir / "out" / manifest.FILENAME).read_text()
        (workdir / "out" / manifest.FILENAME).write_text(data + " ")
    refuse_manifest(monkeypatch)
    assert went_the_normal_way(gen(*args))


def test_a_settled_no_op_run_reads_no_spec_and_lists_no_folder(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settle(monkeypatch)
    first = gen()
    recorded = index(workdir)
    assert recorded["listed"] and all(stat for _, _, stat in recorded["inputs"])
    assert len(recorded["inputs"]) == 5  # four specs (the shared file among them) and the import
    read_nothing(monkeypatch)
    refuse_manifest(monkeypatch)
    fast = gen()
    assert fast.exit_code == first.exit_code
    assert "error[" in fast.stderr and "0 files written" in fast.stderr


def test_recent_stats_are_hashed_and_listed_then_recorded_once_settled(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gen()
    recorded = index(workdir)  # the specs were written just now: their stats vouch for nothing
    assert recorded["listed"] is None and all(stat is None for _, _, stat in recorded["inputs"])
    refuse_manifest(monkeypatch)
    assert not went_the_normal_way(gen())  # replayed, after hashing and discovering
    assert index(workdir) == recorded  # still too recent: nothing better to record
    settle(monkeypatch)
    assert not went_the_normal_way(gen())
    refreshed = index(workdir)
    assert refreshed["listed"] and all(stat for _, _, stat in refreshed["inputs"])
    assert {k: v for k, v in refreshed.items() if k not in ("listed", "inputs")} == {
        k: v for k, v in recorded.items() if k not in ("listed", "inputs")
    }
    read_nothing(monkeypatch)
    assert not went_the_normal_way(gen())


def test_a_folder_changed_with_the_same_specs_is_listed_again_and_replayed(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settle(monkeypatch)
    gen()
    before = index(workdir)["listed"]
    (workdir / "specs" / "shared" / "notes.txt").write_text("not a spec\n")
    refuse_manifest(monkeypatch)
    assert not went_the_normal_way(gen())
    after = index(workdir)["listed"]
    assert after != before and sorted(folder for folder, _ in after) == sorted(folder for folder, _ in before)
    read_nothing(monkeypatch)
    assert not went_the_normal_way(gen())


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
