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

from .diagnostics import Msg

from game.engine import Rules, ScenarioError
from game.engine.model import (
    DEFAULT_GAUGE_LABELS,
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



#: Control characters (but tab and newlines), which no text of a scenario needs.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: DESIGN.md's limits, so that no accepted file can hang a tool or the window.
MAX_CHOICES = 50
MAX_OUTCOMES = 20
MAX_TEXT = 10_000


def limit_problems(data: Any) -> list[Problem]:
    """Too many choices at a node (P234), outcomes in a choice (P234), a text too long (P235) or
    with a control character (P239).

    A first walk only looks (no path is built: a clean file, by far the most
    common, costs one pass over its values); the walk that locates each
    problem runs only when there is one."""
    if type(data) is not dict:
        return _limits_located(data)
    strings: list[str] = []
    todo: list = [data]
    longest = 0
    while todo:
        value = todo.pop()
        if type(value) is dict:
            for key in ("choices", "outcomes"):
                got = value.get(key)
                if type(got) is list and len(got) > (MAX_CHOICES if key == "choices" else MAX_OUTCOMES):
                    return _limits_located(data)
            items = value.values()
        else:
            items = value
        for v in items:
            t = type(v)
            if t is str:
                strings.append(v)
                if len(v) > longest:
                    longest = len(v)
            elif t is dict or t is list:
                todo.append(v)
            elif isinstance(v, (str, dict, list)):  # a subclass: the located walk reads it as it is
                return _limits_located(data)
    if longest > MAX_TEXT or _CONTROL.search("\n".join(strings)):
        return _limits_located(data)
    return []


def _limits_located(data: Any) -> list[Problem]:
    out: list[Problem] = []
    todo: list[tuple[tuple, Any]] = [((), data)]
    while todo:
        path, value = todo.pop()
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                out.append(_P(path, "P235", {"count": len(value), "limit": MAX_TEXT}))
            bad = _CONTROL.search(value)
            if bad:  # "\e", "\0", "\a" written as YAML escapes: they would act on a terminal or stop the window
                out.append(_P(path, "P239", {"code": f"U+{ord(bad.group(0)):04X}", "offset": bad.start() + 1}))
        elif isinstance(value, dict):
            todo += [(path + (k,), v) for k, v in value.items()]
        elif isinstance(value, list):
            limit = MAX_CHOICES if path[-1:] == ("choices",) else MAX_OUTCOMES if path[-1:] == ("outcomes",) else None
            if limit is not None and len(value) > limit:
                out.append(_P(path, "P234", {"count": len(value), "limit": limit}, key=True))
            todo += [(path + (i,), v) for i, v in enumerate(value)]
    return sorted(out, key=lambda p: [str(x) for x in p.path])


def validate(data: Any) -> tuple[Scenario | None, list[Problem], Rules | None]:
    """The scenario and its compiled rules (both None when there is any error), and every problem found."""
    limits = limit_problems(data)
    scenario, problems, rules = _validate(data)
    return (None, limits + problems, None) if limits else (scenario, problems, rules)


def _validate(data: Any) -> tuple[Scenario | None, list[Problem], Rules | None]:
    endings = endings_under_nodes(data)
    if endings:  # read them as the nodes they are (without an ending's 'tone'), said once by P233
        data = {**data, "nodes": {nid: ({k: v for k, v in n.items() if k != "tone"} if nid in endings else n)
                                  for nid, n in data["nodes"].items()}}
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        problems = _name_outcomes(_decimal_weights(shape_problems(err.errors(include_url=False)), data), data)
        return None, endings_problems(endings) + problems + _references_despite(data, err), None
    # The compiler is strict (it builds nothing with a broken reference): the reference checks,
    # which say where and why, run only when it refuses (tests/engine/test_strict_compile.py).
    try:
        rules = Rules.compile(scenario)
        references: list[Problem] = []
    except ScenarioError:
        rules, references = None, check_references(scenario)
    problems = endings_problems(endings) + [refine(p, data) for p in references]
    if scenario.start in scenario.endings and scenario.start not in scenario.nodes:  # the engine allows it; a trainee would see only an ending
        problems.append(_P(("start",), "P236", {"ending": scenario.start}))
    if any(p.severity == "error" for p in problems):
        return None, problems, None
    return scenario, problems, rules


def _name_outcomes(problems: list[Problem], data: Any) -> list[Problem]:
    """Name the outcome a problem is in by its number and its choice's id ('le tirage n° 2 du choix
    « laisser_trancher »'), for the problems whose message says where they are."""
    out = []
    for p in problems:
        path = p.path
        if len(path) >= 6 and path[0] == "nodes" and path[2] == "choices" and path[4] == "outcomes" \
                and isinstance(path[3], int) and isinstance(path[5], int) and p.params is not None:
            choice = _value_at(data, path[:4])
            cid = choice.get("id") if isinstance(choice, dict) and isinstance(choice.get("id"), str) \
                else f"{path[1]}.{path[3] + 1}"
            params = dict(p.params)
            if p.code == "P202" and len(path) == 6:
                params["where"] = Msg("diag.where.outcome", n=path[5] + 1, choice=cid)
            else:
                params["of"] = Msg("diag.of_outcome", n=path[5] + 1, choice=cid)
            p = Problem(p.path, p.message, p.hint, p.severity, p.offset, p.code, p.key, params)
        out.append(p)
    return out


def _decimal_weights(problems: list[Problem], data: Any) -> list[Problem]:
    """`{weight: 0,5, goto: x}` reads as weight 0 and a key '5': one problem, the decimal comma."""
    out = list(problems)
    for p in problems:
        if p.code == "P201" and len(p.path) >= 3 and p.path[-3] == "outcomes" and str(p.path[-1]).isdigit():
            outcome = _value_at(data, p.path[:-1])
            weight = outcome.get("weight") if isinstance(outcome, dict) else None
            if isinstance(weight, int) and not isinstance(weight, bool):
                written = f"{weight},{p.path[-1]}"
                out = [q for q in out if q is not p and not (q.code == "P219" and q.path[:-1] == p.path[:-1])]
                out.append(_P(p.path[:-1] + ("weight",), "P218", {
                    "got": _Ident(written), "_hint": Msg("diag.fix.decimal_comma", value=written.replace(",", "."))}))
    return out


def endings_under_nodes(data: Any) -> list[str]:
    """The nodes without any choice: endings written under `nodes:` (a node without choices is a dead end)."""
    nodes = data.get("nodes") if isinstance(data, dict) else None
    if not isinstance(nodes, dict):
        return []
    return [nid for nid, n in nodes.items() if isinstance(n, dict) and not n.get("choices") and "choices" not in n
            and ("tone" in n or "title" in n)]


def endings_problems(endings: list[str]) -> list[Problem]:
    return [_P(("nodes", nid), "P233", {"node": nid}, key=True, severity="warning") for nid in endings]


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
        elif part in ("effects", "set", "variables", "audience", "objectives", "key_points", "questions", "sources"):
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


def _got(value: Any) -> Msg:
    """What a value is, in the trainer's words ("un nombre", "a list"...)."""
    if isinstance(value, bool):
        return Msg("diag.got.bool")
    if isinstance(value, float):
        return Msg("diag.got.decimal", value=_yaml_scalar(value))
    if isinstance(value, int):
        return Msg("diag.got.number")
    if isinstance(value, str):
        return Msg("diag.got.text")
    if isinstance(value, list):
        return Msg("diag.got.list")
    if isinstance(value, dict):
        return Msg("diag.got.mapping")
    return Msg("diag.got.nothing")


def _describe(value: Any) -> str:
    return _got(value).render("en")


def _P(loc: tuple, code: str, params: dict | None = None, *, key: bool = False, severity: str = "error",
       offset: int = 0) -> Problem:
    """A problem worded by the catalogue (the English message is kept for the engine's callers)."""
    params = params or {}
    from .diagnostics import render

    return Problem(loc, render(code, params, "en") or code, None, severity, offset, code, key, params)


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
        k = (p.path, p.key, p.code)
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
        suggestion = _closest(str(last), names)
        return _P(loc, "P201", {"key": last, "suggestion": suggestion, "allowed": ", ".join(names),
                                **({"_hint": ""} if suggestion or not names else {})}, key=True)
    if kind == "missing":
        return _P(loc[:-1], "P202", {"key": last, "where": _where(loc[:-1]),
                                     **({"_hint": h} if (h := _missing_hint(loc)) else {})})
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == r"^[a-z0-9-]+$":
            return _P(loc, "P205", {"value": value, **_slug(str(value), "-")})
        if ctx.get("pattern") == r"^[a-z]{2}$":
            return _P(loc, "P206", {"value": value})
        return _P(loc, "P203", {"value": value, **_slug(str(value), "_")})
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        if loc == ("format",):
            return _P(loc, "P207", {"value": _show(value)})
        options = re.findall(r"'([^']*)'", expected)
        return _P(loc, "P208", {"value": _Ident(value) if isinstance(value, str) else _show(value),
                                "expected": _Or(options), "suggestion": _closest(str(value), options, any_word=True)})
    if kind == "value_error":
        msg = str(ctx.get("error") or e.get("msg", "")).removeprefix("Value error, ")
        path = loc
        if loc and loc[0] == "gauges" and len(loc) == 2:
            for field in ("start", "min"):
                if msg.startswith(f"{field} (") and isinstance(value, dict) and field in value:
                    path = loc + (field,)
                    break
        if msg.startswith("a choice has both") and isinstance(value, dict) and "outcomes" in value:
            return _P(loc + ("outcomes",), "P217", key=True)
        if msg.startswith("a choice needs either"):
            return _P(path, "P216")
        if msg.startswith("an outcome's weight must be a number"):
            return _weight(path, value)
        if msg.startswith("an outcome's weight must be greater"):
            return _P(path, "P219")
        if msg.startswith("an outcome's weight must be at most"):
            return _P(path, "P220", {"limit": 10**9})
        m = re.match(r"min \((-?\d+)\) must be lower than max \((-?\d+)\)", msg)
        if m:
            return _P(path, "P221", {"min": m.group(1), "max": m.group(2)})
        m = re.match(r"start \((-?\d+)\) is outside \[min, max\] = \[(-?\d+), (-?\d+)\]", msg)
        if m:
            return _P(path, "P222", {"start": m.group(1), "min": m.group(2), "max": m.group(3)})
        return _P(path, "P123", {"detail": msg})
    if kind in ("string_type",):
        fix = None
        if isinstance(value, (int, float, bool)):
            fix = Msg("diag.fix.quote", value=_yaml_scalar(value))
        elif isinstance(value, list):
            fix = Msg("diag.fix.one_text") if last != "text" else Msg("diag.fix.variants")
        return _P(loc, "P209", {"got": _got(value), "_hint": fix or ""})
    if kind in ("int_type", "int_parsing", "int_from_float", "bool_type", "bool_parsing", "float_type",
                "float_parsing"):
        if loc and (loc[0] == "variables" and len(loc) == 2 or (len(loc) >= 2 and loc[-2] in ("effects", "set"))):
            return _P(loc, "P223", {"name": last, "got": _got(value)})
        if kind.startswith("bool"):
            return _P(loc, "P211", {"got": _got(value)})
        if last == "weight":
            return _weight(loc, value)
        fix = ""
        if isinstance(value, float):
            fix = Msg("diag.fix.whole", value=round(value))
        elif isinstance(value, str) and re.fullmatch(r"-?\d+[,.]\d+", value.strip()):
            fix = Msg("diag.fix.whole", value=round(float(value.replace(",", "."))))
        return _P(loc, "P210", {"got": _got(value), "_hint": fix})
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        model = _model_at(loc)
        keys = f" ({', '.join(_fields(model)[:5])}, ...)" if model and loc else ""
        return _P(loc, "P212", {"keys": keys, "got": _got(value)})
    if kind == "list_type":
        return _P(loc, "P213", {"got": _got(value)})
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "?")
        if kind == "greater_than":
            bound = f"> {bound}"
        elif kind == "less_than":
            bound = f"< {bound}"
        return _P(loc, "P214" if "greater" in kind else "P215", {"value": _show(value), "bound": bound})
    return _P(loc, "P123", {"detail": e.get("msg", "invalid value")})


def _weight(loc: tuple, value: Any) -> Problem:
    fix = ""
    if isinstance(value, str) and re.fullmatch(r"\s*\d+,\d+\s*", value):
        fix = Msg("diag.fix.decimal_comma", value=value.strip().replace(",", "."))
    return _P(loc, "P218", {"got": _Ident(value) if isinstance(value, str) else _got(value), "_hint": fix})


class _Ident:
    """A value from the file, quoted the language's way when shown."""

    def __init__(self, value: Any):
        self.value = value

    def render(self, lang: str) -> str:
        from game.i18n.typography import ident

        return ident(self.value, lang)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Ident) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)


class _Or:
    """'a', 'b' or 'c' / « a », « b » ou « c »."""

    def __init__(self, options: list[str]):
        self.options = tuple(options)

    def render(self, lang: str) -> str:
        from game.i18n.typography import ident

        shown = [ident(o, lang) for o in self.options]
        if len(shown) < 2:
            return "".join(shown)
        return ", ".join(shown[:-1]) + (" ou " if lang == "fr" else " or ") + shown[-1]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Or) and other.options == self.options

    def __hash__(self) -> int:
        return hash(self.options)


def _show(value: Any) -> str:
    text = f"'{value}'" if isinstance(value, str) else _yaml_scalar(value)
    return text if len(text) <= 40 else f"{text[:20]}…({len(text)})"  # a 4,000-digit number stays readable


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _where(loc: tuple) -> Any:
    if len(loc) >= 6 and loc[0] == "nodes" and loc[2] == "choices" and loc[4] == "outcomes" \
            and isinstance(loc[5], int):
        return Msg("diag.where.outcome", n=loc[5] + 1, choice=f"{loc[1]}.{loc[3] + 1}" if isinstance(loc[3], int) else loc[3])
    if len(loc) >= 4 and loc[0] == "nodes" and loc[2] == "choices":
        return Msg("diag.where.choice", n=loc[3] + 1, node=loc[1]) if isinstance(loc[3], int) else ""
    if len(loc) == 2 and loc[0] in ("nodes", "endings", "gauges"):
        return Msg(f"diag.where.{loc[0][:-1]}", id=loc[1])
    if len(loc) == 2 and loc[0] == "triggers" and isinstance(loc[1], int):
        return Msg("diag.where.trigger", n=loc[1] + 1)
    return ""


_MISSING_HINTS = {
    "label": ("une étiquette montrée aux joueurs, par exemple label: Secret professionnel",
              "the name shown to players, e.g. label: Secret professionnel"),
    "start": ("la valeur au départ, par exemple start: 50", "the value at the start, e.g. start: 50"),
    "good": ("le sens le meilleur pour les personnes accompagnées : good: high ou good: low",
             "which way is better for the people served: good: high or good: low"),
    "format": ("écrivez « format: 1 » sur la première ligne", "write 'format: 1' on the first line"),
    "start_node": ("l'identifiant du premier nœud, par exemple start: soir", "the id of the first node, e.g. start: soir"),
    "goto": ("où cela mène : l'identifiant d'un nœud ou d'une fin", "where this leads: the id of a node or an ending"),
}


class _Words:
    """A phrase given in both languages here (for hints too specific for the catalogue's keys)."""

    def __init__(self, fr: str, en: str):
        self.fr, self.en = fr, en

    def render(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Words) and (self.fr, self.en) == (other.fr, other.en)

    def __hash__(self) -> int:
        return hash(self.en)


def _missing_hint(loc: tuple) -> Any:
    last = loc[-1]
    if loc[:-1] and loc[0] == "gauges" and len(loc) == 3 and last in ("label", "start", "good"):
        return _Words(*_MISSING_HINTS[last])
    if last == "start" and len(loc) == 1:
        return _Words(*_MISSING_HINTS["start_node"])
    if last in ("format", "goto"):
        return _Words(*_MISSING_HINTS[last])
    return None


def _closest(word: str, candidates: Any, any_word: bool = False) -> str | None:
    pool = [c for c in candidates if c != STUB and (any_word or _VALID_NAME.fullmatch(str(c)))]
    match = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return match[0] if match else None


_VALID_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def _did_you_mean(word: str, candidates: Any) -> str | None:
    match = _closest(word, candidates, any_word=True)
    return f"did you mean '{match}'?" if match else None


def slug(value: str, sep: str) -> str | None:
    """The id closest to `value` that is valid: accents dropped, lowercase, `sep` between words."""
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    out = re.sub(r"[^a-z0-9]+", sep, text).strip(sep)
    if sep == "_" and out[:1].isdigit():
        out = "_" + out
    return out if out and out != value else None


def _slug(value: str, sep: str) -> dict:
    s_ = slug(value, sep)
    return {"slug": s_} if s_ else {"_hint": ""}


def _slug_hint(value: str, sep: str) -> str | None:
    s_ = slug(value, sep)
    return f"for example '{s_}'" if s_ else None


def refine(p: Problem, data: Any = None) -> Problem:
    """Complete an engine reference problem for trainers: hints that name the fix, never contradicting."""
    params = dict(p.params or {})
    if p.code == "P203":
        params.update(_slug(str(params.get("value", "")), "_"))
    elif p.code == "P228":
        params["what"] = Msg(f"diag.what.{params.get('what', 'variable')}")
    elif p.code == "P226":
        params["amount"] = _Words("un nombre, par exemple 60" if params.get("assign") else
                                   "un nombre à ajouter, par exemple 10 ou -5",
                                   "a number such as 60" if params.get("assign") else "a number to add, such as 10 or -5")
    elif p.code == "P204" and isinstance(data, dict):
        targets = [t for part in ("nodes", "endings") if isinstance(data.get(part), dict) for t in data[part]]
        shown = ", ".join(str(t) for t in targets[:12] if t != STUB) + (", ..." if len(targets) > 12 else "")
        params["targets"] = shown
        name = str(params.get("name", ""))
        if params.get("suggestion") or not targets:
            params["_hint"] = ""
        accented = [t for t in targets if slug(str(t), "_") == name]
        if accented:  # the target is written with accents: one fix, the same as P203's
            params["suggestion"] = None
            params["_hint"] = _Words(f"renommez « {accented[0]} » en « {name} » (sans accents ni espaces)",
                                     f"rename '{accented[0]}' to '{name}' (no accents or spaces)")
    elif p.code == "P224":
        value = _value_at(data, p.path) if p.key else None
        params["example"] = "false" if isinstance(value, bool) else "0"
        params.update(_name_hint(str(params.get("name", "")), params, data, p.key))
    elif p.code in ("P301", "P303", "P304", "P312"):
        source = _value_at(data, p.path)
        french = p.code == "P301" or (p.code == "P303" and params.get("name") in _FRENCH_NAMES) \
            or (p.code == "P304" and params.get("what") == "Tuple") or (p.code == "P312" and params.get("op") == "%")
        if french and isinstance(source, str):
            better = french_condition(source)
            if better is not None:
                word, right, offset = better
                if word == "%":
                    return Problem(p.path, p.message, None, p.severity, offset, "P312", p.key,
                                   {"op": "%", "example": _example(source, word, right)})
                return Problem(p.path, p.message, None, p.severity, offset, "P302", p.key,
                               {"word": word, "right": right, "example": _example(source, word, right)})
        if p.code == "P312":
            params["example"] = ""
        if p.code == "P304":
            params["what"] = _Words(*_CONSTRUCTS.get(str(params.get("what")), (str(params.get("what")),) * 2))
        if p.code == "P303":
            params["example"] = "0"
            params.update(_name_hint(str(params.get("name", "")), params, data, p.key))
    elif p.code == "P308":
        params["got"] = Msg("diag.want.number" if params.get("got") == "number" else "diag.got.bool")
        params["want"] = Msg("diag.want.condition" if params.get("want") == "condition" else "diag.want.number")
    elif p.code == "P309":
        op = str(params.get("op", ""))
        params["op"] = Msg("diag.ordering") if op == "an ordering comparison" else _Ident(op.strip("'"))
        params["want"] = Msg("diag.want.numbers" if params.get("want") == "numbers" else "diag.want.bools")
    return Problem(p.path, p.message, p.hint, p.severity, p.offset, p.code, p.key, params)


_FRENCH_NAMES = {"et", "ou", "non", "pas", "ET", "OU", "NON", "Et", "Ou", "Non"}
_CONSTRUCTS = {
    "Call": ("un appel de fonction", "a function call"), "Attribute": ("un attribut (« a.b »)", "an attribute ('a.b')"),
    "Subscript": ("un indice (« a[0] »)", "indexing ('a[0]')"), "Lambda": ("une lambda", "a lambda"),
    "IfExp": ("« x if c else y » (utilisez des variantes de texte)", "'x if c else y' (use text variants)"),
    "ListComp": ("une compréhension", "a comprehension"), "SetComp": ("une compréhension", "a comprehension"),
    "DictComp": ("une compréhension", "a comprehension"), "GeneratorExp": ("une compréhension", "a comprehension"),
    "List": ("une liste", "a list"), "Tuple": ("une virgule (un tuple)", "a comma (a tuple)"),
    "Dict": ("un ensemble de clés", "a mapping"), "Set": ("un ensemble", "a set"), "JoinedStr": ("un texte", "a string"),
    "NamedExpr": ("« := »", "':='"), "Starred": ("« * » (dépaquetage)", "'*' unpacking"), "Await": ("« await »", "'await'"),
}


def _value_at(data: Any, path: tuple) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _name_hint(name: str, params: dict, data: Any, key: bool) -> dict:
    """The hint for an unknown gauge or variable: its id if it was written by its label, the default
    gauges, or where to declare it; none beside a suggestion (a typo)."""
    gauges = data.get("gauges") if isinstance(data, dict) else None
    labels = {}
    lang = data.get("language") if isinstance(data, dict) else "fr"
    defaults = DEFAULT_GAUGE_LABELS.get(lang if lang in DEFAULT_GAUGE_LABELS else "fr")
    if isinstance(gauges, dict):
        for gid, spec in gauges.items():
            label = spec.get("label") if isinstance(spec, dict) else None
            label = label if isinstance(label, str) else defaults.get(gid)
            if isinstance(label, str):
                labels[gid] = label
    else:
        labels = dict(defaults)
    n = _norm(name).replace("_", " ")
    for gid, label in labels.items():
        words = [w for w in re.split(r"[^a-z0-9]+", _norm(label)) if len(w) > 2]
        if n and (n == _norm(label) or n in words or n.split()[0] in words):
            return {"suggestion": gid, "_hint": Msg("diag.label_is", label=_Quoted(label), name=gid)}
    if name in DEFAULT_GAUGES and isinstance(gauges, dict):
        return {"_hint": Msg("diag.default_gauge", name=name)}
    return {}


class _Quoted:
    def __init__(self, text: str):
        self.text = text

    def render(self, lang: str) -> str:
        from game.i18n.typography import quote

        return quote(self.text, lang)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Quoted) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


_FRENCH_WORDS = [(r"(?<![A-Za-z_])(et|ET|Et)(?![A-Za-z0-9_])", "and"), (r"(?<![A-Za-z_])(ou|OU|Ou)(?![A-Za-z0-9_])", "or"),
                 (r"(?<![A-Za-z_])(non|NON|Non|pas)(?![A-Za-z0-9_])", "not"), (r"(&&)", "and"), (r"(\|\|)", "or"),
                 (r"(?<![=!<>])(=)(?!=)", "=="), (r"\d(,)\d", "."), (r"(%)", ""), (r"(,)", "and")]


def french_condition(source: str) -> tuple[str, str, int] | None:
    """(word, right form, offset) when a condition is written with et/ou/non/=/%/, ; else None."""
    for pattern, right in _FRENCH_WORDS:
        m = re.search(pattern, source)
        if m:
            return m.group(1), right, m.start(1)
    return None


def _example(source: str, word: str, right: str) -> Any:
    if word == "%":
        return _Words("les jauges vont déjà de 0 à 100 : écrivez workload >= 50 plutôt que workload >= 50 %",
                      "gauges already go from 0 to 100: write workload >= 50, not workload >= 50%")
    if word == "," and right == ".":
        return _Words("les jauges sont entières : écrivez un nombre entier (40, pas 40,5)",
                      "gauges are whole numbers: write 40, not 40,5")
    if word == ",":
        fixed = re.sub(r"\s*,\s*", " and ", source)
    elif word == "=":
        fixed = re.sub(r"(?<![=!<>])=(?!=)", "==", source)
    else:
        fixed = re.sub(rf"(?<![A-Za-z_]){re.escape(word)}(?![A-Za-z_])", right, source)
    fixed = " ".join(fixed.split())
    return _Words(f"par exemple : {fixed}", f"for example: {fixed}")


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
