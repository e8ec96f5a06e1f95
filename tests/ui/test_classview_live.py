"""The trainer's live class view, headless, against a real host served from the window (BackgroundHost) with
30 trainees playing through the HTTP API: what it shows equals GET /summary; hold, reveal, release, undo,
pause and end, by keyboard only and by mouse only; the window's close button asks while hosting."""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

import httpx
import pygame
import pytest

from game.authoring import library
from game.classroom.classview import decisions
from game.engine import Playthrough, Rejected
from game.i18n import t
from game.ui.scene import Push
from game.ui.scenes.classview import REFRESH

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class Trainee:
    """One simulated trainee: joins over HTTP, keeps their playthrough to know what they may choose."""

    def __init__(self, api: str, rules, name: str):
        r = httpx.post(f"{api}/participants", json={"pseudonym": name}, timeout=10, trust_env=False)
        assert r.status_code == 201, r.text
        b = r.json()
        self.api, self.name, self.token, self.ptid = api, name, b["token"], b["playthrough_id"]
        self.pt = Playthrough.start(rules, b["seed"])
        self.rng = random.Random(name)

    @property
    def node(self) -> str | None:
        return None if self.pt.state.finished else self.pt.state.node

    def choose(self, choice: str | None = None) -> httpx.Response:
        if choice is None:
            choice = self.rng.choice([c.id for c in self.pt.rules.choices(self.pt.state) if c.available])
        r = httpx.post(f"{self.api}/choices", headers={"Authorization": f"Bearer {self.token}"},
                       json={"playthrough_id": self.ptid, "seq": len(self.pt.choices) + 1, "choice": choice},
                       timeout=10, trust_env=False)
        if r.status_code == 201:
            nxt = self.pt.choose(choice)
            assert not isinstance(nxt, Rejected)
            self.pt = nxt
        return r

    def undo(self) -> httpx.Response:
        r = httpx.post(f"{self.api}/undo", headers={"Authorization": f"Bearer {self.token}"},
                       json={"playthrough_id": self.ptid, "seq": len(self.pt.choices)}, timeout=10, trust_env=False)
        if r.status_code == 200:
            self.pt = self.pt.undo()
        return r


def until(pilot, test, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if test():
            return True
        pilot.step()
        time.sleep(0.02)
    return bool(test())


@pytest.fixture
def hosted(make_pilot):
    """A window hosting the tutorial on loopback, its hosting screen on top; the API's address."""
    from game.ui.scenes.host_screen import HostScene, guard_close

    made = []

    def make(size=(1280, 720), lang="fr"):
        pilot = make_pilot(size=size, lang=lang)
        scene = HostScene(pilot.app.ctx, library.resolve("tutoriel", lang), bind="127.0.0.1", port=0)
        pilot.app._apply(Push(scene))
        pilot.settle()
        assert scene.error is None, scene.error
        made.append(scene)
        api = scene.join_url.replace("/j/", "/api/v1/sessions/")
        return pilot, scene, api

    yield make
    for scene in made:
        if scene.host is not None:
            scene.host.stop()
    guard_close(False)


def summary(host_scene, api: str) -> dict:
    r = httpx.get(f"{api}/summary", headers={"Authorization": f"Bearer {host_scene.host.session.row.trainer_token}"},
                  timeout=10, trust_env=False)
    assert r.status_code == 200
    return r.json()


def select(pilot, view, node: str) -> None:
    """Cycle the decisions with Page Down until `node` is selected (keyboard only)."""
    for _ in range(len(view.decisions) + 1):
        if view.selected == node:
            return
        pilot.key(pygame.K_PAGEDOWN)
    assert view.selected == node


def bar_labels(node: str, s: dict, lang: str = "fr") -> dict[str, str]:
    """What the view must write beside each choice's bar, from the summary (counts, rounded percents)."""
    by = s["choices"].get(node, {})
    total = sum(by.values())
    return {c: t("ui.classview.split.bar", lang, n=n, percent=round(100 * n / total)) for c, n in by.items()}


def choice_texts(rules, node: str) -> dict[str, str]:
    return {(c.id or f"{node}.{i}"): c.text for i, c in enumerate(rules.scenario.nodes[node].choices, 1)}


def check_split_equals_summary(pilot, view, host_scene, api, node: str, tmp_path: Path) -> None:
    s = summary(host_scene, api)
    assert until(pilot, lambda: view.view.summary == summary(host_scene, api))
    select(pilot, view, node)
    pilot.step(2)
    shown = view.shown()
    labels = bar_labels(node, s)
    texts = choice_texts(host_scene.host.session.rules, node)
    for choice, label in labels.items():
        i = shown.index(texts[choice])  # the choice's whole text, then its count and percent
        assert shown[i + 1] == label
    # the bars: one per choice, widths in proportion to the counts, drawn in the bar colour
    drawn = {c: (rect, n, total, room) for c, rect, n, total, room in view.bars}
    assert set(drawn) == set(texts)
    total = sum(s["choices"][node].values())
    shot = tmp_path / "bars.png"
    pilot.shot(shot)
    img = pygame.image.load(str(shot))
    fill = pilot.app.ctx.colour("gauge_fill")[:3]
    for c, (rect, n, tot, room) in drawn.items():
        assert n == s["choices"][node].get(c, 0) and tot == total
        assert abs(rect.width - room * n / total) <= 1
        if rect.width >= 3:
            assert tuple(img.get_at(rect.center))[:3] == fill
    widths = sorted((n, rect.width) for rect, n, _t, _r in drawn.values())
    assert [w for _n, w in widths] == sorted(w for _n, w in widths)
    # the trainees at each node, on the map, as the summary says
    assert view.map.annotations == {k: str(v) for k, v in s["at"].items() if v}
    assert f"{s['participants']} stagiaires" in shown[2]


def test_the_live_view_by_keyboard_only_with_30_trainees(hosted, tmp_path, monkeypatch):
    pilot, host_scene, api = hosted()
    session = host_scene.host.session
    rules = session.rules
    pilot.key(pygame.K_c)
    view = pilot.scene
    assert view.name == "classview"
    trainees = [Trainee(api, rules, f"Élève {i:02d}") for i in range(30)]
    for tr in trainees:
        assert tr.choose().status_code == 201  # everyone answers the first decision
    for tr in trainees[:12]:
        assert tr.choose().status_code == 201
    start = rules.scenario.start
    check_split_equals_summary(pilot, view, host_scene, api, start, tmp_path)

    # a choice is on screen within a second, the window stepping as it does when idle (blocking)
    s0 = summary(host_scene, api)
    mover = next(tr for tr in trainees[12:] if tr.node == "sms")
    before = view.refreshes
    t0 = time.monotonic()
    assert mover.choose().status_code == 201
    while view.view.summary == s0 and time.monotonic() - t0 < 3:
        pilot.app.step(block=True)
    assert view.view.summary == summary(host_scene, api)
    assert time.monotonic() - t0 < 1.0 and view.refreshes > before

    # nothing changes: nothing is read again before its time, nothing is drawn again (the status reading
    # every few seconds is put off for this part: on a loaded machine its time could fall inside it)
    with monkeypatch.context() as m:
        m.setattr("game.ui.scenes.classview.STATUS_REFRESH", 600.0)
        time.sleep(REFRESH + 0.1)
        pilot.settle()
        draws, refreshes = pilot.app.draws, view.refreshes
        for _ in range(10):  # no event (a timer another test left would bring its own): the view alone
            pilot.app.step(block=False, events=[])
            time.sleep(0.02)
        assert pilot.app.draws == draws and view.refreshes == refreshes

    # fewer than 5 answers: the split is not shown
    few_node = "rendez_vous"
    waiting = [tr for tr in trainees if tr.node == few_node]
    assert len(waiting) >= 3
    s = summary(host_scene, api)
    while sum(s["choices"].get(few_node, {}).values()) < 2:
        assert waiting.pop().choose().status_code == 201
        s = summary(host_scene, api)
    assert until(pilot, lambda: view.view.summary == summary(host_scene, api))
    select(pilot, view, few_node)
    shown = view.shown()
    assert "Moins de 5 réponses : répartition masquée" in shown
    assert not [x for x in shown if x in bar_labels(few_node, s).values()] and view.bars == []

    # hold the class at « sms »: the trainees there wait (423), the others go on; the split is hidden
    select(pilot, view, "sms")
    pilot.key(pygame.K_h)
    assert until(pilot, lambda: session.held_node == "sms" and view.view.held_node == "sms")
    assert until(pilot, lambda: view.job is None)
    at_sms = [tr for tr in trainees if tr.node == "sms"]
    r = at_sms[0].choose()
    assert r.status_code == 423 and r.json()["error"] == "held"
    elsewhere = next(tr for tr in trainees if tr.node not in (None, "sms"))
    assert elsewhere.choose().status_code == 201
    pilot.step(2)
    shown = view.shown()
    assert t("ui.classview.split.held", "fr") in shown
    title = dict(decisions(session.rules))["sms"]  # no title in the scenario: the start of its text
    assert f"Classe retenue à « {title} »" in shown
    assert view.bars == []
    # revealed: the split is there, and equal to the summary
    pilot.key(pygame.K_r)
    assert until(pilot, lambda: view.view.revealed and view.job is None)
    check_split_equals_summary(pilot, view, host_scene, api, "sms", tmp_path)
    pilot.key(pygame.K_r)  # hidden again
    assert until(pilot, lambda: not view.view.revealed and view.job is None)
    pilot.step(2)
    assert view.bars == [] and t("ui.classview.split.held", "fr") in view.shown()
    # released: they go on
    pilot.key(pygame.K_l)
    assert until(pilot, lambda: session.held_node is None and view.job is None)
    assert at_sms[0].choose().status_code == 201

    # undo forbidden (403), then allowed (200)
    pilot.key(pygame.K_u)
    assert until(pilot, lambda: not session.undo_allowed and view.job is None)
    assert "annulation interdite" in view.shown()[2]
    assert at_sms[0].undo().status_code == 403
    pilot.key(pygame.K_u)
    assert until(pilot, lambda: session.undo_allowed and view.job is None)
    assert at_sms[0].undo().status_code == 200

    # pause and resume
    pilot.key(pygame.K_p)
    assert until(pilot, lambda: session.state == "paused" and view.job is None)
    r = at_sms[1].choose()
    assert r.status_code == 423 and r.json()["error"] == "paused"
    assert "En pause" in view.shown()
    pilot.key(pygame.K_p)
    assert until(pilot, lambda: session.state == "running" and view.job is None)

    # pseudonyms: hidden by default, shown with N
    pilot.key(pygame.K_4)
    assert "Stagiaire 1" in view.shown() and "Élève 00" not in view.shown()
    pilot.key(pygame.K_n)
    assert "Élève 00" in view.shown() and "Stagiaire 1" not in view.shown()
    pilot.key(pygame.K_n)
    pilot.key(pygame.K_1)

    # end, after a confirmation (Tab to « Terminer la séance », Enter); trainees' next choice: 423 ended
    pilot.key(pygame.K_e)
    assert pilot.scene.name == "confirm"
    pilot.key(pygame.K_TAB)
    pilot.key(pygame.K_RETURN)
    assert pilot.scene is view
    assert until(pilot, lambda: session.state == "ended" and view.view.state == "ended" and view.job is None)
    r = next(tr for tr in trainees if tr.node is not None).choose()
    assert r.status_code == 423 and r.json()["error"] == "ended"
    assert "Rapport de séance (R)" in [b.text for b in pilot.buttons()]
    assert "Séance terminée" in view.shown()
    # the frame on screen already shows the new buttons (they are made as the answer comes back; nothing
    # else happens until the trainer's next key: the screen must not wait for it)
    shown_now = pygame.image.tobytes(pilot.app.screen, "RGB")
    pilot.app.dirty = True
    pilot.step(2)
    assert pygame.image.tobytes(pilot.app.screen, "RGB") == shown_now

    # the report: written atomically to the data folder, opened in the browser, where it is said
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    pilot.key(pygame.K_r)
    assert until(pilot, lambda: view.job is None and view.report_path is not None)
    from game.classroom.report import report_html
    from game.classroom.store import default_folder

    path = view.report_path
    assert path.parent == default_folder() / "reports"
    assert path.read_text(encoding="utf-8") == report_html(session, "fr")
    assert opened == [path.as_uri()]
    pilot.step(2)
    assert f"Rapport de séance écrit dans {path} et ouvert dans le navigateur." in view.shown()

    # a report that cannot be written is said, never a traceback
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr("game.ui.scenes.classview.report_folder", lambda: blocker / "reports")
    view.report_path = None
    pilot.key(pygame.K_r)
    assert until(pilot, lambda: view.job is None)
    pilot.step(2)
    told = [x for x in view.shown() if x.startswith("Le rapport n’a pas pu être écrit dans")]
    assert told and str(blocker / "reports") in told[0]
    assert pilot.scene is view

    pilot.key(pygame.K_ESCAPE)
    assert pilot.scene is host_scene


def test_the_live_view_by_mouse_only(hosted, monkeypatch):
    pilot, host_scene, api = hosted()
    session = host_scene.host.session
    pilot.click_text("Vue de la classe (C)")
    view = pilot.scene
    assert view.name == "classview"
    trainees = [Trainee(api, session.rules, f"Souris {i}") for i in range(8)]
    for tr in trainees:
        assert tr.choose().status_code == 201
    for tr in trainees[:6]:
        assert tr.choose().status_code == 201
    assert until(pilot, lambda: view.view.summary == summary(host_scene, api))
    # a node clicked on the map is the decision shown
    pilot.click(view.map.box_rect("sms").center)
    assert view.selected == "sms"
    pilot.click_text("Retenir la classe ici (H)")
    assert until(pilot, lambda: session.held_node == "sms" and view.job is None)
    waiting = [tr for tr in trainees if tr.node == "sms"]
    assert waiting and waiting[0].choose().status_code == 423
    pilot.click_text("Révéler la répartition (R)")
    assert until(pilot, lambda: session.revealed and view.job is None)
    pilot.step(2)
    assert view.bars  # 6 answers: shown
    pilot.click_text("Libérer la classe (L)")
    assert until(pilot, lambda: session.held_node is None and view.job is None)
    assert waiting[0].choose().status_code == 201
    pilot.click_text("Interdire l’annulation (U)")
    assert until(pilot, lambda: not session.undo_allowed and view.job is None)
    assert waiting[0].undo().status_code == 403
    pilot.click_text("Permettre l’annulation (U)")
    assert until(pilot, lambda: session.undo_allowed and view.job is None)
    assert waiting[0].undo().status_code == 200
    pilot.click_text("Stagiaires (4)")
    assert view.pane == "roster" and "Stagiaire 8" in view.shown()
    pilot.click_text("Afficher les pseudonymes (N)")
    assert "Souris 7" in view.shown()
    pilot.click_text("Mode projecteur (F)")
    assert view.projector and t("ui.classview.legend", "fr") in view.shown()
    pilot.click_text("Quitter le mode projecteur (F)")
    assert not view.projector
    pilot.click_text("Terminer la séance (E)")
    assert pilot.scene.name == "confirm"
    pilot.click_text("Continuer")  # the safe answer: nothing ends
    assert pilot.scene is view and session.state == "running"
    pilot.click_text("Terminer la séance (E)")
    pilot.click_text("Terminer la séance")
    assert until(pilot, lambda: session.state == "ended" and view.job is None)
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or False)  # no browser here
    pilot.click_text("Rapport de séance (R)")
    assert until(pilot, lambda: view.job is None and view.report_path is not None)
    pilot.step(2)
    assert view.report_path.is_file() and opened
    said = f"Rapport de séance écrit dans {view.report_path}. Aucun navigateur"
    assert any(x.startswith(said) for x in view.shown())
    pilot.click_text("Retour (Échap)")
    assert pilot.scene is host_scene


def test_closing_the_window_while_hosting_asks_and_keeps_the_session(hosted):
    from game.classroom.session import ClassSession
    from game.classroom.store import Store

    pilot, host_scene, api = hosted()
    Trainee(api, host_scene.host.session.rules, "Ali").choose()
    assert pygame.event.get_blocked(pygame.QUIT)  # the close button cannot end the program unasked
    pilot.post(pygame.WINDOWCLOSE)
    pilot.step(2)
    assert pilot.scene.name == "confirm" and pilot.app.running
    sid = host_scene.host.session.row.id
    assert pilot.scene.question == t("ui.classe.host.confirm_quit", "fr", session=sid)
    assert "reste gardée" in pilot.scene.question
    pilot.click_text("Rester")
    assert pilot.scene is host_scene and host_scene.host is not None and pilot.app.running
    # from the class view too
    pilot.key(pygame.K_c)
    pilot.post(pygame.WINDOWCLOSE)
    pilot.step(2)
    assert pilot.scene.name == "confirm"
    pilot.click_text("Fermer Pandore")
    assert not pilot.app.running
    assert not pygame.event.get_blocked(pygame.QUIT)
    kept = ClassSession.open(Store(), sid)
    assert kept is not None and len(kept.players) == 1 and kept.state == "running"
    kept.store.close()


def test_stopping_the_host_lets_the_window_close_again(hosted):
    pilot, host_scene, _api = hosted()
    assert pygame.event.get_blocked(pygame.QUIT)
    host_scene.stop()
    assert not pygame.event.get_blocked(pygame.QUIT)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("contrast", [False, True])
def test_projector_type_is_large_and_nothing_is_cut(hosted, tmp_path, size, contrast):
    """The projector's split at its full type (no shrinking needed), the body type at least 1/24 of the
    window's height; every choice text drawn whole; screenshots for a look."""
    from game.ui.scene import ApplySettings

    pilot, host_scene, api = hosted(size=size)
    if contrast:
        pilot.app._apply(ApplySettings(pilot.app.ctx.settings.with_(high_contrast=True)))
        pilot.settle()
    session = host_scene.host.session
    pilot.key(pygame.K_c)
    view = pilot.scene
    trainees = [Trainee(api, session.rules, f"P{i}") for i in range(30)]
    for tr in trainees:
        tr.choose()
    for tr in trainees[:20]:
        tr.choose()
    assert until(pilot, lambda: view.view.summary == summary(host_scene, api))
    select(pilot, view, "sms")
    pilot.key(pygame.K_f)
    assert view.projector
    pilot.step(2)
    name = f"classview-{size[0]}x{size[1]}-{'contrast' if contrast else 'default'}"
    pilot.shot(tmp_path / f"{name}.png")
    shown, scale = view.shown(), view.pane_scale
    for i, pane in enumerate(("gauges", "endings", "roster"), 2):
        pilot.key(getattr(pygame, f"K_{i}"))
        pilot.shot(tmp_path / f"{name}-{pane}.png")
    keep = os.environ.get("PANDORE_SHOTS")  # to look at them: PANDORE_SHOTS=folder
    if keep:
        for p in tmp_path.glob("classview-*.png"):
            shutil.copy(p, Path(keep) / p.name)
    assert scale == pytest.approx(view.scale)
    assert view.size("body") * 26 >= size[1]
    for text in choice_texts(session.rules, "sms").values():
        assert text in shown


def test_the_window_client_waits_with_the_trainers_words_and_sees_its_path_at_the_end(hosted, tmp_path):
    from tests.ui.test_classe import fill, open_join, play_one, submit

    pilot, host_scene, _api = hosted()
    session = host_scene.host.session
    scene = open_join(pilot, browse=lambda timeout: [])
    fill(scene, address=host_scene.host.address.url, code=session.row.code, pseudonym="Ada")
    submit(pilot, scene)
    assert pilot.scene.name == "class_play"
    play = pilot.scene
    ctl = play.ctl
    try:
        session.control("hold", ctl.state.node)
        assert until(pilot, lambda: ctl.blocked() == "class.notice.held")
        pilot.step(2)
        # before any choice is tried: the trainer's words over the veiled choices
        assert play.waiting_text == ("Le ou la formateur·rice a mis la classe en pause pour discuter : "
                                     "attendez son signal.")
        pilot.shot(tmp_path / "held.png")
        if os.environ.get("PANDORE_SHOTS"):
            shutil.copy(tmp_path / "held.png", Path(os.environ["PANDORE_SHOTS"]) / "window-client-held.png")
        img = pygame.image.load(str(tmp_path / "held.png"))
        assert tuple(img.get_at(play.choices.rect.center))[:3] == pilot.app.ctx.colour("warning_bg")[:3]
        pilot.key(pygame.K_1)
        assert ctl.turn == 0
        session.control("release")
        assert until(pilot, lambda: ctl.blocked() is None)
        play_one(pilot)
        assert until(pilot, lambda: ctl.worker.waiting == 0)
        # the end: the path so far opens
        session.control("end")
        assert until(pilot, lambda: pilot.scene.name == "class_ended")
        assert pilot.scene.ctl is ctl
    finally:
        ctl.close()


def test_the_view_in_english_hides_a_small_split(hosted):
    pilot, host_scene, api = hosted(lang="en")
    session = host_scene.host.session
    pilot.key(pygame.K_c)
    view = pilot.scene
    for i in range(3):
        Trainee(api, session.rules, f"E{i}").choose()
    assert until(pilot, lambda: view.view.summary == summary(host_scene, api))
    select(pilot, view, session.rules.scenario.start)
    pilot.step(2)
    shown = view.shown()
    assert "Fewer than 5 answers: split hidden" in shown and view.bars == []
    assert shown[2].startswith("3 trainees · ")
    title = dict(decisions(session.rules))["accueil"]
    assert f"Decision: {title}" in shown and "Running" in shown
    pilot.key(pygame.K_4)
    assert "Trainee 1" in view.shown() and "E0" not in view.shown()
    from game.ui.scene import ApplySettings

    pilot.app._apply(ApplySettings(pilot.app.ctx.settings.with_(language="fr")))
    pilot.settle()
    where = dict(decisions(session.rules))["sms"]
    assert "Stagiaire 1" in view.shown() and f"en jeu · {where} · 1 choix" in view.shown()
