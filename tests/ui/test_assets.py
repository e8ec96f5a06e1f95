"""Shipped fonts (with licences) render the French characters; every
interface string used by the window exists in both catalogues."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pygame
import pytest

from game.ui.theme import FONTS, ICONS, load_theme

ROOT = Path(__file__).resolve().parents[2]


def test_fonts_have_licences():
    fonts = list(FONTS.glob("*.otf")) + list(FONTS.glob("*.ttf"))
    assert fonts
    licences = [p for p in FONTS.iterdir() if re.search(r"licen[cs]e|copyright|OFL", p.name, re.I)]
    assert licences, "font licence files must ship beside the fonts"


@pytest.mark.parametrize("style", ["regular", "bold", "italic", "semibold"])
def test_fonts_render_french_characters(style):
    pygame.font.init()
    f = pygame.font.Font(str(load_theme().font_files[style]), 24)
    missing = f.metrics("\uffff")[0]  # what a missing glyph looks like
    for ch in "éèàçœ«»…€ÉÀÇŒ’":
        m = f.metrics(ch)[0]
        assert m is not None and (m != missing or ch == "\uffff"), ch
    assert f.size("é")[0] > 0


def test_icons_are_svg_and_load():
    pygame.display.init()
    pygame.display.set_mode((10, 10))
    for p in ICONS.glob("*.svg"):
        assert pygame.image.load_sized_svg(str(p), (32, 32)).get_size() == (32, 32)


def test_catalogues_have_identical_keys_and_all_ui_keys():
    fr = json.loads((ROOT / "game/i18n/fr.json").read_text(encoding="utf-8"))
    en = json.loads((ROOT / "game/i18n/en.json").read_text(encoding="utf-8"))
    assert set(fr) == set(en)
    used = set()
    for py in (ROOT / "game/ui").rglob("*.py"):
        used |= set(re.findall(r"[\"'](ui\.[a-z_]+\.[a-z_.]+|ui\.[a-z_]+)[\"']", py.read_text(encoding="utf-8")))
    dynamic = {f"ui.lang.{c}" for c in ("fr", "en")} | {f"ui.size.{s}" for s in ("small", "normal", "large", "xlarge")} \
        | {f"ui.tone.{t}" for t in ("positive", "mixed", "negative")}
    missing = sorted(k for k in used | dynamic if k not in fr)
    assert not missing, missing
    for k in fr:
        if k.startswith("ui."):
            assert re.findall(r"\{(\w+)[}:!]", fr[k]) == re.findall(r"\{(\w+)[}:!]", en[k]) or \
                set(re.findall(r"\{(\w+)[}:!]", fr[k])) == set(re.findall(r"\{(\w+)[}:!]", en[k])), k
