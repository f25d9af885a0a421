"""Specs and helpers shared by the issue-13 tests (the Ikanos syntax)."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from generator import pipeline

ITEMS_IKANOS = """\
ikanos: "1.0.0-beta5"
info:
  display: "Items"
  description: "Reads items"
capability:
  consumes:
    - namespace: api
      type: http
      baseUri: "{base}"
      resources:
        items:
          path: "/items/{{{{id}}}}"
          operations:
            get-item:
              method: GET
              inputParameters:
                id:
                  in: path
  exposes:
    - type: rest
      port: 8080
      namespace: items-rest
      resources:
        item:
          path: "/items/{{id}}"
          operations:
            read:
              method: GET
              display: "Read an item"
              inputParameters:
                id:
                  in: path
                  type: string
                  description: "The item id"
              call: api.get-item
              with:
                id: items-rest.id
              outputParameters:
                - type: object
                  mapping: "$."
                  properties:
                    name:
                      type: string
                      mapping: "$.name"
    - type: mcp
      port: 3001
      namespace: items-mcp
      description: "Item tools"
      tools:
        get-item:
          display: "Get an item"
          description: "Read one item by its id"
          inputParameters:
            id:
              type: string
              description: "The item id"
          call: api.get-item
          with:
            id: items-mcp.id
          outputParameters:
            - type: object
              mapping: "$."
              properties:
                name:
                  type: string
                  mapping: "$.name"
"""
"""A small Ikanos capability: one consumed operation, one REST route, one MCP tool."""

ITEMS_ALPHA2 = """\
naftiko: "1.0.0-alpha2"
info:
  label: "Items"
  description: "Reads items"
capability:
  consumes:
    - namespace: api
      type: http
      baseUri: "{base}"
      resources:
        - name: items
          path: "/items/{{{{id}}}}"
          operations:
            - name: get-item
              method: GET
              inputParameters:
                - name: id
                  in: path
  exposes:
    - type: rest
      port: 8080
      namespace: items-rest
      resources:
        - name: item
          path: "/items/{{id}}"
          operations:
            - name: read
              method: GET
              label: "Read an item"
              inputParameters:
                - name: id
                  in: path
                  type: string
                  description: "The item id"
              call: api.get-item
              with:
                id: items-rest.id
              outputParameters:
                - type: object
                  mapping: "$."
                  properties:
                    name:
                      type: string
                      mapping: "$.name"
    - type: mcp
      port: 3001
      namespace: items-mcp
      description: "Item tools"
      tools:
        - name: get-item
          label: "Get an item"
          description: "Read one item by its id"
          inputParameters:
            - name: id
              type: string
              description: "The item id"
          call: api.get-item
          with:
            id: items-mcp.id
          outputParameters:
            - type: object
              mapping: "$."
              properties:
                name:
                  type: string
                  mapping: "$.name"
"""
"""The same capability in Naftiko 1.0.0-alpha2."""


def items(syntax: str = "ikanos", base: str = "https://api.example.com/v1") -> str:
    return (ITEMS_IKANOS if syntax == "ikanos" else ITEMS_ALPHA2).format(base=base)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def without_source(files: dict[PurePosixPath, str], source: Path | str) -> dict[PurePosixPath, str]:
    """Generated files with the source file's name (and positions in it) replaced by SRC:
    the only thing allowed to differ between a spec and its rewrite. Generated code names
    its spec by its file name (relative to the folder given), and run-time messages give
    only a position (``spec line L, column C``)."""
    names = "|".join(re.escape(str(n)) for n in (source, Path(source).name))
    pattern = re.compile(rf"(?:{names})(:\d+:\d+)?|spec line \d+, column \d+")
    return {k: pattern.sub("SRC", v) for k, v in files.items()}


def diagnostics(path: Path) -> list[str]:
    """The formatted diagnostics of one spec."""
    return [d.format_text() for d in pipeline.process(path, pipeline.Options()).diagnostics]
