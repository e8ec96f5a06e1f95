"""DESIGN.md's API on a real host: bodies, status codes, and every bad input of the issue."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from game.authoring import library
from game.engine import Playthrough

from .conftest import ROOT, join

TUTO = library.load("tutoriel")[1].rules


def test_first_line_is_the_contract(host):
    assert set(host.info) == {"session", "code", "url", "join_url", "trainer_token"}
    assert host.info["url"].startswith("http://127.0.0.1:")
    assert host.info["join_url"] == f"{host.url}/j/{host.code}"
    assert 4 <= len(host.code) <= 8 and host.code.isupper() and not set(host.code) & set("0O1IL")


def test_join_scenario_choose_summary(host, client):
    me = join(client, host)
    assert set(me) - {"headers"} == {"participant_id", "token", "playthrough_id", "seed"}
    sc = client.get(f"{host.api}/scenario", headers=me["headers"]).json()
    assert sc["id"] == "tutoriel" and len(sc["sha256"]) == 64 and "nodes:" in sc["text"]
    pt = Playthrough.start(TUTO, me["seed"])
    choice = next(c.id for c in TUTO.choices(pt.state) if c.available)
    body = {"playthrough_id": me["playthrough_id"], "seq": 1, "choice": choice}
    r = client.post(f"{host.api}/choices", json=body, headers=me["headers"])
    assert r.status_code == 201
    expected = pt.choose(choice).state
    assert r.json() == {"seq": 1, "node": expected.node, "ending": expected.ending, "gauges": expected.gauges,
                        "variables": expected.variables}
    again = client.post(f"{host.api}/choices", json=body, headers=me["headers"])
    assert again.status_code == 200 and again.json() == r.json()  # idempotent: same seq, same choice
    s = client.get(f"{host.api}/summary", headers=host.trainer).json()
    assert s == {"participants": 1, "choices_made": 1, "at": {expected.node: 1},
                 "choices": {pt.state.node: {choice: 1}}, "endings": {}}


def _err(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert isinstance(body["error"], str) and isinstance(body["message"], str)
    if code:
        assert body["error"] == code
    return body


def test_bad_input(host, client):
    me = join(client, host)
    h, api, pid = me["headers"], host.api, me["playthrough_id"]
    _err(client.post(f"{host.url}/api/v1/sessions/ZZZZZZ/participants", json={"pseudonym": "a"}), 404,
         "unknown_session")
    _err(client.get(f"{host.url}/api/v1/sessions/ZZZZZZ/summary", headers=host.trainer), 404)
    _err(client.get(f"{api}/summary"), 401, "unauthorized")
    _err(client.get(f"{api}/summary", headers={"Authorization": "Bearer nope"}), 401)
    _err(client.get(f"{api}/summary", headers={"Authorization": f"Basic {host.info['trainer_token']}"}), 401)
    _err(client.get(f"{api}/summary", headers=h), 403, "forbidden")
    _err(client.post(f"{api}/control", json={"action": "pause"}, headers=h), 403)
    _err(client.get(f"{api}/scenario"), 401)
    _err(client.post(f"{api}/choices", json={"playthrough_id": pid, "seq": 1, "choice": "x"},
                     headers=host.trainer), 403)
    _err(client.post(f"{api}/choices", json={"playthrough_id": pid, "seq": 1, "choice": "x"}), 401)
    refused = _err(client.post(f"{api}/choices", json={"playthrough_id": pid, "seq": 1, "choice": "no_such"},
                               headers=h), 422, "choice_refused")
    assert refused["reason"] == "unknown"
    skip = _err(client.post(f"{api}/choices", json={"playthrough_id": pid, "seq": 3, "choice": "x"}, headers=h),
                409, "expected_seq")
    assert skip["expected_seq"] == 1
    _err(client.post(f"{api}/choices", json={"playthrough_id": "other", "seq": 1, "choice": "x"}, headers=h), 404)
    _err(client.post(f"{api}/choices", json={"playthrough_id": pid, "seq": "1", "choice": "x"}, headers=h), 422)
    _err(client.post(f"{api}/choices", json={"playthrough_id": pid, "seq": True, "choice": "x"}, headers=h), 422)
    _err(client.post(f"{api}/choices", json={"playthrough_id": pid, "seq": 1}, headers=h), 422)
    _err(client.post(f"{api}/choices", json=[1, 2], headers=h), 422)
    _err(client.post(f"{api}/choices", content=b"{not json", headers=h), 400, "malformed")
    _err(client.post(f"{api}/choices", content=b"\xff\xfe", headers=h), 400)
    _err(client.post(f"{api}/participants", content=b"[" * 50_000), 400)
    _err(client.post(f"{api}/participants", json={"pseudonym": "x" * 10_000}), 422, "invalid_pseudonym")
    _err(client.post(f"{api}/participants", json={"pseudonym": "a\x00b"}), 422, "invalid_pseudonym")
    _err(client.post(f"{api}/participants", json={"pseudonym": "a\u202eb"}), 422, "invalid_pseudonym")
    _err(client.post(f"{api}/participants", json={"pseudonym": "   "}), 422)
    _err(client.post(f"{api}/participants", json={"pseudonym": 12}), 422)
    _err(client.post(f"{api}/participants", json={}), 422)
    _err(client.post(f"{api}/participants", content=b"x" * (10 * 1024 * 1024)), 413, "too_large")
    # without a Content-Length (chunked), the limit holds too
    _err(client.post(f"{api}/participants", content=(b"x" * 65536 for _ in range(4))), 413)
    _err(client.post(f"{api}/control", json={"action": "explode"}, headers=host.trainer), 422)
    _err(client.post(f"{api}/control", json={"action": "hold"}, headers=host.trainer), 422)
    _err(client.post(f"{api}/control", json={"action": "hold", "node": "nowhere"}, headers=host.trainer), 422)
    _err(client.post(f"{api}/undo", json={"playthrough_id": pid, "seq": 1}, headers=h), 409, "expected_seq")
    _err(client.get(f"{host.url}/api/v1/nothing"), 404)
    _err(client.delete(f"{api}/choices", headers=h), 405)
    # nothing above changed the playthrough
    assert client.get(f"{api}/summary", headers=host.trainer).json()["choices_made"] == 0


def test_hold_pause_undo_end(host, client):
    me = join(client, host)
    h, api, pid = me["headers"], host.api, me["playthrough_id"]
    pt = Playthrough.start(TUTO, me["seed"])
    c1 = next(c.id for c in TUTO.choices(pt.state) if c.available)
    r = client.post(f"{api}/control", json={"action": "hold", "node": pt.state.node}, headers=host.trainer)
    assert r.status_code == 200 and r.json()["state"] == "held"
    _err(client.post(f"{api}/choices", json={"playthrough_id": pid, "seq": 1, "choice": c1}, headers=h), 423, "held")
    assert client.post(f"{api}/control", json={"action": "release"}, headers=host.trainer).json()["state"] == "running"
    assert client.post(f"{api}/control", json={"action": "pause"}, headers=host.trainer).json()["state"] == "paused"
    _err(client.post(f"{api}/choices", json={"playthrough_id": pid, "seq": 1, "choice": c1}, headers=h), 423)
    client.post(f"{api}/control", json={"action": "resume"}, headers=host.trainer)
    assert client.post(f"{api}/choices", json={"playthrough_id": pid, "seq": 1, "choice": c1}, headers=h).status_code == 201
    r = client.post(f"{api}/undo", json={"playthrough_id": pid, "seq": 1}, headers=h)
    assert r.status_code == 200 and r.json()["seq"] == 0 and r.json()["node"] == pt.state.node
    assert client.get(f"{api}/summary", headers=host.trainer).json()["choices_made"] == 0  # undone: not counted
    client.post(f"{api}/choices", json={"playthrough_id": pid, "seq": 1, "choice": c1}, headers=h)
    client.post(f"{api}/control", json={"action": "forbid_undo"}, headers=host.trainer)
    _err(client.post(f"{api}/undo", json={"playthrough_id": pid, "seq": 1}, headers=h), 403, "undo_forbidden")
    assert client.post(f"{api}/control", json={"action": "end"}, headers=host.trainer).json()["state"] == "ended"
    _err(client.post(f"{api}/participants", json={"pseudonym": "late"}), 423)


def test_stream_sends_the_state(host, client):
    me = join(client, host)
    with client.stream("GET", f"{host.api}/stream", headers=me["headers"]) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        lines = []
        for line in r.iter_lines():
            lines.append(line)
            if line.startswith("data:"):
                break
    data = json.loads(lines[-1][5:])
    assert data["state"] == "running" and data["playthrough"]["seq"] == 0


def test_no_undo_and_resume_keep_code_and_tokens(home, client):
    from .conftest import start_host

    h = start_host(home, "tutoriel", "--no-undo")
    try:
        me = join(client, h)
        pt = Playthrough.start(TUTO, me["seed"])
        c = next(x.id for x in TUTO.choices(pt.state) if x.available)
        client.post(f"{h.api}/choices", json={"playthrough_id": me["playthrough_id"], "seq": 1, "choice": c},
                    headers=me["headers"])
        _err(client.post(f"{h.api}/undo", json={"playthrough_id": me["playthrough_id"], "seq": 1},
                         headers=me["headers"]), 403)
    finally:
        assert h.stop() == 0  # SIGTERM: a clean stop
    again = start_host(home, "--resume", h.info["session"])
    try:
        assert again.code == h.code and again.info["trainer_token"] == h.info["trainer_token"]
        r = client.post(f"{again.api}/choices", json={"playthrough_id": me["playthrough_id"], "seq": 1, "choice": c},
                        headers=me["headers"])
        assert r.status_code == 200  # the same token works and the choice is there
    finally:
        again.stop()


def test_report_and_sessions_commands(host, client, home, tmp_path):
    me = join(client, host)
    pt = Playthrough.start(TUTO, me["seed"])
    c = next(x.id for x in TUTO.choices(pt.state) if x.available)
    client.post(f"{host.api}/choices", json={"playthrough_id": me["playthrough_id"], "seq": 1, "choice": c},
                headers=me["headers"])
    summary = client.get(f"{host.api}/summary", headers=host.trainer).json()
    env = {"PANDORE_HOME": str(home), "PATH": "/usr/bin:/bin"}
    run = lambda *a: subprocess.run([sys.executable, str(ROOT / "main.py"), *a], capture_output=True,  # noqa: E731
                                    text=True, env=env, cwd=ROOT, timeout=60)
    out = run("report", host.info["session"], "--json", "-o", str(tmp_path / "r.html"), "--csv", str(tmp_path / "csv"))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == summary  # the host still running
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Camille" in html and host.code in html
    rows = (tmp_path / "csv" / "choices.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    assert {"choice", "node", "seq"} <= set(header) and len(rows) == 2 and header[0] == "session"
    assert rows[1].split(",")[header.index("choice")] == c
    listed = run("sessions", "list", "--lang", "en")
    assert host.info["session"] in listed.stdout and host.code in listed.stdout
    assert run("report", "NOPE99").returncode == 2
    assert run("sessions", "purge", "--lang", "en").stdout.startswith("0 ")  # only ended ones by default


def test_qr_code_of_the_join_address(host, client):
    r = client.get(f"{host.url}/j/{host.code}/qr.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml") and "<svg" in r.text
    assert client.get(f"{host.url}/j/NOPE22/qr.svg").status_code == 404


def test_sigint_stops_cleanly(home):
    import signal

    from .conftest import start_host

    h = start_host(home, "tutoriel")
    assert h.stop(signal.SIGINT) == 0


def test_an_acknowledgement_takes_no_delayed_ack_round(host, client):
    """TCP_NODELAY on the host's socket: without it, each answer waits for the client's delayed ACK (~40 ms)."""
    import time

    client.get(f"{host.url}/healthz")
    t0 = time.perf_counter()
    for _ in range(30):
        client.get(f"{host.url}/healthz")
    assert (time.perf_counter() - t0) / 30 < 0.025


def test_the_direct_choices_route_answers_exactly_as_the_framework_route(host, client):
    """`POST .../choices` with the code as printed is served straight from ASGI; with the code in lower
    case it goes through FastAPI. Every input gets the same status and the same body from both."""
    me, other = join(client, host, "Direct"), join(client, host, "Other")
    fast, framework = f"{host.api}/choices", f"{host.url}/api/v1/sessions/{host.code.lower()}/choices"
    pt = Playthrough.start(TUTO, me["seed"])
    choice = next(c.id for c in TUTO.choices(pt.state) if c.available)
    good = {"playthrough_id": me["playthrough_id"], "seq": 1, "choice": choice}
    h = {**me["headers"], "Content-Type": "application/json"}
    cases = [
        ("no token", json.dumps(good), {"Content-Type": "application/json"}),
        ("wrong token", json.dumps(good), {"Authorization": "Bearer nope"}),
        ("not bearer", json.dumps(good), {"Authorization": f"Basic {me['token']}"}),
        ("trainer token", json.dumps(good), host.trainer),
        ("not JSON", "{seq: 1", h),
        ("not UTF-8", b"\xff\xfe", h),
        ("a list", "[1, 2]", h),
        ("missing field", json.dumps({"playthrough_id": me["playthrough_id"], "seq": 1}), h),
        ("unknown field", json.dumps({**good, "extra": 1}), h),
        ("seq as text", json.dumps({**good, "seq": "1"}), h),
        ("seq 0", json.dumps({**good, "seq": 0}), h),
        ("seq skips ahead", json.dumps({**good, "seq": 3}), h),
        ("someone else's playthrough", json.dumps({**good, "playthrough_id": other["playthrough_id"]}), h),
        ("no such choice", json.dumps({**good, "choice": "nowhere"}), h),
        ("empty body", "", h),
        ("too large", "x" * (70 * 1024), h),
    ]
    for what, body, headers in cases:
        a = client.post(fast, content=body, headers=headers)
        b = client.post(framework, content=body, headers=headers)
        assert 400 <= a.status_code < 500, (what, a.status_code, a.text)
        assert (a.status_code, a.json()) == (b.status_code, b.json()), what
        assert a.headers["content-type"] == b.headers["content-type"] == "application/json", what
    first = client.post(fast, json=good, headers=me["headers"])
    again = client.post(framework, json=good, headers=me["headers"])
    assert (first.status_code, again.status_code) == (201, 200) and first.json() == again.json()
    assert client.get(f"{host.api}/summary", headers=host.trainer).json()["choices_made"] == 1
