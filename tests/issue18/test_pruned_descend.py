"""The pruned validator (generator/read/pruned.py) descends without evolving a validator,
hands errors up in lists and skips what the predicates prove valid (children of
``properties``/``items``/``additionalProperties``, branches of ``allOf``); on any document
its errors are still jsonschema's own, every detail and in the same order."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, strategies as st
from jsonschema import Draft202012Validator

from generator.read import fastcheck
from generator.read.pruned import validator_class

_OBJECT = {"type": "object", "required": ["a"], "additionalProperties": False,
           "properties": {"a": {"type": "integer", "minimum": 0}, "b": {"type": "string", "pattern": "^x"}}}

SCHEMAS: list[dict[str, Any]] = [
    {"type": "object", "properties": {"a": {"type": "array", "items": _OBJECT}, "b": _OBJECT},
     "additionalProperties": {"type": "array", "minItems": 1}},
    {"allOf": [_OBJECT, {"required": ["b"]}, {"properties": {"b": {"enum": ["xa", "xb"]}}}]},
    {"oneOf": [_OBJECT, {"type": "array", "items": _OBJECT}, {"type": "object", "required": ["c"]}]},
    {"anyOf": [{"type": "string"}, _OBJECT, {"items": {"anyOf": [{"type": "integer"}, _OBJECT]}}]},
    {"if": {"type": "object", "required": ["c"]}, "then": _OBJECT, "else": {"properties": {"d": _OBJECT}}},
    {"not": {"type": "object", "required": ["a", "b"]}, "properties": {"v": {"not": _OBJECT}}},
    {"type": "object", "properties": {"a": {"uniqueItems": True, "items": _OBJECT}, "b": {"required": ["a"]}}},
    {"$defs": {"node": {"type": "object", "additionalProperties": False,
                        "properties": {"next": {"$ref": "#/$defs/node"}, "v": {"type": "integer"}}}},
     "properties": {"a": {"$ref": "#/$defs/node"}, "b": {"items": {"$ref": "#/$defs/node"}}}},
    {"$id": "https://example.com/root", "properties": {
        "a": {"$id": "https://example.com/inner/", "$defs": {"leaf": _OBJECT},
              "items": {"$ref": "#/$defs/leaf"}},
        "b": {"$schema": "https://json-schema.org/draft/2020-12/schema", "properties": {"a": _OBJECT}}}},
]

_KEYS = st.sampled_from(["a", "b", "c", "d", "v", "next"])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 3) | st.sampled_from(["", "x", "xa", "xb", "y"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=12,
)


def _error_key(error: Any) -> tuple[Any, ...]:
    return (
        str(error.validator), error.validator_value, error.schema, error.instance,
        list(error.absolute_path), list(error.absolute_schema_path), error.message,
        [_error_key(sub) for sub in error.context or ()],
    )


@pytest.mark.parametrize("schema", SCHEMAS, ids=[str(i) for i in range(len(SCHEMAS))])
@given(value=JSON)
def test_pruned_errors_are_jsonschemas(schema: dict[str, Any], value: Any) -> None:
    compiler = fastcheck.Compiler(schema)
    pruned = validator_class(compiler)(schema)
    expected = [_error_key(e) for e in Draft202012Validator(schema).iter_errors(value)]
    compiler.remember(True)
    try:
        assert [_error_key(e) for e in pruned.iter_errors(value)] == expected
    finally:
        compiler.remember(False)
    assert [_error_key(e) for e in pruned.iter_errors(value)] == expected  # and without the memo


@pytest.mark.parametrize("value", [
    {"a": [{"a": -1, "c": 1}, {"b": "y"}, {"a": 1}], "b": {"a": "1", "b": 2}, "z": []},
    {"a": [], "b": {"a": 0}, "z": [1], "y": "no"},
])
def test_a_hand_made_invalid_document_gets_every_error_with_its_details(value: Any) -> None:
    schema = SCHEMAS[0]
    pruned = validator_class(fastcheck.Compiler(schema))(schema)
    found = list(pruned.iter_errors(value))
    plain = list(Draft202012Validator(schema).iter_errors(value))
    assert found and [_error_key(e) for e in found] == [_error_key(e) for e in plain]
    assert all(e._type_checker is p._type_checker for e, p in zip(found, plain))


def test_a_oneof_failing_every_branch_keeps_each_branchs_errors_as_context() -> None:
    schema = SCHEMAS[2]
    pruned = validator_class(fastcheck.Compiler(schema))(schema)
    value = {"a": -1, "b": "y", "z": 1}
    (error,) = pruned.iter_errors(value)
    (plain,) = Draft202012Validator(schema).iter_errors(value)
    assert error.validator == "oneOf" and len(error.context) >= 3
    assert _error_key(error) == _error_key(plain)
    assert [list(e.relative_schema_path) for e in error.context] == [list(e.relative_schema_path) for e in plain.context]


def test_a_subschema_valid_under_two_oneof_branches_says_so() -> None:
    schema = {"oneOf": [{"type": "object"}, {"properties": {"a": _OBJECT}}]}
    pruned = validator_class(fastcheck.Compiler(schema))(schema)
    wrapped = {"properties": {"p": schema}}
    deep = validator_class(fastcheck.Compiler(wrapped))(wrapped)
    for validator, value, whole in ((pruned, {"a": {"a": 1}}, schema), (deep, {"p": {"a": {"a": 1}}}, wrapped)):
        found = [_error_key(e) for e in validator.iter_errors(value)]
        assert found == [_error_key(e) for e in Draft202012Validator(whole).iter_errors(value)]
        assert "is valid under each of" in found[0][6]
