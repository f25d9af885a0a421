"""Stage 0, the command: arguments, the report, exit codes, and ``diff``."""

from __future__ import annotations

import sys

from . import command


def main() -> None:
    """Entry point: ``naftiko-gen diff ...`` or the generating form."""
    if len(sys.argv) > 1 and sys.argv[1] == "diff":
        from . import diff

        diff.command.main(sys.argv[2:], prog_name="naftiko-gen diff")
    else:
        command.command()
