"""The capability both overhead benchmarks generate: one consumed `GET /items/{id}`."""

CONSUMES = """\
naftiko: 1.0.0-alpha2
info: {{label: Bench, description: {what} overhead benchmark.}}
capability:
  consumes:
    - type: http
      namespace: items
      baseUri: http://unused.invalid
      resources:
        - name: item
          path: /items/{{{{id}}}}
          operations:
            - name: get-item
              method: GET
              inputParameters: [{{name: id, in: path}}]
  exposes:
"""


def spec(what: str, exposes: str) -> str:
    """The spec text: the shared consumes block, then ``exposes`` (YAML list items, indented 4)."""
    return CONSUMES.format(what=what) + exposes
