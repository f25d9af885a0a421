"""Hostile text in every free-text field of a spec: it reaches the generated code only as
constants. Each literal reads back (``ast.literal_eval``) as the exact text; a module made
from hostile text has the same AST shape as one made from plain text (same node kinds in
the same order, so no text became code), compiles, imports and is black-stable."""

from __future__ import annotations

import ast
import importlib
import itertools
import math
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from generator.emit import literals
from generator import pipeline
from tests.issue7 import support

NASTY = [
    '"', "'", '"""', "'''", "\\", "\\n", "\n", "\r\n", "\x00", "\ud800", "\udfff", "\x0c", "\t", "\u2028", "\x85",
    "{{ x }}", "{% if x %}", "{# c #}", "{{", "%}", "#", " # noqa", "\\N{BULLET}", "\\x00", "f'{x}'", '"""; import os; """',
    "')\nimport os\n('", "日本語", "العربية", "ñandú", "🙂", "\u200b", "a" * 3000,
]
CHARS = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
TEXT = st.lists(st.one_of(st.sampled_from(NASTY), st.text(CHARS, max_size=8)), min_size=1, max_size=6).map("".join)


def without_surrogates(text: str) -> str:
    """YAML cannot carry lone surrogates (the loader refuses them with NG002), so specs get none."""
    return "".join(ch for ch in text if not 0xD800 <= ord(ch) <= 0xDFFF)


SPEC_TEXT = TEXT.map(without_surrogates)
FIELDS = ("label", "info", "consumes", "op", "input", "rest", "route", "mcp", "tool", "tool_input")
JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
_counter = itertools.count()


@given(TEXT)
def test_string_literals_read_back_exactly(text: str) -> None:
    literal = literals.py_str(text)
    literal.encode("utf-8")  # a generated file is UTF-8: no lone surrogate may be written raw
    assert "\n" not in literal and "\r" not in literal
    assert ast.literal_eval(literal) == text


@given(JSON_LIKE)
def test_data_literals_read_back_exactly(value: object) -> None:
    literal = literals.py_literal(value)
    literal.encode("utf-8")
    assert ast.literal_eval(literal) == value


@given(TEXT)
def test_docstrings_and_comments_stay_inert(text: str) -> None:
    doc = literals.docstring(text)
    doc.encode("utf-8")
    assert ast.literal_eval(doc) == " ".join(text.split())
    comment = literals.comment(text)
    comment.encode("utf-8")
    assert "\n" not in comment and "\r" not in comment
    assert ast.parse(f"# {comment}\n").body == []
    inside = literals.doc_text(text)  # a spec's label inside a module docstring's fixed text
    assert ast.literal_eval(f'"""Routes of {inside}."""') == f"Routes of {comment}."


def test_non_finite_floats_keep_their_value() -> None:
    assert math.isnan(eval(literals.py_literal(float("nan"))))  # noqa: S307  (no literal form exists)
    assert ast.literal_eval(literals.py_literal(float("-inf"))) == float("-inf")
    assert ast.literal_eval(literals.py_literal(float("inf"))) == float("inf")


@pytest.fixture(scope="module")
def benign(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ast.Module]:
    folder = tmp_path_factory.mktemp("benign")
    result = pipeline.process(support.write_spec(folder / "hostile.yaml", support.capability()), pipeline.Options())
    assert result.ok
    return {path.name: ast.parse(text) for path, text in support.python_files(result).items()}


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    sys.path.insert(0, str(folder))
    yield folder
    sys.path.remove(str(folder))


NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)  # an example costs a generation: fail fast, unshrunk


@settings(max_examples=25, deadline=None, phases=NO_SHRINK, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@example(texts={key: without_surrogates("".join(NASTY)) for key in FIELDS})
@given(texts=st.fixed_dictionaries({key: SPEC_TEXT for key in FIELDS}))
def test_hostile_text_never_becomes_code(texts: dict[str, str], benign: dict[str, ast.Module], out_dir: Path) -> None:
    texts = {key: "x" + text for key, text in texts.items()}  # never blank: blank descriptions are left out
    package = f"hostile_{next(_counter)}"
    result = pipeline.process(support.write_spec(out_dir / f"{package}.yaml", support.capability(texts)), pipeline.Options())
    assert result.ok, [d.format_text() for d in result.diagnostics]
    modules = support.python_files(result)
    for path, text in modules.items():
        text.encode("utf-8")
        tree = ast.parse(text)
        assert support.shape(tree) == support.shape(benign[path.name]), f"{path}: spec text changed the code's shape"
        assert support.black_stable(text), f"{path} is not black-stable"
    mcp_constants = support.constants(ast.parse(modules[next(p for p in modules if p.name == "mcp_server.py")]))
    for key in ("tool", "label"):  # descriptions and titles arrive whole (whitespace runs folded)
        assert {texts[key], " ".join(texts[key].split())} & mcp_constants, key
    for path, text in result.files.items():
        target = out_dir / str(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    server = importlib.import_module(f"{package}.mcp_server")
    importlib.import_module(f"{package}.app")
    assert callable(server.build_api_mcp)
