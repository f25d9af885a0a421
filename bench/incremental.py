"""A no-op regeneration against just reading and hashing the specs, measured in one run.

    .venv/bin/python bench/incremental.py [SPEC_DIR] [--limit N]

SPEC_DIR defaults to ../shared/corpus/dev. The first (cold) generation of the specs into a
temp folder is not timed. Then it times, in this process, (a) finding, reading and hashing
every spec, the baseline, and (b) a full no-op run of the CLI's write path (the manifest
is loaded, every spec is found unchanged and skipped, nothing is written), and prints (b)
as a ratio of (a). Target: under 1.5x.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import cli, pipeline  # noqa: E402


def read_and_hash(specs: Path) -> None:
    for path in pipeline.discover([specs]):
        hashlib.sha256(path.read_bytes()).hexdigest()


def best_of(runs: int, action) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("specs", nargs="?", default=str(ROOT.parent / "shared" / "corpus" / "dev"))
    parser.add_argument("--limit", type=int, default=0, help="use only the first N specs")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        specs = Path(args.specs)
        if args.limit:
            specs = Path(tmp) / "specs"
            specs.mkdir()
            for path in pipeline.discover([Path(args.specs)])[: args.limit]:
                shutil.copy(path, specs / path.name)
        out = Path(tmp) / "out"
        opts = cli.RunOptions((specs,), out, keep_going=True, quiet=True, error_format="json")
        start = time.perf_counter()
        cli.run(opts)  # cold: generates everything
        cold = time.perf_counter() - start
        count = len(pipeline.discover([specs]))
        base_min, base_med = best_of(args.runs, lambda: read_and_hash(specs))
        sys_stdout = sys.stdout
        with open("/dev/null", "w") as sink:
            sys.stdout = sink
            try:
                noop_min, noop_med = best_of(args.runs, lambda: cli.run(opts))
            finally:
                sys.stdout = sys_stdout
        print(f"specs: {count}; cold generation {cold:.1f} s (not part of the ratio)")
        print(f"read+hash baseline: best {base_min * 1000:.0f} ms, median {base_med * 1000:.0f} ms")
        print(f"no-op regeneration: best {noop_min * 1000:.0f} ms, median {noop_med * 1000:.0f} ms")
        print(f"ratio (best): {noop_min / base_min:.2f}x; ratio (median): {noop_med / base_med:.2f}x (target < 1.5x)")


if __name__ == "__main__":
    main()
