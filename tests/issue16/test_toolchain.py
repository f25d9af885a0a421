"""Generated packages pass their users' toolchain at its defaults: mypy --strict, pyright
strict, ruff check --select E,F,W,B,UP,SIM,RUF and black --check, with zero findings, on
the seeds, every package of ../shared/corpus/official (the alpha2 tutorial included) and
the Ikanos tutorial of ../shared/reference/ikanos/tutorial. The
run-time modules pass the same tools in this repository, under pyproject.toml's config.
The corpus/dev sample is checked by tests/issue7/test_corpus.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SPECS, shared_or_skip
from tests.issue16 import toolchain


def _generate(target: Path, *sources: Path) -> Path:
    command = [sys.executable, "-m", "generator", *map(str, sources), "-o", str(target), "--keep-going", "-q"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert "internal error" not in done.stderr, done.stderr
    return target


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and the official corpus, generated with default options."""
    official = shared_or_skip("corpus", "official")
    target = _generate(tmp_path_factory.mktemp("toolchain") / "out", SPECS, official)
    assert len(list(target.glob("*/py.typed"))) >= 45  # every package ships py.typed
    return target


@pytest.fixture(scope="module")
def ikanos_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Ikanos tutorial (apart: its step files have the alpha2 tutorial's names)."""
    tutorial = shared_or_skip("reference", "ikanos", "tutorial")
    target = _generate(tmp_path_factory.mktemp("toolchain-ikanos") / "out", tutorial)
    assert len(list(target.glob("step_*/py.typed"))) >= 10
    return target


@pytest.mark.parametrize("tool", toolchain.TOOLS)
@pytest.mark.parametrize("generated", ["out", "ikanos_out"])
def test_generated_packages_have_zero_findings(generated: str, tool: str, request: pytest.FixtureRequest) -> None:
    findings = getattr(toolchain, tool)(request.getfixturevalue(generated))
    assert findings == [], "\n".join(findings[:40])


def _in_repo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=ROOT, capture_output=True, text=True, timeout=900)


def test_run_time_modules_pass_the_same_tools_here() -> None:
    runtime = "generator/emit/runtime"
    bin_dir = Path(sys.executable).parent
    mypy = _in_repo(str(bin_dir / "mypy"))  # [tool.mypy]: strict, the run-time folder
    assert mypy.returncode == 0, mypy.stdout
    pyright = _in_repo(str(bin_dir / "pyright"), "--pythonpath", sys.executable)
    summary = pyright.stdout.strip().splitlines()[-1]
    assert pyright.returncode == 0 and summary.startswith("0 errors"), pyright.stdout
    ruff = _in_repo(str(bin_dir / "ruff"), "check", "--no-cache", runtime)
    assert ruff.returncode == 0, ruff.stdout
    black = _in_repo(str(bin_dir / "black"), "--check", runtime)
    assert black.returncode == 0, black.stderr


def test_the_toolchain_finds_what_it_should(tmp_path: Path) -> None:
    """The control: each tool, run the same way, reports a package that is not clean."""
    package = tmp_path / "dirty"
    package.mkdir()
    (package / "__init__.py").write_text("import os\n\n\ndef f(x):\n    return x+1\n")
    findings = toolchain.run_all(tmp_path)
    assert all(findings[tool] for tool in toolchain.TOOLS), findings
