"""emit/render.py calls the templates' Python helpers directly, past Jinja's check for
context markers on every call: none of them carries one, and a package rendered that
way is the package Jinja's own context renders."""

from __future__ import annotations

from pathlib import Path

import jinja2.runtime
import pytest

from generator import pipeline
from generator.emit import render
from tests.conftest import SPECS


def test_no_helper_asks_for_the_template_context() -> None:
    assert render.HELPERS and not any(hasattr(helper, "jinja_pass_arg") for helper in render.HELPERS)


@pytest.mark.parametrize("spec", sorted(SPECS.glob("*.yaml"))[:3], ids=lambda p: p.stem)
def test_the_direct_calls_render_what_jinjas_context_renders(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = pipeline.process(spec, pipeline.Options()).files
    monkeypatch.setattr(render.environment(), "context_class", jinja2.runtime.Context)
    assert pipeline.process(spec, pipeline.Options()).files == fast
