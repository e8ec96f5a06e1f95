"""`pandore check`: every problem of every file, located.

For each file given (folders are searched for *.yaml): the loader's
diagnostics (YAML, shape, references); then, when the scenario loads, the
warnings of the exhaustive analysis (parts no path reaches, dead ends,
choices never available, gauges no choice moves, triggers that never fire)
within a state budget, saying so when the budget cut it short; the file's
name against its `language` and folder; and, for a translation (`en.yaml`
beside `fr.yaml`), every structural drift from the original at its line,
choices matched by id, and the texts left untranslated or dropped.

Every diagnostic carries a code (P101...) and is worded by the catalogue in
the language asked for (None: the scenario's own). A translation without
drift reuses its original's analysis: it plays exactly the same.
"""

from __future__ import annotations

import re
from pathlib import Path

from game.engine.analysis import Analysis, analyze, static_reachable
from game.engine.expr import ExprError, compile_expr
from game.engine.model import Problem, Scenario

from .diagnostics import Diagnostic, Join, Msg
from .loader import Loaded, load_file
from .pictures import MAX_SIDE, picture_problem
from .validate import _P, _Ident

#: States explored by `check` (the analysis budget). Large enough for every
#: hand-written scenario we know of, small enough to keep `check` well under
#: a second; `pandore analyze --max-states N` goes further.
CHECK_MAX_STATES = 50_000

ORIGINAL = "fr"
_LANG_FILE = re.compile(r"^[a-z]{2}$")


def scenario_files(paths: list[str], lang: str | None = None) -> tuple[list[Path], list[Diagnostic]]:
    """The scenario files named by `paths`: files, folders (searched for *.yaml) or scenario ids."""
    from game.i18n import choose_language

    from .library import resolve

    files: list[Path] = []
    problems: list[Diagnostic] = []
    for raw in paths:
        p = Path(raw)
        if not raw.strip():  # Path("") is the current folder: an empty argument names nothing
            problems.append(Diagnostic(raw, 1, 1, "P101", unusable=True, lang=choose_language(lang)))
        elif p.is_dir():
            found = sorted(set(p.rglob("*.yaml")) | set(p.rglob("*.yml")))
            if not found:
                problems.append(Diagnostic(raw, 1, 1, "P127", unusable=True, lang=choose_language(lang)))
            files += found
        elif p.exists():
            files.append(p)
        elif p.suffix not in (".yaml", ".yml") and resolve(raw) is not None:
            folder = resolve(raw).parent  # a scenario id: every language of it
            files += sorted(set(folder.glob("*.yaml")) | set(folder.glob("*.yml")))
        else:
            problems.append(Diagnostic(raw, 1, 1, "P101", unusable=True, lang=choose_language(lang)))
    return files, problems


def check_file(path: Path, max_states: int = CHECK_MAX_STATES, cache: dict | None = None,
               lang: str | None = None) -> list[Diagnostic]:
    """Every diagnostic of one file: loader errors, analysis warnings, naming and translation drift.

    `lang` words them (None: the scenario's own language, else the locale)."""
    cache = {} if cache is None else cache
    loaded = _load(path, cache, lang)
    diags = list(loaded.diagnostics)
    if not loaded.ok:
        return diags
    doc = loaded.document
    original = original_of(Path(path))
    orig = _load(original, cache, lang) if original is not None else None
    drift = translation_drift(orig.scenario, loaded.scenario, original.name) if orig is not None and orig.ok else []
    if orig is not None and orig.ok and not any(p.severity == "error" for p in drift):
        # A translation without drift plays exactly like its original: the same analysis, the same places.
        problems = list(_analysis(original, orig, max_states, cache, lang))
    else:
        problems = list(_analysis(Path(path), loaded, max_states, cache, lang))
    endings = {d.params.get("node") for d in diags if d.code == "P233"}
    problems = [p for p in problems if not (p.code == "P403" and p.path[-1] in endings)]
    for i, p in enumerate(problems):
        if p.code == "P407":
            problems[i] = _P(p.path, p.code, {**p.params, "file": str(path)}, severity=p.severity)
    problems += naming_problems(Path(path), loaded.scenario)
    problems += picture_problems(Path(path), loaded.scenario)
    if orig is not None:
        if orig.ok:
            problems += drift
        else:
            problems.append(_P((), "P506", {"original": original.name, "path": str(original)}, severity="warning"))
    return diags + [doc.diagnostic(p) for p in problems]


def _analysis(path: Path, loaded: Loaded, max_states: int, cache: dict, lang: str | None) -> list[Problem]:
    """The analysis warnings of a loaded file, computed once per file and check run."""
    key = ("analysis", Path(path).resolve(), max_states)
    if key not in cache:
        data = loaded.document.data if loaded.document is not None else None
        raw_gauges = data.get("gauges") if isinstance(data, dict) else None
        cache[key] = analysis_problems(loaded.scenario, max_states,
                                       set(raw_gauges) if isinstance(raw_gauges, dict) else set())
    return cache[key]


def check_paths(paths: list[str], max_states: int = CHECK_MAX_STATES,
                lang: str | None = None) -> tuple[list[Diagnostic], int]:
    """All diagnostics for the given files, folders and scenario ids, and how many files were read."""
    files, diags = scenario_files(paths, lang)
    cache: dict = {}
    for f in files:
        diags += check_file(f, max_states, cache, lang)
    return diags, len(files)


def _load(path: Path, cache: dict, lang: str | None = None) -> Loaded:
    key = (Path(path).resolve(), lang)
    if key not in cache:
        cache[key] = load_file(path, lang=lang)
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
        lead = Msg("diag.at_node", node=node)
    else:
        ranges = dict(analysis.gauge_ranges)
        lead = Msg("diag.in_play")
    parts = []
    for name, (lo, hi) in ranges.items():
        if name not in names:
            continue
        if isinstance(lo, bool):
            parts.append(Msg("diag.always", name=name, value=str(lo).lower()) if lo == hi
                         else Msg("diag.true_or_false", name=name))
        else:
            parts.append(Msg("diag.range", name=name, lo=lo, hi=hi) if lo != hi else Msg("diag.always", name=name, value=lo))
    return Join([lead, Join(parts, ", ")], "") if parts else None


def _path_words(steps) -> object:
    out = []
    for s in steps:
        out.append(Join([s.choice, " (", Msg("diag.outcome_n", n=s.outcome + 1), ")"], "")
                   if s.outcome is not None else s.choice)
    return Join(out, " → ") if out else Msg("diag.the_start")


def _read_at(scenario: Scenario, nid: str, values: dict) -> dict:
    """The values the conditions of node `nid`'s choices read (all of them when they read none)."""
    types = {g: int for g in scenario.gauges} | {
        n: (bool if isinstance(v, bool) else int) for n, v in scenario.variables.items()}
    names: set[str] = set()
    for ch in scenario.nodes[nid].choices:
        for source in (ch.if_, ch.available_if):
            if source:
                try:
                    names |= compile_expr(source, types).names
                except ExprError:
                    pass
    kept = {k: v for k, v in values.items() if k in names}
    return kept or values


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
            out.append(_P(where(nid), "P401", {"kind": Msg(f"diag.kind.{kind(nid)}"), "id": nid}, key=True, severity=W))
        else:
            out.append(_P(where(nid), "P402", {"kind": Msg(f"diag.kind.{kind(nid)}"), "id": nid}, key=True, severity=W))
    for nid in a.dead_ends:
        ex = a.dead_end_examples.get(nid)
        example = Msg("diag.example", path=_path_words(ex.path),
                      values=_values_words(_read_at(scenario, nid, ex.values))) if ex is not None else ""
        out.append(_P(("nodes", nid), "P403", {"node": nid, "example": example}, key=True, severity=W))
    if a.complete:
        for nid, cid in a.never_available:
            j = scenario.choice_ids(nid).index(cid)
            ch = scenario.nodes[nid].choices[j]
            conds = [(k, s) for k, s in (("if", ch.if_), ("available_if", ch.available_if)) if s]
            path = ("nodes", nid, "choices", j) + ((conds[0][0],) if len(conds) == 1 else ())
            words = Join([_Ident(f"{k}: {s}") for k, s in conds], Msg("diag.and"))
            hints = [h for h in (_ranges_hint(scenario, s, a, nid) for _, s in conds) if h]
            out.append(_P(path, "P404", {"choice": cid, "node": nid, "conds": words,
                                         "verb": Msg("diag.is_false" if len(conds) == 1 else "diag.never_both"),
                                         "ranges": Join(hints, "; ") if hints else "",
                                         **({} if hints else {"_hint": ""})}, severity=W))
        for g in a.unmoved_gauges:
            lo, hi = a.gauge_ranges[g]
            stays = Msg("diag.stays", value=lo) if lo == hi else ""
            declared = declared_gauges is None or g in declared_gauges
            out.append(_P(("gauges", g), "P405", {"gauge": g, "stays": stays,
                                                  **({} if declared else {"_hint": Msg("diag.default_unused", name=g)})},
                          key=True, severity=W))
        for i, t in enumerate(scenario.triggers):
            tid = t.id or f"trigger.{i + 1}"
            if tid in a.triggers_never_fired:
                shadow = Msg("diag.shadow") if i else ""
                ranges = _ranges_hint(scenario, t.if_, a)
                out.append(_P(("triggers", i, "if"), "P406", {"trigger": tid, "cond": t.if_, "shadow": shadow,
                                                             "ranges": ranges or "", **({} if ranges else {"_hint": ""})},
                              severity=W))
    else:
        for g in _statically_unmoved(scenario):
            out.append(_P(("gauges", g), "P405", {"gauge": g, "stays": ""}, key=True, severity=W))
        out.append(_P((), "P407", {"states": a.states, "file": "FILE", "more": max(a.states * 10, 1_000_000)},
                      severity=W))
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
        out.append(_P(("language",), "P501", {"file": path.name, "language": scenario.language, "stem": path.stem},
                      severity="warning"))
    folder = path.resolve().parent.name
    if folder != scenario.id and re.fullmatch(r"[a-z0-9-]+", folder):
        out.append(_P(("id",), "P502", {"folder": folder, "id": scenario.id}, severity="warning"))
    return out


# --------------------------------------------------------------------------
# Translations


def translation_drift(original: Scenario, translation: Scenario, original_name: str = "fr.yaml") -> list[Problem]:
    """Every difference of `translation` from `original`, located in the translation.

    A translation changes texts only: ids, conditions, effects, gotos,
    outcomes and their weights, numbers, views and tones must be the same
    (errors). Choices are matched by id, so a removed, added or moved choice
    is reported once. Texts left untranslated (identical to the original's,
    or written in the original's language) and dropped key points or
    sources are warnings.
    """
    out: list[Problem] = []
    orig = original_name

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

    def same(path: tuple, what, there, here, key: bool = False) -> None:
        if there != here or _kinds(there) != _kinds(here):  # true is not 1, though Python says so
            out.append(_P(path, "P503", {"what": what, "here": show(here), "there": show(there), "original": orig},
                          key=key))

    def ids(path: tuple, kind: str, there, here) -> None:
        what = Msg(f"diag.tr.what.{kind}")
        for k in there:
            if k not in here:
                out.append(_P(path, "P504", {"what": what, "id": k, "original": orig}, key=True))
        for k in here:
            if k not in there:
                out.append(_P(path + (k,), "P505", {"what": what, "id": k, "original": orig}, key=True))

    def fields(path: tuple, label, a, b, names: tuple[str, ...]) -> None:
        for f in names:
            attr = {"if": "if_"}.get(f, f)
            same(path + (f,), Join([label, f], ""), getattr(a, attr), getattr(b, attr))

    def variants(path: tuple, label, a, b) -> None:
        ca = [None] if isinstance(a, str) else [v.if_ for v in a]
        cb = [None] if isinstance(b, str) else [v.if_ for v in b]
        if ca != cb:
            out.append(_P(path, "P513", {"what": label, "here": show(cb), "there": show(ca), "original": orig}))

    def count(path: tuple, label, thing: str, there: int, here: int) -> None:
        same(path, Join([label, Msg(f"diag.tr.count.{thing}")], ""), there, here, key=True)

    fields((), "", original, translation, ("format", "id", "start", "duration_minutes"))
    ids(("gauges",), "gauge", original.gauges, translation.gauges)
    for g, ga in original.gauges.items():
        gb = translation.gauges.get(g)
        if gb is not None:
            fields(("gauges", g), Msg("diag.tr.gauge", id=g), ga, gb, ("start", "min", "max", "good"))
    ids(("variables",), "variable", original.variables, translation.variables)
    for name, va in original.variables.items():
        if name in translation.variables:
            same(("variables", name), Msg("diag.tr.start_value", name=name), va, translation.variables[name])
    if len(original.triggers) != len(translation.triggers):
        count(("triggers",), "", "triggers", len(original.triggers), len(translation.triggers))
    for i, (ta, tb) in enumerate(zip(original.triggers, translation.triggers)):
        fields(("triggers", i), Msg("diag.tr.trigger", n=i + 1), ta, tb, ("id", "if", "effects", "set", "goto", "once"))
    ids(("nodes",), "node", original.nodes, translation.nodes)
    for nid, na in original.nodes.items():
        nb = translation.nodes.get(nid)
        if nb is None:
            continue
        p = ("nodes", nid)
        label = Msg("diag.tr.node", id=nid)
        fields(p, label, na, nb, ("view", "effects", "set"))
        variants(p + ("text",), label, na.text, nb.text)
        count(p + ("messages",), label, "messages", len(na.messages), len(nb.messages))
        for j, (ma, mb) in enumerate(zip(na.messages, nb.messages)):
            same(p + ("messages", j, "sent"), Join([label, Msg("diag.tr.message", n=j + 1), "sent"], ""), ma.sent, mb.sent)
        if (na.panel is None) != (nb.panel is None):
            same(p + ("panel",), Join([label, "panel"], ""), "present" if na.panel else None, "present" if nb.panel else None)
        elif na.panel is not None:
            fields(p + ("panel",), Join([label, "panel "], ""), na.panel, nb.panel, ("score", "score_max", "confidence"))
            count(p + ("panel", "criteria"), label, "criteria", len(na.panel.criteria), len(nb.panel.criteria))
        count(p + ("participants",), label, "participants", len(na.participants), len(nb.participants))
        for j, (pa, pb) in enumerate(zip(na.participants, nb.participants)):
            fields(p + ("participants", j), Join([label, Msg("diag.tr.participant", n=j + 1)], ""), pa, pb,
                   ("connection", "camera"))
        _choices(out, original, translation, nid, orig, same, fields)
    ids(("endings",), "ending", original.endings, translation.endings)
    for eid, ea in original.endings.items():
        eb = translation.endings.get(eid)
        if eb is not None:
            fields(("endings", eid), Msg("diag.tr.ending", id=eid), ea, eb, ("tone",))
            variants(("endings", eid, "text"), Msg("diag.tr.ending", id=eid), ea.text, eb.text)
    out += _dropped(original, translation, orig)
    out += untranslated(original, translation, orig)
    return out


def _choices(out: list, original: Scenario, translation: Scenario, nid: str, orig: str, same, fields) -> None:
    """The choices of one node, matched by id: a removed, added or moved choice is said once."""
    na, nb = original.nodes[nid], translation.nodes[nid]
    ida, idb = original.choice_ids(nid), translation.choice_ids(nid)
    p = ("nodes", nid)
    missing = [c for c in ida if c not in idb]
    added = [c for c in idb if c not in ida]
    renamed: dict[str, str] = {}
    for c in list(missing):  # the same place, another id: a renamed choice
        j = ida.index(c)
        if j < len(idb) and idb[j] in added and len(ida) == len(idb):
            renamed[idb[j]] = c
            out.append(_P(p + ("choices", j, "id"), "P503",
                          {"what": Join([Msg("diag.tr.choice_n", n=j + 1, node=nid), "id"], ""),
                           "here": f"'{idb[j]}'", "there": f"'{c}'", "original": orig}))
            missing.remove(c)
            added.remove(idb[j])
    for c in missing:
        out.append(_P(p + ("choices",), "P510", {"choice": c, "node": nid, "original": orig}, key=True))
    for c in added:
        out.append(_P(p + ("choices", idb.index(c)), "P511", {"choice": c, "node": nid, "original": orig}))
    common_a = [c for c in ida if c in idb or c in renamed.values()]
    common_b = [renamed.get(c, c) for c in idb if c in ida or c in renamed]
    for c in _moved(common_a, common_b):
        j = [renamed.get(x, x) for x in idb].index(c)
        out.append(_P(p + ("choices", j), "P512", {"choice": c, "node": nid, "here": j + 1,
                                                  "there": ida.index(c) + 1, "original": orig}))
    by_id_b = {renamed.get(c, c): j for j, c in enumerate(idb)}
    for i, c in enumerate(ida):
        j = by_id_b.get(c)
        if j is None:
            continue
        ca, cb = na.choices[i], nb.choices[j]
        cp = p + ("choices", j)
        clabel = Msg("diag.tr.choice", choice=c, node=nid)
        fields(cp, clabel, ca, cb, ("if", "available_if", "effects", "set", "goto"))
        oa, ob = ca.outcomes or [], cb.outcomes or []
        if len(oa) != len(ob):
            same(cp + ("outcomes",), Join([clabel, Msg("diag.tr.count.outcomes")], ""), len(oa), len(ob), key=True)
        for k, (xa, xb) in enumerate(zip(oa, ob)):
            fields(cp + ("outcomes", k), Join([clabel, Msg("diag.tr.outcome", n=k + 1)], ""), xa, xb,
                   ("weight", "effects", "set", "goto"))


def _moved(a: list[str], b: list[str]) -> list[str]:
    """The ids of `b` out of `a`'s order: those outside a longest common ordering (same ids in both)."""
    pos = {c: i for i, c in enumerate(a)}
    seq = [pos[c] for c in b if c in pos]
    # longest increasing subsequence, O(n^2): a node has at most 50 choices
    best = [1] * len(seq)
    prev = [-1] * len(seq)
    for i in range(len(seq)):
        for j in range(i):
            if seq[j] < seq[i] and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    keep: set[int] = set()
    if seq:
        i = max(range(len(seq)), key=lambda k: best[k])
        while i != -1:
            keep.add(seq[i])
            i = prev[i]
    return [a[k] for k in seq if k not in keep]


def _dropped(original: Scenario, translation: Scenario, orig: str) -> list[Problem]:
    out = []
    for field, path in (("key_points", ("debrief", "key_points")), ("questions", ("debrief", "questions")),
                        ("sources", ("debrief", "sources"))):
        there, here = len(getattr(original.debrief, field)), len(getattr(translation.debrief, field))
        if here < there:
            out.append(_P(path, "P509", {"what": Msg(f"diag.thing.{field}"), "here": here, "there": there,
                                         "original": orig}, key=True, severity="warning"))
    if len(translation.objectives) < len(original.objectives):
        out.append(_P(("objectives",), "P509", {"what": Msg("diag.thing.objectives"), "here": len(translation.objectives),
                                                "there": len(original.objectives), "original": orig},
                      key=True, severity="warning"))
    return out


# Small words that say which language a text is in (a stop-word test is enough
# to tell a French text left in an English file).
_STOP = {
    "fr": set("le la les un une des du de et est sont vous nous il elle ils elles pour pas que qui dans sur avec au aux "
              "ce cette ces son sa ses leur leurs mais ou je tu ne se en par plus sans votre vos mon ma mes".split()),
    "en": set("the and is are you your we he she they it to of in on for with not this that these be at as but by "
              "or from an will can has have was his her their our what".split()),
}
_WORD = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœæ]+", re.IGNORECASE)


def language_of(text: str) -> str | None:
    """'fr' or 'en' when the text's small words clearly say so, else None."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 4:
        return None
    counts = {lang: sum(w in stop for w in words) for lang, stop in _STOP.items()}
    best = max(counts, key=counts.get)
    other = min(counts, key=counts.get)
    if counts[best] >= 2 and counts[best] >= 2 * counts[other] + 1:
        return best
    return None


def _texts(scenario: Scenario):
    """(path, what, text) for every text a translator translates, in the file's order."""
    def text_of(path, what, t):
        if isinstance(t, str):
            yield path, what, t
        else:
            for i, v in enumerate(t):
                yield path + (i, "text"), what, v.text

    W = lambda key, **v: Msg(f"diag.tw.{key}", **v)  # noqa: E731
    yield ("title",), W("title"), scenario.title
    if scenario.summary:
        yield ("summary",), W("summary"), scenario.summary
    for i, o in enumerate(scenario.objectives):
        yield ("objectives", i), W("objective", n=i + 1), o
    if scenario.content_warning:
        yield ("content_warning",), W("content_warning"), scenario.content_warning
    for nid, n in scenario.nodes.items():
        p = ("nodes", nid)
        yield from text_of(p + ("text",), W("node_text", id=nid), n.text)
        if n.title:
            yield p + ("title",), W("node_title", id=nid), n.title
        for j, m in enumerate(n.messages):
            yield p + ("messages", j, "text"), W("message", n=j + 1, id=nid), m.text
        for j, c in enumerate(n.choices):
            cp = p + ("choices", j)
            cid = c.id or f"{nid}.{j + 1}"
            for f in ("text", "feedback", "unavailable_hint", "reply"):
                v = getattr(c, f)
                if v:
                    yield cp + (f,), W(f"choice_{f}", id=cid), v
            for k, o in enumerate(c.outcomes or ()):
                if o.feedback:
                    yield cp + ("outcomes", k, "feedback"), W("outcome_feedback", n=k + 1, id=cid), o.feedback
    for eid, e in scenario.endings.items():
        yield ("endings", eid, "title"), W("ending_title", id=eid), e.title
        yield from text_of(("endings", eid, "text"), W("ending_text", id=eid), e.text)
    for i, k in enumerate(scenario.debrief.key_points):
        yield ("debrief", "key_points", i), W("key_point", n=i + 1), k
    for i, k in enumerate(scenario.debrief.questions):
        yield ("debrief", "questions", i), W("question", n=i + 1), k


def untranslated(original: Scenario, translation: Scenario, orig: str) -> list[Problem]:
    """Texts of `translation` identical to the original's or written in its language (warnings);
    one warning for the whole file when most of it is untranslated."""
    if original.language == translation.language:
        return []
    theirs = {path: text for path, _, text in _texts(original)}
    found: list[Problem] = []
    total = 0
    for path, what, text in _texts(translation):
        total += 1
        norm = " ".join(text.split())
        there = theirs.get(path)
        if there is not None and " ".join(there.split()) == norm and len(_WORD.findall(norm)) >= 3:
            found.append(_P(path, "P507", {"what": what, "original": orig, "language": Msg(f"diag.in_language.{translation.language}")},
                            severity="warning"))
        elif language_of(norm) == original.language:
            found.append(_P(path, "P508", {"what": what, "source": Msg(f"diag.in_language.{original.language}"),
                                           "language": Msg(f"diag.in_language.{translation.language}")}, severity="warning"))
    if total >= 6 and len(found) * 2 > total:
        return [_P(("language",), "P514", {"count": len(found), "total": total,
                                           "source": Msg(f"diag.in_language.{original.language}"),
                                           "language": Msg(f"diag.in_language.{translation.language}")}, severity="warning")]
    return found


def _kinds(value: object) -> object:
    """The shape of a value with the type of each scalar: `true` and `1` differ, so do `1` and `1.0`."""
    if isinstance(value, dict):
        return {k: _kinds(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_kinds(v) for v in value]
    return type(value).__name__


def picture_problems(path: Path, scenario: Scenario) -> list[Problem]:
    """Each `image:` that names no usable picture in the scenario's folder: missing, absolute or outside
    the folder (P237); a device, or a picture too large to show (P238)."""
    folder = path.parent.resolve()
    out: list[Problem] = []
    named = [(("nodes", nid, "image"), n.image) for nid, n in scenario.nodes.items() if n.image]
    named += [(("endings", eid, "image"), e.image) for eid, e in scenario.endings.items() if e.image]
    named += [(("title",), rel) for rel in ("media/cover.svg", "media/cover.png") if (folder / rel).exists()]
    for where, rel in named:
        target = (folder / rel).resolve()
        inside = not Path(rel).is_absolute() and target.is_relative_to(folder)
        problem = picture_problem(target) if inside else "outside"
        if problem in ("missing", "outside"):
            out.append(_P(where, "P237", {"file": rel, "why": Msg(f"diag.picture.{problem}")}, severity="warning"))
        elif problem is not None:
            out.append(_P(where, "P238", {"file": rel, "why": Msg(f"diag.picture.{problem}", side=MAX_SIDE),
                                          "side": MAX_SIDE}, severity="warning"))
    return out
