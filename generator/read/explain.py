"""Each failing schema keyword explained as a ``Finding``: what was expected, where, and a
hint (did-you-mean for keys and values, the dialect's aliases, format advice)."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

from .codes import CODES, DocPath
from .diagnostics import Severity
from .places import describe_types, describe_value, kind_of, shape_key, short

_DEFAULT_CODES = {
    "type": "NG102",
    "required": "NG103",
    "enum": "NG104",
    "const": "NG104",
    "additionalProperties": "NG110",
    "pattern": "NG112",
    "minItems": "NG120",
    "minProperties": "NG120",
}


_OTHER_CODE = "NG121"


_KNOWN_AUTH = ("basic", "apikey", "bearer", "digest", "oauth2")


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
class Context:
    """The document being validated, with a cache of the names given to its places."""

    data: Any
    kinds: dict[tuple[Any, ...], str] = field(default_factory=dict)

    def kind(self, path: DocPath) -> str:
        """A readable name for the object at ``path``: "consumed operation", "MCP tool", ..."""
        key = shape_key(path, self.data)
        if key not in self.kinds:
            self.kinds[key] = kind_of(path, self.data)
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


def only_required(branches: Any) -> bool:
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


def _explain_type(error: ValidationError, path: DocPath, ctx: Context) -> Iterator[Finding]:
    expected = describe_types(error.validator_value)
    where = ctx.where(path)
    null_code = _annotation(error, "null")
    if error.instance is None and null_code in CODES:
        message = f"{where} is empty"
        yield Finding(null_code, path, message, "give it a value or remove the key", group=(null_code, message),
                      summary=message)
        return
    message = f"{where}: expected {expected}, got {describe_value(error.instance)}"
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


def _explain_required(error: ValidationError, path: DocPath, ctx: Context) -> Iterator[Finding]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    codes = _annotation(error, "required")
    aliases = {**_schema_of(error).get("x-aliases", {}), **_schema_of(error).get("x-alpha2-keys", {})}
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
    ("consumes entry", "import"): "an imported entry names the namespace it takes from its file ('location' in alpha2, 'from' in Ikanos): 'import: <namespace>'",
    ("consumes entry", "baseUri"): "give the API's base URL, e.g. 'baseUri: https://api.example.com/v1'",
    ("consumes entry", "namespace"): "the namespace is the first part of 'call: <namespace>.<operation>'",
}


def _missing_hint(key: str, instance: dict[str, Any], kind: str) -> str | None:
    close = _close_match(key, tuple(k for k in instance if isinstance(k, str)))
    if close:
        return f"found {close!r}; did you mean {key!r}?"
    return _MISSING_HINTS.get((kind, key)) or _MISSING_HINTS.get(key)


def _explain_additional(error: ValidationError, path: DocPath, ctx: Context) -> Iterator[Finding]:
    if error.validator_value is not False or not isinstance(error.instance, dict):
        yield from explain_other(error, path, ctx)
        return
    schema = _schema_of(error)
    declared = schema.get("properties", {})
    aliases = schema.get("x-aliases", {})
    renamed = schema.get("x-alpha2-keys", {})
    kind = ctx.kind(path)
    code = _code(error)
    unused = tuple(k for k in declared if k not in error.instance)
    missing_required = {k for k in schema.get("required", ()) if k not in error.instance}
    for raw_key in error.instance:
        if raw_key in declared:
            continue
        key = str(raw_key)
        key_path = path + (raw_key,)
        if key in renamed:
            yield _alpha2_key(key, renamed[key], kind, key_path, _annotation(error, "alpha2"))
            continue
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


def _alpha2_key(key: str, new: str, kind: str, path: DocPath, code: Any) -> Finding:
    """An alpha2 key in an Ikanos spec: read under its new name (NG133), or refused (NG134)."""
    code = code if code in CODES else "NG133"
    message = f"{kind} uses the alpha2 key {key!r}; the Ikanos syntax calls it {new!r}"
    hint = f"did you mean {new!r}?"
    if code == "NG133":
        return Finding(code, path, message, hint, at_key=True, group=(code, message), summary=message)
    return Finding(code, path, message + ", and the engine rejects the old key", hint, at_key=True)


@functools.lru_cache(maxsize=4096)
def _close_match(word: str, candidates: tuple[str, ...]) -> str | None:
    """The candidate ``word`` was probably meant to be (case-insensitive), if any."""
    lowered = {c.lower(): c for c in candidates}
    found = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.75)
    return lowered[found[0]] if found else None


def _explain_enum(error: ValidationError, path: DocPath, ctx: Context) -> Iterator[Finding]:
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
        yield Finding(code, path, f"{where}: unknown value {short(value)}; expected one of {listed}", hint)
        return
    yield Finding(code, path, f"{where} is {short(value)}, which the schema does not list ({listed})",
                  hint or "off-schema value (public dialect); the Naftiko engine may reject it",
                  group=(code, "enum", where), summary=f"{where} has values the schema does not list ({listed})",
                  subject=short(value))


_ENUM_HINTS: dict[tuple[str, Any], str] = {
    ("'type' in exposes entry", "http"): "'http' is a consumes type; an exposed HTTP API is 'type: rest'",
}


def _unsupported_auth(value: Any, path: DocPath) -> Finding:
    shown = short(value)
    if isinstance(value, str) and value.lower() in _KNOWN_AUTH:
        message = f"authentication type {shown} is spelled {value.lower()!r} in the schema"
        return Finding("NG114", path, message, f"write 'type: {value.lower()}'", group=("NG114", message),
                       summary=message)
    message = f"authentication type {shown} is not supported by naftiko-gen"
    return Finding("NG115", path, message,
                   "the generated code raises a clear error when this API is called; supported types: "
                   + ", ".join(_KNOWN_AUTH),
                   group=("NG115", message), summary=message)


def _explain_pattern(error: ValidationError, path: DocPath, ctx: Context) -> Iterator[Finding]:
    code = _code(error)
    value = error.instance
    if code == "NG113":
        problem = _base_uri_problem(str(value))
        yield Finding(code, path, f"baseUri {short(value)} {problem}",
                      "Naftiko expects http(s)://host[/path] without templates; the generated client "
                      "needs the real base URL at run time",
                      group=(code, problem), summary=f"baseUri {problem}", subject=short(value))
        return
    on_key = "propertyNames" in error.schema_path
    target = path + (value,) if on_key else path
    what = f"key in {ctx.kind(path)}" if on_key else ctx.where(path)
    pattern = error.validator_value
    yield Finding(code, target, f"{what} is {short(value)}, which does not match {pattern}",
                  _PATTERN_HINTS.get(pattern, f"expected a value matching {pattern}"), at_key=on_key,
                  group=(code, "pattern", what), summary=f"{what} does not match {pattern}", subject=short(value))


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


def _explain_min_items(error: ValidationError, path: DocPath, ctx: Context) -> Iterator[Finding]:
    empty = "an empty mapping" if isinstance(error.instance, dict) else "an empty list"
    message = f"{ctx.where(path)} is {empty}"
    code = _code(error)
    yield Finding(code, path, message, "add an entry or remove the key", group=(code, message), summary=message)


def explain_other(error: ValidationError, path: DocPath, ctx: Context) -> Iterator[Finding]:
    code = _code(error)
    if error.validator in ("anyOf", "oneOf") and only_required(error.validator_value):
        yield _explain_choice(error, path, ctx, code)
        return
    where = ctx.where(path)
    if error.validator == "not":
        message, hint = _explain_not(error, ctx.kind(path))
    elif error.validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        message, hint = f"{where} is {short(error.instance)}, out of the schema's range", f"the limit is {error.validator_value}"
    elif error.validator in ("maxLength", "minLength"):
        message, hint = f"{where} has {len(str(error.instance))} characters", f"the schema's limit is {error.validator_value}"
    else:
        message, hint = f"{where}: {error.message}", None
    yield Finding(code, path, message, hint, group=(code, message), summary=message)


def _explain_choice(error: ValidationError, path: DocPath, ctx: Context, code: str) -> Finding:
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


HANDLERS = {
    "type": _explain_type,
    "required": _explain_required,
    "additionalProperties": _explain_additional,
    "enum": _explain_enum,
    "const": _explain_enum,
    "pattern": _explain_pattern,
    "minItems": _explain_min_items,
    "minProperties": _explain_min_items,
}
