"""Huge input fails cleanly or generates, in bounded memory: each run is a separate process
(tests/issue7/huge_run.py) that reports its own peak RSS."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.issue7 import support

RSS_LIMIT_MB = 400


def run_cli(tmp_path: Path, *args: str) -> tuple[int, str, float]:
    """Exit code, stderr and peak RSS (MB) of one CLI run in its own process."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.issue7.huge_run", *args, "-o", str(tmp_path / "out"), "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    last = done.stdout.strip().splitlines()[-1]
    fields = dict(part.split("=") for part in last.split())
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr[-2000:]
    return int(fields["exit"]), done.stderr, float(fields["rss_mb"])


def test_a_5000_operation_spec_generates_in_bounded_memory(tmp_path: Path) -> None:
    names = [f"op-{i}" for i in range(5000)]  # and as many tools: 10,001 with the route
    spec = support.write_spec(tmp_path / "huge.yaml", support.capability(op_names=names, tool_names=names))
    code, stderr, rss = run_cli(tmp_path, str(spec))
    assert code == 0, stderr[-2000:]
    assert rss < RSS_LIMIT_MB
    client = (tmp_path / "out" / "huge" / "client.py").read_text(encoding="utf-8")
    assert client.count("    async def op_") == 2 * 5000  # each typed method and its _response twin
    compile(client, "client.py", "exec")


def test_a_spec_beyond_the_limit_is_refused_up_front(tmp_path: Path) -> None:
    names = [f"op-{i}" for i in range(6500)]
    spec = support.write_spec(tmp_path / "huge.yaml", support.capability(op_names=names, tool_names=names))
    code, stderr, rss = run_cli(tmp_path, str(spec))
    assert code == 1
    assert "error[NG007]: spec has 13001 operations and tools; naftiko-gen generates at most 12000" in stderr
    assert rss < RSS_LIMIT_MB
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("[" * 100_000 + "]" * 100_000, "NG005"),  # crashed PyYAML's C composer before the depth pre-check
        ("naftiko: 1.0.0-alpha2\ncapability:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(2000)), "NG005"),
        ("a: &a [1]\n" + "".join(f"b{i}: &x{i} [*{'a' if i == 0 else f'x{i - 1}'}, *{'a' if i == 0 else f'x{i - 1}'}]\n" for i in range(40)), "NG008"),
    ],
    ids=["deep-flow-lists", "deep-mappings", "alias-bomb"],
)
def test_deep_or_exploding_yaml_is_refused_cleanly(text: str, code: str, tmp_path: Path) -> None:
    spec = tmp_path / "deep.yaml"
    spec.write_text(text, encoding="utf-8")
    exit_code, stderr, rss = run_cli(tmp_path, str(spec))
    assert exit_code == 1
    assert f"error[{code}]" in stderr, stderr[-1000:]
    assert rss < RSS_LIMIT_MB


def test_megabyte_descriptions_generate(tmp_path: Path) -> None:
    texts = {"tool": "long " * 200_000, "op": "x" * 1_000_000}
    spec = support.write_spec(tmp_path / "long.yaml", support.capability(texts))
    code, stderr, rss = run_cli(tmp_path, str(spec))
    assert code == 0, stderr[-2000:]
    assert rss < RSS_LIMIT_MB
    server = (tmp_path / "out" / "long" / "mcp_server.py").read_text(encoding="utf-8")
    compile(server, "mcp_server.py", "exec")
