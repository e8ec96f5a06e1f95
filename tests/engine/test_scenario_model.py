"""Model errors through `load_scenario`: each problem, with its path."""

from __future__ import annotations

import math

import pytest

from game.engine import Problem, Scenario, ScenarioError, initial_state, load_scenario, step
from game.engine.model import INT_LIMIT, check_references

from tests.engine.builders import gauge, make, scenario_data


def problems(**fields) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(scenario_data(**fields))
    assert info.value.problems, "a ScenarioError lists its problems"
    assert str(len(info.value.problems)) in str(info.value)
    return info.value.problems


def one(**fields) -> Problem:
    found = problems(**fields)
    assert len(found) == 1, found
    return found[0]


def at_a(*choices, **node) -> dict:
    return {"a": {"choices": list(choices), **node}}


CHOICE = ("nodes", "a", "choices", 0)


def test_the_base_scenario_is_valid():
    sc = make()
    assert isinstance(sc, Scenario) and check_references(sc) == []


def test_unknown_goto_with_a_suggestion():
    p = one(nodes=at_a({"text": "x", "goto": "ned"}))
    assert (p.path, p.code, p.hint) == (CHOICE + ("goto",), "P204", "did you mean 'end'?")
    assert p.message == "unknown node or ending 'ned'"
    p = one(nodes=at_a({"text": "x", "outcomes": [{"weight": 1, "goto": "end"}, {"weight": 1, "goto": "zzz"}]}))
    assert (p.path, p.code) == (CHOICE + ("outcomes", 1, "goto"), "P204")
    p = one(triggers=[{"if": "true", "goto": "nowhere"}])
    assert (p.path, p.code) == (("triggers", 0, "goto"), "P204")
    p = one(start="nowhere")
    assert (p.path, p.code) == (("start",), "P204")


def test_duplicate_choice_ids():
    p = one(nodes=at_a({"id": "go", "text": "x", "goto": "end"}, {"text": "y", "goto": "end"},
                       {"id": "go", "text": "z", "goto": "end"}))
    assert (p.path, p.code) == (("nodes", "a", "choices", 2, "id"), "P231")
    assert "'go'" in p.message and "'a'" in p.message
    # The same id in two nodes is fine.
    make(nodes={"a": {"choices": [{"id": "go", "text": "x", "goto": "b"}]},
                "b": {"choices": [{"id": "go", "text": "x", "goto": "end"}]}})


def test_duplicate_trigger_ids():
    p = one(triggers=[{"id": "t", "if": "true"}, {"id": "t", "if": "false"}])
    assert p.path == ("triggers", 1, "id") and "duplicate trigger id 't'" in p.message


def test_a_node_id_that_is_also_an_ending_id():
    p = one(nodes={"a": {"choices": [{"text": "x", "goto": "end"}]}, "end": {}})
    assert (p.path, p.key) == (("endings", "end"), True)
    assert "both a node and an ending" in p.message


@pytest.mark.parametrize("spec, message", [
    (gauge(150), "start (150) is outside [min, max] = [0, 100]"),
    (gauge(-1), "start (-1) is outside [min, max] = [0, 100]"),
    (gauge(5, 10, 20), "start (5) is outside [min, max] = [10, 20]"),
    (gauge(10, 10, 10), "min (10) must be lower than max (10)"),
    (gauge(10, 20, 10), "min (20) must be lower than max (10)"),
])
def test_gauge_bounds(spec, message):
    p = one(gauges={"g": spec})
    assert (p.path, p.message) == (("gauges", "g"), message)


def test_gauge_bounds_are_inclusive():
    make(gauges={"g": gauge(0, 0, 1), "h": gauge(1, 0, 1), "k": gauge(-5, -5, 5)})


def test_effect_type_mismatches():
    found = problems(nodes=at_a({"text": "x", "goto": "end", "effects": {"flag": 1, "g": True},
                                 "set": {"flag": 0, "n": False}}))
    by_path = {p.path: p for p in found}
    assert set(by_path) == {CHOICE + ("effects", "flag"), CHOICE + ("effects", "g"),
                            CHOICE + ("set", "flag"), CHOICE + ("set", "n")}
    assert all(p.code in ("P225", "P226", "P227") for p in found)
    assert "'flag' is a boolean" in by_path[CHOICE + ("effects", "flag")].message
    assert "'g' is a number" in by_path[CHOICE + ("effects", "g")].message
    assert "'n' is a number" in by_path[CHOICE + ("set", "n")].message


@pytest.mark.parametrize("where", ["node", "outcome", "trigger"])
def test_effect_checks_cover_nodes_outcomes_and_triggers(where):
    bad = {"effects": {"flag": 3}}
    if where == "node":
        p = one(nodes=at_a({"text": "x", "goto": "end"}, **bad))
        assert p.path == ("nodes", "a", "effects", "flag")
    elif where == "outcome":
        p = one(nodes=at_a({"text": "x", "outcomes": [{"weight": 1, "goto": "end", **bad}]}))
        assert p.path == CHOICE + ("outcomes", 0, "effects", "flag")
    else:
        p = one(triggers=[{"if": "true", **bad}])
        assert p.path == ("triggers", 0, "effects", "flag")
    assert p.code == "P225"


def test_effect_values_must_be_integers_or_booleans():
    for value in (1.5, "3", None, [1]):
        p = one(nodes=at_a({"text": "x", "goto": "end", "effects": {"g": value}}))
        assert p.path == CHOICE + ("effects", "g"), (value, p)


def test_unknown_effect_names_with_a_suggestion():
    p = one(nodes=at_a({"text": "x", "goto": "end", "effects": {"flga": True}}))
    assert (p.path, p.code, p.key) == (CHOICE + ("effects", "flga"), "P224", True)
    assert p.hint == "did you mean 'flag'?"
    p = one(nodes=at_a({"text": "x", "goto": "end", "set": {"zzz": 1}}))
    assert p.path == CHOICE + ("set", "zzz") and p.hint is None


def test_huge_numbers_are_refused():
    p = one(nodes=at_a({"text": "x", "goto": "end", "effects": {"g": INT_LIMIT + 1}}))
    assert p.path == CHOICE + ("effects", "g") and "too large" in p.message
    p = one(variables={"n": -(INT_LIMIT + 1)})
    assert p.path == ("variables", "n") and "too large" in p.message
    make(variables={"n": INT_LIMIT}, nodes=at_a({"text": "x", "goto": "end", "set": {"n": -INT_LIMIT}}))


@pytest.mark.parametrize("weight, message", [
    (0, "greater than 0"), (-1, "greater than 0"), (-0.5, "greater than 0"), (math.nan, "greater than 0"),
    (math.inf, f"at most {INT_LIMIT}"), (INT_LIMIT + 1, f"at most {INT_LIMIT}"), (10**400, f"at most {INT_LIMIT}"),
    (True, "must be a number"), ("3", "must be a number"), ("inf", "must be a number"), (None, "must be a number"),
])
def test_outcome_weights_must_be_positive_finite_numbers(weight, message):
    p = one(nodes=at_a({"text": "x", "outcomes": [{"weight": weight, "goto": "end"}]}))
    assert p.path == CHOICE + ("outcomes", 0, "weight")
    assert message in p.message


def test_small_and_large_weights_are_fine():
    sc = make(nodes=at_a({"id": "go", "text": "x", "outcomes": [{"weight": 1e-9, "goto": "end"},
                                                                 {"weight": INT_LIMIT, "goto": "end"}]}))
    state, _ = initial_state(sc)
    assert step(sc, state, "go")[0].ending == "end"


def test_a_choice_needs_exactly_one_of_goto_and_outcomes():
    p = one(nodes=at_a({"text": "x", "goto": "end", "outcomes": [{"weight": 1, "goto": "end"}]}))
    assert p.path == CHOICE and "both 'goto' and 'outcomes'" in p.message
    p = one(nodes=at_a({"text": "x"}))
    assert p.path == CHOICE and "either 'goto' or 'outcomes'" in p.message
    p = one(nodes=at_a({"text": "x", "outcomes": []}))
    assert p.path == CHOICE and "either 'goto' or 'outcomes'" in p.message


def test_bad_ids():
    found = problems(id="Bad_Id", language="fra",
                     nodes={"Bad-Node": {"choices": [{"id": "Go!", "text": "x", "goto": "end"}]}}, start="Bad-Node")
    paths = {p.path for p in found}
    assert paths == {("id",), ("language",), ("nodes", "Bad-Node", "choices", 0, "id")}
    assert all("is not a valid id" in p.message for p in found)
    # Node and ending ids are checked once the shape is right.
    p = one(nodes={"Bad-Node": {"choices": [{"text": "x", "goto": "end"}]}}, start="Bad-Node")
    assert (p.path, p.key) == (("nodes", "Bad-Node"), True) and "not a valid node id" in p.message
    p = one(endings={"End": {"title": "E"}}, nodes=at_a({"text": "x", "goto": "End"}))
    assert p.path == ("endings", "End") and "not a valid ending id" in p.message
    # '$' must not let a trailing newline through.
    p = one(nodes={"a\n": {"choices": [{"text": "x", "goto": "end"}]}}, start="a\n")
    assert p.path == ("nodes", "a\n")
    p = one(nodes=at_a({"id": "a.1", "text": "x", "goto": "end"}))
    assert p.path == CHOICE + ("id",)


def test_bad_gauge_and_variable_names():
    found = problems(gauges={"2g": gauge(1), "and": gauge(1), "ok": gauge(1)},
                     variables={"ok": True, "if": 1, "Big": 1, "true": False})
    messages = {p.path: p.message for p in found}
    assert "not a valid gauge name" in messages[("gauges", "2g")]
    assert "reserved word" in messages[("gauges", "and")]
    assert "both a gauge and a variable" in messages[("variables", "ok")]
    assert "reserved word" in messages[("variables", "if")]
    assert "reserved word" in messages[("variables", "true")]
    assert "not a valid variable name" in messages[("variables", "Big")]
    assert all(p.key for p in found)


def test_unknown_placeholders_in_texts():
    found = problems(
        nodes={"a": {"text": "Il est {heure} h", "messages": [{"from": "K", "text": "{qui} ?"}],
                     "choices": [{"text": "{zz}", "feedback": "{g} {gg}", "goto": "end"}]}},
        endings={"end": {"title": "E", "text": [{"if": "flag", "text": "ok {flg}"}, {"text": "{n}"}]}},
    )
    got = {(p.path, p.offset, p.hint) for p in found}
    assert got == {
        (("nodes", "a", "text"), 7, None),
        (("nodes", "a", "messages", 0, "text"), 0, None),
        (("nodes", "a", "choices", 0, "text"), 0, None),
        (("nodes", "a", "choices", 0, "feedback"), 4, "did you mean 'g'?"),
        (("endings", "end", "text", 0, "text"), 3, "did you mean 'flag'?"),
    }
    assert all(p.code == "P224" and "in text" in p.message for p in found)


def test_unknown_placeholders_in_hints_and_outcome_feedback():
    found = problems(nodes=at_a({"text": "x", "available_if": "n > 0", "unavailable_hint": "n = {nn}",
                                 "outcomes": [{"weight": 1, "feedback": "{fla}g", "goto": "end"}]}))
    got = {(p.path, p.offset, p.hint) for p in found}
    assert got == {(CHOICE + ("unavailable_hint",), 4, "did you mean 'n'?"),
                   (CHOICE + ("outcomes", 0, "feedback"), 0, "did you mean 'flag'?")}


def test_known_placeholders_and_other_braces_are_fine():
    make(nodes=at_a({"text": "{g} / {flag} / {n} / { pas un nom } / {1}", "goto": "end"}, text="{g}%"))


def test_expression_problems_keep_their_offset():
    found = problems(
        nodes=at_a({"text": "x", "if": "g > 1 and relaton", "available_if": "g", "goto": "end"},
                   text=[{"if": "flag or g.x", "text": "t"}]),
        triggers=[{"if": "n ** 2 > 1"}],
    )
    got = {p.path: (p.offset, p.code) for p in found}
    assert got == {
        ("triggers", 0, "if"): (0, "P312"),
        ("nodes", "a", "text", 0, "if"): (8, "P304"),
        CHOICE + ("if",): (10, "P303"),
        CHOICE + ("available_if",): (0, "P308"),
    }


def test_unknown_and_missing_keys():
    found = problems(nodes=at_a({"text": "x", "goto": "end", "gotoo": "end"}), colour="red")
    by_path = {p.path: p for p in found}
    assert by_path[CHOICE + ("gotoo",)].hint == "did you mean 'goto'?"
    assert by_path[("colour",)].hint.startswith("allowed keys: format, id")
    assert all(p.code == "unknown-key" and p.key for p in found)
    p = one(nodes=at_a({"goto": "end"}))
    assert (p.path, p.code, p.message) == (CHOICE, "missing-key", "missing required key 'text'")


def test_wrong_format_and_wrong_shapes():
    p = one(format=2)
    assert p.path == ("format",) and "expected 1" in p.message
    p = one(variables={"s": "texte"})
    assert p.path == ("variables", "s") and p.message == "expected a whole number or true/false"
    p = one(nodes={"a": {"view": "smss", "choices": [{"text": "x", "goto": "end"}]}})
    assert p.path == ("nodes", "a", "view") and p.hint == "did you mean 'sms'?"
    with pytest.raises(ScenarioError):
        load_scenario(["not", "a", "mapping"])


def test_every_problem_is_reported_not_just_the_first():
    found = problems(nodes=at_a({"text": "x", "goto": "nope", "effects": {"zz": 1}},
                                {"text": "y", "if": "unknown > 1", "goto": "end"}),
                     triggers=[{"if": "true", "goto": "gone"}])
    assert len(found) == 4


def test_equal_scenarios_stay_equal_once_played():
    # Playing a scenario leaves it a plain value: nothing is cached on it.
    a, b = make(), make()
    assert a == b
    initial_state(a)
    assert a == b and b == a
    initial_state(b)
    assert a == b
    assert make() != make(title="Autre")
    assert a != "not a scenario"


def test_default_gauges_can_be_partly_overridden():
    sc = make(gauges={"relation": {"start": 10}, "g": gauge(5)}, language="fr")
    assert sc.gauges["relation"].label == "Qualité de la relation"
    assert (sc.gauges["relation"].start, sc.gauges["relation"].good) == (10, "high")
    assert list(sc.gauges) == ["relation", "g"]


def test_a_changed_copy_of_a_played_scenario_plays_its_own_data():
    sc = make(nodes={"a": {"choices": [{"id": "go", "text": "x", "goto": "end"}]},
                     "b": {"choices": [{"id": "go", "text": "x", "goto": "end"}]}})
    assert initial_state(sc)[0].node == "a"
    moved = sc.model_copy(update={"start": "b"})
    assert initial_state(moved)[0].node == "b"
    assert initial_state(sc)[0].node == "a"
    assert sc.model_copy() == sc
