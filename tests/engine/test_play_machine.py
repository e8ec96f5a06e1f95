"""A stateful test: play, refuse, undo, save and reload random scenarios,
checked after every rule against a naive model of DESIGN.md's step.

The naive model is written from DESIGN.md alone, over the plain scenario
dict: it evaluates expressions with its own small `ast` walker and uses no
helper of game.engine.rules (nor expr.py).
"""

from __future__ import annotations

import ast
import operator
import random
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from game.engine import (
    Playthrough,
    Rejected,
    dump_save,
    load_save,
    load_scenario,
    make_save,
    parse_save,
    visible_choices,
)

from tests.engine.strategies import gauge_specs, scenario_dicts

_CMP = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
        ast.Gt: operator.gt, ast.GtE: operator.ge}
_BIN = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}


def evaluate(source: str, env: dict[str, Any]) -> Any:
    """The value of an expression of the language, by walking its tree."""

    def ev(node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return {"true": True, "false": False}.get(node.id, env.get(node.id))
        if isinstance(node, ast.UnaryOp):
            value = ev(node.operand)
            return (not value) if isinstance(node.op, ast.Not) else -value
        if isinstance(node, ast.BinOp):
            return _BIN[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.BoolOp):
            values = [ev(v) for v in node.values]  # no side effects: no need to short-circuit
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.Compare):
            operands = [ev(node.left)] + [ev(c) for c in node.comparators]
            return all(_CMP[type(op)](a, b) for op, a, b in zip(node.ops, operands, operands[1:]))
        raise AssertionError(f"not in the language: {ast.dump(node)}")

    return ev(ast.parse(source.strip(), mode="eval").body)


class NaiveGame:
    """DESIGN.md's rules of one step, over the scenario as plain data."""

    def __init__(self, data: dict[str, Any], seed: int):
        self.data = data
        self.seed = seed
        self.bounds = {n: (s["min"], s["max"]) for n, s in gauge_specs(data).items()}
        values = {n: s["start"] for n, s in gauge_specs(data).items()}
        values.update(data.get("variables") or {})
        state = {"node": data["start"], "values": values, "turn": 0, "fired": frozenset(), "ending": None}
        self.changes: list[tuple] = []
        self.enter(state, data["start"])  # rule 0
        self.state = state

    # -- reading the data

    def choices(self, node: str) -> list[tuple[str, dict]]:
        if node not in self.data["nodes"]:
            return []
        listed = self.data["nodes"][node].get("choices") or []
        return [(c.get("id") or f"{node}.{i}", c) for i, c in enumerate(listed, 1)]

    def shown(self) -> list[tuple[str, bool]]:
        """(id, available) of the choices shown now, in order."""
        if self.state["ending"] is not None:
            return []
        env = self.state["values"]
        return [(cid, "available_if" not in c or bool(evaluate(c["available_if"], env)))
                for cid, c in self.choices(self.state["node"])
                if "if" not in c or evaluate(c["if"], env)]

    # -- the rules

    def change(self, values: dict, effects: dict | None, assign: dict | None, cause: tuple) -> None:
        """Rule 2: numbers add, booleans set; then `set` assigns; clamp after each change.

        Each real change is recorded as (name, old, new, cause) in `self.changes` (rule 6).
        """
        for name, value in list((effects or {}).items()) + [(n, (v,)) for n, v in (assign or {}).items()]:
            old = values[name]
            if isinstance(value, tuple):  # assigned
                values[name] = value[0]
            else:
                values[name] = value if isinstance(value, bool) else values[name] + value
            self.clamp(values, name)
            if values[name] != old or type(values[name]) is not type(old):
                self.changes.append((name, old, values[name], cause))

    def clamp(self, values: dict, name: str) -> None:
        if name in self.bounds:
            lo, hi = self.bounds[name]
        elif isinstance(values[name], bool):
            return
        else:
            lo, hi = -(10**9), 10**9  # int variables stay within ±10⁹
        values[name] = min(max(values[name], lo), hi)

    def enter(self, state: dict, target: str) -> None:
        """Rule 5: enter the next node (its effects apply) or finish at an ending."""
        state["node"] = target
        if target in self.data["endings"]:
            state["ending"] = target
        else:
            node = self.data["nodes"][target]
            self.change(state["values"], node.get("effects"), node.get("set"), ("node", target, None, None, None))

    def choose(self, cid: str) -> str | None:
        """Make a choice; returns the refusal code, or None when it was made."""
        st_ = self.state
        if st_["ending"] is not None:
            return "finished"
        choices = dict(self.choices(st_["node"]))
        if cid not in choices:
            return "unknown"
        choice = choices[cid]
        if "if" in choice and not evaluate(choice["if"], st_["values"]):
            return "hidden"
        if "available_if" in choice and not evaluate(choice["available_if"], st_["values"]):
            return "unavailable"
        new = {"node": st_["node"], "values": dict(st_["values"]), "turn": st_["turn"],
               "fired": st_["fired"], "ending": None}
        values = new["values"]
        here = st_["node"]
        self.changes = []
        self.change(values, choice.get("effects"), choice.get("set"), ("choice", here, cid, None, None))
        if choice.get("outcomes"):  # rule 3
            outs = choice["outcomes"]
            k = random.Random(f"{self.seed}:{st_['turn']}").choices(range(len(outs)), [o["weight"] for o in outs])[0]
            self.change(values, outs[k].get("effects"), outs[k].get("set"), ("outcome", here, cid, k, None))
            target = outs[k]["goto"]
        else:
            target = choice["goto"]
        for i, trig in enumerate(self.data.get("triggers") or []):  # rule 4
            if trig.get("once") and i in new["fired"]:
                continue
            if evaluate(trig["if"], values):
                tid = trig.get("id") or f"trigger.{i + 1}"
                self.change(values, trig.get("effects"), trig.get("set"), ("trigger", here, cid, None, tid))
                if trig.get("goto") is not None:
                    target = trig["goto"]
                if trig.get("once"):
                    new["fired"] = new["fired"] | {i}
                break
        self.enter(new, target)
        new["turn"] += 1
        self.state = new
        return None


class PlayMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.pt: Playthrough | None = None
        self.model: NaiveGame | None = None
        self.history: list[dict] = []

    @initialize(data=scenario_dicts(), seed=st.integers(-(2**40), 2**40))
    def start(self, data: dict, seed: int) -> None:
        self.data = data
        self.pt = Playthrough.start(load_scenario(data), seed)
        self.model = NaiveGame(data, seed)

    def _make(self, cid: str) -> None:
        before_model = self.model.state
        code = self.model.choose(cid)
        result = self.pt.choose(cid)
        if code is not None:
            assert isinstance(result, Rejected) and result.code == code, (cid, result, code)
            return
        assert isinstance(result, Playthrough), (cid, result)
        # Rule 6: every change, in order, with its cause (node, choice, outcome, trigger).
        got = [(e.gauge if e.kind == "gauge_changed" else e.variable, e.old, e.new, tuple(e.cause))
               for e in result.events[-1] if e.kind in ("gauge_changed", "variable_changed")]
        assert got == self.model.changes, (cid, got, self.model.changes)
        self.history.append(before_model)
        self.pt = result

    @precondition(lambda self: self.model is not None and any(ok for _, ok in self.model.shown()))
    @rule(k=st.integers(0, 99))
    def choose_an_available_choice(self, k: int) -> None:
        options = [cid for cid, ok in self.model.shown() if ok]
        self._make(options[k % len(options)])

    @precondition(lambda self: self.model is not None)
    @rule(k=st.integers(0, 99))
    def try_any_choice(self, k: int) -> None:
        candidates = [cid for cid, _ in self.model.choices(self.model.state["node"])] + ["nope", "end"]
        self._make(candidates[k % len(candidates)])

    @precondition(lambda self: self.model is not None)
    @rule()
    def undo(self) -> None:
        before = len(self.pt.choices)
        self.pt = self.pt.undo()
        if self.history:
            self.model.state = self.history.pop()
            assert len(self.pt.choices) == before - 1
        else:
            assert before == 0

    @precondition(lambda self: self.model is not None)
    @rule()
    def save_and_reload(self) -> None:
        text = dump_save(make_save(self.pt, "f" * 64))
        # A fresh model of the same data: nothing carries over but the save.
        loaded = load_save(load_scenario(self.data), parse_save(text))
        assert loaded.complete, loaded.reason
        assert loaded.playthrough == self.pt
        self.pt = loaded.playthrough

    @invariant()
    def matches_the_naive_model(self) -> None:
        if self.model is None:
            return
        state, expected = self.pt.state, self.model.state
        assert state.node == expected["node"]
        assert state.ending == expected["ending"]
        assert state.turn == expected["turn"] == len(self.pt.choices)
        assert state.fired == expected["fired"]
        names = set(self.model.bounds)
        assert state.gauges == {n: v for n, v in expected["values"].items() if n in names}
        assert state.variables == {n: v for n, v in expected["values"].items() if n not in names}
        for name, value in state.variables.items():
            assert type(value) is type(expected["values"][name])
        shown = [(c.id, c.available) for c in visible_choices(self.pt.scenario, state)]
        assert shown == self.model.shown()

    @invariant()
    def gauges_stay_within_bounds(self) -> None:
        if self.model is None:
            return
        for name, value in self.pt.state.gauges.items():
            lo, hi = self.model.bounds[name]
            assert lo <= value <= hi


PlayMachine.TestCase.settings = settings(stateful_step_count=25)
TestPlayMachine = PlayMachine.TestCase
