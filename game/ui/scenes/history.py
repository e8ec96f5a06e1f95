"""History (H): the past texts, the choices made and their feedback."""

from __future__ import annotations

import pygame

from ..scene import Pop, Scene
from . import button_height, button_width, draw_panel, esc, font_tag, panel_rect


class HistoryScene(Scene):
    modal = True
    name = "history"

    def __init__(self, ctx, controller, upto: int | None = None):
        """`upto`: how many steps to show (from the feedback panel, the next node is not seen yet)."""
        super().__init__(ctx)
        self.ctl = controller
        self.upto = upto

    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        self.rect = panel_rect(ctx, 980, 900)
        pad = m.pad * 2
        bh = button_height(ctx)
        label = self.t("ui.close")
        bw = button_width(ctx, label, minimum=m.px(160))
        self.button(pygame.Rect(self.rect.right - pad - bw, self.rect.bottom - pad - bh, bw, bh), label,
                    lambda: Pop(), object_id="#primary")
        self.head = ctx.text(self.t("ui.history.title"), "h2", "heading", style="bold")
        top = self.rect.y + pad + self.head.get_height() + m.pad
        html = []
        entries = self.ctl.history()
        if self.upto is not None:
            entries = entries[:self.upto]
        for e in entries:
            html.append(font_tag(ctx, "small", esc(self.t("ui.history.step", n=e.turn)), "text_muted", bold=True) + "<br>")
            if e.title:
                html.append(font_tag(ctx, "h3", esc(e.title), "heading", bold=True) + "<br>")
            for b in self.ctl.view_at(e.turn - 1).thread:  # the messages that arrived at this step
                if b.new:
                    who = esc(b.sender) + (f" ({esc(b.at)})" if b.at else "")
                    html.append(font_tag(ctx, "body", who, "text_muted", bold=True) + " " + esc(b.text) + "<br>")
            if e.text:
                html.append(esc(e.text) + "<br>")
            if e.choice:
                html.append("<br>" + font_tag(ctx, "body", esc(self.t("ui.history.chose", text=e.choice)), "accent", bold=True) + "<br>")
                for f in e.feedback:
                    html.append(font_tag(ctx, "body", esc(f), None, italic=True) + "<br>")
                for c in e.changes:
                    verdict = self.t("ui.feedback.better") if c.better else self.t("ui.feedback.worse")
                    html.append(font_tag(ctx, "small", esc(f"{c.label} {c.delta:+d} ({verdict}) — {c.cause}"), "text_muted") + "<br>")
            else:
                html.append("<br>" + font_tag(ctx, "small", esc(self.t("ui.history.now")), "text_muted", italic=True) + "<br>")
            html.append("<br>")
        box = pygame.Rect(self.rect.x + pad, top, self.rect.width - 2 * pad, self.rect.bottom - pad - bh - m.pad - top)
        tb = self.textbox(box, "".join(html))
        self.tb = tb
        if tb.scroll_bar is not None:  # open at the most recent step
            tb.scroll_bar.set_scroll_from_start_percentage(1.0)
        self.focus = 0

    def handle_key(self, event):
        if event.key in (pygame.K_ESCAPE, pygame.K_h):
            return Pop()
        return None  # arrows, Page Up/Down, Home/End scroll the history (Scene.scroll_key)

    def draw(self, surface: pygame.Surface) -> None:
        draw_panel(self.ctx, surface, self.rect)
        pad = self.ctx.metrics.pad * 2
        surface.blit(self.head, (self.rect.x + pad, self.rect.y + pad))
