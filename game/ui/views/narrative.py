"""view: narrative — the node's illustration (or a calm placeholder)."""

from __future__ import annotations

import pygame

from .base import View


def placeholder(ctx, size: tuple[int, int], seed: str = "") -> pygame.Surface:
    """A flat, quiet panel for a node whose image is missing: soft shapes, no text."""
    w, h = size
    surf = pygame.Surface((max(1, w), max(1, h)), pygame.SRCALPHA)
    m = ctx.metrics
    pygame.draw.rect(surf, ctx.colour("illustration_a"), surf.get_rect(), border_radius=m.radius)
    k = sum(map(ord, seed)) % 5
    a, b, c = ctx.colour("illustration_b"), ctx.colour("illustration_c"), ctx.colour("surface")
    # a horizon, a window and a table: a room, seen calmly
    pygame.draw.rect(surf, a, (0, int(h * 0.68), w, int(h * 0.32) + 1),
                     border_bottom_left_radius=m.radius, border_bottom_right_radius=m.radius)
    win = pygame.Rect(int(w * (0.12 + 0.05 * k)), int(h * 0.16), int(w * 0.26), int(h * 0.34))
    pygame.draw.rect(surf, c, win, border_radius=m.radius // 2)
    pygame.draw.line(surf, a, win.midtop, win.midbottom, max(2, w // 200))
    pygame.draw.line(surf, a, win.midleft, win.midright, max(2, w // 200))
    table = pygame.Rect(int(w * 0.5), int(h * 0.58), int(w * 0.36), max(6, int(h * 0.04)))
    pygame.draw.rect(surf, b, table, border_radius=3)
    pygame.draw.rect(surf, b, (table.x + table.width // 8, table.bottom, max(4, w // 90), int(h * 0.2)))
    pygame.draw.rect(surf, b, (table.right - table.width // 8, table.bottom, max(4, w // 90), int(h * 0.2)))
    pygame.draw.circle(surf, b, (int(w * 0.8), int(h * 0.26)), max(6, int(min(w, h) * 0.07)))
    return surf


class NarrativeView(View):
    FADE_IN = 0.35  # seconds

    def __init__(self, ctx, rect, node, fresh=True):
        super().__init__(ctx, rect, node, fresh)
        img = ctx.image(node.image, (self.rect.width, self.rect.height)) if node.image else None
        if img is None:
            img = placeholder(ctx, (self.rect.width, min(self.rect.height, round(self.rect.width * 0.75))), node.node_id)
            self.missing = True
        else:
            self.missing = False
        self.image = img

    def draw(self, surface: pygame.Surface) -> None:
        r = self.image.get_rect(center=self.rect.center)
        if self.animating:
            p = self.fade()
            self.image.set_alpha(int(255 * p))
            surface.blit(self.image, r)
            self.image.set_alpha(255)
        else:
            surface.blit(self.image, r)
        if not self.missing:
            pygame.draw.rect(surface, self.ctx.colour("border"), r, 1, border_radius=2)
