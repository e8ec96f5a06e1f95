"""Unit tests for each rule of one step (DESIGN.md, "The rules of one step")."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from game.engine import (
    Cause,
    ChoiceMade,
    EndingReached,
    GaugeChanged,
    NodeEntered,
    OutcomeDrawn,
    Rejected,
    State,
    TriggerFired,
    VariableChanged,
    event_to_dict,
    initial_state,
    step,
    visible_choices,
)
from game.engine.rules import Rules, draw_outcome

from tests.engine.builders import gauge, make


def ok(result):
    """The (state, events) of an accepted step."""
    assert not isinstance(result, Rejected), result
    return result


def of(events, kind):
    return [e for e in events if isinstance(e, kind)]


# --------------------------------------------------------------------------
# Rule 0: play starts by entering `start`


def test_start_node_effects_apply_when_play_starts():
    sc = make(nodes={"a": {"effects": {"g": 5, "flag": True, "n": -2}, "set": {"n": 7},
                           "choices": [{"id": "go", "text": "Go", "goto": "end"}]}})
    state, events = initial_state(sc, seed=42)
    assert (state.node, state.turn, state.seed, state.fired, state.ending) == ("a", 0, 42, frozenset(), None)
    assert state.gauges == {"g": 55}
    assert state.variables == {"flag": True, "n": 7}
    start = Cause("node", "a")
    assert events == (
        NodeEntered("a", 0),
        GaugeChanged("g", 50, 55, 5, 5, start, 0),
        VariableChanged("flag", False, True, start, 0),
        VariableChanged("n", 0, -2, start, 0),
        VariableChanged("n", -2, 7, start, 0),
    )


def test_start_effects_are_clamped():
    sc = make(gauges={"g": gauge(95)}, nodes={"a": {"effects": {"g": 50}, "choices": [{"text": "x", "goto": "end"}]}})
    state, events = initial_state(sc)
    assert state.value("g") == 100
    assert of(events, GaugeChanged) == [GaugeChanged("g", 95, 100, 5, 50, Cause("node", "a"), 0)]


def test_start_triggers_are_not_checked_before_the_first_choice():
    sc = make(triggers=[{"if": "true", "effects": {"g": 10}, "goto": "end"}])
    state, events = initial_state(sc)
    assert state.node == "a" and state.value("g") == 50 and not of(events, TriggerFired)


def test_start_may_be_an_ending():
    sc = make(start="end")
    state, events = initial_state(sc)
    assert state.finished and state.ending == "end"
    assert events == (EndingReached("end", "positive", 0),)
    assert visible_choices(sc, state) == []
    assert step(sc, state, "go") == Rejected("play has ended", "finished")


def test_default_gauges_and_their_labels_follow_the_language():
    sc = make(gauges=None, language="en")
    assert list(sc.gauges) == ["relation", "exclusion", "workload"]
    assert sc.gauges["relation"].label == "Relationship quality"
    state, _ = initial_state(sc)
    assert state.gauges == {"relation": 50, "exclusion": 20, "workload": 40}


# --------------------------------------------------------------------------
# Rule 1: the choice must be visible and available


def _gated():
    return make(
        variables={"flag": False, "n": 3},
        nodes={"a": {"choices": [
            {"id": "hidden", "text": "H", "if": "flag", "goto": "end"},
            {"id": "disabled", "text": "D", "available_if": "n > 5",
             "unavailable_hint": "Il faut n > 5 (n = {n})", "goto": "end"},
            {"id": "both", "text": "B", "if": "n > 5", "available_if": "flag", "goto": "end"},
            {"text": "Default id", "goto": "end"},
            {"id": "open", "text": "n = {n}", "if": "n == 3", "available_if": "not flag", "goto": "end"},
        ]}},
    )


def test_hidden_choices_are_not_listed_and_are_refused_as_hidden():
    sc = _gated()
    state, _ = initial_state(sc)
    views = visible_choices(sc, state)
    assert [v.id for v in views] == ["disabled", "a.4", "open"]
    assert [v.index for v in views] == [1, 3, 4]
    result = step(sc, state, "hidden")
    assert isinstance(result, Rejected) and result.code == "hidden" and "hidden" in result.reason
    # Hidden wins over unavailable: a hidden choice is not even shown.
    assert step(sc, state, "both").code == "hidden"


def test_unavailable_choices_are_shown_disabled_with_their_hint_and_refused():
    sc = _gated()
    state, _ = initial_state(sc)
    disabled = visible_choices(sc, state)[0]
    assert (disabled.available, disabled.hint) == (False, "Il faut n > 5 (n = 3)")
    result = step(sc, state, "disabled")
    assert isinstance(result, Rejected) and result.code == "unavailable" and "disabled" in result.reason
    opened = visible_choices(sc, state)[2]
    assert (opened.text, opened.available, opened.hint) == ("n = 3", True, None)


def test_unknown_choices_are_refused():
    sc = _gated()
    state, _ = initial_state(sc)
    for bad in ("nope", "a.9", "a.0", "", "end"):
        result = step(sc, state, bad)
        assert isinstance(result, Rejected) and result.code == "unknown", bad


def test_default_choice_ids_are_node_dot_index():
    sc = _gated()
    assert sc.choice_ids("a") == ["hidden", "disabled", "both", "a.4", "open"]
    state, _ = initial_state(sc)
    new, events = ok(step(sc, state, "a.4"))
    assert events[0] == ChoiceMade("a", "a.4", 0) and new.ending == "end"


def test_a_refusal_changes_nothing():
    sc = _gated()
    state, _ = initial_state(sc)
    before = state._replace()
    step(sc, state, "hidden")
    assert state == before


def test_visibility_follows_the_current_values():
    sc = make(nodes={
        "a": {"choices": [{"id": "set", "text": "set", "effects": {"flag": True}, "goto": "a"},
                          {"id": "gated", "text": "gated", "if": "flag", "available_if": "g >= 55", "goto": "end"},
                          {"id": "up", "text": "up", "effects": {"g": 5}, "goto": "a"}]},
    })
    s0, _ = initial_state(sc)
    assert step(sc, s0, "gated").code == "hidden"
    s1, _ = ok(step(sc, s0, "set"))
    assert step(sc, s1, "gated").code == "unavailable"
    s2, _ = ok(step(sc, s1, "up"))
    s3, _ = ok(step(sc, s2, "gated"))
    assert s3.ending == "end"


# --------------------------------------------------------------------------
# Rule 2: effects (numbers add, booleans set), then `set`; clamp after each change


def test_numbers_add_booleans_set_then_set_assigns():
    sc = make(
        variables={"flag": True, "other": False, "n": 2},
        nodes={"a": {"choices": [{"id": "go", "text": "Go", "goto": "end",
                                  "effects": {"g": 5, "flag": False, "n": 3, "other": True},
                                  "set": {"g": 10, "n": -4, "other": False}}]}},
    )
    state, _ = initial_state(sc)
    new, events = ok(step(sc, state, "go"))
    assert new.gauges == {"g": 10}
    assert new.variables == {"flag": False, "other": False, "n": -4}
    cause = Cause("choice", "a", "go")
    assert [e for e in events if isinstance(e, (GaugeChanged, VariableChanged))] == [
        GaugeChanged("g", 50, 55, 5, 5, cause, 0),
        VariableChanged("flag", True, False, cause, 0),
        VariableChanged("n", 2, 5, cause, 0),
        VariableChanged("other", False, True, cause, 0),
        GaugeChanged("g", 55, 10, -45, -45, cause, 0),  # set: requested is target - old
        VariableChanged("n", 5, -4, cause, 0),
        VariableChanged("other", True, False, cause, 0),
    ]


def test_gauges_are_clamped_after_each_change_not_at_the_end():
    # 90 + 30 -> 100 (clamped), then the outcome's -20 -> 80. Clamping only
    # once, at the end, would give 90 + 30 - 20 = 100.
    sc = make(
        gauges={"g": gauge(90)},
        nodes={"a": {"choices": [{"id": "go", "text": "Go", "effects": {"g": 30},
                                  "outcomes": [{"weight": 1, "effects": {"g": -20}, "goto": "b"}]}]},
               "b": {"effects": {"g": 50}, "choices": [{"id": "go", "text": "Go", "goto": "end"}]}},
        triggers=[{"id": "t", "if": "g == 80", "effects": {"g": -100}}],
    )
    state, _ = initial_state(sc)
    new, events = ok(step(sc, state, "go"))
    deltas = [(e.old, e.new, e.delta, e.requested, e.cause.kind) for e in of(events, GaugeChanged)]
    assert deltas == [
        (90, 100, 10, 30, "choice"),
        (100, 80, -20, -20, "outcome"),
        (80, 0, -80, -100, "trigger"),  # the trigger sees 80, then clamps at min
        (0, 50, 50, 50, "node"),
    ]
    assert new.value("g") == 50


def test_set_after_a_clamped_effect_and_set_beyond_the_bounds():
    sc = make(
        gauges={"g": gauge(90), "h": gauge(10, -20, 20)},
        nodes={"a": {"choices": [
            {"id": "both", "text": "x", "effects": {"g": 30}, "set": {"g": 95}, "goto": "end"},
            {"id": "over", "text": "x", "set": {"g": 500, "h": -500}, "goto": "end"},
            {"id": "under", "text": "x", "effects": {"g": -500, "h": 25}, "goto": "end"},
        ]}},
    )
    state, _ = initial_state(sc)
    new, events = ok(step(sc, state, "both"))
    assert [(e.old, e.new, e.requested) for e in of(events, GaugeChanged)] == [(90, 100, 30), (100, 95, -5)]
    new, events = ok(step(sc, state, "over"))
    assert new.gauges == {"g": 100, "h": -20}
    assert [(e.gauge, e.delta, e.requested) for e in of(events, GaugeChanged)] == [("g", 10, 410), ("h", -30, -510)]
    new, _ = ok(step(sc, state, "under"))
    assert new.gauges == {"g": 0, "h": 20}


def test_a_change_that_changes_nothing_is_not_an_event():
    sc = make(gauges={"g": gauge(100)}, variables={"flag": True, "n": 4},
              nodes={"a": {"choices": [{"id": "go", "text": "x", "effects": {"g": 10, "flag": True, "n": 0},
                                        "set": {"n": 4}, "goto": "end"}]}})
    state, _ = initial_state(sc)
    new, events = ok(step(sc, state, "go"))
    assert not of(events, GaugeChanged) and not of(events, VariableChanged)
    assert new.values == state.values


def test_int_variables_are_not_bounded_like_gauges():
    sc = make(nodes={"a": {"choices": [{"id": "go", "text": "x", "effects": {"n": -300}, "goto": "a"}]}})
    state, _ = initial_state(sc)
    for _ in range(3):
        state, _ = ok(step(sc, state, "go"))
    assert state.value("n") == -900


# --------------------------------------------------------------------------
# Rule 3: the seeded draw


def _weighted(weights):
    """A scenario whose choice 'draw' at 'a' has outcomes with `weights`, looping back to 'a'."""
    outs = [{"weight": w, "goto": "a"} for w in weights]
    return make(nodes={"a": {"choices": [{"id": "draw", "text": "x", "outcomes": outs}]}})


def _expected(seed, turn, weights):
    return random.Random(f"{seed}:{turn}").choices(range(len(weights)), weights)[0]


WEIGHT_SETS = [[1], [1, 1], [3, 1], [1, 2, 3, 4], [0.5, 0.25, 0.25], [1e-3, 1, 1e3], [0.1] * 7, [7, 0.3, 2.5, 1]]


@pytest.mark.parametrize("weights", WEIGHT_SETS)
def test_the_draw_is_random_choices_seeded_with_seed_and_turn(weights):
    sc = _weighted(weights)
    s0, _ = initial_state(sc)
    seen = set()
    for seed in [0, 1, 2, 7, 42, -1, 123456789, 2**40]:
        for turn in range(12):
            state = s0._replace(seed=seed, turn=turn)
            new, events = ok(step(sc, state, "draw"))
            drawn = of(events, OutcomeDrawn)[0]
            assert drawn.outcome == _expected(seed, turn, weights), (seed, turn)
            assert (drawn.turn, new.turn) == (turn, turn + 1)
            seen.add(drawn.outcome)
    if len(weights) > 1 and min(weights) / sum(weights) > 0.05:
        assert len(seen) > 1  # the seed and the turn do change the draw


@given(
    weights=st.lists(st.one_of(st.integers(1, 1000), st.floats(1e-6, 1e6)), min_size=1, max_size=6),
    seed=st.integers(-(2**63), 2**63),
    turn=st.integers(0, 10_000),
)
@example(weights=[1, 1e-6], seed=0, turn=0)
def test_the_draw_matches_random_choices_for_any_weights(weights, seed, turn):
    sc = _weighted(weights)
    s0, _ = initial_state(sc)
    _, events = ok(step(sc, s0._replace(seed=seed, turn=turn), "draw"))
    assert of(events, OutcomeDrawn)[0].outcome == _expected(seed, turn, weights)
    cum = Rules.compile(sc)._nodes["a"].choices[0].cum_weights
    assert draw_outcome(cum, seed, turn) == _expected(seed, turn, weights)


def test_turn_counts_the_choices_made_before():
    sc = _weighted([1, 1, 1])
    state, _ = initial_state(sc, seed=9)
    for turn in range(20):
        assert state.turn == turn
        state, events = ok(step(sc, state, "draw"))
        assert of(events, OutcomeDrawn)[0].outcome == _expected(9, turn, [1, 1, 1])


def test_the_outcome_applies_its_effects_and_goto():
    sc = make(
        nodes={"a": {"choices": [{"id": "go", "text": "x", "effects": {"g": 1}, "outcomes": [
            {"weight": 1, "effects": {"g": 10, "flag": True}, "set": {"n": 5}, "feedback": "ok", "goto": "b"},
            {"weight": 1, "effects": {"g": -10}, "goto": "end"}]}]},
               "b": {"choices": [{"text": "x", "goto": "end"}]}},
    )
    state, _ = initial_state(sc)
    new, events = ok(step(sc, state, "go", outcome=0))
    assert (new.node, new.value("g"), new.value("flag"), new.value("n")) == ("b", 61, True, 5)
    cause = Cause("outcome", "a", "go", 0)
    assert events == (
        ChoiceMade("a", "go", 0),
        GaugeChanged("g", 50, 51, 1, 1, Cause("choice", "a", "go"), 0),
        OutcomeDrawn("a", "go", 0, "b", 0),
        GaugeChanged("g", 51, 61, 10, 10, cause, 0),
        VariableChanged("flag", False, True, cause, 0),
        VariableChanged("n", 0, 5, cause, 0),
        NodeEntered("b", 1),
    )
    new, events = ok(step(sc, state, "go", outcome=1))
    assert (new.ending, new.value("g")) == ("end", 41)
    assert of(events, OutcomeDrawn) == [OutcomeDrawn("a", "go", 1, "end", 0)]


def test_the_seeded_step_is_reproducible():
    sc = _weighted([1, 2, 3, 4, 5])
    for seed in range(30):
        s0, _ = initial_state(sc, seed)
        assert step(sc, s0, "draw") == step(sc, s0, "draw")
        assert _weighted([1, 2, 3, 4, 5]) == sc  # fresh model, same draw below
        assert step(_weighted([1, 2, 3, 4, 5]), s0, "draw") == step(sc, s0, "draw")


# --------------------------------------------------------------------------
# Rule 4: triggers


def _with_triggers(triggers, **kw):
    nodes = kw.pop("nodes", None) or {
        "a": {"choices": [{"id": "go", "text": "x", "effects": {"g": 10}, "goto": "b"},
                          {"id": "stay", "text": "x", "goto": "a"},
                          {"id": "draw", "text": "x", "outcomes": [{"weight": 1, "goto": "b"}]}]},
        "b": {"effects": {"n": 1}, "choices": [{"id": "back", "text": "x", "goto": "a"}]},
        "c": {"choices": [{"id": "back", "text": "x", "goto": "a"}]},
    }
    return make(triggers=triggers, nodes=nodes, endings={"end": {"title": "E"}, "bad": {"title": "B", "tone": "negative"}}, **kw)


def test_only_the_first_trigger_that_holds_fires_in_order():
    sc = _with_triggers([
        {"id": "never", "if": "false", "goto": "bad"},
        {"id": "first", "if": "g >= 60", "effects": {"flag": True}, "goto": "c"},
        {"id": "second", "if": "g >= 50", "effects": {"n": 100}, "goto": "end"},
    ])
    state, _ = initial_state(sc)
    new, events = ok(step(sc, state, "go"))
    assert of(events, TriggerFired) == [TriggerFired("first", 1, "c", 0)]
    assert (new.node, new.value("flag"), new.value("n")) == ("c", True, 0)
    assert new.fired == frozenset()  # not `once`
    # Below 60 the first does not hold; the second does.
    new, events = ok(step(sc, state, "stay"))
    assert of(events, TriggerFired) == [TriggerFired("second", 2, "end", 0)]
    assert (new.ending, new.value("n")) == ("end", 100)


def test_a_once_trigger_fires_once_then_lets_the_next_one_fire():
    sc = _with_triggers([
        {"id": "once", "if": "true", "effects": {"n": 1}, "once": True},
        {"id": "always", "if": "true", "effects": {"n": 10}},
    ])
    state, _ = initial_state(sc)
    s1, e1 = ok(step(sc, state, "stay"))
    assert [t.trigger for t in of(e1, TriggerFired)] == ["once"]
    assert s1.fired == frozenset({0}) and s1.value("n") == 1
    s2, e2 = ok(step(sc, s1, "stay"))
    assert [t.trigger for t in of(e2, TriggerFired)] == ["always"]
    s3, e3 = ok(step(sc, s2, "stay"))
    assert [t.trigger for t in of(e3, TriggerFired)] == ["always"]
    assert (s2.fired, s3.fired, s3.value("n")) == (frozenset({0}), frozenset({0}), 21)


def test_a_trigger_goto_overrides_the_choice_and_the_outcome_goto():
    sc = _with_triggers([{"id": "t", "if": "n == 0", "goto": "c"}])
    state, _ = initial_state(sc)
    for choice in ("go", "draw", "stay"):
        new, events = ok(step(sc, state, choice))
        assert new.node == "c" and of(events, NodeEntered) == [NodeEntered("c", 1)], choice
    # And it can send play to an ending, or away from one.
    sc = _with_triggers([{"if": "g > 55", "goto": "bad"}])
    new, events = ok(step(sc, initial_state(sc)[0], "go"))
    assert new.ending == "bad" and events[-1] == EndingReached("bad", "negative", 1)
    sc = make(triggers=[{"if": "true", "goto": "a"}])
    new, _ = ok(step(sc, initial_state(sc)[0], "go"))
    assert (new.node, new.finished) == ("a", False)


def test_a_trigger_without_goto_keeps_the_choice_goto():
    sc = _with_triggers([{"id": "t", "if": "g >= 60", "effects": {"g": -5}, "set": {"flag": True}}])
    state, _ = initial_state(sc)
    new, events = ok(step(sc, state, "go"))
    assert of(events, TriggerFired) == [TriggerFired("t", 0, None, 0)]
    assert (new.node, new.value("g"), new.value("flag"), new.value("n")) == ("b", 55, True, 1)


def test_triggers_see_the_values_before_the_next_node_is_entered():
    # b's entry effects set n = 1; the trigger must not see them this step.
    sc = _with_triggers([{"id": "t", "if": "n >= 1", "effects": {"g": 1}}])
    state, _ = initial_state(sc)
    s1, e1 = ok(step(sc, state, "go"))
    assert not of(e1, TriggerFired) and s1.value("n") == 1
    s2, e2 = ok(step(sc, s1, "back"))
    assert of(e2, TriggerFired) == [TriggerFired("t", 0, None, 1)]


def test_trigger_ids_default_to_their_position():
    sc = _with_triggers([{"if": "false"}, {"if": "true", "once": True}])
    new, events = ok(step(sc, initial_state(sc)[0], "stay"))
    assert of(events, TriggerFired) == [TriggerFired("trigger.2", 1, None, 0)]
    assert new.fired == frozenset({1})


# --------------------------------------------------------------------------
# Rule 5: entering the next node; endings


def test_entering_a_node_applies_its_effects_every_time():
    sc = make(nodes={"a": {"effects": {"g": 3}, "set": {"flag": True},
                           "choices": [{"id": "loop", "text": "x", "goto": "a", "effects": {"flag": False}}]}})
    state, events = initial_state(sc)
    assert state.value("g") == 53
    for turn in range(1, 4):
        state, events = ok(step(sc, state, "loop"))
        assert state.value("g") == 50 + 3 * (turn + 1) and state.value("flag") is True
        node = Cause("node", "a")
        assert events[-3:] == (NodeEntered("a", turn), GaugeChanged("g", 50 + 3 * turn, 53 + 3 * turn, 3, 3, node, turn),
                               VariableChanged("flag", False, True, node, turn))


def test_an_ending_finishes_play():
    sc = make(endings={"end": {"title": "Fin", "tone": "negative", "text": "..."}})
    state, _ = initial_state(sc)
    new, events = ok(step(sc, state, "go"))
    assert events[-1] == EndingReached("end", "negative", 1)
    assert not of(events, NodeEntered)
    assert (new.finished, new.ending, new.node, new.turn) == (True, "end", "end", 1)
    assert visible_choices(sc, new) == []
    for choice in ("go", "anything"):
        assert step(sc, new, choice) == Rejected("play has ended", "finished")


# --------------------------------------------------------------------------
# Rule 6: events name their cause; kinds are stable


def test_a_full_step_lists_every_change_with_its_cause_in_order():
    sc = make(
        nodes={"a": {"choices": [{"id": "go", "text": "x", "effects": {"g": 1},
                                  "outcomes": [{"weight": 1, "effects": {"n": 2}, "goto": "b"}]}]},
               "b": {"effects": {"g": 4}, "choices": [{"text": "x", "goto": "end"}]}},
        triggers=[{"id": "alarm", "if": "n == 2", "effects": {"flag": True}, "once": True}],
    )
    state, _ = initial_state(sc, seed=3)
    _, events = ok(step(sc, state, "go"))
    assert events == (
        ChoiceMade("a", "go", 0),
        GaugeChanged("g", 50, 51, 1, 1, Cause("choice", "a", "go"), 0),
        OutcomeDrawn("a", "go", 0, "b", 0),
        VariableChanged("n", 0, 2, Cause("outcome", "a", "go", outcome=0), 0),
        TriggerFired("alarm", 0, None, 0),
        VariableChanged("flag", False, True, Cause("trigger", "a", "go", trigger="alarm"), 0),
        NodeEntered("b", 1),
        GaugeChanged("g", 51, 55, 4, 4, Cause("node", "b"), 1),
    )


def test_event_kinds_are_stable_ids():
    kinds = {NodeEntered: "node_entered", ChoiceMade: "choice_made", OutcomeDrawn: "outcome_drawn",
             TriggerFired: "trigger_fired", GaugeChanged: "gauge_changed", VariableChanged: "variable_changed",
             EndingReached: "ending_reached"}
    for cls, kind in kinds.items():
        assert cls.kind == kind
    cause = Cause("choice", "a", "go")
    samples = [NodeEntered("a", 0), ChoiceMade("a", "go", 0), OutcomeDrawn("a", "go", 1, "b", 0),
               TriggerFired("t", 0, None, 0), GaugeChanged("g", 1, 2, 1, 1, cause, 0),
               VariableChanged("v", False, True, cause, 0), EndingReached("end", "mixed", 1)]
    for event in samples:
        d = event_to_dict(event)
        assert next(iter(d)) == "kind" and d["kind"] == kinds[type(event)]
        assert json.loads(json.dumps(d)) == d
    assert event_to_dict(samples[4])["cause"] == {"kind": "choice", "node": "a", "choice": "go",
                                                   "outcome": None, "trigger": None}


def test_events_and_states_are_frozen_values():
    sc = make()
    state, events = initial_state(sc)
    with pytest.raises(AttributeError):
        state.node = "b"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        events[0].node = "b"  # type: ignore[misc]
    assert isinstance(state, State) and hash(state) == hash(state._replace())


def test_step_is_pure():
    sc = _with_triggers([{"id": "t", "if": "g >= 60", "once": True, "effects": {"g": 1}}])
    state, _ = initial_state(sc, seed=5)
    first = step(sc, state, "go")
    assert step(sc, state, "go") == first
    assert state == initial_state(sc, seed=5)[0]


def test_texts_show_values_and_the_first_variant_that_holds():
    from game.engine import resolve_text

    sc = make(variables={"flag": False, "n": 2},
              nodes={"a": {"text": [{"if": "n > 5", "text": "beaucoup"}, {"if": "not flag", "text": "n={n}, flag={flag}"},
                                    {"text": "sinon"}],
                           "choices": [{"id": "go", "text": "Go ({g}) { g }", "effects": {"n": 10, "flag": True}, "goto": "a"}]}})
    state, _ = initial_state(sc)
    assert resolve_text(sc, state, sc.nodes["a"].text) == "n=2, flag=false"
    assert resolve_text(sc, state, "{g} % {{g}}") == "50 % {50}"
    assert visible_choices(sc, state)[0].text == "Go (50) { g }"
    state, _ = ok(step(sc, state, "go"))
    assert resolve_text(sc, state, sc.nodes["a"].text) == "beaucoup"
    assert resolve_text(sc, state, []) == ""
