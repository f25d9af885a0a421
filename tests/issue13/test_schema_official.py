"""Our Ikanos schema against the official beta5 one (../shared; skipped when absent):
what the official schema accepts we accept without a finding, what it rejects we report."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from generator.read import dialect, loader, verdict
from tests.conftest import SHARED, shared_or_skip

REFERENCE = SHARED / "reference" / "ikanos"
_FOLDERS = ("tutorial", "schema/examples", "engine-tests", "spec-tests")


def _documents() -> list[Path]:
    """Every Ikanos document of the reference material (data files and OpenAPI left out)."""
    found = []
    for folder in _FOLDERS:
        for path in sorted((REFERENCE / folder).rglob("*.y*ml")):
            try:
                data = loader.load(path).data
            except loader.LoadError:
                continue  # not YAML (a deliberately malformed file): no schema can say anything
            if isinstance(data, dict) and dialect.detect(data).ikanos:
                found.append(path)
    return found


DOCUMENTS = _documents() if REFERENCE.exists() else []


@pytest.fixture(scope="module")
def official() -> Draft202012Validator:
    schema = shared_or_skip("reference", "ikanos", "schema", "ikanos-schema-1.0.0-beta5.json")
    return Draft202012Validator(json.loads(schema.read_text(encoding="utf-8")))


def _ours(path: Path) -> list[str]:
    """What our schema and dialect stages report (semantic and model stages left out)."""
    _, found, ikanos = verdict.validated(loader.load(path, path.name))
    assert ikanos
    return [d.format_text() for d in found]


def test_the_reference_material_is_there() -> None:
    shared_or_skip("reference", "ikanos")
    assert len(DOCUMENTS) > 50


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(REFERENCE)))
def test_same_verdict_as_the_official_schema(path: Path, official: Draft202012Validator) -> None:
    data = loader.load(path).data
    official_errors = [e.message for e in official.iter_errors(data)]
    ours = _ours(path)
    if not official_errors:
        assert ours == [], "accepted by the official schema"
    else:
        assert ours, f"rejected by the official schema ({official_errors[0][:200]}), not reported by ours"


def test_our_schema_is_valid_draft_2020_12() -> None:
    from generator.read import schema_check

    Draft202012Validator.check_schema(schema_check.load_schema(schema_check.IKANOS_SCHEMA_FILE))


def test_inlined_schema_finds_what_the_written_one_finds() -> None:
    from generator.read import schema_check

    name = schema_check.IKANOS_SCHEMA_FILE
    written = Draft202012Validator(schema_check.load_schema(name))
    inlined = schema_check.compiled_validator(name)
    for path in DOCUMENTS or pytest.skip("reference material not present"):
        data = loader.load(path).data
        assert sorted(e.message for e in written.iter_errors(data)) == sorted(e.message for e in inlined.iter_errors(data))


def _mutations(data: Any, rng: random.Random, count: int) -> Iterator[Any]:
    """``count`` copies of ``data`` with one change each: an extra key, a key removed, a
    value of the wrong type, a scalar replaced by junk text."""
    places: list[tuple[tuple[Any, ...], Any]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        places.append((path, node))
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in children:
            walk(child, path + (key,))

    walk(data, ())
    for _ in range(count):
        doc = copy.deepcopy(data)
        path, node = rng.choice(places[1:])
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        kind = rng.choice(("extra", "remove", "type", "junk"))
        if kind == "extra" and isinstance(node, dict):
            parent[path[-1]]["zzExtra"] = "x"
        elif kind == "remove" and isinstance(node, dict) and node:
            parent[path[-1]].pop(rng.choice(sorted(node, key=str)))
        elif kind == "type":
            parent[path[-1]] = "x" if isinstance(node, list) else [1]
        elif kind == "junk" and isinstance(node, (str, int, bool)):
            parent[path[-1]] = "zz-bogus value"
        else:
            continue
        yield doc


def test_what_the_official_schema_rejects_after_a_change_we_report(tmp_path: Path, official: Draft202012Validator) -> None:
    from generator.read import schema_check

    name = schema_check.IKANOS_SCHEMA_FILE
    checks, ours = schema_check.fast_checks(name), Draft202012Validator(schema_check.load_schema(name))
    rng = random.Random(13)
    rejected = 0
    valid = [p for p in DOCUMENTS if not any(True for _ in official.iter_errors(loader.load(p).data))]
    for path in valid:
        for doc in _mutations(loader.load(path).data, rng, 8):
            # the compiled fast checks agree with jsonschema on our schema
            assert checks.valid(checks.root, doc) == (not any(True for _ in ours.iter_errors(doc)))
            if not any(True for _ in official.iter_errors(doc)):
                continue
            rejected += 1
            spec = loader.load_text(yaml.safe_dump(doc, sort_keys=False), tmp_path / path.name, path.name)
            _, found, _ = verdict.validated(spec)
            assert found, f"{path.name}: rejected by the official schema, not reported by ours:\n{yaml.safe_dump(doc)}"
    assert rejected > 200
