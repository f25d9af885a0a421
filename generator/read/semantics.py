"""Stage 3: rules the schema cannot express, checked on the validated data.

Call targets must exist and be unambiguous, `with` keys must feed something,
exposed names must be unique. Broken calls are warnings (the route or tool is
still generated and answers 501); ``--strict`` turns them into errors.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from .diagnostics import Collector

DocPath = tuple[str | int, ...]

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}|\{([^{}/]+)\}")
"""``{{name}}`` (engine form) or ``{name}`` (OpenAPI form) in a path."""


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def text(value: Any) -> str | None:
    """A scalar as text (numbers too), or None for anything else."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def consumed_operation_name(operation: dict[str, Any]) -> str | None:
    """A consumed operation's name; the public dialect's `id` stands in when `name` is absent."""
    return text(operation.get("name")) or text(operation.get("id"))


def path_placeholders(path: str) -> list[str]:
    """Names of the placeholders in a path, in order."""
    return [(m.group(1) or m.group(2)).strip() for m in PLACEHOLDER.finditer(path)]


@dataclass(frozen=True, slots=True)
class OperationRef:
    """Where a consumed operation stands in the document."""

    namespace: str
    name: str
    consumes_index: int
    resource_index: int
    operation_index: int
    resource_name: str = ""
    resource_path: str = ""
    param_names: frozenset[str] = frozenset()

    @property
    def doc_path(self) -> DocPath:
        return ("capability", "consumes", self.consumes_index, "resources", self.resource_index, "operations", self.operation_index)


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome of resolving one `call`."""

    target: OperationRef | None
    problem: str | None = None
    hint: str | None = None
    code: str | None = None
    note: str | None = None  # set when an ambiguous call was settled by evidence


class OperationIndex:
    """All consumed operations, by namespace and name."""

    def __init__(self, capability: dict[str, Any]) -> None:
        self.by_namespace: dict[str, list[OperationRef]] = {}
        self.by_name: dict[tuple[str, str], list[OperationRef]] = {}
        """The operations of each (namespace, name), in spec order: what a call resolves
        to without scanning its namespace."""
        for ci, consumes in enumerate(as_list(capability.get("consumes"))):
            consumes = as_dict(consumes)
            namespace = text(consumes.get("namespace"))
            if namespace is None:
                continue
            refs = self.by_namespace.setdefault(namespace, [])
            for ri, resource in enumerate(as_list(consumes.get("resources"))):
                resource = as_dict(resource)
                for oi, operation in enumerate(as_list(resource.get("operations"))):
                    operation = as_dict(operation)
                    name = consumed_operation_name(operation)
                    if name is None:
                        continue
                    params = as_list(resource.get("inputParameters")) + as_list(operation.get("inputParameters"))
                    param_names = {text(as_dict(p).get("name")) for p in params} - {None}
                    path = text(operation.get("path")) or text(resource.get("path")) or ""
                    param_names |= set(path_placeholders(path))
                    ref = OperationRef(
                        namespace, name, ci, ri, oi,
                        text(resource.get("name")) or "", path, frozenset(param_names),  # type: ignore[arg-type]
                    )
                    refs.append(ref)
                    self.by_name.setdefault((namespace, name), []).append(ref)

    def all_keys(self) -> list[str]:
        return [f"{ns}.{ref.name}" for ns, refs in self.by_namespace.items() for ref in refs]

    def resolve(self, call: Any, owner: dict[str, Any] | None = None, resource: dict[str, Any] | None = None) -> Resolution:
        """Resolve ``namespace.operation``; say what is wrong and suggest a fix otherwise.

        When several operations share the name, the evidence the author left
        settles it: the `with` keys, the exposed resource's name, or its path.
        """
        call_text = text(call)
        if call_text is None or call_text.count(".") < 1:
            return Resolution(
                None,
                f"call {call_text or call!r} is not of the form 'namespace.operation'",
                self._suggest(call_text or ""),
                "NG204",
            )
        namespace, _, name = call_text.partition(".")
        if namespace not in self.by_namespace:
            # a dotted operation name, or a three-part call
            for ns in self.by_namespace:
                if call_text.startswith(ns + "."):
                    namespace, name = ns, call_text[len(ns) + 1 :]
                    break
            else:
                known = ", ".join(sorted(self.by_namespace)) or "none"
                return Resolution(
                    None,
                    f"call {call_text!r} names unknown consumes namespace {namespace!r} (known: {known})",
                    self._suggest(call_text),
                    "NG202",
                )
        matches = list(self.by_name.get((namespace, name), ()))
        if not matches:
            return Resolution(
                None,
                f"call {call_text!r}: namespace {namespace!r} has no operation {name!r}",
                self._suggest(call_text),
                "NG202",
            )
        if len(matches) > 1:
            settled = _settle(matches, as_dict(owner), as_dict(resource))
            if settled is not None:
                target, evidence = settled
                return Resolution(
                    target,
                    note=(
                        f"call {call_text!r} is ambiguous ({len(matches)} operations are named {name!r}); "
                        f"resolved to the one in resource {target.resource_name or target.resource_path!r} by {evidence}"
                    ),
                    hint="give each consumed operation a unique name within its namespace",
                    code="NG207",
                )
            where = ", ".join(f"resource #{m.resource_index + 1}" for m in matches)
            return Resolution(
                None,
                f"call {call_text!r} is ambiguous: {len(matches)} operations are named {name!r} ({where})",
                "give each consumed operation a unique name within its namespace",
                "NG203",
            )
        return Resolution(matches[0])

    def _suggest(self, call_text: str) -> str | None:
        close = difflib.get_close_matches(call_text, self.all_keys(), n=1, cutoff=0.6)
        return f"did you mean {close[0]!r}?" if close else None


def _settle(matches: list[OperationRef], owner: dict[str, Any], resource: dict[str, Any]) -> tuple[OperationRef, str] | None:
    """Pick one of several same-named operations from unambiguous evidence, if any."""
    with_keys = {str(k) for k in as_dict(owner.get("with"))}
    if with_keys:
        fitting = [m for m in matches if with_keys <= m.param_names]
        if len(fitting) == 1:
            return fitting[0], "its `with` keys"
    name = text(resource.get("name"))
    if name:
        same = [m for m in matches if m.resource_name == name]
        if len(same) == 1:
            return same[0], "the exposed resource name"
    path = text(resource.get("path"))
    if path:
        ending = [m for m in matches if m.resource_path and path.rstrip("/").endswith(m.resource_path.rstrip("/"))]
        if len(ending) == 1:
            return ending[0], "the exposed path"
    return None


def check(data: dict[str, Any], out: Collector) -> OperationIndex:
    """Run every semantic rule, reporting into ``out``; returns the operation index."""
    capability = as_dict(data.get("capability"))
    index = OperationIndex(capability)
    _check_unique_namespaces(capability, out)
    for ei, exposes in enumerate(as_list(capability.get("exposes"))):
        exposes = as_dict(exposes)
        base: DocPath = ("capability", "exposes", ei)
        if exposes.get("type") == "rest":
            _check_rest(exposes, base, index, out)
        elif exposes.get("type") == "mcp":
            _check_mcp(exposes, base, index, out)
    return index


def _check_unique_namespaces(capability: dict[str, Any], out: Collector) -> None:
    for section in ("consumes", "exposes"):
        seen: dict[str, int] = {}
        for i, entry in enumerate(as_list(capability.get(section))):
            namespace = text(as_dict(entry).get("namespace"))
            if namespace is None:
                continue
            if namespace in seen:
                out.warning(
                    "NG201",
                    f"{section} namespace {namespace!r} is used twice (first at {section}[{seen[namespace]}])",
                    ("capability", section, i, "namespace"),
                    "calls resolve to the first entry with that namespace; rename one of them",
                )
            else:
                seen[namespace] = i


def _check_call(owner: dict[str, Any], path: DocPath, index: OperationIndex, out: Collector, resource: dict[str, Any] | None = None) -> None:
    if "call" not in owner:
        return
    resolution = index.resolve(owner.get("call"), owner, resource)
    if resolution.note:
        out.warning(resolution.code or "NG207", resolution.note, path + ("call",), resolution.hint)
    if resolution.problem:
        out.warning(
            resolution.code or "NG202",
            f"{resolution.problem}; it will answer 501 Not Implemented",
            path + ("call",),
            resolution.hint,
        )


def _check_rest(exposes: dict[str, Any], base: DocPath, index: OperationIndex, out: Collector) -> None:
    seen: dict[tuple[str, str], DocPath] = {}
    for ri, resource in enumerate(as_list(exposes.get("resources"))):
        resource = as_dict(resource)
        rpath = text(resource.get("path")) or ""
        for oi, operation in enumerate(as_list(resource.get("operations"))):
            operation = as_dict(operation)
            where = base + ("resources", ri, "operations", oi)
            method = (text(operation.get("method")) or "GET").upper()
            key = (method, _normalize_route(rpath))
            if key in seen:
                first = seen[key]
                out.warning(
                    "NG205",
                    f"REST route {method} {rpath} is declared twice (first at {_short(out.locate.source_path(first) if out.locate else first)}); the second is skipped",
                    where,
                    "merge the two operations or give them different paths",
                )
            else:
                seen[key] = where
            _check_call(operation, where, index, out, resource)


def _check_mcp(exposes: dict[str, Any], base: DocPath, index: OperationIndex, out: Collector) -> None:
    seen: dict[str, DocPath] = {}
    for ti, tool in enumerate(as_list(exposes.get("tools"))):
        tool = as_dict(tool)
        where = base + ("tools", ti)
        name = text(tool.get("name"))
        if name is not None:
            if name in seen:
                line, col = out.locate(seen[name] + ("name",)) if out.locate else (0, 0)
                out.warning(
                    "NG210",
                    f"MCP tool name {name!r} is used twice (first at line {line}, column {col}); the last tool of that name answers calls, as on the Naftiko engine, and the others are not generated",
                    where + ("name",),
                    "MCP clients call tools by name; give each tool a unique name",
                )
            else:
                seen[name] = where
        _check_call(tool, where, index, out)


def _normalize_route(path: str) -> str:
    return PLACEHOLDER.sub("{}", path)


def _short(path: DocPath) -> str:
    from .diagnostics import json_pointer

    return json_pointer(path)
