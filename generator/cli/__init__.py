"""Stage 0, the command: arguments, the report, exit codes, ``diff`` and ``migrate``."""

from __future__ import annotations

import os
import sys

from . import command


def main() -> None:
    """Entry point: ``naftiko-gen diff ...``, ``naftiko-gen migrate ...`` or generating."""
    if len(sys.argv) > 1 and sys.argv[1] == "diff":
        from . import diff

        diff.command.main(sys.argv[2:], prog_name="naftiko-gen diff")
    elif len(sys.argv) > 1 and sys.argv[1] == "migrate":
        from . import migrate

        migrate.command.main(sys.argv[2:], prog_name="naftiko-gen migrate")
    else:
        try:
            command.command()
        except SystemExit as done:
            if done.code is not None and not isinstance(done.code, int):
                raise
            exit_at_once(done.code or 0)


def exit_at_once(code: int) -> None:
    """End the process once its output is flushed, without tearing the heap down.

    Every file is written and closed by now; what is left is freeing each object a large
    spec made, one by one (about 30 ms for a 500-operation spec). The operating system
    frees the memory at once. Under a profiler, a tracer or a debugger (which report
    at exit) the process ends the usual way."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed or broken pipe: the exit code still holds
        pass
    os._exit(code)
