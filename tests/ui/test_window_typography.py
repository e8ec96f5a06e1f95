"""Typography of the window's strings: curly apostrophes, no « « » », real plurals, and a
number never wrapped away from its unit (« 23 / h », « Fins / trouvées »)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pygame
import pytest

from game.i18n import keep_together, t, typography

I18N = Path(__file__).resolve().parents[2] / "game" / "i18n"
UNITS = ("h", "min", "€", "%", "ans", "trouvées", "found")


def values(lang: str) -> dict[str, str]:
    return json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))


def test_french_interface_strings_use_curly_apostrophes():
    straight = {k: v for k, v in values("fr").items() if "'" in v}
    assert not straight, straight


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_bracketed_plurals(lang):
    bad = {k: v for k, v in values(lang).items() if re.search(r"\w\((s|e|es|x)\)", v)}
    assert not bad, bad


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_nested_french_quotes_in_the_catalogue(lang):
    nested = {k: v for k, v in values(lang).items() if re.search(r"«[^»]*«", v)}
    assert not nested, nested


@pytest.mark.parametrize("n,fr,en", [(0, "0 erreur", "0 errors"), (1, "1 erreur", "1 error"),
                                     (3, "3 erreurs", "3 errors")])
def test_plurals_agree_with_the_number(n, fr, en):
    assert t("ui.picker.broken", "fr", n=n) == f"Ce scénario ne peut pas être chargé ({fr})."
    assert t("ui.picker.broken", "en", n=n) == f"This scenario cannot be loaded ({en})."
    assert t("ui.visio.call", "fr", n=1).endswith("1 participant")
    assert t("ui.visio.call", "fr", n=4).endswith("4 participants")


def test_quotes_inside_quotes_take_the_second_level():
    choice = "Cocher « addiction » et « suspicion de maltraitance »"
    assert typography.quote(choice, "fr") == "«\u00a0Cocher “addiction” et “suspicion de maltraitance”\u00a0»"
    assert typography.quote("Say “no”", "en") == "“Say ‘no’”"
    assert t("ui.quote", "fr", text=typography.inner_quotes(choice, "fr")) == "« Cocher “addiction” et “suspicion de maltraitance” »"


def test_the_debrief_quotes_a_quoting_choice_once():
    from game import presentation
    from game.authoring.loader import load_file
    from game.engine import Playthrough

    path = Path(__file__).resolve().parents[2] / "scenarios" / "dossier-partage" / "fr.yaml"
    loaded = load_file(path)
    pt = Playthrough.start(loaded.rules, 1)
    for _ in range(60):
        if pt.state.ending:
            break
        view = presentation.node_view(pt, -1, "fr")
        quoting = [c for c in view.choices if c.available and "«" in c.text]
        pick = quoting[0] if quoting else next(c for c in view.choices if c.available)
        pt = pt.choose(pick.id)
    text = " ".join(label for w in presentation.debrief(pt, "fr").weighed for _, label in w.causes)
    assert "«" in text
    assert not re.search(r"«[^»]*«", text), text


@pytest.mark.parametrize("text", [
    "Lundi, il est 23 h 12 et la visite est prévue à 14 h avec un budget de 3,50 € pour 15 min de trajet.",
    "Elle a 16 ans, 1 234 personnes attendent, 12 % des dossiers sont en retard depuis 9 h ce matin.",
])
def test_wrapping_never_separates_a_number_from_its_unit(text):
    from game.ui import text as text_mod
    from game.ui.theme import load_theme

    pygame.font.init()
    font = pygame.font.Font(str(load_theme("default").font_files["regular"]), 18)
    for width in range(60, 700, 7):
        lines = text_mod.wrap(keep_together(text), font, width)
        for a, b in zip(lines, lines[1:]):
            first = b.split(" ")[0].split("\u00a0")[0].rstrip(".,;")
            assert not (a.rstrip()[-1:].isdigit() and first in UNITS + tuple("0123456789")), (width, a, b)


@pytest.mark.parametrize("lang,key", [("fr", "ui.picker.found"), ("fr", "ui.debrief.endings_found"),
                                      ("en", "ui.picker.found")])
def test_endings_found_is_never_cut_in_two(lang, key):
    from game.ui import text as text_mod
    from game.ui.theme import load_theme

    pygame.font.init()
    font = pygame.font.Font(str(load_theme("default").font_files["regular"]), 16)
    label = t(key, lang, n=2, total=5)
    words = label.split(":")[0].strip()  # « Fins trouvées »
    for width in range(40, 400, 5):
        lines = text_mod.wrap(keep_together("5 min · ES · ASS   ·   " + label), font, width)
        if not any(words.replace("\u00a0", " ").split()[0] == ln.strip().split(" ")[-1] for ln in lines):
            continue
        pytest.fail(f"{words!r} cut at width {width}: {lines}")
