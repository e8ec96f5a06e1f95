"""The quick reader (yaml_rs) gives exactly what the full reader (the event walk) gives, or nothing.

`loader._quick` reads a clean file several times faster; whenever it
answers, its data must be the event walk's data, value for value, type for
type and key order included, and the full reader must have found nothing to
say. Compared on every YAML file of the repository (the shipped scenarios,
the bad files of the tests, the drafts), on the hostile corpus, on tricky
plain scalars one by one, and on generated documents.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.authoring import loader
from game.authoring.loader import _EventBuilder, _quick, _unsure, LoadError

from test_hostile_corpus import CORPUS  # tests/authoring is on the path (rootdir-relative imports)

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(p for d in ("scenarios", "tests", "bench/stories") for p in (ROOT / d).rglob("*.yaml"))


def same(a, b) -> bool:
    """Deep equality that also asks for the same types and the same key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def full(text: str):
    """The event walk's data and whether it found something to say (None: it refused the text)."""
    builder = _EventBuilder("t.yaml", text.splitlines(), record=True)
    try:
        data = builder.run(text)
    except (LoadError, loader._Syntax):
        return None, True
    return data, bool(builder.problems or builder.duplicates)


def agree(text: str) -> bool:
    """The property: the quick reader answers only what the full one would."""
    quick = _quick(text)
    if quick is None:
        return True
    data, said = full(text)
    return not said and same(quick, data)


def test_the_property_can_fail():
    # What the two readers disagree on, given to yaml_rs directly: the property sees each difference.
    import yaml_rs

    for text in ("k: 1_000\n", "k: 0o17\n", "k: -0x1F\n", "k: _8\n", "a: 1\na: 2\n"):
        try:
            quick = yaml_rs.loads(text, parse_datetime=False)
        except ValueError:
            continue
        data, said = full(text)
        assert said or not same(quick, data), text
        assert _quick(text) is None, text


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_every_yaml_file_of_the_repository(path):
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    assert agree(text), path


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_the_hostile_corpus(name):
    assert agree(CORPUS[name]), name


def test_the_shipped_scenarios_take_the_quick_reader():
    """Speed, not correctness: a clean shipped scenario is read by yaml_rs (a guard too wide would lose it)."""
    shipped = sorted((ROOT / "scenarios").rglob("*.yaml"))
    assert shipped
    slow = [str(p.relative_to(ROOT)) for p in shipped if _quick(p.read_text(encoding="utf-8")) is None]
    assert slow == []


def test_the_load_gives_the_same_document_either_way(monkeypatch):
    for path in sorted((ROOT / "scenarios").rglob("*.yaml")):
        raw = path.read_bytes()
        quick = loader.parse_document(raw, "s.yaml")
        monkeypatch.setattr(loader, "_quick", lambda text: None)
        slow = loader.parse_document(raw, "s.yaml")
        monkeypatch.undo()
        assert same(quick.data, slow.data) and quick.problems == slow.problems == []
        assert quick.positions.locate(("nodes",)) == slow.positions.locate(("nodes",))


TOKENS = [
    "Non", "yes", "off", "true", "True", "TRUE", "false", "FALSE", "null", "Null", "NULL", "~", "", "23:12",
    "1:30:00", "0,5", "12", "-7", "+3", "007", "0x1F", "0X1F", "+0x1F", "-0x1f", "0o17", "0O17", "0b101", "1e5",
    "1E5", "-1e-5", "1.5e3", "1.5", ".5", "2.", "-.5", "1_000", "_8", "8_", "1__0", "_", "_.7", ".inf", "-.inf",
    ".nan", ".NaN", "2026-12-01", "2026-12-01T10:00:00", "12:30:00", "9" * 30, "9" * 4500, "-0", "+0", "0",
    "1.0.0", "v1", "n10x", "1e", "2e étape", "0x", "0xg", "<<", "a << b", "'q'", '"q"', "é", "a: b", "a #b",
]


@pytest.mark.parametrize("token", TOKENS)
def test_plain_scalars_one_by_one(token):
    for text in (f"k: {token}\n", f"- {token}\n", f"k: [{token}]\n", f"{token}: v\n", f"k:\n  - {token}\n"):
        assert agree(text), text


WORDS = st.sampled_from(TOKENS + ["texte", "Écrire à l’équipe", "relances > 0 and not sms", "a_b", "n_12",
                                  "Attention !", "x * y", "&a", "*a", "!x", "? x", "- -", "%"])
KEYS = st.sampled_from(["id", "text", "goto", "if", "1", "true", "null", "~", "<<", "a b", "é", "n_1", "'q'",
                        "k", "k"])


@st.composite
def yaml_documents(draw) -> str:
    def value(depth: int) -> list[str]:
        kind = draw(st.integers(0, 4 if depth < 3 else 1))
        if kind <= 1:
            return [draw(WORDS)]
        if kind == 2:
            return ["[" + ", ".join(draw(st.lists(WORDS, max_size=3))) + "]"]
        if kind == 3:
            items = draw(st.lists(st.tuples(KEYS, st.integers(0, 1)), min_size=1, max_size=3))
            lines = []
            for k, nested in items:
                v = value(depth + 1) if nested else [draw(WORDS)]
                lines += [f"{k}: {v[0]}"] if len(v) == 1 else [f"{k}:"] + ["  " + x for x in v]
            return [""] + lines if len(lines) > 1 else lines
        items = [value(depth + 1) for _ in range(draw(st.integers(1, 3)))]
        lines = []
        for v in items:
            lines += [f"- {v[0]}"] if len(v) == 1 else ["-"] + ["  " + x for x in v if x]
        return [""] + lines
    lines = []
    for k in draw(st.lists(KEYS, min_size=1, max_size=5)):
        v = value(0)
        lines += [f"{k}: {v[0]}"] if len(v) == 1 else [f"{k}:"] + ["  " + x for x in v if x]
    return "\n".join(lines) + "\n"


@settings(max_examples=400, deadline=None)
@given(yaml_documents())
def test_generated_documents(text):
    assert agree(text), text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1_0ox:-[]{},'\"#!&*|>? \n.eE+~")), max_size=40))
def test_generated_noise(text):
    assert agree(text), text


def test_the_guard_itself():
    assert _unsure("k: 1_000\n") and _unsure("k: _8\n") and _unsure("k: 0o17\n") and _unsure("k: *a\n")
    assert _unsure("- !x\n") and _unsure("k: a << b\n") and _unsure("k:\tx\n")
    assert _quick("a: 1\n---\nb: 2\n") is None and _quick("k: 1.5\n") is None and _quick("1: x\n") is None
    assert not _unsure("k: etape_2\n") and not _unsure("k: Attention !\n") and not _unsure("if: a * b > 2\n")
