"""Appearance is data: the theme files under assets/themes/.

`load_theme(name)` reads a theme (following `extends`), checks it and
returns a `Theme`. A broken theme raises `ThemeError` naming the file and the
key, never a silent fallback. `Theme.metrics(text_size, window)` gives the
pixel sizes for a text-size setting and a window size; `gui_theme(metrics)`
turns both into the dictionary pygame_gui reads. `contrast_ratio` is WCAG's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from game import resources

ASSETS = resources.assets()
THEMES = ASSETS / "themes"
FONTS = ASSETS / "fonts"
ICONS = ASSETS / "icons"
ILLUSTRATIONS = ASSETS / "illustrations"

TEXT_SIZES = ("small", "normal", "large", "xlarge")
_HEX = re.compile(r"^#([0-9A-Fa-f]{6})([0-9A-Fa-f]{2})?$")
_REQUIRED_TOP = ("fonts", "sizes", "text_scales", "window_scale", "colours", "series")
_FONT_STYLES = ("regular", "italic", "bold", "semibold")

#: The reading fonts offered besides the theme's own (the accessibility panel), files in
#: assets/fonts (their licences and origin: assets/fonts/README.md). Neither has a
#: semibold weight: its bold stands in. "theme" keeps the theme's fonts. `scale` brings a
#: face drawn larger than the theme's to about its width (OpenDyslexic's glyphs are half
#: as wide again as Inter's at one pixel size): the text-size setting then means the same.
#: `signs` are the characters the interface uses that a face has no glyph for
#: (tests/ui/test_reading_font_signs.py checks the list): they are drawn with the
#: theme's own font (`Theme.with_signs`, `text.face`), never as an empty box.
READING_FONTS: dict[str, dict[str, Any] | None] = {
    "theme": None,
    "atkinson": {"family": "atkinson", "regular": "AtkinsonHyperlegible-Regular.ttf",
                 "italic": "AtkinsonHyperlegible-Italic.ttf", "bold": "AtkinsonHyperlegible-Bold.ttf",
                 "semibold": "AtkinsonHyperlegible-Bold.ttf", "signs": "←↑→↓▲▼⚠✓␀␛"},
    "opendyslexic": {"family": "opendyslexic", "regular": "OpenDyslexic-Regular.woff",
                     "italic": "OpenDyslexic-Italic.woff", "bold": "OpenDyslexic-Bold.woff",
                     "semibold": "OpenDyslexic-Bold.woff", "scale": 0.75, "signs": "⚠␀␛"},
}
#: The pygame_gui family name of the font that draws a reading font's missing signs.
SIGNS_FAMILY = "signs"
#: Line spacing settings: a factor on the height of every line of running text
#: (text boxes, bubbles, the dashboard card, choices). "wide" brings the text boxes'
#: 1.3 to the 1.5 of WCAG 1.4.12.
LINE_SPACINGS: dict[str, float] = {"normal": 1.0, "wide": 1.15, "wider": 1.4}


class ThemeError(Exception):
    """A theme file that cannot be used; the message names the file and key."""


def parse_colour(value: str) -> tuple[int, int, int, int]:
    m = _HEX.match(value) if isinstance(value, str) else None
    if not m:
        raise ValueError(f"{value!r} is not a colour (expected #RRGGBB or #RRGGBBAA)")
    rgb = m.group(1)
    a = int(m.group(2), 16) if m.group(2) else 255
    return int(rgb[0:2], 16), int(rgb[2:4], 16), int(rgb[4:6], 16), a


def relative_luminance(rgb: tuple[int, ...]) -> float:
    def chan(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = rgb[:3]
    return 0.2126 * chan(r) + 0.7152 * chan(g) + 0.0722 * chan(b)


def contrast_ratio(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """WCAG 2 contrast ratio between two opaque colours (1.0 to 21.0)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def _read(name: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    path = THEMES / f"{name}.json"
    if name in seen:
        raise ThemeError(f"{path}: 'extends' loops back to '{name}'")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ThemeError(f"{path}: no such theme file") from None
    except json.JSONDecodeError as e:
        raise ThemeError(f"{path}:{e.lineno}:{e.colno}: {e.msg}") from None
    if not isinstance(data, dict):
        raise ThemeError(f"{path}: a theme is a JSON object")
    parent = data.get("extends")
    if parent:
        base = _read(parent, seen + (name,))
        merged = {**base, **{k: v for k, v in data.items() if k not in ("colours", "sizes", "fonts")}}
        for key in ("colours", "sizes", "fonts"):
            merged[key] = {**base.get(key, {}), **data.get(key, {})}
        merged["_files"] = base.get("_files", []) + [str(path)]
        return merged
    data["_files"] = [str(path)]
    return data


@dataclass(frozen=True)
class Metrics:
    """Pixel sizes for one text-size setting at one window size."""

    scale: float
    sizes: dict[str, int]
    pad: int  # the basic spacing unit
    radius: int
    border: int
    focus_width: int
    spacing: float = 1.0  # the line-spacing factor (LINE_SPACINGS)

    def __getitem__(self, key: str) -> int:
        return self.sizes[key]

    def px(self, n: float) -> int:
        """A layout length given at the reference size, scaled."""
        return max(1, round(n * self.scale))


class Theme:
    """A checked theme: colours by key, font files, sizes."""

    def __init__(self, name: str, data: dict[str, Any]):
        self.name = name
        self.data = data
        where = " (" + ", ".join(data.get("_files", [])) + ")"
        for key in _REQUIRED_TOP:
            if key not in data:
                raise ThemeError(f"theme '{name}': missing key '{key}'{where}")
        self.colours: dict[str, tuple[int, int, int, int]] = {}
        for key, value in data["colours"].items():
            try:
                self.colours[key] = parse_colour(value)
            except ValueError as e:
                raise ThemeError(f"theme '{name}': colours.{key}: {e}{where}") from None
        for i, value in enumerate(data["series"]):
            try:
                parse_colour(value)
            except ValueError as e:
                raise ThemeError(f"theme '{name}': series[{i}]: {e}{where}") from None
        self.series = [parse_colour(v) for v in data["series"]]
        fonts = data["fonts"]
        self.font_files: dict[str, Path] = {}
        for style in _FONT_STYLES:
            if style not in fonts:
                raise ThemeError(f"theme '{name}': fonts.{style} is missing{where}")
            path = FONTS / fonts[style]
            if not path.is_file():
                raise ThemeError(f"theme '{name}': fonts.{style}: no font file {path}{where}")
            self.font_files[style] = path
        self.family = fonts.get("family", "body")
        self.font_scale = float(fonts.get("scale", 1.0))
        #: the characters this face cannot draw, and the files of the font that draws them
        self.signs = frozenset(fonts.get("signs", ""))
        sign_fonts = data.get("sign_fonts") or {}
        self.sign_files: dict[str, Path] = {s: FONTS / sign_fonts[s] for s in _FONT_STYLES if s in sign_fonts} \
            if self.signs else {}
        for key in ("body", "small", "button", "h1", "h2", "h3", "choice", "hud", "bubble"):
            if not isinstance(data["sizes"].get(key), int):
                raise ThemeError(f"theme '{name}': sizes.{key} must be an integer{where}")
        for key in TEXT_SIZES:
            if not isinstance(data["text_scales"].get(key), (int, float)):
                raise ThemeError(f"theme '{name}': text_scales.{key} must be a number{where}")
        self.contrast_pairs = [tuple(p) for p in data.get("contrast_pairs", [])]
        for a, b in self.contrast_pairs:
            for k in (a, b):
                if k not in self.colours:
                    raise ThemeError(f"theme '{name}': contrast_pairs names unknown colour '{k}'{where}")

    def __getitem__(self, key: str) -> tuple[int, int, int, int]:
        try:
            return self.colours[key]
        except KeyError:
            raise ThemeError(f"theme '{self.name}': no colour '{key}'") from None

    def hex(self, key: str) -> str:
        r, g, b, _ = self[key]
        return f"#{r:02X}{g:02X}{b:02X}"

    def metrics(self, text_size: str = "normal", window: tuple[int, int] = (1280, 720),
                line_spacing: str = "normal") -> Metrics:
        ws = self.data["window_scale"]
        rw, rh = ws["reference"]
        win = max(ws["min"], min(ws["max"], min(window[0] / rw, window[1] / rh)))
        text = float(self.data["text_scales"].get(text_size, 1.0)) * self.font_scale
        sizes = {k: max(10, round(v * win * text)) for k, v in self.data["sizes"].items()}
        return Metrics(win, sizes, max(6, round(12 * win)), round(self.data.get("radius", 8) * win),
                       int(self.data.get("border", 1)), int(self.data.get("focus_width", 3)),
                       LINE_SPACINGS.get(line_spacing, 1.0))

    # ---- pygame_gui ---------------------------------------------------------
    def font_block(self, size: int, style: str = "regular") -> dict[str, Any]:
        ff = self.font_files
        block = {"name": self.family, "size": str(size),
                 "regular_path": str(ff["regular"]), "bold_path": str(ff["bold"]),
                 "italic_path": str(ff["italic"]), "bold_italic_path": str(ff["bold"])}
        if style == "bold":
            block["bold"] = "1"
        if style == "italic":
            block["italic"] = "1"
        return block

    def gui_theme(self, m: Metrics) -> dict[str, Any]:
        """The pygame_gui theme dictionary for these metrics."""
        h = self.hex
        radius = str(m.radius)
        pad = str(m.pad)
        base_colours = {
            "normal_bg": h("button_bg"), "hovered_bg": h("button_hover"), "disabled_bg": h("button_disabled_bg"),
            "selected_bg": h("selected_bg"), "active_bg": h("button_hover"), "dark_bg": h("surface"),
            "normal_text": h("button_text"), "hovered_text": h("button_text"), "disabled_text": h("button_disabled_text"),
            "selected_text": h("selected_text"), "active_text": h("button_text"),
            "normal_border": h("button_border"), "hovered_border": h("accent"), "disabled_border": h("border"),
            "selected_border": h("selected_bg"), "active_border": h("accent"),
            "link_text": h("accent"), "link_hover": h("accent_hover"), "link_selected": h("accent"),
            "text_shadow": h("bg"), "filled_bar": h("gauge_fill"), "unfilled_bar": h("gauge_track"),
            "text_cursor": h("text"),
            "normal_text_shadow": "#00000000", "hovered_text_shadow": "#00000000", "disabled_text_shadow": "#00000000",
            "selected_text_shadow": "#00000000", "active_text_shadow": "#00000000",
        }
        button_misc = {"shape": "rounded_rectangle", "shape_corner_radius": radius, "border_width": str(m.border),
                       "shadow_width": "0", "text_horiz_alignment_padding": pad, "tool_tip_delay": "0.8"}
        transparent = {"dark_bg": "#00000000", "normal_border": "#00000000", "normal_bg": "#00000000"}
        plain_text = {"normal_text": h("text"), "text_shadow": "#00000000"}
        theme: dict[str, Any] = {
            "defaults": {"colours": base_colours, "font": self.font_block(m["body"])},
            "button": {"colours": base_colours, "font": self.font_block(m["button"]), "misc": button_misc},
            "#primary": {"colours": {"normal_bg": h("accent"), "hovered_bg": h("accent_hover"), "active_bg": h("accent_hover"),
                                     "normal_text": h("accent_text"), "hovered_text": h("accent_text"),
                                     "active_text": h("accent_text"), "normal_border": h("accent"),
                                     "hovered_border": h("accent_hover")},
                         "font": self.font_block(m["button"], "bold"), "misc": button_misc},
            "#quiet": {"colours": {"normal_bg": h("bg"), "normal_border": h("bg"), "hovered_bg": h("button_hover"),
                                   "hovered_border": h("button_border")},
                       "font": self.font_block(m["small"]), "misc": button_misc},
            "#menu": {"font": self.font_block(m["h3"]), "misc": button_misc},
            "#menu_primary": {"colours": {"normal_bg": h("accent"), "hovered_bg": h("accent_hover"),
                                          "active_bg": h("accent_hover"), "normal_text": h("accent_text"),
                                          "hovered_text": h("accent_text"), "active_text": h("accent_text"),
                                          "normal_border": h("accent"), "hovered_border": h("accent_hover")},
                              "font": self.font_block(m["h3"], "bold"), "misc": button_misc},
            "label": {"colours": {**plain_text, "dark_bg": "#00000000"}, "font": self.font_block(m["body"]),
                      "misc": {"text_horiz_alignment": "left"}},
            "#h1": {"colours": {"normal_text": h("heading")}, "font": self.font_block(m["h1"], "bold")},
            "#h2": {"colours": {"normal_text": h("heading")}, "font": self.font_block(m["h2"], "bold")},
            "#h3": {"colours": {"normal_text": h("heading")}, "font": self.font_block(m["h3"], "bold")},
            "#muted": {"colours": {"normal_text": h("text_muted")}, "font": self.font_block(m["small"])},
            "#center": {"misc": {"text_horiz_alignment": "center"}},
            "text_box": {"colours": {**transparent, "normal_text": h("text"), "link_text": h("accent")},
                         "font": self.font_block(m["body"]),
                         "misc": {"border_width": "0", "shadow_width": "0", "padding": "0,0",
                                  "line_spacing": f"{1.3 * m.spacing:.2f}", "shape": "rectangle"}},
            # the card behind is drawn by the scene (scenes.draw_card): pygame_gui's anti-aliased
            # rounded shape cost 100-500 ms to build for a window-sized text box
            "#card_text": {"misc": {"padding": f"{pad},{pad}"}},
            "panel": {"colours": {"dark_bg": h("surface"), "normal_border": h("border")},
                      "misc": {"shape": "rounded_rectangle", "shape_corner_radius": radius, "border_width": str(m.border),
                               "shadow_width": "0"}},
            "scrolling_container": {"colours": {"dark_bg": "#00000000", "normal_border": "#00000000"},
                                    "misc": {"border_width": "0", "shadow_width": "0"}},
            "vertical_scroll_bar": {"colours": {"dark_bg": h("bg_deep"), "normal_bg": h("scrollbar"),
                                                "hovered_bg": h("accent"), "active_bg": h("accent"),
                                                "disabled_bg": h("bg_deep"), "normal_border": h("bg_deep")},
                                    "misc": {"border_width": "0", "shadow_width": "0",
                                             "enable_arrow_buttons": "0", "sliding_button_width": "10"}},
            "vertical_scroll_bar.button": {"misc": {"shape": "rounded_rectangle", "shape_corner_radius": "5",
                                                    "border_width": "0", "shadow_width": "0"}},
            "vertical_scroll_bar.#sliding_button": {"colours": {"normal_bg": h("scrollbar"), "hovered_bg": h("accent"),
                                                                "active_bg": h("accent"), "normal_border": h("scrollbar")},
                                                    "misc": {"shape": "rounded_rectangle", "shape_corner_radius": "5",
                                                             "border_width": "0", "shadow_width": "0"}},
            # typed text (the join form, the file dialog) at the size of the texts around it
            "text_entry_line": {"font": self.font_block(m["body"])},
            "tool_tip": {"colours": {"dark_bg": h("surface"), "normal_text": h("text"), "normal_border": h("border")},
                         "font": self.font_block(m["small"])},
        }
        return theme

    def preload(self, m: Metrics) -> list[dict[str, Any]]:
        """The fonts our HTML uses, for UIManager.preload_fonts (no warnings, no stalls)."""
        out = []
        for family in (self.family, SIGNS_FAMILY) if self.sign_files else (self.family,):
            for key in ("body", "small", "h2", "h3"):
                for style in ("regular", "bold", "italic"):
                    out.append({"name": family, "point_size": m[key], "style": style})
        return out

    def sign_font(self, style: str = "regular") -> "tuple[Path, frozenset[str]] | None":
        """The file that draws this face's missing signs in `style`, and those signs (None: it has them all)."""
        return (self.sign_files[style], self.signs) if self.signs and style in self.sign_files else None

    def with_signs(self, html: str) -> str:
        """pygame_gui HTML whose signs this face lacks are set in the sign font (tags left alone)."""
        if not self.signs or not any(c in self.signs for c in html):
            return html
        out, in_tag, run = [], False, []
        for c in html:
            if run and (in_tag or c not in self.signs):
                out.append(f"<font face='{SIGNS_FAMILY}'>{''.join(run)}</font>")
                run = []
            if c == "<":
                in_tag = True
            elif c == ">" and in_tag:
                in_tag = False
                out.append(c)
                continue
            if not in_tag and c in self.signs:
                run.append(c)
            else:
                out.append(c)
        if run:
            out.append(f"<font face='{SIGNS_FAMILY}'>{''.join(run)}</font>")
        return "".join(out)

    def plain_label(self, text: str) -> str:
        """A button's label without the signs this face cannot draw (a button has one font)."""
        if not self.signs:
            return text
        return " ".join("".join(c for c in text if c not in self.signs).split()) or text


@lru_cache(maxsize=8)
def load_theme(name: str = "default", reading_font: str = "theme") -> Theme:
    """The theme `assets/themes/<name>.json`, its fonts replaced by one of READING_FONTS
    (an unknown name keeps the theme's, which then draw the reading font's missing signs).
    Raises ThemeError."""
    data = _read(name)
    fonts = READING_FONTS.get(reading_font)
    if fonts is not None:
        data = {**data, "fonts": dict(fonts), "sign_fonts": dict(data["fonts"])}
    return Theme(name, data)


def theme_names() -> list[str]:
    return sorted(p.stem for p in THEMES.glob("*.json"))
