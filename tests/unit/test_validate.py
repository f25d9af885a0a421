"""Stage 2: schema validation, the public dialect as warnings, positioned diagnostics."""

from __future__ import annotations

import copy
import json
import random
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from generator.read import loader, schema_check, validate
from generator.read.diagnostics import Diagnostic, Severity

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(__file__).parents[2].parent / "shared"
OFFICIAL_SCHEMA = SHARED / "reference" / "naftiko-schema-1.0.0-alpha2.json"

MINIMAL = """\
naftiko: 1.0.0-alpha2
info:
  label: Items
  description: Items API.
capability:
  consumes:
  - type: http
    namespace: api
    baseUri: https://api.example.com
    resources:
    - name: items
      path: /items
      operations:
      - name: list-items
        method: GET
  exposes:
  - type: mcp
    port: 3000
    namespace: tools
    tools:
    - name: list-items
      description: List items.
      call: api.list-items
"""


def shared_or_skip(*parts: str) -> Path:
    """A path inside ../shared, or skip when the reference folder is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference material not present: {path}")
    return path


def check(text: str) -> list[Diagnostic]:
    return validate.validate(loader.load_text(text, Path("bad.yaml"), "bad.yaml"))


def lines(text: str) -> list[str]:
    return [d.format_text() for d in check(text)]


def edit(old: str, new: str, text: str = MINIMAL) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def spec_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def loaded(folder: Path) -> Iterator[loader.LoadedSpec]:
    for path in spec_files(folder):
        try:
            yield loader.load(path, path.name)
        except loader.LoadError:
            continue


# --------------------------------------------------------------------------- the schema itself


def test_schema_is_valid_draft_2020_12() -> None:
    schema = schema_check.load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_annotations_use_known_codes() -> None:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in (node.get("x-ng") or {}).values():
                found.update(value.values() if isinstance(value, dict) else [value])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(schema_check.load_schema())
    assert found and found <= set(validate.CODES)


def test_every_code_is_documented() -> None:
    doc = (ROOT / "docs" / "diagnostics.md").read_text()
    for code, (severity, _) in validate.CODES.items():
        row = re.search(rf"^\| {code} \| (\w+) \|", doc, re.MULTILINE)
        assert row, f"{code} missing from docs/diagnostics.md"
        assert row.group(1) == severity.value, code


def test_inlined_schema_finds_what_the_written_schema_finds() -> None:
    written = Draft202012Validator(schema_check.load_schema())
    inlined = schema_check.compiled_validator()
    for text in [MINIMAL, *(case[0] for case in BAD_INPUTS.values())]:
        data = loader.load_text(text, Path("x.yaml")).data

        def found(validator: Draft202012Validator) -> set[tuple[str, str]]:
            return {(str(e.validator), json.dumps(list(e.absolute_path))) for e in validator.iter_errors(data)}

        assert found(written) == found(inlined)


def test_oneof_errors_follow_the_branch_whose_type_matches() -> None:
    schema = {
        "oneOf": [
            {"properties": {"type": {"const": "a"}, "x": {"type": "string"}}, "required": ["x"]},
            {"properties": {"type": {"const": "b"}, "y": {"type": "integer"}}, "required": ["y"]},
        ]
    }
    (error,) = Draft202012Validator(schema).iter_errors({"type": "b", "y": "text"})
    leaves = list(schema_check.relevant_leaves(error))
    assert [(leaf.validator, list(leaf.absolute_path)) for leaf in leaves] == [("type", ["y"])]


def test_minimal_spec_is_clean() -> None:
    assert lines(MINIMAL) == []


# --------------------------------------------------------------------------- pinned bad inputs


BAD_INPUTS = {
    "wrong type": (
        edit("    resources:\n    - name: items\n      path: /items\n      operations:\n"
             "      - name: list-items\n        method: GET\n", "    resources: foo\n"),
        ["bad.yaml:10:16: error[NG102]: 'resources' in consumes entry: expected a list, got a string "
         "(at $.capability.consumes[0].resources)"],
    ),
    "operations not a list": (
        edit("      operations:\n      - name: list-items\n        method: GET\n",
             "      operations:\n        name: list-items\n"),
        ["bad.yaml:14:9: error[NG102]: 'operations' in consumed resource: expected a list, got a mapping "
         "(at $.capability.consumes[0].resources[0].operations)"],
    ),
    "unknown key with did-you-mean": (
        edit("        method: GET\n", "        method: GET\n        descripton: List.\n"),
        ["bad.yaml:16:9: warning[NG110]: unknown key 'descripton' in consumed operation "
         "(at $.capability.consumes[0].resources[0].operations[0].descripton)\n"
         "    hint: did you mean 'description'?"],
    ),
    "misspelt required key": (
        edit("    namespace: api\n", "    namspace: api\n"),
        ["bad.yaml:7:5: error[NG103]: missing required key 'namespace' in consumes entry (at $.capability.consumes[0])\n"
         "    hint: found 'namspace'; did you mean 'namespace'?"],
    ),
    "missing required key": (
        edit("    namespace: api\n", ""),
        ["bad.yaml:7:5: error[NG103]: missing required key 'namespace' in consumes entry (at $.capability.consumes[0])\n"
         "    hint: the namespace is the first part of 'call: <namespace>.<operation>'"],
    ),
    "kubernetes manifest": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
        ["bad.yaml:1:1: error[NG004]: not a Naftiko capability: no top-level 'naftiko' or 'ikanos' key; "
         "found keys apiVersion, kind, metadata\n"
         "    hint: this looks like a Kubernetes-style manifest (apiVersion/kind); "
         "a capability starts with 'naftiko: 1.0.0-alpha2'"],
    ),
    "a list, not a mapping": (
        "- naftiko: 1.0.0-alpha2\n",
        ["bad.yaml:1:1: error[NG004]: not a Naftiko capability: the document is a list, not a mapping\n"
         "    hint: a capability starts with 'naftiko: 1.0.0-alpha2' followed by a 'capability:' mapping "
         "(or a root 'consumes:' list in a shared consumes file)"],
    ),
    "naftiko key without a capability": (
        "naftiko: 1.0.0-alpha2\ninfo:\n  title: x\nservers: []\ntools: []\n",
        ["bad.yaml:1:1: error[NG004]: not a Naftiko capability: no 'capability' mapping or root 'consumes' list; "
         "found keys naftiko, info, servers, tools\n"
         "    hint: a capability starts with 'naftiko: 1.0.0-alpha2' followed by a 'capability:' mapping "
         "(or a root 'consumes:' list in a shared consumes file)"],
    ),
    "bad version": (
        edit("1.0.0-alpha2", "2.0.0"),
        ["bad.yaml:1:10: error[NG101]: unsupported Naftiko version '2.0.0'; naftiko-gen reads 1.0.0-alpha2 "
         "(and the Ikanos syntax, 1.0.0-alpha3 to 1.0.0-beta5) (at $.naftiko)\n    hint: write 'naftiko: 1.0.0-alpha2'"],
    ),
    "version that is not a string": (
        edit("naftiko: 1.0.0-alpha2", "naftiko:\n  version: 1.0.0-alpha2"),
        ["bad.yaml:2:3: error[NG101]: 'naftiko' must be a version string, got a mapping (at $.naftiko)\n"
         "    hint: write 'naftiko: 1.0.0-alpha2'"],
    ),
    "previous version": (
        edit("1.0.0-alpha2", "1.0.0-alpha1"),
        ["bad.yaml:1:10: warning[NG119]: spec version 1.0.0-alpha1 is read as 1.0.0-alpha2 (public dialect) "
         "(at $.naftiko)\n"
         "    hint: update to 'naftiko: 1.0.0-alpha2' once the spec follows the current schema"],
    ),
    "exposes type http": (
        edit("  - type: mcp\n", "  - type: http\n"),
        ["bad.yaml:17:11: error[NG104]: 'type' in exposes entry: unknown value 'http'; "
         "expected one of rest, mcp, skill, control (at $.capability.exposes[0].type)\n"
         "    hint: 'http' is a consumes type; an exposed HTTP API is 'type: rest'"],
    ),
    "unknown HTTP method": (
        edit("method: GET", "method: FETCH"),
        ["bad.yaml:15:17: error[NG104]: 'method' in consumed operation: unknown value 'FETCH'; "
         "expected one of GET, POST, PUT, PATCH, DELETE "
         "(at $.capability.consumes[0].resources[0].operations[0].method)"],
    ),
    "HEAD is tolerated": (
        edit("method: GET", "method: HEAD"),
        ["bad.yaml:15:17: warning[NG116]: 'method' in consumed operation is 'HEAD', which the schema does not list "
         "(GET, POST, PUT, PATCH, DELETE) (at $.capability.consumes[0].resources[0].operations[0].method)\n"
         "    hint: off-schema value (public dialect); the Naftiko engine may reject it"],
    ),
    "nothing to generate": (
        MINIMAL.split("  consumes:")[0] + "  binds:\n  - namespace: env\n    keys: {TOKEN: token}\n",
        ["bad.yaml:6:3: error[NG105]: capability has neither 'exposes' nor 'consumes' (at $.capability)\n"
         "    hint: add an 'exposes' list (rest or mcp) and the 'consumes' adapters it calls"],
    ),
    "non-scalar where text is needed": (
        edit("      description: List items.\n", "      description: [a, b]\n"),
        ["bad.yaml:22:20: error[NG102]: 'description' in MCP tool: expected a string, got a list "
         "(at $.capability.exposes[0].tools[0].description)\n"
         "    hint: write a single (quoted) string"],
    ),
    "empty description": (
        edit("      description: List items.\n", "      description:\n"),
        ["bad.yaml:22:19: warning[NG111]: 'description' in MCP tool is empty "
         "(at $.capability.exposes[0].tools[0].description)\n"
         "    hint: give it a value or remove the key"],
    ),
    "apikey aliases": (
        edit("    resources:", "    authentication:\n      type: apikey\n      in: header\n      name: X-Key\n"
             "      value: '{{KEY}}'\n    resources:"),
        ["bad.yaml:12:7: warning[NG114]: apikey authentication uses 'in' where the schema says 'placement' "
         "(at $.capability.consumes[0].authentication.in)\n    hint: rename 'in' to 'placement'",
         "bad.yaml:13:7: warning[NG114]: apikey authentication uses 'name' where the schema says 'key' "
         "(at $.capability.consumes[0].authentication.name)\n    hint: rename 'name' to 'key'"],
    ),
    "unsupported auth": (
        edit("    resources:", "    authentication:\n      type: oauth1\n      consumerKey: k\n    resources:"),
        ["bad.yaml:11:13: warning[NG115]: authentication type 'oauth1' is not supported by naftiko-gen "
         "(at $.capability.consumes[0].authentication.type)\n"
         "    hint: the generated code raises a clear error when this API is called; "
         "supported types: basic, apikey, bearer, digest, oauth2"],
    ),
    "templated baseUri": (
        edit("https://api.example.com", "'{{BASE_URL}}'"),
        ["bad.yaml:9:14: warning[NG113]: baseUri '{{BASE_URL}}' uses a {{variable}} "
         "(at $.capability.consumes[0].baseUri)\n"
         "    hint: Naftiko expects http(s)://host[/path] without templates; "
         "the generated client needs the real base URL at run time"],
    ),
    "info title and no description": (
        edit("  label: Items\n  description: Items API.\n", "  title: Items\n"),
        ["bad.yaml:3:3: warning[NG111]: missing 'description' in info (at $.info)\n"
         "    hint: descriptions become docstrings and tool descriptions that agents read",
         "bad.yaml:3:3: warning[NG114]: info uses 'title' where the schema says 'label' (at $.info.title)\n"
         "    hint: rename 'title' to 'label'"],
    ),
    "skill exposes folded": (
        MINIMAL + "  - type: skill\n    port: 4000\n    namespace: sk\n    skills:\n    - name: s\n"
                  "      tools:\n      - name: t\n",
        ["bad.yaml:30:9: warning[NG118]: skill exposes is off-schema: missing required key 'description' "
         "in skill tool (and 2 more problems) (at $.capability.exposes[1].skills[0].tools[0])\n"
         "    hint: naftiko-gen generates no code for skills; fix this to run the spec on the Naftiko engine"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_diagnostics(case: str) -> None:
    text, expected = BAD_INPUTS[case]
    assert lines(text) == expected


def test_dialect_warnings_are_aggregated_per_kind() -> None:
    params = "".join(
        f"        - name: p{i}\n          in: query\n          type: integer\n          required: false\n"
        for i in range(40)
    )
    outputs = "".join(
        f"    - name: tool-{i}\n      description: T.\n      call: api.list-items\n"
        "      outputParameters:\n      - type: object\n        mapping: $.\n"
        for i in range(30)
    )
    text = edit("        method: GET\n", "        method: GET\n        inputParameters:\n" + params)
    text = edit("    tools:\n", "    tools:\n" + outputs, text)
    assert lines(text) == [
        "bad.yaml:19:11: warning[NG110]: unknown keys in consumed input parameter: 'type', 'required' "
        "(40 occurrences) (at $.capability.consumes[0].resources[0].operations[0].inputParameters[0].type)\n"
        "    hint: not in the Naftiko schema; the Naftiko engine ignores such keys",
        "bad.yaml:186:9: warning[NG117]: MCP tool output parameter of type 'object' has no 'properties' "
        "(30 occurrences) (at $.capability.exposes[0].tools[0].outputParameters[0])\n"
        "    hint: public dialect: the mapped value is passed through as it is; list 'properties' to describe it",
    ]


def test_unknown_key_points_at_the_key() -> None:
    (found,) = check(edit("    port: 3000\n", "    port: 3000\n    colour: blue\n"))
    assert (found.line, found.col, found.code) == (19, 5, "NG110")


def test_warnings_stay_warnings() -> None:
    found = check(edit("method: GET", "method: get"))
    assert [d.severity for d in found] == [Severity.WARNING]
    assert [d.promoted().severity for d in found] == [Severity.ERROR]


def test_ref_tools_need_no_name_or_description() -> None:
    text = edit("    - name: list-items\n      description: List items.\n      call: api.list-items\n",
                "    - ref: agg.list-items\n")
    assert lines(text) == []


def test_stdio_mcp_server_has_no_port() -> None:
    assert lines(edit("    port: 3000\n", "    transport: stdio\n")) == []
    assert lines(edit("    port: 3000\n", "    transport: stdio\n    port: 3000\n")) == [
        "bad.yaml:17:5: warning[NG121]: MCP exposes has 'port' with 'transport: stdio' (at $.capability.exposes[0])\n"
        "    hint: a stdio MCP server has no port; remove it"
    ]


def test_shared_consumes_file_is_a_capability() -> None:
    text = "naftiko: 1.0.0-alpha2\nconsumes:\n" + MINIMAL.split("  consumes:\n")[1].split("  exposes:")[0]
    assert lines(text) == []


def test_deep_output_nesting_does_not_crash() -> None:
    nested: dict[str, Any] = {"type": "string", "value": "x"}
    for _ in range(400):
        nested = {"type": "object", "properties": {"p": nested}}
    data = json.loads(json.dumps(loader.load_text(MINIMAL, Path("x.yaml")).data))
    data["capability"]["exposes"][0]["tools"][0]["outputParameters"] = [nested]
    spec = loader.LoadedSpec(path=Path("deep.yaml"), display="deep.yaml", data=data, text="")
    codes = {d.code for d in validate.validate(spec)}
    assert codes <= {"NG106"}


@pytest.mark.parametrize(
    "value",
    [None, 0, "text", [], [1, {"a": None}], {"naftiko": None}, {"naftiko": "1.0.0-alpha2", "capability": None},
     {"naftiko": "1.0.0-alpha2", "capability": {"exposes": [None, 1, "x", {"type": None}, {"type": ["rest"]}]}},
     {"naftiko": "1.0.0-alpha2", "capability": {"consumes": [{"type": "http", "resources": [[]], 7: 1}]}}],
)
def test_odd_documents_never_raise(value: Any) -> None:
    spec = loader.LoadedSpec(path=Path("odd.yaml"), display="odd.yaml", data=value, text="")
    for diagnostic in validate.validate(spec):
        assert diagnostic.code in validate.CODES


# --------------------------------------------------------------------------- real specs


@pytest.mark.parametrize("path", sorted((ROOT / "specs").glob("*.yaml")), ids=lambda p: p.name)
def test_seed_specs_have_no_errors(path: Path) -> None:
    found = validate.validate(loader.load(path, path.name))
    assert [d.format_text() for d in found if d.is_error] == []


def _official_valid() -> list[loader.LoadedSpec]:
    official = Draft202012Validator(json.loads(shared_or_skip("reference", OFFICIAL_SCHEMA.name).read_text()))
    return [s for s in loaded(shared_or_skip("corpus", "official")) if official.is_valid(s.data)]


def test_official_specs_are_clean() -> None:
    """Everything the official schema accepts passes ours with no error and no warning."""
    specs = _official_valid()
    assert len(specs) >= 40
    raw = Draft202012Validator(schema_check.load_schema())
    for spec in specs:
        assert [d.format_text() for d in validate.validate(spec)] == [], spec.display
        assert not list(raw.iter_errors(spec.data)), spec.display


def test_mutated_official_specs_stay_clean_while_official_accepts_them() -> None:
    """Random edits of official specs that the official schema still accepts get no finding."""
    official = Draft202012Validator(json.loads(shared_or_skip("reference", OFFICIAL_SCHEMA.name).read_text()))
    bases = [s.data for s in _official_valid()]
    rng = random.Random(20261123)
    kept = 0
    for _ in range(400):
        document = _mutate(copy.deepcopy(rng.choice(bases)), rng)
        if not official.is_valid(document):
            continue
        kept += 1
        spec = loader.LoadedSpec(path=Path("m.yaml"), display="m.yaml", data=document, text="")
        assert [d.format_text() for d in validate.validate(spec)] == []
    assert kept > 20


_VALUES: list[Any] = ["", "x", "a.b", "$.", "GET", "HEAD", "stdio", "http", "object", "array", "header",
                      "https://a.example", "file:///x", "2026-01-01", 0, 8080, 70000, True, None, [], {}]
_KEYS = ["description", "label", "name", "type", "port", "transport", "method", "in", "value", "mapping",
         "properties", "items", "call", "ref", "steps", "outputParameters", "resources", "operations"]


def _nodes(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _nodes(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _nodes(value, path + (index,))


def _mutate(document: Any, rng: random.Random) -> Any:
    path, node = rng.choice(list(_nodes(document)))
    roll = rng.random()
    if isinstance(node, dict) and node and roll < 0.4:
        del node[rng.choice(list(node))]
    elif isinstance(node, dict) and roll < 0.8:
        node[rng.choice(_KEYS)] = copy.deepcopy(rng.choice(_VALUES))
    elif isinstance(node, list) and node:
        node.pop(rng.randrange(len(node)))
    elif path:
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = copy.deepcopy(rng.choice(_VALUES))
    return document


def test_files_that_are_not_naftiko_get_exactly_one_ng004() -> None:
    folder = shared_or_skip("corpus", "broken", "not-naftiko")
    specs = list(loaded(folder))
    assert specs
    for spec in specs:
        found = validate.validate(spec)
        assert [d.code for d in found] == ["NG004"], spec.display
        assert found[0].message.startswith("not a Naftiko capability: ")


def test_truncated_files_do_not_crash() -> None:
    for spec in loaded(shared_or_skip("corpus", "broken", "truncated")):
        for diagnostic in validate.validate(spec):
            assert diagnostic.code in validate.CODES


def test_dev_corpus_validates_without_errors() -> None:
    """At least 99% of the real specs in corpus/dev come out without errors (warnings are fine)."""
    specs = list(loaded(shared_or_skip("corpus", "dev")))
    start = time.perf_counter()
    failing = [s.display for s in specs if any(d.is_error for d in validate.validate(s))]
    elapsed = time.perf_counter() - start
    clean = len(specs) - len(failing)
    print(f"\ncorpus/dev: {clean}/{len(specs)} specs without errors ({clean / len(specs):.2%}), "
          f"validated in {elapsed:.1f}s; with errors: {', '.join(failing)}")
    assert clean >= 0.99 * len(specs)
