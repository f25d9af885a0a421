"""Migrate one document's text: the new text, or why it is left alone or refused."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode

from .dataedit import expected
from .ops import Problem, Refused
from .rules import NEW_ROOT, NEW_VERSION, OLD_ROOT, OLD_VERSION, Walk
from .textedit import Editor

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LOOKS_ALPHA2 = re.compile(r"^naftiko\s*:", re.MULTILINE)


@dataclass
class Outcome:
    """What migrating one file gives.

    ``status`` is ``migrated`` (``text`` holds the new text), ``current`` (already the
    Ikanos syntax), ``other`` (not a Naftiko spec, left alone), ``skipped`` (a Naftiko
    version this command does not rewrite) or ``refused`` (see ``problems``).
    """

    status: str
    text: str | None = None
    problems: list[Problem] = field(default_factory=list)


def _compose(text: str) -> object:
    return YAML(typ="rt").compose(text)


def _root_key(node: MappingNode, key: str) -> ScalarNode | None:
    for key_node, value in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return value
    return None


def migrate_text(text: str) -> Outcome:
    """Rewrite an alpha2 document into Ikanos 1.0.0-beta5, or say why not."""
    if text.startswith("\ufeff"):  # a byte-order mark: kept, and out of the columns
        outcome = migrate_text(text[1:])
        if outcome.text is not None:
            outcome.text = "\ufeff" + outcome.text
        return outcome
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        if not _LOOKS_ALPHA2.search(text):
            return Outcome("other")  # not a spec of ours (several documents, another tool's)
        return Outcome("refused", problems=[_invalid(exc)])
    if not isinstance(data, dict) or NEW_ROOT in data:
        return Outcome("current" if isinstance(data, dict) else "other")
    if OLD_ROOT not in data:
        return Outcome("other")
    try:
        root = _compose(text)
    except (MarkedYAMLError, ValueError) as exc:
        return Outcome("refused", problems=[_invalid(exc)])
    version = _root_key(root, OLD_ROOT) if isinstance(root, MappingNode) else None
    if not isinstance(version, ScalarNode) or str(data.get(OLD_ROOT)) != OLD_VERSION:
        line, col = (
            (version.start_mark.line + 1, version.start_mark.column + 1) if version else (1, 1)
        )
        found = data.get(OLD_ROOT)
        return Outcome(
            "skipped",
            problems=[
                Problem(
                    "NG606",
                    f"left as is: 'naftiko: {found}' is not 1.0.0-alpha2",
                    line,
                    col,
                    "migrate rewrites naftiko 1.0.0-alpha2 specs only",
                    error=False,
                )
            ],
        )
    walk = Walk()
    walk.root(root)
    if any(p.error for p in walk.problems):
        return Outcome("refused", problems=walk.problems)
    editor = Editor(text)
    editor.plan(walk.ops)
    try:
        for op in walk.ops:
            editor.apply(op)
        new_text = editor.text()
        same = yaml.load(new_text, Loader=_Loader) == expected(data, walk.ops)
    except Refused as exc:
        return _refused(walk, exc.message, exc.line, exc.col)
    except yaml.YAMLError:
        return _refused(walk, "the rewrite does not read back as YAML", 0, 0)
    except (KeyError, IndexError, TypeError):  # the two YAML readers disagree (1.1 vs 1.2)
        return _refused(walk, "the document reads differently in YAML 1.1 and 1.2", 0, 0)
    if not same:
        return _refused(walk, "the rewrite does not read back as the same spec", 0, 0)
    return Outcome("migrated", new_text, walk.problems)


def _refused(walk: Walk, message: str, line: int, col: int) -> Outcome:
    return Outcome("refused", problems=walk.problems + [_layout(message, line, col)])


def _invalid(exc: Exception) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(
        "NG002",
        f"invalid YAML: {getattr(exc, 'problem', None) or exc}",
        line,
        col,
        "fix indentation, quoting or unclosed brackets near this position",
    )


def _layout(message: str, line: int, col: int) -> Problem:
    return Problem(
        "NG603",
        f"cannot rewrite in place: {message}",
        line + 1,
        col + 1,
        "write this part in plain block style (one key per line), then migrate again",
    )


__all__ = ["NEW_VERSION", "Outcome", "migrate_text"]
