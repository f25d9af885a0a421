"""Stage 1b, right after loading: which syntax a spec is written in, and the one internal
document every later stage reads.

* ``naftiko: 1.0.0-alpha2`` (and the public dialect around it) is the internal shape
  already: it passes through untouched.
* ``ikanos: 1.0.0-alpha3`` .. ``1.0.0-beta5`` and ``naftiko: 1.0.0-alpha3`` (the same
  syntax, the last Naftiko-named release) are the Ikanos syntax: ``normalize`` turns
  old list forms inside it into maps (with a warning), the Ikanos schema validates
  that, and ``internal`` rewrites it into the alpha2 shape, every node still located
  in the file the user wrote.

Templates and model builders never learn which syntax a spec used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .diagnostics import Collector
from .dialect_walk import Internalizer, Normalizer
from .loader import LoadedSpec

IKANOS_VERSIONS = (
    "1.0.0-alpha3",
    "1.0.0-alpha4",
    "1.0.0-beta1",
    "1.0.0-beta2",
    "1.0.0-beta3",
    "1.0.0-beta4",
    "1.0.0-beta5",
)
"""Versions of the Ikanos syntax naftiko-gen reads (the newest last)."""

STANDALONE_ROOTS = ("consumes", "exposes", "aggregates", "binds")
"""Root keys of a standalone document: a support file other specs import."""


@dataclass(frozen=True)
class Dialect:
    """The syntax of one document: its version key and value, and whether it is Ikanos's."""

    key: str  # "naftiko" or "ikanos" (the key the version was read from)
    version: Any
    ikanos: bool

    @property
    def name(self) -> str:
        return f"{self.key} {self.version}" if isinstance(self.version, str) else self.key


ALPHA2 = Dialect("naftiko", "1.0.0-alpha2", False)


def detect(data: Any) -> Dialect:
    """The dialect of a loaded document; anything not Ikanos is read as Naftiko alpha2."""
    if not isinstance(data, dict):
        return ALPHA2
    if "ikanos" in data:
        return Dialect("ikanos", data.get("ikanos"), True)
    version = data.get("naftiko")
    if isinstance(version, str) and version in IKANOS_VERSIONS:
        return Dialect("naftiko", version, True)
    return Dialect("naftiko", version, False)


def normalize(spec: LoadedSpec, out: Collector) -> LoadedSpec:
    """An Ikanos spec with its old list forms made maps (NG130 warnings go to ``out``)."""
    walk = Normalizer(spec, out)
    normalized = walk.result(walk.entity("root", spec.data, (), ()))
    walk.report()
    return normalized


def internal(spec: LoadedSpec) -> LoadedSpec:
    """The internal (alpha2-shaped) document of a normalized Ikanos spec."""
    return Internalizer(spec).root()


def internal_data(spec: LoadedSpec) -> Any:
    """Any loaded document as internal data (used for imported files; problems are not reported)."""
    if not detect(spec.data).ikanos:
        return spec.data
    quiet = Collector(spec.display)
    return internal(normalize(spec, quiet)).data


def is_key_value_file(data: Any) -> bool:
    """A flat mapping of scalars with no version key: a data file (a binds secrets file), no spec."""
    return (isinstance(data, dict) and bool(data) and "naftiko" not in data and "ikanos" not in data
            and all(not isinstance(value, (dict, list)) for value in data.values()))


def standalone_kind(data: Any) -> str | None:
    """'consumes', 'exposes', ... for a standalone document (no 'capability'), else None."""
    if not isinstance(data, dict) or "capability" in data:
        return None
    return next((key for key in STANDALONE_ROOTS if key in data), None)
