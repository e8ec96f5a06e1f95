"""The game window's loop: the scene stack, the shared context, transitions.

`App(first, scenes)` opens the window with the scenes `first(ctx)` returns;
it knows no concrete scene (they reach each other through `ctx.scenes`, which
the program in game/ui/app.py fills in). The loop redraws only when something happened or an animation runs: idle,
it sleeps between event polls (see `_wait_events` and docs/ui.md). Every transition returned
by a scene is applied in `App._apply`. An unexpected exception is logged to
the user's data folder and replaced by an apology screen; it never ends the
program with a traceback.
"""

from __future__ import annotations

import copy
import os
import select
import sys
import time
import warnings
from pathlib import Path
from typing import Any, Callable, Sequence

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pygame_gui  # noqa: E402

from game.authoring.pictures import picture_problem  # noqa: E402
from game.i18n import LANGUAGES, t as translate  # noqa: E402

from . import native  # noqa: E402
from . import speech  # noqa: E402
from . import text as text_mod  # noqa: E402
from . import userdata  # noqa: E402
from .scene import ApplySettings, Pop, Push, Quit, Replace, Reset, Scene, Scenes, Transition  # noqa: E402
from .theme import ICONS, SIGNS_FAMILY, Metrics, Theme, load_theme  # noqa: E402

# keys that act (choose, confirm, leave): held down, their repeats act on nothing
ACTING_KEYS = frozenset((pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE, pygame.K_ESCAPE)
                        + tuple(range(pygame.K_1, pygame.K_9 + 1)) + tuple(range(pygame.K_KP1, pygame.K_KP9 + 1)))
MIN_SIZE = (1024, 600)
DEFAULT_SIZE = (1280, 720)
FPS = 60


def first_size(desktop: tuple[int, int] | None) -> tuple[int, int]:
    """The first window's size for a screen of `desktop` pixels: 1280x720 when it fits
    with room for a taskbar and a title bar, else what fits (never below MIN_SIZE, never
    above the screen: a 1024x600 screen gets the whole of it)."""
    if not desktop or desktop[0] <= 0 or desktop[1] <= 0:
        return DEFAULT_SIZE
    dw, dh = desktop
    w = min(DEFAULT_SIZE[0], dw - 40)
    h = min(DEFAULT_SIZE[1], dh - 100)  # a taskbar (~48 px) and the window's title bar (~30 px)
    w, h = max(w, MIN_SIZE[0]), max(h, MIN_SIZE[1])
    return min(w, dw), min(h, dh)
IDLE_WAIT_MS = 1000
POLL_S = 0.010  # idle: seconds between event polls (where input cannot be waited for)
#: idle under X11: the longest wait on the X connection; events that do not come from the X server
#: (SDL timers such as a notice's end, events posted by a thread) are seen within this time
X11_WAIT_S = 0.100
IMAGE_CACHE_BYTES = 32 * 2**20


class _Manager(pygame_gui.UIManager):
    """A UIManager that takes an already loaded theme (and its resource loader) instead of
    parsing one again and starting loader threads that would have nothing to load."""

    def __init__(self, size: tuple[int, int], shared, theme: dict | None):
        self._shared = shared
        loader = getattr(shared.get_font_dictionary(), "_resource_loader", None) if shared is not None else None
        super().__init__(size, theme, enable_live_theme_updates=False, resource_loader=loader)

    def create_new_theme(self, theme_path=None):
        if self._shared is not None:
            return self._shared
        return super().create_new_theme(theme_path)


class Context:
    """What every scene shares: settings, theme, sizes, language, folders, images."""

    def __init__(self, app: "App", settings: userdata.Settings, dirs: userdata.Dirs, size: tuple[int, int],
                 scenes: Scenes):
        self.app = app
        #: why the settings could not be kept (None: they were), said by the settings panel
        self.settings_problem: str | None = None
        self.scenes = scenes
        self.dirs = dirs
        self.settings = settings
        self.size = size
        self.theme: Theme = load_theme(settings.theme_name, settings.reading_font)
        self.metrics: Metrics = self.theme.metrics(settings.text_size, size, settings.line_spacing)
        self._gui_theme: dict | None = None
        self._shared_theme = None  # the pygame_gui theme built from _gui_theme, shared by the managers
        self.generation = 0  # changes with the theme, the metrics or the size: managers made before are stale
        # pictures: rasterised once per size, within a budget (a scenario's pictures at every
        # window size tried would otherwise all stay)
        self._images = text_mod.SurfaceCache(IMAGE_CACHE_BYTES)
        self.now = 0.0  # seconds since start, for animations
        self._after_frame: list[Callable[[], None]] = []

    def after_frame(self, fn: Callable[[], None]) -> None:
        """Run `fn` once the next frame is on screen (work a key press needs done, but not before
        the player sees its result: the autosave of a choice)."""
        self._after_frame.append(fn)

    # ---- language --------------------------------------------------------------
    @property
    def lang(self) -> str:
        return self.settings.language

    def t(self, key: str, **values: Any) -> str:
        return translate(key, self.lang, **values)

    # ---- appearance ------------------------------------------------------------
    def colour(self, key: str) -> tuple[int, int, int, int]:
        return self.theme[key]

    def font_path(self, style: str = "regular") -> Path:
        return self.theme.font_files[style]

    def font(self, size_key: str, style: str = "regular") -> pygame.font.Font:
        return text_mod.font(self.font_path(style), self.metrics[size_key])

    def text(self, s: str, size_key: str, colour_key: str, width: int = 0, style: str = "regular",
             align: str = "left", max_lines: int = 0, spacing: float = 1.25) -> pygame.Surface:
        colour = self.colour(colour_key)
        signs = self.theme.sign_font(style)
        if width <= 0:
            return text_mod.line(s, self.font_path(style), self.metrics[size_key], colour, signs)
        spacing *= self.metrics.spacing  # the player's line spacing (accessibility panel)
        return text_mod.block(s, self.font_path(style), self.metrics[size_key], colour, width, spacing, align, max_lines,
                              signs)

    def fit(self, s: str, size_key: str, colour_key: str, width: int, style: str = "regular") -> pygame.Surface:
        return text_mod.fit(s, self.font_path(style), self.metrics[size_key], self.colour(colour_key), width,
                            self.theme.sign_font(style))

    def refresh(self, settings: userdata.Settings | None = None, size: tuple[int, int] | None = None) -> None:
        if settings is not None:
            self.settings = settings
        if size is not None:
            self.size = size
        self.theme = load_theme(self.settings.theme_name, self.settings.reading_font)
        self.metrics = self.theme.metrics(self.settings.text_size, self.size, self.settings.line_spacing)
        self._gui_theme = None
        self._shared_theme = None
        self.generation += 1
        self._images.drop(lambda k: k[0] == "raw")

    def new_manager(self) -> pygame_gui.UIManager:
        """A manager for a scene. Every manager of one theme and size shares one pygame_gui
        theme (its fonts, its cache of drawn shapes): parsing it, loading its fonts and
        its first shape atlas cost ~20 ms and several MB per scene build."""
        if self._gui_theme is None:
            self._gui_theme = self.theme.gui_theme(self.metrics)
            self._shared_theme = None
        m = _Manager(self.size, self._shared_theme,
                     copy.deepcopy(self._gui_theme) if self._shared_theme is None else None)
        if self._shared_theme is None:
            signs = self.theme.sign_files
            if signs:  # the font that draws the reading font's missing signs
                m.add_font_paths(SIGNS_FAMILY, str(signs["regular"]), str(signs["bold"]), str(signs["italic"]),
                                 str(signs["bold"]))
            with warnings.catch_warnings():  # it warns about fonts the theme already loaded
                warnings.simplefilter("ignore")
                m.preload_fonts(self.theme.preload(self.metrics))
            self._shared_theme = m.ui_theme
        return m

    # ---- images ------------------------------------------------------------------
    def image(self, path: Path | None, box: tuple[int, int], tint: tuple[int, ...] | None = None) -> pygame.Surface | None:
        """`path` (SVG or PNG) scaled to fit `box`, keeping its ratio; None if missing or unreadable."""
        if path is None:
            return None
        key = ("fit", str(path), box, tint)
        if key in self._images:
            return self._images.get(key)
        img = None
        if picture_problem(path) is not None:  # never decode what declares gigapixels, nor a device
            self._images.put(key, None)
            return None
        try:
            if path.suffix.lower() == ".svg":
                raw = self._raw(path)
                if raw is not None:
                    w, h = raw.get_size()
                    s = min(box[0] / w, box[1] / h)
                    img = pygame.image.load_sized_svg(str(path), (max(1, round(w * s)), max(1, round(h * s))))
            else:
                raw = self._raw(path)
                if raw is not None:
                    w, h = raw.get_size()
                    s = min(box[0] / w, box[1] / h)
                    img = pygame.transform.smoothscale(raw, (max(1, round(w * s)), max(1, round(h * s))))
            if img is not None:
                img = img.convert_alpha() if pygame.display.get_surface() else img
                if tint is not None:
                    img = img.copy()
                    img.fill(tint[:3] + (0,), special_flags=pygame.BLEND_RGBA_MAX)
                    img.fill(tint[:3] + (255,), special_flags=pygame.BLEND_RGBA_MIN)
        except (pygame.error, OSError, ValueError):
            img = None
        self._images.put(key, img)
        return img

    def _raw(self, path: Path) -> pygame.Surface | None:
        key = ("raw", str(path))
        if key not in self._images:
            try:
                self._images.put(key, pygame.image.load(str(path)) if path.is_file() else None)
            except (pygame.error, OSError, ValueError):
                self._images.put(key, None)
        return self._images.get(key)


class App:
    """The window and its loop. `step()` runs one iteration (tests drive it).

    `first(ctx)` gives the first scenes (bottom first); `scenes` is how they
    reach each other. `lang` is the language of a first run; with
    `force_lang`, it overrides the saved setting (`pandore play X --lang en`).
    """

    def __init__(self, first: Callable[["Context"], Sequence[Scene]], scenes: Scenes, lang: str | None = None,
                 size: tuple[int, int] | None = None, dirs: userdata.Dirs | None = None, force_lang: bool = False):
        self.started = time.perf_counter()
        self.dirs = dirs or userdata.Dirs.default()
        userdata.tidy(self.dirs)
        settings = userdata.load_settings(self.dirs, default_language=lang)
        if force_lang and lang in LANGUAGES and lang != settings.language:
            settings = settings.with_(language=lang)
        pygame.display.init()
        pygame.font.init()
        text_mod.font.cache_clear()  # fonts of an earlier window (pygame.quit) are dead
        text_mod.clear_caches()
        pygame.key.set_repeat(400, 40)
        pygame.display.set_caption("Pandore")
        self._set_icon()
        if size is None:
            try:
                desktops = pygame.display.get_desktop_sizes()
            except pygame.error:
                desktops = []
            size = first_size(desktops[0] if desktops else None)
        self.windowed_size = size
        self._x11: int | None = None
        self.screen = self._open(settings.fullscreen, self.windowed_size)
        self.ctx = Context(self, settings, self.dirs, self.screen.get_size(), scenes)
        self.stack: list[Scene] = []
        self.running = True
        self.code = 0
        self.failures = 0
        self.dirty = True
        self.last = time.perf_counter()
        self.frame_times: list[float] = []  # seconds of work per animated frame (bench)
        self.draws = 0  # frames drawn and shown since the window opened
        self.interactive_at: float | None = None
        self._pending_resize = False
        self._held: set[int] = set()  # keys down now (a key-down of a held key is a repeat)
        self._drawn_animating = False  # the last frame shown was mid-animation: its end needs one more
        self.voice = speech.Voicing()  # self-voicing (V, the accessibility panel); speaks only when on
        self.toast: tuple[str, float] | None = None  # a short notice over every scene: (text, until ctx.now)
        self._told_problem: str | None = None
        self._guard(lambda: self._apply(Reset(tuple(first(self.ctx)))), "start")

    # ---- window ---------------------------------------------------------------------
    def _open(self, fullscreen: bool, size: tuple[int, int]) -> pygame.Surface:
        if fullscreen and os.environ.get("SDL_VIDEODRIVER") != "dummy":
            screen = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        else:
            with warnings.catch_warnings():  # "forcibly resized": leaving full screen, asked again below
                warnings.simplefilter("ignore", RuntimeWarning)
                screen = pygame.display.set_mode(size, pygame.RESIZABLE)
            if screen.get_size() != tuple(size):  # X11 without GL keeps the full-screen size the first time
                screen = pygame.display.set_mode(size, pygame.RESIZABLE)
        self._x11 = native.x11_connection()
        try:  # pygame-ce's Window API: keep the layouts above their smallest size
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                win = pygame.Window.from_display_module()
            win.minimum_size = MIN_SIZE
        except (AttributeError, pygame.error):
            pass
        return screen

    def _set_icon(self) -> None:
        try:
            pygame.display.set_icon(pygame.image.load_sized_svg(str(ICONS / "app.svg"), (64, 64)))
        except (pygame.error, OSError, AttributeError):
            pass

    def _resized(self) -> None:
        self.screen = pygame.display.get_surface()
        size = self.screen.get_size()
        if size == self.ctx.size:
            return
        if not self.ctx.settings.fullscreen:
            self.windowed_size = size
        self.ctx.refresh(size=size)
        for s in self.stack:
            s.build()
        self.dirty = True

    # ---- transitions: the one place the stack changes ---------------------------------
    def _apply(self, tr: Transition | None) -> None:
        """Apply a scene's transition: the only place the stack changes.

        Raises RuntimeError when the last scene is popped or replaced by
        nothing, TypeError for a value that is not a transition: both are
        bugs of a scene, never a way to quit (that is `Quit`).
        """
        if tr is None:
            return
        if isinstance(tr, Push):
            self._build(tr.scene)
            self.stack.append(tr.scene)
        elif isinstance(tr, Pop):
            if len(self.stack) < 2:
                raise RuntimeError("a scene popped the last scene of the stack; leave with Quit")
            self.stack.pop()
            top = self.stack[-1]
            top.on_enter()
            top.dirty = True
            self._apply(top.on_result(tr.result))
        elif isinstance(tr, Replace):
            if not self.stack:
                raise RuntimeError("nothing to replace: the stack is empty")
            self.stack.pop()
            self._build(tr.scene)
            self.stack.append(tr.scene)
        elif isinstance(tr, Reset):
            if not tr.scenes:
                raise RuntimeError("a reset to no scene; leave with Quit")
            self.stack = []
            for s in tr.scenes:
                s.build()
                self.stack.append(s)
        elif isinstance(tr, Quit):
            self.running = False
            self.code = tr.code
        elif isinstance(tr, ApplySettings):
            self.apply_settings(tr.settings)
        else:
            raise TypeError(f"not a transition: {tr!r}")
        self.dirty = True

    def _build(self, scene: Scene) -> None:
        """Build a scene entering the stack, unless it was built ahead for this theme and size."""
        if not (scene.built_ahead and scene.manager is not None
                and scene._manager_generation == self.ctx.generation):
            scene.build()
        scene.built_ahead = False

    def apply_settings(self, settings: userdata.Settings) -> None:
        old = self.ctx.settings
        try:
            userdata.save_settings(self.dirs, settings)
            self.ctx.settings_problem = None
        except OSError as e:  # they still apply for this session; the settings panel says they are not kept
            self.ctx.settings_problem = translate("ui.settings.not_saved", settings.language,
                                          problem=userdata.file_problem(e, self.dirs.settings_file, settings.language))
        if settings.fullscreen != old.fullscreen:
            self.screen = self._open(settings.fullscreen, self.windowed_size)
        self.ctx.refresh(settings=settings, size=self.screen.get_size())
        for s in self.stack:
            hook = getattr(s, "on_settings", None)
            if hook is not None:
                hook(old, settings)
            s.build()
        if settings.self_voicing != old.self_voicing:
            self._voicing_switched()

    # ---- the loop ---------------------------------------------------------------------
    @property
    def top(self) -> Scene | None:
        return self.stack[-1] if self.stack else None

    @property
    def animating(self) -> bool:
        top = self.top
        return bool(top and top.animating)

    def run(self) -> int:
        while self.running:
            self.step()
        self._run_after_frame()
        self.voice.close()
        return self.code

    def step(self, block: bool = True, events: list[pygame.event.Event] | None = None) -> None:
        """One iteration: wait for events (or an animation frame), handle, update, draw."""
        if events is None:
            if self.animating or self.dirty or not block:
                events = pygame.event.get()
            else:
                events = self._wait_events()
        start = time.perf_counter()
        now = start
        dt = min(0.1, now - self.last)
        self.last = now
        self.ctx.now += dt
        for ev in events:
            self._guard(lambda ev=ev: self._dispatch(ev), "event")
            if not self.running:
                self._run_after_frame()  # leaving: nothing held back is lost
                return
        if self._pending_resize:
            self._pending_resize = False
            self._guard(self._resized, "resize")
        top = self.top
        if top is None:
            self.running = False
            return
        self._guard(lambda: self._update(top, dt), "update")
        if self.ctx.settings.self_voicing and self.top is not None:
            if events or self.dirty or self.top.dirty:
                self._guard(lambda: self.voice.follow(self.top, self.ctx), "voice")
            self._voice_problem(self.top)  # found by the speaker's own thread, maybe later
        if self.toast is not None and self.ctx.now >= self.toast[1]:
            self.toast = None
            self.dirty = True
        animating = self.animating
        if events or self.dirty or animating or top.dirty or self._drawn_animating:
            self._guard(self._draw, "draw")
            work = time.perf_counter() - start
            self._drawn_animating = animating
            if animating:
                self.frame_times.append(work)
            pygame.display.flip()
            self.draws += 1
            self.dirty = False
            if self.interactive_at is None:
                self.interactive_at = time.perf_counter()
            self._run_after_frame()
        elif not block and not animating:
            self._work_ahead()  # tests and scripts step without waiting: the same work, between steps
        if self.animating and block:
            pygame.time.wait(max(0, int(1000 / FPS - (time.perf_counter() - start) * 1000)))

    def _wait_events(self) -> list[pygame.event.Event]:
        """Sleep until events arrive (at most IDLE_WAIT_MS).

        pygame's `event.wait(timeout)` wakes every millisecond inside SDL,
        which alone costs 2-3 % of a core (without a timeout too). Under X11
        the loop sleeps in `select` on the X server's connection, woken by the
        input itself (at most X11_WAIT_S: SDL timers and events posted by
        threads do not go through it); elsewhere it polls every POLL_S, which
        adds up to POLL_S to the time from a key press to the screen
        (bench/ui_bench.py). Between polls, the top scene may prepare what
        a key press would show (`_work_ahead`).
        """
        deadline = time.perf_counter() + IDLE_WAIT_MS / 1000
        woken = False  # the connection was readable: if SDL then had no event, poll once, never spin
        while True:
            events = pygame.event.get()
            now = time.perf_counter()
            if events or now >= deadline:
                return events
            if self._work_ahead():
                continue
            if self._x11 is not None and not woken:
                try:
                    woken = bool(select.select([self._x11], [], [], min(X11_WAIT_S, deadline - now))[0])
                    continue
                except (OSError, ValueError):  # the connection is gone (the window closed): poll
                    self._x11 = None
            woken = False
            time.sleep(POLL_S)

    def _run_after_frame(self) -> None:
        jobs, self.ctx._after_frame = self.ctx._after_frame, []
        for fn in jobs:
            self._guard(fn, "after frame")

    def _work_ahead(self) -> bool:
        """While the player reads, let the top scene prepare what a key press will show (one piece
        of work at a time, the events polled between pieces). True when a piece was done."""
        top = self.top
        work = getattr(top, "work_ahead", None)
        if work is None or top.animating:
            return False
        done = [False]

        def piece():
            done[0] = bool(work())
        self._guard(piece, "work ahead")
        return done[0]

    def _dispatch(self, ev: pygame.event.Event) -> None:
        if ev.type == pygame.QUIT:
            self.running = False
            return
        if ev.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            self._pending_resize = True
            return
        if ev.type in (pygame.WINDOWEXPOSED, pygame.WINDOWSHOWN, pygame.WINDOWRESTORED, pygame.WINDOWFOCUSGAINED):
            self.dirty = True
            return
        if ev.type == pygame.WINDOWFOCUSLOST:
            self._held.clear()
        if ev.type == pygame.KEYUP:
            self._held.discard(ev.key)
        if ev.type == pygame.KEYDOWN:
            # A held Enter repeats after 400 ms; on a screen that took that long to
            # build it would press the button that has focus there, unseen.
            repeat = ev.key in self._held
            self._held.add(ev.key)
            self._key_repeat = repeat
            if repeat and ev.key in ACTING_KEYS:
                return
        top = self.top
        if top is None:
            return
        if ev.type == pygame.KEYDOWN and ev.key == pygame.K_F11:
            s = self.ctx.settings
            self._apply(ApplySettings(s.with_(fullscreen=not s.fullscreen)))
            return
        if ev.type == pygame.KEYDOWN and self._access_key(ev, top):
            return
        consumed = top.manager.process_events(ev) if top.manager is not None else False
        if consumed and ev.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEWHEEL):
            top.dirty = True
            return
        if ev.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEWHEEL,
                       pygame.KEYDOWN) or (ev.type >= pygame.USEREVENT and ev.type not in top.quiet_events):
            top.dirty = True
        self._apply(top.handle(ev))

    def _update(self, top: Scene, dt: float) -> None:
        if top.manager is not None:
            top.manager.update(dt)
        self._apply(top.update(dt))

    def _draw(self) -> None:
        surface = self.screen
        i = len(self.stack) - 1
        while i > 0 and self.stack[i].modal:
            i -= 1
        for k in range(i, len(self.stack)):
            scene = self.stack[k]
            if k > i:
                veil = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
                veil.fill(self.ctx.colour("overlay"))
                surface.blit(veil, (0, 0))
            scene.draw(surface)
            if scene.manager is not None:
                scene.manager.draw_ui(surface)
            after = getattr(scene, "draw_after", None)
            if after is not None:
                after(surface)
            if k == len(self.stack) - 1:
                scene.draw_focus(surface)
            scene.dirty = False
        if self.toast is not None:
            self._draw_toast(surface, self.toast[0])

    # ---- accessibility: the panel's shortcut, self-voicing ----------------------------------
    def _access_key(self, ev: pygame.event.Event, top: Scene) -> bool:
        """Shift+A opens (or closes) the accessibility panel, V turns self-voicing on or off,
        on every screen. True when the key was one of them."""
        if ev.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META):
            return False
        if top.manager is not None and any(isinstance(e, pygame_gui.elements.UITextEntryLine)
                                           for e in top.manager.get_focus_set() or ()):
            return False  # a letter typed into a text field is a letter
        ours = (ev.key == pygame.K_a and ev.mod & pygame.KMOD_SHIFT and self.ctx.scenes.access is not None) or \
            (ev.key == pygame.K_v and not ev.mod & pygame.KMOD_SHIFT)
        if ours and getattr(self, "_key_repeat", False):
            return True  # a held key toggles once
        if ev.key == pygame.K_a and ev.mod & pygame.KMOD_SHIFT and self.ctx.scenes.access is not None:
            if top.name == "access":
                self._apply(Pop())
            else:
                self._apply(Push(self.ctx.scenes.access(self.ctx)))
            return True
        if ev.key == pygame.K_v and not ev.mod & pygame.KMOD_SHIFT:
            s = self.ctx.settings
            self._apply(ApplySettings(s.with_(self_voicing=not s.self_voicing)))
            return True
        return False

    def _voicing_switched(self) -> None:
        on = self.ctx.settings.self_voicing
        self.voice.silence()
        if on:
            self._told_problem = None
            self.voice.say(self.ctx.t("ui.access.voicing_on"), self.ctx.lang)
            self.voice.reset(cut=False)  # then the screen, after the announcement
        elif self.voice.speaker is not None:
            self.voice.say(self.ctx.t("ui.access.voicing_off"), self.ctx.lang)
        self.toast = (self.ctx.t("ui.access.voicing_on" if on else "ui.access.voicing_off"), self.ctx.now + 3)

    def _voice_problem(self, top: Scene) -> None:
        problem = self.voice.problem_text(self.ctx.lang)
        if problem and problem != self._told_problem:  # a missing voice is said on screen, once
            self._told_problem = problem
            self.toast = (problem, self.ctx.now + 8)
            self.dirty = True
            if top.name == "access":
                top.build()

    def _draw_toast(self, surface: pygame.Surface, text: str) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        w, h = surface.get_size()
        s = ctx.text(text, "small", "warning_text", min(w - 8 * m.pad, m.px(720)))
        r = pygame.Rect(0, 0, s.get_width() + 3 * m.pad, s.get_height() + 2 * m.pad)
        r.midbottom = (w // 2, h - 2 * m.pad)
        pygame.draw.rect(surface, ctx.colour("warning_bg"), r, border_radius=m.radius)
        pygame.draw.rect(surface, ctx.colour("warning_border"), r, 1, border_radius=m.radius)
        surface.blit(s, (r.x + (r.width - s.get_width()) // 2, r.y + m.pad))

    # ---- failures ------------------------------------------------------------------------
    def _guard(self, fn: Callable[[], None], where: str) -> None:
        try:
            fn()
            self.failures = 0
        except Exception as exc:  # noqa: BLE001 - the last line of defence, logged
            self.failures += 1
            log = userdata.log_exception(self.dirs, exc, where)
            if self.failures > 3:
                self._emergency(log)
                return
            try:
                self._apply(Reset((self.ctx.scenes.title(self.ctx), self.ctx.scenes.apology(self.ctx, log))))
            except Exception as exc2:  # noqa: BLE001
                userdata.log_exception(self.dirs, exc2, "apology")
                self._emergency(log)

    def _emergency(self, log: Path | None) -> None:
        """Even the apology failed: say so plainly and leave with code 1 (no traceback)."""
        msg = translate("ui.error.fatal", self.ctx.lang if hasattr(self, "ctx") else "fr",
                        log=str(log) if log else "-")
        print(f"pandore: {msg}", file=sys.stderr)
        self.running = False
        self.code = 1

    def screenshot(self, path: str | Path) -> None:
        self.dirty = True
        self._draw()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(self.screen, str(path))
