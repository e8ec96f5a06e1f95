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
    group: Callable[..., "Scene"] | None = None  # group mode: (ctx) its picker, (ctx, scenario) its briefing


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


SCROLL_KEYS = (pygame.K_UP, pygame.K_DOWN, pygame.K_PAGEUP, pygame.K_PAGEDOWN, pygame.K_HOME, pygame.K_END)


class Scene:
    """Base scene: a pygame_gui manager, keyboard focus over its buttons."""

    modal = False
    name = "scene"
    #: built before it was pushed (while the player read the screen below): the loop does not build it again
    built_ahead = False
    #: event types of the scene's own (custom) that change nothing by themselves: the loop does not draw
    #: again for them; the scene marks itself dirty when what they bring changes the screen
    quiet_events: frozenset[int] = frozenset()

    def __init__(self, ctx: "Context"):
        self.ctx = ctx
        self.manager: pygame_gui.UIManager | None = None
        self._manager_generation = -1
        self.focusables: list[pygame_gui.core.UIElement] = []
        self.focus = -1
        self.actions: dict[Any, Callable[[], Transition | None]] = {}
        self.texts: list[pygame_gui.elements.UITextBox] = []  # the text boxes, for keyboard scrolling
        self.dirty = True

    # ---- life cycle --------------------------------------------------------------
    def build(self) -> None:
        """(Re)create the manager and every element for the current window and theme."""
        if self.manager is not None:
            self.manager.clear_and_reset()
            self.manager.set_focus_set(None)
        if self.manager is None or self._manager_generation != self.ctx.generation:
            self.manager = self.ctx.new_manager()  # same theme and size: the emptied one serves again
            self._manager_generation = self.ctx.generation
        self.focusables = []
        self.actions = {}
        self.texts = []
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
        b = self.make_button(rect, text, object_id, tooltip, container)
        if not enabled:
            b.disable()
        self.adopt_button(b, action, focusable and enabled)
        return b

    def make_button(self, rect: pygame.Rect, text: str, object_id: str | None = None, tooltip: str | None = None,
                    container=None, visible: bool = True) -> pygame_gui.elements.UIButton:
        """A button of this scene's manager that does nothing yet (made ahead, hidden: `adopt_button`)."""
        return pygame_gui.elements.UIButton(rect, self.ctx.theme.plain_label(text), self.manager, container=container,
                                            tool_tip_text=tooltip, object_id=object_id, visible=int(visible))

    def adopt_button(self, b, action: Callable[[], Transition | None] | None, focusable: bool = True) -> None:
        """Give a button made by `make_button` its action and its place in the focus order."""
        if action is not None:
            self.actions[b] = action
        if focusable:
            self.focusables.append(b)

    def label(self, rect: pygame.Rect, text: str, object_id: str | None = None, container=None):
        return pygame_gui.elements.UILabel(rect, text, self.manager, container=container, object_id=object_id)

    def textbox(self, rect: pygame.Rect, html: str, object_id: str | None = None, container=None):
        tb = self.make_textbox(rect, html, object_id, container)
        self.texts.append(tb)
        return tb

    def make_textbox(self, rect: pygame.Rect, html: str, object_id: str | None = None, container=None,
                     visible: bool = True) -> pygame_gui.elements.UITextBox:
        """A text box of this scene's manager, not yet among its texts (made ahead, hidden)."""
        return pygame_gui.elements.UITextBox(in_pieces(self.ctx.theme.with_signs(html)), rect, self.manager,
                                             container=container, object_id=object_id, visible=int(visible))

    def scroll_target(self):
        """The text box the keyboard scrolls: the tallest one that does not fit, if any."""
        boxes = [tb for tb in self.texts if tb.alive() and tb.scroll_bar is not None]
        return max(boxes, key=lambda tb: 1 - tb.scroll_bar.visible_percentage, default=None)

    def scroll_key(self, event: pygame.event.Event) -> bool:
        """Up/Down (a few lines), Page Up/Down (a page), Home/End scroll the text box that
        does not fit. Returns whether the key scrolled. With such a box on screen, Tab and
        Left/Right move the focus (Up/Down scroll, as in a browser)."""
        if event.key not in SCROLL_KEYS:
            return False
        tb = self.scroll_target()
        if tb is None:
            return False
        bar = tb.scroll_bar
        seen = bar.visible_percentage
        end = max(0.0, 1.0 - seen)
        step = {pygame.K_UP: -seen / 6, pygame.K_DOWN: seen / 6, pygame.K_PAGEUP: -seen * 0.9,
                pygame.K_PAGEDOWN: seen * 0.9}
        if event.key == pygame.K_HOME:
            target = 0.0
        elif event.key == pygame.K_END:
            target = end
        else:
            target = max(0.0, min(end, bar.start_percentage + step[event.key]))
        bar.set_scroll_from_start_percentage(target)
        tb.update(0.0)  # the text moves in this frame, not the next one
        self.dirty = True
        return True

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
            if self.scroll_key(event):
                return None
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


def _scrolling_container_of(el):
    """The UIScrollingContainer whose contents hold `el`, or None (pygame_gui does not link
    the inner container back to it)."""
    inner = getattr(el, "ui_container", None)
    manager = getattr(el, "ui_manager", None)
    if inner is None or manager is None:
        return None
    for sprite in manager.get_sprite_group().sprites():
        if isinstance(sprite, pygame_gui.elements.UIScrollingContainer) and sprite.get_container() is inner:
            return sprite
    return None


def scroll_into_view(el) -> None:
    """If `el` sits in a scrolling container, scroll so it is wholly visible (now, not at the next update)."""
    sc = _scrolling_container_of(el)
    if sc is None or sc.vert_scroll_bar is None or not sc.scrolling_height:
        return
    view = sc.get_abs_rect()
    inner = sc.get_container().get_abs_rect()
    offset = view.top - inner.top  # how far it is scrolled now
    rect = el.get_abs_rect()
    top, bottom = rect.top - inner.top, rect.bottom - inner.top
    margin = 8
    if top - offset < 0:
        offset = top - margin
    elif bottom - offset > view.height:
        offset = bottom - view.height + margin
    else:
        return
    offset = max(0, min(offset, sc.scrolling_height - view.height))
    sc.vert_scroll_bar.set_scroll_from_start_percentage(offset / sc.scrolling_height)
    sc.update(0.0)
