"""The run cache: an index per output folder, kept outside it, that answers a no-op run.

A run that writes ``OUT`` records an index in the cache folder (``cache.folder()``, not
inside ``OUT``): the run's options, the digest of the generator's code, the specs it
found, the folders it found them in, the digest and stat of every spec and of every file
they import, the size and modification time of every generated file and of the manifest,
and the report it printed. The next run with the same options reads only that
index: when it finds the same specs with the same bytes and every file as the last run
left it, it prints the same report and exits with the same code, without loading the
manifest or any spec. Anything else, or any doubt, falls through to the normal run, which
still uses the recorded file stats to hash only the generated files whose size or time
changed.

A no-op run reads no spec either: a spec (or import) whose inode, size and times are as
recorded is taken to hold the bytes recorded, as git's index does, and one whose stat
differs, or was too recent to vouch for anything when recorded (``stats.RACY_NS``), is
hashed. Likewise, the spec folders unchanged since they were listed stand for discovery;
a changed one is listed again. What was vouched for by hashing or listing is then recorded
afresh, so the next no-op run need not do it again. See ``stats`` for the stats taken.

The index is also what says which generator code wrote ``OUT``: the committed manifest
holds only versions, so that a refactor of naftiko-gen does not change it; a manifest
with no index that vouches for it (a fresh clone) is not trusted to skip a spec.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import cache, manifest, stats
from .. import pipeline

FORMAT = 3
LEGACY_FILENAME = ".naftiko-gen.index"
"""Where versions before the run cache kept the index: inside OUT (removed on write)."""


@dataclass(frozen=True)
class Report:
    """What a run printed and how it ended."""

    diagnostics: str  # the diagnostics as printed, "" for none
    errors: str  # the error diagnostics alone (what -q prints)
    to_stderr: bool  # where they went (text: stderr; github and json: stdout)
    summary: str  # the closing line (not printed with -q)
    code: int


def index_path(out_dir: Path) -> Path:
    """Where the index of ``out_dir`` lives: in the cache folder, named by OUT's path."""
    where = os.path.abspath(out_dir)
    return cache.folder() / f"index-{hashlib.sha256(where.encode()).hexdigest()[:16]}.json"


def _key(paths: tuple[Path, ...], options: dict[str, Any]) -> str:
    return json.dumps(
        {
            "generator": manifest.fingerprint(),
            "code": manifest.generator_digest(),
            "cwd": os.getcwd(),
            "paths": [str(p) for p in paths],
            "options": options,
        },
        sort_keys=True,
    )


def _stat(path: str) -> list[int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return [found.st_size, found.st_mtime_ns]


def _same(path: str, recorded: list[int] | None) -> bool:
    """Does ``path`` still have the recorded ``stats.identity``? ([]: still unreadable;
    None: the record vouches for nothing)"""
    try:
        return recorded is not None and stats.identity(path) == recorded
    except OSError:
        return recorded == []


def load(out_dir: Path) -> dict[str, Any] | None:
    """The index of ``out_dir``, whatever run wrote it; None when absent or unreadable."""
    try:
        index = json.loads(index_path(out_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return index if isinstance(index, dict) and index.get("format") == FORMAT else None


def vouches(index: dict[str, Any] | None, out_dir: Path) -> bool:
    """True when the index says this generator's code wrote OUT's manifest as it is."""
    if index is None or index.get("code") != manifest.generator_digest():
        return False
    return index.get("manifest") == _stat(os.path.join(out_dir, manifest.FILENAME))


def file_stats(index: dict[str, Any] | None) -> dict[str, list[int]]:
    """Generated file (path in OUT) -> [size, mtime] as the last run left it."""
    try:
        return stats.unpack(index["files"], base64.b64decode(index["stats"])) if index else {}
    except (KeyError, TypeError, ValueError):
        return {}


def replay(paths: tuple[Path, ...], out_dir: Path, options: dict[str, Any]) -> Report | None:
    """The last run's report when nothing changed since it, else None (run normally)."""
    try:
        index = load(out_dir)
        if index is None or index["key"] != _key(paths, options):
            return None
        out = str(out_dir)
        if index["manifest"] != _stat(os.path.join(out, manifest.FILENAME)):
            return None
        listed = _listed_as_recorded(paths, index)
        inputs = _inputs_as_recorded(index["inputs"])
        if listed is None or inputs is None:
            return None  # a spec added, removed or edited
        if stats.take(out, index["files"], strict=True) != base64.b64decode(index["stats"]):
            return None  # a generated file edited, touched or deleted: the normal run looks
        if not (listed and inputs):
            _refresh(index, paths, out_dir)
        return Report(
            index["diagnostics"], index["errors"], index["to_stderr"], index["summary"], index["exit"]
        )
    except (OSError, ValueError, TypeError, KeyError, pipeline.UsageError):
        return None


def _listed_as_recorded(paths: tuple[Path, ...], index: dict[str, Any]) -> bool | None:
    """The specs found are the recorded ones: True when the folders say so unchanged,
    False when found so by discovering them again, None when they differ."""
    listed = index["listed"]
    if listed is not None and all(_same(folder, stat) for folder, stat in listed):
        return True
    return False if [str(path) for path in pipeline.discover(list(paths))] == index["specs"] else None


def _inputs_as_recorded(rows: list[list[Any]]) -> bool | None:
    """Every input holds the recorded bytes: True when their stats say so, False when
    some had to be hashed to tell, None when one differs."""
    vouched = True
    for path, digest, stat in rows:
        if _same(path, stat):
            continue
        if (manifest.sha256_file(Path(path)) or "") != digest:  # "" = missing
            return None
        vouched = False
    return vouched


def _listing(paths: tuple[Path, ...], specs: list[str], now: int) -> list[tuple[str, list[int]]] | None:
    """The spec folders with their stats, when they vouch for finding ``specs``; else None."""
    try:
        listed = stats.folders(paths)
        if [str(path) for path in pipeline.discover(list(paths))] != specs:
            return None
    except (OSError, pipeline.UsageError):
        return None
    return None if any(stats.recent(stat, now) for _, stat in listed) else listed


def _input_rows(inputs: Iterable[tuple[str, str]], now: int) -> list[list[Any]]:
    """[path, digest, stat] for each input; the stat None unless it vouches for the digest
    (taken before the file is hashed again, and old enough), [] for a file not readable."""
    rows: list[list[Any]] = []
    for path, digest in inputs:
        try:
            stat: list[int] | None = stats.identity(path)
        except OSError:
            stat = None
        found = manifest.sha256_file(Path(path))
        if stat is None:
            stat = [] if found is None and digest == "" else None
        elif stats.recent(stat, now) or found != digest:
            stat = None
        rows.append([path, digest, stat])
    return rows


def _refresh(index: dict[str, Any], paths: tuple[Path, ...], out_dir: Path) -> None:
    """Record the stats that vouch now for what a no-op run had to hash or list."""
    now = time.time_ns()
    index["listed"] = _listing(paths, index["specs"], now)
    index["inputs"] = _input_rows(((path, digest) for path, digest, _ in index["inputs"]), now)
    with contextlib.suppress(OSError):  # the cache is only a cache
        _write(out_dir, index)


def record(
    paths: tuple[Path, ...],
    out_dir: Path,
    options: dict[str, Any],
    result: pipeline.Result,
    state: manifest.Manifest,
    report: Report,
    key_of: Callable[[Path], str],
) -> bool:
    """Write the index after a run that wrote ``state`` into ``out_dir``; True when written.

    ``key_of`` gives a spec's key in the manifest. A spec of the run with no entry to take
    its inputs from (a refusal that depends on other specs) makes the index replay
    nothing: such a run is always done in full, but the file stats are still kept.
    """
    now, out = time.time_ns(), str(out_dir)
    specs: list[str] = []
    inputs: dict[str, str] = {}
    replayable = True
    for spec in result.specs:
        key = key_of(spec.path)
        entry = state.specs.get(key) if spec.ok else state.invalid.get(key)
        if entry is None or key not in entry.inputs:
            replayable, specs, inputs = False, [], {}
            break
        specs.append(str(spec.path))
        inputs[str(spec.path)] = entry.inputs[key]
        for other, digest in entry.inputs.items():
            if other != key:
                inputs.setdefault(os.path.join(out, other), digest)
    owned = sorted(state.owned())
    index = {
        "format": FORMAT,
        "key": _key(paths, options) if replayable else None,
        "code": manifest.generator_digest(),
        "manifest": _stat(os.path.join(out, manifest.FILENAME)),
        "specs": specs,
        "listed": _listing(paths, specs, now) if replayable else None,
        "inputs": _input_rows(inputs.items(), now),
        "files": owned,
        "stats": base64.b64encode(stats.take(out, owned, strict=False)).decode("ascii"),
        "diagnostics": report.diagnostics,
        "errors": report.errors,
        "to_stderr": report.to_stderr,
        "summary": report.summary,
        "exit": report.code,
    }
    try:
        (out_dir / LEGACY_FILENAME).unlink(missing_ok=True)  # OUT holds no cache any more
        _write(out_dir, index)
    except OSError:
        return False
    return replayable


def _write(out_dir: Path, index: dict[str, Any]) -> None:
    """Write the index of ``out_dir`` unless it holds these bytes already."""
    text = json.dumps(index)
    cache.ensure()
    target = index_path(out_dir)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
