"""What corpus/dev packages outside the corpus test's sample still gave ruff: names of a
hundred characters (a resource and an operation name of 48 each, joined when operation
names repeat), a call with no arguments behind a long namespace, a URL longer than a
line in a description, and two inputs of one name (path and query). Each now gives a
package with zero findings from ruff and black (and mypy --strict), and the duplicate
names a warning."""

from __future__ import annotations

from pathlib import Path

from generator import pipeline
from generator.model import naming
from tests.issue16 import toolchain

LONG_RESOURCE = "equipment-makemodelserial-make-model-serialnumbe"  # 48, as spec generators cut them
LONG_OPERATION = "get-equipment-makemodelserial-make-model-serialn"
URL = "https://docs.example.com/reference/glossary/very/deep/path/to/the/definition#of-a-dashboard"
NAMESPACE = "federal-emergency-management-agency-open-data"

SPEC = f"""\
naftiko: 1.0.0-alpha2
info:
  label: Lint leftovers
  description: Names and texts no layout can shorten.
capability:
  consumes:
  - type: http
    namespace: {NAMESPACE}
    baseUri: https://api.example.com
    description: The API.
    resources:
    - name: {LONG_RESOURCE}
      path: /equipment/{{serial}}
      operations:
      - name: {LONG_OPERATION}
        method: GET
        description: One.
        inputParameters:
        - name: serial
          in: path
          type: string
          required: true
          description: See [dashboards]({URL}). Then more words follow it.
    - name: {LONG_RESOURCE}-2
      path: /equipment
      operations:
      - name: {LONG_OPERATION}
        method: GET
        description: Two.
    - name: regions
      path: /regions
      operations:
      - name: region
        method: GET
        description: Regions (a call with no arguments, its line one column too long).
    - name: containers
      path: /containers/{{name}}/rename
      operations:
      - name: containerrename
        method: POST
        description: Rename a container.
        inputParameters:
        - name: name
          in: path
          type: string
          required: true
          description: The container.
        - name: name
          in: query
          type: string
          required: true
          description: Its new name.
  exposes:
  - type: rest
    namespace: lint-rest
    port: 8080
    resources:
    - path: /equipment
      name: equipment
      description: Equipment.
      operations:
      - method: GET
        name: {LONG_OPERATION}-{LONG_RESOURCE}
        description: All of it.
        call: {NAMESPACE}.{LONG_RESOURCE}-2_{LONG_OPERATION}
        outputParameters:
        - type: object
          mapping: $.
    - path: /regions
      name: regions
      description: Regions.
      operations:
      - method: GET
        name: regions
        description: Every region.
        call: {NAMESPACE}.region
        outputParameters:
        - type: object
          mapping: $.
  - type: mcp
    namespace: lint-mcp
    port: 9090
    transport: http
    description: Equipment over MCP.
    tools:
    - name: list-equipment
      description: All of it, see [dashboards]({URL}). And more words after the link.
      call: {NAMESPACE}.{LONG_RESOURCE}-2_{LONG_OPERATION}
"""


def test_long_names_urls_and_twice_named_inputs_lint_clean(tmp_path: Path) -> None:
    spec = tmp_path / "lint-leftovers.yaml"
    spec.write_text(SPEC)
    result = pipeline.process(spec, pipeline.Options())
    assert result.ok, [d.format_text() for d in result.diagnostics if d.is_error]
    shared = [d for d in result.diagnostics if d.code == "NG305"]
    assert len(shared) == 1 and "'name' (path and query)" in shared[0].message
    out = tmp_path / "out"
    for path, text in result.files.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(text)
    client = (out / "lint_leftovers" / "client.py").read_text()
    assert '{"name": name_2}' in client  # one key, with the last one's value
    assert max(len(name) for name in _defined(client)) <= naming.MAX_METHOD + len("_2_response")
    for tool in ("ruff", "black", "mypy"):
        findings = getattr(toolchain, tool)(out)
        assert findings == [], (tool, findings[:20])


def _defined(source: str) -> list[str]:
    return [line.split("def ", 1)[1].split("(", 1)[0] for line in source.splitlines() if line.lstrip().startswith(("def ", "async def "))]


def test_names_are_cut_at_a_word_and_wire_names_never() -> None:
    long = "_".join(["word"] * 30)
    cut = naming.snake(long)
    assert len(cut) <= naming.MAX_NAME and long.startswith(cut) and not cut.endswith("_")
    assert naming.snake(long, limit=None) == long
    assert naming.snake("x" * 80) == "x" * naming.MAX_NAME  # one word longer than the limit
    assert len(naming.pascal(long)) <= naming.MAX_NAME and naming.pascal(long).startswith("WordWord")
    assert naming.snake("get-user") == "get_user" and naming.pascal("get-user") == "GetUser"
