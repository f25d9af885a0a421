"""MCP lint: tool names, descriptions and sizes that real clients reject or drop."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.pipeline import Options, process


def _spec(tools: list[dict], **server: object) -> dict:
    return {
        "naftiko": "1.0.0-alpha2",
        "info": {"label": "Lint", "description": "Lint test."},
        "capability": {
            "consumes": [
                {
                    "type": "http",
                    "namespace": "api",
                    "baseUri": "https://api.example.com",
                    "resources": [{"name": "r", "path": "/r", "operations": [{"name": "op", "method": "GET"}]}],
                }
            ],
            "exposes": [{"type": "mcp", "namespace": "lint", "port": 9000, "tools": tools, **server}],
        },
    }


def _tool(name: str, description: str = "Does a useful thing.", **extra: object) -> dict:
    return {"name": name, "description": description, "call": "api.op", **extra}


def _codes(tmp_path: Path, data: dict, strict: bool = False) -> list[tuple[str, str, int]]:
    path = tmp_path / "lint.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = process(path, Options(strict=strict))
    return [(d.code, d.severity.value, d.line) for d in result.diagnostics if d.code.startswith("NG4")]


def test_clean_tools_give_no_lint(tmp_path: Path) -> None:
    assert _codes(tmp_path, _spec([_tool("get-thing"), _tool("a" * 60)])) == []


def test_tool_name_rules(tmp_path: Path) -> None:
    found = _codes(tmp_path, _spec([_tool("get thing"), _tool("n" * 65), _tool("m" * 61), _tool("ok.name_1")]))
    assert [(code, sev) for code, sev, _ in found] == [("NG401", "error"), ("NG401", "error"), ("NG402", "warning")]
    lines = [line for _, _, line in found]
    assert lines == sorted(lines) and len(set(lines)) == 3  # each at its own tool's name


def test_empty_or_name_only_description(tmp_path: Path) -> None:
    found = _codes(tmp_path, _spec([_tool("get-thing", " "), _tool("list-things", "List things"), _tool("x", "Returns x.")]))
    assert [code for code, _, _ in found] == ["NG403", "NG403"]


def test_oversized_description_schema_and_list(tmp_path: Path) -> None:
    long_text = "word " * 300
    params = [{"name": f"p{i}", "type": "string", "description": "d" * 200} for i in range(25)]
    tools = [_tool("long-desc", long_text), _tool("big-schema", inputParameters=params)]
    tools += [_tool(f"t{i}", "x " * 500) for i in range(140)]
    found = {code for code, _, _ in _codes(tmp_path, _spec(tools))}
    assert {"NG404", "NG405", "NG406", "NG407"} <= found


def test_strict_turns_lint_warnings_into_errors(tmp_path: Path) -> None:
    found = _codes(tmp_path, _spec([_tool("m" * 61)]), strict=True)
    assert found and all(sev == "error" for _, sev, _ in found)
