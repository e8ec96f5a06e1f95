"""A layered layout of the scenario map, for the window's map view (no Graphviz).

`layout(scenario)` places every node and ending on layers going down from
`start` (the length of the shortest goto path, so a loop back does not push
a node further down), orders each layer to reduce crossings (a few sweeps of
the barycentre heuristic) and returns boxes in abstract units: one box is
`BOX_W` x `BOX_H`, boxes of a layer are `GAP_X` apart, layers `GAP_Y` apart.
Boxes never overlap by construction. Parts no goto reaches are put on a last
layer. The edges say how the choice is drawn: plain, `if` (conditional:
hidden when false), `available_if` (shown disabled when false), an outcome
branch, or a trigger jump.

Pure: it reads the scenario model only (no pygame, no files), so the
classroom's live view can reuse it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from game.engine.model import Scenario, TextVariant

BOX_W = 200
BOX_H = 64
GAP_X = 24
GAP_Y = 40


@dataclass(frozen=True)
class Box:
    id: str
    kind: str  # "node" | "ending"
    label: str  # the title or the first words of the text
    tone: str | None  # an ending's tone
    layer: int
    x: float  # left, abstract units
    y: float  # top

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + BOX_W / 2, self.y + BOX_H / 2)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    choice: str  # the choice id, or a trigger id for kind "trigger"
    kind: str  # "choice" | "if" | "available_if" | "outcome" | "trigger"
    label: str


@dataclass(frozen=True)
class Layout:
    boxes: dict[str, Box]
    edges: tuple[Edge, ...]
    width: float
    height: float

    def overlaps(self) -> list[tuple[str, str]]:
        """Pairs of boxes that overlap (none, by construction: a test checks it)."""
        out = []
        items = sorted(self.boxes.values(), key=lambda b: (b.layer, b.x))
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                if b.layer != a.layer:
                    break
                if abs(a.x - b.x) < BOX_W and abs(a.y - b.y) < BOX_H:
                    out.append((a.id, b.id))
        return out


def first_words(text, width: int = 60) -> str:
    """A node's text (or its first variant) cut to `width` characters."""
    if not isinstance(text, str):
        text = text[0].text if text and isinstance(text[0], TextVariant) else ""
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def edges_of(scenario: Scenario) -> list[Edge]:
    """Every goto of the scenario as an edge (choices, outcome branches, trigger jumps)."""
    out: list[Edge] = []
    for nid, node in scenario.nodes.items():
        ids = scenario.choice_ids(nid)
        for j, ch in enumerate(node.choices):
            kind = "if" if ch.if_ else "available_if" if ch.available_if else "choice"
            if ch.outcomes:
                for o in ch.outcomes:
                    out.append(Edge(nid, o.goto, ids[j], "outcome", first_words(ch.text, 30)))
            elif ch.goto:
                out.append(Edge(nid, ch.goto, ids[j], kind, first_words(ch.text, 30)))
    return out


def layout(scenario: Scenario) -> Layout:
    """Place the scenario's nodes and endings on layers (see the module's docstring)."""
    ids = list(scenario.nodes) + list(scenario.endings)
    known = set(ids)
    edges = [e for e in edges_of(scenario) if e.target in known]
    succ: dict[str, list[str]] = {n: [] for n in ids}
    for e in edges:
        if e.target not in succ[e.source]:
            succ[e.source].append(e.target)
    # Trigger jumps can come from anywhere: they are drawn, not used for layers.
    trig: list[Edge] = []
    for i, t in enumerate(scenario.triggers):
        if t.goto in known:
            trig.append(Edge("", t.goto, t.id or f"trigger.{i + 1}", "trigger", t.if_))
    layer: dict[str, int] = {}

    def spread(first: str) -> None:
        """Breadth-first from `first`: each node not yet placed goes one layer below its parent."""
        queue = deque([first])
        while queue:
            n = queue.popleft()
            for m in succ[n]:
                if m not in layer:
                    layer[m] = layer[n] + 1
                    queue.append(m)

    if scenario.start in known:
        layer[scenario.start] = 0
        spread(scenario.start)
    for tr in trig:  # a trigger's target, unreached otherwise, goes just below the start
        layer.setdefault(tr.target, 1)
        spread(tr.target)
    depth = max(layer.values(), default=-1) + 1
    for n in ids:
        layer.setdefault(n, depth)  # unreached: a last layer
    # Endings sit at least one layer below every node that leads to them? Keep BFS
    # layers: an ending reached early is drawn early, which reads as "a short path".
    rows: dict[int, list[str]] = {}
    for n in ids:
        rows.setdefault(layer[n], []).append(n)
    pred: dict[str, list[str]] = {n: [] for n in ids}
    for a, bs in succ.items():
        for b in bs:
            pred[b].append(a)
    order = {n: i for r in rows.values() for i, n in enumerate(r)}
    levels = sorted(rows)
    for sweep in range(4):  # barycentre sweeps, down then up
        seq = levels[1:] if sweep % 2 == 0 else list(reversed(levels[:-1]))
        for lv in seq:
            near = pred if sweep % 2 == 0 else succ

            def bary(n: str) -> float:
                ns = [order[m] for m in near[n] if layer[m] != layer[n]]
                return sum(ns) / len(ns) if ns else order[n]

            rows[lv].sort(key=lambda n: (bary(n), order[n]))
            for i, n in enumerate(rows[lv]):
                order[n] = i
    widest = max((len(r) for r in rows.values()), default=1)
    full = widest * BOX_W + (widest - 1) * GAP_X
    boxes: dict[str, Box] = {}
    for lv in levels:
        r = rows[lv]
        w = len(r) * BOX_W + (len(r) - 1) * GAP_X
        x0 = (full - w) / 2
        for i, n in enumerate(r):
            if n in scenario.nodes:
                node = scenario.nodes[n]
                kind, label, tone = "node", node.title or first_words(node.text), None
            else:
                end = scenario.endings[n]
                kind, label, tone = "ending", end.title, end.tone
            boxes[n] = Box(n, kind, label, tone, lv, x0 + i * (BOX_W + GAP_X), lv * (BOX_H + GAP_Y))
    height = len(levels) * BOX_H + max(0, len(levels) - 1) * GAP_Y
    return Layout(boxes, tuple(edges + trig), full, height)


def choices_to(rules, seed: int, node: str, max_states: int = 20_000) -> list[str] | None:
    """The shortest list of choice ids that leads play from the start to `node` with `seed`, or None.

    A breadth-first search over the engine's own steps (conditions, draws and
    triggers as the player would meet them), bounded by `max_states`.
    """
    state, _ = rules.start(seed)
    if state.node == node or state.ending == node:
        return []
    seen = {state}
    queue = deque([(state, ())])
    while queue and len(seen) < max_states:
        st, path = queue.popleft()
        if st.ending is not None:
            continue
        for c in rules.choices(st):
            if not c.available:
                continue
            res = rules.step(st, c.id)
            nxt = res[0] if isinstance(res, tuple) else None
            if nxt is None or nxt in seen:
                continue
            if nxt.node == node or nxt.ending == node:
                return list(path) + [c.id]
            seen.add(nxt)
            queue.append((nxt, path + (c.id,)))
    return None
