"""``naftiko-gen migrate PATH... [--check]``: rewrite alpha2 specs into the Ikanos syntax.

Exit codes: 0 done (or, with --check, nothing to rewrite), 1 a file was refused (or, with
--check, a file would be rewritten), 2 usage error.
"""

from __future__ import annotations

from pathlib import Path

import click

from .. import pipeline
from ..migrate.files import FileOutcome, migrate_file
from ..migrate.rules import NEW_VERSION
from ..read.diagnostics import Diagnostic, Severity, display_path
from .exits import EXIT_INVALID, EXIT_OK, guard


def _diagnostics(result: FileOutcome, check: bool) -> list[Diagnostic]:
    shown = display_path(result.path)
    found = [
        Diagnostic(
            Severity.ERROR if p.error else Severity.WARNING,
            p.code,
            p.message,
            shown,
            p.line,
            p.col,
            p.hint,
        )
        for p in result.outcome.problems
    ]
    if result.outcome.status == "refused":
        found.append(
            Diagnostic(
                Severity.ERROR,
                "NG600",
                "not migrated: nothing was written to this file",
                shown,
                hint="fix the problems above, then migrate again",
            )
        )
    elif check and result.changed:
        found.append(
            Diagnostic(
                Severity.ERROR,
                "NG607",
                f"would be rewritten into ikanos {NEW_VERSION}",
                shown,
                hint=f"run: naftiko-gen migrate {shown}",
            )
        )
    return found


def run(paths: list[Path], check: bool, quiet: bool) -> int:
    results = [migrate_file(path, check) for path in pipeline.discover(paths)]
    failed = False
    for result in results:
        for diagnostic in _diagnostics(result, check):
            failed |= diagnostic.is_error
            click.echo(diagnostic.format_text(), err=True)
        if result.changed and not check and not quiet:
            click.echo(f"migrated {display_path(result.path)}")
    counts = {status: 0 for status in ("migrated", "current", "refused", "skipped", "other")}
    for result in results:
        counts[result.outcome.status] += 1
    verb = "would be rewritten" if check else "rewritten"
    if not quiet or failed:
        click.echo(
            f"{counts['migrated']} {verb}, {counts['current']} already ikanos, "
            f"{counts['refused']} refused, {counts['skipped']} other naftiko versions left "
            f"as is, {counts['other']} not specs.",
            err=True,
        )
    return EXIT_INVALID if failed else EXIT_OK


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a file would change.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
def command(paths: tuple[Path, ...], check: bool, quiet: bool, debug: bool) -> None:
    """Rewrite Naftiko 1.0.0-alpha2 specs into the Ikanos syntax, in place."""
    guard(lambda: run(list(paths), check, quiet), debug)
