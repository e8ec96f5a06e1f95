"""The live preview, headless: the file is rewritten on disk and the window follows it."""

from __future__ import annotations

import time

import pygame
import pytest

from game.authoring import library


@pytest.fixture
def preview(home):
    from game.ui.pilot import Pilot
    from game.ui.watch import open_preview

    made = []

    def make(path, size=(1280, 720), lang="fr"):
        p = Pilot(open_preview(str(path), lang=lang, seed=1, size=size, dirs=home))
        made.append(p)
        return p

    yield make
    pygame.time.set_timer(pygame.USEREVENT + 11, 0)


def rewrite(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_preview_shows_the_node_its_choices_and_the_map(preview, scenario_copy):
    p = preview(scenario_copy)
    scene = p.scene
    assert scene.name == "preview"
    shown = scene.shown()
    assert shown["text"].startswith("Le bureau, lundi matin\nLundi, 9 h.")
    assert [c[0] for c in shown["choices"]] == ["sms", "attendre"]
    assert shown["choices"][1][2] is False  # available_if false: shown disabled
    assert {"recit", "fil", "algo", "visio"} <= set(shown["map"])
    assert shown["path"] == ["recit"]
    assert any(g.startswith("Qualité de la relation 50") and "atteignable" in g for g in shown["gauges"])
    assert "surveillé" in shown["status"]


def test_a_saved_edit_reloads_and_keeps_the_position(preview, scenario_copy):
    p = preview(scenario_copy)
    scene = p.scene
    p.key(pygame.K_1)  # "sms" -> fil
    assert scene.shown()["path"] == ["recit", "fil"]
    rewrite(scenario_copy, "Inès, 16 ans, a écrit samedi soir.", "Inès, 16 ans, a écrit dimanche soir.")
    assert scene.poll()
    shown = scene.shown()
    assert "dimanche soir" in shown["text"]
    assert shown["path"] == ["recit", "fil"]
    assert "1 choix rejoué" in shown["status"]


def test_the_watch_timer_picks_up_a_save_within_half_a_second(preview, scenario_copy):
    p = preview(scenario_copy)
    scene = p.scene
    rewrite(scenario_copy, "Lundi, 9 h.", "Mardi, 9 h.")
    t0 = time.perf_counter()
    while "Mardi" not in scene.shown()["text"] and time.perf_counter() - t0 < 3:
        p.app.step(block=True)
    assert "Mardi" in scene.shown()["text"]
    assert time.perf_counter() - t0 < 0.5 + 0.5  # one timer period plus the check, with slack for a busy CI


def test_a_broken_edit_shows_french_diagnostics_and_keeps_the_last_good_version(preview, scenario_copy):
    p = preview(scenario_copy)
    scene = p.scene
    p.key(pygame.K_1)
    rewrite(scenario_copy, "        goto: algo\n", "        goto: algoo\n")
    assert scene.poll()
    shown = scene.shown()
    assert any("P204" in d and "erreur" in d and "«\u00a0algoo\u00a0»" in d for d in shown["diagnostics"]), shown["diagnostics"]
    line = next(i for i, l in enumerate(scenario_copy.read_text(encoding="utf-8").splitlines(), 1) if "algoo" in l)
    assert any(f":{line}:" in d for d in shown["diagnostics"])
    assert "la dernière version correcte reste jouable" in shown["status"]
    # still playable: the last good version
    assert shown["path"] == ["recit", "fil"]
    p.key(pygame.K_1)
    assert scene.shown()["path"] == ["recit", "fil", "algo"]
    p.shot(scenario_copy.parent / "broken.png")
    # fixed: the problems go, play goes on from the same point
    rewrite(scenario_copy, "        goto: algoo\n", "        goto: algo\n")
    assert scene.poll()
    shown = scene.shown()
    assert not [d for d in shown["diagnostics"] if "erreur" in d]
    assert shown["path"] == ["recit", "fil", "algo"]


def test_diagnostics_follow_the_interface_language(preview, scenario_copy):
    rewrite(scenario_copy, "        goto: algo\n", "        goto: algoo\n")
    p = preview(scenario_copy, lang="en")
    shown = p.scene.shown()
    assert any("P204" in d and "error" in d for d in shown["diagnostics"])
    assert p.scene.ctl is None  # nothing loaded yet: only the problems
    assert "does not load" in shown["status"]


def test_clicking_a_node_on_the_map_plays_up_to_it(preview, scenario_copy):
    p = preview(scenario_copy)
    scene = p.scene
    r = scene.map.box_rect("visio")
    p.click(r.center)
    shown = scene.shown()
    assert shown["current"] == "visio"
    assert shown["path"][0] == "recit" and shown["path"][-1] == "visio"


def test_the_current_path_is_drawn_in_the_focus_colour(preview, scenario_copy):
    p = preview(scenario_copy)
    scene = p.scene
    p.key(pygame.K_1)
    p.step()
    a, b = scene.map.box_rect("recit"), scene.map.box_rect("fil")
    focus = scene.ctx.colour("focus")[:3]
    screen = p.app.screen
    # the highlighted border of the current node and the arrow between the two boxes
    assert screen.get_at((b.left, b.centery))[:3] == focus or screen.get_at((b.left + 1, b.centery))[:3] == focus
    mid = ((a.centerx + b.centerx) // 2, (a.bottom + b.top) // 2)
    near = [screen.get_at((mid[0] + dx, mid[1] + dy))[:3] for dx in range(-3, 4) for dy in range(-3, 4)]
    assert focus in near


@pytest.mark.parametrize("entry", library.library(), ids=lambda e: e.id)
def test_every_shipped_scenario_previews_at_the_smallest_window(preview, entry):
    p = preview(entry.file("fr"), size=(1024, 600))
    scene = p.scene
    assert scene.ctl is not None and not [d for d in scene.diagnostics if d.severity == "error"]
    assert scene.lay.overlaps() == []
    assert scene.map.rect.right <= 1024 and scene.map.rect.bottom <= 600
    assert scene.choice_rects, "the choices fit on screen"


def test_the_editor_schema_follows_the_file_when_it_is_set_up(preview, scenario_copy):
    import json

    schema = scenario_copy.with_name("fr.schema.json")
    schema.write_text("{}", encoding="utf-8")
    p = preview(scenario_copy)
    names = json.loads(schema.read_text(encoding="utf-8"))["$defs"]["Choice"]["properties"]["goto"]["enum"]
    assert "visio" in names and "bilan" not in names
    rewrite(scenario_copy, "\nendings:\n", "\n  bilan:\n    text: Un bilan.\n    choices: [{text: Finir, goto: bien}]\nendings:\n")
    assert p.scene.poll()
    names = json.loads(schema.read_text(encoding="utf-8"))["$defs"]["Choice"]["properties"]["goto"]["enum"]
    assert "bilan" in names


def test_an_edit_that_removes_the_choice_played_says_where_the_replay_stops(preview, scenario_copy):
    p = preview(scenario_copy)
    scene = p.scene
    p.key(pygame.K_1)  # "sms"
    rewrite(scenario_copy, "      - id: sms\n", "      - id: lire\n")
    assert scene.poll()
    shown = scene.shown()
    assert shown["path"] == ["recit"]
    assert "le rejeu s’arrête au choix n° 1" in shown["status"]


MAP = """
format: 1
id: carte
language: fr
title: Carte
variables: {vu: false}
start: a
nodes:
  a:
    text: A
    choices:
      - {id: simple, text: Simple, goto: b}
      - {id: cache, text: Caché, if: vu, goto: c}
  b:
    text: B
    choices: [{text: Suite, effects: {vu: true}, goto: c}]
  c:
    text: C
    choices: [{text: Fin, goto: fin}]
endings:
  fin: {title: La fin, text: Fin., tone: positive}
"""


def _line_pixels(surface, a, b, colour, n=60):
    hits = 0
    for k in range(5, n - 5):
        x = round(a[0] + (b[0] - a[0]) * k / n)
        y = round(a[1] + (b[1] - a[1]) * k / n)
        near = {surface.get_at((x + dx, y + dy))[:3] for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
        hits += colour in near
    return hits / (n - 10)


def test_the_map_draws_a_conditional_choice_dashed_and_carries_annotations(make_pilot):
    from game.authoring.layout import layout
    from game.authoring.loader import load_text
    from game.ui.map import MapView

    p = make_pilot(size=(1024, 600))
    ctx = p.app.ctx
    sc = load_text(MAP).scenario
    view = MapView(ctx, pygame.Rect(0, 0, 1000, 580), layout(sc), start="a")
    surface = pygame.Surface((1024, 600))
    view.draw(surface)
    ink = ctx.colour("text")[:3]
    plain = _line_pixels(surface, *view._ends("a", "b"), ink)
    dashed = _line_pixels(surface, *view._ends("a", "c"), ink)
    assert plain > 0.95, plain
    assert 0.3 < dashed < 0.85, dashed
    # per-node annotations (the classroom's counts), drawn in a badge at the box's corner
    view.annotations = {"b": "12"}
    view.draw(surface)
    corner = view.box_rect("b").topright
    assert surface.get_at(corner)[:3] == ctx.colour("accent")[:3]
    # zoom and pan by keyboard, and 0 to fit again
    before = view.box_rect("a")
    view.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_PLUS, mod=0))
    assert view.box_rect("a").width > before.width
    view.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_LEFT, mod=0))
    view.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_0, mod=0))
    assert view.box_rect("a") == before


def test_the_command_line_opens_the_preview(monkeypatch, scenario_copy, tmp_path):
    import game.ui.watch as watch
    from game.cli import main

    calls = []
    monkeypatch.setattr(watch, "run_preview", lambda path, **kw: calls.append((path, kw)) or 0)
    assert main(["preview", str(scenario_copy), "--lang", "en", "--seed", "3"]) == 0
    assert main(["play", str(scenario_copy), "--watch"]) == 0
    assert [c[0] for c in calls] == [str(scenario_copy)] * 2
    assert calls[0][1]["lang"] == "en" and calls[0][1]["seed"] == 3
    broken = tmp_path / "b" / "fr.yaml"
    broken.parent.mkdir()
    broken.write_text("nodes: [\n", encoding="utf-8")
    assert main(["preview", str(broken)]) == 0  # a broken file opens too: its problems are the preview
    assert main(["preview", str(tmp_path / "absent.yaml")]) == 2


def test_a_file_that_is_not_yaml_shows_its_problem_then_the_story_once_fixed(preview, scenario_copy):
    good = scenario_copy.read_text(encoding="utf-8")
    scenario_copy.write_text("nodes: [\n", encoding="utf-8")
    p = preview(scenario_copy)
    scene = p.scene
    shown = scene.shown()
    assert scene.ctl is None and shown["diagnostics"] and "erreur P1" in shown["diagnostics"][0]
    p.shot(scenario_copy.parent / "yaml.png")
    scenario_copy.write_text(good, encoding="utf-8")
    assert scene.poll()
    assert scene.shown()["text"].startswith("Le bureau, lundi matin")
