"""YAML scalars as the loader keeps them: safe-loader values, with dates left as text.

Both ways of reading a spec (PyYAML's composer in ``loader`` and the block-style reader in
``blockyaml``) turn scalars into values here, so they cannot drift apart.
"""

from __future__ import annotations

from typing import Any

import yaml

STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"

_SAFE = yaml.SafeLoader("")
"""One safe loader, used only for its implicit resolvers and scalar constructors."""

_PLAIN_VALUES: dict[str, Any] = {}
"""The value of each plain scalar text seen so far (they repeat: ``string``, ``true``, ...)."""


def scalar_value(node: yaml.ScalarNode) -> Any:
    """Construct one scalar the way the safe loader would, but keep dates as text."""
    if node.tag == STR_TAG or node.tag == "tag:yaml.org,2002:timestamp":
        return node.value
    if node.tag in ("tag:yaml.org,2002:binary",) or not node.tag.startswith("tag:yaml.org,2002:"):
        return node.value
    value = _SAFE.construct_object(node, deep=True)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return node.value


def plain_tag(text: str) -> str:
    """The tag YAML 1.1 gives an untagged plain scalar of this text."""
    return str(_SAFE.resolve(yaml.ScalarNode, text, (True, False)))


class MergeKey(Exception):
    """A plain ``<<``: a merge key, which only the composer path handles."""


def plain_value(text: str) -> Any:
    """The value of an untagged plain scalar (cached: the answer depends only on the text)."""
    try:
        return _PLAIN_VALUES[text]
    except KeyError:
        pass
    tag = plain_tag(text)
    if tag == MERGE_TAG:
        raise MergeKey(text)
    value = scalar_value(yaml.ScalarNode(tag, text))
    if len(_PLAIN_VALUES) > 100_000:
        _PLAIN_VALUES.clear()
    _PLAIN_VALUES[text] = value
    return value


def key_text(value: Any) -> str:
    """A mapping key as the document's data holds it: always text (``true``, ``200``)."""
    if isinstance(value, str):
        return value
    return str(value).lower() if isinstance(value, bool) else str(value)
