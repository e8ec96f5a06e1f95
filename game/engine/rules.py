"""The rules of one step, compiled once: `Rules.compile(scenario)`.

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

`Rules` is the only compiled form of a scenario: names become indices into
the values tuple, expressions and texts are compiled, causes are made, all
eagerly in `compile`. It is immutable and holds no cache, so one value can be
shared by any number of threads. Rules 2-5 live once, in `_advance`; `step`
runs it with an event emitter, `successors` (the analysis) without one.
"""

from __future__ import annotations

import functools
import random
import threading
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from types import MappingProxyType
from typing import Callable, Iterator, Mapping, NamedTuple

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
from .expr import ExprError, compile_expr
from .model import _PLACEHOLDER, INT_LIMIT, Problem, Scenario, ScenarioError, check_references
from .names import _NAME_RE, RESERVED_NAMES, did_you_mean
from .state import Rejected, State


#: Values made at every step (states, events, choices shown) are named tuples,
#: built with `tuple.__new__` from the kernel: the same value as calling the
#: class, without its Python-level `__new__` (a third of a step's cost).
_new = tuple.__new__


class _Broken(Exception):
    """A reference the compiler cannot build; `Rules.compile` reports it as check_references does."""


class _Op(NamedTuple):
    """One change of rule 2: values[index] += value (add) or = value, clamped to [lo, hi]."""

    index: int
    name: str
    value: int | bool
    add: bool
    lo: int
    hi: int
    gauge: bool


# --------------------------------------------------------------------------
# Texts: `{name}` placeholders, compiled at compile time


def _word(x: object) -> str:
    return "true" if x else "false"


@dataclass(frozen=True, slots=True)
class _Template:
    """A text with `{name}` of known names as `str.format` slots; literal braces doubled."""

    fmt: str
    indices: tuple[int, ...]
    bools: tuple[int, ...]  # positions in `indices` that read a boolean

    def __call__(self, values) -> str:
        args = [values[i] for i in self.indices]
        for k in self.bools:
            args[k] = _word(args[k])
        return self.fmt.format(*args)


@dataclass(frozen=True, slots=True)
class _Variants:
    """The first variant whose condition holds (a variant without `if` always holds)."""

    pairs: tuple[tuple[Callable | None, "str | Callable"], ...]

    def __call__(self, values) -> str:
        for cond, text in self.pairs:
            if cond is None or cond(values):
                return text if text.__class__ is str else text(values)
        return ""


# --------------------------------------------------------------------------
# The compiled scenario. Its parts are slotted records, written once by `_build` and never
# after (tests/engine/test_shared_rules.py): not frozen, because a frozen dataclass is built
# through object.__setattr__, ~4x slower (a load builds one per node, choice and outcome);
# not named tuples, whose fields the interpreter does not specialise (the analysis reads
# them millions of times: -8 % states/s).


@dataclass(slots=True, eq=False)
class _Outcome:
    index: int
    ops: tuple[_Op, ...]
    goto: str
    cause: Cause


@dataclass(slots=True, eq=False)
class _Choice:
    id: str
    index: int  # 0-based position among the node's choices
    visible: Callable | None
    available: Callable | None
    ops: tuple[_Op, ...]
    goto: str | None
    outcomes: tuple[_Outcome, ...]
    cum_weights: tuple[float, ...]
    cause: Cause
    text: Callable
    hint: Callable | None


@dataclass(slots=True, eq=False)
class _Node:
    id: str
    ending: bool
    tone: str | None
    ops: tuple[_Op, ...]
    choices: tuple[_Choice, ...]
    by_id: Mapping[str, _Choice]
    cause: Cause
    text: Callable


@dataclass(slots=True, eq=False)
class _Trigger:
    index: int
    id: str
    cond: Callable
    ops: tuple[_Op, ...]
    goto: str | None
    once: bool


class ChoiceView(NamedTuple):
    """A choice as the player sees it at a state (hidden ones are not listed)."""

    id: str
    index: int  # 0-based position among the node's choices
    text: str
    available: bool
    hint: str | None


class Successor(NamedTuple):
    """One transition from a state: the choice made, the outcome drawn (0-based, or
    None), the state reached and the index of the trigger that fired (or None)."""

    choice: str
    outcome: int | None
    state: State
    trigger: int | None
    position: int  # the choice's 0-based position among the node's choices


def _apply(ops: tuple[_Op, ...], vals: list, cause: Cause | None, turn: int, emit) -> None:
    """Rule 2 on a mutable copy of the values; each real change is emitted when `emit` is given."""
    for i, name, value, add, lo, hi, gauge in ops:
        old = vals[i]
        new = old + value if add else value
        if new.__class__ is not bool:
            new = lo if new < lo else hi if new > hi else new
        if new == old and new.__class__ is old.__class__:
            continue
        vals[i] = new
        if emit is not None:
            if gauge:
                emit(_new(GaugeChanged, (name, old, new, new - old, value if add else value - old, cause, turn)))
            else:
                emit(_new(VariableChanged, (name, old, new, cause, turn)))


@dataclass(frozen=True, slots=True, eq=False)
class Rules:
    """A scenario compiled for play: immutable, shared freely between threads.

    Build it with `Rules.compile(scenario)`. Two rules are equal when their
    scenarios are (the compiled parts follow from the scenario).
    """

    scenario: Scenario
    names: tuple[str, ...]
    n_gauges: int
    index: Mapping[str, int]
    initial: tuple
    _nodes: Mapping[str, _Node]
    _triggers: tuple[_Trigger, ...]
    _types: Mapping[str, type]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rules):
            return NotImplemented
        return self is other or self.scenario == other.scenario

    def __hash__(self) -> int:
        return hash((self.scenario.id, self.scenario.language, len(self.names)))

    # ---- building ------------------------------------------------------------
    @classmethod
    def compile(cls, scenario: Scenario) -> "Rules":
        """Compile a scenario. Raises ScenarioError when its references are broken.

        The compiler is strict by construction (an unknown goto or name, an
        effect of the wrong type, a duplicate choice id or an expression that
        does not check cannot be compiled); when it meets one, the problems are
        those `check_references` reports, so a scenario that passed the
        loader is not checked twice.
        """
        try:
            return cls._build(scenario)
        except (_Broken, ExprError, KeyError):
            problems = [p for p in check_references(scenario) if p.severity == "error"]
            raise ScenarioError(problems or [Problem((), "the scenario's references are broken")]) from None

    @classmethod
    def _build(cls, scenario: Scenario) -> "Rules":
        sc = scenario
        names = tuple(sc.gauges) + tuple(sc.variables)
        index = {n: i for i, n in enumerate(names)}
        if len(index) != len(names):
            raise _Broken("a variable named as a gauge")
        for name in names:
            if name in RESERVED_NAMES or not _NAME_RE.fullmatch(name):
                raise _Broken(name)
        for value in sc.variables.values():
            if abs(value) > INT_LIMIT:
                raise _Broken(value)
        for nid in (*sc.nodes, *sc.endings):
            if not _NAME_RE.fullmatch(nid):
                raise _Broken(nid)
        types = {n: int for n in sc.gauges} | {n: (bool if isinstance(v, bool) else int)
                                               for n, v in sc.variables.items()}
        n_g = len(sc.gauges)
        bounds = [(g.min, g.max) for g in sc.gauges.values()] + [(-INT_LIMIT, INT_LIMIT)] * len(sc.variables)

        targets = set(sc.nodes) | set(sc.endings)

        made: dict[tuple, tuple[_Op, ...]] = {}  # equal changes share one value: fewer objects for the collector

        def ops(effects: dict, assign: dict) -> tuple[_Op, ...]:
            if not effects and not assign:
                return ()
            key = (tuple((n, v, v.__class__) for n, v in effects.items()),
                   tuple((n, v, v.__class__) for n, v in assign.items()))
            hit = made.get(key)
            if hit is not None:
                return hit
            out = []
            for name, value in effects.items():
                i = index[name]
                if (types[name] is bool) is not isinstance(value, bool) or abs(value) > INT_LIMIT:
                    raise _Broken(name)
                out.append(_Op(i, name, value, not isinstance(value, bool), *bounds[i], i < n_g))
            for name, value in assign.items():
                i = index[name]
                if (types[name] is bool) is not isinstance(value, bool) or abs(value) > INT_LIMIT:
                    raise _Broken(name)
                out.append(_Op(i, name, value, False, *bounds[i], i < n_g))
            made[key] = hit = tuple(out)
            return hit

        def goto(target: str | None) -> str | None:
            if target is not None and target not in targets:
                raise _Broken(target)
            return target

        def cond(src: str | None):
            return None if src is None else compile_expr(src, types, index).fn

        def text(t) -> Callable:
            return _text(t, index, types, strict=True)

        def shown(t: str | None) -> None:  # a text rendered elsewhere (a title, an SMS, a feedback)
            if t and "{" in t:
                for m in _PLACEHOLDER.finditer(t):
                    if m.group(1) not in index:
                        raise _Broken(m.group(1))

        nodes: dict[str, _Node] = {}
        for nid, node in sc.nodes.items():
            choices = []
            shown(node.title)
            for msg in node.messages:
                shown(msg.text)
            for j, ch in enumerate(node.choices):
                cid = ch.id or f"{nid}.{j + 1}"
                shown(ch.feedback)
                for o in ch.outcomes or ():
                    shown(o.feedback)
                outs = tuple(_Outcome(k, ops(o.effects, o.set), goto(o.goto), Cause("outcome", nid, cid, k))
                             for k, o in enumerate(ch.outcomes or ()))
                choices.append(_Choice(
                    cid, j, cond(ch.if_), cond(ch.available_if), ops(ch.effects, ch.set), goto(ch.goto), outs,
                    tuple(accumulate(o.weight for o in ch.outcomes)) if outs else (),
                    Cause("choice", nid, cid), text(ch.text),
                    text(ch.unavailable_hint) if ch.unavailable_hint is not None else None))
            by_id = {c.id: c for c in choices}
            if len(by_id) != len(choices):
                raise _Broken(nid)  # a duplicate choice id
            nodes[nid] = _Node(nid, False, None, ops(node.effects, node.set), tuple(choices),
                               MappingProxyType(by_id), Cause("node", nid), text(node.text))
        for eid, end in sc.endings.items():
            shown(end.title)
            nodes[eid] = _Node(eid, True, end.tone, (), (), MappingProxyType({}), Cause("node", eid), text(end.text))
        for eid in sc.endings:
            if eid in sc.nodes:
                raise _Broken(eid)  # one namespace for nodes and endings
        goto(sc.start)
        triggers = tuple(_Trigger(i, t.id or f"trigger.{i + 1}", cond(t.if_), ops(t.effects, t.set), goto(t.goto),
                                  t.once) for i, t in enumerate(sc.triggers))
        given = [t.id for t in sc.triggers if t.id]
        if len(set(given)) != len(given):
            raise _Broken("a duplicate trigger id")
        initial = tuple(g.start for g in sc.gauges.values()) + tuple(sc.variables.values())
        return cls(sc, names, n_g, MappingProxyType(index), initial, MappingProxyType(nodes), triggers,
                   MappingProxyType(types))

    # ---- rule 0 ------------------------------------------------------------------
    def start(self, seed: int = 0) -> tuple[State, tuple[Event, ...]]:
        """The state before any choice, with `start` entered, and the events of entering it."""
        vals = list(self.initial)
        events: list[Event] = []
        start = self.scenario.start
        node = self._enter(start, vals, 0, events.append)
        state = State(start, tuple(vals), 0, seed, frozenset(), start if node.ending else None,
                      self.names, self.n_gauges)
        return state, tuple(events)

    # ---- rules 1-6 -------------------------------------------------------------
    def step(self, state: State, choice: str, outcome: int | None = None):
        """Make `choice` (an id) at the state's node.

        Returns `(new_state, events)`, or `Rejected` when the choice is
        unknown, hidden or unavailable, or play has ended. `outcome` forces
        an outcome branch instead of the seeded draw.
        """
        ch = self._playable(state, choice)
        if ch.__class__ is Rejected:
            return ch
        turn = state.turn
        here = state.node
        vals = list(state.values)
        events: list[Event] = [_new(ChoiceMade, (here, choice, turn))]
        if ch.outcomes and outcome is None:
            outcome = draw_outcome(ch.cum_weights, state.seed, turn)
        nxt, fired, _ = self._advance(ch, outcome, vals, state.fired, here, turn, events.append)
        new = _new(State, (nxt.id, tuple(vals), turn + 1, state.seed, fired, nxt.id if nxt.ending else None,
                           self.names, self.n_gauges))
        return new, tuple(events)

    def successors(self, state: State) -> Iterator[Successor]:
        """Every transition from `state`: each available choice in order, each of its outcome branches.

        The same kernel as `step`, without events; no draw (every branch is given).
        """
        if state.ending is not None:
            return
        turn, seed, names, n_g = state.turn + 1, state.seed, self.names, self.n_gauges
        for cid, k, node, ending, vals, fired, trig, j in self.transitions(state.node, state.values, state.fired):
            yield _new(Successor, (cid, k, _new(State, (node, vals, turn, seed, fired, node if ending else None,
                                                        names, n_g)), trig, j))

    def transitions(self, node: str, values: tuple, fired: frozenset) -> Iterator[tuple]:
        """`successors` on the bare parts of a state, for the analysis, which keeps millions of them:
        (choice id, outcome or None, next node, is it an ending, values, fired once-triggers, trigger
        fired or None, choice position), from the one kernel."""
        for ch in self._nodes[node].choices:
            if (ch.visible is not None and not ch.visible(values)) or \
                    (ch.available is not None and not ch.available(values)):
                continue
            for k in range(len(ch.outcomes)) if ch.outcomes else (None,):
                vals = list(values)
                nxt, f, trig = self._advance(ch, k, vals, fired, node, 0, None)
                yield ch.id, k, nxt.id, nxt.ending, tuple(vals), f, trig, ch.index

    def _playable(self, state: State, choice: str):
        """Rule 1: the compiled choice, or why it cannot be made."""
        if state.ending is not None:
            return Rejected("play has ended", "finished")
        ch = self._nodes[state.node].by_id.get(choice)
        if ch is None:
            return Rejected(f"no choice '{choice}' at '{state.node}'", "unknown")
        values = state.values
        if ch.visible is not None and not ch.visible(values):
            return Rejected(f"choice '{choice}' is hidden at this point", "hidden")
        if ch.available is not None and not ch.available(values):
            return Rejected(f"choice '{choice}' is not available at this point", "unavailable")
        return ch

    def _advance(self, ch: _Choice, outcome: int | None, vals: list, fired: frozenset, here: str, turn: int,
                 emit) -> tuple[_Node, frozenset, int | None]:
        """Rules 2-5, the only copy: apply the choice (and its outcome), the triggers, then enter next.

        `vals` is changed in place; `emit` receives each event, or is None.
        Returns the node entered, the once-triggers fired, and the index of
        the trigger that fired on this step (or None).
        """
        if ch.ops:
            _apply(ch.ops, vals, ch.cause, turn, emit)
        if ch.outcomes:
            out = ch.outcomes[outcome]
            if emit is not None:
                emit(OutcomeDrawn(here, ch.id, outcome, out.goto, turn))
            if out.ops:
                _apply(out.ops, vals, out.cause, turn, emit)
            nxt = out.goto
        else:
            nxt = ch.goto
        fired_now = None
        for t in self._triggers:
            if t.once and t.index in fired:
                continue
            if t.cond(vals):
                if emit is not None:
                    emit(TriggerFired(t.id, t.index, t.goto, turn))
                if t.ops:
                    cause = Cause("trigger", here, ch.id, trigger=t.id) if emit is not None else None
                    _apply(t.ops, vals, cause, turn, emit)
                if t.goto is not None:
                    nxt = t.goto
                if t.once:
                    fired = fired | {t.index}
                fired_now = t.index
                break
        return self._enter(nxt, vals, turn + 1, emit), fired, fired_now

    def _enter(self, node_id: str, vals: list, turn: int, emit) -> _Node:
        """Rule 5 (and rule 0): enter a node, applying its effects, or reach an ending."""
        node = self._nodes[node_id]
        if node.ending:
            if emit is not None:
                emit(EndingReached(node_id, node.tone, turn))
        else:
            if emit is not None:
                emit(_new(NodeEntered, (node_id, turn)))
            if node.ops:
                _apply(node.ops, vals, node.cause, turn, emit)
        return node

    # ---- what the player sees ------------------------------------------------------
    def choices(self, state: State) -> tuple[ChoiceView, ...]:
        """The choices shown at the state, in order, disabled ones included (none at an ending)."""
        if state.ending is not None:
            return ()
        values = state.values
        out = []
        for ch in self._nodes[state.node].choices:
            if ch.visible is not None and not ch.visible(values):
                continue
            ok = ch.available is None or bool(ch.available(values))
            hint = None if ok or ch.hint is None else _shown(ch.hint, values)
            text = ch.text if ch.text.__class__ is str else ch.text(values)
            out.append(_new(ChoiceView, (ch.id, ch.index, text, ok, hint)))
        return tuple(out)

    def text(self, state: State) -> str:
        """The text of the state's node (or ending), variants chosen and `{name}` filled in."""
        text = self._nodes[state.node].text
        return text if text.__class__ is str else text(state.values)

    def render(self, text, state: State) -> str:
        """Any scenario text (a string or a list of variants) as shown at `state`."""
        return _shown(_text(text, self.index, self._types), state.values)

    def choice_for(self, state: State, token: str) -> str | Rejected:
        """What a player typed ("3", "repondre") as a choice id, or why it is not one.

        A number counts the shown choices, disabled ones included (1 = the
        first shown); the choice must be visible and available. Rejected's
        `code` is 'out_of_range', 'unknown', 'hidden', 'unavailable' or 'finished'.
        """
        if state.ending is not None:
            return Rejected("play has ended", "finished")
        shown = self.choices(state)
        token = token.strip()
        if token.isascii() and token.isdigit():  # '²' is a digit to Python, not a number to int()
            n = int(token) if len(token) <= 6 else 10**6  # a 5,000-digit number is simply out of range
            if not 1 <= n <= len(shown):
                return Rejected(f"there is no choice number {n} here ({len(shown)} shown)", "out_of_range")
            view = shown[n - 1]
        else:
            view = next((v for v in shown if v.id == token), None)
            if view is None:
                if token in self._nodes[state.node].by_id:
                    return Rejected(f"choice '{token}' is hidden at this point", "hidden")
                hint = did_you_mean(token, [v.id for v in shown])
                return Rejected(f"no choice '{token}' at '{state.node}'" + (f" ({hint})" if hint else ""), "unknown")
        if not view.available:
            return Rejected(f"choice '{view.id}' is not available at this point", "unavailable")
        return view.id

    def choice_ids(self, node_id: str) -> tuple[str, ...]:
        """The ids of a node's choices, defaults included, in order (none for an ending)."""
        return tuple(c.id for c in self._nodes[node_id].choices)

    @property
    def trigger_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self._triggers)


def _text(text, index: Mapping[str, int], types: Mapping[str, type], strict: bool = False) -> "str | Callable":
    """A text compiled over the values tuple: the string itself when it has no `{name}` of
    the scenario, else a renderer (`_shown` reads either). `strict` (compiling a scenario):
    a `{name}` that is not one of the scenario's is a broken reference; else it is kept as written."""
    if isinstance(text, str):
        if "{" not in text:
            return text  # no placeholder: the string itself, without a scan
        parts: list[str] = []
        indices: list[int] = []
        bools: list[int] = []
        last = 0
        for m in _PLACEHOLDER.finditer(text):
            i = index.get(m.group(1))
            if i is None:
                if strict:
                    raise _Broken(m.group(1))
                continue  # not a name of this scenario: kept as written
            parts.append(text[last:m.start()].replace("{", "{{").replace("}", "}}") + "{}")
            if types[m.group(1)] is bool:
                bools.append(len(indices))
            indices.append(i)
            last = m.end()
        if not indices:
            return text  # a constant: the string itself
        parts.append(text[last:].replace("{", "{{").replace("}", "}}"))
        return _Template("".join(parts), _shared(tuple(indices)), _shared(tuple(bools)))
    return _Variants(tuple((None if v.if_ is None else compile_expr(v.if_, types, index).fn,
                            _text(v.text, index, types, strict)) for v in text))


@functools.lru_cache(maxsize=1024)
def _shared(t: tuple) -> tuple:
    """One tuple per value (a scenario's texts read a few sets of names): fewer objects for the collector."""
    return t


def _shown(text: "str | Callable", values) -> str:
    return text if text.__class__ is str else text(values)


def draw_outcome(cum_weights: tuple[float, ...], seed: int, turn: int) -> int:
    """Rule 3's draw, identical to random.Random(f"{seed}:{turn}").choices(range(n), weights)[0]."""
    return bisect(cum_weights, random.Random(f"{seed}:{turn}").random() * (cum_weights[-1] + 0.0),
                  0, len(cum_weights) - 1)


# --------------------------------------------------------------------------
# Module-level conveniences over Rules


class _Recent:
    """The rules of the last few scenarios the conveniences were called with.

    Keyed by identity (the entry holds its scenario, so an id is never
    reused while it is kept); the oldest entry goes when it is full. Not
    part of any value; guarded by a lock so threads may share it.
    """

    SIZE = 16

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[int, tuple[Scenario, Rules]] = {}

    def get(self, scenario: Scenario) -> Rules:
        key = id(scenario)
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] is scenario:
                return hit[1]
        rules = Rules.compile(scenario)
        with self._lock:
            self._items.pop(key, None)
            if len(self._items) >= self.SIZE:
                self._items.pop(next(iter(self._items)))
            self._items[key] = (scenario, rules)
        return rules


_recent = _Recent()


def rules_for(scenario: Scenario | Rules) -> Rules:
    """The compiled rules of a scenario (compiled once for the last few scenarios used)."""
    return scenario if isinstance(scenario, Rules) else _recent.get(scenario)


def initial_state(scenario: Scenario | Rules, seed: int = 0) -> tuple[State, tuple[Event, ...]]:
    """Rule 0: the state before any choice, with `start` entered."""
    return rules_for(scenario).start(seed)


def step(scenario: Scenario | Rules, state: State, choice: str, outcome: int | None = None):
    """`Rules.step` for a scenario: `(new_state, events)` or `Rejected`."""
    return rules_for(scenario).step(state, choice, outcome)


def visible_choices(scenario: Scenario | Rules, state: State) -> list[ChoiceView]:
    """The choices shown at the state, in order, disabled ones included."""
    return list(rules_for(scenario).choices(state))


def resolve_text(scenario: Scenario | Rules, state: State, text) -> str:
    """A text (string or variants) as shown at `state`, `{name}` filled in."""
    return rules_for(scenario).render(text, state)
