"""The ``naftiko-gen`` command: arguments, diagnostics, exit codes.

Exit codes: 0 ok, 1 invalid spec (or drift with --check), 2 usage error,
123 internal error (a generator bug; a traceback only with --debug).
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from . import __version__, output, pipeline

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 123


def _report(result: pipeline.Result, quiet: bool) -> None:
    for diagnostic in result.diagnostics:
        click.echo(diagnostic.format_text(), err=True)
    if quiet:
        return
    invalid = sum(1 for s in result.specs if not s.ok)
    generated = sum(1 for s in result.specs if s.ok and s.files)
    warnings = sum(1 for d in result.diagnostics if not d.is_error)
    parts = [f"{generated} generated"]
    if invalid:
        parts.insert(0, f"{invalid} spec{'s' if invalid != 1 else ''} invalid")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    click.echo(", ".join(parts) + ".", err=True)


def run(paths: tuple[Path, ...], out: Path, strict: bool, keep_going: bool, check: bool, quiet: bool) -> int:
    """Generate, then write (or check); returns the exit code."""
    result = pipeline.generate(list(paths), pipeline.Options(strict=strict))
    _report(result, quiet)
    if check:
        drift = output.check(result.files(), out)
        for path, diff in drift.changed.items():
            click.echo(f"would change {out / path}", err=True)
            click.echo(diff, nl=False)
        for path in drift.missing:
            click.echo(f"missing {out / path}", err=True)
        for path in drift.extra:
            click.echo(f"extra {out / path} (no longer generated)", err=True)
        if not drift.clean:
            click.echo("generated code is out of date; run: naftiko-gen " + " ".join(map(str, paths)) + f" -o {out}", err=True)
            return EXIT_INVALID
        return EXIT_OK if result.ok else EXIT_INVALID
    if not result.ok and not keep_going:
        click.echo("nothing written: fix the errors above, or pass --keep-going to write the valid specs", err=True)
        return EXIT_INVALID
    output.write(result.files(), out)
    return EXIT_OK if result.ok else EXIT_INVALID


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path, file_okay=False), help="Folder to write packages into.")
@click.option("--strict", is_flag=True, help="Treat public-dialect and semantic warnings as errors.")
@click.option("--keep-going", is_flag=True, help="Write the valid specs even when others are invalid (still exits 1).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the output folder is not up to date.")
@click.option("-q", "--quiet", is_flag=True, help="Only print diagnostics.")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.version_option(__version__, prog_name="naftiko-gen")
def command(paths: tuple[Path, ...], out: Path, strict: bool, keep_going: bool, check: bool, quiet: bool, debug: bool) -> None:
    """Generate FastAPI, MCP and httpx adapters from Naftiko capability specs."""
    try:
        code = run(paths, out, strict, keep_going, check, quiet)
    except pipeline.UsageError as exc:
        click.echo(f"naftiko-gen: error: {exc}", err=True)
        code = EXIT_USAGE
    except Exception as exc:  # a generator bug: say so, without a traceback unless asked
        if debug:
            traceback.print_exc()
        click.echo(f"naftiko-gen: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("this is a bug in naftiko-gen; rerun with --debug for the traceback", err=True)
        code = EXIT_INTERNAL
    sys.exit(code)


def main() -> None:
    command()
