"""Migrated specs against the official Ikanos beta5 schema and the new-syntax tutorial.

Reads ../shared (skips cleanly without it). The official schema is used here only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.migrate.convert import migrate_text
from tests.issue13m.helpers import (
    BETA5,
    DEV,
    OFFICIAL,
    REFERENCE,
    SEEDS,
    TUTORIAL,
    dev_sample,
    need_shared,
)

jsonschema = pytest.importorskip("jsonschema")


def _migrated(path: Path) -> Any:
    outcome = migrate_text(path.read_text(encoding="utf-8"))
    assert outcome.status == "migrated", [p.message for p in outcome.problems]
    return yaml.safe_load(outcome.text or "")


def _validator() -> Any:
    need_shared()
    return jsonschema.Draft202012Validator(json.loads(BETA5.read_text(encoding="utf-8")))


def _leaves(error: Any) -> list[Any]:
    """The innermost errors of a oneOf/anyOf failure (the ones that explain it)."""
    if not error.context:
        return [error]
    deepest = max(len(e.absolute_path) for e in error.context)
    return [leaf for e in error.context if len(e.absolute_path) == deepest for leaf in _leaves(e)]


_ALPHA2 = re.compile(r"^naftiko:\s*[\"']?1\.0\.0-alpha2", re.MULTILINE)


def _specs(folder: Path, pattern: str) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(pattern) if _ALPHA2.search(p.read_text(encoding="utf-8")))


TUTORIAL_SPECS = _specs(TUTORIAL, "**/*.y*ml")
# The two Spectral fixtures have a tool without a name: refused (see test_migrate_text).
OFFICIAL_SPECS = [p for p in _specs(OFFICIAL, "*.yaml") if "spectral" not in p.name]


@pytest.mark.parametrize("path", TUTORIAL_SPECS + OFFICIAL_SPECS, ids=lambda p: p.name)
def test_migrated_official_specs_validate_against_the_beta5_schema(path: Path) -> None:
    errors = [
        f"{e.json_path}: {e.message[:200]}" for e in _validator().iter_errors(_migrated(path))
    ]
    assert errors == []


KEYED = {
    "resources",
    "operations",
    "tools",
    "prompts",
    "skills",
    "steps",
    "arguments",
    "inputParameters",
    "flows",
}
OLD_KEYS = {"label", "functions", "targetName", "naftiko", "location"}


def _migration_left_over(leaf: Any) -> str | None:
    """A beta5 error that points at something migrate should have rewritten.

    The dev corpus has defects of its own that neither syntax allows (consumed inputs with
    a ``type``, ``{type: object, mapping: $.}`` outputs with no ``properties``, tools with
    no ``description``...): those stay. What must not stay is an alpha2 key, a list where
    the new syntax keys by name, or a ``name`` inside a keyed entry.
    """
    path = [str(p) for p in leaf.absolute_path]
    if leaf.validator == "additionalProperties":
        extra = set(leaf.message.split("(")[1].split(" w")[0].replace("'", "").split(", "))
        if extra & OLD_KEYS and not (extra == {"location"} and "binds" in path):
            return "an alpha2 key is left"
        if "name" in extra and len(path) >= 2 and path[-2] in KEYED:
            return "a keyed entry still has its name"
    if leaf.validator == "type" and path and path[-1] in KEYED and "'object'" in leaf.message:
        return "a list left where the new syntax keys by name"
    return None


def test_the_seeds_and_a_dev_corpus_sample_leave_no_alpha2_construct_behind() -> None:
    validator = _validator()
    sample = _specs(SEEDS, "*.yaml") + dev_sample(16)
    migrated = 0
    left: list[str] = []
    for path in sample:
        outcome = migrate_text(path.read_text(encoding="utf-8"))
        if outcome.status != "migrated":
            assert all(p.code in ("NG601", "NG602", "NG606") for p in outcome.problems if p.error)
            continue
        migrated += 1
        for error in validator.iter_errors(yaml.safe_load(outcome.text or "")):
            for leaf in _leaves(error):
                why = _migration_left_over(leaf)
                if why:
                    left.append(f"{path.name}: {leaf.json_path}: {why}: {leaf.message[:120]}")
    assert migrated >= len(sample) * 3 // 4
    assert left == []


def test_the_left_over_check_sees_an_unmigrated_list() -> None:
    validator = _validator()
    spec = (TUTORIAL / "step-2-shipyard-wiring.yml").read_text(encoding="utf-8")
    data = _migrated(TUTORIAL / "step-2-shipyard-wiring.yml")
    data["capability"]["consumes"][0]["resources"] = [{"name": "x", "path": "/x", "operations": {}}]
    leaves = [leaf for e in validator.iter_errors(data) for leaf in _leaves(e)]
    assert any(_migration_left_over(leaf) for leaf in leaves), spec[:0]


# --- the tutorial, as data, against its new-syntax twin ------------------------------------
# Where the two tutorials do not say the same thing: the mock server's address, and content
# the new tutorial added or named differently.
NOT_THE_SAME = {
    "step-6-shipyard-write-operations.yml": [("capability", "exposes", 0, "tools", "refresh-crew")],
    "shared/step6-registry-consumes.yaml": [("consumes", 0, "resources", "ships-crew")],
    "shared/secrets.yaml": [()],
}


def _drop(data: Any, path: tuple) -> None:
    for part in path[:-1]:
        data = data[part]
    if path:
        data.pop(path[-1], None)


def _base_uris_blanked(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: ("" if k == "baseUri" else _base_uris_blanked(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [_base_uris_blanked(v) for v in data]
    return data


@pytest.mark.parametrize("path", TUTORIAL_SPECS, ids=lambda p: p.relative_to(TUTORIAL).as_posix())
def test_migrated_tutorial_equals_the_new_syntax_tutorial(path: Path) -> None:
    rel = path.relative_to(TUTORIAL).as_posix()
    twin = REFERENCE / "tutorial" / rel
    ours, theirs = _migrated(path), yaml.safe_load(twin.read_text(encoding="utf-8"))
    for skipped in NOT_THE_SAME.get(rel, []):
        _drop(ours, skipped)
        _drop(theirs, skipped)
    assert _base_uris_blanked(ours) == _base_uris_blanked(theirs)


def test_the_comparison_sees_a_difference() -> None:
    need_shared()
    step = TUTORIAL / "step-9-shipyard-aggregates.yml"
    ours = _migrated(step)
    ours["capability"]["aggregates"][0]["flows"]["resolve-crew-for-ship"]["mappings"][0][
        "target"
    ] = "x"
    theirs = yaml.safe_load((REFERENCE / "tutorial" / step.name).read_text(encoding="utf-8"))
    assert _base_uris_blanked(ours) != _base_uris_blanked(theirs)


def test_the_dev_corpus_folder_is_there_when_shared_is() -> None:
    need_shared()
    assert len(dev_sample(16)) > 50 and DEV.is_dir()
