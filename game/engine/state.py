"""The play state: an immutable value.

`values` holds the gauges then the variables, in the scenario's order;
`names` and `n_gauges` (shared, not compared) let the state show them as
dicts. `fired` holds the indices of `once` triggers that have fired.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

Value = Union[int, bool]


@dataclass(frozen=True, slots=True)
class State:
    node: str
    values: tuple[Value, ...]
    turn: int = 0
    seed: int = 0
    fired: frozenset[int] = frozenset()
    ending: str | None = None
    names: tuple[str, ...] = field(default=(), compare=False, repr=False)
    n_gauges: int = field(default=0, compare=False, repr=False)

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


@dataclass(frozen=True, slots=True)
class Rejected:
    """A refusal, returned (not raised): the choice cannot be made now."""

    reason: str
    code: str = "rejected"
