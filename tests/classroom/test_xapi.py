"""The xAPI statements of a session: exact shapes, deterministic ids, pseudonymous actors, the queue."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from game.authoring import library
from game.classroom import lrs, xapi
from game.classroom.session import ClassSession
from game.classroom.store import Store

ROOT = Path(__file__).resolve().parents[2]
LOADED = library.load("tutoriel")[1]

SG = "https://w3id.org/xapi/seriousgames"
VERB = {
    "initialized": "https://w3id.org/xapi/adb/verbs/initialized",
    "selected": "https://w3id.org/xapi/adb/verbs/selected",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "terminated": "http://adlnet.gov/expapi/verbs/terminated",
    "abandoned": "https://w3id.org/xapi/adl/verbs/abandoned",
    "voided": "http://adlnet.gov/expapi/verbs/voided",
}


@pytest.fixture
def session(tmp_path):
    store = Store(tmp_path / "classroom.sqlite3")
    s = ClassSession.create(store, Path(LOADED.path))
    xapi.set_home_page(s.row.id, "https://ecole.example.org")
    yield s
    store.close()


def first_choice(s: ClassSession, p) -> str:
    return next(c.id for c in s.rules.choices(p.pt.state) if c.available)


def play_to_end(s: ClassSession, p) -> list[str]:
    made = []
    while not p.pt.state.finished:
        c = first_choice(s, p)
        s.choose(p, p.row.playthrough_id, len(p.pt.choices) + 1, c)
        made.append(c)
    return made


def queued(s: ClassSession) -> list[dict]:
    return lrs.statements(s.store.path, s.row.id)


def test_a_playthrough_to_its_ending(session):
    p = session.join("Camille Martin")
    made = play_to_end(session, p)
    stmts = queued(session)
    assert [st["verb"]["id"] for st in stmts] == (
        [VERB["initialized"]] + [VERB["selected"]] * len(made) + [VERB["completed"]])
    reg = xapi.registration(session.row.id, p.row.playthrough_id)
    scenario_iri = "https://w3id.org/pandore/xapi/scenarios/tutoriel"
    for st in stmts:
        assert st["actor"] == {"objectType": "Agent",
                               "account": {"homePage": "https://ecole.example.org", "name": p.row.id}}
        assert st["context"]["registration"] == reg
        assert st["context"]["contextActivities"]["grouping"] == [{
            "objectType": "Activity", "id": f"https://w3id.org/pandore/xapi/sessions/{session.row.id}",
            "definition": {"type": "http://adlnet.gov/expapi/activities/meeting"}}]
        assert st["context"]["contextActivities"]["category"] == [{
            "objectType": "Activity", "id": SG, "definition": {"type": "http://adlnet.gov/expapi/activities/profile"}}]
        assert st["context"]["language"] == "fr-FR"
        assert st["timestamp"].endswith("Z")
    init = stmts[0]
    assert init["object"]["id"] == scenario_iri
    assert init["object"]["definition"]["type"] == f"{SG}/activity-types/serious-game"
    assert init["object"]["definition"]["extensions"] == {
        "https://w3id.org/pandore/xapi/extensions/scenario-sha256": session.row.scenario_sha256}
    assert "result" not in init and init["context"]["extensions"] == {"https://w3id.org/pandore/xapi/extensions/seq": 0}

    # each choice: the node it was made at, the choice id, the gauges after it
    replay = __import__("game.engine", fromlist=["Playthrough"]).Playthrough.start(session.rules, p.row.seed)
    for i, (st, choice) in enumerate(zip(stmts[1:-1], made), start=1):
        node = replay.state.node
        replay = replay.choose(choice)
        assert st["object"] == {"objectType": "Activity", "id": f"{scenario_iri}/nodes/{node}",
                                "definition": {"type": f"{SG}/activity-types/dialog-tree",
                                               "name": {"fr-FR": session.rules.scenario.nodes[node].title or node}}}
        assert st["result"] == {"response": choice,
                                "extensions": {xapi.GAUGES_EXTENSION: replay.state.gauges}}
        assert st["context"]["contextActivities"]["parent"] == [
            {"objectType": "Activity", "id": scenario_iri, "definition": {"type": f"{SG}/activity-types/serious-game"}}]
        assert st["context"]["extensions"] == {xapi.SEQ_EXTENSION: i}
        assert st["id"] == xapi.statement_id(session.row.id, p.row.playthrough_id, i, "selected")
    done = stmts[-1]
    assert done["object"]["id"] == scenario_iri
    assert done["result"]["response"] == p.pt.state.ending and done["result"]["completion"] is True
    assert done["result"]["extensions"] == {xapi.GAUGES_EXTENSION: p.pt.state.gauges}
    assert done["result"]["duration"].startswith("PT") and done["result"]["duration"].endswith("S")
    assert done["id"] == xapi.statement_id(session.row.id, p.row.playthrough_id, len(made), "completed")


def test_no_pseudonym_name_or_email_in_any_statement(session):
    p = session.join("Camille Martin")
    q = session.join("jean.dupont@ecole.fr")
    play_to_end(session, p)
    session.choose(q, q.row.playthrough_id, 1, first_choice(session, q))
    session.control("end")
    text = xapi.jsonl(queued(session))
    for word in ("Camille", "Martin", "jean", "dupont", "@", "mbox", "mailto", '"name":"Camille'):
        assert word not in text
    for st in queued(session):
        assert set(st["actor"]) == {"objectType", "account"}
        assert set(st["actor"]["account"]) == {"homePage", "name"}
        assert st["actor"]["account"]["name"] in (p.row.id, q.row.id)


def test_ids_are_deterministic_and_distinct():
    a = xapi.statement_id("s1", "p1", 3, "selected")
    assert a == xapi.statement_id("s1", "p1", 3, "selected") == str(uuid.uuid5(xapi.NAMESPACE, "s1/p1/3/selected"))
    others = {xapi.statement_id("s1", "p1", 3, "completed"), xapi.statement_id("s1", "p1", 4, "selected"),
              xapi.statement_id("s1", "p2", 3, "selected"), xapi.statement_id("s2", "p1", 3, "selected"),
              xapi.statement_id("s1", "p1", 3, "selected", revision=1)}
    assert a not in others and len(others) == 5
    assert uuid.UUID(a).version == 5
    assert xapi.registration("s1", "p1") == xapi.registration("s1", "p1") != xapi.registration("s1", "p2")


def test_building_twice_gives_the_same_statement(session):
    ctx = xapi.Context.of(session)
    one = xapi.build(ctx, "selected", "pid", "pt", 2, 1_700_000_000.5, node="sms", response="x", gauges={"a": 1})
    two = xapi.build(ctx, "selected", "pid", "pt", 2, 1_700_000_000.5, node="sms", response="x", gauges={"a": 1})
    assert one == two and one["timestamp"] == "2023-11-14T22:13:20.500Z"


def test_an_undone_choice_is_voided_and_made_again_with_a_new_id(session):
    p = session.join("Alex")
    c = first_choice(session, p)
    session.choose(p, p.row.playthrough_id, 1, c)
    session.choose(p, p.row.playthrough_id, 1, c)  # the same choice sent twice: recorded once
    session.undo(p, p.row.playthrough_id, 1)
    session.choose(p, p.row.playthrough_id, 1, c)
    stmts = queued(session)
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in stmts] == ["initialized", "selected", "voided", "selected"]
    first, void, again = stmts[1], stmts[2], stmts[3]
    assert void["object"] == {"objectType": "StatementRef", "id": first["id"]}
    assert void["id"] == xapi.void_id(first["id"]) and void["actor"] == first["actor"]
    assert again["id"] == xapi.statement_id(session.row.id, p.row.playthrough_id, 1, "selected", revision=1)
    assert again["id"] != first["id"] and again["result"] == first["result"]


def test_undoing_an_ending_voids_the_choice_and_the_completion(session):
    p = session.join("Alex")
    play_to_end(session, p)
    n = len(p.pt.choices)
    session.undo(p, p.row.playthrough_id, n)
    stmts = queued(session)
    voided = {s["object"]["id"] for s in stmts if s["verb"]["id"] == VERB["voided"]}
    assert voided == {xapi.statement_id(session.row.id, p.row.playthrough_id, n, "selected"),
                      xapi.statement_id(session.row.id, p.row.playthrough_id, n, "completed")}


def test_a_refused_choice_queues_nothing(session):
    p = session.join("Alex")
    before = len(queued(session))
    with pytest.raises(Exception):
        session.choose(p, p.row.playthrough_id, 1, "no-such-choice")
    with pytest.raises(Exception):
        session.choose(p, p.row.playthrough_id, 5, first_choice(session, p))
    assert len(queued(session)) == before == 1


def test_the_statement_is_queued_in_the_choice_transaction(session, monkeypatch):
    """A statement that cannot be queued rolls the choice back: the two are committed together."""
    p = session.join("Alex")

    def broken(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(lrs, "record_revised", broken)
    with pytest.raises(RuntimeError):
        session.choose(p, p.row.playthrough_id, 1, first_choice(session, p))
    assert session.store.choices(p.row.playthrough_id) == []
    assert len(p.pt.choices) == 0


def test_ending_the_session_terminates_the_unfinished_playthroughs_once(session):
    done, playing = session.join("A"), session.join("B")
    play_to_end(session, done)
    session.choose(playing, playing.row.playthrough_id, 1, first_choice(session, playing))
    session.control("end")
    session.control("end")
    term = [s for s in queued(session) if s["verb"]["id"] == VERB["terminated"]]
    assert len(term) == 1 and term[0]["actor"]["account"]["name"] == playing.row.id
    assert term[0]["context"]["extensions"] == {xapi.SEQ_EXTENSION: 1}
    assert term[0]["result"]["extensions"] == {xapi.GAUGES_EXTENSION: playing.pt.state.gauges}


def test_abandoned_after_the_heartbeat_stops(session):
    quiet, busy, finished = session.join("A"), session.join("B"), session.join("C")
    play_to_end(session, finished)
    f = lrs.Forwarder(session, "http://127.0.0.1:1", None, abandon_after=60)
    try:
        t0 = f.started
        xapi.seen(quiet, at=t0)
        xapi.seen(busy, at=t0 + 100)
        assert f.watch(now=t0 + 59) == 0
        assert f.watch(now=t0 + 120) == 1  # quiet only: busy was heard 20 s ago, finished is finished
        assert f.watch(now=t0 + 121) == 0  # once
        ab = [s for s in queued(session) if s["verb"]["id"] == VERB["abandoned"]]
        assert [s["actor"]["account"]["name"] for s in ab] == [quiet.row.id]
        assert ab[0]["timestamp"] == xapi.timestamp(t0)  # when the trainee was last heard of
    finally:
        f.stop(flush_seconds=0)


def test_a_leaving_trainee_is_not_also_abandoned(session):
    p = session.join("A")
    f = lrs.Forwarder(session, "http://127.0.0.1:1", None, abandon_after=1)
    try:
        assert f.leave(p) == {"left": True, "seq": 0}
        assert f.leave(p) == {"left": True, "seq": 0}
        assert f.watch(now=f.started + 10) == 1  # considered, but the playthrough has left
        verbs = [s["verb"]["id"] for s in queued(session)]
        assert verbs == [VERB["initialized"], VERB["terminated"]]
    finally:
        f.stop(flush_seconds=0)


def test_the_actors_home_page_is_kept_for_the_session(session):
    f = lrs.Forwarder(session, "http://10.0.0.5:8765", None)
    f.stop(flush_seconds=0)
    assert xapi.home_page_of(session.row.id) == "http://10.0.0.5:8765"
    f = lrs.Forwarder(session, "http://10.0.0.9:9999", None)  # resumed elsewhere: same actors
    f.stop(flush_seconds=0)
    assert xapi.home_page_of(session.row.id) == "http://10.0.0.5:8765"
    f = lrs.Forwarder(session, "http://10.0.0.9:9999", lrs.LrsConfig("http://lrs", home_page="https://ecole.fr"))
    f.stop(flush_seconds=0)
    assert xapi.home_page_of(session.row.id) == "https://ecole.fr"


def test_report_xapi_writes_json_lines_and_purge_deletes_them(tmp_path):
    home = tmp_path / "home"
    env = {"PANDORE_HOME": str(home), "PATH": "/usr/bin:/bin"}
    store = Store(home / "data" / "classroom.sqlite3")
    s = ClassSession.create(store, Path(LOADED.path))
    p = s.join("Camille")
    play_to_end(s, p)
    s.control("end")
    expected = lrs.statements(store.path, s.row.id)
    store.close()
    out = tmp_path / "statements.jsonl"
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "report", s.row.id, "--xapi", str(out), "--lang", "en"],
                       capture_output=True, text=True, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"{len(expected)} xAPI statements written: {out}"
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == expected
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "report", s.row.id, "--xapi",
                        str(out / "x.jsonl"), "--lang", "fr"],
                       capture_output=True, text=True, env=env, cwd=ROOT)
    assert r.returncode == 2 and r.stderr.startswith("pandore: impossible d'écrire") and "Traceback" not in r.stderr
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "sessions", "purge"], capture_output=True, text=True,
                       env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert lrs.statements(home / "data" / "classroom.sqlite3", s.row.id) == []


@pytest.mark.parametrize("args, env, text", [
    (["--lrs", "ftp://lrs"], {}, "the LRS address must start with http:// or https:// (got: ftp://lrs)"),
    (["--lrs-user", "u"], {}, "an LRS user or password without an address: add --lrs URL"),
    (["--lrs", "http://lrs/xAPI", "--lrs-user", "u"], {}, "the LRS needs a user and a password, both or neither"),
    ([], {"PANDORE_LRS_CONFIG": "/no/such/file.toml"}, "cannot read the LRS configuration /no/such/file.toml"),
])
def test_a_bad_lrs_configuration_is_said_without_a_traceback(tmp_path, args, env, text):
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "host", "tutoriel", "--headless", "--port", "0",
                        "--lang", "en", *args], capture_output=True, text=True, timeout=60, cwd=ROOT,
                       env={"PANDORE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", **env})
    assert r.returncode == 2 and r.stderr.startswith(f"pandore: {text}") and "Traceback" not in r.stderr


def test_the_configuration_comes_from_the_line_then_the_environment_then_a_file(tmp_path):
    conf = tmp_path / "lrs.toml"
    conf.write_text('[lrs]\nurl = "https://lrs.ecole.fr/xAPI/"\nuser = "pandore"\npassword = "from-file"\n',
                    encoding="utf-8")
    c = lrs.resolve(config_file=str(conf), env={})
    assert (c.url, c.user, c.password, c.home_page) == ("https://lrs.ecole.fr/xAPI", "pandore", "from-file", None)
    c = lrs.resolve(config_file=str(conf), env={"PANDORE_LRS_PASSWORD": "from-env"})
    assert c.password == "from-env"
    c = lrs.resolve(password="typed", config_file=str(conf), env={"PANDORE_LRS_PASSWORD": "from-env"})
    assert c.password == "typed"
    assert "from-file" not in repr(lrs.resolve(config_file=str(conf), env={}))
    assert lrs.resolve(env={}) is None
    conf.write_text('url = "https://lrs/xAPI"\npasword = "typo"\n', encoding="utf-8")
    with pytest.raises(lrs.ConfigError) as e:
        lrs.resolve(config_file=str(conf), env={})
    assert e.value.key == "cli.lrs.config_unknown" and e.value.fields["keys"] == "pasword"


def test_the_commit_queues_a_compact_fact_and_reading_builds_the_same_statements(session):
    """No statement is built on the commit path: a fact row without a body; reading twice, and
    reading from the report's side (no session loaded), gives the same ids and bodies."""
    p = session.join("Alex")
    c = first_choice(session, p)
    session.choose(p, p.row.playthrough_id, 1, c)
    session.undo(p, p.row.playthrough_id, 1)
    session.choose(p, p.row.playthrough_id, 1, c)
    import sqlite3

    db = sqlite3.connect(session.store.path)
    rows = db.execute("SELECT verb, voids, revision, body FROM xapi_facts ORDER BY n").fetchall()
    db.close()
    assert rows == [("initialized", "", 0, None), ("selected", "", 0, None), ("voided", "selected", 0, None),
                    ("selected", "", 1, None)]
    one, two = xapi.jsonl(queued(session)), xapi.jsonl(queued(session))
    assert one == two
    xapi._CONTEXTS.clear()  # as in another process: the context made again from the stored session
    assert xapi.jsonl(queued(session)) == one


def test_a_store_of_the_earlier_version_is_carried_over_and_goes_on(tmp_path):
    """The earlier table (one JSON body per row) is moved into the facts once: same statements, and an
    undo after it voids the statement made before, a choice made again gets the next revision."""
    import sqlite3

    path = tmp_path / "classroom.sqlite3"
    store = Store(path)
    s = ClassSession.create(store, Path(LOADED.path))
    xapi.set_home_page(s.row.id, "https://ecole.example.org")
    p = s.join("Alex")
    c = first_choice(s, p)
    s.choose(p, p.row.playthrough_id, 1, c)
    s.undo(p, p.row.playthrough_id, 1)
    s.choose(p, p.row.playthrough_id, 1, c)
    before = lrs.statements(path, s.row.id)
    store.close()
    # the file as the earlier version left it
    db = sqlite3.connect(path)
    db.executescript("""
        DROP TABLE xapi_facts;
        CREATE TABLE xapi_statements (n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
            session_id TEXT NOT NULL, playthrough_id TEXT NOT NULL, seq INTEGER NOT NULL, verb TEXT NOT NULL,
            voids TEXT, body TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'waiting', tries INTEGER NOT NULL DEFAULT 0,
            answer TEXT, queued REAL NOT NULL, sent REAL);""")
    names = {v: k for k, v in VERB.items()}
    for st in before:
        verb = names[st["verb"]["id"]]
        db.execute("INSERT INTO xapi_statements (id, session_id, playthrough_id, seq, verb, voids, body, state, queued) "
                   "VALUES (?,?,?,?,?,?,?,?,?)",
                   (st["id"], s.row.id, p.row.playthrough_id, st["context"]["extensions"][xapi.SEQ_EXTENSION], verb,
                    st["object"]["id"] if verb == "voided" else None, json.dumps(st), "sent" if verb == "initialized"
                    else "waiting", 1.0))
    db.commit()
    db.close()
    store = Store(path)
    try:
        s = ClassSession.open(store, s.row.id)
        assert lrs.statements(path, s.row.id) == before
        p = s.players[0]
        s.undo(p, p.row.playthrough_id, 1)
        s.choose(p, p.row.playthrough_id, 1, c)
        after = lrs.statements(path, s.row.id)
        assert after[:len(before)] == before
        void, third = after[len(before):]
        assert void["object"]["id"] == before[3]["id"] == xapi.statement_id(s.row.id, p.row.playthrough_id, 1,
                                                                              "selected", revision=1)
        assert third["id"] == xapi.statement_id(s.row.id, p.row.playthrough_id, 1, "selected", revision=2)
        db = sqlite3.connect(path)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        states = [r[0] for r in db.execute("SELECT state FROM xapi_facts ORDER BY n")]
        db.close()
        assert "xapi_statements" not in tables
        assert states == ["sent"] + ["waiting"] * 5
    finally:
        store.close()
