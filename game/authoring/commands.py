"""The authoring commands: `pandore analyze`, `pandore graph`, `pandore new`.

`game.cli` calls `add_commands(subparsers)`; each command returns an exit
code: 0 done, 1 the scenario has errors, 2 unusable input or a bad command
line (unknown scenario, existing file, Graphviz missing). Nothing a user
types ends in a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from game import resources
from game.engine.analysis import DEFAULT_MAX_STATES, Analysis, RandomReport, analyze, random_play

from . import library
from .check import CHECK_MAX_STATES
from .diagnostics import Diagnostic, exit_code, sort_key
from .files import atomic_write_bytes

TEMPLATES = Path(__file__).with_name("templates")
SCHEMA_FILE = resources.schema_file()

# The commands' own words, French first (the interface language follows --lang).
WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Analyse de « {title} » ({id}, {language})",
        "complete": "exploration complète : {states} situations, {transitions} transitions, {seconds} s",
        "partial": ("exploration INCOMPLÈTE : arrêtée après {states} situations (--max-states {max}). "
                    "Les résultats ci-dessous ne valent que pour la partie explorée."),
        "endings": "Fins",
        "ending": "fin",
        "tone": "ton",
        "reachable": "atteinte",
        "paths": "parcours",
        "yes": "oui",
        "no": "NON",
        "many": "∞ (boucle)",
        "unknown": "?",
        "unreachable": "Jamais atteints",
        "dead_ends": "Impasses (aucun choix possible, sans être une fin)",
        "never_available": "Choix jamais disponibles",
        "no_tradeoff": "Choix sans dilemme (au moins aussi bon sur toutes les jauges, meilleur sur une)",
        "dominates": "{node} : « {a} » l'emporte toujours sur « {b} »",
        "one_way": "Jauges à sens unique",
        "up": "ne fait que monter",
        "down": "ne fait que baisser",
        "none": "ne bouge jamais",
        "never_fired": "Déclencheurs qui ne se déclenchent jamais",
        "nothing": "aucun",
        "nothing_f": "aucune",
        "example": "par exemple après : {path}",
        "start": "le début",
        "random": "Parties au hasard : {runs} (graine {seed})",
        "finished": "fins",
        "dead": "arrêtées dans une impasse",
        "too_long": "sans fin après {turns} choix",
        "finals": "Jauges finales (parties terminées)",
        "stats": "min {min} · quart {p25} · médiane {median} · 3e quart {p75} · max {max} · moyenne {mean}",
        "visits": "Passages par nœud",
        "hits": "Choix pris",
        "never_hit": "jamais",
        "map_written": "Carte écrite dans {file}",
        "png_tty": "une image PNG ne s'affiche pas dans un terminal : donnez un fichier, par exemple -o carte.png",
        "created": "Scénario créé : {file}",
        "next": ("Ensuite :\n  pandore check {file}      (vérifier)\n  pandore analyze {file}    (prouver)\n"
                 "  pandore graph {file} -o carte.svg   (la carte)\n  pandore play {file} --text   (jouer)"),
        "exists": "{file} existe déjà : rien n'a été écrit (choisissez un autre identifiant ou supprimez le fichier)",
        "bad_id": "« {id} » n'est pas un identifiant de scénario : lettres minuscules sans accents, chiffres et « - »",
        "translate": ("{orig} existe déjà : une traduction commence par une copie de l'original "
                      "(copiez {orig} en {file}), dont on ne change que les textes"),
        "unknown_scenario": "scénario introuvable : « {name} »",
    },
    "en": {
        "title": "Analysis of \"{title}\" ({id}, {language})",
        "complete": "complete exploration: {states} situations, {transitions} transitions, {seconds} s",
        "partial": ("INCOMPLETE exploration: stopped after {states} situations (--max-states {max}). "
                    "The results below hold for the explored part only."),
        "endings": "Endings",
        "ending": "ending",
        "tone": "tone",
        "reachable": "reached",
        "paths": "paths",
        "yes": "yes",
        "no": "NO",
        "many": "∞ (loop)",
        "unknown": "?",
        "unreachable": "Never reached",
        "dead_ends": "Dead ends (no choice available, and not an ending)",
        "never_available": "Choices never available",
        "no_tradeoff": "Choices without a dilemma (at least as good on every gauge, better on one)",
        "dominates": "{node}: \"{a}\" always beats \"{b}\"",
        "one_way": "One-way gauges",
        "up": "only rises",
        "down": "only falls",
        "none": "never moves",
        "never_fired": "Triggers that never fire",
        "nothing": "none",
        "nothing_f": "none",
        "example": "for example after: {path}",
        "start": "the start",
        "random": "Random playthroughs: {runs} (seed {seed})",
        "finished": "endings",
        "dead": "stopped at a dead end",
        "too_long": "no ending after {turns} choices",
        "finals": "Final gauges (finished playthroughs)",
        "stats": "min {min} · lower quartile {p25} · median {median} · upper quartile {p75} · max {max} · mean {mean}",
        "visits": "Visits per node",
        "hits": "Choices taken",
        "never_hit": "never",
        "map_written": "Map written to {file}",
        "png_tty": "a PNG image cannot be shown in a terminal: give a file, e.g. -o map.png",
        "created": "Scenario created: {file}",
        "next": ("Next:\n  pandore check {file}      (check it)\n  pandore analyze {file}    (prove it)\n"
                 "  pandore graph {file} -o map.svg   (the map)\n  pandore play {file} --text   (play it)"),
        "exists": "{file} already exists: nothing was written (choose another id or delete the file)",
        "bad_id": "'{id}' is not a scenario id: lowercase letters without accents, digits and '-'",
        "translate": ("{orig} already exists: a translation starts as a copy of the original "
                      "(copy {orig} to {file}) in which only the texts change"),
        "unknown_scenario": "scenario not found: '{name}'",
    },
}

MAX_TURNS = 1000


def w(ui: str, key: str, **values) -> str:
    """The command's words for `key` in the interface language `ui`."""
    text = WORDS.get(ui, WORDS["en"]).get(key) or WORDS["en"][key]
    return text.format(**values) if values else text


def _number(n: float | int, lang: str) -> str:
    if isinstance(n, float):
        s = f"{n:,.2f}"
    else:
        s = f"{n:,}"
    return s.replace(",", "\u202f").replace(".", ",") if lang == "fr" else s


def add_commands(sub) -> None:
    """Register analyze, graph and new on the CLI's subparsers."""
    lang_help = "interface language (default fr)"
    p = sub.add_parser("analyze", help="prove things about a scenario: reachable endings, gauge ranges, dead ends, "
                                       "choices without a dilemma")
    p.add_argument("path", help="a YAML file or a scenario id under scenarios/")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--max-states", type=_positive, default=DEFAULT_MAX_STATES, metavar="N",
                   help=f"stop exploring after N situations (default {DEFAULT_MAX_STATES})")
    p.add_argument("--random", type=_positive, metavar="N", help="also play N random playthroughs")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the random playthroughs (default 0)")
    p.add_argument("--lang", choices=("fr", "en"), default=argparse.SUPPRESS, help=lang_help)
    p.set_defaults(func=cmd_analyze)

    g = sub.add_parser("graph", help="the scenario map (DOT, Mermaid, SVG or PNG)")
    g.add_argument("path", help="a YAML file or a scenario id under scenarios/")
    g.add_argument("--format", choices=("dot", "mermaid", "svg", "png"),
                   help="default: from the -o file's extension, else dot")
    g.add_argument("-o", "--output", help="file to write (default: standard output)")
    g.add_argument("--lang", choices=("fr", "en"), default=argparse.SUPPRESS, help=lang_help)
    g.set_defaults(func=cmd_graph)

    n = sub.add_parser("new", help="write a commented starter scenario to scenarios/ID/LANG.yaml")
    n.add_argument("id", help="the scenario id: lowercase letters, digits and '-' (e.g. sms-mineur)")
    n.add_argument("--lang", choices=("fr", "en"), default=argparse.SUPPRESS,
                   help="language of the scenario (default fr)")
    n.add_argument("--dir", default="scenarios", help="the scenarios folder (default ./scenarios)")
    n.set_defaults(func=cmd_new)


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not '{text}'") from None
    if n < 1:
        raise argparse.ArgumentTypeError("expected a number of at least 1")
    return n


def _lang(args) -> str:
    lang = getattr(args, "lang", "fr")
    return lang if lang in WORDS else "fr"


def _print_diagnostics(diags: list[Diagnostic]) -> None:
    for d in sorted(diags, key=sort_key):
        print(d.format(), file=sys.stderr)


def _load(args):
    """(scenario, None) or (None, exit code) after reporting why."""
    lang = _lang(args)
    path, loaded = library.load(args.path, lang)
    if path is None:
        print(f"pandore: {w(lang, 'unknown_scenario', name=args.path)}", file=sys.stderr)
        return None, 2
    if not loaded.ok:
        _print_diagnostics(loaded.diagnostics)
        return None, exit_code(loaded.diagnostics) or 1
    return loaded.scenario, None


# --------------------------------------------------------------------------
# analyze


def cmd_analyze(args: argparse.Namespace) -> int:
    scenario, code = _load(args)
    if scenario is None:
        return code
    lang = _lang(args)
    a = analyze(scenario, args.max_states)
    rnd = random_play(scenario, args.random, args.seed, MAX_TURNS) if args.random else None
    # Path counts are exact and can have thousands of digits (Python refuses
    # to print more than 4300 unless told): allowed for this output only.
    limit = getattr(sys, "get_int_max_str_digits", lambda: None)()
    if limit is not None:
        sys.set_int_max_str_digits(0)
    try:
        _print_analysis(args, scenario, a, rnd, lang)
    finally:
        if limit is not None:
            sys.set_int_max_str_digits(limit)
    return 0


def _print_analysis(args, scenario, a: Analysis, rnd: RandomReport | None, lang: str) -> None:
    if args.json:
        obj = a.to_json()
        if rnd is not None:
            obj["random"] = rnd.to_json()
        print(json.dumps(obj, ensure_ascii=False, indent=2))
    else:
        print(format_analysis(scenario, a, lang))
        if rnd is not None:
            print()
            print(format_random(scenario, rnd, lang))


def _table(rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for k, r in enumerate(rows):
        out.append(indent + "  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip())
        if k == 0:
            out.append(indent + "  ".join("─" * widths[i] for i in range(len(r))))
    return out


def format_analysis(scenario, a: Analysis, lang: str = "fr") -> str:
    """The human report: a table of endings, then each kind of finding."""
    L = lambda key, **v: w(lang, key, **v)  # noqa: E731
    out = [L("title", title=scenario.title, id=scenario.id, language=scenario.language)]
    if a.complete:
        out.append(L("complete", states=_number(a.states, lang), transitions=_number(a.transitions, lang),
                     seconds=_number(round(a.seconds, 2), lang)))
    else:
        out.append(L("partial", states=_number(a.states, lang), max=a.max_states))
    out.append("")
    gauges = list(scenario.gauges)
    rows = [[L("ending"), L("tone"), L("reachable"), L("paths")] + gauges]
    for eid, e in a.endings.items():
        tone = scenario.endings[eid].tone
        if e.paths is None:
            paths = L("unknown") if not a.complete else L("many")
        elif e.paths >= 10**12:  # exact in --json; a readable order of magnitude here
            text = str(e.paths)
            paths = f"≈ {text[0]}.{text[1]}e{len(text) - 1}" if lang != "fr" else f"≈ {text[0]},{text[1]}e{len(text) - 1}"
        else:
            paths = _number(e.paths, lang)
        row = [eid, tone, L("yes") if e.reachable else L("no"), paths]
        row += [(f"{lo}–{hi}" if lo != hi else str(lo)) if e.reachable else "–" for lo, hi in
                (e.gauges.get(g, (0, 0)) for g in gauges)]
        rows.append(row)
    out.append(L("endings"))
    out += _table(rows)
    out.append("")

    def section(title: str, items: list[str], feminine: bool = False) -> None:
        colon = " :" if lang == "fr" else ":"
        if not items:
            out.append(f"{title}{colon} {L('nothing_f' if feminine else 'nothing')}")
        else:
            out.append(f"{title}{colon}")
            out.extend(f"  - {x}" for x in items)

    section(L("unreachable"), a.unreachable)
    dead = []
    for nid in a.dead_ends:
        ex = a.dead_end_examples.get(nid)
        line = nid
        if ex is not None:
            steps = " → ".join(s.choice + (f" ({s.outcome + 1})" if s.outcome is not None else "") for s in ex.path)
            line += " — " + L("example", path=steps or L("start"))
        dead.append(line)
    section(L("dead_ends"), dead, feminine=True)
    section(L("never_available"), [f"{n} : {c}" if lang == "fr" else f"{n}: {c}" for n, c in a.never_available])
    section(L("no_tradeoff"), [L("dominates", node=n, a=_choice_text(scenario, n, c), b=_choice_text(scenario, n, d))
                               + f" ({c} > {d})" for n, c, d in a.no_tradeoff])
    section(L("one_way"), [f"{g} ({L(a.gauge_moves[g])})" for g in a.one_way_gauges], feminine=True)
    section(L("never_fired"), a.triggers_never_fired)
    return "\n".join(out)


def _choice_text(scenario, node: str, cid: str) -> str:
    ids = scenario.choice_ids(node)
    text = scenario.nodes[node].choices[ids.index(cid)].text
    text = " ".join(text.split())
    return text if len(text) <= 50 else text[:49] + "…"


def format_random(scenario, r: RandomReport, lang: str = "fr") -> str:
    L = lambda key, **v: w(lang, key, **v)  # noqa: E731
    out = [L("random", runs=_number(r.runs, lang), seed=r.seed)]
    rows = [[L("ending"), "n", "%"]]
    for eid, n in r.endings.items():
        rows.append([eid, _number(n, lang), _pct(n, r.runs, lang)])
    rows.append([L("dead"), _number(r.dead_ends, lang), _pct(r.dead_ends, r.runs, lang)])
    rows.append([L("too_long", turns=MAX_TURNS), _number(r.too_long, lang), _pct(r.too_long, r.runs, lang)])
    out += _table(rows)
    out.append("")
    out.append(L("finals"))
    summary = r.gauge_summary()
    for g, st in summary.items():
        out.append(f"  {g} : " if lang == "fr" else f"  {g}: ")
        out[-1] += L("stats", **{k: _number(v, lang) for k, v in st.items()})
    out.append("")
    out.append(L("visits"))
    out += _table([["", "n"]] + [[nid, _number(n, lang) if n else L("never_hit")] for nid, n in r.nodes.items()])
    out.append("")
    out.append(L("hits"))
    out += _table([["", "", "n"]] + [[nid, cid, _number(n, lang) if n else L("never_hit")]
                                       for (nid, cid), n in r.choices.items()])
    return "\n".join(out)


def _pct(n: int, total: int, lang: str) -> str:
    if not total:
        return "–"
    s = f"{100 * n / total:.1f}"
    return (s.replace(".", ",") + " %") if lang == "fr" else s + " %"


# --------------------------------------------------------------------------
# graph

_SUFFIX_FORMATS = {".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid", ".md": "mermaid",
                   ".svg": "svg", ".png": "png"}


def cmd_graph(args: argparse.Namespace) -> int:
    from .graph import GraphvizFailed, GraphvizMissing, render, to_dot, to_mermaid

    fmt = args.format or (_SUFFIX_FORMATS.get(Path(args.output).suffix.lower(), "dot") if args.output else "dot")
    lang = _lang(args)
    if fmt == "png" and not args.output and sys.stdout.isatty():
        print(f"pandore: {w(lang, 'png_tty')}", file=sys.stderr)
        return 2
    if fmt in ("svg", "png"):
        from .graph import dot_program

        if dot_program() is None:  # say so before any work
            print(f"pandore: {GraphvizMissing(fmt)}", file=sys.stderr)
            return 2
    scenario, code = _load(args)
    if scenario is None:
        return code
    a = analyze(scenario, CHECK_MAX_STATES)
    if fmt == "mermaid":
        data: bytes = to_mermaid(scenario, a).encode("utf-8")
    else:
        dot = to_dot(scenario, a)
        if fmt == "dot":
            data = dot.encode("utf-8")
        else:
            try:
                data = render(dot, fmt)
            except GraphvizMissing as e:
                print(f"pandore: {e}", file=sys.stderr)
                return 2
            except GraphvizFailed as e:
                print(f"pandore: {e}", file=sys.stderr)
                return 2
    if args.output:
        try:
            atomic_write_bytes(Path(args.output), data)
        except OSError as e:
            print(f"pandore: cannot write {args.output}: {e.strerror or e}", file=sys.stderr)
            return 2
        print(w(lang, "map_written", file=args.output), file=sys.stderr)
    else:
        if fmt == "png":
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
    return 0


# --------------------------------------------------------------------------
# new


def starter_text(scenario_id: str, lang: str = "fr", schema_ref: str = "../../schema/scenario.schema.json") -> str:
    """The commented starter scenario in `lang`, with its id and the schema line filled in."""
    text = (TEMPLATES / f"{lang}.yaml").read_text(encoding="utf-8")
    return text.replace("__SCHEMA__", schema_ref).replace("__ID__", scenario_id)


def _schema_ref(target: Path) -> str:
    """The schema's path relative to the new file's folder (what VS Code's YAML extension reads)."""
    if SCHEMA_FILE.is_file():
        try:
            return Path(os.path.relpath(SCHEMA_FILE, target.parent.resolve())).as_posix()
        except ValueError:  # another drive on Windows
            return SCHEMA_FILE.as_uri()
    return "../../schema/scenario.schema.json"


def cmd_new(args: argparse.Namespace) -> int:
    lang = getattr(args, "lang", "fr")
    lang = lang if lang in WORDS else "fr"
    if not re.fullmatch(r"[a-z0-9-]+", args.id):
        from .validate import _slug_hint

        hint = _slug_hint(args.id, "-")
        print(f"pandore: {w(lang, 'bad_id', id=args.id)}" + (f" ({hint})" if hint else ""), file=sys.stderr)
        return 2
    folder = Path(args.dir) / args.id
    target = folder / f"{lang}.yaml"
    if target.exists():
        print(f"pandore: {w(lang, 'exists', file=target)}", file=sys.stderr)
        return 2
    original = folder / "fr.yaml"
    if lang != "fr" and original.exists():
        print(f"pandore: {w(lang, 'translate', orig=original, file=target)}", file=sys.stderr)
        return 2
    text = starter_text(args.id, lang, _schema_ref(target))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Exclusive creation: never overwrite, even if the file appeared meanwhile.
        with open(target, "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except FileExistsError:
        print(f"pandore: {w(lang, 'exists', file=target)}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"pandore: cannot write {target}: {e.strerror or e}", file=sys.stderr)
        return 2
    print(w(lang, "created", file=target))
    print(w(lang, "next", file=target))
    return 0


__all__ = ["add_commands", "cmd_analyze", "cmd_graph", "cmd_new", "format_analysis", "format_random", "starter_text"]
