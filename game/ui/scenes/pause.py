"""Pause (Esc): resume, restart, settings, save and quit, step out of the scenario."""

from __future__ import annotations

import pygame

from ..scene import Pop, Push, Reset, Result, Scene
from . import button_height, draw_panel, panel_rect


class PauseScene(Scene):
    modal = True
    name = "pause"

    def __init__(self, ctx, controller):
        super().__init__(ctx)
        self.ctl = controller
        self.confirm_restart = False
        self.confirm_quit = False
        self.saved_now = False  # a retry just saved the game

    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        bh = round(ctx.font("h3").get_linesize() * 1.9)
        problem = self.ctl.save_problem()
        items = [
            ("ui.pause.resume", lambda: Pop(), "#menu_primary"),
            ("ui.pause.restart_confirm" if self.confirm_restart else "ui.pause.restart", self.restart, "#menu"),
            ("ui.pause.settings", self.settings, "#menu"),
        ]
        if problem is None:
            items.append(("ui.pause.save_quit", self.save_quit, "#menu"))
        else:  # never « Enregistrer et quitter » when nothing can be saved: say what quitting does
            items.append(("ui.pause.retry_save", self.retry_save, "#menu"))
            items.append(("ui.pause.quit_unsaved_confirm" if self.confirm_quit else "ui.pause.quit_unsaved",
                          self.quit_unsaved, "#menu"))
        items.append(("ui.pause.step_out", self.step_out, "#menu"))
        self.items = [k for k, _, _ in items]
        head = ctx.text(self.t("ui.pause.title"), "h2", "heading", style="bold")
        if problem is not None:
            note = ctx.text(self.t("ui.pause.not_saved", reason=problem), "small", "warning_text", m.px(520) - 4 * m.pad)
        else:
            note = ctx.text(self.t("ui.pause.saved_now" if self.saved_now else "ui.pause.saved"), "small", "text_muted",
                            m.px(520) - 4 * m.pad)
        height = m.pad * 4 + head.get_height() + note.get_height() + m.pad * 2 + len(items) * (bh + m.pad)
        self.rect = panel_rect(ctx, 560, 10_000)
        self.rect.height = min(height, ctx.size[1] - 2 * m.pad)
        self.rect.centery = ctx.size[1] // 2
        self.head, self.note = head, note
        y = self.rect.y + m.pad * 2 + head.get_height() + note.get_height() + m.pad * 2
        for key, action, oid in items:
            self.button(pygame.Rect(self.rect.x + m.pad * 2, y, self.rect.width - m.pad * 4, bh), self.t(key), action,
                        object_id=oid)
            y += bh + m.pad
        if self.focus < 0:
            self.focus = 0

    def restart(self):
        if not self.confirm_restart:
            self.confirm_restart = True
            self.focus = 1
            self.build()
            return None
        return Pop(Result.RESTART)

    def settings(self):
        return Push(self.ctx.scenes.settings(self.ctx))

    def save_quit(self):
        return Reset((self.ctx.scenes.title(self.ctx),))

    def retry_save(self):
        self.saved_now = self.ctl.retry_save()
        self.confirm_quit = False
        self.focus = 0 if self.saved_now else self.items.index("ui.pause.retry_save")
        self.build()
        return None

    def quit_unsaved(self):
        if not self.confirm_quit:  # a second press: the game is lost, and the player knows it
            self.confirm_quit = True
            self.focus = self.items.index("ui.pause.quit_unsaved")
            self.build()
            return None
        return Reset((self.ctx.scenes.title(self.ctx),))

    def step_out(self):
        return Reset((self.ctx.scenes.title(self.ctx), self.ctx.scenes.step_out(self.ctx, self.ctl.scenario.content_warning is not None)))

    def handle_key(self, event):
        if event.key == pygame.K_ESCAPE:
            return Pop()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ctx.metrics
        draw_panel(self.ctx, surface, self.rect)
        surface.blit(self.head, (self.rect.x + m.pad * 2, self.rect.y + m.pad * 2))
        surface.blit(self.note, (self.rect.x + m.pad * 2, self.rect.y + m.pad * 2 + self.head.get_height()))
