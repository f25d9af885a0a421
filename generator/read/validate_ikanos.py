"""Check an Ikanos spec (``ikanos: 1.0.0-alpha3`` .. ``1.0.0-beta5``) against naftiko-gen's
schema for that syntax (``schema/ikanos-capability.schema.json``), with the same codes,
explanations and condensing as the alpha2 schema (see ``validate``).

The document checked is the normalized one (old list forms already made maps, see
``dialect``); its positions and JSON paths are those of the file as written.
"""

from __future__ import annotations

from .diagnostics import Diagnostic
from .dialect import IKANOS_VERSIONS, STANDALONE_ROOTS, Dialect
from .loader import LoadedSpec
from .places import describe_value
from .schema_check import IKANOS_SCHEMA_FILE
from .validate import schema_diagnostics

NEWEST = IKANOS_VERSIONS[-1]


def validate_ikanos(spec: LoadedSpec, dialect: Dialect) -> list[Diagnostic]:
    """Errors and warnings for one normalized Ikanos spec, ordered by position."""
    out = spec.collector()
    data = spec.data
    roots = [key for key in ("capability", *STANDALONE_ROOTS) if key in data]
    if not roots:
        found = ", ".join(map(str, data)) or "(none)"
        out.error("NG004", f"not an Ikanos capability: no 'capability' mapping and no standalone "
                  f"{', '.join(STANDALONE_ROOTS)} list; found keys {found}", (),
                  f"a capability starts with 'ikanos: \"{NEWEST}\"' followed by a 'capability:' mapping")
        return out.items
    if len(roots) > 1 and "capability" not in roots:
        out.error("NG004", f"a standalone Ikanos document holds exactly one of "
                  f"{', '.join(map(repr, STANDALONE_ROOTS))}; this one has {' and '.join(map(repr, roots))}",
                  (roots[1],), "split it into one file per section, or put the lists under 'capability:'",
                  at_key=True)
        return out.items
    version = dialect.version
    hint = f"write '{dialect.key}: \"{NEWEST}\"'"
    if not isinstance(version, str):
        out.error("NG101", f"'{dialect.key}' must be a version string, got {describe_value(version)}",
                  (dialect.key,), hint)
    elif version not in IKANOS_VERSIONS:
        out.error("NG101", f"unsupported Ikanos version {version!r}; naftiko-gen reads "
                  f"{', '.join(IKANOS_VERSIONS)} (and naftiko 1.0.0-alpha2)", (dialect.key,), hint)
    elif dialect.key == "naftiko" and version != "1.0.0-alpha3":
        out.warning("NG132", f"'naftiko: {version}' is read as 'ikanos: {version}'", (dialect.key,),
                    "the engine was renamed Ikanos after 1.0.0-alpha3; write 'ikanos:'", at_key=True)
    return schema_diagnostics(spec, out, IKANOS_SCHEMA_FILE)
