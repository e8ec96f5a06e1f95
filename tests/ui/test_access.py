"""The accessibility panel: Shift+A from every screen and a button in the settings; each
setting applies to the whole window (the rendered text's pixels and face, line height,
the dashboard card's and the chart's text height) and persists."""

from __future__ import annotations

import json

import pygame
import pytest

from game.i18n import t
from game.ui import userdata
from game.ui.scene import Push, Reset
from game.ui.theme import FONTS, READING_FONTS
from game.ui.widgets import render_chart

from .conftest import VIEWS

K = pygame


def open_panel(p):
    below = p.scene
    p.key(K.K_a, K.KMOD_SHIFT)
    assert p.scene.name == "access", f"Shift+A on {below.name} gave {p.scene.name}"
    assert p.app.stack[-2] is below
    return below


def close_panel(p, below):
    p.key(K.K_ESCAPE)
    assert p.scene is below


def check_panel_from_here(p, seen: list[str]):
    below = open_panel(p)
    seen.append(below.name + (":" + below.node.kind if below.name == "play" and below.report is None else
                              ":feedback" if below.name == "play" else ""))
    close_panel(p, below)


def test_shift_a_opens_the_panel_from_every_screen(make_pilot):
    p = make_pilot(scenario=VIEWS)
    seen: list[str] = []
    check_panel_from_here(p, seen)  # briefing
    p.key(K.K_RETURN)
    for choice in (K.K_1, K.K_1, K.K_2, K.K_1):
        check_panel_from_here(p, seen)  # a node
        p.key(choice)
        assert p.scene.report is not None
        check_panel_from_here(p, seen)  # its feedback
        p.key(K.K_RETURN)
    assert p.scene.name == "debrief"
    check_panel_from_here(p, seen)
    p.app._apply(Push(p.app.ctx.scenes.history(p.app.ctx, p.scene.ctl)))  # the whole history, at the end
    check_panel_from_here(p, seen)
    p.key(K.K_ESCAPE)
    for scene_key in ("title", "picker"):
        p.app._apply(Reset((p.app.ctx.scenes.title(p.app.ctx),)))
        if scene_key == "picker":
            p.key(K.K_RETURN)
        check_panel_from_here(p, seen)
    p.key(K.K_ESCAPE)  # back to the title
    p.key(K.K_DOWN)
    p.key(K.K_RETURN)
    assert p.scene.name == "settings"
    check_panel_from_here(p, seen)
    assert seen == ["briefing", "play:narrative", "play:feedback", "play:sms", "play:feedback", "play:dashboard",
                    "play:feedback", "play:visio", "play:feedback", "debrief", "history", "title", "picker", "settings"]


def test_shift_a_from_the_pause_menu_the_history_and_the_step_out_page(make_pilot):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    p.key(K.K_h)
    assert p.scene.name == "history"
    close_panel(p, open_panel(p))
    p.key(K.K_h)
    p.key(K.K_ESCAPE)
    assert p.scene.name == "pause"
    close_panel(p, open_panel(p))
    p.click_text(t("ui.pause.step_out"))
    assert p.scene.name == "stepout"
    below = open_panel(p)
    p.key(K.K_a, K.KMOD_SHIFT)  # Shift+A again closes it too
    assert p.scene is below


def test_the_settings_open_the_panel_and_it_mentions_the_terminal_mode(make_pilot):
    p = make_pilot()
    p.click_text(t("ui.title.settings"))
    p.click_text(t("ui.access.open"))
    assert p.scene.name == "access"
    assert t("ui.access.screen_reader") in p.scene.notes() and "--text" in t("ui.access.screen_reader", "en")
    p.click_text(t("ui.close"))
    assert p.scene.name == "settings"


def test_each_setting_applies_and_persists(make_pilot, home):
    p = make_pilot(scenario=VIEWS)
    open_panel(p)
    for label in (t("ui.size.xlarge"), t("ui.access.spacing.wider"), t("ui.access.font.atkinson")):
        p.click_text(label)
        assert p.scene.name == "access"
    yes = [b for b in p.buttons() if b.text == t("ui.yes")]
    for b in yes:  # high contrast, reduced motion, self-voicing
        p.click(b.get_abs_rect().center)
        yes = [b for b in p.buttons() if b.text == t("ui.yes")]
    s = p.app.ctx.settings
    assert (s.text_size, s.line_spacing, s.reading_font, s.high_contrast, s.reduced_motion, s.self_voicing) == \
        ("xlarge", "wider", "atkinson", True, True, True)
    assert p.app.ctx.colour("bg")[:3] == (0, 0, 0)
    saved = json.loads(home.settings_file.read_text())
    assert saved["reading_font"] == "atkinson" and saved["line_spacing"] == "wider" and saved["self_voicing"] is True
    q = make_pilot()
    assert q.app.ctx.settings == s


def test_an_older_settings_file_reads_with_the_new_defaults(home):
    home.config.mkdir(parents=True, exist_ok=True)
    home.settings_file.write_text(json.dumps({"language": "en", "text_size": "large", "high_contrast": True}))
    s = userdata.load_settings(home)
    assert (s.language, s.text_size, s.high_contrast) == ("en", "large", True)
    assert (s.reading_font, s.line_spacing, s.self_voicing) == ("theme", "normal", False)
    home.settings_file.write_text(json.dumps({"reading_font": "comic", "line_spacing": 3, "self_voicing": "yes"}))
    s = userdata.load_settings(home)
    assert (s.reading_font, s.line_spacing, s.self_voicing) == ("theme", "normal", False)


def _to_first_node(make_pilot, home, **settings):
    userdata.save_settings(home, userdata.Settings(**settings))
    p = make_pilot(scenario=VIEWS, size=(1024, 600))
    p.key(K.K_RETURN)
    assert p.scene.name == "play"
    return p


def _text_pixels(p) -> bytes:
    p.app.dirty = True
    p.app._draw()
    r = p.scene.text_box.get_abs_rect()
    return pygame.image.tobytes(p.app.screen.subsurface(r), "RGB")


def test_a_reading_font_changes_the_face_and_the_pixels(make_pilot, home):
    shown = {}
    for name in READING_FONTS:
        p = _to_first_node(make_pilot, home, reading_font=name, reduced_motion=True)
        ctx = p.app.ctx
        want = ("Inter" if name == "theme" else {"atkinson": "Atkinson Hyperlegible", "opendyslexic": "OpenDyslexic"}[name])
        assert want in ctx.font("body").name  # the face the custom-drawn texts use
        gui = ctx.theme.gui_theme(ctx.metrics)["text_box"]["font"]  # and the one pygame_gui lays out
        assert gui["regular_path"] == str(ctx.font_path("regular"))
        if name != "theme":
            assert ctx.font_path("regular").parent == FONTS and ctx.font_path("regular").name == \
                READING_FONTS[name]["regular"]
        shown[name] = _text_pixels(p)
    assert len(set(shown.values())) == 3  # three different renderings of the same text


def test_line_spacing_makes_lines_taller(make_pilot, home):
    heights, blocks = [], []
    for spacing in ("normal", "wide", "wider"):
        p = _to_first_node(make_pilot, home, line_spacing=spacing, reduced_motion=True)
        tb = p.scene.text_box
        rows = tb.text_box_layout.layout_rows  # the node's text, laid out by pygame_gui
        assert len(rows) >= 3
        heights.append(rows[-1].top - rows[1].top)
        blocks.append(p.app.ctx.text("une ligne\net une autre", "body", "text", 400).get_height())  # drawn texts
    assert heights[0] < heights[1] < heights[2]
    assert blocks[0] < blocks[1] < blocks[2]


def _ink_rows(surface: pygame.Surface, bg=None) -> int:
    """The height of the first line of text from the top: rows holding ink (pixels far from `bg`,
    or opaque ones when `bg` is None), gaps under 3 rows (an accent over a capital) included."""
    w, h = surface.get_size()

    def inked(y: int) -> bool:
        for x in range(w):
            c = surface.get_at((x, y))
            if bg is None and c.a > 128 or bg is not None and abs(c.r - bg[0]) + abs(c.g - bg[1]) + abs(c.b - bg[2]) > 240:
                return True
        return False

    first = last = None
    for y in range(h):
        if inked(y):
            first = y if first is None else first
            last = y
        elif last is not None and y - last >= 3:
            break
    return 0 if first is None else last - first + 1


def test_text_size_grows_the_dashboard_cards_and_the_charts_text(make_pilot, home):
    cards, charts = [], []
    for size in ("normal", "xlarge"):
        p = _to_first_node(make_pilot, home, text_size=size, reduced_motion=True)
        for k in (K.K_1, K.K_RETURN, K.K_1, K.K_RETURN):
            p.key(k)
        view = p.scene.view
        assert p.scene.node.kind == "dashboard"
        assert view.card.get_width() <= p.scene.stage.width  # drawn at its size, never shrunk to fit
        pad = p.app.ctx.metrics.px(16)
        head = view.card.subsurface(pygame.Rect(pad, pad, view.card.get_width() - 2 * pad,
                                                view.card.get_height() - 2 * pad))
        cards.append(_ink_rows(head, bg=head.get_at((0, head.get_height() // 2))))
        chart = render_chart(p.app.ctx, (700, 420), [("workload", "Charge de travail", [40, 45, 55], 0, 100),
                                                       ("relation", "Qualité de la relation", [50, 60, 55], 0, 100)])
        axis = chart.subsurface(pygame.Rect(0, 0, 12, chart.get_height() // 3))  # the top axis label's first columns
        charts.append(_ink_rows(axis))
    assert cards[0] > 0 and charts[0] > 0
    assert cards[1] > cards[0] * 1.15, cards
    assert charts[1] > charts[0] * 1.15, charts


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_panel_in_both_languages(make_pilot, home, lang):
    p = make_pilot(lang=lang)
    open_panel(p)
    texts = {b.text for b in p.buttons()}
    for key in ("ui.access.font.theme", "ui.access.spacing.wider", "ui.size.xlarge", "ui.close"):
        assert t(key, lang) in texts
    assert p.scene.spoken()[0] == t("ui.access.title", lang)


@pytest.mark.parametrize("name", [n for n in READING_FONTS if READING_FONTS[n]])
def test_reading_fonts_have_every_french_letter_and_sign(name):
    pygame.font.init()
    for style in ("regular", "italic", "bold", "semibold"):
        f = pygame.font.Font(str(FONTS / READING_FONTS[name][style]), 24)
        missing = pygame.image.tobytes(f.render("\uffff", True, (0, 0, 0)), "RGBA")  # what a missing glyph looks like
        lacking = [c for c in "éèêëàâçôîïûùœæÉÈÀÇŒ«»…’€—–·" if pygame.image.tobytes(f.render(c, True, (0, 0, 0)), "RGBA") == missing]
        assert not lacking, (name, style, lacking)


def test_letters_typed_into_a_text_field_stay_letters(make_pilot):
    import pygame_gui

    p = make_pilot()
    scene = p.scene
    entry = pygame_gui.elements.UITextEntryLine(pygame.Rect(10, 10, 300, 40), scene.manager)
    entry.focus()
    scene.manager.set_focus_set(entry)
    p.key(K.K_v)
    p.key(K.K_a, K.KMOD_SHIFT)
    assert p.scene is scene and not p.app.ctx.settings.self_voicing
    entry.unfocus()
    scene.manager.set_focus_set(None)
    p.key(K.K_v)
    assert p.app.ctx.settings.self_voicing


@pytest.mark.parametrize("font", list(READING_FONTS))
def test_the_panel_holds_at_1024x600_with_the_largest_text_and_spacing_in_each_font(make_pilot, home, font):
    from .test_playthrough_keyboard import tab_through

    userdata.save_settings(home, userdata.Settings(text_size="xlarge", line_spacing="wider", reading_font=font))
    p = make_pilot(size=(1024, 600))
    open_panel(p)
    reached = tab_through(p)  # every option and « Fermer », each shown whole when it has focus
    assert len(reached) == 4 + 3 + 3 + 2 * 3 + 1  # sizes, spacings, fonts, three yes/no rows, « Fermer »
    win = pygame.Rect(0, 0, 1024, 600)
    assert win.contains(p.scene.rect)
