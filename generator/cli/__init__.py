"""Stage 0, the command: arguments, the report, exit codes, ``diff`` and ``migrate``."""

from __future__ import annotations

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
        command.command()
