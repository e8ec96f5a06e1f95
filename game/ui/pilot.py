"""A pilot for the game window: posts synthetic key and mouse events and
steps the loop, for tests, the --autoplay mode and the benchmarks.

    pilot = Pilot(open_window(size=(1280, 720), dirs=...))
    pilot.click_text("Jouer"); pilot.key(pygame.K_1); pilot.shot("x.png")
"""

from __future__ import annotations

import pygame
import pygame_gui

from .loop import App


class Pilot:
    def __init__(self, app: App):
        self.app = app
        self.settle()

    @property
    def scene(self):
        return self.app.top

    def step(self, n: int = 1) -> None:
        for _ in range(n):
            if not self.app.running:
                return
            self.app.step(block=False)

    def settle(self, limit: int = 200) -> None:
        """Step until no animation runs, jumping the clock (tests do not wait in real time)."""
        self.step(2)
        for _ in range(limit):
            if not self.app.running or not self.app.animating:
                break
            self.app.ctx.now += 0.25
            self.step()
        self.app.ctx.now += 0.5  # a player looks before acting (choices ignore a double click's second half)
        self.step()

    def post(self, event_type: int, **attrs) -> None:
        pygame.event.post(pygame.event.Event(event_type, **attrs))

    def key(self, key: int, mod: int = 0, settle: bool = True) -> None:
        name = pygame.key.name(key)
        uni = name if len(name) == 1 else ""
        self.post(pygame.KEYDOWN, key=key, mod=mod, unicode=uni, scancode=0)
        self.post(pygame.KEYUP, key=key, mod=mod, unicode=uni, scancode=0)
        self.step(2)
        if settle:
            self.settle()

    def click(self, pos: tuple[int, int], settle: bool = True) -> None:
        pos = (int(pos[0]), int(pos[1]))
        pygame.mouse.set_pos(pos)
        self.post(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0), touch=False)
        self.step()
        self.post(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False)
        self.step()
        self.post(pygame.MOUSEBUTTONUP, pos=pos, button=1, touch=False)
        self.step(3)
        if settle:
            self.settle()

    def buttons(self) -> list[pygame_gui.elements.UIButton]:
        scene = self.scene
        if scene is None or scene.manager is None:
            return []
        return [e for e in scene.manager.get_sprite_group().sprites()
                if isinstance(e, pygame_gui.elements.UIButton) and e.visible]

    def button(self, text: str) -> pygame_gui.elements.UIButton:
        found = [b for b in self.buttons() if b.text == text]
        if not found:
            raise LookupError(f"no button {text!r} on {self.scene.name}: {[b.text for b in self.buttons()]}")
        return found[0]

    def click_text(self, text: str) -> None:
        """Click the button showing `text` on the top scene."""
        b = self.button(text)
        self.click(b.get_abs_rect().center if hasattr(b, "get_abs_rect") else b.rect.center)

    def resize(self, size: tuple[int, int]) -> None:
        pygame.display.set_mode(size, pygame.RESIZABLE)
        self.post(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1])
        self.step(2)
        self.settle()

    def shot(self, path) -> None:
        self.app.screenshot(path)
