"""A fast reader for the block-style YAML that specs are written in.

PyYAML, even with its C parser, builds every node through Python callbacks, and a large
spec spends most of its generation time there. Real specs use a small, regular part of
YAML 1.1: block mappings and sequences, one-line plain and quoted scalars, literal and
folded block scalars, and one-line flow sequences. ``read`` reads exactly that part, line
by line, into the data and node positions the loader's PyYAML path gives, and returns
None on anything else (anchors, tags, multi-line flow or quoted scalars, tabs, errors of
any kind): the loader then takes the PyYAML path, which also reports every error.
tests/unit/test_blockyaml.py holds the two paths equal over every YAML file at hand.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .yaml_lines import NO_PLAIN_START, GiveUp, Unclosed, flow_scalar, is_entry, plain_starts, quoted, rest_is_blank, skip_spaces, split_entry
from .yaml_scalars import MergeKey, key_text, plain_value

Path_ = tuple[str | int, ...]
Position = tuple[int, int]

MAX_DEPTH = 100
"""Deeper documents go to the PyYAML path, which knows the loader's depth limit."""
MAX_NODES = 400_000
"""Larger documents go to the PyYAML path, which knows the loader's size limit."""

_UNSUPPORTED_ASCII = re.compile("[^\n\x20-\x7e]")
"""Tabs, carriage returns left after CRLF and control characters: the PyYAML path reads
(or rejects) text with them."""

_UNSUPPORTED_TEXT: re.Pattern[str] | None = None


def _unsupported_text() -> re.Pattern[str]:
    """As _UNSUPPORTED_ASCII, for text beyond ASCII: YAML's other line breaks and the
    characters YAML refuses too (compiled on first use: the class takes a while)."""
    global _UNSUPPORTED_TEXT
    if _UNSUPPORTED_TEXT is None:
        _UNSUPPORTED_TEXT = re.compile(
            "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
        )
    return _UNSUPPORTED_TEXT


_DOCUMENT_MARKER = re.compile(r"^(?:---|\.\.\.)(?: |$)", re.MULTILINE)


class _Reader:
    """One pass over the lines; ``line``/``indent``/``content`` is the current content line."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.end = end = len(lines)
        self.bodies = bodies = [line.lstrip(" ") for line in lines]
        """Each line without its indentation."""
        self.indents = [len(line) - len(body) for line, body in zip(lines, bodies)] + [-1]
        """Each line's indentation; -1 past the last line."""
        self.following = following = [end] * (end + 1)
        """For each line, the first line at or after it that is not blank or a comment."""
        content_line = end
        for index in range(end - 1, -1, -1):
            body = bodies[index]
            if body and body[0] != "#":
                content_line = index
            following[index] = content_line
        bodies.append("")
        self.positions: dict[Path_, Position] = {}
        self.key_positions: dict[Path_, Position] = {}
        self.nodes = 0
        self.line = 0
        self.indent = -1
        self.content = ""

    def advance(self, start: int) -> None:
        """Move to the first line at or after ``start`` that is not blank or a comment."""
        index = self.following[start]
        self.line, self.indent, self.content = index, self.indents[index], self.bodies[index]

    def node(self, path: Path_, depth: int) -> Any:
        """The block collection that starts at the current line."""
        if depth > MAX_DEPTH:
            raise GiveUp
        content = self.content
        if content[0] == "-" and (len(content) == 1 or content[1] == " "):
            return self.sequence(self.indent, path, depth)
        if split_entry(content) is None:
            raise GiveUp  # a scalar on a line of its own
        return self.mapping(self.indent, path, depth)

    def mapping(self, indent: int, path: Path_, depth: int) -> dict[str, Any]:
        positions, key_positions = self.positions, self.key_positions
        positions[path] = (self.line + 1, indent + 1)
        result: dict[str, Any] = {}
        while self.indent == indent:
            content, line = self.content, self.line
            if content[0] == "-" and (len(content) == 1 or content[1] == " "):
                raise GiveUp  # a sequence entry where a key belongs
            entry = split_entry(content)
            if entry is None:
                raise GiveUp
            key, colon = entry
            child = path + (key,)
            if key in result:
                raise GiveUp  # the PyYAML path reports the duplicate
            key_positions[child] = (line + 1, indent + 1)
            self.nodes += 1
            rest = content[colon + 1 :].lstrip(" ")
            if rest and rest[0] != "#":
                column = indent + len(content) - len(rest)
                following = self.following[line + 1]
                if (
                    rest[0] not in NO_PLAIN_START
                    and self.indents[following] <= indent
                    and " #" not in rest
                    and ": " not in rest
                    and rest[-1] != ":"
                ):  # the common case, a one-line plain scalar: ``type: string``
                    positions[child] = (line + 1, column + 1)
                    result[key] = plain_value(rest.rstrip(" "))
                    self.line, self.indent, self.content = following, self.indents[following], self.bodies[following]
                    continue
                result[key] = self.inline(rest, column, child, indent, depth)
                continue
            self.advance(line + 1)
            if self.indent > indent:
                result[key] = self.node(child, depth + 1)
            elif self.indent == indent and self.content[0] == "-" and (
                len(self.content) == 1 or self.content[1] == " "
            ):
                result[key] = self.sequence(indent, child, depth + 1)
            else:
                positions[child] = (line + 1, indent + colon + 2)
                result[key] = None
        if self.indent > indent:
            raise GiveUp
        return result

    def sequence(self, indent: int, path: Path_, depth: int) -> list[Any]:
        positions = self.positions
        positions[path] = (self.line + 1, indent + 1)
        items: list[Any] = []
        while self.indent == indent:
            content, line = self.content, self.line
            if content[0] != "-" or (len(content) > 1 and content[1] != " "):
                break
            child = path + (len(items),)
            self.nodes += 1
            rest = content[1:].lstrip(" ")
            column = indent + len(content) - len(rest)
            if not rest or rest[0] == "#":
                self.advance(line + 1)
                if self.indent > indent:
                    items.append(self.node(child, depth + 1))
                else:
                    positions[child] = (line + 1, indent + 2)
                    items.append(None)
            elif rest[0] == "-" and (len(rest) == 1 or rest[1] == " "):
                raise GiveUp  # a sequence in a sequence on one line
            elif is_entry(rest):
                self.indent, self.content = column, rest
                items.append(self.mapping(column, child, depth + 1))
            else:
                items.append(self.inline(rest, column, child, indent, depth))
        if self.indent > indent:
            raise GiveUp
        return items

    def inline(self, text: str, column: int, path: Path_, owner: int, depth: int) -> Any:
        """The value written on the current line at ``column``; moves past it."""
        line = self.line
        self.positions[path] = (line + 1, column + 1)
        first = text[0]
        if first == "|" or first == ">":
            return self.block_scalar(text, owner)
        next_line = line + 1
        if first == '"' or first == "'":
            try:
                result, end = quoted(text, 0)
                tail = text[end:]
            except Unclosed:
                result, tail, next_line = self.quoted_lines(text, owner)
            if not rest_is_blank(tail, 0):
                raise GiveUp
        elif first == "[" or first == "{":
            result = self.flow(text, column, path)
        elif not plain_starts(text):
            raise GiveUp
        else:
            result, next_line = self.plain(text, owner)
        self.advance(next_line)
        if self.indent > owner:
            raise GiveUp  # more text, deeper than a value may go on
        return result

    def plain(self, text: str, owner: int) -> tuple[Any, int]:
        """A plain scalar starting in ``text``, folded over the deeper lines that follow;
        its value and the index of the line after it."""
        comment = text.find(" #")
        piece = (text if comment < 0 else text[:comment]).rstrip(" ")
        if ": " in piece or piece.endswith(":"):
            raise GiveUp
        if self.indents[self.following[self.line + 1]] <= owner:
            return plain_value(piece), self.line + 1  # nothing deeper follows
        bodies, indents, index, breaks = self.bodies, self.indents, self.line + 1, 0
        pieces = [piece]
        while comment < 0 and index < self.end:
            body = bodies[index]
            if not body:
                breaks += 1
                index += 1
                continue
            if indents[index] <= owner or body[0] == "#":
                break  # the scalar ends before a shallower line or a comment
            comment = body.find(" #")
            more = (body if comment < 0 else body[:comment]).rstrip(" ")
            if ": " in more or more.endswith(":"):
                raise GiveUp
            pieces += ["\n" * breaks if breaks else " ", more]
            breaks = 0
            index += 1
        return plain_value("".join(pieces)), index

    def quoted_lines(self, text: str, owner: int) -> tuple[str, str, int]:
        """A quoted scalar that goes on over the following lines: its value, the rest of
        the line it ends on, and the index of the next line."""
        lines, line = self.lines, self.line
        following = lines[line + 1 : line + 200]
        for number, more in enumerate(following):
            body = more.lstrip(" ")
            if body and len(more) - len(body) <= owner:
                following = following[:number]  # a quoted scalar keeps deeper than its key
                break
        joined = "\n".join([text, *following])
        value, end = quoted(joined, 0)
        ends_on = joined.count("\n", 0, end)
        line_end = joined.find("\n", end)
        rest_of_line = joined[end:] if line_end < 0 else joined[end:line_end]
        return value, rest_of_line, line + ends_on + 1

    def flow(self, text: str, column: int, path: Path_) -> Any:
        """A flow collection on one line: ``[a, 'b']``, ``{a: 1, b: [c]}``."""
        value, end = self.flow_node(text, 0, column, path, 0)
        if not rest_is_blank(text, end):
            raise GiveUp
        return value

    def flow_node(self, text: str, at: int, column: int, path: Path_, depth: int) -> tuple[Any, int]:
        """The flow collection or scalar at ``text[at]`` and the index just past it."""
        if text.startswith("[", at) or text.startswith("{", at):
            if depth > MAX_DEPTH:
                raise GiveUp
            return self.flow_collection(text, at, column, path, depth + 1)
        return flow_scalar(text, at)

    def flow_collection(self, text: str, at: int, column: int, path: Path_, depth: int) -> tuple[Any, int]:
        mapping = text[at] == "{"
        closing = "}" if mapping else "]"
        where = self.line + 1
        items: list[Any] = []
        entries: dict[str, Any] = {}
        at = skip_spaces(text, at + 1)
        while not (text.startswith(closing, at) and not items and not entries):
            start = at
            if mapping:
                value, at = flow_scalar(text, at)
                key = key_text(value)
                if not text.startswith(": ", at) or key in entries:
                    raise GiveUp
                self.key_positions[path + (key,)] = (where, column + start + 1)
                at = skip_spaces(text, at + 2)
                self.positions[path + (key,)] = (where, column + at + 1)
                entries[key], at = self.flow_node(text, at, column, path + (key,), depth)
            else:
                self.positions[path + (len(items),)] = (where, column + start + 1)
                value, at = self.flow_node(text, at, column, path + (len(items),), depth)
                items.append(value)
            self.nodes += 1
            at = skip_spaces(text, at)
            if text.startswith(closing, at):
                break
            if not text.startswith(",", at):
                raise GiveUp
            at = skip_spaces(text, at + 1)
            if text.startswith(closing, at):
                raise GiveUp  # a trailing comma
        return (entries if mapping else items), at + 1

    def block_scalar(self, header: str, owner: int) -> str:
        """A literal (``|``) or folded (``>``) scalar whose header is on the current line."""
        folded = header[0] == ">"
        at = 1
        chomping = header[at : at + 1]
        if chomping in ("+", "-"):
            at += 1
        else:
            chomping = ""
        if not rest_is_blank(header, at) or (at < len(header) and header[at] != " "):
            raise GiveUp  # an indentation indicator, or text after the header
        lines, end = self.lines, self.end
        index, leading = self.line + 1, 0
        while index < end and not lines[index].strip(" "):
            leading += 1
            index += 1
        if index >= end:
            raise GiveUp
        first = lines[index]
        indent = len(first) - len(first.lstrip(" "))
        if indent <= max(owner, 0) or any(len(lines[i]) > indent for i in range(index - leading, index)):
            raise GiveUp  # an empty scalar, or leading blank lines wider than its text
        texts: list[str] = []
        breaks_after: list[int] = []
        last_text = index
        while index < end:
            line = lines[index]
            if line.strip(" "):
                if len(line) - len(line.lstrip(" ")) < indent:
                    break
            elif len(line) <= indent:
                if index == end - 1:
                    break  # the empty rest after the last line break
                breaks_after[-1] += 1
                index += 1
                continue
            texts.append(line[indent:])
            breaks_after.append(0)
            last_text = index
            index += 1
        last_break = "\n" if last_text < end - 1 else ""  # no line break ends the file
        chunks = ["\n"] * leading
        for number, text in enumerate(texts):
            chunks.append(text)
            if number + 1 == len(texts):
                break
            breaks = breaks_after[number]
            following = texts[number + 1]
            if folded and text[0] != " " and following[0] != " ":
                chunks.append("\n" * breaks if breaks else " ")
            else:
                chunks.append("\n" + "\n" * breaks)
        if chomping != "-":
            chunks.append(last_break)
        if chomping == "+":
            chunks.append("\n" * breaks_after[-1])
        self.advance(index)
        return "".join(chunks)


def read(text: str) -> tuple[Any, dict[Path_, Position], dict[Path_, Position]] | None:
    """The data, node positions and key positions of ``text``, or None when the PyYAML
    path must read it."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if (_UNSUPPORTED_ASCII if text.isascii() else _unsupported_text()).search(text):
        return None
    reader = _Reader(text.split("\n"))
    reader.advance(0)
    if reader.content.startswith("---"):
        if not rest_is_blank(reader.content, 3) or reader.content[3:4] not in ("", " "):
            return None
        reader.advance(reader.line + 1)
    if reader.line >= reader.end or reader.content[0] == "%":
        return None
    if _DOCUMENT_MARKER.search(text, sum(len(line) + 1 for line in reader.lines[: reader.line])):
        return None  # a document ends, or another one starts
    try:
        data = reader.node((), 0)
    except (GiveUp, MergeKey, RecursionError, ValueError, yaml.YAMLError):
        return None
    if reader.line < reader.end or reader.nodes > MAX_NODES:
        return None  # a second document, a stray line, or too large a document
    return data, reader.positions, reader.key_positions
