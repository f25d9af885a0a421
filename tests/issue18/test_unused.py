"""emit/unused.py: the imports a rendered module does not use are dropped, and only those.

The module's body is never tokenized in Python (strings and comments are blanked by one
regular expression, then each imported name is looked up); here its answers are held to
a plain tokenizer's on hand-written cases and on random bodies."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.emit import unused

HEADER = "from __future__ import annotations\n\nfrom typing import Any, cast\nfrom x import r, b, Path as Path, Number\nimport rt\n\n"
_REFERENCE_TOKENS = re.compile(
    r"""(?P<s>(?:[rRbBuU]{0,2})(?:\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''"""
    r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'))|#[^\n]*|(?P<n>[^\W\d]\w*)"""
)


def kept_names(source: str) -> set[str]:
    """The names still imported after pruning."""
    pruned = unused.prune(source)
    names: set[str] = set()
    for line in pruned.split("\n")[:6]:
        if line.startswith(("from ", "import ")) and "__future__" not in line:
            listed = line.split(" import ")[-1] if line.startswith("from ") else line[len("import ") :]
            names |= {part.split(" as ")[-1].strip() for part in listed.split(",")}
    return names


def reference(body: str) -> set[str]:
    """What a plain tokenizer says is used: identifiers outside strings and comments."""
    tokens = {m.group("n") for m in _REFERENCE_TOKENS.finditer(body) if m.group("n")}
    imported = {"Any", "cast", "r", "b", "Number", "rt"}
    return (imported & tokens) | {"Path"}  # ``Path as Path`` is an explicit re-export


def test_a_name_in_code_stays_and_one_only_in_strings_or_comments_goes() -> None:
    body = 'x: Any = cast(int, y)\n"""Number rt"""\n# Number\nz = "rt"\n'
    assert kept_names(HEADER + body) == {"Any", "cast", "Path"}


def test_a_string_prefix_is_not_a_use_of_the_name_but_the_name_itself_is() -> None:
    assert kept_names(HEADER + 'x = r"a" + b"c"\n') == {"Path"}
    assert kept_names(HEADER + "x = r(b)\n") == {"r", "b", "Path"}


def test_digits_before_a_name_do_not_hide_it_but_letters_do() -> None:
    assert kept_names(HEADER + "x = 1cast\ny = xNumber\n") == {"cast", "Path"}


def test_a_module_with_every_import_unused_keeps_its_docstring_and_body() -> None:
    source = '"""Doc: import rt"""\n\nimport rt\n\nx = 1\n'
    assert unused.prune(source) == '"""Doc: import rt"""\n\nx = 1\n'


def test_names_in_all_are_kept() -> None:
    source = "from x import a, b\n\n__all__ = ['a']\n"
    assert unused.prune(source) == "from x import a\n\n__all__ = ['a']\n"


ATOMS = st.sampled_from(["x", "Number", "rt", "r", "b", "f", "'", '"', '"""', "'''", "\\", "\n", " ", "#", "1", "é", "_", "(", ".", "cast", "=", "\\\n", "rb", "Any"])


@settings(max_examples=400, deadline=None)
@given(st.lists(ATOMS, max_size=40).map("".join))
def test_random_bodies_agree_with_a_plain_tokenizer(body: str) -> None:
    assert kept_names(HEADER + "x = 1\n" + body) == reference("x = 1\n" + body)
