"""Events: frozen, past-tense records of what a step did.

Every event has a stable `kind` string and `to_dict()` so the UI, the
debrief, the classroom log and the tests read the same data. Changes name
their `cause`: the node entered, the choice made, the outcome drawn or the
trigger fired.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal, Union


@dataclass(frozen=True, slots=True)
class Cause:
    """Why a value changed. `kind` is 'node', 'choice', 'outcome' or 'trigger'."""

    kind: Literal["node", "choice", "outcome", "trigger"]
    node: str
    choice: str | None = None
    outcome: int | None = None  # 0-based index into the choice's outcomes
    trigger: str | None = None  # the trigger's id


@dataclass(frozen=True, slots=True)
class NodeEntered:
    node: str
    turn: int
    kind = "node_entered"


@dataclass(frozen=True, slots=True)
class ChoiceMade:
    node: str
    choice: str
    turn: int
    kind = "choice_made"


@dataclass(frozen=True, slots=True)
class OutcomeDrawn:
    node: str
    choice: str
    outcome: int
    goto: str
    turn: int
    kind = "outcome_drawn"


@dataclass(frozen=True, slots=True)
class TriggerFired:
    trigger: str
    index: int
    goto: str | None
    turn: int
    kind = "trigger_fired"


@dataclass(frozen=True, slots=True)
class GaugeChanged:
    """`delta` is new - old (after clamping); `requested` what the effect asked."""

    gauge: str
    old: int
    new: int
    delta: int
    requested: int
    cause: Cause
    turn: int
    kind = "gauge_changed"


@dataclass(frozen=True, slots=True)
class VariableChanged:
    variable: str
    old: Union[int, bool]
    new: Union[int, bool]
    cause: Cause
    turn: int
    kind = "variable_changed"


@dataclass(frozen=True, slots=True)
class EndingReached:
    ending: str
    tone: str
    turn: int
    kind = "ending_reached"


Event = Union[NodeEntered, ChoiceMade, OutcomeDrawn, TriggerFired, GaugeChanged, VariableChanged, EndingReached]


def event_to_dict(event: Event) -> dict:
    """A JSON-ready dict with the stable `kind` first."""
    return {"kind": event.kind, **asdict(event)}
