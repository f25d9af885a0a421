"""The users' toolchain run on generated packages: mypy --strict, pyright strict, ruff and
black, each with its defaults and no configuration of ours (run in a folder of its own,
``--isolated`` / ``--no-config`` where the tool has it), as a repository vendoring the
output would run them. Each function returns the findings as lines (empty when clean).

    python -m tests.issue16.toolchain OUT   # prints each tool's findings count
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent
RUFF_RULES = "E,F,W,B,UP,SIM,RUF"
TOOLS = ("mypy", "pyright", "ruff", "black")


def _packages(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if (p / "__init__.py").is_file())


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MYPY", "PYRIGHT"))}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=1800, check=False)


def mypy(out: Path) -> list[str]:
    with tempfile.TemporaryDirectory() as cache:
        args = [str(BIN / "mypy"), "--strict", "--config-file", os.devnull, "--cache-dir", cache]
        done = _run(args + _packages(out), out)
    return [line for line in done.stdout.splitlines() if ": error:" in line]


def pyright(out: Path) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "pyrightconfig.json"
        config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.11"}))
        args = [str(BIN / "pyright"), "-p", str(config), "--pythonpath", sys.executable, "--outputjson", "."]
        done = _run(args, out)
    try:
        report = json.loads(done.stdout)
    except ValueError:
        return [f"pyright did not run: {done.stdout[-2000:]} {done.stderr[-2000:]}"]
    return [
        f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']} ({d.get('rule', '')})"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]


def ruff(out: Path) -> list[str]:
    args = [str(BIN / "ruff"), "check", "--isolated", "--no-cache", "--select", RUFF_RULES]
    done = _run(args + ["--output-format", "concise", "."], out)
    return [line for line in done.stdout.splitlines() if line and not line.startswith(("Found", "[*]", "All checks"))]


def black(out: Path) -> list[str]:
    done = _run([str(BIN / "black"), "--check", "--config", os.devnull, "."], out)
    return [line for line in done.stderr.splitlines() if line.startswith("would reformat")]


def run_all(out: Path) -> dict[str, list[str]]:
    return {"mypy": mypy(out), "pyright": pyright(out), "ruff": ruff(out), "black": black(out)}


if __name__ == "__main__":
    for tool, findings in run_all(Path(sys.argv[1])).items():
        print(f"{tool}: {len(findings)}")
        for line in findings[:40]:
            print("   ", line)
