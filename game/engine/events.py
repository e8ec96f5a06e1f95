"""Events: immutable, past-tense records of what a step did.

Every event has a stable `kind` string and `event_to_dict()` gives it as
JSON-ready data, so the UI, the debrief, the classroom log and the tests
read the same values. Changes name their `cause`: the node entered, the
choice made, the outcome drawn or the trigger fired.

Events are named tuples: a step makes several, and a tuple costs a third
of a frozen dataclass to build. Equality also compares the event's type, so
two kinds of event with the same fields are never equal; reprs paste back
into code.
"""

from __future__ import annotations

from typing import Literal, NamedTuple, Union


def _typed(cls):
    """Make a named tuple compare (and hash) with its type, not as a bare tuple."""

    def __eq__(self, other):
        return type(other) is type(self) and tuple.__eq__(self, other)

    def __ne__(self, other):
        return not __eq__(self, other)

    def __hash__(self):
        return hash((type(self).__name__, tuple(self)))

    cls.__eq__, cls.__ne__, cls.__hash__ = __eq__, __ne__, __hash__
    return cls


@_typed
class Cause(NamedTuple):
    """Why a value changed. `kind` is 'node', 'choice', 'outcome' or 'trigger'."""

    kind: Literal["node", "choice", "outcome", "trigger"]
    node: str
    choice: str | None = None
    outcome: int | None = None  # 0-based index into the choice's outcomes
    trigger: str | None = None  # the trigger's id


@_typed
class NodeEntered(NamedTuple):
    node: str
    turn: int
    kind = "node_entered"


@_typed
class ChoiceMade(NamedTuple):
    node: str
    choice: str
    turn: int
    kind = "choice_made"


@_typed
class OutcomeDrawn(NamedTuple):
    node: str
    choice: str
    outcome: int
    goto: str
    turn: int
    kind = "outcome_drawn"


@_typed
class TriggerFired(NamedTuple):
    trigger: str
    index: int
    goto: str | None
    turn: int
    kind = "trigger_fired"


@_typed
class GaugeChanged(NamedTuple):
    """`delta` is new - old (after clamping); `requested` what the effect asked."""

    gauge: str
    old: int
    new: int
    delta: int
    requested: int
    cause: Cause
    turn: int
    kind = "gauge_changed"


@_typed
class VariableChanged(NamedTuple):
    variable: str
    old: Union[int, bool]
    new: Union[int, bool]
    cause: Cause
    turn: int
    kind = "variable_changed"


@_typed
class EndingReached(NamedTuple):
    ending: str
    tone: str
    turn: int
    kind = "ending_reached"


Event = Union[NodeEntered, ChoiceMade, OutcomeDrawn, TriggerFired, GaugeChanged, VariableChanged, EndingReached]


def event_to_dict(event: Event) -> dict:
    """A JSON-ready dict with the stable `kind` first (a cause as a dict too)."""
    out: dict = {"kind": event.kind}
    for name, value in event._asdict().items():
        out[name] = value._asdict() if isinstance(value, Cause) else value
    return out
