"""The dialect stage: which syntax a spec is in, the one internal document, and
diagnostics that point into the file the user wrote."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from generator import pipeline
from generator.read import dialect, loader
from tests.issue13 import support


def _pair(tmp_path: Path) -> tuple[pipeline.SpecResult, pipeline.SpecResult, Path, Path]:
    old = support.write(tmp_path / "old" / "items.yaml", support.items("alpha2"))
    new = support.write(tmp_path / "new" / "items.yaml", support.items("ikanos"))
    return pipeline.process(old, pipeline.Options()), pipeline.process(new, pipeline.Options()), old, new


def test_both_syntaxes_make_the_same_package(tmp_path: Path) -> None:
    old, new, old_path, new_path = _pair(tmp_path)
    assert old.ok and new.ok and not new.diagnostics
    assert set(old.files) == set(new.files) and len(new.files) > 5
    assert support.without_source(old.files, old_path) == support.without_source(new.files, new_path)
    assert "from items.yaml. DO NOT EDIT." in new.files[PurePosixPath("items/client.py")]  # by name


@pytest.mark.parametrize(
    ("head", "ikanos"),
    [
        ('naftiko: "1.0.0-alpha2"', False),
        ('naftiko: "1.0.0-alpha1"', False),
        ('naftiko: "1.0.0-alpha3"', True),
        ('ikanos: "1.0.0-alpha3"', True),
        ('ikanos: "1.0.0-beta4"', True),
        ('ikanos: "9.9"', True),
    ],
)
def test_detect(head: str, ikanos: bool) -> None:
    spec = loader.load_text(head + "\ncapability: {}\n", Path("x.yaml"))
    assert dialect.detect(spec.data).ikanos is ikanos


@pytest.mark.parametrize("version", dialect.IKANOS_VERSIONS)
def test_every_ikanos_version_generates(tmp_path: Path, version: str) -> None:
    text = support.items().replace('"1.0.0-beta5"', f'"{version}"')
    result = pipeline.process(support.write(tmp_path / "items.yml", text), pipeline.Options())
    assert result.ok and result.files and not result.diagnostics


def test_naftiko_alpha3_is_the_ikanos_syntax(tmp_path: Path) -> None:
    text = support.items().replace('ikanos: "1.0.0-beta5"', 'naftiko: "1.0.0-alpha3"')
    result = pipeline.process(support.write(tmp_path / "items.yml", text), pipeline.Options())
    assert result.ok and result.files and not result.diagnostics


def test_unknown_ikanos_version_is_refused(tmp_path: Path) -> None:
    text = support.items().replace('"1.0.0-beta5"', '"2.0.0"')
    found = support.diagnostics(support.write(tmp_path / "items.yml", text))
    assert found[0].startswith("items.yml:1:9: error[NG101]: unsupported Ikanos version '2.0.0'") or "NG101" in found[0]
    assert "1.0.0-beta5" in found[0]


def test_error_points_at_the_map_key_the_user_wrote(tmp_path: Path) -> None:
    text = support.items().replace("call: api.get-item\n          with:\n            id: items-mcp.id",
                                   "call: api.get-itme\n          with:\n            id: items-mcp.id")
    path = support.write(tmp_path / "items.yml", text)
    result = pipeline.process(path, pipeline.Options())
    [found] = [d for d in result.diagnostics if d.code == "NG202"]
    line = text.splitlines().index("          call: api.get-itme") + 1
    assert (found.line, found.col) == (line, 17)
    assert found.json_path == "$.capability.exposes[1].tools.get-item.call"
    assert "get-item" in (found.hint or "")  # did you mean


def test_schema_error_is_located_and_explained(tmp_path: Path) -> None:
    text = support.items().replace("              method: GET\n              display", "              method: FETCH\n              display")
    path = support.write(tmp_path / "items.yml", text)
    result = pipeline.process(path, pipeline.Options())
    [found] = [d for d in result.diagnostics if d.is_error]
    line = text.splitlines().index("              method: FETCH") + 1
    assert (found.code, found.line, found.col) == ("NG104", line, 23)
    assert found.json_path == "$.capability.exposes[0].resources.item.operations.read.method"
    assert "REST operation" in found.message and "GET, POST" in found.message
    assert not result.files


def test_old_list_form_is_read_with_a_warning(tmp_path: Path) -> None:
    text = support.items().replace(
        "      tools:\n        get-item:\n          display",
        "      tools:\n        - name: get-item\n          display",
    )
    path = support.write(tmp_path / "new" / "items.yml", text)
    result = pipeline.process(path, pipeline.Options())
    [warning] = result.diagnostics
    line = text.splitlines().index("      tools:") + 1
    assert (warning.code, warning.line, warning.json_path) == ("NG130", line, "$.capability.exposes[1].tools")
    assert "'get-item:' instead of '- name: get-item'" in (warning.hint or "")
    _, clean, _, clean_path = _pair(tmp_path)
    assert support.without_source(result.files, path) == support.without_source(clean.files, clean_path)


def test_old_list_form_with_a_name_twice_is_refused(tmp_path: Path) -> None:
    text = support.items().replace(
        "          inputParameters:\n            id:\n              type: string\n              description: \"The item id\"\n          call",
        "          inputParameters:\n            - name: id\n              type: string\n              description: a\n"
        "            - name: id\n              type: string\n              description: b\n          call",
    )
    found = [d for d in pipeline.process(support.write(tmp_path / "items.yml", text), pipeline.Options()).diagnostics if d.is_error]
    assert [d.code for d in found] == ["NG131"] and "'id'" in found[0].message


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ('          display: "Get an item"', '          label: "Get an item"', "NG133"),
        ('  display: "Items"', '  label: "Items"', "NG133"),
    ],
)
def test_alpha2_keys_get_did_you_mean(tmp_path: Path, old: str, new: str, code: str) -> None:
    text = support.items().replace(old, new)
    path = support.write(tmp_path / "items.yml", text)
    result = pipeline.process(path, pipeline.Options())
    [found] = [d for d in result.diagnostics if d.code == code]
    assert "did you mean 'display'?" in (found.hint or "")
    assert found.line == text.splitlines().index(new) + 1
    assert result.ok  # read under its new name: the title is still generated
    assert "Get an item" in "".join(result.files.values()) and "Items" in "".join(result.files.values())


def test_import_location_is_refused_with_did_you_mean(tmp_path: Path) -> None:
    support.write(tmp_path / "shared" / "api.yml", "ikanos: 1.0.0-beta5\nconsumes:\n  - namespace: api\n    type: http\n"
                  "    baseUri: https://api.example.com\n")
    path = support.write(tmp_path / "cap.yml", "ikanos: 1.0.0-beta5\ncapability:\n  consumes:\n"
                         "    - import: api\n      location: ./shared/api.yml\n")
    [found] = [d for d in pipeline.process(path, pipeline.Options()).diagnostics if d.is_error]
    assert (found.code, found.line, found.col) == ("NG134", 5, 7)
    assert "did you mean 'from'?" in (found.hint or "")


def test_mapping_target_and_flows(tmp_path: Path) -> None:
    text = """\
ikanos: "1.0.0-beta5"
capability:
  consumes:
    - namespace: api
      type: http
      baseUri: "https://api.example.com"
      resources:
        items:
          path: "/items"
          operations:
            list-items:
              method: GET
  aggregates:
    - namespace: data
      display: "Data"
      flows:
        read-items:
          description: "Read the items"
          steps:
            fetch:
              type: call
              call: api.list-items
          mappings:
            - targetName: items
              value: "$.fetch"
          outputParameters:
            items:
              type: array
              items:
                id:
                  type: string
  exposes:
    - type: mcp
      port: 3001
      namespace: tools
      description: "Tools"
      tools:
        read-items:
          ref: data.read-items
"""
    result = pipeline.process(support.write(tmp_path / "flows.yml", text), pipeline.Options())
    [renamed] = [d for d in result.diagnostics if d.code == "NG133"]
    assert "'targetName'" in renamed.message and "'target'" in renamed.message and renamed.line == text.splitlines().index("            - targetName: items") + 1
    assert result.ok and "read_items" in result.files[next(k for k in result.files if k.name == "mcp_server.py")]


def test_standalone_document_is_a_support_file(tmp_path: Path) -> None:
    path = support.write(tmp_path / "api.consumes.yml", "ikanos: 1.0.0-beta5\nconsumes:\n  - namespace: api\n"
                         "    type: http\n    baseUri: https://api.example.com\n")
    result = pipeline.process(path, pipeline.Options())
    assert result.ok and not result.files and result.skipped and "standalone consumes document" in result.skipped


def test_two_standalone_sections_are_refused(tmp_path: Path) -> None:
    path = support.write(tmp_path / "both.yml", "ikanos: 1.0.0-beta5\nconsumes:\n  - namespace: api\n"
                         "    type: http\n    baseUri: https://api.example.com\nbinds:\n  - namespace: b\n    keys: {A: a}\n")
    [found] = pipeline.process(path, pipeline.Options()).diagnostics
    assert (found.code, found.line) == ("NG004", 6) and "exactly one of" in found.message


def test_size_limit_counts_ikanos_maps(tmp_path: Path) -> None:
    from generator.read import limits

    tools = "".join(f"        t{i}:\n          description: d\n          call: api.get-item\n" for i in range(5))
    text = support.items().replace("      tools:\n", "      tools:\n" + tools, 1)
    spec = loader.load_text(text, Path("x.yml"))
    assert limits.operation_count(spec.data) == 1 + 1 + 1 + 5  # consumed, REST, MCP and the five


def test_display_wins_over_label_whatever_the_order(tmp_path: Path) -> None:
    for both in ('          label: "Old"\n          display: "New"\n', '          display: "New"\n          label: "Old"\n'):
        text = support.items().replace('          display: "Get an item"\n', both)
        result = pipeline.process(support.write(tmp_path / "items.yml", text), pipeline.Options())
        assert [d.code for d in result.diagnostics] == ["NG133"]
        server = next(v for k, v in result.files.items() if k.name == "mcp_server.py")
        assert 'title="New"' in server and '"Old"' not in server


def test_old_named_outputs_of_steps_are_keyed_with_a_warning(tmp_path: Path) -> None:
    text = support.items().replace(
        "          call: api.get-item\n          with:\n            id: items-mcp.id\n"
        "          outputParameters:\n            - type: object\n              mapping: \"$.\"\n"
        "              properties:\n                name:\n                  type: string\n"
        "                  mapping: \"$.name\"\n",
        "          steps:\n            fetch:\n              type: call\n              call: api.get-item\n"
        "              with:\n                id: \"{{id}}\"\n          mappings:\n            - target: name\n"
        "              value: \"$.fetch.name\"\n          outputParameters:\n            - name: name\n"
        "              type: string\n",
    )
    result = pipeline.process(support.write(tmp_path / "items.yml", text), pipeline.Options())
    assert [(d.code, d.json_path) for d in result.diagnostics] == [("NG130", "$.capability.exposes[1].tools.get-item.outputParameters")]
    keyed = text.replace("            - name: name\n              type: string\n", "            name:\n              type: string\n")
    clean = pipeline.process(support.write(tmp_path / "k" / "items.yml", keyed), pipeline.Options())
    assert not clean.diagnostics
    assert support.without_source(result.files, tmp_path / "items.yml") == support.without_source(clean.files, tmp_path / "k" / "items.yml")
