"""The schema half of validation: our JSON Schema, compiled once, and the failing
keywords it finds, each handed to its explainer in ``explain``.

A document that the schema's compiled predicates (``fastcheck``) prove valid is not
handed to jsonschema at all (jsonschema is not even imported); any other document goes
through jsonschema, which skips the subtrees the predicates prove valid (``pruned``)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .explain import HANDLERS, Context, Finding, explain_other, only_required
from .fastcheck import Compiler

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_FILE = "naftiko-capability.schema.json"

IKANOS_SCHEMA_FILE = "ikanos-capability.schema.json"
"""Our schema for the Ikanos syntax (ikanos: 1.0.0-alpha3 .. 1.0.0-beta5)."""

_VERSION_KEYS = ("naftiko", "ikanos")


@functools.cache
def load_schema(name: str = SCHEMA_FILE) -> dict[str, Any]:
    """One of naftiko-gen's schemas, parsed once (shared: do not mutate)."""
    return json.loads(_read_schema_text(name))


def _read_schema_text(name: str) -> str:
    try:
        return resources.files("generator").joinpath("read", "schema", name).read_text("utf-8")
    except (ImportError, OSError, TypeError, ValueError):
        return (Path(__file__).parent / "schema" / name).read_text("utf-8")


@functools.cache
@functools.cache
def inlined_schema(name: str = SCHEMA_FILE) -> dict[str, Any]:
    """A schema with its references inlined, built once (shared: do not mutate)."""
    return _inline_refs(load_schema(name))


@functools.cache
def fast_checks(name: str = SCHEMA_FILE) -> Compiler:
    """The compiled validity predicates of an inlined schema, one set per schema."""
    return Compiler(inlined_schema(name))


@functools.cache
def compiled_validator(name: str = SCHEMA_FILE) -> Draft202012Validator:
    """One validator per schema for the process, built with its references inlined,
    skipping what ``fast_checks`` proves valid (its errors are jsonschema's own)."""
    from .pruned import validator_class

    return validator_class(fast_checks(name))(inlined_schema(name))


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of the schema with local ``$ref``s replaced by their targets.

    jsonschema then no longer resolves a reference at each node, which cuts the
    time spent on a large spec by about a third. A recursive definition is
    inlined once where it is used; only its references to itself remain.
    """
    defs = schema.get("$defs", {})
    recursive = _recursive_defs(defs)

    def inline(node: Any, inside: frozenset[str]) -> Any:
        if isinstance(node, list):
            return [inline(v, inside) for v in node]
        if not isinstance(node, dict):
            return node
        target = node.get("$ref")
        name = target.rsplit("/", 1)[-1] if isinstance(target, str) else ""
        if isinstance(target, str) and target.startswith("#/$defs/") and name in defs and name not in inside:
            rest = {k: inline(v, inside) for k, v in node.items() if k != "$ref"}
            body = inline(defs[name], inside | {name} if name in recursive else inside)
            return {"allOf": [body, rest]} if rest else body
        return {k: inline(v, inside) for k, v in node.items()}

    out = {k: inline(v, frozenset()) for k, v in schema.items() if k != "$defs"}
    out["$defs"] = {name: inline(defs[name], frozenset({name})) for name in recursive}
    return out


def _recursive_defs(defs: dict[str, Any]) -> set[str]:
    """Names of definitions that reach themselves through ``$ref``."""
    graph = {name: set(_refs_in(body)) for name, body in defs.items()}
    cyclic = set()
    for start, direct in graph.items():
        seen: set[str] = set()
        stack = list(direct)
        while stack:
            name = stack.pop()
            if name == start:
                cyclic.add(start)
                break
            if name not in seen and name in graph:
                seen.add(name)
                stack.extend(graph[name])
    return cyclic


def _refs_in(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"].rsplit("/", 1)[-1]
        for value in node.values():
            yield from _refs_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs_in(value)


def schema_findings(ctx: Context, name: str = SCHEMA_FILE) -> Iterator[Finding]:
    checks = fast_checks(name)
    if checks.valid(checks.root, ctx.data):
        return
    checks.remember(True)
    try:
        yield from _explained(compiled_validator(name).iter_errors(ctx.data), ctx)
    finally:
        checks.remember(False)


def _explained(errors: Iterator[ValidationError], ctx: Context) -> Iterator[Finding]:
    for error in errors:
        for leaf in relevant_leaves(error):
            path = tuple(leaf.absolute_path)
            if path[:1] and path[0] in _VERSION_KEYS:
                continue  # check_version says it better
            handler = HANDLERS.get(str(leaf.validator), explain_other)
            yield from handler(leaf, path, ctx)


def relevant_leaves(error: ValidationError) -> Iterator[ValidationError]:
    """The most relevant leaf errors under a oneOf/anyOf failure.

    The branch whose ``type`` discriminator matched wins, then the one with the
    fewest errors at its own level, then the one with the fewest errors.
    """
    if error.validator not in ("oneOf", "anyOf") or not error.context or only_required(error.validator_value):
        yield error
        return
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    best = min(branches.values(), key=_branch_score)
    for sub in best:
        yield from relevant_leaves(sub)


def _branch_score(errors: list[ValidationError]) -> tuple[int, int, int]:
    mismatched = any(list(e.relative_path) == ["type"] and e.validator in ("const", "enum") for e in errors)
    own_level = sum(1 for e in errors if not e.relative_path)
    return (int(mismatched), own_level, len(errors))
