"""A whole play-through with the mouse alone, at 1024x600 with the largest text: the
accessibility panel opened from the settings (no shortcut), every view (briefing, narrative,
SMS, dashboard, video call, feedback, history, pause, settings, debrief) to an ending; every
button clicked shows whole inside the window, every choice inside its list."""

from __future__ import annotations

import pygame

from game.i18n import t
from game.ui import userdata

from .conftest import VIEWS

SIZE = (1024, 600)
WIN = pygame.Rect((0, 0), SIZE)


def click(p, text: str) -> None:
    b = p.button(text)
    r = b.get_abs_rect()
    assert WIN.contains(r), (p.scene.name, text, r)
    assert b.hover_point(*r.center), f"{text!r} on {p.scene.name} is covered or scrolled away"
    p.click(r.center)


def click_choice(p, n: int) -> None:
    s = p.scene
    ch = s.choices
    r = ch._screen_rect(ch.items[n - 1])
    for _ in range(20):  # the wheel brings a choice below the fold into view
        if ch.rect.contains(r):
            break
        pygame.mouse.set_pos(ch.rect.center)
        p.post(pygame.MOUSEWHEEL, x=0, y=-1, flipped=False, precise_x=0.0, precise_y=-1.0, touch=False)
        p.step(2)
        r = ch._screen_rect(ch.items[n - 1])
    assert ch.rect.contains(r) and WIN.contains(r), (r, ch.rect)
    p.click(r.center)


def test_mouse_only_through_every_view_at_1024x600_with_the_largest_text(make_pilot, home):
    p = make_pilot(size=SIZE, scenario=VIEWS)
    assert p.scene.name == "briefing"
    click(p, t("ui.briefing.start"))
    assert p.scene.name == "play"
    # the menu, the settings, the panel: the largest text, by mouse
    click(p, t("ui.play.menu"))
    assert p.scene.name == "pause"
    click(p, t("ui.pause.settings"))
    assert p.scene.name == "settings"
    click(p, t("ui.access.open"))
    assert p.scene.name == "access"
    click(p, t("ui.size.xlarge"))
    assert p.app.ctx.settings.text_size == "xlarge"
    click(p, t("ui.close"))
    assert p.scene.name == "settings"
    click(p, t("ui.close"))
    click(p, t("ui.pause.resume"))
    assert p.scene.name == "play" and p.app.ctx.metrics["body"] >= 22  # 19 px at 1280x720 in « Normal »

    kinds = []
    for n in (2, 1, 1, 2):  # narrative (its 2nd choice is unavailable: a click there does nothing), sms, ...
        s = p.scene
        assert s.name == "play" and s.report is None
        kinds.append(s.node.kind)
        click_choice(p, n)
        if s.node.kind == "narrative":
            assert p.scene.report is None and p.scene.ctl.turn == 0  # the unavailable choice
            click_choice(p, 1)
        if p.scene.name == "play" and p.scene.report is not None:
            if kinds[-1] == "sms":
                click(p, t("ui.play.history"))
                assert p.scene.name == "history"
                click(p, t("ui.close"))
                assert p.scene.name == "play"
            finished = p.scene.report.finished
            click(p, t("ui.play.see_debrief") if finished else t("ui.play.continue"))
    assert kinds == ["narrative", "sms", "dashboard", "visio"]
    assert p.scene.name == "debrief" and p.scene.data.ending_id == "moins"
    for label in (t("ui.debrief.another"), t("ui.debrief.replay"), t("ui.debrief.save")):
        b = p.button(label)
        assert WIN.contains(b.get_abs_rect()), label
    click(p, t("ui.debrief.save"))
    assert any(home.documents.glob("*.html")) or p.scene.name == "debrief"
    assert "moins" in userdata.load_progress(home).found("ui-views")
    assert not any(s.name == "apology" for s in p.app.stack) and p.app.running
