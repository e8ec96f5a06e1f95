"""Playing a scenario in the terminal (`pandore play SCENARIO --text`).

The same controller as the window in spirit: it keeps a Playthrough, calls
the engine for every choice and renders states and events as text. Input
and output are passed in, so tests drive it with strings.
"""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
from dataclasses import dataclass
from typing import Callable, TextIO

from game import presentation
from game.engine import ChoiceView, Playthrough, Rejected, Scenario, replay
from game.i18n import keep_together, t
from game.i18n import typography


class ChoicePickError(Exception):
    """A --choices entry that cannot be played (exit 2)."""


def pick(pt: Playthrough, token: str, lang: str) -> str:
    """Map a --choices token (an id or a 1-based number among shown choices) to a choice id."""
    result = pt.rules.choice_for(pt.state, token)
    if isinstance(result, Rejected):
        raise ChoicePickError(presentation.refusal(pt, token, result, lang))
    return result


def result_json(pt: Playthrough) -> dict:
    """The `--json` object of DESIGN.md."""
    st = pt.state
    return {
        "scenario": pt.scenario.id,
        "language": pt.scenario.language,
        "seed": pt.seed,
        "ending": st.ending,
        "gauges": st.gauges,
        "variables": st.variables,
        "path": [{"node": n, "choice": c} for n, c in pt.path],
    }


@dataclass
class TerminalPlayer:
    scenario: Scenario
    seed: int
    out: TextIO = sys.stdout
    lang: str = "fr"
    command: str = "pandore play"
    width: int = 0
    plain_spaces: bool = True  # print no-break spaces as spaces (terminals, logs)

    def __post_init__(self) -> None:
        if not self.width:
            self.width = max(40, min(100, shutil.get_terminal_size((88, 24)).columns))
        self.pt = Playthrough.start(self.scenario, self.seed)

    # ---- output helpers -------------------------------------------------
    def say(self, text: str = "", indent: int = 0, hang: int = 0) -> None:
        """Print wrapped text; `hang` indents continuation lines further (bullets)."""
        if not text:
            print("", file=self.out)
            return
        pad = " " * indent
        for para in keep_together(typography.visible(text)).split("\n"):
            wrapped = textwrap.fill(para, self.width, initial_indent=pad, break_on_hyphens=False,
                                    subsequent_indent=pad + " " * hang) if para.strip() else ""
            print(wrapped.replace("\u00a0", " ") if self.plain_spaces else wrapped, file=self.out)

    def rule(self, char: str = "─") -> None:
        print(char * self.width, file=self.out)

    def replay_command(self) -> str:
        ids = ",".join(self.pt.choices)
        return f"{self.command} --text --seed {self.seed}" + (f" --choices {ids}" if ids else "")

    # ---- screens ----------------------------------------------------------
    def intro(self) -> None:
        sc = self.scenario
        self.rule("═")
        self.say(sc.title.upper())
        if sc.summary:
            self.say(sc.summary)
        self.rule("═")
        meta = []
        if sc.duration_minutes:
            meta.append(t("term.duration", self.lang, minutes=sc.duration_minutes))
        if sc.audience:
            meta.append(t("term.audience", self.lang, tags=", ".join(sc.audience)))
        if meta:
            self.say(" · ".join(meta))
        if sc.content_warning:
            self.say()
            self.say("⚠ " + t("term.warning", self.lang, text=sc.content_warning))
            self.say(t("term.step_out", self.lang), indent=2)
        if sc.objectives:
            self.say()
            self.say(self._colon(t("term.objectives", self.lang)))
            for o in sc.objectives:
                self.say("• " + o, indent=2, hang=2)
        self.say()
        self.say(self._colon(t("term.gauges", self.lang)) + " " + " · ".join(
            f"{g.label} {self.pt.state.gauges[name]}" for name, g in sc.gauges.items()))

    def _colon(self, word: str) -> str:
        return (word + typography.colon(self.lang)).rstrip()

    def show_node(self) -> list[ChoiceView]:
        sc, st, rules = self.scenario, self.pt.state, self.pt.rules
        node = sc.nodes[st.node]
        self.say()
        self.rule()
        if node.title:
            self.say(rules.render(node.title, st).upper())
        if node.view == "sms" and node.messages:
            for m in node.messages:
                who = t("term.sent", self.lang) if m.sent else m.from_
                stamp = f" · {m.at}" if m.at else ""
                line = f"{who}{stamp}"
                body = rules.render(m.text, st)
                if m.sent:
                    self.say(f"{line:>{self.width - 4}}")
                    self.say(f"» {body}", indent=self.width // 3)
                else:
                    self.say(f"[{line}]")
                    self.say(typography.quote(body, self.lang), indent=2)
            self.say()
        if node.view == "dashboard" and node.panel:
            p = node.panel
            self.say(f"┌ {(p.tag or t('ui.dashboard.tag', self.lang)).upper()}")
            self.say(f"│ {rules.render(p.title, st)}")
            if p.subject:
                self.say(f"│ {p.subject}")
            if p.score is not None:
                self.say("│ " + typography.label("Score", f"{p.score}/{p.score_max}", self.lang))
            for c in p.criteria:
                self.say("│   " + typography.label(c.label, c.value, self.lang))
            if p.recommendation:
                self.say(f"│ → {p.recommendation}")
            if p.confidence is not None:
                self.say("│ " + typography.label(t("term.confidence", self.lang),
                                               typography.percent(p.confidence, self.lang), self.lang))
            self.say("└")
            self.say()
        if node.view == "visio" and node.participants:
            tiles = []
            for part in node.participants:
                mark = {"good": "●", "unstable": "◐", "lost": "○"}[part.connection]
                tiles.append(f"[{mark} {part.name}{' — ' + part.role if part.role else ''}]")
            self.say("  ".join(tiles))
            self.say()
        text = rules.text(st)
        if text:
            self.say(text.strip())
        shown = rules.choices(st)
        self.say()
        for i, v in enumerate(shown, 1):
            if v.available:
                self.say(f"{i}. {v.text}", indent=2)
            else:
                hint = f" — {v.hint}" if v.hint else ""
                self.say(f"{i}. ({t('term.unavailable', self.lang)}) {v.text}{hint}", indent=2)
        return shown

    def show_step(self) -> None:
        """What the last choice did: the reply sent, the feedback, then every gauge, with why the moved ones moved."""
        sc = self.scenario
        report = presentation.step_report(self.pt, len(self.pt.choices) - 1, self.lang)
        if report.reply:
            self.say(f"» {report.reply}", indent=self.width // 3)
        self.say()
        for f in report.feedback:
            self.say("→ " + f, indent=2, hang=2)
        new = self.pt.state.gauges
        labels = {n: g.label for n, g in sc.gauges.items()}
        w = max((len(x) for x in labels.values()), default=0)
        moved: dict[str, list[presentation.Change]] = {}
        for c in report.changes:
            moved.setdefault(c.gauge, []).append(c)
        for name, g in sc.gauges.items():
            line = f"{labels[name]:<{w}}  {_bar(new[name], g.min, g.max)}  {new[name]}"
            self.say(line, indent=2)
            for c in moved.get(name, ()):
                verdict = t("term.better" if c.better else "term.worse", self.lang)
                self.say(t("term.because", self.lang, change=f"{c.old} → {c.new} ({c.delta:+d})", cause=c.cause,
                           verdict=verdict), indent=w + 4, hang=2)

    def show_ending(self) -> None:
        sc, st = self.scenario, self.pt.state
        end = sc.endings[st.ending]
        self.say()
        self.rule("═")
        self.say(t("term.ending", self.lang, title=self.pt.rules.render(end.title, st)).upper() + f"  ({t('term.tone.' + end.tone, self.lang)})")
        self.rule("═")
        text = self.pt.rules.text(st)
        if text:
            self.say(text.strip())
        self.debrief()

    def debrief(self) -> None:
        sc = self.scenario
        self.say()
        self.say(t("term.debrief", self.lang).upper())
        self.say()
        self.say(self._colon(t("term.what_weighed", self.lang)))
        for w in presentation.weighed(self.pt, self.lang):
            self.say(typography.label(w.label, f"{w.start} → {w.final} ({w.final - w.start:+d})", self.lang), indent=2)
            if not w.causes:
                self.say(t("term.no_change", self.lang), indent=6)
            for d, label in w.causes:
                self.say(f"{d:+4d}  {label}", indent=4, hang=6)
        if sc.debrief.key_points:
            self.say()
            self.say(self._colon(t("term.key_points", self.lang)))
            for k in sc.debrief.key_points:
                self.say("• " + k, indent=2, hang=2)
        if sc.debrief.sources:
            self.say()
            self.say(self._colon(t("term.sources", self.lang)))
            for s in sc.debrief.sources:
                self.say("• " + s, indent=2, hang=2)
        self.say()
        print(t("term.replay", self.lang, command=self.replay_command()), file=self.out)  # unwrapped: copy-paste

    # ---- loops ------------------------------------------------------------
    def play_scripted(self, tokens: list[str], echo: bool = True) -> None:
        """Play the given choices; raise ChoicePickError on the first bad one.

        Without echo, the ids are found first and replayed at once (linear in the number of choices)."""
        if not echo:
            state, ids = self.pt.state, []
            rules = self.pt.rules
            for n, token in enumerate(tokens, 1):
                if state.finished:
                    raise ChoicePickError(t("cli.choices_left", self.lang, ending=state.ending, n=n,
                                            left=len(tokens) - n + 1))
                cid = rules.choice_for(state, token)
                if isinstance(cid, Rejected):
                    self.pt = replay(rules, self.seed, ids).playthrough  # where it stopped, for the message
                    raise ChoicePickError(presentation.refusal(self.pt, token, cid, self.lang))
                state = rules.step(state, cid)[0]
                ids.append(cid)
            self.pt = replay(rules, self.seed, ids).playthrough
            return
        for n, token in enumerate(tokens, 1):
            if self.pt.state.finished:
                raise ChoicePickError(t("cli.choices_left", self.lang, ending=self.pt.state.ending, n=n,
                                        left=len(tokens) - n + 1))
            if echo:
                shown = self.show_node()
            cid = pick(self.pt, token, self.lang)
            nxt = self.pt.choose(cid)
            assert not isinstance(nxt, Rejected), nxt  # pick() only returns playable choices
            self.pt = nxt
            if echo:
                text = next(v.text for v in shown if v.id == cid)
                self.say()
                self.say(t("term.you_chose", self.lang, text=text))
                self.show_step()

    def play_interactive(self, read: Callable[[str], str]) -> bool:
        """Prompt until an ending, a dead end or 'q'. Returns True at an ending."""
        while not self.pt.state.finished:
            shown = self.show_node()
            if not any(v.available for v in shown):
                self.say()
                self.say(t("term.dead_end", self.lang))
                return False
            while True:
                prompt = t("term.prompt", self.lang, first=1, last=len(shown))
                try:
                    answer = read(prompt).strip().lower()
                except EOFError:
                    self.say()
                    self.say(t("term.quit", self.lang, command=self.replay_command()))
                    return False
                if answer in ("q", "quit", "quitter"):
                    self.say(t("term.quit", self.lang, command=self.replay_command()))
                    return False
                if answer in ("u", "undo", "annuler"):
                    if self.pt.choices:
                        self.pt = self.pt.undo()
                        self.say(t("term.undone", self.lang))
                        break
                    self.say(t("term.nothing_to_undo", self.lang))
                    continue
                if answer.isascii() and answer.isdigit() and len(answer) <= 6 and 1 <= int(answer) <= len(shown):
                    v = shown[int(answer) - 1]
                    if not v.available:
                        self.say(t("term.disabled", self.lang, hint=typography.colon(self.lang) + v.hint if v.hint else ""))
                        continue
                    self.pt = self.pt.choose(v.id)
                    self.say()
                    self.say(t("term.you_chose", self.lang, text=v.text))
                    self.show_step()
                    break
                self.say(t("term.bad_input", self.lang, first=1, last=len(shown)))
        self.show_ending()
        return True


def _bar(value: int, lo: int, hi: int, width: int = 10) -> str:
    filled = round((value - lo) / (hi - lo) * width) if hi > lo else 0
    return "█" * filled + "░" * (width - filled)


def json_line(pt: Playthrough) -> str:
    return json.dumps(result_json(pt), ensure_ascii=False)
