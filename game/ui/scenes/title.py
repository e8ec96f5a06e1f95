"""The title screen: the game's name, Play, Resume (when an autosave exists), Settings, Classe, Quit."""

from __future__ import annotations

from pathlib import Path

import pygame

from game import resources
from game.authoring import library

from .. import userdata
from ..controller import Controller, load_scenario_file
from ..scene import Push, Quit, Scene
from ..theme import ILLUSTRATIONS
from . import button_height, button_width


class TitleScene(Scene):
    name = "title"

    def __init__(self, ctx, notice: str | None = None):
        super().__init__(ctx)
        self.notice = notice
        self.autosave = None
        self._check_autosave()

    def _check_autosave(self) -> None:
        save = userdata.read_autosave(self.ctx.dirs)
        if isinstance(save, userdata.BadAutosave):
            self.notice = self.t("ui.resume.corrupt", reason=save.says(self.ctx.lang))
            userdata.clear_autosave(self.ctx.dirs)
            save = None
        self.autosave = save

    def on_enter(self) -> None:
        self._check_autosave()
        self.build()

    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        w, h = ctx.size
        left = max(m.pad * 3, int(w * 0.07))
        col_w = min(int(w * 0.42), m.px(520))
        bh = round(ctx.font("h3").get_linesize() * 2.0)
        gap = m.pad
        items = []
        if self.autosave is not None:
            items.append(("ui.title.resume", self.resume, "#menu_primary"))
            items.append(("ui.title.play", self.play, "#menu"))
        else:
            items.append(("ui.title.play", self.play, "#menu_primary"))
        items.append(("ui.title.settings", self.settings, "#menu"))
        if self.ctx.scenes.classe is not None:
            items.append(("ui.title.classe", self.classe, "#menu"))
        if self.ctx.scenes.group is not None:  # the class on one screen, voting at each decision
            items.append(("ui.title.group", self.group, "#menu"))
        items.append(("ui.title.quit", lambda: Quit(0), "#menu"))
        title_h = ctx.font("h1", "bold").get_linesize()
        sub = ctx.text(self.t("ui.title.subtitle"), "h3", "text_muted", col_w)
        menu_h = len(items) * (bh + gap)
        notice_h = 0
        if self.notice:
            notice_h = ctx.text(self.notice, "small", "warning_text", col_w - 2 * m.pad).get_height() + 2 * m.pad + gap
        top = max(m.pad * 2, (h - (title_h + sub.get_height() + m.pad * 3 + menu_h + notice_h)) // 2)
        self.title_pos = (left, top)
        self.sub_pos = (left, top + title_h + m.pad // 2)
        self.col_w = col_w
        y = top + title_h + sub.get_height() + m.pad * 3
        width = max(button_width(ctx, self.t(k), "h3", "bold") for k, _, _ in items)
        width = min(col_w, max(width, m.px(300)))
        for key, action, oid in items:
            self.button(pygame.Rect(left, y, width, bh), self.t(key), action, object_id=oid)
            y += bh + gap
        self.notice_rect = pygame.Rect(left, y + gap, col_w, notice_h - gap) if self.notice else None
        ill_w = w - left - col_w - left
        self.art_rect = pygame.Rect(left + col_w + left // 2, m.pad * 3, ill_w, h - m.pad * 6)
        if self.focus < 0:
            self.focus = 0

    # ---- actions -----------------------------------------------------------------
    def play(self):
        return Push(self.ctx.scenes.picker(self.ctx))

    def group(self):
        return Push(self.ctx.scenes.group(self.ctx))

    def settings(self):
        return Push(self.ctx.scenes.settings(self.ctx))

    def classe(self):
        return Push(self.ctx.scenes.classe(self.ctx))

    def resume(self):
        a = self.autosave
        if not isinstance(a, userdata.Autosave):
            return None
        save = a.save
        path = a.path if a.path else None
        if path is None or not Path(path).is_file():
            found = library.resolve(save.scenario_id, save.language)
            path = str(found) if found else None
        if path is None:
            self.notice = self.t("ui.resume.missing", id=save.scenario_id)
            userdata.clear_autosave(self.ctx.dirs)
            self.autosave = None
            self.build()
            return None
        loaded = load_scenario_file(path)
        if not loaded.ok:
            self.notice = self.t("ui.resume.broken", id=save.scenario_id)
            userdata.clear_autosave(self.ctx.dirs)
            self.autosave = None
            self.build()
            return None
        try:
            ctl = Controller.from_save(loaded, self.ctx.lang, save, self.ctx.dirs)
        except ValueError as e:  # a stale save: explain, then start afresh
            userdata.clear_autosave(self.ctx.dirs)
            self.autosave = None
            self.build()
            return Push(self.ctx.scenes.briefing(self.ctx, loaded, notice=self.t("ui.resume.stale", reason=str(e))))
        return Push(self.ctx.scenes.play(self.ctx, ctl))

    def handle_key(self, event):
        if event.key == pygame.K_ESCAPE:  # nothing to go back to: Esc goes to « Quitter » (Enter then quits)
            quit_label = self.t("ui.title.quit")
            for i, b in enumerate(self.focusables):
                if b.text == quit_label:
                    self.focus = i
                    self.dirty = True
        return None

    # ---- drawing -----------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        surface.fill(ctx.colour("bg"))
        art = ctx.image(ILLUSTRATIONS / ("title-hc.svg" if ctx.settings.high_contrast else "title.svg"),
                        self.art_rect.size)
        if art is not None and self.art_rect.width > 80:
            surface.blit(art, art.get_rect(center=self.art_rect.center))
        surface.blit(ctx.text("Pandore", "h1", "heading", style="bold"), self.title_pos)
        surface.blit(ctx.text(self.t("ui.title.subtitle"), "h3", "text_muted", self.col_w), self.sub_pos)
        if self.notice_rect is not None:
            r = self.notice_rect
            pygame.draw.rect(surface, ctx.colour("warning_bg"), r, border_radius=m.radius)
            pygame.draw.rect(surface, ctx.colour("warning_border"), r, 2, border_radius=m.radius)
            surface.blit(ctx.text(self.notice, "small", "warning_text", r.width - 2 * m.pad), (r.x + m.pad, r.y + m.pad))
        foot = ctx.text(self.t("ui.title.footer"), "small", "text_muted")
        surface.blit(foot, (self.title_pos[0], ctx.size[1] - foot.get_height() - m.pad * 2))
        version = ctx.text(f"Pandore {resources.version()}", "small", "text_muted")  # the about line
        surface.blit(version, (ctx.size[0] - version.get_width() - self.title_pos[0], ctx.size[1] - version.get_height() - m.pad * 2))
