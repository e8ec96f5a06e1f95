"""xAPI 1.0.3 statements of a classroom session, in the vocabulary of the Serious Games profile.

What a session records, as statements (docs/xapi.md has the exact shapes):

- `initialized` (https://w3id.org/xapi/adb/verbs/initialized) when a trainee joins, i.e. a
  playthrough starts; the object is the scenario (a `serious-game` activity);
- `selected` (https://w3id.org/xapi/adb/verbs/selected) for each committed choice: the node is
  the object (a `dialog-tree` activity, child of the scenario), the choice id is
  `result.response`, the gauges after the choice are in `result.extensions`;
- `completed` (ADL) at an ending: the ending id in `result.response`, the duration since the
  playthrough started, the final gauges;
- `terminated` (ADL) when a trainee leaves, or when the trainer ends the session with the
  playthrough unfinished;
- `abandoned` (https://w3id.org/xapi/adl/verbs/abandoned) when a trainee has not been seen by
  the host for a while (the heartbeat: any request of theirs), the playthrough unfinished;
- `voided` (ADL) when a choice is undone: the `selected` statement (and the `completed` one if
  that choice had reached an ending) is voided, so that an LRS, like the session's own summary,
  counts only the choices that stand.

Every statement carries `context.registration` (one per playthrough), the session as a
`grouping` activity, the profile as a `category` activity. Its id is a UUID 5 of
(session, playthrough, seq, verb) — plus the revision of that seq when a choice was undone and
made again — so building it again gives the same id and a re-send is idempotent.

The actor is an account: `homePage` is the school's IRI when configured, else the host's base
URL the first time the session was hosted; `name` is the participant's random id. Never a
pseudonym, a name, an email or a hash of one.

The hooks (`joined`, `chosen`, `undone`, `ended`) return a function of the store's database
connection: the store runs it inside the transaction that commits the participant, the choice
or the undo, so a statement is queued exactly when, and only if, what it records is committed.
What they queue is a fact row (game/classroom/lrs.py); the statement is built from it, with the
same id and the same body every time, when it is read (`statement_of`).
"""

from __future__ import annotations

import datetime as _dt
import json
import time
import uuid
from typing import Callable, Iterable

from . import lrs

#: The project's IRIs: the gauges extension, the seq extension and the activities of a scenario.
PANDORE_IRI = "https://w3id.org/pandore/xapi"
GAUGES_EXTENSION = f"{PANDORE_IRI}/extensions/gauges"
SEQ_EXTENSION = f"{PANDORE_IRI}/extensions/seq"
SCENARIO_SHA256_EXTENSION = f"{PANDORE_IRI}/extensions/scenario-sha256"

PROFILE = "https://w3id.org/xapi/seriousgames"
PROFILE_TYPE = "http://adlnet.gov/expapi/activities/profile"
SERIOUS_GAME = "https://w3id.org/xapi/seriousgames/activity-types/serious-game"
DIALOG_TREE = "https://w3id.org/xapi/seriousgames/activity-types/dialog-tree"
SESSION_TYPE = "http://adlnet.gov/expapi/activities/meeting"

VERBS = {
    "initialized": ("https://w3id.org/xapi/adb/verbs/initialized", "initialized", "a commencé"),
    "selected": ("https://w3id.org/xapi/adb/verbs/selected", "selected", "a choisi"),
    "completed": ("http://adlnet.gov/expapi/verbs/completed", "completed", "a terminé"),
    "terminated": ("http://adlnet.gov/expapi/verbs/terminated", "terminated", "a quitté"),
    "abandoned": ("https://w3id.org/xapi/adl/verbs/abandoned", "abandoned", "a abandonné"),
    "voided": ("http://adlnet.gov/expapi/verbs/voided", "voided", "a annulé"),
}

#: The namespace of the statement ids and registrations (a UUID 5 of the project IRI).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, PANDORE_IRI)

#: Used for the actors when neither a school IRI nor a host address is known (a report made
#: from a store whose session was never hosted by a version that records statements).
FALLBACK_HOME_PAGE = "http://localhost"


# ---------------------------------------------------------------------------------------------
# ids and small values


def statement_id(session_id: str, playthrough_id: str, seq: int, verb: str, revision: int = 0) -> str:
    """The deterministic id of a statement: UUID 5 of 'session/playthrough/seq/verb[/revision]'."""
    key = f"{session_id}/{playthrough_id}/{seq}/{verb}" + (f"/{revision}" if revision else "")
    return str(uuid.uuid5(NAMESPACE, key))


def void_id(voided: str) -> str:
    """The id of the statement voiding statement `voided`."""
    return str(uuid.uuid5(NAMESPACE, f"void/{voided}"))


def registration(session_id: str, playthrough_id: str) -> str:
    """`context.registration` of a playthrough: a UUID 5 of 'registration/session/playthrough'."""
    return str(uuid.uuid5(NAMESPACE, f"registration/{session_id}/{playthrough_id}"))


def timestamp(at: float) -> str:
    """ISO 8601, UTC, milliseconds: '2026-12-01T23:30:00.123Z'."""
    d = _dt.datetime.fromtimestamp(at, _dt.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def duration(seconds: float) -> str:
    """ISO 8601 duration with centiseconds, as xAPI recommends: 'PT83.25S'."""
    return f"PT{max(0.0, seconds):.2f}S"


def _lang_tag(language: str) -> str:
    return {"fr": "fr-FR", "en": "en-US"}.get(language, language)


# ---------------------------------------------------------------------------------------------
# the statement builder (pure functions of the session's facts)


_CONTEXTS: dict[tuple[str, str, str], "Context"] = {}


class Context:
    """What every statement of one session shares: the session, its scenario, the actors' home."""

    def __init__(self, session_id: str, scenario_id: str, scenario_title: str, scenario_sha256: str,
                 language: str, home_page: str, node_titles: dict[str, str] | None = None):
        self.session_id, self.scenario_id, self.scenario_title = session_id, scenario_id, scenario_title
        self.scenario_sha256, self.language, self.home_page = scenario_sha256, language, home_page
        self.node_titles = node_titles or {}

    @classmethod
    def of(cls, session, home_page: str | None = None) -> "Context":
        """The context of a `ClassSession` (its home page from the registry when not given); made once."""
        home = home_page or home_page_of(session.row.id)
        key = (session.row.id, session.row.scenario_sha256, home)
        ctx = _CONTEXTS.get(key)
        if ctx is None:
            sc = session.rules.scenario
            ctx = _CONTEXTS[key] = cls(session.row.id, sc.id, sc.title, session.row.scenario_sha256,
                                       session.row.language, home,
                                       {nid: n.title for nid, n in sc.nodes.items() if n.title})
        return ctx

    def scenario_iri(self) -> str:
        return f"{PANDORE_IRI}/scenarios/{self.scenario_id}"

    def scenario_activity(self) -> dict:
        return {"objectType": "Activity", "id": self.scenario_iri(),
                "definition": {"type": SERIOUS_GAME, "name": {_lang_tag(self.language): self.scenario_title},
                               "extensions": {SCENARIO_SHA256_EXTENSION: self.scenario_sha256}}}

    def node_activity(self, node: str) -> dict:
        return {"objectType": "Activity", "id": f"{self.scenario_iri()}/nodes/{node}",
                "definition": {"type": DIALOG_TREE,
                               "name": {_lang_tag(self.language): self.node_titles.get(node, node)}}}

    def session_activity(self) -> dict:
        return {"objectType": "Activity", "id": f"{PANDORE_IRI}/sessions/{self.session_id}",
                "definition": {"type": SESSION_TYPE}}

    def actor(self, participant_id: str) -> dict:
        return {"objectType": "Agent", "account": {"homePage": self.home_page, "name": participant_id}}

    def context(self, playthrough_id: str, seq: int, parent: bool) -> dict:
        activities = {"grouping": [self.session_activity()],
                      "category": [{"objectType": "Activity", "id": PROFILE,
                                    "definition": {"type": PROFILE_TYPE}}]}
        if parent:
            activities = {"parent": [{"objectType": "Activity", "id": self.scenario_iri(),
                                      "definition": {"type": SERIOUS_GAME}}], **activities}
        return {"registration": registration(self.session_id, playthrough_id),
                "contextActivities": activities, "language": _lang_tag(self.language),
                "extensions": {SEQ_EXTENSION: seq}}


def verb(name: str) -> dict:
    iri, en, fr = VERBS[name]
    return {"id": iri, "display": {"en-US": en, "fr-FR": fr}}


def build(ctx: Context, name: str, participant_id: str, playthrough_id: str, seq: int, at: float, *,
          node: str | None = None, response: str | None = None, gauges: dict | None = None,
          started: float | None = None, revision: int = 0) -> dict:
    """One statement (not voided). `seq` is the number of choices standing after the fact."""
    stmt: dict = {"id": statement_id(ctx.session_id, playthrough_id, seq, name, revision),
                  "actor": ctx.actor(participant_id), "verb": verb(name),
                  "object": ctx.node_activity(node) if name == "selected" else ctx.scenario_activity(),
                  "context": ctx.context(playthrough_id, seq, parent=name == "selected"),
                  "timestamp": timestamp(at)}
    result: dict = {}
    if response is not None:
        result["response"] = response
    if name == "completed":
        result["completion"] = True
    if started is not None and name in ("completed", "terminated", "abandoned"):
        result["duration"] = duration(at - started)
    if gauges is not None:
        result["extensions"] = {GAUGES_EXTENSION: dict(gauges)}
    if result:
        stmt["result"] = result
    return stmt


def voiding(ctx: Context, participant_id: str, playthrough_id: str, seq: int, voided: str, at: float) -> dict:
    """The statement voiding statement `voided` (an undone choice, or the ending it had reached)."""
    return {"id": void_id(voided), "actor": ctx.actor(participant_id), "verb": verb("voided"),
            "object": {"objectType": "StatementRef", "id": voided},
            "context": {"registration": registration(ctx.session_id, playthrough_id),
                        "extensions": {SEQ_EXTENSION: seq}},
            "timestamp": timestamp(at)}


# ---------------------------------------------------------------------------------------------
# the actors' home page of each session, and the heartbeat

_HOME: dict[str, str] = {}
#: playthrough id -> last time the host heard from its trainee. Set on every request of a trainee,
#: read by the forwarder's thread: one dict item set or got, atomic in CPython, so no lock (a
#: lock there was taken on every request and fought over with the thread's scan).
_SEEN: dict[str, float] = {}


def set_home_page(session_id: str, home_page: str) -> None:
    _HOME[session_id] = home_page


def home_page_of(session_id: str) -> str:
    return _HOME.get(session_id, FALLBACK_HOME_PAGE)


def seen(player, at: float | None = None) -> None:
    """The heartbeat: the host heard from this participant (any request of theirs)."""
    _SEEN[player.row.playthrough_id] = time.time() if at is None else at


def last_seen(playthrough_id: str) -> float | None:
    return _SEEN.get(playthrough_id)


# ---------------------------------------------------------------------------------------------
# the hooks: each returns `apply(db)`, run by the store inside the committing transaction
#
# They queue facts, not statements: a compact row (what happened, when, the gauges) that
# `statement_of` turns into the statement, with the same id and body every time, when it is read
# (by the forwarder when it sends, by `pandore report --xapi`). Nothing is built, hashed or
# serialised on the commit path but the gauges.

Apply = Callable[[object], None]


_GAUGES: dict[tuple, str] = {}  # the JSON of each set of gauges met (few: small integers, shared by a class)


def _gauges(state) -> str | None:
    g = state.gauges
    if g is None:
        return None
    key = tuple(g.items())
    text = _GAUGES.get(key)
    if text is None:
        if len(_GAUGES) >= 10_000:
            _GAUGES.clear()
        text = _GAUGES[key] = json.dumps(dict(g), ensure_ascii=False, separators=(",", ":"))
    return text


def joined(session, row) -> Apply:
    """A participant joined: `initialized` (seq 0)."""
    fact = (session.row.id, row.playthrough_id, 0, "initialized", row.joined, None, None, None,
            home_page_of(session.row.id))
    return lambda db: lrs.record(db, fact)


def chosen(session, player, seq: int, node: str, choice: str, after) -> Apply:
    """Choice number `seq` was made at `node`; `after` is the playthrough after it.

    `selected`, and `completed` too when the choice reaches an ending; each one's revision (how
    many times this seq was undone before) is counted by the insert itself."""
    sid, pid, at, home = session.row.id, player.row.playthrough_id, time.time(), home_page_of(session.row.id)
    state = after.state
    gauges = _gauges(state)
    facts = [(sid, pid, seq, "selected", at, node, choice, gauges, home)]
    if state.ending is not None:
        facts.append((sid, pid, seq, "completed", at, None, state.ending, gauges, home))
    return lambda db: lrs.record_revised(db, facts)


def undone(session, player, seq: int) -> Apply:
    """Choice number `seq` was undone: its `selected` (and `completed`) statements are voided."""
    sid, pid, at, home = session.row.id, player.row.playthrough_id, time.time(), home_page_of(session.row.id)
    return lambda db: lrs.record_voids(db, sid, pid, seq, at, home)


def left_fact(session, player, at: float | None = None, name: str = "terminated") -> tuple:
    """`terminated` (the trainee left) or `abandoned` (not seen for a while), at the current seq."""
    at = time.time() if at is None else at
    return (session.row.id, player.row.playthrough_id, len(player.pt.choices), name, at, None, None,
            _gauges(player.pt.state), home_page_of(session.row.id))


def ended(session) -> Apply:
    """The trainer ended the session: `terminated` for every playthrough not finished nor left."""
    facts = [left_fact(session, p) for p in session.players if not p.pt.state.finished]

    def apply(db) -> None:
        for fact in facts:
            lrs.record_unless_left(db, fact)

    return apply


# ---------------------------------------------------------------------------------------------
# from a fact to its statement


def fact_id(session_id: str, playthrough_id: str, seq: int, verb: str, voids: str, revision: int,
            body: str | None = None) -> str:
    """The id of the statement a queued fact stands for (`voids`, `revision`: see lrs.SCHEMA)."""
    if body is not None:
        return json.loads(body)["id"]
    if verb == "voided":
        return void_id(statement_id(session_id, playthrough_id, seq, voids, revision))
    return statement_id(session_id, playthrough_id, seq, verb, revision)


def statement_of(ctx: "Context", participant_id: str, started: float, playthrough_id: str, seq: int, verb: str,
                 voids: str, revision: int, at: float, node: str | None, response: str | None,
                 gauges: str | None, body: str | None = None) -> dict:
    """The statement of one queued fact: the same id and body each time it is built."""
    if body is not None:  # queued by an earlier version, whole
        return json.loads(body)
    if verb == "voided":
        return voiding(ctx, participant_id, playthrough_id, seq,
                       statement_id(ctx.session_id, playthrough_id, seq, voids, revision), at)
    return build(ctx, verb, participant_id, playthrough_id, seq, at, node=node if verb == "selected" else None,
                 response=response, gauges=None if gauges is None else json.loads(gauges),
                 started=started, revision=revision)


def context_of_store(db, session_id: str, home: str) -> "Context | None":
    """The context of a session from its row in the store (the report, with no session loaded)."""
    row = db.execute("SELECT scenario_sha256, scenario_text, scenario_name, language FROM sessions WHERE id = ?",
                     (session_id,)).fetchone()
    if row is None:
        return None
    sha, text, name, language = row
    key = (session_id, sha, home)
    ctx = _CONTEXTS.get(key)
    if ctx is None:
        from .session import _compile

        sc = _compile(text, name).scenario
        ctx = _CONTEXTS[key] = Context(session_id, sc.id, sc.title, sha, language, home,
                                       {nid: n.title for nid, n in sc.nodes.items() if n.title})
    return ctx


# ---------------------------------------------------------------------------------------------
# reading them back


def jsonl(statements: Iterable[dict]) -> str:
    """Statements as JSON lines (one statement per line, UTF-8, keys in building order)."""
    return "".join(json.dumps(s, ensure_ascii=False, separators=(",", ":")) + "\n" for s in statements)
