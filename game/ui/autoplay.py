"""`--autoplay`: play a scenario in the real window (or headless) and save a
PNG of every screen: the briefing, each node, each feedback, the debrief.

Choices are given as for `play --choices` (ids or 1-based numbers among the
choices shown, disabled ones included), or `first` (the first available
choice) or `random:SEED` (a seeded random available choice) until an
ending. The choices are made by pressing their number key, like a player.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any, Callable

import pygame

from game import presentation
from game.engine import Rejected
from game.i18n import t

from . import userdata
from .pilot import Pilot

MAX_STEPS = 500


def _plan(spec: str):
    spec = spec.strip()
    if spec == "first":
        return "first", None
    if spec.startswith("random"):
        _, _, seed = spec.partition(":")
        try:
            return "random", random.Random(int(seed) if seed else 0)
        except ValueError:
            raise SystemExit(f"pandore: --autoplay random:SEED needs an integer seed, not {seed!r}") from None
    return "list", [c for c in spec.split(",") if c.strip()]


def autoplay(open_window: Callable[..., Any], scenario_path: str | None, spec: str, screenshots: str | None,
             lang: str = "fr", seed: int | None = None, size: tuple[int, int] = (1280, 720),
             dirs: userdata.Dirs | None = None) -> int:
    """Play `spec` in the window `open_window(...)` builds, saving screenshots into `screenshots`. Returns an exit code."""
    if scenario_path is None:
        print("pandore: --autoplay needs a scenario", file=sys.stderr)
        return 2
    mode, arg = _plan(spec)
    out = Path(screenshots) if screenshots else None
    n = 0

    def shot(name: str) -> None:
        nonlocal n
        if out is not None:
            pilot.shot(out / f"{n:02d}-{name}.png")
        n += 1

    app = open_window(lang=lang, scenario_path=scenario_path, seed=0 if seed is None else seed, size=size, dirs=dirs)
    pilot = Pilot(app)
    scene = pilot.scene
    if scene.name == "diagnostics":
        shot("diagnostics")
        for d in scene.diagnostics:
            print(d.format(), file=sys.stderr)
        return 1
    shot("briefing")
    pilot.click_text(t("ui.briefing.start", app.ctx.lang))
    tokens = list(arg) if mode == "list" else []
    for _ in range(MAX_STEPS):
        scene = pilot.scene
        if scene.name == "debrief":
            shot("debrief")
            return 0
        if scene.name != "play":
            print(f"pandore: autoplay stopped on an unexpected screen ({scene.name})", file=sys.stderr)
            return 1
        if scene.report is not None:
            shot("feedback")
            pilot.key(pygame.K_RETURN)
            continue
        ctl = scene.ctl
        shot(f"node-{ctl.state.node}")
        shown = list(scene.node.choices)
        if mode == "list":
            if not tokens:
                return 0  # the given choices are played; stop where they lead
            token = tokens.pop(0)
            cid = ctl.pt.rules.choice_for(ctl.state, token)
            if isinstance(cid, Rejected):
                print(f"pandore: {presentation.refusal(ctl.pt, token, cid, app.ctx.lang)}", file=sys.stderr)
                return 2
        else:
            available = [c.id for c in shown if c.available]
            if not available:
                print(f"pandore: no available choice at '{ctl.state.node}'", file=sys.stderr)
                return 1
            cid = available[0] if mode == "first" else arg.choice(available)
        index = next(i for i, c in enumerate(shown) if c.id == cid)
        if index < 9:
            pilot.key(pygame.K_1 + index)
        else:  # beyond 9: arrows then Enter, as a keyboard player would
            for _ in range(index + 1):
                pilot.key(pygame.K_DOWN, settle=False)
            pilot.key(pygame.K_RETURN)
    print("pandore: autoplay gave up after too many steps", file=sys.stderr)
    return 1
