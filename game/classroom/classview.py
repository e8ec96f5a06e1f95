"""What the trainer is shown of a class, computed once for the live view, the projector and the report.

`class_view(rules, entries, lang, ...)` turns the playthroughs of a session
(the host's, or replayed from the store) into values: how many trainees are
at each node, the split of the choices at each decision, the spread of each
gauge across the class (now and per ending), the endings reached, the most
common paths, and each trainee's status. The window's live view, the
projector and `pandore report` lay these values out; none of them counts,
sorts or hides anything itself.

Two rules protect the trainees:
- a split is not shown on the projector below `MIN_SPLIT` answers at that
  decision (small counts identify people): `Split.projected` is False and
  `Split.why` says "few";
- while the trainer holds the class at a decision, its split stays hidden
  until the trainer reveals it (`why` "held").

The counts are the summary's (`session.summary_of`, DESIGN.md's `/summary`):
standing choices only, one copy of the counting.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from game.engine import Playthrough, Rules
from game.i18n import t, typography

from .session import summary_of

#: Below this many answers at a decision, its split is not projected.
MIN_SPLIT = 5
#: Seconds without a request nor an open stream from a trainee before they are shown as away.
AWAY_AFTER = 45.0
#: How many of the most common paths are kept.
PATHS = 5


@dataclass(frozen=True)
class Entry:
    """One trainee's playthrough, as the view needs it."""

    pt: Playthrough
    pseudonym: str
    number: int  # 1-based, in the order of joining: "Stagiaire 3" when pseudonyms are hidden
    last_seen: float | None = None
    left_at: float | None = None
    participant_id: str = ""


@dataclass(frozen=True)
class Bar:
    choice: str
    text: str
    n: int
    share: float  # of the answers at this decision, 0..1
    percent: int  # rounded, as shown


@dataclass(frozen=True)
class Split:
    """The class's answers at one decision, every choice of the node in the scenario's order."""

    node: str
    title: str
    total: int  # standing answers here
    waiting: int  # trainees at this node now, not yet answered
    bars: tuple[Bar, ...]
    projected: bool  # shown on the projector
    why: str | None  # None, "few" (under MIN_SPLIT answers) or "held" (held, not revealed yet)
    held: bool


def is_few(split: Split, min_split: int = MIN_SPLIT) -> bool:
    """Whether `split` has fewer answers than a split needs to be projected (the report says so beside it,
    whether or not the class is held there)."""
    return split.total < min_split


@dataclass(frozen=True)
class Spread:
    """A gauge's values across trainees: count, lowest, quartiles, median, highest."""

    n: int
    low: int
    q1: float
    median: float
    q3: float
    high: int


@dataclass(frozen=True)
class GaugeSpread:
    gauge: str
    label: str
    good: str  # high | low
    sense: str  # "plus haut = mieux", in words
    minimum: int
    maximum: int
    now: Spread | None  # every trainee's current value
    by_ending: tuple[tuple[str, str, Spread], ...]  # (ending id, title, spread of the final values)


@dataclass(frozen=True)
class EndingCount:
    ending: str
    title: str
    tone: str
    n: int


def ending_bars(view: "ClassView") -> tuple[Bar, ...]:
    """The endings reached as bars: every ending in the scenario's order, its share of the trainees who
    finished (0 for all when nobody has)."""
    out = []
    for e in view.endings:
        share = e.n / view.finished if view.finished else 0.0
        out.append(Bar(e.ending, e.title, e.n, share, round(share * 100)))
    return tuple(out)


@dataclass(frozen=True)
class PathCount:
    """One way through the scenario, taken by `n` trainees who finished."""

    steps: tuple[tuple[str, str], ...]  # (node title, choice text)
    ending: str
    ending_title: str
    n: int


@dataclass(frozen=True)
class Trainee:
    number: int
    pseudonym: str
    anonymous: str  # "Stagiaire 3" / "Trainee 3": what the projector shows by default
    where: str  # the title of their node or ending
    seq: int  # choices made
    status: str  # playing | finished | away | left
    status_text: str
    participant_id: str = ""  # the store's random id (the report pairs a trainee with their playthrough)


@dataclass(frozen=True)
class ClassView:
    participants: int
    playing: int
    finished: int
    away: int
    choices_made: int
    at: dict[str, int]  # node -> trainees there now (unfinished)
    splits: tuple[Split, ...]  # decisions in the scenario's order, those with an answer or a trainee
    endings: tuple[EndingCount, ...]  # every ending, in the scenario's order
    gauges: tuple[GaugeSpread, ...]
    paths: tuple[PathCount, ...]
    trainees: tuple[Trainee, ...]
    state: str  # running | paused | held | ended
    held_node: str | None
    revealed: bool
    undo_allowed: bool
    summary: dict  # DESIGN.md's /summary, from which the counts above come
    active: int = 0  # unfinished and seen lately: `playing` less `away`


def number_text(x: float | int, lang: str) -> str:
    """A count or a quartile as shown: whole numbers as they are, others to one decimal, in the language's
    way (« 37,5 » in French)."""
    if isinstance(x, float):
        return typography.number(int(x), lang) if x.is_integer() else typography.number(x, lang, 1)
    return typography.number(x, lang)


def spread(values: list[int]) -> Spread | None:
    if not values:
        return None
    v = sorted(values)
    if len(v) == 1:
        q1 = med = q3 = float(v[0])
    else:
        q1, med, q3 = statistics.quantiles(v, n=4, method="inclusive")
    return Spread(len(v), v[0], q1, med, q3, v[-1])


#: A node without a title is named by the start of its text, cut at a word under this many characters.
EXCERPT = 60


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The first sentence of `text`, on one line, cut at a word with « … » when longer than `limit`."""
    line = " ".join(text.split())
    for end in (". ", " ? ", " ! ", "? ", "! "):
        i = line.find(end)
        if 0 < i < limit:
            return line[:i + len(end.rstrip())].strip()
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _node_title(rules: Rules, node: str) -> str:
    """A node as the class knows it: its title, else the start of its text (its id if it has none)."""
    sc = rules.scenario
    if node in sc.nodes:
        n = sc.nodes[node]
        if n.title:
            return n.title
        text = n.text if isinstance(n.text, str) else next((v.text for v in n.text if v.text), "")
        if not text.strip() and n.messages:
            text = n.messages[0].text
        return excerpt(text) if text.strip() else node
    if node in sc.endings:
        return sc.endings[node].title
    return node


def _choice_text(rules: Rules, node: str, index: int, choice, seen_state) -> str:
    text = choice.text
    if seen_state is not None and "{" in text:
        try:
            return rules.render(text, seen_state)
        except Exception:  # noqa: BLE001  (a text that cannot be filled in is shown as written)
            return text
    return text


def _status(e: Entry, now: float, away_after: float) -> str:
    if e.pt.state.finished:
        return "finished"
    if e.left_at is not None:
        return "left"
    if e.last_seen is not None and now - e.last_seen > away_after:
        return "away"
    return "playing"


def class_view(rules: Rules, entries: Iterable[Entry], lang: str, *, state: str = "running",
               held_node: str | None = None, revealed: bool = False, undo_allowed: bool = True,
               now: float | None = None, away_after: float = AWAY_AFTER, min_split: int = MIN_SPLIT,
               paths: int = PATHS) -> ClassView:
    entries = list(entries)
    now = time.time() if now is None else now
    sc = rules.scenario
    summary = summary_of(rules, [(e.pt, e) for e in entries])
    # a state at each node, to fill in the {name} of choice texts as a trainee there read them
    seen: dict[str, object] = {}
    for e in entries:
        for st in e.pt.states:
            seen.setdefault(st.node, st)

    splits = []
    for node_id, node in sc.nodes.items():
        by = summary["choices"].get(node_id, {})
        waiting = summary["at"].get(node_id, 0)
        if not node.choices or (not by and not waiting and node_id != held_node):
            continue
        total = sum(by.values())
        bars = []
        for i, ch in enumerate(node.choices, 1):
            cid = ch.id or f"{node_id}.{i}"
            n = by.get(cid, 0)
            share = n / total if total else 0.0
            bars.append(Bar(cid, _choice_text(rules, node_id, i, ch, seen.get(node_id)), n, share,
                            round(share * 100)))
        held = node_id == held_node
        why = "held" if held and not revealed else ("few" if total < min_split else None)
        splits.append(Split(node_id, _node_title(rules, node_id), total, waiting, tuple(bars), why is None, why,
                            held))

    endings = tuple(EndingCount(eid, end.title, end.tone, summary["endings"].get(eid, 0))
                    for eid, end in sc.endings.items())

    gauges = []
    for gid, g in sc.gauges.items():
        now_values = [e.pt.state.gauges[gid] for e in entries]
        by_end = []
        for eid, end in sc.endings.items():
            finals = [e.pt.state.gauges[gid] for e in entries if e.pt.state.ending == eid]
            s = spread(finals)
            if s is not None:
                by_end.append((eid, end.title, s))
        sense = t("ui.gauge.high_is_good" if g.good == "high" else "ui.gauge.low_is_good", lang)
        gauges.append(GaugeSpread(gid, g.label, g.good, sense, g.min, g.max, spread(now_values), tuple(by_end)))

    walked: Counter = Counter()
    for e in entries:
        if e.pt.state.ending is not None:
            walked[(tuple(zip((st.node for st in e.pt.states), e.pt.choices)), e.pt.state.ending)] += 1
    common = []
    for (steps, ending), n in sorted(walked.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(common) >= paths:
            break
        shown = []
        for node_id, cid in steps:
            node = sc.nodes[node_id]
            text = cid
            for i, ch in enumerate(node.choices, 1):
                if (ch.id or f"{node_id}.{i}") == cid:
                    text = _choice_text(rules, node_id, i, ch, seen.get(node_id))
                    break
            shown.append((_node_title(rules, node_id), text))
        common.append(PathCount(tuple(shown), ending, sc.endings[ending].title, n))

    trainees = []
    counts = Counter()
    for e in sorted(entries, key=lambda e: e.number):
        status = _status(e, now, away_after)
        counts[status] += 1
        st = e.pt.state
        trainees.append(Trainee(e.number, e.pseudonym, t("class.view.anonymous", lang, n=e.number),
                                _node_title(rules, st.ending or st.node), len(e.pt.choices), status,
                                t(f"class.view.status.{status}", lang), e.participant_id))

    return ClassView(
        participants=len(entries), playing=counts["playing"] + counts["away"] + counts["left"],
        finished=counts["finished"], away=counts["away"] + counts["left"], choices_made=summary["choices_made"],
        at=dict(summary["at"]), splits=tuple(splits), endings=endings, gauges=tuple(gauges), paths=tuple(common),
        trainees=tuple(trainees), state=state, held_node=held_node, revealed=revealed, undo_allowed=undo_allowed,
        summary=summary, active=counts["playing"])


def of_session(session, lang: str, *, now: float | None = None, **kw) -> ClassView:
    """The view of a live or stored `ClassSession`."""
    from . import xapi

    entries = [Entry(p.pt, p.row.pseudonym, i, xapi.last_seen(p.row.playthrough_id) or p.row.joined, p.left_at,
                     p.row.id)
               for i, p in enumerate(sorted(session.players, key=lambda p: (p.row.joined, p.row.id)), 1)]
    return class_view(session.rules, entries, lang, state=session.state, held_node=session.held_node,
                      revealed=session.revealed, undo_allowed=session.undo_allowed, now=now, **kw)


# ---------------------------------------------------------------------------------------------
# group mode: what the class voted at each step


@dataclass(frozen=True)
class VoteView:
    """The class's vote at one step: every choice offered, in the scenario's order, and what proceeded."""

    seq: int
    node: str
    title: str
    bars: tuple[Bar, ...]  # hands raised for each choice
    total: int
    chosen: str
    chosen_text: str
    tie_break: bool  # the trainer broke a tie
    margin: int  # hands between the choice that proceeded and the next one (0 on a tie)


def vote_views(rules: Rules, votes, pt: Playthrough | None = None) -> tuple[VoteView, ...]:
    """`votes` as `ClassSession.votes()` gives them, (seq, node, counts, chosen, tie_break, at); `pt`, the
    group's playthrough, fills in the {name} of choice texts as the class read them."""
    out = []
    for seq, node_id, counts, chosen, tie_break, _at in votes:
        node = rules.scenario.nodes.get(node_id)
        if node is None:
            continue
        state = pt.states[seq - 1] if pt is not None and seq - 1 < len(pt.states) else None
        total = sum(counts.values())
        bars, chosen_text = [], chosen
        for i, ch in enumerate(node.choices, 1):
            cid = ch.id or f"{node_id}.{i}"
            n = counts.get(cid, 0)
            text = _choice_text(rules, node_id, i, ch, state)
            if cid in counts or cid == chosen:
                share = n / total if total else 0.0
                bars.append(Bar(cid, text, n, share, round(share * 100)))
            if cid == chosen:
                chosen_text = text
        mine = counts.get(chosen, 0)
        others = [b.n for b in bars if b.choice != chosen]
        margin = max(0, mine - max(others)) if others else mine
        out.append(VoteView(seq, node_id, _node_title(rules, node_id), tuple(bars), total, chosen, chosen_text,
                            bool(tie_break), margin))
    return tuple(out)


def majority(counts: dict[str, int]) -> tuple[list[str], int]:
    """The choices with the most hands (several on a tie; none when nobody voted) and that count."""
    top = max(counts.values(), default=0)
    if top <= 0:
        return [], 0
    return [c for c, n in counts.items() if n == top], top


def decisions(rules: Rules) -> tuple[tuple[str, str], ...]:
    """Every decision of the scenario (a node with choices), in the scenario's order: (node id, title).
    The live view lets the trainer pick and hold any of them, reached yet or not."""
    return tuple((node_id, _node_title(rules, node_id)) for node_id, node in rules.scenario.nodes.items()
                 if node.choices)
