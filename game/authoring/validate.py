"""Plain data -> Scenario, collecting every problem in one run.

The engine's `load_scenario` checks the shape first and the references
(gotos, names, expressions) only on a well-shaped scenario, so one typo
hides the rest. Here, when the shape is wrong, the broken parts are replaced
by neutral stubs (a broken choice by an empty one, a broken node by an empty
node, an unknown key is dropped...) until the whole validates, and the
reference checks run on that repaired copy; problems inside stubs, or caused
by them, are dropped. Pydantic's messages are reworded for trainers.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any

from pydantic import BaseModel, ValidationError

from game.engine.model import (
    Choice,
    Criterion,
    Debrief,
    Ending,
    Gauge,
    Message,
    Node,
    Outcome,
    Panel,
    Participant,
    DEFAULT_GAUGES,
    Problem,
    Scenario,
    TextVariant,
    Trigger,
    check_references,
)

#: An ending added to the repaired copy, as the target of stubbed gotos.
STUB = "_pandore_stub_"

_NAME_WORDS = ("use only lowercase letters a-z, digits and '_', starting with a letter or '_' "
               "(no spaces, accents or capitals)")
_SCENARIO_ID_WORDS = "use only lowercase letters a-z, digits and '-' (no spaces, accents or capitals)"
_NAME_PATTERN = "(expected ^[a-z_][a-z0-9_]*$)"


def validate(data: Any) -> tuple[Scenario | None, list[Problem]]:
    """The scenario (None when there is any error) and every problem found."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        problems = shape_problems(err.errors(include_url=False))
        return None, problems + _references_despite(data, err)
    problems = [refine(p, data) for p in check_references(scenario)]
    if any(p.severity == "error" for p in problems):
        return None, problems
    return scenario, problems


# --------------------------------------------------------------------------
# Pydantic errors in plain words

_MODELS_AT = {
    "gauges": Gauge, "triggers": Trigger, "nodes": Node, "endings": Ending, "debrief": Debrief,
    "choices": Choice, "outcomes": Outcome, "messages": Message, "panel": Panel, "criteria": Criterion,
    "participants": Participant,
}
_COLLECTIONS = {"gauges", "nodes", "endings", "triggers", "choices", "outcomes", "messages", "criteria",
                "participants"}


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model whose fields live at `loc` (('nodes', 'a', 'choices', 0) -> Choice)."""
    model: type[BaseModel] | None = Scenario
    i = 0
    while i < len(loc):
        part = loc[i]
        if model is not None and isinstance(part, str) and part in _MODELS_AT and part in _fields(model):
            model = _MODELS_AT[part]
            if part in _COLLECTIONS:
                i += 1
        elif part == "text" and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            model = TextVariant
            i += 1
        elif part in ("effects", "set", "variables", "audience", "objectives", "key_points", "sources"):
            return None
        i += 1
    return model


def _fields(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def _clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's union-member tags ('str', 'list[TextVariant]', 'int'...) from a location."""
    out: list = []
    for i, p in enumerate(loc):
        if isinstance(p, str) and ("[" in p or p.startswith("function-")):
            continue
        if isinstance(p, str) and p in ("str", "int", "bool", "float") and i > 0:
            prev = loc[i - 1]
            before = loc[i - 2] if i > 1 else None
            if prev in ("text", "weight") or before in ("variables", "effects", "set"):
                continue
        out.append({"if_": "if", "from_": "from"}.get(p, p) if isinstance(p, str) else p)
    return tuple(out)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return type(value).__name__


def shape_problems(errors: list[dict]) -> list[Problem]:
    """Pydantic errors as located Problems in plain words, one per place."""
    # A union (text: str | variants; values: bool | int) reports once per member.
    # When the input had one member's shape (a list of variants), keep that
    # member's errors; otherwise report one type error for the place.
    groups: dict[tuple, list[dict]] = {}
    for e in errors:
        raw = tuple(e["loc"])
        member = next((i for i, p in enumerate(raw) if isinstance(p, str) and "[" in p), None)
        if member is not None:
            groups.setdefault(_clean_loc(raw[:member]), []).append(e)
    dropped = set()
    for base, errs in groups.items():
        if any(len(_clean_loc(tuple(e["loc"]))) > len(base) for e in errs):
            dropped.add(base)  # the input was a list of variants: its own errors say more
    out: list[Problem] = []
    seen: set[tuple] = set()
    for e in errors:
        loc = _clean_loc(tuple(e["loc"]))
        kind = e["type"]
        if loc in dropped and kind == "string_type":
            continue
        p = _plain(loc, kind, e)
        k = (p.path, p.key, p.message)
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out


def _plain(loc: tuple, kind: str, e: dict) -> Problem:
    value = e.get("input")
    ctx = e.get("ctx") or {}
    last = loc[-1] if loc else None
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        names = _fields(model) if model else []
        hint = _did_you_mean(str(last), names) or ("allowed keys here: " + ", ".join(names) if names else None)
        return Problem(loc, f"unknown key '{last}'", hint, code="unknown-key", key=True)
    if kind == "missing":
        where = _where(loc[:-1])
        return Problem(loc[:-1], f"missing required key '{last}'{where}", _missing_hint(loc), code="missing-key")
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == r"^[a-z0-9-]+$":
            return Problem(loc, f"'{value}' is not a valid scenario id: {_SCENARIO_ID_WORDS}",
                           _slug_hint(str(value), "-"), code="bad-id")
        if ctx.get("pattern") == r"^[a-z]{2}$":
            return Problem(loc, f"'{value}' is not a language code: use two lowercase letters, e.g. fr or en",
                           code="bad-language")
        return Problem(loc, f"'{value}' is not a valid id: {_NAME_WORDS}", _slug_hint(str(value), "_"),
                       code="bad-id")
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        if loc == ("format",):
            return Problem(loc, f"this file says format {value!r}; this version of Pandore reads format 1",
                           "write 'format: 1'", code="format")
        options = re.findall(r"'([^']*)'", expected)
        return Problem(loc, f"{_show(value)} is not allowed here: expected {expected}",
                       _did_you_mean(str(value), options), code="literal")
    if kind == "value_error":
        msg = str(ctx.get("error") or e.get("msg", "")).removeprefix("Value error, ")
        path = loc
        if loc and loc[0] == "gauges" and len(loc) == 2:
            for field in ("start", "min"):
                if msg.startswith(f"{field} (") and isinstance(value, dict) and field in value:
                    path = loc + (field,)
                    break
        key = False
        if msg.startswith("a choice has both") and isinstance(value, dict) and "outcomes" in value:
            path, key = loc + ("outcomes",), True
        return Problem(path, msg, code="invalid", key=key)
    if kind in ("string_type",):
        hint = None
        if isinstance(value, (int, float, bool)):
            hint = f"put it in quotes to make it text: \"{_yaml_scalar(value)}\""
        elif isinstance(value, list):
            hint = "give one text, not a list" if last != "text" else "a list of variants looks like: - {if: ..., text: ...}"
        return Problem(loc, f"expected text here, not {_describe(value)}", hint, code="type")
    if kind in ("int_type", "int_parsing", "int_from_float", "bool_type", "bool_parsing", "float_type",
                "float_parsing"):
        if loc and (loc[0] == "variables" and len(loc) == 2 or (len(loc) >= 2 and loc[-2] in ("effects", "set"))):
            return Problem(loc, f"expected a whole number or true/false here, not {_describe(value)}",
                           "numbers add to a gauge or variable; true/false set a true/false variable",
                           code="type")
        if kind.startswith("bool"):
            return Problem(loc, f"expected true or false here, not {_describe(value)}", code="type")
        if last == "weight":
            return Problem(loc, f"an outcome's weight must be a number greater than 0, not {_describe(value)}",
                           code="type")
        if kind == "int_from_float":
            return Problem(loc, f"expected a whole number here, not {value}", code="type")
        return Problem(loc, f"expected a whole number here, not {_describe(value)}", code="type")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        model = _model_at(loc)
        keys = f" ({', '.join(_fields(model)[:5])}, ...)" if model and loc else ""
        return Problem(loc, f"expected a mapping of keys{keys} here, not {_describe(value)}",
                       "a mapping is written as indented 'key: value' lines", code="type")
    if kind == "list_type":
        return Problem(loc, f"expected a list here, not {_describe(value)}",
                       "a list is written as lines starting with '- ', or [a, b]", code="type")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "?")
        words = {"greater_than_equal": "at least", "greater_than": "more than",
                 "less_than_equal": "at most", "less_than": "less than"}[kind]
        return Problem(loc, f"{_show(value)} is too {'small' if 'greater' in kind else 'large'}: "
                            f"it must be {words} {bound}", code="range")
    return Problem(loc, e.get("msg", "invalid value"), code=kind)


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else _yaml_scalar(value)


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _where(loc: tuple) -> str:
    if len(loc) >= 4 and loc[0] == "nodes" and loc[2] == "choices":
        return f" in choice {loc[3] + 1} of node '{loc[1]}'" if isinstance(loc[3], int) else ""
    if len(loc) == 2 and loc[0] in ("nodes", "endings", "gauges"):
        return f" in {loc[0][:-1]} '{loc[1]}'"
    if len(loc) == 2 and loc[0] == "triggers" and isinstance(loc[1], int):
        return f" in trigger {loc[1] + 1}"
    return ""


def _missing_hint(loc: tuple) -> str | None:
    last = loc[-1]
    if loc[:-1] and loc[0] == "gauges" and len(loc) == 3:
        return {"label": "the name shown to players, e.g. label: Secret professionnel",
                "start": "the value at the start, e.g. start: 50",
                "good": "which way is better for the people served: good: high or good: low"}.get(last)
    return {"format": "write 'format: 1' on the first line",
            "start": "the id of the first node, e.g. start: soir",
            "goto": "where this leads: the id of a node or an ending"}.get(last)


def _did_you_mean(word: str, candidates: Any) -> str | None:
    match = difflib.get_close_matches(word, [c for c in candidates if c != STUB], n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None


def _slug_hint(value: str, sep: str) -> str | None:
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", sep, text).strip(sep)
    if sep == "_" and slug[:1].isdigit():
        slug = "_" + slug
    return f"for example '{slug}'" if slug and slug != value else None


def refine(p: Problem, data: Any = None) -> Problem:
    """Reword an engine reference problem for trainers (ids in plain words, more hints)."""
    if p.code == "unknown-name" and p.hint is None and p.key:
        name = p.path[-1]
        if name in DEFAULT_GAUGES and isinstance(data, dict) and isinstance(data.get("gauges"), dict):
            return Problem(p.path, p.message, f"the default gauges apply only when 'gauges' is omitted: add "
                                              f"'{name}: {{}}' under 'gauges:'", p.severity, p.offset, p.code, p.key)
    if p.code == "unknown-goto" and p.hint is None and isinstance(data, dict):
        targets = [t for part in ("nodes", "endings") if isinstance(data.get(part), dict) for t in data[part]]
        if targets:
            shown = ", ".join(str(t) for t in targets[:12]) + (", ..." if len(targets) > 12 else "")
            return Problem(p.path, p.message, f"the nodes and endings are: {shown}", p.severity, p.offset,
                           p.code, p.key)
    if _NAME_PATTERN in p.message:
        head = p.message.replace(f" {_NAME_PATTERN}", "")
        name = re.match(r"'([^']*)'", head)
        hint = _slug_hint(name.group(1), "_") if name else None
        return Problem(p.path, f"{head}: {_NAME_WORDS}", p.hint or hint, p.severity, p.offset, "bad-id", p.key)
    return p


# --------------------------------------------------------------------------
# Reference checks despite shape errors

#: Fields that can be replaced by a neutral value without hiding references.
_NEUTRAL = {
    "text": "", "title": "", "label": "", "summary": "", "feedback": None, "reply": None,
    "unavailable_hint": None, "image": None, "view": None, "messages": None, "panel": None,
    "participants": None, "tone": None, "description": None, "content_warning": None,
    "audience": None, "objectives": None, "duration_minutes": None, "debrief": None, "once": None,
}
_TOP_STUBS = {"format": 1, "id": "stub", "language": "fr", "title": "", "start": STUB}


class _GiveUp(Exception):
    pass


def _references_despite(data: Any, err: ValidationError) -> list[Problem]:
    """Reference problems of a scenario whose shape is wrong, found on a repaired copy."""
    if not isinstance(data, dict):
        return []
    for key, kind in (("nodes", dict), ("endings", dict), ("gauges", dict), ("variables", dict), ("triggers", list)):
        if key in data and not isinstance(data[key], kind):
            return []
    if not isinstance(data.get("nodes"), dict) or not isinstance(data.get("endings"), dict):
        return []
    d = dict(data)
    d["endings"] = {**data["endings"], STUB: {"title": ""}}
    stubbed: list[tuple] = []
    stub_names: set[str] = set()
    errors = err.errors(include_url=False)
    try:
        for _ in range(6):
            for e in errors:
                _repair(d, _clean_loc(tuple(e["loc"])), e["type"], stubbed, stub_names)
            try:
                scenario = Scenario.model_validate(d)
                break
            except ValidationError as again:
                errors = again.errors(include_url=False)
        else:
            return []
        problems = check_references(scenario)
    except (_GiveUp, RecursionError):
        return []
    out = []
    for p in problems:
        if any(p.path[: len(s)] == s for s in stubbed):
            continue
        if STUB in p.message or (stub_names and _mentions(p, d, stub_names)):
            continue
        out.append(refine(p, data))
    return out


def _mentions(p: Problem, data: dict, names: set[str]) -> bool:
    if p.key and p.path and p.path[-1] in names:
        return True
    value: Any = data
    for part in p.path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return False
    if isinstance(value, str):
        return any(re.search(rf"\b{re.escape(n)}\b", value) for n in names)
    return False


def _get(d: Any, path: tuple) -> Any:
    for part in path:
        d = d[part]
    return d


def _own(d: dict, path: tuple) -> Any:
    """The container at `path`, copied along the way so the input is never modified."""
    cur: Any = d
    for part in path:
        child = cur[part]
        child = dict(child) if isinstance(child, dict) else list(child) if isinstance(child, list) else child
        cur[part] = child
        cur = child
    return cur


def _set(d: dict, path: tuple, value: Any, stubbed: list[tuple]) -> None:
    parent = _own(d, path[:-1])
    if value is None and isinstance(parent, dict):
        parent.pop(path[-1], None)
    else:
        parent[path[-1]] = value
    stubbed.append(path)


def _repair(d: dict, loc: tuple, kind: str, stubbed: list[tuple], stub_names: set[str]) -> None:
    try:
        _get(d, loc[:-1]) if kind in ("extra_forbidden", "missing") else _get(d, loc)
    except (KeyError, IndexError, TypeError):
        return  # already replaced by an earlier repair
    if not loc:
        raise _GiveUp
    if kind == "extra_forbidden":
        parent = _own(d, loc[:-1])
        if isinstance(parent, dict):
            parent.pop(loc[-1], None)
        stubbed.append(loc)
        return
    head = loc[0]
    if len(loc) == 1:
        key = loc[0]
        if key in _TOP_STUBS:
            _set(d, (key,), _TOP_STUBS[key], stubbed)
        elif key in _NEUTRAL or key == "triggers":
            _set(d, (key,), [] if key == "triggers" else None, stubbed)
        else:
            raise _GiveUp
        return
    if head == "nodes":
        if len(loc) == 2:
            _set(d, loc, {}, stubbed)
        elif loc[2] == "choices" and len(loc) >= 4 and isinstance(loc[3], int):
            sub = loc[4] if len(loc) > 4 else None
            if sub in _NEUTRAL:
                _set(d, loc[:5], _NEUTRAL[sub], stubbed)
            elif sub == "outcomes" and len(loc) >= 6 and isinstance(loc[5], int):
                if len(loc) > 6 and loc[6] == "feedback":
                    _set(d, loc[:7], None, stubbed)
                else:
                    _set(d, loc[:6], {"weight": 1, "goto": STUB}, stubbed)
            else:
                _set(d, loc[:4], {"text": "", "goto": STUB}, stubbed)
        elif loc[2] == "choices":
            _set(d, loc[:3], [], stubbed)
        elif loc[2] in _NEUTRAL:
            _set(d, loc[:3], _NEUTRAL[loc[2]], stubbed)
        else:
            _set(d, loc[:2], {}, stubbed)
    elif head == "endings":
        if len(loc) > 2 and loc[2] in _NEUTRAL:
            _set(d, loc[:3], _NEUTRAL[loc[2]], stubbed)
        else:
            _set(d, loc[:2], {"title": ""}, stubbed)
    elif head == "gauges":
        if len(loc) > 2 and loc[2] == "description":
            _set(d, loc[:3], None, stubbed)
        else:
            _set(d, loc[:2], {"label": "", "start": 0, "min": 0, "max": 100, "good": "high"}, stubbed)
    elif head == "variables":
        _set(d, loc[:2], 0, stubbed)
        stub_names.add(str(loc[1]))
    elif head == "triggers":
        _set(d, loc[:2], {"if": "false"}, stubbed)
    elif head == "debrief":
        _set(d, ("debrief",), None, stubbed)
    else:
        raise _GiveUp
