"""The store's writer: group commit, each write resolved only once committed, failures that stay their own."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest

from game.authoring import library
from game.classroom.session import ClassSession
from game.classroom.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "classroom.sqlite3")
    yield s
    s.close()


def committed_rows(store: Store) -> set[tuple[str, int]]:
    """What another connection sees: only what is committed."""
    db = sqlite3.connect(store.path)
    try:
        return set(db.execute("SELECT playthrough_id, seq FROM choices").fetchall())
    finally:
        db.close()


def hold_writer(store: Store):
    """A write that keeps the writer busy until the returned event is set (the next writes queue up)."""
    started, release = threading.Event(), threading.Event()

    def apply(db):
        started.set()
        release.wait(10)

    fut = store.submit(apply)
    assert started.wait(10)
    return release, fut


def test_each_write_is_visible_to_others_when_its_future_resolves(store):
    seen_at_resolution: list[bool] = []
    all_seen = threading.Event()

    def check(f, key):  # runs as the future resolves (in the writer thread)
        seen_at_resolution.append(key in committed_rows(store))
        if len(seen_at_resolution) == 50:
            all_seen.set()

    futures = []
    for seq in range(1, 51):
        f = store.add_choice("p1", seq, "n", "c")
        f.add_done_callback(lambda f, key=("p1", seq): check(f, key))
        futures.append(f)
    for f in futures:
        assert f.result(10) is None
    assert all_seen.wait(10)
    assert seen_at_resolution == [True] * 50
    assert committed_rows(store) == {("p1", s) for s in range(1, 51)}


def test_writes_that_wait_together_share_one_transaction_and_a_duplicate_fails_alone(store):
    assert store.add_choice("p1", 1, "n", "c").result(10) is None
    release, first = hold_writer(store)
    good1 = store.add_choice("p2", 1, "n", "c")
    dup = store.add_choice("p1", 1, "n", "other")  # (p1, 1) is stored: refused
    good2 = store.add_choice("p2", 2, "n", "c")
    outcomes = []
    store.submit(lambda db: outcomes.append(db.in_transaction))
    assert not good1.done() and not dup.done()  # nothing is answered before its commit
    release.set()
    assert good1.result(10) is None and good2.result(10) is None
    with pytest.raises(sqlite3.IntegrityError):
        dup.result(10)
    assert first.result(10) is None
    assert committed_rows(store) == {("p1", 1), ("p2", 1), ("p2", 2)}
    assert outcomes == [True]


def test_a_batch_that_cannot_commit_fails_every_write_of_it_and_applies_none(store):
    release, _first = hold_writer(store)
    done_with: list[object] = []
    good = store.add_choice("p3", 1, "n", "c", on_done=done_with.append)

    def broken(db):
        raise RuntimeError("disk gone")

    bad = store.submit(broken)
    release.set()
    with pytest.raises(RuntimeError):
        good.result(10)
    with pytest.raises(RuntimeError):
        bad.result(10)
    assert ("p3", 1) not in committed_rows(store)
    assert len(done_with) == 1 and isinstance(done_with[0], RuntimeError)  # told, not applied
    assert store.add_choice("p3", 1, "n", "c").result(10) is None  # the writer goes on


def test_close_commits_what_is_queued(tmp_path):
    s = Store(tmp_path / "c.sqlite3")
    release, _ = hold_writer(s)
    futures = [s.add_choice("p4", seq, "n", "c") for seq in range(1, 101)]
    release.set()
    s.close()
    assert all(f.done() and f.exception() is None for f in futures)
    db = sqlite3.connect(tmp_path / "c.sqlite3")
    assert db.execute("SELECT count(*) FROM choices").fetchone()[0] == 100
    db.close()
    with pytest.raises(sqlite3.ProgrammingError):
        s.add_choice("p4", 101, "n", "c").result(1)  # closed: refused, never lost silently


def test_asyncio_writes_resolve_in_their_loop(store):
    async def main():
        loop = asyncio.get_running_loop()
        futures = [store.add_choice("p5", seq, "n", "c", loop=loop) for seq in range(1, 201)]
        assert all(isinstance(f, asyncio.Future) for f in futures)
        await asyncio.gather(*futures)
        return committed_rows(store)

    assert asyncio.run(main()) == {("p5", s) for s in range(1, 201)}


def test_concurrent_sends_of_one_choice_record_it_once_and_the_next_waits_for_it(tmp_path):
    """A double submit while the first is being committed: one 201, one 200; the next seq follows."""
    store = Store(tmp_path / "s.sqlite3")
    try:
        session = ClassSession.create(store, library.load("tutoriel")[0])
        p = session.join("Camille")
        rules = session.rules
        first = next(c.id for c in rules.choices(p.pt.state) if c.available)
        second_state = p.pt.choose(first).state
        second = next(c.id for c in rules.choices(second_state) if c.available)
        pid = p.row.playthrough_id

        async def main():
            release, _ = hold_writer(store)
            a = asyncio.ensure_future(session.choose_async(p, pid, 1, first))
            b = asyncio.ensure_future(session.choose_async(p, pid, 1, first))
            c = asyncio.ensure_future(session.choose_async(p, pid, 2, second))
            await asyncio.sleep(0.05)
            assert not (a.done() or b.done() or c.done())  # nothing acknowledged before the commit
            assert len(p.pt.choices) == 0
            release.set()
            return await asyncio.gather(a, b, c)

        (sa, ba), (sb, bb), (sc, bc) = asyncio.run(main())
        assert sorted([sa, sb]) == [200, 201] and ba == bb and ba["seq"] == 1
        assert sc == 201 and bc["seq"] == 2
        assert [c for _s, _n, c, _at in store.choices(pid)] == [first, second]
        assert len(p.pt.choices) == 2
    finally:
        store.close()
