"""A scenario that does not load: its diagnostics, on screen, never a crash.

With `reload=True` (opened by F5 during play), F5 or "Try again" checks the
file again and, once it loads, hands "reload" back to the play screen.
"""

from __future__ import annotations

import pygame

from game.authoring.loader import load_file

from ..scene import Pop, Replace, Result, Scene
from . import button_height, button_width, draw_panel, esc, font_tag, panel_rect


class DiagnosticsScene(Scene):
    modal = True
    name = "diagnostics"

    def __init__(self, ctx, path: str, diagnostics, reload: bool = False):
        super().__init__(ctx)
        self.path = path
        self.diagnostics = list(diagnostics)
        self.reload = reload

    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        self.rect = panel_rect(ctx, 1100, 760)
        pad = m.pad * 2
        bh = button_height(ctx)
        back = self.t("ui.back")
        retry = self.t("ui.diagnostics.retry")
        bw = button_width(ctx, back, minimum=m.px(140))
        rw = button_width(ctx, retry, style="bold", minimum=m.px(180))
        y = self.rect.bottom - pad - bh
        self.button(pygame.Rect(self.rect.right - pad - rw, y, rw, bh), retry, self.retry, object_id="#primary")
        self.button(pygame.Rect(self.rect.right - pad - rw - m.pad - bw, y, bw, bh), back, lambda: Pop())
        errors = sum(d.severity == "error" for d in self.diagnostics)
        html = [font_tag(ctx, "h2", esc(self.t("ui.diagnostics.title")), "heading", bold=True) + "<br>",
                font_tag(ctx, "small", esc(self.t("ui.diagnostics.summary", n=errors, path=self.path)), "text_muted") + "<br><br>"]
        for d in self.diagnostics[:60]:
            colour = "negative" if d.severity == "error" else "warning_text"
            html.append(font_tag(ctx, "body", esc(f"{d.file}:{d.line}:{d.col}: {d.severity}: {d.message}"), colour, bold=True) + "<br>")
            source = getattr(d, "source_line", None)
            if source:
                html.append(font_tag(ctx, "small", esc(f"    {source.rstrip()}"), "text") + "<br>")
            if d.hint:
                html.append(font_tag(ctx, "small", esc(f"    → {d.hint}"), "text_muted", italic=True) + "<br>")
            html.append("<br>")
        html.append(font_tag(ctx, "small", esc(self.t("ui.diagnostics.help")), "text_muted", italic=True))
        self.textbox(pygame.Rect(self.rect.x + pad, self.rect.y + pad, self.rect.width - 2 * pad,
                                 self.rect.height - 3 * pad - bh), "".join(html))
        self.focus = 0

    def retry(self):
        loaded = load_file(self.path)
        if loaded.ok:
            if self.reload:
                return Pop(Result.RELOAD)

            return Replace(self.ctx.scenes.briefing(self.ctx, loaded))
        self.diagnostics = list(loaded.diagnostics)
        self.build()
        return None

    def handle_key(self, event):
        if event.key == pygame.K_ESCAPE:
            return Pop()
        if event.key == pygame.K_F5:
            return self.retry()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        draw_panel(self.ctx, surface, self.rect)
