"""Incremental runs: reuse the last run's output for specs that did not change.

A spec is reused, without loading, rendering or formatting it, when the
manifest in the output folder was written by the same generator (versions and
template digest), with the same options, from files with the same digests, and
its generated files are still there. Its diagnostics are replayed from the
manifest, so a reused spec reports exactly what it reported before. A spec that
was refused is remembered the same way (``Manifest.invalid``): unchanged, it is
not validated again, and its diagnostics are replayed.

The manifest names every spec and input relative to the output folder (``../specs/x.yaml``),
diagnostics included, so it holds the same bytes whatever the working directory or
wherever the checkout lives; they are shown relative to the working directory again
when replayed.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from . import manifest
from ..read.diagnostics import Diagnostic, display_path
from .manifest import Manifest, SpecEntry
from .staged import digest_of
from ..pipeline import Options, Result, SpecResult


class Reuse:
    """The ``reuse`` hook of ``pipeline.generate``; remembers the digest of every spec it saw.

    A spec is reused only when every file the manifest says it generated is still there
    with the bytes recorded, so a hand edit or a deleted file is always noticed (the spec
    is then generated again and the writer names the file). ``stats`` (path in OUT ->
    [size, mtime] from the run cache) spares the hashing of files not touched since the
    last run. ``enabled`` is False when the manifest is not to be trusted (``--force``,
    or no run cache vouching that this generator's code wrote it).
    """

    def __init__(self, previous: Manifest | None, options: Options, out_dir: Path, enabled: bool = True, stats: dict[str, list[int]] | None = None) -> None:
        usable = previous is not None and previous.generator == manifest.fingerprint()
        self.previous = previous if usable and enabled else None
        self.options = options
        self.out_dir = out_dir
        self.stats = stats or {}
        self.digests: dict[str, str | None] = {}
        self.entries: dict[str, SpecEntry] = {}  # reused entries (valid or refused), kept as they are
        self.reused = 0

    def name(self, path: Path) -> str:
        """How the manifest names a file: relative to the output folder."""
        return stored_name(path, self.out_dir)

    def __call__(self, path: Path) -> SpecResult | None:
        display = display_path(path)
        key = self.name(path)
        digest = manifest.sha256_file(path)
        self.digests[key] = digest
        if self.previous is None or digest is None:
            return None
        refused = self.previous.invalid.get(key)
        if refused is not None and self._inputs_current(key, digest, refused):
            self.entries[key] = refused
            return SpecResult(path, display, refused.package, diagnostics=self._diagnostics(refused))
        entry = self.previous.specs.get(key)
        if entry is None or not self._current(key, digest, entry):
            return None
        self.reused += 1
        self.entries[key] = entry
        return SpecResult(
            path,
            display,
            entry.package,
            diagnostics=self._diagnostics(entry),
            skipped=entry.skipped,
            kept=entry.files,
        )

    def _diagnostics(self, entry: SpecEntry) -> list[Diagnostic]:
        return [manifest.diagnostic_from_dict(d, shown_name(d["file"], self.out_dir)) for d in entry.diagnostics]

    def _inputs_current(self, key: str, digest: str, entry: SpecEntry) -> bool:
        """Same options, same spec bytes, same bytes in every file it imported."""
        if entry.options != self.options.key() or entry.inputs.get(key) != digest:
            return False
        return all(other == key or (manifest.sha256_file(self.out_dir / other) or "") == sha for other, sha in entry.inputs.items())

    def _current(self, key: str, digest: str, entry: SpecEntry) -> bool:
        if not self._inputs_current(key, digest, entry):
            return False
        return all(self._unchanged(name, sha) for name, sha in entry.files.items())

    def _unchanged(self, name: str, sha: str) -> bool:
        """Is the file still as generated? Its size and time as the run cache recorded
        them say so; otherwise its bytes are hashed."""
        try:
            found = os.stat(self.out_dir / name)
        except OSError:
            return False
        if self.stats.get(name) == [found.st_size, found.st_mtime_ns]:
            return True
        return manifest.sha256_file(self.out_dir / name) == sha

    def entry(self, result: SpecResult) -> SpecEntry:
        """The manifest entry for a spec of this run: as generated, or as reused from the last run."""
        key = self.name(result.path)
        if key in self.entries:
            return self.entries[key]
        inputs = {key: self.digests.get(key) or manifest.sha256_file(result.path) or ""}
        for extra in result.inputs:
            inputs[self.name(extra)] = manifest.sha256_file(extra) or ""
        if result.kept is not None:
            files = dict(result.kept)
        else:
            files = {name.as_posix(): digest_of(content) for name, content in result.files.items()}
        return SpecEntry(
            package=result.package,
            options=self.options.key(),
            inputs=inputs,
            files=dict(sorted(files.items())),
            diagnostics=[manifest.diagnostic_to_dict(d, stored_name(Path(d.file), self.out_dir)) for d in result.diagnostics],
            skipped=result.skipped,
        )


def stored_name(path: Path, out_dir: Path) -> str:
    """``path`` relative to ``out_dir``, in posix form (absolute only across drives)."""
    return _stored_name(str(path), str(out_dir), os.getcwd())


@lru_cache(maxsize=8192)
def _stored_name(path: str, out_dir: str, cwd: str) -> str:
    try:
        return Path(os.path.relpath(os.path.join(cwd, path), os.path.join(cwd, out_dir))).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(os.path.abspath(path)).as_posix()


def shown_name(stored: str, out_dir: Path) -> str:
    """A name from the manifest as diagnostics show it: relative to the working dir."""
    return _shown_name(stored, str(out_dir), os.getcwd())


@lru_cache(maxsize=8192)
def _shown_name(stored: str, out_dir: str, cwd: str) -> str:
    return display_path(Path(os.path.normpath(os.path.join(out_dir, stored))))


CROSS_SPEC_CODES = {"NG303"}
"""Diagnostics that depend on other specs of the run: a refusal carrying one is not remembered."""


def _remember_refusal(spec: SpecResult) -> bool:
    return spec.path.is_file() and not any(d.code in CROSS_SPEC_CODES for d in spec.diagnostics)


def next_manifest(result: Result, reuse: Reuse, previous: Manifest | None) -> Manifest:
    """The manifest after writing ``result``: valid specs as generated, others as they were.

    An invalid spec keeps its previous entry (its old files are left in place), and so
    does a spec from an earlier run that was not part of this one but still exists.
    """
    fresh = Manifest(line_length=reuse.options.line_length)
    seen: set[str] = set()
    for spec in result.specs:
        key = reuse.name(spec.path)
        seen.add(key)
        if spec.ok:
            fresh.specs[key] = reuse.entry(spec)
        else:
            if previous is not None and key in previous.specs:
                fresh.specs[key] = previous.specs[key]
            if _remember_refusal(spec):
                fresh.invalid[key] = reuse.entry(spec)
    if previous is not None:
        for name, entry in previous.specs.items():
            if name not in seen and (reuse.out_dir / name).is_file():
                fresh.specs[name] = entry
    return fresh
