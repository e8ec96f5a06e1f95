"""The play state: an immutable value.

`values` holds the gauges then the variables, in the scenario's order;
`names` and `n_gauges` (shared, not compared) let the state show them as
dicts. `fired` holds the indices of `once` triggers that have fired.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

Value = Union[int, bool]


@dataclass(frozen=True, slots=True, init=False)
class State:
    node: str
    values: tuple[Value, ...]
    turn: int = 0
    seed: int = 0
    fired: frozenset[int] = frozenset()
    ending: str | None = None
    names: tuple[str, ...] = field(default=(), compare=False, repr=False)
    n_gauges: int = field(default=0, compare=False, repr=False)

    def __init__(self, node: str, values: tuple[Value, ...], turn: int = 0, seed: int = 0,
                 fired: frozenset[int] = frozenset(), ending: str | None = None,
                 names: tuple[str, ...] = (), n_gauges: int = 0):
        # What dataclass generates, through the slots' own setters: a state
        # is made at every step, and object.__setattr__ per field costs twice as much.
        _node(self, node)
        _values(self, values)
        _turn(self, turn)
        _seed(self, seed)
        _fired(self, fired)
        _ending(self, ending)
        _names(self, names)
        _n_gauges(self, n_gauges)

    @property
    def finished(self) -> bool:
        return self.ending is not None

    @property
    def gauges(self) -> dict[str, int]:
        return dict(zip(self.names[: self.n_gauges], self.values[: self.n_gauges]))

    @property
    def variables(self) -> dict[str, Value]:
        return dict(zip(self.names[self.n_gauges:], self.values[self.n_gauges:]))

    @property
    def env(self) -> dict[str, Value]:
        """Every gauge and variable by name (for `{name}` in texts)."""
        return dict(zip(self.names, self.values))

    def __getitem__(self, name: str) -> Value:
        return self.values[self.names.index(name)]


_node, _values, _turn, _seed, _fired, _ending, _names, _n_gauges = (
    State.__dict__[f].__set__ for f in ("node", "values", "turn", "seed", "fired", "ending", "names", "n_gauges"))


@dataclass(frozen=True, slots=True)
class Rejected:
    """A refusal, returned (not raised): the choice cannot be made now."""

    reason: str
    code: str = "rejected"
