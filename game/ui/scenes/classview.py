"""The trainer's live class view: the map, the split at a decision, the gauges, the endings, the trainees.

Opened from the hosting screen (« Vue de la classe », key C) for the session
being hosted in this process. Every value shown comes from
`game.classroom.classview.of_session` (counted, sorted and hidden there,
never here): it is read again at most every REFRESH seconds, when the
session's `version` changes (a listener on the session wakes the window, so
a choice is on screen within a second) and every STATUS_REFRESH seconds for
the heartbeat statuses; nothing is drawn again when nothing changed.

The same window is the trainer's console and the projector: F switches to a
projector mode with very large type (the theme's sizes, the text-size
setting included, times PROJECTOR; a pane that would not fit is set smaller
until it does, so no text is ever cut), without the control buttons and with
the key legend. Pseudonyms stay hidden (« Stagiaire 3 ») until N.

Controls (buttons and keys) call the session's `control()` in a thread: the
commit is the store's, the window never waits on it. After `end`, « Rapport
de séance » writes `game.classroom.report.report_html` to the data folder
and opens it in the browser; a failure is said, never a traceback.

`shown()` gives the texts the last frame drew and `bars` the bars' rectangles
with their counts, for tests.
"""

from __future__ import annotations

import datetime as _dt
import threading
import time
import webbrowser
from pathlib import Path
from typing import Callable

import pygame
import pygame_gui

from game.classroom import classview as cv

from .. import text as text_mod
from ..map import MapEvent, MapView
from ..scene import Pop, Push, Quit, Scene
from . import button_height, button_width

REFRESH = 0.5  # seconds: the view is read again at most this often
STATUS_REFRESH = 5.0  # seconds: and at least this often (away after a heartbeat timeout)
PROJECTOR = 1.6  # the projector mode's type, as a multiple of the theme's
SMALLEST = 0.45  # a pane's type is made smaller down to this scale to fit (never cut)
PANES = ("split", "gauges", "endings", "roster")
TONE_COLOUR = {"positive": "positive", "mixed": "mixed", "negative": "negative"}
MOUSE = (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION, pygame.MOUSEWHEEL)


def report_folder() -> Path:
    """Where the session reports are written: `reports/` in the data folder (beside the sessions)."""
    from game.classroom.store import default_folder

    return default_folder() / "reports"




class _Ops:
    """What one pane draws, built before it is drawn so its height is known (and shrunk to fit)."""

    def __init__(self):
        self.items: list[tuple] = []
        self.bottom = 0

    def text(self, surf: pygame.Surface, pos: tuple[int, int], s: str) -> int:
        self.items.append(("text", surf, pos, s))
        self.bottom = max(self.bottom, pos[1] + surf.get_height())
        return pos[1] + surf.get_height()

    def rect(self, colour, rect: pygame.Rect, width: int = 0, radius: int = 0) -> None:
        self.items.append(("rect", colour, pygame.Rect(rect), width, radius))
        self.bottom = max(self.bottom, rect.bottom)

    def line(self, colour, a, b, width: int) -> None:
        self.items.append(("line", colour, a, b, width))

    def bar(self, choice: str, rect: pygame.Rect, n: int, total: int, room: int) -> None:
        self.items.append(("bar", choice, pygame.Rect(rect), n, total, room))


class ClassViewScene(Scene):
    """The live view of the session served by `host` (a BackgroundHost)."""

    name = "classview"

    def __init__(self, ctx, host):
        super().__init__(ctx)
        self.host = host
        self.session = host.session
        self.rules = self.session.rules
        self.decisions = cv.decisions(self.rules)
        self.view: cv.ClassView | None = None
        self.selected: str | None = None
        self.pane = "split"
        self.projector = False
        self.names = False
        self.notice: tuple[str, str] | None = None  # (text, tone: ok | warning | negative)
        self.job: tuple[threading.Thread, list, Callable] | None = None
        self.report_path: Path | None = None
        self.asking: str | None = None  # the question on screen: "end" | "quit"
        self.bars: list[tuple[str, pygame.Rect, int, int, int]] = []  # (choice, rect, n, total, room) as drawn
        self.refreshes = 0  # how many times the view was read (tests, the idle check)
        self._lines: list[str] = []
        self._shown: list[str] = []
        self._seen = -1
        self._computed = -1e9
        self._woken = False
        self._timer = False
        self.wake = pygame.event.custom_type()
        self.quiet_events = frozenset({self.wake})  # a wake-up draws only when the reading changed the view
        from game.authoring.layout import layout

        self.lay = layout(self.rules.scenario)
        self.map: MapView | None = None
        self.session.listeners.append(self._on_change)
        self.refresh()

    # ---- reading the session -------------------------------------------------------------
    def _on_change(self) -> None:
        """(Any thread: the host's.) The session changed: wake the window, once until it has looked."""
        if self._woken:
            return
        self._woken = True
        try:
            pygame.event.post(pygame.event.Event(self.wake))
        except pygame.error:  # the window is closing
            pass

    @staticmethod
    def _controls(v: cv.ClassView) -> tuple:
        return v.state, v.held_node, v.revealed, v.undo_allowed

    def refresh(self) -> bool:
        """Read the view again; True (and drawn again) when anything in it changed."""
        self._seen = self.session.version  # read first: a change during the reading is seen next time
        self._woken = False
        if self._timer:  # read now: the wake-up set for later would only draw the same frame again
            pygame.time.set_timer(self.wake, 0)
            self._timer = False
        view = cv.of_session(self.session, self.ctx.lang)
        self._computed = time.monotonic()
        self.refreshes += 1
        if view == self.view:
            return False
        old = self.view
        self.view = view
        if self.selected is None or (view.held_node and (old is None or old.held_node != view.held_node)):
            self.selected = self._default_decision()
        if self.manager is not None and (old is not None and self._controls(old) != self._controls(view)
                                         or self._head_line_height(self.head.width) != self.head_line_h):
            self.build()  # the buttons follow the session's state; the header its length
        self._annotate()
        self.dirty = True
        return True

    def on_settings(self, old, new) -> None:
        if new.language != old.language:  # the view's words (statuses, names, senses) in the new language
            self.view = None
            self.refresh()

    def _default_decision(self) -> str | None:
        v = self.view
        if v is not None and v.held_node:
            return v.held_node
        if v is not None and v.splits:
            return max(v.splits, key=lambda s: (s.waiting, s.total)).node  # where the class is now
        return self.decisions[0][0] if self.decisions else None

    def _annotate(self) -> None:
        if self.map is None or self.view is None:
            return
        self.map.annotations = {node: str(n) for node, n in self.view.at.items() if n}
        held = self.view.held_node
        self.map.set_path([held] if held else [], self.selected)

    def split(self) -> cv.Split | None:
        """The selected decision's split, as the view gives it (None: nobody there yet)."""
        if self.view is None:
            return None
        return next((s for s in self.view.splits if s.node == self.selected), None)

    def update(self, dt):
        self._finish_job()
        now = time.monotonic()
        changed = self.session.version != self._seen
        since = now - self._computed
        if (changed and since >= REFRESH) or since >= STATUS_REFRESH:
            self.refresh()
        elif changed and not self._timer:  # too soon after the last reading: wake up when it is time
            pygame.time.set_timer(self.wake, max(1, round((REFRESH - since) * 1000)) + 5, 1)
            self._timer = True
        return None

    @property
    def animating(self) -> bool:
        return self.job is not None  # a control being committed: its answer is shown at once

    # ---- actions ------------------------------------------------------------------------------
    def _start(self, fn: Callable, done: Callable, working: str) -> None:
        box: list = []

        def run() -> None:
            try:
                box.append((True, fn()))
            except Exception as e:  # noqa: BLE001  (said on screen by `done`, never a traceback)
                box.append((False, e))

        th = threading.Thread(target=run, name="pandore-classview", daemon=True)
        self.job = (th, box, done)
        self.notice = (self.t(working), "ok")
        self.dirty = True
        th.start()

    def _finish_job(self) -> None:
        if self.job is None or self.job[0].is_alive():
            return
        _th, box, done = self.job
        self.job = None
        ok, value = box[0] if box else (False, RuntimeError("?"))
        done(ok, value)
        self.dirty = True
        self.refresh()
        if self.manager is not None:
            # the buttons the answer brought (« Rapport de séance » after the end) are made here, after the
            # loop's update of the widgets: update them now, or they would be drawn only at the next input
            self.manager.update(0.0)

    @property
    def busy(self) -> bool:
        return self.job is not None

    def control(self, action: str):
        """One of the trainer's controls, by name: pause (toggles), hold, reveal (toggles), release, undo
        (toggles), end (asks first)."""
        v = self.view
        if v is None or self.busy:
            return None
        if v.state == "ended":
            self.notice = (self.t("class.notice.ended"), "warning")
            return None
        node = None
        if action == "pause":
            action = "resume" if v.state == "paused" else "pause"
        elif action == "hold":
            if self.selected is None:
                self.notice = (self.t("ui.classview.pick_first"), "warning")
                return None
            node = self.selected
        elif action == "reveal":
            if v.held_node is None:
                self.notice = (self.t("ui.classview.not_held"), "warning")
                return None
            action = "hide" if v.revealed else "reveal"
        elif action == "release":
            if v.held_node is None:
                self.notice = (self.t("ui.classview.not_held"), "warning")
                return None
        elif action == "undo":
            action = "forbid_undo" if v.undo_allowed else "allow_undo"
        elif action == "end":
            from .host_screen import ConfirmScene

            self.asking = "end"
            return Push(ConfirmScene(self.ctx, self.t("ui.classview.confirm_end"),
                                     self.t("ui.classview.confirm_end_yes"), self.t("ui.classview.confirm_end_no")))
        self._start(lambda: self.session.control(action, node), self._controlled, "ui.classview.working")
        return None

    def _controlled(self, ok: bool, value) -> None:
        if ok:
            self.notice = None
            return
        from game.classroom.session import ApiError

        if isinstance(value, ApiError):
            key = f"class.error.{value.code}"
            reason = self.t(key)
            self.notice = (self.t("ui.classview.refused", reason=value.message if reason == key else reason), "warning")
        else:
            self.notice = (self.t("ui.classview.failed", reason=str(value) or type(value).__name__), "negative")

    def write_report(self):
        """After the end: the session's report, written atomically to the data folder and opened."""
        if self.busy or self.view is None or self.view.state != "ended":
            return None
        row = self.session.row
        when = _dt.datetime.fromtimestamp(row.created).strftime("%Y-%m-%d")
        path = report_folder() / f"{when}-{row.code}-{row.id}.{self.ctx.lang}.html"
        lang, session = self.ctx.lang, self.session

        def job() -> bool:
            from game.authoring.files import atomic_write_text
            from game.classroom.report import report_html

            atomic_write_text(path, report_html(session, lang))
            try:
                return bool(webbrowser.open(path.as_uri()))
            except Exception:  # noqa: BLE001  (no browser here: the file is written, said as such)
                return False

        self._start(job, lambda ok, value: self._reported(path, ok, value), "ui.classview.report.writing")
        return None

    def _reported(self, path: Path, ok: bool, value) -> None:
        if ok:
            self.report_path = path
            key = "ui.classview.report.written" if value else "ui.classview.report.no_browser"
            self.notice = (self.t(key, path=str(path)), "ok" if value else "warning")
        else:
            reason = getattr(value, "strerror", None) or str(value) or type(value).__name__
            self.notice = (self.t("ui.classview.report.failed", path=str(path), reason=reason), "negative")

    def on_result(self, result):
        asking, self.asking = self.asking, None
        if asking == "end" and result is True:
            self._start(lambda: self.session.control("end"), self._controlled, "ui.classview.working")
        elif asking == "quit" and result is True:
            return self.quit()
        return None

    def ask_quit(self):
        from .host_screen import quit_question

        self.asking = "quit"
        return Push(quit_question(self.ctx, self.session.row.id))

    def quit(self):
        from .host_screen import guard_close

        self.detach()
        try:
            self.host.stop()
        finally:
            guard_close(False)
        return Quit()

    def detach(self) -> None:
        try:
            self.session.listeners.remove(self._on_change)
        except ValueError:
            pass
        pygame.time.set_timer(self.wake, 0)

    def leave(self):
        self.detach()
        return Pop()

    def set_pane(self, pane: str):
        self.pane = pane
        self.build()
        return None

    def step_decision(self, step: int):
        ids = [d for d, _ in self.decisions]
        if not ids:
            return None
        i = ids.index(self.selected) if self.selected in ids else (-1 if step > 0 else 0)
        self.selected = ids[(i + step) % len(ids)]
        self.pane = "split"
        self._annotate()
        self.build()
        return None

    def select(self, node: str) -> None:
        if node in dict(self.decisions):
            self.selected = node
            self.pane = "split"
            self._annotate()
            self.build()

    def toggle_names(self):
        self.names = not self.names
        self.build()
        return None

    def toggle_projector(self):
        self.projector = not self.projector
        self.focus = -1
        self.build()
        return None

    # ---- events ------------------------------------------------------------------------------
    KEYS = {pygame.K_p: "pause", pygame.K_h: "hold", pygame.K_l: "release", pygame.K_u: "undo", pygame.K_e: "end"}
    PANE_KEYS = {pygame.K_1: 0, pygame.K_2: 1, pygame.K_3: 2, pygame.K_4: 3,
                 pygame.K_KP1: 0, pygame.K_KP2: 1, pygame.K_KP3: 2, pygame.K_KP4: 3}

    def handle(self, event):
        if event.type == self.wake:
            return None
        if event.type == pygame.WINDOWCLOSE:
            return self.ask_quit()
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            return super().handle(event)
        if event.type == pygame.KEYDOWN:
            return self.handle_key(event)
        if event.type in MOUSE and self.map is not None:
            picked = self.map.handle(event)
            if self.map.consumed:
                self.dirty = True
            if isinstance(picked, MapEvent):
                self.select(picked.node)
        return None

    def handle_key(self, event):
        key = event.key
        if event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META):
            return None
        ended = self.view is not None and self.view.state == "ended"
        if key == pygame.K_ESCAPE:
            return self.toggle_projector() if self.projector else self.leave()
        if key in self.KEYS:
            return self.control(self.KEYS[key])
        if key == pygame.K_r:
            return self.write_report() if ended else self.control("reveal")
        if key == pygame.K_n:
            return self.toggle_names()
        if key == pygame.K_f:
            return self.toggle_projector()
        if key in self.PANE_KEYS:
            return self.set_pane(PANES[self.PANE_KEYS[key]])
        if key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
            return self.step_decision(-1 if key == pygame.K_PAGEUP else 1)
        if self.map is not None:
            self.map.handle(event)  # arrows pan, + - zoom, 0 fits the map
            if self.map.consumed:
                self.dirty = True
                return None
        if key in (pygame.K_TAB, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            return self.handle_focus_key(event)
        return None

    # ---- layout ------------------------------------------------------------------------------
    @property
    def scale(self) -> float:
        return PROJECTOR if self.projector else 1.0

    def size(self, key: str, scale: float | None = None) -> int:
        return max(10, round(self.ctx.metrics[key] * (self.scale if scale is None else scale)))

    def font(self, key: str, style: str = "regular", scale: float | None = None):
        return text_mod.face(self.ctx.font_path(style), self.size(key, scale), self.ctx.theme.sign_font(style))

    def text(self, s: str, key: str, colour: str, width: int = 0, style: str = "regular",
             scale: float | None = None) -> pygame.Surface:
        ctx = self.ctx
        size = self.size(key, scale)
        signs = ctx.theme.sign_font(style)
        if width <= 0:
            return text_mod.line(s, ctx.font_path(style), size, ctx.colour(colour), signs)
        return text_mod.block(s, ctx.font_path(style), size, ctx.colour(colour), width, 1.15 * ctx.metrics.spacing,
                              "left", 0, signs)

    def _buttons(self) -> list[list[tuple[str, Callable, bool, str | None]]]:
        """The console's buttons, in rows of meaning: what is looked at, then what the class is told."""
        t, v = self.t, self.view
        ended = v is not None and v.state == "ended"
        look = [(t(f"ui.classview.pane.{p}"), (lambda p=p: self.set_pane(p)), True,
                 p == self.pane) for p in PANES]
        look += [(t("ui.classview.do.previous"), lambda: self.step_decision(-1), bool(self.decisions), False),
                 (t("ui.classview.do.next"), lambda: self.step_decision(1), bool(self.decisions), False),
                 (t("ui.classview.do.names_hide" if self.names else "ui.classview.do.names_show"), self.toggle_names,
                  True, False),
                 (t("ui.classview.do.projector"), self.toggle_projector, True, False),
                 (t("ui.classview.do.back"), self.leave, True, False)]
        if ended:
            act = [(t("ui.classview.do.report"), self.write_report, True, True)]
        else:
            held = v.held_node if v else None
            act = [(t("ui.classview.do.resume" if v and v.state == "paused" else "ui.classview.do.pause"),
                    lambda: self.control("pause"), True, False),
                   (t("ui.classview.do.hold"), lambda: self.control("hold"),
                    self.selected is not None and self.selected != held, False),
                   (t("ui.classview.do.hide" if v and v.revealed else "ui.classview.do.reveal"),
                    lambda: self.control("reveal"), held is not None, False),
                   (t("ui.classview.do.release"), lambda: self.control("release"), held is not None, False),
                   (t("ui.classview.do.forbid_undo" if v is None or v.undo_allowed else "ui.classview.do.allow_undo"),
                    lambda: self.control("undo"), True, False),
                   (t("ui.classview.do.end"), lambda: self.control("end"), True, True)]
        return [act, look]

    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        w, h = ctx.size
        pad = m.pad
        self.margin = pad * 2
        self.head = pygame.Rect(self.margin, pad, w - 2 * self.margin, 0)
        self.framed: list[tuple[pygame_gui.elements.UIButton, bool]] = []
        if self.projector:
            # one small button to leave (mouse-only use), the legend at the foot
            label = self.t("ui.classview.do.console")
            bw, bh = button_width(ctx, label, "small"), button_height(ctx, "small")
            self.framed.append((self.button(pygame.Rect(w - self.margin - bw, pad, bw, bh), label,
                                            self.toggle_projector, object_id="#quiet"), False))
            self.head.width -= bw + pad
        self.head_line_h = self._head_line_height(self.head.width)
        self.head.height = self.font("h2", "bold").get_linesize() + self.head_line_h + pad // 2
        bottom = h - pad
        self.legend_rect = None
        if self.projector:
            legend = self._legend()
            lh = ctx.text(legend, "small", "text_muted", w - 2 * self.margin).get_height()
            self.legend_rect = pygame.Rect(self.margin, bottom - lh, w - 2 * self.margin, lh)
            bottom = self.legend_rect.y - pad // 2
        else:
            bh = button_height(ctx, "small")
            rows: list[list[tuple[int, tuple]]] = []
            room = w - 2 * self.margin
            row, used = [], 0
            for item in [item for group in self._buttons() for item in group]:  # the controls first
                bw = button_width(ctx, item[0], "small")
                if row and used + bw > room:
                    rows.append(row)
                    row, used = [], 0
                row.append((bw, item))
                used += bw + pad // 2
            rows.append(row)
            y = bottom - len(rows) * (bh + pad // 2)
            bottom = y - pad // 2
            for row in rows:
                x = self.margin
                for bw, (label, action, enabled, primary) in row:
                    # the theme's plain buttons use the large button type: these use the small one, framed here
                    b = self.button(pygame.Rect(x, y, bw, bh), label, action, object_id="#quiet", enabled=enabled)
                    self.framed.append((b, bool(primary) and enabled))
                    x += bw + pad // 2
                y += bh + pad // 2
        self.notice_y = bottom
        body_top = self.head.bottom + pad
        self.body = pygame.Rect(self.margin, body_top, w - 2 * self.margin, max(40, bottom - body_top))
        map_w = int(self.body.width * (0.36 if self.projector else 0.42))
        map_rect = pygame.Rect(self.body.x, self.body.y, map_w, self.body.height)
        old = self.map
        self.map = MapView(ctx, map_rect, self.lay, start=self.rules.scenario.start,
                           tone_words={k: self.t(f"ui.preview.tone.{k}") for k in ("positive", "mixed", "negative")})
        self.map.annotation_scale = self.scale * 1.2
        if old is not None and old.rect == map_rect:
            self.map.zoom, self.map.pan = old.zoom, old.pan
        else:  # fill the rectangle (the map view never fits larger than 1:1 by itself): read from afar
            lw, lh = max(self.lay.width, 1), max(self.lay.height, 1)
            fill = min((map_rect.width - 32) / lw, (map_rect.height - 32) / lh)
            self.map.zoom = max(1.0, min(3.0, fill / self.map.base))
        self.pane_rect = pygame.Rect(map_rect.right + pad * 2, self.body.y, self.body.right - map_rect.right - pad * 2,
                                     self.body.height)
        self._annotate()

    def _legend(self) -> str:
        ended = self.view is not None and self.view.state == "ended"
        return self.t("ui.classview.legend_ended" if ended else "ui.classview.legend")

    # ---- drawing -------------------------------------------------------------------------------
    def draw_after(self, surface: pygame.Surface) -> None:
        """The frames of the small buttons (thick, in the accent colour, for the pane shown and the main action)."""
        m = self.ctx.metrics
        for b, primary in self.framed:
            if not b.visible:
                continue
            colour = self.ctx.colour("accent" if primary else "button_border" if b.is_enabled else "border")
            pygame.draw.rect(surface, colour, b.get_abs_rect(), max(3, m.border * 3) if primary else max(1, m.border),
                             border_radius=m.radius)

    def shown(self) -> list[str]:
        """The texts the last frame drew (header, pane, notice, legend), each whole, in drawing order."""
        return list(self._shown)

    def spoken(self) -> list[str]:
        """What self-voicing says: the texts drawn, without the map's badges (said in the roster)."""
        badges = {f"{node}: {n}" for node, n in (self.map.annotations.items() if self.map else ())}
        return [s for s in self._shown if s not in badges]

    def _blit(self, surface, surf: pygame.Surface, pos, s: str) -> None:
        surface.blit(surf, pos)
        self._lines.append(s)

    def draw(self, surface: pygame.Surface) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        self._lines = []
        surface.fill(ctx.colour("bg"))
        self._draw_head(surface)
        if self.map is not None:
            self.map.draw(surface)
            self._lines += [f"{node}: {n}" for node, n in sorted(self.map.annotations.items())]
        self._draw_pane(surface)
        if self.notice is not None:
            text, tone = self.notice
            width = self.body.width - 3 * m.pad
            s = self.text(text, "body", "text" if tone == "ok" else "warning_text", width, scale=1.0)
            r = pygame.Rect(self.margin, 0, s.get_width() + 3 * m.pad, s.get_height() + m.pad)
            r.bottom = self.notice_y
            bg = "surface" if tone == "ok" else "warning_bg"
            border = {"ok": "border", "warning": "warning_border", "negative": "negative"}[tone]
            pygame.draw.rect(surface, ctx.colour(bg), r, border_radius=m.radius)
            pygame.draw.rect(surface, ctx.colour(border), r, max(1, m.border * 2), border_radius=m.radius)
            self._blit(surface, s, (r.x + m.pad * 3 // 2, r.y + m.pad // 2), text)
        if self.legend_rect is not None:
            legend = self._legend()
            surf = ctx.text(legend, "small", "text_muted", self.legend_rect.width)
            self._blit(surface, surf, self.legend_rect.topleft, legend)
        self._shown = self._lines

    def _draw_head(self, surface) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        v = self.view
        title = self.rules.scenario.title if self.projector else \
            f"{self.t('ui.classview.title')} · {self.rules.scenario.title}"
        state_key = f"ui.classview.state.{v.state}"
        held_title = dict(self.decisions).get(v.held_node, v.held_node or "")
        state = self.t(state_key, node=held_title)
        # the state in large letters, within 45 % of the width (smaller first, shortened last)
        size = self._fitting(state, "h3", self.head.width * 45 // 100)
        colour = ctx.colour("warning_text" if v.state != "running" else "accent_text")
        badge = text_mod.fit(state, ctx.font_path("bold"), size, colour, self.head.width * 45 // 100,
                             ctx.theme.sign_font("bold"))
        br = pygame.Rect(0, 0, badge.get_width() + m.pad * 2, badge.get_height() + m.pad // 2)
        br.topright = (self.head.right, self.head.y)
        pygame.draw.rect(surface, ctx.colour("warning_bg" if v.state != "running" else "accent"), br,
                         border_radius=m.radius)
        if v.state != "running":
            pygame.draw.rect(surface, ctx.colour("warning_border"), br, max(2, m.border * 2), border_radius=m.radius)
        tw = br.x - self.head.x - m.pad * 2
        head = text_mod.fit(title, ctx.font_path("bold"), self._fitting(title, "h2", tw), ctx.colour("heading"), tw,
                            ctx.theme.sign_font("bold"))
        self._blit(surface, head, self.head.topleft, title)
        self._blit(surface, badge, (br.x + m.pad, br.y + m.pad // 4), state)
        line = self._head_line()
        y = self.head.y + self.font("h2", "bold").get_linesize()
        self._blit(surface, self.text(line, "body", "text", self.head.width), (self.head.x, y), line)

    def _fitting(self, text: str, key: str, width: int) -> int:
        """The type size of `key` (projector scale included) made smaller, down to the theme's own size,
        until one bold line of `text` fits `width`."""
        ctx = self.ctx
        size, floor = self.size(key), min(self.size(key), ctx.metrics[key])
        face = lambda n: text_mod.face(ctx.font_path("bold"), n, ctx.theme.sign_font("bold"))  # noqa: E731
        while size > floor and face(size).size(text)[0] > width:
            size = max(floor, int(size * 0.92))
        return size

    def _head_line(self) -> str:
        from .host_screen import spaced

        v = self.view
        parts = [self.t("ui.classview.counts", n=v.participants, playing=v.active, finished=v.finished, away=v.away),
                 self.t("ui.classview.undo_on" if v.undo_allowed else "ui.classview.undo_off"),
                 self.t("ui.classview.code", code=spaced(self.session.row.code))]
        if v.held_node and v.revealed:
            parts.insert(2, self.t("ui.classview.revealed"))
        return " · ".join(parts)

    def _head_line_height(self, width: int) -> int:
        return self.text(self._head_line(), "body", "text", width).get_height()

    def _draw_pane(self, surface) -> None:
        build = {"split": self._split_ops, "gauges": self._gauge_ops, "endings": self._ending_ops,
                 "roster": self._roster_ops}[self.pane]
        r = self.pane_rect
        scale = self.scale
        ops = build(r, scale)
        while ops.bottom > r.bottom and scale > SMALLEST:  # smaller type until it fits: never cut
            scale = max(SMALLEST, scale * 0.9)
            ops = build(r, scale)
        self.pane_scale = scale
        self.bars = []
        ctx = self.ctx
        prev = surface.get_clip()
        surface.set_clip(r)
        for item in ops.items:
            kind = item[0]
            if kind == "text":
                self._blit(surface, item[1], item[2], item[3])
            elif kind == "rect":
                pygame.draw.rect(surface, item[1], item[2], item[3], border_radius=item[4])
            elif kind == "line":
                pygame.draw.line(surface, item[1], item[2], item[3], item[4])
            elif kind == "bar":
                _k, choice, rect, n, total, room = item
                if rect.width > 0:
                    pygame.draw.rect(surface, ctx.colour("gauge_fill"), rect)
                self.bars.append((choice, rect, n, total, room))
        surface.set_clip(prev)

    # each pane: the operations that draw it in `r` at type `scale`
    def _heading(self, ops: _Ops, r: pygame.Rect, y: int, s: str, scale: float) -> int:
        return ops.text(self.text(s, "h3", "heading", r.width, "bold", scale), (r.x, y), s) + self.ctx.metrics.pad // 2

    def _message(self, ops: _Ops, r: pygame.Rect, y: int, s: str, scale: float) -> int:
        m = self.ctx.metrics
        surf = self.text(s, "body", "warning_text", r.width - 3 * m.pad, "bold", scale)
        box = pygame.Rect(r.x, y, r.width, surf.get_height() + m.pad * 2)
        ops.rect(self.ctx.colour("warning_bg"), box, 0, m.radius)
        ops.rect(self.ctx.colour("warning_border"), box, max(2, m.border * 2), m.radius)
        ops.text(surf, (r.x + m.pad * 3 // 2, y + m.pad), s)
        return box.bottom + m.pad

    def _split_ops(self, r: pygame.Rect, scale: float) -> _Ops:
        ops, m, t = _Ops(), self.ctx.metrics, self.t
        y = r.y
        if self.selected is None:
            ops.text(self.text(t("ui.classview.no_decision"), "body", "text", r.width, scale=scale), (r.x, y),
                     t("ui.classview.no_decision"))
            return ops
        title = dict(self.decisions).get(self.selected, self.selected)
        y = self._heading(ops, r, y, t("ui.classview.split.heading", title=title), scale)
        sp = self.split()
        if sp is None:
            s = t("ui.classview.split.none")
            ops.text(self.text(s, "body", "text", r.width, scale=scale), (r.x, y), s)
            return ops
        counts = t("ui.classview.split.counts", n=sp.total, waiting=sp.waiting)
        if sp.held:
            counts += " · " + t("ui.classview.split.held_badge")
        y = ops.text(self.text(counts, "body", "text_muted", r.width, scale=scale), (r.x, y), counts) + m.pad
        if not sp.projected:
            why = t("ui.classview.split.held") if sp.why == "held" else t("ui.classview.split.few", min=cv.MIN_SPLIT)
            y = self._message(ops, r, y, why, scale)
            for b in sp.bars:  # the choices, to discuss them, without their counts
                s = f"• {b.text}"
                y = ops.text(self.text(s, "body", "text", r.width, scale=scale), (r.x, y), s) + m.pad // 2
            return ops
        bold = self.font("body", "bold", scale)
        labels = [t("ui.classview.split.bar", n=b.n, percent=b.percent) for b in sp.bars]
        label_w = max(bold.size(s)[0] for s in labels) if labels else 0
        room = max(20, r.width - label_w - m.pad * 2)
        bar_h = max(10, round(self.size("body", scale) * 0.9))
        for b, label in zip(sp.bars, labels):
            y = ops.text(self.text(b.text, "body", "text", r.width, scale=scale), (r.x, y), b.text) + m.pad // 3
            track = pygame.Rect(r.x, y, room, bar_h)
            ops.rect(self.ctx.colour("gauge_track"), track)
            ops.bar(b.choice, pygame.Rect(r.x, y, round(room * b.n / sp.total) if sp.total else 0, bar_h), b.n,
                    sp.total, room)
            ops.rect(self.ctx.colour("border"), track, 1)
            lab = self.text(label, "body", "heading", style="bold", scale=scale)
            ops.text(lab, (track.right + m.pad, y + (bar_h - lab.get_height()) // 2), label)
            y = max(track.bottom, y + lab.get_height()) + m.pad
        return ops

    def _gauge_ops(self, r: pygame.Rect, scale: float) -> _Ops:
        ops, m, t, ctx = _Ops(), self.ctx.metrics, self.t, self.ctx
        y = self._heading(ops, r, r.y, t("ui.classview.gauges.heading"), scale)
        strip_h = max(10, round(self.size("body", scale) * 0.8))
        for g in self.view.gauges:
            head = f"{g.label} ({g.sense})"
            y = ops.text(self.text(head, "body", "heading", r.width, "bold", scale), (r.x, y), head) + m.pad // 3
            if g.now is None:
                s = t("ui.classview.gauges.none")
                y = ops.text(self.text(s, "small", "text_muted", r.width, scale=scale), (r.x, y), s) + m.pad
                continue
            span = max(1, g.maximum - g.minimum)

            def x_of(value: float) -> int:
                return r.x + round((value - g.minimum) / span * (r.width - 1))

            sp = g.now
            track = pygame.Rect(r.x, y, r.width, strip_h)
            ops.rect(ctx.colour("gauge_track"), track)
            mid = y + strip_h // 2
            ops.line(ctx.colour("text"), (x_of(sp.low), mid), (x_of(sp.high), mid), max(2, strip_h // 6))
            box = pygame.Rect(x_of(sp.q1), y, max(3, x_of(sp.q3) - x_of(sp.q1)), strip_h)
            ops.rect(ctx.colour("gauge_fill"), box)
            ops.rect(ctx.colour("text"), pygame.Rect(x_of(sp.median) - 2, y - 3, 5, strip_h + 6))
            y = track.bottom + m.pad // 3
            s = t("ui.classview.gauges.now", median=cv.number_text(sp.median, self.ctx.lang), low=sp.low, high=sp.high, n=sp.n)
            y = ops.text(self.text(s, "small", "text", r.width, scale=scale), (r.x, y), s)
            for _eid, title, es in g.by_ending:
                s = t("ui.classview.gauges.ending", ending=title, median=cv.number_text(es.median, self.ctx.lang), low=es.low, high=es.high,
                      n=es.n)
                y = ops.text(self.text(s, "small", "text_muted", r.width, scale=scale), (r.x + m.pad, y), s)
            y += m.pad
        return ops

    def _ending_ops(self, r: pygame.Rect, scale: float) -> _Ops:
        ops, m, t, ctx = _Ops(), self.ctx.metrics, self.t, self.ctx
        v = self.view
        y = self._heading(ops, r, r.y, t("ui.classview.endings.heading"), scale)
        if not any(e.n for e in v.endings):
            s = t("ui.classview.endings.none", playing=v.playing)
            y = ops.text(self.text(s, "body", "text", r.width, scale=scale), (r.x, y), s) + m.pad
        bold = self.font("body", "bold", scale)
        labels = [t("ui.classview.endings.count", n=e.n) for e in v.endings]
        label_w = max((bold.size(s)[0] for s in labels), default=0)
        room = max(20, r.width - label_w - m.pad * 2)
        bar_h = max(10, round(self.size("body", scale) * 0.9))
        most = max(1, v.participants)
        for e, label in zip(v.endings, labels):
            word = t(f"ui.tone.{e.tone}") if e.tone in TONE_COLOUR else ""
            s = f"{e.title} · {word}" if word else e.title
            y = ops.text(self.text(s, "body", "text", r.width, scale=scale), (r.x, y), s) + m.pad // 3
            track = pygame.Rect(r.x, y, room, bar_h)
            ops.rect(ctx.colour("gauge_track"), track)
            ops.rect(ctx.colour(TONE_COLOUR.get(e.tone, "gauge_fill")),
                     pygame.Rect(r.x, y, round(room * e.n / most), bar_h))
            ops.rect(ctx.colour("border"), track, 1)
            lab = self.text(label, "body", "heading", style="bold", scale=scale)
            ops.text(lab, (track.right + m.pad, y + (bar_h - lab.get_height()) // 2), label)
            y = max(track.bottom, y + lab.get_height()) + m.pad
        return ops

    def _roster_ops(self, r: pygame.Rect, scale: float) -> _Ops:
        ops, m, t, ctx = _Ops(), self.ctx.metrics, self.t, self.ctx
        v = self.view
        y = self._heading(ops, r, r.y, t("ui.classview.roster.heading"), scale)
        hint = t("ui.classview.roster.shown" if self.names else "ui.classview.roster.hidden")
        y = ops.text(self.text(hint, "small", "text_muted", r.width, scale=scale), (r.x, y), hint) + m.pad // 2
        if not v.trainees:
            s = t("ui.classview.roster.none")
            ops.text(self.text(s, "body", "text", r.width, scale=scale), (r.x, y), s)
            return ops
        cell_w = max(m.px(220) * scale, 120)
        cols = max(1, int((r.width + m.pad) // (cell_w + m.pad)))
        cell_w = (r.width - (cols - 1) * m.pad) // cols
        colour = {"playing": "text", "finished": "positive", "away": "negative", "left": "text_muted"}
        row_top, row_bottom = y, y
        for i, tr in enumerate(v.trainees):
            col = i % cols
            if col == 0:
                row_top = row_bottom
            x = r.x + col * (cell_w + m.pad)
            name = tr.pseudonym if self.names else tr.anonymous
            yy = ops.text(self.text(name, "body", "heading", cell_w, "bold", scale), (x, row_top), name)
            s = t("ui.classview.roster.where", status=tr.status_text, where=tr.where, n=tr.seq)
            yy = ops.text(self.text(s, "small", colour.get(tr.status, "text"), cell_w, scale=scale), (x, yy), s)
            row_bottom = max(row_bottom, yy + m.pad // 2)
        return ops


__all__ = ["ClassViewScene", "report_folder"]
