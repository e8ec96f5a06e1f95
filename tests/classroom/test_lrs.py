"""The forwarder against an LRS that answers what real ones do: batches, retries, refusals, restarts."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import pytest

from game.authoring import library
from game.classroom import lrs, xapi
from game.classroom.session import ClassSession
from game.classroom.store import Store

LOADED = library.load("tutoriel")[1]


class Lrs:
    """An in-memory LRS speaking xAPI's POST /statements: 200 ids, 204 all known, scripted failures."""

    def __init__(self):
        self.stored: dict[str, dict] = {}
        self.requests: list[list[dict]] = []
        self.script: list = []  # per request: None (behave), an int status, or an exception
        self.refuse: set[str] = set()  # statement ids answered 400

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/xAPI/statements" and request.method == "POST"
        assert request.headers["X-Experience-API-Version"] == "1.0.3"
        assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"pandore:secret").decode()
        batch = json.loads(request.content)
        self.requests.append(batch)
        step = self.script.pop(0) if self.script else None
        if isinstance(step, Exception):
            raise step
        if isinstance(step, int):
            return httpx.Response(step, json={"detail": "scripted"})
        bad = [s["id"] for s in batch if s["id"] in self.refuse]
        if bad:
            return httpx.Response(400, json={"detail": f"invalid statement {bad[0]}"})
        new = [s for s in batch if s["id"] not in self.stored]
        for s in new:
            self.stored[s["id"]] = s
        return httpx.Response(200, json=[s["id"] for s in new]) if new else httpx.Response(204)


@pytest.fixture
def session(tmp_path):
    store = Store(tmp_path / "classroom.sqlite3")
    s = ClassSession.create(store, Path(LOADED.path))
    yield s
    store.close()


def forwarder(session, server: Lrs, **kw) -> lrs.Forwarder:
    told = kw.pop("told", [])
    return lrs.Forwarder(session, "http://127.0.0.1:8765",
                         lrs.LrsConfig("http://lrs.test/xAPI", "pandore", "secret"), transport=httpx.MockTransport(server),
                         notify=lambda kind, **f: told.append((kind, f)), **kw)


def play(session, n_players: int, choices: int = 3) -> None:
    for i in range(n_players):
        p = session.join(f"P{i}")
        for seq in range(1, choices + 1):
            if p.pt.state.finished:
                break
            c = next(c.id for c in session.rules.choices(p.pt.state) if c.available)
            session.choose(p, p.row.playthrough_id, seq, c)


def drain(f: lrs.Forwarder, tries: int = 50) -> list[str]:
    outcomes = []
    for _ in range(tries):
        o = f.send_once()
        outcomes.append(o)
        if o == "empty":
            break
    return outcomes


def test_batches_of_fifty_in_order(session):
    play(session, 30)  # 30 initialized + up to 90 selected
    server = Lrs()
    f = forwarder(session, server)
    try:
        total = len(lrs.statements(session.store.path, session.row.id))
        assert total > 100
        assert drain(f)[-1] == "empty"
        assert [len(b) for b in server.requests] == [50, 50, total - 100]
        sent = [s["id"] for b in server.requests for s in b]
        assert sent == [s["id"] for s in lrs.statements(session.store.path, session.row.id)]
        assert f.status() | {"last_error": None} == {"lrs": "http://lrs.test/xAPI", "state": "idle", "waiting": 0,
                                                    "sent": total, "rejected": 0, "last_error": None}
    finally:
        f.stop(flush_seconds=0)


def test_an_lrs_down_loses_nothing_and_a_lost_answer_duplicates_nothing(session):
    play(session, 2)
    server = Lrs()
    told = []
    f = forwarder(session, server, told=told)
    try:
        server.script = [httpx.ConnectError("refused"), 503, httpx.ReadTimeout("lost answer")]
        assert drain(f, tries=3) == ["failed", "failed", "failed"]
        assert f.status()["waiting"] == 8 and f.state == "retrying"
        assert told[0][0] == "unreachable" and told[0][1]["waiting"] == 8
        # the timed-out batch had been stored: sent again, the LRS has it once
        server.stored.update({s["id"]: s for s in server.requests[-1]})
        assert drain(f)[-1] == "empty"
        assert len(server.stored) == 8 and f.status()["sent"] == 8
        assert told[-1][0] == "ok"
    finally:
        f.stop(flush_seconds=0)


def test_wrong_credentials_keep_everything_and_say_so(session):
    play(session, 1)
    server = Lrs()
    told = []
    f = forwarder(session, server, told=told)
    try:
        server.script = [401, 401]
        assert drain(f, tries=2) == ["failed", "failed"]
        assert f.state == "unauthorized" and [k for k, _ in told] == ["unauthorized"]  # said once
        assert f.status()["waiting"] == 4 and f.status()["rejected"] == 0
    finally:
        f.stop(flush_seconds=0)


def test_a_rejected_statement_is_kept_with_the_answer_and_the_rest_go(session):
    play(session, 2)
    server = Lrs()
    told = []
    stmts = lrs.statements(session.store.path, session.row.id)
    server.refuse = {stmts[2]["id"]}
    f = forwarder(session, server, told=told)
    try:
        assert drain(f)[-1] == "empty"
        assert set(server.stored) == {s["id"] for s in stmts} - {stmts[2]["id"]}
        assert f.status()["rejected"] == 1 and f.status()["sent"] == len(stmts) - 1
        [r] = f.rejected()
        assert r["id"] == stmts[2]["id"] and r["answer"].startswith("HTTP 400: ")
        assert "invalid statement" in r["answer"]
        assert ("rejected", {"n": 1}) in told
        play_more = session.join("late")  # a new statement goes; the rejected one is not sent again
        assert drain(f)[-1] == "empty"
        assert server.requests[-1] == [s for s in lrs.statements(session.store.path, session.row.id)
                                       if s["actor"]["account"]["name"] == play_more.row.id]
    finally:
        f.stop(flush_seconds=0)


def test_the_queue_survives_a_restart_of_the_host(session, tmp_path):
    play(session, 3)
    server = Lrs()
    server.script = [503] * 3
    f = forwarder(session, server)
    drain(f, tries=3)
    f.stop(flush_seconds=0)
    path, sid = session.store.path, session.row.id
    session.store.close()
    again = ClassSession.open(Store(path), sid)
    f = forwarder(again, server)
    try:
        assert f.status()["waiting"] == 12
        assert drain(f)[-1] == "empty"
        assert sorted(server.stored) == sorted(s["id"] for s in lrs.statements(path, sid))
    finally:
        f.stop(flush_seconds=0)
        again.store.close()


def test_the_trainers_view_and_a_trainee_leaving_over_http(session):
    import asyncio

    from game.classroom.app import create_app

    server = Lrs()
    f = forwarder(session, server)
    app = create_app(session, "http://127.0.0.1:8765")
    api = f"/api/v1/sessions/{session.row.code}"
    trainer = {"Authorization": f"Bearer {session.row.trainer_token}"}

    async def scenario():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
            me = (await http.post(f"{api}/participants", json={"pseudonym": "Camille"})).json()
            mine = {"Authorization": f"Bearer {me['token']}"}
            assert (await http.get(f"{api}/xapi", headers=mine)).status_code == 403
            assert (await http.get(f"{api}/xapi")).status_code == 401
            r = await http.post(f"{api}/leave", headers=mine, json={"playthrough_id": "someone-else"})
            assert r.status_code == 404 and r.json()["error"] == "unknown_playthrough"
            assert (await http.post(f"{api}/leave", headers=trainer, json={"playthrough_id": "x"})).status_code == 403
            assert (await http.post(f"{api}/leave", headers=mine, content=b"{")).status_code == 400
            r = await http.post(f"{api}/leave", headers=mine, json={"playthrough_id": me["playthrough_id"]})
            assert r.status_code == 200 and r.json() == {"left": True, "seq": 0}
            view = (await http.get(f"{api}/xapi", headers=trainer)).json()
            assert view == {"lrs": "http://lrs.test/xAPI", "state": "idle", "waiting": 2, "sent": 0, "rejected": 0,
                            "last_error": None, "rejected_statements": []}
            assert drain(f)[-1] == "empty"
            assert (await http.get(f"{api}/xapi", headers=trainer)).json()["sent"] == 2
            page = (await http.get(f"/j/{session.row.code}?lang=en")).text
            assert "also sends your choices" in page  # the trainees are told

    try:
        asyncio.run(scenario())
    finally:
        f.stop(flush_seconds=0)


def test_an_lrs_address_that_cannot_be_reached_keeps_the_queue(session):
    play(session, 1, choices=1)
    told = []
    for url in ("http://[not-an-address", "http://127.0.0.1:9/xAPI"):
        f = lrs.Forwarder(session, "http://127.0.0.1:8765", lrs.LrsConfig(url, "u", "p"),
                          notify=lambda kind, **fields: told.append((kind, fields)))
        try:
            assert f.send_once() == "failed" and f.state == "retrying" and f.last_error
            assert f.status()["waiting"] == 2
        finally:
            f.stop(flush_seconds=0)
    assert [k for k, _ in told] == ["unreachable", "unreachable"]
