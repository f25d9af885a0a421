"""Check a loaded spec against naftiko-gen's schema for Naftiko 1.0.0-alpha2.

The schema (``generator/read/schema/naftiko-capability.schema.json``) describes the
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

from typing import Any

from .codes import CODES
from .condense import condense
from .diagnostics import Collector, Diagnostic
from .explain import Context
from .loader import LoadedSpec
from .places import describe_value
from .schema_check import SCHEMA_FILE, schema_findings

SUPPORTED_VERSION = "1.0.0-alpha2"


PREVIOUS_VERSION = "1.0.0-alpha1"


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
    check_version(data, out)
    return schema_diagnostics(spec, out, SCHEMA_FILE)


def schema_diagnostics(spec: LoadedSpec, out: Collector, schema: str) -> list[Diagnostic]:
    """``out``'s diagnostics plus what ``schema`` finds in the spec, condensed, by position."""
    try:
        findings = list(schema_findings(Context(spec.data), schema))
    except RecursionError:
        out.error("NG106", "document nests too deeply to validate", (),
                  "output parameters nest a few levels at most; check for generated or corrupted YAML")
        return out.items
    for finding, message in condense(findings, spec.data):
        out.add(CODES[finding.code][0], finding.code, message, finding.path, finding.hint, at_key=finding.at_key)
    return sorted(out.items, key=lambda d: (d.line, d.col, d.code, d.message))


def _not_a_capability(data: Any) -> tuple[str, str] | None:
    """(message, hint) when the document cannot be a capability, else None."""
    hint = (
        "a capability starts with 'naftiko: 1.0.0-alpha2' followed by a 'capability:' mapping "
        "(or a root 'consumes:' list in a shared consumes file)"
    )
    if not isinstance(data, dict):
        return f"the document is {describe_value(data)}, not a mapping", hint
    keys = _list_keys(data)
    if "naftiko" not in data:
        return (f"no top-level 'naftiko' or 'ikanos' key; found keys {keys}",
                _guess_format(data) or hint.replace("'naftiko: 1.0.0-alpha2'",
                                                    "'naftiko: 1.0.0-alpha2' (or 'ikanos: \"1.0.0-beta5\"')"))
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


def check_version(data: dict[str, Any], out: Collector) -> None:
    version = data.get("naftiko")
    hint = f"write 'naftiko: {SUPPORTED_VERSION}'"
    if version == SUPPORTED_VERSION:
        return
    if version == PREVIOUS_VERSION:
        out.warning("NG119", f"spec version {PREVIOUS_VERSION} is read as {SUPPORTED_VERSION} (public dialect)", ("naftiko",),
             f"update to 'naftiko: {SUPPORTED_VERSION}' once the spec follows the current schema")
    elif isinstance(version, str):
        out.error("NG101", f"unsupported Naftiko version {version!r}; naftiko-gen reads {SUPPORTED_VERSION} "
                  "(and the Ikanos syntax, 1.0.0-alpha3 to 1.0.0-beta5)", ("naftiko",), hint)
    else:
        out.error("NG101", f"'naftiko' must be a version string, got {describe_value(version)}", ("naftiko",), hint)
