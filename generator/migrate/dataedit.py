"""Apply a migration's changes to loaded data: what the rewritten file must read back as."""

from __future__ import annotations

import copy
from typing import Any

from .ops import DropKey, Keyed, Op, Path_, RenameKey, SetValue


def _at(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def _replace(data: Any, path: Path_, value: Any) -> Any:
    if not path:
        return value
    _at(data, path[:-1])[path[-1]] = value
    return data


def expected(data: Any, ops: list[Op]) -> Any:
    """``data`` with ``ops`` applied, innermost first (``ops`` are in document order)."""
    data = copy.deepcopy(data)
    for op in reversed(ops):
        if isinstance(op, RenameKey):
            mapping = _at(data, op.path)
            renamed = {(op.new if key == op.old else key): value for key, value in mapping.items()}
            data = _replace(data, op.path, renamed)
        elif isinstance(op, SetValue):
            _at(data, op.path)[op.key] = op.value
        elif isinstance(op, DropKey):
            del _at(data, op.path)[op.key]
        elif isinstance(op, Keyed):
            items = _at(data, op.path)
            keyed = {
                entry.key: {k: v for k, v in item.items() if entry.name_key is None or k != "name"}
                for entry, item in zip(op.entries, items)
            }
            data = _replace(data, op.path, keyed)
    return data
