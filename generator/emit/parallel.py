"""One large package rendered on two cores: a forked child renders some of its files
while this process renders the others.

A spec of hundreds of operations spends most of its emit time in three files (client,
router, MCP server). Forking after the model is built shares it with the child for
free (copy-on-write), and each side renders exactly what it would have rendered alone,
so the bytes are the same. Anything unusual (see forked.py) leaves the work to this
process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .. import forked

CAN_FORK = forked.CAN_FORK

LARGE = 200
"""Routes, tools and client operations a package needs before it is worth a fork (the
fork and the copying it causes cost a few milliseconds)."""


def render_all(names: Iterable[str], render_one: Callable[[str], str], in_child: frozenset[str]) -> dict[str, str]:
    """``render_one`` of every name, in order; those of ``in_child`` in a forked child."""
    ordered = list(names)
    child_names = [name for name in ordered if name in in_child]
    pending = forked.start(lambda: {name: render_one(name) for name in child_names}) if child_names else None
    texts = {name: render_one(name) for name in ordered if pending is None or name not in in_child}
    if pending is not None:  # the child's texts, or this process renders them after all
        answer = pending.result()
        if not isinstance(answer, dict) or sorted(answer) != sorted(child_names):
            answer = {name: render_one(name) for name in child_names}
        texts.update(answer)
    return {name: texts[name] for name in ordered}

