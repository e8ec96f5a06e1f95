"""Stepping out of a scenario: a calm page, resources, and the way back."""

from __future__ import annotations

import pygame

from ..scene import Pop, Scene
from . import button_height, button_width, draw_panel, esc, font_tag, panel_rect


class StepOutScene(Scene):
    modal = True
    name = "stepout"

    def __init__(self, ctx, sensitive: bool = False):
        super().__init__(ctx)
        self.sensitive = sensitive

    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        self.rect = panel_rect(ctx, 760, 560)
        pad = m.pad * 2
        bh = button_height(ctx)
        label = self.t("ui.stepout.back")
        bw = button_width(ctx, label, style="bold", minimum=m.px(200))
        self.button(pygame.Rect(self.rect.right - pad - bw, self.rect.bottom - pad - bh, bw, bh), label, lambda: Pop(),
                    object_id="#primary")
        html = [font_tag(ctx, "h2", esc(self.t("ui.stepout.title")), "heading", bold=True) + "<br><br>",
                esc(self.t("ui.stepout.body")) + "<br><br>",
                font_tag(ctx, "body", esc(self.t("ui.stepout.resources")), None, bold=True) + "<br>",
                esc(self.t("ui.stepout.lines")) + "<br><br>",
                font_tag(ctx, "small", esc(self.t("ui.stepout.saved")), "text_muted", italic=True)]
        self.textbox(pygame.Rect(self.rect.x + pad, self.rect.y + pad, self.rect.width - 2 * pad,
                                 self.rect.height - 3 * pad - bh), "".join(html))
        self.focus = 0

    def handle_key(self, event):
        if event.key == pygame.K_ESCAPE:
            return Pop()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        draw_panel(self.ctx, surface, self.rect)
