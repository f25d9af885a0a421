"""Imported entries: ``{import: ns, location: ./shared/x.yml, as: alias}`` (the Ikanos
``from`` is read as ``location`` by the dialect stage).

Each entry is replaced by the entry of that namespace found in the same section
(``consumes``; in the Ikanos syntax also ``exposes``, ``aggregates``, ``binds``) of
the referenced file (a standalone document or another capability, in either syntax),
resolved relative to the importing spec. The result is a new data tree; the loaded
spec is not changed. Problems are NG31x errors located at the import entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from . import dialect, loader
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


SECTIONS = ("consumes", "exposes", "aggregates", "binds")
"""Sections whose entries may be imports (alpha2 imports consumes only)."""

_Cache = dict[Path, dict[str, Any] | None]


def _section_of(data: Any, section: str) -> list[Any]:
    data = as_dict(data)
    if section in data:
        return as_list(data.get(section))
    return as_list(as_dict(data.get("capability")).get(section))


def _is_import(entry: Any) -> bool:
    return isinstance(entry, dict) and "import" in entry


def _places(data: dict[str, Any]) -> list[tuple[tuple[str, ...], str, list[Any]]]:
    """(path of the owning mapping, section, entries) of every section that may hold imports."""
    found = []
    capability = as_dict(data.get("capability"))
    for section in SECTIONS:
        found.append((("capability",), section, as_list(capability.get(section))))
        found.append(((), section, as_list(data.get(section))))
    return [place for place in found if any(_is_import(e) for e in place[2])]


def locations(data: dict[str, Any], spec_path: Path) -> list[Path]:
    """The files a spec imports from (the manifest records their digests)."""
    found = (text(e.get("location")) for _, _, entries in _places(data) for e in entries if _is_import(e))
    return sorted({local_path(location, spec_path.parent) for location in found if location})


def resolve(data: dict[str, Any], spec_path: Path, out: Collector) -> dict[str, Any]:
    """The spec data with every imported entry inlined (errors go to ``out``)."""
    places = _places(data)
    if not places:
        return data
    cache: _Cache = {}
    result = dict(data)
    for owner, section, entries in places:
        inlined: list[Any] = []
        for ci, entry in enumerate(entries):
            if not _is_import(entry):
                inlined.append(entry)
                continue
            found = _one(entry, owner + (section, ci), section, spec_path, cache, out)
            if found is not None:
                inlined.append(found)
        if owner:
            result["capability"] = {**as_dict(result.get("capability")), section: inlined}
        else:
            result[section] = inlined
    return result


def _one(entry: dict[str, Any], where: tuple[str | int, ...], section: str, spec_path: Path,
         cache: _Cache, out: Collector) -> dict[str, Any] | None:
    noun = f"imported {section} entry" if section != "consumes" else "imported consumes"
    wanted = text(entry.get("import"))
    location = text(entry.get("location"))
    if wanted is None or location is None:
        out.error("NG310", f"{noun} needs both 'import' (a namespace) and 'location' (a file)", where)
        return None
    path = local_path(location, spec_path.parent)
    if path not in cache:
        try:
            cache[path] = as_dict(dialect.internal_data(loader.load(path, str(path))))
        except loader.LoadError as exc:
            first = exc.diagnostics[0].message if exc.diagnostics else "cannot be loaded"
            out.error(
                "NG310",
                f"imported {section} file {location!r} cannot be read: {first}",
                where + ("location",),
                f"the location is resolved relative to the spec's folder: {path}",
            )
            cache[path] = None
    document = cache[path]
    if document is None:
        return None
    candidates = _section_of(document, section)
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
        f"{location!r} has no {section} namespace {wanted!r} (it has: {known})",
        where + ("import",),
        "'import' names a namespace declared in the imported file",
    )
    return None
