"""`pandore host SCENARIO` without --headless: the window's hosting screen where there is a screen, the
terminal (with the reason) where there is none or an LRS to forward to."""

from __future__ import annotations

import os
import sys

import pytest

from game import cli
from game.authoring import library
from game.cli import main
from game.i18n import t


@pytest.fixture
def window(monkeypatch, tmp_path):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setenv("PANDORE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(cli, "_host_window_refused", lambda lrs_config: None)  # as with a screen
    from game.ui import loop
    from game.ui.pilot import Pilot

    seen = {}

    def run(app):
        p = Pilot(app)
        scene = p.scene
        seen.update(name=scene.name, error=scene.error, code=scene.code,
                    undo=scene.host.session.undo_allowed if scene.host else None,
                    session=scene.host.session.row.id if scene.host else None)
        scene.stop()
        return 0

    monkeypatch.setattr(loop.App, "run", run)
    return seen


def test_host_opens_the_hosting_screen_in_the_window(window):
    path = str(library.resolve("tutoriel", "fr"))
    assert main(["host", path, "--bind", "127.0.0.1", "--port", "0", "--no-undo"]) == 0
    assert window["name"] == "host" and window["error"] is None and len(window["code"]) == 6
    assert window["undo"] is False
    # --resume reopens the same session, with the same code, in the window
    code, session = window["code"], window["session"]
    assert main(["host", "--resume", session, "--bind", "127.0.0.1", "--port", "0"]) == 0
    assert window["code"] == code and window["session"] == session


def test_a_scenario_that_does_not_load_is_said_before_any_window(window, tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nid: x\n", encoding="utf-8")
    assert main(["host", str(bad), "--port", "0"]) in (1, 2)
    assert "name" not in window


@pytest.mark.parametrize("env,why", [({"SDL_VIDEODRIVER": "dummy"}, "no_screen"),
                                     ({"SDL_VIDEODRIVER": "", "DISPLAY": "", "WAYLAND_DISPLAY": ""}, "no_screen")])
def test_without_a_screen_the_terminal_hosts(monkeypatch, env, why):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    if sys.platform == "darwin" or os.name != "posix":
        pytest.skip("the DISPLAY check is for Linux and the BSDs")
    assert cli._host_window_refused(None) == why
    assert t(f"cli.host.no_window.{why}", "fr").startswith("pas d’écran ici")
    assert cli._host_window_refused(object()) == "lrs"
