"""The scenario picker: a card per scenario, endings found, filter by audience."""

from __future__ import annotations

from dataclasses import dataclass

import pygame
import pygame_gui

from game.authoring import library
from game.authoring.loader import Loaded, load_file

from .. import userdata
from ..scene import Pop, Push, Scene
from . import button_height, button_width, page


@dataclass
class Card:
    id: str
    loaded: Loaded
    found: int


def load_cards(lang: str, dirs) -> list[Card]:
    progress = userdata.load_progress(dirs)
    cards = []
    for e in library.library():
        loaded = load_file(e.file(lang))
        sid = loaded.scenario.id if loaded.ok else e.id
        cards.append(Card(e.id, loaded, len(progress.found(sid))))
    return cards


class PickerScene(Scene):
    name = "picker"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.filter: str | None = None
        self.cards = load_cards(ctx.lang, ctx.dirs)
        self._lang = ctx.lang

    def on_settings(self, old, new) -> None:
        if new.language != old.language:
            self.cards = load_cards(new.language, self.ctx.dirs)

    def on_enter(self) -> None:
        self.cards = load_cards(self.ctx.lang, self.ctx.dirs)  # endings found may have changed
        self.build()

    @property
    def audiences(self) -> list[str]:
        tags = set()
        for c in self.cards:
            if c.loaded.ok:
                tags.update(c.loaded.scenario.audience)
        return sorted(tags)

    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        pg = page(ctx, 1400)
        bh = button_height(ctx)
        back_w = button_width(ctx, self.t("ui.back"))
        self.button(pygame.Rect(pg.x, pg.y, back_w, bh), self.t("ui.back"), lambda: Pop(), object_id="#quiet")
        self.heading_pos = (pg.x, pg.y + bh + m.pad)
        head_h = ctx.font("h2", "bold").get_linesize()
        y = pg.y + bh + m.pad + head_h + m.pad
        # audience filter
        x = pg.x
        lab = ctx.text(self.t("ui.picker.filter"), "body", "text_muted")
        self.filter_label = (x, y + (bh - lab.get_height()) // 2)
        x += lab.get_width() + m.pad
        fy = y
        for tag in [None] + self.audiences:
            text = self.t("ui.picker.all") if tag is None else tag
            bw = button_width(ctx, text, minimum=m.px(64))
            if x + bw > pg.right:
                x = pg.x + lab.get_width() + m.pad
                fy += bh + m.pad // 2
            b = self.button(pygame.Rect(x, fy, bw, bh), text, lambda tag=tag: self._set_filter(tag))
            if tag == self.filter:
                b.select()
            x += bw + m.pad // 2
        y = fy + bh + m.pad * 2
        # cards in a scrolling container
        area = pygame.Rect(pg.x, y, pg.width, pg.bottom - y)
        self.area = area
        shown = [c for c in self.cards if self.filter is None or
                 (c.loaded.ok and self.filter in c.loaded.scenario.audience)]
        self.shown = shown
        if not shown:
            self.empty = True
            return
        self.empty = False
        cols = max(1, min(3, (area.width + m.pad) // (m.px(400) + m.pad)))
        gap = m.pad * 3 // 2
        scroll_w = 24
        card_w = (area.width - scroll_w - gap * (cols - 1)) // cols
        container = pygame_gui.elements.UIScrollingContainer(area, self.manager, allow_scroll_x=False)
        self.container = container
        rendered = [self._render(c, card_w) for c in shown]
        ys = [0] * cols
        row_y = 0
        for i in range(0, len(rendered), cols):
            row = rendered[i:i + cols]
            row_h = max(s.get_height() for s, _ in row)
            for j, (surf, card) in enumerate(row):
                x = j * (card_w + gap)
                full = pygame.Surface((card_w, row_h), pygame.SRCALPHA)
                self._card_bg(full)
                full.blit(surf, (0, 0))
                pygame_gui.elements.UIImage(pygame.Rect(x, row_y, card_w, row_h), full, self.manager,
                                            container=container)
                label = self.t("ui.picker.choose") if card.loaded.ok else self.t("ui.picker.errors")
                bw = button_width(ctx, label, style="bold", minimum=m.px(140))
                self.button(pygame.Rect(x + card_w - bw - m.pad, row_y + row_h - bh - m.pad, bw, bh), label,
                            lambda card=card: self._open(card), object_id="#primary" if card.loaded.ok else None,
                            container=container)
            row_y += row_h + gap
        container.set_scrollable_area_dimensions((area.width - scroll_w, max(area.height, row_y - gap)))
        del ys

    def _card_bg(self, surf: pygame.Surface) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        r = surf.get_rect()
        pygame.draw.rect(surf, ctx.colour("surface"), r, border_radius=m.radius)
        pygame.draw.rect(surf, ctx.colour("border"), r, max(1, m.border), border_radius=m.radius)

    def _render(self, card: Card, width: int) -> tuple[pygame.Surface, Card]:
        ctx, m = self.ctx, self.ctx.metrics
        pad = m.pad * 3 // 2
        inner = width - 2 * pad
        parts: list[tuple[pygame.Surface, int]] = []
        if card.loaded.ok:
            sc = card.loaded.scenario
            parts.append((ctx.text(sc.title, "h3", "heading", inner, style="bold"), m.pad // 2))
            if sc.summary:
                parts.append((ctx.text(sc.summary, "body", "text", inner, max_lines=5), m.pad))
            meta = []
            if sc.duration_minutes:
                meta.append(self.t("ui.picker.minutes", n=sc.duration_minutes))
            if sc.audience:
                meta.append(" · ".join(sc.audience))
            meta.append(self.t("ui.picker.found", n=card.found, total=len(sc.endings)))
            parts.append((ctx.text("   ·   ".join(meta), "small", "text_muted", inner), m.pad // 2))
            if sc.content_warning:
                parts.append((ctx.text("⚠ " + self.t("ui.picker.warning"), "small", "warning_text", inner,
                                       style="semibold"), m.pad // 2))
        else:
            parts.append((ctx.text(card.id, "h3", "heading", inner, style="bold"), m.pad // 2))
            n = sum(d.severity == "error" for d in card.loaded.diagnostics)
            parts.append((ctx.text(self.t("ui.picker.broken", n=n), "body", "negative", inner), m.pad))
        bh = button_height(ctx)
        h = pad + sum(s.get_height() + g for s, g in parts) + bh + m.pad * 2
        surf = pygame.Surface((width, h), pygame.SRCALPHA)
        y = pad
        for s, g in parts:
            if s.get_height() and parts and s is parts[-1][0] and card.loaded.ok and card.loaded.scenario.content_warning:
                # the warning mark sits on a soft band, with the symbol and words (never colour alone)
                band = pygame.Rect(pad - m.pad // 2, y - 3, s.get_width() + m.pad, s.get_height() + 6)
                pygame.draw.rect(surf, ctx.colour("warning_bg"), band, border_radius=m.radius // 2)
            surf.blit(s, (pad, y))
            y += s.get_height() + g
        return surf, card

    def _set_filter(self, tag):
        self.filter = tag
        self.focus = -1
        self.build()
        return None

    def _open(self, card: Card):
        if not card.loaded.ok:
            return Push(self.ctx.scenes.diagnostics(self.ctx, str(card.loaded.path), card.loaded.diagnostics))
        return Push(self.ctx.scenes.briefing(self.ctx, card.loaded))

    def handle_key(self, event):
        if event.key in (pygame.K_ESCAPE, pygame.K_BACKSPACE):
            return Pop()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        ctx = self.ctx
        surface.fill(ctx.colour("bg"))
        surface.blit(ctx.text(self.t("ui.picker.title"), "h2", "heading", style="bold"), self.heading_pos)
        surface.blit(ctx.text(self.t("ui.picker.filter"), "body", "text_muted"), self.filter_label)
        if self.empty:
            msg = self.t("ui.picker.none") if not self.cards else self.t("ui.picker.none_for", tag=self.filter or "")
            surface.blit(ctx.text(msg, "body", "text_muted", self.area.width), self.area.topleft)
