"""The MCP Inspector's strict portability check (`tools/list --strict`) on every MCP server
of the seeds (generated/) and of the official corpus: no finding at all, not even a warning.

Needs the Inspector CLI (`npm ci --prefix .ci/inspector`, which .ci/run does; `INSPECTOR`
names another binary) and, for the corpus, ../shared; skips cleanly without them.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GENERATED, ROOT, shared_or_skip
from tests.issue5.support import generate_into
from generator import pipeline


def _inspector() -> str:
    for candidate in (os.environ.get("INSPECTOR"), str(ROOT / ".ci" / "inspector" / "node_modules" / ".bin" / "mcp-inspector")):
        if candidate and Path(candidate).is_file():
            return candidate
    found = shutil.which("mcp-inspector")
    if not found:
        pytest.skip("the MCP Inspector is not installed (npm ci --prefix .ci/inspector)")
    return found


def _servers(out: Path) -> list[tuple[str, str]]:
    """(package, MCP namespace) for every MCP server under ``out``, read from SETTINGS."""
    found: list[tuple[str, str]] = []
    for module in sorted(out.glob("*/mcp_server.py")):
        for node in ast.parse(module.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "SETTINGS":
                found += [(module.parent.name, name) for name in ast.literal_eval(node.value)]
    return found


def _findings(inspector: str, out: Path, package: str, namespace: str) -> list[str]:
    command = [sys.executable, "-m", package, "mcp", "--transport", "stdio", "--namespace", namespace]
    run = subprocess.run(
        [inspector, "--cli", "--method", "tools/list", "--strict", "--format", "json", "--", *command],
        cwd=out,
        env={**os.environ, "PYTHONPATH": str(out)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    if run.returncode != 0:
        return [f"{package} {namespace}: exit {run.returncode}: {run.stdout[-500:]} {run.stderr[-500:]}"]
    envelope = json.loads(run.stdout.strip().splitlines()[-1])
    assert "tools" in envelope["result"], run.stdout[:300]
    return [f"{package} {namespace} {r['toolName']}: {f['path']}: {f['issue']}" for r in envelope.get("schemaFindings", []) for f in r["findings"]]


def test_seed_servers_pass_the_strict_check() -> None:
    inspector = _inspector()
    servers = _servers(GENERATED)
    assert len(servers) == 5
    problems = [p for package, namespace in servers for p in _findings(inspector, GENERATED, package, namespace)]
    assert not problems, "\n".join(problems)


def test_official_corpus_servers_pass_the_strict_check(tmp_path: Path) -> None:
    inspector = _inspector()
    corpus = shared_or_skip("corpus", "official")
    result = generate_into(tmp_path, *pipeline.discover([corpus]))
    servers = _servers(tmp_path)
    assert len(servers) >= 10, servers
    problems = [p for package, namespace in servers for p in _findings(inspector, tmp_path, package, namespace)]
    assert not problems, "\n".join(problems)
    assert result.specs  # the corpus was read
