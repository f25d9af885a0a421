"""The stats the run cache compares instead of reading files: one ``os.stat`` each.

- Generated files: each file's size and time, packed into one array of 64-bit integers
  (``take``), so that a no-op run compares one bytes object instead of thousands of lists,
  and the index loads without parsing thousands of numbers.
- Inputs (specs and the files they import) and the folders discovery lists: inode, size,
  mtime and ctime (``identity``), as git's index keeps them. Writing a file changes its
  ctime, which no tool sets back, and adding, removing or renaming an entry of a folder
  changes the folder's times.

File system clocks tick coarsely, so a change made just after a stat may leave the same
times: a stat whose times are less than ``RACY_NS`` older than the moment it is recorded
vouches for nothing (``recent``), and such a file is hashed, such a folder listed again.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterable
from pathlib import Path

RACY_NS = 5_000_000_000
"""How old a stat's times must be when recorded to vouch for a file (5 s: more than any
file system's clock granularity)."""

MISSING = -1
"""Packed in place of the size and time of a file not found."""

_DIR_FD = os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")


def take(out_dir: str, names: list[str], strict: bool) -> bytes:
    """The size and time of each file (a posix path in ``out_dir``), packed in that order.

    ``strict``: a missing file raises OSError (a no-op run then looks closer); otherwise
    it is packed as ``MISSING``, which nothing taken later matches."""
    values = array("q")
    try:
        _sizes_and_times(out_dir, names, values)
    except OSError:
        if strict:
            raise
        values = array("q", _sizes_and_times_leniently(out_dir, names))
    return values.tobytes()


def _sizes_and_times(out_dir: str, names: list[str], values: array[int]) -> None:
    add, stat = values.append, os.stat
    if not _DIR_FD:  # Windows: each file by its whole path
        for name in names:
            found = stat(os.path.join(out_dir, name))
            add(found.st_size)
            add(found.st_mtime_ns)
        return
    handle = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for name in names:  # the hot loop of a no-op run: one stat a generated file
            found = stat(name, dir_fd=handle)  # looked up from OUT: a shorter walk
            add(found.st_size)
            add(found.st_mtime_ns)
    finally:
        os.close(handle)


def _sizes_and_times_leniently(out_dir: str, names: list[str]) -> list[int]:
    values: list[int] = []
    for name in names:
        try:
            found = os.stat(os.path.join(out_dir, name))
        except OSError:
            values += (MISSING, MISSING)
        else:
            values += (found.st_size, found.st_mtime_ns)
    return values


def unpack(names: list[str], packed: bytes) -> dict[str, list[int]]:
    """Generated file (path in OUT) -> [size, mtime] from a ``take``; {} when they disagree."""
    values = array("q")
    values.frombytes(packed)
    if len(values) != 2 * len(names):
        return {}
    return {name: [values[2 * at], values[2 * at + 1]] for at, name in enumerate(names)}


def identity(path: str) -> list[int]:
    """Inode, size, mtime and ctime of ``path`` (raises OSError when it is missing)."""
    found = os.stat(path)
    return [found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns]


def recent(stat: list[int], now: int) -> bool:
    """True when an ``identity`` taken before ``now`` is too recent to vouch for anything."""
    return max(stat[2], stat[3]) > now - RACY_NS


def folders(paths: Iterable[Path]) -> list[tuple[str, list[int]]]:
    """Every folder discovery lists under ``paths`` (folders named and their real
    subfolders, as ``Path.rglob`` walks them) with its ``identity``, each taken before the
    folder is listed, so any later change of its entries changes it."""
    found: list[tuple[str, list[int]]] = []
    todo = [str(path) for path in paths if path.is_dir()]
    while todo:
        folder = todo.pop()
        found.append((folder, identity(folder)))
        with os.scandir(folder) as entries:
            todo += sorted(entry.path for entry in entries if entry.is_dir(follow_symlinks=False))
    return found
