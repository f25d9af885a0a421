"""Incremental runs: reuse the last run's output for specs that did not change.

A spec is reused, without loading, rendering or formatting it, when the
manifest in the output folder was written by the same generator (versions and
template digest), with the same options, from files with the same digests, and
its generated files are still there. Its diagnostics are replayed from the
manifest, so a reused spec reports exactly what it reported before. A spec that
was refused is remembered the same way (``Manifest.invalid``): unchanged, it is
not validated again, and its diagnostics are replayed.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import manifest
from ..read.diagnostics import Diagnostic, display_path
from .manifest import Manifest, SpecEntry
from ..pipeline import Options, Result, SpecResult


class Reuse:
    """The ``reuse`` hook of ``pipeline.generate``; remembers the digest of every spec it saw.

    ``verify`` says how much of the output to look at before trusting the manifest:
    ``"names"`` checks that the files are there (a write run), ``"content"`` hashes them
    (``--check``, which must see hand edits).
    """

    def __init__(self, previous: Manifest | None, options: Options, out_dir: Path, verify: str = "names", enabled: bool = True) -> None:
        usable = previous is not None and previous.generator == manifest.fingerprint()
        self.previous = previous if usable and enabled else None
        self.options = options
        self.out_dir = out_dir
        self.verify = verify
        self.digests: dict[str, str | None] = {}
        self.entries: dict[str, SpecEntry] = {}  # reused entries (valid or refused), kept as they are
        self.reused = 0

    def __call__(self, path: Path) -> SpecResult | None:
        display = display_path(path)
        digest = manifest.sha256_file(path)
        self.digests[display] = digest
        if self.previous is None or digest is None:
            return None
        refused = self.previous.invalid.get(display)
        if refused is not None and self._inputs_current(display, digest, refused):
            self.entries[display] = refused
            return SpecResult(path, display, refused.package, diagnostics=_diagnostics(refused))
        entry = self.previous.specs.get(display)
        if entry is None or not self._current(display, digest, entry):
            return None
        self.reused += 1
        self.entries[display] = entry
        return SpecResult(
            path,
            display,
            entry.package,
            diagnostics=_diagnostics(entry),
            skipped=entry.skipped,
            kept=entry.files,
        )

    def _inputs_current(self, display: str, digest: str, entry: SpecEntry) -> bool:
        """Same options, same spec bytes, same bytes in every file it imported."""
        if entry.options != self.options.key() or entry.inputs.get(display) != digest:
            return False
        return all(other == display or (manifest.sha256_file(Path(other)) or "") == sha for other, sha in entry.inputs.items())

    def _current(self, display: str, digest: str, entry: SpecEntry) -> bool:
        if not self._inputs_current(display, digest, entry):
            return False
        if self.verify == "content":
            return all(manifest.sha256_file(self.out_dir / name) == sha for name, sha in entry.files.items())
        return self._files_present(entry.files)

    def _files_present(self, files: dict[str, str]) -> bool:
        """One directory listing per package folder: are all the files there?"""
        by_folder: dict[str, set[str]] = {}
        for name in files:
            folder, _, base = name.rpartition("/")
            by_folder.setdefault(folder, set()).add(base)
        for folder, names in by_folder.items():
            try:
                with os.scandir(self.out_dir / folder) as entries:
                    present = {e.name for e in entries}
            except OSError:
                return False
            if not names <= present:
                return False
        return True

    def entry(self, result: SpecResult) -> SpecEntry:
        """The manifest entry for a spec of this run: as generated, or as reused from the last run."""
        if result.display in self.entries:
            return self.entries[result.display]
        inputs = {result.display: self.digests.get(result.display) or manifest.sha256_file(result.path) or ""}
        for extra in result.inputs:
            inputs[display_path(extra)] = manifest.sha256_file(extra) or ""
        if result.kept is not None:
            files = dict(result.kept)
        else:
            files = {name.as_posix(): manifest.sha256_text(text) for name, text in result.files.items()}
        return SpecEntry(
            package=result.package,
            options=self.options.key(),
            inputs=inputs,
            files=dict(sorted(files.items())),
            diagnostics=[manifest.diagnostic_to_dict(d) for d in result.diagnostics],
            skipped=result.skipped,
        )


def _diagnostics(entry: SpecEntry) -> list[Diagnostic]:
    return [manifest.diagnostic_from_dict(d) for d in entry.diagnostics]


CROSS_SPEC_CODES = {"NG303"}
"""Diagnostics that depend on other specs of the run: a refusal carrying one is not remembered."""


def _remember_refusal(spec: SpecResult) -> bool:
    return spec.path.is_file() and not any(d.code in CROSS_SPEC_CODES for d in spec.diagnostics)


def next_manifest(result: Result, reuse: Reuse, previous: Manifest | None) -> Manifest:
    """The manifest after writing ``result``: valid specs as generated, others as they were.

    An invalid spec keeps its previous entry (its old files are left in place), and so
    does a spec from an earlier run that was not part of this one but still exists.
    """
    fresh = Manifest()
    seen: set[str] = set()
    for spec in result.specs:
        seen.add(spec.display)
        if spec.ok:
            fresh.specs[spec.display] = reuse.entry(spec)
        else:
            if previous is not None and spec.display in previous.specs:
                fresh.specs[spec.display] = previous.specs[spec.display]
            if _remember_refusal(spec):
                fresh.invalid[spec.display] = reuse.entry(spec)
    if previous is not None:
        for name, entry in previous.specs.items():
            if name not in seen and Path(name).is_file():
                fresh.specs[name] = entry
    return fresh
