"""Classe → Animer une séance: the host in a background thread of the window, its code, address and QR code.

`BackgroundHost` starts the same application as `pandore host` (the socket
bound by game.classroom.host, so a busy port is known before anything is
shown; uvicorn in a daemon thread, which installs no signal handler there)
and stops it without ending the session: the session stays in the store,
`pandore host --resume SESSION` or this screen's « Reprendre » opens it
again with the same code and tokens.

`HostScene` shows the session code in large letters, the join address, a QR
code of it (segno, integer module scaling with its quiet zone, dark on
light whatever the theme, so that every phone reads it), whether the LAN
announcement works, and how many trainees joined (the host's summary, read
every second). « Vue de la classe » (key C) opens the trainer's live view
(game/ui/scenes/classview.py). Stopping asks for a confirmation, and so does
closing the window while a session is hosted (`guard_close`: the window's
close button then asks instead of quitting; the session stays in the store,
resumable); `KeptSessionsScene` lists the sessions kept on this machine to
resume one. A host that cannot start
(port taken, no network, a scenario that no longer loads) is told in one
located sentence, with what to do; never a traceback.
"""

from __future__ import annotations

import errno
import signal
import threading
import time
from pathlib import Path

import pygame

from ..scene import Pop, Push, Quit, Scene
from . import button_height, button_width, draw_panel, page, panel_rect

DEFAULT_PORT = 8765  # as `pandore host`
DEFAULT_BIND = "0.0.0.0"  # every interface: the trainees' laptops and phones reach it on the LAN
POLL_SECONDS = 1.0


class HostError(Exception):
    """The host could not start: `key` names the message (ui.classe.host.error.*), `values` fill it."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key, self.values = key, values


class BackgroundHost:
    """One classroom session served by uvicorn in a daemon thread of this process."""

    def __init__(self, session, bind: str = "0.0.0.0", port: int = DEFAULT_PORT):
        from game.classroom.app import create_app
        from game.classroom.host import address, announce, bind_socket

        self.session = session
        try:
            self.sock = bind_socket(bind, port)
        except OSError as e:
            if e.errno in (errno.EADDRINUSE, errno.EACCES):
                raise HostError("port_taken", port=port) from None
            raise HostError("cannot_start", reason=e.strerror or str(e)) from None
        self.address = address(session, bind, self.sock.getsockname()[1])
        self.app = create_app(session, self.address.url)
        import uvicorn

        config = uvicorn.Config(self.app, log_level="warning", access_log=False, timeout_graceful_shutdown=2,
                                lifespan="off")
        self.server = uvicorn.Server(config)
        self.failure: str | None = None
        self.thread = threading.Thread(target=self._serve, name="pandore-host", daemon=True)
        self.thread.start()
        # zeroconf's registration probes the network for a second or two: never on the window's thread
        self.announced = None
        self.announcing = True

        def announce_now() -> None:
            try:
                self.announced = announce(session, bind, self.port)
            finally:
                self.announcing = False

        self._announcer = threading.Thread(target=announce_now, name="pandore-announce", daemon=True)
        self._announcer.start()

    @property
    def port(self) -> int:
        return int(self.address.url.rsplit(":", 1)[1])

    def _serve(self) -> None:
        try:
            self.server.run(sockets=[self.sock])
        except BaseException as e:  # noqa: BLE001  (told on the screen, never a traceback)
            self.failure = str(e) or type(e).__name__

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def wait_ready(self, seconds: float = 5.0) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.server.started:
                return True
            if not self.thread.is_alive():
                return False
            time.sleep(0.02)
        return self.server.started

    def summary(self) -> dict:
        return self.session.summary()

    def stop(self) -> None:
        """Stop serving; the session stays in the store, resumable with the same code and tokens."""
        self.app.state.stopping = True  # open event streams end, so the stop is prompt
        self.server.should_exit = True
        self.thread.join(5)
        self._announcer.join(5)
        if self.announced is not None:
            try:
                self.announced[0].unregister_service(self.announced[1])
                self.announced[0].close()
            except Exception:  # noqa: BLE001  (best effort, as the announcement)
                pass
            self.announced = None
        try:
            self.sock.close()
        except OSError:
            pass
        self.session.store.close()


def start_host(scenario_path: str | Path | None = None, resume: str | None = None, bind: str = "0.0.0.0",
               port: int = DEFAULT_PORT, undo_allowed: bool = True) -> BackgroundHost:
    """A new session of `scenario_path` (or the stored session `resume`), served in the background.

    Raises HostError with the message's key when it cannot start."""
    from game.classroom.session import ClassSession
    from game.classroom.store import Store

    try:
        store = Store()
    except Exception as e:  # noqa: BLE001  (a read-only or full data folder)
        raise HostError("cannot_start", reason=str(e)) from None
    try:
        if resume is not None:
            session = ClassSession.open(store, resume)
            if session is None:
                raise HostError("unknown_session", session=resume)
        else:
            session = ClassSession.create(store, Path(scenario_path), undo_allowed=undo_allowed)
    except HostError:
        store.close()
        raise
    except (ValueError, OSError) as e:
        store.close()
        raise HostError("cannot_start", reason=str(e)) from None
    try:
        return BackgroundHost(session, bind, port)
    except HostError:
        store.close()
        raise


def qr_surface(data: str, target: int, dark=(0, 0, 0), light=(255, 255, 255)) -> pygame.Surface:
    """The QR code of `data` as a surface at most `target` pixels wide: each module an integer number
    of pixels (never smoothed, so every edge is sharp), with the standard 4-module quiet zone."""
    import segno

    qr = segno.make(data, error="m")
    rows = [list(r) for r in qr.matrix_iter(scale=1, border=4)]
    n = len(rows)
    scale = max(1, target // n)
    small = pygame.Surface((n, n))
    small.fill(light)
    for y, row in enumerate(rows):
        for x, v in enumerate(row):
            if v:
                small.set_at((x, y), dark)
    return pygame.transform.scale(small, (n * scale, n * scale))


_TERM_BEFORE: list = []  # the SIGTERM handler in place before guard_close(True)


def _terminated(_signum, _frame) -> None:
    """SIGTERM while hosting (a shutdown, a logout, `kill`): quit without asking; the session is kept."""
    try:
        pygame.event.set_allowed(pygame.QUIT)
        pygame.event.post(pygame.event.Event(pygame.QUIT))
    except pygame.error:  # no display any more: nothing to ask either
        raise SystemExit(143) from None


def guard_close(on: bool) -> None:
    """While a session is hosted, the window's close button asks first: SDL's quit request is blocked
    (the loop would end the program at once), its WINDOWCLOSE reaches the scene, which asks. SIGTERM,
    which SDL also turns into that quit request, still ends the program (`_terminated`)."""
    try:
        if on:
            pygame.event.set_blocked(pygame.QUIT)
        else:
            pygame.event.set_allowed(pygame.QUIT)
    except pygame.error:  # the display is gone
        pass
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        return
    if on and not _TERM_BEFORE:
        _TERM_BEFORE.append(signal.signal(signal.SIGTERM, _terminated))
    elif not on and _TERM_BEFORE:
        before = _TERM_BEFORE.pop()
        signal.signal(signal.SIGTERM, before if before is not None else signal.SIG_DFL)


def quit_question(ctx, session_id: str) -> "ConfirmScene":
    """Closing the window while hosting: the session stops, kept in the store, and can be resumed."""
    return ConfirmScene(ctx, ctx.t("ui.classe.host.confirm_quit", session=session_id),
                        ctx.t("ui.classe.host.confirm_quit_yes"), ctx.t("ui.classe.host.confirm_quit_no"))


def spaced(code: str) -> str:
    """A session code as it is read aloud and written on the board: groups of three, never split across
    lines (a no-break space between them)."""
    return "\u00a0".join(code[i:i + 3] for i in range(0, len(code), 3))


class HostScene(Scene):
    """The session being hosted: code, address, QR code, trainees, stop."""

    name = "host"

    def __init__(self, ctx, scenario_path: str | Path | None = None, resume: str | None = None,
                 bind: str | None = None, port: int | None = None, undo_allowed: bool = True):
        super().__init__(ctx)
        self.scenario_path, self.resume, self.undo_allowed = scenario_path, resume, undo_allowed
        self.bind = DEFAULT_BIND if bind is None else bind
        self.port = DEFAULT_PORT if port is None else port
        self.host: BackgroundHost | None = None
        self.error: str | None = None
        self.stopped = False
        self.participants = 0
        self.choices_made = 0
        self._polled = 0.0
        self.asking: str | None = None  # the question on screen: "stop" | "quit"
        self._start()

    def _start(self, port: int | None = None) -> None:
        self.error = self.error_key = None
        try:
            self.host = start_host(self.scenario_path, self.resume, self.bind, self.port if port is None else port,
                                   undo_allowed=self.undo_allowed)
        except HostError as e:
            self.host = None
            self.error_key = e.key
            self.error = self.t(f"ui.classe.host.error.{e.key}", **e.values)
            return
        if not self.host.wait_ready():
            reason = self.host.failure or "uvicorn"
            self.host.stop()
            self.host = None
            self.error = self.t("ui.classe.host.error.cannot_start", reason=reason)
            return
        self.resume = self.host.session.row.id  # a restart of this screen reopens the same session
        guard_close(True)
        self._poll(force=True)

    # ---- state ----------------------------------------------------------------
    @property
    def code(self) -> str | None:
        return self.host.session.row.code if self.host else None

    @property
    def join_url(self) -> str | None:
        return self.host.address.join_url if self.host else None

    def _poll(self, force: bool = False) -> None:
        if self.host is None or (not force and time.monotonic() - self._polled < POLL_SECONDS):
            return
        self._polled = time.monotonic()
        s = self.host.summary()
        seen = (s["participants"], s["choices_made"], self.host.announcing)
        if seen != (self.participants, self.choices_made, getattr(self, "_announcing", None)):
            self.participants, self.choices_made, self._announcing = seen
            self.dirty = True
        if not self.host.running and not self.stopped:
            self.error = self.t("ui.classe.host.error.cannot_start", reason=self.host.failure or "uvicorn")
            self.host = None
            self.build()

    def update(self, dt):
        self._poll()
        return None

    # ---- layout ----------------------------------------------------------------
    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        pg = page(ctx, 1400)
        bh = button_height(ctx)
        self.pg = pg
        if self.host is None:
            label = self.t("ui.back")
            self.button(pygame.Rect(pg.x, pg.y, button_width(ctx, label), bh), label, self.leave, object_id="#quiet")
            if self.error:
                again = self.t("ui.classe.host.resume") if self.stopped else self.t("ui.classe.host.other_port")
                action = self.restart if self.stopped else self.other_port
                y = pg.y + bh + m.pad * 3 + ctx.font("h2", "bold").get_linesize() + \
                    ctx.text(self.error, "body", "text", pg.width).get_height() + m.pad * 2
                self.button(pygame.Rect(pg.x, y, button_width(ctx, again, style="bold"), bh), again, action,
                            object_id="#primary")
                self.focus = len(self.focusables) - 1
            return
        label = self.t("ui.classe.host.stop")
        bw = button_width(ctx, label, style="bold")
        view = self.t("ui.classview.open")
        vw = button_width(ctx, view, style="bold")
        self.button(pygame.Rect(pg.right - bw - vw - m.pad, pg.bottom - bh, vw, bh), view, self.open_view,
                    object_id="#primary")
        self.button(pygame.Rect(pg.right - bw, pg.bottom - bh, bw, bh), label, self.ask_stop)
        self.focus = 0

    # ---- actions ---------------------------------------------------------------
    def open_view(self):
        """The trainer's live view of this session (the projector's too)."""
        if self.host is None:
            return None
        from .classview import ClassViewScene

        return Push(ClassViewScene(self.ctx, self.host))

    def ask_stop(self):
        self.asking = "stop"
        return Push(ConfirmScene(self.ctx, self.t("ui.classe.host.confirm"), self.t("ui.classe.host.confirm_yes"),
                                 self.t("ui.classe.host.confirm_no")))

    def ask_quit(self):
        self.asking = "quit"
        return Push(quit_question(self.ctx, self.host.session.row.id))

    def on_result(self, result):
        asking, self.asking = self.asking, None
        if result is True and asking == "quit":
            self.stop()
            return Quit()
        if result is True and asking == "stop":
            self.stop()
        return None

    def stop(self) -> None:
        if self.host is not None:
            self.stopped = True
            self.session_id = self.host.session.row.id
            self.host_port = self.host.port
            try:
                self.host.stop()
            finally:
                guard_close(False)
            self.host = None
            self.error = self.t("ui.classe.host.stopped", session=self.session_id)
            self.build()

    def other_port(self):
        self._start(port=0)
        self.build()
        return None

    def restart(self):
        """The stopped session again: same code, same tokens, its trainees where they were."""
        self.stopped = False
        self._start(port=self.host_port)
        if self.error_key == "port_taken":
            self._start(port=0)  # the port was taken meanwhile: the join address changes, said on screen
        self.build()
        return None

    def leave(self):
        guard_close(False)
        return Pop()

    def handle(self, event):
        if event.type == pygame.WINDOWCLOSE and self.host is not None:
            return self.ask_quit()
        return super().handle(event)

    def handle_key(self, event):
        if event.key == pygame.K_ESCAPE:
            return self.ask_stop() if self.host is not None else self.leave()
        if event.key == pygame.K_c and self.host is not None and not event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT):
            return self.open_view()
        return None

    # ---- drawing ---------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        surface.fill(ctx.colour("bg"))
        pg = self.pg
        if self.host is None:
            y = pg.y + button_height(ctx) + m.pad * 2
            head = "ui.classe.host.title_stopped" if self.stopped else "ui.classe.host.title_failed"
            surface.blit(ctx.text(self.t(head), "h2", "heading", style="bold"), (pg.x, y))
            y += ctx.font("h2", "bold").get_linesize() + m.pad
            key = "text" if self.stopped else "negative"
            surface.blit(ctx.text(self.error or "", "body", key, pg.width), (pg.x, y))
            return
        qr_side = min(pg.height - m.pad * 2, pg.width // 2)
        key = (self.join_url, qr_side)
        if getattr(self, "_qr_key", None) != key:
            self._qr_key, self._qr = key, qr_surface(self.join_url, qr_side)
        qr = self._qr
        qr_pos = (pg.right - qr.get_width(), pg.y)
        surface.blit(qr, qr_pos)
        text_w = qr_pos[0] - pg.x - m.pad * 3
        y = pg.y
        title = self.host.session.rules.scenario.title
        surface.blit(ctx.text(self.t("ui.classe.host.title"), "small", "text_muted", text_w), (pg.x, y))
        y += ctx.font("small").get_linesize() + m.pad // 2
        s = ctx.text(title, "h3", "heading", text_w, style="bold")
        surface.blit(s, (pg.x, y))
        y += s.get_height() + m.pad * 2
        surface.blit(ctx.text(self.t("ui.classe.host.code"), "body", "text_muted", text_w), (pg.x, y))
        y += ctx.font("body").get_linesize()
        big = self._big_code(text_w)
        surface.blit(big, (pg.x, y))
        y += big.get_height() + m.pad * 2
        surface.blit(ctx.text(self.t("ui.classe.host.address"), "body", "text_muted", text_w), (pg.x, y))
        y += ctx.font("body").get_linesize()
        s = ctx.text(self.join_url, "h3", "text", text_w, style="bold")
        surface.blit(s, (pg.x, y))
        y += s.get_height() + m.pad * 2
        count = self.t("ui.classe.host.joined", n=self.participants, choices=self.choices_made)
        s = ctx.text(count, "h3", "heading", text_w)
        surface.blit(s, (pg.x, y))
        y += s.get_height() + m.pad
        lan = ("ui.classe.host.lan_on" if self.host.announced is not None else
               "ui.classe.host.lan_pending" if self.host.announcing else "ui.classe.host.lan_off")
        s = ctx.text(self.t(lan), "small", "text_muted", text_w)
        surface.blit(s, (pg.x, y))
        y += s.get_height() + m.pad // 2
        s = ctx.text(self.t("ui.classe.host.resume_hint", session=self.host.session.row.id), "small", "text_muted",
                     text_w)
        surface.blit(s, (pg.x, y))

    def _big_code(self, width: int) -> pygame.Surface:
        """The code in the largest letters that fit: read from the back of a classroom."""
        from ..text import font

        text = spaced(self.code)
        size = self.ctx.metrics["h1"] * 3
        path = self.ctx.font_path("bold")
        while size > 12 and font(path, size).size(text)[0] > width:
            size = int(size * 0.9)
        return font(path, size).render(text, True, self.ctx.colour("heading"))


def kept_sessions() -> list[tuple]:
    """The class sessions kept on this machine that can go on (not ended, not group games), newest first:
    (id, code, scenario title or id, created, participants, choices). Empty when the store cannot be read."""
    from game.classroom.store import Store

    try:
        store = Store()
    except Exception:  # noqa: BLE001  (no data folder yet, or unreadable: nothing to resume)
        return []
    try:
        out = []
        for r in reversed(store.sessions()):
            if r.state == "ended" or r.mode != "class":  # a group game is played, not hosted
                continue
            n_p, n_c = store.counts(r.id)
            out.append((r.id, r.code, r.scenario_id, r.created, n_p, n_c))
        return out
    finally:
        store.close()


class KeptSessionsScene(Scene):
    """The sessions kept on this machine, to resume one with its code and trainees."""

    name = "kept_sessions"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.rows = kept_sessions()

    def on_enter(self) -> None:
        self.rows = kept_sessions()
        self.build()

    def layout(self) -> None:
        import datetime as _dt

        ctx, m = self.ctx, self.ctx.metrics
        pg = page(ctx, 1000)
        bh = button_height(ctx)
        back = self.t("ui.back")
        self.button(pygame.Rect(pg.x, pg.y, button_width(ctx, back), bh), back, lambda: Pop(), object_id="#quiet")
        self.head_pos = (pg.x, pg.y + bh + m.pad)
        y = self.head_pos[1] + ctx.font("h2", "bold").get_linesize() + m.pad * 2
        self.empty_pos = (pg.x, y)
        for sid, code, scenario, created, n_p, n_c in self.rows[:8]:
            when = _dt.datetime.fromtimestamp(created).strftime("%Y-%m-%d %H:%M")
            label = self.t("ui.classe.kept.row", code=code, scenario=scenario, when=when, n=n_p, choices=n_c)
            self.button(pygame.Rect(pg.x, y, pg.width, bh), label, lambda sid=sid: self.resume(sid))
            y += bh + m.pad // 2
        if self.focus < 0:
            self.focus = 1 if self.rows else 0

    def resume(self, session_id: str):
        return Push(HostScene(self.ctx, resume=session_id))

    def handle_key(self, event):
        if event.key in (pygame.K_ESCAPE, pygame.K_BACKSPACE):
            return Pop()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        ctx = self.ctx
        surface.fill(ctx.colour("bg"))
        surface.blit(ctx.text(self.t("ui.classe.kept.title"), "h2", "heading", style="bold"), self.head_pos)
        if not self.rows:
            surface.blit(ctx.text(self.t("ui.classe.kept.none"), "body", "text_muted", ctx.size[0] // 2),
                         self.empty_pos)


class ConfirmScene(Scene):
    """A modal question with two answers; pops True (yes) or False (no, Esc)."""

    modal = True
    name = "confirm"

    def __init__(self, ctx, question: str, yes: str, no: str):
        super().__init__(ctx)
        self.question, self.yes, self.no = question, yes, no

    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        bh = button_height(ctx)
        self.rect = panel_rect(ctx, 640, 300)
        inner = self.rect.width - 4 * m.pad
        self.q = ctx.text(self.question, "body", "text", inner)
        self.rect.height = min(ctx.size[1] - 2 * m.pad, self.q.get_height() + bh + m.pad * 7)
        self.rect.center = (ctx.size[0] // 2, ctx.size[1] // 2)
        yw, nw = button_width(ctx, self.yes, style="bold"), button_width(ctx, self.no)
        y = self.rect.bottom - bh - m.pad * 2
        self.button(pygame.Rect(self.rect.right - m.pad * 2 - nw, y, nw, bh), self.no, lambda: Pop(False))
        self.button(pygame.Rect(self.rect.right - m.pad * 3 - nw - yw, y, yw, bh), self.yes, lambda: Pop(True),
                    object_id="#primary")
        self.focus = 0  # the safe answer first

    def handle_key(self, event):
        if event.key == pygame.K_ESCAPE:
            return Pop(False)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        draw_panel(self.ctx, surface, self.rect)
        m = self.ctx.metrics
        surface.blit(self.q, (self.rect.x + m.pad * 2, self.rect.y + m.pad * 2))


__all__ = ["BackgroundHost", "ConfirmScene", "HostError", "HostScene", "KeptSessionsScene", "guard_close",
           "kept_sessions", "qr_surface", "quit_question", "spaced", "start_host"]
