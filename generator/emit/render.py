"""Stage 5: the model -> source text, one entry per output file. No I/O here."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePosixPath
from types import BuiltinMethodType
from typing import Any

import jinja2
import jinja2.runtime

from ..model import ir
from . import layout, literals, unused, wrap
from .literals import FILTERS
from .macros import MACROS
from .parallel import LARGE, render_all
from .template_cache import bytecode_cache

PACKAGE_FILES = (
    "__init__.py",
    "__main__.py",
    "_errors.py",
    "_runtime.py",
    "_jsonpath.py",
    "_secrets.py",
    "_http.py",
    "_client.py",
    "_answer.py",
    "_serve.py",
    "_rest.py",
    "_strict.py",
    "_mcp.py",
    "_formats.py",
    "client.py",
    "router.py",
    "mcp_server.py",
    "app.py",
)
RUNTIME_DIR = Path(__file__).resolve().parent / "runtime"
"""The run-time modules: real Python, copied verbatim (after the header) into every package."""


def templates_dir() -> Path:
    """The templates folder: inside the installed package, or the checkout's top level."""
    packaged = resources.files("generator") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "templates"


class _Context(jinja2.runtime.Context):
    """Jinja's template context, calling the generator's own helpers directly.

    ``Context.call`` looks on every call for the markers that ask for the context to be
    passed in (a microsecond each, more than most helpers take); the layout helpers and
    ``py_macros`` carry none and never raise StopIteration (which Jinja would turn into
    an undefined value), and a list's or dict's own methods neither, so for them it is a
    plain call.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's names)
        if id(__obj) in _HELPER_IDS or (type(__obj) is BuiltinMethodType and type(__obj.__self__) in (list, dict)):
            if kwargs:
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
            return __obj(*args, **kwargs)
        return super().call(__obj, *args, **kwargs)


HELPERS = (*layout.HELPERS.values(), *MACROS.values())
"""The Python functions templates call (none asks Jinja for its context)."""
_HELPER_IDS = frozenset(map(id, HELPERS))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache(),
        auto_reload=False,  # templates do not change during a run: no stat per file rendered
    )
    env.context_class = _Context
    env.filters.update(FILTERS)
    env.globals.update(layout.HELPERS)
    env.globals["py_macros"] = MACROS
    return env


def render(capability: ir.Capability, parallel: bool = False) -> dict[PurePosixPath, str]:
    """Render every file of one capability's package (a large one on two cores when
    ``parallel``: see parallel.py)."""
    env = environment()
    literals.forget()
    layout.begin()  # one registry for the package: its files ask for the same nodes

    def render_one(name: str) -> str:
        static = runtime_module(name)
        if static is not None:
            return static
        template = env.get_template(f"package/{name}.jinja")
        text = wrap.long_lines(layout.expand(template.render(cap=capability)))
        return unused.prune(text) if name.endswith(".py") else text

    names = PACKAGE_FILES + optional_files(capability)
    in_child = frozenset({"client.py"}) if parallel and _size(capability) >= LARGE else frozenset()
    texts = render_all(names, render_one, in_child)
    root = PurePosixPath(capability.package)
    files = {root / name: text for name, text in texts.items()}
    files[root / "py.typed"] = ""  # PEP 561: typed package
    readme = env.get_template("package/README.md.jinja")
    files[root / "README.md"] = readme.render(cap=capability)
    for skill in capability.skills:
        template = env.get_template("package/SKILL.md.jinja")
        path = root / "skills" / skill.dir_name / "SKILL.md"
        files[path] = template.render(cap=capability, skill=skill)
    return files


def _size(capability: ir.Capability) -> int:
    """Routes, tools and client operations: what the large files hold one of each."""
    routes = sum(len(server.routes) for server in capability.rest_servers)
    tools = sum(len(server.tools) for server in capability.mcp_servers)
    return routes + tools + sum(len(consumer.operations) for consumer in capability.consumers)


@lru_cache(maxsize=None)
def runtime_module(name: str) -> str | None:
    """The text of run-time module ``name`` with the generated header; None for a template."""
    source = RUNTIME_DIR / name
    if name.startswith("__") or not source.is_file():
        return None
    header = environment().get_template("_header.jinja").render(static=True)
    return header + source.read_text(encoding="utf-8")


def optional_files(capability: ir.Capability) -> tuple[str, ...]:
    """Modules only a capability using orchestration, forward, control or exposed
    authentication needs. (``_formats.py`` is in every package: ``_http`` imports it.)"""
    names: list[str] = []
    if capability.orchestrations:
        names += ["_steps.py", "orchestration.py"]
    if any(server.forwards for server in capability.rest_servers):
        names.append("_forward.py")
    if capability.control is not None:
        names.append("_control.py")
    if capability.exposed_auth:
        names.append("_auth.py")
    if capability.skill_servers:
        names += ["_skills.py", "skill_server.py"]
    return tuple(names)
