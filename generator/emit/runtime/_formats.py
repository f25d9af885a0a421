"""Upstream bodies in other formats (`outputRawFormat`) turned into JSON-like data.

xml: the root element dropped, attributes and children as fields, repeated
elements as arrays, every leaf a string. csv/tsv/psv: one object per row keyed by
the header row. html: ``{"tables": [[{header: cell}]]}`` for tables with ``<th>``
headers. markdown: ``{"frontMatter", "tables", "sections"}``. yaml: parsed (needs
PyYAML).
"""

from __future__ import annotations

import csv
import importlib
import io
import re
from html.parser import HTMLParser
from collections.abc import Iterable
from typing import Any, cast

from ._jsonpath import as_list
from xml.etree import ElementTree

DELIMITERS = {"csv": ",", "tsv": "\t", "psv": "|"}


class FormatError(ValueError):
    """The upstream body is not valid in its declared format."""


def convert(text: str, raw_format: str) -> Any:
    """The body as JSON-like data, read as ``raw_format``."""
    if raw_format == "xml":
        return from_xml(text)
    if raw_format in DELIMITERS:
        return from_delimited(text, DELIMITERS[raw_format])
    if raw_format == "yaml":
        return from_yaml(text)
    if raw_format == "html":
        return {"tables": html_tables(text)}
    if raw_format == "markdown":
        return from_markdown(text)
    raise FormatError(f"output format {raw_format!r} is not supported")


# --------------------------------------------------------------------------- xml


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _element(node: ElementTree.Element) -> Any:
    """An element: its text when it is a leaf, else an object of attributes and
    children."""
    children = list(node)
    if not children and not node.attrib:
        return node.text or ""
    fields: dict[str, Any] = {_local(k): v for k, v in node.attrib.items()}
    repeated = _repeated(node)
    for child in children:
        name, value = _local(child.tag), _element(child)
        if name in repeated:
            if not isinstance(fields.get(name), list):
                fields[name] = []
            fields[name].append(value)
        else:
            fields[name] = value
    text = (node.text or "").strip()
    if text:
        fields[""] = text
    return fields


def _repeated(node: ElementTree.Element) -> set[str]:
    counts: dict[str, int] = {}
    for child in node:
        counts[_local(child.tag)] = counts.get(_local(child.tag), 0) + 1
    return {name for name, n in counts.items() if n > 1}


def from_xml(text: str) -> Any:
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise FormatError(f"upstream XML is not well formed: {exc}") from None
    return _element(root)


# --------------------------------------------------------------------------- delimited
# text


def from_delimited(text: str, delimiter: str) -> list[dict[str, str]]:
    rows = [
        row
        for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        if any(cell.strip() for cell in row)
    ]
    if not rows:
        return []
    header = [name.strip() for name in rows[0]]
    return [
        {name: (row[i] if i < len(row) else "") for i, name in enumerate(header)}
        for row in rows[1:]
    ]


# --------------------------------------------------------------------------- yaml


MAX_YAML_VALUES = 200_000
"""A YAML answer expanding (aliases followed) to more values than this is refused: a few
hundred bytes of aliases of aliases would otherwise fill the memory."""


def _expanded(node: Any, sizes: dict[int, int], depth: int = 0) -> int:
    """How many values ``node`` stands for once every alias is followed (memoized)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    if depth > 500:
        raise FormatError("upstream YAML nests too deeply")
    sizes[id(node)] = MAX_YAML_VALUES + 1  # a cycle counts as too large
    total = 1
    children = as_list(node.value)
    if children is not None:
        for item in children:
            parts = (
                tuple(cast("Iterable[Any]", item))
                if isinstance(item, tuple)
                else (item,)
            )
            for part in parts:
                total += _expanded(part, sizes, depth + 1)
                if total > MAX_YAML_VALUES:
                    break
    sizes[id(node)] = total
    return total


def from_yaml(text: str) -> Any:
    # PyYAML is optional (only this format needs it), and so are its type stubs: it is
    # looked up by name, so that no type checker needs them for the package to check.
    try:
        yaml = importlib.import_module("yaml")
    except ImportError:  # pragma: no cover - depends on the installation
        raise FormatError("yaml output needs PyYAML (pip install pyyaml)") from None
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            if _expanded(node, {}) > MAX_YAML_VALUES:
                raise FormatError(
                    f"upstream YAML expands to more than {MAX_YAML_VALUES} values"
                )
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except RecursionError:
        raise FormatError("upstream YAML nests too deeply") from None
    except yaml.YAMLError as exc:
        raise FormatError(f"upstream YAML is not valid: {exc}") from None


# --------------------------------------------------------------------------- html


class _Tables(HTMLParser):
    """Collects every table as rows of (is_header, text) cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[bool, str]]]] = []
        self._stack: list[list[list[tuple[bool, str]]]] = []
        self._cell: list[str] | None = None
        self._header = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack:
            self._end_cell()
            if not self._stack[-1]:
                self._stack[-1].append([])
            self._cell, self._header = [], tag == "th"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th", "tr"):
            self._end_cell()
        elif tag == "table" and self._stack:
            self._end_cell()
            self.tables.append(self._stack.pop())

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _end_cell(self) -> None:
        if self._cell is not None and self._stack and self._stack[-1]:
            self._stack[-1][-1].append(
                (self._header, " ".join("".join(self._cell).split()))
            )
        self._cell = None


def html_tables(text: str) -> list[list[dict[str, str]]]:
    """Tables that have ``<th>`` headers, as lists of {header: cell} rows."""
    parser = _Tables()
    parser.feed(text)
    parser.close()
    found: list[list[dict[str, str]]] = []
    for rows in parser.tables:
        header_at = next(
            (i for i, row in enumerate(rows) if row and all(h for h, _ in row)), None
        )
        if header_at is None:
            continue
        names = [cell for _, cell in rows[header_at]]
        body = [row for row in rows[header_at + 1 :] if row]
        found.append(
            [
                {
                    name: (row[i][1] if i < len(row) else "")
                    for i, name in enumerate(names)
                }
                for row in body
            ]
        )
    return found


# --------------------------------------------------------------------------- markdown

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [cell.strip() for cell in line.split("|")]


def _front_matter(lines: list[str]) -> tuple[dict[str, Any], list[str]]:
    if not lines or lines[0].strip() != "---":
        return {}, lines
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            data = from_yaml("\n".join(lines[1:end]))
            mapping = cast("dict[str, Any]", data) if isinstance(data, dict) else {}
            return mapping, lines[end + 1 :]
    return {}, lines


def _md_tables(lines: list[str]) -> list[list[dict[str, str]]]:
    tables: list[list[dict[str, str]]] = []
    i = 0
    while i + 1 < len(lines):
        if "|" in lines[i] and _RULE.match(lines[i + 1]):
            names = _cells(lines[i])
            rows: list[dict[str, str]] = []
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                cells = _cells(lines[i])
                rows.append(
                    {
                        name: (cells[k] if k < len(cells) else "")
                        for k, name in enumerate(names)
                    }
                )
                i += 1
            tables.append(rows)
        else:
            i += 1
    return tables


def from_markdown(text: str) -> dict[str, Any]:
    """Front matter, pipe tables and heading sections (content up to the next
    heading)."""
    front, lines = _front_matter(text.splitlines())
    sections: list[dict[str, Any]] = []
    for line in lines:
        heading = _HEADING.match(line)
        if heading:
            sections.append(
                {
                    "heading": heading.group(2),
                    "level": len(heading.group(1)),
                    "content": [],
                }
            )
        elif sections:
            sections[-1]["content"].append(line)
    for section in sections:
        section["content"] = "\n".join(section["content"]).strip()
    return {"frontMatter": front, "tables": _md_tables(lines), "sections": sections}
