"""generated/ is the golden snapshot of specs/: regenerate and compare whole trees."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

from tests.conftest import GENERATED, ROOT, SPECS

UPDATE = "naftiko-gen specs/ -o generated/"


MANIFEST = ".naftiko-gen.json"  # bookkeeping (versions, digests), checked by test_ci_workflow
INDEX = ".naftiko-gen.index"  # the no-op fast path (machine-specific times), never committed


def _tree(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.name not in (MANIFEST, INDEX)
    }


def test_generated_matches_specs(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    run = subprocess.run(
        [sys.executable, "-m", "generator", str(SPECS), "-o", str(out), "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    fresh, committed = _tree(out), _tree(GENERATED)
    missing = sorted(fresh - committed)
    extra = sorted(committed - fresh)
    changed = sorted(p for p in fresh & committed if not filecmp.cmp(out / p, GENERATED / p, shallow=False))
    assert not (missing or extra or changed), (
        f"generated/ is out of date (missing {missing}, extra {extra}, changed {changed}); "
        f"update it with: {UPDATE}"
    )


def test_generation_is_deterministic(tmp_path: Path) -> None:
    """Two runs with different hash seeds give the same bytes."""
    outputs = []
    for seed in ("0", "12345"):
        out = tmp_path / seed
        subprocess.run(
            [sys.executable, "-m", "generator", str(SPECS), "-o", str(out), "-q"],
            cwd=ROOT,
            check=True,
            env={**__import__("os").environ, "PYTHONHASHSEED": seed},
        )
        outputs.append({p: (out / p).read_bytes() for p in _tree(out)})
    assert outputs[0] == outputs[1]


def test_generated_code_is_black_stable_and_standalone() -> None:
    import black

    from generator.emit import fmt

    for path in sorted(GENERATED.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(GENERATED).as_posix()
        assert black.format_str(text, mode=fmt.MODE) == text, f"{rel} is not black-stable"
        assert "import generator" not in text and "from generator" not in text, rel
        compile(text, rel, "exec")
