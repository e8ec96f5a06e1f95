"""`pandore check`: every problem of every file, located.

For each file given (folders are searched for *.yaml): the loader's
diagnostics (YAML, shape, references); then, when the scenario loads, the
warnings of the exhaustive analysis (parts no path reaches, dead ends,
choices never available, gauges no choice moves, triggers that never fire)
within a state budget, saying so when the budget cut it short; the file's
name against its `language` and folder; and, for a translation (`en.yaml`
beside `fr.yaml`), every structural drift from the original at its line.
"""

from __future__ import annotations

import re
from pathlib import Path

from game.engine.analysis import Analysis, analyze, static_reachable
from game.engine.expr import ExprError, compile_expr
from game.engine.model import Problem, Scenario

from .diagnostics import Diagnostic
from .loader import Loaded, load_file

#: States explored by `check` (the analysis budget). Large enough for every
#: hand-written scenario we know of, small enough to keep `check` well under
#: a second; `pandore analyze --max-states N` goes further.
CHECK_MAX_STATES = 50_000

ORIGINAL = "fr"
_LANG_FILE = re.compile(r"^[a-z]{2}$")


def scenario_files(paths: list[str]) -> tuple[list[Path], list[Diagnostic]]:
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(set(p.rglob("*.yaml")) | set(p.rglob("*.yml")))
            if not found:
                problems.append(Diagnostic(raw, 1, 1, "error", "no scenario file (*.yaml) in this folder", unusable=True))
            files += found
        elif p.exists():
            files.append(p)
        else:
            problems.append(Diagnostic(raw, 1, 1, "error", "no such file or folder",
                                       "check the path; scenario files live in scenarios/ID/fr.yaml", unusable=True))
    return files, problems


def check_file(path: Path, max_states: int = CHECK_MAX_STATES, cache: dict | None = None) -> list[Diagnostic]:
    """Every diagnostic of one file: loader errors, analysis warnings, naming and translation drift."""
    cache = {} if cache is None else cache
    loaded = _load(path, cache)
    diags = list(loaded.diagnostics)
    if not loaded.ok:
        return diags
    doc = loaded.document
    raw_gauges = doc.data.get("gauges") if isinstance(doc.data, dict) else None
    problems = analysis_problems(loaded.scenario, max_states, set(raw_gauges) if isinstance(raw_gauges, dict) else set())
    problems = [Problem(p.path, p.message, p.hint.replace("FILE", str(path)), p.severity, p.offset, p.code, p.key)
                if p.code == "analysis-partial" and p.hint else p for p in problems]
    problems += naming_problems(Path(path), loaded.scenario)
    original = original_of(Path(path))
    if original is not None:
        orig = _load(original, cache)
        if orig.ok:
            problems += translation_drift(orig.scenario, loaded.scenario, original.name)
        else:
            problems.append(Problem((), f"cannot compare this translation with {original.name}: that file has errors",
                                    f"run 'pandore check {original}'", severity="warning", code="translation"))
    return diags + [doc.diagnostic(p) for p in problems]


def check_paths(paths: list[str], max_states: int = CHECK_MAX_STATES) -> tuple[list[Diagnostic], int]:
    """All diagnostics for the given files and folders, and how many files were read."""
    files, diags = scenario_files(paths)
    cache: dict = {}
    for f in files:
        diags += check_file(f, max_states, cache)
    return diags, len(files)


def _load(path: Path, cache: dict) -> Loaded:
    key = Path(path).resolve()
    if key not in cache:
        cache[key] = load_file(path)
    return cache[key]


def original_of(path: Path) -> Path | None:
    """`fr.yaml` beside a translation such as `en.yaml`; None for an original or a lone file."""
    if not _LANG_FILE.match(path.stem) or path.stem == ORIGINAL:
        return None
    for suffix in (".yaml", ".yml"):
        candidate = path.with_name(ORIGINAL + suffix)
        if candidate.is_file():
            return candidate
    return None


# --------------------------------------------------------------------------
# Analysis warnings


def _ranges_hint(scenario: Scenario, source: str | None, analysis: Analysis, node: str | None = None) -> str | None:
    """'when play reaches 'x', workload goes from 40 to 75' for the names an expression reads.

    At a node: the values over the states at that node; otherwise (a
    trigger, checked after every choice) over every state explored.
    """
    if not source:
        return None
    types = {g: int for g in scenario.gauges} | {
        n: (bool if isinstance(v, bool) else int) for n, v in scenario.variables.items()}
    try:
        names = compile_expr(source, types).names
    except ExprError:
        return None
    if node is not None:
        ranges = analysis.ranges_at(node)
        lead = f"when play reaches '{node}', "
    else:
        ranges = dict(analysis.gauge_ranges)
        lead = "in play, "
    parts = []
    for name, (lo, hi) in ranges.items():
        if name not in names:
            continue
        if isinstance(lo, bool):
            parts.append(f"{name} is always {str(lo).lower()}" if lo == hi else f"{name} is true or false")
        else:
            parts.append(f"{name} goes from {lo} to {hi}" if lo != hi else f"{name} is always {lo}")
    return (lead + ", ".join(parts)) if parts else None


def _path_words(steps) -> str:
    out = []
    for s in steps:
        out.append(f"{s.choice}" + (f" (outcome {s.outcome + 1})" if s.outcome is not None else ""))
    return " → ".join(out) if out else "the start"


def _values_words(values: dict) -> str:
    return ", ".join(f"{k} = {str(v).lower() if isinstance(v, bool) else v}" for k, v in values.items())


def analysis_problems(scenario: Scenario, max_states: int = CHECK_MAX_STATES,
                      declared_gauges: set[str] | None = None) -> list[Problem]:
    """The analysis warnings of a valid scenario, located by path.

    `declared_gauges`: the gauges the file lists (None: all), to word the
    hint for a default gauge the file does not mention.
    """
    a = analyze(scenario, max_states)
    W = "warning"
    out: list[Problem] = []
    static = static_reachable(scenario)

    def where(nid: str) -> tuple:
        return ("nodes", nid) if nid in scenario.nodes else ("endings", nid)

    def kind(nid: str) -> str:
        return "node" if nid in scenario.nodes else "ending"

    unreachable = a.unreachable if a.complete else [n for n in list(scenario.nodes) + list(scenario.endings)
                                                     if n not in static]
    for nid in unreachable:
        if nid not in static:
            out.append(Problem(where(nid), f"{kind(nid)} '{nid}' is never reached: no goto leads to it",
                               "add a choice (or an outcome) with 'goto: " + nid + "', or remove it",
                               W, code="unreachable", key=True))
        else:
            out.append(Problem(where(nid), f"{kind(nid)} '{nid}' is never reached: the choices that lead to it "
                                           "are never available when play gets there",
                               "check the 'if' / 'available_if' conditions on the way to it", W,
                               code="unreachable", key=True))
    for nid in a.dead_ends:
        ex = a.dead_end_examples.get(nid)
        hint = "give this node a choice without condition, or soften the conditions"
        if ex is not None:
            hint = (f"for example after {_path_words(ex.path)}, with {_values_words(ex.values)}; " + hint)
        out.append(Problem(("nodes", nid), f"dead end: in some situations no choice is available at node '{nid}', "
                                           "and it is not an ending", hint, W, code="dead-end", key=True))
    if a.complete:
        for nid, cid in a.never_available:
            j = scenario.choice_ids(nid).index(cid)
            ch = scenario.nodes[nid].choices[j]
            conds = [(k, s) for k, s in (("if", ch.if_), ("available_if", ch.available_if)) if s]
            path = ("nodes", nid, "choices", j) + ((conds[0][0],) if len(conds) == 1 else ())
            words = " and ".join(f"'{k}: {s}'" for k, s in conds)
            hints = [h for h in (_ranges_hint(scenario, s, a, nid) for _, s in conds) if h]
            out.append(Problem(path, f"choice '{cid}' of node '{nid}' is never available: {words} "
                                     f"{'is' if len(conds) == 1 else 'are never both'} "
                                     f"{'false' if len(conds) == 1 else 'true'} whenever play reaches this node",
                               "; ".join(hints) or None, W, code="never-available"))
        for g in a.unmoved_gauges:
            lo, hi = a.gauge_ranges[g]
            stays = f" (it stays at {lo})" if lo == hi else ""
            declared = declared_gauges is None or g in declared_gauges
            out.append(Problem(("gauges", g), f"no choice ever moves the gauge '{g}'{stays}",
                               "give some choices an effect on it, or remove it from 'gauges'" if declared else
                               f"'{g}' is one of the default gauges; list only the gauges you use under 'gauges:'",
                               W, code="gauge-unmoved", key=True))
        for i, t in enumerate(scenario.triggers):
            tid = t.id or f"trigger.{i + 1}"
            if tid in a.triggers_never_fired:
                shadow = ", or an earlier trigger fires first" if i else ""
                out.append(Problem(("triggers", i, "if"), f"trigger '{tid}' never fires: 'if: {t.if_}' is false "
                                                          f"after every choice{shadow}",
                                   _ranges_hint(scenario, t.if_, a), W, code="trigger-never"))
    else:
        for g in _statically_unmoved(scenario):
            out.append(Problem(("gauges", g), f"no choice ever moves the gauge '{g}'",
                               "give some choices an effect on it, or remove it from 'gauges'", W,
                               code="gauge-unmoved", key=True))
        out.append(Problem((), f"the analysis stopped after {a.states:,} situations (the scenario has more "
                               "combinations of gauges and variables): choices never available, triggers that "
                               "never fire and parts reached only through conditions were not checked",
                           f"run 'pandore analyze FILE --max-states {max(a.states * 10, 1_000_000):,}'"
                           .replace(",", ""), W, code="analysis-partial"))
    return out


def _statically_unmoved(scenario: Scenario) -> list[str]:
    moved: set[str] = set()
    for node in scenario.nodes.values():
        moved |= set(node.effects) | set(node.set)
        for ch in node.choices:
            moved |= set(ch.effects) | set(ch.set)
            for o in ch.outcomes or ():
                moved |= set(o.effects) | set(o.set)
    for t in scenario.triggers:
        moved |= set(t.effects) | set(t.set)
    return [g for g in scenario.gauges if g not in moved]


# --------------------------------------------------------------------------
# File names


def naming_problems(path: Path, scenario: Scenario) -> list[Problem]:
    """A language file (`en.yaml`) must say that language, in a folder named like the id."""
    out: list[Problem] = []
    if not _LANG_FILE.match(path.stem):
        return out
    if path.stem != scenario.language:
        out.append(Problem(("language",), f"this file is named {path.name} but says 'language: {scenario.language}'",
                           f"write 'language: {path.stem}', or rename the file {scenario.language}.yaml",
                           "warning", code="naming"))
    folder = path.resolve().parent.name
    if folder != scenario.id and re.fullmatch(r"[a-z0-9-]+", folder):
        out.append(Problem(("id",), f"the folder is named '{folder}' but the scenario id is '{scenario.id}'",
                           "the game finds a scenario by its folder: use the same name for both",
                           "warning", code="naming"))
    return out


# --------------------------------------------------------------------------
# Translations


def translation_drift(original: Scenario, translation: Scenario, original_name: str = "fr.yaml") -> list[Problem]:
    """Every structural difference of `translation` from `original`, located in the translation.

    A translation changes texts only: ids, conditions, effects, gotos,
    outcomes and their weights, numbers, views and tones must be the same.
    """
    out: list[Problem] = []
    hint = "a translation changes only the texts: copy this from " + original_name

    def show(v) -> str:
        if v is None:
            return "absent"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return f"'{v}'"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k}: {show(x)}" for k, x in v.items()) + "}" if v else "none"
        if isinstance(v, (list, tuple)):
            return "[" + ", ".join(show(x) for x in v) + "]"
        return str(v)

    def same(path: tuple, what: str, there, here, key: bool = False) -> None:
        if there != here:
            out.append(Problem(path, f"translation drift: {what} is {show(here)} here but {show(there)} in "
                                     f"{original_name}", hint, code="translation", key=key))

    def ids(path: tuple, what: str, there, here) -> None:
        for k in there:
            if k not in here:
                out.append(Problem(path, f"translation drift: {what} '{k}' of {original_name} is missing here",
                                   hint, code="translation", key=True))
        for k in here:
            if k not in there:
                out.append(Problem(path + (k,), f"translation drift: {what} '{k}' is not in {original_name}",
                                   hint, code="translation", key=True))

    def fields(path: tuple, label: str, a, b, names: tuple[str, ...]) -> None:
        for f in names:
            attr = {"if": "if_"}.get(f, f)
            same(path + (f,), f"{label}{f}", getattr(a, attr), getattr(b, attr))

    def variants(path: tuple, label: str, a, b) -> None:
        ca = [None] if isinstance(a, str) else [v.if_ for v in a]
        cb = [None] if isinstance(b, str) else [v.if_ for v in b]
        if ca != cb:
            out.append(Problem(path, f"translation drift: {label}the conditions of the text variants are "
                                     f"{show(cb)} here but {show(ca)} in {original_name}", hint, code="translation"))

    fields((), "", original, translation, ("format", "id", "start", "duration_minutes"))
    ids(("gauges",), "gauge", original.gauges, translation.gauges)
    for g, ga in original.gauges.items():
        gb = translation.gauges.get(g)
        if gb is not None:
            fields(("gauges", g), f"gauge '{g}': ", ga, gb, ("start", "min", "max", "good"))
    ids(("variables",), "variable", original.variables, translation.variables)
    for name, va in original.variables.items():
        if name in translation.variables:
            same(("variables", name), f"the start value of '{name}'", va, translation.variables[name])
    if len(original.triggers) != len(translation.triggers):
        same(("triggers",), "the number of triggers", len(original.triggers), len(translation.triggers), key=True)
    for i, (ta, tb) in enumerate(zip(original.triggers, translation.triggers)):
        fields(("triggers", i), f"trigger {i + 1}: ", ta, tb, ("id", "if", "effects", "set", "goto", "once"))
    ids(("nodes",), "node", original.nodes, translation.nodes)
    for nid, na in original.nodes.items():
        nb = translation.nodes.get(nid)
        if nb is None:
            continue
        p = ("nodes", nid)
        label = f"node '{nid}': "
        fields(p, label, na, nb, ("view", "effects", "set"))
        variants(p + ("text",), label, na.text, nb.text)
        same(p + ("messages",), f"{label}the number of messages", len(na.messages), len(nb.messages), key=True)
        for j, (ma, mb) in enumerate(zip(na.messages, nb.messages)):
            same(p + ("messages", j, "sent"), f"{label}message {j + 1}: sent", ma.sent, mb.sent)
        if (na.panel is None) != (nb.panel is None):
            same(p + ("panel",), f"{label}panel", "present" if na.panel else None, "present" if nb.panel else None)
        elif na.panel is not None:
            fields(p + ("panel",), f"{label}panel ", na.panel, nb.panel, ("score", "score_max", "confidence"))
            same(p + ("panel", "criteria"), f"{label}the number of panel criteria", len(na.panel.criteria),
                 len(nb.panel.criteria), key=True)
        same(p + ("participants",), f"{label}the number of participants", len(na.participants), len(nb.participants), key=True)
        for j, (pa, pb) in enumerate(zip(na.participants, nb.participants)):
            fields(p + ("participants", j), f"{label}participant {j + 1}: ", pa, pb, ("connection", "camera"))
        ida, idb = original.choice_ids(nid), translation.choice_ids(nid)
        if len(ida) != len(idb):
            same(p + ("choices",), f"{label}the number of choices", len(ida), len(idb), key=True)
        for j, (ca, cb) in enumerate(zip(na.choices, nb.choices)):
            cp = p + ("choices", j)
            clabel = f"choice '{ida[j]}' of node '{nid}': "
            same(cp + ("id",), f"choice {j + 1} of node '{nid}': id", ida[j], idb[j])
            fields(cp, clabel, ca, cb, ("if", "available_if", "effects", "set", "goto"))
            oa, ob = ca.outcomes or [], cb.outcomes or []
            if len(oa) != len(ob):
                same(cp + ("outcomes",), f"{clabel}the number of outcomes", len(oa), len(ob), key=True)
            for k, (xa, xb) in enumerate(zip(oa, ob)):
                fields(cp + ("outcomes", k), f"{clabel}outcome {k + 1}: ", xa, xb, ("weight", "effects", "set", "goto"))
    ids(("endings",), "ending", original.endings, translation.endings)
    for eid, ea in original.endings.items():
        eb = translation.endings.get(eid)
        if eb is not None:
            fields(("endings", eid), f"ending '{eid}': ", ea, eb, ("tone",))
            variants(("endings", eid, "text"), f"ending '{eid}': ", ea.text, eb.text)
    return out
