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

from game.i18n import LANGUAGES, choose_language, t
from game.i18n.typography import colon, number, percent, visible

from . import library
from .check import CHECK_MAX_STATES
from .diagnostics import Diagnostic, exit_code, print_diagnostics
from .files import atomic_write_bytes

TEMPLATES = Path(__file__).with_name("templates")
SCHEMA_FILE = resources.schema_file()

MAX_TURNS = 1000


def w(ui: str, key: str, **values) -> str:
    """The authoring commands' words: the catalogue's `analyze.KEY` (or `graph.`, `new.`) in `ui`."""
    for prefix in ("analyze.", "graph.", "new."):
        text = t(prefix + key, ui, **values)
        if text != prefix + key:
            return text
    return key


def _number(n: float | int, lang: str) -> str:
    return number(n, lang, 2 if isinstance(n, float) else None)


def add_commands(sub) -> None:
    """Register analyze, graph and new on the CLI's subparsers (worded in `sub.lang`)."""
    lang = getattr(sub, "lang", None) or choose_language()
    H = lambda key, **v: t(f"cli.help.{key}", lang, **v)  # noqa: E731
    kw = {"lang": lang} if getattr(sub, "_parser_class", None) is not argparse.ArgumentParser else {}
    p = sub.add_parser("analyze", help=H("analyze"), description=H("analyze"), **kw)
    p.add_argument("path", help=H("scenario"))
    p.add_argument("--json", action="store_true", help=H("json"))
    p.add_argument("--max-states", type=_positive, default=DEFAULT_MAX_STATES, metavar="N",
                   help=H("max_states", n=DEFAULT_MAX_STATES))
    p.add_argument("--random", type=_positive, metavar="N", help=H("random"))
    p.add_argument("--seed", type=int, default=0, metavar="S", help=H("random_seed"))
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=H("lang"))
    p.set_defaults(func=cmd_analyze)

    g = sub.add_parser("graph", help=H("graph"), description=H("graph"), **kw)
    g.add_argument("path", help=H("scenario"))
    g.add_argument("--format", choices=("dot", "mermaid", "svg", "png"), help=H("format"))
    g.add_argument("-o", "--output", help=H("output"))
    g.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=H("lang"))
    g.set_defaults(func=cmd_graph)

    n = sub.add_parser("new", help=H("new"), description=H("new"), **kw)
    n.add_argument("id", help=H("id"))
    n.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=H("new_lang"))
    n.add_argument("--dir", default=None, help=H("dir"))
    n.set_defaults(func=cmd_new)


def _positive(text: str) -> int:
    lang = choose_language()
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.not_a_number", lang, value=text)) from None
    if n < 1:
        raise argparse.ArgumentTypeError(t("cli.at_least_one", lang))
    return n


def _explicit(args) -> str | None:
    lang = getattr(args, "lang", None)
    return lang if lang in LANGUAGES else None


def _lang(args) -> str:
    """The language of the command's words: --lang, else the system's."""
    return choose_language(_explicit(args))


def _print_diagnostics(diags: list[Diagnostic]) -> None:
    print_diagnostics(diags, sys.stderr)


def _load(args):
    """(scenario, None) or (None, exit code) after reporting why."""
    explicit = _explicit(args)
    path, loaded = library.load(args.path, explicit or "fr", diagnostics_lang=explicit)
    if path is None:
        print(visible(f"pandore: {t('cli.unknown_scenario', _lang(args), name=args.path)}"), file=sys.stderr)
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
        print(visible(format_analysis(scenario, a, lang)))  # the file's texts cannot act on the terminal
        if rnd is not None:
            print()
            print(visible(format_random(scenario, rnd, lang)))


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
            paths = f"≈ {number(float(text[0] + '.' + text[1]), lang, 1)}e{len(text) - 1}"
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
        if not items:
            out.append(f"{title}{colon(lang)}{L('nothing_f' if feminine else 'nothing')}")
        else:
            out.append(f"{title}{colon(lang).rstrip()}")
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
    section(L("never_available"), [f"{n}{colon(lang)}{c}" for n, c in a.never_available])
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
        out.append(f"  {g}{colon(lang)}")
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
    return percent(100 * n / total, lang, 1)


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
            print(f"pandore: {t('graph.missing', lang, format=fmt.upper())}", file=sys.stderr)
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
            except GraphvizMissing:
                print(f"pandore: {t('graph.missing', lang, format=fmt.upper())}", file=sys.stderr)
                return 2
            except GraphvizFailed as e:
                print(f"pandore: {t('graph.failed', lang, detail=e.detail)}", file=sys.stderr)
                return 2
    if args.output:
        try:
            atomic_write_bytes(Path(args.output), data)
        except OSError as e:
            print(f"pandore: {t('graph.cannot_write', lang, file=args.output, reason=e.strerror or e)}", file=sys.stderr)
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


def scenarios_folder() -> Path:
    """Where `pandore new` writes: $PANDORE_SCENARIOS's first folder, else ./scenarios when the working
    folder is a project (it has one), else the shipped library's folder when it can be written to,
    else ./scenarios. The command says where it wrote, and `check`/`play` find it by its id."""
    env = os.environ.get("PANDORE_SCENARIOS")
    if env:
        first = next((p for p in env.split(os.pathsep) if p), None)
        if first:
            return Path(first)
    here = Path.cwd() / "scenarios"
    if here.is_dir():
        return here
    if library.PACKAGE_SCENARIOS.is_dir() and os.access(library.PACKAGE_SCENARIOS, os.W_OK):
        return library.PACKAGE_SCENARIOS
    return here


def _editor_setup(target: Path, lang: str) -> None:
    """The per-scenario schema and VS Code's settings beside a new scenario (game/authoring/vscode.py);
    a problem here is said, and the scenario stays written."""
    from .loader import LoadError, read_document
    from .vscode import write_schema, write_settings

    try:
        try:
            data = read_document(target).data
        except LoadError:
            data = None
        schema = write_schema(target, data)
        done = write_settings(target.parent, (target.stem,))
    except OSError as e:
        print(f"pandore: {w(lang, 'vscode_cannot', reason=e.strerror or e)}", file=sys.stderr)
        return
    print(w(lang, "schema_written", file=schema.resolve()))
    if done.outcome == "kept":
        print(w(lang, "vscode_kept", file=done.path.resolve(), add=done.missing))
    else:
        print(w(lang, f"vscode_{done.outcome}", file=done.path.resolve()))


def cmd_new(args: argparse.Namespace) -> int:
    lang = getattr(args, "lang", None)
    lang = lang if lang in LANGUAGES else "fr"
    if not re.fullmatch(r"[a-z0-9-]+", args.id):
        from .validate import slug

        better = slug(args.id, "-")
        hint = f" ({t('new.bad_id_hint', lang, slug=better)})" if better else ""
        print(f"pandore: {w(lang, 'bad_id', id=args.id)}{hint}", file=sys.stderr)
        return 2
    folder = (Path(args.dir) if args.dir else scenarios_folder()) / args.id
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
        print(f"pandore: {t('new.cannot_write', lang, file=target, reason=e.strerror or e)}", file=sys.stderr)
        return 2
    print(w(lang, "created", file=target.resolve()))
    _editor_setup(target, lang)
    # The next commands name the scenario by its id when `pandore` finds it that way, else by its path.
    found = library.resolve(args.id, lang)
    name = args.id if found is not None and found.resolve() == target.resolve() else str(target)
    print(w(lang, "next", id=name))
    return 0


__all__ = ["add_commands", "cmd_analyze", "cmd_graph", "cmd_new", "format_analysis", "format_random", "starter_text"]
