"""The apology screen shown after an unexpected error (logged to a file)."""

from __future__ import annotations

from pathlib import Path

import pygame

from ..scene import Pop, Quit, Scene
from . import button_height, button_width, draw_panel, esc, font_tag, panel_rect


class ApologyScene(Scene):
    modal = True
    name = "apology"

    def __init__(self, ctx, log: Path | None):
        super().__init__(ctx)
        self.log = log

    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        self.rect = panel_rect(ctx, 720, 440)
        pad = m.pad * 2
        bh = button_height(ctx)
        back, quit_ = self.t("ui.apology.back"), self.t("ui.apology.quit")
        bw = button_width(ctx, back, style="bold", minimum=m.px(180))
        qw = button_width(ctx, quit_, minimum=m.px(140))
        y = self.rect.bottom - pad - bh
        self.button(pygame.Rect(self.rect.right - pad - bw, y, bw, bh), back, lambda: Pop(), object_id="#primary")
        self.button(pygame.Rect(self.rect.right - pad - bw - m.pad - qw, y, qw, bh), quit_, lambda: Quit(1))
        where = str(self.log) if self.log else "-"
        html = (font_tag(ctx, "h2", esc(self.t("ui.apology.title")), "heading", bold=True) + "<br><br>"
                + esc(self.t("ui.apology.body")) + "<br><br>"
                + font_tag(ctx, "small", esc(self.t("ui.apology.log", path=where)), "text_muted"))
        self.textbox(pygame.Rect(self.rect.x + pad, self.rect.y + pad, self.rect.width - 2 * pad,
                                 self.rect.height - 3 * pad - bh), html)
        self.focus = 0

    def handle_key(self, event):
        if event.key == pygame.K_ESCAPE:
            return Pop()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        draw_panel(self.ctx, surface, self.rect)
