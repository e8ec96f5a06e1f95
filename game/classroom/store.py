"""The classroom store: one SQLite file in WAL mode in the user's data folder.

Every write is one transaction, committed with `synchronous=FULL` before the
caller acknowledges anything: an acknowledged choice survives a crash of the
host (SIGKILL) or of the machine. A playthrough's standing choices are rows
keyed by (playthrough, seq), so a choice can never be stored twice.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

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
    created REAL NOT NULL
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
"""


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


@dataclass(frozen=True)
class ParticipantRow:
    id: str
    session_id: str
    pseudonym: str
    token: str
    playthrough_id: str
    seed: int
    joined: float


class Store:
    """The sessions kept on this machine. Thread-safe (one connection behind a lock)."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")  # the commit is durable before the ack
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _write(self, sql: str, params=(), also=None) -> None:
        """One statement in one transaction; `also(db)`, when given, runs in the same transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(sql, params)
                if also is not None:
                    also(self._db)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _rows(self, sql: str, params=()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # sessions
    def add_session(self, row: SessionRow) -> None:
        self._write("INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (row.id, row.code, row.trainer_token, row.scenario_id, row.scenario_name, row.scenario_sha256,
                     row.scenario_text, row.language, int(row.undo_allowed), row.state, row.held_node, row.created))

    def session(self, id_or_code: str) -> SessionRow | None:
        rows = self._rows("SELECT * FROM sessions WHERE id = ? OR code = ? ORDER BY created DESC LIMIT 1",
                          (id_or_code, id_or_code.upper()))
        return _session(rows[0]) if rows else None

    def sessions(self) -> list[SessionRow]:
        return [_session(r) for r in self._rows("SELECT * FROM sessions ORDER BY created")]

    def set_control(self, session_id: str, state: str, held_node: str | None, undo_allowed: bool,
                    also=None) -> None:
        self._write("UPDATE sessions SET state = ?, held_node = ?, undo_allowed = ? WHERE id = ?",
                    (state, held_node, int(undo_allowed), session_id), also)

    def delete_session(self, session_id: str) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("DELETE FROM choices WHERE playthrough_id IN "
                                 "(SELECT playthrough_id FROM participants WHERE session_id = ?)", (session_id,))
                self._db.execute("DELETE FROM participants WHERE session_id = ?", (session_id,))
                self._db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def counts(self, session_id: str) -> tuple[int, int]:
        """(participants, standing choices) of a session."""
        p = self._rows("SELECT count(*) FROM participants WHERE session_id = ?", (session_id,))[0][0]
        c = self._rows("SELECT count(*) FROM choices WHERE playthrough_id IN "
                       "(SELECT playthrough_id FROM participants WHERE session_id = ?)", (session_id,))[0][0]
        return p, c

    # participants and choices
    def add_participant(self, row: ParticipantRow, also=None) -> None:
        self._write("INSERT INTO participants VALUES (?,?,?,?,?,?,?)",
                    (row.id, row.session_id, row.pseudonym, row.token, row.playthrough_id, row.seed, row.joined), also)

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

    def add_choice(self, playthrough_id: str, seq: int, node: str, choice: str, also=None) -> None:
        """Commit one choice; raises sqlite3.IntegrityError when this seq is already stored."""
        self._write("INSERT INTO choices VALUES (?,?,?,?,?)", (playthrough_id, seq, node, choice, time.time()), also)

    def remove_choice(self, playthrough_id: str, seq: int, also=None) -> None:
        self._write("DELETE FROM choices WHERE playthrough_id = ? AND seq = ?", (playthrough_id, seq), also)


def _session(r: tuple) -> SessionRow:
    r = list(r)
    r[8] = bool(r[8])
    return SessionRow(*r)
