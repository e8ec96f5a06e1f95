"""The scenario, format 1, as frozen pydantic models.

`Scenario.model_validate(data)` checks the shape of one scenario (types, ids,
bounds, field-local rules). `check_references(scenario)` checks what spans
fields (gotos, names, effect types, expressions) and returns `Problem`s with
the path of the offending value, so a loader can point at a line.
`load_scenario(data)` does both and raises `ScenarioError` listing every
problem. Nothing here reads files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

from .expr import ExprError, compile_expr
from .names import INT_LIMIT, NAME_ID, RESERVED_NAMES, SCENARIO_ID, closest, did_you_mean

_NAME_RE = re.compile(NAME_ID)

Value = Union[StrictBool, StrictInt]
#: Every whole number of a scenario stays within ±10⁹ (values, bounds, scores, durations).
Bounded = Annotated[StrictInt, Field(ge=-INT_LIMIT, le=INT_LIMIT)]
Effects = dict[str, Value]

DEFAULT_GAUGE_LABELS: dict[str, dict[str, str]] = {
    "fr": {"relation": "Qualité de la relation", "exclusion": "Exclusion", "workload": "Charge de travail"},
    "en": {"relation": "Relationship quality", "exclusion": "Exclusion", "workload": "Workload"},
}
DEFAULT_GAUGES: dict[str, dict[str, Any]] = {
    "relation": {"start": 50, "min": 0, "max": 100, "good": "high"},
    "exclusion": {"start": 20, "min": 0, "max": 100, "good": "low"},
    "workload": {"start": 40, "min": 0, "max": 100, "good": "low"},
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Gauge(_Frozen):
    """A bounded integer the choices move; `good` says which way is better."""

    label: str = Field(description="Name shown to the player, e.g. 'Qualité de la relation'.")
    start: Bounded = Field(description="Value when play starts; within [min, max].")
    min: Bounded = Field(0, description="Lowest value (values are clamped).")
    max: Bounded = Field(100, description="Highest value (values are clamped).")
    good: Literal["high", "low"] = Field(description="Which direction is better for the people served.")
    description: str | None = Field(None, description="One sentence on what the gauge stands for (briefing).")

    @model_validator(mode="after")
    def _bounds(self) -> "Gauge":
        if self.min >= self.max:
            raise ValueError(f"min ({self.min}) must be lower than max ({self.max})")
        if not self.min <= self.start <= self.max:
            raise ValueError(f"start ({self.start}) is outside [min, max] = [{self.min}, {self.max}]")
        return self


class TextVariant(_Frozen):
    """One variant of a text: shown when `if` holds (always, without `if`)."""

    if_: str | None = Field(None, alias="if", description="Condition; the first variant that holds is shown.")
    text: str


Text = Union[str, list[TextVariant]]


class Message(_Frozen):
    """A message of an SMS thread (view: sms)."""

    from_: str = Field(alias="from", description="Who wrote it.")
    at: str | None = Field(None, description="Time shown beside it, e.g. '23:12'.")
    text: str
    sent: StrictBool = Field(False, description="True for a message the player sent earlier (right-hand bubble).")


class Criterion(_Frozen):
    label: str
    value: str


class Panel(_Frozen):
    """An algorithm's result card (view: dashboard)."""

    title: str
    tag: str | None = Field(None, description="The line above the card (default: the interface's 'algorithm result').")
    subject: str | None = None
    score: Bounded | None = None
    score_max: Bounded = 100
    criteria: list[Criterion] = Field(default_factory=list)
    recommendation: str | None = None
    confidence: Annotated[int, Field(ge=0, le=100)] | None = Field(None, description="Percentage 0-100.")


class Participant(_Frozen):
    """A tile of a video call (view: visio)."""

    name: str
    role: str | None = None
    connection: Literal["good", "unstable", "lost"] = "good"
    camera: StrictBool = True


class Outcome(_Frozen):
    """A weighted random branch of a choice."""

    weight: Union[StrictInt, float] = Field(description="Relative weight, > 0.")
    effects: Effects = Field(default_factory=dict)
    set: Effects = Field(default_factory=dict)
    feedback: str | None = None
    goto: str

    @field_validator("weight", mode="before")
    @classmethod
    def _positive(cls, v: Any) -> Any:
        # Checked before conversion: true, "3" or "inf" are not weights, and
        # a weight past INT_LIMIT (or infinite) would break rule 3's draw.
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ValueError("an outcome's weight must be a number")
        if not v > 0:
            raise ValueError("an outcome's weight must be greater than 0")
        if not v <= INT_LIMIT:
            raise ValueError(f"an outcome's weight must be at most {INT_LIMIT}")
        return v


class Choice(_Frozen):
    """An option offered at a node."""

    id: str | None = Field(None, pattern=NAME_ID, description="Stable id; default '<node>.<index>'.")
    text: str
    if_: str | None = Field(None, alias="if", description="Visibility condition; false hides the choice.")
    available_if: str | None = Field(None, description="False shows the choice disabled, with the hint.")
    unavailable_hint: str | None = None
    effects: Effects = Field(default_factory=dict)
    set: Effects = Field(default_factory=dict)
    feedback: str | None = None
    reply: str | None = Field(None, description="SMS view: the message the player sends with this choice.")
    goto: str | None = None
    outcomes: list[Outcome] | None = None

    @model_validator(mode="after")
    def _goto_xor_outcomes(self) -> "Choice":
        if self.goto is None and not self.outcomes:
            raise ValueError("a choice needs either 'goto' or 'outcomes'")
        if self.goto is not None and self.outcomes:
            raise ValueError("a choice has both 'goto' and 'outcomes'; keep one")
        return self


class Trigger(_Frozen):
    """Checked after every choice; the first that holds fires."""

    id: str | None = Field(None, pattern=NAME_ID)
    if_: str = Field(alias="if")
    effects: Effects = Field(default_factory=dict)
    set: Effects = Field(default_factory=dict)
    goto: str | None = None
    once: StrictBool = False


class Node(_Frozen):
    """A moment of the story where the player chooses."""

    view: Literal["narrative", "sms", "dashboard", "visio"] = "narrative"
    image: str | None = Field(None, description="Illustration, relative to the scenario folder.")
    title: str | None = None
    messages: list[Message] = Field(default_factory=list)
    panel: Panel | None = None
    participants: list[Participant] = Field(default_factory=list)
    text: Text = ""
    effects: Effects = Field(default_factory=dict)
    set: Effects = Field(default_factory=dict)
    choices: list[Choice] = Field(default_factory=list)


class Ending(_Frozen):
    """Where play finishes; `tone` is a hint for colour, never a score."""

    title: str
    text: Text = ""
    tone: Literal["positive", "mixed", "negative"] = "mixed"
    image: str | None = None


class Debrief(_Frozen):
    key_points: list[str] = Field(default_factory=list)
    #: Questions for the class to discuss after play (optional; shown in the debrief and the class report).
    questions: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)


class Scenario(_Frozen):
    """One scenario in one language (format 1)."""

    format: Literal[1] = Field(description="The scenario format version; always 1.")
    id: str = Field(pattern=SCENARIO_ID, description="Same in every language, [a-z0-9-]+.")
    language: str = Field(pattern=r"^[a-z]{2}$")
    title: str
    summary: str = ""
    audience: list[str] = Field(default_factory=list)
    duration_minutes: StrictInt | None = Field(None, ge=1, le=24 * 60)
    objectives: list[str] = Field(default_factory=list)
    content_warning: str | None = None
    gauges: dict[str, Gauge] = Field(default_factory=dict)
    variables: dict[str, Value] = Field(default_factory=dict)
    triggers: list[Trigger] = Field(default_factory=list)
    start: str
    nodes: dict[str, Node]
    endings: dict[str, Ending]
    debrief: Debrief = Field(default_factory=Debrief)

    @model_validator(mode="before")
    @classmethod
    def _default_gauges(cls, data: Any) -> Any:
        """Fill in the three default gauges, or the defaults' missing fields."""
        if not isinstance(data, dict):
            return data
        lang = data.get("language") if isinstance(data.get("language"), str) else "fr"
        labels = DEFAULT_GAUGE_LABELS.get(lang, DEFAULT_GAUGE_LABELS["en"])
        gauges = data.get("gauges")
        if gauges is None:
            gauges = {name: {} for name in DEFAULT_GAUGES}
        elif not isinstance(gauges, dict):
            return data
        filled: dict[str, Any] = {}
        for name, spec in gauges.items():
            if name in DEFAULT_GAUGES and isinstance(spec, dict):
                spec = {**DEFAULT_GAUGES[name], "label": labels[name], **spec}
            filled[name] = spec
        return {**data, "gauges": filled}

    def choice_ids(self, node_id: str) -> list[str]:
        """The ids of a node's choices, defaults included, in order."""
        return [c.id or f"{node_id}.{i}" for i, c in enumerate(self.nodes[node_id].choices, 1)]


# --------------------------------------------------------------------------
# Problems and cross-field checks


@dataclass(frozen=True, slots=True)
class Problem:
    """A located problem: `path` is the key path into the scenario data.

    `offset` is a character offset inside the string at `path` (e.g. the
    column of a bad name in an expression), for the loader to add.
    """

    path: tuple[str | int, ...]
    message: str
    hint: str | None = None
    severity: Literal["error", "warning"] = "error"
    offset: int = 0
    code: str = "invalid"
    key: bool = False  # True when the problem is the mapping key at `path`, not its value
    #: The parameters of the catalogue message for `code` (P204: {"name", "suggestion"}), so
    #: game.authoring can word the problem in the trainer's language; `message` stays the English one.
    params: Any = None


class ScenarioError(Exception):
    """The scenario is not valid; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = problems[0] if problems else None
        super().__init__(f"{len(problems)} problem(s); first: {first.message if first else '?'}")


def problems_from_validation_error(err: ValidationError) -> list[Problem]:
    """Pydantic errors as Problems whose path is pydantic's `loc`."""
    out: list[Problem] = []
    for e in err.errors(include_url=False):
        loc = tuple(_unalias(p) for p in e["loc"])
        # Pydantic puts the union member or validator name in loc; drop those.
        loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
        msg = e["msg"]
        kind = e["type"]
        if loc and loc[-1] == _UNION_TAGS.get(kind):  # ('effects', 'g', 'bool') -> ('effects', 'g')
            loc = loc[:-1]
        hint = None
        if kind == "extra_forbidden":
            key = loc[-1] if loc else "?"
            msg = f"unknown key '{key}'"
            hint = _unknown_key_hint(loc)
            out.append(Problem(loc, msg, hint, code="unknown-key", key=True))
            continue
        if kind == "missing":
            msg = f"missing required key '{loc[-1]}'" if loc else "missing required key"
            out.append(Problem(loc[:-1], msg, code="missing-key"))
            continue
        if kind == "string_pattern_mismatch":
            msg = f"'{e.get('input')}' is not a valid id (expected {e.get('ctx', {}).get('pattern', '')})"
        elif kind == "literal_error":
            expected = e.get("ctx", {}).get("expected", "")
            msg = f"{e.get('input')!r} is not allowed here: expected {expected}"
            hint = did_you_mean(str(e.get("input")), re.findall(r"'([^']*)'", expected))
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        out.append(Problem(loc, msg, hint, code=kind))
    # A union of bool|int reports one error per member: keep one per place,
    # and say in plain words what was expected there.
    codes_at: dict[tuple, set[str]] = {}
    for p in out:
        codes_at.setdefault(p.path, set()).add(p.code)
    seen: set[tuple] = set()
    unique = []
    for p in out:
        k = (p.path, "value" if p.code.endswith("_type") else p.code)
        if k in seen:
            continue
        seen.add(k)
        codes = codes_at[p.path]
        if {"bool_type", "int_type"} <= codes:
            p = Problem(p.path, "expected a whole number or true/false", None, code="value-type")
        elif p.code in _PLAIN_TYPE_MESSAGES:
            p = Problem(p.path, _PLAIN_TYPE_MESSAGES[p.code], p.hint, code="value-type")
        unique.append(p)
    return unique


_PLAIN_TYPE_MESSAGES = {
    "int_type": "expected a whole number, e.g. 10",
    "int_parsing": "expected a whole number, e.g. 10",
    "int_from_float": "expected a whole number, not a decimal",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "string_type": "expected text",
    "list_type": "expected a list (one '- ' item per line, or [a, b])",
    "dict_type": "expected a mapping of keys ('key: value' lines)",
    "model_type": "expected a mapping of keys ('key: value' lines)",
}


# The member name pydantic appends to `loc` for a union member's type error.
_UNION_TAGS = {"bool_type": "bool", "bool_parsing": "bool", "int_type": "int", "int_parsing": "int",
               "int_from_float": "int", "float_type": "float", "float_parsing": "float", "string_type": "str"}


def _unalias(p: Any) -> Any:
    return {"if_": "if", "from_": "from"}.get(p, p) if isinstance(p, str) else p


_KEYS_BY_PARENT = {
    "scenario": Scenario,
    "gauges": Gauge,
    "triggers": Trigger,
    "nodes": Node,
    "endings": Ending,
    "debrief": Debrief,
    "choices": Choice,
    "outcomes": Outcome,
    "messages": Message,
    "panel": Panel,
    "criteria": Criterion,
    "participants": Participant,
}


def _unknown_key_hint(loc: tuple) -> str | None:
    model = _model_for(loc[:-1])
    if model is None:
        return None
    names = [f.alias or n for n, f in model.model_fields.items()]
    hint = did_you_mean(str(loc[-1]), names)
    return hint or "allowed keys: " + ", ".join(names)


def _model_for(loc: tuple) -> type[BaseModel] | None:
    """The model whose fields live at `loc` (e.g. ('nodes','a','choices',0) -> Choice)."""
    model: type[BaseModel] = Scenario
    i = 0
    while i < len(loc):
        part = loc[i]
        if isinstance(part, str) and part in _KEYS_BY_PARENT and part != "scenario":
            model = _KEYS_BY_PARENT[part]
            # collections: skip the key/index that follows
            if part in ("gauges", "nodes", "endings", "triggers", "choices", "outcomes",
                        "messages", "criteria", "participants"):
                i += 1
        elif part == "text":
            model = TextVariant
            i += 1
        i += 1
    return model


def check_references(scenario: Scenario) -> list[Problem]:
    """Cross-field problems: names, gotos, effect types, expressions, ids."""
    probs: list[Problem] = []
    gauges, variables = scenario.gauges, scenario.variables
    types: dict[str, type] = {g: int for g in gauges}
    for name, value in variables.items():
        types[name] = bool if isinstance(value, bool) else int

    for name in gauges:
        if not _NAME_RE.fullmatch(name):
            probs.append(Problem(("gauges", name), f"'{name}' is not a valid gauge name (expected {NAME_ID})", key=True,
                                 code="P203", params={"value": name}))
        elif name in RESERVED_NAMES:
            probs.append(Problem(("gauges", name), f"'{name}' is a reserved word and cannot name a gauge", key=True,
                                 code="P228", params={"name": name, "what": "gauge"}))
    for name, value in variables.items():
        if not _NAME_RE.fullmatch(name):
            probs.append(Problem(("variables", name), f"'{name}' is not a valid variable name (expected {NAME_ID})", key=True,
                                 code="P203", params={"value": name}))
        elif name in RESERVED_NAMES:
            probs.append(Problem(("variables", name), f"'{name}' is a reserved word and cannot name a variable", key=True,
                                 code="P228", params={"name": name, "what": "variable"}))
        elif name in gauges:
            probs.append(Problem(("variables", name), f"'{name}' is both a gauge and a variable; names share one namespace", key=True,
                                 code="P229", params={"name": name}))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > INT_LIMIT:
            probs.append(Problem(("variables", name), f"{value} is too large (integers stay within ±{INT_LIMIT})",
                                 code="P227", params={"value": value, "limit": INT_LIMIT}))

    for nid in scenario.nodes:
        if not _NAME_RE.fullmatch(nid):
            probs.append(Problem(("nodes", nid), f"'{nid}' is not a valid node id (expected {NAME_ID})", key=True,
                                 code="P203", params={"value": nid}))
    for eid in scenario.endings:
        if not _NAME_RE.fullmatch(eid):
            probs.append(Problem(("endings", eid), f"'{eid}' is not a valid ending id (expected {NAME_ID})", key=True,
                                 code="P203", params={"value": eid}))
        if eid in scenario.nodes:
            probs.append(Problem(("endings", eid), f"'{eid}' is both a node and an ending; they share one namespace", key=True,
                                 code="P230", params={"name": eid}))
    targets = set(scenario.nodes) | set(scenario.endings)

    def goto(path: tuple, target: str | None) -> None:
        if target is not None and target not in targets:
            probs.append(Problem(path, f"unknown node or ending '{target}'", did_you_mean(target, targets), code="P204",
                                 params={"name": target, "suggestion": closest(target, targets)}))

    def expr(path: tuple, source: str | None) -> None:
        if source is None:
            return
        try:
            compile_expr(source, types)
        except ExprError as e:
            probs.append(Problem(path, e.message, e.hint, offset=e.offset, code=e.code, params=e.params))

    def effects(path: tuple, eff: dict, assign: bool) -> None:
        for name, value in eff.items():
            where = path + (name,)
            if name not in types:
                probs.append(Problem(where, f"unknown gauge or variable '{name}'", did_you_mean(name, types), code="P224",
                                     key=True, params={"name": name, "suggestion": closest(name, types)}))
                continue
            want = types[name]
            if want is bool and not isinstance(value, bool):
                probs.append(Problem(where, f"'{name}' is a boolean: give true or false, not {value}", code="P225",
                                     params={"name": name, "value": value}))
            elif want is int and isinstance(value, bool):
                example = "a number such as 60" if assign else "a number to add, such as 10 or -5"
                probs.append(Problem(where, f"'{name}' is a number: give {example}, not {str(value).lower()}",
                                     code="P226", params={"name": name, "value": str(value).lower(), "assign": assign}))
            elif want is int and abs(value) > INT_LIMIT:
                probs.append(Problem(where, f"{value} is too large (integers stay within ±{INT_LIMIT})", code="P227",
                                     params={"value": value, "limit": INT_LIMIT}))

    def text(path: tuple, t: Any) -> None:
        if isinstance(t, str):
            names(path, t)
            return
        for i, v in enumerate(t):
            expr(path + (i, "if"), v.if_)
            names(path + (i, "text"), v.text)

    def names(path: tuple, s: str | None) -> None:
        if not s:
            return
        for m in _PLACEHOLDER.finditer(s):
            if m.group(1) not in types:
                probs.append(Problem(path, f"unknown name '{{{m.group(1)}}}' in text", did_you_mean(m.group(1), types), offset=m.start(),
                                     code="P224", params={"name": m.group(1), "suggestion": closest(m.group(1), types)}))

    if scenario.start not in targets:
        goto(("start",), scenario.start)

    for i, trig in enumerate(scenario.triggers):
        p = ("triggers", i)
        expr(p + ("if",), trig.if_)
        effects(p + ("effects",), trig.effects, False)
        effects(p + ("set",), trig.set, True)
        goto(p + ("goto",), trig.goto)
    trig_ids = [t.id for t in scenario.triggers if t.id]
    for i, tid in enumerate(trig_ids):
        if tid in trig_ids[:i]:
            probs.append(Problem(("triggers", i, "id"), f"duplicate trigger id '{tid}'", code="P232", params={"trigger": tid}))

    for nid, node in scenario.nodes.items():
        p = ("nodes", nid)
        text(p + ("text",), node.text)
        names(p + ("title",), node.title)
        effects(p + ("effects",), node.effects, False)
        effects(p + ("set",), node.set, True)
        for j, msg in enumerate(node.messages):
            names(p + ("messages", j, "text"), msg.text)
        seen: dict[str, int] = {}
        for j, ch in enumerate(node.choices):
            cp = p + ("choices", j)
            cid = ch.id or f"{nid}.{j + 1}"
            if cid in seen:
                probs.append(Problem(cp + ("id",), f"duplicate choice id '{cid}' in node '{nid}'", code="P231",
                                     params={"choice": cid, "node": nid}))
            seen[cid] = j
            names(cp + ("text",), ch.text)
            names(cp + ("feedback",), ch.feedback)
            names(cp + ("unavailable_hint",), ch.unavailable_hint)
            expr(cp + ("if",), ch.if_)
            expr(cp + ("available_if",), ch.available_if)
            effects(cp + ("effects",), ch.effects, False)
            effects(cp + ("set",), ch.set, True)
            goto(cp + ("goto",), ch.goto)
            for k, out in enumerate(ch.outcomes or ()):
                op = cp + ("outcomes", k)
                names(op + ("feedback",), out.feedback)
                effects(op + ("effects",), out.effects, False)
                effects(op + ("set",), out.set, True)
                goto(op + ("goto",), out.goto)
    for eid, end in scenario.endings.items():
        names(("endings", eid, "title"), end.title)
        text(("endings", eid, "text"), end.text)
    return probs


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def load_scenario(data: Any) -> Scenario:
    """Validate plain data (as read from YAML) into a Scenario.

    Raises ScenarioError with every problem found (shape first; the
    cross-field checks run only on a well-shaped scenario).
    """
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(problems_from_validation_error(err)) from None
    problems = check_references(scenario)
    if problems:
        raise ScenarioError(problems)
    return scenario


def render_text(template: str, values: dict[str, Any]) -> str:
    """Fill `{name}` placeholders with values (booleans as true/false)."""

    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in values:
            return m.group(0)
        v = values[name]
        return ("true" if v else "false") if isinstance(v, bool) else str(v)

    return _PLACEHOLDER.sub(sub, template)
