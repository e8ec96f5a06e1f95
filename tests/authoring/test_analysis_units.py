"""The exhaustive analysis on small hand-made scenarios: each definition of
docs/authoring.*.md (paths, dead ends, no-trade-off, one-way gauges...)."""

from __future__ import annotations

import json

import pytest

from game.authoring.commands import starter_text
from game.authoring.loader import load_text
from game.engine.analysis import analyze, random_play, static_reachable


def scenario(nodes: str, *, head: str = "", endings: str = "  fin: {title: Fin}\n", start: str = "a"):
    text = (f"format: 1\nid: t\nlanguage: fr\ntitle: T\n{head}start: {start}\nnodes:\n{nodes}"
            f"endings:\n{endings}")
    loaded = load_text(text)
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    return loaded.scenario


def test_the_starter_scenario():
    a = analyze(load_text(starter_text("essai")).scenario)
    assert a.complete and a.states == 17
    assert {e: (r.reachable, r.paths) for e, r in a.endings.items()} == {
        "dossier_envoye": (True, 4), "autonomie": (True, 4), "relais": (True, 2),
        "cadre_pose": (True, 1), "decrochage": (True, 1)}
    assert a.endings["decrochage"].gauges == {"relation": (35, 35), "exclusion": (35, 35), "workload": (35, 35)}
    assert a.endings["autonomie"].gauges == {"relation": (45, 65), "exclusion": (5, 25), "workload": (55, 70)}
    assert (a.unreachable, a.dead_ends, a.never_available, a.no_tradeoff, a.one_way_gauges,
            a.triggers_never_fired) == ([], [], [], [], [], [])


def test_json_shape():
    a = analyze(load_text(starter_text("essai")).scenario)
    obj = json.loads(json.dumps(a.to_json()))
    assert list(obj) == ["scenario", "complete", "stopped", "states", "transitions", "endings", "unreachable", "dead_ends",
                         "never_available", "no_tradeoff", "one_way_gauges"]
    assert obj["scenario"] == "essai" and obj["complete"] is True and obj["states"] == 17
    assert obj["endings"]["relais"] == {"reachable": True, "paths": 2,
                                        "gauges": {"relation": [40, 45], "exclusion": [15, 35], "workload": [40, 40]}}


def test_paths_are_counted_through_outcomes_and_merging_states():
    sc = scenario("""\
  a:
    choices:
      - text: un
        outcomes: [{weight: 1, goto: b}, {weight: 2, effects: {relation: 5}, goto: b}]
      - {text: deux, goto: b}
  b:
    choices:
      - {text: x, goto: fin}
      - {text: y, effects: {relation: -5}, goto: fin}
""")
    a = analyze(sc)
    assert a.endings["fin"].paths == 6  # 3 ways into b, times 2
    assert a.endings["fin"].gauges["relation"] == (45, 55)


def test_paths_are_null_only_where_a_loop_leads():
    sc = scenario("""\
  a:
    choices:
      - {text: boucle, goto: b}
      - {text: direct, goto: fin2}
  b:
    choices:
      - {text: encore, goto: b}
      - {text: sortir, goto: fin}
""", endings="  fin: {title: Fin}\n  fin2: {title: Fin 2}\n")
    a = analyze(sc)
    assert a.complete
    assert a.endings["fin"].paths is None and a.endings["fin"].reachable
    assert a.endings["fin2"].paths == 1


def test_unreachable_dead_ends_never_available_and_triggers():
    sc = scenario("""\
  a:
    choices:
      - {text: monter, effects: {relation: 10}, goto: b}
      - {text: descendre, effects: {relation: -10}, goto: b}
      - {text: jamais, available_if: relation > 90, goto: cache}
  b:
    choices:
      - {text: seulement si haut, available_if: relation > 50, goto: fin}
  cache:
    choices: [{text: x, goto: fin}]
  oublie:
    choices: [{text: x, goto: fin}]
""", head="triggers:\n  - {id: jamais_vu, if: workload > 90, goto: fin}\n  - {id: vu, if: relation < 45, effects: {exclusion: 5}}\n",
        endings="  fin: {title: Fin}\n  perdue: {title: Perdue}\n")
    a = analyze(sc)
    assert a.unreachable == ["cache", "oublie", "perdue"]
    assert a.dead_ends == ["b"]
    assert a.dead_end_examples["b"].path[0].choice == "a.2"  # default id: node.index
    assert a.dead_end_examples["b"].values["relation"] == 40
    assert a.never_available == [("a", "a.3")]
    assert a.triggers_never_fired == ["jamais_vu"]
    assert a.gauge_moves == {"relation": "both", "exclusion": "up", "workload": "none"}
    assert a.one_way_gauges == ["exclusion", "workload"] and a.unmoved_gauges == ["workload"]
    assert "cache" in static_reachable(sc) and "oublie" not in static_reachable(sc)


# --------------------------------------------------------------------------
# No-trade-off: c dominates d iff in every state where both are available,
# for every gauge, min over R(c) >= max over R(d), strictly once.


def pair(c: str, d: str, *, head: str = "", extra: str = "") -> list[tuple[str, str, str]]:
    sc = scenario(f"""\
  a:
    choices:
      - {{id: c, text: c, {c}}}
      - {{id: d, text: d, {d}}}
{extra}""", head=head)
    return analyze(sc).no_tradeoff


def test_better_on_one_gauge_equal_on_the_others_dominates():
    assert pair("effects: {relation: 10}, goto: fin", "effects: {relation: 5}, goto: fin") == [("a", "c", "d")]


def test_direction_follows_good():
    # workload is good: low, so -5 is better than +5
    assert pair("effects: {workload: 5}, goto: fin", "effects: {workload: -5}, goto: fin") == [("a", "d", "c")]


def test_a_real_trade_off_is_not_reported():
    assert pair("effects: {relation: 10, workload: 10}, goto: fin", "effects: {relation: 5}, goto: fin") == []


def test_equal_choices_do_not_dominate():
    assert pair("effects: {relation: 5}, goto: fin", "effects: {relation: 5}, goto: fin") == []


def test_outcomes_compare_worst_against_best():
    c = "outcomes: [{weight: 1, effects: {relation: 10}, goto: fin}, {weight: 1, goto: fin}]"
    assert pair(c, "effects: {relation: 5}, goto: fin") == []
    c = "outcomes: [{weight: 1, effects: {relation: 10}, goto: fin}, {weight: 1, effects: {relation: 6}, goto: fin}]"
    assert pair(c, "effects: {relation: 5}, goto: fin") == [("a", "c", "d")]


def test_clamping_can_remove_the_difference():
    assert pair("effects: {relation: 10}, goto: fin", "effects: {relation: 5}, goto: fin",
                head="gauges:\n  relation: {start: 98}\n  exclusion: {}\n  workload: {}\n") == []


def test_triggers_and_entered_node_effects_count():
    # c looks better, but entering x costs 20 relation.
    assert pair("effects: {relation: 10}, goto: x", "effects: {relation: 5}, goto: fin",
                extra="  x:\n    effects: {relation: -20}\n    choices: [{text: ok, goto: fin}]\n") == [("a", "d", "c")]
    # c looks better, but it fires a trigger that raises exclusion.
    assert pair("effects: {relation: 10}, goto: fin", "effects: {relation: 5}, goto: fin",
                head="triggers:\n  - {if: relation >= 60, effects: {exclusion: 10}}\n") == []


def test_choices_never_available_together_are_not_compared():
    assert pair("effects: {relation: 10}, goto: fin", "if: relation > 99, effects: {relation: 5}, goto: fin") == []


def test_dominance_must_hold_in_every_state():
    nodes = """\
  a:
    choices:
      - {text: repos, effects: {workload: -100}, goto: b}
      - {text: travail, goto: b}
  b:
    choices:
      - {id: c, text: c, effects: {relation: 10}, goto: fin}
      - {id: d, text: d, effects: {relation: 5, workload: -10}, goto: fin}
"""
    # At workload 0, d's -10 does nothing: c dominates there, but not at workload 40.
    at_b = lambda sc: [x for x in analyze(sc).no_tradeoff if x[0] == "b"]  # noqa: E731
    assert at_b(scenario(nodes)) == []
    only_rested = nodes.replace("      - {text: travail, goto: b}\n", "")
    assert at_b(scenario(only_rested)) == [("b", "c", "d")]


# --------------------------------------------------------------------------
# Budget, random play


def test_budget_cut_is_reported_honestly():
    sc = scenario("""\
  a:
    choices:
      - {text: plus, effects: {n: 1}, goto: a}
      - {text: fin, goto: fin}
""", head="variables: {n: 0}\n")
    a = analyze(sc, max_states=50)
    assert not a.complete and a.states == 50
    assert all(e.paths is None for e in a.endings.values())
    assert a.endings["fin"].reachable


def test_random_play_is_reproducible_and_within_the_analysis():
    sc = load_text(starter_text("essai")).scenario
    r1, r2 = random_play(sc, 300, seed=7), random_play(sc, 300, seed=7)
    assert r1 == r2
    assert sum(r1.endings.values()) + r1.dead_ends + r1.too_long == 300
    a = analyze(sc)
    for e, n in r1.endings.items():
        assert n == 0 or a.endings[e].reachable
    for g, xs in r1.finals.items():
        lo = min(r.gauges[g][0] for r in a.endings.values() if r.reachable)
        hi = max(r.gauges[g][1] for r in a.endings.values() if r.reachable)
        assert all(lo <= x <= hi for x in xs)
    obj = r1.to_json()
    assert set(obj) == {"runs", "seed", "endings", "unfinished", "nodes", "choices", "gauges"}
    assert obj["gauges"]["relation"]["min"] >= 35


@pytest.mark.parametrize("runs", [1, 5])
def test_random_play_stops_in_loops(runs):
    sc = scenario("  a:\n    choices: [{text: encore, goto: a}]\n")
    r = random_play(sc, runs, seed=1, max_turns=20)
    assert r.too_long == runs and r.nodes["a"] == 21 * runs
