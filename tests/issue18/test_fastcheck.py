"""The compiled validity predicates (generator/read/fastcheck.py) answer exactly what
jsonschema answers, and the pruned validator (read/pruned.py) finds exactly jsonschema's
errors, in its order, on real documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, strategies as st
from jsonschema import Draft202012Validator

from generator import pipeline
from generator.read import fastcheck, loader, schema_check
from generator.read.pruned import validator_class
from tests.conftest import ROOT, SHARED

SCHEMAS: list[dict[str, Any]] = [
    {"type": "integer"},
    {"type": "number"},
    {"type": ["string", "null"]},
    {"type": "boolean"},
    {"enum": ["a", "b"]},
    {"enum": [1, True, None, [1], {"a": 1}]},
    {"const": 1},
    {"const": False},
    {"const": {"a": [1, 2]}},
    {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}, "additionalProperties": False},
    {"properties": {"a": {"minLength": 2, "maxLength": 3}}, "additionalProperties": {"type": "integer"}},
    {"type": "object", "required": ["a", "b"], "minProperties": 3, "additionalProperties": {"type": "integer"},
     "properties": {"a": {"type": "object", "required": ["v"]}, "b": True}},
    {"type": ["object", "null"], "properties": {"a": {"const": 1}}, "additionalProperties": True, "required": ["c"]},
    {"required": ["a"], "additionalProperties": False},
    {"items": {"type": "integer", "minimum": 0, "maximum": 3}, "minItems": 1, "maxItems": 2},
    {"items": False},
    {"pattern": "^a+$"},
    {"exclusiveMinimum": 0, "exclusiveMaximum": 2.5},
    {"minProperties": 1, "maxProperties": 2, "propertyNames": {"pattern": "^[a-c]$"}},
    {"dependentRequired": {"a": ["b"]}},
    {"allOf": [{"type": "object"}, {"required": ["a"]}]},
    {"anyOf": [{"type": "string"}, {"type": "integer"}]},
    {"oneOf": [{"type": "number"}, {"type": "integer"}]},
    {"not": {"type": "array"}},
    {"if": {"properties": {"a": {"const": 1}}, "required": ["a"]}, "then": {"required": ["b"]}, "else": {"required": ["c"]}},
    {"if": {"type": "string"}, "then": {"minLength": 1}},
    {"$defs": {"node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}, "v": {"type": "integer"}}}},
     "$ref": "#/$defs/node"},
    {"type": "object", "x-ng": {"type": "NG999"}, "$comment": "annotations are ignored", "format": "uri"},
    True,
    False,
]

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 5) | st.sampled_from([0.0, 1.0, 1.5, -2.5]) | st.sampled_from(["", "a", "aa", "ab", "b", "c", "aaaa"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b", "c", "d", "next", "v"]), inner, max_size=3),
    max_leaves=8,
)


@pytest.mark.parametrize("schema", SCHEMAS, ids=[str(i) for i in range(len(SCHEMAS))])
@given(value=JSON)
def test_predicate_answers_what_jsonschema_answers(schema: Any, value: Any) -> None:
    compiler = fastcheck.Compiler(schema)
    assert compiler.predicate(schema) is not None, "every keyword of this schema is supported"
    assert compiler.valid(schema, value) == Draft202012Validator(schema).is_valid(value)


def test_unsupported_keywords_get_no_predicate_and_so_never_pass() -> None:
    schema = {"type": "object", "properties": {"a": {"uniqueItems": True}, "b": {"type": "string"}}}
    compiler = fastcheck.Compiler(schema)
    assert compiler.predicate(schema) is None
    assert compiler.valid(schema, {"a": [1, 2]}) is False  # unknown, so not "valid"
    assert compiler.predicate(schema["properties"]["b"]) is not None
    pruned = validator_class(compiler)(schema)
    assert [e.message for e in pruned.iter_errors({"a": [1, 1], "b": 2})] == [
        e.message for e in Draft202012Validator(schema).iter_errors({"a": [1, 1], "b": 2})
    ]


def _documents() -> list[Path]:
    folders = [ROOT / "specs", ROOT / "tests" / "specs3", ROOT / "tests" / "specs3b", ROOT / "tests" / "specs5"]
    corpus = SHARED / "corpus"
    if corpus.is_dir():
        folders += [corpus / "broken", corpus / "official"]
    found = pipeline.discover([f for f in folders if f.is_dir()])
    if (corpus / "dev").is_dir():
        found += pipeline.discover([corpus / "dev"])[::12]  # every 12th of 1,328 specs
    return found


def _error_key(error: Any) -> tuple[Any, ...]:
    return (
        str(error.validator), list(error.absolute_path), list(error.absolute_schema_path),
        error.message, [_error_key(sub) for sub in error.context or ()],
    )


def test_pruned_validator_finds_jsonschemas_errors_in_its_order() -> None:
    plain = Draft202012Validator(schema_check.inlined_schema())
    checks = schema_check.fast_checks()
    pruned = schema_check.compiled_validator()
    documents = _documents()
    assert len(documents) > 20
    invalid = 0
    for path in documents:
        try:
            data = loader.load(path).data
        except loader.LoadError:
            continue
        expected = [_error_key(e) for e in plain.iter_errors(data)]
        assert checks.valid(checks.root, data) == (not expected), path
        checks.remember(True)
        try:
            assert [_error_key(e) for e in pruned.iter_errors(data)] == expected, path
        finally:
            checks.remember(False)
        invalid += bool(expected)
    assert invalid > 5, "the documents include invalid ones"


def _deep_spec(levels: int, leaf_type: str) -> str:
    inner = f"{{type: {leaf_type}, mapping: $.x}}"
    for _ in range(levels):
        inner = f"{{type: object, properties: {{p: {inner}}}}}"
    return f"""naftiko: 1.0.0-alpha2
info: {{label: Deep, description: Deep nesting.}}
capability:
  consumes:
    - {{type: http, namespace: a, baseUri: https://x.example, resources: [{{name: r, path: /r, operations: [{{name: o, method: GET}}]}}]}}
  exposes:
    - {{type: mcp, namespace: m, port: 9000, description: d, tools: [{{name: t, description: A tool that does a thing., call: a.o, outputParameters: [{inner}]}}]}}
"""


@pytest.mark.parametrize("leaf_type", ["string", "strin"])
def test_a_document_too_deep_for_the_predicates_is_left_to_jsonschema(leaf_type: str) -> None:
    """96 nested objects (about 195 YAML levels, just under the loader's limit) overflow
    the predicates' recursion; they answer "not known" and jsonschema decides, as before."""
    from generator.read import validate

    spec = loader.load_text(_deep_spec(96, leaf_type), Path("deep.yaml"))
    plain = [_error_key(e) for e in Draft202012Validator(schema_check.inlined_schema()).iter_errors(spec.data)]
    codes = [d.code for d in validate.validate(spec)]
    assert codes == ([] if leaf_type == "string" else ["NG104"])
    assert bool(plain) == (leaf_type != "string")
