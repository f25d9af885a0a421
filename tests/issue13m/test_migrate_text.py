"""migrate_text: what changes, what is kept byte for byte, and what is refused."""

from __future__ import annotations

import textwrap

import yaml

from generator.migrate.convert import migrate_text

SPEC = textwrap.dedent("""\
    # A capability, with comments everywhere.
    naftiko: '1.0.0-alpha2'   # the version
    info:
      label: "Notes"  # shown to users
      description: Notes API
    capability:
      consumes:
      - namespace: notes
        type: http
        baseUri: "https://notes.example"
        resources:
        - name: "note"   # keyed by this
          label: Note
          path: /notes/{{id}}
          operations:
          - method: GET
            name: get-note  # the name, not first
            inputParameters: [{name: id, in: path}, {in: header, name: X-Trace}]
      exposes:
      - type: mcp
        namespace: notes-mcp
        port: 3000
        tools:
          - name: get-note
            label: Get a note
            description: 'Get one note'
            inputParameters:
              - {name: id, type: string, description: "Note id"}
            call: notes.get-note
            with: {id: notes-mcp.id, label: x}
            outputParameters:
              - type: object
                properties:
                  label: {type: string, mapping: $.label}
          - name: summary
            description: Steps
            steps:
              - name: fetch
                type: call
                call: notes.get-note
            mappings:
              - targetName: title
                value: $.fetch.title
            outputParameters:
              - name: title
                type: string
    """)

MIGRATED = textwrap.dedent("""\
    # A capability, with comments everywhere.
    ikanos: '1.0.0-beta5'   # the version
    info:
      display: "Notes"  # shown to users
      description: Notes API
    capability:
      consumes:
      - namespace: notes
        type: http
        baseUri: "https://notes.example"
        resources:
          "note":   # keyed by this
            display: Note
            path: /notes/{{id}}
            operations:
              get-note:  # the name, not first
                method: GET
                inputParameters: {id: {in: path}, X-Trace: {in: header}}
      exposes:
      - type: mcp
        namespace: notes-mcp
        port: 3000
        tools:
          get-note:
            display: Get a note
            description: 'Get one note'
            inputParameters:
              id: {type: string, description: "Note id"}
            call: notes.get-note
            with: {id: notes-mcp.id, label: x}
            outputParameters:
              - type: object
                properties:
                  label: {type: string, mapping: $.label}
          summary:
            description: Steps
            steps:
              fetch:
                type: call
                call: notes.get-note
            mappings:
              - target: title
                value: $.fetch.title
            outputParameters:
              title:
                type: string
    """)


def test_comments_order_quotes_and_untouched_lines_are_kept() -> None:
    outcome = migrate_text(SPEC)
    assert outcome.status == "migrated", outcome.problems
    assert outcome.text == MIGRATED


def test_what_stays_a_list_stays_a_list_and_user_keys_are_not_renamed() -> None:
    data = yaml.safe_load(migrate_text(SPEC).text or "")
    tool = data["capability"]["exposes"][0]["tools"]["get-note"]
    assert isinstance(tool["outputParameters"], list)  # mapped outputs of a call tool
    assert "label" in tool["outputParameters"][0]["properties"]  # a property, not a label
    assert tool["with"] == {"id": "notes-mcp.id", "label": "x"}
    assert isinstance(data["capability"]["exposes"][0]["tools"]["summary"]["mappings"], list)


def test_a_second_run_changes_nothing() -> None:
    once = migrate_text(SPEC).text or ""
    assert migrate_text(once).status == "current"


def test_windows_line_ends_are_kept() -> None:
    outcome = migrate_text(SPEC.replace("\n", "\r\n"))
    assert outcome.text == MIGRATED.replace("\n", "\r\n")


def test_a_byte_order_mark_is_kept() -> None:
    assert migrate_text("\ufeff" + SPEC).text == "\ufeff" + MIGRATED


def test_duplicate_names_are_refused_naming_both_entries() -> None:
    spec = textwrap.dedent("""\
        naftiko: 1.0.0-alpha2
        capability:
          exposes:
            - type: mcp
              namespace: m
              tools:
                - name: same
                  description: one
                - name: other
                  description: two
                - name: same
                  description: three
        """)
    outcome = migrate_text(spec)
    assert outcome.status == "refused" and outcome.text is None
    [problem] = [p for p in outcome.problems if p.error]
    assert problem.code == "NG601"
    assert "'same'" in problem.message and "lines 7 and 11" in problem.message
    assert (problem.line, problem.col) == (11, 11)


def test_an_entry_without_a_name_is_refused() -> None:
    spec = "naftiko: 1.0.0-alpha2\ncapability:\n  consumes:\n  - namespace: a\n"
    spec += "    type: http\n    baseUri: http://x\n    inputParameters:\n    - in: query\n"
    outcome = migrate_text(spec)
    assert outcome.status == "refused"
    assert [(p.code, p.line) for p in outcome.problems] == [("NG602", 8)]


def test_an_unnamed_rest_resource_and_operation_are_keyed_with_a_warning() -> None:
    spec = textwrap.dedent("""\
        naftiko: 1.0.0-alpha2
        capability:
          exposes:
          - type: rest
            namespace: r
            port: 8080
            resources:
            - path: /items/{{id}}
              operations:
              - method: GET
                call: a.b
        """)
    outcome = migrate_text(spec)
    assert outcome.status == "migrated"
    data = yaml.safe_load(outcome.text or "")
    resources = data["capability"]["exposes"][0]["resources"]
    assert list(resources) == ["items-id"]
    assert list(resources["items-id"]["operations"]) == ["items-id-get"]
    assert {p.code for p in outcome.problems} == {"NG604"}
    assert not any(p.error for p in outcome.problems)


def test_imports_aggregates_prompts_and_skills() -> None:
    spec = textwrap.dedent("""\
        naftiko: "1.0.0-alpha2"
        capability:
          consumes:
            - import: shared
              location: ./shared.yaml
          aggregates:
            - label: Agg
              namespace: agg
              functions:
                - name: f
                  description: d
                  call: shared.op
          exposes:
            - type: mcp
              namespace: m
              tools:
                - name: t
                  description: d
                  ref: agg.f
              prompts:
                - name: p
                  label: P
                  description: d
                  arguments:
                    - name: who
                      label: Who
                      description: d
                  template:
                    - role: user
                      content: hi {{who}}
            - type: skill
              namespace: s
              port: 3002
              skills:
                - name: sk
                  description: d
                  tools:
                    - name: t
                      description: d
                      from: {sourceNamespace: m, action: t}
        """)
    data = yaml.safe_load(migrate_text(spec).text or "")
    capability = data["capability"]
    assert capability["consumes"] == [{"import": "shared", "from": "./shared.yaml"}]
    assert capability["aggregates"][0] == {
        "display": "Agg",
        "namespace": "agg",
        "flows": {"f": {"description": "d", "call": "shared.op"}},
    }
    prompt = capability["exposes"][0]["prompts"]["p"]
    assert prompt["display"] == "P"
    assert prompt["arguments"] == {"who": {"display": "Who", "description": "d"}}
    assert isinstance(prompt["template"], list)
    skill = capability["exposes"][1]["skills"]["sk"]
    assert skill["tools"] == {
        "t": {"description": "d", "from": {"sourceNamespace": "m", "action": "t"}}
    }


def test_other_documents_are_left_alone() -> None:
    assert migrate_text("ikanos: 1.0.0-beta5\ncapability: {}\n").status == "current"
    assert migrate_text("openapi: 3.0.0\n").status == "other"
    assert migrate_text("- a\n").status == "other"
    skipped = migrate_text("naftiko: 1.0.0-alpha1\ncapability: {}\n")
    assert skipped.status == "skipped" and skipped.problems[0].code == "NG606"


def test_invalid_yaml_is_reported_at_its_position() -> None:
    outcome = migrate_text("naftiko: 1.0.0-alpha2\ncapability: [\n")
    assert outcome.status == "refused"
    assert outcome.problems[0].code == "NG002" and outcome.problems[0].line >= 2


def test_yaml_that_is_not_a_spec_is_not_our_business() -> None:
    assert migrate_text("a: 1\n---\nb: 2\n").status == "other"  # several documents
    assert migrate_text("key: [unclosed\n").status == "other"


def test_an_old_key_beside_its_new_name_is_refused() -> None:
    outcome = migrate_text("naftiko: 1.0.0-alpha2\ninfo:\n  label: a\n  display: b\n")
    assert outcome.status == "refused"
    assert [(p.code, p.line, p.col) for p in outcome.problems] == [("NG602", 3, 3)]


def test_unnamed_step_outputs_stay_a_list_with_a_warning() -> None:
    spec = textwrap.dedent("""\
        naftiko: 1.0.0-alpha2
        capability:
          exposes:
          - type: mcp
            namespace: m
            tools:
            - name: t
              description: d
              steps:
              - {name: s, type: call, call: a.b}
              outputParameters:
              - type: object
                mapping: $.s
        """)
    outcome = migrate_text(spec)
    assert outcome.status == "migrated"
    assert [(p.code, p.error) for p in outcome.problems] == [("NG605", False)]
    tool = yaml.safe_load(outcome.text or "")["capability"]["exposes"][0]["tools"]["t"]
    assert tool["steps"] == {"s": {"type": "call", "call": "a.b"}}
    assert tool["outputParameters"] == [{"type": "object", "mapping": "$.s"}]
