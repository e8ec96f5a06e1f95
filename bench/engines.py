"""The engines under test, each loading a story and playing it by one rule.

Every engine plays a playthrough the same way: show the node's text, list
the offered choices (their texts rendered), let a seeded picker take one
(`random.Random(seed).randrange(len(offered))` per turn: ink numbers only
the choices it offers, so the pick is an index into that list), until an
ending. `play(story, seed, out)` returns the number of choices made; with
`out` (a list) it also records the transcript:

    ("text", line) for each line shown, ("choices", [texts]) at each turn,
    and at the end ("vars", {name: value}) with every gauge and variable.

`out=None` is the timed mode: the same work (texts are still rendered),
nothing kept. Each engine is written the way its users would call it.

- pandore: the public API a game uses (`initial_state`, `resolve_text`,
  `visible_choices`, `step`), events and immutable states and all.
- bink: Blade Ink (Rust) through its Python bindings.
- inkpython: the pure-Python port of inkjs.
- floor: a bare dict-walking loop over the same graph, the cheapest Python
  that produces the same transcript: values in a dict, conditions as
  Python lambdas over it, `str.format_map` for texts. No state values, no
  events, no checks: the Python floor, not a usable engine.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, Callable

ENGINES = ("pandore", "bink", "inkpython", "floor")

STORIES = Path(__file__).parent / "stories"
SIZES = (100, 1000, 5000)
VARS = ("relation", "exclusion", "workload", "relances", "appels", "confiance", "score")


def story_path(engine: str, n: int) -> Path:
    return STORIES / (f"synth-{n}.ink.json" if engine in ("bink", "inkpython") else f"synth-{n}.yaml")


# --------------------------------------------------------------------------
# imports and loads (timed separately by the worker)


def import_engine(engine: str) -> None:
    if engine == "pandore":
        import game.authoring.loader  # noqa: F401
        import game.engine  # noqa: F401
    elif engine == "bink":
        import bink.story  # noqa: F401
    elif engine == "inkpython":
        import inkpython  # noqa: F401
    elif engine == "floor":
        import yaml  # noqa: F401
    else:
        raise ValueError(engine)


def load(engine: str, path: Path) -> Any:
    """Read + parse + validate + ready to play."""
    if engine == "pandore":
        from game.authoring.loader import load_file

        loaded = load_file(path)  # compiled once: names resolved, expressions and texts compiled
        if not loaded.ok:
            raise RuntimeError(f"{path}: {loaded.diagnostics[0]}")
        return loaded.rules
    if engine == "bink":
        from bink.story import Story

        return Story(path.read_text(encoding="utf-8-sig"))
    if engine == "inkpython":
        from inkpython import Story

        return Story(path.read_text(encoding="utf-8-sig"))
    if engine == "floor":
        return load_floor(path)
    raise ValueError(engine)


# --------------------------------------------------------------------------
# playthroughs


def play_pandore(rules: Any, seed: int, out: list | None = None) -> int:
    """The game's own turn through the public API: the node's text, its choices, `step` with its events."""
    pick = random.Random(seed).randrange
    state, _ = rules.start(seed)
    n = 0
    while state.ending is None:
        text = rules.text(state)
        offered = [v for v in rules.choices(state) if v.available]
        if out is not None:
            out.append(("text", text))
            out.append(("choices", [v.text for v in offered]))
        state, _events = rules.step(state, offered[pick(len(offered))].id)
        n += 1
    text = rules.text(state)
    if out is not None:
        out.append(("text", text))
        out.append(("vars", state.env))
    return n


def play_bink(story: Any, seed: int, out: list | None = None) -> int:
    pick = random.Random(seed).randrange
    story.reset_state()
    n = 0
    while True:
        text = story.continue_maximally()
        choices = story.get_current_choices()
        texts = list(choices)
        if out is not None:
            out.extend(("text", line) for line in text.splitlines())
            if texts:
                out.append(("choices", texts))
        if not texts:
            break
        story.choose_choice_index(pick(len(texts)))
        n += 1
    if out is not None:
        out.append(("vars", {v: story.get_variable(v) for v in VARS}))
    return n


def play_inkpython(story: Any, seed: int, out: list | None = None) -> int:
    pick = random.Random(seed).randrange
    story.ResetState()
    n = 0
    while True:
        text = story.ContinueMaximally()
        texts = [c.text for c in story.currentChoices]
        if out is not None:
            out.extend(("text", line) for line in text.splitlines())
            if texts:
                out.append(("choices", texts))
        if not texts:
            break
        story.ChooseChoiceIndex(pick(len(texts)))
        n += 1
    if out is not None:
        out.append(("vars", {v: story.variablesState[v] for v in VARS}))
    return n


# --------------------------------------------------------------------------
# the floor: a bare dict walk


def load_floor(path: Path) -> dict:
    """The graph as plain dicts and lambdas, from the YAML or a JSON copy of its data; no checks."""
    if path.suffix == ".json":
        import json

        return floor_graph(json.loads(path.read_text(encoding="utf-8")))
    import yaml

    return floor_graph(yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def floor_graph(data: dict) -> dict:
    bounds = {g: (s["min"], s["max"]) for g, s in data["gauges"].items()}

    def ops(d: dict) -> list:
        out = []
        for name, v in (d.get("effects") or {}).items():
            out.append((name, v, True, bounds.get(name)))
        for name, v in (d.get("set") or {}).items():
            out.append((name, v, False, bounds.get(name)))
        return out

    def cond(src: str | None) -> Callable | None:
        if src is None:
            return None
        py = " ".join(f"v[{w!r}]" if w.isidentifier() and w not in ("and", "or", "not") else w for w in src.split())
        return eval(f"lambda v: {py}")  # our own generated file, not user input

    nodes = {}
    for nid, node in data["nodes"].items():
        choices = [(c["text"], cond(c.get("if")), ops(c), c["goto"]) for c in node["choices"]]
        nodes[nid] = (node["text"], ops(node), choices)
    endings = {eid: e["text"] for eid, e in data["endings"].items()}
    initial = {g: s["start"] for g, s in data["gauges"].items()} | data["variables"]
    return {"nodes": nodes, "endings": endings, "initial": initial, "start": data["start"]}


def _apply(ops: list, v: dict) -> None:
    for name, value, add, b in ops:
        new = v[name] + value if add else value
        if b is not None:
            new = b[0] if new < b[0] else b[1] if new > b[1] else new
        v[name] = new


def play_floor(g: dict, seed: int, out: list | None = None) -> int:
    pick = random.Random(seed).randrange
    nodes, endings = g["nodes"], g["endings"]
    v = dict(g["initial"])
    where = g["start"]
    _apply(nodes[where][1], v)
    n = 0
    while where in nodes:
        text, _, choices = nodes[where]
        text = text.format_map(v)
        offered = [c for c in choices if c[1] is None or c[1](v)]
        texts = [c[0].format_map(v) for c in offered]
        if out is not None:
            out.append(("text", text))
            out.append(("choices", texts))
        _, _, ops, where = offered[pick(len(offered))]
        _apply(ops, v)
        if where in nodes:
            _apply(nodes[where][1], v)
        n += 1
    text = endings[where].format_map(v)
    if out is not None:
        out.append(("text", text))
        out.append(("vars", dict(v)))
    return n


PLAY = {"pandore": play_pandore, "bink": play_bink, "inkpython": play_inkpython, "floor": play_floor}


def load_all(n: int, engines=ENGINES) -> dict:
    """Every engine's story of size n, each parsed once."""
    from game.authoring.loader import load_file

    stories = {}
    if {"pandore", "floor"} & set(engines):
        loaded = load_file(story_path("pandore", n))
        if not loaded.ok:
            raise RuntimeError(f"synth-{n}.yaml: {loaded.diagnostics[0]}")
        stories.update(pandore=loaded.rules, floor=floor_graph(loaded.document.data))
    for e in ("bink", "inkpython"):
        if e in engines:
            stories[e] = load(e, story_path(e, n))
    return {e: stories[e] for e in engines}


def transcript(engine: str, story: Any, seed: int) -> list:
    out: list = []
    PLAY[engine](story, seed, out)
    return out
