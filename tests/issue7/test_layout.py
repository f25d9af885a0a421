"""generator/emit/layout.py against black itself.

Generation skips black for every file whose lines all fit or cannot be split (see
fmt.py), so the layout of spec-dependent code must be exactly black's. Here random
nodes (dict and list displays, calls, subscripts, def parameters, nested, with texts of
any length and wide characters) are laid out in each kind of line the templates use and
the result must be what black makes of it; where layout declines (None), needs_black
must send the flat line to black. The corpus tests check the same on real specs.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import black
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.emit import fmt, layout, render
from generator import pipeline
from generator.emit.layout import Kind, Node, Value
from generator.emit import literals
from generator.emit.literals import py_str
from tests.conftest import ROOT, SHARED
from tests.issue7 import support

TEXT = st.one_of(st.text(alphabet="abcxyz _-'\"\\é中", max_size=70), st.text(alphabet="abc ", min_size=90, max_size=130)).map(py_str)
ATOMS = st.one_of(TEXT, st.sampled_from(["None", "True", "-1e999", "args", "BINDS", "self.base_url()", "a or b", "rt.segment(x)"]))
PREFIXES = st.sampled_from(["", "a=", "body=", "description="])


def _nodes(depth: int) -> st.SearchStrategy[Value]:
    if depth == 0:
        return ATOMS
    inner = st.one_of(ATOMS, _nodes(depth - 1))
    dicts = st.lists(st.tuples(TEXT, inner), max_size=4).map(lambda pairs: Node("", "{", "}", tuple((k + ": ", v, "") for k, v in pairs)))
    lists = st.lists(inner, max_size=4).map(lambda values: Node("", "[", "]", tuple(("", v, "") for v in values)))
    calls = st.tuples(
        st.sampled_from(["rt.render", "clients().api.get_item", "Query", "f"]),
        st.lists(st.tuples(PREFIXES, inner), min_size=1, max_size=4),
    ).map(lambda hv: Node(hv[0], "(", ")", tuple((p, v, "") for p, v in hv[1]), Kind.CALL))
    subscripts = st.lists(inner, min_size=2, max_size=3).map(lambda vs: Node("Annotated", "[", "]", tuple(("", v, "") for v in vs), Kind.CALL))
    return st.one_of(ATOMS, dicts, lists, calls, subscripts)


NODES = _nodes(3)
NAMES = st.from_regex(r"n_[a-z_]{0,40}", fullmatch=True)

# (text before the line, prefix, suffix) for each kind of statement the templates write
STATEMENTS = {
    "assign": ("", "{name}: dict[str, Any] = ", ""),
    "plain": ("", "{name} = ", ""),
    "return": ("async def f():\n", "return ", ""),
    "return-await": ("async def f():\n", "return await ", ""),
    "raise": ("def f():\n", "raise ", ""),
    "expression": ("def f():\n", "", ""),
}

ITEMS = {
    "keyword": "{name}=",
    "lambda": "lambda: ",
    "key": '"{name}": ',
    "bare": "",
}


def _check(source: str) -> None:
    formatted = black.format_str(source, mode=fmt.MODE)
    assert formatted == source, f"\n{source}\n--- black makes it:\n{formatted}"


def _statement_source(kind: str, node: Value, name: str, depth: int) -> str | None:
    before, prefix, suffix = STATEMENTS[kind]
    indent = "    " * depth
    head = "".join("    " * level + f"class C{level}:\n" for level in range(depth - (1 if before else 0)))
    if before:
        head += "    " * (depth - 1) + before
    lines = layout.layout(prefix.format(name=name), node, suffix, indent, False)
    if lines is None:
        return None
    return head + "\n".join(lines) + "\n"


@settings(max_examples=1500, suppress_health_check=list(HealthCheck), deadline=None)
@given(NODES, st.sampled_from(sorted(STATEMENTS)), NAMES, st.integers(0, 3))
def test_statements_are_laid_out_as_black_would(node: Value, kind: str, name: str, depth: int) -> None:
    if kind in ("expression", "return-await", "raise") and not (isinstance(node, Node) and node.kind is Kind.CALL):
        return  # the templates only await, raise or evaluate calls
    if STATEMENTS[kind][0] and depth == 0:
        depth = 1  # return, raise and the like only inside a function
    source = _statement_source(kind, node, name, depth)
    if source is None:
        flat = layout.flat(node)
        assert layout.needs_black(f"{'    ' * depth}{STATEMENTS[kind][1].format(name=name)}{flat}")
        return
    _check(source)


@settings(max_examples=1500, suppress_health_check=list(HealthCheck), deadline=None)
@given(NODES, st.sampled_from(sorted(ITEMS)), NAMES, st.integers(1, 3))
def test_items_inside_brackets_are_laid_out_as_black_would(node: Value, kind: str, name: str, depth: int) -> None:
    indent = "    " * depth
    head = "".join("    " * level + f"class C{level}:\n" for level in range(depth - 1))
    opener = "    " * (depth - 1) + ("x = {\n" if kind == "key" else "call(\n")
    closer = "    " * (depth - 1) + ("}\n" if kind == "key" else ")\n")
    lines = layout.layout(ITEMS[kind].format(name=name), node, ",", indent, True)
    if lines is None:
        assert layout.needs_black(indent + ITEMS[kind].format(name=name) + layout.flat(node) + ",")
        return
    _check(head + opener + "\n".join(lines) + "\n" + closer)


@settings(max_examples=300, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.lists(st.tuples(NAMES, st.sampled_from(["str", "int | None = None", "dict[str, Any]"]), st.one_of(st.none(), NODES)), max_size=5), NAMES, st.booleans())
def test_signatures_are_laid_out_as_black_would(params: list[tuple[str, str, Value | None]], name: str, method: bool) -> None:
    items: list[tuple[str, Value, str]] = [("", "self", "")] if method else []
    for index, (param, annotation, default) in enumerate(params):
        if default is None:
            items.append(("", f"{param}_{index}: {annotation}", ""))
        else:
            items.append((f"{param}_{index}: ", Node("Annotated", "[", "]", (("", "str", ""), ("", default, "")), Kind.CALL), " = None"))
    node = Node(f"async def {name}", "(", ")", tuple(items), Kind.PARAMS)
    indent = "    " if method else ""
    lines = layout.layout("", node, " -> Response:", indent, False)
    if lines is None:
        return
    head = "class C:\n" if method else ""
    _check(head + "\n".join(lines) + "\n" + indent + "    pass\n")


@pytest.mark.parametrize(
    "line, doubtful",
    [
        ("x = 1", False),
        ('    "description": "' + "d" * 120 + '",', False),  # an item black cannot split
        ('    """' + "d" * 120 + '"""', False),  # a docstring
        ("# " + "c" * 120, False),
        ('DESCRIPTION = "' + "d" * 120 + '"', False),  # would not fit in parentheses either
        ('DESCRIPTION = "' + "d" * 75 + '"', True),  # black wraps it in parentheses
        ('    x = call("' + "d" * 120 + '")', True),  # black splits the call
        ('    "key": f("' + "d" * 120 + '"),', True),
    ],
)
def test_needs_black_flags_the_lines_black_would_split(line: str, doubtful: bool) -> None:
    assert layout.needs_black(line) is doubtful
    if not doubtful and not line.startswith(" "):
        _check(line + "\n")


def _renamed_calls(data: object, old: str, new: str) -> object:
    if isinstance(data, dict):
        return {k: (new + v[len(old) :] if k == "call" and isinstance(v, str) and v.startswith(old) else _renamed_calls(v, old, new)) for k, v in data.items()}
    if isinstance(data, list):
        return [_renamed_calls(v, old, new) for v in data]
    return data


def test_a_line_layout_cannot_model_goes_through_black(tmp_path: Path) -> None:
    """A consumes namespace so long that `self.<name> = <Class>(http)` cannot keep its head
    on one line: the rendered client is in doubt, and the written one is black's."""
    long_name = "n" + "-very-long-namespace" * 4
    spec = _renamed_calls(support.capability(), "api.", long_name + ".")
    spec["capability"]["consumes"][0]["namespace"] = long_name
    result, capability = pipeline.analyse(support.write_spec(tmp_path / "long.yaml", spec), pipeline.Options())
    assert capability is not None, [d.message for d in result.diagnostics]
    rendered = {path.name: text for path, text in render.render(capability).items()}
    assert layout.needs_black(rendered["client.py"])
    written = {path.name: text for path, text in fmt.format_files(render.render(capability)).items()}
    for name, text in rendered.items():
        if name.endswith(".py"):
            in_doubt = layout.needs_black(text)
            assert written[name] == (black.format_str(text, mode=fmt.MODE) if in_doubt else text), name
    assert not layout.needs_black(rendered["app.py"])


def test_format_source_skips_black_only_when_no_line_is_in_doubt(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(fmt, "black_source", lambda path, source: calls.append(source) or source)
    fmt.format_source(PurePosixPath("a.py"), "x = 1\n")
    assert calls == []
    doubtful = 'x = call("' + "d" * 120 + '")\n'
    fmt.format_source(PurePosixPath("a.py"), doubtful)
    assert calls == [doubtful]


@settings(max_examples=1000, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.text(max_size=60))
def test_docstrings_are_left_alone_by_black(text: str) -> None:
    """Docstrings are the one string black rewrites (it strips them and keeps a quote
    from touching the closing quotes), so ours must already be what black makes."""
    _check(f"def f():\n    {literals.docstring(text)}\n")


def test_statement_by_statement_black_equals_black_on_the_whole_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """With every statement in doubt, fmt.py sends each one (each method, inside classes)
    through black alone: the result must be black's output for the whole file, for every
    module the seed specs and the official corpus generate."""
    import black as black_module

    rendered: list[tuple[PurePosixPath, str]] = []
    folders = [ROOT / "specs"] + ([SHARED / "corpus" / "official"] if (SHARED / "corpus" / "official").is_dir() else [])
    for spec in pipeline.discover(folders):
        result, capability = pipeline.analyse(spec, pipeline.Options())
        if capability is not None:
            rendered += [(p, t) for p, t in render.render(capability).items() if p.suffix == ".py"]
    distinct = {source: path for path, source in rendered}  # run-time modules repeat
    assert distinct
    whole = {source: black_module.format_str(source, mode=fmt.MODE) for source in distinct}
    monkeypatch.setattr(layout, "needs_black", lambda text: True)
    for source, path in distinct.items():
        assert fmt.format_source(path, source) == whole[source], path
