"""The no-op fast path: ``OUT/.naftiko-gen.index`` answers a run in which nothing changed.

A run that writes ``OUT`` records a small index beside the manifest: the run's options,
the generator's fingerprint, every spec it found (with the digests of its bytes and of
the files it imports), the modification time of every folder it wrote into and of the
manifest, and the report it printed. The next run with the same options reads only that
index: when it finds the same specs with the same bytes and every folder as the last run
left it, it prints the same report and exits with the same code, without loading the
manifest or any spec. Anything else, or any doubt, falls through to the normal run.
An index left by an older run needs no removal: whatever changed since (a spec, an
import, a written folder, the manifest, the options) makes it disagree.

The index holds machine-specific times: it is not meant to be committed (a copy from
another machine never matches, and the normal run then takes over).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import manifest
from .. import pipeline
from ..read.diagnostics import display_path

FILENAME = ".naftiko-gen.index"
FORMAT = 1


@dataclass(frozen=True)
class Report:
    """What a run printed and how it ended."""

    diagnostics: str  # the diagnostics as printed, "" for none
    to_stderr: bool  # where they went (text: stderr; github and json: stdout)
    summary: str  # the closing line (not printed with -q)
    code: int


def _key(paths: tuple[Path, ...], options: dict[str, Any]) -> str:
    return json.dumps(
        {
            "generator": manifest.fingerprint(),
            "cwd": os.getcwd(),
            "paths": [str(p) for p in paths],
            "options": options,
        },
        sort_keys=True,
    )


def _mtime(path: Path) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _manifest_stamp(out_dir: Path) -> list[int] | None:
    try:
        found = os.stat(out_dir / manifest.FILENAME)
    except OSError:
        return None
    return [found.st_mtime_ns, found.st_size]


def replay(paths: tuple[Path, ...], out_dir: Path, options: dict[str, Any]) -> Report | None:
    """The last run's report when nothing changed since it, else None (run normally)."""
    try:
        index = json.loads((out_dir / FILENAME).read_text(encoding="utf-8"))
        if index.get("format") != FORMAT or index["key"] != _key(paths, options):
            return None
        if index["manifest"] != _manifest_stamp(out_dir):
            return None
        found = pipeline.discover(list(paths))
        recorded = index["specs"]
        if len(found) != len(recorded):
            return None
        for path, (display, digest, imports) in zip(found, recorded):
            if display_path(path) != display or manifest.sha256_file(path) != digest:
                return None
            if any((manifest.sha256_file(Path(other)) or "") != sha for other, sha in imports.items()):  # "" = missing
                return None
        if any(_mtime(out_dir / folder) != stamp for folder, stamp in index["folders"].items()):
            return None
        return Report(index["diagnostics"], index["to_stderr"], index["summary"], index["code"])
    except (OSError, ValueError, TypeError, KeyError, pipeline.UsageError):
        return None


def record(
    paths: tuple[Path, ...],
    out_dir: Path,
    options: dict[str, Any],
    result: pipeline.Result,
    state: manifest.Manifest,
    report: Report,
) -> bool:
    """Write the index after a run that wrote ``state`` into ``out_dir``; True when written.

    Nothing is recorded when some spec of the run has no entry to take its inputs from
    (a refusal that depends on other specs): such a run is always done in full. The old
    index then stays, and disagrees, since this run rewrote the manifest.
    """
    specs: list[list[Any]] = []
    folders: set[str] = set()
    for spec in result.specs:
        entry = state.specs.get(spec.display) if spec.ok else state.invalid.get(spec.display)
        if entry is None or spec.display not in entry.inputs:
            return False
        imports = {name: sha for name, sha in entry.inputs.items() if name != spec.display}
        specs.append([spec.display, entry.inputs[spec.display], imports])
        if spec.ok:
            folders.update(name.rpartition("/")[0] for name in entry.files)
    index = {
        "format": FORMAT,
        "key": _key(paths, options),
        "manifest": _manifest_stamp(out_dir),
        "specs": specs,
        "folders": {folder: _mtime(out_dir / folder) for folder in sorted(folders)},
        "diagnostics": report.diagnostics,
        "to_stderr": report.to_stderr,
        "summary": report.summary,
        "code": report.code,
    }
    text = json.dumps(index)
    target = out_dir / FILENAME
    try:
        if not target.is_file() or target.read_text(encoding="utf-8") != text:  # a no-op run writes nothing
            target.write_text(text, encoding="utf-8")
    except OSError:
        return False
    return True
