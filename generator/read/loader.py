"""Stage 1: read a YAML spec into plain data, remembering where every node stands.

Block-style YAML, the part real specs are written in, is read by ``blockyaml``. Anything
else is composed (not constructed) by PyYAML, preferably with its C parser, then turned
into dicts, lists and scalars here; either way each value's line and column are known by
its path, and duplicate keys are refused (the PyYAML path reports them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import blockyaml
from .diagnostics import Collector, Diagnostic, Locator, Severity, display_path
from .yaml_scalars import MERGE_TAG, key_text, scalar_value

try:  # the C composer is several times faster; fall back silently without it
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

class _YamlLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, with the tags of short plain scalars remembered: the composer asks
    for a tag once per node, and keys such as ``name`` or ``type`` come back thousands of
    times. The safe loader has no path resolvers, so a plain scalar's tag depends only on
    its text."""

    _tags: dict[str, str] = {}

    def resolve(self, kind: type, value: object, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or not implicit[0] or not isinstance(value, str) or len(value) > 40:
            return super().resolve(kind, value, implicit)
        tag = self._tags.get(value)
        if tag is None:
            if len(self._tags) > 100_000:
                self._tags.clear()
            tag = self._tags[value] = super().resolve(kind, value, implicit)
        return tag

Path_ = tuple[str | int, ...]

MAX_DEPTH = 200
"""Deeper documents are refused: no real spec nests this far."""

MAX_NODES = 500_000
"""Documents expanding to more nodes are refused: YAML aliases can blow a few lines up
exponentially, and the largest real spec has a few tens of thousands."""

SAFE_COMPOSE_DEPTH = 5_000
"""PyYAML's C composer recurses once per nesting level and crashes the process (a C stack
overflow, not a RecursionError) somewhere past 10,000 levels; a document that might nest
deeper than this is measured with the parser's events first."""

@dataclass
class LoadedSpec:
    """A parsed spec: its data plus the position of every node by document path."""

    path: Path
    display: str
    data: Any
    text: str
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    sources: dict[Path_, Path_] | None = None
    """For a document the dialect stage rewrote: each path's path in the file as written."""

    def locator(self) -> "SpecLocator":
        return SpecLocator(self)

    def collector(self) -> Collector:
        return Collector(self.display, self.locator())


class SpecLocator(Locator):
    """Finds the line and column for a path, walking up to the nearest known node."""

    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec

    def __call__(self, path: Path_, *, at_key: bool = False) -> tuple[int, int]:
        if at_key and path in self.spec.key_positions:
            return self.spec.key_positions[path]
        probe = tuple(path)
        while probe:
            if probe in self.spec.positions:
                return self.spec.positions[probe]
            probe = probe[:-1]
        return self.spec.positions.get((), (1, 1))

    def source_path(self, path: Path_) -> Path_:
        """``path`` as it reads in the file the user wrote (the dialect stage may rewrite it)."""
        sources = self.spec.sources
        if sources is None:
            return path
        probe = tuple(path)
        while probe:
            if probe in sources:
                return sources[probe] + tuple(path[len(probe):])
            probe = probe[:-1]
        return tuple(path)


class LoadError(Exception):
    """A spec could not be read; carries the diagnostics that say why."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(diagnostics[0].message if diagnostics else "load error")
        self.diagnostics = diagnostics


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _depth_bound(text: str) -> int:
    """An upper bound of the nesting depth: each level takes a bracket or a column."""
    widest = max((len(line) for line in text.splitlines()), default=0)
    return text.count("[") + text.count("{") + widest


def _nests_too_deep(text: str) -> bool:
    """Whether the document nests deeper than MAX_DEPTH, found without recursion."""
    if _depth_bound(text) <= SAFE_COMPOSE_DEPTH:
        return False
    depth = 0
    for event in yaml.parse(text, Loader=_YamlLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return False


class _Builder:
    def __init__(self, spec: LoadedSpec, out: Collector) -> None:
        self.spec = spec
        self.out = out
        self.nodes = 0

    def build(self, node: yaml.Node, path: Path_, depth: int = 0) -> Any:
        self.spec.positions[path] = _mark(node)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.out.error(
                "NG008",
                f"document expands to more than {MAX_NODES} values",
                path,
                "YAML aliases (*name) repeat what they point at; check for aliases of aliases",
            )
            raise _TooDeep()
        if depth > MAX_DEPTH:
            self.out.error(
                "NG005",
                f"document nests deeper than {MAX_DEPTH} levels",
                path,
                "a capability spec is a few levels deep; check for generated or corrupted YAML",
            )
            raise _TooDeep()
        if isinstance(node, yaml.ScalarNode):
            return scalar_value(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        raise AssertionError(f"unknown YAML node {node!r}")  # pragma: no cover

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                merged = self.build(value_node, path, depth + 1)
                for item in merged if isinstance(merged, list) else [merged]:
                    if isinstance(item, dict):
                        for k, v in item.items():
                            result.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = _mark(key_node)
                self.spec.positions[path + ("?",)] = (line, col)
                self.out.error("NG006", "mapping keys must be plain scalars", path + ("?",))
                continue
            raw_key = scalar_value(key_node)
            key = key_text(raw_key)
            child = path + (key,)
            if key in result:
                first = self.spec.key_positions.get(child, (0, 0))
                self.spec.key_positions[child + ("#dup",)] = _mark(key_node)
                self.spec.positions[child + ("#dup",)] = _mark(key_node)
                self.out.error(
                    "NG003",
                    f"duplicate key {key!r} (first defined at line {first[0]})",
                    child + ("#dup",),
                    "YAML keeps only one of them; remove or rename the other",
                )
                continue
            self.spec.key_positions[child] = _mark(key_node)
            result[key] = self.build(value_node, child, depth + 1)
        return result


class _TooDeep(Exception):
    pass


def load_text(text: str, path: Path, display: str | None = None) -> LoadedSpec:
    """Parse YAML text. Raises LoadError with positioned diagnostics on failure."""
    fast = blockyaml.read(text)
    if fast is None:
        return load_composed(text, path, display)
    data, positions, key_positions = fast
    return LoadedSpec(path, display or display_path(path), data, text, positions, key_positions)


def load_composed(text: str, path: Path, display: str | None = None) -> LoadedSpec:
    """``load_text`` by PyYAML's composer alone: any YAML, and every error reported."""
    spec = LoadedSpec(path=path, display=display or display_path(path), data=None, text=text)
    out = Collector(spec.display, spec.locator())
    try:
        if _nests_too_deep(text):
            raise LoadError([Diagnostic(Severity.ERROR, "NG005", f"document nests deeper than {MAX_DEPTH} levels", spec.display, hint="a capability spec is a few levels deep; check for generated or corrupted YAML")])
        node = yaml.compose(text, Loader=_YamlLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        context = f" {exc.context}" if exc.context else ""
        raise LoadError(
            [
                Diagnostic(
                    Severity.ERROR,
                    "NG002",
                    f"invalid YAML: {problem}{context}",
                    spec.display,
                    line,
                    col,
                    "check indentation, quoting and unclosed brackets near this position",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise LoadError(
            [Diagnostic(Severity.ERROR, "NG002", f"invalid YAML: {exc}", spec.display)]
        ) from None
    except RecursionError:
        raise LoadError(
            [Diagnostic(Severity.ERROR, "NG005", "document nests too deeply to read", spec.display)]
        ) from None
    if node is None:
        raise LoadError(
            [
                Diagnostic(
                    Severity.ERROR,
                    "NG004",
                    "not a Naftiko capability: the file is empty",
                    spec.display,
                    hint="a capability starts with 'naftiko: 1.0.0-alpha2'",
                )
            ]
        )
    try:
        spec.data = _Builder(spec, out).build(node, ())
    except (_TooDeep, RecursionError):
        if not out.items:
            out.error("NG005", "document nests too deeply to read")
        raise LoadError(out.items) from None
    if out.items:
        raise LoadError(out.items)
    return spec


def load(path: Path, display: str | None = None) -> LoadedSpec:
    """Read and parse one spec file."""
    shown = display or display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError(
            [Diagnostic(Severity.ERROR, "NG001", f"cannot read file: {exc.strerror or exc}", shown)]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            [
                Diagnostic(
                    Severity.ERROR,
                    "NG001",
                    f"file is not UTF-8 text (byte {exc.start})",
                    shown,
                    hint="save the spec as UTF-8",
                )
            ]
        ) from None
    return load_text(text, path, shown)
