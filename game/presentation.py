"""What the player is told, computed once for every front end.

The terminal, the window, the HTML export and the classroom report render
these values; none of them recomputes a verdict, a ranking or a cause. Every
text of the scenario is shown with the values the player saw at the time
(a choice is quoted as it read when it was made), and every interface word
comes from the catalogues in the language asked for.

- `node_view(pt, index, lang)`: one node at one point of play (texts, SMS
  thread with the player's replies, choices when it is the current node);
- `step_report(pt, k, lang)`: what choice number k did (its text, reply,
  feedback, each gauge that moved: by how much, why, better or worse);
- `history(pt, lang)`: every node seen and what was chosen there;
- `debrief(pt, lang)`: per gauge, the causes that moved it, ranked;
- `delta_text(delta, better, lang)`, `gauge_sense(scenario, gauge, lang)`: a
  change and which way is good for a gauge, in words (never colour alone).

Pure functions of a Playthrough: no files, no pygame.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine import ChoiceView, GaugeChanged, Playthrough, Rejected
from game.engine.model import Choice, Panel, Participant, Scenario
from game.engine.names import did_you_mean
from game.i18n import t, typography

#: How many causes the debrief keeps for each gauge, largest first.
RANKED = 3


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
    """Everything a front end needs to show one node at one point of play."""

    index: int  # index into the playthrough's states
    node_id: str
    kind: str  # narrative | sms | dashboard | visio
    title: str | None
    text: str
    image: str | None  # as written in the scenario (relative to its folder)
    thread: tuple[Bubble, ...]
    panel: Panel | None
    participants: tuple[Participant, ...]
    choices: tuple[ChoiceView, ...]
    contact: str | None  # sms: the other person in the thread


@dataclass(frozen=True)
class Change:
    """A gauge that moved, why, and whether that is better or worse for the people served."""

    gauge: str
    label: str
    old: int
    new: int
    delta: int
    cause: str  # a sentence fragment for a person
    better: bool


@dataclass(frozen=True)
class StepReport:
    """What one choice did, for the feedback panel."""

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
    reply: str | None
    feedback: tuple[str, ...]
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Weighed:
    """One gauge over the whole playthrough and what moved it most."""

    gauge: str
    label: str
    start: int
    final: int
    causes: tuple[tuple[int, str], ...]  # (delta, what), largest first, at most RANKED


@dataclass(frozen=True)
class Debrief:
    ending_id: str
    title: str
    text: str
    tone: str
    image: str | None
    series: dict[str, list[int]]  # gauge -> value after each turn (index 0: start)
    weighed: tuple[Weighed, ...]
    choices: tuple[HistoryEntry, ...]
    key_points: tuple[str, ...]
    questions: tuple[str, ...]  # for the class to discuss
    sources: tuple[str, ...]
    objectives: tuple[str, ...]
    found: tuple[str, ...]  # ending ids found so far, this one included, in the scenario's order
    endings: dict[str, str]  # every ending id -> title


def better(scenario: Scenario, gauge: str, delta: int) -> bool:
    """Whether a change of `delta` is better for the people served (a `good: low` gauge gets better going down)."""
    return (delta > 0) == (scenario.gauges[gauge].good == "high")


def delta_text(delta: int, is_better: bool, lang: str) -> str:
    """A change as a person reads it, without its colour: '▲ +5 · mieux' / '▼ -3 · worse'."""
    arrow = "▲" if delta > 0 else "▼"
    verdict = t("ui.feedback.better", lang) if is_better else t("ui.feedback.worse", lang)
    return f"{arrow}\u00a0{delta:+d} · {verdict}"


@dataclass(frozen=True)
class GaugeSense:
    """Which way is good for a gauge, in words: 'plus haut = mieux' / 'lower is better'."""

    gauge: str
    good: str  # "high" or "low"
    arrow: str  # "↑" when high is good, "↓" when low is good
    words: str


def gauge_sense(scenario: Scenario, gauge: str, lang: str) -> GaugeSense:
    good = scenario.gauges[gauge].good
    key = "ui.gauge.high_is_good" if good == "high" else "ui.gauge.low_is_good"
    return GaugeSense(gauge, good, "↑" if good == "high" else "↓", t(key, lang))


def choice_model(scenario: Scenario, node_id: str, choice_id: str) -> Choice:
    """The scenario's Choice with this id at this node (ids default to '<node>.<n>')."""
    node = scenario.nodes[node_id]
    for i, ch in enumerate(node.choices, 1):
        if (ch.id or f"{node_id}.{i}") == choice_id:
            return ch
    raise KeyError(f"no choice '{choice_id}' at '{node_id}'")


def cause_text(scenario: Scenario, event: GaugeChanged, lang: str) -> str:
    """Why a gauge moved, as a sentence fragment: the choice, chance, a trigger, arriving somewhere."""
    c = event.cause
    if c.kind == "choice":
        return t("ui.cause.choice", lang)
    if c.kind == "outcome":
        return t("ui.cause.outcome", lang)
    if c.kind == "trigger":
        return t("ui.cause.trigger", lang, trigger=c.trigger)
    if event.turn == 0:
        return t("ui.cause.start", lang)
    node = scenario.nodes.get(c.node)
    if node is not None and node.title:
        return t("ui.cause.node_titled", lang, title=node.title)
    return t("ui.cause.node", lang)


def changes(scenario: Scenario, events, lang: str) -> tuple[Change, ...]:
    """The gauges a step moved, merged by (gauge, cause), in the order they first moved."""
    merged: dict[tuple[str, str], list[int]] = {}
    for e in events:
        if isinstance(e, GaugeChanged):
            key = (e.gauge, cause_text(scenario, e, lang))
            if key in merged:
                merged[key][1] = e.new
                merged[key][2] += e.delta
            else:
                merged[key] = [e.old, e.new, e.delta]
    return tuple(Change(gauge, scenario.gauges[gauge].label, old, new, delta, cause, better(scenario, gauge, delta))
                 for (gauge, cause), (old, new, delta) in merged.items() if delta)


def step_report(pt: Playthrough, k: int, lang: str) -> StepReport:
    """What choice number k (0-based) did, with the texts as they read when it was made."""
    sc, rules = pt.scenario, pt.rules
    before = pt.states[k]
    ch = choice_model(sc, before.node, pt.choices[k])
    events = pt.events[k + 1]
    feedback = [rules.render(ch.feedback, before)] if ch.feedback else []
    for e in events:
        if e.kind == "outcome_drawn":
            out = ch.outcomes[e.outcome]
            if out.feedback:
                feedback.append(rules.render(out.feedback, before))
    reply = rules.render(ch.reply, before) if ch.reply and sc.nodes[before.node].view == "sms" else None
    return StepReport(rules.render(ch.text, before), reply, tuple(feedback), changes(sc, events, lang),
                      pt.states[k + 1].finished)


def node_view(pt: Playthrough, index: int, lang: str, with_reply: bool = False) -> NodeView:
    """The node at state `index` (negative counts from the end). `with_reply` adds the reply of the choice made there."""
    sc, rules = pt.scenario, pt.rules
    n = len(pt.states)
    index = index % n
    st = pt.states[index]
    if st.ending is not None:  # play ended here (a replay after an edit can stop on an ending): show it
        end = sc.endings[st.ending]
        return NodeView(index=index, node_id=st.ending, kind="narrative", title=rules.render(end.title, st),
                        text=rules.text(st).strip(), image=end.image, thread=(), panel=None, participants=(),
                        choices=(), contact=None)
    node = sc.nodes[st.node]
    thread: list[Bubble] = []
    contact = None
    if node.view == "sms":
        first = index
        while first > 0 and pt.states[first - 1].node in sc.nodes and sc.nodes[pt.states[first - 1].node].view == "sms":
            first -= 1
        for i in range(first, index + 1):
            s = pt.states[i]
            for m in sc.nodes[s.node].messages:
                thread.append(Bubble(m.from_, m.at, rules.render(m.text, s), m.sent, i == index))
                if not m.sent:
                    contact = m.from_
            if i < index or (with_reply and i < n - 1):
                ch = choice_model(sc, s.node, pt.choices[i])
                if ch.reply:
                    thread.append(Bubble(t("ui.sms.you", lang), None, rules.render(ch.reply, s), True, i == index))
    return NodeView(
        index=index, node_id=st.node, kind=node.view,
        title=rules.render(node.title, st) if node.title else None,
        text=rules.text(st).strip(), image=node.image, thread=tuple(thread), panel=node.panel,
        participants=tuple(node.participants), choices=rules.choices(st) if index == n - 1 else (),
        contact=contact,
    )


def history(pt: Playthrough, lang: str) -> list[HistoryEntry]:
    """Every node seen, in order, with what was chosen there (the current node last, without a choice)."""
    out = []
    for k in range(len(pt.states)):
        if k == len(pt.choices) and pt.state.finished:
            break
        v = node_view(pt, k, lang)
        if k < len(pt.choices):
            r = step_report(pt, k, lang)
            out.append(HistoryEntry(k + 1, v.title, v.text, r.choice_text, r.reply, r.feedback, r.changes))
        else:
            out.append(HistoryEntry(k + 1, v.title, v.text, None, None, (), ()))
    return out


def weighed(pt: Playthrough, lang: str) -> tuple[Weighed, ...]:
    """Per gauge, the causes that moved it over the playthrough, the largest |change| first (ties: first seen).

    A choice is quoted as it read when it was made; a change by chance is
    marked as such; triggers and arrivals are described as what they are.
    """
    sc, rules, final = pt.scenario, pt.rules, pt.state
    contrib: dict[str, dict[str, int]] = {g: {} for g in sc.gauges}
    for k, batch in enumerate(pt.events):
        for e in batch:
            if not isinstance(e, GaugeChanged):
                continue
            c = e.cause
            if c.kind in ("choice", "outcome"):
                seen = pt.states[k - 1]  # events[k] come from the choice made at states[k - 1]
                label = t("ui.quote", lang, text=typography.inner_quotes(rules.render(choice_model(sc, c.node, c.choice).text, seen), lang))
                if c.kind == "outcome":
                    label += " " + t("ui.debrief.by_chance", lang)
            else:
                label = cause_text(sc, e, lang)
            contrib[e.gauge][label] = contrib[e.gauge].get(label, 0) + e.delta
    out = []
    for name, g in sc.gauges.items():
        ranked = sorted(((d, label) for label, d in contrib[name].items() if d), key=lambda x: -abs(x[0]))
        out.append(Weighed(name, g.label, g.start, final.gauges[name], tuple(ranked[:RANKED])))
    return tuple(out)


def debrief(pt: Playthrough, lang: str, found: tuple[str, ...] | list[str] = ()) -> Debrief:
    """The end of play: the ending, each gauge's series and what weighed, the choices made, the key points.

    `found` is the ending ids the player had found before (this one is added).
    Raises ValueError before an ending.
    """
    sc, st = pt.scenario, pt.state
    if st.ending is None:
        raise ValueError("debrief before an ending")
    end = sc.endings[st.ending]
    known = set(found) | {st.ending}
    return Debrief(
        ending_id=st.ending, title=pt.rules.render(end.title, st), text=pt.rules.text(st).strip(), tone=end.tone, image=end.image,
        series={g: [s.gauges[g] for s in pt.states] for g in sc.gauges}, weighed=weighed(pt, lang),
        choices=tuple(e for e in history(pt, lang) if e.choice), key_points=tuple(sc.debrief.key_points),
        questions=tuple(sc.debrief.questions), sources=tuple(sc.debrief.sources), objectives=tuple(sc.objectives),
        found=tuple(e for e in sc.endings if e in known), endings={eid: e.title for eid, e in sc.endings.items()},
    )




def refusal(pt: Playthrough, token: str, rejected: Rejected, lang: str) -> str:
    """Why what the player typed (`Rules.choice_for`'s refusal) is not a choice here, for a person."""
    state, node, token = pt.state, pt.state.node, token.strip()
    if rejected.code == "out_of_range":
        return t("cli.bad_choice_number", lang, n=token if len(token) <= 12 else token[:12] + "…", node=node,
                 count=len(pt.rules.choices(state)))
    if rejected.code == "hidden":
        return t("cli.bad_choice_hidden", lang, choice=token, node=node)
    if rejected.code == "unavailable":
        choice = token if not (token.isascii() and token.isdigit()) else pt.rules.choices(state)[int(token) - 1].id
        return t("cli.bad_choice_disabled", lang, choice=choice, node=node)
    if rejected.code == "finished":
        return t("cli.play_finished", lang, ending=state.ending)
    hint = did_you_mean(token, [v.id for v in pt.rules.choices(state)])
    return t("cli.bad_choice_unknown", lang, choice=token, node=node) + (f" ({hint})" if hint else "")


# ---- in words, for self-voicing -----------------------------------------------------------
# What the window reads aloud is what it shows, said in words where the screen uses signs
# (▲ +20, bars, colours): composed here once, rendered by game/ui/speech.py.

def change_words(c: Change, lang: str) -> str:
    """A gauge that moved, in words: « Charge de travail 65, en hausse de 20, moins bien »."""
    return t("ui.speech.change", lang, label=c.label, new=c.new, amount=abs(c.delta),
             direction=t("ui.speech.up" if c.delta > 0 else "ui.speech.down", lang),
             verdict=t("ui.feedback.better" if c.better else "ui.feedback.worse", lang))


def choice_words(n: int, choice: ChoiceView, lang: str) -> str:
    """A choice as the list shows it: its number, its text, and why it is unavailable."""
    out = t("ui.speech.choice", lang, n=n, text=choice.text)
    if not choice.available:
        unavailable = t("ui.play.unavailable", lang)
        out += ". " + (typography.label(unavailable, choice.hint, lang) if choice.hint else unavailable)
    return out


def node_words(v: NodeView, lang: str) -> list[str]:
    """What a node shows, in reading order: title, text, the new messages, the result card, the call."""
    out = [s for s in (v.title, v.text) if s]
    for b in v.thread:
        if b.new:
            out.append(typography.label(b.sender, b.text, lang))
    p = v.panel
    if p is not None:
        out += [s for s in (p.title, p.subject) if s]
        if p.score is not None:
            out.append(t("ui.speech.score", lang, score=p.score, max=p.score_max))
        out += [typography.label(c.label, c.value, lang) for c in p.criteria]
        if p.recommendation:
            out.append(typography.label(t("ui.dashboard.recommendation", lang), p.recommendation, lang))
        if p.confidence is not None:
            out.append(t("ui.dashboard.confidence", lang, value=p.confidence))
    for who in v.participants:
        out.append(", ".join(s for s in (who.name, who.role) if s))
    return out


def report_words(r: StepReport, lang: str) -> list[str]:
    """The feedback panel in words: the choice, what it did, each gauge that moved."""
    out = [typography.label(t("ui.speech.your_choice", lang), r.choice_text, lang)]
    out += list(r.feedback)
    out += [change_words(c, lang) for c in r.changes] or [t("ui.feedback.nothing", lang)]
    return out
