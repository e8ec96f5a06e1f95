"""The window's outbox against a real host stopped for 10 s mid-play: choices kept, then sent."""

from __future__ import annotations

import threading
import time

from game.authoring import library
from game.classroom.outbox import Outbox, wait_empty
from game.engine import Playthrough

from .conftest import join, start_host

TUTO = library.load("tutoriel")[1].rules


def expected(pt: Playthrough) -> dict:
    st = pt.state
    return {"node": st.node, "ending": st.ending, "gauges": st.gauges, "variables": st.variables}


def test_host_down_for_ten_seconds(home, client, tmp_path):
    host = start_host(home, "tutoriel")
    me = join(client, host)
    pt = Playthrough.start(TUTO, me["seed"])
    file = tmp_path / "outbox.json"
    box = Outbox(file, host.api, me["token"], me["playthrough_id"])

    def play(box: Outbox) -> None:
        nonlocal pt
        choice = next(c.id for c in TUTO.choices(pt.state) if c.available)
        pt = pt.choose(choice)
        box.add(len(pt.choices), choice, expected(pt))

    play(box)
    assert box.status == "idle" and not box.pending
    assert host.stop() == 0
    down = time.monotonic()
    for _ in range(3):
        if not pt.state.finished:
            play(box)
    queued = len(box.pending)
    assert queued >= 1 and box.status == "reconnecting"
    # the window restarts: a new outbox reads the same file
    box = Outbox(file, host.api, me["token"], me["playthrough_id"])
    assert len(box.pending) == queued
    stop = threading.Event()
    worker = threading.Thread(target=box.run, args=(stop,), daemon=True)
    worker.start()
    time.sleep(max(0.0, 10 - (time.monotonic() - down)))
    assert box.pending and box.status == "reconnecting"  # still there, said, not lost
    again = start_host(home, "--resume", host.info["session"])
    try:
        box.api = again.api  # same session, same code, same token (a new port in this test)
        assert wait_empty(box, 20)
        stop.set()
        worker.join(5)
        assert box.mismatches == [] and box.refused == []
        s = client.get(f"{again.api}/summary", headers=again.trainer).json()
        assert s["choices_made"] == len(pt.choices)
        assert not file.exists() or '"pending": []' in file.read_text()
    finally:
        again.stop()


def test_a_difference_with_the_host_is_reported(host, client, tmp_path):
    me = join(client, host)
    pt = Playthrough.start(TUTO, me["seed"])
    choice = next(c.id for c in TUTO.choices(pt.state) if c.available)
    wrong = {**expected(pt.choose(choice)), "node": "somewhere_else"}
    box = Outbox(tmp_path / "o.json", host.api, me["token"], me["playthrough_id"])
    box.add(1, choice, wrong)
    assert not box.pending and box.mismatches and box.mismatches[0][0] == 1
    box.add(5, choice)  # a seq that skips ahead: refused by the host, reported, not retried forever
    assert box.status == "refused" and box.refused[0][1] == 409 and not box.pending
