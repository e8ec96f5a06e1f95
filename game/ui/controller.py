"""The one place in the front end that plays: it holds the Playthrough.

Scenes ask the controller for what to show (`view_at`, `history`,
`debrief`) and hand it the player's decisions (`choose`, `undo`, `reload`,
`switch_language`); they never call the engine's rules themselves. Every
change of the playthrough is autosaved atomically; an ending is recorded
in the player's progress and clears the autosave.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.authoring.diagnostics import Diagnostic
from game.authoring.loader import Loaded, load_file
from game.engine import (
    ChoiceView,
    GaugeChanged,
    Playthrough,
    Rejected,
    Scenario,
    make_save,
    replay,
    resolve_text,
    visible_choices,
)
from game.engine.model import Message, Node, Panel, Participant, render_text
from game.i18n import t

from . import userdata


@dataclass(frozen=True)
class Bubble:
    """One message of an SMS thread as shown."""

    sender: str
    at: str | None
    text: str
    sent: bool
    new: bool  # arrives with the node on screen (animated in)


@dataclass(frozen=True)
class NodeView:
    """Everything a view needs to draw one node at one point of play."""

    index: int  # index into the playthrough's states
    node_id: str
    kind: str  # narrative | sms | dashboard | visio
    title: str | None
    text: str
    image: Path | None
    thread: tuple[Bubble, ...]
    panel: Panel | None
    participants: tuple[Participant, ...]
    choices: tuple[ChoiceView, ...]
    contact: str | None  # sms: the other person in the thread


@dataclass(frozen=True)
class Change:
    """A gauge that moved, why, and whether that is better or worse."""

    gauge: str
    label: str
    old: int
    new: int
    delta: int
    cause: str  # a sentence fragment for a person
    better: bool


@dataclass(frozen=True)
class StepReport:
    """What the last choice did, for the feedback panel."""

    choice_text: str
    reply: str | None
    feedback: tuple[str, ...]
    changes: tuple[Change, ...]
    finished: bool


@dataclass(frozen=True)
class HistoryEntry:
    turn: int
    title: str | None
    text: str
    choice: str | None
    feedback: tuple[str, ...]
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Weighed:
    gauge: str
    label: str
    start: int
    final: int
    causes: tuple[tuple[int, str], ...]  # (delta, what), largest first


@dataclass(frozen=True)
class Debrief:
    ending_id: str
    title: str
    text: str
    tone: str
    image: Path | None
    series: dict[str, list[int]]  # gauge -> value after each turn (index 0: start)
    weighed: tuple[Weighed, ...]
    choices: tuple[HistoryEntry, ...]
    key_points: tuple[str, ...]
    sources: tuple[str, ...]
    objectives: tuple[str, ...]
    found: tuple[str, ...]  # ending ids found so far, this one included
    endings: dict[str, str]  # every ending id -> title


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    notice: str | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


class Controller:
    """Plays one scenario file; the only caller of the engine's step (through Playthrough)."""

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
        self.pt = Playthrough.start(loaded.scenario, self.seed)
        self.notice: str | None = None
        self._recorded = False
        self._save()

    # ---- construction ---------------------------------------------------------
    @classmethod
    def from_save(cls, loaded: Loaded, lang: str, save, dirs: userdata.Dirs | None) -> "Controller":
        """Resume a save. Raises ValueError with a reason when it no longer replays."""
        from game.engine import load_save

        ctl = cls.__new__(cls)
        ctl.loaded, ctl.path, ctl.lang, ctl.dirs = loaded, Path(loaded.path), lang, dirs
        ctl.autosave_enabled = dirs is not None
        ctl.seed = save.seed
        ctl.notice = None
        ctl._recorded = False
        result = load_save(loaded.scenario, save)
        if not result.complete:
            raise ValueError(result.reason)
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
        folder = self.path.parent.resolve()
        p = (folder / rel).resolve()
        try:
            p.relative_to(folder)
        except ValueError:
            return None  # never read outside the scenario's folder
        return p

    def cover(self) -> Path | None:
        for name in ("media/cover.svg", "media/cover.png"):
            p = self._media(name)
            if p and p.is_file():
                return p
        return None

    def _choice(self, node_id: str, choice_id: str):
        sc = self.scenario
        ids = sc.choice_ids(node_id)
        return sc.nodes[node_id].choices[ids.index(choice_id)]

    def view_at(self, index: int = -1, with_reply: bool = False) -> NodeView:
        """The node at state `index` (default: now). `with_reply` adds the reply of the choice made there."""
        sc, pt = self.scenario, self.pt
        n = len(pt.states)
        index = index % n
        st = pt.states[index]
        node: Node = sc.nodes[st.node]
        choices = tuple(visible_choices(sc, st)) if index == n - 1 else ()
        thread: list[Bubble] = []
        contact = None
        if node.view == "sms":
            start = index
            while start > 0 and sc.nodes.get(pt.states[start - 1].node) is not None \
                    and sc.nodes[pt.states[start - 1].node].view == "sms":
                start -= 1
            for i in range(start, index + 1):
                s = pt.states[i]
                nd = sc.nodes[s.node]
                for m in nd.messages:
                    thread.append(Bubble(m.from_, m.at, render_text(m.text, s.env), m.sent, i == index))
                    if not m.sent:
                        contact = m.from_
                if i < index or (with_reply and i < n - 1):
                    ch = self._choice(s.node, pt.choices[i])
                    if ch.reply:
                        thread.append(Bubble(t("ui.sms.you", self.lang), None, render_text(ch.reply, s.env), True,
                                             i == index))
        return NodeView(
            index=index, node_id=st.node, kind=node.view,
            title=render_text(node.title, st.env) if node.title else None,
            text=resolve_text(sc, st, node.text).strip(),
            image=self._media(node.image) or self.cover(),
            thread=tuple(thread), panel=node.panel, participants=tuple(node.participants),
            choices=choices, contact=contact,
        )

    # ---- playing -------------------------------------------------------------------
    def choose(self, choice_id: str) -> StepReport | Rejected:
        """Make a choice (an id among the visible, available ones); autosaves."""
        before = self.pt
        nxt = self.pt.choose(choice_id)
        if isinstance(nxt, Rejected):
            return nxt
        self.pt = nxt
        self._save()
        if self.finished:
            self._record_ending()
        return self.report(len(self.pt.choices) - 1, before)

    def report(self, k: int, before: Playthrough | None = None) -> StepReport:
        """The feedback of choice number k (0-based)."""
        pt = self.pt
        st = pt.states[k]
        ch = self._choice(st.node, pt.choices[k])
        env = st.env
        feedback = [render_text(ch.feedback, env)] if ch.feedback else []
        for e in pt.events[k + 1]:
            if e.kind == "outcome_drawn":
                out = ch.outcomes[e.outcome]
                if out.feedback:
                    feedback.append(render_text(out.feedback, env))
        return StepReport(
            choice_text=render_text(ch.text, env),
            reply=render_text(ch.reply, env) if ch.reply and self.scenario.nodes[st.node].view == "sms" else None,
            feedback=tuple(feedback),
            changes=self._changes(pt.events[k + 1]),
            finished=pt.states[k + 1].finished,
        )

    def _changes(self, events) -> tuple[Change, ...]:
        sc = self.scenario
        merged: dict[tuple[str, str], list[int]] = {}
        for e in events:
            if isinstance(e, GaugeChanged):
                key = (e.gauge, self.cause_text(e))
                if key in merged:
                    merged[key][1] = e.new
                    merged[key][2] += e.delta
                else:
                    merged[key] = [e.old, e.new, e.delta]
        out = []
        for (gauge, cause), (old, new, delta) in merged.items():
            if not delta:
                continue
            g = sc.gauges[gauge]
            out.append(Change(gauge, g.label, old, new, delta, cause, (delta > 0) == (g.good == "high")))
        return tuple(out)

    def cause_text(self, e: GaugeChanged) -> str:
        c = e.cause
        lang = self.lang
        if c.kind == "choice":
            return t("ui.cause.choice", lang)
        if c.kind == "outcome":
            return t("ui.cause.outcome", lang)
        if c.kind == "trigger":
            return t("ui.cause.trigger", lang, trigger=c.trigger)
        if e.turn == 0:
            return t("ui.cause.start", lang)
        node = self.scenario.nodes.get(c.node)
        title = node.title if node and node.title else None
        return t("ui.cause.node_titled", lang, title=title) if title else t("ui.cause.node", lang)

    def undo(self) -> bool:
        if not self.pt.choices:
            return False
        self.pt = self.pt.undo()
        self._save()
        return True

    def restart(self) -> None:
        self.pt = Playthrough.start(self.scenario, self.seed)
        self._recorded = False
        self._save()

    def reload(self) -> ReloadResult:
        """Read the scenario file again and replay the log to the same point (F5)."""
        loaded = load_file(self.path)
        if not loaded.ok:
            return ReloadResult(False, diagnostics=tuple(loaded.diagnostics))
        if loaded.scenario.id != self.scenario.id:
            pass  # a renamed scenario still replays by choice ids
        result = replay(loaded.scenario, self.seed, self.pt.choices)
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
        result = replay(loaded.scenario, self.seed, self.pt.choices)
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
        except OSError:
            pass  # a full disk must not stop play; the next choice tries again

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

    # ---- looking back ----------------------------------------------------------------
    def history(self) -> list[HistoryEntry]:
        out = []
        pt = self.pt
        for k in range(len(pt.states)):
            if k == len(pt.choices) and pt.state.finished:
                break
            v = self.view_at(k)
            if k < len(pt.choices):
                r = self.report(k)
                out.append(HistoryEntry(k + 1, v.title, v.text, r.choice_text, r.feedback, r.changes))
            elif not pt.state.finished:
                out.append(HistoryEntry(k + 1, v.title, v.text, None, (), ()))
        return out

    def debrief(self) -> Debrief:
        sc, pt, st = self.scenario, self.pt, self.pt.state
        if st.ending is None:
            raise ValueError("debrief before an ending")
        end = sc.endings[st.ending]
        series = {g: [s.gauges[g] for s in pt.states] for g in sc.gauges}
        weighed = []
        for name, g in sc.gauges.items():
            contrib: dict[str, int] = {}
            for k, batch in enumerate(pt.events):
                for e in batch:
                    if not (isinstance(e, GaugeChanged) and e.gauge == name):
                        continue
                    c = e.cause
                    if c.kind in ("choice", "outcome"):
                        text = render_text(self._choice(c.node, c.choice).text, pt.states[max(0, k - 1)].env)
                        label = t("ui.quote", self.lang, text=text)
                        if c.kind == "outcome":
                            label += " " + t("ui.debrief.by_chance", self.lang)
                    else:
                        label = self.cause_text(e)
                    contrib[label] = contrib.get(label, 0) + e.delta
            ranked = sorted(((d, lab) for lab, d in contrib.items() if d), key=lambda x: -abs(x[0]))
            weighed.append(Weighed(name, g.label, g.start, st.gauges[name], tuple(ranked[:3])))
        found: list[str] = []
        if self.dirs is not None:
            found = userdata.load_progress(self.dirs).found(sc.id)
        if st.ending not in found:
            found.append(st.ending)
        entries = tuple(e for e in self.history() if e.choice)
        return Debrief(
            ending_id=st.ending, title=end.title, text=resolve_text(sc, st, end.text).strip(), tone=end.tone,
            image=self._media(end.image), series=series, weighed=tuple(weighed), choices=entries,
            key_points=tuple(sc.debrief.key_points), sources=tuple(sc.debrief.sources),
            objectives=tuple(sc.objectives), found=tuple(e for e in sc.endings if e in found),
            endings={eid: e.title for eid, e in sc.endings.items()},
        )


def load_scenario_file(path: str | Path) -> Loaded:
    """Load a scenario file for play (diagnostics in the result, never raised)."""
    return load_file(path)
