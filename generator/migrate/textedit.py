"""Apply a migration's changes to the source text, touching only what changes.

Edits are collected per line (column ranges to replace, lines to drop, lines to insert,
and an indentation shift) and applied in one pass. Everything else, comments and blank
lines included, is copied through unchanged.
"""

from __future__ import annotations

import re

import yaml
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .ops import DropKey, Entry, Keyed, Op, Refused, RenameKey, SetValue, refuse

_NOT_STR_TAGS = re.compile(r"tag:yaml.org,2002:(bool|int|float|null|timestamp)")


def _last_line(node: Node) -> int:
    """The last line holding part of ``node`` (0-based)."""
    if isinstance(node, MappingNode) and not node.flow_style and node.value:
        return _last_line(node.value[-1][1])
    if isinstance(node, SequenceNode) and not node.flow_style and node.value:
        return _last_line(node.value[-1])
    end = node.end_mark
    return end.line if end.column > 0 or end.line == node.start_mark.line else end.line - 1


class Editor:
    """The source text and the edits pending on it."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)
        self.replace: dict[int, list[tuple[int, int, str]]] = {}
        self.shift = [0] * (len(self.lines) + 1)
        self.before: dict[int, list[str]] = {}
        self.dropped: set[int] = set()
        self.by_node: dict[int, Op] = {}
        self.consumed: set[int] = set()

    def plan(self, ops: list[Op]) -> None:
        """Index the changes by the node they touch, for rendering flow-style parts."""
        for op in ops:
            node = (
                op.seq
                if isinstance(op, Keyed)
                else (
                    op.mapping
                    if isinstance(op, DropKey)
                    else op.key_node if isinstance(op, RenameKey) else op.value_node
                )
            )
            self.by_node[id(node)] = op

    # --- primitives -----------------------------------------------------------------
    def token(self, node: Node) -> str:
        start, end = node.start_mark, node.end_mark
        if start.line != end.line:
            raise refuse(node, "a value spanning several lines cannot be a map key")
        return self.lines[start.line][start.column : end.column]

    def put(self, line: int, start: int, end: int, text: str) -> None:
        for old_start, old_end, _ in self.replace.get(line, []):
            if start < old_end and old_start < end:
                raise Refused("two changes overlap", line, start)
        self.replace.setdefault(line, []).append((start, end, text))

    def newline(self, line: int) -> str:
        source = self.lines[line] if line < len(self.lines) else "\n"
        return "\r\n" if source.endswith("\r\n") else "\n"

    # --- the changes ----------------------------------------------------------------
    def apply(self, op: Op) -> None:
        if id(op) in self.consumed:
            return
        if isinstance(op, RenameKey):
            self.rename(op.key_node, op.old, op.new)
        elif isinstance(op, SetValue):
            self.set_value(op.value_node, op.value)
        elif isinstance(op, DropKey):
            self.drop_key(op)
        else:
            self.keyed(op)

    def rename(self, key: ScalarNode, old: str, new: str) -> None:
        token = self.token(key)
        if token not in (old, f'"{old}"', f"'{old}'"):
            raise refuse(key, f"the key '{old}' is written in an unusual way")
        line, col = key.start_mark.line, key.start_mark.column
        self.put(line, col, key.end_mark.column, token.replace(old, new))

    def set_value(self, node: Node, value: str) -> None:
        if not isinstance(node, ScalarNode) or node.style not in (None, '"', "'"):
            raise refuse(node, "the version is not a one-line scalar")
        quote = node.style or ""
        self.token(node)
        self.put(
            node.start_mark.line,
            node.start_mark.column,
            node.end_mark.column,
            f"{quote}{value}{quote}",
        )

    def drop_key(self, op: DropKey) -> None:
        mapping = op.mapping
        if len(mapping.value) < 2:
            raise refuse(mapping, f"a mapping holding only '{op.key}'")
        if mapping.flow_style:
            line = mapping.start_mark.line
            self.put(line, mapping.start_mark.column, mapping.end_mark.column, self.render(mapping))
            return
        if self.drop_pair(op.key_node, op.value_node, op.key_node.start_mark.column):
            raise refuse(op.key_node, f"a comment on the '{op.key}' line would be lost")

    def key_text(self, entry: Entry) -> str:
        if entry.name_value is None:
            return entry.key
        token = self.token(entry.name_value)
        if entry.name_value.style is None:
            tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, entry.key, (True, False))
            if _NOT_STR_TAGS.fullmatch(tag) or token.startswith(("?", "-", "[", "{")):
                return '"' + entry.key.replace("\\", "\\\\").replace('"', '\\"') + '"'
        elif entry.name_value.style not in ('"', "'"):
            raise refuse(entry.name_value, "a block scalar cannot be a map key")
        return token

    def keyed(self, op: Keyed) -> None:
        seq = op.seq
        if seq.flow_style:
            self.flow_seq(op)
            return
        parent_col, dash_col = op.parent_key.start_mark.column, seq.start_mark.column
        key_col = dash_col if dash_col > parent_col else parent_col + 2
        for entry in op.entries:
            item = entry.item
            line = item.start_mark.line
            text = self.lines[line]
            if text[dash_col : dash_col + 1] != "-" or text[:dash_col].strip():
                raise refuse(item, "a list entry laid out in an unusual way")
            if item.flow_style:
                self.flow_item(entry, key_col)
                continue
            body_col = item.start_mark.column
            body_shift = max(0, key_col + 2 - body_col)
            last = _last_line(item)
            for shifted in range(line + 1, last + 1):
                self.shift[shifted] += body_shift
            key = self.key_text(entry)
            name_key, name_value = entry.name_key, entry.name_value
            alone = len(item.value) == 1 and name_key is not None
            if name_key is not None and name_key.start_mark.line == line:
                if name_value is None or name_value.end_mark.line != line:
                    raise refuse(item, "the name spans several lines")
                if name_key.start_mark.column != body_col:
                    raise refuse(item, "a list entry laid out in an unusual way")
                self.put(
                    line,
                    0,
                    name_value.end_mark.column,
                    " " * key_col + key + (": {}" if alone else ":"),
                )
                continue
            comment = ""
            if name_key is not None and name_value is not None:
                comment = self.drop_pair(name_key, name_value, body_col)
            self.before.setdefault(line, []).append(" " * key_col + key + ":" + comment)
            self.put(line, 0, body_col, " " * (body_col + body_shift))

    def drop_pair(self, key: Node, value: Node, body_col: int) -> str:
        """Remove a ``name: x`` line; its comment, if any, to keep on the new key line."""
        line = key.start_mark.line
        text = self.lines[line]
        rest = text[value.end_mark.column :].strip()
        if (
            value.end_mark.line != line
            or key.start_mark.column != body_col
            or text[:body_col].strip()
            or (rest and not rest.startswith("#"))
        ):
            raise refuse(key, "the name is not on a line of its own")
        self.dropped.add(line)
        return "  " + rest if rest else ""

    def flow_text(self, item: MappingNode, name_key: Node | None) -> str:
        """A flow mapping's text without the ``name_key`` pair, changes inside applied."""
        if item.start_mark.line != item.end_mark.line:
            raise refuse(item, "a flow-style entry spanning several lines")
        pairs = []
        for key, value in item.value:
            if key is name_key:
                continue
            rename = self.take(key)
            key_text = self.token(key)
            if isinstance(rename, RenameKey):
                key_text = key_text.replace(rename.old, rename.new)
            pairs.append(key_text + ": " + self.render(value))
        return "{" + ", ".join(pairs) + "}"

    def take(self, node: Node) -> Op | None:
        op = self.by_node.get(id(node))
        if op is not None:
            self.consumed.add(id(op))
        return op

    def render(self, node: Node) -> str:
        """A one-line flow node's text with the changes inside it applied."""
        op = self.take(node)
        if isinstance(node, ScalarNode):
            return self.token(node)
        if isinstance(node, MappingNode):
            drop = op.key_node if isinstance(op, DropKey) else None
            return self.flow_text(node, drop)
        if isinstance(op, Keyed):
            return (
                "{"
                + ", ".join(
                    self.key_text(e) + ": " + self.flow_text(e.item, e.name_key) for e in op.entries
                )
                + "}"
            )
        if node.start_mark.line != node.end_mark.line:
            raise refuse(node, "a flow-style list spanning several lines")
        return "[" + ", ".join(self.render(item) for item in node.value) + "]"

    def flow_item(self, entry: Entry, key_col: int) -> None:
        item = entry.item
        body = self.flow_text(item, entry.name_key)
        self.put(
            item.start_mark.line,
            0,
            item.end_mark.column,
            " " * key_col + self.key_text(entry) + ": " + body,
        )

    def flow_seq(self, op: Keyed) -> None:
        seq = op.seq
        if seq.start_mark.line != seq.end_mark.line:
            raise refuse(seq, "a flow-style list spanning several lines")
        for entry in op.entries:
            if not entry.item.flow_style:
                raise refuse(entry.item, "a list entry laid out in an unusual way")
        self.put(seq.start_mark.line, seq.start_mark.column, seq.end_mark.column, self.render(seq))

    # --- the result -----------------------------------------------------------------
    def text(self) -> str:
        out: list[str] = []
        for number, line in enumerate(self.lines):
            pad = " " * self.shift[number]
            for inserted in self.before.get(number, []):
                out.append(pad + inserted + self.newline(number))
            if number in self.dropped:
                continue
            for start, end, new in sorted(self.replace.get(number, []), reverse=True):
                line = line[:start] + new + line[end:]
            out.append(pad + line if line.strip() else line)
        return "".join(out)
