"""The real corpus (../shared/corpus; skipped when absent).

corpus/dev: the CLI generates every spec (``--keep-going``, one worker per core), and each
spec either generates or is refused with error diagnostics and exit 1, never with an
internal error. At least 99% must generate. To fit CI, every generated module is
compiled and checked for black stability, but only a deterministic sample of packages is
imported (every 25th): importing 1,300 packages would cost more than generating them.
The figures are printed (``pytest -s`` shows them).

corpus/broken: every file is loaded, validated, built and rendered in-process (no black,
the rendered modules are compiled instead); each one gets an error diagnostic or renders
code that compiles (a truncated file can still be a complete capability), and nothing
raises. corpus/official is covered by tests/issue5/test_official.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import pipeline
from generator.emit import render
from tests.conftest import ROOT, shared_or_skip
from tests.issue7 import support

TARGET = 0.99
IMPORT_EVERY = 25
TOOLCHAIN_EVERY = 50
"""Every 50th package of corpus/dev (about 26) goes through mypy, pyright, ruff and black."""


@dataclass
class CorpusRun:
    specs: list[Path]
    out: Path
    exit_code: int
    stderr: str
    diagnostics: list[dict[str, object]]

    @property
    def refused(self) -> set[str]:
        return {str(d["file"]) for d in self.diagnostics if d["severity"] == "error"}

    @property
    def packages(self) -> list[str]:
        return sorted(p.name for p in self.out.iterdir() if (p / "app.py").is_file())


@pytest.fixture(scope="module")
def dev_run(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    corpus = shared_or_skip("corpus", "dev")
    out = tmp_path_factory.mktemp("corpus") / "out"
    command = [sys.executable, "-m", "generator", str(corpus), "-o", str(out), "--keep-going", "-q", "--error-format", "json", "-j", str(os.cpu_count() or 1)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1500)
    diagnostics = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return CorpusRun(pipeline.discover([corpus]), out, done.returncode, done.stderr, diagnostics)


def test_dev_corpus_generates_or_refuses_cleanly(dev_run: CorpusRun) -> None:
    assert "internal error" not in dev_run.stderr and "Traceback" not in dev_run.stderr, dev_run.stderr[-3000:]
    refused = dev_run.refused
    assert dev_run.exit_code == (1 if refused else 0)
    total, generated = len(dev_run.specs), len(dev_run.packages)
    assert generated + len(refused) == total  # every spec: a package, or errors (no package names clash here)
    share = generated / total
    print(f"\ncorpus/dev: {generated}/{total} generated ({share:.1%}), {len(refused)} refused with diagnostics")
    assert share >= TARGET


def test_dev_corpus_modules_compile(dev_run: CorpusRun) -> None:
    """Every generated module compiles, with SyntaxWarnings (`"x" is not None`) as errors."""
    done = subprocess.run([sys.executable, "-W", "error::SyntaxWarning", "-m", "compileall", "-q", "-j", "0", str(dev_run.out)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:]
    count = sum(1 for _ in dev_run.out.rglob("*.py"))
    print(f"\ncorpus/dev: {count} generated modules compile")


def test_dev_corpus_sample_imports(dev_run: CorpusRun) -> None:
    sample = dev_run.packages[::IMPORT_EVERY]
    code = "import importlib, sys\nfor p in sys.argv[1:]:\n    for m in ('app', 'mcp_server', 'router', 'client'):\n        importlib.import_module(f'{p}.{m}')\n"
    done = subprocess.run([sys.executable, "-c", code, *sample], cwd=dev_run.out, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    print(f"\ncorpus/dev: {len(sample)} sampled packages import")


def test_dev_corpus_is_black_stable(dev_run: CorpusRun) -> None:
    """Most modules are written without black (fmt.py, layout.py): black must leave every
    one of them as it is. Identical modules (the run-time ones) are checked once; the check
    runs in one worker per core (about 2 minutes on 2 cores)."""
    distinct: dict[bytes, str] = {}
    for path in sorted(dev_run.out.glob("*/*.py")):
        distinct.setdefault(path.read_bytes(), str(path.relative_to(dev_run.out)))
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        verdicts = list(pool.map(_black_stable_bytes, distinct, chunksize=64))
    unstable = [name for name, stable in zip(distinct.values(), verdicts) if not stable]
    assert unstable == []
    print(f"\ncorpus/dev: all {len(distinct)} distinct generated modules are black-stable")


def test_dev_corpus_sample_passes_the_users_toolchain(dev_run: CorpusRun, tmp_path: Path) -> None:
    """A sample of packages, copied into a folder of their own, has zero findings from
    mypy --strict, pyright strict, ruff (E,F,W,B,UP,SIM,RUF) and black --check."""
    from tests.issue16 import toolchain

    sample = dev_run.packages[::TOOLCHAIN_EVERY]
    for name in sample:
        shutil.copytree(dev_run.out / name, tmp_path / name)
    findings = toolchain.run_all(tmp_path)
    assert {tool: lines[:20] for tool, lines in findings.items() if lines} == {}
    print(f"\ncorpus/dev: {len(sample)} sampled packages are clean under {', '.join(findings)}")


def _black_stable_bytes(data: bytes) -> bool:
    return support.black_stable(data.decode("utf-8"))


def _rendered_or_refused(path: Path) -> str:
    """'refused' (with an error), or 'rendered' (every module compiles); raises on a bug."""
    result, capability = pipeline.analyse(path, pipeline.Options())
    if capability is None:
        assert any(d.is_error for d in result.diagnostics) or result.skipped, path
        return "refused"
    for name, source in render.render(capability).items():
        if name.suffix == ".py":
            compile(source, str(name), "exec")
    return "rendered"


def test_broken_corpus_gets_diagnostics_never_a_traceback() -> None:
    broken = shared_or_skip("corpus", "broken")
    outcomes: dict[str, dict[str, int]] = {}
    for path in pipeline.discover([broken]):
        kind = path.parent.name
        outcome = _rendered_or_refused(path)
        if kind == "not-naftiko":
            assert outcome == "refused", path
        tally = outcomes.setdefault(kind, {})
        tally[outcome] = tally.get(outcome, 0) + 1
    print(f"\ncorpus/broken: {outcomes}")
    assert sum(sum(t.values()) for t in outcomes.values()) >= 200
