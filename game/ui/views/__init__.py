"""The views a node's `view` field chooses: narrative, sms, dashboard, visio.

A view draws the "stage" of the play screen (the picture, the phone, the
algorithm's card, the video call) for one `NodeView`. It renders its static
parts once per layout into surfaces, so an animation frame only blits.
"""

from __future__ import annotations

import pygame

from .base import View
from .dashboard import DashboardView
from .narrative import NarrativeView
from .sms import SmsView
from .visio import VisioView

__all__ = ["DashboardView", "NarrativeView", "SmsView", "View", "VisioView", "make_view"]


def make_view(ctx, rect: pygame.Rect, node, fresh: bool = True) -> View:
    kind = {"sms": SmsView, "dashboard": DashboardView, "visio": VisioView}.get(node.kind, NarrativeView)
    if kind is SmsView and not node.thread:
        kind = NarrativeView
    if kind is DashboardView and node.panel is None:
        kind = NarrativeView
    if kind is VisioView and not node.participants:
        kind = NarrativeView
    return kind(ctx, rect, node, fresh)
