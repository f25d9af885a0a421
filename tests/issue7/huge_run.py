"""Run the CLI on argv[1:] in this process, then print its peak RSS in MB on the last line
(a helper of test_huge.py: run as a subprocess so the figure is this run's alone)."""

from __future__ import annotations

import resource
import sys

from generator import cli

if __name__ == "__main__":
    try:
        cli.command.main(sys.argv[1:], standalone_mode=False)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    print(f"exit={code} rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
