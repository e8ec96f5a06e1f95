"""The engine's fast paths are the rules, not a variant of them.

- `rules.autoplay` (no events, mutable values) reaches exactly the State
  that `step` reaches by the same choices, and shows the same texts;
- compiled text templates render exactly as `render_text`;
- memoised and stored (`from_form`) expressions compute what a fresh
  `compile_expr` computes, and a stored form that `_emit` could not have
  written is refused;
- reused choice views and the fast event constructors give values equal to
  fresh ones;
- `compiled(..., checked=True)` plays like the checked form.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.engine import (
    ChoiceView,
    ExprError,
    GaugeChanged,
    NodeEntered,
    Rejected,
    Scenario,
    State,
    compile_expr,
    initial_state,
    load_scenario,
    render_text,
    resolve_text,
    step,
    visible_choices,
)
from game.engine import expr as expr_module
from game.engine import rules
from game.engine.rules import autoplay, compiled, expression_forms, renderer

from tests.engine.builders import gauge, make, scenario_data
from tests.engine.strategies import conditions, scenario_dicts


def play_with_step(sc: Scenario, seed: int, pick, max_turns: int) -> tuple[State, list]:
    """The reference: `step` over the offered (visible and available) choices."""
    state, _ = initial_state(sc, seed)
    shown = []
    for _ in range(max_turns):
        if state.ending is not None:
            break
        offered = [v for v in visible_choices(sc, state) if v.available]
        if not offered:
            break
        shown.append((resolve_text(sc, state, sc.nodes[state.node].text), [v.text for v in offered]))
        result = step(sc, state, offered[pick(len(offered))].id)
        assert not isinstance(result, Rejected), result
        state = result[0]
    return state, shown


def picker(picks: list[int]):
    it = iter(picks)
    return lambda n: next(it, 0) % n


@given(data=scenario_dicts(), seed=st.integers(-(2**31), 2**31), picks=st.lists(st.integers(0, 7), max_size=30))
def test_autoplay_reaches_the_state_step_reaches(data, seed, picks):
    sc = load_scenario(data)
    expected, expected_shown = play_with_step(sc, seed, picker(picks), max_turns=25)
    shown: list = []
    got = autoplay(sc, seed, picker(picks), lambda text, choices: shown.append((text, choices)), max_turns=25)
    assert got == expected
    assert (got.names, got.n_gauges) == (expected.names, expected.n_gauges)
    assert shown == expected_shown


def test_autoplay_applies_outcomes_triggers_and_clamping_like_step():
    sc = make(
        gauges={"g": gauge(95, 0, 100)},
        variables={"n": 0, "flag": False},
        triggers=[{"if": "g >= 100", "effects": {"n": 5}, "once": True},
                  {"if": "n > 20", "goto": "end"}],
        nodes={"a": {"effects": {"g": 3}, "text": "g={g} n={n} flag={flag}",
                     "choices": [{"id": "up", "text": "+{g}", "effects": {"g": 10, "n": 1}, "set": {"flag": True},
                                  "goto": "b"},
                                 {"id": "draw", "text": "?", "outcomes": [
                                     {"weight": 2, "effects": {"g": -50}, "goto": "b"},
                                     {"weight": 1.5, "set": {"n": 30}, "goto": "a"}]}]},
               "b": {"set": {"g": 200}, "choices": [{"id": "back", "text": "<", "goto": "a"}]}})
    for seed in range(40):
        for picks in ([0] * 12, [1] * 12, [0, 1] * 6, [1, 0, 0, 1, 1, 0] * 2):
            expected, expected_shown = play_with_step(sc, seed, picker(picks), 12)
            shown: list = []
            got = autoplay(sc, seed, picker(picks), lambda t, c: shown.append((t, c)), max_turns=12)
            assert (got, shown) == (expected, expected_shown)


def test_autoplay_stops_at_a_dead_end_and_at_max_turns():
    sc = make(nodes={"a": {"choices": [{"id": "go", "text": "x", "goto": "b"}]},
                     "b": {"choices": [{"id": "never", "text": "y", "if": "false", "goto": "a"}]}})
    assert autoplay(sc, 0, lambda n: 0) == play_with_step(sc, 0, lambda n: 0, 10)[0]
    loop = make(nodes={"a": {"choices": [{"id": "again", "text": "x", "goto": "a"}]}})
    got = autoplay(loop, 3, lambda n: 0, max_turns=7)
    assert (got.node, got.turn, got.ending) == ("a", 7, None)
    assert got == play_with_step(loop, 3, lambda n: 0, 7)[0]


# --------------------------------------------------------------------------
# Texts

_PIECES = st.sampled_from(["{g}", "{n}", "{flag}", "{unknown}", "{ g }", "{{g}}", "{", "}", "{}", "{0}", "{g",
                           "%s", "é", " ", "x", "{n}{g}", "\\", "{{", "}}"])


@given(parts=st.lists(_PIECES, max_size=8), g=st.integers(0, 100), n=st.integers(-10**9, 10**9),
       flag=st.booleans())
def test_compiled_texts_render_like_render_text(parts, g, n, flag):
    sc = make()
    c = compiled(sc)
    text = "".join(parts)
    values = (g, flag, n)
    assert c.names == ("g", "flag", "n")
    env = dict(zip(c.names, values))
    assert renderer(c, text)(values) == render_text(text, env)
    assert renderer(c, text)(values) == render_text(text, env)  # memoised
    state = State("a", values, names=c.names, n_gauges=1)
    assert resolve_text(sc, state, text) == render_text(text, env)


def test_text_variants_use_the_first_that_holds_and_id_keys_are_never_confused():
    sc = make(variables={"flag": False, "n": 2},
              nodes={"a": {"text": [{"if": "n > 5", "text": "many {n}"}, {"text": "few {n} {flag}"}],
                           "choices": [{"id": "go", "text": "Go", "goto": "end"}]}})
    state, _ = initial_state(sc)
    assert resolve_text(sc, state, sc.nodes["a"].text) == "few 2 false"
    for i in range(50):  # short-lived lists: an id() may come back, the renderer must not
        variants = [{"if": f"n > {i}", "text": "A"}, {"text": f"B{i}"}]
        from game.engine.model import TextVariant

        vs = [TextVariant.model_validate(v) for v in variants]
        assert resolve_text(sc, state, vs) == ("A" if 2 > i else f"B{i}")


# --------------------------------------------------------------------------
# Expressions: memo and stored forms

TYPES = {"a": int, "b": bool, "c": int}


@given(source=conditions(["a", "c"], ["b"]), a=st.integers(-100, 100), b=st.booleans(), c=st.integers(-100, 100))
def test_memoised_and_stored_expressions_compute_the_same(source, a, b, c):
    values = (a, b, c)
    fresh = expr_module._compile_expr(source, TYPES, None, bool)
    memo = compile_expr(source, TYPES)
    assert compile_expr(source, TYPES, {"a": 0, "b": 1, "c": 2}) is memo  # the default index is this one
    stored = expr_module.from_form(source, {"a": 0, "b": 1, "c": 2}, memo.shape, list(memo.params))
    assert fresh.fn(values) == memo.fn(values) == stored.fn(values)
    assert fresh.names == memo.names == stored.names


@pytest.mark.parametrize("shape, params", [
    ("__import__('os')", []), ("v[p0].real", [0]), ("p0(p1)", [1, 2]), ("v[p1]", [0]), ("v[p0]", [7]),
    ("(p0 * p1 * p2 * p3 * p4)", [1, 2, 3, 4, 5]), ("(p0", [1]), ("p0)", [1]), ("(p0 > )", [1]),
    ("p0 p1", [1, 2]), ("()", []), ("(v[p0] > p1)", [0, 10**10]), ("(v[p0] > p1)", [0, "x"]),
    ("(v[p0] > p1)", [True, 1]), ("(v[p0] > p0)", [0]), ("(v[p0] > p1)", [0]), ("lambda: 1", []),
    ("(v[p0] > p1) and (v[p2] < p3)", "0123"),
])
def test_a_stored_form_emit_could_not_have_written_is_refused(shape, params):
    with pytest.raises(ExprError):
        expr_module.from_form("a > 1", {"a": 0, "b": 1, "c": 2}, shape, params)


def test_a_refused_form_falls_back_to_compiling_the_source():
    sc = make(nodes={"a": {"choices": [{"id": "go", "text": "x", "if": "n > 1", "goto": "end"},
                                       {"id": "stay", "text": "y", "goto": "a"}]}})
    forms = expression_forms(sc)
    assert set(forms) == {"n > 1"}
    other = load_scenario(scenario_data(nodes=sc.model_dump(by_alias=True)["nodes"]))
    c = compiled(other, checked=True, forms={"n > 1": ["(v[p0] < p1)", [2, 1]]})  # a lie: "n < 1"
    # the lie passes the shape checks (it is a form _emit writes), so it is used:
    # forms are only ever given by the cache, whose entries are hashed
    assert c.nodes["a"].choices[0].visible((50, False, 0)) is True
    third = load_scenario(scenario_data(nodes=sc.model_dump(by_alias=True)["nodes"]))
    c = compiled(third, checked=True, forms={"n > 1": ["__import__('os')", []]})
    assert c.nodes["a"].choices[0].visible((50, False, 0)) is False
    assert c.nodes["a"].choices[0].visible((50, False, 2)) is True


# --------------------------------------------------------------------------
# Reused views, fast constructors, checked compile


def test_reused_choice_views_follow_the_values():
    sc = make(variables={"n": 0, "flag": False},
              nodes={"a": {"choices": [{"id": "more", "text": "n={n}", "effects": {"n": 1}, "goto": "a"},
                                       {"id": "gated", "text": "g", "available_if": "n >= 2",
                                        "unavailable_hint": "need {n} >= 2", "goto": "end"}]}})
    state, _ = initial_state(sc)
    for n in range(4):
        views = visible_choices(sc, state)
        assert views == [ChoiceView("more", 0, f"n={n}", True, None),
                         ChoiceView("gated", 1, "g", n >= 2, None if n >= 2 else f"need {n} >= 2")]
        assert visible_choices(sc, state) == views
        state = step(sc, state, "more")[0]


def test_fast_event_constructors_make_equal_events():
    cause = rules.Cause("node", "a")
    assert rules._GaugeChanged("g", 1, 2, 1, 1, cause, 3) == GaugeChanged("g", 1, 2, 1, 1, cause, 3)
    assert type(rules._NodeEntered("a", 1)) is NodeEntered
    assert hash(rules._NodeEntered("a", 1)) == hash(NodeEntered("a", 1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        rules._NodeEntered("a", 1).turn = 2

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        x: int

        def __post_init__(self):
            if self.x < 0:
                raise ValueError

    assert rules._maker(Checked, ("x",)) is Checked  # __post_init__ must run: no shortcut
    assert rules._maker(NodeEntered, ("node",)) is NodeEntered  # fields differ: no shortcut


def test_state_and_views_keep_their_dataclass_behaviour():
    s = State("a", (1, 2), 3, 4, frozenset({1}), None, ("x", "y"), 1)
    assert dataclasses.replace(s, turn=9) == State("a", (1, 2), 9, 4, frozenset({1}), None)
    assert s == State("a", (1, 2), 3, 4, frozenset({1}))  # names and n_gauges are not compared
    assert s.gauges == {"x": 1} and s.variables == {"y": 2}
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.turn = 1
    assert repr(ChoiceView("a", 0, "t", True, None)) == "ChoiceView(id='a', index=0, text='t', available=True, hint=None)"


@given(data=scenario_dicts(), seed=st.integers(0, 2**31), picks=st.lists(st.integers(0, 7), max_size=20))
def test_a_form_compiled_without_checks_plays_like_the_checked_one(data, seed, picks):
    checked = load_scenario(data)
    trusted = Scenario.model_validate(data)
    compiled(trusted, checked=True, forms=expression_forms(checked))
    a = autoplay(checked, seed, picker(picks), max_turns=20)
    b = autoplay(trusted, seed, picker(picks), max_turns=20)
    assert a == b
