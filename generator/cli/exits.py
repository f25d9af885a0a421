"""Exit codes, and the guard that maps a command's failures to them."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

import click

from .. import pipeline

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 123


def guard(action: Callable[[], int], debug: bool) -> None:
    """Run a command body, mapping usage errors and generator bugs to exit codes."""
    try:
        code = action()
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
