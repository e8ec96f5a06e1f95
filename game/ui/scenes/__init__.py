"""The screens: title, picker, briefing, play, debrief, settings, history,
pause, apology, diagnostics. Shared layout helpers live here."""

from __future__ import annotations

import pygame

from game.i18n import keep_together

from ..text import html_escape


def esc(s: str) -> str:
    return html_escape(keep_together(s)).replace("\n", "<br>")


def font_tag(ctx, size_key: str, s: str, colour_key: str | None = None, bold: bool = False, italic: bool = False) -> str:
    """HTML for pygame_gui text boxes at a theme size (`s` is already escaped)."""
    colour = f" color='{ctx.theme.hex(colour_key)}'" if colour_key else ""
    inner = f"<b>{s}</b>" if bold else s
    inner = f"<i>{inner}</i>" if italic else inner
    return f"<font face='{ctx.theme.family}' pixel_size={ctx.metrics[size_key]}{colour}>{inner}</font>"


def page(ctx, max_width: int = 1280) -> pygame.Rect:
    """The content rectangle: the window less margins, at most `max_width` (scaled) wide, centred."""
    w, h = ctx.size
    m = ctx.metrics
    margin = max(m.pad * 2, int(w * 0.03))
    width = min(w - 2 * margin, m.px(max_width))
    return pygame.Rect((w - width) // 2, m.pad * 2, width, h - m.pad * 4)


def panel_rect(ctx, width: int, height: int) -> pygame.Rect:
    """A centred modal panel, never larger than the window less margins."""
    w, h = ctx.size
    m = ctx.metrics
    width = min(m.px(width), w - 4 * m.pad)
    height = min(m.px(height), h - 4 * m.pad)
    r = pygame.Rect(0, 0, width, height)
    r.center = (w // 2, h // 2)
    return r


def draw_panel(ctx, surface: pygame.Surface, rect: pygame.Rect) -> None:
    m = ctx.metrics
    pygame.draw.rect(surface, ctx.colour("surface"), rect, border_radius=m.radius + 4)
    pygame.draw.rect(surface, ctx.colour("border"), rect, max(1, m.border), border_radius=m.radius + 4)


def draw_card(ctx, surface: pygame.Surface, rect: pygame.Rect) -> None:
    """The rounded card behind a `#card_text` text box (drawn here, not by pygame_gui)."""
    m = ctx.metrics
    pygame.draw.rect(surface, ctx.colour("surface"), rect, border_radius=m.radius)
    pygame.draw.rect(surface, ctx.colour("border"), rect, max(1, m.border), border_radius=m.radius)


def button_width(ctx, text: str, size_key: str = "button", style: str = "regular", minimum: int = 0) -> int:
    f = ctx.font(size_key, "bold" if style == "bold" else "regular")
    return max(minimum, f.size(text)[0] + ctx.metrics.pad * 3)


def button_height(ctx, size_key: str = "button") -> int:
    return round(ctx.font(size_key).get_linesize() * 2.1)
