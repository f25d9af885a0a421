"""One predicate for the mapping keywords of a subschema (``type: object``, ``required``,
``properties``, ``additionalProperties``), walking the mapping's keys once instead of
asking four keyword predicates in turn: most subschemas of a capability schema are such
mappings, and the validation stage asks about every one of a document's mappings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Predicate = Callable[[Any], bool]

FOLDED = frozenset({"required", "properties", "additionalProperties"})
"""The keywords a mapping predicate answers for (and ``type``, when it is "object")."""


def mapping_predicate(schema: dict[str, Any], compile_sub: Callable[[Any], Predicate | None]) -> Predicate | None:
    """What ``required``, ``properties`` and ``additionalProperties`` of ``schema`` (and its
    ``type`` when that is "object") say together; None when a part has no predicate.
    ``compile_sub`` gives the predicate of a subschema. No ``patternProperties`` here."""
    props = schema.get("properties", {})
    names = schema.get("required", [])
    if not isinstance(props, dict) or not isinstance(names, list) or "patternProperties" in schema:
        return None
    table: dict[str, Predicate] = {}
    for name, sub in props.items():
        check = compile_sub(sub)
        if check is None:
            return None
        table[name] = check
    extra = schema.get("additionalProperties", True)
    closed = extra is False
    other = None if closed or extra is True else compile_sub(extra)
    if other is None and not closed and extra is not True:
        return None
    try:
        wanted = frozenset(names)
    except TypeError:
        return None
    only_mappings = schema.get("type") == "object"
    lookup = table.get

    def check_mapping(value: Any) -> bool:
        if not isinstance(value, dict):
            return not only_mappings
        if wanted and not value.keys() >= wanted:
            return False
        for key, item in value.items():
            check = lookup(key)
            if check is not None:
                if not check(item):
                    return False
            elif closed or other is not None and not other(item):
                return False
        return True

    return check_mapping
