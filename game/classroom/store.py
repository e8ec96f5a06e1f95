"""The classroom store: one SQLite file in WAL mode in the user's data folder.

Every write is committed with `synchronous=FULL` before the caller
acknowledges anything: an acknowledged choice survives a crash of the host
(SIGKILL) or of the machine. A playthrough's standing choices are rows keyed
by (playthrough, seq), so a choice can never be stored twice.

Writes go through one writer thread with group commit: the writes that are
waiting when a transaction starts go into it together, and each one's future
is resolved only after that transaction's COMMIT returned (one fsync for all
of them instead of one each). A write that fails (a duplicate key) fails
alone: SQLite backs out the failing statement, not the transaction. The
callers never wait on the disk in the event loop: they await the future.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import sqlite3
import threading
import time
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

log = logging.getLogger(__name__)

#: At most this many writes in one transaction (bounds the time a batch holds the others back).
MAX_BATCH = 2000

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    trainer_token TEXT NOT NULL,
    scenario_id TEXT NOT NULL,
    scenario_name TEXT NOT NULL,
    scenario_sha256 TEXT NOT NULL,
    scenario_text TEXT NOT NULL,
    language TEXT NOT NULL,
    undo_allowed INTEGER NOT NULL,
    state TEXT NOT NULL,
    held_node TEXT,
    created REAL NOT NULL,
    revealed INTEGER NOT NULL DEFAULT 0,
    mode TEXT NOT NULL DEFAULT 'class'
);
CREATE TABLE IF NOT EXISTS participants (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    pseudonym TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    playthrough_id TEXT NOT NULL UNIQUE,
    seed INTEGER NOT NULL,
    joined REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS choices (
    playthrough_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    node TEXT NOT NULL,
    choice TEXT NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (playthrough_id, seq)
);
CREATE INDEX IF NOT EXISTS participants_session ON participants(session_id);
CREATE TABLE IF NOT EXISTS votes (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    seq INTEGER NOT NULL,
    node TEXT NOT NULL,
    counts TEXT NOT NULL,
    chosen TEXT NOT NULL,
    tie_break INTEGER NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (session_id, seq)
);
"""

#: Columns added to `sessions` after its first version, with their definitions: a store written by an
#: earlier version gains them when it is opened (ALTER TABLE appends them, in this order).
ADDED_COLUMNS = (("revealed", "INTEGER NOT NULL DEFAULT 0"), ("mode", "TEXT NOT NULL DEFAULT 'class'"))


def default_folder() -> Path:
    """`$PANDORE_HOME/data`, else the platformdirs data folder."""
    home = os.environ.get("PANDORE_HOME")
    if home:
        return Path(home) / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir("pandore", appauthor=False))


def default_path() -> Path:
    return default_folder() / "classroom.sqlite3"


@dataclass(frozen=True)
class SessionRow:
    id: str
    code: str
    trainer_token: str
    scenario_id: str
    scenario_name: str
    scenario_sha256: str
    scenario_text: str
    language: str
    undo_allowed: bool
    state: str  # running | paused | held | ended
    held_node: str | None
    created: float
    #: While the class is held at `held_node`: whether the trainer has revealed that step's split.
    revealed: bool = False
    #: "class" (trainees join over the network) or "group" (one screen, the class votes).
    mode: str = "class"


@dataclass(frozen=True)
class ParticipantRow:
    id: str
    session_id: str
    pseudonym: str
    token: str
    playthrough_id: str
    seed: int
    joined: float


@dataclass(eq=False, slots=True)
class Write:
    """One write for the writer thread: `apply(db)` inside the batch's transaction; then, in the writer
    thread and before `future` is resolved, `on_done(None)` once committed or `on_done(error)` if not.
    `future` is a concurrent one, or an asyncio one of `loop` (resolved in that loop)."""

    apply: Callable[[sqlite3.Connection], Any]
    on_done: Callable[[BaseException | None], None] | None
    future: Any
    loop: asyncio.AbstractEventLoop | None


_STOP = object()


class Store:
    """The sessions kept on this machine. Thread-safe: one writer thread (group commit) and one reading
    connection behind a lock; WAL lets them work side by side."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = self._connect()
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(SCHEMA)
            have = {r[1] for r in self._db.execute("PRAGMA table_info(sessions)")}
            for name, definition in ADDED_COLUMNS:
                if name not in have:
                    self._db.execute(f"ALTER TABLE sessions ADD COLUMN {name} {definition}")
        self._wdb = self._connect()
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._closed = False
        self._writer = threading.Thread(target=self._write_loop, name="pandore-store-writer", daemon=True)
        self._writer.start()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        db.execute("PRAGMA synchronous=FULL")  # the commit is durable before the ack
        db.execute("PRAGMA foreign_keys=ON")
        return db

    def close(self) -> None:
        """Commit what is queued, stop the writer, close the files."""
        if not self._closed:
            self._closed = True
            self._queue.put(_STOP)
            self._writer.join(30)
        with self._lock:
            self._db.close()

    # the writer
    def submit(self, apply: Callable[[sqlite3.Connection], Any],
               on_done: Callable[[BaseException | None], None] | None = None,
               loop: asyncio.AbstractEventLoop | None = None):
        """Queue a write; the future holds `apply`'s result once it is committed, or its exception.
        `on_done` runs first, in the writer thread (see `Write`). Given `loop` (the running one; call from
        it), the future is an asyncio future of it, and a batch wakes that loop once, not once per write."""
        if loop is None:
            fut = Future()
            fut.set_running_or_notify_cancel()  # a waiter that goes away cannot cancel a write under way
        else:
            fut = loop.create_future()
        w = Write(apply, on_done, fut, loop)
        if self._closed:
            self._resolve([(w, sqlite3.ProgrammingError("the store is closed"), None)])
        else:
            self._queue.put(w)
        return fut

    def _write_loop(self) -> None:
        db = self._wdb
        stop = False
        while not stop:
            first = self._queue.get()
            if first is _STOP:
                break
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    w = self._queue.get_nowait()
                except queue.Empty:
                    break
                if w is _STOP:
                    stop = True
                    break
                batch.append(w)
            self._resolve(self._commit(db, batch))
        db.close()

    @staticmethod
    def _commit(db: sqlite3.Connection, batch: list[Write]) -> list[tuple[Write, BaseException | None, Any]]:
        """One transaction for the batch: each write's (error, value), known once COMMIT has returned."""
        outcomes = []
        try:
            db.execute("BEGIN IMMEDIATE")
            for w in batch:
                try:
                    outcomes.append((w, None, w.apply(db)))
                except sqlite3.Error as e:  # this statement is backed out; the others stand
                    outcomes.append((w, e, None))
            if not db.in_transaction:  # an error that rolled everything back (disk full, I/O)
                raise sqlite3.OperationalError("the transaction was rolled back")
            db.execute("COMMIT")
        except BaseException as e:  # noqa: BLE001  (nothing of this batch is committed: all fail)
            if db.in_transaction:
                try:
                    db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            return [(w, e, None) for w in batch]
        return outcomes

    @staticmethod
    def _resolve(outcomes) -> None:
        by_loop: dict[Any, list] = {}
        for w, error, value in outcomes:
            if w.on_done is not None:
                try:
                    w.on_done(error)
                except Exception:  # noqa: BLE001  (the caller is still told the outcome)
                    log.exception("a write's completion step failed")
            if w.loop is None:
                if error is None:
                    w.future.set_result(value)
                else:
                    w.future.set_exception(error)
            else:
                by_loop.setdefault(w.loop, []).append((w.future, error, value))
        for loop, items in by_loop.items():
            try:
                loop.call_soon_threadsafe(_settle, items)
            except RuntimeError:  # that loop is closed: nobody is waiting any more
                pass

    def _write(self, sql: str, params=()) -> None:
        self.submit(_statement(sql, params)).result()

    def _write_many(self, statements: list[tuple[str, tuple]]) -> None:
        """Several statements that stand or fall together (a savepoint inside the batch)."""
        def apply(db):
            with savepoint(db, "many"):
                for sql, params in statements:
                    db.execute(sql, params)

        self.submit(apply).result()

    def _rows(self, sql: str, params=()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # sessions
    def add_session(self, row: SessionRow) -> None:
        self._write("INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (row.id, row.code, row.trainer_token, row.scenario_id, row.scenario_name, row.scenario_sha256,
                     row.scenario_text, row.language, int(row.undo_allowed), row.state, row.held_node, row.created,
                     int(row.revealed), row.mode))

    def session(self, id_or_code: str) -> SessionRow | None:
        rows = self._rows("SELECT * FROM sessions WHERE id = ? OR code = ? ORDER BY created DESC LIMIT 1",
                          (id_or_code, id_or_code.upper()))
        return _session(rows[0]) if rows else None

    def sessions(self) -> list[SessionRow]:
        return [_session(r) for r in self._rows("SELECT * FROM sessions ORDER BY created")]

    def set_control(self, session_id: str, state: str, held_node: str | None, undo_allowed: bool,
                    on_done=None, loop=None, also=None, revealed: bool = False):
        return self.submit(_statement(
            "UPDATE sessions SET state = ?, held_node = ?, undo_allowed = ?, revealed = ? WHERE id = ?",
            (state, held_node, int(undo_allowed), int(revealed), session_id), also), on_done, loop)

    def sessions_before(self, when: float) -> list[SessionRow]:
        """The sessions created before `when` (a time.time() value), oldest first."""
        return [_session(r) for r in self._rows("SELECT * FROM sessions WHERE created < ? ORDER BY created", (when,))]

    def delete_session(self, session_id: str) -> None:
        self._write_many([
            ("DELETE FROM choices WHERE playthrough_id IN "
             "(SELECT playthrough_id FROM participants WHERE session_id = ?)", (session_id,)),
            ("DELETE FROM participants WHERE session_id = ?", (session_id,)),
            ("DELETE FROM votes WHERE session_id = ?", (session_id,)),
            ("DELETE FROM sessions WHERE id = ?", (session_id,))])

    def counts(self, session_id: str) -> tuple[int, int]:
        """(participants, standing choices) of a session."""
        p = self._rows("SELECT count(*) FROM participants WHERE session_id = ?", (session_id,))[0][0]
        c = self._rows("SELECT count(*) FROM choices WHERE playthrough_id IN "
                       "(SELECT playthrough_id FROM participants WHERE session_id = ?)", (session_id,))[0][0]
        return p, c

    # participants and choices
    def add_participant(self, row: ParticipantRow, on_done=None, loop=None, also=None):
        return self.submit(_statement(
            "INSERT INTO participants VALUES (?,?,?,?,?,?,?)",
            (row.id, row.session_id, row.pseudonym, row.token, row.playthrough_id, row.seed, row.joined), also),
            on_done, loop)

    def participants(self, session_id: str) -> list[ParticipantRow]:
        return [ParticipantRow(*r) for r in
                self._rows("SELECT * FROM participants WHERE session_id = ? ORDER BY joined, id", (session_id,))]

    def choices(self, playthrough_id: str) -> list[tuple[int, str, str, float]]:
        """(seq, node, choice, at) of the standing choices, in order."""
        return self._rows("SELECT seq, node, choice, at FROM choices WHERE playthrough_id = ? ORDER BY seq",
                          (playthrough_id,))

    def all_choices(self, session_id: str) -> dict[str, list[tuple[int, str, str, float]]]:
        out: dict[str, list] = {}
        for pid, seq, node, choice, at in self._rows(
                "SELECT c.playthrough_id, c.seq, c.node, c.choice, c.at FROM choices c JOIN participants p "
                "ON p.playthrough_id = c.playthrough_id WHERE p.session_id = ? ORDER BY c.playthrough_id, c.seq",
                (session_id,)):
            out.setdefault(pid, []).append((seq, node, choice, at))
        return out

    def add_choice(self, playthrough_id: str, seq: int, node: str, choice: str, on_done=None, loop=None,
                   also=None):
        """Queue one choice; the future fails with sqlite3.IntegrityError when this seq is already stored."""
        params = (playthrough_id, seq, node, choice, time.time())
        return self.submit(_statement("INSERT INTO choices VALUES (?,?,?,?,?)", params, also), on_done, loop)

    def remove_choice(self, playthrough_id: str, seq: int, on_done=None, loop=None, also=None):
        return self.submit(_statement("DELETE FROM choices WHERE playthrough_id = ? AND seq = ?",
                                      (playthrough_id, seq), also), on_done, loop)


    # group mode: the class's vote at each step (the choice it made is in `choices`, as for a trainee)
    def vote_statement(self, session_id: str, seq: int, node: str, counts: dict[str, int], chosen: str,
                       tie_break: bool) -> Callable[[sqlite3.Connection], None]:
        """`apply(db)` recording the vote at `seq`, for the write of the choice it made (`also`)."""
        import json

        params = (session_id, seq, node, json.dumps(counts, ensure_ascii=False, separators=(",", ":")), chosen,
                  int(tie_break), time.time())
        return lambda db: db.execute("INSERT OR REPLACE INTO votes VALUES (?,?,?,?,?,?,?)", params)

    def unvote_statement(self, session_id: str, seq: int) -> Callable[[sqlite3.Connection], None]:
        return lambda db: db.execute("DELETE FROM votes WHERE session_id = ? AND seq = ?", (session_id, seq))

    def votes(self, session_id: str) -> list[tuple[int, str, dict[str, int], str, bool, float]]:
        """(seq, node, counts, chosen, tie_break, at) of each standing vote, in order."""
        import json

        return [(seq, node, json.loads(counts), chosen, bool(tie), at) for seq, node, counts, chosen, tie, at in
                self._rows("SELECT seq, node, counts, chosen, tie_break, at FROM votes WHERE session_id = ? "
                           "ORDER BY seq", (session_id,))]


def _settle(items) -> None:
    """In the event loop: resolve a batch's asyncio futures (those whose waiter went away are skipped)."""
    for fut, error, value in items:
        if fut.done():
            continue
        if error is None:
            fut.set_result(value)
        else:
            fut.set_exception(error)


@contextmanager
def savepoint(db: sqlite3.Connection, name: str):
    """What runs inside stands or falls together, within the caller's transaction."""
    db.execute(f"SAVEPOINT {name}")
    try:
        yield db
    except BaseException:
        db.execute(f"ROLLBACK TO {name}")
        db.execute(f"RELEASE {name}")
        raise
    db.execute(f"RELEASE {name}")


def _statement(sql: str, params=(), also: Callable[[sqlite3.Connection], Any] | None = None
               ) -> Callable[[sqlite3.Connection], None]:
    """One statement for a batch; `also(db)` (the xAPI statements that record it, game/classroom/xapi.py)
    stands or falls with it, in a savepoint of the batch's transaction."""
    if also is None:
        def apply(db: sqlite3.Connection) -> None:
            db.execute(sql, params)

        return apply

    def apply_also(db: sqlite3.Connection) -> None:
        with savepoint(db, "one"):
            db.execute(sql, params)
            also(db)

    return apply_also


def _session(r: tuple) -> SessionRow:
    r = list(r)
    r[8] = bool(r[8])
    r[12] = bool(r[12])
    return SessionRow(*r)
