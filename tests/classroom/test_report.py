"""The debrief report: its numbers are the class view's (from the store), every decision and ending shown,
self-contained, in French and English, with the retention footer; the CSV, one row per standing choice."""

from __future__ import annotations

import csv
import io
import re
import sqlite3

import pytest

from game.authoring import library
from game.classroom import classview, report
from game.classroom.session import ClassSession
from game.classroom.store import Store
from game.i18n import typography

from .reporting import Figures, mini_scenario, play_class, plain


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "classroom.sqlite3")
    yield s
    s.close()


@pytest.fixture
def session(store, tmp_path):
    s = ClassSession.create(store, library.load("sms-mineur")[0])
    play_class(s, 30)
    return s


def node_choices(session, node: str) -> list[str]:
    return [c.id or f"{node}.{i}" for i, c in enumerate(session.rules.scenario.nodes[node].choices, 1)]


def test_every_number_on_the_page_is_the_class_views(session):
    page = Figures(report.report_html(session, "fr"))
    view = classview.of_session(session, "fr", away_after=float("inf"))
    s = session.summary()
    assert view.participants == 30 and view.finished == 26
    # every decision someone reached, every choice of it in the scenario's order, the counts of the summary
    assert list(page.splits) == [sp.node for sp in view.splits]
    for sp in view.splits:
        shown = page.splits[sp.node]
        assert shown["total"] == sp.total == sum(s["choices"].get(sp.node, {}).values())
        assert [c for c, _n, _p in shown["rows"]] == node_choices(session, sp.node)
        assert [(c, n, pc) for c, n, pc in shown["rows"]] == [(b.choice, b.n, b.percent) for b in sp.bars]
        assert shown["few"] == (sp.total < classview.MIN_SPLIT)  # small splits are shown, and said to be small
    assert any(sp["few"] for sp in page.splits.values()) and any(not sp["few"] for sp in page.splits.values())
    # every ending, reached or not, with the summary's counts
    assert [(e, n) for e, n, _p in page.endings] == [(e, s["endings"].get(e, 0))
                                                     for e in session.rules.scenario.endings]
    assert sum(n for _e, n, _p in page.endings) == 26
    # the gauges: the whole class first, then one box per ending reached
    for g in view.gauges:
        boxes = page.gauges[g.gauge]
        assert [b["n"] for b in boxes] == [g.now.n] + [sp.n for _e, _t, sp in g.by_ending]
        assert [(b["low"], b["median"], b["high"]) for b in boxes[1:]] == [
            (sp.low, sp.median, sp.high) for _e, _t, sp in g.by_ending]
    assert page.meta["participants"].startswith("30 participant·es (26 ont terminé, 4 en cours)")
    assert page.meta["choices"].startswith(f"{s['choices_made']} choix retenus")


def test_changing_the_store_changes_the_page(session, store):
    before = Figures(report.report_html(session, "fr"))
    start = session.rules.scenario.start
    assert before.splits[start]["total"] == 26 + sum(1 for p in session.players if p.pt.choices and not
                                                     p.pt.state.finished)
    # four trainees who finished lose every choice, straight in the store (as if they had undone them all)
    gone = [p.row.playthrough_id for p in session.players if p.pt.state.finished][:4]
    db = sqlite3.connect(store.path)
    with db:
        db.executemany("DELETE FROM choices WHERE playthrough_id = ?", [(g,) for g in gone])
    db.close()
    again = ClassSession.open(store, session.row.id)
    after = Figures(report.report_html(again, "fr"))
    view = classview.of_session(again, "fr", away_after=float("inf"))
    assert after.splits[start]["total"] == before.splits[start]["total"] - 4
    assert after.splits[start]["total"] == next(sp.total for sp in view.splits if sp.node == start)
    assert sum(n for _e, n, _p in after.endings) == 22
    assert [(e, n) for e, n, _p in after.endings] == [(e.ending, e.n) for e in view.endings]
    assert after.meta["participants"].startswith("30 participant·es (22 ont terminé, 8 en cours)")


def test_the_page_is_self_contained_and_each_chart_says_its_numbers(session):
    text = report.report_html(session, "fr")
    assert "<script" not in text and "<link" not in text and "url(" not in text and "@import" not in text
    assert set(re.findall(r'(?:src|href)="([^"]*)"', text)) == set()
    assert set(re.findall(r"https?://[^\s\"'<>]+", text)) == {"http://www.w3.org/2000/svg"}  # the SVG namespace
    assert "@page { size: A4;" in text and "break-inside: avoid" in text
    svgs = re.findall(r"<svg\b.*?</svg>", text, re.S)
    assert len(svgs) == len(Figures(text).splits) + 1 + len(session.rules.scenario.gauges)
    for svg in svgs:
        labelled = re.search(r'aria-labelledby="(\S+)-t \1-d"', svg)
        assert 'role="img"' in svg and labelled
        title = re.search(r"<title[^>]*>([^<]+)</title>", svg).group(1)
        desc = re.search(r"<desc[^>]*>([^<]+)</desc>", svg).group(1)
        assert title.strip() and desc.strip()
    # the first decision's description holds each choice's count and percent, as words
    view = classview.of_session(session, "fr", away_after=float("inf"))
    first = view.splits[0]
    desc = plain(re.search(r"<desc[^>]*>([^<]+)</desc>", svgs[0]).group(1))
    for b in first.bars:
        assert f"{plain(b.text)} : {b.n} · {b.percent} %" in desc


def test_the_discussion_objectives_and_each_trainee(session):
    text = plain(report.report_html(session, "fr"))
    sc = session.rules.scenario
    assert all(plain(q) in text for q in sc.debrief.questions) and sc.debrief.questions
    assert all(plain(k) in text for k in sc.debrief.key_points) and sc.debrief.key_points
    assert all(plain(o) in text for o in sc.objectives) and sc.objectives
    for p in session.players:
        assert p.row.pseudonym in text
    assert "Pas encore à la fin (en jeu)" in text
    assert "Le scénario n’en propose pas encore" not in text


def test_a_scenario_without_questions_says_so(store, tmp_path):
    s = ClassSession.create(store, mini_scenario(tmp_path))
    text = plain(report.report_html(s, "fr"))
    assert "Points clés Le scénario n’en propose pas encore." in text
    assert "Questions pour la discussion Le scénario n’en propose pas encore." in text
    assert "Personne n’a rejoint cette séance." in text and "Aucun choix n’a encore été fait." in text


def test_the_footer_states_the_retention_and_what_is_stored(session):
    created = session.row.created
    text = plain(report.report_html(session, "fr", env={}))
    import datetime as dt

    d = dt.datetime.fromtimestamp(created)
    when = f"{plain(typography.date(d.date(), 'fr'))} à {plain(typography.time(d, 'fr'))}"
    assert f"Séance créée le {when} (identifiant {session.row.id})." in text
    assert "la variable d’environnement PANDORE_RETENTION l’indique ici" in text
    assert "pandore sessions purge --older-than 30d efface les séances créées avant cette durée" in text
    assert ("Aucune adresse IP ni aucun nom réel n’est enregistré : seulement un pseudonyme, les choix, leurs "
            "heures et les jauges.") in text
    later = dt.datetime.fromtimestamp(created + 6 * 7 * 86400)
    text = plain(report.report_html(session, "fr", env={"PANDORE_RETENTION": "6w"}))
    assert ("Durée de conservation fixée par l’établissement : 6 semaines. Ces données sont à effacer à partir du "
            f"{plain(typography.date(later.date(), 'fr'))}") in text
    assert "pandore sessions purge --older-than 6w" in text
    text = plain(report.report_html(session, "en", env={"PANDORE_RETENTION": "1d"}))
    assert "Retention set by the school: 1 day." in text
    assert "No IP address and no real name is stored" in text
    # a value that is not a duration states no policy (and breaks nothing)
    assert "PANDORE_RETENTION environment variable" in plain(report.report_html(session, "en",
                                                                                env={"PANDORE_RETENTION": "soon"}))


def test_english_report_has_english_words(session):
    text = plain(report.report_html(session, "en"))
    for words in ("The choices at each decision", "The endings reached", "The gauges", "The most common paths",
                  "Questions for discussion", "30 participants (26 finished, 4 still playing)", "better →"):
        assert words in text, words
    for french in ("réponses", "Fins atteintes", "Stagiaires ont", "participant·es"):
        assert french not in text


def test_group_mode_shows_the_votes(store):
    s = ClassSession.create(store, library.load("sms-mineur")[0], mode="group")
    g = s.join("Groupe")
    ch = [c.id for c in s.rules.choices(g.pt.state) if c.available]
    s.vote(g, 1, {ch[0]: 4, ch[1]: 11}, ch[1])
    ch2 = [c.id for c in s.rules.choices(g.pt.state) if c.available]
    s.vote(g, 2, {ch2[0]: 6, ch2[1]: 6}, ch2[0], tie_break=True)
    text = report.report_html(s, "fr")
    page = Figures(text)
    votes = classview.vote_views(s.rules, s.votes(), g.pt)
    assert [(v["seq"], v["node"]) for v in page.votes] == [(v.seq, v.node) for v in votes] == [
        (1, s.rules.scenario.start), (2, votes[1].node)]
    assert [(c, n) for c, n, _p in page.votes[0]["rows"]] == [(b.choice, b.n) for b in votes[0].bars]
    words = plain(text)
    assert f"Choix retenu : « {plain(votes[0].chosen_text)} », 11 voix sur 15. 7 voix d’avance." in words
    assert "Égalité, départagée par le formateur ou la formatrice." in words
    assert page.splits == {}  # in group mode the votes are the class's split


def test_csv_has_one_row_per_standing_choice_with_the_gauges_after_it(session, store):
    rows = list(csv.reader(io.StringIO(report.csv_text(session, ";")), delimiter=";"))
    gauges = list(session.rules.scenario.gauges)
    assert rows[0] == ["session", "participant", "pseudonym", "playthrough", "seq", "node", "choice", *gauges, "at"]
    db = sqlite3.connect(store.path)
    stored = db.execute("SELECT count(*) FROM choices c JOIN participants p ON p.playthrough_id = c.playthrough_id "
                        "WHERE p.session_id = ?", (session.row.id,)).fetchone()[0]
    db.close()
    assert len(rows) - 1 == stored == session.summary()["choices_made"]
    by_pt = {p.row.playthrough_id: p for p in session.players}
    col = {name: i for i, name in enumerate(rows[0])}
    for r in rows[1:]:
        p = by_pt[r[col["playthrough"]]]
        seq = int(r[col["seq"]])
        assert r[col["participant"]] == p.row.id and r[col["pseudonym"]] == p.row.pseudonym
        assert r[col["choice"]] == p.pt.choices[seq - 1] and r[col["node"]] == p.pt.states[seq - 1].node
        assert [int(r[col[g]]) for g in gauges] == [p.pt.states[seq].gauges[g] for g in gauges]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r[col["at"]])
    anonymous = list(csv.reader(io.StringIO(report.csv_text(session, anonymous=True))))
    assert "pseudonym" not in anonymous[0] and len(anonymous) == len(rows)
    assert not any(p.row.pseudonym in ",".join(r) for r in anonymous for p in session.players)


def test_a_pseudonym_that_looks_like_a_formula_is_not_one(store):
    s = ClassSession.create(store, library.load("tutoriel")[0])
    p = s.join("=HYPERLINK(\"x\")")
    c = next(x.id for x in s.rules.choices(p.pt.state) if x.available)
    s.choose(p, p.row.playthrough_id, 1, c)
    (row,) = report.csv_rows(s)
    assert row["pseudonym"] == "'=HYPERLINK(\"x\")"


def test_trainee_view_pairs_each_trainee_with_their_participant_id(session):
    view = classview.of_session(session, "fr")
    assert {tr.participant_id for tr in view.trainees} == {p.row.id for p in session.players}


def test_ending_bars_are_shares_of_those_who_finished(session):
    view = classview.of_session(session, "fr")
    bars = classview.ending_bars(view)
    assert [b.choice for b in bars] == list(session.rules.scenario.endings)
    assert sum(b.n for b in bars) == view.finished and sum(b.share for b in bars) == pytest.approx(1.0)
    assert all(b.percent == round(100 * b.n / view.finished) for b in bars)
    assert classview.is_few(view.splits[0]) == (view.splits[0].total < classview.MIN_SPLIT)


def test_a_pseudonym_is_text_never_markup(store):
    s = ClassSession.create(store, library.load("tutoriel")[0])
    p = s.join("<img src=x onerror=alert(1)>")
    c = next(x.id for x in s.rules.choices(p.pt.state) if x.available)
    s.choose(p, p.row.playthrough_id, 1, c)
    text = report.report_html(s, "fr")
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
