"""view: dashboard — an algorithm's result card: score, criteria,
recommendation, confidence. Numbers always come with words and values, the
bars only repeat them."""

from __future__ import annotations

import pygame

from game.i18n import typography

from .base import View


class DashboardView(View):
    FADE_IN = 0.35  # seconds

    def __init__(self, ctx, rect, node, fresh=True):
        super().__init__(ctx, rect, node, fresh)
        self.card = self._render(min(self.rect.width, ctx.metrics.px(560)))
        if self.card.get_height() > self.rect.height and self.card.get_width() < self.rect.width:
            self.card = self._render(self.rect.width)  # wider lines, fewer of them
        # Too tall still: the card scrolls (wheel, Page Up/Down) at its real size, never shrunk.
        self.scroll = 0
        self.max_scroll = max(0, self.card.get_height() - self.rect.height)

    def handle(self, event: pygame.event.Event) -> bool:
        if not self.max_scroll:
            return False
        step = 0
        if event.type == pygame.MOUSEWHEEL and self.rect.collidepoint(pygame.mouse.get_pos()):
            step = -event.y * 40
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_PAGEDOWN, pygame.K_PAGEUP):
            step = (1 if event.key == pygame.K_PAGEDOWN else -1) * self.rect.height * 3 // 4
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_HOME, pygame.K_END):
            step = (1 if event.key == pygame.K_END else -1) * self.max_scroll
        if not step:
            return False
        self.scroll = max(0, min(self.max_scroll, self.scroll + step))
        return True

    def _render(self, width: int) -> pygame.Surface:
        ctx, m = self.ctx, self.ctx.metrics
        p = self.node.panel
        pad = m.px(16)
        inner = width - 2 * pad
        parts: list[tuple[str, object]] = []  # (kind, payload)
        colon = typography.colon(ctx.lang)
        head = ctx.text(p.title, "h3", "card_text", inner - m.px(8), style="bold")
        tag = ctx.text((p.tag or ctx.t("ui.dashboard.tag")).upper(), "small", "card_muted", inner, style="semibold")
        blocks: list[pygame.Surface | tuple] = []
        if p.subject:
            blocks.append(ctx.text(p.subject, "body", "card_text", inner, style="semibold"))
        if p.score is not None:
            blocks.append(("score", p.score, p.score_max))
        if p.criteria:
            blocks.append(ctx.text(ctx.t("ui.dashboard.criteria"), "small", "card_muted", inner, style="bold"))
            for c in p.criteria:
                blocks.append(("row", c.label, c.value))
        if p.recommendation:
            blocks.append(("reco", p.recommendation))
        if p.confidence is not None:
            blocks.append(("conf", p.confidence))
        del parts, colon
        # measure
        rendered: list[tuple[pygame.Surface, int]] = []  # (surface, gap after)
        for b in blocks:
            if isinstance(b, pygame.Surface):
                rendered.append((b, m.px(6)))
                continue
            kind = b[0]
            if kind == "score":
                big = ctx.text(f"{b[1]}", "h2", "card_text", style="bold")
                of = ctx.text(f"/ {b[2]}", "body", "card_muted")
                lab = ctx.text(ctx.t("ui.dashboard.score"), "small", "card_muted", style="semibold")
                bar_h = m.px(10)
                s = pygame.Surface((inner, lab.get_height() + big.get_height() + bar_h + m.px(6)), pygame.SRCALPHA)
                s.blit(lab, (0, 0))
                s.blit(big, (0, lab.get_height()))
                s.blit(of, (big.get_width() + m.px(6), lab.get_height() + big.get_height() - of.get_height() - 3))
                bar = pygame.Rect(0, s.get_height() - bar_h, inner, bar_h)
                pygame.draw.rect(s, ctx.colour("gauge_track"), bar, border_radius=bar_h // 2)
                fill = bar.copy()
                fill.width = round(inner * max(0, min(1, b[1] / b[2] if b[2] else 0)))
                if fill.width:
                    pygame.draw.rect(s, ctx.colour("accent"), fill, border_radius=bar_h // 2)
                rendered.append((s, m.px(12)))
            elif kind == "row":
                lw = int(inner * 0.55)
                lab = ctx.text(b[1], "small", "card_muted", lw - m.px(8))
                val = ctx.text(b[2], "small", "card_text", inner - lw, style="bold")
                h = max(lab.get_height(), val.get_height()) + m.px(8)
                s = pygame.Surface((inner, h), pygame.SRCALPHA)
                s.blit(lab, (0, m.px(4)))
                s.blit(val, (lw, m.px(4)))
                pygame.draw.line(s, ctx.colour("chart_grid"), (0, h - 1), (inner, h - 1), 1)
                rendered.append((s, 0))
            elif kind == "reco":
                lab = ctx.text(ctx.t("ui.dashboard.recommendation"), "small", "card_muted", inner - m.px(24), style="bold")
                txt = ctx.text(b[1], "body", "card_text", inner - m.px(24), style="semibold")
                h = lab.get_height() + txt.get_height() + m.px(20)
                s = pygame.Surface((inner, h), pygame.SRCALPHA)
                pygame.draw.rect(s, ctx.colour("card_header"), s.get_rect(), border_radius=m.radius)
                pygame.draw.rect(s, ctx.colour("accent"), (0, 0, m.px(5), h), border_radius=2)
                s.blit(lab, (m.px(16), m.px(8)))
                s.blit(txt, (m.px(16), m.px(10) + lab.get_height()))
                rendered[-1:] = [(rendered[-1][0], m.px(12))] if rendered else []
                rendered.append((s, m.px(12)))
            elif kind == "conf":
                lab = ctx.text(ctx.t("ui.dashboard.confidence", value=b[1]), "small", "card_text", inner, style="semibold")
                bar_h = m.px(8)
                s = pygame.Surface((inner, lab.get_height() + bar_h + m.px(4)), pygame.SRCALPHA)
                s.blit(lab, (0, 0))
                bar = pygame.Rect(0, s.get_height() - bar_h, inner, bar_h)
                pygame.draw.rect(s, ctx.colour("gauge_track"), bar, border_radius=bar_h // 2)
                fill = bar.copy()
                fill.width = round(inner * b[1] / 100)
                if fill.width:
                    pygame.draw.rect(s, ctx.colour("text_muted"), fill, border_radius=bar_h // 2)
                rendered.append((s, 0))
        header_h = tag.get_height() + head.get_height() + 2 * pad - m.px(4)
        body_h = sum(s.get_height() + g for s, g in rendered)
        height = header_h + pad + body_h + pad
        card = pygame.Surface((width, height), pygame.SRCALPHA)
        pygame.draw.rect(card, ctx.colour("card_bg"), card.get_rect(), border_radius=m.radius)
        hr = pygame.Rect(0, 0, width, header_h)
        pygame.draw.rect(card, ctx.colour("card_header"), hr, border_top_left_radius=m.radius,
                         border_top_right_radius=m.radius)
        # a small "chip" icon: the algorithm
        card.blit(tag, (pad, pad - m.px(2)))
        card.blit(head, (pad, pad - m.px(2) + tag.get_height()))
        pygame.draw.rect(card, ctx.colour("border"), card.get_rect(), max(1, ctx.metrics.border), border_radius=m.radius)
        y = header_h + pad
        for s, g in rendered:
            card.blit(s, (pad, y))
            y += s.get_height() + g
        return card

    def draw(self, surface: pygame.Surface) -> None:
        card = self.card
        r = card.get_rect(center=self.rect.center)
        if self.max_scroll:
            r.top = self.rect.top - self.scroll
        prev = surface.get_clip()
        surface.set_clip(self.rect.clip(prev) if prev else self.rect)
        if self.animating:
            p = self.fade()
            card.set_alpha(int(255 * p))
            surface.blit(card, r.move(0, int((1 - p) * 12)))
            card.set_alpha(255)
        else:
            surface.blit(card, r)
        surface.set_clip(prev)
        if self.max_scroll:  # a visible scrollbar: more of the card below or above
            ctx = self.ctx
            track = pygame.Rect(min(self.rect.right - 6, r.right + 3), self.rect.y, 5, self.rect.height)
            pygame.draw.rect(surface, ctx.colour("bg_deep"), track, border_radius=2)
            h = max(24, self.rect.height * self.rect.height // card.get_height())
            y = self.rect.y + (self.rect.height - h) * self.scroll // self.max_scroll
            pygame.draw.rect(surface, ctx.colour("scrollbar"), (track.x, y, 5, h), border_radius=2)
