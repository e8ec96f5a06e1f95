"""Every shipped scenario, in both languages, meets the library's bar.

check clean (no warning, no translation drift), analysis complete with every
ending reachable, no no-trade-off choice, every gauge moving both ways, and
the shape of a real dilemma: 15-40 nodes, at least three decisions on every
path, three endings of different tones, a variable set early that changes
what happens later, a debrief a trainer can use.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from game.authoring.check import check_paths
from game.authoring.loader import load_file
from game.engine import Rules, Scenario
from game.engine.analysis import analyze
from game.engine.expr import compile_expr

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "scenarios"
IDS = sorted(p.name for p in LIBRARY.iterdir() if p.is_dir())
FILES = [LIBRARY / i / f"{lang}.yaml" for i in IDS for lang in ("fr", "en")]
DILEMMAS = [i for i in IDS if i != "tutoriel"]


@functools.lru_cache(maxsize=None)
def load(path: Path) -> Scenario:
    loaded = load_file(path)
    assert loaded.ok, "\n".join(d.format() for d in loaded.diagnostics)
    return loaded.scenario


@functools.lru_cache(maxsize=None)
def analysis(path: Path):
    return analyze(load(path))


def test_the_library_is_complete():
    required = {"tutoriel", "sms-mineur", "algorithme-orientation", "robot-ehpad",
                "formation-distance", "ia-depistage"}
    assert required <= set(IDS)
    assert len(DILEMMAS) >= 9, DILEMMAS
    for i in IDS:
        assert (LIBRARY / i / "fr.yaml").is_file() and (LIBRARY / i / "en.yaml").is_file(), i


@pytest.mark.parametrize("scenario_id", IDS)
def test_check_is_clean_without_warnings(scenario_id):
    diags, files = check_paths([str(LIBRARY / scenario_id)])
    assert files == 2
    assert diags == [], "\n".join(d.format() for d in diags)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_analysis_proves_the_dilemma(path):
    sc = load(path)
    a = analysis(path)
    assert a.complete, f"exploration cut after {a.states} states"
    assert all(e.reachable for e in a.endings.values()), {k for k, e in a.endings.items() if not e.reachable}
    assert a.unreachable == [] and a.dead_ends == [] and a.never_available == []
    assert a.no_tradeoff == [], a.no_tradeoff
    assert a.gauge_moves == {g: "both" for g in sc.gauges}, a.gauge_moves
    assert a.triggers_never_fired == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_header_language_and_debrief(path):
    sc = load(path)
    assert sc.id == path.parent.name and sc.language == path.stem
    assert sc.title and sc.summary and sc.objectives and sc.duration_minutes
    assert 3 <= len(sc.debrief.key_points) <= 6
    assert 2 <= len(sc.debrief.questions) <= 5, sc.debrief.questions
    for q in sc.debrief.questions:  # French puts a space before « ? », English does not
        assert q.endswith(" ?") if sc.language == "fr" else q.endswith("?") and not q.endswith(" ?"), q
    assert sc.debrief.sources
    for node in [*sc.nodes.values(), *sc.endings.values()]:
        if node.image:
            assert (path.parent / node.image).is_file(), node.image


@pytest.mark.parametrize("scenario_id", IDS)
def test_translations_ask_as_many_questions_as_the_french(scenario_id):
    french = load(LIBRARY / scenario_id / "fr.yaml").debrief.questions
    for path in sorted((LIBRARY / scenario_id).glob("*.yaml")):
        assert len(load(path).debrief.questions) == len(french), path.name


@pytest.mark.parametrize("scenario_id", DILEMMAS)
def test_shape_of_a_real_dilemma(scenario_id):
    path = LIBRARY / scenario_id / "fr.yaml"
    sc = load(path)
    assert 15 <= len(sc.nodes) + len(sc.endings) <= 40
    assert {e.tone for e in sc.endings.values()} == {"positive", "mixed", "negative"}
    assert 10 <= sc.duration_minutes <= 20
    assert min_decisions(sc) >= 3


@pytest.mark.parametrize("scenario_id", DILEMMAS)
def test_the_views_that_fit(scenario_id):
    sc = load(LIBRARY / scenario_id / "fr.yaml")
    views = {n.view for n in sc.nodes.values()}
    expected = {
        "sms-mineur": "sms",
        "algorithme-orientation": "dashboard",
        "visio-psy": "visio",
        "formation-distance": "visio",
        "ia-depistage": "dashboard",
    }.get(scenario_id)
    if expected:
        assert expected in views


@pytest.mark.parametrize("scenario_id", DILEMMAS)
def test_some_consequences_arrive_later(scenario_id):
    """A variable assigned by a choice is read by a condition elsewhere (choice, text variant or trigger)."""
    sc = load(LIBRARY / scenario_id / "fr.yaml")
    written = set()
    for node in sc.nodes.values():
        for ch in node.choices:
            written |= {k for k in (*ch.effects, *ch.set) if k in sc.variables}
            for o in ch.outcomes or ():
                written |= {k for k in (*o.effects, *o.set) if k in sc.variables}
    types = {n: int for n in sc.gauges} | {n: type(v) if isinstance(v, bool) else int for n, v in sc.variables.items()}
    read = set()
    conds = [t.if_ for t in sc.triggers]
    for node in [*sc.nodes.values(), *sc.endings.values()]:
        if not isinstance(node.text, str):
            conds += [v.if_ for v in node.text if v.if_]
        for ch in getattr(node, "choices", ()):
            conds += [ch.if_, ch.available_if]
    for c in filter(None, conds):
        read |= compile_expr(c, types).names
    assert written & read, "no variable set by a choice changes anything later"


def min_decisions(sc: Scenario) -> int:
    """The fewest decisions (states with 2+ available choices) on any path to an ending."""
    rules = Rules.compile(sc)
    start, _ = rules.start(0)
    memo: dict = {}

    def go(s):
        if s.ending is not None:
            return 0
        k = (s.node, s.values, s.fired)
        if k in memo:
            return memo[k]
        memo[k] = 10**6  # a loop does not shorten a path
        nexts = list(rules.successors(s))
        best = min((go(n.state) for n in nexts), default=10**6)
        memo[k] = best + (1 if len({n.choice for n in nexts}) >= 2 else 0)
        return memo[k]

    return go(start)
