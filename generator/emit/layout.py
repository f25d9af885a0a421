"""Black's layout for the bracketed expressions whose length depends on a spec.

Templates write fixed code already in black's style. What a spec makes long (literal
schemas, argument dicts, calls, signatures) is emitted as a placeholder for a ``Node``;
``expand`` then lays each one out the way black would for the line it sits on: flat
when the line fits, else split at the node's brackets, recursively. Where black's
choice depends on more than this module models, ``layout`` answers None and the
caller formats that statement with black itself (see fmt.py).
"""

from __future__ import annotations

import re
from enum import Enum
from keyword import iskeyword
from collections.abc import Callable, Hashable
from typing import Any

from .quotes import preferred
from .widths import str_width

DEFAULT_LINE_LENGTH = 88
"""Black's default; ``--line-length`` picks another (see ``configure``)."""
LINE_LENGTH = DEFAULT_LINE_LENGTH
INDENT = "    "


def configure(line_length: int) -> None:
    """Lay out (and let fmt.py format) at ``line_length`` from now on, in this process."""
    global LINE_LENGTH
    LINE_LENGTH = line_length
    _laid_out.clear()


class Kind(Enum):
    """How black splits a bracket pair it has to break."""

    LITERAL = "literal"  # dict/list/tuple display: two or more items always go one per line
    CALL = "call"  # call or subscript: the items stay on one line when that line fits
    PARAMS = "params"  # a def's parameters: one per line, with a trailing comma

    __hash__ = object.__hash__  # members are singletons compared by identity; Enum hashes names in Python


class Node:
    """``head`` + ``open`` + items joined by ", " + ``close``. An item is a prefix
    (``"key": ``, ``name=``, or empty), a value (code text or another node) and a
    suffix without brackets (`` = None``, or empty). Never changed once made.

    ``text`` is the one-line form, made once (its items' forms are made before it), and
    ``width`` its columns. ``data`` marks a literal of plain data (``literals.py_node``):
    its one-line form tells its whole structure, so its layout is kept by that form.
    """

    __slots__ = ("close", "data", "head", "items", "kind", "open", "text", "width")
    head: str
    open: str
    close: str
    items: tuple[tuple[str, Value, str], ...]
    kind: Kind
    data: bool
    text: str
    width: int

    def __init__(
        self,
        head: str,
        open: str,
        close: str,
        items: tuple[tuple[str, Value, str], ...],
        kind: Kind = Kind.LITERAL,
        data: bool = False,
    ) -> None:
        self.head, self.open, self.close, self.items, self.kind, self.data = head, open, close, items, kind, data
        inner = ", ".join([prefix + (item if isinstance(item, str) else item.text) + suffix for prefix, item, suffix in items])
        self.text = f"{head}{open}{inner}{close}"
        self.width = len(self.text) if self.text.isascii() else str_width(self.text)

    def __repr__(self) -> str:
        return f"Node({self.head!r}, {self.open!r}, {self.close!r}, {self.items!r}, {self.kind})"


Value = Node | str


def flat(value: Value) -> str:
    """The one-line form of a value."""
    return value if isinstance(value, str) else value.text


def flat_width(value: Value) -> int:
    """The columns of a value's one-line form."""
    return width(value) if isinstance(value, str) else value.width


def width(text: str) -> int:
    """Columns a line takes, as black counts them (wide characters count two)."""
    return len(text) if text.isascii() else str_width(text)


def fits(text: str) -> bool:
    return width(text) <= LINE_LENGTH


_BRACKETS = re.compile(r"[\[\](){}]")
_STRINGS = re.compile(r'[rbuf]*(?:"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\')', re.IGNORECASE)
# One item black cannot split: an optional ``name=`` or ``key: `` and one atom (a string,
# a dotted name, a number), with the suffix an item may have. Strings are blanked first.
_ATOM_ITEM = re.compile(r'(?:[\w.]+=|(?:""|[\w.]+): )?(?:""|[\w.]+|-?[\d.][\w.+-]*)(?: = None)?,?')


_PLAIN_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_WORD = re.compile(r"[^ ]* *")
_NAME = re.compile(r"[A-Za-z_][\w.]*")


def split_string(literal: str, indent: str) -> list[str]:
    """A one-line string literal as literals cut after spaces, each fitting at ``indent``
    when its words allow (a word is never cut: no escape is), each in the quotes black's
    string normalization gives it."""
    quote, body = literal[0], literal[1:-1]
    pieces: list[str] = []
    chunk = ""
    for word in _WORD.findall(body):
        if chunk and not fits(indent + quote + chunk + word + quote):
            carried = ""
            if not fits(indent + quote + chunk + quote):  # a word no line holds (a URL):
                carried = chunk[len(chunk.rstrip(" ")) :]  # its spaces go on, so that its
                chunk = chunk[: len(chunk) - len(carried)]  # line is one word (ruff's E501 allows it)
            pieces.append(preferred(quote + chunk + quote))
            chunk = carried
        chunk += word
    if chunk or not pieces:
        pieces.append(preferred(quote + chunk + quote))
    return pieces


def _is_atom_item(code: str) -> bool:
    """True when a line inside brackets holds nothing black could split: no bracket, no
    operator, no second item."""
    return bool(_ATOM_ITEM.fullmatch(_STRINGS.sub('""', code)))


_laid_out: dict[tuple[str | int, str, str, str, bool], tuple[Node, list[str] | None]] = {}
"""The layouts made in the render under way, by node and place: a data literal by its
one-line form (a large spec repeats its schemas and outputs in every file), any other
node by identity (a helper's node stands wherever the same code is asked for; every node
laid out is kept alive by the registry, and its entry holds it)."""


def layout(prefix: str, value: Value, suffix: str, indent: str, nested: bool) -> list[str] | None:
    """Lines black makes of ``indent + prefix + value + suffix``, or None when unsure.

    ``nested`` is True for a line inside brackets (an item of a split node), False for
    a statement. ``suffix`` holds no brackets. The caller must not change the list.
    """
    ends = prefix + suffix  # (widths add up; ASCII is one column a character)
    ends_width = len(ends) if ends.isascii() else str_width(ends)
    if isinstance(value, str):
        if len(indent) + ends_width + (len(value) if value.isascii() else str_width(value)) <= LINE_LENGTH:
            return [indent + prefix + value + suffix]  # (counted first: no long line is built)
        return _split(prefix, value, suffix, indent, nested)
    if len(indent) + ends_width + value.width <= LINE_LENGTH:
        return [indent + prefix + value.text + suffix]
    key = (value.text if value.data else id(value), prefix, suffix, indent, nested)
    known = _laid_out.get(key)
    if known is None or not (value.data or known[0] is value):
        known = _laid_out[key] = (value, _split(prefix, value, suffix, indent, nested))
    return known[1]


def _split(prefix: str, value: Value, suffix: str, indent: str, nested: bool) -> list[str] | None:
    """``layout`` of a line that does not fit."""
    line = indent + prefix + flat(value) + suffix
    if isinstance(value, str) or not value.items:
        # Nothing of ours to split. Black leaves a bracket-free item line alone, and
        # wraps an assigned string in parentheses when that makes it fit, or always when
        # the target has brackets (black will not split those instead).
        # A string no line can hold is cut at spaces into an implicit concatenation in
        # parentheses (black keeps that form), so every line fits or is one word.
        text = flat(value)
        statement = prefix.endswith(" = ") or prefix == "return "
        if (nested or statement) and _PLAIN_STRING.fullmatch(text):
            wrapped = indent + INDENT + text
            if not nested and fits(wrapped):
                return [indent + prefix + "(", wrapped, indent + ")"]
            pieces = split_string(text, indent + INDENT)
            if fits(indent + prefix + "(") and (len(pieces) > 1 or nested and prefix):
                inner_lines = [indent + INDENT + piece for piece in pieces]
                return [indent + prefix + "(", *inner_lines, indent + ")" + suffix]
        if nested and prefix and _NAME.fullmatch(text) and fits(indent + prefix + "("):
            # a name too long after its key: alone in parentheses (black keeps them)
            return [indent + prefix + "(", indent + INDENT + text, indent + ")" + suffix]
        if nested and _is_atom_item(prefix + text + suffix):
            return [line]
        if not nested and prefix.endswith(" = ") and _STRINGS.fullmatch(text):
            wrapped = indent + INDENT + text
            if fits(wrapped) or _BRACKETS.search(prefix):
                return [indent + prefix + "(", wrapped, indent + ")"]
            return [line]
        return None
    head = indent + prefix + value.head + value.open
    if not fits(head):
        return None  # black would look for another split point
    inner = indent + INDENT
    body: list[str] = []
    items = value.items
    sole = items[0][1] if len(items) == 1 and not items[0][0] and not items[0][2] else None
    if value.kind is Kind.CALL and isinstance(sole, str) and _PLAIN_STRING.fullmatch(sole):
        pieces = split_string(sole, inner)  # a call's sole argument: no parentheses of its own
        if len(pieces) > 1 and not fits(inner + sole):
            return [head, *[inner + piece for piece in pieces], indent + value.close + suffix]
    if len(items) == 1 and value.kind is not Kind.PARAMS:
        lines = layout(items[0][0], items[0][1], items[0][2], inner, True)
        if lines is None:
            return None
        body += lines
    else:
        # the items on one line: the node's one-line form without its brackets
        joined_width = value.width - width(value.head) - len(value.open) - len(value.close)
        if value.kind is Kind.CALL and len(inner) + joined_width <= LINE_LENGTH:
            body.append(inner + value.text[len(value.head) + len(value.open) : -len(value.close)])
        else:
            room = LINE_LENGTH - len(inner) - 1  # (the comma)
            for item_prefix, item, item_suffix in items:
                if isinstance(item, str):
                    text = item_prefix + item + item_suffix
                    if (len(text) if text.isascii() else str_width(text)) <= room:
                        body.append(inner + text + ",")  # (``layout``'s first case)
                        continue
                lines = layout(item_prefix, item, item_suffix + ",", inner, True)
                if lines is None:
                    return None
                body += lines
    return [head, *body, indent + value.close + suffix]


# Placeholders: the ``py`` filter and the helpers below put a node in the registry of the
# render under way and write ``\0<index>\1`` in its place (no rendered literal holds a
# NUL). A node's items may hold placeholders of nodes made before it: they are resolved
# when it is registered, and its one-line form is kept beside it.
_registry: list[Value] = []
_flat_forms: list[str] = []
_PLACEHOLDER = re.compile("\0(\\d+)\1")


def placeholder(value: Value) -> str:
    """Text standing for ``value`` until ``expand`` lays it out."""
    return register(resolve(value))


def register(value: Value) -> str:
    """``placeholder`` of a value known to hold no placeholder."""
    _registry.append(value)
    _flat_forms.append(flat(value))
    return f"\0{len(_registry) - 1}\1"


def begin() -> None:
    """Start a render: forget the nodes of the previous one."""
    _registry.clear()
    _flat_forms.clear()
    _laid_out.clear()
    _made.clear()
    _once.clear()


def resolve(value: Value) -> Value:
    """A value with the placeholders in it replaced by the nodes they stand for."""
    if isinstance(value, str):
        if "\0" not in value:
            return value
        match = _PLACEHOLDER.fullmatch(value)
        if match:
            return _registry[int(match.group(1))]
        return _flat_text(value)
    if not any("\0" in p or "\0" in s or isinstance(v, str) and "\0" in v for p, v, s in value.items):
        return value
    items = tuple(_resolve_item(*item) for item in value.items)
    return Node(value.head, value.open, value.close, items, value.kind)


def _resolve_item(prefix: str, item: Value, suffix: str) -> tuple[str, Value, str]:
    """An item written as text with one placeholder and no bracket after it
    (``name=<node>``, ``name: <node> = None``) becomes prefix, node and suffix, so the
    node can be split."""
    prefix, suffix = _flat_text(prefix), _flat_text(suffix)
    if isinstance(item, str):
        start = item.find("\0")
        if start >= 0 and item.find("\0", start + 1) < 0:  # one placeholder
            end = item.index("\1", start)
            after = item[end + 1 :]
            if not _BRACKETS.search(after):
                return prefix + item[:start], _registry[int(item[start + 1 : end])], after + suffix
    return prefix, resolve(item), suffix


def _flat_text(text: str) -> str:
    """Text with each placeholder replaced by its node's one-line form."""
    if "\0" not in text:
        return text
    return _PLACEHOLDER.sub(lambda m: _flat_forms[int(m.group(1))], text)


# Template helpers: code whose items come from the spec, as nodes. A large spec asks for
# the same node many times (a parameter, a call of a client method in an async and a sync
# method): each is made once per render, and asking again gives the same placeholder.
_made: dict[tuple[str, str, Kind, tuple[tuple[str, str, str], ...]], str] = {}


def _node(head: str, open: str, close: str, items: tuple[tuple[str, str, str], ...], kind: Kind) -> str:
    key = (head, open, kind, items)
    made = _made.get(key)
    if made is None:
        node = Node(head, open, close, items, kind)
        made = _made[key] = register(resolve(node) if "\0" in node.text else node)
    return made


_once: dict[Hashable, str] = {}


def once(key: Hashable, make: Callable[[], str]) -> str:
    """``make()``, made once per render for ``key``: for a helper building code from a
    model object whose equality is exact (its fields text and flags), as a route parameter."""
    made = _once.get(key)
    if made is None:
        made = _once[key] = make()
    return made


def call(head: str, items: list[str]) -> str:
    """``head(item, ...)``: a call (or subscript) black may split."""
    return _node(head, "(", ")", tuple([("", item, "") for item in items]), Kind.CALL)


def subscript(head: str, items: list[str]) -> str:
    """``head[item, ...]``: a subscript black may split (two items or more)."""
    return _node(head, "[", "]", tuple([("", item, "") for item in items]), Kind.CALL)


def params(head: str, items: list[str]) -> str:
    """``head(param, ...)``: a def's parameter list."""
    return _node(head, "(", ")", tuple([("", item, "") for item in items]), Kind.PARAMS)


def code_dict(pairs: list[tuple[str, str]]) -> str:
    """A dict display from (key literal, value code) pairs."""
    if not pairs:
        return "{}"
    return _node("", "{", "}", tuple([(key + ": ", code, "") for key, code in pairs]), Kind.LITERAL)


def code_list(items: list[str], opening: str = "[", closing: str = "]") -> str:
    """A list (or, with round brackets, a tuple of two or more) display from code items."""
    if opening == "(" and len(items) < 2:
        raise ValueError("a tuple display needs two items or more here")
    if not items:
        return opening + closing
    return _node("", opening, closing, tuple([("", item, "") for item in items]), Kind.LITERAL)


def long_call(plan: Any) -> bool:
    """True when ``lambda: clients().<ns>.<operation>(`` would not fit its line (names
    come from the spec): the template then binds the client to ``_client`` first."""
    head = f"        lambda: clients().{plan.consumer_attr}.{plan.operation_py_name}_response("
    return not fits(head if plan.arguments else head + "),")  # no arguments: nothing to split


def class_syntax(fields: Any) -> bool:
    """True when a TypedDict's keys can all be class attributes (ruff UP013 asks for
    the class form then); otherwise the functional form is the only one."""
    return bool(fields) and all(k.isidentifier() and not iskeyword(k) for k, _ in fields)


HELPERS = {
    "class_syntax": class_syntax,
    "long_call": long_call,
    "call": call,
    "subscript": subscript,
    "params": params,
    "code_dict": code_dict,
    "code_list": code_list,
}


def expand(text: str) -> str:
    """Replace every placeholder of the render just done by black's layout of its node.

    A line holding one placeholder, nothing after it but "," (an item inside brackets)
    or nothing (a statement), or a def's parameters, gets black's split when it is too
    long. Any other line gets the flat form; fmt.py hands such a line to black if it
    is too long.
    """
    pieces: list[str] = []
    done = 0  # the text before this is in ``pieces``
    ascii_text = text.isascii()  # (then a line's columns are its characters)
    find, registry, forms = text.find, _registry, _flat_forms
    at = find("\0")
    while at >= 0:  # each line holding a placeholder (found without splitting the text)
        close = find("\1", at)
        end = find("\n", close)
        end = len(text) if end < 0 else end
        after = find("\0", close)
        if after < 0 or after > end:  # one placeholder on the line
            index = int(text[at + 1 : close])
            start = text.rfind("\n", 0, at) + 1
            node = registry[index]
            if ascii_text and at - start + flat_width(node) + end - close - 1 <= LINE_LENGTH:
                pieces += (text[done:at], forms[index])  # the line fits: the node's one-line form
                done = close + 1
                at = after
                continue
        else:
            start = text.rfind("\n", 0, at) + 1
        pieces += (text[done:start], "\n".join(_expand_line(text[start:end])))
        done = end
        at = find("\0", end)
    pieces.append(text[done:])
    return "".join(pieces)


def _expand_line(line: str) -> list[str]:
    start = line.find("\0")
    end = line.find("\1", start)
    if line.find("\0", end) >= 0:
        return [_flat_text(line)]  # more than one placeholder
    node = _registry[int(line[start + 1 : end])]
    before, suffix = line[:start], line[end + 1 :]
    flat_line = before + flat(node) + suffix
    if width(flat_line) <= LINE_LENGTH:
        return [flat_line]
    stripped = before.lstrip(" ")
    indent = before[: len(before) - len(stripped)]
    is_def = isinstance(node, Node) and node.kind is Kind.PARAMS
    if _BRACKETS.search(suffix) or not (is_def or suffix == "" or suffix.endswith(",")):
        lines = None  # e.g. a tuple after the node: black's split is not modelled here
    else:
        lines = layout(stripped, node, suffix, indent, suffix.endswith(",") and not is_def)
    return lines if lines is not None else [flat_line]


def needs_black(text: str) -> bool:
    """True when a line is too long and black might split it some other way than ours.

    Lines that fit are in black's style by construction (templates are, the layout
    above is). Black leaves a long line alone only when it has nothing to split: a
    comment, a docstring line, an assigned string that would not fit in parentheses
    either, or an item inside brackets with no bracket of its own.
    """
    lines = text.split("\n")
    # A line of fewer characters than half the limit fits, wide as they may be; an ASCII
    # line fits when its characters do. Only the others are looked at.
    shortest = LINE_LENGTH if text.isascii() else LINE_LENGTH // 2
    lengths = list(map(len, lines))
    if max(lengths) <= shortest:
        return False
    for number in [n for n, length in enumerate(lengths) if length > shortest]:
        if not fits(lines[number]) and not _unsplittable(lines[number], lines[number - 1] if number else ""):
            return True
    return False


_ASSIGNED_STRING = re.compile(r"(\s*)[A-Za-z_][\w.]* = (.*)")


def _unsplittable(line: str, previous: str) -> bool:
    code = line.strip()
    if code.startswith(("#", '"""')):
        return True
    assigned = _ASSIGNED_STRING.fullmatch(line)
    if assigned and _STRINGS.fullmatch(assigned.group(2)):
        return not fits(assigned.group(1) + INDENT + assigned.group(2))
    if _STRINGS.fullmatch(code):
        return True  # a string statement (a docstring) or a lone item
    return _is_atom_item(code) and (code.endswith(",") or previous.endswith(("(", "[", "{")))
