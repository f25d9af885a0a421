"""emit/layout.py keeps what a render makes again and again: a helper asked twice for
the same node gives the same placeholder, and a data literal's layout is kept by its
one-line form and place. Each place still gets its own layout, and nothing is kept
from one render, or one line length, to the next."""

from __future__ import annotations

from generator.emit import layout
from generator.emit.literals import py_laid_out

ITEMS = [f'"{word}"' for word in ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta")]


def test_the_same_call_twice_is_one_node_laid_out_for_each_place() -> None:
    layout.begin()
    first = layout.call("client.fetch", ITEMS)
    assert layout.call("client.fetch", list(ITEMS)) == first
    text = layout.expand(f"x = {first}\n" + "class C:\n" + "    " * 4 + f"y = {first}\n")
    lines = text.split("\n")
    assert lines[0] == "x = client.fetch(" + ", ".join(ITEMS) + ")"
    assert lines[2] == "    " * 4 + "y = client.fetch("
    assert lines[3] == "    " * 5 + ", ".join(ITEMS)


def test_equal_data_literals_at_different_places_keep_their_own_layout() -> None:
    layout.begin()
    names = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "etaxxx", "theta"]
    value = {"names": names, "more": list(range(30))}  # the names list: 72 columns
    top = layout.expand(f"a = {py_laid_out(value)}\n").split("\n")
    nested = layout.expand("f(\n    " + f"key={py_laid_out(dict(value))},\n)\n").split("\n")
    assert top[1] == '    "names": ' + str(names).replace("'", '"') + ","
    assert nested[1] == "    key={" and nested[2] == '        "names": ['


def test_a_new_line_length_lays_out_anew() -> None:
    layout.begin()
    value = {"k": "v" * 40, "j": "w" * 40}
    try:
        wide = layout.expand(f"x = {py_laid_out(value)}\n")
        layout.configure(40)
        narrow = layout.expand(f"x = {py_laid_out(value)}\n")
    finally:
        layout.configure(layout.DEFAULT_LINE_LENGTH)
    assert wide.count("\n") == 4 and narrow.count("\n") == 8, "at 40 each item is wrapped too"


def test_a_new_render_forgets_the_nodes_of_the_last() -> None:
    layout.begin()
    layout.call("f", ITEMS)
    layout.begin()
    layout.call("g", ["1"])  # placeholders count from zero again
    assert layout.expand(layout.call("f", ITEMS)) == "f(" + ", ".join(ITEMS) + ")"
