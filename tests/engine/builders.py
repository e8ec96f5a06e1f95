"""Small scenarios written inline, for the unit tests of the engine."""

from __future__ import annotations

import copy
from typing import Any

from game.engine import Scenario, load_scenario


def gauge(start: int, lo: int = 0, hi: int = 100, good: str = "high") -> dict[str, Any]:
    return {"label": "G", "start": start, "min": lo, "max": hi, "good": good}


def scenario_data(**fields: Any) -> dict[str, Any]:
    """A minimal valid scenario as data; `fields` replace top-level keys.

    Defaults: one gauge `g` (50 in [0, 100]), variables `flag` (false) and
    `n` (0); node `a` with one choice `go` to ending `end`.
    """
    data: dict[str, Any] = {
        "format": 1,
        "id": "test",
        "language": "fr",
        "title": "Test",
        "gauges": {"g": gauge(50)},
        "variables": {"flag": False, "n": 0},
        "start": "a",
        "nodes": {"a": {"text": "A", "choices": [{"id": "go", "text": "Go", "goto": "end"}]}},
        "endings": {"end": {"title": "End", "tone": "positive"}},
    }
    data.update(copy.deepcopy(fields))
    return data


def make(**fields: Any) -> Scenario:
    """`scenario_data(**fields)` loaded (raises ScenarioError if invalid)."""
    return load_scenario(scenario_data(**fields))
