"""The compiled cache of scenario loads (game/authoring/cache.py).

A hit gives what a fresh load gives; an entry is never trusted blindly (a
corrupt, truncated, stale, foreign or tampered one is ignored and rebuilt);
files with problems are never cached; a cache that cannot be written is no
error.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from game.authoring import cache
from game.authoring.loader import load_file
from game.engine import compiled, initial_state, step, visible_choices
from game.engine.rules import autoplay

SCENARIO = """\
format: 1
id: cache-test
language: fr
title: Cache
gauges:
  relation: {label: Relation, start: 50, good: high}
variables: {relances: 0, nuit: false}
start: soir
nodes:
  soir:
    text: "Relation {relation}, relances {relances}."
    choices:
      - id: repondre
        text: Répondre ({relances})
        effects: {relation: 10, relances: 1, nuit: true}
        goto: soir
      - id: appeler
        text: Appeler
        if: relances >= 2 and not nuit or relation > 55
        goto: fin
endings:
  fin: {title: Fin, text: "Fin, relation {relation}."}
"""


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("PANDORE_CACHE_DIR", str(d))
    return d / "scenarios"


@pytest.fixture
def scenario_file(tmp_path) -> Path:
    p = tmp_path / "fr.yaml"
    p.write_text(SCENARIO, encoding="utf-8")
    return p


def entry(p: Path) -> Path:
    return cache.entry_path(hashlib.sha256(p.read_bytes()).hexdigest())


def play(sc) -> tuple:
    state, _ = initial_state(sc, 7)
    seen = []
    for _ in range(6):
        if state.ending:
            break
        views = visible_choices(sc, state)
        seen.append(views)
        state, events = step(sc, state, views[-1].id)
        seen.append(events)
    return state, seen


def test_a_hit_gives_what_a_fresh_load_gives(cache_dir, scenario_file):
    fresh = load_file(scenario_file)
    first = load_file(scenario_file, cache=True)  # a miss: parsed, then stored
    assert entry(scenario_file).is_file()
    hit = load_file(scenario_file, cache=True)
    assert type(hit.document).__name__ == "_CachedDocument"
    assert hit.ok and hit.diagnostics == [] and hit.path == fresh.path
    assert hit.scenario == fresh.scenario == first.scenario
    assert hit.sha256 == fresh.sha256
    assert hit.document.data == fresh.document.data
    assert hit.document.lines == fresh.document.lines
    path = ("nodes", "soir", "choices", 1, "if")
    assert hit.document.positions.locate(path) == fresh.document.positions.locate(path)
    assert play(hit.scenario) == play(fresh.scenario)
    for seed in range(20):
        pick = lambda n: seed % n  # noqa: E731
        assert autoplay(hit.scenario, seed, pick, max_turns=8) == autoplay(fresh.scenario, seed, pick, max_turns=8)


def test_a_hit_is_compiled_and_ready_to_play(cache_dir, scenario_file):
    load_file(scenario_file, cache=True)
    hit = load_file(scenario_file, cache=True)
    assert hit.scenario.__pydantic_private__["_compiled"] is compiled(hit.scenario)


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage", "empty", "header", "stamp", "not-json"])
def test_a_damaged_entry_is_ignored_and_rebuilt(cache_dir, scenario_file, damage):
    load_file(scenario_file, cache=True)
    e = entry(scenario_file)
    blob = e.read_bytes()
    head, _, payload = blob.partition(b"\n")
    header = json.loads(head)
    if damage == "flip":
        i = len(blob) - 20
        blob = blob[:i] + bytes([blob[i] ^ 1]) + blob[i + 1:]
    elif damage == "truncate":
        blob = blob[: len(blob) // 2]
    elif damage == "garbage":
        blob = b"\x00\xff" * 100
    elif damage == "empty":
        blob = b""
    elif damage == "header":
        blob = json.dumps({**header, "format": 99}).encode() + b"\n" + payload
    elif damage == "stamp":
        blob = json.dumps({**header, "stamp": "0" * 64}).encode() + b"\n" + payload
    elif damage == "not-json":
        bad = b"{not json"
        blob = json.dumps({**header, "size": len(bad), "payload": hashlib.sha256(bad).hexdigest()}).encode() + b"\n" + bad
    e.write_bytes(blob)
    again = load_file(scenario_file, cache=True)
    assert again.ok and type(again.document).__name__ == "Document"  # a full load, not the damaged entry
    assert again.scenario == load_file(scenario_file).scenario
    assert cache.read_entry(hashlib.sha256(scenario_file.read_bytes()).hexdigest()) is not None  # rewritten


def test_an_entry_for_other_bytes_is_not_used(cache_dir, scenario_file, tmp_path):
    load_file(scenario_file, cache=True)
    other = tmp_path / "other.yaml"
    other.write_text(SCENARIO.replace("start: 50", "start: 60"), encoding="utf-8")
    entry(other).parent.mkdir(parents=True, exist_ok=True)
    entry(other).write_bytes(entry(scenario_file).read_bytes())  # the right format, the wrong source hash
    loaded = load_file(other, cache=True)
    assert type(loaded.document).__name__ == "Document"
    assert initial_state(loaded.scenario)[0].gauges == {"relation": 60}


def test_a_tampered_but_well_formed_entry_is_still_validated(cache_dir, scenario_file):
    load_file(scenario_file, cache=True)
    e = entry(scenario_file)
    head, _, payload = e.read_bytes().partition(b"\n")
    body = json.loads(payload)
    body["data"]["nodes"]["soir"]["choices"][0]["effects"] = {"relation": "beaucoup"}  # not a number
    body["forms"] = {k: ["__import__('os').system('true')", []] for k in body["forms"]}
    new = json.dumps(body).encode()
    header = {**json.loads(head), "size": len(new), "payload": hashlib.sha256(new).hexdigest()}
    e.write_bytes(json.dumps(header).encode() + b"\n" + new)
    loaded = load_file(scenario_file, cache=True)  # pydantic refuses the data: a full load
    assert loaded.ok and type(loaded.document).__name__ == "Document"
    assert loaded.scenario == load_file(scenario_file).scenario


def test_forms_that_are_not_expressions_are_compiled_from_source(cache_dir, scenario_file):
    load_file(scenario_file, cache=True)
    e = entry(scenario_file)
    head, _, payload = e.read_bytes().partition(b"\n")
    body = json.loads(payload)
    body["forms"] = {k: ["__import__('os').system('true')", []] for k in body["forms"]}
    new = json.dumps(body).encode()
    header = {**json.loads(head), "size": len(new), "payload": hashlib.sha256(new).hexdigest()}
    e.write_bytes(json.dumps(header).encode() + b"\n" + new)
    hit = load_file(scenario_file, cache=True)
    assert type(hit.document).__name__ == "_CachedDocument"
    assert play(hit.scenario) == play(load_file(scenario_file).scenario)


def test_files_with_problems_are_never_cached(cache_dir, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCENARIO.replace("goto: fin", "goto: fni"), encoding="utf-8")
    for _ in range(2):
        loaded = load_file(bad, cache=True)
        assert not loaded.ok
        assert [str(d) for d in loaded.diagnostics] == [str(d) for d in load_file(bad).diagnostics]
    assert not entry(bad).exists()
    missing = tmp_path / "missing.yaml"
    assert [str(d) for d in load_file(missing, cache=True).diagnostics] == [str(d) for d in load_file(missing).diagnostics]
    assert [str(d) for d in load_file(tmp_path, cache=True).diagnostics] == [str(d) for d in load_file(tmp_path).diagnostics]


def test_an_unwritable_cache_is_no_error(tmp_path, monkeypatch, scenario_file):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("PANDORE_CACHE_DIR", str(blocker))
    for _ in range(2):
        loaded = load_file(scenario_file, cache=True)
        assert loaded.ok and loaded.scenario == load_file(scenario_file).scenario


def test_the_folder_keeps_at_most_max_entries(cache_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    for i in range(6):
        p = tmp_path / f"s{i}.yaml"
        p.write_text(SCENARIO.replace("title: Cache", f"title: Cache {i}"), encoding="utf-8")
        assert load_file(p, cache=True).ok
    assert len(list(cache_dir.glob("*.json"))) == 3


def test_the_gc_is_left_as_it_was(cache_dir, scenario_file):
    import gc

    gc.disable()
    try:
        load_file(scenario_file, cache=True)
        assert not gc.isenabled()
    finally:
        gc.enable()
    load_file(scenario_file, cache=True)
    assert gc.isenabled()
