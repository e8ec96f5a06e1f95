"""The views a node's `view` field chooses: narrative, sms, dashboard, visio.

A view draws the "stage" of the play screen (the picture, the phone, the
algorithm's card, the video call) for one `NodeView`. It renders its static
parts once per layout into surfaces, so an animation frame only blits.
"""

from __future__ import annotations

import pygame


class View:
    """Base: a rectangle to draw in, a node to show, maybe an entry animation."""

    def __init__(self, ctx, rect: pygame.Rect, node, fresh: bool = True):
        self.ctx = ctx
        self.rect = pygame.Rect(rect)
        self.node = node
        self.fresh = fresh and not ctx.settings.reduced_motion
        self.t0 = ctx.now

    @property
    def animating(self) -> bool:
        return False

    def skip(self) -> None:
        """End any entry animation now (a key or click always skips)."""

    def handle(self, event: pygame.event.Event) -> bool:
        return False

    def draw(self, surface: pygame.Surface) -> None:
        raise NotImplementedError


def make_view(ctx, rect: pygame.Rect, node, fresh: bool = True) -> View:
    from .dashboard import DashboardView
    from .narrative import NarrativeView
    from .sms import SmsView
    from .visio import VisioView

    kind = {"sms": SmsView, "dashboard": DashboardView, "visio": VisioView}.get(node.kind, NarrativeView)
    if kind is SmsView and not node.thread:
        kind = NarrativeView
    if kind is DashboardView and node.panel is None:
        kind = NarrativeView
    if kind is VisioView and not node.participants:
        kind = NarrativeView
    return kind(ctx, rect, node, fresh)
