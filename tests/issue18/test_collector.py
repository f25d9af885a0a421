"""pipeline.process runs a spec's stages with the cyclic garbage collector off (each
collection would walk every object the stages keep alive) and puts it back as it was."""

from __future__ import annotations

import gc

import pytest

from generator import pipeline
from generator.emit import render
from tests.conftest import SPECS

SPEC = sorted(SPECS.glob("*.yaml"))[0]


def test_the_collector_is_off_during_the_stages_and_back_on_after(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real = render.render

    def spying(capability: object, parallel: bool = False) -> object:
        seen.append(gc.isenabled())
        return real(capability, parallel)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "render", spying)
    assert gc.isenabled()
    result = pipeline.process(SPEC, pipeline.Options())
    assert result.files and seen == [False]
    assert gc.isenabled()


def test_a_failing_stage_puts_the_collector_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(capability: object, parallel: bool = False) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(render, "render", failing)
    with pytest.raises(RuntimeError):
        pipeline.process(SPEC, pipeline.Options())
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    try:
        pipeline.process(SPEC, pipeline.Options())
        assert not gc.isenabled()
    finally:
        gc.enable()
