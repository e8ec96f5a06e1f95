"""A data folder that cannot be written: the player is told, in their language, where and
why; play goes on; the pause menu never promises a save it cannot make."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pygame
import pytest

from game.i18n import t
from game.ui import userdata

from .conftest import VIEWS

K = pygame
DEVELOPER_TEXT = re.compile(r"Errno|errno|Read-only file system|Not a directory|Permission denied|Expecting|JSON|char \d")


@pytest.fixture
def blocked(tmp_path) -> userdata.Dirs:
    """Folders under a regular file: they cannot be created, even by root (chmod would not bite)."""
    wall = tmp_path / "a-file"
    wall.write_text("not a folder", encoding="utf-8")
    return userdata.Dirs(wall / "config", wall / "data", wall / "documents")


def open_blocked(blocked, lang="fr"):
    from game.ui.app import open_window
    from game.ui.pilot import Pilot

    return Pilot(open_window(lang=lang, scenario_path=str(VIEWS), seed=1, size=(1280, 720), dirs=blocked))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_play_says_the_game_is_not_saved_and_goes_on(blocked, lang):
    p = open_blocked(blocked, lang)
    p.key(K.K_RETURN)  # briefing -> play: the first autosave fails
    s = p.scene
    assert s.name == "play"
    said = s.notice
    assert said is not None and said.startswith(t("ui.save.failed", lang, reason="", documents="").split(":")[0])
    assert str(blocked.data) in said  # located: which folder
    assert t("ui.problem.missing", lang, folder=str(blocked.data), file="") in said
    assert not DEVELOPER_TEXT.search(said), said
    p.key(K.K_1)  # play goes on
    assert p.scene.ctl.turn == 1 and p.scene.report is not None


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pause_menu_never_promises_a_save(blocked, lang):
    p = open_blocked(blocked, lang)
    p.key(K.K_RETURN)
    p.key(K.K_ESCAPE)
    s = p.scene
    assert s.name == "pause"
    labels = [b.text for b in p.buttons()]
    assert t("ui.pause.save_quit", lang) not in labels
    assert t("ui.pause.retry_save", lang) in labels and t("ui.pause.quit_unsaved", lang) in labels
    assert s.ctl.save_problem() is not None
    note = t("ui.pause.not_saved", lang, reason=s.ctl.save_problem())
    assert not DEVELOPER_TEXT.search(note)
    # quitting unsaved asks first: one press keeps the game
    p.click_text(t("ui.pause.quit_unsaved", lang))
    assert p.scene.name == "pause"
    assert t("ui.pause.quit_unsaved_confirm", lang) in [b.text for b in p.buttons()]
    p.click_text(t("ui.pause.retry_save", lang))  # still impossible: still said
    assert p.scene.name == "pause" and p.scene.ctl.save_error is not None
    p.key(K.K_ESCAPE)
    assert p.scene.name == "play" and p.scene.ctl.turn == 0  # the game is still there


def test_retry_saves_once_the_folder_can_be_written(tmp_path):
    from game.ui.app import open_window
    from game.ui.pilot import Pilot

    wall = tmp_path / "later"
    wall.write_text("x", encoding="utf-8")
    dirs = userdata.Dirs(wall / "config", wall / "data", wall / "documents")
    p = Pilot(open_window(lang="fr", scenario_path=str(VIEWS), seed=1, size=(1280, 720), dirs=dirs))
    p.key(K.K_RETURN)
    p.key(K.K_1)
    assert p.scene.ctl.save_error is not None
    wall.unlink()  # the player makes room
    p.key(K.K_ESCAPE)
    p.click_text(t("ui.pause.retry_save", "fr"))
    assert p.scene.ctl.save_error is None
    assert dirs.autosave_file.is_file()
    assert t("ui.pause.save_quit", "fr") in [b.text for b in p.buttons()]  # saving and quitting is true again


def test_debrief_export_failure_is_said_in_french(blocked):
    p = open_blocked(blocked)
    p.key(K.K_RETURN)
    for k in (K.K_1, K.K_1, K.K_2, K.K_1):
        p.key(k)
        if p.scene.name == "play" and p.scene.report is not None:
            p.key(K.K_RETURN)
    assert p.scene.name == "debrief"
    p.click_text(t("ui.debrief.save", "fr"))
    said = p.scene.saved
    assert said.startswith("Le bilan n’a pas pu être enregistré") or said.startswith("Le bilan n'a pas pu être enregistré")
    assert str(blocked.documents) in said
    assert not DEVELOPER_TEXT.search(said), said


@pytest.mark.parametrize("code,key", [(errno.EROFS, "ui.problem.read_only"), (errno.EACCES, "ui.problem.denied"),
                                      (errno.ENOSPC, "ui.problem.full"), (errno.ENOTDIR, "ui.problem.missing")])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_system_errors_become_located_sentences(code, key, lang):
    where = Path("/home/eva/.local/share/pandore/autosave.json")
    err = OSError(code, "Read-only file system" if code == errno.EROFS else "whatever", str(where))
    said = userdata.file_problem(err, where, lang)
    assert said == t(key, lang, folder=str(where.parent), file=str(where))
    assert str(where.parent) in said
    assert not DEVELOPER_TEXT.search(said)


def test_a_damaged_autosave_is_said_without_the_json_decoder(make_pilot, home):
    home.data.mkdir(parents=True, exist_ok=True)
    home.autosave_file.write_text("{not json", encoding="utf-8")
    p = make_pilot()
    s = p.scene
    assert s.name == "title" and s.notice
    assert str(home.autosave_file) in s.notice
    assert not DEVELOPER_TEXT.search(s.notice), s.notice


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_settings_that_cannot_be_kept_are_said_in_the_panel(blocked, lang):
    from game.ui.scene import ApplySettings

    p = open_blocked(blocked, lang)
    app = p.app
    app.apply_settings(app.ctx.settings.with_(high_contrast=True))  # applied, but the folder cannot be written
    assert app.ctx.settings.high_contrast
    problem = app.ctx.settings_problem
    assert problem and problem.startswith(t("ui.settings.not_saved", lang, problem="").rstrip())
    assert str(blocked.settings_file.parent) in problem and not DEVELOPER_TEXT.search(problem)
    p.app._apply(ApplySettings(app.ctx.settings))  # still not kept: still said
    assert app.ctx.settings_problem
    from game.ui.scenes.settings import SettingsScene

    panel = SettingsScene(app.ctx)
    panel.build()
    with_note = panel.head.get_height()
    app.ctx.settings_problem = None
    panel.build()
    assert with_note > panel.head.get_height()  # the note sits under the title
