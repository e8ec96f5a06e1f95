"""What a key press shows is ready before it: the play screen lays out each choice's feedback, the
next node and the debrief while the player reads, and writes the autosave after the frame that shows
the choice. Made ahead or at once, the screen is the same."""

from __future__ import annotations

import pygame
import pytest

from game.ui import userdata
from game.ui.scene import in_pieces

from .conftest import VIEWS

K = pygame


def read_on(p) -> None:
    """The player reads: the loop prepares whatever the next key press may show."""
    while p.app._work_ahead():
        pass


def test_a_choice_shows_the_feedback_laid_out_while_the_player_read(make_pilot):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)  # briefing -> play
    read_on(p)
    s = p.scene
    ahead = list(s._ahead)
    available = [c for c in s.node.choices if c.available]
    assert len(ahead) == len(available) >= 1
    assert all(not part.box.visible and part.box not in s.texts for part in ahead)  # hidden, not scrolled, not said
    p.key(K.K_1)
    assert s.report is not None and s.made_ahead
    html = in_pieces(p.app.ctx.theme.with_signs(s._feedback_html(s.report)))
    assert s.text_box.visible and s.text_box.html_text == html and s.text_box in s.texts
    assert s.text_box.get_abs_rect() == s.card_rect
    assert [b.text for b in p.buttons() if b.text == p.app.ctx.t("ui.play.continue")]
    assert sum(part.box.alive() for part in ahead) == 1  # the other choices' feedback is dropped
    # then the next node, made while the feedback was read
    read_on(p)
    p.key(K.K_RETURN, settle=False)
    assert s.report is None and s.made_ahead and s.node.kind == "sms"
    # its choices ignore clicks for a while from the moment they are seen, not from when they were made
    assert s.text_box.visible and s.choices is not None and s.choices.armed_at > p.app.ctx.now


def test_a_key_pressed_before_anything_was_made_ahead_shows_the_same_screen(make_pilot):
    shown = []
    for prepare in (True, False):
        p = make_pilot(scenario=VIEWS)
        p.key(K.K_RETURN)
        s = p.scene
        if prepare:
            read_on(p)
        else:
            for part in s._ahead:  # pressed at once: nothing is ready
                part.kill()
            s._ahead, s._todo = [], []
        p.key(K.K_1)
        assert s.made_ahead is prepare
        shown.append((s.text_box.html_text, s.text_box.get_abs_rect(), s.card_rect, sorted(b.text for b in p.buttons())))
        p.app.running = False
    assert shown[0] == shown[1]


def test_the_autosave_of_a_choice_is_written_after_the_frame_that_shows_it(make_pilot, home, monkeypatch):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    read_on(p)
    real, when = userdata.write_autosave, []

    def spy(*a, **kw):
        when.append(p.app.draws)
        return real(*a, **kw)

    monkeypatch.setattr(userdata, "write_autosave", spy)
    drawn = p.app.draws
    p.key(K.K_1)
    assert when and when[0] == drawn + 1  # one frame on screen (the feedback), then the save
    assert userdata.read_autosave(home).save.choices == tuple(p.scene.ctl.pt.choices)


def test_a_window_closed_with_the_choice_keeps_it(make_pilot, home):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    s = p.scene
    for kind in (pygame.KEYDOWN, pygame.KEYUP):
        p.post(kind, key=K.K_1, mod=0, unicode="1", scancode=0)
    p.post(pygame.QUIT)
    p.app.step(block=False)
    assert not p.app.running
    assert len(s.ctl.pt.choices) == 1
    assert userdata.read_autosave(home).save.choices == tuple(s.ctl.pt.choices)


def test_the_debrief_is_built_while_the_last_feedback_is_read(make_pilot, monkeypatch):
    from game.ui.scenes.debrief import DebriefScene

    builds = []
    real = DebriefScene.layout
    monkeypatch.setattr(DebriefScene, "layout", lambda self: (builds.append(self), real(self))[1])
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    for k in (K.K_1, K.K_1, K.K_2):
        p.key(k)
        p.key(K.K_RETURN)
    p.key(K.K_1)
    assert p.scene.report is not None and p.scene.report.finished
    read_on(p)
    assert len(builds) == 1
    p.key(K.K_RETURN)
    assert p.scene.name == "debrief" and p.scene is builds[0] and len(builds) == 1
    assert p.scene.data.ending_id == "bien"


@pytest.mark.parametrize("size", [(1280, 720), (1024, 600)])
def test_made_ahead_follows_a_resize(make_pilot, size):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    read_on(p)
    p.resize((1100, 650) if size == (1280, 720) else (1280, 720))
    s = p.scene
    p.key(K.K_1)
    w, h = p.app.ctx.size
    assert s.report is not None and s.text_box.visible
    assert s.text_box.get_abs_rect() == s.card_rect and s.card_rect.right <= w and s.card_rect.bottom <= h
