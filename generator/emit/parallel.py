"""One large package rendered on two cores: a forked child renders some of its files
while this process renders the others.

A spec of hundreds of operations spends most of its emit time in three files (client,
router, MCP server). Forking after the model is built shares it with the child for
free (copy-on-write), and each side renders exactly what it would have rendered alone,
so the bytes are the same. Only on Linux; anything unusual (the fork or the pipe failing,
the child dying or answering nonsense) leaves the work to this process.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable, Iterable

CAN_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")
"""Linux only: macOS can fork, but a forked child of a process that touched its system
frameworks may crash, which is why Python's own multiprocessing spawns there."""

LARGE = 200
"""Routes, tools and client operations a package needs before it is worth a fork (the
fork and the copying it causes cost a few milliseconds)."""


def render_all(names: Iterable[str], render_one: Callable[[str], str], in_child: frozenset[str]) -> dict[str, str]:
    """``render_one`` of every name, in order; those of ``in_child`` in a forked child."""
    ordered = list(names)
    child_names = [name for name in ordered if name in in_child]
    forked = _fork(child_names, render_one) if child_names and CAN_FORK else None
    texts = {name: render_one(name) for name in ordered if forked is None or name not in in_child}
    if forked is not None:  # the child's texts, or this process renders them after all
        texts.update(forked() or {name: render_one(name) for name in child_names})
    return {name: texts[name] for name in ordered}


def _fork(names: list[str], render_one: Callable[[str], str]) -> Callable[[], dict[str, str] | None] | None:
    """Start a child rendering ``names``; the returned call waits for its texts (None
    when it failed). None when no child could be started."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # pragma: no cover - the child, measured through its texts
        status = 1
        try:
            os.close(read_end)
            payload = marshal.dumps({name: render_one(name) for name in names})
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)

    def wait() -> dict[str, str] | None:
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status != 0:
            return None
        try:
            texts = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None
        if not isinstance(texts, dict) or sorted(texts) != sorted(names):
            return None
        return {name: str(texts[name]) for name in names}

    return wait
