"""The ``naftiko-gen`` command: arguments, diagnostics, exit codes.

Two forms: ``naftiko-gen PATH... -o OUT`` generates (or, with ``--check``,
compares), and ``naftiko-gen diff OLD NEW`` reports API-surface changes.

Exit codes: 0 ok, 1 invalid spec (or drift with --check, or a hand-edited file
in the way), 2 usage error, 123 internal error (a generator bug; a traceback
only with --debug).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import click

from .. import __version__, pipeline
from ..output import fastpath, incremental, manifest, writer as output
from . import report
from .exits import EXIT_INVALID, EXIT_OK, guard
from ..emit import layout
from ..read.diagnostics import Diagnostic, Severity, display_path



@dataclass(frozen=True)
class RunOptions:
    paths: tuple[Path, ...]
    out: Path
    strict: bool = False
    keep_going: bool = False
    check: bool = False
    force: bool = False
    quiet: bool = False
    error_format: str = "text"
    jobs: int = 1
    line_length: int | None = None  # None: the manifest's, else black's default


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _summary(result: pipeline.Result, reused: int, extra: list[str]) -> str:
    invalid = sum(1 for s in result.specs if not s.ok)
    generated = sum(1 for s in result.specs if s.ok and (s.files or s.kept))
    warnings = sum(1 for d in result.diagnostics if not d.is_error)
    parts = [f"{generated} generated"]
    if reused:
        parts[0] += f" ({reused} unchanged)"
    if invalid:
        parts.insert(0, f"{_plural(invalid, 'spec')} invalid")
    if warnings:
        parts.append(_plural(warnings, "warning"))
    support = [s.display for s in result.specs if s.ok and s.skipped]
    if support:
        listed = ", ".join(support[:3]) + (f" and {len(support) - 3} more" if len(support) > 3 else "")
        parts.append(f"{_plural(len(support), 'support file')} not a package (imported or read by specs: {listed})")
    return ", ".join(parts + extra) + "."


def _output_diagnostic(code: str, out: Path, path: PurePosixPath, message: str, hint: str | None = None, line: int = 1) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, display_path(out / path), line, 1, hint)


def _regenerate_hint(opts: RunOptions) -> str:
    return "regenerate with: naftiko-gen " + " ".join(map(str, opts.paths)) + f" -o {opts.out}"


def _check(opts: RunOptions, plan: output.Plan, emit: Callable[[Diagnostic], None]) -> tuple[int, list[str]]:
    """Report drift; returns the number of drifting files and summary parts."""
    drift = output.drift(plan, opts.out)
    hint = _regenerate_hint(opts)
    for path, diff in sorted(drift.changed.items()):
        on_disk = (opts.out / path).read_text(encoding="utf-8", errors="replace")
        line = output.first_changed_line(on_disk, plan.writes[path])
        emit(_output_diagnostic("NG501", opts.out, path, "generated file is out of date", hint, line))
        if opts.error_format != "json":
            click.echo(diff, nl=False)
    for path in drift.missing:
        emit(_output_diagnostic("NG502", opts.out, path, "generated file is missing", hint))
    for path in drift.extra:
        emit(_output_diagnostic("NG503", opts.out, path, "file is no longer generated", hint))
    count = len(drift.changed) + len(drift.missing) + len(drift.extra)
    if count:
        return count, [f"{_plural(count, 'file')} would change"]
    notes = []
    if plan.manifest_text is not None:
        notes.append(f"files are current, but {manifest.FILENAME} is not (written by another generator version or run)")
    return 0, notes


def run(opts: RunOptions) -> int:
    """Generate, then write (or check); returns the exit code."""
    if not opts.check:
        for restored in output.recover(opts.out):
            click.echo(f"naftiko-gen: restored {restored} from an interrupted run", err=True)
    if not (opts.check or opts.force):
        replayed = fastpath.replay(opts.paths, opts.out, _run_key(opts))
        if replayed is not None:
            report.print_block(replayed.errors if opts.quiet else replayed.diagnostics, replayed.to_stderr)
            if not opts.quiet:
                click.echo(replayed.summary, err=True)
            return replayed.code
    previous = manifest.load(opts.out)
    index = fastpath.load(opts.out)
    options = pipeline.Options(strict=opts.strict, line_length=_line_length(opts, previous))
    reuse = incremental.Reuse(
        previous,
        options,
        opts.out,
        enabled=not opts.force and fastpath.vouches(index, opts.out),
        stats=fastpath.file_stats(index),
    )
    stager = None if opts.check else output.Stager(opts.out)
    try:
        return _generate_and_write(opts, previous, options, reuse, stager)
    finally:
        if stager is not None:
            stager.discard()


def _line_length(opts: RunOptions, previous: manifest.Manifest | None) -> int:
    """``--line-length``, else the one OUT was generated with, else black's default."""
    if opts.line_length is not None:
        return opts.line_length
    if previous is not None and previous.line_length is not None:
        return previous.line_length
    return layout.DEFAULT_LINE_LENGTH


def _run_key(opts: RunOptions) -> dict[str, object]:
    """The options a fast-path replay must match."""
    return {"strict": opts.strict, "keep_going": opts.keep_going, "error_format": opts.error_format, "out": str(opts.out), "line_length": opts.line_length}


def _generate_and_write(
    opts: RunOptions,
    previous: manifest.Manifest | None,
    options: pipeline.Options,
    reuse: incremental.Reuse,
    stager: output.Stager | None,
) -> int:
    """Generate every spec (each one's files staged as it comes), then write or check."""
    emit = lambda d: report.emit(d, opts.error_format)  # noqa: E731
    bar = report.Bar(enabled=not opts.quiet)
    try:
        on_files = stager.stage if stager is not None else None
        result = pipeline.generate(list(opts.paths), options, reuse, bar, jobs=opts.jobs, on_files=on_files)
    finally:
        bar.finish()
    printed, to_stderr = report.render_all(result.diagnostics, opts.error_format)
    errors = report.render_all([d for d in result.diagnostics if d.is_error], opts.error_format)[0]
    report.print_block(errors if opts.quiet else printed, to_stderr)
    fresh = incremental.next_manifest(result, reuse, previous)
    plan = output.plan(result.files(), opts.out, previous, fresh, force=opts.force)
    code = EXIT_OK if result.ok else EXIT_INVALID
    extra: list[str] = []
    if opts.check:
        drifting, extra = _check(opts, plan, emit)
        code = EXIT_INVALID if drifting else code
    elif not result.ok and not opts.keep_going:
        extra.append("nothing written: fix the errors above, or pass --keep-going to write the valid specs")
    elif plan.conflicts:
        for path, why in sorted(plan.conflicts.items()):
            emit(_output_diagnostic("NG504", opts.out, path, f"will not overwrite or delete: {why}", "move your changes elsewhere, or pass --force to regenerate the file"))
        extra.append("nothing written")
        code = EXIT_INVALID
    else:
        output.apply(plan, opts.out, stager)
        if stager is not None:
            stager.discard()  # before the index records OUT's time
        extra.append(f"{_plural(len(plan.writes), 'file')} written")
        if plan.deletes:
            extra.append(f"{len(plan.deletes)} deleted")
        # what the next run prints when nothing changes: every valid spec unchanged, nothing written
        unchanged = _summary(result, sum(1 for s in result.specs if s.ok), ["0 files written"])
        next_run = fastpath.Report(printed, errors, to_stderr, unchanged, code)
        fastpath.record(opts.paths, opts.out, _run_key(opts), result, fresh, next_run, reuse.name)
    if not opts.quiet:
        click.echo(_summary(result, reuse.reused, extra), err=True)
    return code


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    found = manifest.fingerprint()
    code = manifest.generator_digest()[:12]
    click.echo(f"naftiko-gen {__version__} (black {found['black']}, code {code})")
    ctx.exit()


@click.command(context_settings={"help_option_names": ["-h", "--help"]}, epilog="Also: naftiko-gen diff OLD NEW (API-surface changes; see naftiko-gen diff --help) and naftiko-gen migrate PATH... (alpha2 specs into the Ikanos syntax).")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path, file_okay=False), help="Folder to write packages into.")
@click.option("--strict", is_flag=True, help="Treat public-dialect and semantic warnings as errors.")
@click.option("--keep-going", is_flag=True, help="Write the valid specs even when others are invalid (still exits 1).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the output folder is not up to date.")
@click.option("--force", is_flag=True, help="Regenerate every spec, and overwrite or delete generated files edited by hand.")
@click.option("--error-format", type=click.Choice(report.FORMATS), default="text", show_default=True, help="How to print diagnostics (github: workflow annotations).")
@click.option("-q", "--quiet", is_flag=True, help="Only print errors (no warnings, no summary, no progress bar).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: one per core). Output does not depend on it.")
@click.option("--line-length", type=click.IntRange(min=40, max=320), default=None, help="Lay the code out at this width (default: black's 88, or what OUT was generated with).")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version, help="Show the version and exit.")
def command(paths: tuple[Path, ...], out: Path, strict: bool, keep_going: bool, check: bool, force: bool, error_format: str, quiet: bool, jobs: int | None, line_length: int | None, debug: bool) -> None:
    """Generate FastAPI, MCP and httpx adapters from Naftiko capability specs."""
    opts = RunOptions(paths, out, strict, keep_going, check, force, quiet, error_format, jobs or pipeline.default_jobs(), line_length)
    guard(lambda: run(opts), debug)
