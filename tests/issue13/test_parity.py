"""The same package from both syntaxes (../shared; skipped when absent).

* every tutorial step: the alpha2 twin (corpus/official/tutorial) against the Ikanos one
  (reference/ikanos/tutorial), where the two say the same thing;
* a sample of the dev corpus, rewritten into the Ikanos syntax by tests/issue13/rewrite.py;
* all of the Ikanos tutorial, schema examples and valid engine tests generate, or are
  refused for a documented reason.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import pipeline
from generator.read import loader
from tests.conftest import SHARED, shared_or_skip
from tests.issue13 import support
from tests.issue13.rewrite import rewrite

TUTORIAL_STEPS = [f"step-{n}" for n in range(1, 12)]

_MOCK_HOST = ("https://mocks.naftiko.net/rest/", "http://localhost:8080/rest/")
"""The two tutorials call the same mock APIs, the Ikanos one through a local mock server."""

DIFFERENT_STEPS = {
    "step-6": "the Ikanos step 6 has one more tool (refresh-crew) and consumed operation than its alpha2 twin",
}
"""Steps whose two versions do not say the same thing."""


def _tutorial_copy(source: Path, target: Path) -> Path:
    """The tutorial in ``target``, with the mock host of both versions made the same."""
    shutil.copytree(source, target)
    for path in target.rglob("*.y*ml"):
        path.write_text(path.read_text(encoding="utf-8").replace(*_MOCK_HOST), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def tutorials(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    old = shared_or_skip("corpus", "official", "tutorial")
    new = shared_or_skip("reference", "ikanos", "tutorial")
    root = tmp_path_factory.mktemp("tutorials")
    return _tutorial_copy(old, root / "alpha2" / "tutorial"), _tutorial_copy(new, root / "ikanos" / "tutorial")


def _step_file(folder: Path, step: str) -> Path:
    [path] = folder.glob(f"{step}-*.yml")
    return path


@pytest.mark.parametrize("step", TUTORIAL_STEPS)
def test_tutorial_step_makes_the_same_package(tutorials: tuple[Path, Path], step: str) -> None:
    old_path, new_path = _step_file(tutorials[0], step), _step_file(tutorials[1], step)
    old, new = pipeline.process(old_path, pipeline.Options()), pipeline.process(new_path, pipeline.Options())
    assert old.ok and new.ok, [d.format_text() for d in new.diagnostics]
    assert not [d for d in new.diagnostics if d.code.startswith("NG1")]  # the official form: no schema finding
    same = support.without_source(old.files, old_path) == support.without_source(new.files, new_path)
    if step in DIFFERENT_STEPS:
        assert not same, f"{step} now says the same in both syntaxes: drop it from DIFFERENT_STEPS"
        assert set(old.files) == set(new.files)
    else:
        assert same
        assert len(new.files) >= 6


def _corpus_sample(step: int) -> list[Path]:
    corpus = SHARED / "corpus" / "dev"
    return sorted(corpus.rglob("*.y*ml"))[::step] if corpus.exists() else []


@pytest.mark.parametrize("path", _corpus_sample(20), ids=lambda p: p.stem)
def test_dev_corpus_rewritten_makes_the_same_package(tmp_path: Path, path: Path) -> None:
    data = loader.load(path).data
    rewritten = rewrite(data)
    if rewritten is None:
        pytest.skip("two entries of one name: no Ikanos rewrite can express it")
    twin = tmp_path / path.name
    twin.write_text(yaml.safe_dump(rewritten, sort_keys=False, allow_unicode=True), encoding="utf-8")
    old, new = pipeline.process(path, pipeline.Options()), pipeline.process(twin, pipeline.Options())
    assert old.ok == new.ok, [d.format_text() for d in new.diagnostics if d.is_error]
    assert support.without_source(old.files, path) == support.without_source(new.files, twin)


REFUSED = {
    "schema/examples/reverse-tunnel-ziti.yml": "NG333",  # a Ziti tunnel with fallback: fail
    "engine-tests/imports/invalid/malformed.yml": "NG002",  # invalid YAML, on purpose
}
"""Reference specs refused, with the documented reason (docs/diagnostics.md)."""

NOT_SPECS = ("engine-tests/schemas/",)
"""Sample payloads next to the engine's test specs (the tutorial's secrets file, a flat
key/value file, is recognised as data by naftiko-gen itself)."""


def test_reference_specs_generate_or_are_refused_for_a_documented_reason(tmp_path: Path) -> None:
    reference = shared_or_skip("reference", "ikanos")
    paths = [
        p for folder in ("tutorial", "schema/examples", "engine-tests")
        for p in sorted((reference / folder).rglob("*.y*ml"))
        if not str(p.relative_to(reference)).startswith(NOT_SPECS)
    ]
    result = pipeline.generate(paths)
    out = tmp_path / "out"
    for rel, text in result.files().items():
        target = out / str(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    outcome = {}
    for spec in result.specs:
        name = str(spec.path.relative_to(reference))
        errors = sorted({d.code for d in spec.diagnostics if d.is_error})
        outcome[name] = errors[0] if errors else ("support" if spec.skipped else "generated")
    refused = {name: code for name, code in outcome.items() if code not in ("support", "generated")}
    assert refused == REFUSED
    assert sum(1 for v in outcome.values() if v == "generated") >= 40
    assert outcome["engine-tests/imports/consumes/shared.consumes.yml"] == "support"
    assert outcome["tutorial/shared/secrets.yaml"] == "support"
    packages = sorted(p.name for p in out.iterdir() if (p / "app.py").exists())
    code = "import importlib, sys\nfor p in sys.argv[1:]:\n    importlib.import_module(p + '.app')\n" \
        "    importlib.import_module(p + '.mcp_server')\n"
    done = subprocess.run([sys.executable, "-c", code, *packages], cwd=out, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def test_tutorial_folders_generate_in_one_run(tmp_path: Path) -> None:
    from generator.cli import command as cli

    for source in (shared_or_skip("reference", "ikanos", "tutorial"), shared_or_skip("corpus", "official", "tutorial")):
        out = tmp_path / source.parent.name
        assert cli.run(cli.RunOptions((source,), out, quiet=True)) == 0
        assert len([p for p in out.iterdir() if (p / "app.py").exists()]) == 11
