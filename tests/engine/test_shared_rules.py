"""One compiled `Rules` value shared by threads, as the classroom host shares it."""

from __future__ import annotations

import random
import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import Rejected, Rules, load_scenario

from tests.engine.builders import make
from tests.engine.strategies import LIMITS, NEAR_LIMITS, scenario_dicts


def _playthrough(rules: Rules, seed: int) -> list:
    """A seeded random playthrough: every state and event, and every refusal met on the way."""
    rng = random.Random(seed)
    state, events = rules.start(seed)
    out = [(state, events)]
    for _ in range(40):
        if state.ending is not None:
            break
        shown = rules.choices(state)
        out.append(("shown", shown, rules.text(state)))
        if not shown:
            break
        pick = rng.choice(shown)
        result = rules.step(state, pick.id)
        out.append(result)
        if isinstance(result, Rejected):
            continue  # a disabled choice: refused, state unchanged
        state = result[0]
    return out


@settings(max_examples=15, deadline=None)
@given(data=scenario_dicts(), seeds=st.lists(st.integers(0, 10**6), min_size=8, max_size=8))
def test_eight_threads_on_one_rules_value_get_the_single_thread_results(data, seeds):
    rules = Rules.compile(load_scenario(data))
    expected = [_playthrough(rules, s) for s in seeds]
    got: list = [None] * len(seeds)
    barrier = threading.Barrier(len(seeds))

    def run(i: int) -> None:
        barrier.wait()  # all at once
        runs = [_playthrough(rules, seeds[i]) for _ in range(20)]
        got[i] = runs

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(seeds))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for i, runs in enumerate(got):
        assert runs is not None
        for r in runs:
            assert r == expected[i]


def test_rules_hold_no_state_that_play_changes():
    rules = Rules.compile(make(nodes={"a": {"text": "g = {g}", "choices": [{"id": "go", "text": "Go {n}",
                                                                        "effects": {"g": 5}, "goto": "end"}]}}))
    before = repr(rules)
    state, _ = rules.start(1)
    for _ in range(3):
        rules.choices(state)
        rules.text(state)
        rules.step(state, "go")
    assert repr(rules) == before


@given(start=st.sampled_from(NEAR_LIMITS), effect=st.sampled_from(LIMITS), assign=st.booleans())
def test_int_variables_are_clamped_to_a_billion(start, effect, assign):
    change = {"set": {"n": effect}} if assign else {"effects": {"n": effect}}
    sc = make(variables={"flag": False, "n": start},
              nodes={"a": {"choices": [{"id": "go", "text": "x", "goto": "end", **change}]}})
    state, _ = Rules.compile(sc).start(0)
    new, events = Rules.compile(sc).step(state, "go")
    want = effect if assign else max(-(10**9), min(10**9, start + effect))
    assert new.value("n") == want and abs(new.value("n")) <= 10**9
    moved = [e for e in events if e.kind == "variable_changed"]
    assert [(e.old, e.new) for e in moved] == ([(start, want)] if want != start else [])
