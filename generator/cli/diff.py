"""``naftiko-gen diff OLD NEW``: API-surface changes between two spec trees or files.

Specs are paired by package name (the file stem); two single files are paired with
each other. Exit codes: 0 done (or no breaking change with --fail-on-breaking),
1 a breaking change with --fail-on-breaking, or a spec that cannot be read,
2 usage error.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import pipeline
from ..model import surface
from .exits import EXIT_INVALID, EXIT_OK, guard
from ..read.diagnostics import Diagnostic, display_path


def _surfaces(path: Path, problems: list[Diagnostic]) -> dict[str, dict[str, surface.Endpoint]]:
    """The endpoints of every capability under ``path``, by package name."""
    found: dict[str, dict[str, surface.Endpoint]] = {}
    for spec in pipeline.discover([path]):
        # changes name their spec as diagnostics do (generated code names it otherwise)
        result, capability = pipeline.analyse(spec, pipeline.Options(), display_path(spec))
        problems += [d for d in result.diagnostics if d.is_error]
        if capability is not None:
            found[capability.package] = surface.endpoints(capability)
    return found


def run(old: Path, new: Path, fail_on_breaking: bool, as_json: bool) -> int:
    problems: list[Diagnostic] = []
    before, after = _surfaces(old, problems), _surfaces(new, problems)
    if old.is_file() and new.is_file() and len(before) == len(after) == 1:
        before = {next(iter(after)): next(iter(before.values()))}
    changes: list[surface.Change] = []
    for package in sorted(before.keys() | after.keys()):
        changes += surface.compare(package, before.get(package, {}), after.get(package, {}))
    for problem in problems:
        click.echo(problem.format_text(), err=True)
    if as_json:
        click.echo(json.dumps([c.__dict__ for c in changes], indent=1, ensure_ascii=False))
    else:
        for change in changes:
            click.echo(change.format_text())
    breaking = sum(1 for c in changes if c.breaking)
    click.echo(f"{len(changes)} change{'s' if len(changes) != 1 else ''}, {breaking} breaking.", err=True)
    if problems:
        return EXIT_INVALID
    return EXIT_INVALID if fail_on_breaking and breaking else EXIT_OK


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@click.option("--fail-on-breaking", is_flag=True, help="Exit 1 when any change is breaking.")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as a JSON list.")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
def command(old: Path, new: Path, fail_on_breaking: bool, as_json: bool, debug: bool) -> None:
    """Report API-surface changes (tools, routes, inputs, outputs) from OLD to NEW specs."""
    guard(lambda: run(old, new, fail_on_breaking, as_json), debug)
