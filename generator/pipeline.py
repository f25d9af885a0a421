"""The pipeline, top to bottom: load -> validate -> check -> build -> render -> format.

``generate`` does no writing: it returns every file and diagnostic, and the
CLI decides what to write (nothing at all when a spec is invalid).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from typing import TYPE_CHECKING, Any

from .emit import layout
from .read.diagnostics import Diagnostic, Severity, display_path
from .model.naming import package_name

if TYPE_CHECKING:  # the stages are imported where they run: a no-op run needs none of them
    from . import forked
    from .model import ir
    from .read import loader

SPEC_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Options:
    strict: bool = False
    line_length: int = layout.DEFAULT_LINE_LENGTH

    def key(self) -> str:
        """The options that change the output, as recorded in the manifest."""
        if self.line_length == layout.DEFAULT_LINE_LENGTH:
            return f"strict={int(self.strict)}"
        return f"strict={int(self.strict)},line_length={self.line_length}"


@dataclass
class SpecResult:
    """What one spec produced."""

    path: Path
    display: str
    package: str | None
    files: dict[PurePosixPath, Any] = field(default_factory=dict)
    """Each generated file's text; once staged, the handle the stager gave for it."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: str | None = None  # why nothing is generated for a valid file
    inputs: list[Path] = field(default_factory=list)  # files read besides ``path`` (imports)
    kept: dict[str, str] | None = None  # reused from the last run: path in OUT (posix) -> sha256

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


@dataclass
class Result:
    specs: list[SpecResult]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted((d for s in self.specs for d in s.diagnostics), key=Diagnostic.sort_key)

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.specs)

    def files(self, *, only_valid: bool = True) -> dict[PurePosixPath, Any]:
        merged: dict[PurePosixPath, Any] = {}
        for spec in self.specs:
            if spec.ok or not only_valid:
                merged.update(spec.files)
        return merged


class UsageError(Exception):
    """Bad command-line input (exit code 2)."""


def discover(paths: list[Path]) -> list[Path]:
    """Spec files named directly, and *.yaml / *.yml found recursively in folders."""
    return list(discover_named(paths, named=False))


def discover_named(paths: list[Path], named: bool = True) -> dict[Path, str]:
    """``discover``, each spec with its source name: its path relative to the folder
    named on the command line (a file named directly: its file name), in posix form.
    Generated files name their spec this way, so their bytes depend neither on the
    working directory nor on where the checkout lives. (``named=False``: names left empty.)"""
    found: list[tuple[Path, Path]] = []  # (spec, the folder its name is relative to)
    for path in paths:
        if path.is_dir():
            specs = (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SPEC_SUFFIXES)
            found += [(p, path) for p in sorted(specs)]
        elif path.is_file():
            found.append((path, path.parent))
        else:
            raise UsageError(f"no such file or folder: {path}")
    unique: dict[Path, tuple[Path, Path]] = {}
    for path, root in found:
        unique.setdefault(path.resolve(), (path, root))
    if not named:
        return {path: "" for path, _ in unique.values()}
    return {path: path.relative_to(root).as_posix() for path, root in unique.values()}


def analyse(
    path: Path, options: Options, source: str | None = None, cores: int = 1
) -> tuple[SpecResult, ir.Capability | None]:
    """Load, validate, check and build one spec: its diagnostics and model (None on errors).

    ``source`` is how generated code names the spec (see ``discover_named``). With
    ``cores`` > 1 a large spec is validated in a forked child (read/verdict.py) while
    this process builds its model, which is kept only when the spec is valid: the result
    is that of validating first."""
    from .read import verdict

    shown = display_path(path)
    result = SpecResult(path, shown, package_name(path.stem))
    pending = verdict.ahead(path, shown) if cores > 1 else None
    if pending is not None:
        try:
            spec = _loaded(path, shown, result)
            if spec is not None:
                return result, _built_while_validated(result, spec, pending, options, source)
        finally:
            pending.cancel()  # (nothing left to stop once its answer is in)
        return result, None
    spec = _loaded(path, shown, result)
    if spec is None:
        return result, None
    spec, found, ikanos = verdict.validated(spec)
    if not _add_findings(result, found, options):
        return result, None
    return result, _checked_and_built(result, spec, ikanos, options, source)


def _built_while_validated(
    result: SpecResult,
    spec: loader.LoadedSpec,
    pending: forked.Pending[list[Diagnostic] | None],
    options: Options,
    source: str | None,
) -> ir.Capability | None:
    """``analyse``'s model, built while a child validates; None when the child finds
    the spec invalid (then ``result`` holds what it found, and nothing of the build)."""
    from .read import verdict

    spec, _, ikanos = verdict.validated(spec, schema=False)
    failure: Exception | None = None
    try:
        capability = _checked_and_built(result, spec, ikanos, options, source)
    except Exception as exc:  # invalid data may break the build: the verdict decides
        capability, failure = None, exc
    found = pending.result()
    if found is None:  # the child failed: validate here after all, on the file as read
        found = verdict.validated(verdict.checked_load(result.path, result.display)[0] or spec)[1]
    built, result.diagnostics = result.diagnostics, []
    if not _add_findings(result, found, options):
        result.skipped, result.inputs = None, []
        return None
    if failure is not None:
        raise failure
    result.diagnostics.extend(built)
    return capability


def _loaded(path: Path, shown: str, result: SpecResult) -> loader.LoadedSpec | None:
    """The spec at ``path``; None when it does not load or is too large (the errors go
    into ``result``), or is a key/value data file (``result`` says it is skipped)."""
    from .read import verdict

    spec, result.diagnostics, result.skipped = verdict.checked_load(path, shown)
    return spec


def _add_findings(result: SpecResult, found: list[Diagnostic], options: Options) -> bool:
    """A stage's findings into ``result`` (errors under ``--strict``); whether the spec
    is still valid."""
    result.diagnostics.extend([d.promoted() for d in found] if options.strict else found)
    return result.ok


def _checked_and_built(
    result: SpecResult, spec: loader.LoadedSpec, ikanos: bool, options: Options, source: str | None
) -> ir.Capability | None:
    """The checks after the schema, and the model (None when they found errors)."""
    from .model import build, mcp_lint
    from .read import dialect, features, imports, semantics

    standalone = dialect.standalone_kind(spec.data)
    if standalone is not None:
        result.skipped = f"a standalone {standalone} document (a support file other specs import)"
        return None
    out = spec.collector()
    if ikanos:
        features.check(spec.data, out)
        spec = dialect.internal(spec)
        out.locate = spec.locator()
    data = imports.resolve(spec.data, result.path, out)
    result.inputs = imports.locations(spec.data, result.path)
    index = semantics.check(data, out)
    capability = build.build(data, result.package or "capability", source or result.path.name, index, out)
    mcp_lint.lint(data, capability, out)
    return capability if _add_findings(result, out.items, options) else None


def process(path: Path, options: Options, source: str | None = None, cores: int = 1) -> SpecResult:
    """Run one spec through every stage (with ``cores`` > 1, a large one renders on two)."""
    from .emit import fmt, render

    with collector_paused():
        result, capability = analyse(path, options, source, cores)
        if capability is not None:
            layout.configure(options.line_length)
            result.files = fmt.format_files(render.render(capability, parallel=cores > 1))
    return result


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while one spec goes through the stages.

    They make hundreds of thousands of objects that live until the spec is done (the
    loaded document with its positions, the model, the rendered nodes), and each
    collection would walk them all again: a 500-operation spec spent over 40% of its
    time there. What cycles a spec leaves are collected once the collector is back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_package_clashes(results: list[SpecResult]) -> None:
    owners: dict[str, SpecResult] = {}
    for result in results:
        if result.package is None or result.skipped or not result.ok:
            continue
        first = owners.get(result.package)
        if first is None:
            owners[result.package] = result
            continue
        result.diagnostics.append(
            Diagnostic(
                Severity.ERROR,
                "NG303",
                f"package name {result.package!r} is also made from {first.display}",
                result.display,
                hint="rename one of the two spec files (the package name comes from the file name)",
            )
        )
        result.files = {}
        result.kept = None


Reuse = Callable[[Path], "SpecResult | None"]


class Progress:
    """Told how many specs there are, then of each one done. This one does nothing."""

    def start(self, total: int) -> None:
        """Called once, with the number of specs found."""

    def advance(self) -> None:
        """Called after each spec."""


def default_jobs() -> int:
    """Worker processes when none is asked for: one per core."""
    return os.cpu_count() or 1


def _process_pair(item: tuple[Path, Options, str]) -> SpecResult:
    return process(*item)


def _processed(paths: list[tuple[Path, str]], options: Options, jobs: int) -> Iterator[SpecResult]:
    """``process`` over ``paths`` (with source names), in order; in ``jobs`` worker
    processes when worth it."""
    if jobs <= 1 or len(paths) < 2:
        cores = jobs if len(paths) == 1 else 1  # one spec alone may use the cores
        yield from (process(path, options, source, cores) for path, source in paths)
        return
    workers = min(jobs, len(paths))
    chunk = max(1, min(8, len(paths) // (workers * 8)))
    from concurrent.futures import ProcessPoolExecutor  # only for a run of several specs

    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        items = [(path, options, source) for path, source in paths]
        yield from pool.map(_process_pair, items, chunksize=chunk)
    finally:
        pool.shutdown(cancel_futures=True)


def generate(
    paths: list[Path],
    options: Options = Options(),
    reuse: Reuse | None = None,
    progress: Progress = Progress(),
    jobs: int = 1,
    on_files: Callable[[dict[PurePosixPath, str]], dict[PurePosixPath, Any] | None] | None = None,
) -> Result:
    """Generate code for every spec found under ``paths``.

    ``reuse`` may answer for a spec from the last run (then it is not processed);
    ``progress`` hears of each spec done; ``on_files`` gets the files of each spec
    generated, as soon as it is (to write them ahead), and may answer what stands for
    them from then on (so that the texts need not stay in memory). With ``jobs`` > 1 the specs are processed
    in that many worker processes; results (and so output and diagnostics) keep the
    order of the specs found, whatever order the workers finish in.
    """
    named = discover_named(paths)
    found = list(named)
    progress.start(len(found))
    slots: list[SpecResult | None] = []
    for path in found:
        reused = reuse(path) if reuse is not None else None
        slots.append(reused)
        if reused is not None:
            progress.advance()
    todo = [(path, named[path]) for path, slot in zip(found, slots) if slot is None]
    fresh = _processed(todo, options, jobs)
    results: list[SpecResult] = []
    try:
        for slot in slots:
            if slot is None:
                slot = next(fresh)
                progress.advance()
                if on_files is not None and slot.files:
                    slot.files = on_files(slot.files) or slot.files  # what stands for them now
            results.append(slot)
    finally:
        fresh.close()
    _check_package_clashes(results)
    return Result(results)


__all__ = ["Options", "Progress", "Reuse", "Result", "SpecResult", "UsageError", "analyse", "default_jobs", "discover", "generate", "process"]
