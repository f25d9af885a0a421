"""The two walks of the dialect stage over an Ikanos document, each building a new tree
whose every node remembers where it stood in the file the user wrote.

* ``Normalizer``: old list forms (``- name: x``) inside an Ikanos spec become the maps the
  Ikanos syntax wants (a warning each), so the schema sees one form.
* ``Internalizer``: the Ikanos document becomes the internal (Naftiko 1.0.0-alpha2 shaped)
  one that the semantic checks and the model builders read: maps keyed by name become
  lists of entries with 'name', ``display`` becomes ``label``, ``flows`` ``functions``,
  ``target`` ``targetName``, an import's ``from`` its ``location``.

Positions: the new tree's ``positions``/``key_positions`` are copied from the source node
of each new node (an entry made from a map key stands at the key), and ``sources`` maps
each new path to its path in the user's file, for the JSON path a diagnostic shows.
"""

from __future__ import annotations

from typing import Any

from .dialect_shapes import FIELDS, ITEMS, LIST, NAMED, ONE, OUTPUTS, RENAMES, kind_of_entry
from .diagnostics import Collector
from .loader import LoadedSpec, Path_

INTERNAL_VERSION = "1.0.0-alpha2"


class _Walk:
    """Shared bookkeeping: a new tree, and where each of its nodes comes from."""

    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec
        self.old_sources = spec.sources
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.key_positions: dict[Path_, tuple[int, int]] = {}
        self.sources: dict[Path_, Path_] = {}

    def result(self, data: Any) -> LoadedSpec:
        return LoadedSpec(self.spec.path, self.spec.display, data, self.spec.text, self.positions,
                          self.key_positions, self.sources)

    def mark(self, dst: Path_, src: Path_, at_key: bool = False) -> None:
        """``dst`` in the new tree stands where ``src`` stands (at its key when ``at_key``)."""
        spec = self.spec
        where = spec.key_positions.get(src) if at_key else None
        self.positions[dst] = where or spec.positions.get(src) or spec.locator()(src)
        key_where = spec.key_positions.get(src)
        if key_where is not None:
            self.key_positions[dst] = key_where
        old = self.old_sources
        self.sources[dst] = src if old is None else old.get(src, src)

    def copy(self, value: Any, src: Path_, dst: Path_) -> Any:
        """``value`` unchanged, every node marked."""
        self.mark(dst, src)
        if isinstance(value, dict):
            return {k: self.copy(v, src + (k,), dst + (k,)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.copy(v, src + (i,), dst + (i,)) for i, v in enumerate(value)]
        return value

    def rename(self, kind: str, key: str) -> str:
        return key

    def entity(self, kind: str, value: Any, src: Path_, dst: Path_) -> Any:
        """One entity of ``kind``: its known collections walked, the rest copied."""
        if not isinstance(value, dict):
            return self.copy(value, src, dst)
        self.mark(dst, src)
        exact = kind_of_entry(kind, value)
        fields = FIELDS.get(exact, {})
        result: dict[str, Any] = {}
        renamed: set[str] = set()
        for key, child in value.items():
            new_key = self.rename(exact, key)
            if key in fields:
                child_kind, layout = fields[key]
                walked = self.field(exact, key, child_kind, layout, child, src + (key,), dst + (new_key,))
            else:
                walked = self.copy(child, src + (key,), dst + (new_key,))
            if new_key == key and key in renamed:
                continue  # both spellings given (the schema stage said so): the current one wins
            if new_key != key:
                renamed.add(new_key)
            result[new_key] = walked
        return result

    def field(self, owner: str, key: str, kind: str, layout: str, value: Any, src: Path_, dst: Path_) -> Any:
        if owner == "output" and key == "properties":
            return self.by_name(kind, value, src, dst)
        if layout == ONE or (layout == ITEMS and isinstance(value, dict) and isinstance(value.get("type"), str)):
            return self.entity(kind, value, src, dst)  # (items that are one output, as in alpha2)
        if layout == LIST and isinstance(value, list):
            return self.entries(kind, value, src, dst)
        if layout in (NAMED, ITEMS) or (layout == OUTPUTS and isinstance(value, dict)):
            return self.named(owner, key, kind, value, src, dst)
        return self.copy(value, src, dst)

    def entries(self, kind: str, value: list[Any], src: Path_, dst: Path_) -> list[Any]:
        """A list of entities, kept a list."""
        self.mark(dst, src)
        return [self.entity(kind, v, src + (i,), dst + (i,)) for i, v in enumerate(value)]

    def by_name(self, kind: str, value: Any, src: Path_, dst: Path_) -> Any:
        """A map of entities under their own names, kept a map."""
        if not isinstance(value, dict):
            return self.copy(value, src, dst)
        self.mark(dst, src)
        return {k: self.entity(kind, v, src + (k,), dst + (k,)) for k, v in value.items()}

    def named(self, owner: str, key: str, kind: str, value: Any, src: Path_, dst: Path_) -> Any:
        raise NotImplementedError


def _named_list(value: Any) -> bool:
    return (isinstance(value, list) and bool(value)
            and all(isinstance(e, dict) and isinstance(e.get("name"), str) for e in value))


class Normalizer(_Walk):
    """Old list forms into maps keyed by name: NG130, one warning per key with a count."""

    def __init__(self, spec: LoadedSpec, out: Collector) -> None:
        super().__init__(spec)
        self.out = out
        self.found: dict[tuple[str, bool], list[tuple[Path_, str]]] = {}

    def _old_form(self, key: str, src: Path_, first: str | None) -> None:
        self.found.setdefault((key, first is None), []).append((src, first or ""))

    def report(self) -> None:
        """The NG130 warnings: the first list of each key, with how many there are."""
        for (key, unkeyed), places in self.found.items():
            src, first = places[0]
            more = f" ({len(places)} occurrences)" if len(places) > 1 else ""
            if unkeyed:
                self.out.warning("NG130", f"{key!r} is written as a list (the alpha2 form), and not every entry "
                                 f"has a 'name' to key it by{more}", src,
                                 f"the Ikanos syntax keys {key!r} by name: '<name>:' instead of '- ...'", at_key=True)
            else:
                self.out.warning("NG130", f"{key!r} is written as a list of entries with 'name' (the alpha2 form)"
                                 f"{more}", src, f"the Ikanos syntax keys {key!r} by name: '{first}:' instead of "
                                 f"'- name: {first}'", at_key=True)

    def field(self, owner: str, key: str, kind: str, layout: str, value: Any, src: Path_, dst: Path_) -> Any:
        if layout == OUTPUTS and _named_list(value) and not any("mapping" in e for e in value):
            return self.named(owner, key, kind, value, src, dst)  # old named (orchestrated or mock) outputs
        return super().field(owner, key, kind, layout, value, src, dst)

    def named(self, owner: str, key: str, kind: str, value: Any, src: Path_, dst: Path_) -> Any:
        if isinstance(value, list) and value and all(isinstance(e, dict) for e in value) and not _named_list(value):
            self._old_form(key, src, None)
            return self.entries(kind, value, src, dst)
        if not _named_list(value):
            return self.by_name(kind, value, src, dst) if isinstance(value, dict) else self.copy(value, src, dst)
        names = [e["name"] for e in value]
        if len(set(names)) != len(names):
            twice = sorted({n for n in names if names.count(n) > 1})
            self.out.error("NG131", f"{key!r} lists {', '.join(map(repr, twice))} more than once",
                           src, "a name can key one entry only; rename one of them", at_key=True)
            return self.copy(value, src, dst)
        self._old_form(key, src, names[0])
        self.mark(dst, src)
        result: dict[str, Any] = {}
        for i, entry in enumerate(value):
            name = entry["name"]
            self.mark(dst + (name,), src + (i,))
            body = {k: v for k, v in entry.items() if k != "name"}
            walked = self.entity(kind, body, src + (i,), dst + (name,))
            result[name] = walked
        return result


class Internalizer(_Walk):
    """An Ikanos document (maps already) into the internal alpha2-shaped document."""

    def rename(self, kind: str, key: str) -> str:
        if key == "display":
            return "label"
        return RENAMES.get(kind, {}).get(key, key)

    def named(self, owner: str, key: str, kind: str, value: Any, src: Path_, dst: Path_) -> Any:
        if isinstance(value, list) and key != "outputParameters":
            return self.entries(kind, value, src, dst)  # an old list form that could not be keyed
        if not isinstance(value, dict):
            return self.copy(value, src, dst)
        self.mark(dst, src)
        entries = []
        for i, (name, body) in enumerate(value.items()):
            walked = self.entity(kind, body, src + (name,), dst + (i,))
            self.mark(dst + (i,), src + (name,), at_key=True)
            self.mark(dst + (i, "name"), src + (name,), at_key=True)
            entries.append({"name": name, **walked} if isinstance(walked, dict) else walked)
        return entries

    def root(self) -> LoadedSpec:
        data = self.spec.data
        converted = self.entity("root", data, (), ())
        if isinstance(converted, dict):
            key = "ikanos" if "ikanos" in converted else "naftiko"
            converted.pop(key, None)
            converted = {"naftiko": INTERNAL_VERSION, **converted}
            self.mark(("naftiko",), (key,))
        return self.result(converted)
