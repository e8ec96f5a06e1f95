"""The play state: an immutable value.

`values` holds the gauges then the variables, in the scenario's order;
`names` and `n_gauges` (shared, not compared) let the state show them as
dicts. `fired` holds the indices of `once` triggers that have fired.

A state is a named tuple (one is made at every step and for every successor
the analysis explores; a tuple costs a third of a frozen dataclass), compared
and hashed on its first six fields only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Union

Value = Union[int, bool]

_KEY = slice(0, 6)


class State(NamedTuple):
    node: str
    values: tuple[Value, ...]
    turn: int = 0
    seed: int = 0
    fired: frozenset[int] = frozenset()
    ending: str | None = None
    names: tuple[str, ...] = ()  # not compared
    n_gauges: int = 0  # not compared

    def __eq__(self, other: object) -> bool:
        return type(other) is State and tuple.__getitem__(self, _KEY) == tuple.__getitem__(other, _KEY)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(tuple.__getitem__(self, _KEY))

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

    def value(self, name: str) -> Value:
        """The value of one gauge or variable (KeyError for an unknown name)."""
        try:
            return self.values[self.names.index(name)]
        except ValueError:
            raise KeyError(name) from None


@dataclass(frozen=True, slots=True)
class Rejected:
    """A refusal, returned (not raised): the choice cannot be made now.

    `code` is 'unknown', 'hidden', 'unavailable', 'finished' or, for a
    number typed by a player, 'out_of_range'.
    """

    reason: str
    code: str = "rejected"
