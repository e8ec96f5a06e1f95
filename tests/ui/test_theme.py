"""Appearance is data: the theme files load, and every text colour pair they
declare has a contrast of at least 4.5:1 (WCAG AA), in every theme."""

from __future__ import annotations

import json

import pytest

from game.ui import theme as theme_mod
from game.ui.theme import ThemeError, contrast_ratio, load_theme, theme_names


def test_contrast_formula_matches_wcag_examples():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)
    assert contrast_ratio((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("name", ["default", "high-contrast"])
def test_text_contrast_at_least_4_5(name):
    th = load_theme(name)
    assert th.contrast_pairs, "a theme must declare the colour pairs used for text"
    low = [(fg, bg, round(contrast_ratio(th[fg], th[bg]), 2)) for fg, bg in th.contrast_pairs
           if contrast_ratio(th[fg], th[bg]) < 4.5]
    assert not low, f"{name}: pairs under 4.5:1: {low}"


def test_high_contrast_is_higher():
    hc = load_theme("high-contrast")
    assert contrast_ratio(hc["text"], hc["bg"]) >= 15


def test_every_theme_loads_and_sizes_scale():
    assert {"default", "high-contrast"} <= set(theme_names())
    th = load_theme("default")
    small = th.metrics("small", (1024, 600))
    big = th.metrics("xlarge", (1920, 1080))
    assert small["body"] < th.metrics("normal", (1280, 720))["body"] < big["body"]
    gui = th.gui_theme(th.metrics())
    assert gui["button"]["font"]["regular_path"].endswith(".otf")


def test_broken_theme_names_file_and_key(tmp_path, monkeypatch):
    (tmp_path / "bad.json").write_text(json.dumps({"extends": "default", "colours": {"text": "navy"}}))
    base = theme_mod.THEMES / "default.json"
    (tmp_path / "default.json").write_text(base.read_text())
    monkeypatch.setattr(theme_mod, "THEMES", tmp_path)
    with pytest.raises(ThemeError, match=r"colours\.text.*bad\.json"):
        theme_mod.Theme("bad", theme_mod._read("bad"))
    (tmp_path / "syntax.json").write_text('{"colours": {,}}')
    with pytest.raises(ThemeError, match=r"syntax\.json:1:"):
        theme_mod._read("syntax")
