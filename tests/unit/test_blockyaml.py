"""The block-style YAML reader against PyYAML's composer: same data, same positions.

``blockyaml.read`` either gives exactly what ``loader.load_composed`` gives (values, their
types, every node's and key's position) or gives up (None), and it must not give up on
the specs people write, or the speed it exists for is gone.
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.read import blockyaml, loader
from tests.conftest import ROOT, SHARED


def _same(a: Any, b: Any) -> bool:
    """Equal, with equal types all the way down (``1 == True`` is not the same), NaN = NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _verdict(text: str) -> str:
    """'read' when the fast reader agrees with the composer, 'gave up' when it defers to
    it; anything else is a disagreement, named."""
    try:
        composed: loader.LoadedSpec | None = loader.load_composed(text, Path("case.yaml"))
    except loader.LoadError:
        composed = None
    except Exception:  # noqa: BLE001 - the composer path crashing is still "not readable"
        composed = None
    fast = blockyaml.read(text)
    if fast is None:
        return "gave up"
    if composed is None:
        return "read text the composer refuses"
    data, positions, key_positions = fast
    if not _same(data, composed.data):
        return "different data"
    if positions != composed.positions:
        return "different positions"
    if key_positions != composed.key_positions:
        return "different key positions"
    return "read"


READ = [
    "a: |\n  x\n  y\n",
    "a: |-\n  x\n\n",
    "a: |+\n  x\n\n\nb: 1\n",
    "a: >\n  x\n  y\n\n  z\n   w\n  v\n",
    "a: >-\n  x\n",
    "a: |\n  x",
    "a: |+\n  x",
    "a: >\n\n  x\n",
    "a: |\n\n\n  x\n\n",
    "a: |\n  x\n   \n  y\n",
    "a: >\n  x\n   \n  y\n",
    "a: |\n  # not a comment\n  y\n# a comment\nb: 2\n",
    "a:\n  b: |\n    t\n  c: 1\n",
    "a: x\n  y\n\n  z\nb: 1\n",
    "a: x\n  y # c\nb: 1\n",
    "a: x\n  # c\nb: 1\n",
    "a: x\n  - y\n",
    "a:\n- x\n- y\nb: 1\n",
    "a:\n  - x\n  -\n  - # c\n",
    "a: 'it''s\n  here'\n",
    'a: "x\\\n   y"\n',
    'a: "x\n\n  y"\nb: 1\n',
    "a: [x, 'y', \"z\"]\n",
    "a: [ ]\n",
    "a: { }\n",
    "a: {b: [1, 2], c: {d: e}}\n",
    "a: [x]  # c\n",
    "'q': 1\n\"r\": 2\n",
    "true: 1\nnull: 2\n1: 3\n0x10: 4\n1.0: 5\n2024-01-01: 6\n",
    "a: \n",
    "a:    # c\n",
    "---\na: 1\n",
    "  a: 1\n  b: 2\n",
    "a : b\n",
    "a: -1\nb: -x\nc: :x\nd: ?x\n",
    "a: é\nb: \U0001f600\n",
    "a: 'x'#c\n",
    "a: x\r\nb: |\r\n  y\r\n  z\r\n",
    "a:\n  - b: 1\n    c: 2\n  - d\n",
    "a:\n- b: 1\n  c:\n  - x\n",
    "a: yes\nb: No\nc: ~\nd: .inf\ne: 0o17\nf: 017\ng: 1_000\nh: 12:30:00\ni: 0b101\n",
    'a: "\\x41\\u00e9\\t\\\\ \\""\n',
    "x: [a,b]\n",
    "x: {a: b,c: d}\n",
    "- a\n- b\n",
]

GIVES_UP = [
    "a: [x,]\n",  # a trailing comma
    "? a\n: b\n",  # a complex key
    "a: &x 1\nb: *x\n",  # an anchor and an alias
    "a: !!str 1\n",  # a tag
    "a: b: c\n",  # an error: a mapping in a plain scalar
    "a: 1\na: 2\n",  # a duplicate key: the composer path reports it
    "<<: {a: 1}\n",  # a merge key
    "a: 1\n---\nb: 2\n",  # two documents
    "...    a: 1\n",  # a document end marker
    "a: 1\n b: 2\n",  # bad indentation
    "a: - x\n",  # a sequence entry in a value
    "a: |2\n  x\n",  # an indentation indicator
    "a: \"x\" \"y\"\n",  # text after a quoted scalar
    "a: x\rb: 1\n",  # a lone carriage return
    "a: x\tb\n",  # a tab
    "- - a\n",  # a sequence of sequences on one line
    "a: {x: 1, y: 2, x: 3}\n",  # a duplicate key in a flow mapping
    "x:\n  |\n  a\n",  # a block scalar on a line of its own
    "x: [a: b]\n",  # a one-pair mapping in a flow sequence
    "# only a comment\n",
    "",
]


@pytest.mark.parametrize("text", READ)
def test_reads_what_the_composer_reads(text: str) -> None:
    assert _verdict(text) == "read"


@pytest.mark.parametrize("text", GIVES_UP)
def test_gives_up_on_the_rest(text: str) -> None:
    assert _verdict(text) == "gave up"


def _yaml_files() -> list[Path]:
    roots = [ROOT / "specs", ROOT / "tests", SHARED / "corpus", SHARED / "seeds", SHARED / "reference"]
    return sorted(p for root in roots if root.is_dir() for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def test_every_yaml_file_at_hand_reads_the_same() -> None:
    """Every YAML file of the repository and of ../shared (when present): the fast reader
    agrees with the composer wherever it reads, and reads nearly every valid spec."""
    verdicts: dict[str, list[Path]] = {}
    for path in _yaml_files():
        text = _text(path)
        if text is not None:
            verdicts.setdefault(_verdict(text), []).append(path)
    disagreements = {v: paths[:5] for v, paths in verdicts.items() if v not in ("read", "gave up")}
    assert not disagreements
    readable = [p for p in verdicts.get("gave up", []) if _composes(p)]
    read = len(verdicts.get("read", []))
    assert read > 50
    assert len(readable) <= 0.02 * (read + len(readable)), readable[:10]


def _composes(path: Path) -> bool:
    try:
        loader.load_composed(_text(path) or "", path)
    except Exception:  # noqa: BLE001
        return False
    return True


TOKENS = [
    " ", "  ", "\n", ": ", ":", "- ", "-", "#", " #", "'", '"', "''", "\\", "\\n", "[", "]", "{", "}",
    ",", "|", ">", "|-", ">+", "yes", "null", "~", "0x1f", "1e3", ".inf", "<<", "&a", "*a", "!t", "?",
    "---", "...", "%", "@", "`", "\n  ", "\n    ", "\n- ", "\n\n", "a", "key: value", "\\x41",
    "\\u00e9", "\\q", "2024-01-01", "12:30", "0o17", "017", "+1", "-1", "1_000", "=", "\r\n", "\t",
]  # fmt: skip


def _mutated(source: str, rnd: random.Random) -> str:
    lines = source.split("\n")
    start = rnd.randrange(len(lines))
    text = "\n".join(lines[start : start + rnd.randint(3, 40)])
    for _ in range(rnd.randint(1, 4)):
        at = rnd.randrange(len(text) + 1)
        choice = rnd.random()
        if choice < 0.5:
            text = text[:at] + rnd.choice(TOKENS) + text[at:]
        elif choice < 0.8:
            text = text[:at] + text[at + rnd.randint(1, 5) :]
        else:
            split = text.split("\n")
            row = rnd.randrange(len(split))
            shift = rnd.randint(0, 3)
            split[row] = " " * shift + split[row] if rnd.random() < 0.5 else split[row][shift:]
            text = "\n".join(split)
    split = text.split("\n")
    margin = min((len(line) - len(line.lstrip(" ")) for line in split if line.strip()), default=0)
    return "\n".join(line[margin:] for line in split)


def test_mutated_specs_read_the_same_or_give_up() -> None:
    """Random damage to real spec text (seeded): never a disagreement with the composer."""
    sources = [ROOT / "specs", SHARED / "corpus" / "official"]
    files = sorted(p for root in sources if root.is_dir() for p in root.rglob("*.y*ml"))
    rnd = random.Random(20261201)
    verdicts: dict[str, int] = {}
    for _ in range(3000):
        verdict = _verdict(_mutated(rnd.choice(files).read_text(encoding="utf-8"), rnd))
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
    assert set(verdicts) <= {"read", "gave up"}, verdicts
    assert verdicts.get("read", 0) > 200


WORDS = [
    "a", "b c", "yes", "No", "null", "~", "", " ", "x: y", "a #b", "it's", 'say "hi"', "-x", "- x",
    "1", "0x1F", "1.5", ".nan", "2024-01-01", "é", "\\", "line\nbreak", "two\n\nbreaks", "  lead",
    "trail  ", "{a}", "[b]", "@x", "%z", "&q", "!s", "http://h:80/p", "k:v", ":", "?", "#",
    "long " * 12, "on", "é" * 30,
]  # fmt: skip


def _value(rnd: random.Random, depth: int) -> Any:
    choice = rnd.random()
    if depth > 4 or choice < 0.45:
        return rnd.choice(WORDS) if rnd.random() < 0.6 else rnd.choice([1, -2, 3.5, True, None, 10**20, "x" * 60])
    if choice < 0.75:
        return {rnd.choice([*WORDS, "name", "type"]): _value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))}
    return [_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]


def test_dumped_documents_read_the_same() -> None:
    """PyYAML's own dumps of random data, in every style and width (seeded): folded,
    quoted and block scalars, flow and block collections."""
    rnd = random.Random(7)
    verdicts: dict[str, int] = {}
    for _ in range(1500):
        data = {f"k{n}": _value(rnd, 0) for n in range(rnd.randint(1, 4))}
        text = yaml.dump(
            data,
            Dumper=yaml.SafeDumper,
            default_flow_style=rnd.choice([False, None]),
            width=rnd.choice([10, 20, 40, 80, 1000]),
            allow_unicode=rnd.random() < 0.5,
            indent=rnd.choice([2, 3, 4]),
            default_style=rnd.choice([None, None, None, '"', "'", "|", ">"]),
        )
        verdict = _verdict(text)
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
    assert set(verdicts) <= {"read", "gave up"}, verdicts
    assert verdicts.get("read", 0) > 300


def test_loader_reads_block_style_without_the_composer(monkeypatch: pytest.MonkeyPatch) -> None:
    """A seed spec never reaches PyYAML's composer: the fast reader is really in use."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("composed")

    monkeypatch.setattr(loader, "load_composed", refuse)
    seed = sorted((ROOT / "specs").glob("*.y*ml"))[0]
    spec = loader.load(seed)
    assert "capability" in spec.data and spec.key_positions[("capability",)][1] == 1
