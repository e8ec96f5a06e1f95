"""The debrief: the ending, the gauges over the turns, what weighed, the
feedback of each choice, key points and sources, endings found; replay,
another scenario, save my debrief (HTML)."""

from __future__ import annotations

from pathlib import Path

import pygame

from game.i18n import typography

from .. import userdata
from ..controller import Controller
from ..export import save_debrief
from ..scene import Reset, Scene
from ..widgets import chart_min_height, render_chart
from . import button_height, button_width, draw_card, esc, font_tag, page


class DebriefScene(Scene):
    name = "debrief"

    def __init__(self, ctx, controller: Controller):
        super().__init__(ctx)
        self.ctl = controller
        self.data = controller.debrief()
        self.saved: str | None = None

    def on_settings(self, old, new) -> None:
        if new.language != old.language:
            self.ctl.switch_language(new.language)
            self.data = self.ctl.debrief()

    def _bounds(self):
        return {n: (g.min, g.max, g.label) for n, g in self.ctl.scenario.gauges.items()}

    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        d = self.data
        pg = page(ctx, 1500)
        bh = button_height(ctx)
        # bottom bar
        x = pg.right
        for key, action, oid in (("ui.debrief.another", self.another, "#primary"), ("ui.debrief.replay", self.replay, None),
                                 ("ui.debrief.save", self.save, None)):
            label = self.t(key)
            bw = button_width(ctx, label, style="bold" if oid else "regular", minimum=m.px(150))
            x -= bw
            self.button(pygame.Rect(x, pg.bottom - bh, bw, bh), label, action, object_id=oid)
            x -= m.pad
        # laid out from the right, tabbed through from the left, as read
        start = len(self.focusables) - 3
        self.focusables[start:] = self.focusables[start:][::-1]
        self.primary_focus = len(self.focusables) - 1
        self.saved_w = x - pg.x - m.pad
        self.bottom_y = pg.bottom - bh
        # heading: ending title and tone
        self.kicker = ctx.text(self.t("ui.debrief.kicker", title=self.ctl.scenario.title), "small", "text_muted",
                               pg.width, max_lines=1)
        self.title = ctx.text(d.title, "h2", "heading", pg.width, style="bold", max_lines=2)
        self.head_pos = (pg.x, pg.y)
        tone_txt = ctx.text(self.t(f"ui.tone.{d.tone}"), "small", d.tone, style="bold")
        self.tone = tone_txt
        top = pg.y + self.kicker.get_height() + self.title.get_height() + tone_txt.get_height() + m.pad * 2
        self.tone_pos = (pg.x, top - tone_txt.get_height() - m.pad // 2)
        body = pygame.Rect(pg.x, top + m.pad, pg.width, self.bottom_y - m.pad * 2 - top - m.pad)
        wide = body.width >= m.px(820)
        left_w = int(body.width * 0.48) if wide else body.width
        left = pygame.Rect(body.x, body.y, left_w, body.height)
        right = pygame.Rect(left.right + m.pad * 3, body.y, body.right - left.right - m.pad * 3, body.height) if wide else None
        # ending text, then the chart
        series = [(n, g.label, d.series[n], g.min, g.max) for n, g in self.ctl.scenario.gauges.items()]
        chart_h = max(min(m.px(250), left.height // 2), int(left.height * 0.5)) if wide else 0
        if wide:  # a larger text makes the legend taller: the chart keeps room for its lines
            head_h = ctx.font("body", "bold").get_linesize()
            need = chart_min_height(ctx, left.width - 2 * m.pad, series) + head_h + m.pad * 2
            chart_h = max(chart_h, min(need, left.height - m.pad - 3 * ctx.font("body").get_linesize() - 2 * m.pad))
        text_rect = pygame.Rect(left.x, left.y, left.width, left.height - chart_h - (m.pad if wide else 0))
        ending_html = esc(d.text) if d.text else ""
        rest = self._details_html()
        self.card_rect = text_rect if wide else None
        self._details = None
        if wide:
            self.textbox(text_rect, ending_html, object_id="#card_text")
            self.chart_rect = pygame.Rect(left.x, text_rect.bottom + m.pad, left.width, chart_h)
            # the long details column is laid out in the next frame: the key that opened the
            # debrief shows its ending, chart and buttons at once (~60 ms sooner at 1920x1080)
            self._details = (right, rest)
            self._shown = False
        else:
            self.chart_rect = None
            self.textbox(left, ending_html + "<br><br>" + rest)
        if self.chart_rect is not None:
            head = ctx.text(self.t("ui.debrief.chart"), "body", "heading", style="bold")
            self.chart_head = head
            self.chart = render_chart(ctx, (self.chart_rect.width - 2 * m.pad,
                                            self.chart_rect.height - head.get_height() - m.pad * 2), series)
        if self.focus < 0:
            self.focus = self.primary_focus

    def _details_html(self) -> str:
        ctx, d = self.ctx, self.data
        h = lambda key, **kw: font_tag(ctx, "h3", esc(self.t(key, **kw)), "heading", bold=True) + "<br>"  # noqa: E731
        out = []
        if self.group:  # group mode: what the class voted at each step, then the usual debrief
            out.append(self._votes_html(h))
        out.append(h("ui.debrief.weighed"))
        for w in d.weighed:
            out.append(f"<b>{esc(w.label)}</b>  {w.start} → {w.final} ({w.final - w.start:+d})<br>")
            if not w.causes:
                out.append(font_tag(ctx, "small", esc(self.t("ui.debrief.no_change")), "text_muted", italic=True) + "<br>")
            for delta, what in w.causes:
                out.append(font_tag(ctx, "small", esc(f"{delta:+d}   {what}"), "text") + "<br>")
            out.append("<br>")
        out.append(h("ui.debrief.your_choices"))
        for e in d.choices:
            out.append(font_tag(ctx, "small", esc(self.t("ui.history.step", n=e.turn)), "text_muted", bold=True)
                       + "  " + f"<b>{esc(self.t('ui.quote', text=typography.inner_quotes(e.choice or '', ctx.lang)))}</b><br>")
            for f in e.feedback:
                out.append(esc(f) + "<br>")
            out.append("<br>")
        if d.key_points:
            out.append(h("ui.debrief.key_points"))
            out.extend("•  " + esc(k) + "<br>" for k in d.key_points)
            out.append("<br>")
        if d.sources:
            out.append(h("ui.debrief.sources"))
            out.extend(font_tag(ctx, "small", "•  " + esc(s), "text") + "<br>" for s in d.sources)
            out.append("<br>")
        out.append(h("ui.debrief.endings_found", n=len(d.found), total=len(d.endings)))
        for eid, title in d.endings.items():
            if eid in d.found:
                mark = "✓ " + esc(title) + (f"  ({esc(self.t('ui.debrief.this_one'))})" if eid == d.ending_id else "")
                out.append(mark + "<br>")
            else:
                out.append(font_tag(ctx, "body", "—  " + esc(self.t("ui.debrief.not_found")), "text_muted", italic=True) + "<br>")
        return "".join(out)

    @property
    def group(self) -> bool:
        """A group game (game/ui/scenes/group.py): its controller holds the class's votes."""
        return bool(getattr(self.ctl, "group", False))

    def _votes_html(self, h) -> str:
        """« Les votes du groupe »: at each step, every choice's hands (classview.vote_views), the one
        that proceeded first marked ✓, by how much; then where the votes are kept."""
        from .group import vote_sentence

        ctx = self.ctx
        out = [h("ui.debrief.group_votes")]
        out.append(font_tag(ctx, "small", esc(self.ctl.group_line()), "text_muted", bold=True) + "<br><br>")
        views = self.ctl.group_votes()
        if not views:
            out.append(font_tag(ctx, "small", esc(self.t("ui.debrief.group_none")), "text_muted", italic=True)
                       + "<br><br>")
        for v in views:
            out.append(font_tag(ctx, "small", esc(self.t("ui.debrief.group_step", n=v.seq, title=v.title)),
                                "text_muted", bold=True) + "<br>")
            quote = self.t("ui.quote", text=typography.inner_quotes(v.chosen_text, ctx.lang))
            out.append(f"✓ <b>{esc(quote)}</b> — {esc(vote_sentence(v, ctx.lang))}<br>")
            for b in v.bars:
                if b.choice != v.chosen:
                    other = self.t("ui.quote", text=typography.inner_quotes(b.text, ctx.lang))
                    out.append(font_tag(ctx, "small", esc(f"•  {other} — {self.t('ui.debrief.group_hands', n=b.n)}"),
                                        "text") + "<br>")
            out.append("<br>")
        return "".join(out)

    def update(self, dt: float):
        if self._details is not None and self._shown:  # once the first frame is on screen
            rect, html = self._details
            self._details = None
            self.textbox(rect, html)
            self.dirty = True
        return None

    @property
    def animating(self) -> bool:
        return getattr(self, "_details", None) is not None

    # ---- actions ---------------------------------------------------------------------
    def replay(self):
        if self.group and self.ctx.scenes.group is not None:  # again as a group, in a new session
            return Reset((self.ctx.scenes.title(self.ctx), self.ctx.scenes.group(self.ctx, self.ctl.loaded)))
        return Reset((self.ctx.scenes.title(self.ctx), self.ctx.scenes.briefing(self.ctx, self.ctl.loaded)))

    def another(self):
        if self.group and self.ctx.scenes.group is not None:
            return Reset((self.ctx.scenes.title(self.ctx), self.ctx.scenes.group(self.ctx)))
        return Reset((self.ctx.scenes.title(self.ctx), self.ctx.scenes.picker(self.ctx)))

    def save(self):
        try:
            path = save_debrief(self.ctx.dirs.documents, self.data, self.ctl.scenario.id, self.ctl.scenario.title,
                                self._bounds(), self.ctx.lang)
            self.saved = self.t("ui.debrief.saved", path=str(path))
        except OSError as e:  # located and in the player's language, never '[Errno 30] …'
            where = self.ctx.dirs.documents / Path(e.filename or "debrief.html").name
            self.saved = self.t("ui.debrief.save_failed", error=userdata.file_problem(e, where, self.ctx.lang))
        self.dirty = True
        return None

    def handle_key(self, event):
        if event.key == pygame.K_ESCAPE:
            return Reset((self.ctx.scenes.title(self.ctx),))
        return None

    def draw(self, surface: pygame.Surface) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        self._shown = True
        surface.fill(ctx.colour("bg"))
        x, y = self.head_pos
        surface.blit(self.kicker, (x, y))
        surface.blit(self.title, (x, y + self.kicker.get_height()))
        tr = self.tone.get_rect(topleft=self.tone_pos).inflate(m.pad * 2, m.pad // 2)
        tr.topleft = (self.tone_pos[0], self.tone_pos[1] - m.pad // 4)
        pygame.draw.rect(surface, ctx.colour(f"{self.data.tone}_bg"), tr, border_radius=tr.height // 2)
        pygame.draw.rect(surface, ctx.colour(self.data.tone), tr, 2, border_radius=tr.height // 2)
        surface.blit(self.tone, (tr.x + m.pad, self.tone_pos[1]))
        if self.card_rect is not None:
            draw_card(ctx, surface, self.card_rect)
        if self.chart_rect is not None:
            r = self.chart_rect
            draw_card(ctx, surface, r)
            surface.blit(self.chart_head, (r.x + m.pad, r.y + m.pad // 2))
            surface.blit(self.chart, (r.x + m.pad, r.y + m.pad + self.chart_head.get_height()))
        if self.saved:
            s = ctx.text(self.saved, "small", "text_muted", max(100, self.saved_w), max_lines=3)
            surface.blit(s, (x, self.bottom_y + (button_height(ctx) - s.get_height()) // 2))
