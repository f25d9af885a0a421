"""What changes from Naftiko alpha2 to Ikanos 1.0.0-beta5, as a walk over the document.

The walk knows the shape of a spec, so it renames ``label`` only where it is an entity's
label (never a property or ``with`` key that happens to be called ``label``) and turns
into maps exactly the lists the new syntax keys by name. Lists that stay lists:
``consumes``, ``exposes``, ``aggregates``, ``binds``, ``mappings``, multipart parts, the
mapped ``outputParameters`` of a ``call`` tool or operation, and a lookup step's
``outputParameters``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .ops import DropKey, Entry, Keyed, Op, Path_, Problem, RenameKey, SetValue

OLD_ROOT, NEW_ROOT = "naftiko", "ikanos"
# Makes up the key of an entry without a name: (entry, index, keys taken so far) -> key.
Invent = Callable[[MappingNode, int, dict[str, Node]], str]
OLD_VERSION, NEW_VERSION = "1.0.0-alpha2", "1.0.0-beta5"


def _pair(node: Node, key: str) -> tuple[ScalarNode, Node] | None:
    if isinstance(node, MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return key_node, value
    return None


def _has(node: Node, key: str) -> bool:
    return _pair(node, key) is not None


def _at(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _kebab(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower()


class Walk:
    """One document's changes (``ops``, in document order) and ``problems``."""

    def __init__(self) -> None:
        self.ops: list[Op] = []
        self.problems: list[Problem] = []

    # --- helpers -------------------------------------------------------------------
    def rename(self, node: Node, path: Path_, old: str, new: str) -> None:
        found = _pair(node, old)
        if found is None:
            return
        if _has(node, new):
            line, col = _at(found[0])
            self.problems.append(
                Problem(
                    "NG602",
                    f"both '{old}' and '{new}' are given",
                    line,
                    col,
                    f"keep one: '{old}' becomes '{new}'",
                    path=path + (old,),
                )
            )
            return
        self.ops.append(RenameKey(path, old, new, found[0]))

    def keyed(
        self, node: Node, path: Path_, key: str, what: str, invent: Invent | None = None
    ) -> list[tuple[MappingNode, Path_]]:
        """Turn ``node[key]`` into a map keyed by name; the (item, path) pairs to walk."""
        found = _pair(node, key)
        if found is None or not isinstance(found[1], SequenceNode):
            return []
        key_node, seq = found
        entries: list[Entry] = []
        seen: dict[str, Node] = {}
        ok = True
        for index, item in enumerate(seq.value):
            line, col = _at(item)
            if not isinstance(item, MappingNode):
                self.problems.append(
                    Problem(
                        "NG602",
                        f"{what} entry is not a mapping, so it cannot be keyed by name",
                        line,
                        col,
                        "write each entry as a mapping with a 'name'",
                        path=path + (key, index),
                    )
                )
                ok = False
                continue
            name = _pair(item, "name")
            if name is not None and _is_name(name[1]):
                entry_key, name_key, name_value = name[1].value, name[0], name[1]
            elif name is None and invent is not None:
                entry_key, name_key, name_value = invent(item, index, seen), None, None
                self.problems.append(
                    Problem(
                        "NG604",
                        f"{what} has no name; keyed '{entry_key}'",
                        line,
                        col,
                        "the key is its name from now on (a REST operation's OpenAPI summary "
                        "shows it); give it a name in the spec to choose another",
                        error=False,
                        path=path + (key, index),
                    )
                )
            else:
                self.problems.append(
                    Problem(
                        "NG602",
                        f"{what} entry has no name, so it cannot be keyed by name",
                        line,
                        col,
                        "add a 'name' to the entry",
                        path=path + (key, index),
                    )
                )
                ok = False
                continue
            if entry_key in seen:
                first_line, _ = _at(seen[entry_key])
                self.problems.append(
                    Problem(
                        "NG601",
                        f"two {what} entries are named '{entry_key}' (lines {first_line} and "
                        f"{line}); a map cannot hold both",
                        line,
                        col,
                        "rename or remove one of them, then migrate again",
                        path=path + (key, index),
                    )
                )
                ok = False
                continue
            seen[entry_key] = item
            entries.append(Entry(entry_key, item, name_key, name_value))
        if ok:
            self.ops.append(Keyed(path + (key,), seq, key_node, tuple(entries)))
        return [
            (item, path + (key, index))
            for index, item in enumerate(seq.value)
            if isinstance(item, MappingNode)
        ]

    def items(self, node: Node, path: Path_, key: str) -> list[tuple[Node, Path_]]:
        found = _pair(node, key)
        if found is None or not isinstance(found[1], SequenceNode):
            return []
        return [
            (item, path + (key, i))
            for i, item in enumerate(found[1].value)
            if isinstance(item, MappingNode)
        ]

    def child(self, node: Node, path: Path_, key: str) -> tuple[Node, Path_] | None:
        found = _pair(node, key)
        return (found[1], path + (key,)) if found and isinstance(found[1], MappingNode) else None

    # --- the document ----------------------------------------------------------------
    def root(self, node: MappingNode) -> None:
        key_node, value = _pair(node, OLD_ROOT)  # type: ignore[misc]
        self.ops.append(RenameKey((), OLD_ROOT, NEW_ROOT, key_node))
        self.ops.append(SetValue((), OLD_ROOT, NEW_VERSION, value))  # type: ignore[arg-type]
        info = self.child(node, (), "info")
        if info:
            self.rename(*info, "label", "display")
        self.consumes(node, ())
        capability = self.child(node, (), "capability")
        if capability:
            cap, path = capability
            self.consumes(cap, path)
            for item, item_path in self.items(cap, path, "exposes"):
                self.exposes(item, item_path)
            for item, item_path in self.items(cap, path, "aggregates"):
                self.aggregate(item, item_path)

    def consumes(self, node: Node, path: Path_) -> None:
        for item, item_path in self.items(node, path, "consumes"):
            if _has(item, "import"):
                self.rename(item, item_path, "location", "from")
                continue
            for _ in self.keyed(item, item_path, "inputParameters", "input parameter"):
                pass
            for resource, res_path in self.keyed(item, item_path, "resources", "resource"):
                self.rename(resource, res_path, "label", "display")
                self.keyed(resource, res_path, "inputParameters", "input parameter")
                for op, op_path in self.keyed(resource, res_path, "operations", "operation"):
                    self.rename(op, op_path, "label", "display")
                    self.keyed(op, op_path, "inputParameters", "input parameter")
                    self.keyed(op, op_path, "outputParameters", "output parameter")

    def exposes(self, node: Node, path: Path_) -> None:
        kind = _pair(node, "type")
        kind_name = kind[1].value if kind and isinstance(kind[1], ScalarNode) else None
        if kind_name == "rest":
            for res, res_path in self.keyed(
                node, path, "resources", "REST resource", _resource_key
            ):
                self.rename(res, res_path, "label", "display")
                self.keyed(res, res_path, "inputParameters", "input parameter")
                for op, op_path in self.keyed(
                    res, res_path, "operations", "REST operation", _operation_key(res)
                ):
                    self.callable(op, op_path)
        elif kind_name == "mcp":
            for tool, tool_path in self.keyed(node, path, "tools", "tool"):
                self.callable(tool, tool_path)
            for res, res_path in self.keyed(node, path, "resources", "MCP resource"):
                self.callable(res, res_path)
            for prompt, prompt_path in self.keyed(node, path, "prompts", "prompt"):
                self.rename(prompt, prompt_path, "label", "display")
                for arg, arg_path in self.keyed(
                    prompt, prompt_path, "arguments", "prompt argument"
                ):
                    self.rename(arg, arg_path, "label", "display")
        elif kind_name == "skill":
            for skill, skill_path in self.keyed(node, path, "skills", "skill"):
                self.keyed(skill, skill_path, "tools", "skill tool")

    def aggregate(self, node: Node, path: Path_) -> None:
        self.rename(node, path, "label", "display")
        if _has(node, "flows"):
            return
        self.rename(node, path, "functions", "flows")
        for flow, flow_path in self.keyed(node, path, "functions", "aggregate function"):
            self.callable(flow, flow_path)

    def callable(self, node: Node, path: Path_) -> None:
        """A tool, REST operation, MCP resource or aggregate function."""
        self.rename(node, path, "label", "display")
        self.keyed(node, path, "inputParameters", "input parameter")
        self.keyed(node, path, "steps", "step")
        for mapping, mapping_path in self.items(node, path, "mappings"):
            self.rename(mapping, mapping_path, "targetName", "target")
        if _has(node, "call") or _has(node, "ref"):
            return  # mapped outputs: they stay a list
        self.named_outputs(node, path, "outputParameters")

    def named_outputs(self, node: Node, path: Path_, key: str) -> None:
        """Orchestrated or mock outputs: a map when every entry has a name."""
        found = _pair(node, key)
        if found is None or not isinstance(found[1], SequenceNode):
            return
        if not all(isinstance(p, MappingNode) and _has(p, "name") for p in found[1].value):
            line, col = _at(found[1])
            self.problems.append(
                Problem(
                    "NG605",
                    "output parameters without names are left as a list",
                    line,
                    col,
                    "name every entry to have them keyed",
                    error=False,
                    path=path + (key,),
                )
            )
            return
        for param, param_path in self.keyed(node, path, key, "output parameter"):
            self.output(param, param_path)

    def output(self, node: Node, path: Path_) -> None:
        items = _pair(node, "items")
        if items and isinstance(items[1], SequenceNode):
            self.named_outputs(node, path, "items")
        elif items and isinstance(items[1], MappingNode):
            self.output(items[1], path + ("items",))
        properties = self.child(node, path, "properties")
        if properties:
            props, props_path = properties
            for key_node, value in props.value:
                if isinstance(value, MappingNode):
                    self.drop_repeated_name(value, props_path + (key_node.value,), key_node)
                    self.output(value, props_path + (key_node.value,))

    def drop_repeated_name(self, node: MappingNode, path: Path_, key: ScalarNode) -> None:
        """A property's ``name`` equal to its key says nothing: the new syntax has none."""
        name = _pair(node, "name")
        if name and isinstance(name[1], ScalarNode) and name[1].value == key.value:
            self.ops.append(DropKey(path, "name", node, name[0], name[1]))


def _is_name(node: Node) -> bool:
    if not isinstance(node, ScalarNode) or node.value == "":
        return False
    return node.style is not None or node.value not in ("null", "Null", "NULL", "~")


def _resource_key(item: MappingNode, index: int, seen: dict[str, Node]) -> str:
    path = _pair(item, "path")
    text = path[1].value if path and isinstance(path[1], ScalarNode) else ""
    return _unique(_kebab(text.replace("{", "").replace("}", "")) or "root", seen)


def _operation_key(resource: MappingNode) -> Invent:
    def invent(item: MappingNode, index: int, seen: dict[str, Node]) -> str:
        method = _pair(item, "method")
        verb = method[1].value if method and isinstance(method[1], ScalarNode) else "op"
        owner = _pair(resource, "name")
        base = owner[1].value if owner and isinstance(owner[1], ScalarNode) else None
        if base is None:
            base = _resource_key(resource, 0, {})
        # resource first, as naftiko-gen names an unnamed operation: same operationId
        return _unique(_kebab(f"{base}-{verb}"), seen)

    return invent


def _unique(base: str, seen: dict[str, Node]) -> str:
    key, n = base, 2
    while key in seen:
        key, n = f"{base}-{n}", n + 1
    return key
