"""A classroom session: the authoritative playthroughs and the rules of the API, without HTTP.

The host holds each trainee's playthrough (scenario + seed + choice log) and
applies every choice with one shared, compiled `Rules` before committing it;
only then is it acknowledged. Refusals are `ApiError` values carrying the
status and the JSON body of DESIGN.md's table; the HTTP layer only sends them.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import threading
import time
import unicodedata
import uuid
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from game.authoring.loader import load_text
from game.engine import Playthrough, Rejected, Rules

from . import xapi
from .store import ParticipantRow, SessionRow, Store

#: Unambiguous capitals and digits (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
PSEUDONYM_MAX = 32
#: The trainer's controls (`POST /control`). `reveal` and `hide` (an extension of DESIGN.md's list, see
#: docs/classroom.md) show or hide the split of the step the class is held at: hidden when the hold begins.
ACTIONS = ("pause", "resume", "hold", "reveal", "hide", "release", "allow_undo", "forbid_undo", "end")
MODES = ("class", "group")


class ApiError(Exception):
    """A refusal for the client: HTTP status, a stable code, a message, extra fields."""

    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra

    def body(self) -> dict:
        return {"error": self.code, "message": self.message, **self.extra}


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def check_pseudonym(value: object) -> str:
    """A pseudonym of 1-32 printable characters (spaces trimmed); ApiError 422 otherwise."""
    if not isinstance(value, str):
        raise ApiError(422, "invalid", "pseudonym must be a string of 1 to 32 characters")
    value = value.strip()
    if not 1 <= len(value) <= PSEUDONYM_MAX:
        raise ApiError(422, "invalid_pseudonym", f"a pseudonym has 1 to {PSEUDONYM_MAX} characters")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") for c in value):
        raise ApiError(422, "invalid_pseudonym", "a pseudonym cannot hold control or invisible characters")
    return value


def state_body(pt: Playthrough, seq: int | None = None) -> dict:
    """The state after choice `seq` (default: the last): {seq, node, ending, gauges, variables}."""
    seq = len(pt.choices) if seq is None else seq
    st = pt.states[seq]
    return {"seq": seq, "node": st.node, "ending": st.ending, "gauges": st.gauges, "variables": st.variables}


@dataclass
class Player:
    row: ParticipantRow
    pt: Playthrough
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: The write of this player's last choice or undo while it is being committed: the next one waits for it.
    pending: Future | None = None
    #: When the trainee said they leave (`POST /leave`); they may come back with the same token.
    left_at: float | None = None


#: What an attempt at a write answers: ("done", answer) at once; ("wait", future) for this player's
#: write under way, then try again; ("commit", future, answer) once the future says it is committed.
Attempt = tuple


def _run(attempt: Callable[..., Attempt]) -> Any:
    """Drive an attempt from a plain thread (blocking until committed)."""
    while True:
        step = attempt(None)
        if step[0] == "done":
            return step[1]
        if step[0] == "wait":
            pending = step[1]
            if isinstance(pending, Future):
                try:
                    pending.result()
                except Exception:  # noqa: BLE001  (its own caller is told; this one tries again)
                    pass
            while not pending.done():  # another thread's event loop resolves it
                time.sleep(0.002)
            continue
        step[1].result()
        return step[2]


async def _run_async(attempt: Callable[..., Attempt]) -> Any:
    """Drive an attempt from the event loop: the disk is awaited, never waited on."""
    loop = asyncio.get_running_loop()
    while True:
        step = attempt(loop)
        if step[0] == "done":
            return step[1]
        if step[0] == "wait":
            pending = step[1]
            if isinstance(pending, asyncio.Future) and pending.get_loop() is loop:
                await asyncio.wait([pending])  # never cancels it, whatever becomes of this request
            while not pending.done():  # a plain thread's write
                await asyncio.sleep(0.002)
            continue
        await step[1]
        return step[2]


class ClassSession:
    """One session of one scenario, backed by the store. Thread-safe."""

    def __init__(self, store: Store, row: SessionRow, rules: Rules):
        self.store, self.row, self.rules = store, row, rules
        self.state, self.held_node, self.undo_allowed = row.state, row.held_node, row.undo_allowed
        self.revealed = row.revealed
        self._lock = threading.Lock()
        self._version_lock = threading.Lock()
        self._by_token: dict[str, Player] = {}
        self._by_pt: dict[str, Player] = {}
        self.version = 0  # bumped at every change (the /stream)
        self.listeners: list = []  # callables run after every change
        choices = store.all_choices(row.id)
        for p in store.participants(row.id):
            pt = Playthrough.start(rules, p.seed)
            for _seq, _node, choice, _at in choices.get(p.playthrough_id, []):
                nxt = pt.choose(choice)
                if isinstance(nxt, Rejected):  # the stored scenario text is the one played: cannot happen
                    raise RuntimeError(f"stored choice {choice!r} refused on replay: {nxt.reason}")
                pt = nxt
            self._add(Player(p, pt))

    # creating and opening
    @classmethod
    def create(cls, store: Store, scenario_path: Path, undo_allowed: bool = True, mode: str = "class"
               ) -> "ClassSession":
        """A new session of the scenario file at `scenario_path` (ValueError if it does not load).
        `mode` "group": one screen, the class votes at each step (`vote`)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        raw = Path(scenario_path).read_bytes()
        text = raw.decode("utf-8-sig")
        rules = _compile(text, str(scenario_path))
        taken = {s.code for s in store.sessions()}
        code = new_code()
        while code in taken:
            code = new_code()
        row = SessionRow(id=uuid.uuid4().hex[:12], code=code, trainer_token=secrets.token_urlsafe(24),
                         scenario_id=rules.scenario.id, scenario_name=str(scenario_path),
                         scenario_sha256=hashlib.sha256(raw).hexdigest(), scenario_text=text,
                         language=rules.scenario.language, undo_allowed=undo_allowed, state="running",
                         held_node=None, created=time.time(), mode=mode)
        store.add_session(row)
        return cls(store, row, rules)

    @classmethod
    def open(cls, store: Store, id_or_code: str) -> "ClassSession | None":
        """The stored session (same code and tokens), its playthroughs replayed; None if unknown."""
        row = store.session(id_or_code)
        if row is None:
            return None
        return cls(store, row, _compile(row.scenario_text, row.scenario_name))

    def _add(self, p: Player) -> None:
        self._by_token[p.row.token] = p
        self._by_pt[p.row.playthrough_id] = p

    def _changed(self) -> None:
        with self._version_lock:
            self.version += 1
        for f in list(self.listeners):
            f()

    @property
    def players(self) -> list[Player]:
        with self._lock:
            return list(self._by_pt.values())

    # who is asking
    def is_trainer(self, token: str | None) -> bool:
        return token is not None and secrets.compare_digest(token, self.row.trainer_token)

    def player(self, token: str | None) -> Player | None:
        p = self._by_token.get(token) if token else None
        if p is not None:
            xapi.seen(p)  # the heartbeat (`abandoned` when it stops)
            p.left_at = None  # back after leaving
        return p

    def leave(self, p: Player) -> None:
        """The trainee says they leave: shown as such in the class view; nothing of theirs is dropped."""
        p.left_at = time.time()
        self._changed()

    def participant(self, token: str | None) -> Player:
        """The participant with this token; ApiError 401 (none, wrong) or 403 (the trainer's)."""
        if not token:
            raise ApiError(401, "unauthorized", "a participant token is required (Authorization: Bearer <token>)")
        p = self.player(token)
        if p is None:
            if self.is_trainer(token):
                raise ApiError(403, "forbidden", "this route is for participants, not the trainer")
            raise ApiError(401, "unauthorized", "unknown token")
        return p

    def trainer(self, token: str | None) -> None:
        if not token:
            raise ApiError(401, "unauthorized", "the trainer token is required (Authorization: Bearer <token>)")
        if self.is_trainer(token):
            return
        if self.player(token) is not None:
            raise ApiError(403, "forbidden", "this route is for the trainer")
        raise ApiError(401, "unauthorized", "unknown token")

    # the routes' rules: each is an attempt (see `Attempt`), driven by a blocking method for plain threads
    # and an `_async` one for the event loop; state changes only once the store has committed them.
    def _join(self, pseudonym: object, loop=None, seed: int | None = None) -> Attempt:
        name = check_pseudonym(pseudonym)
        if self.state == "ended":
            raise ApiError(423, "ended", "the session has ended")
        row = ParticipantRow(id=uuid.uuid4().hex[:12], session_id=self.row.id, pseudonym=name,
                             token=secrets.token_urlsafe(24), playthrough_id=uuid.uuid4().hex[:12],
                             seed=secrets.randbelow(1_000_000_000) if seed is None else seed, joined=time.time())
        p = Player(row, Playthrough.start(self.rules, row.seed))

        def done(error):
            if error is None:
                with self._lock:
                    self._add(p)
                self._changed()

        return "commit", self.store.add_participant(row, done, loop, also=xapi.joined(self, row)), p

    def join(self, pseudonym: object, seed: int | None = None) -> Player:
        """A new participant (`seed`: their playthrough's, e.g. group mode's `--seed`; random otherwise)."""
        return _run(lambda loop: self._join(pseudonym, loop, seed))

    async def join_async(self, pseudonym: object) -> Player:
        return await _run_async(lambda loop: self._join(pseudonym, loop))

    def _own(self, p: Player, playthrough_id: object) -> None:
        if not isinstance(playthrough_id, str):
            raise ApiError(422, "invalid", "playthrough_id must be a string")
        if playthrough_id != p.row.playthrough_id:
            raise ApiError(404, "unknown_playthrough", "no such playthrough for this participant")

    def _settle(self, p: Player, nxt: Playthrough):
        """The completion of a player's write: the new playthrough once committed; the way clear either way."""
        def done(error):
            with p.lock:
                if error is None:
                    p.pt = nxt
                p.pending = None
            if error is None:
                self._changed()

        return done

    def _choose(self, p: Player, playthrough_id: object, seq: object, choice: object, loop=None,
                vote: tuple[dict[str, int], bool] | None = None) -> Attempt:
        self._own(p, playthrough_id)
        if type(seq) is not int or seq < 1:
            raise ApiError(422, "invalid", "seq must be an integer >= 1")
        if not isinstance(choice, str) or not choice or len(choice) > 200:
            raise ApiError(422, "invalid", "choice must be a choice id")
        with p.lock:
            if p.pending is not None:
                return "wait", p.pending
            pt = p.pt
            done = len(pt.choices)
            if seq <= done:
                if pt.choices[seq - 1] == choice:
                    return "done", (200, state_body(pt, seq))
                raise ApiError(409, "expected_seq", f"choice {seq} is already recorded; the next is {done + 1}",
                               expected_seq=done + 1)
            if seq != done + 1:
                raise ApiError(409, "expected_seq", f"the next choice is number {done + 1}", expected_seq=done + 1)
            if self.state == "ended":
                raise ApiError(423, "ended", "the session has ended")
            if self.state == "paused":
                raise ApiError(423, "paused", "the trainer has paused the session")
            if self.held_node is not None and pt.state.node == self.held_node:
                raise ApiError(423, "held", "the trainer holds the class at this step", node=self.held_node)
            nxt = pt.choose(choice)
            if isinstance(nxt, Rejected):
                code = nxt.code if nxt.code in ("unknown", "hidden", "unavailable", "finished") else "unknown"
                raise ApiError(422, "choice_refused", nxt.reason, reason=code)
            also = xapi.chosen(self, p, seq, pt.state.node, choice, nxt)
            if vote is not None:  # group mode: the vote stands or falls with the choice it made
                also = _both(also, self.store.vote_statement(self.row.id, seq, pt.state.node, vote[0], choice,
                                                             vote[1]))
            # acknowledged only once committed: the answer is given when this future is resolved
            p.pending = self.store.add_choice(p.row.playthrough_id, seq, pt.state.node, choice,
                                              self._settle(p, nxt), loop, also=also)
            return "commit", p.pending, (201, state_body(nxt))

    def choose(self, p: Player, playthrough_id: object, seq: object, choice: object) -> tuple[int, dict]:
        """Apply and commit one choice: (201, state) new, (200, state) already recorded; ApiError otherwise."""
        return _run(lambda loop: self._choose(p, playthrough_id, seq, choice, loop))

    async def choose_async(self, p: Player, playthrough_id: object, seq: object, choice: object) -> tuple[int, dict]:
        return await _run_async(lambda loop: self._choose(p, playthrough_id, seq, choice, loop))

    def vote(self, p: Player, seq: int, counts: dict[str, int], choice: str, tie_break: bool = False
             ) -> tuple[int, dict]:
        """Group mode: the class voted `counts` (choice id -> raised hands) at step `seq` and `choice`
        proceeds (the majority, or the trainer's pick among the tied ones when `tie_break`): the choice and
        its vote are committed together. ApiError as `choose`, 422 for counts that are not whole numbers."""
        if not isinstance(counts, dict) or not all(isinstance(k, str) and type(v) is int and v >= 0
                                                   for k, v in counts.items()):
            raise ApiError(422, "invalid", "counts must map choice ids to whole numbers >= 0")
        return _run(lambda loop: self._choose(p, p.row.playthrough_id, seq, choice, loop,
                                              vote=(dict(counts), bool(tie_break))))

    def votes(self) -> list[tuple[int, str, dict[str, int], str, bool, float]]:
        """Group mode: the standing votes, (seq, node, counts, chosen, tie_break, at) in order."""
        return self.store.votes(self.row.id)

    def _undo(self, p: Player, playthrough_id: object, seq: object, loop=None) -> Attempt:
        self._own(p, playthrough_id)
        if type(seq) is not int or seq < 1:
            raise ApiError(422, "invalid", "seq must be an integer >= 1 (the last choice's)")
        if not self.undo_allowed:
            raise ApiError(403, "undo_forbidden", "the trainer does not allow undo in this session")
        with p.lock:
            if p.pending is not None:
                return "wait", p.pending
            done = len(p.pt.choices)
            if seq != done:
                raise ApiError(409, "expected_seq", f"only the last choice ({done}) can be undone",
                               expected_seq=done)
            if self.state == "ended":
                raise ApiError(423, "ended", "the session has ended")
            nxt = p.pt.undo()
            also = xapi.undone(self, p, seq)
            if self.row.mode == "group":
                also = _both(also, self.store.unvote_statement(self.row.id, seq))
            p.pending = self.store.remove_choice(p.row.playthrough_id, seq, self._settle(p, nxt), loop, also=also)
            return "commit", p.pending, state_body(nxt)

    def undo(self, p: Player, playthrough_id: object, seq: object) -> dict:
        return _run(lambda loop: self._undo(p, playthrough_id, seq, loop))

    async def undo_async(self, p: Player, playthrough_id: object, seq: object) -> dict:
        return await _run_async(lambda loop: self._undo(p, playthrough_id, seq, loop))

    def _control(self, action: object, node: object = None, loop=None) -> Attempt:
        if action not in ACTIONS:
            raise ApiError(422, "invalid", f"action must be one of {', '.join(ACTIONS)}")
        with self._lock:
            if self.state == "ended" and action != "end":
                raise ApiError(423, "ended", "the session has ended")
            state, held, undo, revealed = self.state, self.held_node, self.undo_allowed, self.revealed
            if action == "pause":
                state = "paused"
            elif action == "resume":
                state = "held" if held else "running"
            elif action == "hold":
                if not isinstance(node, str) or node not in self.rules.scenario.nodes:
                    raise ApiError(422, "invalid", "hold needs the id of a node of the scenario in 'node'")
                state, held, revealed = ("paused" if state == "paused" else "held"), node, False
            elif action in ("reveal", "hide"):
                if held is None:
                    raise ApiError(409, "not_held", "the class is not held at a step: there is no split to "
                                   + action)
                revealed = action == "reveal"
            elif action == "release":
                held, revealed = None, False
                state = "paused" if state == "paused" else "running"
            elif action == "allow_undo":
                undo = True
            elif action == "forbid_undo":
                undo = False
            elif action == "end":
                state, held, revealed = "ended", None, False

        def done(error):
            if error is None:
                self.state, self.held_node, self.undo_allowed, self.revealed = state, held, undo, revealed
                self._changed()

        fut = self.store.set_control(self.row.id, state, held, undo, done, loop,
                                     also=xapi.ended(self) if action == "end" and self.state != "ended" else None,
                                     revealed=revealed)
        return "commit", fut, {"state": state, "node": held, "undo": undo, "revealed": revealed}

    def control(self, action: object, node: object = None) -> dict:
        return _run(lambda loop: self._control(action, node, loop))

    async def control_async(self, action: object, node: object = None) -> dict:
        return await _run_async(lambda loop: self._control(action, node, loop))

    def control_body(self) -> dict:
        return {"state": self.state, "node": self.held_node, "undo": self.undo_allowed, "revealed": self.revealed}

    def summary(self) -> dict:
        return summary_of(self.rules, [(p.pt, p.row) for p in self.players])


def summary_of(rules: Rules, playthroughs) -> dict:
    """DESIGN.md's summary over (playthrough, participant row) pairs: standing choices only."""
    at: dict[str, int] = {}
    choices: dict[str, dict[str, int]] = {}
    endings: dict[str, int] = {}
    made = 0
    for pt, _row in playthroughs:
        for st, ch in zip(pt.states, pt.choices):
            by = choices.setdefault(st.node, {})
            by[ch] = by.get(ch, 0) + 1
            made += 1
        if pt.state.ending is not None:
            endings[pt.state.ending] = endings.get(pt.state.ending, 0) + 1
        else:
            at[pt.state.node] = at.get(pt.state.node, 0) + 1
    return {"participants": len(playthroughs), "choices_made": made, "at": at, "choices": choices,
            "endings": endings}


def _both(first, second):
    """Two `apply(db)` steps as one (each may be None)."""
    if first is None or second is None:
        return first or second

    def apply(db) -> None:
        first(db)
        second(db)

    return apply


def _compile(text: str, name: str) -> Rules:
    loaded = load_text(text, name)
    if not loaded.ok:
        raise ValueError("; ".join(d.format() if hasattr(d, "format") else str(d) for d in loaded.diagnostics[:3]))
    return loaded.rules or Rules.compile(loaded.scenario)
