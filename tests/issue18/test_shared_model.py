"""The model shares what many operations have alike (output rules, MCP input schemas),
so the emit stage makes each literal once; shared parts cannot be changed, and equal
spec data of different types is never shared."""

from __future__ import annotations

import pytest

from generator.emit import literals
from generator.model import ir
from generator.model.consumes import build_outputs
from generator.model.mcp import input_schema

OUTPUTS = [{"name": "id", "type": "string", "value": "$.id"}, {"name": "n", "type": "number", "const": 1}]


def test_equal_output_data_gives_the_same_rules_and_other_types_do_not() -> None:
    first = build_outputs([dict(o) for o in OUTPUTS])
    assert build_outputs([dict(o) for o in OUTPUTS]) is first
    as_bool = build_outputs([OUTPUTS[0], {**OUTPUTS[1], "const": True}])
    assert as_bool[1].const is True and first[1].const == 1 and first[1].const is not True
    assert literals.py_literal(list(as_bool)) != literals.py_literal(list(first))


def test_tools_with_the_same_inputs_share_one_read_only_schema() -> None:
    inputs = (ir.ExposedInput("q", "q", "query", "string", "str", True, "Search"),)
    schema = input_schema(inputs)
    assert input_schema((ir.ExposedInput("q", "q", "query", "string", "str", True, "Search"),)) is schema
    assert schema == {"type": "object", "properties": {"q": {"type": "string", "description": "Search"}}, "required": ["q"]}
    with pytest.raises(TypeError):
        schema["type"] = "array"
    assert input_schema((ir.ExposedInput("q", "q", "query", "string", "str | None", False, "Search"),)) is not schema


def test_a_shared_object_is_made_into_one_literal_node_per_package() -> None:
    literals.forget()
    rule = build_outputs(OUTPUTS)[0]
    node = literals.py_node(rule)
    assert literals.py_node(rule) is node
    literals.forget()
    assert literals.py_node(rule) is not node
