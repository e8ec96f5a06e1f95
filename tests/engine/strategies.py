"""Hypothesis strategies: random VALID format-1 scenarios, as plain dicts.

`scenario_dicts()` builds what a trainer could have written in YAML: gauges
with random bounds (or the three defaults, or defaults partly overridden),
bool and int variables, conditions from the expression language (`if`,
`available_if`, text variants, triggers), `effects` and `set`, outcomes
with int and float weights, triggers with and without `once`/`goto`,
cycles, dead ends and endings. Every dict it returns passes
`game.engine.load_scenario`.

`random_play(scenario, seed, pick)` plays one random path; `pick(n)` returns
an index in range(n) (e.g. `data_picker(data)` draws it from Hypothesis).

Other suites import these: `from tests.engine.strategies import scenario_dicts`.
"""

from __future__ import annotations

import keyword
from typing import Any, Callable

from hypothesis import strategies as st

from game.engine import Playthrough, Scenario, load_scenario, visible_choices

RESERVED = {"true", "false", "and", "or", "not", *keyword.kwlist}

#: Names a trainer would use, mixed with arbitrary valid identifiers.
_NAME_POOL = (
    "relation", "exclusion", "workload", "trust", "stress", "sms_nuit", "relances", "appels",
    "alerte", "cadre", "soir", "echange", "astreinte", "rdv", "nuit", "fin", "epuisement",
    "yes", "no", "on", "off", "null", "inf", "nan", "_x", "a1",  # YAML 1.1 traps as keys
)
_LOWER = "abcdefghijklmnopqrstuvwxyz"
NAMES = st.one_of(
    st.sampled_from(_NAME_POOL),
    st.builds(lambda head, tail: head + tail,  # [a-z_][a-z0-9_]*
              st.sampled_from(_LOWER + "_"), st.text(_LOWER + "0123456789_", max_size=7)),
).filter(lambda s: s not in RESERVED)
SCENARIO_IDS = st.text(_LOWER + "0123456789-", min_size=1, max_size=12)

#: Texts, including strings YAML 1.1 would read as something else.
_TRICKY = ("", "true", "Non", "yes", "null", "~", "23:12", "1e5", "0x1F", "1_000", "3", "-1", "1.5",
           "a: b", "# pas un commentaire", "- tiret", "?", "@x", "%", " espace", "fin ", "l'été",
           "« guillemets »", "ligne\nsuivante", "tab\tulation")
_ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "Zs", "Sm", "Sc"),
    exclude_characters="{}\x85\u2028\u2029",  # braces would be placeholders
)
_WORDS = ("Kylian", "Qualité de la relation", "Répondre tout de suite", "Vous n'avez plus le temps ce soir.",
          "Appeler le cadre d'astreinte", "Un lien préservé, un cadre posé", "ES", "ME", "Mère : « non »")
#: Free text (titles, node and choice texts): arbitrary characters too.
TEXTS = st.one_of(st.sampled_from(_TRICKY + _WORDS), st.text(_ALPHABET, max_size=16))
#: Secondary texts (labels, hints, feedback...): cheaper to draw, same traps.
LABELS = st.sampled_from(_TRICKY + _WORDS)

DEFAULT_GAUGES = {
    "relation": {"start": 50, "min": 0, "max": 100, "good": "high"},
    "exclusion": {"start": 20, "min": 0, "max": 100, "good": "low"},
    "workload": {"start": 40, "min": 0, "max": 100, "good": "low"},
}

_CMP_OPS = ("==", "!=", "<", "<=", ">", ">=")


#: Integers at and near the engine's bound on int variables (±10⁹), so that
#: generated play reaches the clamp.
LIMITS = (10**9, -(10**9))
NEAR_LIMITS = (10**9 - 2, -(10**9) + 2, 10**9)


def gauge_specs(data: dict) -> dict[str, dict[str, int]]:
    """The gauges of a scenario dict with defaults filled in: {name: {start, min, max}}."""
    if "gauges" not in data or data["gauges"] is None:
        return {n: dict(spec) for n, spec in DEFAULT_GAUGES.items()}
    out = {}
    for name, spec in data["gauges"].items():
        full = {"min": 0, "max": 100, **DEFAULT_GAUGES.get(name, {}), **spec}
        out[name] = {k: full[k] for k in ("start", "min", "max")}
    return out


# --------------------------------------------------------------------------
# Expressions (rendered to text, every compound in parentheses)


def _int_expr(draw, ints: list[str], depth: int, budget: list[int]) -> str:
    kinds = ["lit"] + (["var", "var"] if ints else [])
    if depth > 0:
        kinds += ["add", "sub", "neg"] + (["mul"] if budget[0] > 0 else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "lit":
        return str(draw(st.integers(-150, 150)))
    if kind == "var":
        return draw(st.sampled_from(ints))
    if kind == "neg":
        return "-" + _int_expr(draw, ints, depth - 1, budget)
    if kind == "mul":
        budget[0] -= 1
    op = {"add": "+", "sub": "-", "mul": "*"}[kind]
    left = _int_expr(draw, ints, depth - 1, budget)
    right = _int_expr(draw, ints, depth - 1, budget)
    return f"({left} {op} {right})"


def _bool_expr(draw, ints: list[str], bools: list[str], depth: int, budget: list[int]) -> str:
    kinds = ["lit", "cmp", "cmp"] + (["var", "var", "beq"] if bools else [])
    if depth > 0:
        kinds += ["not", "and", "or", "chain"]
    kind = draw(st.sampled_from(kinds))
    if kind == "lit":
        return draw(st.sampled_from(["true", "false"]))
    if kind == "var":
        return draw(st.sampled_from(bools))
    if kind == "beq":
        left = draw(st.sampled_from(bools))
        right = draw(st.sampled_from([*bools, "true", "false"]))
        return f"{left} {draw(st.sampled_from(['==', '!=']))} {right}"
    if kind in ("cmp", "chain"):
        parts = [_int_expr(draw, ints, min(depth, 1), budget)]
        for _ in range(1 if kind == "cmp" else 2):
            parts += [draw(st.sampled_from(_CMP_OPS)), _int_expr(draw, ints, min(depth, 1), budget)]
        return " ".join(parts)
    if kind == "not":
        return f"not ({_bool_expr(draw, ints, bools, depth - 1, budget)})"
    left = _bool_expr(draw, ints, bools, depth - 1, budget)
    right = _bool_expr(draw, ints, bools, depth - 1, budget)
    return f"({left} {kind} {right})"


@st.composite
def conditions(draw, ints: list[str], bools: list[str], max_depth: int = 2) -> str:
    """A well-typed boolean expression over the given int and bool names."""
    return _bool_expr(draw, ints, bools, draw(st.integers(0, max_depth)), [3])


@st.composite
def int_expressions(draw, ints: list[str], max_depth: int = 2) -> str:
    """A well-typed integer expression over the given int names."""
    return _int_expr(draw, ints, draw(st.integers(0, max_depth)), [3])


# --------------------------------------------------------------------------
# Scenarios


@st.composite
def scenario_dicts(draw, max_nodes: int = 6, max_endings: int = 3, max_choices: int = 3) -> dict[str, Any]:
    """A random valid format-1 scenario as plain data (what YAML would give)."""
    n_nodes = draw(st.integers(1, max_nodes))
    n_endings = draw(st.integers(1, max_endings))
    mode = draw(st.sampled_from(["defaults", "custom", "custom", "mixed"]))
    n_gauges = 0 if mode == "defaults" else draw(st.integers(0, 3))
    n_vars = draw(st.integers(0, 3))
    # With the default gauges present, their names are taken.
    free = NAMES if mode == "custom" else NAMES.filter(lambda s: s not in DEFAULT_GAUGES)
    names = draw(st.lists(free, min_size=n_gauges + n_vars, max_size=n_gauges + n_vars, unique=True))
    ids = draw(st.lists(NAMES, min_size=n_nodes + n_endings, max_size=n_nodes + n_endings, unique=True))
    node_ids, ending_ids = ids[:n_nodes], ids[n_nodes:]
    targets = node_ids + ending_ids

    data: dict[str, Any] = {
        "format": 1,
        "id": draw(SCENARIO_IDS),
        "language": draw(st.sampled_from(["fr", "en", "de"])),
        "title": draw(TEXTS),
    }
    if draw(st.booleans()):
        data["summary"] = draw(LABELS)
        data["audience"] = draw(st.lists(LABELS, max_size=2))
        data["objectives"] = draw(st.lists(LABELS, max_size=2))
        data["duration_minutes"] = draw(st.integers(1, 90))
    if draw(st.booleans()):
        data["content_warning"] = draw(LABELS)

    gauges: dict[str, dict] = {}
    if mode == "mixed":  # the defaults, some of their fields overridden
        for name in draw(st.lists(st.sampled_from(sorted(DEFAULT_GAUGES)), unique=True, max_size=3)):
            gauges[name] = {"start": draw(st.integers(0, 100))} if draw(st.booleans()) else {}
    for name in names[:n_gauges]:
        lo = draw(st.integers(-50, 50))
        hi = lo + draw(st.integers(1, 150))
        spec: dict[str, Any] = {"label": draw(LABELS), "start": draw(st.integers(lo, hi)),
                                "good": draw(st.sampled_from(["high", "low"]))}
        if lo != 0 or draw(st.booleans()):
            spec["min"] = lo
        if hi != 100 or draw(st.booleans()):
            spec["max"] = hi
        if draw(st.booleans()):
            spec["description"] = draw(LABELS)
        gauges[name] = spec
    if mode != "defaults":
        data["gauges"] = gauges
    specs = gauge_specs(data)

    variables: dict[str, Any] = {}
    for name in names[n_gauges:]:
        variables[name] = draw(st.booleans()) if draw(st.booleans()) else (
            draw(st.integers(-5, 5)) if draw(st.integers(0, 3)) else draw(st.sampled_from(NEAR_LIMITS)))
    if variables or draw(st.booleans()):
        data["variables"] = variables
    ints = list(specs) + [n for n, v in variables.items() if not isinstance(v, bool)]
    bools = [n for n, v in variables.items() if isinstance(v, bool)]
    every = list(specs) + list(variables)

    def cond() -> str:
        return draw(conditions(ints, bools))

    def plain_text() -> str:
        base = draw(TEXTS)
        if every and draw(st.integers(0, 3)) == 0:
            base += " {" + draw(st.sampled_from(every)) + "}"
        return base

    def text() -> Any:
        base = plain_text()
        if draw(st.integers(0, 4)) == 0:  # variants: the first that holds is shown
            variants = [{"if": cond(), "text": draw(TEXTS)} for _ in range(draw(st.integers(1, 2)))]
            if draw(st.booleans()):
                variants.append({"text": base})
            return variants
        return base

    def values(kind: str) -> dict[str, Any]:
        """`effects` (numbers add) or `set` (assign) over a few names."""
        chosen = draw(st.lists(st.sampled_from(every), unique=True, max_size=3)) if every else []
        out: dict[str, Any] = {}
        for name in chosen:
            if name in specs:
                lo, hi = specs[name]["min"], specs[name]["max"]
                out[name] = draw(st.integers(-40, 40)) if kind == "effects" else draw(st.integers(lo - 20, hi + 20))
            elif isinstance(variables[name], bool):
                out[name] = draw(st.booleans())
            else:
                out[name] = draw(st.integers(-3, 3)) if kind == "effects" else draw(st.integers(-10, 10))
                if draw(st.integers(0, 4)) == 0:  # sometimes far enough to reach the ±10⁹ clamp
                    out[name] = draw(st.sampled_from(LIMITS))
        return out

    def target() -> str:
        # Mostly nodes, so that play goes on for a while (and loops).
        pool = node_ids if draw(st.integers(0, 3)) else ending_ids
        return draw(st.sampled_from(pool))

    def changes(into: dict) -> dict:
        if draw(st.booleans()):
            eff = values("effects")
            if eff:
                into["effects"] = eff
        if draw(st.integers(0, 3)) == 0:
            assigned = values("set")
            if assigned:
                into["set"] = assigned
        return into

    nodes: dict[str, Any] = {}
    for nid in node_ids:
        node: dict[str, Any] = {"text": text()}
        view = draw(st.sampled_from(["narrative", "narrative", "sms", "dashboard", None]))
        if view is not None:
            node["view"] = view
        if view == "sms" and draw(st.booleans()):
            node["messages"] = [
                {"from": draw(LABELS), "at": draw(st.sampled_from(["23:12", "08:05", "7h"])), "text": draw(LABELS)}
                for _ in range(draw(st.integers(1, 2)))
            ]
        if view == "dashboard" and draw(st.booleans()):
            node["panel"] = {"title": draw(TEXTS), "score": draw(st.integers(0, 100)),
                             "criteria": [{"label": draw(LABELS), "value": draw(LABELS)}]}
        changes(node)
        # Mostly 1+ choices; a node without choices is a (valid) dead end.
        n_choices = draw(st.integers(0, max_choices)) if draw(st.integers(0, 9)) == 0 else draw(st.integers(1, max_choices))
        choice_ids = draw(st.lists(NAMES, unique=True, min_size=n_choices, max_size=n_choices))
        choices = []
        for j, cid in enumerate(choice_ids):
            ch: dict[str, Any] = {"text": plain_text()}
            if draw(st.booleans()):
                ch["id"] = cid  # otherwise "<node>.<index>"
            # The first choice is mostly unconditional: play rarely stops at once.
            gated = j > 0 or draw(st.integers(0, 4)) == 0
            if gated and draw(st.integers(0, 3)) == 0:
                ch["if"] = cond()
            if gated and draw(st.integers(0, 3)) == 0:
                ch["available_if"] = cond()
                if draw(st.booleans()):
                    ch["unavailable_hint"] = draw(LABELS)
            changes(ch)
            if draw(st.booleans()):
                ch["feedback"] = draw(LABELS)
            if draw(st.integers(0, 2)) == 0:
                ch["outcomes"] = [
                    changes({"weight": draw(st.one_of(st.integers(1, 10), st.floats(0.01, 100.0))),
                             "goto": target()})
                    for _ in range(draw(st.integers(1, 3)))
                ]
            else:
                ch["goto"] = target()
            choices.append(ch)
        if choices or draw(st.booleans()):
            node["choices"] = choices
        nodes[nid] = node

    triggers = []
    trigger_ids = draw(st.lists(NAMES, unique=True, max_size=3))
    for tid in trigger_ids:
        trig: dict[str, Any] = {"if": cond()}
        if draw(st.booleans()):
            trig["id"] = tid
        changes(trig)
        if draw(st.booleans()):
            trig["goto"] = draw(st.sampled_from(targets))
        if draw(st.booleans()):
            trig["once"] = draw(st.booleans())
        triggers.append(trig)
    if triggers or draw(st.booleans()):
        data["triggers"] = triggers

    data["start"] = draw(st.sampled_from(node_ids))
    data["nodes"] = nodes
    data["endings"] = {
        eid: {"title": draw(TEXTS), "text": text(), "tone": draw(st.sampled_from(["positive", "mixed", "negative"]))}
        for eid in ending_ids
    }
    if draw(st.booleans()):
        data["debrief"] = {"key_points": draw(st.lists(LABELS, max_size=2)), "sources": draw(st.lists(LABELS, max_size=1))}
    return data


def scenarios(**kwargs: Any) -> st.SearchStrategy[Scenario]:
    """Random valid scenarios as models (see `scenario_dicts`)."""
    return scenario_dicts(**kwargs).map(load_scenario)


# --------------------------------------------------------------------------
# A random player


def data_picker(data: st.DataObject) -> Callable[[int], int]:
    """A `pick(n)` that draws its index from Hypothesis (so failures shrink)."""
    return lambda n: data.draw(st.integers(0, n - 1), label="pick")


def random_play(scenario: Scenario, seed: int, pick: Callable[[int], int], max_steps: int = 25) -> Playthrough:
    """Play from the start, each time picking among the available choices.

    Stops at an ending, at a node with no available choice, or after
    `max_steps` choices (scenarios may loop forever).
    """
    pt = Playthrough.start(scenario, seed)
    for _ in range(max_steps):
        if pt.state.finished:
            break
        options = [c.id for c in visible_choices(scenario, pt.state) if c.available]
        if not options:
            break
        nxt = pt.choose(options[pick(len(options))])
        assert isinstance(nxt, Playthrough), nxt  # an available choice is never refused
        pt = nxt
    return pt
