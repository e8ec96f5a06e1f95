"""The window at large text sizes, by keyboard, without colour: text boxes scroll by keys,
the picker scrolls a focused card into view, the footers say what the keys do, the chart
draws its lines at every text size and tells its series apart without colour, the HUD
says better/worse and which way is good in words."""

from __future__ import annotations

import pygame
import pytest

from game.i18n import t
from game.ui.theme import contrast_ratio

from .conftest import VIEWS

K = pygame


def with_text_size(home, size: str) -> None:
    from game.ui import userdata

    userdata.save_settings(home, userdata.load_settings(home).with_(text_size=size))


def box_pixels(p, tb) -> bytes:
    p.app.screenshot  # noqa: B018 - the frame below is the one on screen
    p.app.dirty = True
    p.step()
    return pygame.image.tobytes(p.app.screen.subsurface(tb.get_abs_rect().clip(p.app.screen.get_rect())), "RGB")


def to_debrief(p):
    p.key(K.K_RETURN)
    for k in (K.K_1, K.K_1, K.K_2, K.K_1):
        p.key(k)
        if p.scene.name == "play" and p.scene.report is not None:
            p.key(K.K_RETURN)
    assert p.scene.name == "debrief"


# ---- every text box scrolls by keyboard ---------------------------------------------------------------

def assert_scrolls_by_keys(p):
    s = p.scene
    tb = s.scroll_target()
    assert tb is not None, f"{s.name}: the text fits; this test needs one that does not"
    bar = tb.scroll_bar
    top = box_pixels(p, tb)
    assert bar.start_percentage == 0
    p.key(K.K_DOWN)
    assert bar.start_percentage > 0  # a few lines down
    down = bar.start_percentage
    p.key(K.K_PAGEDOWN)
    end = 1 - bar.visible_percentage
    assert bar.start_percentage == pytest.approx(min(end, down + 0.9 * bar.visible_percentage), abs=0.02)  # a page more
    p.key(K.K_END)
    assert bar.start_percentage == pytest.approx(1 - bar.visible_percentage, abs=0.02)
    assert box_pixels(p, tb) != top  # what is on screen moved
    p.key(K.K_PAGEUP)
    assert bar.start_percentage < 1 - bar.visible_percentage - 0.01
    p.key(K.K_HOME)
    assert bar.start_percentage == 0
    assert box_pixels(p, tb) == top


def test_briefing_scrolls_by_keyboard(make_pilot, home):
    with_text_size(home, "xlarge")
    p = make_pilot(scenario=VIEWS, size=(1024, 600))
    assert p.scene.name == "briefing"
    assert_scrolls_by_keys(p)
    assert p.scene.name == "briefing"  # scrolling started nothing


def test_debrief_scrolls_by_keyboard(make_pilot, home):
    with_text_size(home, "xlarge")
    p = make_pilot(scenario=VIEWS, size=(1024, 600))
    to_debrief(p)
    assert_scrolls_by_keys(p)
    assert p.scene.name == "debrief"


def test_feedback_panel_scrolls_by_keyboard(make_pilot, home):
    with_text_size(home, "xlarge")
    p = make_pilot(scenario=VIEWS, size=(1024, 600))
    p.key(K.K_RETURN)
    p.key(K.K_1)
    assert p.scene.report is not None
    assert_scrolls_by_keys(p)
    assert p.scene.report is not None and p.scene.ctl.turn == 1  # still the same panel


def test_step_out_page_scrolls_to_its_numbers(make_pilot, home):
    with_text_size(home, "xlarge")
    p = make_pilot(scenario=VIEWS, size=(1024, 600))
    p.key(K.K_RETURN)
    p.key(K.K_ESCAPE)
    assert p.scene.name == "pause"
    p.click_text(t("ui.pause.step_out", "fr"))
    assert p.scene.name == "stepout"
    assert "3114" in t("ui.stepout.lines", "fr")
    assert_scrolls_by_keys(p)
    assert p.scene.name == "stepout"


def test_phone_and_card_scroll_home_and_end(make_pilot, home):
    with_text_size(home, "xlarge")
    p = make_pilot(scenario=VIEWS, size=(1024, 600))
    p.key(K.K_RETURN)
    p.key(K.K_1)
    p.key(K.K_RETURN)
    view = p.scene.view
    assert p.scene.node.kind == "sms" and view.overflow > 0
    p.key(K.K_HOME)  # the oldest message
    assert view.thread_rect.top <= view.drawn[0][0].top
    p.key(K.K_END)  # back to the newest
    assert view.scroll == 0
    assert p.scene.ctl.turn == 1


# ---- the picker: Tab to a card below the fold scrolls it into view -------------------------------------

def test_picker_scrolls_the_focused_card_into_view(make_pilot, home):
    with_text_size(home, "xlarge")
    p = make_pilot(size=(1024, 600))
    p.click_text(t("ui.title.play", "fr"))
    s = p.scene
    assert s.name == "picker"
    area = s.container.get_abs_rect()
    cards = [b for b in s.focusables if b.text == t("ui.picker.choose", "fr")]
    last = cards[-1]
    assert not area.contains(last.get_abs_rect())  # below the fold at first
    for _ in range(len(s.focusables)):
        p.key(K.K_TAB)
        if s.focusables[s.focus] is last:
            break
    assert s.focusables[s.focus] is last
    assert area.contains(last.get_abs_rect()), (area, last.get_abs_rect())
    p.key(K.K_TAB, mod=K.KMOD_SHIFT)
    for _ in range(len(s.focusables)):  # and back up to the first card
        if s.focusables[s.focus] is cards[0]:
            break
        p.key(K.K_TAB, mod=K.KMOD_SHIFT)
    assert area.contains(cards[0].get_abs_rect())


# ---- footers say what the keys do ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_title_footer_says_what_esc_does(make_pilot, lang):
    p = make_pilot(lang=lang)
    foot = t("ui.title.footer", lang)
    quit_label = t("ui.title.quit", lang)
    assert quit_label in foot  # Esc goes to « Quitter » there: the footer says so, not « retour »
    p.key(K.K_ESCAPE)
    s = p.scene
    assert s.name == "title" and s.focusables[s.focus].text == quit_label


# ---- the chart draws its lines at every text size; series told apart without colour --------------------

@pytest.mark.parametrize("size,text", [((1024, 600), "large"), ((1280, 720), "xlarge"), ((1024, 600), "xlarge")])
def test_debrief_chart_draws_every_series_at_large_text(make_pilot, home, size, text):
    from game.ui.widgets import _axes_h, _legend

    with_text_size(home, text)
    p = make_pilot(scenario=VIEWS, size=size)
    to_debrief(p)
    s = p.scene
    assert s.chart_rect is not None
    chart = s.chart
    gauges = list(s.ctl.scenario.gauges.items())
    series = [(n, g.label, s.data.series[n], g.min, g.max) for n, g in gauges]
    legend_h = _legend(p.app.ctx, chart.get_width(), series)[1]
    plot = chart.subsurface(pygame.Rect(0, 0, chart.get_width(), chart.get_height() - legend_h - _axes_h(p.app.ctx)))
    for i, _ in enumerate(series):
        colour = p.app.ctx.theme.series[i][:3]
        mask = pygame.mask.from_threshold(plot, colour, (2, 2, 2, 255))
        assert mask.count() >= 40, (size, text, i, mask.count())  # its line and markers, above the legend


@pytest.mark.parametrize("name", ["default", "high-contrast"])
def test_chart_series_contrast_and_non_colour_cues(name):
    from game.ui.theme import load_theme
    from game.ui.widgets import series_style

    th = load_theme(name)
    pal = th.series
    for c in pal:
        assert contrast_ratio(c, th["surface"]) >= 3.0, (name, c)  # every line against the chart
    for i in range(len(pal) - 1):  # neighbours in the order gauges are drawn: 3:1 apart
        assert contrast_ratio(pal[i], pal[i + 1]) >= 3.0, (name, i)
    for i in range(4):  # the first four gauges (the usual count) all differ from each other by 3:1 or by hue and line
        for j in range(i + 1, 4):
            if contrast_ratio(pal[i], pal[j]) < 3.0:
                assert series_style(i) != series_style(j)
    styles = [series_style(i) for i in range(len(pal))]
    assert len(set(m for m, _ in styles)) == len(styles)  # a marker shape each
    assert len(set(d for _, d in styles)) == len(styles)  # a line pattern each


# ---- the HUD: better/worse in words, and which way is good ---------------------------------------------

def test_hud_says_better_or_worse_and_which_way_is_good(make_pilot, home):
    from game import presentation

    with_text_size(home, "xlarge")
    p = make_pilot(scenario=VIEWS, size=(1024, 600))
    p.key(K.K_RETURN)
    hud = p.scene.hud
    senses = hud.senses
    assert senses["relation"].words == t("ui.gauge.high_is_good", "fr") and senses["relation"].arrow == "↑"
    assert senses["exclusion"].words == t("ui.gauge.low_is_good", "fr") and senses["exclusion"].arrow == "↓"
    # the choice raises the workload (good: low): the chip says « moins bien », with its arrow and sign
    p.key(K.K_1, settle=False)
    p.step(2)
    assert "workload" in p.scene.hud.chips
    text = presentation.delta_text(5, False, "fr")
    assert text.startswith("▲") and "+5" in text and t("ui.feedback.worse", "fr") in text
    assert presentation.delta_text(-3, True, "en") == "▼\u00a0-3 · better"


def test_hud_rows_show_the_sense_on_screen(make_pilot, home):
    """The words are drawn: the HUD is taller than before by a line of small text per gauge,
    and the row area differs from a HUD drawn without senses."""
    from game.ui.widgets import GaugeHud

    p = make_pilot(scenario=VIEWS, size=(1280, 720))
    p.key(K.K_RETURN)
    ctx = p.app.ctx
    hud = p.scene.hud
    surf = pygame.Surface(ctx.size)
    hud.draw(surf)
    with_words = pygame.image.tobytes(surf.subsurface(hud.rect), "RGB")
    bare = GaugeHud(ctx, hud.rect, hud.gauges, {n: round(a.shown) for n, a in hud.anim.items()})
    surf2 = pygame.Surface(ctx.size)
    bare.draw(surf2)
    assert pygame.image.tobytes(surf2.subsurface(hud.rect), "RGB") != with_words
