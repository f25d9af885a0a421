"""Small specs written on the fly for the CI-workflow tests (generate, check, diff)."""

from __future__ import annotations

from pathlib import Path

TEMPLATE = """\
naftiko: 1.0.0-alpha2
info:
  label: Notes
  description: {description}
capability:
  consumes:
  - type: http
    namespace: notes-api
    baseUri: https://notes.example.com
    description: The notes API.
    resources:
    - name: notes
      path: /notes
      operations:
      - name: list
        method: GET
        description: List notes.
        inputParameters:
        - name: q
          in: query
{q_extra}        outputParameters:
        - name: items
          type: array
          value: $.items
{extra_operation}
  exposes:
  - type: rest
    namespace: notes-rest
    port: 8080
    resources:
    - path: /v1/{route}
      name: notes
      description: Notes.
      operations:
      - method: GET
        name: list
        description: List notes.
        call: notes-api.list
        with:
          q: rest.{rest_input}
        outputParameters:
{output}
  - type: mcp
    namespace: notes-mcp
    port: 9090
    transport: http
    description: Notes over MCP.
    tools:
    - name: {tool}
      description: List notes.
      call: notes-api.list
      with:
        q: tools.q
      outputParameters:
{output}
"""

ARRAY_OUTPUT = """\
        - type: array
          mapping: $.items"""

OBJECT_OUTPUT = """\
        - type: object
          mapping: $."""

EXTRA_OPERATION = """\
      - name: count
        method: GET
        description: Count notes.
        outputParameters:
        - name: total
          type: number
          value: $.total"""


def notes_spec(
    description: str = "Notes, one operation.",
    tool: str = "list-notes",
    route: str = "notes",
    rest_input: str = "q",
    output: str = ARRAY_OUTPUT,
    extra_operation: str = "",
    q_required: bool = False,
) -> str:
    """The text of a small valid spec; every argument changes one thing in it."""
    return TEMPLATE.format(
        description=description,
        tool=tool,
        route=route,
        rest_input=rest_input,
        output=output,
        extra_operation=extra_operation,
        q_extra="          required: true\n" if q_required else "",
    )


def write_spec(folder: Path, name: str = "notes.yaml", **changes: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(notes_spec(**changes), encoding="utf-8")  # type: ignore[arg-type]
    return path


# A consumes file of its own (format its base URL), and a spec that imports it from ./shared.
SHARED_CONSUMES = """\
naftiko: 1.0.0-alpha2
consumes:
- type: http
  namespace: notes-api
  baseUri: {base}
  description: The notes API.
  resources:
  - name: notes
    path: /notes
    operations:
    - name: list
      method: GET
      description: List notes.
"""

IMPORTING = """\
naftiko: 1.0.0-alpha2
info:
  label: Importer
  description: Imports its consumes.
capability:
  consumes:
  - import: notes-api
    location: ./shared/notes-api.yml
  exposes:
  - type: mcp
    namespace: importer-mcp
    port: 9090
    transport: http
    description: Notes over MCP.
    tools:
    - name: list-notes
      description: List notes.
      call: notes-api.list
"""
