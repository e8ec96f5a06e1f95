"""Scenes and the values they return to change the stack.

A scene handles one event, updates with the time passed and draws itself;
`handle` and `update` return a `Transition` (or None) that the app applies
in exactly one place (`App._apply`). Modal scenes are drawn over the scene
below, which is dimmed. Each scene owns its own pygame_gui manager, built by
`build()` and rebuilt whenever the window size, language or theme changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Union

import pygame
import pygame_gui

if TYPE_CHECKING:
    from .loop import Context


@dataclass(frozen=True)
class Push:
    scene: "Scene"


@dataclass(frozen=True)
class Pop:
    result: Any = None


@dataclass(frozen=True)
class Replace:
    scene: "Scene"


@dataclass(frozen=True)
class Reset:
    """Clear the stack and start again from these scenes (bottom first)."""

    scenes: tuple["Scene", ...]


@dataclass(frozen=True)
class Quit:
    code: int = 0


@dataclass(frozen=True)
class ApplySettings:
    """New settings for the whole app (language, theme, sizes, window)."""

    settings: Any


Transition = Union[Push, Pop, Replace, Reset, Quit, ApplySettings]


class Result(Enum):
    """What a popped scene hands back to the one below (`Pop(result)`, then `on_result`)."""

    RELOAD = "reload"  # the scenario file loads again: replay to the same point
    RESTART = "restart"  # start the scenario again


@dataclass(frozen=True)
class Scenes:
    """The scenes' constructors, filled in by the program (game/ui/app.py) and
    reached as `ctx.scenes`, so that no scene imports another and the loop
    imports none."""

    title: Callable[..., "Scene"]
    picker: Callable[..., "Scene"]
    briefing: Callable[..., "Scene"]
    open_scenario: Callable[..., "Scene"]
    play: Callable[..., "Scene"]
    debrief: Callable[..., "Scene"]
    history: Callable[..., "Scene"]
    pause: Callable[..., "Scene"]
    settings: Callable[..., "Scene"]
    diagnostics: Callable[..., "Scene"]
    step_out: Callable[..., "Scene"]
    apology: Callable[..., "Scene"]
    preview: Callable[..., "Scene"] | None = None  # the trainers' live preview
    access: Callable[..., "Scene"] | None = None  # the accessibility panel (Shift+A)
    classe: Callable[..., "Scene"] | None = None  # Classe: host or join a session, preview a file


#: pygame_gui measures the rest of a run of text at every line it breaks, so a
#: 10,000-character paragraph costs seconds; runs cut into pieces of this size
#: (bare <font> tags, which keep the style around them: the same pixels) cost
#: a sixth of that.
PIECE = 300
_RUN = re.compile(r"[^<]{%d,}" % (PIECE + 1))


def _pieces(run: str) -> str:
    out, start = [], 0
    while len(run) - start > PIECE:
        cut = run.rfind(" ", start + 1, start + PIECE)
        if cut <= start:  # one word longer than a piece: not prose; cut it (it breaks there anyway)
            cut = start + PIECE
        amp = run.rfind("&", start, cut)
        if amp > start and ";" not in run[amp:cut]:
            cut = amp  # never inside an entity ('&amp;')
        out.append(f"<font>{run[start:cut]}</font>")
        start = cut
    out.append(f"<font>{run[start:]}</font>")
    return "".join(out)


def in_pieces(html: str) -> str:
    """`html` (pygame_gui's subset) with every long run of text between tags cut into
    <font> pieces at spaces, so that laying it out stays linear in its length."""
    return _RUN.sub(lambda m: _pieces(m.group(0)), html)


class Scene:
    """Base scene: a pygame_gui manager, keyboard focus over its buttons."""

    modal = False
    name = "scene"

    def __init__(self, ctx: "Context"):
        self.ctx = ctx
        self.manager: pygame_gui.UIManager | None = None
        self.focusables: list[pygame_gui.core.UIElement] = []
        self.focus = -1
        self.actions: dict[Any, Callable[[], Transition | None]] = {}
        self.dirty = True

    # ---- life cycle --------------------------------------------------------------
    def build(self) -> None:
        """(Re)create the manager and every element for the current window and theme."""
        if self.manager is not None:
            self.manager.clear_and_reset()
        self.manager = self.ctx.new_manager()
        self.focusables = []
        self.actions = {}
        keep = self.focus
        self.layout()
        if 0 <= keep < len(self.focusables):
            self.focus = keep
        elif not 0 <= self.focus < len(self.focusables):
            self.focus = -1
        self.dirty = True

    def layout(self) -> None:
        """Create the elements; subclasses override."""

    def on_enter(self) -> None:
        """Called when the scene becomes the top of the stack again."""

    def on_result(self, result: Any) -> Transition | None:
        """The value a scene above popped with."""
        return None

    @property
    def animating(self) -> bool:
        return False

    # ---- helpers for subclasses ----------------------------------------------------
    @property
    def t(self):
        return self.ctx.t

    def button(self, rect: pygame.Rect, text: str, action: Callable[[], Transition | None] | None,
               object_id: str | None = None, tooltip: str | None = None, container=None,
               focusable: bool = True, enabled: bool = True) -> pygame_gui.elements.UIButton:
        b = pygame_gui.elements.UIButton(rect, text, self.manager, container=container, tool_tip_text=tooltip,
                                         object_id=object_id)
        if not enabled:
            b.disable()
        if action is not None:
            self.actions[b] = action
        if focusable and enabled:
            self.focusables.append(b)
        return b

    def label(self, rect: pygame.Rect, text: str, object_id: str | None = None, container=None):
        return pygame_gui.elements.UILabel(rect, text, self.manager, container=container, object_id=object_id)

    def textbox(self, rect: pygame.Rect, html: str, object_id: str | None = None, container=None):
        return pygame_gui.elements.UITextBox(in_pieces(html), rect, self.manager, container=container,
                                             object_id=object_id)

    # ---- events ----------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> Transition | None:
        """Default: pygame_gui first, then button actions, then focus keys."""
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            action = self.actions.get(event.ui_element)
            if action is not None:
                return action()
            return None
        if event.type == pygame.KEYDOWN:
            res = self.handle_key(event)
            if res is not None:
                return res
            return self.handle_focus_key(event)
        return None

    def handle_key(self, event: pygame.event.Event) -> Transition | None:
        return None

    def handle_focus_key(self, event: pygame.event.Event) -> Transition | None:
        key = event.key
        n = len(self.focusables)
        if not n:
            return None
        if key in (pygame.K_TAB, pygame.K_DOWN, pygame.K_RIGHT):
            back = key == pygame.K_TAB and event.mod & pygame.KMOD_SHIFT
            self.move_focus(-1 if back else 1)
        elif key in (pygame.K_UP, pygame.K_LEFT):
            self.move_focus(-1)
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE) and 0 <= self.focus < n:
            action = self.actions.get(self.focusables[self.focus])
            if action is not None:
                return action()
        return None

    def move_focus(self, step: int) -> None:
        n = len(self.focusables)
        if self.focus < 0:
            self.focus = 0 if step > 0 else n - 1
        else:
            self.focus = (self.focus + step) % n
        el = self.focusables[self.focus]
        scroll_into_view(el)
        self.dirty = True

    # ---- drawing -----------------------------------------------------------------------
    def update(self, dt: float) -> Transition | None:
        return None

    def draw(self, surface: pygame.Surface) -> None:
        """Background and custom drawing; the app draws the manager and focus ring after."""
        surface.fill(self.ctx.colour("bg"))

    def draw_focus(self, surface: pygame.Surface) -> None:
        if 0 <= self.focus < len(self.focusables):
            el = self.focusables[self.focus]
            if not el.visible:
                return
            rect = el.get_abs_rect() if hasattr(el, "get_abs_rect") else el.rect
            clip = _visible_clip(el)
            m = self.ctx.metrics
            r = rect.inflate(m.focus_width * 2 + 2, m.focus_width * 2 + 2)
            prev = surface.get_clip()
            if clip is not None:
                surface.set_clip(clip.inflate(m.focus_width * 2 + 2, m.focus_width * 2 + 2))
            pygame.draw.rect(surface, self.ctx.colour("focus"), r, m.focus_width, border_radius=m.radius + 3)
            surface.set_clip(prev)


def _visible_clip(el) -> pygame.Rect | None:
    container = getattr(el, "ui_container", None)
    while container is not None:
        if getattr(container, "element_ids", [""])[-1:] == ["scrolling_container"] or \
                type(container).__name__ == "UIContainer" and getattr(container, "parent_element", None) is not None:
            return container.get_abs_rect() if hasattr(container, "get_abs_rect") else container.rect
        container = getattr(container, "ui_container", None) if container is not getattr(container, "ui_container", None) else None
    return None


def scroll_into_view(el) -> None:
    """If `el` sits in a scrolling container, scroll so it is visible."""
    parent = getattr(el, "ui_container", None)
    sc = getattr(parent, "parent_element", None) if parent is not None else None
    while sc is not None and not isinstance(sc, pygame_gui.elements.UIScrollingContainer):
        sc = getattr(sc, "parent_element", None)
    if sc is None or sc.vert_scroll_bar is None:
        return
    view = sc.get_container().get_abs_rect() if hasattr(sc, "get_container") else None
    outer = sc.get_abs_rect()
    rect = el.get_abs_rect()
    bar = sc.vert_scroll_bar
    inner_h = sc.scrolling_height if hasattr(sc, "scrolling_height") else None
    if inner_h is None or inner_h <= outer.height:
        return
    if rect.top < outer.top or rect.bottom > outer.bottom:
        offset_now = outer.top - (view.top if view else outer.top)
        target = offset_now + (rect.top - outer.top) - 8 if rect.top < outer.top else offset_now + (rect.bottom - outer.bottom) + 8
        target = max(0, min(target, inner_h - outer.height))
        bar.set_scroll_from_start_percentage(target / inner_h)
