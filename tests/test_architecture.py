"""The generator's structure: stage sub-packages, no import cycles, no borrowed private names,
no oversized modules, and run-time modules that are real Python rather than template text.

The import graph is read with ``ast`` (nothing is imported), so a cycle hidden inside a
function body counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "generator"
MAX_LINES = 500
STAGES = ("cli", "read", "model", "emit", "output")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _base(module: str, path: Path, level: int, target: str | None) -> str:
    """The absolute module a (possibly relative) ``from`` import names."""
    if level == 0:
        return target or ""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for _ in range(level - 1):
        package = package.rsplit(".", 1)[0]
    return f"{package}.{target}" if target else package


def _imports(modules: dict[str, Path]) -> dict[str, list[tuple[str, str | None, int]]]:
    """For each module: (imported module, imported name or None, line), for every import."""
    found: dict[str, list[tuple[str, str | None, int]]] = {}
    for module, path in modules.items():
        edges: list[tuple[str, str | None, int]] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges += [(alias.name, None, node.lineno) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _base(module, path, node.level, node.module)
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    if submodule in modules:
                        edges.append((submodule, None, node.lineno))
                    else:
                        edges.append((base, alias.name, node.lineno))
        found[module] = [(target, name, line) for target, name, line in edges if target in modules]
    return found


def _with_parents(target: str, modules: dict[str, Path]) -> list[str]:
    """Importing ``a.b.c`` runs ``a`` and ``a.b`` first: those are edges too."""
    parts = target.split(".")
    return [m for m in (".".join(parts[:i]) for i in range(1, len(parts) + 1)) if m in modules]


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)) is not None:
            return cycle
    return None


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, edges in _imports(modules).items():
        own_parents = set(_with_parents(module, modules))
        targets = {p for target, _, _ in edges for p in _with_parents(target, modules)}
        graph[module] = targets - own_parents - {module}
    return graph


def test_the_stages_are_sub_packages() -> None:
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").is_file(), stage
    flat = sorted(p.name for p in PACKAGE.glob("*.py"))
    # beside the pipeline, only the fork helper two stages share (read/verdict, emit/parallel)
    assert flat == ["__init__.py", "__main__.py", "forked.py", "pipeline.py"]


def test_no_import_cycle() -> None:
    assert find_cycle(_graph()) is None


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_graph_sees_relative_and_lazy_imports() -> None:
    graph = _graph()
    assert "generator.model.ir" in graph["generator.model.build"]
    assert "generator.pipeline" in graph["generator.cli.command"]
    assert "generator.cli.diff" in graph["generator.cli"]  # imported inside main()


def test_no_module_imports_another_modules_private_names() -> None:
    modules = _modules()
    borrowed = [
        f"{_module_name(modules[module])} line {line}: {name} from {target}"
        for module, edges in _imports(modules).items()
        for target, name, line in edges
        if name is not None and name.startswith("_") and not name.startswith("__") and target != module
    ]
    assert borrowed == []


def test_no_module_is_oversized() -> None:
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    assert {path: n for path, n in sizes.items() if n > MAX_LINES} == {}


def test_templates_hold_no_raw_python() -> None:
    for template in (ROOT / "templates").rglob("*.jinja"):
        assert "{% raw" not in template.read_text(encoding="utf-8"), template


def test_run_time_modules_are_python_files() -> None:
    runtime = PACKAGE / "emit" / "runtime"
    names = sorted(p.name for p in runtime.glob("_*.py") if p.name != "__init__.py")
    assert names == ["_answer.py", "_auth.py", "_client.py", "_control.py", "_errors.py", "_formats.py", "_forward.py", "_http.py", "_jsonpath.py", "_mcp.py", "_rest.py", "_runtime.py", "_secrets.py", "_serve.py", "_skills.py", "_steps.py", "_strict.py"]
    for path in runtime.glob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_the_generator_and_run_time_modules_pass_pyflakes() -> None:
    """Undefined names, unused imports and the like, in the generator and the run-time modules."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (it is in the dev extra)")
    run = subprocess.run([ruff, "check", "--no-cache", "--select", "F,E9", str(PACKAGE)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
