"""Code-generation speed and memory over a spec folder, against floors measured in the same run.

    .venv/bin/python bench/codegen.py [SPEC_DIR] [--limit N] [--jobs N] [--runs N]

SPEC_DIR defaults to ../shared/corpus/dev. In one run it prints:

- the number of specs and of consumed operations;
- cold generation (empty output folder, the CLI's write path with ``--keep-going``,
  ``--jobs`` worker processes, default one per core), the best of three runs;
- the floor: loading every spec with PyYAML's C loader, plus writing the bytes the cold
  run wrote, as as many files (each half the best of three runs, taking turns with the
  cold runs); and cold / floor
  (target: within 2x); the CPU seconds of the best cold run (every process) and of the
  load, steadier than wall-clock time when other jobs share the cores;
- a no-op regeneration (nothing changed since the cold run) against finding, reading and
  hashing every spec; and no-op / read+hash (target: within 1.2x); and, as what a no-op
  cannot go below, one ``os.stat`` of every spec and generated file (no-op / stat floor);
- peak RSS of this process and of the largest worker during the cold runs, before the
  floor reads the whole output into memory (target: under 300 MB);
- the load average before and after, to show how busy the machine was.

Only ratios of figures taken in the same run mean anything: the machine may be shared.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.cli import command as cli  # noqa: E402
from generator.output import cache, manifest  # noqa: E402
from generator import pipeline  # noqa: E402


ROUNDS = 3
"""Rounds of a cold run, then the floor's two halves; each figure is its best round. The
rounds interleave them so that a slow spell of a shared machine's disk hits both (a low
floor only makes the ratio stricter)."""


CPU_SPENT: list[float] = []
"""CPU seconds (user + system, this process and its workers) of each ``timed`` action."""


def cpu_seconds() -> float:
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def timed(action: Callable[[], object]) -> float:
    cpu = cpu_seconds()
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        action()
    CPU_SPENT.append(cpu_seconds() - cpu)
    return time.perf_counter() - start


def best_of(runs: int, action: Callable[[], object]) -> float:
    return min(timed(action) for _ in range(runs))


def count_operations(data: object) -> int:
    """Consumed operations of one loaded spec (0 when it is not shaped like one)."""
    capability = data.get("capability") if isinstance(data, dict) else None
    consumes = capability.get("consumes") if isinstance(capability, dict) else None
    total = 0
    for entry in consumes if isinstance(consumes, list) else []:
        for res in (entry.get("resources") or []) if isinstance(entry, dict) else []:
            ops = res.get("operations") if isinstance(res, dict) else None
            total += len(ops) if isinstance(ops, list) else 0
    return total


def load_all(specs: list[Path]) -> int:
    """The floor's reading half: every spec through the C loader; returns the operations."""
    operations = 0
    for path in specs:
        try:
            operations += count_operations(yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader))
        except yaml.YAMLError:
            pass
    return operations


def output_files(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.is_file() and p.name != manifest.FILENAME]


def write_like(files: list[Path], target: Path) -> float:
    """The floor's writing half: the same bytes, as the same number of files."""
    payload = [p.read_bytes() for p in files]
    start = time.perf_counter()
    for index, data in enumerate(payload):
        folder = target / f"p{index // 10}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{index}.py").write_bytes(data)
    return time.perf_counter() - start


def read_and_hash(root: Path) -> None:
    for path in pipeline.discover([root]):
        hashlib.sha256(path.read_bytes()).hexdigest()


def stat_all(specs: list[Path], out: Path) -> float:
    """The stat floor: one os.stat of each spec and each file the cold run wrote."""
    names = [str(path) for path in specs]
    names += [os.path.join(folder, name) for folder, _, files in os.walk(out) for name in files]
    start = time.perf_counter()
    for name in names:
        os.stat(name)
    return time.perf_counter() - start


def peak_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def subset(source: Path, limit: int, tmp: Path) -> Path:
    if not limit:
        return source
    folder = tmp / "specs"
    folder.mkdir()
    for path in pipeline.discover([source])[:limit]:
        shutil.copy(path, folder / path.name)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("specs", nargs="?", default=str(ROOT.parent / "shared" / "corpus" / "dev"))
    parser.add_argument("--limit", type=int, default=0, help="use only the first N specs")
    parser.add_argument("--jobs", type=int, default=pipeline.default_jobs())
    parser.add_argument("--runs", type=int, default=5, help="best of N for the no-op and its baseline")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ[cache.ENV] = str(tmp / "cache")  # the run cache, out of the checkout
        specs = subset(Path(args.specs), args.limit, tmp)
        found = pipeline.discover([specs])
        colds: list[float] = []
        cold_cpus: list[float] = []
        load_times: list[float] = []
        load_cpu: list[float] = []
        write_times: list[float] = []
        written: list[Path] = []
        main_rss = worker_rss = 0.0
        for attempt in range(ROUNDS):  # cold and floor take turns: a slow spell hits both
            out = tmp / f"out{attempt}"  # each cold run into an empty folder of its own
            opts = cli.RunOptions((specs,), out, keep_going=True, quiet=True, jobs=args.jobs)  # text diagnostics, as by default
            colds.append(timed(lambda: cli.run(opts)))
            cold_cpus.append(CPU_SPENT[-1])
            if attempt == 0:
                # peak memory of a cold run alone: the floor below reads the whole output into memory
                main_rss, worker_rss = peak_rss_mb(resource.RUSAGE_SELF), peak_rss_mb(resource.RUSAGE_CHILDREN)
                written = output_files(out)
            start, cpu = time.perf_counter(), cpu_seconds()
            operations = load_all(found)
            load_times.append(time.perf_counter() - start)
            load_cpu.append(cpu_seconds() - cpu)
            write_times.append(write_like(written, tmp / f"floor{attempt}"))
            shutil.rmtree(tmp / f"floor{attempt}")
        cold, cold_cpu = min(colds), min(cold_cpus)
        out_bytes = sum(p.stat().st_size for p in written)
        load_time, write_time = min(load_times), min(write_times)
        floor = load_time + write_time
        noop = best_of(args.runs, lambda: cli.run(opts))
        baseline = best_of(args.runs, lambda: read_and_hash(specs))
        stats = min(stat_all(found, out) for _ in range(args.runs))
        packages = sum(1 for p in out.iterdir() if p.is_dir())
    print(f"specs: {len(found)}; consumed operations: {operations}; packages generated: {packages}")
    print(f"output: {len(written)} files, {out_bytes / 1e6:.1f} MB; jobs: {args.jobs}")
    print(f"cold generation: {cold:.1f} s (runs: {', '.join(f'{c:.1f}' for c in colds)} s)")
    print(f"floor (C-loader load {load_time:.2f} s + write {write_time:.2f} s): {floor:.2f} s"
          f" (writes: {', '.join(f'{w:.2f}' for w in write_times)} s)")
    print(f"cold / floor: {cold / floor:.1f}x (target: within 2x)")
    print(f"CPU time: cold {cold_cpu:.1f} s (all processes), C-loader load {min(load_cpu):.1f} s;"
          f" cold CPU / load CPU {cold_cpu / min(load_cpu):.1f}x")
    print(f"no-op regeneration: {noop * 1000:.0f} ms; read+hash: {baseline * 1000:.0f} ms")
    print(f"no-op / read+hash: {noop / baseline:.2f}x (target: within 1.2x)")
    print(f"stat floor (one os.stat a spec and a generated file): {stats * 1000:.0f} ms; no-op / stat floor: {noop / stats:.2f}x")
    print(f"peak RSS of the cold runs: main process {main_rss:.0f} MB, largest worker {worker_rss:.0f} MB (target: under 300 MB)")
    print(f"load average (1 min) before / after: {load_before:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
