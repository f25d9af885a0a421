"""Hand edits are noticed on every run: a line appended to a generated file, or a
generated file deleted, makes ``naftiko-gen specs -o OUT`` name the file and exit 1
(``--force`` restores it), on the no-op fast path and with the run cache removed.
``-q`` prints only errors; the summary still counts the warnings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import command as cli
from generator.output import cache, fastpath
from tests.ci_specs import write_spec

EDITED = Path("out") / "notes" / "client.py"


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    write_spec(tmp_path / "specs")
    return tmp_path


def gen(*args: str) -> Result:
    return CliRunner().invoke(cli.command, ["specs", "-o", "out", *args])


def _drop_cache(workdir: Path) -> None:
    shutil.rmtree(workdir / "cache")


@pytest.mark.parametrize("cached", [True, False], ids=["fast-path", "no-cache"])
@pytest.mark.parametrize("edit", ["append", "delete"])
def test_a_hand_edit_is_named_and_stops_the_run(workdir: Path, cached: bool, edit: str) -> None:
    assert gen().exit_code == 0
    assert gen().exit_code == 0  # a no-op run: answered by the fast path
    generated = EDITED.read_text()
    if edit == "append":
        with EDITED.open("a") as handle:
            handle.write("print('mine')\n")
    else:
        EDITED.unlink()
    if not cached:
        _drop_cache(workdir)
    run = gen()
    assert run.exit_code == 1, run.output
    why = "edited by hand" if edit == "append" else "deleted by hand"
    assert f"{EDITED}:1:1: error[NG504]: will not overwrite or delete: {why}" in run.stderr
    assert "nothing written" in run.stderr
    assert gen().exit_code == 1  # and again: a refused run is never replayed as clean
    forced = gen("--force")
    assert forced.exit_code == 0 and "1 file written" in forced.stderr
    assert EDITED.read_text() == generated
    assert gen().exit_code == 0


def test_a_touched_but_unchanged_file_is_not_an_edit(workdir: Path) -> None:
    gen()
    EDITED.write_text(EDITED.read_text())  # new time, same bytes: hashed, found unchanged
    run = gen()
    assert run.exit_code == 0 and "0 files written" in run.stderr


def test_quiet_prints_only_errors_and_the_summary_counts_warnings(workdir: Path) -> None:
    loud = gen()
    warnings = loud.stderr.count(": warning[")
    assert warnings >= 2 and f"{warnings} warnings" in loud.stderr.splitlines()[-1]
    _drop_cache(workdir)
    shutil.rmtree(workdir / "out")
    quiet = gen("-q")
    assert quiet.exit_code == 0 and quiet.output == ""
    assert gen("-q").output == ""  # replayed by the fast path: still quiet
    replay = gen()  # the same run without -q prints the warnings and counts them
    assert replay.stderr.count(": warning[") == warnings
    assert f"{warnings} warnings" in replay.stderr.splitlines()[-1]
    (workdir / "specs" / "broken.yaml").write_text("naftiko: 1.0.0-alpha2\ninfo: 7\n")
    errors = gen("-q", "--keep-going")
    assert errors.exit_code == 1 and "error[NG004]" in errors.stderr
    assert "warning[" not in errors.stderr
    assert fastpath.index_path(workdir / "out").is_file()
