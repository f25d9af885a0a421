"""Stage 3: call targets, with keys and unique names, pinned as exact diagnostic lines."""

from __future__ import annotations

from pathlib import Path

from generator.read import loader, semantics

BASE = """\
naftiko: 1.0.0-alpha2
info: {label: T, description: T}
capability:
  consumes:
    - type: http
      namespace: api
      baseUri: https://api.example.com
      resources:
        - name: users
          path: /users/{id}
          operations:
            - name: get-user
              method: GET
            - name: list
              method: GET
        - name: teams
          path: /teams
          operations:
            - name: list
              method: GET
              inputParameters:
                - {name: team, in: query}
  exposes:
    - type: mcp
      namespace: tools
      port: 9090
      tools:
"""


def check(tools: str) -> list[str]:
    spec = loader.load_text(BASE + tools, Path("s.yaml"), "s.yaml")
    out = spec.collector()
    semantics.check(spec.data, out)
    return [d.format_text() for d in out.items]


def test_unknown_operation_suggests_the_closest() -> None:
    assert check("        - {name: t, description: d, call: api.get-usr}\n") == [
        "s.yaml:28:43: warning[NG202]: call 'api.get-usr': namespace 'api' has no operation 'get-usr'; "
        "it will answer 501 Not Implemented (at $.capability.exposes[0].tools[0].call)\n"
        "    hint: did you mean 'api.get-user'?"
    ]


def test_unknown_namespace_lists_the_known_ones() -> None:
    assert check("        - {name: t, description: d, call: apx.get-user}\n") == [
        "s.yaml:28:43: warning[NG202]: call 'apx.get-user' names unknown consumes namespace 'apx' (known: api); "
        "it will answer 501 Not Implemented (at $.capability.exposes[0].tools[0].call)\n"
        "    hint: did you mean 'api.get-user'?"
    ]


def test_call_without_namespace() -> None:
    lines = check("        - {name: t, description: d, call: getuser}\n")
    assert lines[0].startswith("s.yaml:28:43: warning[NG204]: call 'getuser' is not of the form 'namespace.operation'")


def test_ambiguous_call_is_501_unless_evidence_settles_it() -> None:
    assert check("        - {name: t, description: d, call: api.list}\n") == [
        "s.yaml:28:43: warning[NG203]: call 'api.list' is ambiguous: 2 operations are named 'list' "
        "(resource #1, resource #2); it will answer 501 Not Implemented (at $.capability.exposes[0].tools[0].call)\n"
        "    hint: give each consumed operation a unique name within its namespace"
    ]
    settled = check("        - {name: t, description: d, call: api.list, with: {team: tools.team}}\n")
    assert settled == [
        "s.yaml:28:43: warning[NG207]: call 'api.list' is ambiguous (2 operations are named 'list'); "
        "resolved to the one in resource 'teams' by its `with` keys (at $.capability.exposes[0].tools[0].call)\n"
        "    hint: give each consumed operation a unique name within its namespace"
    ]


def test_duplicate_tool_names_name_both_locations() -> None:
    lines = check(
        "        - {name: same, description: d, call: api.get-user}\n"
        "        - {name: same, description: d, call: api.get-user}\n"
    )
    assert lines == [
        "s.yaml:29:18: warning[NG210]: MCP tool name 'same' is used twice (first at line 28, column 18); "
        "the last tool of that name answers calls, as on the Naftiko engine, and the others are not generated "
        "(at $.capability.exposes[0].tools[1].name)\n"
        "    hint: MCP clients call tools by name; give each tool a unique name"
    ]


def test_valid_calls_are_silent() -> None:
    assert check("        - {name: t, description: d, call: api.get-user, with: {id: tools.id}}\n") == []
