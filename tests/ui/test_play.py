"""The game window, driven headless by synthetic key and mouse events."""

from __future__ import annotations

import json

import pygame
import pytest

from game.i18n import t
from game.ui import userdata

from .conftest import VIEWS

K = pygame


def texts(pilot):
    return [b.text for b in pilot.buttons()]


def play_keyboard_to_end(p, keys=(K.K_1, K.K_1, K.K_2, K.K_1)):
    for k in keys:
        assert p.scene.name == "play", p.scene.name
        p.key(k)
        if p.scene.name == "play" and p.scene.report is not None:
            p.key(K.K_RETURN)


def test_title_menu_by_keyboard(make_pilot):
    p = make_pilot()
    assert p.scene.name == "title"
    assert t("ui.title.resume") not in texts(p)  # no autosave yet
    p.key(K.K_RETURN)  # "Jouer" has the focus
    assert p.scene.name == "picker"
    p.key(K.K_ESCAPE)
    assert p.scene.name == "title"
    p.key(K.K_DOWN)
    p.key(K.K_RETURN)
    assert p.scene.name == "settings"


def test_play_to_the_ending_by_keyboard_only(make_pilot, home):
    p = make_pilot(scenario=VIEWS)
    assert p.scene.name == "briefing"
    p.key(K.K_RETURN)
    assert p.scene.name == "play"
    assert p.scene.node.kind == "narrative"
    p.key(K.K_2)  # disabled: nothing happens, the hint flashes
    assert p.scene.ctl.turn == 0
    p.key(K.K_DOWN)  # arrows + Enter
    p.key(K.K_RETURN)
    assert p.scene.report is not None and p.scene.report.changes
    p.key(K.K_RETURN)
    assert p.scene.node.kind == "sms"
    play_keyboard_to_end(p, keys=(K.K_1, K.K_2, K.K_1))
    assert p.scene.name == "debrief"
    assert p.scene.data.ending_id == "bien"
    # the ending is recorded and the autosave cleared
    assert "bien" in userdata.load_progress(home).found("ui-views")
    assert userdata.read_autosave(home) is None


def test_play_to_the_ending_by_mouse_only(make_pilot):
    p = make_pilot(scenario=VIEWS)
    p.click_text(t("ui.briefing.start"))
    for _ in range(10):
        s = p.scene
        if s.name != "play":
            break
        if s.report is not None:
            p.click_text(t("ui.play.see_debrief") if s.report.finished else t("ui.play.continue"))
            continue
        items = [it for it in s.choices.items if it.view.available]
        r = s.choices._screen_rect(items[-1])
        p.click(r.center)
    assert p.scene.name == "debrief"
    assert p.scene.data.ending_id == "moins"


def test_undo_and_autosave(make_pilot, home):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    p.key(K.K_1)
    p.key(K.K_RETURN)
    assert p.scene.ctl.state.node == "fil"
    save = userdata.read_autosave(home)
    assert save.save.choices == ("sms",)
    p.key(K.K_z, mod=K.KMOD_CTRL)
    assert p.scene.ctl.state.node == "recit" and p.scene.ctl.turn == 0
    assert userdata.read_autosave(home).save.choices == ()
    p.key(K.K_z, mod=K.KMOD_CTRL)  # nothing to undo: a notice, no crash
    assert p.scene.notice == t("ui.play.nothing_to_undo")


def test_resume_from_autosave(make_pilot, home):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    p.key(K.K_1)
    p.key(K.K_RETURN)
    p.key(K.K_1)
    p.key(K.K_RETURN)
    node = p.scene.ctl.state.node
    values = p.scene.ctl.state.values
    q = make_pilot()
    assert t("ui.title.resume") in texts(q)
    q.click_text(t("ui.title.resume"))
    assert q.scene.name == "play"
    assert q.scene.ctl.state.node == node and q.scene.ctl.state.values == values
    assert q.scene.ctl.seed == 1


def test_corrupt_save_gets_a_message_and_a_fresh_start(make_pilot, home):
    home.data.mkdir(parents=True)
    home.autosave_file.write_text("{not json", encoding="utf-8")
    p = make_pilot()
    assert p.scene.name == "title"
    assert p.scene.notice and str(home.autosave_file) in p.scene.notice  # located, in French (no decoder text)
    assert t("ui.title.resume") not in texts(p)
    assert not home.autosave_file.exists()


def test_stale_save_restarts_with_a_message(make_pilot, home):
    from game.engine import SaveData

    save = SaveData(scenario_id="ui-views", scenario_sha256="x", language="fr", seed=0, choices=("sms", "nope"))
    userdata.write_autosave(home, save, str(VIEWS))
    p = make_pilot()
    p.click_text(t("ui.title.resume"))
    assert p.scene.name == "briefing"
    assert p.scene.notice and "nope" in p.scene.notice
    # said in French: the choice's number and id, none of the engine's English reason
    assert "le choix n° 2, « nope », n’y existe plus" in p.scene.notice
    assert "no longer" not in p.scene.notice and "choice" not in p.scene.notice


def test_f5_reloads_and_replays_then_shows_diagnostics(make_pilot, scenario_copy):
    p = make_pilot(scenario=scenario_copy)
    p.key(K.K_RETURN)
    p.key(K.K_1)
    p.key(K.K_RETURN)
    assert p.scene.ctl.state.node == "fil"
    text = scenario_copy.read_text(encoding="utf-8")
    scenario_copy.write_text(text.replace("Inès, 16 ans, a écrit samedi soir.", "Texte modifié par F5."), encoding="utf-8")
    p.key(K.K_F5)
    assert p.scene.name == "play"
    assert p.scene.ctl.state.node == "fil" and p.scene.ctl.turn == 1
    assert "Texte modifié par F5." in p.scene.node.text
    scenario_copy.write_text(text.replace("goto: algo", "goto: nulle_part", 1), encoding="utf-8")
    p.key(K.K_F5)
    assert p.scene.name == "diagnostics"
    assert any("nulle_part" in d.message for d in p.scene.diagnostics)
    scenario_copy.write_text(text, encoding="utf-8")
    p.key(K.K_F5)
    assert p.scene.name == "play" and p.scene.ctl.turn == 1


def test_broken_scenario_shows_diagnostics_not_a_crash(make_pilot, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nid: x\n  bad: [indent\n", encoding="utf-8")
    p = make_pilot(scenario=bad)
    assert p.scene.name == "diagnostics"
    p.shot(tmp_path / "diag.png")
    p.key(K.K_ESCAPE)
    assert p.scene.name == "title"


def test_unexpected_error_gives_apology_and_log(make_pilot, home, monkeypatch):
    from game.ui.scenes.picker import PickerScene

    def boom(self, surface):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(PickerScene, "draw", boom)
    p = make_pilot()
    p.key(K.K_RETURN)
    assert p.scene.name == "apology"
    assert "simulated bug" in home.log_file.read_text(encoding="utf-8")
    assert p.app.running


@pytest.mark.parametrize("size", [(1024, 600), (1280, 720), (1920, 1080)])
def test_layout_holds_at_each_size(make_pilot, size, tmp_path):
    p = make_pilot(scenario=VIEWS, size=(1280, 720))
    p.key(K.K_RETURN)
    p.resize(size)
    s = p.scene
    win = pygame.Rect((0, 0), size)
    assert s.ctx.size == size
    for r in (s.stage, s.hud_rect, s.choices.rect, s.text_box.get_abs_rect()):
        assert win.contains(r), (r, size)
    assert not s.choices.rect.colliderect(s.text_box.get_abs_rect())
    assert not s.stage.colliderect(s.hud_rect)
    assert not s.left.colliderect(s.right)
    for b in p.buttons():
        assert win.contains(b.get_abs_rect())
    p.shot(tmp_path / "play.png")


def test_switch_language_and_contrast_in_settings(make_pilot, home):
    p = make_pilot()
    p.click_text(t("ui.title.settings", "fr"))
    p.click_text("English")
    assert p.app.ctx.lang == "en"
    assert p.button(t("ui.close", "en"))
    p.click_text(t("ui.yes", "en"))  # the first "On": high contrast
    assert p.app.ctx.settings.high_contrast
    assert p.app.ctx.colour("bg")[:3] == (0, 0, 0)
    saved = json.loads(home.settings_file.read_text())
    assert saved["language"] == "en" and saved["high_contrast"] is True
    p.key(K.K_ESCAPE)
    assert t("ui.title.play", "en") in texts(p)
    q = make_pilot()  # settings persist
    assert q.app.ctx.lang == "en" and q.app.ctx.settings.high_contrast


def test_text_sizes_and_reduced_motion(make_pilot, home):
    userdata.save_settings(home, userdata.Settings(text_size="xlarge", reduced_motion=True))
    p = make_pilot(scenario=VIEWS, size=(1024, 600))
    p.key(K.K_RETURN)
    p.key(K.K_1)
    assert not p.app.animating  # reduced motion: nothing animates
    p.key(K.K_RETURN)
    assert p.scene.node.kind == "sms" and not p.scene.view.animating


def test_history_pause_and_step_out(make_pilot):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    p.key(K.K_1)
    p.key(K.K_RETURN)
    p.key(K.K_h)
    assert p.scene.name == "history" and p.app.stack[-2].name == "play"
    p.key(K.K_h)
    assert p.scene.name == "play"
    p.key(K.K_ESCAPE)
    assert p.scene.name == "pause"
    p.click_text(t("ui.pause.restart"))
    p.click_text(t("ui.pause.restart_confirm"))
    assert p.scene.name == "play" and p.scene.ctl.turn == 0
    p.key(K.K_ESCAPE)
    p.click_text(t("ui.pause.step_out"))
    assert p.scene.name == "stepout" and p.app.stack[0].name == "title"


def test_debrief_saves_a_self_contained_html(make_pilot, home):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    play_keyboard_to_end(p)
    assert p.scene.name == "debrief"
    p.click_text(t("ui.debrief.save"))
    files = list(home.documents.glob("pandore-ui-views-*.html"))
    assert len(files) == 1
    html = files[0].read_text(encoding="utf-8")
    assert "<svg" in html and "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert t("ui.debrief.weighed") in html


def test_idle_means_no_animation_and_no_redraw(make_pilot):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    for _ in range(200):  # let the entry animation finish (and its final frame be drawn)
        if not p.app.animating and not p.app.dirty and not p.app._drawn_animating:
            break
        p.app.step(block=False)
    assert not p.app.animating
    p.app.ctx.now += 1.0  # the player looks (what waits a moment after a screen appears has happened)
    for _ in range(20):
        p.app.step(block=False)
        if not p.app.dirty and not p.app._drawn_animating and not p.app.top.dirty:
            break
    drawn = p.app.draws
    for _ in range(5):  # no event (a timer another test left would bring its own)
        p.app.step(block=False, events=[])
    assert p.app.draws == drawn  # nothing happened: nothing drawn
    p.app.step(block=False, events=[pygame.event.Event(pygame.KEYDOWN, key=K.K_DOWN, mod=0, unicode="", scancode=0)])
    assert p.app.draws > drawn  # a key press is drawn


def test_autoplay_writes_a_png_per_screen(tmp_path, home):
    from game.ui.app import open_window
    from game.ui.autoplay import autoplay

    code = autoplay(open_window, str(VIEWS), "first", str(tmp_path / "shots"), size=(1024, 600), dirs=home)
    assert code == 0
    names = sorted(x.name for x in (tmp_path / "shots").iterdir())
    assert names[0] == "00-briefing.png" and names[-1].endswith("debrief.png")
    assert any("feedback" in n for n in names)
    assert autoplay(open_window, str(VIEWS), "sms,repondre,revoir,dire", str(tmp_path / "s2"), dirs=home) == 0
    assert autoplay(open_window, str(VIEWS), "attendre", None, dirs=home) == 2  # a disabled choice is an error
    assert autoplay(open_window, str(VIEWS), "random:3", None, dirs=home) == 0
