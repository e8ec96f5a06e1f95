"""The rules of one step: `step(scenario, state, choice) -> (state, events)`.

Exactly DESIGN.md's order:
0. play starts by entering `start` (its effects apply);
1. the choice must be visible and available at the current node;
2. its `effects` apply (numbers add, booleans set), then its `set` assigns;
   every gauge is clamped to [min, max] after each change;
3. with `outcomes`, one is drawn with random.Random(f"{seed}:{turn}")
   .choices(range(n), weights)[0]; its effects and set apply and its goto is
   next; otherwise the choice's goto is next;
4. triggers are checked in order; the first whose `if` holds (and, with
   `once`, has not fired) applies its effects and set and replaces next with
   its goto (when it has one);
5. the next node is entered and its effects and set apply; an ending
   finishes play;
6. every change is an event naming its cause.

The scenario is compiled once (names to tuple indices, expressions to
lambdas) and cached on the model; the state is a frozen value.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from typing import Callable, Iterable

from .events import (
    Cause,
    ChoiceMade,
    EndingReached,
    Event,
    GaugeChanged,
    NodeEntered,
    OutcomeDrawn,
    TriggerFired,
    VariableChanged,
)
from .expr import compile_expr
from .model import INT_LIMIT, Scenario, ScenarioError, TextVariant, check_references, render_text
from .state import Rejected, State

# An operation on the values tuple: (index, value, add, lo, hi, is_gauge).
Op = tuple[int, object, bool, int, int, bool]


@dataclass(frozen=True, slots=True)
class COutcome:
    index: int
    weight: float
    ops: tuple[Op, ...]
    goto: str


@dataclass(frozen=True, slots=True)
class CChoice:
    id: str
    index: int  # 0-based position in the node's choices
    visible: Callable[[tuple], object] | None
    available: Callable[[tuple], object] | None
    ops: tuple[Op, ...]
    goto: str | None
    outcomes: tuple[COutcome, ...]
    cum_weights: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class CNode:
    id: str
    ending: bool
    tone: str | None
    ops: tuple[Op, ...]
    choices: tuple[CChoice, ...]
    by_id: dict


@dataclass(frozen=True, slots=True)
class CTrigger:
    index: int
    id: str
    cond: Callable[[tuple], object]
    ops: tuple[Op, ...]
    goto: str | None
    once: bool


@dataclass(frozen=True, slots=True)
class Compiled:
    names: tuple[str, ...]
    n_gauges: int
    index: dict
    initial: tuple
    nodes: dict
    triggers: tuple[CTrigger, ...]
    start: str


def compiled(scenario: Scenario) -> Compiled:
    """The scenario's fast form (built once, cached on the model).

    Raises ScenarioError when the scenario's cross-references are broken.
    """
    c = scenario._compiled
    if c is None:
        c = _compile(scenario)
        scenario._compiled = c
    return c


def _compile(sc: Scenario) -> Compiled:
    problems = [p for p in check_references(sc) if p.severity == "error"]
    if problems:
        raise ScenarioError(problems)
    names = tuple(sc.gauges) + tuple(sc.variables)
    index = {n: i for i, n in enumerate(names)}
    types = {n: int for n in sc.gauges} | {n: (bool if isinstance(v, bool) else int) for n, v in sc.variables.items()}
    n_g = len(sc.gauges)
    bounds = [(g.min, g.max) for g in sc.gauges.values()] + [(-INT_LIMIT, INT_LIMIT)] * len(sc.variables)

    def ops(effects: dict, assign: dict) -> tuple[Op, ...]:
        out: list[Op] = []
        for name, value in effects.items():
            i = index[name]
            lo, hi = bounds[i]
            out.append((i, value, not isinstance(value, bool), lo, hi, i < n_g))
        for name, value in assign.items():
            i = index[name]
            lo, hi = bounds[i]
            out.append((i, value, False, lo, hi, i < n_g))
        return tuple(out)

    def cond(src: str | None):
        return None if src is None else compile_expr(src, types, index).fn

    nodes: dict[str, CNode] = {}
    for nid, node in sc.nodes.items():
        choices = []
        for j, ch in enumerate(node.choices):
            cid = ch.id or f"{nid}.{j + 1}"
            outs = tuple(COutcome(k, o.weight, ops(o.effects, o.set), o.goto) for k, o in enumerate(ch.outcomes or ()))
            choices.append(CChoice(cid, j, cond(ch.if_), cond(ch.available_if), ops(ch.effects, ch.set), ch.goto,
                                   outs, tuple(accumulate(o.weight for o in outs))))
        nodes[nid] = CNode(nid, False, None, ops(node.effects, node.set), tuple(choices), {c.id: c for c in choices})
    for eid, end in sc.endings.items():
        nodes[eid] = CNode(eid, True, end.tone, (), (), {})
    triggers = tuple(
        CTrigger(i, t.id or f"trigger.{i + 1}", cond(t.if_), ops(t.effects, t.set), t.goto, t.once)
        for i, t in enumerate(sc.triggers)
    )
    initial = tuple(g.start for g in sc.gauges.values()) + tuple(sc.variables.values())
    return Compiled(names, n_g, index, initial, nodes, triggers, sc.start)


def _apply(ops: Iterable[Op], values: list, cause: Cause, turn: int, names: tuple, events: list) -> None:
    for i, value, add, lo, hi, is_gauge in ops:
        old = values[i]
        new = old + value if add else value
        if not isinstance(new, bool):
            new = lo if new < lo else hi if new > hi else new
        if new == old and type(new) is type(old):
            continue
        values[i] = new
        if is_gauge:
            events.append(GaugeChanged(names[i], old, new, new - old, value if add else value - old, cause, turn))
        else:
            events.append(VariableChanged(names[i], old, new, cause, turn))


def _enter(c: Compiled, node_id: str, values: list, turn: int, events: list) -> CNode:
    node = c.nodes[node_id]
    if node.ending:
        events.append(EndingReached(node_id, node.tone, turn))
    else:
        events.append(NodeEntered(node_id, turn))
        if node.ops:
            _apply(node.ops, values, Cause("node", node_id), turn, c.names, events)
    return node


def initial_state(scenario: Scenario, seed: int = 0) -> tuple[State, tuple[Event, ...]]:
    """Rule 0: the state before any choice, with `start` entered."""
    c = compiled(scenario)
    values = list(c.initial)
    events: list[Event] = []
    node = _enter(c, c.start, values, 0, events)
    state = State(c.start, tuple(values), 0, seed, frozenset(), c.start if node.ending else None, c.names, c.n_gauges)
    return state, tuple(events)


def is_visible(choice: CChoice, values: tuple) -> bool:
    return choice.visible is None or bool(choice.visible(values))


def is_available(choice: CChoice, values: tuple) -> bool:
    return choice.available is None or bool(choice.available(values))


def draw_outcome(choice: CChoice, seed: int, turn: int) -> int:
    """Rule 3's draw, identical to random.Random(f"{seed}:{turn}").choices(range(n), weights)[0]."""
    cum = choice.cum_weights
    return bisect(cum, random.Random(f"{seed}:{turn}").random() * (cum[-1] + 0.0), 0, len(cum) - 1)


def step(scenario: Scenario, state: State, choice: str, outcome: int | None = None):
    """Make `choice` (an id) at the state's node.

    Returns `(new_state, events)`, or `Rejected(reason)` when the choice is
    unknown, hidden or unavailable, or play has ended. `outcome` forces an
    outcome branch instead of the seeded draw (used by the analysis).
    """
    c = compiled(scenario)
    if state.ending is not None:
        return Rejected("play has ended", "finished")
    node = c.nodes[state.node]
    ch = node.by_id.get(choice)
    values = state.values
    if ch is None:
        return Rejected(f"no choice '{choice}' at '{state.node}'", "unknown")
    if ch.visible is not None and not ch.visible(values):
        return Rejected(f"choice '{choice}' is hidden at this point", "hidden")
    if ch.available is not None and not ch.available(values):
        return Rejected(f"choice '{choice}' is not available at this point", "unavailable")
    turn = state.turn
    vals = list(values)
    names = c.names
    events: list[Event] = [ChoiceMade(state.node, choice, turn)]
    if ch.ops:
        _apply(ch.ops, vals, Cause("choice", state.node, choice), turn, names, events)
    if ch.outcomes:
        k = draw_outcome(ch, state.seed, turn) if outcome is None else outcome
        out = ch.outcomes[k]
        events.append(OutcomeDrawn(state.node, choice, k, out.goto, turn))
        if out.ops:
            _apply(out.ops, vals, Cause("outcome", state.node, choice, k), turn, names, events)
        nxt = out.goto
    else:
        nxt = ch.goto
    fired = state.fired
    for t in c.triggers:
        if t.once and t.index in fired:
            continue
        if t.cond(tuple(vals)):
            events.append(TriggerFired(t.id, t.index, t.goto, turn))
            if t.ops:
                _apply(t.ops, vals, Cause("trigger", state.node, choice, trigger=t.id), turn, names, events)
            if t.goto is not None:
                nxt = t.goto
            if t.once:
                fired = fired | {t.index}
            break
    entered = _enter(c, nxt, vals, turn + 1, events)
    new = State(nxt, tuple(vals), turn + 1, state.seed, fired, nxt if entered.ending else None, names, c.n_gauges)
    return new, tuple(events)


@dataclass(frozen=True, slots=True)
class ChoiceView:
    """A choice as the player sees it at a state (hidden ones are not listed)."""

    id: str
    index: int  # 0-based position among the node's choices
    text: str
    available: bool
    hint: str | None


def visible_choices(scenario: Scenario, state: State) -> list[ChoiceView]:
    """The choices shown at the state, in order, disabled ones included."""
    if state.ending is not None:
        return []
    c = compiled(scenario)
    node = scenario.nodes[state.node]
    env = state.env
    out = []
    for cc, ch in zip(c.nodes[state.node].choices, node.choices):
        if not is_visible(cc, state.values):
            continue
        ok = is_available(cc, state.values)
        out.append(ChoiceView(cc.id, cc.index, render_text(ch.text, env), ok,
                              None if ok else (render_text(ch.unavailable_hint, env) if ch.unavailable_hint else None)))
    return out


def resolve_text(scenario: Scenario, state: State, text) -> str:
    """A text (string or variants) as shown at `state`, `{name}` filled in."""
    if isinstance(text, str):
        return render_text(text, state.env)
    c = compiled(scenario)
    types = {n: (bool if isinstance(v, bool) else int) for n, v in zip(c.names, c.initial)}
    for variant in text:
        if variant.if_ is None or compile_expr(variant.if_, types, c.index).fn(state.values):
            return render_text(variant.text, state.env)
    return ""
