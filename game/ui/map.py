"""The scenario's map drawn in the window: a reusable view over a `Layout`.

`MapView(ctx, rect, layout)` draws the boxes of game/authoring/layout.py
scaled into `rect`: nodes, endings filled with their tone's colour and named
by it (colour never says it alone), the start with a thick border, what no
path reaches dashed and muted. Choices are arrows: a plain line for an
unconditional choice, dashes for an `if` (hidden when false), dots for an
`available_if` (shown disabled), thin dashes for a drawn outcome, the accent
colour for a trigger jump. `path` (nodes and (from, to) pairs) is drawn in
the focus colour, `current` ringed. `annotations` puts a short text in a
badge on a node (the preview: nothing yet; the classroom: how many
trainees stand there).

Zoom with the wheel or + / -, pan by dragging or with the arrow keys, 0
fits the whole map again. `handle(event)` returns a `MapEvent` (a node
clicked) or None; `consumed` tells whether the map used the event.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from game.authoring.layout import BOX_H, BOX_W, Layout

TONE_FILL = {"positive": "positive_bg", "mixed": "mixed_bg", "negative": "negative_bg"}


@dataclass(frozen=True)
class MapEvent:
    node: str


class MapView:
    def __init__(self, ctx, rect: pygame.Rect, layout: Layout, *, start: str | None = None,
                 unreachable: set[str] | frozenset = frozenset(), tone_words: dict[str, str] | None = None):
        self.ctx = ctx
        self.rect = pygame.Rect(rect)
        self.layout = layout
        self.start = start
        self.unreachable = set(unreachable)
        self.tone_words = tone_words or {}
        self.path_nodes: set[str] = set()
        self.path_edges: set[tuple[str, str]] = set()
        self.current: str | None = None
        self.annotations: dict[str, str] = {}
        #: the badges' type size as a multiple of the theme's small size (the projector's live view: larger)
        self.annotation_scale = 1.0
        self.consumed = False
        self._drag: tuple[int, int] | None = None
        self._moved = False
        self.fit()

    # ---- what to show ---------------------------------------------------------
    def set_path(self, nodes: list[str], current: str | None) -> None:
        """Highlight the path taken (nodes in order) and ring the current node."""
        self.path_nodes = set(nodes)
        self.path_edges = {(a, b) for a, b in zip(nodes, nodes[1:])}
        self.current = current

    def set_layout(self, layout: Layout, start: str | None, unreachable, keep_view: bool = True) -> None:
        self.layout, self.start, self.unreachable = layout, start, set(unreachable)
        if not keep_view:
            self.fit()

    # ---- view transform ---------------------------------------------------------
    def fit(self) -> None:
        """Zoom and pan so that the whole map fits the rectangle (never larger than 1:1)."""
        margin = 16
        lw, lh = max(self.layout.width, 1), max(self.layout.height, 1)
        self.base = min((self.rect.width - 2 * margin) / lw, (self.rect.height - 2 * margin) / lh, 1.0)
        self.zoom = 1.0
        self.pan = [0.0, 0.0]

    @property
    def scale(self) -> float:
        return self.base * self.zoom

    def to_screen(self, x: float, y: float) -> tuple[float, float]:
        s = self.scale
        ox = self.rect.centerx - self.layout.width * s / 2 + self.pan[0]
        oy = self.rect.centery - self.layout.height * s / 2 + self.pan[1]
        return ox + x * s, oy + y * s

    def box_rect(self, node: str) -> pygame.Rect:
        b = self.layout.boxes[node]
        x, y = self.to_screen(b.x, b.y)
        s = self.scale
        return pygame.Rect(round(x), round(y), max(1, round(BOX_W * s)), max(1, round(BOX_H * s)))

    def node_at(self, pos) -> str | None:
        for n in self.layout.boxes:
            if self.box_rect(n).collidepoint(pos):
                return n
        return None

    def zoom_by(self, factor: float, around: tuple[int, int] | None = None) -> None:
        new = min(6.0, max(0.3, self.zoom * factor))
        f = new / self.zoom
        cx, cy = around or self.rect.center
        # keep the point under the cursor where it is
        ox = self.rect.centerx + self.pan[0]
        oy = self.rect.centery + self.pan[1]
        self.pan[0] += (cx - ox) * (1 - f)
        self.pan[1] += (cy - oy) * (1 - f)
        self.zoom = new

    # ---- events --------------------------------------------------------------------
    def handle(self, event) -> MapEvent | None:
        self.consumed = False
        if event.type == pygame.MOUSEWHEEL:
            pos = pygame.mouse.get_pos()
            if self.rect.collidepoint(pos):
                self.zoom_by(1.2 ** event.y, pos)
                self.consumed = True
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 2, 3) and self.rect.collidepoint(event.pos):
            self._drag = event.pos
            self._moved = False
            self.consumed = True
        elif event.type == pygame.MOUSEMOTION and self._drag is not None:
            dx, dy = event.pos[0] - self._drag[0], event.pos[1] - self._drag[1]
            if abs(dx) + abs(dy) > 3 or self._moved:
                self.pan[0] += dx
                self.pan[1] += dy
                self._drag = event.pos
                self._moved = True
            self.consumed = True
        elif event.type == pygame.MOUSEBUTTONUP and self._drag is not None:
            self._drag = None
            self.consumed = True
            if not self._moved and event.button == 1:
                node = self.node_at(event.pos)
                if node is not None:
                    return MapEvent(node)
        elif event.type == pygame.KEYDOWN:
            step = max(20, self.rect.width // 10)
            moves = {pygame.K_LEFT: (step, 0), pygame.K_RIGHT: (-step, 0), pygame.K_UP: (0, step),
                     pygame.K_DOWN: (0, -step)}
            if event.key in moves:
                self.pan[0] += moves[event.key][0]
                self.pan[1] += moves[event.key][1]
                self.consumed = True
            elif event.key in (pygame.K_PLUS, pygame.K_KP_PLUS, pygame.K_EQUALS):
                self.zoom_by(1.25)
                self.consumed = True
            elif event.key in (pygame.K_MINUS, pygame.K_KP_MINUS):
                self.zoom_by(1 / 1.25)
                self.consumed = True
            elif event.key in (pygame.K_0, pygame.K_KP0):
                self.fit()
                self.consumed = True
        return None

    # ---- drawing ----------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        ctx = self.ctx
        prev = surface.get_clip()
        surface.set_clip(self.rect)
        pygame.draw.rect(surface, ctx.colour("surface"), self.rect)
        s = self.scale
        width = max(1, round(2 * s))
        for e in self.layout.edges:
            if e.target not in self.layout.boxes:
                continue
            on_path = (e.source, e.target) in self.path_edges
            if e.kind == "trigger":
                colour = ctx.colour("accent")
                b = self.box_rect(e.target)
                a = (b.left - round(30 * s), b.top - round(20 * s))
                self._arrow(surface, a, (b.left, b.centery), colour, width + 1, "choice")
                continue
            if e.source not in self.layout.boxes:
                continue
            off = e.source in self.unreachable
            colour = ctx.colour("focus") if on_path else ctx.colour("text_muted" if off else "text")
            a, b = self._ends(e.source, e.target)
            self._arrow(surface, a, b, colour, width + (2 if on_path else 0), e.kind)
        font = ctx.font("small")
        small = max(9, round(ctx.metrics["small"] * min(1.0, s * 1.1)))
        for n, box in self.layout.boxes.items():
            r = self.box_rect(n)
            if not r.colliderect(self.rect):
                continue
            off = n in self.unreachable
            fill = ctx.colour(TONE_FILL[box.tone]) if box.kind == "ending" and box.tone in TONE_FILL and not off \
                else ctx.colour("surface_alt" if off else "bg")
            radius = max(2, round(10 * s)) if box.kind == "ending" else max(1, round(3 * s))
            pygame.draw.rect(surface, fill, r, border_radius=radius)
            border = ctx.colour("focus") if n in self.path_nodes else ctx.colour(
                box.tone if box.kind == "ending" and box.tone in TONE_FILL and not off else "border")
            bw = max(1, round((4 if n == self.current else 3 if n == self.start or n in self.path_nodes else 1) * s))
            if off:
                _dashed_rect(surface, border, r, bw)
            else:
                pygame.draw.rect(surface, border, r, bw, border_radius=radius)
            if n == self.current:
                pygame.draw.rect(surface, ctx.colour("focus"), r.inflate(round(8 * s), round(8 * s)),
                                 max(1, round(2 * s)), border_radius=radius + 2)
            if r.width > 40:
                self._box_text(surface, r, box, off, small)
            badge = self.annotations.get(n)
            if badge:
                if self.annotation_scale == 1.0:
                    t = ctx.text(badge, "small", "accent_text", style="bold")
                else:
                    from . import text as text_mod

                    size = max(9, round(ctx.metrics["small"] * self.annotation_scale))
                    t = text_mod.line(badge, ctx.font_path("bold"), size, ctx.colour("accent_text"),
                                      ctx.theme.sign_font("bold"))
                br = pygame.Rect(0, 0, t.get_width() + 10, t.get_height() + 2)
                br.center = r.topright
                pygame.draw.rect(surface, ctx.colour("accent"), br, border_radius=br.height // 2)
                surface.blit(t, t.get_rect(center=br.center))
        del font
        surface.set_clip(prev)
        pygame.draw.rect(surface, ctx.colour("border"), self.rect, 1)

    def _box_text(self, surface, r: pygame.Rect, box, off: bool, size: int) -> None:
        from . import text as text_mod

        ctx = self.ctx
        colour = ctx.colour("text_muted" if off else "heading")
        pad = max(2, r.height // 10)
        title = text_mod.fit(box.id, ctx.font_path("bold"), size, colour, r.width - 2 * pad)
        surface.blit(title, (r.x + pad, r.y + pad))
        y = r.y + pad + title.get_height()
        label = box.label
        if box.kind == "ending":
            word = self.tone_words.get(box.tone or "", box.tone or "")
            label = f"[{word}] {label}" if word else label
        if y + size < r.bottom:
            sub = text_mod.block(label, ctx.font_path("regular"), max(8, size - 2), ctx.colour("text_muted" if off else "text"),
                                 r.width - 2 * pad, 1.1, "left", max(1, (r.bottom - y - pad) // max(1, size)))
            surface.blit(sub, (r.x + pad, y), area=pygame.Rect(0, 0, r.width - 2 * pad, r.bottom - y - pad // 2))

    def _ends(self, a: str, b: str) -> tuple[tuple[float, float], tuple[float, float]]:
        ra, rb = self.box_rect(a), self.box_rect(b)
        if a == b:
            return (ra.right, ra.centery - ra.height // 4), (ra.right, ra.centery + ra.height // 4)
        if rb.top >= ra.bottom:
            return (ra.centerx, ra.bottom), (rb.centerx, rb.top)
        if rb.bottom <= ra.top:  # a loop back up: leave from the side
            return (ra.right, ra.centery), (rb.right, rb.centery)
        return ((ra.right, ra.centery), (rb.left, rb.centery)) if rb.x > ra.x else ((ra.left, ra.centery), (rb.right, rb.centery))

    def _arrow(self, surface, a, b, colour, width: int, kind: str) -> None:
        if kind == "if":
            _dashed(surface, colour, a, b, width, 10, 6)
        elif kind == "available_if":
            _dashed(surface, colour, a, b, width, 3, 5)
        elif kind == "outcome":
            _dashed(surface, colour, a, b, max(1, width - 1), 6, 4)
        else:
            pygame.draw.line(surface, colour, a, b, width)
        ang = math.atan2(b[1] - a[1], b[0] - a[0])
        size = max(5, width * 4)
        pts = [b, (b[0] - size * math.cos(ang - 0.4), b[1] - size * math.sin(ang - 0.4)),
               (b[0] - size * math.cos(ang + 0.4), b[1] - size * math.sin(ang + 0.4))]
        pygame.draw.polygon(surface, colour, pts)


def _dashed(surface, colour, a, b, width: int, dash: int, gap: int) -> None:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    if length < 1:
        return
    ux, uy = dx / length, dy / length
    t = 0.0
    while t < length:
        e = min(length, t + dash)
        pygame.draw.line(surface, colour, (a[0] + ux * t, a[1] + uy * t), (a[0] + ux * e, a[1] + uy * e), width)
        t = e + gap


def _dashed_rect(surface, colour, r: pygame.Rect, width: int) -> None:
    for a, b in ((r.topleft, r.topright), (r.topright, r.bottomright), (r.bottomright, r.bottomleft),
                 (r.bottomleft, r.topleft)):
        _dashed(surface, colour, a, b, width, 6, 4)
