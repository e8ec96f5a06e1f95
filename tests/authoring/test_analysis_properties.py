"""Properties of `check` and `analyze` on random valid scenarios.

- `check` reports no error on any valid scenario written as YAML;
- `analyze` equals a brute-force enumeration built on the real `step` (every
  choice, every outcome forced, paths enumerated one by one) on small
  scenarios: same states, endings, gauge ranges, path counts, dead ends,
  never-available choices, no-trade-off pairs, one-way gauges, triggers;
- whatever random play reaches (endings, final gauges) is within the analysis.

Scenarios come from tests/engine/strategies.py (the engine suite's generator).
"""

from __future__ import annotations

from collections import defaultdict

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.authoring.check import check_file
from game.authoring.loader import load_text
from game.engine import initial_state, step, visible_choices
from game.engine.analysis import analyze
from game.engine.events import TriggerFired
from game.engine.model import load_scenario
from tests.engine.strategies import data_picker, random_play, scenario_dicts

BUDGET = 3000


def brute_force(sc, budget: int = BUDGET, path_budget: int = 20_000):
    """The analysis' results, computed naively through `step`; None when too big."""
    start, _ = initial_state(sc)
    key = lambda s: (s.node, s.values, s.fired)  # noqa: E731
    states = {key(start): start}
    succ: dict = {}
    todo = [start]
    reached_nodes = set()
    available = defaultdict(set)
    dead = set()
    fired = set()
    up, down = set(), set()
    gauges = list(sc.gauges)
    sign = {g: 1 if sc.gauges[g].good == "high" else -1 for g in gauges}
    per_node: dict[str, list[dict]] = defaultdict(list)  # node -> [{choice: [signed deltas]}]
    while todo:
        s = todo.pop()
        reached_nodes.add(s.node)
        succ[key(s)] = []
        if s.ending is not None:
            continue
        choices = [v.id for v in visible_choices(sc, s) if v.available]
        if not choices:
            dead.add(s.node)
        R = {}
        for cid in choices:
            available[s.node].add(cid)
            ch = sc.nodes[s.node].choices[sc.choice_ids(s.node).index(cid)]
            R[cid] = []
            for k in range(len(ch.outcomes or [None])):
                t, events = step(sc, s, cid, outcome=k if ch.outcomes else None)
                fired |= {e.trigger for e in events if isinstance(e, TriggerFired)}
                for g in gauges:
                    if t.gauges[g] > s.gauges[g]:
                        up.add(g)
                    elif t.gauges[g] < s.gauges[g]:
                        down.add(g)
                R[cid].append({g: (t.gauges[g] - s.gauges[g]) * sign[g] for g in gauges})
                succ[key(s)].append(key(t))
                if key(t) not in states:
                    if len(states) >= budget:
                        return None
                    states[key(t)] = t
                    todo.append(t)
        per_node[s.node].append(R)

    # Paths: every (choice, outcome) sequence, enumerated; a repeated state on
    # the current path is a loop, and what it leads to has infinitely many.
    paths = defaultdict(int)
    loops = set()
    work = [0]

    def walk(k, on_path):
        work[0] += 1
        if work[0] > path_budget:
            raise OverflowError
        node = k[0]
        if node in sc.endings:
            paths[node] += 1
            return
        for t in succ[k]:
            if t in on_path:
                loops.add(t)
                continue
            on_path.add(t)
            walk(t, on_path)
            on_path.discard(t)

    try:
        walk(key(start), {key(start)})
    except (OverflowError, RecursionError):
        paths = None
    if paths is not None:
        after_loop = set()
        todo = list(loops)
        seen = set(loops)
        while todo:
            k = todo.pop()
            if k[0] in sc.endings:
                after_loop.add(k[0])
            for t in succ[k]:
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
        paths = {e: (None if e in after_loop else paths.get(e, 0)) for e in sc.endings}

    ranges = {}
    for s in states.values():
        if s.ending is not None:
            r = ranges.setdefault(s.ending, {g: [s.gauges[g], s.gauges[g]] for g in gauges})
            for g in gauges:
                r[g][0] = min(r[g][0], s.gauges[g])
                r[g][1] = max(r[g][1], s.gauges[g])

    no_tradeoff = []
    for n in sc.nodes:
        ids = sc.choice_ids(n)
        for c in ids:
            for d in ids:
                if c == d:
                    continue
                both = [R for R in per_node[n] if c in R and d in R]
                if not both:
                    continue
                holds = all(min(r[g] for r in R[c]) >= max(r[g] for r in R[d]) for R in both for g in gauges)
                strict = any(min(r[g] for r in R[c]) > max(r[g] for r in R[d]) for R in both for g in gauges)
                if holds and strict:
                    no_tradeoff.append((n, c, d))

    return {
        "states": len(states),
        "endings": {e: e in reached_nodes for e in sc.endings},
        "ranges": {e: {g: tuple(v) for g, v in r.items()} for e, r in ranges.items()},
        "paths": paths,
        "unreachable": [n for n in list(sc.nodes) + list(sc.endings) if n not in reached_nodes],
        "dead_ends": sorted(dead),
        "never_available": sorted((n, c) for n in sc.nodes if n in reached_nodes
                                  for c in sc.choice_ids(n) if c not in available[n]),
        "no_tradeoff": sorted(no_tradeoff),
        "moves": {g: "both" if g in up and g in down else "up" if g in up else "down" if g in down else "none"
                  for g in gauges},
        "never_fired": sorted(t.id or f"trigger.{i + 1}" for i, t in enumerate(sc.triggers)
                              if (t.id or f"trigger.{i + 1}") not in fired),
    }


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenario_dicts(max_nodes=5, max_endings=3, max_choices=3))
def test_analysis_equals_brute_force(data):
    sc = load_scenario(data)
    a = analyze(sc, max_states=BUDGET)
    brute = brute_force(sc)
    if brute is None:  # too many states for the naive enumeration
        assert not a.complete or a.states >= BUDGET
        return
    assert a.complete and a.states == brute["states"]
    assert {e: r.reachable for e, r in a.endings.items()} == brute["endings"]
    assert {e: r.gauges for e, r in a.endings.items() if r.reachable} == brute["ranges"]
    if brute["paths"] is not None:
        assert {e: r.paths for e, r in a.endings.items()} == brute["paths"]
    assert a.unreachable == brute["unreachable"]
    assert sorted(a.dead_ends) == brute["dead_ends"]
    assert sorted(a.never_available) == brute["never_available"]
    assert sorted(a.no_tradeoff) == brute["no_tradeoff"]
    assert a.gauge_moves == brute["moves"]
    assert sorted(a.triggers_never_fired) == brute["never_fired"]


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenario_dicts(), st.data())
def test_random_play_stays_within_the_analysis(data, picks):
    sc = load_scenario(data)
    a = analyze(sc, max_states=20_000)
    pt = random_play(sc, picks.draw(st.integers(0, 2**31)), data_picker(picks), max_steps=30)
    seen = {s.node for s in pt.states}
    state = pt.state
    if a.complete:
        assert not seen & set(a.unreachable)
        if state.ending is not None:
            e = a.endings[state.ending]
            assert e.reachable
            for g, v in state.gauges.items():
                lo, hi = e.gauges[g]
                assert lo <= v <= hi
        elif not any(v.available for v in visible_choices(sc, state)):
            assert state.node in a.dead_ends
    for s in pt.states:
        for g, v in s.gauges.items():
            if a.complete:
                lo, hi = a.gauge_ranges[g]
                assert lo <= v <= hi


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenario_dicts())
def test_check_finds_no_error_in_a_valid_scenario(tmp_path_factory, data):
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    loaded = load_text(text)
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    assert loaded.scenario == load_scenario(data)
    path = tmp_path_factory.mktemp("valid") / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    diags = check_file(path, max_states=2000)
    assert [d for d in diags if d.severity == "error"] == []
    assert all(d.severity == "warning" for d in diags)
