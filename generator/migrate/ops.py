"""The changes a migration makes, as values, and the problems that stop one."""

from __future__ import annotations

from dataclasses import dataclass, field

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class RenameKey:
    """Rename the key ``old`` of the mapping at ``path`` to ``new``."""

    path: Path_
    old: str
    new: str
    key_node: ScalarNode


@dataclass(frozen=True, slots=True)
class SetValue:
    """Replace the scalar value of ``key`` in the mapping at ``path``."""

    path: Path_
    key: str
    value: str
    value_node: ScalarNode


@dataclass(frozen=True, slots=True)
class DropKey:
    """Remove the pair ``key`` (which only repeats what the map key says) at ``path``."""

    path: Path_
    key: str
    mapping: MappingNode
    key_node: ScalarNode
    value_node: ScalarNode


@dataclass(frozen=True, slots=True)
class Entry:
    """One list entry becoming a map entry: its key, and the ``name`` pair it drops."""

    key: str
    item: MappingNode
    name_key: ScalarNode | None  # None: the key was made up (the entry had no name)
    name_value: ScalarNode | None


@dataclass(frozen=True, slots=True)
class Keyed:
    """Turn the list at ``path`` (a value of the mapping key ``parent_key``) into a map."""

    path: Path_
    seq: SequenceNode
    parent_key: Node
    entries: tuple[Entry, ...]


Op = RenameKey | SetValue | DropKey | Keyed


@dataclass(frozen=True, slots=True)
class Problem:
    """Why (part of) a file cannot be migrated, or what the reader should know."""

    code: str
    message: str
    line: int  # 1-based
    col: int
    hint: str | None = None
    error: bool = True
    path: Path_ = field(default=())


class Refused(Exception):
    """A construct the text editor cannot rewrite in place (0-based position)."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


def refuse(node: Node, message: str) -> Refused:
    """A refusal located at ``node``."""
    return Refused(message, node.start_mark.line, node.start_mark.column)
