"""Classe → Rejoindre une séance: find or type a session, give a pseudonym, play with the outbox.

The window plays locally, with the scenario text the host serves (so every
trainee plays the same version), and every choice also goes to the host
through the persistent outbox (game/classroom/outbox.py): written to the
user's data folder, sent at once, retried with back-off by a background
thread, kept across a restart of the window or of the host. The screens are
the usual ones (play, feedback, debrief); a line in the top bar says how
the session is doing: « Reconnexion… » while choices wait, the trainer's
pause or hold, and any difference between the host's state and the
window's own, which is reported, never hidden.

LAN discovery is `game.classroom.discovery.browse(timeout) -> list[Found]`
(`Found(name, url, code)`), looked up by name when the screen opens, so a
test (or a build without zeroconf) passes its own `browse`. Networks that
block discovery are common in schools: the address and the code can always
be typed.

Undo follows the trainer's setting: the host is asked first (POST /undo),
and the window undoes only when the host did. The trainer's pause, or the
class held at the trainee's step, stops choosing as on the browser's pages
(with the same words): the choices are veiled, the trainer's words over
them, before the trainee tries one; when the host has not answered lately,
the window plays on and the outbox keeps the choices. After the session's
end, the trainee's path so far opens (their debrief when they reached an
ending); play may go on here and is said not to be sent.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import httpx
import pygame
import pygame_gui

from game.authoring.files import atomic_write_text
from game.authoring.loader import load_file
from game.classroom.outbox import Outbox
from game.engine import Rejected

from ..controller import Controller
from ..scene import Pop, Push, Replace, Scene
from .debrief import DebriefScene
from .history import HistoryScene
from .play import PlayScene
from . import button_height, button_width, page

TIMEOUT = 3.0
DEFAULT_PORT = 8765
STATUS_SECONDS = 2.0
Browse = Callable[[float], list]


# --------------------------------------------------------------------------------------------
# finding and joining a session


class DiscoveryUnavailable(Exception):
    """This build cannot look for sessions on the LAN (no discovery module)."""


def lan_browse(timeout: float = 1.5) -> list:
    """`game.classroom.discovery.browse`, looked up when it is needed (DiscoveryUnavailable without it)."""
    try:
        module = importlib.import_module("game.classroom.discovery")
    except ImportError:
        raise DiscoveryUnavailable() from None
    browse = getattr(module, "browse", None)
    if browse is None:
        raise DiscoveryUnavailable()
    return list(browse(timeout))


def parse_address(text: str) -> tuple[str, str | None]:
    """The base URL and, when the text holds one (a join address `…/j/CODE`), the session code.

    A bare host (`192.168.1.20`) gets `http://` and the host's default port;
    an address with a scheme is kept as typed (a school server behind HTTPS)."""
    text = text.strip()
    if not text:
        return "", None
    bare = "://" not in text
    if bare:
        text = "http://" + text
    parts = urlsplit(text)
    netloc = parts.netloc
    if bare and parts.port is None and netloc:
        netloc = f"{netloc}:{DEFAULT_PORT}"
    code = None
    segs = [s for s in parts.path.split("/") if s]
    if len(segs) >= 2 and segs[-2] == "j":
        code = segs[-1].upper()
        segs = segs[:-2]
    base = f"{parts.scheme}://{netloc}" + ("/" + "/".join(segs) if segs else "")
    return base, code


@dataclass
class Joined:
    """This window's place in a session, kept in the data folder so a restart of the window goes on."""

    url: str
    code: str
    pseudonym: str
    token: str
    participant_id: str
    playthrough_id: str
    seed: int
    choices: list[str] = field(default_factory=list)
    acked: int = 0  # the choices up to this seq are known to be on the host

    @property
    def api(self) -> str:
        return f"{self.url}/api/v1/sessions/{self.code}"

    @staticmethod
    def folder(dirs) -> Path:
        return Path(dirs.data) / "classroom"

    def file(self, dirs) -> Path:
        return self.folder(dirs) / f"joined-{self.code}.json"

    def scenario_file(self, dirs) -> Path:
        return self.folder(dirs) / self.code / "scenario.yaml"

    def outbox_file(self, dirs) -> Path:
        return self.folder(dirs) / f"outbox-{self.playthrough_id}.json"

    def save(self, dirs) -> None:
        atomic_write_text(self.file(dirs), json.dumps(dataclasses.asdict(self), ensure_ascii=False))

    @classmethod
    def read(cls, dirs, code: str) -> "Joined | None":
        try:
            data = json.loads((cls.folder(dirs) / f"joined-{code.upper()}.json").read_text(encoding="utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError):
            return None


class JoinRefused(Exception):
    """Joining failed: `key` names the message told to the user, `values` fill it."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key, self.values = key, values


_ERROR_KEYS = {"unknown_session": "class.error.unknown_session", "invalid_pseudonym": "class.error.invalid_pseudonym",
               "ended": "class.error.ended"}


def _refusal(r: httpx.Response) -> JoinRefused:
    try:
        code = r.json().get("error", "")
    except ValueError:
        return JoinRefused("ui.classe.join.error.not_pandore", status=r.status_code)
    if code in _ERROR_KEYS:
        return JoinRefused(_ERROR_KEYS[code])
    if r.status_code == 423:
        return JoinRefused("class.error.ended")
    return JoinRefused("ui.classe.join.error.refused", status=r.status_code)


def join_session(url: str, code: str, pseudonym: str, dirs) -> Joined:
    """Join the session `code` at `url` as `pseudonym` and keep its scenario; raises JoinRefused."""
    from game.classroom.session import ApiError, check_pseudonym

    try:
        pseudonym = check_pseudonym(pseudonym)
    except ApiError:
        raise JoinRefused("class.error.invalid_pseudonym") from None
    if not url:
        raise JoinRefused("ui.classe.join.error.no_address")
    if not code:
        raise JoinRefused("ui.classe.join.error.no_code")
    api = f"{url}/api/v1/sessions/{code}"
    try:
        with httpx.Client(timeout=TIMEOUT, trust_env=False) as c:
            r = c.post(f"{api}/participants", json={"pseudonym": pseudonym})
            if r.status_code != 201:
                raise _refusal(r)
            me = r.json()
            j = Joined(url, code, pseudonym, me["token"], me["participant_id"], me["playthrough_id"], int(me["seed"]))
            r = c.get(f"{api}/scenario", headers={"Authorization": f"Bearer {j.token}"})
            if r.status_code != 200:
                raise _refusal(r)
            text = r.json()["text"]
    except httpx.TransportError:
        raise JoinRefused("ui.classe.join.error.unreachable", url=url) from None
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        raise JoinRefused("ui.classe.join.error.not_pandore", status="?") from None
    atomic_write_text(j.scenario_file(dirs), text)
    j.save(dirs)
    return j


def moved(previous: Joined, url: str, dirs) -> bool:
    """True when the session `previous` was joined in answers at `url` now (a host resumed on another
    address or port): this trainee's token still opens it; the record then keeps the new address."""
    if not url:
        return False
    api = f"{url}/api/v1/sessions/{previous.code}"
    try:
        with httpx.Client(timeout=TIMEOUT, trust_env=False) as c:
            r = c.get(f"{api}/scenario", headers={"Authorization": f"Bearer {previous.token}"})
    except httpx.HTTPError:
        return False
    if r.status_code != 200:
        return False
    previous.url = url
    previous.save(dirs)
    return True


# --------------------------------------------------------------------------------------------
# playing with the outbox


class OutboxWorker:
    """Owns the outbox in a background thread: the window hands it choices and never waits on the network."""

    def __init__(self, box: Outbox, on_sent: Callable[[], None] | None = None,
                 done: Callable[[], bool] | None = None):
        self.box = box
        self.on_sent = on_sent
        self.done = done  # True when no choice can come any more: the thread ends once all is sent
        self.queue: queue.Queue = queue.Queue()
        self.wake = threading.Event()
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, name="pandore-outbox", daemon=True)

    def start(self) -> "OutboxWorker":
        self.thread.start()
        return self

    def put(self, seq: int, choice: str, expected: dict) -> None:
        self.queue.put((seq, choice, expected))
        self.wake.set()

    @property
    def waiting(self) -> int:
        """Choices not yet acknowledged by the host."""
        return self.queue.qsize() + len(self.box.pending)

    @property
    def status(self) -> str:
        if self.queue.qsize():
            return "sending"
        return self.box.status

    def _run(self, first: float = 0.25, longest: float = 5.0) -> None:
        delay = first
        while not self.stop_event.is_set():
            while True:
                try:
                    seq, choice, expected = self.queue.get_nowait()
                except queue.Empty:
                    break
                self.box.add(seq, choice, expected)  # on disk first, then sent
            ok = self.box.flush()
            if ok and self.on_sent is not None:
                self.on_sent()
            if ok and self.done is not None and self.done() and not self.queue.qsize():
                return
            delay = first if ok else min(longest, delay * 2)
            self.wake.wait(delay if self.box.pending else 1.0)
            self.wake.clear()

    def stop(self) -> None:
        self.stop_event.set()
        self.wake.set()
        if self.thread.is_alive():
            self.thread.join(5)


def open_outbox(joined: Joined, dirs) -> tuple[Outbox, Path | None]:
    """The outbox of this playthrough, and where an unreadable one was kept aside (None: it read).

    A damaged file (cut off mid-write, a disk fault) is renamed `<name>.corrupt` (never deleted) and
    the outbox starts empty: `ClassController` then hands it again every choice the host has not
    acknowledged, from the choices kept in joined-CODE.json, and the host keeps one of each.
    Raises OSError when the damaged file cannot be renamed.
    """
    path = joined.outbox_file(dirs)
    try:
        return Outbox(path, joined.api, joined.token, joined.playthrough_id), None
    except (ValueError, TypeError, AttributeError, KeyError):
        aside = path.with_name(path.name + ".corrupt")
        n = 1
        while aside.exists():
            n += 1
            aside = path.with_name(f"{path.name}.{n}.corrupt")
        path.replace(aside)
        return Outbox(path, joined.api, joined.token, joined.playthrough_id), aside


class ClassController(Controller):
    """The controller of a class playthrough: plays locally, sends every choice through the outbox,
    asks the host before undoing, and compares the host's state with its own."""

    def __init__(self, loaded, lang: str, joined: Joined, dirs, start_worker: bool = True):
        super().__init__(loaded, lang, seed=joined.seed, dirs=dirs, autosave=False)
        self.joined = joined
        self.differences: list[tuple[int, dict, dict]] = []  # (seq, window, host)
        self.remote: dict | None = None  # the host's last word: {state, node, undo, playthrough}
        self.undo_problem: str | None = None
        self.remote_at = 0.0
        self.detached = False  # a local replay after the session's playthrough: not sent
        self._generation = 0
        self._keep_lock = threading.Lock()
        for choice in joined.choices:  # a restart of the window: replay what was played (the controller plays)
            if isinstance(Controller.choose(self, choice), Rejected):
                break  # cannot happen with the host's own text; the host's state then tells the difference
        self.box, self.outbox_aside = open_outbox(joined, dirs)
        self.worker = OutboxWorker(self.box, self._all_sent, done=lambda: self.finished or self.detached) \
            if start_worker else None
        self._handed = joined.acked  # the last seq handed to the outbox
        if self.worker is not None:
            queued = {p.seq for p in self.box.pending}
            for seq in range(joined.acked + 1, len(self.pt.choices) + 1):
                if seq not in queued:  # played but never handed to the outbox (the window stopped between)
                    self.worker.put(seq, self.pt.choices[seq - 1], self._expected(seq))
            self._handed = len(self.pt.choices)
            self.worker.start()
        self._stop_status = threading.Event()
        self._status_thread = threading.Thread(target=self._watch, name="pandore-class-status", daemon=True)
        self._status_thread.start()

    # ---- what the host is told ------------------------------------------------------
    def _expected(self, seq: int) -> dict:
        st = self.pt.states[seq]
        return {"node": st.node, "ending": st.ending, "gauges": dict(st.gauges), "variables": dict(st.variables)}

    def _all_sent(self) -> None:
        """(The outbox's thread.) Everything handed over is acknowledged: remember up to where."""
        handed = self._handed  # read first: a choice handed after this is still in the queue below
        if not self.box.pending and self.worker is not None and not self.worker.queue.qsize():
            if handed != self.joined.acked:
                self.joined.acked = handed
                self._keep()

    def _keep(self) -> None:
        """Write what was played (both threads write it: one at a time, each with the values of now)."""
        with self._keep_lock:
            try:
                self.joined.save(self.dirs)
            except OSError:
                pass  # the outbox file still holds what waits; play goes on

    def choose(self, choice_id: str):
        ended = self.remote_state == "ended"
        result = super().choose(choice_id)
        if ended:
            self.detached = True  # the host records nothing more: the game goes on here, said as such
        if self.detached or isinstance(result, Rejected):
            return result
        seq = len(self.pt.choices)
        self.joined.choices = list(self.pt.choices)
        self._generation += 1
        if self.hold_saves:  # the play screen shows the choice first, then `save_held` keeps and sends it
            self._held = (seq, choice_id, self._expected(seq))
        else:
            self._hand(seq, choice_id, self._expected(seq))
        return result

    def _hand(self, seq: int, choice_id: str, expected: dict) -> None:
        """Keep what was played (on disk), then give the choice to the outbox: in this order, so that
        the outbox never holds a choice the record of the playthrough does not."""
        self._keep()
        if self.worker is not None:
            self.worker.put(seq, choice_id, expected)
            self._handed = seq

    def save_held(self) -> None:
        super().save_held()
        held, self._held = getattr(self, "_held", None), None
        if held is not None:
            self._hand(*held)

    @property
    def can_undo(self) -> bool:
        allowed = True if self.remote is None else bool(self.remote.get("undo", True))
        return bool(self.pt.choices) and (allowed or self.detached)

    def undo(self) -> bool:
        """Undo when the host has undone too (asked and answered here: tests and scripts; the play
        screen asks from a thread with `undo_local_check`, `ask_host_undo` and `apply_host_undo`)."""
        ready = self.undo_local_check()
        if ready is not None:
            return ready
        seq = len(self.pt.choices)
        return self.apply_host_undo(seq, self.ask_host_undo(seq))

    def undo_local_check(self) -> bool | None:
        """What undo gives without asking the host: False (with `undo_problem`) or True (a local
        replay, undone), None when the host must be asked."""
        self.undo_problem = None
        if not self.pt.choices:
            return False
        if self.detached:
            return super().undo()
        if self.worker is not None and self.worker.waiting:
            self.undo_problem = "waiting"
            return False
        return None

    def ask_host_undo(self, seq: int):
        """(Any thread.) POST /undo for choice `seq`: the response, or None when the host cannot be reached."""
        try:
            with httpx.Client(timeout=TIMEOUT, trust_env=False) as c:
                return c.post(f"{self.joined.api}/undo", headers={"Authorization": f"Bearer {self.joined.token}"},
                              json={"playthrough_id": self.joined.playthrough_id, "seq": seq})
        except httpx.HTTPError:
            return None

    def apply_host_undo(self, seq: int, r) -> bool:
        """(The window's thread.) Undo here when the host undid choice `seq`; `undo_problem` otherwise."""
        if r is None:
            self.undo_problem = "offline"
            return False
        if r.status_code == 403:
            self.undo_problem = "forbidden"
            return False
        if r.status_code != 200 or seq != len(self.pt.choices):
            self.undo_problem = "refused"
            return False
        self._generation += 1
        super().undo()
        self.joined.choices = list(self.pt.choices)
        self.joined.acked = self._handed = len(self.pt.choices)
        self._keep()
        try:
            host = r.json()
        except ValueError:
            host = {}
        mine = self._expected(len(self.pt.choices))
        got = {k: host.get(k) for k in mine}
        if got != mine:
            self.differences.append((len(self.pt.choices), mine, got))
        return True

    def restart(self) -> None:
        """Playing again after the session's playthrough is a local replay: said, and not sent."""
        self.detached = True
        super().restart()

    # ---- what the host says -------------------------------------------------------
    @property
    def settled(self) -> bool:
        """The playthrough is over here and on the host, nothing waits: nothing more to send or to read."""
        waiting = self.worker.waiting if self.worker is not None else len(self.box.pending)
        seq = ((self.remote or {}).get("playthrough") or {}).get("seq")
        return (self.finished or self.detached) and not waiting and (self.detached or seq == len(self.pt.choices))

    def _watch(self) -> None:
        """Read the host's view of this playthrough every few seconds (the first event of /stream),
        until the playthrough is settled."""
        while not self.settled and not self._stop_status.wait(STATUS_SECONDS if self.remote is not None else 0.2):
            gen = self._generation
            try:
                with httpx.Client(timeout=TIMEOUT, trust_env=False) as c:
                    with c.stream("GET", f"{self.joined.api}/stream",
                                  headers={"Authorization": f"Bearer {self.joined.token}"}) as r:
                        if r.status_code != 200:
                            continue
                        for line in r.iter_lines():
                            if line.startswith("data:"):
                                body = json.loads(line[5:])
                                break
                        else:
                            continue
            except (httpx.HTTPError, ValueError):
                continue
            self.remote_at = time.monotonic()
            if gen == self._generation:
                self.remote = body
                self.compare(body.get("playthrough") or {})

    def compare(self, host: dict) -> None:
        """Compare the host's state after its last choice with the window's state after the same choice."""
        seq = host.get("seq")
        if not isinstance(seq, int) or self.detached:
            return
        if seq > len(self.pt.choices):
            diff = (seq, {"seq": len(self.pt.choices)}, {"seq": seq})
        else:
            mine = self._expected(seq)
            got = {k: host.get(k) for k in mine}
            if got == mine:
                return
            diff = (seq, mine, got)
        if diff not in self.differences:
            self.differences.append(diff)

    @property
    def remote_state(self) -> str | None:
        """The session's state as the host said it lately (None when it has not answered for a while)."""
        if self.remote is None or time.monotonic() - self.remote_at > 3 * STATUS_SECONDS:
            return None
        return self.remote.get("state")

    def blocked(self) -> str | None:
        """Why a choice cannot be made now, as the browser's page says it: the trainer's pause, or the
        class held at this step (the key of the words); None when it can."""
        state = self.remote_state
        if self.detached or state is None:
            return None
        if state == "paused":
            return "class.notice.paused"
        if state == "held" and self.remote.get("node") == self.state.node:
            return "class.notice.held"
        return None

    @property
    def all_differences(self) -> list[tuple[int, dict, dict]]:
        return self.box.mismatches + [d for d in self.differences if d not in self.box.mismatches]

    def status_line(self) -> tuple[str, str] | None:
        """What the top bar says about the session: (text, tone) with tone ok | warning | negative."""
        t = self.t
        diffs = self.all_differences
        if diffs:
            seq, mine, host = diffs[-1]
            keys = ", ".join(k for k in sorted(set(mine) | set(host)) if mine.get(k) != host.get(k))
            return t("ui.classe.play.difference", n=seq, what=keys), "negative"
        if self.box.refused:
            seq, status, body = self.box.refused[-1]
            return t("ui.classe.play.refused", n=seq, reason=body.get("message", status)), "negative"
        state = self.remote_state
        if state == "ended":
            return t("ui.classe.play.ended"), "warning"
        if self.detached:
            return t("ui.classe.play.detached"), "warning"
        if state == "paused":
            return t("ui.classe.play.paused"), "warning"
        if state == "held" and self.remote.get("node") == self.state.node:
            return t("ui.classe.play.held"), "warning"
        waiting = self.worker.waiting if self.worker is not None else len(self.box.pending)
        if waiting and self.box.status == "reconnecting":
            return t("ui.classe.play.reconnecting", n=waiting), "warning"
        if waiting:
            return t("ui.classe.play.sending", n=waiting), "ok"
        return t("ui.classe.play.connected", code=self.joined.code, pseudonym=self.joined.pseudonym), "ok"

    def t(self, key: str, **values) -> str:
        from game.i18n import t

        return t(key, self.lang, **values)

    def close(self) -> None:
        self.save_held()  # a choice not yet handed over is kept and queued before the outbox stops
        self._stop_status.set()
        if self.worker is not None:
            self.worker.stop()


def open_class_play(joined: Joined, lang: str, dirs) -> ClassController:
    """The controller of a joined session, from the scenario kept in the data folder (ValueError if it
    does not load here)."""
    loaded = load_file(joined.scenario_file(dirs))
    if not loaded.ok:
        raise ValueError(str(loaded.diagnostics[0]) if loaded.diagnostics else "scenario")
    return ClassController(loaded, lang, joined, dirs)


def draw_status(ctx, surface: pygame.Surface, ctl: ClassController, area: pygame.Rect, anchor: str = "midtop") -> None:
    """The session's line inside `area` (at its `anchor`): words and colour, never colour alone."""
    line = ctl.status_line()
    if line is None:
        return
    text, tone = line
    m = ctx.metrics
    fg = {"ok": "text_muted", "warning": "warning_text", "negative": "negative"}[tone]
    s = ctx.fit(text, "small", fg, max(80, area.width - m.pad * 3), style="semibold" if tone != "ok" else "regular")
    r = pygame.Rect(0, 0, s.get_width() + m.pad * 2, s.get_height() + m.pad // 2)
    setattr(r, anchor, getattr(area.inflate(-m.pad * 2, -m.pad * 2), anchor))
    bg = "surface" if tone == "ok" else "warning_bg"
    border = {"ok": "border", "warning": "warning_border", "negative": "negative"}[tone]
    pygame.draw.rect(surface, ctx.colour(bg), r, border_radius=m.radius)
    pygame.draw.rect(surface, ctx.colour(border), r, 1, border_radius=m.radius)
    surface.blit(s, (r.x + m.pad, r.y + m.pad // 4))


class ClassPlayScene(PlayScene):
    """The usual play screen, with the session's line in the top bar and undo as the trainer allows."""

    name = "class_play"

    def __init__(self, ctx, controller: ClassController, notice: str | None = None):
        super().__init__(ctx, controller, notice)
        self._said = controller.status_line()
        self._undo = controller.can_undo
        self._undoing = None  # (thread, seq, answer) while the host is asked to undo
        self._told_end = False  # the session's end was shown (the path so far)
        self._blocked = controller.blocked()

    @property
    def animating(self) -> bool:
        return super().animating or self._undoing is not None  # keep turning until the host answers

    def update(self, dt):
        if self._undoing is not None:
            tr = self._undo_answered()
            if tr is not None:
                return tr
        line = self.ctl.status_line()
        if line != self._said:
            self._said = line
            self.dirty = True
        blocked = self.ctl.blocked()
        if blocked != self._blocked:
            self._blocked = blocked
            self.dirty = True
        if self.ctl.remote_state == "ended" and not self._told_end and not self.ctl.finished and \
                not self.ctl.detached:
            self._told_end = True  # the session ended before this trainee's ending: their path so far
            return Push(SessionEndedScene(self.ctx, self.ctl))
        if self.ctl.can_undo != self._undo:
            self._undo = self.ctl.can_undo
            self.fresh = False
            self.build()  # the undo button follows the trainer's setting
        return super().update(dt)

    def choose(self, choice_id: str):
        if self._undoing is not None:
            return None  # the host is asked to undo the last choice: wait for its answer
        why = self.ctl.blocked()
        if why is not None:  # the trainer's hold or pause: nothing is chosen, as on the browser's page
            self.set_notice(self.t(why))
            return None
        return super().choose(choice_id)

    def undo(self):
        """Ask the host (from a thread: the window never waits on the network), undo on its answer."""
        if self._undoing is not None:
            return None
        ready = self.ctl.undo_local_check()
        if ready is True:
            return self.show_undone()
        if ready is False:
            return self._not_undone()
        seq = self.ctl.turn
        box: list = []
        job = threading.Thread(target=lambda: box.append(self.ctl.ask_host_undo(seq)), name="pandore-undo",
                               daemon=True)
        self._undoing = (job, seq, box)
        job.start()
        self.set_notice(self.t("ui.classe.play.undoing"))
        return None

    def _undo_answered(self):
        job, seq, box = self._undoing
        if job.is_alive():
            return None
        self._undoing = None
        if self.ctl.apply_host_undo(seq, box[0] if box else None):
            return self.show_undone()
        return self._not_undone()

    def _not_undone(self):
        problem = self.ctl.undo_problem
        key = {"forbidden": "class.notice.undo_forbidden", "waiting": "ui.classe.play.undo_waiting",
               "offline": "ui.classe.play.undo_offline", "refused": "ui.classe.play.undo_refused"}.get(
            problem, "ui.play.nothing_to_undo")
        self.set_notice(self.t(key))
        return None

    def debrief_scene(self):
        return ClassDebriefScene(self.ctx, self.ctl)

    def proceed(self, skip_report: bool = False, finished: bool | None = None):
        return _class_debrief(self.ctx, super().proceed(skip_report, finished), self.ctl)

    def reload(self):
        return _class_debrief(self.ctx, super().reload(), self.ctl)

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        draw_status(self.ctx, surface, self.ctl, self.stage)  # over the top of the picture, clear of the text
        why = self.ctl.blocked()
        if why is not None and self.report is None and self.choices is not None:
            self.draw_waiting(surface, why)

    def draw_waiting(self, surface: pygame.Surface, why: str) -> None:
        """The trainer's hold or pause over the choices, before any is tried: veiled, with the words."""
        ctx, m = self.ctx, self.ctx.metrics
        area = self.choices.rect
        veil = pygame.Surface(area.size, pygame.SRCALPHA)
        veil.fill(ctx.colour("overlay"))
        surface.blit(veil, area.topleft)
        key = "class.wait.held" if why == "class.notice.held" else "class.wait.paused"
        self.waiting_text = self.t(key)
        s = ctx.text(self.waiting_text, "body", "warning_text", area.width - 6 * m.pad, style="bold")
        r = pygame.Rect(0, 0, s.get_width() + 4 * m.pad, s.get_height() + 2 * m.pad)
        r.center = area.center
        pygame.draw.rect(surface, ctx.colour("warning_bg"), r, border_radius=m.radius)
        pygame.draw.rect(surface, ctx.colour("warning_border"), r, max(2, m.border * 2), border_radius=m.radius)
        surface.blit(s, (r.x + 2 * m.pad, r.y + m.pad))


class SessionEndedScene(HistoryScene):
    """The session ended before the trainee's ending: the path they took, with its feedback."""

    name = "class_ended"

    def layout(self) -> None:
        super().layout()
        self.head = self.ctx.text(self.t("class.ended.window_title"), "h2", "heading", self.rect.width
                                  - 4 * self.ctx.metrics.pad, style="bold", max_lines=1)


def _class_debrief(ctx, tr, ctl):
    if isinstance(tr, Replace) and isinstance(tr.scene, DebriefScene) and not isinstance(tr.scene, ClassDebriefScene):
        return Replace(ClassDebriefScene(ctx, ctl))
    return tr


class ClassDebriefScene(DebriefScene):
    """The usual debrief, with the session's line: choices still waiting are said, not lost."""

    name = "class_debrief"

    def update(self, dt):
        line = self.ctl.status_line()
        if line != getattr(self, "_said", None):
            self._said = line
            self.dirty = True
        return super().update(dt)

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        draw_status(self.ctx, surface, self.ctl, surface.get_rect(), "topright")


# --------------------------------------------------------------------------------------------
# the screen


class JoinScene(Scene):
    """The sessions found on the LAN, or an address and a code typed; a pseudonym; then play."""

    name = "join"

    def __init__(self, ctx, browse: Browse | None = None, search_seconds: float = 1.5):
        super().__init__(ctx)
        self.browse = browse if browse is not None else lan_browse
        self.search_seconds = search_seconds
        self.found: list = []
        self.searching = False
        self.search_note: str | None = None
        self.error: str | None = None
        self.connecting = False
        self._job: threading.Thread | None = None
        self._result = None
        self.values = {"address": "", "code": "", "pseudonym": ""}
        self.entries: dict[str, pygame_gui.elements.UITextEntryLine] = {}
        self.search()

    # ---- discovery --------------------------------------------------------------
    def search(self):
        if self.searching:
            return None
        self.searching = True
        self.search_note = None

        def job():
            try:
                found = list(self.browse(self.search_seconds))
                note = None if found else "ui.classe.join.none_found"
            except DiscoveryUnavailable:
                found, note = [], "ui.classe.join.no_discovery"
            except Exception:  # noqa: BLE001  (a blocked network: typing the address works)
                found, note = [], "ui.classe.join.search_failed"
            self._found = (found, note)

        self._found = None
        threading.Thread(target=job, name="pandore-browse", daemon=True).start()
        return None

    def pick(self, found) -> None:
        self._remember()
        self.values["address"], self.values["code"] = found.url, found.code
        self.build()

    # ---- joining -------------------------------------------------------------------
    def _remember(self) -> None:
        for k, e in self.entries.items():
            if e.alive():
                self.values[k] = e.get_text()

    def submit(self):
        if self.connecting:
            return None
        self._remember()
        url, code_in_url = parse_address(self.values["address"])
        code = (self.values["code"].strip() or code_in_url or "").upper().replace(" ", "")
        pseudonym = self.values["pseudonym"]
        self.error = None
        self.connecting = True
        dirs = self.ctx.dirs

        def job():
            try:
                previous = Joined.read(dirs, code) if code else None
                if previous is not None and previous.pseudonym == pseudonym.strip() and \
                        (previous.url == url or moved(previous, url, dirs)):
                    self._result = previous  # the same trainee on the same session: go on where they were
                else:
                    self._result = join_session(url, code, pseudonym, dirs)
            except JoinRefused as e:
                self._result = e
            except OSError as e:
                self._result = JoinRefused("ui.classe.join.error.cannot_keep", reason=e.strerror or str(e))
            except Exception as e:  # noqa: BLE001  (a bug: logged and said, never a silent nothing)
                from .. import userdata

                log = userdata.log_exception(dirs, e, "join")
                self._result = JoinRefused("ui.classe.join.error.unexpected", log=str(log) if log else "-")

        self._job = threading.Thread(target=job, name="pandore-join", daemon=True)
        self._job.start()
        self.build()
        return None

    def _joined(self, j: Joined):
        try:
            ctl = open_class_play(j, self.ctx.lang, self.ctx.dirs)
        except ValueError as e:
            self.error = self.t("ui.classe.join.error.scenario", reason=str(e))
            self.build()
            return None
        except OSError as e:  # the damaged outbox could not be set aside
            from .. import userdata

            self.error = self.t("ui.classe.join.error.cannot_keep",
                                reason=userdata.file_problem(e, j.outbox_file(self.ctx.dirs), self.ctx.lang))
            self.build()
            return None
        damaged = self.t("ui.classe.join.outbox_damaged", path=str(ctl.outbox_aside)) if ctl.outbox_aside else None
        if ctl.finished:  # joined again after the ending: the debrief, and whatever still waits is sent
            scene = ClassDebriefScene(self.ctx, ctl)
            scene.saved = damaged  # said on the line beside its buttons
            return Replace(scene)
        notice = self.t("ui.classe.join.welcome", pseudonym=j.pseudonym)
        return Replace(ClassPlayScene(self.ctx, ctl, notice=notice + (" " + damaged if damaged else "")))

    def update(self, dt):
        if self.searching and self._found is not None:
            self.found, note = self._found
            self.search_note = self.t(note) if note else None
            self.searching = False
            self._remember()
            self.build()
        if self.connecting and self._job is not None and not self._job.is_alive():
            self.connecting = False
            result, self._result = self._result, None
            if isinstance(result, Joined):
                return self._joined(result)
            if isinstance(result, JoinRefused):
                self.error = self.t(result.key, **result.values)
            self._remember()
            self.build()
        return None

    def wait(self, seconds: float = 10.0) -> None:
        """Tests: wait for the background search and join to finish."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            busy = (self.searching and self._found is None) or (self._job is not None and self._job.is_alive())
            if not busy:
                return
            time.sleep(0.02)

    @property
    def animating(self) -> bool:
        return self.searching or self.connecting  # keep the loop turning while a thread works

    # ---- layout ---------------------------------------------------------------------
    def layout(self) -> None:
        from .classe import drop_bare_gui_events

        ctx, m = self.ctx, self.ctx.metrics
        drop_bare_gui_events(self.manager)
        pg = page(ctx, 1100)
        bh = button_height(ctx)
        self.pg = pg
        back = self.t("ui.back")
        self.button(pygame.Rect(pg.x, pg.y, button_width(ctx, back), bh), back, lambda: Pop(), object_id="#quiet")
        y = pg.y + bh + m.pad
        self.head_pos = (pg.x, y)
        y += ctx.font("h2", "bold").get_linesize() + m.pad
        col = pg.width // 2 - m.pad * 2
        # left: the sessions found on the network
        self.lan_pos = (pg.x, y)
        ly = y + ctx.font("h3", "bold").get_linesize() + m.pad // 2
        for f in self.found[:6]:
            label = (self.t("ui.classe.join.found_at", name=f.name, url=f.url) if f.code in f.name
                     else self.t("ui.classe.join.found", name=f.name, code=f.code))
            self.button(pygame.Rect(pg.x, ly, col, bh), label, lambda f=f: self.pick(f), tooltip=f.url)
            ly += bh + m.pad // 2
        self.note_pos = (pg.x, ly)
        ly += (ctx.text(self.search_note or self.t("ui.classe.join.searching"), "body", "text_muted", col).get_height()
               + m.pad)
        again = self.t("ui.classe.join.search_again")
        self.button(pygame.Rect(pg.x, ly, button_width(ctx, again), bh), again, self.search,
                    enabled=not self.searching)
        left_free = (pg.x, ly + bh + m.pad * 2)
        # right: typed by hand, the pseudonym, the notice
        x = pg.x + pg.width // 2 + m.pad * 2
        self.form_x, self.form_w = x, col
        ry = y
        self.labels = []
        self.entries = {}
        for key in ("address", "code", "pseudonym"):
            text = self.t("class.join.pseudonym") if key == "pseudonym" else self.t(f"ui.classe.join.{key}")
            self.labels.append((text, (x, ry)))
            ry += ctx.font("body").get_linesize() + m.pad // 4
            e = pygame_gui.elements.UITextEntryLine(pygame.Rect(x, ry, col, bh), self.manager,
                                                    placeholder_text=self.t(f"ui.classe.join.{key}_example"))
            e.set_text_length_limit({"address": 200, "code": 12, "pseudonym": 32}[key])
            e.set_text(self.values[key])
            self.entries[key] = e
            ry += bh + m.pad
        self.privacy = ctx.text(self.t("class.join.privacy"), "small", "text_muted", col)
        self.privacy_pos = (x, ry)
        ry += self.privacy.get_height() + m.pad
        label = self.t("ui.classe.join.connecting") if self.connecting else self.t("class.join.submit")
        self.submit_button = self.button(pygame.Rect(x, ry, max(button_width(ctx, label, style="bold"), m.px(200)), bh),
                                         label, self.submit, object_id="#primary", enabled=not self.connecting)
        self.error_pos = (x, ry + bh + m.pad)
        if self.error and self.error_pos[1] + ctx.text(self.error, "body", "negative", col).get_height() > ctx.size[1]:
            self.error_pos = left_free  # large text on a small screen: where there is room, still in sight
        if not self.found and not self.connecting and self.focus < 0:
            # nothing to pick on the network: the keyboard goes to the first field left empty
            self.type_in(next((k for k, v in self.values.items() if not v.strip()), "pseudonym"))

    # ---- events ------------------------------------------------------------------------
    def handle(self, event):
        if event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and \
                getattr(event, "ui_element", None) in self.entries.values():  # Enter in a field
            return self.submit()
        if event.type == pygame.KEYDOWN and any(e.is_focused for e in self.entries.values()):
            if event.key == pygame.K_ESCAPE:  # leave the fields: Tab and arrows then go over the buttons
                self.manager.set_focus_set(None)
                self.focus = len(self.focusables) - 1
                return None
            if event.key == pygame.K_TAB:
                self._next_field(-1 if event.mod & pygame.KMOD_SHIFT else 1)
            return None  # typing is for the field
        if event.type == pygame.KEYDOWN and event.key == pygame.K_TAB and not event.mod & pygame.KMOD_SHIFT \
                and self.focusables and self.focus == len(self.focusables) - 1:
            self.type_in("address")  # after the last button, the fields
            return None
        return super().handle(event)

    def _next_field(self, step: int) -> None:
        order = list(self.entries.values())
        now = next(i for i, e in enumerate(order) if e.is_focused)
        self.type_in(list(self.entries)[(now + step) % len(order)])

    def type_in(self, key: str) -> None:
        """Give the keyboard to the field `key` (address, code, pseudonym)."""
        self.manager.set_focus_set(self.entries[key])
        self.focus = -1
        self.dirty = True

    def handle_key(self, event):
        if event.key == pygame.K_ESCAPE:
            return Pop()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        surface.fill(ctx.colour("bg"))
        surface.blit(ctx.text(self.t("ui.classe.join.title"), "h2", "heading", style="bold"), self.head_pos)
        surface.blit(ctx.text(self.t("ui.classe.join.lan"), "h3", "heading", style="bold"), self.lan_pos)
        note = self.search_note if not self.searching else self.t("ui.classe.join.searching")
        if note or not self.found:
            surface.blit(ctx.text(note or self.t("ui.classe.join.searching"), "body", "text_muted", self.form_w),
                         self.note_pos)
        for text, pos in self.labels:
            surface.blit(ctx.text(text, "body", "text", self.form_w), pos)
        surface.blit(self.privacy, self.privacy_pos)
        if self.error:
            surface.blit(ctx.text(self.error, "body", "negative", self.form_w), self.error_pos)


__all__ = ["ClassController", "ClassDebriefScene", "ClassPlayScene", "DiscoveryUnavailable", "JoinRefused",
           "JoinScene", "Joined", "OutboxWorker", "join_session", "lan_browse", "open_class_play", "parse_address"]
