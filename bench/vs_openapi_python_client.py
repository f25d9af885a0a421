"""naftiko-gen against openapi-python-client on the same large API, side by side.

    .venv/bin/python bench/vs_openapi_python_client.py [--nouns N] [--runs N] [--venv DIR]

One synthetic API (bench/large_api.py: N resources of five CRUD operations, 500 by
default) is written as an OpenAPI 3.0 document for openapi-python-client 0.29.1 (client
and models, with its default post-hooks: ``ruff check --fix`` and ``ruff format``) and as
a Naftiko capability that consumes every operation and exposes each one as a REST route
and an MCP tool, for naftiko-gen (client, router, MCP server, app). Each run is one cold
command in a fresh process writing into an empty folder; the two tools take turns, in
alternating order (A B, B A, ...), so a slow spell of a shared machine hits both.

Both run with their modules' bytecode cached, as an installed package has it: pip
compiles a package's modules when it installs them, while a checkout installed as
editable (or a shell with PYTHONDONTWRITEBYTECODE set) compiles every module again in
each run, about 40 ms for naftiko-gen. So each tool gets one untimed run first, with
PYTHONDONTWRITEBYTECODE unset and PYTHONPYCACHEPREFIX pointing into the bench's
temporary folder: nothing is written into the checkout or either environment.

openapi-python-client is installed on first use into its own virtual environment
(``--venv``, default ``.bench-venv/`` in the checkout), never into the project's.

Printed: each tool's runs, median and best, the median per operation and CPU time, the
ratio of the medians together with the median and spread of the per-turn ratios (target:
at most 0.3x, and under 1 ms per operation for naftiko-gen), the same ratio in CPU time,
and the floor: the time PyYAML's C loader alone takes to parse the capability, beside the
time naftiko-gen's own reader takes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import large_api  # noqa: E402

OPC_VERSION = "0.29.1"


def ensure_openapi_python_client(venv: Path) -> Path:
    """The openapi-python-client command of ``venv``, installed there when missing."""
    command = venv / "bin" / "openapi-python-client"
    if not command.exists():
        print(f"installing openapi-python-client {OPC_VERSION} into {venv} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", f"openapi-python-client=={OPC_VERSION}"],
            check=True,
        )
    if not (venv / "bin" / "ruff").exists():
        raise SystemExit(f"{venv} has no ruff: openapi-python-client's post-hooks would not run")
    return command


def naftiko_gen_command() -> list[str]:
    script = Path(sys.executable).parent / "naftiko-gen"
    return [str(script)] if script.exists() else [sys.executable, "-m", "generator"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, its subprocesses included) of one run."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return elapsed, _children_cpu() - cpu


def _best_of_three(probe: str, path: Path) -> float:
    """The least seconds ``probe`` (Python code that prints the seconds it measured on
    ``sys.argv[1]``) reports over three fresh processes, run from the checkout."""
    runs = [subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True, cwd=ROOT) for _ in range(3)]
    return min(float(r.stdout) for r in runs)


def yaml_floor(path: Path) -> float:
    """Best of three: only parsing the capability with PyYAML's C loader, in a fresh process."""
    return _best_of_three("import sys, time, yaml; t = time.perf_counter(); yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader); print(time.perf_counter() - t)", path)


def own_reader_time(path: Path) -> float:
    """Best of three: only reading the capability with naftiko-gen's loader (positions
    included), in a fresh process."""
    return _best_of_three(
        "import sys, time; from pathlib import Path; from generator.read import loader;"
        " t = time.perf_counter(); loader.load(Path(sys.argv[1])); print(time.perf_counter() - t)",
        path,
    )


def tree_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*.py") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nouns", type=int, default=len(large_api.NOUNS), help="resources (5 operations each)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each tool")
    parser.add_argument("--venv", type=Path, default=ROOT / ".bench-venv" / f"openapi-python-client-{OPC_VERSION}")
    args = parser.parse_args()
    nouns = large_api.NOUNS[: args.nouns]
    operations = large_api.operation_count(nouns)
    opc = ensure_openapi_python_client(args.venv)
    opc_env = dict(os.environ, PATH=f"{args.venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    times: dict[str, list[float]] = {"naftiko-gen": [], "openapi-python-client": []}
    cpu: dict[str, list[float]] = {tool: [] for tool in times}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "api.json").write_text(large_api.openapi_text(nouns))
        (tmp / "large-api.yaml").write_text(large_api.capability_text(nouns))
        commands = {
            "naftiko-gen": lambda out: naftiko_gen_command() + [str(tmp / "large-api.yaml"), "-o", str(out), "-q"],
            "openapi-python-client": lambda out: [str(opc), "generate", "--path", str(tmp / "api.json"), "--output-path", str(out)],
        }
        envs = {"naftiko-gen": dict(os.environ), "openapi-python-client": opc_env}
        for env in envs.values():  # bytecode, as an installed package has it (see the docstring)
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        for tool, command in commands.items():  # one untimed run each writes that bytecode
            timed_run(command(tmp / f"{tool}-warm-up"), envs[tool])
            shutil.rmtree(tmp / f"{tool}-warm-up")
        sizes: dict[str, tuple[int, int]] = {}
        for turn in range(args.runs):
            order = list(times) if turn % 2 == 0 else list(reversed(times))
            for tool in order:
                out = tmp / f"{tool}-{turn}"
                wall, used = timed_run(commands[tool](out), envs[tool])
                times[tool].append(wall)
                cpu[tool].append(used)
                sizes[tool] = tree_size(out)
                shutil.rmtree(out)
        floor = yaml_floor(tmp / "large-api.yaml")
        reader = own_reader_time(tmp / "large-api.yaml")
    print(f"API: {operations} operations ({len(nouns)} resources); {args.runs} runs each, alternating order,"
          " bytecode cached for both")
    for tool, runs in times.items():
        files, size = sizes[tool]
        median = statistics.median(runs)
        print(f"{tool}: median {median:.2f} s, best {min(runs):.2f} s, runs {', '.join(f'{t:.2f}' for t in runs)} s;"
              f" {median / operations * 1000:.2f} ms per operation; CPU median {statistics.median(cpu[tool]):.2f} s;"
              f" wrote {files} .py files, {size / 1e6:.1f} MB")
    ours, theirs = times["naftiko-gen"], times["openapi-python-client"]
    turns = [a / b for a, b in zip(ours, theirs)]
    print(f"naftiko-gen / openapi-python-client: {statistics.median(ours) / statistics.median(theirs):.2f}x"
          f" (ratio of medians; per-turn ratios median {statistics.median(turns):.2f}x,"
          f" {min(turns):.2f}-{max(turns):.2f}x; target: at most 0.3x)")
    print(f"CPU time ratio: {statistics.median(cpu['naftiko-gen']) / statistics.median(cpu['openapi-python-client']):.2f}x"
          " (ratio of medians; steadier than wall-clock time on a busy machine)")
    per_op = statistics.median(ours) / operations * 1000
    print(f"naftiko-gen per operation: {per_op:.2f} ms (target: under 1 ms)")
    print(f"floor: parsing the capability alone (PyYAML C loader) takes {floor:.2f} s,"
          f" {floor / operations * 1000:.2f} ms per operation, {floor / statistics.median(ours):.0%} of naftiko-gen's median")
    print(f"naftiko-gen's own reader (read/blockyaml.py, with node positions) takes {reader:.2f} s:"
          f" {reader / floor:.2f}x the C loader, {reader / statistics.median(ours):.0%} of naftiko-gen's median")


if __name__ == "__main__":
    main()
