"""A large spec alone in a run is validated in a forked child while this process builds
its model (read/verdict.py). Whatever the spec, valid or not, the result must be that of
validating first: the same diagnostics in the same order, the same files, nothing of a
build on invalid data."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from generator import forked, pipeline
from generator.emit import render
from generator.migrate.files import migrate_file
from generator.read import verdict
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import large_api  # noqa: E402

pytestmark = pytest.mark.skipif(not forked.CAN_FORK, reason="the validation child is Linux only")

NOUNS = large_api.NOUNS[:20]  # 100 operations, about 330 KB: above verdict.AHEAD_BYTES


@pytest.fixture(scope="module")
def large_text() -> str:
    text = large_api.capability_text(NOUNS)
    assert len(text.encode()) >= verdict.AHEAD_BYTES
    return text


def _outcome(path: Path, cores: int, strict: bool = False) -> tuple[Any, ...]:
    result, capability = pipeline.analyse(path, pipeline.Options(strict=strict), "spec.yaml", cores)
    files = render.render(capability) if capability is not None else None
    return result.diagnostics, result.skipped, result.inputs, result.package, files


def _same_both_ways(path: Path, strict: bool = False) -> tuple[Any, ...]:
    alone = _outcome(path, 1, strict)
    assert _outcome(path, 2, strict) == alone
    return alone


class Calls:
    """What ``analyse`` asked of read/verdict.py in this process."""

    def __init__(self) -> None:
        self.started: list[bool] = []  # per ``verdict.ahead``: whether a child started
        self.schema_here: list[bool] = []  # per ``verdict.validated`` here: schema checked?


@pytest.fixture()
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    seen = Calls()
    real_ahead, real_validated = verdict.ahead, verdict.validated
    parent = os.getpid()

    def spying_ahead(path: Path, shown: str) -> object:
        pending = real_ahead(path, shown)
        seen.started.append(pending is not None)
        return pending

    def spying_validated(spec: object, schema: bool = True) -> object:
        if os.getpid() == parent:
            seen.schema_here.append(schema)
        return real_validated(spec, schema)  # type: ignore[arg-type]

    monkeypatch.setattr(verdict, "ahead", spying_ahead)
    monkeypatch.setattr(verdict, "validated", spying_validated)
    return seen


FORKED = [True]
"""What ``calls.started`` holds after ``_same_both_ways`` of a large spec."""
BY_THE_CHILD = [True, False]
"""What ``calls.schema_here`` holds after ``_same_both_ways`` of a large spec that loads:
the run on one core validated here, the run on two left the schema to the child."""


def test_a_valid_large_spec_gives_the_same_model_and_warnings(tmp_path: Path, large_text: str, calls: Calls) -> None:
    spec = tmp_path / "large.yaml"
    spec.write_text(large_text, encoding="utf-8")
    shown, skipped, _, _, files = _same_both_ways(spec)
    assert calls.started == FORKED and calls.schema_here == BY_THE_CHILD
    assert files is not None and skipped is None
    assert shown == []  # 100 tools: under the NG407 limit, nothing to warn of


def test_strict_promotes_the_same_warnings(tmp_path: Path, calls: Calls) -> None:
    spec = tmp_path / "large.yaml"
    spec.write_text(large_api.capability_text(large_api.NOUNS[:30]), encoding="utf-8")
    shown, *_, files = _same_both_ways(spec, strict=True)
    assert calls.started == FORKED and calls.schema_here == BY_THE_CHILD
    assert "NG407" in [d.code for d in shown] and all(d.is_error for d in shown) and files is None  # 150 tools


def test_schema_errors_come_from_the_child_and_nothing_of_the_build_is_kept(tmp_path: Path, large_text: str, calls: Calls) -> None:
    broken = large_text.replace("method: GET", "method: FETCH", 3).replace("namespace: api", "namespace: 7", 1)
    spec = tmp_path / "broken.yaml"
    spec.write_text(broken, encoding="utf-8")
    shown, _, inputs, _, files = _same_both_ways(spec)
    assert calls.started == FORKED and calls.schema_here == BY_THE_CHILD
    assert files is None and inputs == []
    assert shown and all(d.is_error and d.line > 1 for d in shown)  # reported, positioned
    assert sum("FETCH" in d.message for d in shown) == 3 and sum("'namespace'" in d.message for d in shown) == 1


def test_data_that_breaks_the_build_is_reported_as_invalid_not_as_a_crash(tmp_path: Path, large_text: str, calls: Calls) -> None:
    broken = large_text.replace("    resources:\n", "    resources: 12\n    unused:\n", 1)
    spec = tmp_path / "broken.yaml"
    spec.write_text(broken, encoding="utf-8")
    shown, *_, files = _same_both_ways(spec)
    assert calls.started == FORKED and calls.schema_here == BY_THE_CHILD
    assert files is None and any(d.is_error for d in shown)


def test_a_file_that_does_not_load_stops_the_child(tmp_path: Path, large_text: str, calls: Calls) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text(large_text + "  - [unclosed\n", encoding="utf-8")
    shown, *_, files = _same_both_ways(spec)
    assert calls.started == FORKED and calls.schema_here == []
    assert files is None and [d.code for d in shown] == ["NG002"]


def test_a_failing_child_leaves_validation_to_this_process(tmp_path: Path, large_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = large_text.replace("method: GET", "method: FETCH", 1)
    spec = tmp_path / "broken.yaml"
    spec.write_text(broken, encoding="utf-8")
    alone = _outcome(spec, 1)
    parent = os.getpid()
    real = verdict._findings

    def dying(path: Path, shown: str) -> object:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return real(path, shown)

    monkeypatch.setattr(verdict, "_findings", dying)
    assert _outcome(spec, 2) == alone and alone[0]


def test_a_large_ikanos_spec_is_the_same(tmp_path: Path, large_text: str, calls: Calls) -> None:
    spec = tmp_path / "large.yaml"
    spec.write_text(large_text, encoding="utf-8")
    assert migrate_file(spec, check=False).changed
    assert spec.read_text(encoding="utf-8").startswith("ikanos:")
    *_, files = _same_both_ways(spec)
    assert files is not None and calls.started == FORKED and calls.schema_here == BY_THE_CHILD
    broken = tmp_path / "broken.yaml"
    broken.write_text(spec.read_text(encoding="utf-8").replace("method: GET", "method: FETCH", 2), encoding="utf-8")
    shown, *_, files = _same_both_ways(broken)
    assert files is None and shown


def test_a_small_spec_is_validated_here(tmp_path: Path, calls: Calls) -> None:
    spec = tmp_path / "small.yaml"
    spec.write_text(large_api.capability_text(NOUNS[:2]), encoding="utf-8")
    assert _same_both_ways(spec)[-1] is not None
    assert calls.started == [False] and calls.schema_here == [True, True]


def test_a_cancelled_child_is_reaped() -> None:
    pending = forked.start(lambda: time.sleep(30))
    assert pending is not None
    pid = pending._pid
    pending.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    assert pending.result() is None
