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
lambdas) and cached on the model; causes are made once, and texts compiled
to f-string renderers, on first use; the state is a frozen value.
`autoplay` is the same rules without events, for many playthroughs at once
(tests/engine/test_fastpath.py keeps it equal to `step`).
"""

from __future__ import annotations

import dataclasses
import gc
import random
from bisect import bisect
from dataclasses import dataclass, field
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
from .expr import ExprError, compile_expr, from_form
from .model import _PLACEHOLDER, INT_LIMIT, Scenario, ScenarioError, TextVariant, check_references
from .state import Rejected, State

# An operation on the values tuple: (index, value, add, lo, hi, is_gauge).
Op = tuple[int, object, bool, int, int, bool]

# The compiled form below is internal and never changed once built, except
# for the events' causes, made on first use (building thousands of frozen
# objects is a good part of a load; these plain slotted classes are 5x cheaper).


@dataclass(slots=True)
class COutcome:
    index: int
    weight: float
    ops: tuple[Op, ...]
    goto: str
    cause: Cause | None = None


@dataclass(slots=True)
class CChoice:
    id: str
    index: int  # 0-based position in the node's choices
    visible: Callable[[tuple], object] | None
    available: Callable[[tuple], object] | None
    ops: tuple[Op, ...]
    goto: str | None
    outcomes: tuple[COutcome, ...]
    cum_weights: tuple[float, ...]
    cause: Cause | None = None
    text: str = ""
    hint: str | None = None
    view: "ChoiceView | None" = None  # the last view made, reused while it is the same


@dataclass(slots=True)
class CNode:
    id: str
    ending: bool
    tone: str | None
    ops: tuple[Op, ...]
    choices: tuple[CChoice, ...]
    by_id: dict
    cause: Cause | None = None
    text: object = ""  # str, or a list of TextVariant


@dataclass(slots=True)
class CTrigger:
    index: int
    id: str
    cond: Callable[[tuple], object]
    ops: tuple[Op, ...]
    goto: str | None
    once: bool


@dataclass(slots=True)
class Compiled:
    names: tuple[str, ...]
    n_gauges: int
    index: dict
    initial: tuple
    nodes: dict
    triggers: tuple[CTrigger, ...]
    start: str
    bools: frozenset = frozenset()  # indices of the boolean variables
    texts: dict = field(default_factory=dict, compare=False)  # text -> renderer, filled on use


def compiled(scenario: Scenario, *, checked: bool = False, forms: dict | None = None) -> Compiled:
    """The scenario's fast form (built once, cached on the model).

    Raises ScenarioError when the scenario's cross-references are broken.
    For a load cache: `checked=True` skips those checks when the form is
    built (the caller vouches that `check_references` found no error in this
    very data), and `forms` gives conditions' stored compiled forms
    ({source: [shape, params]}, see `expression_forms`), used when they pass
    `expr.from_form`'s checks.
    """
    # Read pydantic's private storage directly: `scenario._compiled` goes
    # through BaseModel.__getattr__, which costs more than a whole step.
    try:
        c = scenario.__pydantic_private__["_compiled"]
    except (AttributeError, KeyError, TypeError):
        c = None
    if c is None:
        # Building thousands of small objects sets off the cyclic GC, which
        # walks the whole heap (the scenario's models included) each time;
        # nothing built here forms a cycle, so it is paused meanwhile.
        paused = gc.isenabled()
        gc.disable()
        try:
            c = _compile(scenario, checked, forms)
        finally:
            if paused:
                gc.enable()
        scenario._compiled = c
    return c


def _names(sc: Scenario) -> tuple[tuple[str, ...], dict[str, int], dict[str, type]]:
    """The values' names (gauges, then variables), their indices and their types."""
    names = tuple(sc.gauges) + tuple(sc.variables)
    index = {n: i for i, n in enumerate(names)}
    types = {n: int for n in sc.gauges} | {n: (bool if isinstance(v, bool) else int) for n, v in sc.variables.items()}
    return names, index, types


def _conditions(sc: Scenario):
    for node in sc.nodes.values():
        for ch in node.choices:
            yield ch.if_
            yield ch.available_if
    for t in sc.triggers:
        yield t.if_


def expression_forms(scenario: Scenario) -> dict[str, list]:
    """The compiled form of every condition of choices and triggers: {source: [shape, params]}."""
    _, index, types = _names(scenario)
    out = {}
    for src in _conditions(scenario):
        if src is not None and src not in out:
            e = compile_expr(src, types, index)
            out[src] = [e.shape, list(e.params)]
    return out


def _compile(sc: Scenario, checked: bool = False, forms: dict | None = None) -> Compiled:
    if not checked:
        problems = [p for p in check_references(sc) if p.severity == "error"]
        if problems:
            raise ScenarioError(problems)
    names, index, types = _names(sc)
    n_g = len(sc.gauges)
    bounds = [(g.min, g.max) for g in sc.gauges.values()] + [(-INT_LIMIT, INT_LIMIT)] * len(sc.variables)

    def ops(effects: dict, assign: dict) -> tuple[Op, ...]:
        if not effects and not assign:
            return ()
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
        if src is None:
            return None
        form = forms.get(src) if forms else None
        if form is not None:
            try:
                return from_form(src, index, form[0], form[1]).fn
            except (ExprError, IndexError, TypeError):
                pass  # not a usable form: compile the source
        return compile_expr(src, types, index).fn

    nodes: dict[str, CNode] = {}
    for nid, node in sc.nodes.items():
        choices = []
        for j, ch in enumerate(node.choices):
            cid = ch.id or f"{nid}.{j + 1}"
            outs = tuple(COutcome(k, o.weight, ops(o.effects, o.set), o.goto)
                         for k, o in enumerate(ch.outcomes)) if ch.outcomes else ()
            choices.append(CChoice(cid, j, cond(ch.if_), cond(ch.available_if), ops(ch.effects, ch.set), ch.goto,
                                   outs, tuple(accumulate(o.weight for o in outs)) if outs else (),
                                   None, ch.text, ch.unavailable_hint))
        nodes[nid] = CNode(nid, False, None, ops(node.effects, node.set), tuple(choices),
                           {c.id: c for c in choices}, None, node.text)
    for eid, end in sc.endings.items():
        nodes[eid] = CNode(eid, True, end.tone, (), (), {}, None, end.text)
    triggers = tuple(
        CTrigger(i, t.id or f"trigger.{i + 1}", cond(t.if_), ops(t.effects, t.set), t.goto, t.once)
        for i, t in enumerate(sc.triggers)
    )
    initial = tuple(g.start for g in sc.gauges.values()) + tuple(sc.variables.values())
    bools = frozenset(i for i, v in enumerate(initial) if isinstance(v, bool))
    return Compiled(names, n_g, index, initial, nodes, triggers, sc.start, bools)


# --------------------------------------------------------------------------
# Texts: `{name}` placeholders, compiled once per text to an f-string renderer

_TEXTS_MAX = 50_000  # bound on the renderers kept per scenario (texts passed by callers)


def _word(x: object) -> str:
    return "true" if x else "false"


#: Text renderers by shape: which placeholders read a boolean. A text of two
#: numbers becomes `lambda v: f"{s0}{v[i0]}{s1}{v[i1]}{s2}"` with its literal
#: parts and indices bound as parameters: one compile() per shape, not per text.
_TEXT_FACTORIES: dict[tuple[bool, ...], Callable] = {}


def _text_factory(shape: tuple[bool, ...]) -> Callable:
    f = _TEXT_FACTORIES.get(shape)
    if f is None:
        params = ["w"]
        body = ""
        for k, is_bool in enumerate(shape):
            params += [f"s{k}", f"i{k}"]
            body += f"{{s{k}}}" + (f"{{w(v[i{k}])}}" if is_bool else f"{{v[i{k}]}}")
        params.append(f"s{len(shape)}")
        body += f"{{s{len(shape)}}}"
        code = f"lambda {', '.join(params)}: lambda v: f{body!r}"
        f = eval(compile(code, "<text>", "eval"), {"__builtins__": {}})  # built from booleans only
        _TEXT_FACTORIES[shape] = f
    return f


def _template(c: Compiled, text: str) -> Callable[[tuple], str]:
    """A renderer equal to `render_text(text, env)`: `{name}` of a known name
    is replaced by its value (booleans as true/false), anything else is kept."""
    args: list = [_word]
    shape: list[bool] = []
    last = 0
    for m in _PLACEHOLDER.finditer(text):
        i = c.index.get(m.group(1))
        if i is None:
            continue  # not a name of this scenario: kept as written
        args += [text[last:m.start()], i]
        shape.append(i in c.bools)
        last = m.end()
    if not shape:
        return lambda values: text
    args.append(text[last:])
    return _text_factory(tuple(shape))(*args)


def _variants(c: Compiled, variants: list) -> Callable[[tuple], str]:
    """A renderer for a list of variants: the first whose `if` holds."""
    types = {n: (bool if i in c.bools else int) for i, n in enumerate(c.names)}
    pairs = tuple((None if v.if_ is None else compile_expr(v.if_, types, c.index).fn, renderer(c, v.text))
                  for v in variants)

    def render(values) -> str:
        for cond, text in pairs:
            if cond is None or cond(values):
                return text(values)
        return ""

    return render


def renderer(c: Compiled, text) -> Callable[[tuple], str]:
    """The memoised renderer of a text (a string or a list of variants) over the values tuple."""
    key = text if isinstance(text, str) else id(text)
    hit = c.texts.get(key)
    if hit is not None and (key is text or hit[0] is text):
        return hit[1]
    fn = _template(c, text) if isinstance(text, str) else _variants(c, text)
    if len(c.texts) >= _TEXTS_MAX:
        c.texts.clear()
    c.texts[key] = (text, fn)  # the text itself is kept, so an id() key is never reused
    return fn


def _maker(cls: type, names: tuple[str, ...]) -> Callable:
    """A constructor equal to `cls(*args)` for an event class, through its slots' setters.

    The dataclass-generated __init__ of a frozen class sets each field with
    object.__setattr__, which costs twice as much; a step makes several
    events. Used only when `cls` is a frozen slotted dataclass with exactly
    `names` as fields, its generated __init__ and no __post_init__ (so
    nothing is skipped); otherwise `cls` itself is returned.
    """
    init = cls.__dict__.get("__init__")
    if (not dataclasses.is_dataclass(cls) or tuple(f.name for f in dataclasses.fields(cls)) != names
            or hasattr(cls, "__post_init__") or getattr(getattr(init, "__code__", None), "co_filename", "") != "<string>"
            or not all(type(cls.__dict__.get(n)).__name__ == "member_descriptor" for n in names)):
        return cls
    # The fields are parameters; helpers get names no field can have (ids match [a-z_][a-z0-9_]*).
    args = ", ".join(names)
    body = "; ".join(f"SET_{n}(E, {n})" for n in names)
    env = {f"SET_{n}": cls.__dict__[n].__set__ for n in names} | {"NEW": object.__new__, "CLS": cls}
    exec(f"def make({args}):\n    E = NEW(CLS); {body}\n    return E", env)  # our own fixed text
    return env["make"]


_GaugeChanged = _maker(GaugeChanged, ("gauge", "old", "new", "delta", "requested", "cause", "turn"))
_VariableChanged = _maker(VariableChanged, ("variable", "old", "new", "cause", "turn"))
_ChoiceMade = _maker(ChoiceMade, ("node", "choice", "turn"))
_NodeEntered = _maker(NodeEntered, ("node", "turn"))


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
            events.append(_GaugeChanged(names[i], old, new, new - old, value if add else value - old, cause, turn))
        else:
            events.append(_VariableChanged(names[i], old, new, cause, turn))


def _enter(c: Compiled, node_id: str, values: list, turn: int, events: list) -> CNode:
    node = c.nodes[node_id]
    if node.ending:
        events.append(EndingReached(node_id, node.tone, turn))
    else:
        events.append(_NodeEntered(node_id, turn))
        if node.ops:
            cause = node.cause
            if cause is None:
                cause = node.cause = Cause("node", node_id)
            _apply(node.ops, values, cause, turn, c.names, events)
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
    here = state.node
    vals = list(values)
    names = c.names
    events: list[Event] = [_ChoiceMade(here, choice, turn)]
    if ch.ops:
        cause = ch.cause
        if cause is None:
            cause = ch.cause = Cause("choice", here, choice)
        _apply(ch.ops, vals, cause, turn, names, events)
    if ch.outcomes:
        k = draw_outcome(ch, state.seed, turn) if outcome is None else outcome
        out = ch.outcomes[k]
        events.append(OutcomeDrawn(here, choice, k, out.goto, turn))
        if out.ops:
            cause = out.cause
            if cause is None:
                cause = out.cause = Cause("outcome", here, choice, k)
            _apply(out.ops, vals, cause, turn, names, events)
        nxt = out.goto
    else:
        nxt = ch.goto
    fired = state.fired
    if c.triggers:
        now = tuple(vals)
        for t in c.triggers:
            if t.once and t.index in fired:
                continue
            if t.cond(now):
                events.append(TriggerFired(t.id, t.index, t.goto, turn))
                if t.ops:
                    _apply(t.ops, vals, Cause("trigger", here, choice, trigger=t.id), turn, names, events)
                if t.goto is not None:
                    nxt = t.goto
                if t.once:
                    fired = fired | {t.index}
                break
    entered = _enter(c, nxt, vals, turn + 1, events)
    new = State(nxt, tuple(vals), turn + 1, state.seed, fired, nxt if entered.ending else None, names, c.n_gauges)
    return new, tuple(events)


@dataclass(frozen=True, slots=True, init=False)
class ChoiceView:
    """A choice as the player sees it at a state (hidden ones are not listed)."""

    id: str
    index: int  # 0-based position among the node's choices
    text: str
    available: bool
    hint: str | None

    def __init__(self, id: str, index: int, text: str, available: bool, hint: str | None):
        # Through the slots' setters (see State.__init__): views are made for every choice shown.
        _cv_id(self, id)
        _cv_index(self, index)
        _cv_text(self, text)
        _cv_available(self, available)
        _cv_hint(self, hint)


_cv_id, _cv_index, _cv_text, _cv_available, _cv_hint = (
    ChoiceView.__dict__[f].__set__ for f in ("id", "index", "text", "available", "hint"))


def visible_choices(scenario: Scenario, state: State) -> list[ChoiceView]:
    """The choices shown at the state, in order, disabled ones included."""
    if state.ending is not None:
        return []
    c = compiled(scenario)
    values = state.values
    texts = c.texts
    out = []
    for cc in c.nodes[state.node].choices:
        if cc.visible is not None and not cc.visible(values):
            continue
        ok = cc.available is None or bool(cc.available(values))
        hit = texts.get(cc.text)
        text = hit[1](values) if hit is not None else renderer(c, cc.text)(values)
        hint = None if ok or cc.hint is None else renderer(c, cc.hint)(values)
        view = cc.view  # views are values: the same one serves while nothing in it changes
        if view is None or view.available is not ok or view.text != text or view.hint != hint:
            view = cc.view = ChoiceView(cc.id, cc.index, text, ok, hint)
        out.append(view)
    return out


def resolve_text(scenario: Scenario, state: State, text) -> str:
    """A text (string or variants) as shown at `state`, `{name}` filled in."""
    c = compiled(scenario)
    hit = c.texts.get(text) if text.__class__ is str else None
    return hit[1](state.values) if hit is not None else renderer(c, text)(state.values)


# --------------------------------------------------------------------------
# The same rules without events, for many playthroughs


def _apply_quietly(ops: tuple[Op, ...], vals: list) -> None:
    for i, value, add, lo, hi, _ in ops:
        if add:
            new = vals[i] + value
            vals[i] = lo if new < lo else hi if new > hi else new
        elif value.__class__ is bool:
            vals[i] = value
        else:
            vals[i] = lo if value < lo else hi if value > hi else value


def autoplay(scenario: Scenario, seed: int, pick: Callable[[int], int],
             shown: Callable[[str, list], object] | None = None, max_turns: int = 1_000_000) -> State:
    """Play from the start without events: rules 0-5 exactly as `step` applies them.

    At each node the choices offered are the visible and available ones, in
    order; `pick(n)` returns the 0-based index of the one to make among those
    n. With `shown`, `shown(text, choice_texts)` receives each node's text
    and the offered choices' texts, rendered, before the pick. Stops at an
    ending, at a node that offers nothing, or after `max_turns` choices.
    Returns the final State: equal to the one `step` reaches by making the
    same choices (tests/engine/test_fastpath.py).
    """
    c = compiled(scenario)
    nodes, triggers = c.nodes, c.triggers
    vals = list(c.initial)
    fired: set[int] = set()
    node = nodes[c.start]
    if node.ops:
        _apply_quietly(node.ops, vals)
    texts = c.texts
    turn = 0
    while not node.ending and turn < max_turns:
        offered = [ch for ch in node.choices
                   if (ch.visible is None or ch.visible(vals)) and (ch.available is None or ch.available(vals))]
        if not offered:
            break
        if shown is not None:
            hit = texts.get(node.text) if node.text.__class__ is str else None
            text = hit[1](vals) if hit is not None else renderer(c, node.text)(vals)
            choice_texts = []
            for ch in offered:
                hit = texts.get(ch.text)
                choice_texts.append(hit[1](vals) if hit is not None else renderer(c, ch.text)(vals))
            shown(text, choice_texts)
        ch = offered[pick(len(offered))]
        if ch.ops:
            _apply_quietly(ch.ops, vals)
        if ch.outcomes:
            out = ch.outcomes[draw_outcome(ch, seed, turn)]
            if out.ops:
                _apply_quietly(out.ops, vals)
            nxt = out.goto
        else:
            nxt = ch.goto
        for t in triggers:
            if t.once and t.index in fired:
                continue
            if t.cond(vals):
                if t.ops:
                    _apply_quietly(t.ops, vals)
                if t.goto is not None:
                    nxt = t.goto
                if t.once:
                    fired.add(t.index)
                break
        node = nodes[nxt]
        if node.ops:
            _apply_quietly(node.ops, vals)
        turn += 1
    return State(node.id, tuple(vals), turn, seed, frozenset(fired), node.id if node.ending else None,
                 c.names, c.n_gauges)
