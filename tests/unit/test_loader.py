"""Stage 1: YAML with positions; syntax errors and duplicate keys are positioned errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.read import loader


def load(text: str) -> loader.LoadedSpec:
    return loader.load_text(text, Path("bad.yaml"), "bad.yaml")


def errors(text: str) -> list[str]:
    with pytest.raises(loader.LoadError) as caught:
        load(text)
    return [d.format_text() for d in caught.value.diagnostics]


def test_positions_are_one_based_line_and_column() -> None:
    spec = load("naftiko: 1.0.0-alpha2\ncapability:\n  consumes:\n    - namespace: x\n")
    assert spec.positions[("capability", "consumes", 0, "namespace")] == (4, 18)
    assert spec.key_positions[("capability", "consumes", 0, "namespace")] == (4, 7)
    assert spec.locator()(("capability", "consumes", 0, "nope", 3)) == (4, 7)


def test_dates_stay_text_and_scalars_keep_types() -> None:
    spec = load("a: 2026-05-19\nb: 2\nc: 2.5\nd: true\ne: null\nf: '2'\n")
    assert spec.data == {"a": "2026-05-19", "b": 2, "c": 2.5, "d": True, "e": None, "f": "2"}


def test_invalid_yaml_is_positioned() -> None:
    assert errors("naftiko: 1.0.0-alpha2\ninfo: [unclosed\n") == [
        "bad.yaml:3:1: error[NG002]: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence\n"
        "    hint: check indentation, quoting and unclosed brackets near this position"
    ]


def test_duplicate_keys_are_errors() -> None:
    assert errors("naftiko: 1.0.0-alpha2\ninfo:\n  label: a\n  label: b\n") == [
        "bad.yaml:4:3: error[NG003]: duplicate key 'label' (first defined at line 3) (at $.info.label['#dup'])\n"
        "    hint: YAML keeps only one of them; remove or rename the other"
    ]


def test_empty_file_is_not_a_capability() -> None:
    assert errors("") == [
        "bad.yaml:1:1: error[NG004]: not a Naftiko capability: the file is empty\n"
        "    hint: a capability starts with 'naftiko: 1.0.0-alpha2'"
    ]


def test_deep_nesting_fails_cleanly() -> None:
    text = "a: " + "[" * 300 + "]" * 300 + "\n"
    assert any("NG005" in line for line in errors(text))


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(loader.LoadError) as missing:
        loader.load(tmp_path / "absent.yaml", "absent.yaml")
    assert missing.value.diagnostics[0].code == "NG001"
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"naftiko: \xff\xfe\n")
    with pytest.raises(loader.LoadError) as bad:
        loader.load(binary, "bin.yaml")
    assert bad.value.diagnostics[0].format_text().startswith("bin.yaml:1:1: error[NG001]: file is not UTF-8 text")
