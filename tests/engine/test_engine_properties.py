"""Properties over random valid scenarios played by a random player."""

from __future__ import annotations

from collections import Counter

import yaml
from hypothesis import given, note
from hypothesis import strategies as st

from game.authoring.loader import load_text
from game.engine import (
    GaugeChanged,
    Playthrough,
    Rejected,
    VariableChanged,
    dump_save,
    initial_state,
    load_save,
    load_scenario,
    make_save,
    parse_save,
    replay,
    step,
    visible_choices,
)
from game.engine.model import INT_LIMIT

from tests.engine.strategies import data_picker, gauge_specs, random_play, scenario_dicts

SEEDS = st.integers(-(2**40), 2**40)


def played(data, d=None, seed=None) -> tuple[dict, Playthrough]:
    d = d if d is not None else data.draw(scenario_dicts(), label="scenario")
    seed = seed if seed is not None else data.draw(SEEDS, label="seed")
    pt = random_play(load_scenario(d), seed, data_picker(data))
    note(f"choices={list(pt.choices)!r}")
    return d, pt


@given(st.data())
def test_gauges_stay_within_their_bounds(data):
    d, pt = played(data)
    specs = gauge_specs(d)
    for state in pt.states:
        for name, value in state.gauges.items():
            assert specs[name]["min"] <= value <= specs[name]["max"], (name, value)
        for name, value in state.variables.items():
            assert type(value) is type(d["variables"][name])
            assert isinstance(value, bool) or -INT_LIMIT <= value <= INT_LIMIT
    for event in pt.all_events():
        if isinstance(event, GaugeChanged):
            spec = specs[event.gauge]
            assert spec["min"] <= event.new <= spec["max"]
            assert event.delta == event.new - event.old != 0


@given(st.data())
def test_play_is_deterministic(data):
    d, pt = played(data)
    assert initial_state(load_scenario(d), pt.seed) == (pt.states[0], pt.events[0])
    again = Playthrough.start(load_scenario(d), pt.seed)
    for choice in pt.choices:
        again = again.choose(choice)
    assert again.states == pt.states
    assert again.events == pt.events


@given(st.data())
def test_replaying_the_log_equals_incremental_play(data):
    d, pt = played(data)
    result = replay(load_scenario(d), pt.seed, list(pt.choices))
    assert result.complete and result.stopped_at is None and result.reason is None
    assert result.playthrough == pt
    assert result.playthrough.path == pt.path


@given(st.data())
def test_a_save_round_trip_gives_the_same_state(data):
    d, pt = played(data)
    save = make_save(pt, "0" * 64)
    text = dump_save(save)
    parsed = parse_save(text)
    assert parsed == save
    assert parse_save(text.encode("utf-8")) == save
    loaded = load_save(load_scenario(d), parsed)
    assert loaded.complete
    assert loaded.playthrough.state == pt.state
    assert loaded.playthrough.state.env == pt.state.env
    assert loaded.playthrough == pt


@given(st.data())
def test_undo_then_redo_is_the_original(data):
    d, pt = played(data)
    if not pt.choices:
        assert pt.undo() is pt
        return
    last = pt.choices[-1]
    back = pt.undo()
    assert back.state == pt.states[-2] and back.choices == pt.choices[:-1]
    assert back.choose(last) == pt
    # Undo all the way, then redo every choice.
    start = pt
    for _ in pt.choices:
        start = start.undo()
    assert start.choices == () and start.states == pt.states[:1]
    redone = start
    for choice in pt.choices:
        redone = redone.choose(choice)
    assert redone == pt


@given(st.data())
def test_change_events_add_up_to_the_final_values(data):
    d, pt = played(data)
    specs = gauge_specs(d)
    total: Counter = Counter()
    current = dict(d.get("variables") or {})
    for event in pt.all_events():
        if isinstance(event, GaugeChanged):
            total[event.gauge] += event.delta
        elif isinstance(event, VariableChanged):
            assert current[event.variable] == event.old and type(current[event.variable]) is type(event.old)
            current[event.variable] = event.new
    # The sum of GaugeChanged deltas per gauge is its final value minus its `start`.
    for name, value in pt.state.gauges.items():
        assert total[name] == value - specs[name]["start"], name
    assert current == pt.state.variables


@given(st.data())
def test_refused_choices_leave_play_unchanged(data):
    d, pt = played(data)
    sc = pt.scenario
    state = pt.state
    shown = {c.id: c for c in visible_choices(sc, state)}
    ids = sc.choice_ids(state.node) if state.node in sc.nodes else []
    for cid in ids + ["__nope__"]:
        result = step(sc, state, cid)
        if state.finished:
            assert result == Rejected("play has ended", "finished")
        elif cid not in ids:
            assert isinstance(result, Rejected) and result.code == "unknown"
        elif cid not in shown:
            assert isinstance(result, Rejected) and result.code == "hidden"
        elif not shown[cid].available:
            assert isinstance(result, Rejected) and result.code == "unavailable"
        else:
            assert not isinstance(result, Rejected)
    assert pt.state == state


class _Format1Dumper(yaml.SafeDumper):
    """PyYAML writes YAML 1.1: '08' (no octal there) goes unquoted, and format 1 reads it as the number 8."""


def _text_scalar(dumper, value):
    from game.authoring.loader import _resolve_plain

    style = "'" if _resolve_plain(value) != value or type(_resolve_plain(value)) is not str else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Format1Dumper.add_representer(str, _text_scalar)


@given(scenario_dicts())
def test_a_scenario_dumped_to_yaml_loads_back_equal(d):
    text = yaml.dump(d, Dumper=_Format1Dumper, allow_unicode=True, sort_keys=False)
    loaded = load_text(text, "generated.yaml")
    assert loaded.ok, "\n".join(diag.header() for diag in loaded.diagnostics) + "\n" + text
    assert loaded.scenario == load_scenario(d)
    # Played or not, equal scenarios compare equal.
    initial_state(loaded.scenario)
    assert loaded.scenario == load_scenario(d)
