"""The run cache: an index per output folder, kept outside it, that answers a no-op run.

A run that writes ``OUT`` records an index in the cache folder (``cache.folder()``, not
inside ``OUT``): the run's options, the digest of the generator's code, every spec it
found (with the digests of its bytes and of the files it imports), the size and
modification time of every generated file and folder and of the manifest, and the report
it printed. The next run with the same options reads only that index: when it finds the
same specs with the same bytes and every file as the last run left it, it prints the
same report and exits with the same code, without loading the manifest or any spec.
Anything else, or any doubt, falls through to the normal run, which still uses the
recorded file stats to hash only the generated files whose size or time changed.

The index is also what says which generator code wrote ``OUT``: the committed manifest
holds only versions, so that a refactor of naftiko-gen does not change it; a manifest
with no index that vouches for it (a fresh clone) is not trusted to skip a spec.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import cache, manifest
from .. import pipeline

FORMAT = 2
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


def _stat(path: Path) -> list[int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return [found.st_size, found.st_mtime_ns]


def _mtime(path: Path) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _files_as_recorded(out_dir: str, files: dict[str, list[int]]) -> bool:
    """Every generated file still has the size and time recorded (one stat each)."""
    stat, prefix = os.stat, out_dir + os.sep
    try:
        for name, (size, mtime) in files.items():
            found = stat(prefix + name)
            if found.st_mtime_ns != mtime or found.st_size != size:
                return False
    except OSError:
        return False
    return True


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
    return index.get("manifest") == _stat(out_dir / manifest.FILENAME)


def file_stats(index: dict[str, Any] | None) -> dict[str, list[int]]:
    """Generated file (path in OUT) -> [size, mtime] as the last run left it."""
    found = index.get("files") if index is not None else None
    return found if isinstance(found, dict) else {}


def replay(paths: tuple[Path, ...], out_dir: Path, options: dict[str, Any]) -> Report | None:
    """The last run's report when nothing changed since it, else None (run normally)."""
    try:
        index = load(out_dir)
        if index is None or index["key"] != _key(paths, options):
            return None
        if index["manifest"] != _stat(out_dir / manifest.FILENAME):
            return None
        found = pipeline.discover(list(paths))
        recorded = index["specs"]
        if len(found) != len(recorded):
            return None
        for path, (shown, digest, imports) in zip(found, recorded):
            if str(path) != shown or manifest.sha256_file(path) != digest:
                return None
            for other, sha in imports.items():
                if (manifest.sha256_file(out_dir / other) or "") != sha:  # "" = missing
                    return None
        folders = index["folders"].items()
        if any(_mtime(out_dir / folder) != stamp for folder, stamp in folders):
            return None  # a file added or removed
        if not _files_as_recorded(str(out_dir), index["files"]):
            return None  # a generated file edited, touched or deleted: the normal run looks
        return Report(
            index["diagnostics"], index["errors"], index["to_stderr"], index["summary"], index["exit"]
        )
    except (OSError, ValueError, TypeError, KeyError, pipeline.UsageError):
        return None


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
    specs: list[list[Any]] | None = []
    folders: set[str] = set()
    for spec in result.specs:
        key = key_of(spec.path)
        entry = state.specs.get(key) if spec.ok else state.invalid.get(key)
        if entry is None or key not in entry.inputs:
            specs = None
            continue
        if specs is not None:
            imports = {other: sha for other, sha in entry.inputs.items() if other != key}
            specs.append([str(spec.path), entry.inputs[key], imports])
        if spec.ok:
            folders.update(name.rpartition("/")[0] for name in entry.files)
    owned = state.owned()
    index = {
        "format": FORMAT,
        "key": _key(paths, options) if specs is not None else None,
        "code": manifest.generator_digest(),
        "manifest": _stat(out_dir / manifest.FILENAME),
        "specs": specs or [],
        "folders": {folder: _mtime(out_dir / folder) for folder in sorted(folders)},
        "files": {path: _stat(out_dir / path) for path in sorted(owned)},
        "diagnostics": report.diagnostics,
        "errors": report.errors,
        "to_stderr": report.to_stderr,
        "summary": report.summary,
        "exit": report.code,
    }
    text = json.dumps(index)
    target = index_path(out_dir)
    try:
        (out_dir / LEGACY_FILENAME).unlink(missing_ok=True)  # OUT holds no cache any more
        cache.ensure()
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")  # a no-op run writes nothing
    except OSError:
        return False
    return specs is not None
