"""Stage 2: check a loaded spec against naftiko-gen's schema for Naftiko 1.0.0-alpha2.

The schema (``generator/schema/naftiko-capability.schema.json``) describes the
official form of a capability. Each failing keyword becomes a finding whose code
comes from the schema's own annotations (``x-ng``, ``x-dialect-values``,
``x-aliases``); the code decides the severity:

* errors are what the generator cannot make sense of: a list where a mapping is
  needed, a missing namespace, an unknown exposes type or HTTP method;
* warnings are the *public dialect*: what real specs do that the official schema
  forbids but the Naftiko engine loads anyway (extra keys, missing descriptions,
  odd identifiers, templated base URIs, ...).

Warnings of one kind are reported once, at their first occurrence, with a count,
so a 145-operation spec does not print thousands of near-identical lines.
``--strict`` is the caller's business (``Diagnostic.promoted()``).
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .diagnostics import Collector, Diagnostic, Severity
from .loader import LoadedSpec

DocPath = tuple[str | int, ...]

SCHEMA_FILE = "naftiko-capability.schema.json"
SUPPORTED_VERSION = "1.0.0-alpha2"
PREVIOUS_VERSION = "1.0.0-alpha1"

ERROR = Severity.ERROR
WARNING = Severity.WARNING

CODES: dict[str, tuple[Severity, str]] = {
    "NG004": (ERROR, "not a Naftiko capability"),
    "NG101": (ERROR, "unsupported or malformed 'naftiko' version"),
    "NG102": (ERROR, "wrong type where a structure or scalar is needed"),
    "NG103": (ERROR, "missing required key"),
    "NG104": (ERROR, "unknown value for a key the generator dispatches on"),
    "NG105": (ERROR, "capability has neither 'exposes' nor 'consumes'"),
    "NG106": (ERROR, "document too deeply nested to validate"),
    "NG110": (WARNING, "key outside the schema"),
    "NG111": (WARNING, "missing description or label"),
    "NG112": (WARNING, "identifier or reference does not match the schema pattern"),
    "NG113": (WARNING, "baseUri is not an absolute http(s) URL"),
    "NG114": (WARNING, "alias written in place of a schema key or value"),
    "NG115": (WARNING, "authentication type not supported"),
    "NG116": (WARNING, "value the schema does not allow (tolerated)"),
    "NG117": (WARNING, "object/array output without properties/items"),
    "NG118": (WARNING, "skill exposes off-schema (not generated)"),
    "NG119": (WARNING, "previous spec version 1.0.0-alpha1"),
    "NG120": (WARNING, "empty list where the schema wants an entry"),
    "NG121": (WARNING, "value outside the schema's format or range"),
    "NG122": (WARNING, "missing key the schema requires (generator has a fallback)"),
}
"""Every code this stage reports, with its severity (see docs/diagnostics.md)."""

_DEFAULT_CODES = {
    "type": "NG102",
    "required": "NG103",
    "enum": "NG104",
    "const": "NG104",
    "additionalProperties": "NG110",
    "pattern": "NG112",
    "minItems": "NG120",
}
_OTHER_CODE = "NG121"
_KNOWN_AUTH = ("basic", "apikey", "bearer", "digest", "oauth2")
_MAX_LISTED = 6


# --------------------------------------------------------------------------- public API


def validate(spec: LoadedSpec) -> list[Diagnostic]:
    """Errors and warnings for one loaded spec, ordered by position.

    A document that is not a Naftiko capability at all gets exactly one NG004
    error. Never raises for any input data.
    """
    out = spec.collector()
    data = spec.data
    problem = _not_a_capability(data)
    if problem is not None:
        message, hint = problem
        out.error("NG004", f"not a Naftiko capability: {message}", (), hint)
        return out.items
    _check_version(data, out)
    try:
        findings = list(_schema_findings(_Context(data)))
    except RecursionError:
        out.error("NG106", "document nests too deeply to validate", (),
                  "output parameters nest a few levels at most; check for generated or corrupted YAML")
        return out.items
    for finding, message in _condense(findings, data):
        out.add(CODES[finding.code][0], finding.code, message, finding.path, finding.hint, at_key=finding.at_key)
    return sorted(out.items, key=lambda d: (d.line, d.col, d.code, d.message))


@functools.cache
def load_schema() -> dict[str, Any]:
    """naftiko-gen's schema, parsed once (shared: do not mutate)."""
    return json.loads(_read_schema_text())


def _read_schema_text() -> str:
    try:
        return resources.files("generator").joinpath("schema").joinpath(SCHEMA_FILE).read_text("utf-8")
    except (ImportError, OSError, TypeError, ValueError):
        return (Path(__file__).parent / "schema" / SCHEMA_FILE).read_text("utf-8")


@functools.cache
def _validator() -> Draft202012Validator:
    """One validator for the process, built on the schema with its references inlined."""
    return Draft202012Validator(_inline_refs(load_schema()))


# --------------------------------------------------------------------------- schema preparation


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


# --------------------------------------------------------------------------- pre-checks


def _not_a_capability(data: Any) -> tuple[str, str] | None:
    """(message, hint) when the document cannot be a capability, else None."""
    hint = (
        "a capability starts with 'naftiko: 1.0.0-alpha2' followed by a 'capability:' mapping "
        "(or a root 'consumes:' list in a shared consumes file)"
    )
    if not isinstance(data, dict):
        return f"the document is {_describe_value(data)}, not a mapping", hint
    keys = _list_keys(data)
    if "naftiko" not in data:
        return f"no top-level 'naftiko' key; found keys {keys}", _guess_format(data) or hint
    if "capability" not in data and "consumes" not in data:
        return f"no 'capability' mapping or root 'consumes' list; found keys {keys}", hint
    return None


def _list_keys(data: dict[str, Any], limit: int = 8) -> str:
    keys = [str(k) for k in data]
    if not keys:
        return "(none)"
    shown = ", ".join(keys[:limit])
    return shown + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


def _guess_format(data: dict[str, Any]) -> str | None:
    if "apiVersion" in data and "kind" in data:
        return "this looks like a Kubernetes-style manifest (apiVersion/kind); a capability starts with 'naftiko: 1.0.0-alpha2'"
    if "openapi" in data or "swagger" in data:
        return "this looks like an OpenAPI description; a capability wraps an API under 'capability: consumes:'"
    return None


def _check_version(data: dict[str, Any], out: Collector) -> None:
    version = data.get("naftiko")
    hint = f"write 'naftiko: {SUPPORTED_VERSION}'"
    if version == SUPPORTED_VERSION:
        return
    if version == PREVIOUS_VERSION:
        out.warning("NG119", f"spec version {PREVIOUS_VERSION} is read as {SUPPORTED_VERSION} (public dialect)", ("naftiko",),
             f"update to 'naftiko: {SUPPORTED_VERSION}' once the spec follows the current schema")
    elif isinstance(version, str):
        out.error("NG101", f"unsupported Naftiko version {version!r}; naftiko-gen reads {SUPPORTED_VERSION}",
              ("naftiko",), hint)
    else:
        out.error("NG101", f"'naftiko' must be a version string, got {_describe_value(version)}", ("naftiko",), hint)


# --------------------------------------------------------------------------- findings


@dataclass
class Finding:
    """One problem before reporting; findings with the same ``group`` are reported once."""

    code: str
    path: DocPath
    message: str
    hint: str | None = None
    at_key: bool = False
    group: tuple[Any, ...] | None = None
    summary: str | None = None
    subject: str | None = None

    @property
    def severity(self) -> Severity:
        return CODES[self.code][0]


@dataclass
class _Context:
    """The document being validated, with a cache of the names given to its places."""

    data: Any
    kinds: dict[tuple[Any, ...], str] = field(default_factory=dict)

    def kind(self, path: DocPath) -> str:
        """A readable name for the object at ``path``: "consumed operation", "MCP tool", ..."""
        key = _shape_key(path, self.data)
        if key not in self.kinds:
            self.kinds[key] = _kind_of(path, self.data)
        return self.kinds[key]

    def where(self, path: DocPath) -> str:
        """"'resources' in consumes entry", "item 2 of 'tags' in info", "the document"."""
        if not path:
            return "the document"
        last = path[-1]
        if isinstance(last, int):
            owner = path[:-1]
            name = owner[-1] if owner else ""
            return f"item {last + 1} of {name!r} in {self.kind(owner[:-1])}"
        return f"{last!r} in {self.kind(path[:-1])}"


def _schema_findings(ctx: _Context) -> Iterator[Finding]:
    for error in _validator().iter_errors(ctx.data):
        for leaf in _leaves(error):
            path = tuple(leaf.absolute_path)
            if path[:1] == ("naftiko",):
                continue  # _check_version says it better
            handler = _HANDLERS.get(str(leaf.validator), _explain_other)
            yield from handler(leaf, path, ctx)


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """The most relevant leaf errors under a oneOf/anyOf failure.

    The branch whose ``type`` discriminator matched wins, then the one with the
    fewest errors at its own level, then the one with the fewest errors.
    """
    if error.validator not in ("oneOf", "anyOf") or not error.context or _only_required(error.validator_value):
        yield error
        return
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    best = min(branches.values(), key=_branch_score)
    for sub in best:
        yield from _leaves(sub)


def _branch_score(errors: list[ValidationError]) -> tuple[int, int, int]:
    mismatched = any(list(e.relative_path) == ["type"] and e.validator in ("const", "enum") for e in errors)
    own_level = sum(1 for e in errors if not e.relative_path)
    return (int(mismatched), own_level, len(errors))


def _only_required(branches: Any) -> bool:
    return isinstance(branches, list) and all(isinstance(b, dict) and set(b) == {"required"} for b in branches)


def _schema_of(error: ValidationError) -> dict[str, Any]:
    return error.schema if isinstance(error.schema, dict) else {}


def _annotation(error: ValidationError, keyword: str) -> Any:
    annotations = _schema_of(error).get("x-ng", {})
    return annotations.get(keyword) if isinstance(annotations, dict) else None


def _code(error: ValidationError) -> str:
    code = _annotation(error, str(error.validator))
    if isinstance(code, str) and code in CODES:
        return code
    return _DEFAULT_CODES.get(str(error.validator), _OTHER_CODE)


def _explain_type(error: ValidationError, path: DocPath, ctx: _Context) -> Iterator[Finding]:
    expected = _describe_types(error.validator_value)
    where = ctx.where(path)
    null_code = _annotation(error, "null")
    if error.instance is None and null_code in CODES:
        message = f"{where} is empty"
        yield Finding(null_code, path, message, "give it a value or remove the key", group=(null_code, message),
                      summary=message)
        return
    message = f"{where}: expected {expected}, got {_describe_value(error.instance)}"
    code = _code(error)
    hint = _type_hint(error.instance, expected)
    if code == "NG102":
        yield Finding(code, path, message, hint)
    else:
        yield Finding(code, path, message, hint, group=(code, "type", where), summary=f"{where}: expected {expected}")


def _type_hint(instance: Any, expected: str) -> str | None:
    if instance is None:
        return "the key is present but empty; give it a value or remove it"
    if expected == "a string" and isinstance(instance, (dict, list)):
        return "write a single (quoted) string"
    return None


def _explain_required(error: ValidationError, path: DocPath, ctx: _Context) -> Iterator[Finding]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    codes = _annotation(error, "required")
    aliases = _schema_of(error).get("x-aliases", {})
    kind = ctx.kind(path)
    for key in error.validator_value:
        if key in instance or any(target == key and alias in instance for alias, target in aliases.items()):
            continue  # present, or written under an alias (reported as NG114)
        code = codes.get(key, "NG103") if isinstance(codes, dict) else codes or "NG103"
        if code == "NG117":
            yield _shapeless_output(instance, key, path, kind)
            continue
        hint = _missing_hint(key, instance, kind)
        if code == "NG103":
            yield Finding(code, path, f"missing required key {key!r} in {kind}", hint)
        else:
            message = f"missing {key!r} in {kind}"
            yield Finding(code, path, message, hint, group=(code, message), summary=message)


def _shapeless_output(instance: dict[str, Any], key: str, path: DocPath, kind: str) -> Finding:
    shape = instance.get("type")
    message = f"{kind} of type {shape!r} has no {key!r}"
    return Finding("NG117", path, message,
                   f"public dialect: the mapped value is passed through as it is; list {key!r} to describe it",
                   group=("NG117", message), summary=message)


_MISSING_HINTS: dict[Any, str] = {
    "description": "descriptions become docstrings and tool descriptions that agents read",
    "label": "the label is the human-readable title",
    "method": "the schema's default is GET, but the Naftiko engine has none: write the method",
    "in": "the Naftiko engine treats a parameter without 'in' as part of the body",
    "port": "give the port the server listens on",
    ("consumes entry", "type"): "inline consumes entries are 'type: http'",
    ("consumes entry", "import"): "an imported entry names the namespace it takes from 'location': 'import: <namespace>'",
    ("consumes entry", "baseUri"): "give the API's base URL, e.g. 'baseUri: https://api.example.com/v1'",
    ("consumes entry", "namespace"): "the namespace is the first part of 'call: <namespace>.<operation>'",
}


def _missing_hint(key: str, instance: dict[str, Any], kind: str) -> str | None:
    close = _close_match(key, tuple(k for k in instance if isinstance(k, str)))
    if close:
        return f"found {close!r}; did you mean {key!r}?"
    return _MISSING_HINTS.get((kind, key)) or _MISSING_HINTS.get(key)


def _explain_additional(error: ValidationError, path: DocPath, ctx: _Context) -> Iterator[Finding]:
    if error.validator_value is not False or not isinstance(error.instance, dict):
        yield from _explain_other(error, path, ctx)
        return
    schema = _schema_of(error)
    declared = schema.get("properties", {})
    aliases = schema.get("x-aliases", {})
    kind = ctx.kind(path)
    code = _code(error)
    unused = tuple(k for k in declared if k not in error.instance)
    missing_required = {k for k in schema.get("required", ()) if k not in error.instance}
    for raw_key in error.instance:
        if raw_key in declared:
            continue
        key = str(raw_key)
        key_path = path + (raw_key,)
        target = aliases.get(key)
        if target is not None and target not in error.instance:
            message = f"{kind} uses {key!r} where the schema says {target!r}"
            yield Finding("NG114", key_path, message, f"rename {key!r} to {target!r}", at_key=True,
                          group=("NG114", message), summary=message)
            continue
        close = _close_match(key, unused)
        if close in missing_required:
            continue  # the missing-key finding already suggests it
        if close:
            yield Finding(code, key_path, f"unknown key {key!r} in {kind}", f"did you mean {close!r}?", at_key=True)
            continue
        yield Finding(code, key_path, f"unknown key {key!r} in {kind}",
                      "not in the Naftiko schema; the Naftiko engine ignores such keys", at_key=True,
                      group=(code, "extra", kind), summary=f"unknown keys in {kind}", subject=repr(key))


@functools.lru_cache(maxsize=4096)
def _close_match(word: str, candidates: tuple[str, ...]) -> str | None:
    """The candidate ``word`` was probably meant to be (case-insensitive), if any."""
    lowered = {c.lower(): c for c in candidates}
    found = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.75)
    return lowered[found[0]] if found else None


def _explain_enum(error: ValidationError, path: DocPath, ctx: _Context) -> Iterator[Finding]:
    value = error.instance
    allowed = list(error.validator_value) if error.validator == "enum" else [error.validator_value]
    if not isinstance(value, str) and all(isinstance(a, str) for a in allowed):
        return  # the 'type' keyword reports it
    code = "NG116" if value in _schema_of(error).get("x-dialect-values", ()) else _code(error)
    where = ctx.where(path)
    if code == "NG115":
        yield _unsupported_auth(value, path)
        return
    listed = ", ".join(str(a) for a in allowed)
    close = _close_match(value, tuple(str(a) for a in allowed)) if isinstance(value, str) else None
    hint = f"did you mean {close!r}?" if close and close != value else _ENUM_HINTS.get((where, value))
    if code == "NG104":
        yield Finding(code, path, f"{where}: unknown value {_short(value)}; expected one of {listed}", hint)
        return
    yield Finding(code, path, f"{where} is {_short(value)}, which the schema does not list ({listed})",
                  hint or "off-schema value (public dialect); the Naftiko engine may reject it",
                  group=(code, "enum", where), summary=f"{where} has values the schema does not list ({listed})",
                  subject=_short(value))


_ENUM_HINTS: dict[tuple[str, Any], str] = {
    ("'type' in exposes entry", "http"): "'http' is a consumes type; an exposed HTTP API is 'type: rest'",
}


def _unsupported_auth(value: Any, path: DocPath) -> Finding:
    shown = _short(value)
    if isinstance(value, str) and value.lower() in _KNOWN_AUTH:
        message = f"authentication type {shown} is spelled {value.lower()!r} in the schema"
        return Finding("NG114", path, message, f"write 'type: {value.lower()}'", group=("NG114", message),
                       summary=message)
    message = f"authentication type {shown} is not supported by naftiko-gen"
    return Finding("NG115", path, message,
                   "the generated code raises a clear error when this API is called; supported types: "
                   + ", ".join(_KNOWN_AUTH),
                   group=("NG115", message), summary=message)


def _explain_pattern(error: ValidationError, path: DocPath, ctx: _Context) -> Iterator[Finding]:
    code = _code(error)
    value = error.instance
    if code == "NG113":
        problem = _base_uri_problem(str(value))
        yield Finding(code, path, f"baseUri {_short(value)} {problem}",
                      "Naftiko expects http(s)://host[/path] without templates; the generated client "
                      "needs the real base URL at run time",
                      group=(code, problem), summary=f"baseUri {problem}", subject=_short(value))
        return
    on_key = "propertyNames" in error.schema_path
    target = path + (value,) if on_key else path
    what = f"key in {ctx.kind(path)}" if on_key else ctx.where(path)
    pattern = error.validator_value
    yield Finding(code, target, f"{what} is {_short(value)}, which does not match {pattern}",
                  _PATTERN_HINTS.get(pattern, f"expected a value matching {pattern}"), at_key=on_key,
                  group=(code, "pattern", what), summary=f"{what} does not match {pattern}", subject=_short(value))


_PATTERN_HINTS = {
    "^[a-zA-Z0-9-]+$": "the schema allows letters, digits and '-' here",
    "^[a-zA-Z0-9-_*]+$": "the schema allows letters, digits, '-', '_' and '*' in parameter names",
    "^[a-zA-Z0-9-]+\\.[a-zA-Z0-9-]+$": "write 'namespace.name' with letters, digits and '-'",
    "^[A-Z][A-Z0-9_]*$": "binding variables are UPPER_SNAKE_CASE",
}


def _base_uri_problem(value: str) -> str:
    if not value.strip():
        return "is empty"
    if "{{" in value:
        return "uses a {{variable}}"
    if "{" in value:
        return "has a {parameter} template"
    if "://" not in value:
        return "is relative (no scheme)"
    if not re.match(r"^https?://", value):
        return f"uses the scheme {value.split('://', 1)[0]!r}"
    return "is not of the form http(s)://host[/path]"


def _explain_min_items(error: ValidationError, path: DocPath, ctx: _Context) -> Iterator[Finding]:
    message = f"{ctx.where(path)} is an empty list"
    code = _code(error)
    yield Finding(code, path, message, "add an entry or remove the key", group=(code, message), summary=message)


def _explain_other(error: ValidationError, path: DocPath, ctx: _Context) -> Iterator[Finding]:
    code = _code(error)
    if error.validator in ("anyOf", "oneOf") and _only_required(error.validator_value):
        yield _explain_choice(error, path, ctx, code)
        return
    where = ctx.where(path)
    if error.validator == "not":
        message, hint = _explain_not(error, ctx.kind(path))
    elif error.validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        message, hint = f"{where} is {_short(error.instance)}, out of the schema's range", f"the limit is {error.validator_value}"
    elif error.validator in ("maxLength", "minLength"):
        message, hint = f"{where} has {len(str(error.instance))} characters", f"the schema's limit is {error.validator_value}"
    else:
        message, hint = f"{where}: {error.message}", None
    yield Finding(code, path, message, hint, group=(code, message), summary=message)


def _explain_choice(error: ValidationError, path: DocPath, ctx: _Context, code: str) -> Finding:
    """anyOf/oneOf of 'required' branches: "needs one of ..."."""
    keys = [k for branch in error.validator_value for k in branch["required"]]
    listed = ", ".join(repr(k) for k in keys)
    kind = ctx.kind(path)
    if code == "NG105":
        return Finding(code, path, f"{kind} has neither 'exposes' nor 'consumes'",
                       "add an 'exposes' list (rest or mcp) and the 'consumes' adapters it calls")
    present = [k for k in keys if isinstance(error.instance, dict) and k in error.instance]
    if error.validator == "oneOf" and len(present) > 1:
        message = f"{kind} has {' and '.join(repr(k) for k in present)}; the schema allows only one of {listed}"
    else:
        message = f"{kind} needs {'exactly ' if error.validator == 'oneOf' else ''}one of {listed}"
    return Finding(code, path, message, None, group=(code, message), summary=message)


def _explain_not(error: ValidationError, kind: str) -> tuple[str, str | None]:
    forbidden = error.validator_value.get("required") if isinstance(error.validator_value, dict) else None
    if not forbidden:
        return f"{kind} has a combination of keys the schema does not allow", None
    keys = " and ".join(repr(k) for k in forbidden)
    if kind == "MCP exposes" and forbidden == ["port"]:
        return f"{kind} has {keys} with 'transport: stdio'", "a stdio MCP server has no port; remove it"
    return f"{kind} has {keys}, which the schema does not allow here", None


_HANDLERS = {
    "type": _explain_type,
    "required": _explain_required,
    "additionalProperties": _explain_additional,
    "enum": _explain_enum,
    "const": _explain_enum,
    "pattern": _explain_pattern,
    "minItems": _explain_min_items,
}


# --------------------------------------------------------------------------- condensing


def _condense(findings: list[Finding], data: Any) -> list[tuple[Finding, str]]:
    """One (finding, message) per group, skill problems folded, duplicates dropped.

    A group's message lists what differs between its members (keys, values) and
    says in how many places the problem occurs.
    """
    findings = _fold_skills(findings, data)
    error_paths = {f.path for f in findings if f.severity is ERROR}
    groups: dict[Any, list[Finding]] = {}
    seen: set[tuple[str, DocPath, str]] = set()
    for finding in findings:
        if finding.severity is WARNING and finding.path in error_paths:
            continue  # the error at the same place says more
        identity = (finding.code, finding.path, finding.message)
        if identity in seen:
            continue
        seen.add(identity)
        key = finding.group if finding.group is not None else identity
        groups.setdefault(key, []).append(finding)
    result = []
    for members in groups.values():
        first = members[0]
        places = len({m.path[:-1] if m.at_key else m.path for m in members})
        subjects = list(dict.fromkeys(m.subject for m in members if m.subject))
        if len(members) == 1 or first.summary is None:
            message = first.message
        else:
            message = first.summary + (": " + _listing(subjects) if subjects else "")
        if places > 1:
            message += f" ({places} occurrences)"
        result.append((first, message))
    return result


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:_MAX_LISTED])
    return shown + (f" and {len(items) - _MAX_LISTED} more" if len(items) > _MAX_LISTED else "")


def _fold_skills(findings: list[Finding], data: Any) -> list[Finding]:
    """Problems inside a skill exposes become one NG118 warning per skill block."""
    result: list[Finding] = []
    per_block: dict[DocPath, list[Finding]] = {}
    for finding in findings:
        block = _skill_block(finding.path, data)
        if block is None:
            result.append(finding)
        else:
            per_block.setdefault(block, []).append(finding)
    for members in per_block.values():
        first = members[0]
        extra = len(members) - 1
        more = f" (and {extra} more problem{'s' if extra > 1 else ''})" if extra else ""
        result.append(Finding("NG118", first.path, f"skill exposes is off-schema: {first.message}{more}",
                              "naftiko-gen generates no code for skills; fix this to run the spec on the Naftiko engine",
                              at_key=first.at_key))
    return result


def _skill_block(path: DocPath, data: Any) -> DocPath | None:
    if len(path) < 3 or path[:2] != ("capability", "exposes"):
        return None
    entry = _get(data, path[:3])
    return path[:3] if isinstance(entry, dict) and entry.get("type") == "skill" else None


# --------------------------------------------------------------------------- naming places

_FIELDS: dict[tuple[str, str], str] = {
    ("document", "info"): "info",
    ("document", "binds"): "binding",
    ("document", "consumes"): "consumes entry",
    ("document", "capability"): "capability",
    ("info", "stakeholders"): "stakeholder",
    ("binding", "keys"): "binding keys",
    ("capability", "binds"): "binding",
    ("capability", "exposes"): "exposes entry",
    ("capability", "consumes"): "consumes entry",
    ("capability", "aggregates"): "aggregate",
    ("consumes entry", "resources"): "consumed resource",
    ("consumes entry", "inputParameters"): "consumed input parameter",
    ("consumes entry", "authentication"): "authentication",
    ("consumes entry", "auth"): "authentication",
    ("consumed resource", "operations"): "consumed operation",
    ("consumed resource", "inputParameters"): "consumed input parameter",
    ("consumed operation", "inputParameters"): "consumed input parameter",
    ("consumed operation", "outputParameters"): "consumed output parameter",
    ("consumed operation", "body"): "request body",
    ("request body", "data"): "multipart part",
    ("REST exposes", "resources"): "REST resource",
    ("REST exposes", "authentication"): "authentication",
    ("REST resource", "operations"): "REST operation",
    ("REST resource", "inputParameters"): "REST input parameter",
    ("REST resource", "forward"): "forward",
    ("REST operation", "inputParameters"): "REST input parameter",
    ("REST operation", "outputParameters"): "REST output parameter",
    ("MCP exposes", "tools"): "MCP tool",
    ("MCP exposes", "resources"): "MCP resource",
    ("MCP exposes", "prompts"): "MCP prompt",
    ("MCP exposes", "authentication"): "authentication",
    ("MCP tool", "inputParameters"): "MCP tool input parameter",
    ("MCP tool", "outputParameters"): "MCP tool output parameter",
    ("MCP tool", "hints"): "MCP tool hints",
    ("MCP resource", "outputParameters"): "MCP resource output parameter",
    ("MCP prompt", "arguments"): "MCP prompt argument",
    ("MCP prompt", "template"): "MCP prompt message",
    ("aggregate", "functions"): "aggregate function",
    ("aggregate function", "inputParameters"): "function input parameter",
    ("aggregate function", "outputParameters"): "function output parameter",
    ("aggregate function", "semantics"): "function semantics",
    ("skill exposes", "skills"): "skill",
    ("skill exposes", "authentication"): "authentication",
    ("skill", "tools"): "skill tool",
    ("control exposes", "management"): "control management",
    ("control exposes", "observability"): "control observability",
    ("control exposes", "authentication"): "authentication",
}
_STEP_OWNERS = ("REST operation", "MCP tool", "MCP resource", "aggregate function")
_EXPOSES_KINDS = {"rest": "REST exposes", "mcp": "MCP exposes", "skill": "skill exposes", "control": "control exposes"}


def _child_kind(kind: str, name: str) -> str | None:
    if (kind, name) in _FIELDS:
        return _FIELDS[(kind, name)]
    if kind.endswith("output parameter") and name in ("properties", "items"):
        return kind
    if kind in _STEP_OWNERS and name == "steps":
        return "step"
    if kind in _STEP_OWNERS and name == "mappings":
        return "step mapping"
    if name == "with":
        return "'with' mapping"
    return None


def _kind_of(path: DocPath, data: Any) -> str:
    kind = "document"
    node = data
    skip_next = False
    for position, segment in enumerate(path):
        node = _step(node, segment)
        if skip_next or isinstance(segment, int):
            skip_next = False
            if kind == "exposes entry":
                kind = _exposes_kind(node)
            continue
        child = _child_kind(kind, segment)
        if child is None:
            return f"{segment!r} value" if position == len(path) - 1 else "value"
        skip_next = child.endswith("output parameter") and segment == "properties"
        kind = child
        if kind == "authentication" and isinstance(node, dict) and isinstance(node.get("type"), str):
            kind = f"{_short(node['type'], 20).strip(chr(39))} authentication"
    return kind


def _shape_key(path: DocPath, data: Any) -> tuple[Any, ...]:
    """Paths that name the same kind of place share this key (list indexes do not matter)."""
    extra: tuple[Any, ...] = ()
    if len(path) >= 3 and path[:2] == ("capability", "exposes"):
        extra = (_exposes_kind(_get(data, path[:3])),)
    if "authentication" in path or "auth" in path:
        return path  # the authentication type is part of the name; these are few
    return extra + tuple("#" if isinstance(s, int) else s for s in path)


def _exposes_kind(node: Any) -> str:
    kind = node.get("type") if isinstance(node, dict) else None
    return _EXPOSES_KINDS.get(kind, "exposes entry") if isinstance(kind, str) else "exposes entry"


def _step(node: Any, segment: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(segment)
    if isinstance(node, list) and isinstance(segment, int) and 0 <= segment < len(node):
        return node[segment]
    return None


def _get(data: Any, path: DocPath) -> Any:
    node = data
    for segment in path:
        node = _step(node, segment)
    return node


# --------------------------------------------------------------------------- wording


def _describe_value(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    for kind, words in ((bool, "a boolean"), (int, "an integer"), (float, "a number"), (str, "a string"),
                        (list, "a list"), (dict, "a mapping")):
        if isinstance(value, kind):
            return words
    return type(value).__name__


_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


def _describe_types(types: Any) -> str:
    names = types if isinstance(types, list) else [types]
    if {"string", "number", "boolean"} <= set(names):
        return "a scalar (text, number or boolean)"
    return " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in names)


def _short(value: Any, limit: int = 48) -> str:
    """A value for a message: quoted, and cut when long."""
    text = repr(value) if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."
