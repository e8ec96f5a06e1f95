"""Self-voicing: what a trainee hears, in order, through a recording speaker; the real
pyttsx3 speaker's failures said, never raised; a smoke test with a real voice when one is here."""

from __future__ import annotations

import time

import pygame
import pytest

from game import presentation
from game.i18n import t
from game.resources import scenarios as scenarios_dir
from game.ui import speech

from .conftest import VIEWS

K = pygame
NBSP = "\u00a0"


@pytest.fixture
def rec(monkeypatch):
    r = speech.RecordingSpeaker()
    monkeypatch.setattr(speech, "open_speaker", lambda: r)
    return r


def said_after(rec, mark: int) -> list[tuple]:
    return rec.log[mark:]


def test_a_gauge_that_moved_in_words_in_both_languages():
    c = presentation.Change("workload", "Charge de travail", 45, 65, 20, "", better=False)
    assert presentation.change_words(c, "fr") == "Charge de travail 65, en hausse de 20, moins bien"
    c = presentation.Change("exclusion", "Exclusion", 30, 20, -10, "", better=True)
    assert presentation.change_words(c, "en") == "Exclusion 20, down by 10, better"


def test_what_a_trainee_hears_from_the_briefing_to_the_feedback(make_pilot, rec):
    p = make_pilot(size=(1024, 600), scenario=VIEWS)
    assert rec.log == []  # silent until asked
    p.key(K.K_v)
    assert p.app.ctx.settings.self_voicing
    heard = rec.heard
    assert heard[0] == t("ui.access.voicing_on", "fr")
    assert any("Vérifier que chaque vue s’affiche" in h or "Vérifier que chaque vue s'affiche" in h for h in heard)
    assert heard[-1] == t("ui.briefing.start", "fr")  # then what has focus

    mark = len(rec.log)
    p.key(K.K_RETURN)  # start: the first node
    assert p.scene.name == "play"
    log = said_after(rec, mark)
    assert log[0] == ("stop",)  # the briefing is cut when the node arrives
    node = [e[2] for e in log if e[0] == "say"]
    assert node[0] == "Le bureau, lundi matin"
    assert node[1].startswith("Lundi, 9 h. Le bureau sent encore le café froid")
    assert all(e[1] == "fr" for e in log if e[0] == "say")  # the scenario's language

    mark = len(rec.log)
    p.key(K.K_DOWN)  # focus on the first choice: cut, then said with its number
    p.key(K.K_DOWN)  # the second, unavailable: its hint too
    log = said_after(rec, mark)
    assert log == [("stop",),
                   ("say", "fr", f"Choix 1{NBSP}: Lire les messages reçus pendant le week-end sur le téléphone "
                                 "professionnel du service"),
                   ("stop",),
                   ("say", "fr", f"Choix 2{NBSP}: Attendre. Indisponible{NBSP}: Vous ne pouvez pas attendre davantage.")]

    mark = len(rec.log)
    p.key(K.K_UP)
    p.key(K.K_RETURN)  # choose: the feedback, gauges in words, then the focused « Continuer »
    assert p.scene.report is not None
    heard = [e[2] for e in said_after(rec, mark) if e[0] == "say"]
    i = heard.index(f"Votre choix{NBSP}: Lire les messages reçus pendant le week-end sur le téléphone "
                    "professionnel du service")
    assert heard[i + 1] == "Lire d'abord les messages permet de repérer une urgence, mais la matinée file."
    assert heard[i + 2] == "Charge de travail 45, en hausse de 5, moins bien"
    assert heard[i + 3] == t("ui.play.continue", "fr")

    mark = len(rec.log)
    p.key(K.K_RETURN)  # the SMS thread: the node text, then each message with its sender
    heard = [e[2] for e in said_after(rec, mark) if e[0] == "say"]
    assert heard[:3] == ["Inès, 16 ans, a écrit samedi soir. Vous lisez le fil ce matin.",
                         f"Inès{NBSP}: vous êtes là ?",
                         f"Inès{NBSP}: c'est compliqué à la maison ce soir, je sais pas quoi faire"]


def test_the_dashboard_card_and_the_call_are_said(make_pilot, rec):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_RETURN)
    for k in (K.K_1, K.K_RETURN, K.K_1, K.K_RETURN):
        p.key(k)
    assert p.scene.node.kind == "dashboard"
    p.key(K.K_v)
    heard = rec.heard
    assert "Aide à l'orientation — synthèse" in heard
    assert "Score 78 sur 100" in heard
    assert f"Mobilité{NBSP}: Permis B" in heard
    assert f"Recommandation{NBSP}: Parcours autonome — suivi principalement à distance" in heard
    p.key(K.K_2)
    p.key(K.K_RETURN)
    assert p.scene.node.kind == "visio"
    assert "Dr Hélène Rousseau, Psychiatre" in rec.heard


def test_in_english_with_an_english_scenario(make_pilot, rec):
    p = make_pilot(scenario=scenarios_dir() / "sms-mineur" / "en.yaml", lang="en")
    p.key(K.K_v)
    assert rec.heard[0] == "Self-voicing on."
    p.key(K.K_RETURN)
    assert p.scene.name == "play"
    p.key(K.K_DOWN)
    last = rec.log[-1]
    assert last[0] == "say" and last[1] == "en" and last[2].startswith("Choice 1: ")
    p.key(K.K_RETURN)
    words = [e[2] for e in rec.log if e[0] == "say"]
    moved = [w for w in words if (" up by " in w or " down by " in w)]
    if p.scene.report is not None and p.scene.report.changes:
        assert moved and all(w.endswith(("better", "worse")) for w in moved)
        assert all(presentation.change_words(c, "en") in words for c in p.scene.report.changes)


def test_the_debrief_is_said_from_its_ending(make_pilot, rec):
    p = make_pilot(scenario=VIEWS)
    for k in (K.K_RETURN, K.K_1, K.K_RETURN, K.K_1, K.K_RETURN, K.K_2, K.K_RETURN, K.K_1):
        p.key(k)
    p.key(K.K_v)
    mark = len(rec.log)
    p.key(K.K_RETURN)
    assert p.scene.name == "debrief"
    heard = [e[2] for e in rec.log[mark:] if e[0] == "say"]
    assert heard[:3] == ["Une matinée tenue", t("ui.tone.positive", "fr"), "Le cadre a tenu, et le lien aussi."]
    assert heard[-1] == t("ui.debrief.another", "fr")  # then what has focus


def test_v_again_turns_it_off_and_nothing_more_is_said(make_pilot, rec):
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_v)
    p.key(K.K_v)
    assert not p.app.ctx.settings.self_voicing
    assert rec.heard[-1] == t("ui.access.voicing_off", "fr")
    mark = len(rec.log)
    p.key(K.K_RETURN)
    p.key(K.K_DOWN)
    assert rec.log[mark:] == []


def test_a_missing_voice_is_said_on_screen_in_the_players_language(make_pilot, monkeypatch):
    silent = speech.RecordingSpeaker(problem="ui.access.problem.no_engine")
    monkeypatch.setattr(speech, "open_speaker", lambda: silent)
    p = make_pilot(scenario=VIEWS)
    p.key(K.K_v)
    msg = t("ui.access.problem.no_engine", "fr")
    assert "espeak-ng" in msg and p.app.toast is not None and p.app.toast[0] == msg
    p.key(K.K_a, K.KMOD_SHIFT)
    assert p.scene.name == "access" and msg in p.scene.notes()
    p.key(K.K_RETURN)  # still playable: no traceback, no apology
    assert p.app.running and p.scene.name in ("access", "briefing", "play")


class _Voice:
    def __init__(self, vid, name, languages):
        self.id, self.name, self.languages = vid, name, languages


def test_a_voice_is_picked_by_language():
    espeak = [_Voice("gmw/en", "English (Great Britain)", ["en-gb"]), _Voice("roa/fr", "French", ["fr-fr"]),
              _Voice("gmw/en-us", "English (America)", ["en-us"])]
    assert speech.pick_voice(espeak, "fr") == "roa/fr"
    assert speech.pick_voice(espeak, "en") == "gmw/en"
    sapi = [_Voice(r"HKEY\...\TTS_MS_EN-US_ZIRA_11.0", "Microsoft Zira Desktop - English (United States)", []),
            _Voice(r"HKEY\...\TTS_MS_FR-FR_HORTENSE_11.0", "Microsoft Hortense Desktop - French", [])]
    assert "HORTENSE" in speech.pick_voice(sapi, "fr")
    assert speech.pick_voice([_Voice("de", "German", ["de"])], "fr") is None


def test_the_real_speaker_says_why_it_cannot_speak_never_raises():
    def broken():
        raise OSError("libespeak-ng.so.1: cannot open shared object file")

    s = speech.Pyttsx3Speaker(init=broken)
    assert s.ready.wait(5)
    assert s.problem == "ui.access.problem.no_engine" and "libespeak" in s.detail
    s.say("Bonjour", "fr")  # nothing happens, nothing raises
    s.stop()
    s.close()

    class NoVoices:
        def getProperty(self, name):
            return []

    s = speech.Pyttsx3Speaker(init=NoVoices)
    assert s.ready.wait(5) and s.problem == "ui.access.problem.no_voice"
    s.close()


def test_a_real_voice_speaks_off_the_main_thread_and_stops_at_once(capfd):
    """pyttsx3 with the machine's engine (espeak-ng here, installed by .ci/run): skipped, with
    the reason, where there is no voice."""
    s = speech.Pyttsx3Speaker()
    try:
        assert s.ready.wait(30)
        if s.problem:
            pytest.skip(f"no synthetic voice on this machine: {t(s.problem, 'en')} ({s.detail})")
        t0 = time.perf_counter()
        s.say("Charge de travail 65, en hausse de 20, moins bien", "fr")
        assert time.perf_counter() - t0 < 0.05  # the window never waits for the voice
        for _ in range(400):
            if s.spoken:
                break
            time.sleep(0.05)
        assert s.spoken == 1 and s.missing_language is None
        sound = s._channel.get_sound()
        assert sound is not None and sound.get_length() > 1.0  # a sentence, not silence
        s.stop()
        assert not s._channel.get_busy()
        s.say("Choix 1 : répondre", "fr")
        s.stop()  # cut before it was played: it never is
        time.sleep(1.0)
        assert s.spoken == 1
        long = " ".join(["Le dossier de Mme Martin s’ouvre lentement, et la matinée file."] * 30)  # ~2,000 characters
        s.say(long, "fr")
        for _ in range(600):
            if s.spoken == 2:
                break
            time.sleep(0.05)
        assert s.spoken == 2 and s.detail is None  # synthesised whole before it is played
        assert s._channel.get_sound().get_length() > 60
        s.stop()
    finally:
        s.close()
    out, _ = capfd.readouterr()
    assert "Audio saved" not in out  # nothing of the engine's in the player's terminal


def test_an_option_is_said_with_its_row_in_the_settings_and_the_panel(make_pilot, rec):
    p = make_pilot()
    p.key(K.K_v)
    p.click_text(t("ui.title.settings"))
    assert p.scene.name == "settings"
    p.key(K.K_TAB)  # the first option: the language row's « Français », selected
    assert rec.log[-2:] == [("stop",), ("say", "fr", f"Langue{NBSP}: Français, sélectionné")]
    p.key(K.K_a, K.KMOD_SHIFT)
    p.key(K.K_TAB)
    p.key(K.K_TAB)
    assert rec.log[-1] == ("say", "fr", f"Taille du texte{NBSP}: Normal, sélectionné")
    p.key(K.K_TAB)
    assert rec.log[-2:] == [("stop",), ("say", "fr", f"Taille du texte{NBSP}: Grand")]


def test_a_held_v_toggles_once(make_pilot, rec):
    p = make_pilot()
    p.post(pygame.KEYDOWN, key=K.K_v, mod=0, unicode="v", scancode=0)
    for _ in range(5):  # the key's repeats while it is held
        p.post(pygame.KEYDOWN, key=K.K_v, mod=0, unicode="v", scancode=0)
    p.post(pygame.KEYUP, key=K.K_v, mod=0, unicode="v", scancode=0)
    p.step(3)
    assert p.app.ctx.settings.self_voicing
    assert rec.heard.count(t("ui.access.voicing_on", "fr")) == 1


def test_an_engine_that_fails_in_its_thread_is_said_on_screen_without_another_key(make_pilot, monkeypatch):
    def broken():
        time.sleep(0.2)  # found after the key press has been handled
        raise RuntimeError("This means you probably do not have eSpeak or eSpeak-ng installed!")

    monkeypatch.setattr(speech, "open_speaker", lambda: speech.Pyttsx3Speaker(init=broken))
    p = make_pilot(lang="en")
    p.key(K.K_v)
    p.app.voice.speaker.ready.wait(5)
    p.step(2)  # no event: the idle loop's next turn
    assert p.app.toast is not None and p.app.toast[0] == t("ui.access.problem.no_engine", "en")
    assert "eSpeak" not in p.app.toast[0] or "espeak-ng package" in p.app.toast[0]  # ours, not the library's words
    p.shot(p.app.dirs.data / "toast.png")


def test_a_french_scenario_in_the_english_interface_is_said_in_french_its_buttons_in_english(make_pilot, rec):
    p = make_pilot(scenario=VIEWS, lang="en")  # the test scenario exists in French only
    p.key(K.K_RETURN)
    p.key(K.K_v)
    said = [e for e in rec.log if e[0] == "say"]
    assert ("say", "fr", "Le bureau, lundi matin") in said
    p.key(K.K_1)  # the feedback; its button has focus
    assert rec.log[-1] == ("say", "en", t("ui.play.continue", "en"))
