"""The one place in the front end that plays: it holds the Playthrough.

Scenes ask the controller for what to show (`view_at`, `history`,
`debrief`) and hand it the player's decisions (`choose`, `undo`, `reload`,
`switch_language`); they never call the engine's rules themselves. Every
change of the playthrough is autosaved atomically; an ending is recorded
in the player's progress and clears the autosave.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from pathlib import Path

from game import presentation
from game.authoring.diagnostics import Diagnostic
from game.authoring.loader import Loaded, load_file
from game.engine import Playthrough, Rejected, SaveError, Scenario, load_save, make_save, replay
from game.i18n import t
from game.presentation import Bubble, Change, Debrief, HistoryEntry, NodeView, StepReport, Weighed

from . import userdata

__all__ = ["Bubble", "Change", "Controller", "Debrief", "HistoryEntry", "NodeView", "ReloadResult", "StepReport",
           "Weighed", "load_scenario_file"]


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    notice: str | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


class Controller:
    """Plays one scenario file; the only caller of the engine's step (through Playthrough)."""

    #: while True, a choice's autosave waits for `save_held()` (the play screen calls it once the
    #: frame that shows the choice is on screen: writing and syncing two files is not on that path)
    hold_saves = False
    save_due = False

    def __init__(self, loaded: Loaded, lang: str, seed: int | None = None,
                 dirs: userdata.Dirs | None = None, autosave: bool = True):
        if not loaded.ok:
            raise ValueError("Controller needs a scenario that loads")
        self.loaded = loaded
        self.path = Path(loaded.path)
        self.lang = lang
        self.dirs = dirs
        self.autosave_enabled = autosave and dirs is not None
        self.seed = seed if seed is not None else random.randrange(1_000_000)
        self.pt = Playthrough.start(loaded.rules, self.seed)
        self.notice: str | None = None
        self._recorded = False
        self.save_error: tuple[OSError, Path] | None = None  # the last autosave failed: why, where
        self._save()

    # ---- construction ---------------------------------------------------------
    @classmethod
    def from_save(cls, loaded: Loaded, lang: str, save, dirs: userdata.Dirs | None) -> "Controller":
        """Resume a save. Raises ValueError with a reason when it no longer replays."""
        ctl = cls.__new__(cls)
        ctl.loaded, ctl.path, ctl.lang, ctl.dirs = loaded, Path(loaded.path), lang, dirs
        ctl.autosave_enabled = dirs is not None
        ctl.seed = save.seed
        ctl.notice = None
        ctl._recorded = False
        ctl.save_error = None
        try:
            result = load_save(loaded.rules, save)
        except SaveError:  # the scenario's id changed since the save: a stale save, said as such
            raise ValueError(t("ui.resume.reason.other", lang, id=save.scenario_id)) from None
        if not result.complete:  # said in the player's language, not the engine's English
            raise ValueError(t("ui.resume.reason.choice", lang, n=result.stopped_at + 1,
                               choice=save.choices[result.stopped_at]))
        ctl.pt = result.playthrough
        if save.scenario_sha256 != loaded.sha256:
            ctl.notice = t("ui.resume.updated", lang)
        ctl._save()
        return ctl

    @property
    def scenario(self) -> Scenario:
        return self.pt.scenario

    @property
    def state(self):
        return self.pt.state

    @property
    def finished(self) -> bool:
        return self.pt.state.finished

    @property
    def turn(self) -> int:
        return len(self.pt.choices)

    @property
    def can_undo(self) -> bool:
        return bool(self.pt.choices)

    # ---- what to show -----------------------------------------------------------
    def gauges_at(self, index: int = -1) -> dict[str, int]:
        return self.pt.states[index].gauges

    def _media(self, rel: str | None) -> Path | None:
        if not rel:
            return None
        key = (self.path, rel)
        cache = self.__dict__.setdefault("_media_paths", {})  # resolving walks the disk: once per picture
        if key not in cache:
            folder = self.path.parent.resolve()
            p = (folder / rel).resolve()
            try:
                p.relative_to(folder)
            except ValueError:
                p = None  # never read outside the scenario's folder
            cache[key] = p
        return cache[key]

    def cover(self) -> Path | None:
        for name in ("media/cover.svg", "media/cover.png"):
            p = self._media(name)
            if p and p.is_file():
                return p
        return None

    def view_at(self, index: int = -1, with_reply: bool = False) -> NodeView:
        """The node at state `index` (default: now). `with_reply` adds the reply of the choice made there."""
        view = presentation.node_view(self.pt, index, self.lang, with_reply)
        return dataclasses.replace(view, image=self._media(view.image) or self.cover())

    # ---- playing -------------------------------------------------------------------
    def choose(self, choice_id: str) -> StepReport | Rejected:
        """Make a choice (an id among the visible, available ones); autosaves."""
        nxt = self.pt.choose(choice_id)
        if isinstance(nxt, Rejected):
            return nxt
        self.pt = nxt
        if self.hold_saves:
            self.save_due = True
        else:
            self._save()
        if self.finished:
            self._record_ending()
        return self.report(len(self.pt.choices) - 1)

    def save_held(self) -> None:
        """Write the autosave a choice made while `hold_saves` held back (nothing if none waits)."""
        if self.save_due:
            self.save_due = False
            self._save()

    def preview(self, choice_id: str) -> StepReport | None:
        """The report `choose(choice_id)` would give now, without making the choice (None if refused):
        the play screen lays out a choice's feedback while the player reads."""
        nxt = self.pt.choose(choice_id)
        if isinstance(nxt, Rejected):
            return None
        return presentation.step_report(nxt, len(nxt.choices) - 1, self.lang)

    def report(self, k: int) -> StepReport:
        """The feedback of choice number k (0-based)."""
        return presentation.step_report(self.pt, k, self.lang)

    def undo(self) -> bool:
        if not self.pt.choices:
            return False
        self.pt = self.pt.undo()
        self._save()
        return True

    def restart(self) -> None:
        self.pt = Playthrough.start(self.pt.rules, self.seed)
        self._recorded = False
        self._save()

    def reload(self) -> ReloadResult:
        """Read the scenario file again and replay the log to the same point (F5)."""
        self.__dict__.pop("_media_paths", None)  # the folder may have changed too
        loaded = load_file(self.path)
        if not loaded.ok:
            return ReloadResult(False, diagnostics=tuple(loaded.diagnostics))
        if loaded.scenario.id != self.scenario.id:
            pass  # a renamed scenario still replays by choice ids
        result = replay(loaded.rules, self.seed, self.pt.choices)
        self.loaded = loaded
        self.pt = result.playthrough
        self._save()
        if result.complete:
            return ReloadResult(True, t("ui.reload.done", self.lang, n=len(self.pt.choices)))
        return ReloadResult(True, t("ui.reload.stopped", self.lang, n=(result.stopped_at or 0) + 1,
                                    reason=result.reason or ""))

    def sibling(self, lang: str) -> Path | None:
        p = self.path.parent / f"{lang}.yaml"
        return p if p.is_file() else None

    def switch_language(self, lang: str) -> bool:
        """Play on in the scenario's translation, when there is one that replays."""
        self.lang = lang
        other = self.sibling(lang)
        if other is None or other.resolve() == self.path.resolve():
            return False
        loaded = load_file(other)
        if not loaded.ok:
            return False
        result = replay(loaded.rules, self.seed, self.pt.choices)
        if not result.complete:
            return False
        self.loaded, self.path, self.pt = loaded, other, result.playthrough
        self._save()
        return True

    # ---- saving ---------------------------------------------------------------------
    def _save(self) -> None:
        if not self.autosave_enabled:
            return
        try:
            if self.finished:
                userdata.clear_autosave(self.dirs)
            else:
                userdata.write_autosave(self.dirs, make_save(self.pt, self.loaded.sha256 or ""), str(self.path))
            self.save_error = None
        except OSError as e:  # play goes on; the screens say the game is not saved, the next choice tries again
            self.save_error = (e, self.dirs.autosave_file)  # told as "the folder <data> ...", the one the player knows

    def retry_save(self) -> bool:
        """Try the autosave again (the player freed some space); True when it is saved now."""
        self._save()
        return self.save_error is None

    def save_problem(self) -> str | None:
        """Why the game is not saved, in the player's language (None when it is)."""
        if self.save_error is None:
            return None
        return userdata.file_problem(self.save_error[0], self.save_error[1], self.lang)

    def _record_ending(self) -> None:
        if self._recorded or self.dirs is None:
            return
        self._recorded = True
        try:
            prog = userdata.load_progress(self.dirs)
            prog.add(self.scenario.id, self.state.ending)
            userdata.save_progress(self.dirs, prog)
        except OSError:
            pass

    def gauge_senses(self) -> dict[str, presentation.GaugeSense]:
        """Which way is good for each gauge, in words, in the scenario's order."""
        return {n: presentation.gauge_sense(self.scenario, n, self.lang) for n in self.scenario.gauges}

    # ---- looking back ----------------------------------------------------------------
    def history(self) -> list[HistoryEntry]:
        return presentation.history(self.pt, self.lang)

    def debrief(self) -> Debrief:
        """The debrief of the ending reached (ValueError before one), with the endings found so far."""
        found: list[str] = []
        if self.dirs is not None:
            found = userdata.load_progress(self.dirs).found(self.scenario.id)
        d = presentation.debrief(self.pt, self.lang, found)
        return dataclasses.replace(d, image=self._media(d.image))


def load_scenario_file(path: str | Path) -> Loaded:
    """Load a scenario file for play (diagnostics in the result, never raised)."""
    return load_file(path)
