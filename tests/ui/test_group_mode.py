"""Group mode, headless: the class's votes counted by synthetic keys and clicks, the majority, the tie the
trainer breaks, zero votes refused, the discussion timer on a fake clock, the debrief's votes, the store
and `pandore report` on the group's session, a store that cannot be written, `pandore play X --group`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pygame
import pytest

from game.i18n import t

from .conftest import DATA

K = pygame
VOTE = DATA / "scenarios" / "vote-test" / "fr.yaml"


@pytest.fixture
def group_pilot(home):
    from game.ui.app import open_window
    from game.ui.pilot import Pilot

    def make(lang="fr", dirs=None, size=(1280, 720)):
        p = Pilot(open_window(lang=lang, scenario_path=str(VOTE), seed=1, size=size, dirs=dirs or home, group=True))
        assert p.scene.name == "group_briefing"
        return p

    return make


def start(p):
    p.key(K.K_RETURN)  # « Commencer »
    assert p.scene.name == "group_play", p.scene.name
    return p.scene


def keys(p, *ks):
    for k in ks:
        p.key(k)


def shown_counts(scene) -> dict[str, int]:
    return dict(scene.panel.counts)


def session_of(scene):
    return scene.ctl.session


def test_taps_and_typed_counts_are_the_counts_shown(group_pilot):
    p = group_pilot()
    s = start(p)
    # the visible choices: 1 un, 2 deux, 3 bloque (unavailable), 4 trois; the hidden one is not offered
    assert [v.id for v, *_ in s.panel.rows] == ["un", "deux", "bloque", "trois"]
    assert shown_counts(s) == {"un": 0, "deux": 0, "trois": 0}
    keys(p, K.K_1, K.K_1, K.K_KP1, K.K_2, K.K_4)
    assert shown_counts(s) == {"un": 3, "deux": 1, "trois": 1}
    assert s.status_text() == t("ui.group.hands", n=5)
    # an unavailable choice takes no hand, and the trainer is told why
    p.key(K.K_3)
    assert shown_counts(s) == {"un": 3, "deux": 1, "trois": 1}
    assert s.status_text() == t("ui.group.not_votable", n=3)
    # Backspace removes the last hand given (choice 4's), minus the one before (choice 2's)
    p.key(K.K_BACKSPACE)
    p.key(K.K_MINUS)
    assert shown_counts(s) == {"un": 3, "deux": 0, "trois": 0}
    # select choice 4 (Down skips the unavailable one), type 12, Enter
    keys(p, K.K_DOWN, K.K_DOWN, K.K_DOWN)
    assert s.panel.rows[s.panel.selected][0].id == "trois"
    assert s.status_text() == t("ui.group.typing", n=4)
    keys(p, K.K_1, K.K_2)
    assert s.panel.typed == "12" and shown_counts(s)["trois"] == 0  # not set until Enter
    p.key(K.K_RETURN)
    assert shown_counts(s) == {"un": 3, "deux": 0, "trois": 12}
    assert s.panel.selected == -1 and s.ctl.turn == 0  # Enter set the count; it did not validate
    # typed again: Backspace edits what is typed; Esc leaves the count as it was
    keys(p, K.K_UP, K.K_7, K.K_BACKSPACE, K.K_8, K.K_ESCAPE)
    assert shown_counts(s) == {"un": 3, "deux": 0, "trois": 12}
    keys(p, K.K_UP, K.K_8, K.K_RETURN)  # Up from nothing selected: the last choice
    assert shown_counts(s) == {"un": 3, "deux": 0, "trois": 8}
    assert s.status_text() == t("ui.group.hands", n=11)


def test_the_majority_proceeds_and_the_store_holds_the_vote(group_pilot):
    p = group_pilot()
    s = start(p)
    keys(p, K.K_1, K.K_1, K.K_2, K.K_4)
    p.key(K.K_RETURN)  # « Valider le vote » has the focus
    assert s.report is not None and s.report.choice_text == "Appeler la famille"
    assert s.ctl.turn == 1
    (vote,) = session_of(s).votes()
    assert vote[:5] == (1, "a", {"un": 2, "deux": 1, "trois": 1}, "un", False)
    assert s.ctl.recording.player.row.seed == 1  # the window's --seed is the recorded playthrough's
    # the feedback says by how much
    said = norm(plain(s._feedback_html(s.report)))
    assert norm(t("ui.group.voted", result=t("ui.group.result", n=2, total=4, margin=1))) in said


def test_a_tie_asks_the_trainer_to_pick_among_the_tied_only(group_pilot):
    p = group_pilot()
    s = start(p)
    keys(p, K.K_1, K.K_1, K.K_4, K.K_4, K.K_2)
    p.key(K.K_RETURN)
    assert s.ctl.turn == 0
    assert s.panel.tied == ["un", "trois"]
    assert s.status_text() == t("ui.group.tie", choices="1, 4")
    assert p.button(t("ui.group.back_to_count"))  # the way back to correct the counts
    p.key(K.K_2)  # not tied: refused, said
    assert s.ctl.turn == 0
    assert s.status_text() == t("ui.group.tie_only", choices="1, 4")
    p.key(K.K_3)  # unavailable: refused too
    assert s.ctl.turn == 0
    p.key(K.K_4)
    assert s.ctl.turn == 1 and s.report.choice_text == "En parler au cadre"
    (vote,) = session_of(s).votes()
    assert vote[:5] == (1, "a", {"un": 2, "deux": 1, "trois": 2}, "trois", True)


def test_correcting_a_tie_goes_back_to_counting(group_pilot):
    p = group_pilot()
    s = start(p)
    keys(p, K.K_1, K.K_2, K.K_RETURN)
    assert s.panel.tied == ["un", "deux"]
    p.key(K.K_ESCAPE)
    assert s.panel.tied == [] and p.scene is s  # Esc corrects the vote; it does not open the menu
    keys(p, K.K_2, K.K_RETURN)
    assert s.ctl.turn == 1 and session_of(s).votes()[0][3] == "deux"


def test_zero_votes_cannot_be_validated_and_the_reason_is_shown(group_pilot):
    p = group_pilot()
    s = start(p)
    p.key(K.K_RETURN)
    assert s.ctl.turn == 0 and s.report is None
    assert s.status_text() == t("ui.group.zero")
    keys(p, K.K_1, K.K_BACKSPACE, K.K_RETURN)  # one hand, removed: zero again
    assert s.ctl.turn == 0 and s.status_text() == t("ui.group.zero")
    assert session_of(s).votes() == []


def test_the_timer_counts_down_on_the_fake_clock_then_opens_the_vote(group_pilot):
    p = group_pilot()
    s = start(p)
    assert s.vote_open and s.seconds_left is None  # off by default
    assert p.button(t("ui.group.timer_off"))
    p.key(K.K_t)
    assert s.seconds_left == 30 and not s.vote_open
    assert p.button(t("ui.group.timer_on", n=30)) and p.button(t("ui.group.open_now"))
    p.key(K.K_1)  # the class is talking: no vote yet, said
    assert shown_counts(s)["un"] == 0
    assert s.status_text().startswith(t("ui.group.not_yet", n=0).split(":")[0])
    ctx = p.app.ctx
    start_left = s.timer_left
    ctx.now += 10
    p.step()
    assert s.seconds_left == pytest.approx(int(-(-(start_left - 10) // 1)), abs=1)
    assert 19 <= s.seconds_left <= 21
    ctx.now += 25
    p.step(2)
    assert s.vote_open and s.seconds_left is None
    assert s.status_text() == t("ui.group.vote_open")
    assert p.button(t("ui.group.validate"))
    p.key(K.K_1)
    assert shown_counts(s)["un"] == 1
    # T cycles 30, 60, 90, none; the duration chosen starts again at the next decision
    keys(p, K.K_t)
    assert s.seconds_left == 60 and shown_counts(s)["un"] == 1  # the hands counted stay
    keys(p, K.K_t)
    assert s.seconds_left == 90
    p.key(K.K_t)
    assert s.vote_open
    keys(p, K.K_t)  # 30 s again, then open it now with its button
    p.click_text(t("ui.group.open_now"))
    assert s.vote_open
    p.key(K.K_RETURN)  # un: 1 hand
    assert s.ctl.turn == 1
    p.key(K.K_RETURN)  # past the feedback: the next decision starts its 30 s
    assert s.report is None and 29 <= s.seconds_left <= 30  # (the pilot lets half a second pass per key)


def test_the_counts_stay_through_the_history_and_the_menu(group_pilot):
    p = group_pilot()
    s = start(p)
    keys(p, K.K_1, K.K_1, K.K_2)
    p.key(K.K_h)
    assert p.scene.name == "history"
    p.key(K.K_ESCAPE)
    p.key(K.K_ESCAPE)  # the menu: its note says where the votes are kept
    assert p.scene.name == "pause"
    assert p.scene.ctl is s.ctl
    assert p.button(t("ui.group.quit"))  # never « Enregistrer et quitter »: a group game is not resumed
    p.key(K.K_ESCAPE)
    assert p.scene is s and shown_counts(s) == {"un": 2, "deux": 1, "trois": 0}


def test_quitting_from_the_menu_ends_the_session_and_keeps_its_votes(group_pilot):
    p = group_pilot()
    s = start(p)
    keys(p, K.K_1, K.K_RETURN, K.K_RETURN)
    p.key(K.K_ESCAPE)
    p.click_text(t("ui.group.quit"))
    assert p.scene.name == "title"
    assert s.ctl.session.state == "ended" and len(s.ctl.session.votes()) == 1


def test_restarting_from_the_menu_undoes_the_votes_in_the_session(group_pilot):
    p = group_pilot()
    s = start(p)
    keys(p, K.K_1, K.K_RETURN, K.K_RETURN)
    assert len(session_of(s).votes()) == 1
    p.key(K.K_ESCAPE)
    p.click_text(t("ui.pause.restart"))
    p.click_text(t("ui.pause.restart_confirm"))
    assert p.scene is s and s.ctl.turn == 0
    assert session_of(s).votes() == [] and shown_counts(s) == {"un": 0, "deux": 0, "trois": 0}


def test_the_timer_stops_while_the_menu_is_open(group_pilot):
    p = group_pilot()
    s = start(p)
    p.key(K.K_t)
    p.key(K.K_ESCAPE)  # the pause menu
    assert p.scene.name == "pause"
    p.app.ctx.now += 100
    p.step()
    p.key(K.K_ESCAPE)
    assert p.scene is s and not s.vote_open and s.seconds_left >= 28


def test_by_mouse_only(group_pilot):
    p = group_pilot()
    p.click_text(t("ui.briefing.start"))
    s = p.scene
    assert s.name == "group_play"
    for _ in range(3):
        p.click(s.panel.plus_rect(0).center)
    p.click(s.panel.plus_rect(3).center)
    p.click(s.panel.plus_rect(3).center)
    p.click(s.panel.minus_rect(0).center)
    assert shown_counts(s) == {"un": 2, "deux": 0, "trois": 2}
    p.click(s.panel.row_rect(2).center)  # the unavailable choice: said, not counted
    assert s.status_text() == t("ui.group.not_votable", n=3)
    p.click_text(t("ui.group.validate"))
    assert s.panel.tied == ["un", "trois"]
    p.click(s.panel.pick_rect(0).center)
    assert s.ctl.turn == 1
    p.click_text(t("ui.play.continue"))
    p.click(s.panel.plus_rect(1).center)
    p.click_text(t("ui.group.validate"))
    assert p.scene.name == "debrief"
    assert [v[3] for v in p.scene.ctl.votes()] == ["un", "non"]


def play_two_votes(p):
    s = start(p)
    keys(p, K.K_1, K.K_1, K.K_1, K.K_2, K.K_4, K.K_RETURN)  # un 3, deux 1, trois 1
    p.key(K.K_RETURN)  # the feedback: continue
    keys(p, K.K_1, K.K_2, K.K_RETURN, K.K_2)  # a tie 1-1, the trainer picks « non »
    p.settle()
    p.step(3)
    assert p.scene.name == "debrief"
    return s.ctl


def plain(html: str) -> str:
    """The text of pygame_gui html, its entities read."""
    import html as html_mod
    import re

    return html_mod.unescape(re.sub(r"<[^>]+>", "\n", html))


def norm(s: str) -> str:
    """Spaces as spaces (the catalogues' and keep_together's no-break spaces)."""
    return s.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2060", "")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_debrief_shows_the_votes_in_order(group_pilot, lang):
    p = group_pilot(lang)
    ctl = play_two_votes(p)
    d = p.scene
    text = norm(plain(d._details_html()))
    code = ctl.session.row.code
    expected = [
        t("ui.debrief.group_votes", lang),
        t("ui.group.session_line", lang, code=code, session=ctl.session.row.id),
        t("ui.debrief.group_step", lang, n=1, title="Première décision"),
        "Appeler la famille",
        t("ui.group.result", lang, n=3, total=5, margin=2),
        "Écrire un courriel", t("ui.debrief.group_hands", lang, n=1),
        "En parler au cadre",
        t("ui.debrief.group_step", lang, n=2, title="Deuxième décision"),
        "Clore le dossier",
        t("ui.group.result_tie", lang, n=1, total=2),
        "Proposer un rendez-vous",
        t("ui.debrief.weighed", lang),  # then the usual debrief
    ]
    at = -1
    for piece in expected:
        found = text.find(norm(piece), at + 1)
        assert found > at, (piece, text)
        at = found
    assert "Attendre la réunion" not in text and "Choix caché" not in text  # no vote for those


def test_the_store_holds_the_votes_and_pandore_report_reads_them(group_pilot, capsys):
    from game.classroom.classview import vote_views
    from game.classroom.session import ClassSession
    from game.classroom.store import Store
    from game.cli import main

    p = group_pilot()
    ctl = play_two_votes(p)
    sid = ctl.session.row.id
    store = Store()
    try:
        again = ClassSession.open(store, sid)
        assert again.row.mode == "group" and again.state == "ended"
        assert [pl.row.pseudonym for pl in again.players] == ["Groupe"]
        votes = again.votes()
        assert [(v[0], v[1], v[2], v[3], v[4]) for v in votes] == [
            (1, "a", {"un": 3, "deux": 1, "trois": 1}, "un", False),
            (2, "b", {"oui": 1, "non": 1}, "non", True)]
        views = vote_views(again.rules, votes, again.players[0].pt)
        assert [(v.chosen, v.total, v.margin, v.tie_break) for v in views] == [("un", 5, 2, False),
                                                                               ("non", 2, 0, True)]
    finally:
        store.close()
    capsys.readouterr()
    assert main(["report", ctl.session.row.code, "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()[-1]
    summary = json.loads(out)
    assert summary["participants"] == 1
    assert summary["choices"] == {"a": {"un": 1}, "b": {"non": 1}}
    assert summary["endings"] == {"mal": 1}


def test_undo_goes_through_the_session_and_removes_the_vote(group_pilot):
    p = group_pilot()
    s = start(p)
    keys(p, K.K_2, K.K_RETURN)
    assert len(session_of(s).votes()) == 1
    p.key(K.K_z, mod=K.KMOD_CTRL)
    assert s.ctl.turn == 0 and s.report is None
    assert session_of(s).votes() == []
    assert s.ctl.recording.player.pt.choices == () or list(s.ctl.recording.player.pt.choices) == []
    keys(p, K.K_4, K.K_RETURN)
    assert [v[3] for v in session_of(s).votes()] == ["trois"]


@pytest.fixture
def blocked(tmp_path, monkeypatch):
    """A data folder under a regular file: the store cannot be created, even by root."""
    from game.ui import userdata

    wall = tmp_path / "a-file"
    wall.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("PANDORE_HOME", str(wall))
    return userdata.Dirs(tmp_path / "config", tmp_path / "data", tmp_path / "documents"), wall / "data"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_store_that_cannot_be_written_is_said_before_play(group_pilot, blocked, lang):
    dirs, folder = blocked
    p = group_pilot(lang, dirs=dirs)
    p.key(K.K_RETURN)
    s = p.scene
    assert s.name == "group_store_problem"
    reason = t("ui.problem.missing", lang, folder=str(folder))
    assert s.reason == reason
    assert t("ui.group.store_failed", lang, reason=reason).startswith(t("ui.group.store_failed", lang, reason="")[:20])
    p.key(K.K_RETURN)  # « Retour » has the focus: going on unrecorded is a decision
    assert p.scene.name == "group_briefing"
    p.key(K.K_RETURN)
    p.click_text(t("ui.group.play_unrecorded", lang))
    s = p.scene
    assert s.name == "group_play" and not s.ctl.recorded
    assert s.ctl.save_problem() == reason  # the top bar says « non enregistrée »; the pause menu says why
    keys(p, K.K_1, K.K_RETURN, K.K_RETURN, K.K_2, K.K_RETURN)
    p.settle()
    assert p.scene.name == "debrief"
    text = norm(plain(p.scene._details_html()))
    assert norm(t("ui.group.unrecorded_line", lang, reason=reason)) in text
    assert norm(t("ui.debrief.group_step", lang, n=2, title="Deuxième décision")) in text  # kept in memory


def test_the_title_menu_offers_group_play(home):
    from game.ui.app import open_window
    from game.ui.pilot import Pilot

    p = Pilot(open_window(lang="fr", size=(1280, 720), dirs=home))
    p.click_text(t("ui.title.group"))
    assert p.scene.name == "group_picker"
    p.key(K.K_ESCAPE)
    p2 = Pilot(open_window(lang="en", size=(1280, 720), dirs=home))
    assert t("ui.title.group", "en") in [b.text for b in p2.buttons()]


def test_screenshots_in_both_themes(group_pilot, home, tmp_path):
    out = Path(os.environ.get("PANDORE_SHOTS") or tmp_path)  # PANDORE_SHOTS=folder keeps them to look at
    out.mkdir(parents=True, exist_ok=True)
    for contrast in (False, True):
        home.config.mkdir(parents=True, exist_ok=True)
        home.settings_file.write_text(json.dumps({"language": "fr", "high_contrast": contrast}), encoding="utf-8")
        p = group_pilot()
        assert p.app.ctx.settings.high_contrast is contrast
        s = start(p)
        keys(p, K.K_1, K.K_1, K.K_4, K.K_DOWN, K.K_1, K.K_2)
        name = "hc" if contrast else "default"
        p.shot(out / f"group-vote-{name}.png")
        p.key(K.K_RETURN)
        p.key(K.K_t)
        p.shot(out / f"group-timer-{name}.png")
        assert s.seconds_left == 30
