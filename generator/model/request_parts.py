"""Consumed request parts: `body:` blocks and exposed-input references in templates.

A `body:` block becomes an ``ir.RequestBody`` whose kind says how the client
builds it (structured JSON, a text template escaped for its content type, form
fields or multipart parts). ``{{rest.x}}``, ``{{tools.x}}``, ``{{$this.ns.x}}``
and ``{{<exposed namespace>.x}}`` inside consumed templates mean the exposed
input ``x``: they are rewritten to ``{{x}}`` so ``x`` becomes a method argument.
"""

from __future__ import annotations

import json
import re
from typing import Any

from . import ir
from ..read.semantics import PLACEHOLDER, as_dict, text

WITH_REF = re.compile(r"^(?:rest|tools|\$this\.[A-Za-z0-9_-]+)\.(.+)$")
"""An exposed-input reference: ``rest.x``, ``tools.x`` or ``$this.ns.x`` (group 1 is ``x``)."""

TEMPLATE_VAR = re.compile(r"\{\{\s*([^{}#/^!>]+?)\s*\}\}")
"""A ``{{name}}`` placeholder in a template (Mustache sections and comments excluded)."""

# declared `type` (lower case, no `_`, no `application/`) -> (kind, content type)
BODY_KINDS = {
    "json": ("json", "application/json"),
    "text": ("template", "text/plain"),
    "plain": ("template", "text/plain"),
    "xml": ("template", "application/xml"),
    "yaml": ("template", "application/yaml"),
    "sparql": ("template", "application/sparql-query"),
    "formurlencoded": ("form", "application/x-www-form-urlencoded"),
    "form": ("form", "application/x-www-form-urlencoded"),
    "form-urlencoded": ("form", "application/x-www-form-urlencoded"),
    "multipartform": ("multipart", "multipart/form-data"),
    "multipart": ("multipart", "multipart/form-data"),
    "binary": ("template", "application/octet-stream"),
    "raw": ("template", "application/octet-stream"),
    "octet-stream": ("template", "application/octet-stream"),
}


def exposed_input(var: str, exposed_namespaces: frozenset[str]) -> str | None:
    """The exposed input a template variable names (``tools.x`` -> ``x``), or None."""
    match = WITH_REF.match(var)
    if match:
        return match.group(1)
    head, dot, rest = var.partition(".")
    if dot and rest and head in exposed_namespaces:
        return rest
    return None


def unqualify(value: Any, exposed_namespaces: frozenset[str]) -> Any:
    """``value`` with every ``{{rest.x}}``-like placeholder rewritten to ``{{x}}`` (nested data too)."""
    if isinstance(value, str):

        def plain(match: re.Match[str]) -> str:
            local = exposed_input(match.group(1).strip(), exposed_namespaces)
            return match.group(0) if local is None else "{{" + local + "}}"

        return TEMPLATE_VAR.sub(plain, value)
    if isinstance(value, dict):
        return {k: unqualify(v, exposed_namespaces) for k, v in value.items()}
    if isinstance(value, list):
        return [unqualify(v, exposed_namespaces) for v in value]
    return value


def unqualify_path(path: str, exposed_namespaces: frozenset[str]) -> str:
    """A consumed path with ``{{tools.x}}`` / ``{rest.x}`` placeholders rewritten to ``{{x}}``."""

    def plain(match: re.Match[str]) -> str:
        local = exposed_input((match.group(1) or match.group(2)).strip(), exposed_namespaces)
        return match.group(0) if local is None else "{{" + local + "}}"

    return PLACEHOLDER.sub(plain, path)


def escape_for(content_type: str) -> str:
    """How values are escaped inside a text body of this content type."""
    lowered = content_type.lower()
    if "json" in lowered:
        return "json"
    if "xml" in lowered or "html" in lowered:
        return "xml"
    if "x-www-form-urlencoded" in lowered:
        return "form"
    if "sparql" in lowered:
        return "sparql"
    return "none"


def _parts(data: Any) -> tuple[dict[str, Any], ...]:
    """Multipart parts as plain dicts (name, value, optional filename and contentType)."""
    if isinstance(data, dict):  # public dialect: a field map
        return tuple({"name": str(k), "value": v} for k, v in data.items())
    parts: list[dict[str, Any]] = []
    for raw in data if isinstance(data, list) else []:
        raw = as_dict(raw)
        name = text(raw.get("name"))
        if name is None:
            continue
        part: dict[str, Any] = {"name": name, "value": raw.get("value")}
        for key in ("filename", "contentType"):
            if text(raw.get(key)) is not None:
                part[key] = text(raw.get(key))
        parts.append(part)
    return tuple(parts)


def _template(data: str, content_type: str) -> ir.RequestBody:
    return ir.RequestBody("template", content_type, data, escape_for(content_type))


def build_body(raw: Any, header_content_type: str | None = None) -> ir.RequestBody | None:
    """The request body of a consumed operation; a `Content-Type` header constant sets its type."""
    if raw is None:
        return None
    if isinstance(raw, str):  # a raw string body: JSON unless a Content-Type input says otherwise
        return _template(raw, header_content_type or "application/json")
    raw = as_dict(raw)
    if not raw:
        return None
    declared = (text(raw.get("type")) or "json").lower().replace("_", "").replace("application/", "")
    kind, content_type = BODY_KINDS.get(declared, ("json", "application/json"))
    content_type = text(raw.get("contentType")) or text(raw.get("mediaType")) or header_content_type or content_type
    if "data" in raw:
        data = raw.get("data")
    else:
        data = {k: v for k, v in raw.items() if k not in ("type", "contentType", "mediaType")} or None
    if data is None:
        return None
    if kind == "multipart":
        return ir.RequestBody("multipart", content_type, _parts(data))
    if isinstance(data, str):  # a text template, whatever the declared type
        return _template(data, content_type)
    if kind == "template":
        return _template(json.dumps(data, ensure_ascii=False), content_type)
    return ir.RequestBody(kind, content_type, data)
