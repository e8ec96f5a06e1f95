"""The briefing: objectives, context, the gauges and what they mean, the
content warning with the reminder that the trainee may step out at any time."""

from __future__ import annotations

import pygame

from game.authoring.loader import Loaded

from ..controller import Controller, load_scenario_file
from ..scene import Pop, Replace, Scene
from ..widgets import gauge_icon
from . import button_height, button_width, esc, font_tag, page


def open_scenario(ctx, path: str, seed: int | None = None) -> Scene:
    """The briefing of the scenario file at `path`, or its diagnostics if it does not load."""
    loaded = load_scenario_file(path)
    if not loaded.ok:
        return ctx.scenes.diagnostics(ctx, path, loaded.diagnostics)
    return BriefingScene(ctx, loaded, seed=seed)


class BriefingScene(Scene):
    name = "briefing"

    def __init__(self, ctx, loaded: Loaded, seed: int | None = None, notice: str | None = None):
        super().__init__(ctx)
        self.loaded = loaded
        self.seed = seed
        self.notice = notice

    @property
    def scenario(self):
        return self.loaded.scenario

    def on_settings(self, old, new) -> None:
        if new.language != old.language:
            from pathlib import Path

            other = Path(self.loaded.path).parent / f"{new.language}.yaml"
            if other.is_file():
                loaded = load_scenario_file(other)
                if loaded.ok:
                    self.loaded = loaded

    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        sc = self.scenario
        pg = page(ctx, 1320)
        bh = button_height(ctx)
        self.button(pygame.Rect(pg.x, pg.y, button_width(ctx, self.t("ui.back")), bh), self.t("ui.back"),
                    lambda: Pop(), object_id="#quiet")
        # bottom bar
        start_label = self.t("ui.briefing.start")
        sw = button_width(ctx, start_label, style="bold", minimum=m.px(220))
        by = pg.bottom - bh
        self.button(pygame.Rect(pg.right - sw, by, sw, bh), start_label, self.start, object_id="#primary")
        # title
        self.title_surf = ctx.text(sc.title, "h2", "heading", pg.width, style="bold", max_lines=2)
        self.title_pos = (pg.x, pg.y + bh + m.pad)
        meta = []
        if sc.duration_minutes:
            meta.append(self.t("ui.picker.minutes", n=sc.duration_minutes))
        if sc.audience:
            meta.append(self.t("ui.briefing.audience", tags=", ".join(sc.audience)))
        self.meta_surf = ctx.text("   ·   ".join(meta), "small", "text_muted", pg.width) if meta else None
        top = self.title_pos[1] + self.title_surf.get_height() + (self.meta_surf.get_height() if self.meta_surf else 0) + m.pad * 2
        body = pygame.Rect(pg.x, top, pg.width, by - m.pad * 2 - top)
        wide = body.width >= m.px(760)
        gw = int(body.width * 0.38) if wide else body.width
        left = pygame.Rect(body.x, body.y, body.width - gw - m.pad * 3 if wide else body.width, body.height)
        self.gauge_rect = pygame.Rect(left.right + m.pad * 3, body.y, gw, body.height) if wide else None
        html = []
        if self.notice:
            html.append(font_tag(ctx, "body", esc(self.notice), "warning_text", bold=True) + "<br><br>")
        if sc.content_warning:
            html.append(font_tag(ctx, "body", "⚠ " + esc(self.t("ui.briefing.warning")), "warning_text", bold=True) + "<br>")
            html.append(font_tag(ctx, "body", esc(sc.content_warning), "warning_text") + "<br>")
            html.append(font_tag(ctx, "small", esc(self.t("ui.briefing.step_out")), "warning_text", italic=True) + "<br><br>")
        if sc.summary:
            html.append(font_tag(ctx, "h3", esc(self.t("ui.briefing.context")), "heading", bold=True) + "<br>")
            html.append(esc(sc.summary) + "<br><br>")
        if sc.objectives:
            html.append(font_tag(ctx, "h3", esc(self.t("ui.briefing.objectives")), "heading", bold=True) + "<br>")
            for o in sc.objectives:
                html.append("•  " + esc(o) + "<br>")
            html.append("<br>")
        if not wide:
            html.append(font_tag(ctx, "h3", esc(self.t("ui.briefing.gauges")), "heading", bold=True) + "<br>")
            for name, g in sc.gauges.items():
                html.append(f"<b>{esc(g.label)}</b> — " + esc(self._gauge_sentence(g)) + "<br>")
                if g.description:
                    html.append(font_tag(ctx, "small", esc(g.description), "text_muted") + "<br>")
        html.append(font_tag(ctx, "small", esc(self.t("ui.briefing.keys")), "text_muted", italic=True))
        self.textbox(left, "".join(html))
        if self.gauge_rect is not None:
            self.gauge_surf = self._render_gauges(self.gauge_rect.width)
        self.focus = 1 if self.focus < 0 else self.focus

    def _gauge_sentence(self, g) -> str:
        good = self.t("ui.gauge.good_high") if g.good == "high" else self.t("ui.gauge.good_low")
        return self.t("ui.briefing.gauge_line", start=g.start, good=good)

    def _render_gauges(self, width: int) -> pygame.Surface:
        ctx, m = self.ctx, self.ctx.metrics
        pad = m.pad * 3 // 2
        inner = width - 2 * pad
        icon = round(ctx.font("body").get_linesize() * 1.3)
        rows = []
        head = ctx.text(self.t("ui.briefing.gauges"), "h3", "heading", inner, style="bold")
        for name, g in self.scenario.gauges.items():
            tw = inner - icon - m.pad
            lab = ctx.text(g.label, "body", "text", tw, style="bold")
            line = ctx.text(self._gauge_sentence(g), "small", "text_muted", tw)
            desc = ctx.text(g.description, "small", "text", tw) if g.description else None
            rows.append((name, lab, line, desc))
        h = pad + head.get_height() + m.pad
        for _, lab, line, desc in rows:
            h += lab.get_height() + line.get_height() + (desc.get_height() + 4 if desc else 0) + m.pad * 3 // 2
        surf = pygame.Surface((width, min(h + pad, 4000)), pygame.SRCALPHA)
        pygame.draw.rect(surf, ctx.colour("surface"), surf.get_rect(), border_radius=m.radius)
        pygame.draw.rect(surf, ctx.colour("border"), surf.get_rect(), max(1, m.border), border_radius=m.radius)
        surf.blit(head, (pad, pad))
        y = pad + head.get_height() + m.pad
        for name, lab, line, desc in rows:
            img = ctx.image(gauge_icon(name), (icon, icon), ctx.colour("text"))
            if img is not None:
                surf.blit(img, (pad, y))
            x = pad + icon + m.pad
            surf.blit(lab, (x, y))
            y += lab.get_height()
            surf.blit(line, (x, y))
            y += line.get_height()
            if desc:
                surf.blit(desc, (x, y + 4))
                y += desc.get_height() + 4
            y += m.pad * 3 // 2
        return surf

    def start(self):
        ctl = Controller(self.loaded, self.ctx.lang, self.seed, self.ctx.dirs)
        return Replace(self.ctx.scenes.play(self.ctx, ctl))

    def handle_key(self, event):
        if event.key == pygame.K_ESCAPE:
            return Pop()
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.focus < 0:
            return self.start()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        ctx = self.ctx
        surface.fill(ctx.colour("bg"))
        surface.blit(self.title_surf, self.title_pos)
        if self.meta_surf is not None:
            surface.blit(self.meta_surf, (self.title_pos[0], self.title_pos[1] + self.title_surf.get_height()))
        if self.gauge_rect is not None:
            s = self.gauge_surf
            if s.get_height() > self.gauge_rect.height:
                s = s.subsurface((0, 0, s.get_width(), self.gauge_rect.height))
            surface.blit(s, self.gauge_rect.topleft)
