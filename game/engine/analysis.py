"""Exhaustive exploration of a scenario: proof about its dilemmas.

`analyze(scenario)` explores every reachable state breadth-first. A state is
(node, values of every gauge and variable, the `once` triggers already
fired); from each state it takes every available choice and every outcome
branch of it, triggers included, memoising the states it has seen, until
none is left or the budget (`max_states`) is spent. It then reports:

- for each ending: reachable or not, the exact min/max of every gauge over
  all the states in which it is reached, and the number of distinct paths
  (sequences of (choice, outcome)) leading to it: counted over the state
  graph, not enumerated; `None` when a loop of states can lead to the ending
  (infinitely many paths) or when the exploration was cut;
- unreachable nodes and endings; dead ends (a reachable state at a
  non-ending node where no choice is available); choices never available;
- no-trade-off choices: for a state s at node n and an available choice c,
  R(c, s) is the set of gauge-change vectors of the full step (successor
  minus s, one per outcome branch; choice, outcome, trigger and entered-node
  effects included), each gauge signed by its `good` direction. c dominates
  a sibling d iff, in every reachable state at n where both are available,
  for every gauge min over R(c, s) >= max over R(d, s), strictly for one
  gauge in one such state, and there is at least one such state;
- one-way gauges: over every explored transition, the gauge only rises,
  only falls, or never moves (the last is also reported on its own);
- triggers that never fire.

Every transition comes from `Rules.transitions` (what `Rules.successors` wraps
into states), the same kernel as `step`:
no rule is re-implemented here. The exploration is bounded by the work it
does (transitions and trade-off comparisons), the states it keeps and the
values they hold, so it ends on any input; `complete` says whether it saw
everything and `stopped` which bound cut it. Pure: stdlib + the engine.
"""

from __future__ import annotations

import random
import time
from collections import deque
from dataclasses import dataclass, field
from operator import ge, gt, mul
from typing import Any

from .model import Scenario
from .rules import Rules, rules_for
from .state import Rejected

DEFAULT_MAX_STATES = 200_000
#: Transitions followed plus choice pairs compared for trade-offs: about 5 s of CPU.
DEFAULT_MAX_WORK = 2_000_000
#: Values held in the explored states (states x (gauges + variables)): about 100 MB.
DEFAULT_MAX_CELLS = 4_000_000
#: Nodes with more choices than this are not checked for no-trade-off pairs
#: (k * (k - 1) pairs per state); the file's limit is 50 choices per node.
MAX_PAIRED_CHOICES = 50


@dataclass(frozen=True, slots=True)
class EndingReport:
    reachable: bool
    paths: int | None
    gauges: dict[str, tuple[int, int]]  # over every reaching state; empty when unreachable


@dataclass(frozen=True, slots=True)
class Step:
    """One move of an example path: the node, the choice made there, the outcome drawn (0-based)."""

    node: str
    choice: str
    outcome: int | None = None


@dataclass(frozen=True, slots=True)
class Example:
    """A reachable state and the shortest path found to it."""

    node: str
    values: dict[str, Any]
    path: tuple[Step, ...]


@dataclass(frozen=True)
class Analysis:
    """The result of `analyze`; `to_json()` is the `analyze --json` object."""

    scenario: str
    complete: bool
    states: int
    transitions: int
    seconds: float
    endings: dict[str, EndingReport]
    unreachable: list[str]
    dead_ends: list[str]
    never_available: list[tuple[str, str]]
    no_tradeoff: list[tuple[str, str, str]]
    #: gauge -> 'up', 'down', 'both' or 'none', over every explored transition
    gauge_moves: dict[str, str]
    #: gauge -> (lowest, highest) over every explored state
    gauge_ranges: dict[str, tuple[int, int]]
    triggers_never_fired: list[str]
    dead_end_examples: dict[str, Example] = field(default_factory=dict)
    max_states: int = DEFAULT_MAX_STATES
    #: Why the exploration stopped early: 'states', 'work' or 'memory'; None when complete.
    stopped: str | None = None
    #: Nodes not checked for no-trade-off pairs (too many choices).
    unpaired: tuple[str, ...] = ()
    #: The explored states (node ids, values tuples, names), for `ranges_at`.
    _states: tuple | None = field(default=None, repr=False, compare=False)

    def ranges_at(self, node: str) -> dict[str, tuple[object, object]]:
        """Lowest and highest value of every gauge and variable in the explored states at `node`."""
        if self._states is None:
            return {}
        node_ids, s_node, s_vals, names = self._states
        try:
            n = node_ids.index(node)
        except ValueError:
            return {}
        lo = hi = None
        for k, m in enumerate(s_node):
            if m != n:
                continue
            vals = s_vals[k]
            if lo is None:
                lo, hi = list(vals), list(vals)
                continue
            for i, x in enumerate(vals):
                if x < lo[i]:
                    lo[i] = x
                elif x > hi[i]:
                    hi[i] = x
        if lo is None:
            return {}
        return {name: (lo[i], hi[i]) for i, name in enumerate(names)}

    @property
    def one_way_gauges(self) -> list[str]:
        """Gauges that never move both ways (only up, only down, or never)."""
        return [g for g, m in self.gauge_moves.items() if m != "both"]

    @property
    def unmoved_gauges(self) -> list[str]:
        return [g for g, m in self.gauge_moves.items() if m == "none"]

    def to_json(self) -> dict:
        return {
            "scenario": self.scenario,
            "complete": self.complete,
            "stopped": self.stopped,
            "states": self.states,
            "transitions": self.transitions,
            "endings": {
                eid: {"reachable": e.reachable, "paths": e.paths,
                      "gauges": {g: [lo, hi] for g, (lo, hi) in e.gauges.items()}}
                for eid, e in self.endings.items()
            },
            "unreachable": list(self.unreachable),
            "dead_ends": list(self.dead_ends),
            "never_available": [{"node": n, "choice": c} for n, c in self.never_available],
            "no_tradeoff": [{"node": n, "choice": c, "dominates": d} for n, c, d in self.no_tradeoff],
            "one_way_gauges": self.one_way_gauges,
        }


def analyze(scenario: Scenario | Rules, max_states: int = DEFAULT_MAX_STATES,
            max_work: int = DEFAULT_MAX_WORK, max_cells: int = DEFAULT_MAX_CELLS) -> Analysis:
    """Explore the reachable states of a valid scenario, within the bounds given.

    Raises ScenarioError when the scenario's references are broken (it must
    have passed `load_scenario`).
    """
    t0 = time.perf_counter()
    rules = rules_for(scenario)
    sc = rules.scenario
    node_ids = list(sc.nodes) + list(sc.endings)
    nidx = {n: i for i, n in enumerate(node_ids)}
    n_nodes = len(sc.nodes)
    gauges = list(sc.gauges)
    G = rules.n_gauges
    sign = tuple(1 if g.good == "high" else -1 for g in sc.gauges.values())
    max_states = max(1, int(max_states))
    cap = min(max_states, max(1, int(max_cells) // max(1, len(rules.names))))
    choice_ids = [list(rules.choice_ids(n)) for n in node_ids]
    n_outcomes = [[len(ch.outcomes or ()) for ch in sc.nodes[n].choices] if n in sc.nodes else [] for n in node_ids]

    first, _ = rules.start(0)
    # The states kept, as (node, once-triggers fired, values): the key of the state graph.
    states: list[tuple] = [(first.node, first.fired, first.values)]
    s_node = [nidx[first.node]]
    index: dict[tuple, int] = {states[0]: 0}
    # Each kept state's gauges signed by `good` (higher is better), made once: R(c, s) is
    # a successor's minus s's own, and s's own cancel out when two choices are compared.
    s_sig = [tuple(map(mul, first.values, sign))]
    parent = [-1]
    via: list[tuple[int, int | None]] = [(-1, None)]
    # The state graph's edges, flat: state s (expanded in order) owns succ[off[s]:off[s + 1]].
    succ: list[int] = []
    off: list[int] = []

    stopped: str | None = None
    transitions = 0
    work = 0
    fired_ever: set[int] = set()
    available_ever: list[set[int]] = [set() for _ in node_ids]
    dead: dict[int, int] = {}  # node -> first dead-end state
    up = [False] * G
    down = [False] * G
    pending = list(range(G))  # gauges not yet seen moving both ways
    # Candidate dominance pairs per node, made on the node's first visit:
    # [c, d, seen together, strict once]; a pair goes as soon as a trade-off shows.
    pairs: list[list[list] | None] = [None] * len(node_ids)
    unpaired = [n for n in range(n_nodes) if len(choice_ids[n]) > MAX_PAIRED_CHOICES]
    pairable = [1 < len(choice_ids[n]) <= MAX_PAIRED_CHOICES if n < n_nodes else False for n in range(len(node_ids))]

    queue = 0
    while queue < len(states):
        if work >= max_work:
            stopped = "work"
            break
        s = queue
        queue += 1
        here, fired_here, vals = states[s]
        n = s_node[s]
        off.append(len(succ))
        if n >= n_nodes:
            continue  # an ending
        cand = pairs[n]
        if cand is None and pairable[n]:
            pairable[n] = False
            k = len(choice_ids[n])
            cand = pairs[n] = [[a, b, False, False] for a in range(k) for b in range(k) if a != b]
            work += len(cand)
        if cand:
            lo_d: list = [None] * len(choice_ids[n])
            hi_d: list = [None] * len(choice_ids[n])
        seen_here = available_ever[n]
        any_available = False
        for _cid, k, nxt, _end, tv, f, fired_trigger, j in rules.transitions(here, vals, fired_here):
            any_available = True
            seen_here.add(j)
            transitions += 1
            work += 1
            if fired_trigger is not None:
                fired_ever.add(fired_trigger)
            key = (nxt, f, tv)
            t = index.get(key)
            if t is None:
                if len(states) >= cap:
                    stopped = stopped or ("states" if cap == max_states else "memory")
                else:
                    t = len(states)
                    index[key] = t
                    states.append(key)
                    s_node.append(nidx[nxt])
                    s_sig.append(tuple(map(mul, tv, sign)))
                    parent.append(s)
                    via.append((j, k))
            if t is not None:
                succ.append(t)
            if pending and tv != vals:
                moved = False
                for g in pending:
                    a, b = tv[g], vals[g]
                    if a > b:
                        if not up[g]:
                            up[g] = moved = True
                    elif a < b and not down[g]:
                        down[g] = moved = True
                if moved:
                    pending = [g for g in pending if not (up[g] and down[g])]
            if cand:
                d = s_sig[t] if t is not None else tuple(map(mul, tv, sign))
                lo = lo_d[j]
                if lo is None:
                    lo_d[j] = hi_d[j] = d
                elif k is not None:  # another outcome branch of the same choice
                    lo_d[j] = tuple(map(min, lo, d))
                    hi_d[j] = tuple(map(max, hi_d[j], d))
        if not any_available:
            dead.setdefault(n, s)
        elif cand:
            work += len(cand)
            keep = []
            for pair in cand:
                ma = lo_d[pair[0]]
                mb = hi_d[pair[1]]
                if ma is None or mb is None:
                    keep.append(pair)  # not both available here
                    continue
                pair[2] = True
                if not all(map(ge, ma, mb)):
                    continue  # a real trade-off, once is enough: the pair goes
                if not pair[3] and any(map(gt, ma, mb)):
                    pair[3] = True
                keep.append(pair)
            if len(keep) != len(cand):
                pairs[n] = keep
    complete = stopped is None

    # Endings: gauge ranges over reaching states; path counts over the state graph.
    ranges: dict[int, list[list[int]]] = {}
    all_lo = list(first.values[:G])
    all_hi = list(first.values[:G])
    for s, n in enumerate(s_node):
        vals = states[s][2]
        for g in range(G):
            if vals[g] < all_lo[g]:
                all_lo[g] = vals[g]
            elif vals[g] > all_hi[g]:
                all_hi[g] = vals[g]
        if n >= n_nodes:
            r = ranges.get(n)
            if r is None:
                ranges[n] = [list(vals[:G]), list(vals[:G])]
            else:
                for g in range(G):
                    if vals[g] < r[0][g]:
                        r[0][g] = vals[g]
                    if vals[g] > r[1][g]:
                        r[1][g] = vals[g]
    off.append(len(succ))
    paths = _count_paths(succ, off, s_node, n_nodes) if complete else None

    reached = set(s_node)
    endings: dict[str, EndingReport] = {}
    for eid in sc.endings:
        n = nidx[eid]
        r = ranges.get(n)
        count = None if paths is None else paths.get(n, 0)
        endings[eid] = EndingReport(
            r is not None, count,
            {g: (r[0][i], r[1][i]) for i, g in enumerate(gauges)} if r else {})
    unreachable = [node_ids[n] for n in range(len(node_ids)) if n not in reached]
    dead_ends = [node_ids[n] for n in sorted(dead)]
    never = [(node_ids[n], choice_ids[n][j]) for n in range(n_nodes) if n in reached
             for j in range(len(choice_ids[n])) if j not in available_ever[n]]
    no_tradeoff = []
    for n in range(n_nodes):
        if pairs[n]:
            for a, b, seen, strict in sorted(pairs[n]):
                if seen and strict:
                    no_tradeoff.append((node_ids[n], choice_ids[n][a], choice_ids[n][b]))
    moves = {g: ("both" if up[i] and down[i] else "up" if up[i] else "down" if down[i] else "none")
             for i, g in enumerate(gauges)}
    never_fired = [tid for i, tid in enumerate(rules.trigger_ids) if i not in fired_ever]

    def example(s: int) -> Example:
        steps = []
        x = s
        while parent[x] >= 0:
            j, k = via[x]
            p = parent[x]
            pn = s_node[p]
            multi = n_outcomes[pn][j] > 1
            steps.append(Step(node_ids[pn], choice_ids[pn][j], k if multi else None))
            x = p
        return Example(node_ids[s_node[s]], dict(zip(rules.names, states[s][2])), tuple(reversed(steps)))

    return Analysis(
        scenario=sc.id, complete=complete, states=len(states), transitions=transitions,
        seconds=time.perf_counter() - t0, endings=endings, unreachable=unreachable, dead_ends=dead_ends,
        never_available=never, no_tradeoff=no_tradeoff, gauge_moves=moves,
        gauge_ranges={g: (all_lo[i], all_hi[i]) for i, g in enumerate(gauges)},
        triggers_never_fired=never_fired,
        dead_end_examples={node_ids[n]: example(s) for n, s in sorted(dead.items())},
        max_states=max_states, stopped=stopped, unpaired=tuple(node_ids[n] for n in unpaired),
        _states=(node_ids, s_node, [st[2] for st in states], rules.names),
    )


def _count_paths(succ: list[int], off: list[int], s_node: list[int], n_nodes: int) -> dict[int, int | None]:
    """Paths from state 0 to each ending node, by dynamic programming in topological order.

    Kahn's algorithm leaves unprocessed exactly the states that a cycle can
    reach; an ending with such a state has infinitely many paths (None).
    """
    n = len(s_node)
    indeg = [0] * n
    for t in succ:
        indeg[t] += 1
    count = [0] * n
    count[0] = 1
    done = [False] * n
    todo = deque(s for s in range(n) if indeg[s] == 0)
    while todo:
        s = todo.popleft()
        done[s] = True
        cs = count[s]
        for t in succ[off[s]:off[s + 1]]:
            count[t] += cs
            indeg[t] -= 1
            if indeg[t] == 0:
                todo.append(t)
    result: dict[int, int | None] = {}
    for s, n in enumerate(s_node):
        if n < n_nodes:
            continue
        if not done[s]:
            result[n] = None
        elif result.get(n, 0) is not None:
            result[n] = result.get(n, 0) + count[s]
    return result


def static_reachable(scenario: Scenario) -> set[str]:
    """Nodes and endings some chain of gotos leads to, ignoring every condition.

    A trigger's goto counts as reachable once any node with a choice is.
    An over-approximation: what is not in it is certainly unreachable.
    """
    seen = {scenario.start}
    todo = [scenario.start]
    trig_done = False
    while todo:
        nid = todo.pop()
        node = scenario.nodes.get(nid)
        if node is None:
            continue
        targets = []
        for ch in node.choices:
            targets += [o.goto for o in ch.outcomes] if ch.outcomes else [ch.goto]
        if node.choices and not trig_done:
            trig_done = True
            targets += [t.goto for t in scenario.triggers if t.goto]
        for t in targets:
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


# --------------------------------------------------------------------------
# Random play (like ChoiceScript's randomtest), through the real `step`.


@dataclass(frozen=True)
class RandomReport:
    runs: int
    seed: int
    endings: dict[str, int]
    dead_ends: int
    too_long: int
    nodes: dict[str, int]  # visits
    choices: dict[tuple[str, str], int]
    finals: dict[str, list[int]]  # final gauge values of the runs that reached an ending

    def gauge_summary(self) -> dict[str, dict[str, float | int]]:
        out = {}
        for g, xs in self.finals.items():
            if not xs:
                continue
            ys = sorted(xs)
            q = lambda p: ys[min(len(ys) - 1, int(p * (len(ys) - 1) + 0.5))]  # noqa: E731
            out[g] = {"min": ys[0], "p25": q(0.25), "median": q(0.5), "p75": q(0.75), "max": ys[-1],
                      "mean": round(sum(ys) / len(ys), 2)}
        return out

    def to_json(self) -> dict:
        return {
            "runs": self.runs, "seed": self.seed, "endings": dict(self.endings),
            "unfinished": {"dead_end": self.dead_ends, "too_long": self.too_long},
            "nodes": dict(self.nodes),
            "choices": [{"node": n, "choice": ch, "hits": h} for (n, ch), h in self.choices.items()],
            "gauges": self.gauge_summary(),
        }


def random_play(scenario: Scenario, runs: int, seed: int = 0, max_turns: int = 1000) -> RandomReport:
    """Play `runs` playthroughs picking uniformly among the available choices.

    Run i draws its picks from random.Random(f"{seed}:{i}") and uses an
    engine seed taken from it, so the report is reproducible. A run stops at
    an ending, at a dead end, or after `max_turns` choices.
    """
    rules = rules_for(scenario)
    scenario = rules.scenario
    endings = {e: 0 for e in scenario.endings}
    nodes = {n: 0 for n in list(scenario.nodes) + list(scenario.endings)}
    choices: dict[tuple[str, str], int] = {(n, cid): 0 for n in scenario.nodes for cid in rules.choice_ids(n)}
    finals: dict[str, list[int]] = {g: [] for g in scenario.gauges}
    dead = too_long = 0
    for r in range(runs):
        rng = random.Random(f"{seed}:{r}")
        state, _ = rules.start(rng.randrange(1 << 30))
        nodes[state.node] += 1
        for _ in range(max_turns):
            if state.ending is not None:
                break
            options = [v.id for v in rules.choices(state) if v.available]
            if not options:
                break
            pick = rng.choice(options)
            choices[(state.node, pick)] += 1
            result = rules.step(state, pick)
            assert not isinstance(result, Rejected), result
            state = result[0]
            nodes[state.node] += 1
        if state.ending is not None:
            endings[state.ending] += 1
            for g, x in zip(rules.names[: rules.n_gauges], state.values):
                finals[g].append(x)
        elif any(v.available for v in rules.choices(state)):
            too_long += 1
        else:
            dead += 1
    return RandomReport(runs, seed, endings, dead, too_long, nodes, choices, finals)
