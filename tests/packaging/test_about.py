"""The window says which version it is: on the title screen, beside the keys' reminder."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import game  # noqa: E402


def test_the_title_screen_shows_the_version(tmp_path, monkeypatch):
    monkeypatch.setenv("PANDORE_HOME", str(tmp_path / "home"))
    import pygame

    from game.ui import userdata
    from game.ui.app import open_window

    app = open_window(lang="fr", size=(1280, 720), dirs=userdata.Dirs.default())
    try:
        assert app.stack[-1].name == "title"
        drawn = []
        text = app.ctx.text
        monkeypatch.setattr(app.ctx, "text", lambda s, *a, **k: drawn.append(s) or text(s, *a, **k))
        app.stack[-1].draw(app.screen)
        assert f"Pandore {game.__version__}" in drawn
    finally:
        pygame.quit()
