"""The pure engine: scenario models, expressions, state, rules, replay, analysis.

Imports nothing of the project outside itself, and nothing but the standard
library and pydantic.
"""

from .events import (
    Cause,
    ChoiceMade,
    EndingReached,
    Event,
    GaugeChanged,
    NodeEntered,
    OutcomeDrawn,
    TriggerFired,
    VariableChanged,
    event_to_dict,
)
from .expr import Expr, ExprError, compile_expr
from .model import Problem, Scenario, ScenarioError, check_references, load_scenario, render_text
from .replay import Playthrough, Replay, SaveData, SaveError, dump_save, load_save, make_save, parse_save, replay
from .rules import ChoiceView, Rules, Successor, initial_state, resolve_text, rules_for, step, visible_choices
from .state import Rejected, State

__all__ = [
    "Cause", "ChoiceMade", "ChoiceView", "EndingReached", "Event", "Expr", "ExprError", "GaugeChanged",
    "NodeEntered", "OutcomeDrawn", "Playthrough", "Problem", "Rejected", "Replay", "SaveData", "SaveError",
    "Scenario", "ScenarioError", "State", "TriggerFired", "VariableChanged", "check_references",
    "Rules", "Successor", "compile_expr", "dump_save", "event_to_dict", "initial_state", "load_save", "load_scenario",
    "make_save", "parse_save", "render_text", "replay", "resolve_text", "rules_for", "step", "visible_choices",
]
