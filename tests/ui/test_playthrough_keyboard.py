"""A whole play-through with the keyboard alone, at 1024x600 with the largest text: every
view (briefing, narrative, SMS, dashboard, video call, feedback, history, pause, settings,
the accessibility panel, debrief), to an ending; on each screen every focusable element
is reached by Tab and shown inside the window when it has focus."""

from __future__ import annotations

import pygame
import pygame_gui

from game.i18n import t
from game.ui import userdata

from .conftest import VIEWS

K = pygame
SIZE = (1024, 600)


def visible_rect(scene, el) -> pygame.Rect:
    """Where `el` shows: its rectangle clipped by the scrolling areas it sits in, if any."""
    r = el.get_abs_rect()
    scrollers = [e for e in scene.manager.get_sprite_group().sprites()
                 if isinstance(e, pygame_gui.elements.UIScrollingContainer)]
    container = getattr(el, "ui_container", None)
    while container is not None:
        for sc in scrollers:
            if sc.get_container() is container:
                r = r.clip(sc.get_abs_rect())
        above = getattr(container, "ui_container", None)
        container = above if above is not container else None
    return r


def assert_focus_shown(p) -> None:
    """What has focus on the top scene is inside the window, whole, and not scrolled away."""
    s = p.scene
    win = pygame.Rect((0, 0), SIZE)
    choices = getattr(s, "choices", None)
    if s.name == "play" and s.report is None and choices is not None and choices.focus >= 0:
        r = choices._screen_rect(choices.items[choices.focus])
        assert choices.rect.contains(r) and win.contains(r), (s.name, r, choices.rect)
        return
    assert 0 <= s.focus < len(s.focusables), f"nothing has focus on {s.name}"
    el = s.focusables[s.focus]
    r, seen = el.get_abs_rect(), visible_rect(s, el)
    assert win.contains(r), (s.name, el.text, r)
    assert seen.height >= r.height * 0.9 and seen.width >= r.width * 0.9, (s.name, el.text, r, seen)


def tab_through(p) -> list[str]:
    """Tab once round the scene's focusables, each shown when it has focus; their texts."""
    s = p.scene
    n = len(s.focusables)
    assert n, f"nothing to reach by keyboard on {s.name}"
    out = []
    for _ in range(n):
        p.key(K.K_TAB)
        assert_focus_shown(p)
        out.append(p.scene.focusables[p.scene.focus].text)
    return out


def focus_on(p, text: str) -> None:
    for _ in range(len(p.scene.focusables) + 1):
        if 0 <= p.scene.focus < len(p.scene.focusables) and p.scene.focusables[p.scene.focus].text == text:
            return
        p.key(K.K_TAB)
    raise AssertionError(f"no {text!r} reached by Tab on {p.scene.name}")


def press(p, text: str) -> None:
    focus_on(p, text)
    assert_focus_shown(p)
    p.key(K.K_RETURN)


def choose(p, n: int) -> None:
    """Arrow down to choice n (from the top), then Enter; each focused choice shown."""
    s = p.scene
    assert s.name == "play" and s.report is None
    while s.choices.focus != n - 1:
        p.key(K.K_DOWN)
        assert_focus_shown(p)
    p.key(K.K_RETURN)


def test_keyboard_only_through_every_view_at_1024x600_with_the_largest_text(make_pilot, home):
    p = make_pilot(size=SIZE, scenario=VIEWS)
    assert p.scene.name == "briefing"
    # the accessibility panel, by its shortcut: the largest text
    p.key(K.K_a, K.KMOD_SHIFT)
    assert p.scene.name == "access"
    reached = tab_through(p)
    assert t("ui.size.xlarge") in reached and t("ui.access.font.opendyslexic") in reached and t("ui.close") in reached
    press(p, t("ui.size.xlarge"))
    assert p.app.ctx.settings.text_size == "xlarge" and p.scene.name == "access"
    tab_through(p)  # still every option reachable and shown once the text is larger
    p.key(K.K_ESCAPE)
    assert p.scene.name == "briefing"
    assert t("ui.briefing.start") in tab_through(p)
    press(p, t("ui.briefing.start"))

    kinds = []
    for n in (1, 1, 2, 1):  # narrative, sms, dashboard, visio
        s = p.scene
        assert s.name == "play" and s.report is None
        kinds.append(s.node.kind)
        win = pygame.Rect((0, 0), SIZE)
        assert win.contains(s.text_box.get_abs_rect()) and win.contains(s.choices.rect) and win.contains(s.stage)
        choose(p, n)
        assert p.scene.report is not None, "a choice with feedback opens the feedback panel"
        assert_focus_shown(p)  # « Continuer » / « Voir le bilan » has the focus
        if kinds[-1] == "sms":
            p.key(K.K_h)  # the history, from the feedback
            assert p.scene.name == "history"
            assert tab_through(p) == [t("ui.close")]
            p.key(K.K_PAGEDOWN)
            p.key(K.K_ESCAPE)
            assert p.scene.name == "play" and p.scene.report is not None
        if kinds[-1] == "dashboard":
            p.key(K.K_ESCAPE)  # the pause menu, its settings, their button to the panel
            assert p.scene.name == "pause"
            tab_through(p)
            press(p, t("ui.pause.settings"))
            assert p.scene.name == "settings"
            assert t("ui.access.open") in tab_through(p)
            press(p, t("ui.access.open"))
            assert p.scene.name == "access"
            p.key(K.K_ESCAPE)
            p.key(K.K_ESCAPE)
            press(p, t("ui.pause.resume"))
            assert p.scene.name == "play" and p.scene.report is not None
        last = p.scene.report.finished
        p.key(K.K_RETURN)
        if last:
            break
    assert kinds == ["narrative", "sms", "dashboard", "visio"]
    assert p.scene.name == "debrief" and p.scene.data.ending_id == "bien"
    reached = tab_through(p)
    assert reached[-3:] == [t("ui.debrief.save"), t("ui.debrief.replay"), t("ui.debrief.another")] or \
        set(reached) >= {t("ui.debrief.save"), t("ui.debrief.replay"), t("ui.debrief.another")}
    assert "bien" in userdata.load_progress(home).found("ui-views")
    assert not any(s.name == "apology" for s in p.app.stack) and p.app.running
