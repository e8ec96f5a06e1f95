"""The map's layered layout: every shipped scenario without overlapping boxes, fast, edges typed."""

from __future__ import annotations

import time

import pytest

from game.authoring import library
from game.authoring.layout import BOX_H, choices_to, edges_of, layout
from game.authoring.loader import load_file, load_text

ENTRIES = library.library()


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_every_shipped_scenario_is_laid_out_without_overlaps(entry):
    sc = load_file(entry.file("fr")).scenario
    t0 = time.perf_counter()
    lay = layout(sc)
    assert time.perf_counter() - t0 < 0.2
    assert set(lay.boxes) == set(sc.nodes) | set(sc.endings)
    assert lay.overlaps() == []
    boxes = list(lay.boxes.values())
    for i, a in enumerate(boxes):  # checked here without the helper too
        for b in boxes[i + 1:]:
            assert a.x + 200 <= b.x or b.x + 200 <= a.x or a.y + BOX_H <= b.y or b.y + BOX_H <= a.y, (a.id, b.id)
    assert lay.boxes[sc.start].layer == 0


SMALL = """
format: 1
id: petit
language: fr
title: Petit
variables: {vu: false}
start: a
nodes:
  a:
    text: Début du récit, assez long pour être coupé en quelques mots seulement.
    choices:
      - {id: simple, text: Simple, goto: b}
      - {id: cache, text: Caché, if: vu, goto: c}
      - {id: grise, text: Grisé, available_if: "workload > 90", unavailable_hint: Non, goto: c}
      - id: tirage
        text: Tirage
        outcomes: [{weight: 1, goto: b}, {weight: 1, goto: fin}]
  b:
    text: B
    choices: [{text: Suite, effects: {vu: true}, goto: c}]
  c:
    text: C
    choices: [{text: Fin, goto: fin}]
endings:
  fin: {title: La fin, text: Fin., tone: positive}
"""


def test_edges_say_how_each_choice_is_drawn():
    sc = load_text(SMALL).scenario
    kinds = {(e.choice, e.target): e.kind for e in edges_of(sc)}
    assert kinds[("simple", "b")] == "choice"
    assert kinds[("cache", "c")] == "if"
    assert kinds[("grise", "c")] == "available_if"
    assert kinds[("tirage", "fin")] == "outcome"
    lay = layout(sc)
    assert [lay.boxes[n].layer for n in ("a", "b", "c", "fin")] == [0, 1, 1, 1]
    assert lay.boxes["a"].label.endswith("…") and len(lay.boxes["a"].label) <= 60


def test_choices_to_finds_the_shortest_playable_way():
    loaded = load_text(SMALL)
    assert choices_to(loaded.rules, 0, "a") == []
    assert choices_to(loaded.rules, 0, "c") == ["simple", "b.1"]  # "cache" is hidden, "grise" disabled
    assert choices_to(loaded.rules, 0, "nowhere") is None


def test_graph_marks_conditional_and_disable_able_choices():
    from game.authoring.graph import to_dot, to_mermaid

    sc = load_text(SMALL).scenario
    dot = to_dot(sc)
    assert '"a" -> "c" [label="[si vu] Caché", style=dotted];' in dot
    assert '"a" -> "c" [label="[grisé sauf si workload > 90] Grisé", style=dotted, arrowhead=empty];' in dot
    assert '"a" -> "b" [label="Simple"];' in dot
    assert '|"[si vu] Caché"|' in to_mermaid(sc)
