"""The window opened on the live preview (`pandore preview PATH`, `pandore play PATH --watch`)."""

from __future__ import annotations

import sys

import pygame

from game.i18n import LANGUAGES, t as translate

from . import userdata
from .app import SCENES, _no_screen
from .loop import App
from .scenes.title import TitleScene


def open_preview(path: str, lang: str | None = None, seed: int = 0, size: tuple[int, int] | None = None,
                 dirs: userdata.Dirs | None = None) -> App:
    """The window on the preview of `path`, above the title screen (leaving the preview goes back to it)."""
    return App(lambda ctx: [TitleScene(ctx), SCENES.preview(ctx, path, seed=seed)], SCENES, lang=lang, size=size,
               dirs=dirs, force_lang=lang in LANGUAGES)


def run_preview(path: str, lang: str = "fr", seed: int | None = None, size: tuple[int, int] | None = None) -> int:
    """Open the preview window; returns an exit code (a missing screen is one line, never a traceback)."""
    try:
        if _no_screen():
            print(f"pandore: {translate('ui.error.no_screen', lang)}", file=sys.stderr)
            return 2
        return open_preview(path, lang=lang, seed=seed or 0, size=size).run()
    except KeyboardInterrupt:
        return 130
    except pygame.error as e:
        print(f"pandore: {translate('ui.error.display', lang, error=str(e))}", file=sys.stderr)
        return 1
    finally:
        pygame.quit()
