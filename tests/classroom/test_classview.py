"""The class as the trainer sees it: counts equal to the summary, small splits and held ones not projected,
statuses, group votes kept with their choice, an older store opened."""

from __future__ import annotations

import random
import sqlite3

import pytest

from game.authoring import library
from game.classroom import classview, xapi
from game.classroom.session import ApiError, ClassSession
from game.classroom.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "classroom.sqlite3")
    yield s
    s.close()


def play_some(session: ClassSession, n: int, seed: int = 7, steps: int = 3):
    rng = random.Random(seed)
    players = []
    for i in range(n):
        p = session.join(f"Stagiaire-{i}")
        for _ in range(rng.randrange(steps + 1)):
            open_ = [c.id for c in session.rules.choices(p.pt.state) if c.available]
            if not open_ or p.pt.state.finished:
                break
            session.choose(p, p.row.playthrough_id, len(p.pt.choices) + 1, rng.choice(open_))
        players.append(p)
    return players


def test_the_view_counts_what_the_summary_counts(store):
    session = ClassSession.create(store, library.load("sms-mineur")[0])
    play_some(session, 30, steps=6)
    v = classview.of_session(session, "fr")
    s = session.summary()
    assert v.participants == s["participants"] == 30
    assert v.choices_made == s["choices_made"]
    assert v.at == s["at"]
    for split in v.splits:
        assert {b.choice: b.n for b in split.bars if b.n} == s["choices"].get(split.node, {})
        assert split.total == sum(b.n for b in split.bars)
        assert split.waiting == s["at"].get(split.node, 0)
        assert split.projected == (split.total >= classview.MIN_SPLIT)
        if split.total:
            assert sum(b.share for b in split.bars) == pytest.approx(1.0)
    assert {e.ending: e.n for e in v.endings if e.n} == s["endings"]
    # every gauge's spread covers every trainee, within the gauge's bounds
    for g in v.gauges:
        assert g.now.n == 30 and g.minimum <= g.now.low <= g.now.median <= g.now.high <= g.maximum
    # the first decision's bars are every choice of the node, in the scenario's order
    start = session.rules.scenario.start
    first = next(sp for sp in v.splits if sp.node == start)
    assert [b.choice for b in first.bars] == [c.id or f"{start}.{i}" for i, c in
                                              enumerate(session.rules.scenario.nodes[start].choices, 1)]


def test_small_splits_and_held_ones_are_not_projected_until_revealed(store):
    session = ClassSession.create(store, library.load("sms-mineur")[0])
    start = session.rules.scenario.start
    players = [session.join(f"P{i}") for i in range(6)]
    first_choice = session.rules.choices(players[0].pt.state)[0].id
    for p in players[:4]:
        session.choose(p, p.row.playthrough_id, 1, first_choice)
    split = next(sp for sp in classview.of_session(session, "fr").splits if sp.node == start)
    assert (split.total, split.projected, split.why) == (4, False, "few")
    session.choose(players[4], players[4].row.playthrough_id, 1, first_choice)
    split = next(sp for sp in classview.of_session(session, "fr").splits if sp.node == start)
    assert (split.total, split.projected, split.why) == (5, True, None)

    assert session.control("hold", start)["revealed"] is False
    split = next(sp for sp in classview.of_session(session, "fr").splits if sp.node == start)
    assert (split.projected, split.why, split.held) == (False, "held", True)
    with pytest.raises(ApiError) as e:  # the sixth trainee waits at the held step
        session.choose(players[5], players[5].row.playthrough_id, 1, first_choice)
    assert e.value.status == 423
    assert session.control("reveal")["revealed"] is True
    split = next(sp for sp in classview.of_session(session, "fr").splits if sp.node == start)
    assert (split.projected, split.why) == (True, None)
    session.control("release")
    assert session.control_body() == {"state": "running", "node": None, "undo": True, "revealed": False}
    with pytest.raises(ApiError) as e:
        session.control("reveal")
    assert (e.value.status, e.value.code) == (409, "not_held")
    # the control survives a restart of the host
    session.control("hold", start)
    session.control("reveal")
    again = ClassSession.open(store, session.row.id)
    assert (again.held_node, again.revealed) == (start, True)


def test_statuses_and_anonymous_names(store):
    session = ClassSession.create(store, library.load("tutoriel")[0])
    a, b, c = (session.join(n) for n in ("Alice", "Bob", "Chloé"))
    now = 10_000.0
    xapi.seen(a, at=now - 1)
    xapi.seen(b, at=now - classview.AWAY_AFTER - 1)
    xapi.seen(c, at=now - 1)
    session.leave(c)
    v = classview.of_session(session, "fr", now=now)
    assert [(t.pseudonym, t.anonymous, t.status, t.status_text) for t in v.trainees] == [
        ("Alice", "Stagiaire 1", "playing", "en jeu"), ("Bob", "Stagiaire 2", "away", "hors ligne"),
        ("Chloé", "Stagiaire 3", "left", "est parti·e")]
    assert (v.playing, v.away, v.finished) == (3, 2, 0)
    session.player(c.row.token)  # back
    assert classview.of_session(session, "en", now=now).trainees[2].status_text == "playing"


def test_group_votes_are_kept_with_their_choice_and_undone_with_it(store):
    session = ClassSession.create(store, library.load("sms-mineur")[0], mode="group")
    group = session.join("Groupe")
    ch = [c.id for c in session.rules.choices(group.pt.state) if c.available]
    counts = {ch[0]: 7, ch[1]: 7}
    session.vote(group, 1, counts, ch[1], tie_break=True)
    assert [(seq, node, cnt, chosen, tie) for seq, node, cnt, chosen, tie, _at in session.votes()] == [
        (1, session.rules.scenario.start, counts, ch[1], True)]
    assert list(group.pt.choices) == [ch[1]]
    again = ClassSession.open(store, session.row.id)
    assert again.row.mode == "group" and len(again.votes()) == 1
    session.undo(group, group.row.playthrough_id, 1)
    assert session.votes() == [] and not group.pt.choices
    with pytest.raises(ApiError) as e:
        session.vote(group, 1, {ch[0]: -1}, ch[0])
    assert e.value.status == 422
    with pytest.raises(ApiError) as e:  # a refused choice stores no vote
        session.vote(group, 1, {"nope": 3}, "nope")
    assert e.value.status == 422 and session.votes() == []


def test_a_store_of_an_earlier_version_gains_the_new_columns(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("""CREATE TABLE sessions (id TEXT PRIMARY KEY, code TEXT NOT NULL, trainer_token TEXT NOT NULL,
        scenario_id TEXT NOT NULL, scenario_name TEXT NOT NULL, scenario_sha256 TEXT NOT NULL,
        scenario_text TEXT NOT NULL, language TEXT NOT NULL, undo_allowed INTEGER NOT NULL, state TEXT NOT NULL,
        held_node TEXT, created REAL NOT NULL);""")
    db.execute("INSERT INTO sessions VALUES ('s1','ABCDEF','tok','x','x.yaml','00','format: 1','fr',1,'held','n',1.0)")
    db.commit()
    db.close()
    s = Store(path)
    try:
        row = s.session("s1")
        assert (row.held_node, row.revealed, row.mode) == ("n", False, "class")
    finally:
        s.close()


def test_vote_views_say_what_proceeded_and_by_how_much(store):
    session = ClassSession.create(store, library.load("sms-mineur")[0], mode="group")
    group = session.join("Groupe")
    ch = [c.id for c in session.rules.choices(group.pt.state) if c.available]
    session.vote(group, 1, {ch[0]: 3, ch[1]: 9}, ch[1])
    (v,) = classview.vote_views(session.rules, session.votes(), group.pt)
    assert (v.seq, v.total, v.chosen, v.margin, v.tie_break) == (1, 12, ch[1], 6, False)
    assert [(b.choice, b.n, b.percent) for b in v.bars] == [(ch[0], 3, 25), (ch[1], 9, 75)]
    assert classview.majority({"a": 2, "b": 2, "c": 1}) == (["a", "b"], 2)
    assert classview.majority({"a": 0}) == ([], 0)


def test_a_node_without_a_title_is_named_by_the_start_of_its_text(store):
    assert classview.excerpt("Votre téléphone vibre. Kylian écrit.") == "Votre téléphone vibre."
    assert classview.excerpt("Vous hésitez ? Il est tard.") == "Vous hésitez ?"
    long = "Il est 8 h 40 et vous avez un quart d’heure avant la réunion d’équipe du lundi matin, au service"
    shown = classview.excerpt(long)
    assert shown.endswith("…") and len(shown) <= classview.EXCERPT + 1 and long.startswith(shown[:-1])
    rules = ClassSession.create(store, library.load("sms-mineur")[0]).rules
    node = rules.scenario.start
    assert not rules.scenario.nodes[node].title
    assert classview._node_title(rules, node) == classview.excerpt(rules.scenario.nodes[node].text)


def test_decisions_and_active_trainees(store):
    """Every decision in the scenario's order, reached or not (the live view holds any of them); `active`
    counts the unfinished trainees seen lately, `away` the others."""
    from game.classroom.classview import decisions

    s = ClassSession.create(store, library.load("tutoriel")[0])
    rules = s.rules
    assert decisions(rules) == tuple((n, classview._node_title(rules, n)) for n, node in rules.scenario.nodes.items()
                                     if node.choices)
    assert decisions(rules)[0][1].startswith("Vous êtes éducateur")  # no title: the start of its text
    assert decisions(rules)[0][0] == rules.scenario.start
    _a, b = s.join("A"), s.join("B")
    s.leave(b)
    view = classview.of_session(s, "fr")
    assert (view.playing, view.active, view.away) == (2, 1, 1)
    assert view.active == view.playing - view.away


def test_quartiles_are_written_in_the_language_s_way():
    assert classview.number_text(37.5, "fr") == "37,5" and classview.number_text(37.5, "en") == "37.5"
    assert classview.number_text(55.0, "fr") == "55" and classview.number_text(12, "en") == "12"
