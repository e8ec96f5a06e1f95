"""A playthrough is scenario + seed + choice log; a save is that log.

`Playthrough` keeps every state so undo is dropping the last one. `replay`
rebuilds a playthrough from a log and stops, with a reason, at the first
choice that no longer applies (after a scenario edit). Saves are JSON
`{format, scenario_id, scenario_sha256, language, seed, choices}`; reading
and writing files belongs to the callers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from .events import Event
from .model import Scenario
from .rules import Rules, rules_for
from .state import Rejected, State

SAVE_FORMAT = 1


@dataclass(frozen=True)
class Playthrough:
    """An immutable playthrough; `choose` and `undo` return new ones."""

    rules: Rules
    seed: int
    choices: tuple[str, ...]
    states: tuple[State, ...]
    events: tuple[tuple[Event, ...], ...]  # events[0]: entering start; events[i]: choice i

    @classmethod
    def start(cls, scenario: Scenario | Rules, seed: int = 0) -> "Playthrough":
        rules = rules_for(scenario)
        state, events = rules.start(seed)
        return cls(rules, seed, (), (state,), (events,))

    @property
    def scenario(self) -> Scenario:
        return self.rules.scenario

    @property
    def state(self) -> State:
        return self.states[-1]

    @property
    def path(self) -> list[tuple[str, str]]:
        """(node, choice) for each choice made."""
        return [(s.node, c) for s, c in zip(self.states, self.choices)]

    def all_events(self) -> list[Event]:
        return [e for batch in self.events for e in batch]

    def choose(self, choice: str) -> "Playthrough | Rejected":
        result = self.rules.step(self.state, choice)
        if isinstance(result, Rejected):
            return result
        state, events = result
        return Playthrough(self.rules, self.seed, self.choices + (choice,),
                           self.states + (state,), self.events + (events,))

    def undo(self) -> "Playthrough":
        """The playthrough without its last choice (itself when there is none)."""
        if not self.choices:
            return self
        return Playthrough(self.rules, self.seed, self.choices[:-1], self.states[:-1], self.events[:-1])


@dataclass(frozen=True)
class Replay:
    """The result of replaying a log: how far it went, and why it stopped early."""

    playthrough: Playthrough
    stopped_at: int | None = None  # index in the log of the first choice that failed
    reason: str | None = None

    @property
    def complete(self) -> bool:
        return self.stopped_at is None


def replay(scenario: Scenario | Rules, seed: int, choices: list[str] | tuple[str, ...]) -> Replay:
    """Play `choices` from the start; stop at the first one that is refused.

    Linear in the number of choices (the playthrough's tuples are built once)."""
    rules = rules_for(scenario)
    state, events = rules.start(seed)
    made: list[str] = []
    states, batches = [state], [events]
    stopped = reason = None
    for i, choice in enumerate(choices):
        result = rules.step(state, choice)
        if isinstance(result, Rejected):
            stopped, reason = i, f"choice {i + 1} ('{choice}') no longer applies: {result.reason}"
            break
        state, events = result
        made.append(choice)
        states.append(state)
        batches.append(events)
    return Replay(Playthrough(rules, seed, tuple(made), tuple(states), tuple(batches)), stopped, reason)


class SaveData(BaseModel):
    """The content of a save file."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    format: StrictInt = Field(SAVE_FORMAT)
    scenario_id: str
    scenario_sha256: str
    language: str
    seed: StrictInt
    choices: tuple[str, ...]


class SaveError(Exception):
    """A save that cannot be read; the message says why, for a person."""


def make_save(playthrough: Playthrough, scenario_sha256: str) -> SaveData:
    sc = playthrough.scenario
    return SaveData(format=SAVE_FORMAT, scenario_id=sc.id, scenario_sha256=scenario_sha256,
                    language=sc.language, seed=playthrough.seed, choices=playthrough.choices)


def dump_save(save: SaveData) -> str:
    return json.dumps(save.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def parse_save(text: str | bytes) -> SaveData:
    """Parse a save file's content. Raises SaveError with a readable reason."""
    try:
        data: Any = json.loads(text)
    except (ValueError, UnicodeDecodeError) as e:
        raise SaveError(f"the save is not valid JSON ({e})") from None
    except RecursionError:  # json recurses on nesting: '[[[[...' is not a save
        raise SaveError("the save is not valid JSON (nested too deeply)") from None
    if not isinstance(data, dict):
        raise SaveError("the save is not a JSON object")
    if data.get("format") != SAVE_FORMAT:
        raise SaveError(f"unsupported save format {data.get('format')!r} (expected {SAVE_FORMAT})")
    try:
        return SaveData.model_validate(data)
    except ValidationError as e:
        first = e.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SaveError(f"the save is damaged: {where}: {first['msg']}") from None


def load_save(scenario: Scenario | Rules, save: SaveData) -> Replay:
    """Replay a save against a scenario (which must have the save's id)."""
    scenario = rules_for(scenario)
    if save.scenario_id != scenario.scenario.id:
        raise SaveError(f"this save belongs to scenario '{save.scenario_id}', not '{scenario.scenario.id}'")
    return replay(scenario, save.seed, save.choices)
