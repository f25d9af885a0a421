"""Parallel runs give the same bytes and diagnostics as serial ones; refused specs are
remembered in the manifest, so a no-op run does not validate them again."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import command as cli
from generator.output import manifest
from generator import pipeline
from tests.conftest import ROOT, SPECS, snapshot
from tests.issue7 import support


def test_jobs_do_not_change_output_or_diagnostics(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    (specs / "broken.yaml").write_text("naftiko: 1.0.0-alpha2\ncapability: {exposes: [{type: http}]}\n", encoding="utf-8")
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        done = subprocess.run(
            [sys.executable, "-m", "generator", str(specs), "-o", str(out), "-j", jobs, "--keep-going", "-q", "--error-format", "json"],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )
        assert done.returncode == 1, done.stderr
        runs[jobs] = (done.stdout, snapshot(out))
    assert runs["1"] == runs["2"]
    assert '"code": "NG104"' in runs["1"][0]


def test_refused_specs_are_remembered_until_they_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    specs, out = tmp_path / "specs", tmp_path / "out"
    specs.mkdir()
    support.write_spec(specs / "good.yaml", support.capability())
    bad = specs / "bad.yaml"
    bad.write_text("naftiko: 1.0.0-alpha2\ncapability: {exposes: [{type: http}]}\n", encoding="utf-8")
    processed: list[str] = []
    real_process = pipeline.process
    monkeypatch.setattr(pipeline, "process", lambda path, options, source=None, cores=1: processed.append(path.name) or real_process(path, options, source, cores))
    opts = cli.RunOptions((specs,), out, keep_going=True, quiet=True, error_format="json")

    def run() -> tuple[int, str]:
        processed.clear()
        code = cli.run(opts)
        return code, capsys.readouterr().out

    first = run()
    assert sorted(processed) == ["bad.yaml", "good.yaml"] and first[0] == 1
    assert "../specs/bad.yaml" in (manifest.load(out) or manifest.Manifest()).invalid  # named relative to OUT
    again = run()
    assert processed == [] and again == first  # nothing validated again; the same diagnostics, the same exit code
    bad.write_text("naftiko: 1.0.0-alpha2\ncapability: {exposes: [{type: grpc}]}\n", encoding="utf-8")
    changed = run()
    assert processed == ["bad.yaml"] and "grpc" in changed[1]
