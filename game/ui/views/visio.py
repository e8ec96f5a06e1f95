"""view: visio — a video call: one tile per participant and the player's own,
each with name, role and connection state said in words (an unstable link
flickers for a few seconds, unless motion is reduced)."""

from __future__ import annotations

import math
import zlib

import pygame

from .base import View

FLICKER = 3.0


def _skin(name: str, ctx) -> tuple[int, int, int]:
    palette = [(196, 160, 128), (141, 98, 70), (224, 189, 160), (110, 76, 56), (176, 132, 100)]
    return palette[zlib.crc32(name.encode()) % len(palette)]


def _initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p[:1].isalpha()]
    return "".join(p[0].upper() for p in parts[:2]) or name[:1].upper()


class VisioView(View):
    def __init__(self, ctx, rect, node, fresh=True):
        super().__init__(ctx, rect, node, fresh)
        m = ctx.metrics
        self.bar_h = max(m.px(40), ctx.font("small").get_linesize() + m.px(16))
        self.area = pygame.Rect(self.rect.x, self.rect.y, self.rect.width, self.rect.height - self.bar_h)
        people = list(node.participants)
        n = len(people)
        cols = 1 if n == 1 else 2 if n <= 4 else 3
        rows = math.ceil(n / cols)
        gap = m.px(8)
        aspect = 4 / 3
        tw = (self.area.width - gap * (cols + 1)) / cols
        th = (self.area.height - gap * (rows + 1)) / rows
        if tw / th > aspect:
            tw = th * aspect
        else:
            th = tw / aspect
        tw, th = int(tw), int(th)
        total_w = cols * tw + (cols - 1) * gap
        total_h = rows * th + (rows - 1) * gap
        x0 = self.area.centerx - total_w // 2
        y0 = self.area.centery - total_h // 2
        self.tiles = []
        for i, p in enumerate(people):
            r, c = divmod(i, cols)
            in_row = min(cols, n - r * cols)
            xr = x0 + (cols - in_row) * (tw + gap) // 2
            self.tiles.append((pygame.Rect(xr + c * (tw + gap), y0 + r * (th + gap), tw, th), p))
        self.static = [self._tile(rect.size, p) for rect, p in self.tiles]

    def _tile(self, size, p) -> pygame.Surface:
        ctx, m = self.ctx, self.ctx.metrics
        w, h = size
        s = pygame.Surface((w, h), pygame.SRCALPHA)
        pygame.draw.rect(s, ctx.colour("tile_bg"), s.get_rect(), border_radius=m.radius)
        if p.camera and p.connection != "lost":
            # a flat silhouette in front of a wall
            wall = tuple(min(255, c + 18) for c in ctx.colour("tile_bg")[:3])
            pygame.draw.rect(s, wall, (0, 0, w, int(h * 0.62)), border_top_left_radius=m.radius,
                             border_top_right_radius=m.radius)
            skin = _skin(p.name, ctx)
            cloth = [(64, 98, 122), (122, 84, 64), (84, 110, 80), (110, 90, 130)][zlib.crc32(p.name.encode()) % 4]
            hr = int(min(w, h) * 0.16)
            cx, cy = w // 2, int(h * 0.42)
            pygame.draw.ellipse(s, cloth, (cx - int(hr * 2.3), cy + int(hr * 1.1), int(hr * 4.6), int(hr * 3.2)))
            pygame.draw.circle(s, skin, (cx, cy), hr)
        else:
            r = int(min(w, h) * 0.18)
            pygame.draw.circle(s, ctx.colour("accent"), (w // 2, int(h * 0.42)), r)
            ini = ctx.text(_initials(p.name), "h3", "accent_text", style="bold")
            s.blit(ini, ini.get_rect(center=(w // 2, int(h * 0.42))))
        # name strip
        pad = m.px(8)
        name = ctx.fit(p.name, "small", "tile_text", w - 2 * pad, style="bold")
        role = ctx.fit(p.role, "small", "tile_muted", w - 2 * pad) if p.role else None
        strip_h = name.get_height() + (role.get_height() if role else 0) + pad
        strip = pygame.Rect(0, h - strip_h, w, strip_h)
        pygame.draw.rect(s, ctx.colour("visio_bg"), strip, border_bottom_left_radius=m.radius,
                         border_bottom_right_radius=m.radius)
        s.blit(name, (pad, strip.y + pad // 2))
        if role:
            s.blit(role, (pad, strip.y + pad // 2 + name.get_height()))
        if not p.camera and p.connection != "lost":
            cam = ctx.fit(ctx.t("ui.visio.camera_off"), "small", "tile_muted", w - 2 * pad)
            top = int(h * 0.42) + int(min(w, h) * 0.18) + 2
            if top + cam.get_height() <= h - strip_h - 2:
                s.blit(cam, cam.get_rect(midtop=(w // 2, top)))
            else:  # a small tile: the words go to the top corner instead
                s.blit(cam, (pad, pad + (cam.get_height() if p.connection == "unstable" else 0)))
        if p.connection == "lost":
            veil = pygame.Surface((w, strip.y), pygame.SRCALPHA)
            veil.fill((0, 0, 0, 110))
            s.blit(veil, (0, 0))
            lost = ctx.text(ctx.t("ui.visio.lost"), "small", "tile_lost", w - 2 * pad, style="bold", align="center")
            s.blit(lost, lost.get_rect(center=(w // 2, strip.y - lost.get_height())))
        if p.connection == "unstable":
            un = ctx.fit(ctx.t("ui.visio.unstable"), "small", "tile_warning", w - 2 * pad - m.px(30), style="bold")
            s.blit(un, (pad, pad))
        return s

    @property
    def animating(self) -> bool:
        return self.fresh and self.ctx.now - self.t0 < FLICKER and any(p.connection == "unstable" for _, p in self.tiles)

    def _bars(self, surface, rect: pygame.Rect, p) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        level = {"good": 3, "unstable": 1, "lost": 0}[p.connection]
        if p.connection == "unstable" and self.animating:
            level = 1 + int((self.ctx.now - self.t0) * 5) % 2
        x0 = rect.right - m.px(10) - 3 * 7
        base = rect.y + m.px(10) + 14
        for k in range(3):
            h = 5 + k * 4
            col = ctx.colour("tile_text") if k < level else ctx.colour("tile_muted")
            r = pygame.Rect(x0 + k * 7, base - h, 5, h)
            if k < level:
                pygame.draw.rect(surface, col, r)
            else:
                pygame.draw.rect(surface, col, r, 1)

    def draw(self, surface: pygame.Surface) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        pygame.draw.rect(surface, ctx.colour("visio_bg"), self.rect, border_radius=m.radius)
        for (rect, p), tile in zip(self.tiles, self.static):
            surface.blit(tile, rect)
            self._bars(surface, rect, p)
        # call bar: microphone, camera, hang up (decorative)
        bar = pygame.Rect(self.rect.x, self.rect.bottom - self.bar_h, self.rect.width, self.bar_h)
        cy = bar.centery
        r = max(10, self.bar_h * 3 // 10)
        cx = bar.right - m.px(12) - r * 7  # the three controls sit on the right
        for k, key in enumerate(("tile_bg", "tile_bg", "negative")):
            c = (cx + (k - 1) * (r * 3), cy)
            pygame.draw.circle(surface, ctx.colour(key), c, r)
        pygame.draw.rect(surface, ctx.colour("tile_text"), (cx - r * 3 - 3, cy - r // 2, 6, r), border_radius=3)
        pygame.draw.rect(surface, ctx.colour("tile_text"), (cx - r // 2, cy - r // 3, r * 2 // 3, r * 2 // 3), 2)
        pygame.draw.line(surface, ctx.colour("tile_text"), (cx + r * 3 - r // 2, cy), (cx + r * 3 + r // 2, cy), 3)
        label = ctx.fit(ctx.t("ui.visio.call", n=len(self.tiles)), "small", "tile_muted",
                        max(40, cx - r * 4 - bar.x - m.px(24)))
        surface.blit(label, (bar.x + m.px(12), cy - label.get_height() // 2))
