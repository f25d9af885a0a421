"""One piece of work done in a forked child while this process goes on with another.

The child shares this process's memory as it was at the fork (copy-on-write) and sends
back one pickled answer through a pipe. Only on Linux; anything unusual (the fork or
the pipe failing, the child dying or answering nothing) gives None, and the caller does
the work itself. Used for a large spec alone in a run, which would otherwise leave the
other cores idle: its validation (pipeline.py) and its client's rendering (emit/parallel.py).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

CAN_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")
"""Linux only: macOS can fork, but a forked child of a process that touched its system
frameworks may crash, which is why Python's own multiprocessing spawns there."""


class Pending(Generic[T]):
    """A child at work: ``result`` waits for its answer, ``cancel`` stops it."""

    def __init__(self, pid: int, read_end: int) -> None:
        self._pid = pid
        self._read_end = read_end
        self._done = False

    def result(self) -> T | None:
        """The child's answer, once it has exited; None when it failed."""
        if self._done:
            return None
        self._done = True
        with os.fdopen(self._read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        if status != 0 or not payload:
            return None
        try:
            answer: T = pickle.loads(payload)
        except Exception:  # a torn or foreign payload: the caller does the work
            return None
        return answer

    def cancel(self) -> None:
        """Stop the child, whatever it is doing (its answer is no longer needed)."""
        if self._done:
            return
        self._done = True
        os.close(self._read_end)
        try:
            os.kill(self._pid, signal.SIGKILL)
        except ProcessLookupError:  # pragma: no cover - it had exited already
            pass
        os.waitpid(self._pid, 0)


def start(task: Callable[[], T]) -> Pending[T] | None:
    """``task`` running in a forked child; None when no child could be started."""
    if not CAN_FORK:
        return None
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
    if pid == 0:  # pragma: no cover - the child, measured through its answers
        status = 1
        try:
            os.close(read_end)
            payload = pickle.dumps(task(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return Pending(pid, read_end)
