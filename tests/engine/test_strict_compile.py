"""`Rules.compile` is strict: it refuses exactly the scenarios `check_references` finds broken.

The loader relies on it: a scenario that compiles is not checked again, and
the reference checks (which locate and explain each problem) run only when
the compiler refuses. So the two must agree on every scenario, broken or not.
"""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import Rules, Scenario, ScenarioError
from game.engine.model import INT_LIMIT, check_references

from tests.engine.strategies import scenario_dicts


def _first_node(d: dict) -> dict:
    return next(iter(d["nodes"].values()))


def _choice(d: dict) -> dict:
    node = _first_node(d)
    if not node.get("choices"):
        node["choices"] = [{"text": "c", "goto": d["start"]}]
    return node["choices"][0]


def _a_number(d: dict) -> str | None:
    return next((n for n, v in (d.get("variables") or {}).items() if not isinstance(v, bool)), None) \
        or next(iter(d.get("gauges") or {}), None)


# Each breaks one reference check_references knows; some apply only to some scenarios (None: skip).
BREAKS = {
    "goto to nowhere": lambda d: _choice(d).update(goto="nulle_part"),
    "start nowhere": lambda d: d.update(start="nulle_part"),
    "unknown name in a condition": lambda d: _choice(d).update({"if": "inconnu > 2"}),
    "number as a condition": lambda d: _choice(d).update({"if": "1 + 2"}),
    "unknown effect": lambda d: _choice(d).update(effects={"inconnu": 1}),
    "effect too large": lambda d: (n := _a_number(d)) and _choice(d).update(effects={n: INT_LIMIT + 1}),
    "boolean to a number": lambda d: (n := _a_number(d)) and _choice(d).update(set={n: True}),
    "unknown name in a text": lambda d: _first_node(d).update(text="Bonjour {inconnu}"),
    "unknown name in a title": lambda d: _first_node(d).update(title="{inconnu}"),
    "unknown name in a feedback": lambda d: _choice(d).update(feedback="{inconnu}"),
    "unknown name in an SMS": lambda d: _first_node(d).update(
        view="sms", messages=[{"from": "them", "text": "{inconnu}"}]),
    "duplicate choice id": lambda d: _first_node(d).update(choices=[
        {"id": "x", "text": "a", "goto": d["start"]}, {"id": "x", "text": "b", "goto": d["start"]}]),
    "duplicate trigger id": lambda d: d.update(triggers=[
        {"id": "t", "if": "true", "goto": d["start"]}, {"id": "t", "if": "false", "goto": d["start"]}]),
    "ending named as a node": lambda d: d["endings"].update({next(iter(d["nodes"])): {"title": "f", "tone": "mixed"}}),
    "variable named as a gauge": lambda d: (g := next(iter(d.get("gauges") or {}), None)) and d.setdefault(
        "variables", {}).update({g: 0}),
    "reserved variable name": lambda d: d.setdefault("variables", {}).update({"and": 0}),
    "variable too large": lambda d: d.setdefault("variables", {}).update({"enorme": INT_LIMIT + 1}),
}


def _verdicts(data: dict) -> tuple[bool, list]:
    sc = Scenario.model_validate(data)
    try:
        Rules.compile(sc)
        compiled = True
    except ScenarioError:
        compiled = False
    return compiled, check_references(sc)


@settings(max_examples=60, deadline=None)
@given(scenario_dicts())
def test_a_valid_scenario_compiles_and_has_no_reference_problem(d):
    compiled, problems = _verdicts(d)
    assert compiled and problems == []


@settings(max_examples=300, deadline=None)
@given(scenario_dicts(), st.sampled_from(sorted(BREAKS)))
def test_the_compiler_refuses_what_the_reference_checks_find(d, name):
    d = copy.deepcopy(d)
    if BREAKS[name](d) is False:
        return
    try:
        compiled, problems = _verdicts(d)
    except Exception as e:  # the break made a shape error (pydantic): not a reference question
        assert type(e).__name__ == "ValidationError", e
        return
    assert compiled == (problems == []), (name, problems)


def test_each_break_is_refused_on_a_plain_scenario():
    base = {"format": 1, "id": "s", "language": "fr", "title": "t",
            "gauges": {"relation": {"label": "R", "start": 5, "min": 0, "max": 10}},
            "variables": {"relances": 0}, "start": "a",
            "nodes": {"a": {"text": "x", "choices": [{"text": "c", "goto": "fin"}]}},
            "endings": {"fin": {"title": "f", "tone": "mixed"}}}
    assert _verdicts(base) == (True, [])
    for name, brk in BREAKS.items():
        d = copy.deepcopy(base)
        brk(d)
        compiled, problems = _verdicts(d)
        assert not compiled and problems, name
