"""Every layout PyYAML writes of an alpha2 spec migrates into the keyed shape.

Specs are built as data, written by PyYAML in random styles (block, flow leaves or all flow,
indentation, key order, comments at line ends), then migrated and read back.
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.migrate.convert import migrate_text

NAMES = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
TEXT = st.from_regex(r"[A-Za-z][A-Za-z ,.]{0,20}[a-z]", fullmatch=True)


def _shuffled(draw: Any, entry: dict[str, Any]) -> dict[str, Any]:
    keys = draw(st.permutations(list(entry)))
    return {key: entry[key] for key in keys}


@st.composite
def specs(draw: Any) -> dict[str, Any]:
    tools = []
    for name in draw(st.lists(NAMES, min_size=1, max_size=4, unique=True)):
        inputs = [
            _shuffled(draw, {"name": n, "type": "string", "description": draw(TEXT)})
            for n in draw(st.lists(NAMES, max_size=3, unique=True))
        ]
        tool: dict[str, Any] = {"name": name, "description": draw(TEXT), "call": "up.op"}
        if inputs:
            tool["inputParameters"] = inputs
        if draw(st.booleans()):
            tool["label"] = draw(TEXT)
        tools.append(_shuffled(draw, tool))
    return {
        "naftiko": "1.0.0-alpha2",
        "info": {"label": draw(TEXT), "description": draw(TEXT)},
        "capability": {"exposes": [{"type": "mcp", "namespace": "m", "tools": tools}]},
    }


@settings(max_examples=150)
@given(
    spec=specs(),
    flow=st.sampled_from([False, None, True]),
    indent=st.sampled_from([2, 3, 4]),
    comments=st.sets(st.integers(0, 60)),
)
def test_any_layout_migrates(
    spec: dict[str, Any], flow: bool | None, indent: int, comments: set[int]
) -> None:
    text = yaml.safe_dump(
        spec, sort_keys=False, default_flow_style=flow, indent=indent, width=10_000
    )
    lines = text.splitlines()
    text = "\n".join(
        line + "  # note" if n in comments and n > 0 else line for n, line in enumerate(lines)
    )
    outcome = migrate_text(text + "\n")
    assert outcome.status == "migrated", outcome.problems  # every such layout is handled
    data = yaml.safe_load(outcome.text or "")
    tools = data["capability"]["exposes"][0]["tools"]
    assert list(tools) == [t["name"] for t in spec["capability"]["exposes"][0]["tools"]]
    for tool in spec["capability"]["exposes"][0]["tools"]:
        migrated = tools[tool["name"]]
        assert "name" not in migrated and "label" not in migrated
        assert migrated.get("display") == tool.get("label")
        expected = {
            i["name"]: {k: v for k, v in i.items() if k != "name"}
            for i in tool.get("inputParameters", [])
        }
        assert migrated.get("inputParameters", {}) == expected
    if not comments and flow is not True:
        assert outcome.text.count("\n") >= text.count("\n")
