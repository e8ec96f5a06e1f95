"""Defects a trainee met in the window (issue 17), each checked on what the trainee sees or can do."""

from __future__ import annotations

import pygame
import pytest

from game.i18n import t
from game.ui.theme import contrast_ratio

from .conftest import VIEWS

K = pygame


def run_frames(p, seconds: float, fps: int = 60) -> None:
    """Step the loop as the real one does: the clock moves one frame at a time."""
    for _ in range(int(seconds * fps)):
        p.app.ctx.now += 1 / fps
        p.app.step(block=False)


def to_sms(p):
    p.key(K.K_RETURN)  # briefing -> play
    p.key(K.K_1)  # read the messages
    p.key(K.K_RETURN)  # feedback -> the SMS node
    assert p.scene.node.kind == "sms"


# ---- 1. the last SMS is fully drawn; no stale delta chips ---------------------------------------------

def test_last_sms_is_as_readable_as_the_others(make_pilot):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    p.key(K.K_1)
    p.post(K.KEYDOWN, key=K.K_RETURN, mod=0, unicode="\r", scancode=0)
    p.post(K.KEYUP, key=K.K_RETURN, mod=0, unicode="\r", scancode=0)
    p.app.step(block=False)
    run_frames(p, 6)  # the arrivals, then nothing happens
    view = p.scene.view
    assert not p.app.animating
    screen = p.app.screen
    last, sent = view.drawn[-1]
    assert not sent and view.thread_rect.contains(last)
    bg = p.app.ctx.colour("bubble_in")[:3]
    assert tuple(screen.get_at((last.x + 3, last.centery)))[:3] == bg  # not blended into the screen behind


def test_delta_chips_leave_with_the_feedback_even_with_reduced_motion(make_pilot, home):
    from game.ui import userdata

    userdata.save_settings(home, userdata.load_settings(home).with_(reduced_motion=True))
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    p.key(K.K_1)
    assert p.scene.report is not None
    assert p.scene.hud.chips  # the choice's effects, beside the feedback
    p.key(K.K_RETURN)
    assert p.scene.report is None
    assert not p.scene.hud.chips  # the new node has not moved anything yet


def test_expired_chips_are_redrawn_away(make_pilot):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    p.key(K.K_1)
    run_frames(p, 4)
    assert not p.app.animating
    assert not p.scene.hud.chips


# ---- 2. a held Enter or a double click never acts on the next screen unseen ----------------------------

def test_held_enter_on_see_debrief_stays_on_the_debrief(make_pilot):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    for k in (K.K_1, K.K_1, K.K_2, K.K_1):
        p.key(k)
        if p.scene.name == "play" and p.scene.report is not None and not p.scene.report.finished:
            p.key(K.K_RETURN)
    assert p.scene.name == "play" and p.scene.report.finished
    p.post(K.KEYDOWN, key=K.K_RETURN, mod=0, unicode="\r", scancode=0)  # « Voir le bilan »
    p.step(2)
    assert p.scene.name == "debrief"
    for _ in range(3):  # the key is still down: the system repeats it
        p.post(K.KEYDOWN, key=K.K_RETURN, mod=0, unicode="\r", scancode=0)
        p.step(2)
    assert p.scene.name == "debrief"
    p.post(K.KEYUP, key=K.K_RETURN, mod=0, unicode="\r", scancode=0)
    p.step()
    assert p.scene.name == "debrief"


def test_double_click_on_continue_does_not_pick_a_choice(make_pilot):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    p.key(K.K_1)
    assert p.scene.report is not None
    b = p.button(t("ui.play.continue"))
    pos = b.get_abs_rect().center
    turn = p.scene.ctl.turn
    for _ in range(2):  # two clicks in quick succession
        p.post(K.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False)
        p.step()
        p.post(K.MOUSEBUTTONUP, pos=pos, button=1, touch=False)
        p.step()
    assert p.scene.report is None and p.scene.ctl.turn == turn  # on the next node, nothing chosen


# ---- 3. the dashboard card is drawn at its size, never shrunk -------------------------------------------

def _dashboard(make_pilot, home, size, text_size):
    from game.ui import userdata

    userdata.save_settings(home, userdata.load_settings(home).with_(text_size=text_size))
    p = make_pilot(scenario=VIEWS, size=size)
    p.key(K.K_RETURN)
    for k in (K.K_1, K.K_RETURN, K.K_1, K.K_RETURN):
        p.key(k)
    assert p.scene.view.__class__.__name__ == "DashboardView"
    return p


def test_dashboard_text_grows_with_the_text_size(make_pilot, home):
    normal = _dashboard(make_pilot, home, (1024, 600), "normal").scene.view
    n_h, n_font = normal.card.get_height(), normal.ctx.metrics["small"]
    p = _dashboard(make_pilot, home, (1024, 600), "xlarge")
    big = p.scene.view
    assert big.ctx.metrics["small"] > n_font
    assert big.card.get_height() > n_h  # drawn at its size: bigger text, a bigger card
    assert big.max_scroll > 0  # it does not fit: it scrolls, by keyboard too
    p.key(K.K_PAGEDOWN)
    assert big.scroll > 0
    assert p.scene.ctl.turn == 2  # scrolling chose nothing


# ---- 4. the phone: more of the thread, scrolled by keyboard, SMS in the history ----------------------

def test_phone_thread_scrolls_by_keyboard_and_shows_its_bar(make_pilot, home):
    from game.ui import userdata

    userdata.save_settings(home, userdata.load_settings(home).with_(text_size="xlarge"))
    p = make_pilot(scenario=VIEWS, size=(1024, 600))
    to_sms(p)
    view = p.scene.view
    assert view.overflow > 0
    first = view.drawn[0][0]
    assert not view.thread_rect.contains(first)  # the oldest message is above
    for _ in range(8):  # a page is three quarters of the thread: a few pages up
        p.key(K.K_PAGEUP)
    assert view.thread_rect.top <= view.drawn[0][0].top  # scrolled back to it
    assert p.scene.ctl.turn == 1  # scrolling chose nothing


def test_history_has_the_sms_and_stops_at_the_feedback(make_pilot):
    p = make_pilot(scenario=VIEWS)
    to_sms(p)
    p.key(K.K_1)  # answer: the feedback panel
    assert p.scene.report is not None
    p.key(K.K_h)
    assert p.scene.name == "history"
    html = p.scene.tb.html_text
    assert "je sais pas quoi faire" in html  # Inès's messages are in the history
    assert "recommande un parcours autonome" not in html and t("ui.history.now") not in html  # the next node is not seen yet


# ---- 5. the keyboard: Space on a choice, the debrief's Tab order, Esc on the title ---------------------

def test_space_makes_the_focused_choice(make_pilot):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    p.key(K.K_DOWN)
    p.key(K.K_SPACE)
    assert p.scene.report is not None


def test_debrief_tab_order_reads_left_to_right(make_pilot):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    for k in (K.K_1, K.K_1, K.K_2, K.K_1):
        p.key(k)
        if p.scene.name == "play" and p.scene.report is not None:
            p.key(K.K_RETURN)
    assert p.scene.name == "debrief"
    s = p.scene
    assert s.focusables[s.focus].text == t("ui.debrief.another")  # the default stays the primary button
    xs = [b.get_abs_rect().x for b in s.focusables[-3:]]
    assert xs == sorted(xs)


def test_esc_on_the_title_goes_to_quit(make_pilot):
    p = make_pilot()
    p.key(K.K_ESCAPE)
    s = p.scene
    assert s.name == "title" and s.focusables[s.focus].text == t("ui.title.quit")
    p.key(K.K_RETURN)
    assert not p.app.running


# ---- 7. the first window fits the screen -------------------------------------------------------------

@pytest.mark.parametrize("desktop", [(1024, 600), (1366, 768), (1280, 720), (1920, 1080)])
def test_first_window_fits_the_screen(desktop):
    from game.ui.loop import MIN_SIZE, first_size

    w, h = first_size(desktop)
    assert w <= desktop[0] and h <= desktop[1]
    assert w >= MIN_SIZE[0] and h >= MIN_SIZE[1]
    if desktop == (1366, 768):
        assert h <= 768 - 48 - 20  # room for a taskbar and the title bar
    if desktop == (1920, 1080):
        assert (w, h) == (1280, 720)


# ---- 9. switching language on a feedback panel switches all of it ------------------------------------

def test_feedback_panel_follows_the_language(make_pilot):
    from pathlib import Path

    fr = Path(__file__).resolve().parents[2] / "scenarios" / "algorithme-orientation" / "fr.yaml"
    p = make_pilot(scenario=fr)
    p.key(K.K_RETURN)
    for _ in range(6):  # the first choice that has something to say
        p.key(K.K_1)
        if p.scene.report is not None:
            break
    s = p.scene
    assert s.report is not None
    before = s.report
    p.app.apply_settings(p.app.ctx.settings.with_(language="en"))
    p.step(2)
    s = p.scene
    assert s.ctl.lang == "en"
    assert s.report == s.ctl.report(s.ctl.turn - 1)  # the panel shows the English report
    assert s.report.choice_text != before.choice_text or s.report.feedback != before.feedback


# ---- 11. borders of choices and cards are visible (WCAG 1.4.11: 3:1) -------------------------------------

@pytest.mark.parametrize("name", ["default", "high-contrast"])
def test_choice_and_card_borders_reach_3_to_1(name):
    from game.ui.theme import load_theme

    th = load_theme(name)
    for border, behind in (("button_border", "button_bg"), ("button_border", "bg"), ("border", "card_bg"),
                           ("border", "bg"), ("border", "surface")):
        assert contrast_ratio(th[border], th[behind]) >= 3.0, (name, border, behind)
