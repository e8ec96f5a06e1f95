"""The window's « Classe » screens, headless: hosting, joining (LAN or typed), the outbox against a real
host stopped for 10 s mid-play, and what the user is told on each, in French and English."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pygame
import pytest

from game.authoring import library
from game.ui.scene import Push

ROOT = Path(__file__).resolve().parents[2]


# ---- a real host, on a port of our choosing (a --resume comes back on the same one) --------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Host:
    def __init__(self, home: Path, port: int, *args: str):
        env = {**os.environ, "PANDORE_HOME": str(home), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "host", *args, "--headless", "--json",
                                      "--bind", "127.0.0.1", "--port", str(port)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        line = self.proc.stdout.readline()
        assert line, self.proc.stderr.read()
        self.info = json.loads(line)
        deadline = time.monotonic() + 15
        while True:
            try:
                if httpx.get(f"{self.info['url']}/healthz", timeout=2, trust_env=False).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and self.proc.poll() is None, "the host did not answer"
            time.sleep(0.05)

    def summary(self) -> dict:
        api = f"{self.info['url']}/api/v1/sessions/{self.info['code']}"
        return httpx.get(f"{api}/summary", headers={"Authorization": f"Bearer {self.info['trainer_token']}"},
                         timeout=5, trust_env=False).json()

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


def until(pilot, test, seconds: float = 20.0) -> bool:
    """Step the window (it must stay responsive) until `test()` holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if test():
            return True
        pilot.step()
        time.sleep(0.02)
    return bool(test())


def open_join(pilot, **kw):
    from game.ui.scenes.join import JoinScene

    scene = JoinScene(pilot.app.ctx, **kw)
    pilot.app._apply(Push(scene))
    pilot.settle()
    scene.wait()
    pilot.settle()
    return scene


def fill(scene, **values) -> None:
    for k, v in values.items():
        scene.entries[k].set_text(v)


def submit(pilot, scene, lang="fr") -> None:
    pilot.click_text("Rejoindre" if lang == "fr" else "Join")
    scene.wait()
    pilot.settle()


def status(pilot) -> str:
    return pilot.scene.ctl.status_line()[0]


def play_one(pilot) -> None:
    """Choose the first available choice, then go past the feedback."""
    scene = pilot.scene
    ctl = scene.ctl
    choice = next(c.id for c in ctl.view_at(-1).choices if c.available)
    index = [c.id for c in ctl.view_at(-1).choices].index(choice)
    turn = ctl.turn
    pilot.key(pygame.K_1 + index)
    assert ctl.turn == turn + 1
    if pilot.scene.name == "class_play" and pilot.scene.report is not None:
        pilot.key(pygame.K_RETURN)


# ---- the required one: the host stopped for 10 s mid-play -------------------------------------------

@pytest.mark.slow
def test_the_window_keeps_the_choices_while_the_host_is_down_and_sends_them_when_it_is_back(make_pilot, tmp_path):
    port = free_port()
    host = Host(tmp_path / "host-home", port, "tutoriel")
    try:
        pilot = make_pilot()
        pilot.click_text("Classe")
        pilot.click_text("Rejoindre une séance")
        scene = pilot.scene
        assert scene.name == "join"
        scene.wait()
        pilot.settle()
        # this build looks for sessions by name; without the discovery module, typing is offered
        assert scene.search_note in ("La recherche sur le réseau n’est pas disponible ici : tapez l’adresse et le code.",
                                     "Aucune séance trouvée sur ce réseau (beaucoup de réseaux d’école bloquent la "
                                     "recherche) : tapez l’adresse et le code.")
        fill(scene, address=f"127.0.0.1:{port}", code=host.info["code"].lower(), pseudonym="Camille")
        submit(pilot, scene)
        assert pilot.scene.name == "class_play", scene.error
        ctl = pilot.scene.ctl
        assert until(pilot, lambda: ctl.remote is not None)
        play_one(pilot)
        assert until(pilot, lambda: ctl.worker.waiting == 0)
        assert host.summary()["choices_made"] == 1
        assert status(pilot).startswith(f"Séance {host.info['code']} · Camille")

        assert host.stop() == 0
        down = time.monotonic()
        play_one(pilot)
        play_one(pilot)
        assert ctl.turn == 3 and not ctl.finished
        assert until(pilot, lambda: ctl.box.status == "reconnecting", 10)
        assert status(pilot) == "Reconnexion… (2 choix en attente, gardés sur cet ordinateur)"
        pilot.shot(tmp_path / "reconnecting.png")
        saved = json.loads(ctl.box.path.read_text(encoding="utf-8"))
        assert [p["seq"] for p in saved["pending"]] == [2, 3]  # on disk, in order
        until(pilot, lambda: time.monotonic() - down >= 10, 15)
        assert ctl.worker.waiting == 2 and status(pilot).startswith("Reconnexion…")  # kept, said, not lost

        again = Host(tmp_path / "host-home", port, "--resume", host.info["session"])
        try:
            assert until(pilot, lambda: ctl.worker.waiting == 0, 30)
            s = again.summary()
            assert s["participants"] == 1 and s["choices_made"] == 3
            assert until(pilot, lambda: ctl.remote is not None and ctl.remote["playthrough"]["seq"] == 3, 10)
            assert ctl.all_differences == [] and ctl.box.refused == []
            assert status(pilot) == f"Séance {host.info['code']} · Camille · choix envoyés"
            while not ctl.finished:  # and the play goes on to an ending, every choice acknowledged
                play_one(pilot)
            assert until(pilot, lambda: ctl.worker.waiting == 0, 20)
            assert again.summary()["endings"] == {ctl.state.ending: 1}
            assert pilot.scene.name == "class_debrief"
            pilot.shot(tmp_path / "debrief.png")
            # all sent and the host agrees: the window's threads end by themselves
            assert until(pilot, lambda: not ctl.worker.thread.is_alive() and not ctl._status_thread.is_alive(), 15)
        finally:
            again.stop()
        ctl.close()
    finally:
        host.stop()


# ---- joining: what the user is told ----------------------------------------------------------------

@pytest.fixture(scope="module")
def live_host(tmp_path_factory):
    h = Host(tmp_path_factory.mktemp("host"), free_port(), "tutoriel")
    yield h
    h.stop()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_join_refusals_are_told_in_the_users_language(make_pilot, live_host, lang):
    pilot = make_pilot(lang=lang)
    from game.ui.userdata import Settings  # noqa: F401  (the window's language is the saved one)

    pilot.app.apply_settings(pilot.app.ctx.settings.with_(language=lang))
    scene = open_join(pilot, browse=lambda timeout: [])
    none = {"fr": "Aucune séance trouvée sur ce réseau", "en": "No session found on this network"}[lang]
    assert scene.search_note.startswith(none)
    url = live_host.info["url"]
    cases = {
        "fr": [(dict(address="", code="", pseudonym="Camille"),
                "Tapez l’adresse de la séance (écrite au tableau), ou choisissez une séance trouvée sur le réseau."),
               (dict(address=url, code="", pseudonym="Camille"), "Tapez le code de la séance (écrit au tableau)."),
               (dict(address=url, code="ZZZZZZ", pseudonym="Camille"),
                "Aucune séance n’a ce code ici. Vérifiez le code écrit au tableau."),
               (dict(address=url, code=live_host.info["code"], pseudonym="  "),
                "Choisissez un pseudonyme de 1 à 32 caractères, sans caractère spécial invisible."),
               (dict(address=f"127.0.0.1:{free_port()}", code="ABCDEF", pseudonym="Camille"),
                "Impossible de joindre http://127.0.0.1:"),],
        "en": [(dict(address="", code="", pseudonym="Sam"),
                "Type the session's address (written on the board), or choose a session found on the network."),
               (dict(address=url, code="", pseudonym="Sam"), "Type the session code (written on the board)."),
               (dict(address=url, code="ZZZZZZ", pseudonym="Sam"),
                "No session has this code here. Check the code on the board."),
               (dict(address=url, code=live_host.info["code"], pseudonym="  "),
                "Choose a pseudonym of 1 to 32 characters"),
               (dict(address=f"127.0.0.1:{free_port()}", code="ABCDEF", pseudonym="Sam"),
                "Cannot reach http://127.0.0.1:"),],
    }[lang]
    for values, told in cases:
        fill(scene, **values)
        submit(pilot, scene, lang)
        assert pilot.scene is scene and scene.error is not None and scene.error.startswith(told), scene.error
    # the notice of what is recorded is the browser join page's, word for word
    from game.i18n import t

    assert t("class.join.privacy", lang) in [scene.t("class.join.privacy")]
    assert {"fr": "Aucune adresse IP", "en": "No IP address"}[lang] in t("class.join.privacy", lang)


def test_a_session_found_on_the_lan_is_joined_with_a_click(make_pilot, live_host):
    from typing import NamedTuple

    class Found(NamedTuple):
        name: str
        url: str
        code: str

    asked = []

    def browse(timeout: float):
        asked.append(timeout)
        return [Found(f"Pandore {live_host.info['code']}", live_host.info["url"], live_host.info["code"])]

    pilot = make_pilot()
    scene = open_join(pilot, browse=browse)
    assert asked == [1.5]
    label = f"Pandore {live_host.info['code']} — {live_host.info['url']}"  # the name holds the code already
    pilot.click_text(label)
    assert scene.entries["address"].get_text() == live_host.info["url"]
    assert scene.entries["code"].get_text() == live_host.info["code"]
    fill(scene, pseudonym="Noa")
    submit(pilot, scene)
    assert pilot.scene.name == "class_play"
    assert pilot.scene.notice == "Vous jouez dans la séance sous le pseudonyme « Noa »."
    pilot.scene.ctl.close()


def test_a_failing_search_says_to_type_the_address(make_pilot):
    def browse(timeout):
        raise OSError("multicast blocked")

    pilot = make_pilot()
    scene = open_join(pilot, browse=browse)
    assert scene.search_note == "La recherche sur le réseau a échoué : tapez l’adresse et le code."


def test_typed_addresses():
    from game.ui.scenes.join import parse_address

    assert parse_address("192.168.1.20") == ("http://192.168.1.20:8765", None)
    assert parse_address(" 192.168.1.20:9000 ") == ("http://192.168.1.20:9000", None)
    assert parse_address("http://10.0.0.5:8765/j/k7qm2x") == ("http://10.0.0.5:8765", "K7QM2X")
    assert parse_address("https://pandore.ecole.fr/classe/j/ABC234") == ("https://pandore.ecole.fr/classe", "ABC234")
    assert parse_address("") == ("", None)


# ---- undo follows the trainer -------------------------------------------------------------------------

def test_undo_follows_the_trainers_setting(make_pilot, live_host):
    pilot = make_pilot()
    scene = open_join(pilot, browse=lambda timeout: [])
    fill(scene, address=live_host.info["url"], code=live_host.info["code"], pseudonym="Lou")
    submit(pilot, scene)
    ctl = pilot.scene.ctl
    play_one(pilot)
    assert until(pilot, lambda: ctl.worker.waiting == 0)
    api = f"{live_host.info['url']}/api/v1/sessions/{live_host.info['code']}"
    trainer = {"Authorization": f"Bearer {live_host.info['trainer_token']}"}
    httpx.post(f"{api}/control", json={"action": "forbid_undo"}, headers=trainer, trust_env=False)
    try:
        pilot.key(pygame.K_z, mod=pygame.KMOD_CTRL)
        # asked from a thread: the window says so meanwhile, and takes no choice until the answer
        assert pilot.scene._undoing is None or pilot.scene.notice == "Annulation demandée à la séance…"
        assert until(pilot, lambda: pilot.scene._undoing is None)
        assert ctl.turn == 1 and pilot.scene.notice == "L’annulation n’est pas permise dans cette séance."
        assert until(pilot, lambda: ctl.remote is not None and ctl.remote["undo"] is False)
        assert not ctl.can_undo
    finally:
        httpx.post(f"{api}/control", json={"action": "allow_undo"}, headers=trainer, trust_env=False)
    assert until(pilot, lambda: ctl.remote["undo"] is True) and ctl.can_undo
    pilot.key(pygame.K_z, mod=pygame.KMOD_CTRL)
    assert until(pilot, lambda: pilot.scene._undoing is None)
    assert ctl.turn == 0 and pilot.scene.notice == pilot.scene.t("ui.play.undone")
    assert until(pilot, lambda: ctl.remote["playthrough"]["seq"] == 0) and ctl.all_differences == []
    ctl.close()


# ---- hosting from the window ---------------------------------------------------------------------------

def test_hosting_shows_the_code_the_address_a_qr_code_and_the_trainees(make_pilot, tmp_path, monkeypatch):
    from game.ui.scenes import host_screen
    from game.ui.scenes.host_screen import HostScene, qr_surface

    # the window hosts on every interface, port 8765; a test keeps to loopback and a free port
    monkeypatch.setattr(host_screen, "DEFAULT_BIND", "127.0.0.1")
    monkeypatch.setattr(host_screen, "DEFAULT_PORT", 0)

    pilot = make_pilot()
    pilot.click_text("Classe")
    pilot.click_text("Animer une séance")
    assert pilot.scene.name == "host_picker"
    hosts = [b for b in pilot.buttons() if b.text == "Animer"]
    assert hosts and not [b for b in pilot.buttons() if b.text == "Découvrir"]
    pilot.click(hosts[0].get_abs_rect().center)  # the first card's scenario, hosted from the window
    assert pilot.scene.name == "host" and pilot.scene.error is None and pilot.scene.code
    assert pilot.scene.join_url.startswith("http://127.0.0.1:")
    pilot.scene.stop()
    pilot.key(pygame.K_ESCAPE)
    assert pilot.scene.name == "classe"
    scene = HostScene(pilot.app.ctx, library.resolve("tutoriel", "fr"), bind="127.0.0.1", port=0)
    pilot.app._apply(Push(scene))
    pilot.settle()
    try:
        assert scene.error is None and scene.join_url.endswith(f"/j/{scene.code}")
        join_url = scene.join_url
        # the window stays responsive while the host serves: a trainee joins through real HTTP
        api = scene.join_url.replace("/j/", "/api/v1/sessions/")
        r = httpx.post(f"{api}/participants", json={"pseudonym": "Ali"}, timeout=5, trust_env=False)
        assert r.status_code == 201
        assert until(pilot, lambda: scene.participants == 1, 5)
        pilot.shot(tmp_path / "host.png")
        shot = pygame.image.load(str(tmp_path / "host.png"))
        # the QR code is drawn crisp: only pure black and white in its square
        qr = qr_surface(scene.join_url, 400)
        assert qr.get_width() % 41 == 0 or qr.get_width() % 37 == 0 or qr.get_width() % 33 == 0
        colours = {tuple(qr.get_at((x, y)))[:3] for x in range(0, qr.get_width(), 3) for y in range(0, qr.get_width(), 3)}
        assert colours == {(0, 0, 0), (255, 255, 255)}
        del shot
        # stopping asks first; « Continuer la séance » keeps it running
        pilot.click_text("Arrêter la séance")
        assert pilot.scene.name == "confirm"
        pilot.click_text("Continuer la séance")
        assert pilot.scene is scene and scene.host is not None
        pilot.click_text("Arrêter la séance")
        pilot.click_text("Arrêter")
        assert scene.host is None and scene.error.startswith("La séance est arrêtée et gardée.")
        with pytest.raises(httpx.TransportError):
            httpx.get(join_url, timeout=2, trust_env=False)
        # resumable: the same session, the same code, its trainee kept
        from game.classroom.session import ClassSession
        from game.classroom.store import Store

        kept = ClassSession.open(Store(), scene.resume)
        assert kept is not None and len(kept.players) == 1 and kept.summary()["participants"] == 1
        kept.store.close()
        # and resumed from the window: the same code, the trainee still there
        code = kept.row.code
        pilot.click_text("Reprendre la séance")
        assert scene.host is not None and scene.code == code
        assert until(pilot, lambda: scene.participants == 1, 5)
        token = r.json()["token"]
        again = httpx.get(f"{scene.join_url.replace('/j/', '/api/v1/sessions/')}/scenario",
                          headers={"Authorization": f"Bearer {token}"}, timeout=5, trust_env=False)
        assert again.status_code == 200  # the same tokens
        scene.stop()
    finally:
        if scene.host is not None:
            scene.host.stop()


def test_qr_code_decodes_to_the_join_address():
    """segno's matrix, drawn module by module: read back the modules and compare with segno's own."""
    import segno

    from game.ui.scenes.host_screen import qr_surface

    url = "http://192.168.1.20:8765/j/K7QM2X"
    rows = [list(r) for r in segno.make(url, error="m").matrix_iter(scale=1, border=4)]
    surf = qr_surface(url, 300)
    scale = surf.get_width() // len(rows)
    assert scale >= 1 and surf.get_width() == len(rows) * scale  # integer scaling, quiet zone included
    for y, row in enumerate(rows):
        for x, v in enumerate(row):
            px = tuple(surf.get_at((x * scale + scale // 2, y * scale + scale // 2)))[:3]
            assert px == ((0, 0, 0) if v else (255, 255, 255))


@pytest.mark.parametrize("lang,told", [
    ("fr", "Le port {port} est déjà utilisé sur cet ordinateur"),
    ("en", "Port {port} is already in use on this computer"),
])
def test_a_busy_port_is_told_and_another_one_can_be_tried(make_pilot, lang, told):
    from game.ui.scenes.host_screen import HostScene

    pilot = make_pilot(lang=lang)
    pilot.app.apply_settings(pilot.app.ctx.settings.with_(language=lang))
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        scene = HostScene(pilot.app.ctx, library.resolve("tutoriel", "fr"), bind="127.0.0.1", port=port)
        pilot.app._apply(Push(scene))
        pilot.settle()
        assert scene.host is None and scene.error.startswith(told.format(port=port))
        pilot.click_text({"fr": "Essayer un autre port", "en": "Try another port"}[lang])
        assert scene.host is not None and scene.host.port != port and scene.error is None
        scene.stop()
    finally:
        busy.close()


# ---- the trainers' preview of their own file -------------------------------------------------------------

def test_the_preview_button_opens_the_live_preview_of_a_chosen_file(make_pilot, scenario_copy, monkeypatch):
    import pygame_gui

    monkeypatch.setenv("PANDORE_SCENARIOS", str(scenario_copy.parent.parent))
    pilot = make_pilot()
    pilot.click_text("Classe")
    pilot.click_text("Aperçu en direct de mon scénario")
    scene = pilot.scene
    assert scene.name == "preview_file"
    assert scene.folder == scenario_copy.parent.parent.resolve()  # the trainer's scenarios folder
    # a file that is not a scenario is told, the chooser stays
    other = scenario_copy.parent / "notes.txt"
    other.write_text("x", encoding="utf-8")
    pilot.post(pygame_gui.UI_FILE_DIALOG_PATH_PICKED, text=str(other), ui_element=scene.dialog)
    pilot.step(2)
    assert pilot.scene is scene and scene.problem == f"« {other} » n’est pas un fichier de scénario (.yaml)."
    pilot.post(pygame_gui.UI_FILE_DIALOG_PATH_PICKED, text=str(scenario_copy), ui_element=scene.dialog)
    pilot.step(2)
    pilot.settle()
    assert pilot.scene.name == "preview" and pilot.scene.path == scenario_copy
    assert pilot.scene.ctl is not None  # the same screen as `pandore play FILE --watch`


def test_the_preview_file_can_be_typed_without_a_mouse(make_pilot, scenario_copy):
    import pygame_gui

    from game.ui.scenes.classe import PreviewFileScene

    pilot = make_pilot(lang="en")
    pilot.app.apply_settings(pilot.app.ctx.settings.with_(language="en"))
    scene = PreviewFileScene(pilot.app.ctx, folder=scenario_copy.parent)
    pilot.app._apply(Push(scene))
    pilot.settle()
    field = scene.dialog.file_path_text_line
    field.set_text(str(scenario_copy))
    pilot.post(pygame_gui.UI_TEXT_ENTRY_FINISHED, text=str(scenario_copy), ui_element=field)
    pilot.step(2)
    pilot.settle()
    assert pilot.scene.name == "preview" and pilot.scene.path == scenario_copy


# ---- a restart of the window -------------------------------------------------------------------------

def test_choices_waiting_are_kept_across_a_restart_of_the_window(make_pilot, tmp_path):
    port = free_port()
    host = Host(tmp_path / "host-home", port, "tutoriel")
    again = None
    try:
        pilot = make_pilot(lang="en")
        pilot.app.apply_settings(pilot.app.ctx.settings.with_(language="en"))
        scene = open_join(pilot, browse=lambda timeout: [])
        fill(scene, address=f"127.0.0.1:{port}", code=host.info["code"], pseudonym="Sam")
        submit(pilot, scene, "en")
        ctl = pilot.scene.ctl
        play_one(pilot)
        assert until(pilot, lambda: ctl.worker.waiting == 0)
        assert host.stop() == 0
        play_one(pilot)
        play_one(pilot)
        assert until(pilot, lambda: ctl.box.status == "reconnecting", 10)
        assert status(pilot) == "Reconnecting… (2 choices waiting, kept on this computer)"
        path = [c for c in ctl.pt.choices]
        ctl.close()  # the window is closed
        del pilot

        pilot = make_pilot(lang="en")  # opened again, same user folders
        pilot.app.apply_settings(pilot.app.ctx.settings.with_(language="en"))
        scene = open_join(pilot, browse=lambda timeout: [])
        fill(scene, address=f"127.0.0.1:{port}", code=host.info["code"], pseudonym="Sam")
        submit(pilot, scene, "en")  # the host is still away: the game goes on from what was kept
        assert pilot.scene.name == "class_play", scene.error
        ctl = pilot.scene.ctl
        assert list(ctl.pt.choices) == path and ctl.worker.waiting == 2
        assert until(pilot, lambda: ctl.box.status == "reconnecting", 10)
        again = Host(tmp_path / "host-home", port, "--resume", host.info["session"])
        assert until(pilot, lambda: ctl.worker.waiting == 0, 30)
        assert again.summary()["choices_made"] == 3
        assert until(pilot, lambda: status(pilot) == f"Session {host.info['code']} · Sam · choices sent", 10)
        assert ctl.all_differences == []
        ctl.close()
    finally:
        host.stop()
        if again is not None:
            again.stop()


def test_a_difference_with_the_host_is_shown_not_hidden(make_pilot, live_host):
    pilot = make_pilot()
    scene = open_join(pilot, browse=lambda timeout: [])
    fill(scene, address=live_host.info["url"], code=live_host.info["code"], pseudonym="Eli")
    submit(pilot, scene)
    ctl = pilot.scene.ctl
    play_one(pilot)
    assert until(pilot, lambda: ctl.worker.waiting == 0)
    # the host says something else than the window computed after choice 1
    host_view = {**ctl._expected(1), "seq": 1, "node": "ailleurs"}
    ctl.compare(host_view)
    pilot.step(2)
    assert status(pilot) == "Écart avec la séance après le choix 1 (node) : signalez-le au ou à la formateur·rice."
    assert pilot.scene.ctl.status_line()[1] == "negative"
    ctl.close()


def test_the_join_form_by_keyboard_only(make_pilot, live_host):
    """Typed with the keyboard: the first field has the keyboard, Tab goes to the next, Enter joins."""
    pilot = make_pilot()
    scene = open_join(pilot, browse=lambda timeout: [])
    assert scene.entries["address"].is_focused

    def type_text(text: str) -> None:
        for ch in text:
            pilot.post(pygame.TEXTINPUT, text=ch)
        pilot.step(2)

    type_text(live_host.info["url"].removeprefix("http://"))
    pilot.key(pygame.K_TAB)
    assert scene.entries["code"].is_focused
    type_text(live_host.info["code"].lower())
    pilot.key(pygame.K_TAB)
    type_text("Yan")
    assert [scene.entries[k].get_text() for k in ("code", "pseudonym")] == [live_host.info["code"].lower(), "Yan"]
    pilot.key(pygame.K_RETURN)
    scene.wait()
    pilot.settle()
    assert pilot.scene.name == "class_play", scene.error
    pilot.scene.ctl.close()


def test_the_trainers_pause_and_hold_stop_choosing_as_on_the_browser(make_pilot, live_host):
    pilot = make_pilot()
    scene = open_join(pilot, browse=lambda timeout: [])
    fill(scene, address=live_host.info["url"], code=live_host.info["code"], pseudonym="Ada")
    submit(pilot, scene)
    ctl = pilot.scene.ctl
    api = f"{live_host.info['url']}/api/v1/sessions/{live_host.info['code']}"
    trainer = {"Authorization": f"Bearer {live_host.info['trainer_token']}"}

    def control(**body):
        r = httpx.post(f"{api}/control", json=body, headers=trainer, trust_env=False)
        assert r.status_code == 200, r.text

    control(action="hold", node=ctl.state.node)
    try:
        assert until(pilot, lambda: ctl.remote_state == "held")
        assert status(pilot) == ("La classe est en attente à cette étape : attendez le signal du ou de la "
                                 "formateur·rice.")
        pilot.key(pygame.K_1)
        assert ctl.turn == 0 and pilot.scene.notice == ("Le ou la formateur·rice a mis la classe en attente à cette "
                                                        "étape : attendez son signal puis choisissez à nouveau.")
    finally:
        control(action="release")
    assert until(pilot, lambda: ctl.remote_state == "running")
    play_one(pilot)
    assert until(pilot, lambda: ctl.worker.waiting == 0)
    control(action="pause")
    try:
        assert until(pilot, lambda: ctl.remote_state == "paused")
        assert status(pilot) == "Le ou la formateur·rice a mis la séance en pause."
        pilot.key(pygame.K_1)
        assert ctl.turn == 1 and pilot.scene.notice.startswith("La séance est en pause : votre choix n’a pas été")
    finally:
        control(action="resume")
    assert until(pilot, lambda: ctl.remote_state == "running")
    play_one(pilot)
    assert until(pilot, lambda: ctl.worker.waiting == 0) and ctl.all_differences == []
    ctl.close()


def test_a_choice_played_but_never_handed_to_the_outbox_is_sent_after_a_restart(make_pilot, tmp_path):
    """The window stopped between keeping what was played and writing the outbox: the log says more than
    the outbox and the host; joining again sends what is missing."""
    port = free_port()
    host = Host(tmp_path / "host-home", port, "tutoriel")
    try:
        pilot = make_pilot()
        scene = open_join(pilot, browse=lambda timeout: [])
        fill(scene, address=f"127.0.0.1:{port}", code=host.info["code"], pseudonym="Rio")
        submit(pilot, scene)
        ctl = pilot.scene.ctl
        play_one(pilot)
        play_one(pilot)
        assert until(pilot, lambda: ctl.worker.waiting == 0)
        ctl.close()
        # as if the window had stopped just after a third choice was kept, before the outbox had it
        from game.ui.scenes.join import Joined

        j = Joined.read(pilot.app.dirs, host.info["code"])
        assert j.acked == 2
        third = next(c.id for c in ctl.view_at(-1).choices if c.available)
        j.choices = j.choices + [third]
        j.save(pilot.app.dirs)
        del pilot
        pilot = make_pilot()
        scene = open_join(pilot, browse=lambda timeout: [])
        fill(scene, address=f"127.0.0.1:{port}", code=host.info["code"], pseudonym="Rio")
        submit(pilot, scene)
        ctl = pilot.scene.ctl
        assert ctl.turn == 3
        assert until(pilot, lambda: ctl.worker.waiting == 0)
        assert host.summary()["choices_made"] == 3 and ctl.all_differences == []
        ctl.close()
    finally:
        host.stop()


def test_a_host_resumed_on_another_port_is_joined_again_as_the_same_trainee(make_pilot, tmp_path):
    host = Host(tmp_path / "host-home", free_port(), "tutoriel")
    again = None
    try:
        pilot = make_pilot()
        scene = open_join(pilot, browse=lambda timeout: [])
        fill(scene, address=host.info["url"], code=host.info["code"], pseudonym="Ines")
        submit(pilot, scene)
        ctl = pilot.scene.ctl
        play_one(pilot)
        assert until(pilot, lambda: ctl.worker.waiting == 0)
        assert host.stop() == 0
        play_one(pilot)  # kept while the host is away
        ctl.close()
        again = Host(tmp_path / "host-home", free_port(), "--resume", host.info["session"])  # a new port
        assert again.info["code"] == host.info["code"] and again.info["url"] != host.info["url"]
        pilot = make_pilot()
        scene = open_join(pilot, browse=lambda timeout: [])
        fill(scene, address=again.info["url"], code=host.info["code"], pseudonym="Ines")
        submit(pilot, scene)
        ctl = pilot.scene.ctl
        assert ctl.turn == 2 and ctl.joined.url == again.info["url"]
        assert until(pilot, lambda: ctl.worker.waiting == 0, 20)
        s = again.summary()
        assert s["participants"] == 1 and s["choices_made"] == 2  # the same trainee, no second one
        ctl.close()
    finally:
        host.stop()
        if again is not None:
            again.stop()


def test_kept_sessions_are_listed_and_resumed_from_the_window(make_pilot, monkeypatch):
    from game.ui.scenes import host_screen
    from game.ui.scenes.host_screen import HostScene

    monkeypatch.setattr(host_screen, "DEFAULT_BIND", "127.0.0.1")
    monkeypatch.setattr(host_screen, "DEFAULT_PORT", 0)
    pilot = make_pilot()
    pilot.click_text("Classe")
    pilot.click_text("Reprendre une séance")
    assert pilot.scene.name == "kept_sessions"
    assert pilot.scene.rows == []
    pilot.key(pygame.K_ESCAPE)
    from game.classroom.session import ClassSession
    from game.classroom.store import Store

    store = Store()  # a group game left unfinished (the window closed mid-game) is not offered for hosting
    ClassSession.create(store, library.resolve("tutoriel", "fr"), mode="group")
    store.close()
    first = HostScene(pilot.app.ctx, library.resolve("tutoriel", "fr"))
    code = first.code
    first.stop()
    pilot.click_text("Reprendre une séance")
    rows = [b.text for b in pilot.buttons() if b.text.startswith(code)]
    assert len(rows) == 1 and "tutoriel" in rows[0] and "0 participant·es, 0 choix" in rows[0]
    assert len(pilot.scene.rows) == 1  # the group game is not there
    pilot.click_text(rows[0])
    assert pilot.scene.name == "host" and pilot.scene.code == code and pilot.scene.error is None
    pilot.scene.stop()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("size", ["normal", "xlarge"])
def test_the_classe_menu_fits_a_small_screen_at_every_text_size(make_pilot, lang, size):
    from game.ui.scenes import button_width

    pilot = make_pilot(size=(1024, 600), lang=lang)
    pilot.app.apply_settings(pilot.app.ctx.settings.with_(language=lang, text_size=size))
    pilot.click_text({"fr": "Classe", "en": "Classroom"}[lang])
    scene = pilot.scene
    w, h = pilot.app.ctx.size
    for b in pilot.buttons():
        r = b.get_abs_rect()
        assert r.right <= w and r.bottom <= h, b.text
        assert button_width(pilot.app.ctx, b.text, "h3") - pilot.app.ctx.metrics.pad <= r.width or b.text.startswith("←")
    for surf, (x, y) in scene.rows:
        assert x + surf.get_width() <= w and y + surf.get_height() <= h


def test_undo_with_the_host_away_is_refused_and_said(make_pilot, tmp_path):
    host = Host(tmp_path / "host-home", free_port(), "tutoriel")
    try:
        pilot = make_pilot(lang="en")
        pilot.app.apply_settings(pilot.app.ctx.settings.with_(language="en"))
        scene = open_join(pilot, browse=lambda timeout: [])
        fill(scene, address=host.info["url"], code=host.info["code"], pseudonym="Max")
        submit(pilot, scene, "en")
        ctl = pilot.scene.ctl
        play_one(pilot)
        assert until(pilot, lambda: ctl.worker.waiting == 0)
        host.stop()
        pilot.key(pygame.K_z, mod=pygame.KMOD_CTRL)
        assert until(pilot, lambda: pilot.scene._undoing is None)
        assert ctl.turn == 1
        assert pilot.scene.notice == "Cannot undo: the session does not answer. Try again in a moment."
        play_one(pilot)  # a choice waiting: undo waits for it to be sent
        pilot.key(pygame.K_z, mod=pygame.KMOD_CTRL)
        assert ctl.turn == 2 and pilot.scene.notice == "Cannot undo while choices are waiting to be sent."
        ctl.close()
    finally:
        host.stop()


def test_a_late_timer_of_another_screen_does_not_break_the_chooser_or_the_join_form(make_pilot):
    """The play screen's notice timer shares its number with a pygame_gui event and may fire after the
    player left: the file chooser and the join form ignore it (they used to end on the apology)."""
    from game.ui.scenes.play import NOTICE_EVENT

    pilot = make_pilot()
    pilot.click_text("Classe")
    pilot.click_text("Aperçu en direct de mon scénario")
    pilot.post(NOTICE_EVENT)
    pilot.step(2)
    assert [s.name for s in pilot.app.stack] == ["title", "classe", "preview_file"]
    pilot.key(pygame.K_ESCAPE)
    scene = open_join(pilot, browse=lambda timeout: [])
    pilot.post(NOTICE_EVENT)
    pilot.step(2)
    assert pilot.scene is scene and not pilot.app.dirs.log_file.exists()


def test_an_unexpected_failure_while_joining_is_said_and_logged(make_pilot, monkeypatch):
    from game.ui.scenes import join as join_module

    def broken(*a, **kw):
        raise RuntimeError("boom")

    monkeypatch.setattr(join_module, "join_session", broken)
    pilot = make_pilot()
    scene = open_join(pilot, browse=lambda timeout: [])
    fill(scene, address="127.0.0.1:1", code="ABCDEF", pseudonym="Camille")
    submit(pilot, scene)
    assert pilot.scene is scene
    assert scene.error.startswith("La connexion à la séance a échoué de façon inattendue. Détails pour l’assistance")
    assert pilot.app.dirs.log_file.exists() and "boom" in pilot.app.dirs.log_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("size", ["small", "normal", "large", "xlarge"])
def test_the_join_forms_fields_follow_the_text_size(make_pilot, size):
    pilot = make_pilot()
    pilot.app.apply_settings(pilot.app.ctx.settings.with_(text_size=size))
    scene = open_join(pilot, browse=lambda seconds: [])
    ctx = pilot.app.ctx
    body = ctx.font("body")
    for key, e in scene.entries.items():
        e.set_text("Camille")
        assert e.font.point_size == ctx.metrics["body"], key  # the size of the labels above them
        assert abs(e.font.get_rect("Camille").height - body.size("Camille")[1]) <= 2, key
        assert e.rect.height >= body.get_linesize(), key  # the typed text fits in its field


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_damaged_outbox_is_kept_aside_said_and_its_choices_sent_again(make_pilot, tmp_path, lang):
    """The file of choices waiting for the host no longer reads (a crash mid-write, a disk fault): the
    trainee is told so in their language, where it was kept, and that the choices are sent again from
    what was played, which the host then has."""
    port = free_port()
    host = Host(tmp_path / "host-home", port, "tutoriel")
    try:
        pilot = make_pilot(lang=lang)
        pilot.app.apply_settings(pilot.app.ctx.settings.with_(language=lang))
        scene = open_join(pilot, browse=lambda timeout: [])
        fill(scene, address=f"127.0.0.1:{port}", code=host.info["code"], pseudonym="Noa")
        submit(pilot, scene, lang)
        ctl = pilot.scene.ctl
        play_one(pilot)
        assert until(pilot, lambda: ctl.worker.waiting == 0)
        assert host.stop() == 0
        play_one(pilot)
        play_one(pilot)
        assert until(pilot, lambda: ctl.box.status == "reconnecting", 10)
        path = list(ctl.pt.choices)
        outbox = ctl.box.path
        ctl.close()
        del pilot
        outbox.write_text('{"api": "http://', encoding="utf-8")  # cut off mid-write

        host = Host(tmp_path / "host-home", port, "--resume", host.info["session"])
        pilot = make_pilot(lang=lang)
        pilot.app.apply_settings(pilot.app.ctx.settings.with_(language=lang))
        scene = open_join(pilot, browse=lambda timeout: [])
        fill(scene, address=f"127.0.0.1:{port}", code=host.info["code"], pseudonym="Noa")
        submit(pilot, scene, lang)
        assert pilot.scene.name == "class_play", scene.error
        aside = outbox.with_name(outbox.name + ".corrupt")
        assert aside.read_text(encoding="utf-8") == '{"api": "http://'  # nothing thrown away
        notice = pilot.scene.notice
        if lang == "fr":
            assert "Les choix en attente d’envoi n’ont pas pu être lus" in notice
            assert "envoyés à nouveau" in notice
        else:
            assert "The choices waiting to be sent could not be read" in notice
            assert "sent again" in notice
        assert str(aside) in notice and "Expecting" not in notice and "scénario" not in notice.lower()
        ctl = pilot.scene.ctl
        assert list(ctl.pt.choices) == path
        assert until(pilot, lambda: ctl.worker.waiting == 0, 30)
        assert host.summary()["choices_made"] == 3 and ctl.all_differences == []
        ctl.close()
    finally:
        host.stop()
