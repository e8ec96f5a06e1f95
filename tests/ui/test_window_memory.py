"""What keeps the window light: caches bounded by bytes, managers reused, one theme parsed."""

from __future__ import annotations

import pygame

from .conftest import VIEWS

K = pygame


def test_surface_cache_keeps_within_its_bytes_and_drops_the_oldest():
    from game.ui.text import SurfaceCache

    cache = SurfaceCache(max_bytes=100 * 100 * 4 * 3)  # three 100x100 surfaces
    for i in range(10):
        cache.put(i, pygame.Surface((100, 100), pygame.SRCALPHA))
        assert cache.bytes <= cache.max_bytes
    assert len(cache) == 3 and 9 in cache and 0 not in cache
    cache.get(7)  # used: kept over 8
    cache.put("big", pygame.Surface((100, 100), pygame.SRCALPHA))
    assert 7 in cache and 8 not in cache
    cache.drop(lambda k: k == "big")
    assert len(cache) == 1 and cache.bytes == 100 * 100 * 4


def test_rendered_text_never_exceeds_its_budget():
    from game.ui import text as text_mod
    from game.ui.theme import load_theme

    pygame.font.init()
    path = load_theme("default").font_files["regular"]
    long = "Une phrase assez longue pour remplir plusieurs lignes d’un bilan. " * 40
    for i in range(120):  # ~1 MB each: far more than the budget
        text_mod.block(f"{i} {long}", path, 22, (0, 0, 0), 900)
    cache = text_mod._block.cache
    assert cache.bytes <= cache.max_bytes
    assert cache.max_bytes <= text_mod.TEXT_CACHE_BYTES


def test_a_choice_refills_the_same_manager_and_new_settings_make_a_new_one(make_pilot):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    s = p.scene
    first = s.manager
    p.key(K.K_1)  # the feedback panel: the scene is rebuilt
    assert s.report is not None and s.manager is first
    assert s.manager.get_theme() is p.app.ctx._shared_theme
    p.app.apply_settings(p.app.ctx.settings.with_(text_size="large"))
    p.step(2)
    assert p.scene.manager is not first  # another theme: another manager, another shared theme
    assert p.scene.manager.get_theme() is p.app.ctx._shared_theme


def test_native_tuning_is_applied_once_and_respects_the_user(monkeypatch):
    import sys

    from game.ui import native

    monkeypatch.setattr(native, "_done", False)
    monkeypatch.setenv("SDL_FRAMEBUFFER_ACCELERATION", "1")  # the user's choice wins
    native.tune()
    assert native._done
    assert __import__("os").environ["SDL_FRAMEBUFFER_ACCELERATION"] == "1"
    if sys.platform.startswith("linux"):
        monkeypatch.setattr(native, "_done", False)
        monkeypatch.delenv("SDL_FRAMEBUFFER_ACCELERATION")
        monkeypatch.setenv("SDL_VIDEODRIVER", "wayland")  # no framebuffer of its own there: left alone
        native.tune()
        assert "SDL_FRAMEBUFFER_ACCELERATION" not in __import__("os").environ


def test_what_the_first_screen_holds_is_set_aside_from_the_collector(make_pilot):
    import gc
    import time

    make_pilot()
    assert gc.get_freeze_count() > 1000
    t0 = time.process_time()
    gc.collect()
    assert gc.get_freeze_count() > 1000  # a collection does not walk them again
    del t0
