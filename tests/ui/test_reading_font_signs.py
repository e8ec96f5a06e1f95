"""The reading fonts lack a few signs the interface uses (▲ ▼ → ⚠ ✓...): they are drawn with
the theme's own font, never as an empty box (the face's "missing glyph" rectangle)."""

from __future__ import annotations

import json
from pathlib import Path

import pygame
import pytest

from game.ui import text as text_mod
from game.ui.theme import FONTS, READING_FONTS, SIGNS_FAMILY, load_theme

ROOT = Path(__file__).resolve().parents[2]


def used_characters() -> set[str]:
    """Every character beyond ASCII that the interface's strings and code can show."""
    chars: set[str] = set()
    for lang in ("fr", "en"):
        for v in json.loads((ROOT / "game" / "i18n" / f"{lang}.json").read_text(encoding="utf-8")).values():
            chars |= set(v)
    for p in [*(ROOT / "game" / "ui").rglob("*.py"), ROOT / "game" / "presentation.py",
              ROOT / "game" / "i18n" / "typography.py"]:
        chars |= set(p.read_text(encoding="utf-8"))
    return {c for c in chars if ord(c) > 0x7E and c.isprintable()}


def pixels(s: pygame.Surface) -> bytes:
    return pygame.image.tobytes(s, "RGBA")


def drawn_as_box(f: pygame.font.Font, c: str) -> bool:
    """Whether the face draws `c` as its missing-glyph box (a private-use character has none)."""
    return pixels(f.render(c, True, (0, 0, 0))) == pixels(f.render("\ue000", True, (0, 0, 0)))


@pytest.fixture(scope="module", autouse=True)
def fonts():
    pygame.font.init()
    yield


@pytest.mark.parametrize("name", [n for n, f in READING_FONTS.items() if f])
@pytest.mark.parametrize("style", ["regular", "italic", "bold"])
def test_the_declared_signs_are_exactly_what_the_face_lacks(name, style):
    f = pygame.font.Font(str(FONTS / READING_FONTS[name][style]), 24)
    lacking = {c for c in used_characters() if drawn_as_box(f, c)}
    assert lacking == set(READING_FONTS[name]["signs"]), (name, style, "".join(sorted(lacking)))


def test_the_themes_own_font_has_every_sign():
    theme = load_theme("default")
    f = pygame.font.Font(str(theme.font_files["regular"]), 24)
    assert not [c for c in used_characters() if drawn_as_box(f, c)]


@pytest.mark.parametrize("name", ["atkinson", "opendyslexic"])
def test_a_sign_is_drawn_by_the_sign_font_on_the_same_line(name):
    theme = load_theme("default", name)
    path, signs = theme.sign_font("regular")
    sign = "⚠"
    assert sign in signs
    main = text_mod.font(theme.font_files["regular"], 24)
    drawn = text_mod.line(f"{sign} Attention", theme.font_files["regular"], 24, (0, 0, 0), theme.sign_font("regular"))
    boxed = text_mod.line(f"{sign} Attention", theme.font_files["regular"], 24, (0, 0, 0))
    assert pixels(drawn) != pixels(boxed)  # without the sign font: the box
    alone = text_mod.line(sign, theme.font_files["regular"], 24, (0, 0, 0), theme.sign_font("regular"))
    assert not drawn_as_box(main, sign) or pixels(alone) != pixels(main.render(sign, True, (0, 0, 0)))
    assert drawn.get_height() == main.get_height()
    # wrapping measures the sign with the font that draws it
    sized = text_mod.face(theme.font_files["regular"], 24, theme.sign_font("regular")).size(sign)[0]
    assert sized == text_mod.font(path, 24).size(sign)[0]


def test_text_boxes_set_the_signs_in_the_sign_font_and_leave_tags_alone():
    theme = load_theme("default", "atkinson")
    html = "<font face='atkinson' pixel_size=20><b>Charge</b> 40 → 60 ▲ +20 <i>⚠</i></font>"
    out = theme.with_signs(html)
    assert out == ("<font face='atkinson' pixel_size=20><b>Charge</b> 40 <font face='signs'>→</font> 60 "
                   "<font face='signs'>▲</font> +20 <i><font face='signs'>⚠</font></i></font>")
    assert load_theme("default").with_signs(html) == html  # the theme's font has them all
    assert SIGNS_FAMILY in {f["name"] for f in theme.preload(theme.metrics("normal", (1280, 720)))}


def test_a_button_label_keeps_its_words_without_the_signs_it_cannot_draw():
    assert load_theme("default", "atkinson").plain_label("← Retour") == "Retour"
    assert load_theme("default", "opendyslexic").plain_label("← Retour") == "← Retour"
    assert load_theme("default").plain_label("← Retour") == "← Retour"

