"""DESIGN.md's limits: the quick look and the located walk always agree."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from game.authoring.validate import MAX_CHOICES, MAX_TEXT, _limits_located, limit_problems

TEXTS = st.one_of(st.text(max_size=8), st.sampled_from(["\x1b[31m", "a\x00b", "\x7f", "ok\n", "x" * (MAX_TEXT + 1)]))
LEAVES = st.one_of(TEXTS, st.integers(), st.booleans(), st.none())
KEYS = st.sampled_from(["choices", "outcomes", "text", "nodes", "a"])
DATA = st.recursive(LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(KEYS, inner, max_size=4)), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, DATA, max_size=4))
def test_the_quick_look_agrees_with_the_located_walk(data):
    assert limit_problems(data) == _limits_located(data)


def test_each_limit_is_found_and_located():
    many = {"nodes": {"n": {"choices": [{"text": "c"}] * (MAX_CHOICES + 1)}}}
    assert [(p.code, p.path) for p in limit_problems(many)] == [("P234", ("nodes", "n", "choices"))]
    escape = {"nodes": {"n": {"text": "a\x1bb"}}}
    assert [(p.code, p.path) for p in limit_problems(escape)] == [("P239", ("nodes", "n", "text"))]
    long = {"title": "x" * (MAX_TEXT + 1)}
    assert [p.code for p in limit_problems(long)] == ["P235"]
    assert limit_problems({"nodes": {"n": {"text": "rien à signaler", "choices": []}}}) == []
