"""jsonschema's Draft 2020-12 validator, made to skip what ``fastcheck`` proves valid.

Every keyword first asks the compiled predicates whether it can fail here; when it
cannot, it yields nothing without descending. ``properties``, ``items`` and
``additionalProperties`` instead skip each child value that is valid under its subschema,
``allOf`` each branch valid on its own, ``if`` picks its branch by the predicate of its
condition, so a document with one bad operation descends into that operation only. A
skipped part is one where jsonschema would have found no error, so the errors (their
details, paths, schema paths, messages and ``context``) are exactly jsonschema's own, in
the same order.

Below the root, ``descend`` does not evolve a validator per subschema, and the pruned
keywords hand their errors up in lists rather than through a chain of generators: a
document reaching jsonschema has errors in most of its operations, each error passing
through a dozen levels (see ``_descend``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError, _unset

from .fastcheck import Compiler, Predicate, Unknown, holds

Found = Iterable[ValidationError] | None
"""What a keyword function returns: its errors (a generator, or a list here), or None."""

Keyword = Callable[[Any, Any, Any, dict[str, Any]], Found]
_ORIGINAL: dict[str, Keyword] = dict(Draft202012Validator.VALIDATORS)


def validator_class(compiler: Compiler) -> Any:
    """A Draft 2020-12 validator class whose keywords consult ``compiler`` first."""

    pairs: dict[int, tuple[Any, list[tuple[str, Any, Predicate | None]]]] = {}

    def children(props: dict[str, Any]) -> list[tuple[str, Any, Predicate | None]]:
        """(name, subschema, its predicate) for each of ``properties``, looked up once."""
        known = pairs.get(id(props))
        if known is None or known[0] is not props:
            known = pairs[id(props)] = (props, [(name, sub, compiler.predicate(sub)) for name, sub in props.items()])
        return known[1]

    def properties(validator: Any, props: Any, instance: Any, schema: dict[str, Any]) -> Found:
        if not isinstance(instance, dict):
            return None
        found: list[ValidationError] = []
        for name, sub, check in children(props):
            if name in instance and not holds(check, instance[name]):
                found.extend(validator.descend(instance[name], sub, name, name))
        return found

    def items(validator: Any, sub: Any, instance: Any, schema: dict[str, Any]) -> Found:
        if sub is False or "prefixItems" in schema or not isinstance(instance, list):
            return _ORIGINAL["items"](validator, sub, instance, schema)
        check = compiler.predicate(sub)
        found: list[ValidationError] = []
        for index, item in enumerate(instance):
            if not holds(check, item):
                found.extend(validator.descend(item, sub, index))
        return found

    def additional(validator: Any, extra: Any, instance: Any, schema: dict[str, Any]) -> Found:
        if not isinstance(extra, dict) or "patternProperties" in schema or not isinstance(instance, dict):
            return _ORIGINAL["additionalProperties"](validator, extra, instance, schema)
        known = schema.get("properties", {})
        check = compiler.predicate(extra)
        found: list[ValidationError] = []
        for name in {key for key in instance if key not in known}:  # jsonschema's order: a set's
            if not holds(check, instance[name]):
                found.extend(validator.descend(instance[name], extra, name))
        return found

    def all_of(validator: Any, subs: Any, instance: Any, schema: dict[str, Any]) -> Found:
        found: list[ValidationError] = []
        for index, sub in enumerate(subs):
            if not compiler.valid(sub, instance):
                found.extend(validator.descend(instance, sub, None, index))
        return found

    def ref(validator: Any, target: Any, instance: Any, schema: dict[str, Any]) -> Found:
        if isinstance(target, str) and compiler.reference_valid(target, instance):
            return None
        return _ORIGINAL["$ref"](validator, target, instance, schema)

    def if_(validator: Any, condition: Any, instance: Any, schema: dict[str, Any]) -> Found:
        decided = compiler.decide(condition, instance)
        if decided is None:
            return _ORIGINAL["if"](validator, condition, instance, schema)
        branch = "then" if decided else "else"
        if branch in schema and not compiler.valid(schema[branch], instance):
            return validator.descend(instance, schema[branch], schema_path=branch)
        return None

    special: dict[str, Keyword] = {
        "properties": properties, "items": items, "additionalProperties": additional, "if": if_,
        "allOf": all_of,
    }

    def guarded(keyword: str) -> Keyword:
        inner = special.get(keyword, _ORIGINAL[keyword])

        def check(validator: Any, value: Any, instance: Any, schema: dict[str, Any]) -> Found:
            if compiler.keyword_valid(schema, keyword, instance):
                return None
            return inner(validator, value, instance, schema)

        return check

    keywords = {keyword: guarded(keyword) for keyword in _ORIGINAL if keyword != "$ref"}
    keywords["$ref"] = ref
    cls = validators.extend(Draft202012Validator, validators=keywords)
    inner = {**_ORIGINAL, **special, "$ref": ref}
    cls.descend = _descend(cls.descend, inner, compiler)
    return cls


def _checks_each_child(keyword: str, value: Any, schema: dict[str, Any]) -> bool:
    """Whether the pruned ``keyword`` asks the predicate of each child itself (then a
    predicate for the whole keyword would only ask them all once more)."""
    if keyword in ("properties", "allOf"):
        return True
    if keyword == "items":
        return value is not False and "prefixItems" not in schema
    return keyword == "additionalProperties" and isinstance(value, dict) and "patternProperties" not in schema


Step = tuple[str, Any, Keyword, Predicate | None, bool]
"""One keyword of a subschema: its name and value, its (unguarded) function, the
predicate that proves it finds nothing, and whether its name joins the schema path."""


def _descend(original: Callable[..., Iterator[ValidationError]], inner: dict[str, Keyword],
             compiler: Compiler) -> Callable[..., Iterable[ValidationError]]:
    """jsonschema's ``descend``, without evolving a validator for a subschema that opens no
    new scope (no ``$id``, no ``$schema``, no resolver handed down): the evolved validator
    would differ from this one only by its ``schema``, which no keyword function reads
    (any other subschema goes to jsonschema's own ``descend``). Each subschema's keywords
    are looked up once; a keyword its predicate proves valid is skipped, as ``guarded``
    does. The errors come back in a list, each as jsonschema's would: its details set
    where still unset (``_set`` sets them all at once, so an error with a type checker
    has them all), its paths grown by the same steps. A list, not a generator: a caller
    that stops at the first error (``is_valid``) still gets the right answer, and every
    caller here reads them all."""
    plans: dict[int, tuple[Any, list[Step] | None]] = {}

    def plan(schema: Any) -> list[Step] | None:
        """The steps of ``schema``; None when it is not a mapping or opens a scope."""
        if not isinstance(schema, dict) or "$id" in schema or "$schema" in schema:
            plans[id(schema)] = (schema, None)
            return None
        steps: list[Step] = []
        for keyword, value in schema.items():
            function = inner.get(keyword)
            if function is not None:
                skip = keyword == "$ref" or _checks_each_child(keyword, value, schema)
                check = None if skip else compiler.keyword_predicate(schema, keyword)
                steps.append((keyword, value, function, check, keyword not in ("if", "$ref")))
        plans[id(schema)] = (schema, steps)
        return steps

    def descend(self: Any, instance: Any, schema: Any, path: Any = None, schema_path: Any = None,
                resolver: Any = None) -> Iterable[ValidationError]:
        known = plans.get(id(schema))
        steps = known[1] if known is not None and known[0] is schema else plan(schema)
        if steps is None or resolver is not None or self._ref_resolver is not None:
            return original(self, instance, schema, path, schema_path, resolver)
        found: list[ValidationError] = []
        for keyword, value, function, check, named in steps:
            if check is not None:  # (fastcheck.holds, inlined: this loop is the hottest)
                try:
                    if check(instance):
                        continue
                except (Unknown, RecursionError):
                    pass
            for error in function(self, value, instance, schema) or ():
                if error._type_checker is _unset:
                    error._set(validator=keyword, validator_value=value, instance=instance, schema=schema,
                               type_checker=self.TYPE_CHECKER)
                if named:
                    error.schema_path.appendleft(keyword)
                if path is not None:
                    error.path.appendleft(path)
                if schema_path is not None:
                    error.schema_path.appendleft(schema_path)
                found.append(error)
        return found

    return descend
