"""Startup: `--version`, a no-op run and the validation of a valid spec load neither black
nor jsonschema (each is slow to import); each is checked in a fresh interpreter."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SPECS

PROBE = """
import json, sys
sys.argv = ["naftiko-gen", *json.loads(sys.argv[1])]
import generator.cli
from generator.cli import main
generator.cli.exit_at_once = sys.exit  # the entry point ends the process at once; here, report first
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(json.dumps({"code": code, "loaded": sorted(m for m in ("black", "jsonschema") if m in sys.modules)}))
"""


def run_cli(*args: str) -> dict[str, object]:
    """Run the command in a fresh interpreter; its exit code and which slow modules it loaded."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args))],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_version_loads_neither_black_nor_jsonschema() -> None:
    assert run_cli("--version") == {"code": 0, "loaded": []}


def test_noop_run_loads_neither_black_nor_jsonschema(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    out = tmp_path / "out"
    first = run_cli(str(specs), "-o", str(out), "-q", "-j", "1")
    assert first["code"] == 0
    assert "jsonschema" in first["loaded"], "the example specs have dialect warnings: jsonschema explains them"
    assert run_cli(str(specs), "-o", str(out), "-q", "-j", "1") == {"code": 0, "loaded": []}
    (specs / "openpanel-track.yaml").write_text((specs / "openpanel-track.yaml").read_text() + "\n")
    assert run_cli(str(specs), "-o", str(out), "-q", "-j", "1")["code"] == 0, "a real run after the no-op"


VALIDATE_VALID = """
import json, sys
from pathlib import Path
sys.path.insert(0, "bench")
import large_api
from generator.read import loader, validate
spec = loader.load_text(large_api.capability_text(large_api.NOUNS[:3]), Path("large.yaml"))
found = validate.validate(spec)
broken = loader.load_text("naftiko: 1.0.0-alpha2\\ncapability: {consumes: 3}\\n", Path("bad.yaml"))
print(json.dumps({"valid": [d.code for d in found], "before": "jsonschema" in sys.modules,
                  "bad": [d.code for d in validate.validate(broken)], "after": "jsonschema" in sys.modules}))
"""


def test_a_valid_spec_is_validated_without_jsonschema_and_an_invalid_one_with_it() -> None:
    done = subprocess.run([sys.executable, "-c", VALIDATE_VALID], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    found = json.loads(done.stdout)
    assert found["valid"] == [] and found["before"] is False
    assert "NG102" in found["bad"] and found["after"] is True


def test_the_entry_point_ends_at_once_with_its_output_and_exit_code(tmp_path: Path) -> None:
    """``main`` leaves without tearing the heap down: stdout and stderr must still arrive
    whole, and the exit code unchanged."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("naftiko: 1.0.0-alpha2\ncapability: [\n", encoding="utf-8")
    command = [sys.executable, "-m", "generator"]
    invalid = subprocess.run([*command, str(bad), "-o", str(tmp_path / "out")], capture_output=True, text=True, timeout=120, check=False)
    assert invalid.returncode == 1
    assert "error[NG002]" in invalid.stderr and invalid.stderr.rstrip().endswith("--keep-going to write the valid specs.")
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=120, check=False)
    assert version.returncode == 0 and version.stdout.startswith("naftiko-gen ") and version.stdout.endswith(")\n")
    usage = subprocess.run([*command, str(tmp_path / "missing"), "-o", str(tmp_path / "out")], capture_output=True, text=True, timeout=120, check=False)
    assert usage.returncode == 2 and "no such file or folder" in usage.stderr
