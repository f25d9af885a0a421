"""A large package renders on two cores: a forked child renders the client while this
process renders the rest, and the bytes are those of rendering alone."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from generator import pipeline
from generator.emit import parallel, render
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import large_api  # noqa: E402

pytestmark = pytest.mark.skipif(not parallel.CAN_FORK, reason="the render fork is Linux only")


def test_the_named_files_are_rendered_in_another_process() -> None:
    texts = parallel.render_all(["a", "b", "c"], lambda name: f"{name}:{os.getpid()}", frozenset({"b"}))
    assert list(texts) == ["a", "b", "c"]
    assert texts["a"] == f"a:{os.getpid()}" and texts["c"] == f"c:{os.getpid()}"
    assert texts["b"].startswith("b:") and texts["b"] != f"b:{os.getpid()}"


def test_a_failing_child_leaves_the_work_to_this_process() -> None:
    parent = os.getpid()

    def render_one(name: str) -> str:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return name.upper()

    assert parallel.render_all(["a", "b"], render_one, frozenset({"b"})) == {"a": "A", "b": "B"}


def test_a_large_package_is_the_same_on_two_cores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "large-api.yaml"
    spec.write_text(large_api.capability_text(large_api.NOUNS[:50]), encoding="utf-8")
    result, capability = pipeline.analyse(spec, pipeline.Options())
    assert capability is not None and render._size(capability) >= parallel.LARGE
    calls: list[frozenset[str]] = []
    real = parallel.render_all

    def spying(names: object, render_one: object, in_child: frozenset[str]) -> dict[str, str]:
        calls.append(in_child)
        return real(names, render_one, in_child)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "render_all", spying)
    alone = render.render(capability)
    together = render.render(capability, parallel=True)
    assert calls == [frozenset(), frozenset({"client.py"})]
    assert together == alone
