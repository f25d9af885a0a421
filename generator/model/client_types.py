"""The typed client's result types: consumed `outputParameters` -> a Python annotation and
the TypedDicts it names (built from the declared types; ``Any`` where the spec gives none)."""

from __future__ import annotations

from . import ir
from .naming import NameTable, pascal

SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
"""Declared scalar types and their annotations (an int is a valid float)."""


def _is_whole(rule: ir.OutputParam) -> bool:
    """A rule handing on the whole body (``$.``): the client returns the body itself."""
    shaped = rule.has_value or rule.has_const or rule.properties or rule.items is not None
    return not shaped and (rule.mapping or "").strip() in ("$", "$.")


def _base(rule: ir.OutputParam, name: str, names: NameTable, shapes: list[ir.ResultShape]) -> str:
    """The annotation of one rule's value, without ``| None``."""
    if rule.type == "object" and rule.properties:
        return _shape(rule.properties, name, names, shapes)
    if rule.type == "array":
        if rule.items is None:
            return "list[Any]"
        return f"list[{_annotation(rule.items, name + 'Item', names, shapes)}]"
    if rule.type == "object":
        return "dict[str, Any]"
    return SCALARS.get(rule.type, "Any")


def _annotation(rule: ir.OutputParam, name: str, names: NameTable, shapes: list[ir.ResultShape]) -> str:
    """A rule's annotation: a built object is always there, anything else may be None."""
    base = _base(rule, name, names, shapes)
    built = rule.type == "object" and bool(rule.properties) and not (rule.has_value or rule.has_const)
    return base if built or base == "Any" else f"{base} | None"


def _shape(rules: tuple[ir.OutputParam, ...], name: str, names: NameTable, shapes: list[ir.ResultShape]) -> str:
    """Declare a TypedDict for named rules (inner shapes first); its class name."""
    claimed = names.claim(name)
    fields: list[tuple[str, str]] = []
    for rule in rules:
        if rule.name is None or any(key == rule.name for key, _ in fields):
            continue
        fields.append((rule.name, _annotation(rule, claimed + pascal(rule.name), names, shapes)))
    shapes.append(ir.ResultShape(claimed, tuple(fields)))
    return claimed


def result_type(outputs: tuple[ir.OutputParam, ...], base_name: str, names: NameTable) -> tuple[str, tuple[ir.ResultShape, ...], str | None]:
    """(annotation, the TypedDicts it names, the type it aliases) of one operation's output.

    No outputs: the whole body, ``Any``. One rule mapping ``$.``: the body, typed by the
    rule's type. All rules named: a TypedDict with one key each. Otherwise ``Any``. An
    annotation with brackets is named by an alias (``<Op>Result``), so signatures stay
    short enough for the layout to vouch for.
    """
    shapes: list[ir.ResultShape] = []
    if not outputs:
        return "Any", (), None
    if len(outputs) == 1 and _is_whole(outputs[0]):
        annotation = _base(outputs[0], base_name, names, shapes)
        if "[" in annotation:
            return names.claim(base_name), (), annotation
        return annotation, (), None
    if all(rule.name for rule in outputs):
        return _shape(outputs, base_name, names, shapes), tuple(shapes), None
    return "Any", (), None
