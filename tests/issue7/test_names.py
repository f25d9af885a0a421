"""Hostile names: Python keywords, builtins, leading digits, names equal but for case or
punctuation, and paths in what becomes a file name. Each gives a deterministic rename (the
module compiles and keeps one function per tool), or an error that names both places; no
file is ever written outside the output folder."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.cli import command as cli
from generator.output import writer as output
from generator import pipeline
from tests.issue7 import support

TRICKY = [
    "class", "import", "None", "True", "async", "await", "match", "self", "list", "type", "print", "__init__", "_",
    "1st", "2", "0x10", "get-user", "getUser", "get_user", "GetUser", "get.user", "get user", "GET_USER", "ünïcode",
    "日本", "-", "a" * 120,
]
NAMES = st.lists(st.one_of(st.sampled_from(TRICKY), st.from_regex(r"[A-Za-z0-9_.-]{1,12}", fullmatch=True)), min_size=1, max_size=5, unique=True)
SETTINGS = settings(max_examples=15, deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate), suppress_health_check=[HealthCheck.function_scoped_fixture])
LINE_REF = re.compile(r"line \d+|\d+:\d+|\$\.")


def _functions(text: str) -> list[str]:
    return [n.name for n in ast.walk(ast.parse(text)) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


@SETTINGS
@given(names=NAMES)
def test_tricky_operation_and_tool_names(names: list[str], tmp_path: Path) -> None:
    spec = support.write_spec(tmp_path / "names.yaml", support.capability(op_names=names, tool_names=names))
    first = pipeline.process(spec, pipeline.Options())
    again = pipeline.process(spec, pipeline.Options())
    assert first.files == again.files and first.diagnostics == again.diagnostics  # deterministic
    if not first.ok:
        for error in (d for d in first.diagnostics if d.is_error):
            assert error.line >= 1 and error.hint is not None or LINE_REF.search(error.message), error.format_text()
        return
    modules = {path.name: text for path, text in support.python_files(first).items()}
    for text in modules.values():
        compile(text, "<generated>", "exec")
    tools = [name for name in _functions(modules["mcp_server.py"]) if not name.startswith("build_")]
    assert len(tools) == len(set(tools)) == len(names)  # one Python function per tool, no two alike
    assert all(name.isidentifier() and not name[0].isdigit() for name in tools)


def test_names_equal_but_for_case_and_punctuation_are_renamed_apart(tmp_path: Path) -> None:
    names = ["get-user", "getUser", "get_user", "get.user"]
    spec = support.write_spec(tmp_path / "clash.yaml", support.capability(op_names=names, tool_names=names))
    result = pipeline.process(spec, pipeline.Options())
    assert result.ok, [d.format_text() for d in result.diagnostics]
    server = next(text for path, text in result.files.items() if path.name == "mcp_server.py")
    assert {"get_user", "get_user_2", "get_user_3", "get_user_4"} <= set(_functions(server))


def test_two_specs_making_one_package_name_is_an_error_naming_both(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    for stem in ("my-api", "my_api"):
        support.write_spec(specs / f"{stem}.yaml", support.capability())
    result = pipeline.generate([specs])
    errors = [d for d in result.diagnostics if d.is_error]
    assert [d.code for d in errors] == ["NG303"]
    assert "my-api.yaml" in errors[0].file + errors[0].message and "my_api.yaml" in errors[0].file + errors[0].message


@pytest.mark.parametrize(
    "stem",
    ["..", "...", "class", "1st api", "with\nnewline", "-rf", "CON", "naïve 日本", "x" * 200],
)
def test_file_names_become_safe_package_names(stem: str, tmp_path: Path) -> None:
    specs, out = tmp_path / "specs", tmp_path / "out"
    specs.mkdir()
    support.write_spec(specs / f"{stem}.yaml", support.capability())
    before = set(tmp_path.rglob("*"))
    code = cli.run(cli.RunOptions((specs,), out, quiet=True))
    assert code == 0
    written = set(tmp_path.rglob("*")) - before
    assert written and all(path.is_relative_to(out) for path in written)
    (package,) = [p.name for p in out.iterdir() if p.is_dir()]
    assert package.isidentifier() and not package.startswith("_")
    for path in out.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")  # the header comment names the file safely


def test_skill_names_with_paths_stay_inside_the_package(tmp_path: Path) -> None:
    data = support.capability()
    data["capability"]["exposes"].append(
        {
            "type": "skill",
            "namespace": "skills",
            "skills": [
                {"name": name, "description": "d", "tools": [{"name": "t", "description": "d", "from": {"sourceNamespace": "api-mcp", "action": "tool-0"}}]}
                for name in ("../../escape", "/etc/passwd", "..", "a/../../b")
            ],
        }
    )
    specs, out = tmp_path / "specs", tmp_path / "out"
    specs.mkdir()
    support.write_spec(specs / "skills.yaml", data)
    before = set(tmp_path.rglob("*"))
    cli.run(cli.RunOptions((specs,), out, quiet=True, keep_going=True))
    written = set(tmp_path.rglob("*")) - before
    assert written and all(path.is_relative_to(out) for path in written)
    assert not Path("/etc/passwd/SKILL.md").exists()


@pytest.mark.parametrize("bad", ["../x.py", "/tmp/x.py", "a/../../x.py", "", "."])
def test_the_writer_refuses_any_path_leaving_the_output_folder(bad: str, tmp_path: Path) -> None:
    from pathlib import PurePosixPath

    from generator.output.manifest import Manifest

    with pytest.raises(output.UnsafePath):
        output.plan({PurePosixPath(bad): "x = 1\n"}, tmp_path / "out", None, Manifest())


def test_a_duplicated_tool_name_keeps_the_last_tool_as_the_engine_does(tmp_path: Path) -> None:
    data = support.capability(op_names=["first-op", "second-op"], tool_names=["dup", "dup"])
    data["capability"]["exposes"][1]["tools"][0]["description"] = "the first tool"
    data["capability"]["exposes"][1]["tools"][1]["description"] = "the second tool"
    result = pipeline.process(support.write_spec(tmp_path / "dup.yaml", data), pipeline.Options())
    assert result.ok and [d.code for d in result.diagnostics if d.code == "NG210"] == ["NG210"]
    warning = next(d for d in result.diagnostics if d.code == "NG210")
    assert "first at line" in warning.message and warning.json_path == "$.capability.exposes[1].tools[1].name"
    server = next(text for path, text in result.files.items() if path.name == "mcp_server.py")
    found = support.constants(ast.parse(server))
    assert "the second tool" in found and "the first tool" not in found
    assert server.count('name="dup"') == 1
