"""Spec builders and checks shared by the issue-7 tests (hostile input, names, huge specs)."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import black
import yaml

from generator.emit import fmt
from generator import pipeline


def capability(
    texts: Mapping[str, str] | None = None,
    op_names: list[str] | None = None,
    tool_names: list[str] | None = None,
) -> dict[str, Any]:
    """A small capability (one consumed API, a REST and an MCP exposes) with every
    free-text field taken from ``texts`` and operation and tool names as given."""
    text = {key: f"plain {key}" for key in ("label", "info", "consumes", "op", "input", "rest", "route", "mcp", "tool", "tool_input", "value")}
    text.update(texts or {})
    ops = op_names or ["get-item"]
    tools = tool_names or [f"tool-{i}" for i in range(len(ops))]
    return {
        "naftiko": "1.0.0-alpha2",
        "info": {"label": text["label"], "description": text["info"]},
        "capability": {
            "consumes": [
                {
                    "type": "http",
                    "namespace": "api",
                    "baseUri": "https://api.example.com/v1",
                    "description": text["consumes"],
                    "resources": [
                        {
                            "name": "items",
                            "path": "/items/{id}",
                            "operations": [
                                {
                                    "name": name,
                                    "method": "GET",
                                    "description": text["op"],
                                    "inputParameters": [
                                        {"name": "id", "in": "path", "description": text["input"]},
                                        {"name": "x-const", "in": "header", "value": text["value"]},
                                    ],
                                    "outputParameters": [{"name": "result", "type": "object", "value": "$."}],
                                }
                                for name in ops
                            ],
                        }
                    ],
                }
            ],
            "exposes": [
                {
                    "type": "rest",
                    "namespace": "api-rest",
                    "port": 8080,
                    "resources": [
                        {
                            "path": "/v1/items/{id}",
                            "name": "items",
                            "description": text["rest"],
                            "operations": [
                                {
                                    "method": "GET",
                                    "name": ops[0],
                                    "description": text["route"],
                                    "call": f"api.{ops[0]}",
                                    "with": {"id": "rest.id"},
                                    "inputParameters": [{"name": "id", "in": "path", "type": "string", "description": text["input"]}],
                                    "outputParameters": [{"type": "object", "mapping": "$."}],
                                }
                            ],
                        }
                    ],
                },
                {
                    "type": "mcp",
                    "namespace": "api-mcp",
                    "port": 9090,
                    "transport": "http",
                    "description": text["mcp"],
                    "tools": [
                        {
                            "name": tool,
                            "label": text["label"],
                            "description": text["tool"],
                            "call": f"api.{op}",
                            "with": {"id": "tools.id"},
                            "inputParameters": [{"name": "id", "type": "string", "description": text["tool_input"]}],
                            "outputParameters": [{"type": "object", "mapping": "$."}],
                        }
                        for op, tool in zip(ops, tools)
                    ],
                },
            ],
        },
    }


def write_spec(path: Path, data: Any) -> Path:
    """Write ``data`` as YAML; non-ASCII text is escaped, so any string survives."""
    path.write_text(yaml.safe_dump(data, allow_unicode=False, sort_keys=False, width=1 << 30), encoding="utf-8")
    return path


def python_files(result: pipeline.SpecResult) -> dict[PurePosixPath, str]:
    return {path: text for path, text in result.files.items() if path.suffix == ".py"}


def node_kinds(tree: ast.AST) -> set[str]:
    return {type(node).__name__ for node in ast.walk(tree)}


def shape(tree: ast.AST) -> list[str]:
    """The module's node kinds in walk order: what it does, with every constant left out."""
    return [type(node).__name__ for node in ast.walk(tree)]


def constants(tree: ast.AST) -> set[object]:
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)}


def black_stable(text: str) -> bool:
    return black.format_str(text, mode=fmt.MODE) == text
