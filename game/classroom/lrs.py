"""Forwarding a session's xAPI statements to a Learning Record Store, from a queue in the store.

The queue is a table of the classroom store's own SQLite file, `xapi_facts`: a row is inserted in
the transaction that commits what it records (see `game.classroom.xapi`). The row is a compact
fact — playthrough, seq, verb, time, node, response, gauges, the actors' home page, and for a
statement made again after an undo its revision, for a voiding the verb and revision of what it
voids — with no statement in it: the statement (its deterministic id, its JSON body) is built
from the row when it is read, the same each time (`xapi.statement_of`). A unique key on
(playthrough, seq, verb, voids, revision) queues each statement once (`INSERT OR IGNORE`); the
revision is counted by the INSERT itself. Rows queued by an earlier version (the table
`xapi_statements`, a whole body per row) are carried over once when the file is opened, their
bodies kept. The `Forwarder`, a thread of the host, sends
the waiting ones in order, in batches of `BATCH` (50), to `{LRS}/statements` with
`X-Experience-API-Version: 1.0.3` and HTTP basic auth:

- 200 or 204: the batch is stored (an LRS answers 204 when it already had them all: a re-send
  after a lost answer changes nothing, the ids being the same);
- a transport error, a timeout, 429 or a 5xx: nothing is lost, the batch is sent again after a
  back-off (0.5 s, doubling, at most 30 s);
- 401 or 403: the credentials are refused; kept, retried with the same back-off, said once to
  the trainer;
- any other 4xx (a statement the LRS rejects, a conflict): the batch is sent again one statement
  at a time; those the LRS refuses are kept, `rejected`, with its answer, shown to the trainer
  (`GET {API}/xapi`) and never sent again by themselves.

The queue survives a restart of the host (`pandore host --resume`): waiting statements are sent
when it starts again. The same thread watches the heartbeats: a participant whose playthrough is
unfinished and who has not been heard from for `abandon_after` seconds gets an `abandoned`
statement.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .store import savepoint

SCHEMA = """
CREATE TABLE IF NOT EXISTS xapi_facts (
    n INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL,
    playthrough_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    verb TEXT NOT NULL,
    voids TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 0,
    at REAL NOT NULL,
    node TEXT,
    response TEXT,
    gauges TEXT,
    home TEXT NOT NULL,
    body TEXT,
    state TEXT NOT NULL DEFAULT 'waiting',
    tries INTEGER NOT NULL DEFAULT 0,
    answer TEXT,
    sent REAL,
    UNIQUE (playthrough_id, seq, verb, voids, revision)
);
CREATE INDEX IF NOT EXISTS xapi_facts_queue ON xapi_facts(session_id, state, n);
CREATE TABLE IF NOT EXISTS xapi_sessions (
    session_id TEXT PRIMARY KEY,
    home_page TEXT NOT NULL
);
"""

#: The table of an earlier version, a whole statement per row (`body`); carried over once into
#: `xapi_facts`, each row keeping its body, then dropped (see `_migrate`).
LEGACY_TABLE = "xapi_statements"

BATCH = 50
XAPI_VERSION = "1.0.3"
ABANDON_AFTER = 600.0  # seconds without a request from a trainee before `abandoned`
ANSWER_MAX = 2000  # characters of the LRS's answer kept with a rejected statement

#: Connections whose file has the tables, held (sqlite3 connections take no weak reference) so
#: that an id is never reused by another connection: a process opens only a few.
_READY: dict[int, sqlite3.Connection] = {}


def ensure_schema(db: sqlite3.Connection) -> None:
    """Create the queue's tables in this connection's file once, and carry over the rows of an earlier
    version's table (safe inside a transaction: a savepoint)."""
    if _READY.get(id(db)) is db:
        return
    with savepoint(db, "xapi_schema"):
        for stmt in SCHEMA.split(";"):
            if stmt.strip():
                db.execute(stmt)
        if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (LEGACY_TABLE,)).fetchone():
            _migrate(db)
    _READY[id(db)] = db


def _migrate(db: sqlite3.Connection) -> None:
    """`xapi_statements` (one JSON body per row) into `xapi_facts`, in the same order, then dropped.

    Each row keeps its body (sent again, if it waits, exactly as it was built) and its state; its
    revision is its rank among the rows of the same (playthrough, seq, verb), as its id was made;
    a `voided` row's `voids` becomes the verb and revision of the statement it voids."""
    rows = db.execute(f"SELECT id, session_id, playthrough_id, seq, verb, voids, body, state, tries, answer, "
                      f"queued, sent FROM {LEGACY_TABLE} ORDER BY n").fetchall()
    seen: dict[tuple, int] = {}
    known: dict[str, tuple[str, int]] = {}  # statement id -> (verb, revision)
    out = []
    for sid, session_id, pt, seq, verb, voids, body, state, tries, answer, queued, sent in rows:
        if verb == "voided":
            vverb, rev = known.get(voids, ("", 0))
            vverb = vverb or f"id:{voids}"  # a statement of no row here: still unique, still voided once
        else:
            key = (pt, seq, verb)
            rev = seen[key] = seen.get(key, -1) + 1
            known[sid] = (verb, rev)
            vverb = ""
        out.append((session_id, pt, seq, verb, vverb, rev, queued, "", body, state, tries, answer, sent))
    db.executemany("INSERT OR IGNORE INTO xapi_facts (session_id, playthrough_id, seq, verb, voids, revision, at, "
                   "home, body, state, tries, answer, sent) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", out)
    db.execute(f"DROP TABLE {LEGACY_TABLE}")


# ---------------------------------------------------------------------------------------------
# the queue, inside the caller's transaction: one INSERT per statement, the unique key deciding
#
# A fact is (session, playthrough, seq, verb, at, node, response, gauges as JSON, home page).

_INSERT = ("INSERT OR IGNORE INTO xapi_facts (session_id, playthrough_id, seq, verb, at, node, response, gauges, "
           "home) VALUES (?,?,?,?,?,?,?,?,?)")
#: Its revision: how many statements of this verb the seq already has (each one an undone choice).
_INSERT_REVISED = ("INSERT OR IGNORE INTO xapi_facts (session_id, playthrough_id, seq, verb, at, node, response, "
                   "gauges, home, revision) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, count(*) FROM xapi_facts "
                   "WHERE playthrough_id = ?2 AND seq = ?3 AND verb = ?4")
#: Voids every selected/completed statement of the seq; the unique key skips those already voided.
_INSERT_VOIDS = ("INSERT OR IGNORE INTO xapi_facts (session_id, playthrough_id, seq, verb, voids, revision, at, home) "
                 "SELECT session_id, playthrough_id, seq, 'voided', verb, revision, ?3, ?4 FROM xapi_facts "
                 "WHERE playthrough_id = ?1 AND seq = ?2 AND verb IN ('selected', 'completed') ORDER BY n")
_INSERT_UNLESS_LEFT = (
    "INSERT OR IGNORE INTO xapi_facts (session_id, playthrough_id, seq, verb, at, node, response, gauges, home) "
    "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE NOT EXISTS "
    "(SELECT 1 FROM xapi_facts WHERE playthrough_id = ?2 AND verb = 'terminated')")


def record(db, fact: tuple) -> None:
    """Queue one fact (revision 0); one already queued (same playthrough, seq and verb) is ignored."""
    ensure_schema(db)
    db.execute(_INSERT, fact)


def record_revised(db, facts: list[tuple]) -> None:
    """Queue facts whose verb may recur at their seq (a choice made again after an undo).

    Revision 0 first, the unique key deciding: only when this seq already had one (an undone
    choice) is the revision counted (the revisions of a seq are 0, 1, 2... with no gap)."""
    ensure_schema(db)
    for fact in facts:
        if db.execute(_INSERT, fact).rowcount == 0:
            db.execute(_INSERT_REVISED, fact)


def record_voids(db, session_id: str, playthrough_id: str, seq: int, at: float, home: str) -> None:
    """Void the standing `selected` (and `completed`) statements of a seq."""
    ensure_schema(db)
    db.execute(_INSERT_VOIDS, (playthrough_id, seq, at, home))


def record_unless_left(db, fact: tuple) -> None:
    """Queue `terminated` or `abandoned` unless the playthrough already has a `terminated`."""
    ensure_schema(db)
    db.execute(_INSERT_UNLESS_LEFT, fact)


def has_left(db, playthrough_id: str) -> bool:
    ensure_schema(db)
    return db.execute("SELECT 1 FROM xapi_facts WHERE playthrough_id = ? AND verb = 'terminated' LIMIT 1",
                      (playthrough_id,)).fetchone() is not None


# ---------------------------------------------------------------------------------------------
# reading the queue: each fact as its statement

#: A queued fact with what its statement needs from its participant (id, time joined).
_FACTS = ("SELECT f.n, f.playthrough_id, f.seq, f.verb, f.voids, f.revision, f.at, f.node, f.response, f.gauges, "
          "f.body, f.home, p.id, p.joined FROM xapi_facts f JOIN participants p ON p.playthrough_id = f.playthrough_id ")


def _statements(rows, context_of: Callable[[str], object]) -> list[tuple[int, dict]]:
    """(n, statement) of rows of `_FACTS`; `context_of(home)` is the session's `xapi.Context`."""
    from . import xapi

    out = []
    for n, pt, seq, verb, voids, revision, at, node, response, gauges, body, home, pid, joined in rows:
        ctx = None if body is not None else context_of(home)
        out.append((n, xapi.statement_of(ctx, pid, joined, pt, seq, verb, voids, revision, at, node, response,
                                         gauges, body)))
    return out


def connect(path: Path | str) -> sqlite3.Connection:
    db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    ensure_schema(db)
    return db


def transaction(db: sqlite3.Connection, apply: Callable[[sqlite3.Connection], None]) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        apply(db)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def statements(path: Path | str, session_id: str) -> list[dict]:
    """Every statement queued for a session (sent, waiting or rejected), in the order queued."""
    from . import xapi

    db = connect(path)
    try:
        rows = db.execute(_FACTS + "WHERE f.session_id = ? ORDER BY f.n", (session_id,)).fetchall()
        return [stmt for _, stmt in _statements(rows, lambda home: xapi.context_of_store(db, session_id, home))]
    finally:
        db.close()


def purge(path: Path | str, session_id: str) -> None:
    """Delete a session's statements and its actors' home page (with the session itself)."""
    db = connect(path)
    try:
        transaction(db, lambda d: (d.execute("DELETE FROM xapi_facts WHERE session_id = ?", (session_id,)),
                                   d.execute("DELETE FROM xapi_sessions WHERE session_id = ?", (session_id,))))
    finally:
        db.close()


def counts(db: sqlite3.Connection, session_id: str) -> dict[str, int]:
    """{"waiting", "sent", "rejected"} of a session."""
    out = {"waiting": 0, "sent": 0, "rejected": 0}
    for state, n in db.execute("SELECT state, count(*) FROM xapi_facts WHERE session_id = ? GROUP BY state",
                               (session_id,)):
        out[state] = n
    return out


def home_page(db: sqlite3.Connection, session_id: str, configured: str | None, base_url: str) -> str:
    """The actors' homePage: the configured school IRI, else the base URL of the session's first host."""
    if configured:
        return configured
    row = db.execute("SELECT home_page FROM xapi_sessions WHERE session_id = ?", (session_id,)).fetchone()
    if row:
        return row[0]
    transaction(db, lambda d: d.execute("INSERT OR IGNORE INTO xapi_sessions VALUES (?, ?)", (session_id, base_url)))
    return db.execute("SELECT home_page FROM xapi_sessions WHERE session_id = ?", (session_id,)).fetchone()[0]


# ---------------------------------------------------------------------------------------------
# configuration: command line, then environment, then a TOML file

ENV_URL, ENV_USER, ENV_PASSWORD, ENV_HOME, ENV_CONFIG = (
    "PANDORE_LRS_URL", "PANDORE_LRS_USER", "PANDORE_LRS_PASSWORD", "PANDORE_LRS_HOME_PAGE", "PANDORE_LRS_CONFIG")


@dataclass(frozen=True)
class LrsConfig:
    url: str  # the xAPI endpoint (statements go to {url}/statements)
    user: str | None = None
    password: str | None = None
    home_page: str | None = None  # the school's IRI for the actors' accounts

    def __repr__(self) -> str:  # never print the password
        return f"LrsConfig(url={self.url!r}, user={self.user!r}, home_page={self.home_page!r})"


class ConfigError(ValueError):
    """A configuration that cannot be used: `key` is the message's catalogue key, `fields` its values."""

    def __init__(self, key: str, **fields):
        super().__init__(key)
        self.key, self.fields = key, fields


def resolve(url: str | None = None, user: str | None = None, password: str | None = None,
            config_file: str | None = None, home: str | None = None, env=None) -> LrsConfig | None:
    """The LRS to forward to (None: none configured). Each field: the command line, else the
    environment (PANDORE_LRS_URL, _USER, _PASSWORD, _HOME_PAGE), else the TOML file given by
    `config_file` or PANDORE_LRS_CONFIG (keys url, user, password, home_page)."""
    env = os.environ if env is None else env
    file_values: dict = {}
    path = config_file or env.get(ENV_CONFIG)
    if path:
        try:
            with open(path, "rb") as f:
                data = tomllib.load(f)
        except OSError as e:
            raise ConfigError("cli.lrs.config_unreadable", path=path, error=e.strerror or e) from None
        except tomllib.TOMLDecodeError as e:
            raise ConfigError("cli.lrs.config_invalid", path=path, error=e) from None
        data = data.get("lrs", data)
        unknown = sorted(set(data) - {"url", "user", "password", "home_page"})
        if unknown:
            raise ConfigError("cli.lrs.config_unknown", path=path, keys=", ".join(unknown))
        bad = [k for k, v in data.items() if not isinstance(v, str)]
        if bad:
            raise ConfigError("cli.lrs.config_invalid", path=path, error=", ".join(bad))
        file_values = data

    def pick(given, env_name, key):
        return given if given else (env.get(env_name) or file_values.get(key) or None)

    url = pick(url, ENV_URL, "url")
    user, password = pick(user, ENV_USER, "user"), pick(password, ENV_PASSWORD, "password")
    home = pick(home, ENV_HOME, "home_page")
    if not url:
        if user or password:
            raise ConfigError("cli.lrs.needs_url")
        return None
    if not url.startswith(("http://", "https://")):
        raise ConfigError("cli.lrs.bad_url", url=url)
    if (user is None) != (password is None):
        raise ConfigError("cli.lrs.needs_both")
    if home is not None and not home.startswith(("http://", "https://")):
        raise ConfigError("cli.lrs.bad_home_page", home_page=home)
    return LrsConfig(url.rstrip("/"), user, password, home)


# ---------------------------------------------------------------------------------------------
# the forwarder

_FORWARDERS: dict[str, "Forwarder"] = {}


def forwarder_of(session_id: str) -> "Forwarder | None":
    return _FORWARDERS.get(session_id)


def status_of(session_id: str) -> dict | None:
    """The trainer's view of the forwarding (None when the host forwards nothing)."""
    f = _FORWARDERS.get(session_id)
    return f.status() if f is not None and f.config is not None else None


class Forwarder:
    """The host's thread that sends the queue to the LRS and watches the heartbeats."""

    def __init__(self, session, base_url: str, config: LrsConfig | None, *, abandon_after: float = ABANDON_AFTER,
                 batch: int = BATCH, first_delay: float = 0.5, longest_delay: float = 30.0,
                 notify: Callable[..., None] | None = None, transport=None):
        from . import xapi

        self.session, self.config = session, config
        self.abandon_after, self.batch = abandon_after, max(1, min(100, batch))
        self.first_delay, self.longest_delay = first_delay, longest_delay
        self.notify = notify or (lambda kind, **fields: None)
        self.db = connect(session.store.path)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.started = time.time()
        self.state = "off" if config is None else "idle"  # idle | retrying | unauthorized
        self._told: str | None = None  # the last news given to the trainer
        self.last_error: str | None = None
        self._told_rejected = 0
        self._abandoned: set[tuple[str, int]] = set()
        with self._lock:
            home = home_page(self.db, session.row.id, config.home_page if config else None, base_url)
        xapi.set_home_page(session.row.id, home)
        self._client = None
        if config is not None:
            import httpx

            self._client = httpx.Client(
                timeout=httpx.Timeout(10.0, connect=3.0), trust_env=False, transport=transport,
                auth=(config.user, config.password) if config.user is not None else None,
                headers={"X-Experience-API-Version": XAPI_VERSION, "Content-Type": "application/json"})
        _FORWARDERS[session.row.id] = self

    # the thread
    def start(self) -> "Forwarder":
        self._thread = threading.Thread(target=self._run, name="pandore-lrs", daemon=True)
        self._thread.start()
        return self

    def stop(self, flush_seconds: float = 3.0) -> None:
        """Stop the thread, after a last attempt of at most `flush_seconds` at sending what waits."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=flush_seconds + 12)
        if self._client is not None:
            try:
                self._flush_budget(flush_seconds)
            except Exception:  # noqa: BLE001  (what is not sent is kept: sent at the next start)
                pass
            self._client.close()
        _FORWARDERS.pop(self.session.row.id, None)
        with self._lock:
            self.db.close()

    def _flush_budget(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            outcome = self.send_once()
            if outcome in ("empty", "failed"):
                return outcome == "empty"
        return False

    def _run(self) -> None:
        delay = self.first_delay
        # the heartbeats are looked at 10 times per `abandon_after` (at most every 5 s), not at every turn
        watch_every, watched = min(5.0, self.abandon_after / 10), 0.0
        while not self._stop.is_set():
            try:
                if time.monotonic() - watched >= watch_every:
                    watched = time.monotonic()
                    self.watch()
                outcome = self.send_once() if self._client is not None else "empty"
            except sqlite3.Error as e:  # the store busy or its disk full: tried again later
                outcome, self.last_error = "failed", f"store: {e}"
            except Exception as e:  # noqa: BLE001  (the thread must outlive any surprise: the queue is kept)
                outcome, self.last_error = "failed", f"{type(e).__name__}: {e}"
            if outcome == "sent":
                delay = self.first_delay
                continue  # more may wait: the next batch at once
            if outcome == "failed":
                self._stop.wait(delay)
                delay = min(self.longest_delay, delay * 2)
            else:
                delay = self.first_delay
                self._stop.wait(0.25)

    # sending
    def _waiting(self, limit: int) -> list[tuple[int, str]]:
        """(n, JSON body) of the next statements waiting, built from their facts."""
        from . import xapi

        with self._lock:
            rows = self.db.execute(_FACTS + "WHERE f.session_id = ? AND f.state = 'waiting' ORDER BY f.n LIMIT ?",
                                   (self.session.row.id, limit)).fetchall()
        return [(n, json.dumps(stmt, ensure_ascii=False, separators=(",", ":")))
                for n, stmt in _statements(rows, lambda home: xapi.Context.of(self.session, home))]

    def _mark(self, ns: list[int], state: str, answer: str | None = None) -> None:
        now = time.time()
        with self._lock:
            transaction(self.db, lambda d: d.executemany(
                "UPDATE xapi_facts SET state = ?, answer = ?, sent = ?, tries = tries + 1 WHERE n = ?",
                [(state, answer, now if state == "sent" else None, n) for n in ns]))

    def _post(self, bodies: list[str]):
        """POST a batch: the response, or None after a transport error (said in last_error)."""
        import httpx

        try:
            return self._client.post(f"{self.config.url}/statements", content="[" + ",".join(bodies) + "]")
        except (httpx.HTTPError, httpx.InvalidURL) as e:
            self.last_error = f"{type(e).__name__}: {e}"
            return None

    def send_once(self) -> str:
        """Send one batch: 'sent', 'empty' (nothing waits) or 'failed' (to be tried again later)."""
        rows = self._waiting(self.batch)
        if not rows:
            self.state = "idle"
            if self._told not in (None, "ok"):
                self._told = "ok"
                self.notify("ok")
            return "empty"
        r = self._post([b for _, b in rows])
        if r is None or r.status_code == 429 or r.status_code >= 500:
            if r is not None:
                self.last_error = f"HTTP {r.status_code}: {r.text[:200]}"
            return self._failed("retrying", "unreachable")
        if r.status_code in (401, 403):
            self.last_error = f"HTTP {r.status_code}: {r.text[:200]}"
            return self._failed("unauthorized", "unauthorized")
        if r.status_code in (200, 204):
            self._mark([i for i, _ in rows], "sent")
            self.last_error, self.state = None, "idle"
            return "sent"
        # one (or more) statements refused: find which, one at a time
        for sid, body in rows:
            one = self._post([body])
            if one is None or one.status_code == 429 or one.status_code >= 500:
                return self._failed("retrying", "unreachable")
            if one.status_code in (401, 403):
                return self._failed("unauthorized", "unauthorized")
            if one.status_code in (200, 204):
                self._mark([sid], "sent")
            else:
                self._mark([sid], "rejected", f"HTTP {one.status_code}: {one.text[:ANSWER_MAX]}")
        rejected = self.status()["rejected"]
        if rejected > self._told_rejected:
            self._told_rejected = rejected
            self.notify("rejected", n=rejected)
        return "sent"

    def _failed(self, state: str, kind: str) -> str:
        self.state = state
        if self._told != kind:  # said once, not at every retry
            self._told = kind
            self.notify(kind, waiting=self.status()["waiting"], error=self.last_error or "")
        return "failed"

    # the heartbeats
    def watch(self, now: float | None = None) -> int:
        """Queue `abandoned` for each unfinished playthrough unheard of for `abandon_after` s; how many."""
        from . import xapi

        now = time.time() if now is None else now
        limit = now - self.abandon_after  # heard of after this: not abandoned
        if limit < self.started:  # nobody unheard of for that long yet: not even a scan
            return 0
        queued = 0
        for p in self.session.players:
            heard = max(xapi.last_seen(p.row.playthrough_id) or 0.0, self.started)
            if heard > limit or p.pt.state.finished:
                continue
            key = (p.row.playthrough_id, len(p.pt.choices))
            if key in self._abandoned:
                continue
            fact = xapi.left_fact(self.session, p, at=heard, name="abandoned")
            with self._lock:
                transaction(self.db, lambda db, fact=fact: record_unless_left(db, fact))
            self._abandoned.add(key)
            queued += 1
        return queued

    def leave(self, player) -> dict:
        """The trainee leaves: `terminated` (once per playthrough and seq)."""
        from . import xapi

        fact = xapi.left_fact(self.session, player)
        with self._lock:
            transaction(self.db, lambda db: record(db, fact))
        return {"left": True, "seq": len(player.pt.choices)}

    # the trainer's view
    def status(self) -> dict:
        with self._lock:
            c = counts(self.db, self.session.row.id)
        return {"lrs": self.config.url if self.config else None, "state": self.state, **c,
                "last_error": self.last_error}

    def rejected(self) -> list[dict]:
        from . import xapi

        sid = self.session.row.id
        with self._lock:
            rows = self.db.execute("SELECT verb, voids, revision, body, playthrough_id, seq, answer FROM xapi_facts "
                                   "WHERE session_id = ? AND state = 'rejected' ORDER BY n", (sid,)).fetchall()
        return [{"id": xapi.fact_id(sid, pt, s, v, voids, rev, body), "verb": v, "playthrough_id": pt, "seq": s,
                 "answer": a} for v, voids, rev, body, pt, s, a in rows]


# ---------------------------------------------------------------------------------------------
# the routes: the trainer's view of the forwarding, a trainee leaving


def add_routes(app, session) -> None:
    """`GET {API}/xapi` (trainer) and `POST {API}/leave` (participant)."""
    from fastapi import Request

    from .app import API, bearer, read_json
    from .session import ApiError

    def find(code: str):
        if code.upper() != session.row.code:
            raise ApiError(404, "unknown_session", "no session with this code here")
        return session

    async def xapi_status(code: str, request: Request):
        s = find(code)
        s.trainer(bearer(request))
        f = forwarder_of(s.row.id)
        if f is None:
            db = connect(s.store.path)
            try:
                return {"lrs": None, "state": "off", **counts(db, s.row.id), "last_error": None,
                        "rejected_statements": []}
            finally:
                db.close()
        return {**f.status(), "rejected_statements": f.rejected()}

    async def leave(code: str, request: Request):
        s = find(code)
        p = s.participant(bearer(request))
        data = await read_json(request, {"playthrough_id": True})
        s._own(p, data["playthrough_id"])
        s.leave(p)  # the class view shows it, statements recorded or not
        f = forwarder_of(s.row.id)
        if f is None:
            return {"left": True, "seq": len(p.pt.choices)}
        return f.leave(p)

    # this module's annotations are strings (postponed): FastAPI is given the classes themselves
    for route in (xapi_status, leave):
        route.__annotations__ = {"code": str, "request": Request}
    app.get(API + "/xapi", include_in_schema=False)(xapi_status)
    app.post(API + "/leave", include_in_schema=False)(leave)
