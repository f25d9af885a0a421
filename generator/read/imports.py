"""Imported consumes: ``{import: ns, location: ./shared/x.yml, as: alias}`` entries.

Each entry is replaced by the ``consumes`` entry of that namespace found in the
referenced file (a shared consumes file or another capability), resolved
relative to the importing spec. The result is a new data tree; the loaded spec
is not changed. Problems are NG31x errors located at the import entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from . import loader
from .diagnostics import Collector
from .semantics import as_dict, as_list, text


def local_path(location: str, base: Path) -> Path:
    """A ``location`` (relative path or ``file://`` URI) as a file path, relative to ``base``."""
    if location.startswith("file:"):
        parts = urlsplit(location)
        raw = unquote((parts.netloc or "") + parts.path)
        # file:///./x and file://./x are relative; file:///abs/x is absolute.
        if raw.startswith("/./") or raw.startswith("/../"):
            raw = raw[1:]
        location = raw
    path = Path(location)
    return path if path.is_absolute() else base / path


def _consumes_of(data: Any) -> list[Any]:
    data = as_dict(data)
    if "consumes" in data:
        return as_list(data.get("consumes"))
    return as_list(as_dict(data.get("capability")).get("consumes"))


def locations(data: dict[str, Any], spec_path: Path) -> list[Path]:
    """The files a spec imports consumes from (the manifest records their digests)."""
    entries = as_list(as_dict(data.get("capability")).get("consumes"))
    found = (text(e.get("location")) for e in entries if isinstance(e, dict) and "import" in e)
    return sorted({local_path(location, spec_path.parent) for location in found if location})


def resolve(data: dict[str, Any], spec_path: Path, out: Collector) -> dict[str, Any]:
    """The spec data with every imported consumes entry inlined (errors go to ``out``)."""
    capability = as_dict(data.get("capability"))
    entries = as_list(capability.get("consumes"))
    if not any(isinstance(e, dict) and "import" in e for e in entries):
        return data
    cache: dict[Path, list[Any] | None] = {}
    inlined: list[Any] = []
    for ci, entry in enumerate(entries):
        if not (isinstance(entry, dict) and "import" in entry):
            inlined.append(entry)
            continue
        found = _one(entry, ci, spec_path, cache, out)
        if found is not None:
            inlined.append(found)
    return {**data, "capability": {**capability, "consumes": inlined}}


def _one(entry: dict[str, Any], ci: int, spec_path: Path, cache: dict[Path, list[Any] | None], out: Collector) -> dict[str, Any] | None:
    where = ("capability", "consumes", ci)
    wanted = text(entry.get("import"))
    location = text(entry.get("location"))
    if wanted is None or location is None:
        out.error("NG310", "imported consumes needs both 'import' (a namespace) and 'location' (a file)", where)
        return None
    path = local_path(location, spec_path.parent)
    if path not in cache:
        try:
            cache[path] = _consumes_of(loader.load(path, str(path)).data)
        except loader.LoadError as exc:
            first = exc.diagnostics[0].message if exc.diagnostics else "cannot be loaded"
            out.error(
                "NG310",
                f"imported consumes file {location!r} cannot be read: {first}",
                where + ("location",),
                f"the location is resolved relative to the spec's folder: {path}",
            )
            cache[path] = None
    candidates = cache[path]
    if candidates is None:
        return None
    for candidate in candidates:
        if isinstance(candidate, dict) and text(candidate.get("namespace")) == wanted:
            alias = text(entry.get("as")) or wanted
            merged = {**candidate, "namespace": alias}
            if text(entry.get("description")):
                merged["description"] = entry["description"]
            return merged
    known = ", ".join(sorted(n for n in (text(as_dict(c).get("namespace")) for c in candidates) if n)) or "none"
    out.error(
        "NG311",
        f"{location!r} has no consumes namespace {wanted!r} (it has: {known})",
        where + ("import",),
        "'import' names a namespace declared in the imported file",
    )
    return None
