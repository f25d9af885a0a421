"""A fast "is this valid?" test for JSON Schema 2020-12, compiled once per (sub)schema.

``compile_schema(root)`` turns a schema into plain Python predicates, one closure per
subschema, that answer what jsonschema's ``is_valid`` would, without building errors.
It knows the keywords a structural schema uses (types, properties, required, items,
enum/const, pattern, lengths, bounds, allOf/anyOf/oneOf/not, if/then/else, local
``$ref``); a subschema with any other validating keyword gets no predicate (``None``),
and the caller asks jsonschema instead. A predicate may only say True where jsonschema
finds no error: that is all the validation stage relies on, to skip valid documents and
valid subtrees (``schema_check``). Annotations (``x-*``, ``$comment``, ``title``, ...)
are ignored, as jsonschema ignores them. Nothing here depends on a particular schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .fastcheck_objects import FOLDED, Predicate, mapping_predicate

KEYWORDS = frozenset({
    "$dynamicRef", "$ref", "additionalProperties", "allOf", "anyOf", "const", "contains",
    "dependentRequired", "dependentSchemas", "enum", "exclusiveMaximum", "exclusiveMinimum",
    "format", "if", "items", "maxItems", "maxLength", "maxProperties", "maximum", "minItems",
    "minLength", "minProperties", "minimum", "multipleOf", "not", "oneOf", "pattern",
    "patternProperties", "prefixItems", "properties", "propertyNames", "required", "type",
    "unevaluatedItems", "unevaluatedProperties", "uniqueItems",
})
"""The keywords Draft 2020-12 validates with (jsonschema's Draft202012Validator.VALIDATORS)."""

_CONTAINER_KEYWORDS = frozenset({"properties", "items", "additionalProperties"})

UNSUPPORTED = frozenset({
    "$dynamicRef", "contains", "dependentSchemas", "multipleOf", "patternProperties",
    "unevaluatedItems", "unevaluatedProperties", "uniqueItems", "prefixItems",
})
"""Validating keywords this module leaves to jsonschema (a subschema using one has no
predicate). ``format`` is an annotation here: the validator has no format checker."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


TYPE_TESTS: dict[str, Predicate] = {
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "integer": _is_integer,
    "null": lambda v: v is None,
    "number": _is_number,
    "object": lambda v: isinstance(v, dict),
    "string": lambda v: isinstance(v, str),
}
"""jsonschema's Draft 2020-12 type checker, for the plain data a YAML load gives."""


def equal(one: Any, two: Any) -> bool:
    """JSON equality: True is not 1, lists and mappings compared item by item."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(equal(a, b) for a, b in zip(one, two))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(equal(one[k], two[k]) for k in one)
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    if isinstance(one, (list, dict)) or isinstance(two, (list, dict)):
        return False
    return bool(one == two)


class Unknown(Exception):
    """A reference led to a subschema without a predicate: the answer is not known."""


class Compiler:
    """Compiles the subschemas of one root schema, each once (by identity)."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.compiled: dict[int, Predicate | None] = {}
        self.keywords: dict[tuple[int, str], Predicate | None] = {}
        self.references: dict[str, Predicate | None] = {}
        self._keep: list[Any] = []  # the compiled subschemas, so their ids stay theirs
        self.memos: list[dict[int, bool]] = []  # one per remembering predicate
        self._remembering = [False]

    def remember(self, on: bool) -> None:
        """Start (or stop) remembering the answers for dicts and lists, keyed by their
        identity: only while one document is alive, and so cleared each time."""
        for memo in self.memos:
            memo.clear()
        self._remembering[0] = on

    def valid(self, schema: Any, value: Any) -> bool:
        """True only when ``value`` is valid under ``schema`` (a subschema of the root);
        False when it is not, or when that is not known here."""
        check = self.predicate(schema)
        return holds(check, value)

    def decide(self, schema: Any, value: Any) -> bool | None:
        """Whether ``value`` is valid under ``schema``: True, False, or None when not known."""
        check = self.predicate(schema)
        if check is None:
            return None
        try:
            return check(value)
        except (Unknown, RecursionError):
            return None

    def keyword_valid(self, schema: dict[str, Any], keyword: str, value: Any) -> bool:
        """True only when keyword ``keyword`` of ``schema`` finds no error in ``value``."""
        check = self.keyword_predicate(schema, keyword)
        return holds(check, value)

    def keyword_predicate(self, schema: dict[str, Any], keyword: str) -> Predicate | None:
        """The predicate of keyword ``keyword`` of ``schema`` alone (None: not known here);
        it may raise ``Unknown`` or ``RecursionError``, which mean "not known" too."""
        key = (id(schema), keyword)
        if key not in self.keywords:
            self._keep.append(schema)
            build = _BUILDERS.get(keyword)
            self.keywords[key] = None if build is None or keyword in UNSUPPORTED else build(self, schema[keyword], schema)
        return self.keywords[key]

    def reference_valid(self, ref: str, value: Any) -> bool:
        """True only when ``value`` is valid under the target of local reference ``ref``."""
        if ref not in self.references:
            self.references[ref] = self.reference(ref)
        check = self.references[ref]
        return holds(check, value)

    def predicate(self, schema: Any) -> Predicate | None:
        """The predicate of one subschema of the root (None: ask jsonschema)."""
        key = id(schema)
        if key in self.compiled:
            return self.compiled[key]
        self._keep.append(schema)
        self.compiled[key] = None  # a cycle is only ever entered through a lazy $ref
        found = self._compile(schema)
        if found is not None and isinstance(schema, dict) and _CONTAINER_KEYWORDS.intersection(schema):
            found = self._remembered(found)
        self.compiled[key] = found
        return found

    def _remembered(self, check: Predicate) -> Predicate:
        """``check``, with its answers for dicts and lists kept in a memo of its own: the
        pruned validator asks about a subtree again at each level it descends through."""
        memo: dict[int, bool] = {}
        self.memos.append(memo)
        remembering = self._remembering

        def remembered(value: Any) -> bool:
            if not remembering[0] or not isinstance(value, (dict, list)):
                return check(value)
            found = memo.get(id(value))
            if found is None:
                found = memo[id(value)] = check(value)
            return found

        return remembered

    def _compile(self, schema: Any) -> Predicate | None:
        if schema is True:
            return lambda _value: True
        if schema is False:
            return lambda _value: False
        if not isinstance(schema, dict) or "$id" in schema and schema is not self.root:
            return None
        used = KEYWORDS.intersection(schema)
        if used & UNSUPPORTED:
            return None
        checks: list[Predicate] = []
        if used & FOLDED:
            mapping = mapping_predicate(schema, self.predicate)
            if mapping is None:
                return None
            checks.append(mapping)
            used -= FOLDED | ({"type"} if schema.get("type") == "object" else set())
        for keyword in sorted(used, key=_ORDER.get):
            check = _BUILDERS[keyword](self, schema[keyword], schema)
            if check is None:
                return None
            if check is not _NOTHING:
                checks.append(check)
        return _all_of(checks)

    def reference(self, ref: Any) -> Predicate | None:
        """A local ``#/...`` reference, resolved and compiled on first use (cycles allowed)."""
        if not isinstance(ref, str) or not ref.startswith("#"):
            return None
        target: Any = self.root
        for part in ref[1:].split("/")[1:] if ref != "#" else []:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(target, dict) and part in target:
                target = target[part]
            elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                target = target[int(part)]
            else:
                return None
        slot: list[Predicate | None] = []

        def follow(value: Any) -> bool:
            if not slot:
                slot.append(self.predicate(target))
            check = slot[0]
            if check is None:
                raise Unknown(ref)
            return check(value)

        return follow


def holds(check: Predicate | None, value: Any) -> bool:
    """True only when ``check`` is known and proves ``value`` valid."""
    return check is not None and _safely(check, value)


def _safely(check: Predicate, value: Any) -> bool:
    """The predicate's answer; False ("not known") when a reference has no predicate or
    the value nests too deep for Python's stack (jsonschema then decides, as before)."""
    try:
        return check(value)
    except (Unknown, RecursionError):
        return False


def _all_of(checks: list[Predicate]) -> Predicate:
    if not checks:
        return lambda _value: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)
    if len(checks) == 3:
        one, two, three = checks
        return lambda value: one(value) and two(value) and three(value)
    return lambda value: _every(checks, value)


def _every(checks: list[Predicate], value: Any) -> bool:
    """All of ``checks`` hold for ``value`` (a plain loop: cheaper than ``all`` over a generator)."""
    for check in checks:
        if not check(value):
            return False
    return True


def _each_holds(check: Predicate, values: Any) -> bool:
    """``check`` holds for each of ``values``."""
    for value in values:
        if not check(value):
            return False
    return True


_NOTHING: Predicate = lambda _value: True  # noqa: E731 - a keyword that checks nothing


def _type(_c: Compiler, types: Any, _schema: dict[str, Any]) -> Predicate | None:
    names = [types] if isinstance(types, str) else types
    if not isinstance(names, list) or not all(n in TYPE_TESTS for n in names):
        return None
    tests = [TYPE_TESTS[n] for n in names]
    if len(tests) == 1:
        return tests[0]
    return lambda value: any(test(value) for test in tests)


def _properties(c: Compiler, properties: Any, _schema: dict[str, Any]) -> Predicate | None:
    if not isinstance(properties, dict):
        return None
    table: dict[str, Predicate] = {}
    for name, sub in properties.items():
        check = c.predicate(sub)
        if check is None:
            return None
        table[name] = check
    lookup = table.get

    def check_properties(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for key, item in value.items():  # a document's mapping has fewer keys than its schema
            check = lookup(key)
            if check is not None and not check(item):
                return False
        return True

    return check_properties


def _additional(c: Compiler, extra: Any, schema: dict[str, Any]) -> Predicate | None:
    if "patternProperties" in schema:
        return None
    known = frozenset(schema.get("properties", {}))
    if extra is False:
        return lambda value: not isinstance(value, dict) or known.issuperset(value)
    check = c.predicate(extra)
    if check is None:
        return None

    def check_additional(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for key, item in value.items():
            if key not in known and not check(item):
                return False
        return True

    return check_additional


def _required(_c: Compiler, names: Any, _schema: dict[str, Any]) -> Predicate | None:
    if not isinstance(names, list):
        return None
    try:
        wanted = frozenset(names)
    except TypeError:
        return None
    if len(wanted) == 1:
        (name,) = wanted
        return lambda value: not isinstance(value, dict) or name in value
    return lambda value: not isinstance(value, dict) or value.keys() >= wanted


def _items(c: Compiler, items: Any, schema: dict[str, Any]) -> Predicate | None:
    if "prefixItems" in schema:
        return None
    if items is False:
        return lambda value: not isinstance(value, list) or not value
    check = c.predicate(items)
    if check is None:
        return None
    return lambda value: not isinstance(value, list) or _each_holds(check, value)


def _enum(_c: Compiler, options: Any, _schema: dict[str, Any]) -> Predicate | None:
    if not isinstance(options, list):
        return None
    if all(isinstance(o, str) for o in options):
        texts = frozenset(options)
        return lambda value: isinstance(value, str) and value in texts
    return lambda value: any(equal(option, value) for option in options)


def _const(_c: Compiler, expected: Any, _schema: dict[str, Any]) -> Predicate | None:
    return lambda value: equal(value, expected)


def _pattern(_c: Compiler, pattern: Any, _schema: dict[str, Any]) -> Predicate | None:
    if not isinstance(pattern, str):
        return None
    search = re.compile(pattern).search
    return lambda value: not isinstance(value, str) or search(value) is not None


def _bound(kind: type, test: Callable[[Any, Any], bool]) -> Callable[..., Predicate | None]:
    def build(_c: Compiler, limit: Any, _schema: dict[str, Any]) -> Predicate | None:
        if isinstance(limit, bool) or not isinstance(limit, (int, float)):
            return None
        if kind is str:
            return lambda value: not isinstance(value, str) or test(len(value), limit)
        if kind is list:
            return lambda value: not isinstance(value, list) or test(len(value), limit)
        if kind is dict:
            return lambda value: not isinstance(value, dict) or test(len(value), limit)
        return lambda value: not _is_number(value) or test(value, limit)

    return build


def _all(c: Compiler, subs: Any, _schema: dict[str, Any]) -> Predicate | None:
    checks = _each(c, subs)
    return None if checks is None else _all_of(checks)


def _any(c: Compiler, subs: Any, _schema: dict[str, Any]) -> Predicate | None:
    checks = _each(c, subs)
    return None if checks is None else (lambda value: any(check(value) for check in checks))


def _one(c: Compiler, subs: Any, _schema: dict[str, Any]) -> Predicate | None:
    checks = _each(c, subs)
    return None if checks is None else (lambda value: sum(1 for check in checks if check(value)) == 1)


def _not(c: Compiler, sub: Any, _schema: dict[str, Any]) -> Predicate | None:
    check = c.predicate(sub)
    return None if check is None else (lambda value: not check(value))


def _if(c: Compiler, condition: Any, schema: dict[str, Any]) -> Predicate | None:
    test = c.predicate(condition)
    then = c.predicate(schema["then"]) if "then" in schema else _NOTHING
    otherwise = c.predicate(schema["else"]) if "else" in schema else _NOTHING
    if test is None or then is None or otherwise is None:
        return None
    return lambda value: then(value) if test(value) else otherwise(value)


def _names(c: Compiler, sub: Any, _schema: dict[str, Any]) -> Predicate | None:
    check = c.predicate(sub)
    if check is None:
        return None
    return lambda value: not isinstance(value, dict) or all(check(key) for key in value)


def _dependent(_c: Compiler, deps: Any, _schema: dict[str, Any]) -> Predicate | None:
    if not isinstance(deps, dict):
        return None
    pairs = [(name, tuple(needed)) for name, needed in deps.items()]
    return lambda value: not isinstance(value, dict) or all(
        all(n in value for n in needed) for name, needed in pairs if name in value
    )


def _ref(c: Compiler, ref: Any, _schema: dict[str, Any]) -> Predicate | None:
    return c.reference(ref)


def _each(c: Compiler, subs: Any) -> list[Predicate] | None:
    if not isinstance(subs, list) or not subs:
        return None
    checks = [c.predicate(sub) for sub in subs]
    return None if any(check is None for check in checks) else checks  # type: ignore[return-value]


def _format(_c: Compiler, _value: Any, _schema: dict[str, Any]) -> Predicate | None:
    return _NOTHING


_BUILDERS: dict[str, Callable[[Compiler, Any, dict[str, Any]], Predicate | None]] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional,
    "items": _items,
    "pattern": _pattern,
    "minLength": _bound(str, lambda n, limit: n >= limit),
    "maxLength": _bound(str, lambda n, limit: n <= limit),
    "minItems": _bound(list, lambda n, limit: n >= limit),
    "maxItems": _bound(list, lambda n, limit: n <= limit),
    "minProperties": _bound(dict, lambda n, limit: n >= limit),
    "maxProperties": _bound(dict, lambda n, limit: n <= limit),
    "minimum": _bound(float, lambda n, limit: n >= limit),
    "maximum": _bound(float, lambda n, limit: n <= limit),
    "exclusiveMinimum": _bound(float, lambda n, limit: n > limit),
    "exclusiveMaximum": _bound(float, lambda n, limit: n < limit),
    "allOf": _all,
    "anyOf": _any,
    "oneOf": _one,
    "not": _not,
    "if": _if,
    "propertyNames": _names,
    "dependentRequired": _dependent,
    "$ref": _ref,
    "format": _format,
}
_ORDER = {name: index for index, name in enumerate(
    ["type", "enum", "const", "required", "minLength", "maxLength", "minItems", "maxItems",
     "minProperties", "maxProperties", "minimum", "maximum", "exclusiveMinimum",
     "exclusiveMaximum", "pattern", "format", "dependentRequired", "additionalProperties",
     "propertyNames", "properties", "items", "$ref", "allOf", "anyOf", "oneOf", "not", "if"]
)}
"""Cheap checks first: a predicate stops at the first failing keyword."""
