"""Run the CLI on argv[1:] in this process, then print its peak RSS in MB on the last line
(a helper of test_huge.py: run as a subprocess so the figure is this run's alone)."""

from __future__ import annotations

import resource
import sys
from pathlib import Path

from generator.cli import command as cli


def peak_rss_mb() -> float:
    """This process's peak resident memory. On Linux, VmHWM: ru_maxrss of a process that a
    large parent forked counts the parent's memory at the fork, even after exec."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    try:
        cli.command.main(sys.argv[1:], standalone_mode=False)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    print(f"exit={code} rss_mb={peak_rss_mb():.0f}")
