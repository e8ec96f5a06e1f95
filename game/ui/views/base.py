"""The base of every view: a rectangle, a node, maybe an entry animation."""

from __future__ import annotations

from abc import ABC, abstractmethod

import pygame


class View(ABC):
    """Base: a rectangle to draw in, a node to show, maybe an entry animation.

    A view whose entry is a simple fade sets FADE_IN (seconds) and reads
    `fade()`; views with their own entry (SMS, video call) override
    `animating`.
    """

    FADE_IN = 0.0

    def __init__(self, ctx, rect: pygame.Rect, node, fresh: bool = True):
        self.ctx = ctx
        self.rect = pygame.Rect(rect)
        self.node = node
        self.fresh = fresh and not ctx.settings.reduced_motion
        self.t0 = ctx.now

    @property
    def animating(self) -> bool:
        return self.fresh and self.ctx.now - self.t0 < self.FADE_IN

    def fade(self) -> float:
        """How far the entry fade has gone, 0 to 1 (1 once it is over or skipped)."""
        if not self.FADE_IN or not self.fresh:
            return 1.0
        return min(1.0, (self.ctx.now - self.t0) / self.FADE_IN)

    def skip(self) -> None:
        """End any entry animation now (a key or click always skips)."""
        self.fresh = False

    def handle(self, event: pygame.event.Event) -> bool:
        return False

    @abstractmethod
    def draw(self, surface: pygame.Surface) -> None:
        """Draw the view into its rectangle of `surface`."""
