"""Every code the schema stage reports, with its severity (see docs/diagnostics.md)."""

from __future__ import annotations

from .diagnostics import Severity

DocPath = tuple[str | int, ...]


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
    "NG130": (WARNING, "alpha2 list form inside an Ikanos spec"),
    "NG131": (ERROR, "alpha2 list form with a name twice (cannot be keyed by name)"),
    "NG132": (WARNING, "version key the engine no longer reads with this version"),
    "NG133": (WARNING, "alpha2 key in an Ikanos spec (read as its new name)"),
    "NG134": (ERROR, "alpha2 key the engine rejects in an Ikanos spec"),
}
"""Every code this stage reports, with its severity (see docs/diagnostics.md)."""
