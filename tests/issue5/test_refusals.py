"""What issue 5 refuses or reports: script steps, broken imports, unknown refs and lookups."""

from __future__ import annotations

from pathlib import Path

from generator import pipeline

BASE = """naftiko: "1.0.0-alpha2"
capability:
  consumes:
{consumes}
  exposes:
    - type: mcp
      namespace: m
      port: 9000
      description: d
      tools:
        - name: t
          description: d
{tool}
"""
API = """    - namespace: api
      type: http
      baseUri: http://x.invalid
      resources:
        - name: r
          path: /r
          operations:
            - {name: get, method: GET}"""


def codes(tmp_path: Path, consumes: str, tool: str) -> dict[str, str]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(BASE.format(consumes=consumes, tool=tool))
    result = pipeline.process(spec, pipeline.Options())
    return {d.code: f"{d.severity.value}: {d.message}" for d in result.diagnostics if d.code.startswith(("NG31", "NG20"))}


def test_script_step_is_refused(tmp_path: Path) -> None:
    found = codes(tmp_path, API, "          steps:\n            - {name: s, type: script, language: javascript, file: x.js}")
    assert found["NG312"].startswith("error: script step 's' (javascript) is not generated")


def test_import_errors(tmp_path: Path) -> None:
    missing = codes(tmp_path, "    - {import: api, location: ./nope.yaml}", "          call: api.get")
    assert missing["NG310"].startswith("error: imported consumes file './nope.yaml' cannot be read")
    (tmp_path / "shared.yaml").write_text('naftiko: "1.0.0-alpha2"\nconsumes:\n' + API + "\n")
    wrong = codes(tmp_path, "    - {import: other, location: ./shared.yaml}", "          call: api.get")
    assert wrong["NG311"] == "error: './shared.yaml' has no consumes namespace 'other' (it has: api)"
    good = codes(tmp_path, "    - {import: api, location: ./shared.yaml, as: alias}", "          call: alias.get")
    assert good == {}


def test_unknown_ref_and_bad_lookup_are_reported(tmp_path: Path) -> None:
    ref = codes(tmp_path, API, "          ref: agg.nothing")
    assert ref["NG314"].startswith("warning: ref 'agg.nothing' names no aggregate function")
    lookup = codes(tmp_path, API, "          steps:\n            - {name: l, type: lookup, index: later, match: id, lookupValue: $.x, outputParameters: [a]}")
    assert lookup["NG313"].startswith("warning: lookup step 'l' uses index 'later'")
