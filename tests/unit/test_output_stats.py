"""The stats of the run cache (generator/output/stats.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import pipeline
from generator.output import stats


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    for name in ("a/one.py", "a/two.py", "b/c/three.py", "top.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name * 3)
    return tmp_path


NAMES = ["b/c/three.py", "a/two.py", "top.md", "a/one.py"]


def test_take_then_unpack_gives_each_file_its_size_and_time(out: Path) -> None:
    packed = stats.take(str(out), NAMES, strict=True)
    unpacked = stats.unpack(NAMES, packed)
    assert list(unpacked) == NAMES
    for name, (size, mtime) in unpacked.items():
        found = (out / name).stat()
        assert [size, mtime] == [found.st_size, found.st_mtime_ns]
    assert stats.take(str(out), NAMES, strict=False) == packed
    assert stats.unpack(NAMES[1:], packed) == {}  # the stats of other files


@pytest.mark.parametrize("change", ["appended", "time set", "deleted"])
def test_any_change_of_a_file_changes_what_is_taken(out: Path, change: str) -> None:
    before = stats.take(str(out), NAMES, strict=False)
    target = out / "a" / "two.py"
    if change == "appended":
        stamp = target.stat().st_mtime_ns
        target.write_text(target.read_text() + "x")
        os.utime(target, ns=(stamp, stamp))  # the size still tells
    elif change == "time set":
        os.utime(target, ns=(1, 1))
    else:
        target.unlink()
        with pytest.raises(OSError):
            stats.take(str(out), NAMES, strict=True)
    assert stats.take(str(out), NAMES, strict=False) != before


def test_a_file_added_beside_is_no_change(out: Path) -> None:
    """Such as the __pycache__ folder of a generated package that was imported."""
    before = stats.take(str(out), NAMES, strict=True)
    (out / "a" / "__pycache__").mkdir()
    (out / "a" / "mine.py").write_text("")
    assert stats.take(str(out), NAMES, strict=True) == before


def test_taken_leniently_what_is_missing_is_packed(out: Path) -> None:
    names = ["a/gone.py", "a/one.py", "nowhere/x.py"]
    unpacked = stats.unpack(names, stats.take(str(out), names, strict=False))
    assert unpacked["a/gone.py"] == unpacked["nowhere/x.py"] == [stats.MISSING, stats.MISSING]
    assert unpacked["a/one.py"][0] == len("a/one.py" * 3)


def test_recent_is_judged_by_the_later_of_mtime_and_ctime() -> None:
    now = 100 * stats.RACY_NS
    old = now - stats.RACY_NS - 1
    assert not stats.recent([1, 2, old, old], now)
    assert stats.recent([1, 2, old, now - 1], now)
    assert stats.recent([1, 2, now, old], now)


def test_folders_are_the_ones_discovery_walks(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    for name in ("x.yaml", "sub/y.yml", "sub/deeper/z.yaml", "empty/.keep"):
        (specs / name).parent.mkdir(parents=True, exist_ok=True)
        (specs / name).write_text("")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "w.yaml").write_text("")
    (specs / "linked").symlink_to(elsewhere, target_is_directory=True)  # rglob does not follow it
    listed = stats.folders([specs, specs / "x.yaml"])
    walked = {Path(folder) for folder, _ in listed}
    assert walked == {specs, specs / "sub", specs / "sub" / "deeper", specs / "empty"}
    assert {path.parent for path in pipeline.discover([specs])} <= walked
    assert all(stat == stats.identity(folder) for folder, stat in listed)
