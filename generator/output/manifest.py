"""The manifest, ``OUT/.naftiko-gen.json``: what naftiko-gen wrote, and from what.

It records, for each spec of the last run, the digests of the files it was read
from, the diagnostics it gave and the sha256 of every file generated from it,
plus the versions of the generator that wrote them and the line length. Nothing here
depends on the machine, the working directory or the generator's code (see
``fingerprint``). Versions live here only, never in generated files. ``output`` uses it to tell
our files from hand-edited ones; ``incremental`` uses it to skip unchanged specs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..read.diagnostics import Diagnostic, Severity

FILENAME = ".naftiko-gen.json"
FORMAT = 1


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_text(text: str) -> str:
    return sha256_bytes(text.encode("utf-8"))


def sha256_file(path: Path) -> str | None:
    """The digest of a file's bytes, or None when it cannot be read."""
    try:
        return sha256_bytes(path.read_bytes())
    except OSError:
        return None


@lru_cache(maxsize=1)
def _dist_infos() -> tuple[str, ...]:
    """The ``.dist-info`` folder names on sys.path, in its order (listed once a run)."""
    found: list[str] = []
    for entry in sys.path:
        try:
            found += [name for name in os.listdir(entry or ".") if name.endswith(".dist-info")]
        except OSError:
            continue
    return tuple(found)


def _version(dist: str) -> str:
    """The installed version of distribution ``dist``: from its ``.dist-info`` folder's
    name when one is on sys.path (importing importlib.metadata takes longer than a
    no-op run), else as importlib.metadata tells it."""
    prefix = dist.lower().replace("-", "_") + "-"
    for name in _dist_infos():
        if name.lower().startswith(prefix):
            return name[len(prefix) : -len(".dist-info")]
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def _code_files() -> list[tuple[str, str]]:
    """Every file that shapes the output (templates, generator code, schema): its label
    and path, in a fixed order."""
    from ..emit.render import templates_dir

    package = str(Path(__file__).resolve().parents[1])
    inner_templates = os.path.join(package, "templates")
    found: list[tuple[str, str]] = []
    for label, root in (("templates", str(templates_dir())), ("generator", package)):
        for folder, subfolders, names in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            if label == "generator" and (folder + os.sep).startswith(inner_templates + os.sep):
                continue  # an installed wheel keeps the templates inside the package
            for name in sorted(names):
                if not name.endswith(".pyc"):
                    path = os.path.join(folder, name)
                    found.append((f"{label}/{os.path.relpath(path, root).replace(os.sep, '/')}", path))
    return found


@lru_cache(maxsize=1)
def generator_digest() -> str:
    """One digest of everything that shapes the output: templates, generator code, schema.

    Hashing the code takes a run tens of milliseconds, so the digest is kept in the run
    cache under the files' names, sizes and times, and hashed again when one moves."""
    from . import cache

    files = _code_files()
    stamps = hashlib.sha256()
    for name, path in files:
        status = os.stat(path)
        stamps.update(f"{name}\0{status.st_size}\0{status.st_mtime_ns}\0".encode())
    memo = cache.folder() / "code-digest.json"
    signature = stamps.hexdigest()
    try:
        kept = json.loads(memo.read_text(encoding="utf-8"))
        if kept.get("signature") == signature and isinstance(kept.get("digest"), str):
            return str(kept["digest"])
    except (OSError, ValueError, AttributeError):
        pass
    digest = hashlib.sha256()
    for name, path in files:
        digest.update(f"{name}\0".encode())
        digest.update(Path(path).read_bytes())
        digest.update(b"\0")
    answer = digest.hexdigest()
    if memo.parent.is_dir():
        with contextlib.suppress(OSError):
            memo.write_text(json.dumps({"signature": signature, "digest": answer}), encoding="utf-8")
    return answer


@lru_cache(maxsize=1)
def _fingerprint() -> tuple[tuple[str, str], ...]:
    found = {
        "naftiko-gen": __version__,
        "black": _version("black"),
        "jinja2": _version("jinja2"),
    }
    return tuple(found.items())


def fingerprint() -> dict[str, str]:
    """What generated the files, as the manifest records it: versions only.

    Deterministic, so a refactor of naftiko-gen leaves a committed manifest as it is. The
    digest of the generator's code (``generator_digest``) is kept in the run cache
    instead, which is what lets a run trust the manifest to skip unchanged specs.
    """
    return dict(_fingerprint())


@dataclass
class SpecEntry:
    """One spec of the last run and what it produced."""

    package: str | None
    options: str
    inputs: dict[str, str]  # file as shown -> sha256 of its bytes
    files: dict[str, str] = field(default_factory=dict)  # path in OUT -> sha256
    diagnostics: list[dict[str, object]] = field(default_factory=list)
    skipped: str | None = None

    def as_json(self) -> dict[str, object]:
        """The entry as the manifest file holds it (what ``dataclasses.asdict`` gives,
        without its deep copy of every value: they are text and numbers)."""
        return {
            "package": self.package,
            "options": self.options,
            "inputs": dict(self.inputs),
            "files": dict(self.files),
            "diagnostics": [dict(d) for d in self.diagnostics],
            "skipped": self.skipped,
        }


@dataclass
class Manifest:
    generator: dict[str, str] = field(default_factory=fingerprint)
    specs: dict[str, SpecEntry] = field(default_factory=dict)  # spec as shown -> entry
    invalid: dict[str, SpecEntry] = field(default_factory=dict)  # refused specs: inputs and diagnostics
    line_length: int | None = None  # the layout's line length (None: written before it was recorded)

    def owned(self) -> dict[str, str]:
        """Every file the manifest says we wrote, with its sha256."""
        return {path: digest for entry in self.specs.values() for path, digest in entry.files.items()}

    def dumps(self) -> str:
        data = {
            "format": FORMAT,
            "generator": self.generator,
            "specs": {name: entry.as_json() for name, entry in sorted(self.specs.items())},
        }
        if self.line_length is not None:
            data["line_length"] = self.line_length
        if self.invalid:
            data["invalid"] = {name: entry.as_json() for name, entry in sorted(self.invalid.items())}
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def load(out_dir: Path) -> Manifest | None:
    """The manifest in ``out_dir``; None when absent or unreadable (then nothing is trusted)."""
    try:
        data = json.loads((out_dir / FILENAME).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        specs = {name: SpecEntry(**entry) for name, entry in data["specs"].items()}
        invalid = {name: SpecEntry(**entry) for name, entry in data.get("invalid", {}).items()}
        line_length = data.get("line_length")
        if line_length is not None and not isinstance(line_length, int):
            return None
        return Manifest(dict(data["generator"]), specs, invalid, line_length)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


_DIAGNOSTIC_FIELDS = tuple(f.name for f in fields(Diagnostic))


def diagnostic_to_dict(diagnostic: Diagnostic, file: str | None = None) -> dict[str, object]:
    """A diagnostic as the manifest keeps it; ``file`` replaces its file name."""
    data: dict[str, object] = {name: getattr(diagnostic, name) for name in _DIAGNOSTIC_FIELDS}
    data["severity"] = diagnostic.severity.value
    if file is not None:
        data["file"] = file
    return {key: value for key, value in data.items() if value is not None}


_SEVERITIES = {severity.value: severity for severity in Severity}


def diagnostic_from_dict(data: dict[str, Any], file: str | None = None) -> Diagnostic:
    """The inverse of ``diagnostic_to_dict`` (a no-op run replays thousands of these)."""
    get = data.get
    shown = data["file"] if file is None else file
    return Diagnostic(_SEVERITIES[data["severity"]], data["code"], data["message"], shown, get("line", 1), get("col", 1), get("hint"), get("json_path"))
