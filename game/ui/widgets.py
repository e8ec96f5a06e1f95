"""Custom-drawn widgets that pygame_gui does not offer as such.

`ChoiceList`: large numbered choice buttons whose text wraps (pygame_gui
buttons hold one line), with keys 1-9, arrows + Enter, mouse, disabled
choices greyed with their hint. `GaugeHud`: icon + label + value + bar for
each gauge, animating each change with its signed delta. `LineChart`: the
debrief's chart, one line and one marker shape per gauge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from game import presentation
from game.engine import ChoiceView
from game.i18n import typography

from .theme import ICONS

ICON_FOR = {
    "relation": "relation", "relationship": "relation", "lien": "relation",
    "exclusion": "exclusion", "acces": "exclusion", "acces_droits": "exclusion",
    "workload": "workload", "charge": "workload", "charge_travail": "workload",
    "secret": "secret", "confidentialite": "secret", "confidentiality": "secret", "secret_pro": "secret",
    "donnees": "secret", "vie_privee": "secret", "privacy": "secret",
    "sens": "meaning", "meaning": "meaning", "sens_travail": "meaning",
}


def gauge_icon(name: str):
    key = ICON_FOR.get(name)
    if key is None:
        for prefix, k in ICON_FOR.items():
            if name.startswith(prefix):
                key = k
                break
    return ICONS / f"{key or 'gauge'}.svg"



def draw_choice_face(surface: pygame.Surface, ctx, r: pygame.Rect, centre: tuple[int, int], badge: int, pad: int,
                     number: int, available: bool, body: pygame.Surface, hint: pygame.Surface | None) -> None:
    """A choice row's number badge at `centre` and its text (and hint) beside it, centred in `r`: the
    choice list's way, which group mode's vote rows share."""
    if available:
        pygame.draw.circle(surface, ctx.colour("accent"), centre, badge // 2)
        num = ctx.text(str(number), "choice", "accent_text", style="bold")
    else:
        pygame.draw.circle(surface, ctx.colour("button_disabled_text"), centre, badge // 2, 2)
        num = ctx.text(str(number), "choice", "button_disabled_text", style="bold")
    surface.blit(num, num.get_rect(center=centre))
    tx = r.x + pad * 2 + badge
    content_h = body.get_height() + (hint.get_height() + pad // 2 if hint else 0)
    ty = r.y + (r.height - content_h) // 2
    surface.blit(body, (tx, ty))
    if hint is not None:
        surface.blit(hint, (tx, ty + body.get_height() + pad // 2))

def rounded(surface: pygame.Surface, colour, rect: pygame.Rect, radius: int, width: int = 0) -> None:
    pygame.draw.rect(surface, colour, rect, width, border_radius=radius)


# ---------------------------------------------------------------------------
# Choices


@dataclass
class _Item:
    view: ChoiceView
    number: int
    rect: pygame.Rect  # in content coordinates (before scrolling)


class ChoiceList:
    """Numbered choices; `handle` returns the id of a choice the player made."""

    ARM = 0.5  # seconds after the choices appear before a click picks one (a double click's second half)

    def __init__(self, ctx, rect: pygame.Rect, choices: list[ChoiceView] | tuple[ChoiceView, ...]):
        self.ctx = ctx
        self.rect = pygame.Rect(rect)
        self.choices = list(choices)
        self.focus = -1
        self.hover = -1
        self.pressed = -1
        self.scroll = 0
        self.flash: tuple[int, float] | None = None  # a disabled choice just tried: (index, until)
        # A double click on the button these choices replaced must not pick one unseen.
        self.armed_at = ctx.now + self.ARM
        self._layout()

    def _layout(self) -> None:
        m = self.ctx.metrics
        pad = m.pad
        gap = max(6, pad * 2 // 3)
        badge = round(m["choice"] * 1.9)
        text_w = self.rect.width - badge - pad * 3
        y = 0
        self.items: list[_Item] = []
        self.surfaces: list[tuple[pygame.Surface, pygame.Surface | None]] = []
        for i, v in enumerate(self.choices):
            colour = "button_text" if v.available else "button_disabled_text"
            body = self.ctx.text(v.text, "choice", colour, text_w, style="semibold" if v.available else "regular")
            hint = None
            if not v.available:
                msg = self.ctx.t("ui.play.unavailable") + (f" — {v.hint}" if v.hint else "")
                hint = self.ctx.text(msg, "small", "button_disabled_text", text_w, style="italic")
            h = body.get_height() + (hint.get_height() + pad // 2 if hint else 0)
            h = max(h + pad * 2 - 4, badge + pad)
            self.items.append(_Item(v, i + 1, pygame.Rect(0, y, self.rect.width, h)))
            self.surfaces.append((body, hint))
            y += h + gap
        self.content_height = max(0, y - gap)
        self.badge = badge

    @property
    def height(self) -> int:
        return self.content_height

    def place(self, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        self.scroll = max(0, min(self.scroll, self.max_scroll))

    @property
    def max_scroll(self) -> int:
        return max(0, self.content_height - self.rect.height)

    def _screen_rect(self, item: _Item) -> pygame.Rect:
        return item.rect.move(self.rect.x, self.rect.y - self.scroll)

    def _at(self, pos) -> int:
        if not self.rect.collidepoint(pos):
            return -1
        for i, it in enumerate(self.items):
            if self._screen_rect(it).collidepoint(pos):
                return i
        return -1

    def _ensure_visible(self, i: int) -> None:
        r = self.items[i].rect
        if r.top < self.scroll:
            self.scroll = r.top
        elif r.bottom > self.scroll + self.rect.height:
            self.scroll = r.bottom - self.rect.height
        self.scroll = max(0, min(self.scroll, self.max_scroll))

    def _pick(self, i: int) -> str | None:
        if not 0 <= i < len(self.items):
            return None
        v = self.items[i].view
        if not v.available:
            self.flash = (i, self.ctx.now + 1.2)
            self.focus = i
            return None
        return v.id

    def handle(self, event: pygame.event.Event) -> str | None:
        """The id of the choice made by this event, if any (keys 1-9, arrows+Enter, click)."""
        if event.type == pygame.KEYDOWN:
            k = event.key
            if pygame.K_1 <= k <= pygame.K_9 or pygame.K_KP1 <= k <= pygame.K_KP9:
                n = (k - pygame.K_1) if k <= pygame.K_9 else (k - pygame.K_KP1)
                return self._pick(n)
            if k in (pygame.K_DOWN, pygame.K_TAB) and self.items:
                back = k == pygame.K_TAB and event.mod & pygame.KMOD_SHIFT
                self.focus = (self.focus + (-1 if back else 1)) % len(self.items) if self.focus >= 0 else (
                    len(self.items) - 1 if back else 0)
                self._ensure_visible(self.focus)
            elif k == pygame.K_UP and self.items:
                self.focus = (self.focus - 1) % len(self.items) if self.focus >= 0 else len(self.items) - 1
                self._ensure_visible(self.focus)
            elif k in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE) and self.focus >= 0:
                return self._pick(self.focus)
        elif event.type == pygame.MOUSEMOTION:
            self.hover = self._at(event.pos)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self.pressed = self._at(event.pos) if self.ctx.now >= self.armed_at else -1
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            i = self._at(event.pos)
            was = self.pressed
            self.pressed = -1
            if i >= 0 and i == was:
                return self._pick(i)
        elif event.type == pygame.MOUSEWHEEL:
            if self.rect.collidepoint(pygame.mouse.get_pos()) and self.max_scroll:
                self.scroll = max(0, min(self.max_scroll, self.scroll - event.y * 40))
        return None

    @property
    def animating(self) -> bool:
        return self.flash is not None and self.ctx.now < self.flash[1]

    def draw(self, surface: pygame.Surface) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        pad = m.pad
        prev = surface.get_clip()
        surface.set_clip(self.rect.inflate(m.focus_width * 2 + 4, m.focus_width * 2 + 4))
        for i, (it, (body, hint)) in enumerate(zip(self.items, self.surfaces)):
            r = self._screen_rect(it)
            if r.bottom < self.rect.top - 4 or r.top > self.rect.bottom + 4:
                continue
            v = it.view
            hovered = i == self.hover and v.available
            bg = "button_disabled_bg" if not v.available else ("button_hover" if hovered or i == self.pressed else "button_bg")
            rounded(surface, ctx.colour(bg), r, m.radius)
            border = "accent" if hovered else ("border" if not v.available else "button_border")
            rounded(surface, ctx.colour(border), r, m.radius, max(1, m.border + (1 if hovered else 0)))
            # number badge
            c = (r.x + pad + self.badge // 2, r.y + r.height // 2 if r.height < self.badge * 2 else r.y + pad + self.badge // 2)
            draw_choice_face(surface, ctx, r, c, self.badge, pad, it.number, v.available, body, hint)
            if self.flash and self.flash[0] == i and self.ctx.now < self.flash[1]:
                rounded(surface, ctx.colour("negative"), r, m.radius, 2)
            if i == self.focus:
                fr = r.inflate(m.focus_width * 2 + 2, m.focus_width * 2 + 2)
                rounded(surface, ctx.colour("focus"), fr, m.radius + 3, m.focus_width)
        surface.set_clip(prev)
        if self.max_scroll:
            # a thin scroll indicator, so a hidden choice is never a surprise
            track = pygame.Rect(self.rect.right + 3, self.rect.y, 4, self.rect.height)
            pygame.draw.rect(surface, ctx.colour("bg_deep"), track, border_radius=2)
            h = max(20, self.rect.height * self.rect.height // self.content_height)
            y = self.rect.y + (self.rect.height - h) * self.scroll // self.max_scroll
            pygame.draw.rect(surface, ctx.colour("scrollbar"), (track.x, y, 4, h), border_radius=2)


# ---------------------------------------------------------------------------
# Gauges


@dataclass
class _GaugeAnim:
    shown: float
    target: int
    start: float
    t0: float
    delta: int
    delta_until: float
    better: bool


class GaugeHud:
    """The gauges: icon, label, value, bar; each change animates with its signed delta."""

    DURATION = 0.7
    CHIP = 2.6

    def __init__(self, ctx, rect: pygame.Rect, gauges: list[tuple[str, object]], values: dict[str, int],
                 senses: dict[str, presentation.GaugeSense] | None = None):
        self.ctx = ctx
        self.rect = pygame.Rect(rect)
        self.gauges = gauges  # (name, Gauge model)
        self.senses = senses or {}  # which way is good, in words (presentation.gauge_sense)
        self.anim = {name: _GaugeAnim(values[name], values[name], values[name], 0.0, 0, 0.0, True)
                     for name, _ in gauges}
        self.chips: list[str] = []  # the gauges whose delta chip the last frame showed

    def clear_deltas(self) -> None:
        """The player moved on: the last choice's chips no longer describe what is on screen."""
        for a in self.anim.values():
            a.delta = 0

    @staticmethod
    def needed_height(ctx, n: int) -> int:
        m = ctx.metrics
        return n * GaugeHud.row_height(ctx) + m.pad * 2 + ctx.font("small").get_linesize() + m.pad // 2

    @staticmethod
    def row_height(ctx) -> int:
        m = ctx.metrics
        return ctx.font("hud").get_linesize() + max(m.px(8), ctx.font("small").get_linesize()) + m.pad // 2 + 2

    def set_values(self, values: dict[str, int], deltas: dict[str, tuple[int, bool]] | None = None,
                   animate: bool = True) -> None:
        now = self.ctx.now
        reduced = self.ctx.settings.reduced_motion or not animate
        for name, a in self.anim.items():
            new = values[name]
            d = deltas.get(name) if deltas else None
            if reduced:
                a.shown = a.start = new
                a.target = new
            elif new != a.target or a.shown != new:
                a.start = a.shown
                a.target = new
                a.t0 = now
            if d:
                a.delta, a.better = d
                a.delta_until = now + (self.CHIP if not reduced else 1e9)
            else:
                a.delta = 0

    @property
    def animating(self) -> bool:
        if self.ctx.settings.reduced_motion:
            return False
        now = self.ctx.now
        return any(now - a.t0 < self.DURATION or (a.delta and now < a.delta_until) for a in self.anim.values())

    def _tick(self) -> None:
        now = self.ctx.now
        for a in self.anim.values():
            p = min(1.0, (now - a.t0) / self.DURATION) if self.DURATION else 1.0
            p = 1 - (1 - p) ** 3
            a.shown = a.start + (a.target - a.start) * p

    def draw(self, surface: pygame.Surface) -> None:
        self._tick()
        ctx, m = self.ctx, self.ctx.metrics
        r = self.rect
        rounded(surface, ctx.colour("surface"), r, m.radius)
        rounded(surface, ctx.colour("border"), r, m.radius, m.border)
        pad = m.pad
        title = ctx.text(ctx.t("ui.hud.title"), "small", "text_muted", style="semibold")
        surface.blit(title, (r.x + pad, r.y + pad * 3 // 4))
        y = r.y + pad * 3 // 4 + title.get_height() + pad // 2
        row = self.row_height(ctx)
        icon_size = round(ctx.font("hud").get_linesize() * 1.25)
        now = ctx.now
        self.chips = []
        for name, g in self.gauges:
            a = self.anim[name]
            icon = ctx.image(gauge_icon(name), (icon_size, icon_size), ctx.colour("text"))
            x = r.x + pad
            if icon is not None:
                surface.blit(icon, (x, y + (ctx.font("hud").get_linesize() - icon.get_height()) // 2))
            x += icon_size + pad * 2 // 3
            value = round(a.shown)
            val = ctx.text(str(value), "hud", "text", style="bold")
            right = r.right - pad
            surface.blit(val, (right - val.get_width(), y))
            lab = ctx.fit(g.label, "hud", "text", max(20, right - val.get_width() - pad // 2 - x))
            surface.blit(lab, (x, y))
            # beside the bar: the last change in words while it shows (arrow, sign, better or
            # worse: never the colour alone), else which way is good for this gauge
            small_h = ctx.font("small").get_linesize()
            line2 = y + ctx.font("hud").get_linesize() + m.px(2)
            side_w = max(m.px(60), (right - x) // 2)
            if a.delta and now < a.delta_until:
                side = ctx.fit(presentation.delta_text(a.delta, a.better, ctx.lang), "small",
                               "delta_good" if a.better else "delta_bad", side_w, style="bold")
                self.chips.append(name)
            elif name in self.senses:
                sense = self.senses[name]
                side = ctx.fit(f"{sense.arrow} {sense.words}", "small", "text_muted", side_w)
            else:
                side = None
            bar_right = right - (side.get_width() + pad // 2 if side is not None else 0)
            if side is not None:
                surface.blit(side, (right - side.get_width(), line2))
            by = line2 + (small_h - m.px(8)) // 2
            bar = pygame.Rect(x, by, max(10, bar_right - x), m.px(8))
            pygame.draw.rect(surface, ctx.colour("gauge_track"), bar, border_radius=bar.height // 2)
            frac = (a.shown - g.min) / (g.max - g.min) if g.max > g.min else 0
            fill = bar.copy()
            fill.width = max(0, min(bar.width, round(bar.width * frac)))
            if fill.width:
                pygame.draw.rect(surface, ctx.colour("gauge_fill"), fill, border_radius=bar.height // 2)
            y += row


# ---------------------------------------------------------------------------
# Chart

MARKERS = ("circle", "square", "triangle", "diamond", "down", "cross")
#: each series' line pattern (pixels drawn, skipped, ...; None is a solid line): with the
#: marker shape, what tells two series apart when their colours are close
DASHES = (None, (12, 6), (3, 5), (12, 5, 3, 5), (6, 6), (18, 4, 3, 4, 3, 4))


def series_style(i: int) -> tuple[str, tuple[int, ...] | None]:
    """The marker and the line pattern of the i-th series (never the colour alone)."""
    return MARKERS[i % len(MARKERS)], DASHES[i % len(DASHES)]


def draw_pattern_line(surface, colour, pts: list[tuple[int, int]], width: int, pattern) -> None:
    """A polyline drawn with `pattern` (see DASHES); the pattern runs on across the joints."""
    if len(pts) < 2:
        return
    if pattern is None:
        pygame.draw.lines(surface, colour, False, pts, width)
        return
    k, left, on = 0, pattern[0], True
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        length = math.hypot(x1 - x0, y1 - y0)
        pos = 0.0
        while pos < length:
            step = min(left, length - pos)
            if on:
                a, b = pos / length, (pos + step) / length
                pygame.draw.line(surface, colour, (round(x0 + (x1 - x0) * a), round(y0 + (y1 - y0) * a)),
                                 (round(x0 + (x1 - x0) * b), round(y0 + (y1 - y0) * b)), width)
            pos += step
            left -= step
            if left <= 0:
                k = (k + 1) % len(pattern)
                left, on = pattern[k], not on


def draw_marker(surface, colour, kind: str, c: tuple[int, int], s: int) -> None:
    x, y = c
    if kind == "circle":
        pygame.draw.circle(surface, colour, c, s)
    elif kind == "square":
        pygame.draw.rect(surface, colour, (x - s, y - s, 2 * s, 2 * s))
    elif kind == "triangle":
        pygame.draw.polygon(surface, colour, [(x, y - s - 1), (x + s + 1, y + s), (x - s - 1, y + s)])
    elif kind == "diamond":
        pygame.draw.polygon(surface, colour, [(x, y - s - 1), (x + s + 1, y), (x, y + s + 1), (x - s - 1, y)])
    elif kind == "down":
        pygame.draw.polygon(surface, colour, [(x, y + s + 1), (x + s + 1, y - s), (x - s - 1, y - s)])
    else:
        pygame.draw.line(surface, colour, (x - s, y - s), (x + s, y + s), 3)
        pygame.draw.line(surface, colour, (x - s, y + s), (x + s, y - s), 3)


def _legend(ctx, w: int, series) -> tuple[list[list[tuple[int, pygame.Surface]]], int]:
    """The legend's rows (one entry per gauge, wrapped to `w`) and its height."""
    m = ctx.metrics
    lh = ctx.font("small").get_linesize()
    rows: list[list[tuple[int, pygame.Surface]]] = []
    x_leg, row = 0, []
    for i, (name, label, values, lo, hi) in enumerate(series):
        txt = ctx.fit(typography.label(label, f"{values[0]} → {values[-1]}", ctx.lang), "small", "text", w - 30)
        ew = txt.get_width() + 30
        if row and x_leg + ew > w:
            rows.append(row)
            row, x_leg = [], 0
        row.append((i, txt))
        x_leg += ew + m.pad
    if row:
        rows.append(row)
    return rows, len(rows) * (lh + 4) + ctx.metrics.pad // 2


def _axes_h(ctx) -> int:
    lh = ctx.font("small").get_linesize()
    return lh * 2 + lh // 2 + 6


def chart_min_height(ctx, width: int, series) -> int:
    """The height `render_chart` needs at `width` to draw its lines on a readable plot
    (at least three lines of small text high): the legend grows with the text size."""
    lh = ctx.font("small").get_linesize()
    return _legend(ctx, width, series)[1] + _axes_h(ctx) + max(48, lh * 3)


def render_chart(ctx, size: tuple[int, int], series: list[tuple[str, str, list[int], int, int]]) -> pygame.Surface:
    """A line chart of every gauge over the turns.

    `series`: (name, label, values, min, max). Values are placed on a
    0-100 % scale of each gauge's range; each line has its own colour and
    marker shape, and its label and final value at its end (never colour alone).
    """
    w, h = size
    m = ctx.metrics
    surf = pygame.Surface((max(1, w), max(1, h)), pygame.SRCALPHA)
    small = ctx.font("small")
    lh = small.get_linesize()
    legend_rows, legend_h = _legend(ctx, w, series)
    axis_w = small.size("100 %")[0] + m.pad // 2
    plot = pygame.Rect(axis_w + 4, lh // 2 + 2, w - axis_w - m.pad - 4, h - legend_h - _axes_h(ctx))
    if plot.width < 40 or plot.height < 40:
        return surf
    grid = ctx.colour("chart_grid")
    for frac in (0, 0.25, 0.5, 0.75, 1.0):
        y = plot.bottom - round(plot.height * frac)
        pygame.draw.line(surf, grid, (plot.left, y), (plot.right, y), 1)
        if frac in (0, 0.5, 1.0):
            lab = ctx.text(f"{int(frac * 100)} %", "small", "text_muted")
            surf.blit(lab, (plot.left - lab.get_width() - 6, y - lab.get_height() // 2))
    n = max(len(s[2]) for s in series) if series else 1
    turns = max(1, n - 1)
    step_x = plot.width / turns
    every = max(1, math.ceil(turns / max(1, plot.width // (small.size("00")[0] * 2 + 8))))
    for k in range(0, n, every):
        x = plot.left + round(k * step_x)
        lab = ctx.text(str(k), "small", "text_muted")
        surf.blit(lab, (x - lab.get_width() // 2, plot.bottom + 4))
    cap = ctx.text(ctx.t("ui.debrief.chart_turns"), "small", "text_muted")
    surf.blit(cap, (plot.right - cap.get_width(), plot.bottom + 4 + lh))
    for i, (name, label, values, lo, hi) in enumerate(series):
        colour = ctx.theme.series[i % len(ctx.theme.series)]
        marker, dash = series_style(i)
        pts = [(plot.left + round(k * step_x), plot.bottom - round(plot.height * ((v - lo) / (hi - lo) if hi > lo else 0)))
               for k, v in enumerate(values)]
        draw_pattern_line(surf, colour, pts, 3, dash)
        for p in pts:
            draw_marker(surf, colour, marker, p, max(4, m.px(5)))
    y = plot.bottom + lh * 2 + 8
    for row in legend_rows:
        x = 0
        for i, txt in row:
            colour = ctx.theme.series[i % len(ctx.theme.series)]
            marker, dash = series_style(i)
            draw_pattern_line(surf, colour, [(x, y + lh // 2), (x + 26, y + lh // 2)], 3, dash)
            draw_marker(surf, colour, marker, (x + 13, y + lh // 2), max(4, m.px(5)))
            surf.blit(txt, (x + 30, y))
            x += txt.get_width() + 30 + m.pad
        y += lh + 4
    return surf
