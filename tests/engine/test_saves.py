"""Saves (the choice log) and replay: round trips, damaged files, edited scenarios."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.engine import (
    Playthrough,
    Rejected,
    SaveData,
    SaveError,
    dump_save,
    load_save,
    make_save,
    parse_save,
    replay,
)
from game.engine.replay import SAVE_FORMAT

from tests.engine.builders import make

SHA = "ab" * 32


def story(**overrides):
    """a -(go)-> b -(on|draw)-> c -(fin)-> end, with a loop at b."""
    nodes = {
        "a": {"effects": {"g": 1}, "choices": [{"id": "go", "text": "Go", "effects": {"g": 5}, "goto": "b"}]},
        "b": {"choices": [{"id": "on", "text": "On", "goto": "c"},
                          {"id": "draw", "text": "Draw", "outcomes": [{"weight": 1, "goto": "c"}, {"weight": 2, "goto": "b"}]},
                          {"id": "wait", "text": "Wait", "effects": {"n": 1}, "goto": "b"}]},
        "c": {"choices": [{"id": "fin", "text": "Fin", "goto": "end"}]},
    }
    return make(nodes=overrides.pop("nodes", nodes), **overrides)


def play(sc, seed, choices):
    pt = Playthrough.start(sc, seed)
    for c in choices:
        pt = pt.choose(c)
        assert isinstance(pt, Playthrough), (c, pt)
    return pt


def valid_save(**changes) -> dict:
    data = {"format": SAVE_FORMAT, "scenario_id": "test", "scenario_sha256": SHA, "language": "fr",
            "seed": 7, "choices": ["go", "wait", "on"]}
    data.update(changes)
    return data


def test_a_save_is_the_choice_log():
    pt = play(story(), 7, ["go", "wait", "on"])
    save = make_save(pt, SHA)
    assert save == SaveData(format=1, scenario_id="test", scenario_sha256=SHA, language="fr", seed=7,
                            choices=("go", "wait", "on"))
    text = dump_save(save)
    assert text.endswith("\n")
    assert json.loads(text) == valid_save()
    assert parse_save(text) == save
    loaded = load_save(story(), parse_save(text))
    assert loaded.complete and loaded.playthrough == pt


def test_saves_keep_non_ascii_readable():
    sc = story(title="Un SMS à 23 h", id="sms-mineur")
    text = dump_save(make_save(Playthrough.start(sc), SHA))
    assert '"sms-mineur"' in text and "\\u" not in text


# --------------------------------------------------------------------------
# Damaged saves: a SaveError with a readable message, never another exception


@pytest.mark.parametrize("text, words", [
    ("", "not valid JSON"),
    ("{", "not valid JSON"),
    ("{'format': 1}", "not valid JSON"),
    ("\x00\x01", "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not valid JSON"),
    (b"\xc3\x28", "not valid JSON"),
    ("[1, 2]", "not a JSON object"),
    ('"text"', "not a JSON object"),
    ("null", "not a JSON object"),
    ("[" * 100_000, "not valid JSON"),
    ('{"a": ' * 100_000, "not valid JSON"),
])
def test_invalid_json_is_a_save_error(text, words):
    with pytest.raises(SaveError) as info:
        parse_save(text)
    assert words in str(info.value)


@pytest.mark.parametrize("fmt", [0, 2, 99, "1", None, [1], 1.5, True])
def test_a_wrong_format_number_is_a_save_error(fmt):
    with pytest.raises(SaveError) as info:
        parse_save(json.dumps(valid_save(format=fmt)))
    message = str(info.value)
    assert "format" in message


def test_a_missing_format_is_a_save_error():
    data = valid_save()
    del data["format"]
    with pytest.raises(SaveError, match="format"):
        parse_save(json.dumps(data))


@pytest.mark.parametrize("field", ["scenario_id", "scenario_sha256", "language", "seed", "choices"])
def test_missing_fields_are_named(field):
    data = valid_save()
    del data[field]
    with pytest.raises(SaveError) as info:
        parse_save(json.dumps(data))
    assert field in str(info.value) and "damaged" in str(info.value)


@pytest.mark.parametrize("field, value", [
    ("seed", "7"), ("seed", 7.5), ("seed", True), ("seed", None),
    ("choices", "go,wait"), ("choices", [1, 2]), ("choices", [None]), ("choices", {"0": "go"}),
    ("scenario_id", 3), ("language", ["fr"]), ("scenario_sha256", None),
])
def test_wrong_types_are_named(field, value):
    with pytest.raises(SaveError) as info:
        parse_save(json.dumps(valid_save(**{field: value})))
    assert field in str(info.value)


def test_unknown_fields_are_refused():
    with pytest.raises(SaveError, match="cheat"):
        parse_save(json.dumps(valid_save(cheat=True)))


@given(st.one_of(st.text(max_size=60), st.binary(max_size=60),
                 st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                              lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                              max_leaves=10).map(json.dumps)))
def test_any_input_gives_a_save_or_a_save_error(text):
    try:
        save = parse_save(text)
    except SaveError as e:
        assert str(e)
    else:
        assert isinstance(save, SaveData)


# --------------------------------------------------------------------------
# Loading against a scenario


def test_a_save_of_another_scenario_is_refused():
    save = parse_save(json.dumps(valid_save(scenario_id="autre")))
    with pytest.raises(SaveError) as info:
        load_save(story(), save)
    assert "'autre'" in str(info.value) and "'test'" in str(info.value)


def test_replay_after_a_removed_choice_stops_there_with_a_reason():
    log = ["go", "wait", "on", "fin"]
    original = play(story(), 3, log)
    assert original.state.ending == "end"
    edited = story(nodes={
        "a": {"effects": {"g": 1}, "choices": [{"id": "go", "text": "Go", "effects": {"g": 5}, "goto": "b"}]},
        "b": {"choices": [{"id": "on", "text": "On", "goto": "c"},
                          {"id": "patience", "text": "Wait", "effects": {"n": 1}, "goto": "b"}]},
        "c": {"choices": [{"id": "fin", "text": "Fin", "goto": "end"}]},
    })
    result = replay(edited, 3, log)
    assert not result.complete
    assert result.stopped_at == 1
    assert "'wait'" in result.reason and "choice 2" in result.reason
    assert result.playthrough.choices == ("go",)
    assert result.playthrough.state.node == "b" and result.playthrough.state.gauges == {"g": 56}
    # Through a save, the same.
    loaded = load_save(edited, parse_save(dump_save(make_save(original, SHA))))
    assert (loaded.stopped_at, loaded.reason) == (1, result.reason)


def test_replay_stops_at_a_choice_that_became_hidden_or_unavailable():
    hidden = story(nodes={
        "a": {"choices": [{"id": "go", "text": "Go", "goto": "b"}]},
        "b": {"choices": [{"id": "wait", "text": "Wait", "if": "n < 1", "effects": {"n": 1}, "goto": "b"},
                          {"id": "on", "text": "On", "available_if": "n >= 2", "goto": "c"}]},
        "c": {"choices": [{"id": "fin", "text": "Fin", "goto": "end"}]},
    })
    result = replay(hidden, 0, ["go", "wait", "wait"])
    assert (result.stopped_at, result.playthrough.choices) == (2, ("go", "wait"))
    assert "hidden" in result.reason
    result = replay(hidden, 0, ["go", "on"])
    assert result.stopped_at == 1 and "not available" in result.reason


def test_replay_stops_at_a_choice_after_the_end():
    result = replay(story(), 0, ["go", "on", "fin", "fin"])
    assert result.stopped_at == 3 and "ended" in result.reason
    assert result.playthrough.state.ending == "end"


@given(seed=st.integers(0, 10_000), other=st.integers(0, 10_000))
def test_a_log_replayed_with_another_seed_goes_as_far_as_it_applies(seed, other):
    # The draws at b depend on the seed: with another one, the same log may
    # leave b earlier or later, and replay stops (with a reason) where it no longer fits.
    log = ["go"] + ["draw"] * 4 + ["fin"]
    result = replay(story(), other, log)
    pt = result.playthrough
    if result.complete:
        assert pt.choices == tuple(log)
    else:
        i = result.stopped_at
        assert pt.choices == tuple(log[:i]) and f"'{log[i]}'" in result.reason
        assert isinstance(pt.choose(log[i]), Rejected)
    assert replay(story(), seed, log).playthrough.seed == seed


def test_an_empty_log_replays_to_the_start():
    result = replay(story(), 5, [])
    assert result.complete and result.playthrough.choices == () and result.playthrough.state.turn == 0
    assert result.playthrough.state.gauges == {"g": 51}
