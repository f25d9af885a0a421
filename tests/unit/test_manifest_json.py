"""The manifest writes its entries and diagnostics field by field (no deep copy): what it
writes must stay what ``dataclasses.asdict`` gives, whatever field is added later."""

from __future__ import annotations

import dataclasses
import json

from generator.output import manifest
from generator.read.diagnostics import Diagnostic, Severity


def test_an_entry_as_json_is_its_asdict() -> None:
    entry = manifest.SpecEntry(
        package="pkg",
        options="strict=0",
        inputs={"spec.yaml": "a" * 64},
        files={"pkg/client.py": "b" * 64},
        diagnostics=[{"code": "NG110", "line": 3}],
        skipped="why",
    )
    assert entry.as_json() == dataclasses.asdict(entry)
    assert entry.as_json()["inputs"] is not entry.inputs  # a copy, as asdict makes


def test_a_diagnostic_keeps_every_field_it_has() -> None:
    found = Diagnostic(Severity.WARNING, "NG110", "unknown key", "spec.yaml", 3, 7, "a hint", "$.a")
    expected = {**dataclasses.asdict(found), "severity": "warning", "file": "other.yaml"}
    assert manifest.diagnostic_to_dict(found, "other.yaml") == expected
    bare = Diagnostic(Severity.ERROR, "NG002", "invalid YAML", "spec.yaml")
    assert manifest.diagnostic_to_dict(bare) == {"severity": "error", "code": "NG002", "message": "invalid YAML", "file": "spec.yaml", "line": 1, "col": 1}


def test_the_manifest_text_is_unchanged_by_the_field_by_field_copy() -> None:
    entry = manifest.SpecEntry("pkg", "strict=0", {"s.yaml": "c" * 64}, {"pkg/a.py": "d" * 64}, [{"code": "NG1"}])
    made = manifest.Manifest(generator={"naftiko-gen": "0"}, specs={"s.yaml": entry}, invalid={"t.yaml": entry}, line_length=100)
    data = json.loads(made.dumps())
    assert data["specs"]["s.yaml"] == dataclasses.asdict(entry) == data["invalid"]["t.yaml"]
