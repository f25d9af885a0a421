"""A folder of both syntaxes, standalone documents and imports across syntaxes, in one run
of the real command: --check, the manifest, incremental runs and ``diff``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import ROOT, snapshot
from tests.issue13 import support
from tests.issue13.rewrite import rewrite

_IKANOS_API = """\
ikanos: "1.0.0-beta5"
consumes:
  - namespace: api
    type: http
    baseUri: "https://api.example.com/v1"
    resources:
      items:
        path: "/items/{{id}}"
        operations:
          get-item:
            method: GET
            inputParameters:
              id:
                in: path
"""

_ALPHA2_IMPORTER = """\
naftiko: "1.0.0-alpha2"
info:
  label: "Importer"
  description: "An alpha2 spec importing an Ikanos standalone consumes document"
capability:
  consumes:
    - import: api
      location: ./shared/api.consumes.yml
  exposes:
    - type: mcp
      port: 3001
      namespace: tools
      description: "Tools"
      tools:
        - name: get-item
          description: "Read one item by its id"
          inputParameters:
            - name: id
              type: string
              description: "The item id"
          call: api.get-item
          with:
            id: tools.id
"""

_IKANOS_IMPORTER = """\
ikanos: "1.0.0-beta5"
info:
  display: "Importer"
  description: "An Ikanos spec importing an alpha2 shared consumes file and an exposes block"
capability:
  consumes:
    - import: api
      from: ./shared/old-api.yaml
  exposes:
    - import: tools
      from: ./shared/tools.exposes.yml
"""

_IKANOS_EXPOSES = """\
ikanos: "1.0.0-beta5"
exposes:
  - type: mcp
    port: 3001
    namespace: tools
    description: "Tools"
    tools:
      get-item:
        description: "Read one item by its id"
        inputParameters:
          id:
            type: string
            description: "The item id"
        call: api.get-item
        with:
          id: tools.id
"""


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def _folder(root: Path) -> Path:
    specs = root / "specs"
    support.write(specs / "old-items.yaml", support.items("alpha2"))
    support.write(specs / "new-items.yml", support.items("ikanos"))
    support.write(specs / "shared" / "api.consumes.yml", _IKANOS_API)
    support.write(specs / "shared" / "old-api.yaml", _IKANOS_API.replace('ikanos: "1.0.0-beta5"', 'naftiko: "1.0.0-alpha2"')
                  .replace("      items:\n", "      - name: items\n").replace("          get-item:\n", "          - name: get-item\n")
                  .replace("              id:\n                in: path", "              - name: id\n                in: path"))
    support.write(specs / "shared" / "tools.exposes.yml", _IKANOS_EXPOSES)
    support.write(specs / "alpha2-importer.yaml", _ALPHA2_IMPORTER)
    support.write(specs / "ikanos-importer.yml", _IKANOS_IMPORTER)
    return specs


def test_mixed_folder_in_one_run(tmp_path: Path) -> None:
    specs, out = _folder(tmp_path), tmp_path / "out"
    done = _cli(specs, "-o", out)
    assert done.returncode == 0, done.stderr
    assert "4 generated" in done.stderr and "3 support files not a package" in done.stderr
    assert "shared/api.consumes.yml" in done.stderr
    packages = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert packages == ["alpha2_importer", "ikanos_importer", "new_items", "old_items"]
    # both importers say the same thing in two syntaxes, through imports in two syntaxes
    old = (out / "alpha2_importer" / "mcp_server.py").read_text().split("\n", 1)[1]
    new = (out / "ikanos_importer" / "mcp_server.py").read_text().split("\n", 1)[1]
    assert old.replace("alpha2_importer", "X") == new.replace("ikanos_importer", "X")
    assert _cli(specs, "-o", out, "--check").returncode == 0
    again = _cli(specs, "-o", out)
    assert again.returncode == 0 and "0 files written" in again.stderr


def test_an_imported_ikanos_file_that_changes_regenerates_its_importer(tmp_path: Path) -> None:
    specs, out = _folder(tmp_path), tmp_path / "out"
    assert _cli(specs, "-o", out).returncode == 0
    before = snapshot(out)
    shared = specs / "shared" / "api.consumes.yml"
    shared.write_text(shared.read_text().replace("https://api.example.com/v1", "https://api.example.org/v2"))
    check = _cli(specs, "-o", out, "--check")
    assert check.returncode == 1 and "alpha2_importer/client.py" in check.stdout + check.stderr
    assert _cli(specs, "-o", out).returncode == 0
    after = snapshot(out)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)} - {".naftiko-gen.json"}
    assert changed == {"alpha2_importer/client.py", "alpha2_importer/README.md"}  # README: the base URL
    assert b"https://api.example.org/v2" in after["alpha2_importer/client.py"]
    assert b"https://api.example.org/v2" in after["alpha2_importer/README.md"]


def test_a_spec_rewritten_in_place_is_a_no_op_regeneration(tmp_path: Path) -> None:
    specs, out = _folder(tmp_path), tmp_path / "out"
    assert _cli(specs, "-o", out).returncode == 0
    before = snapshot(out)
    old = specs / "old-items.yaml"
    old.write_text(yaml.safe_dump(rewrite(yaml.safe_load(old.read_text())), sort_keys=False))
    check = _cli(specs, "-o", out, "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert _cli(specs, "-o", out).returncode == 0
    after = snapshot(out)
    assert {k for k in after if before.get(k) != after[k]} <= {".naftiko-gen.json"}


def test_diff_across_syntaxes(tmp_path: Path) -> None:
    old = support.write(tmp_path / "old" / "items.yaml", support.items("alpha2"))
    new = support.write(tmp_path / "new" / "items.yml", support.items("ikanos"))
    same = _cli("diff", old.parent, new.parent)
    assert same.returncode == 0 and "0 changes, 0 breaking" in same.stderr, same.stderr
    grown = support.items("ikanos").replace(
        "      tools:\n", "      tools:\n        list-items:\n          description: \"List the items\"\n"
        "          call: api.get-item\n          with:\n            id: \"1\"\n")
    new.write_text(grown)
    changed = _cli("diff", old.parent, new.parent, "--fail-on-breaking")
    assert changed.returncode == 0 and "list-items" in changed.stdout and "1 change, 0 breaking" in changed.stderr
    gone = support.items("ikanos").replace('          path: "/items/{id}"', '          path: "/things/{id}"')
    assert gone != support.items("ikanos")
    new.write_text(gone)
    broken = _cli("diff", old.parent, new.parent, "--fail-on-breaking")
    assert broken.returncode == 1 and "breaking" in broken.stdout


def test_binds_and_aggregates_are_imported_from_standalone_documents(tmp_path: Path) -> None:
    specs, out = tmp_path / "specs", tmp_path / "out"
    support.write(specs / "shared" / "keys.binds.yml", "ikanos: 1.0.0-beta5\nbinds:\n  - namespace: keys\n"
                  "    keys:\n      API_TOKEN: MY_API_TOKEN\n")
    support.write(specs / "shared" / "data.aggregates.yml", """\
ikanos: "1.0.0-beta5"
aggregates:
  - namespace: data
    display: "Data"
    flows:
      read-item:
        description: "Read one item"
        inputParameters:
          id:
            type: string
            description: "The id"
        call: api.get-item
        with:
          id: "{{id}}"
""")
    text = support.items().replace("capability:\n", "binds:\n  - import: keys\n    from: ./shared/keys.binds.yml\n"
                                   "capability:\n  aggregates:\n    - import: data\n"
                                   "      from: ./shared/data.aggregates.yml\n", 1)
    text = text.replace("      resources:\n        items:\n", "      authentication:\n        type: bearer\n"
                        "        token: \"{{API_TOKEN}}\"\n      resources:\n        items:\n", 1)
    text = text.replace("      tools:\n", "      tools:\n        read-item:\n          ref: data.read-item\n", 1)
    support.write(specs / "cap.yml", text)
    done = _cli(specs, "-o", out)
    assert done.returncode == 0, done.stderr
    assert "2 support files not a package" in done.stderr
    assert 'BINDS: dict[str, str] = {"API_TOKEN": "MY_API_TOKEN"}' in (out / "cap" / "client.py").read_text()
    assert "async def data_read_item(" in (out / "cap" / "orchestration.py").read_text()
    assert '"read-item"' in (out / "cap" / "mcp_server.py").read_text()
