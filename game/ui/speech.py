"""Self-voicing: the window reads aloud what has focus and each new text.

- `Speaker` is what the window talks to: `say(text, lang)` queues an
  utterance, `stop()` cuts what is being said and drops what is queued,
  `problem` is an i18n key (ui.access.problem.*) once the speaker knows it
  cannot speak. It never raises at the window.
- `Pyttsx3Speaker` is the real one: pyttsx3 (SAPI5 on Windows, NSSpeech on
  macOS, espeak-ng on Linux) in a worker thread, so the window never waits.
  Each utterance is synthesised to a temporary WAV file and played with
  pygame.mixer, which `stop()` silences at once on every platform (pyttsx3's
  own playback cannot be interrupted with its espeak driver).
- `RecordingSpeaker` records what it was asked to say, in order: what a
  trainee would hear, for the tests.
- `Voicing` follows the top scene: when its text changes it says the new
  text (from what the screen shows, worded by game/presentation.py), then
  what has focus; when only the focus moves it cuts the speech and says the
  newly focused thing.

This is a help for reading, not a screen reader: with NVDA, JAWS, Orca or
VoiceOver, the terminal mode (`pandore play X --text`) is the way to play.
"""

from __future__ import annotations

import html
import queue
import re
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable, Protocol

import pygame
import pygame_gui

from game import presentation
from game.i18n import t, typography


class Speaker(Protocol):
    problem: str | None

    def say(self, text: str, lang: str) -> None: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


class RecordingSpeaker:
    """A speaker that records: `log` holds ("say", lang, text) and ("stop",) in order."""

    def __init__(self, problem: str | None = None):
        self.log: list[tuple[str, ...]] = []
        self.problem = problem

    def say(self, text: str, lang: str) -> None:
        if self.problem is None:
            self.log.append(("say", lang, text))

    def stop(self) -> None:
        self.log.append(("stop",))

    def close(self) -> None:
        pass

    @property
    def heard(self) -> list[str]:
        return [e[2] for e in self.log if e[0] == "say"]

    def clear(self) -> None:
        self.log.clear()


#: words that name a language in voices' names, for engines that give no language code (SAPI5, NSSpeech)
_LANGUAGE_NAMES = {"fr": ("french", "français", "francais"), "en": ("english",)}


def pick_voice(voices: list[Any], lang: str) -> str | None:
    """The id of the first voice for `lang` (a code like 'fr'), or None when there is none."""
    def codes(v) -> list[str]:
        out = []
        for code in getattr(v, "languages", None) or []:
            if isinstance(code, bytes):
                code = code.decode("utf-8", "ignore")
            out.append(str(code).lower().lstrip("\x05").replace("_", "-"))
        return out

    for exact in (True, False):
        for v in voices:
            vid = str(getattr(v, "id", "")).lower()
            tail = vid.replace("\\", "/").rsplit("/", 1)[-1]
            if any(c == lang for c in codes(v)) or tail == lang:
                return v.id
            if not exact and (any(c.startswith(lang + "-") for c in codes(v)) or tail.startswith(lang + "-")
                              or any(n in str(getattr(v, "name", "")).lower() for n in _LANGUAGE_NAMES.get(lang, ()))):
                return v.id
    return None


#: seconds an utterance's synthesis may take, plus 10 ms a character (espeak-ng needs ~1 ms)
SYNTH_TIMEOUT_S = 5.0


class Pyttsx3Speaker:
    """pyttsx3 behind a worker thread; utterances played through pygame.mixer (see the module's doc)."""

    def __init__(self, init: Callable[[], Any] | None = None):
        self.problem: str | None = None
        self.missing_language: str | None = None  # a language asked for that no voice speaks
        self.detail: str | None = None  # the engine's own words, for developers (never shown)
        self._init = init
        self._queue: queue.Queue = queue.Queue()
        self._generation = 0  # stop() moves it on: what was queued before is dropped
        self._channel = None
        self.ready = threading.Event()  # set once the engine started, or failed to
        self.spoken = 0  # utterances played to the end or cut (tests, diagnostics)
        self._thread = threading.Thread(target=self._run, name="pandore-speech", daemon=True)
        self._thread.start()

    def say(self, text: str, lang: str) -> None:
        if text and text.strip():
            self._queue.put((self._generation, text, lang))

    def stop(self) -> None:
        self._generation += 1
        ch = self._channel
        if ch is not None:
            try:
                ch.stop()
            except pygame.error:
                pass

    def close(self) -> None:
        self.stop()
        self._queue.put(None)

    # ---- the worker ----------------------------------------------------------------------
    def _start(self):
        try:
            if sys.platform == "win32":  # SAPI5 is COM: this thread needs its own apartment
                import comtypes

                comtypes.CoInitialize()
            if self._init is not None:
                engine = self._init()
            else:
                import pyttsx3

                engine = pyttsx3.init()
            voices = list(engine.getProperty("voices") or [])
        except Exception as e:  # noqa: BLE001 - no engine, no library, a broken driver: all said the same way
            self.problem, self.detail = "ui.access.problem.no_engine", f"{type(e).__name__}: {e}"
            return None
        if not voices:
            self.problem = "ui.access.problem.no_voice"
            return None
        try:
            if not pygame.mixer.get_init():
                pygame.mixer.init()
        except Exception as e:  # noqa: BLE001 - no audio device, or a build without pygame.mixer
            self.problem, self.detail = "ui.access.problem.no_sound", f"{type(e).__name__}: {e}"
            return None
        return engine, voices

    def _run(self) -> None:
        started = self._start()
        self.ready.set()
        if started is None:
            return
        engine, voices = started
        driver = sys.modules.get("pyttsx3.drivers.espeak")
        if driver is not None:  # it prints "Audio saved to ..." for every file: not in the player's terminal
            driver.print = lambda *args, **kwargs: None
        finished = threading.Event()  # the engine's "finished-utterance" (the file is whole)
        try:
            engine.connect("finished-utterance", lambda **_: finished.set())
            told = True
        except Exception:  # noqa: BLE001 - an engine without callbacks: its runAndWait is the wait
            told = False
        folder = Path(tempfile.mkdtemp(prefix="pandore-speech-"))
        voice_of: dict[str, str | None] = {}
        n = 0
        try:
            while True:
                item = self._queue.get()
                if item is None:
                    return
                generation, text, lang = item
                if generation != self._generation:
                    continue
                if lang not in voice_of:
                    voice_of[lang] = pick_voice(voices, lang)
                    if voice_of[lang] is None:
                        self.missing_language = lang
                try:
                    if voice_of[lang] is not None:
                        engine.setProperty("voice", voice_of[lang])
                    n += 1
                    path = folder / f"{n % 8}.wav"
                    path.unlink(missing_ok=True)  # never an earlier utterance's file
                    finished.clear()
                    engine.save_to_file(text, str(path))
                    engine.runAndWait()
                    # espeak-ng synthesises in its own thread: runAndWait may return before the
                    # file is written. Wait for the engine's word (synthesis runs many times
                    # faster than speech), even when stopped, so that two never overlap.
                    if told:
                        finished.wait(SYNTH_TIMEOUT_S + len(text) / 100)
                    if generation != self._generation:
                        continue
                    if not path.is_file():
                        raise FileNotFoundError(f"the engine wrote no sound for an utterance of {len(text)} characters")
                    sound = pygame.mixer.Sound(str(path))
                except Exception as e:  # noqa: BLE001 - one bad utterance is skipped, never the window's end
                    self.detail = f"{type(e).__name__}: {e}"
                    continue
                while self._channel is not None and self._channel.get_busy() and generation == self._generation:
                    pygame.time.wait(20)  # the previous utterance finishes first
                if generation != self._generation:
                    continue
                self._channel = sound.play()
                self.spoken += 1
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def open_speaker() -> Speaker:
    """The platform's speaker (tests replace this function with a recording one)."""
    return Pyttsx3Speaker()


# ---- what the screen says -----------------------------------------------------------------

_TAG = re.compile(r"<[^>]*>")
_BR = re.compile(r"<br\s*/?>", re.I)


def plain(html_text: str) -> str:
    """The words of pygame_gui's HTML (tags dropped, entities decoded, lines kept)."""
    s = _BR.sub("\n", html_text)
    s = html.unescape(_TAG.sub("", s))
    return "\n".join(line.strip() for line in s.split("\n") if line.strip())


def _language(scene, ctx) -> str:
    ctl = getattr(scene, "ctl", None)
    lang = getattr(getattr(ctl, "scenario", None), "language", None) if ctl is not None else None
    return lang or ctx.lang


def screen_words(scene, ctx) -> list[str]:
    """What the scene shows, in reading order, as sentences to say.

    A scene may say it itself (`spoken()`); the play scene is worded from
    its node view and step report (game/presentation.py); any other scene
    from the labels and text boxes on screen, top to bottom.
    """
    own = getattr(scene, "spoken", None)
    if callable(own):
        return [s for s in own() if s]
    lang = _language(scene, ctx)
    if scene.name == "play":
        out = [scene.notice] if getattr(scene, "notice", None) else []
        report = getattr(scene, "report", None)
        if report is not None:
            return out + presentation.report_words(report, lang)
        out += presentation.node_words(scene.node, lang)
        if getattr(scene, "dead_end", False):
            out.append(ctx.t("ui.play.dead_end"))
        return out
    if scene.manager is None:
        return []
    # the headings these scenes draw themselves, from the values they show
    if scene.name == "debrief":
        d = scene.data
        found = [(-2, 0, d.title), (-1, 0, t(f"ui.tone.{d.tone}", ctx.lang))]
    elif scene.name == "briefing":
        found = [(-1, 0, scene.scenario.title)]
    else:
        found = []
    for el in scene.manager.get_sprite_group().sprites():
        if not getattr(el, "visible", True):
            continue
        if isinstance(el, pygame_gui.elements.UITextBox):
            text = plain(el.html_text)
        elif isinstance(el, pygame_gui.elements.UILabel):
            text = el.text
        else:
            continue
        if text:
            r = el.get_abs_rect() if hasattr(el, "get_abs_rect") else el.rect
            found.append((r.top, r.left, text))
    found.sort(key=lambda x: (x[0], x[1]))
    return [text for *_, text in found]


def _focused_choice(scene) -> int:
    choices = getattr(scene, "choices", None)
    if choices is not None and getattr(scene, "report", None) is None and 0 <= choices.focus < len(choices.choices):
        return choices.focus
    return -1


def focus_words(scene, ctx) -> str | None:
    """What has keyboard focus on the scene, as it is shown (a choice with its number)."""
    own = getattr(scene, "spoken_focus", None)
    if callable(own):
        return own()
    i = _focused_choice(scene)
    if i >= 0:
        return presentation.choice_words(i + 1, scene.choices.choices[i], _language(scene, ctx))
    if 0 <= scene.focus < len(scene.focusables):
        return getattr(scene.focusables[scene.focus], "text", None) or None
    return None


def focus_language(scene, ctx) -> str:
    """A choice is the scenario's text; a button, the interface's."""
    return _language(scene, ctx) if _focused_choice(scene) >= 0 else ctx.lang


def option_words(row: str, option: str, selected: bool, lang: str) -> str:
    """An option of a settings row, as focus says it: « Taille du texte : Grand, sélectionné »."""
    said = typography.label(row, option, lang)
    return said + (", " + t("ui.access.selected", lang) if selected else "")


class Voicing:
    """Follows the top scene and speaks its new texts and its focus (see the module's doc)."""

    def __init__(self, factory: Callable[[], Speaker] | None = None):
        self._factory = factory
        self.speaker: Speaker | None = None
        self._screen: tuple | None = None
        self._focus: str | None = None
        self._cut = True  # False after an announcement the next screen must not cut

    def start(self) -> Speaker:
        if self.speaker is None:
            self.speaker = (self._factory or open_speaker)()
        return self.speaker

    def reset(self, cut: bool = True) -> None:
        """Forget what was said: the next `follow` says the whole screen again (after what is
        being said when `cut` is False)."""
        self._screen = None
        self._focus = None
        self._cut = cut

    def say(self, text: str, lang: str, cut: bool = True) -> None:
        sp = self.start()
        if cut:
            sp.stop()
        sp.say(text, lang)

    def silence(self) -> None:
        if self.speaker is not None:
            self.speaker.stop()
        self.reset()

    def follow(self, scene, ctx) -> None:
        lines = screen_words(scene, ctx)
        focus = focus_words(scene, ctx)
        key = (id(scene), tuple(lines))
        lang, focus_lang = _language(scene, ctx), focus_language(scene, ctx)
        sp = self.start()
        if key != self._screen:
            self._screen, self._focus = key, focus
            if self._cut:
                sp.stop()
            self._cut = True
            for line in lines:
                sp.say(line, lang)
            if focus:
                sp.say(focus, focus_lang)
        elif focus != self._focus:
            self._focus = focus
            sp.stop()  # the speech is cut when focus moves
            if focus:
                sp.say(focus, focus_lang)

    def problem_text(self, lang: str) -> str | None:
        """Why the voice is silent, for the player, in `lang` (None when it speaks or has not started)."""
        sp = self.speaker
        if sp is None:
            return None
        if sp.problem:
            return t(sp.problem, lang)
        missing = getattr(sp, "missing_language", None)
        if missing:
            return t("ui.access.problem.no_language", lang, language=t(f"ui.speech.language.{missing}", lang))
        return None

    def close(self) -> None:
        if self.speaker is not None:
            self.speaker.close()
            self.speaker = None
