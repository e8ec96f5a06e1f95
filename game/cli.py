"""The command line: `pandore [play|check|schema|...]`.

Exit codes: 0 success; 1 errors in a scenario; 2 unusable input or a bad
command line (unknown scenario, impossible --choices). Nothing a user types
or writes ends in a traceback.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import random
import re
import sys
from pathlib import Path

from game import __version__
from game.authoring import library
from game.authoring.commands import _positive as _positive_seconds
from game.authoring.commands import add_commands
from game.authoring.diagnostics import Diagnostic, exit_code, print_diagnostics
from game.i18n import LANGUAGES, choose_language, system_language, t


def _print_diagnostics(diags: list[Diagnostic], stream=None) -> None:
    print_diagnostics(diags, stream or sys.stderr)


def _explicit(args: argparse.Namespace) -> str | None:
    """The --lang given on the command line, or None."""
    lang = getattr(args, "lang", None)
    return lang if lang in LANGUAGES else None


def _ui(args: argparse.Namespace) -> str:
    """The language of the command's own messages: --lang, else the system's."""
    return choose_language(_explicit(args))


def _load_or_report(name: str, args: argparse.Namespace):
    explicit = _explicit(args)
    path, loaded = library.load(name, explicit or "fr", diagnostics_lang=explicit)
    if path is None:
        lang = _ui(args)
        print(f"pandore: {t('cli.unknown_scenario', lang, name=name)}", file=sys.stderr)
        _list_scenarios(lang, sys.stderr)
        return None, 2
    if not loaded.ok:
        _print_diagnostics(loaded.diagnostics)
        return None, exit_code(loaded.diagnostics)
    return loaded, 0


def _list_scenarios(lang: str, stream=None) -> None:
    stream = stream or sys.stdout
    entries = library.library()
    if not entries:
        print(t("cli.no_scenarios", lang, folder=library.PACKAGE_SCENARIOS), file=stream)
        return
    print(t("cli.scenarios", lang), file=stream)
    for e in entries:
        loaded = library.load_file(e.file(lang))
        title = loaded.scenario.title if loaded.ok else "(!)"
        minutes = f"{loaded.scenario.duration_minutes} min" if loaded.ok and loaded.scenario.duration_minutes else ""
        print(f"  {e.id:<26} {title}  {minutes}  [{', '.join(e.languages)}]", file=stream)
    print(file=stream)
    print(t("cli.how_to_play", lang), file=stream)


def window_available() -> bool:
    """Whether the window's libraries are installed (they are optional for the terminal and the tools)."""
    return all(importlib.util.find_spec(m) is not None for m in ("pygame", "pygame_gui"))


def cmd_default(args: argparse.Namespace) -> int:
    if not window_available():
        _list_scenarios(_ui(args))
        return 0
    from game.ui.app import run as run_window  # imported on use: pygame takes a while to load

    return run_window(lang=_ui(args))


def cmd_play(args: argparse.Namespace) -> int:
    from game.terminal import ChoicePickError, TerminalPlayer, json_line

    loaded, code = _load_or_report(args.scenario, args)
    if loaded is None:
        return code
    scenario = loaded.scenario
    lang = scenario.language if scenario.language in LANGUAGES else _ui(args)
    if not args.text and not window_available():
        args.text = True
    if getattr(args, "group", False) and (args.text or args.autoplay or args.choices is not None):
        print(f"pandore: {t('cli.group_window', lang)}", file=sys.stderr)
        return 2
    if getattr(args, "watch", False) and not args.text:
        return _preview(str(loaded.path), lang, args)
    if not args.text:
        from game.ui.app import run as run_window  # imported on use: pygame takes a while to load

        size = _parse_size(args.size)
        if size is None and args.size:
            print(f"pandore: {t('cli.size', lang, value=args.size)}", file=sys.stderr)
            return 2
        return run_window(scenario_path=str(loaded.path), lang=lang, seed=args.seed, autoplay=args.autoplay,
                          screenshots=args.screenshots, size=size, **({"group": True} if args.group else {}))
    scripted = args.choices is not None
    tokens = [c for c in (args.choices or "").split(",") if c.strip()] if scripted else []
    seed = args.seed if args.seed is not None else (0 if scripted or args.json else random.randrange(1_000_000))
    out = io.StringIO() if args.json else sys.stdout  # --json prints only the object
    player = TerminalPlayer(scenario, seed, out=out, lang=lang,
                            command=f"pandore play {args.scenario}" + (f" --lang {lang}" if lang != "fr" else ""))
    if not args.json:
        player.intro()
    try:
        player.play_scripted(tokens, echo=not args.json)
    except ChoicePickError as e:
        print(f"pandore: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json_line(player.pt))
        return 0
    if player.pt.state.finished:
        player.show_ending()
    elif scripted and not sys.stdin.isatty():
        player.show_node()
        player.say()
        player.say(t("term.stopped", lang, node=player.pt.state.node))
    else:
        player.play_interactive(input)
    return 0


def _preview(path: str, lang: str, args: argparse.Namespace) -> int:
    from game.ui.watch import run_preview  # imported on use: pygame takes a while to load

    size = _parse_size(args.size) if args.size else None
    if size is None and args.size:
        print(f"pandore: {t('cli.size', lang, value=args.size)}", file=sys.stderr)
        return 2
    return run_preview(path, lang=_explicit(args) or system_language(), seed=args.seed, size=size)


def cmd_preview(args: argparse.Namespace) -> int:
    """The live preview: the file is watched even when it does not load yet (its problems are shown)."""
    from game.authoring.library import resolve

    lang = _ui(args)
    p = Path(args.scenario)
    path = p if p.is_file() else resolve(args.scenario)
    if path is None or not Path(path).is_file():
        print(f"pandore: {t('cli.unknown_scenario', lang, name=args.scenario)}", file=sys.stderr)
        return 2
    if not window_available():
        print(f"pandore: {t('ui.error.no_screen', lang)}", file=sys.stderr)
        return 2
    return _preview(str(path), lang, args)


def _parse_size(text: str | None) -> tuple[int, int] | None:
    try:
        w, h = (int(x) for x in (text or "").lower().split("x"))
    except ValueError:
        return None
    return (w, h) if 320 <= w <= 7680 and 240 <= h <= 4320 else None


def cmd_check(args: argparse.Namespace) -> int:
    from game.authoring.check import check_paths

    explicit = _explicit(args)
    diags, files = check_paths(args.paths, lang=explicit)
    if diags:
        _print_diagnostics(diags, sys.stdout)
    code = exit_code(diags)
    errors = sum(d.severity == "error" for d in diags)
    warnings = len(diags) - errors
    langs = {d.lang for d in diags}
    lang = explicit or (langs.pop() if len(langs) == 1 else system_language())
    if code == 2:
        print(t("cli.check.unusable", lang, files=files, errors=errors, warnings=warnings))
    elif errors:
        print(t("cli.check.errors", lang, files=files, errors=errors, warnings=warnings))
    else:
        print(t("cli.check.done_warnings" if warnings else "cli.check.done", lang, files=files, warnings=warnings))
    return code


def cmd_explain(args: argparse.Namespace) -> int:
    from game.authoring.diagnostics import codes, explain, severity_of, template

    lang = _ui(args)
    if not args.code:
        print(t("cli.explain.list", lang))
        for code in codes():
            print(f"  {code}  {t('diag.' + severity_of(code), lang):<14} {template(code, lang)}")
        return 0
    text = explain(args.code, lang)
    if text is None:
        print(f"pandore: {t('diag.explain.unknown', lang, code=args.code)}", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from game.authoring.schema import schema_for, schema_text

    if args.for_file:
        from game.authoring.library import resolve
        from game.authoring.loader import LoadError, read_document

        path = resolve(args.for_file)
        if path is None or not Path(path).is_file():
            print(f"pandore: {t('cli.unknown_scenario', _ui(args), name=args.for_file)}", file=sys.stderr)
            return 2
        try:
            data = read_document(path).data
        except LoadError as e:  # unreadable YAML: the format's schema, without this file's names
            _print_diagnostics([e.diagnostic])
            data = None
        text = schema_text(schema_for(data))
    else:
        text = schema_text()
    if args.output:
        from game.authoring.files import atomic_write_text

        try:
            atomic_write_text(Path(args.output), text)
        except OSError as e:  # a folder, a read-only place, a full disk: say so, no traceback
            lang = _ui(args)
            print(f"pandore: {t('graph.cannot_write', lang, file=args.output, reason=e.strerror or e)}",
                  file=sys.stderr)
            return 2
    else:
        sys.stdout.write(text)
    return 0


def _classroom_store():
    from game.classroom.store import Store

    return Store()


def _host_window_refused(lrs_config) -> str | None:
    """Why `pandore host` without --headless serves without a window (a key of cli.host.no_window.*), or
    None: the window hosts. No screen (SSH, a server; the tests' dummy driver) or an LRS to forward to
    (the headless host's) keep the terminal."""
    import os

    if lrs_config is not None:
        return "lrs"
    if os.environ.get("SDL_VIDEODRIVER", "") in ("dummy", "offscreen"):
        return "no_screen"
    if os.name == "posix" and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) \
            and sys.platform != "darwin":
        return "no_screen"
    return None


def cmd_host(args: argparse.Namespace) -> int:
    from game.classroom import lrs
    from game.classroom.host import first_line, serve
    from game.classroom.session import ClassSession

    lang = _ui(args)
    try:
        lrs_config = lrs.resolve(args.lrs, args.lrs_user, args.lrs_password, args.lrs_config, args.lrs_home_page)
    except lrs.ConfigError as e:
        print(f"pandore: {t(e.key, lang, **e.fields)}", file=sys.stderr)
        return 2
    loaded = None
    if not args.resume:
        if not args.scenario:
            print(f"pandore: {t('cli.host.needs_scenario', lang)}", file=sys.stderr)
            return 2
        loaded, code = _load_or_report(args.scenario, args)
        if loaded is None:
            return code
    if not args.headless and not args.json:
        why = _host_window_refused(lrs_config)
        if why is None:  # the hosting screen: the code in large letters, the QR code, the class view
            from game.ui.app import run

            return run(lang=lang, host={"scenario_path": None if args.resume else str(loaded.path),
                                        "resume": args.resume, "bind": args.bind, "port": args.port,
                                        "undo_allowed": not args.no_undo})
        print(t(f"cli.host.no_window.{why}", lang), file=sys.stderr)
    store = _classroom_store()
    if args.resume:
        session = ClassSession.open(store, args.resume)
        if session is None:
            print(f"pandore: {t('cli.host.unknown_session', lang, session=args.resume)}", file=sys.stderr)
            return 2
    else:
        session = ClassSession.create(store, Path(loaded.path), undo_allowed=not args.no_undo)

    def ready(addr) -> None:
        if args.json:
            print(first_line(session, addr), flush=True)
        else:
            print(t("cli.host.ready", lang, code=session.row.code, join_url=addr.join_url))
            print(t("cli.host.trainer", lang, token=session.row.trainer_token))
            print(t("cli.host.stop", lang, session=session.row.id), flush=True)
        if lrs_config is not None:
            print(t("cli.lrs.forwarding", lang, url=lrs_config.url), file=sys.stderr, flush=True)

    def notify(kind: str, **fields) -> None:  # the forwarder's news, for the trainer's terminal
        print(t(f"cli.lrs.{kind}", lang, **fields), file=sys.stderr, flush=True)

    try:
        return serve(session, args.bind, args.port, on_ready=ready, lrs=lrs_config, abandon_after=args.abandon_after,
                     notify=notify)
    except OSError as e:
        print(f"pandore: {t('cli.host.port_taken', lang, bind=args.bind, port=args.port, error=e.strerror or e)}",
              file=sys.stderr)
        return 2


def cmd_report(args: argparse.Namespace) -> int:
    import json as _json

    from game.authoring.files import atomic_write_text
    from game.classroom.report import csv_text, report_html
    from game.classroom.session import ClassSession

    lang = _ui(args)
    session = ClassSession.open(_classroom_store(), args.session)
    if session is None:
        print(f"pandore: {t('cli.host.unknown_session', lang, session=args.session)}", file=sys.stderr)
        return 2
    # the report speaks --lang, else the scenario's language (a French scenario, a French report), else the system's
    lang = choose_language(_explicit(args), session.row.language)
    if args.output:
        try:
            atomic_write_text(Path(args.output), report_html(session, lang))
        except OSError as e:
            print(f"pandore: {t('cli.report.cannot_write', lang, path=args.output, error=e.strerror or e)}",
                  file=sys.stderr)
            return 2
        print(t("cli.report.written", lang, path=args.output), file=sys.stderr if args.json else sys.stdout)
    if args.csv:
        folder = Path(args.csv)
        # By default the format's own CSV (UTF-8, ","), as DESIGN.md's contract and every csv reader expect.
        # --excel: what Excel opens in columns on a double click: a byte order mark (without it Excel
        # garbles accents) and, in French, ";" (Excel's list separator in French locales).
        sep = ";" if args.excel and lang == "fr" else ","
        try:
            folder.mkdir(parents=True, exist_ok=True)
            atomic_write_text(folder / "choices.csv", ("\ufeff" if args.excel else "")
                              + csv_text(session, sep, anonymous=args.anonymous))
        except OSError as e:
            print(f"pandore: {t('cli.report.cannot_write', lang, path=folder / 'choices.csv', error=e.strerror or e)}",
                  file=sys.stderr)
            return 2
        print(t("cli.report.written", lang, path=folder / "choices.csv"), file=sys.stderr if args.json else sys.stdout)
    if args.xapi:
        from game.classroom import lrs, xapi

        stmts = lrs.statements(session.store.path, session.row.id)
        try:
            atomic_write_text(Path(args.xapi), xapi.jsonl(stmts))
        except OSError as e:
            print(f"pandore: {t('cli.report.cannot_write', lang, path=args.xapi, error=e.strerror or e)}",
                  file=sys.stderr)
            return 2
        print(t("cli.report.xapi_written", lang, n=len(stmts), path=args.xapi),
              file=sys.stderr if args.json else sys.stdout)
    if args.json or not (args.output or args.csv or args.xapi):
        print(_json.dumps(session.summary(), ensure_ascii=False))
    return 0


def cmd_sessions(args: argparse.Namespace) -> int:
    """`sessions list`, `sessions purge [--all | --older-than 30d]`, `sessions delete SESSION`.

    purge and delete remove a session's data for good: its participants, choices, votes and xAPI
    statements (the CLI cannot know whether a host is serving it right now)."""
    import datetime as _dt
    import time as _time

    from game.classroom import retention

    lang = _ui(args)
    if args.action != "purge" and (args.all or args.older_than is not None):
        print(f"pandore: {t('cli.sessions.purge_only', lang)}", file=sys.stderr)
        return 2
    if args.action != "delete" and args.session is not None:
        print(f"pandore: {t('cli.sessions.no_session_here', lang, action=args.action, session=args.session)}",
              file=sys.stderr)
        return 2
    if args.action == "delete" and not args.session:
        print(f"pandore: {t('cli.sessions.needs_session', lang)}", file=sys.stderr)
        return 2
    older = None
    if args.older_than is not None:
        older = retention.parse(args.older_than)
        if older is None:
            print(f"pandore: {t('cli.sessions.bad_duration', lang, value=args.older_than)}", file=sys.stderr)
            return 2
        if args.all:
            print(f"pandore: {t('cli.sessions.all_and_older', lang)}", file=sys.stderr)
            return 2
    store = _classroom_store()
    created = lambda r: _dt.datetime.fromtimestamp(r.created).strftime("%Y-%m-%d %H:%M")  # noqa: E731
    if args.action in ("purge", "delete"):
        if args.action == "delete":
            row = store.session(args.session)
            if row is None:
                print(f"pandore: {t('cli.host.unknown_session', lang, session=args.session)}", file=sys.stderr)
                return 2
            gone = [row]
        elif older is not None:
            gone = store.sessions_before(_time.time() - older.seconds)
        else:
            gone = [r for r in store.sessions() if args.all or r.state == "ended"]
        from game.classroom import lrs

        n_p = n_c = 0
        for r in gone:
            p, c = store.counts(r.id)
            store.delete_session(r.id)
            lrs.purge(store.path, r.id)  # its xAPI statements go with it
            n_p, n_c = n_p + p, n_c + c
            print(t("cli.sessions.deleted_row", lang, id=r.id, code=r.code, scenario=r.scenario_id,
                    created=created(r), participants=p, choices=c))
        print(t("cli.sessions.purged", lang, n=len(gone), participants=n_p, choices=n_c))
        return 0
    rows = store.sessions()
    if not rows:
        print(t("cli.sessions.none", lang))
    for r in rows:
        n_p, n_c = store.counts(r.id)
        print(t("cli.sessions.row", lang, id=r.id, code=r.code, state=r.state, scenario=r.scenario_id,
                participants=n_p, choices=n_c, created=created(r)))
    return 0


class _Formatter(argparse.HelpFormatter):
    """argparse's help, with its own words in the chosen language."""

    lang = "fr"

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, t("cli.usage", self.lang) if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks the chosen language, its help and its errors included."""

    def __init__(self, *a, lang: str = "fr", **kw):
        formatter = type("Formatter", (_Formatter,), {"lang": lang})
        super().__init__(*a, formatter_class=formatter, add_help=False, **kw)
        self.lang = lang
        self._positionals.title = t("cli.positionals", lang)
        self._optionals.title = t("cli.options", lang)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=t("cli.help.help", lang))

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, t("cli.error", self.lang, prog=self.prog, message=_argparse_words(message, self.lang)) + "\n")


def _argparse_words(message: str, lang: str) -> str:
    """argparse's error messages in `lang` (the common ones)."""
    patterns = [
        (r"the following arguments are required: (.*)", "cli.err.required", ("names",)),
        (r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)", "cli.err.choice", ("option", "value", "choices")),
        (r"unrecognized arguments: (.*)", "cli.err.unrecognized", ("args",)),
        (r"argument (\S+): expected one argument", "cli.err.expected_one", ("option",)),
        (r"argument (\S+): invalid int value: '(.*)'", "cli.err.invalid_int", ("option", "value")),
        (r"argument (\S+): (.*)", "cli.err.argument", ("option", "message")),
    ]
    for pattern, key, names in patterns:
        m = re.fullmatch(pattern, message)
        if m:
            return t(key, lang, **dict(zip(names, m.groups())))
    return message


def _argv_language(argv: list[str] | None) -> str:
    """The --lang of the command line, read before parsing (the help is worded in it), else the system's."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, a in enumerate(args):
        if a == "--lang" and i + 1 < len(args) and args[i + 1] in LANGUAGES:
            return args[i + 1]
        if a.startswith("--lang=") and a[7:] in LANGUAGES:
            return a[7:]
    return system_language()


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    lang = lang or system_language()
    H = lambda key, **v: t(f"cli.help.{key}", lang, **v)  # noqa: E731
    sub_kw = {"lang": lang}
    p = Parser(prog="pandore", description=t("cli.description", lang), lang=lang)
    p.add_argument("--version", action="version", version=f"pandore {__version__}", help=H("version"))
    p.add_argument("--lang", choices=LANGUAGES, default=None, help=H("lang"))
    p.set_defaults(func=cmd_default)
    sub = p.add_subparsers(dest="command", title=t("cli.commands", lang), parser_class=Parser)
    sub.lang = lang  # read by add_commands

    play = sub.add_parser("play", help=H("play"), description=H("play"), **sub_kw)
    play.add_argument("scenario", help=H("scenario"))
    play.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=H("lang"))
    play.add_argument("--text", action="store_true", help=H("text"))
    play.add_argument("--seed", type=int, help=H("seed"))
    play.add_argument("--choices", help=H("choices"))
    play.add_argument("--json", action="store_true", help=H("json"))
    play.add_argument("--autoplay", help=H("autoplay"))
    play.add_argument("--screenshots", help=H("screenshots"))
    play.add_argument("--size", default=None, help=H("size"))
    play.add_argument("--group", action="store_true", help=H("group"))
    play.add_argument("--watch", action="store_true",
                      help="aperçu en direct : la fenêtre suit le fichier — live preview: the window follows the file")
    play.set_defaults(func=cmd_play)

    preview = sub.add_parser("preview", help="aperçu en direct d'un scénario (carte, problèmes, partie) — "
                             "live preview of a scenario (map, problems, play)", **sub_kw)
    preview.add_argument("scenario", help=H("scenario"))
    preview.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=H("lang"))
    preview.add_argument("--seed", type=int, help=H("seed"))
    preview.add_argument("--size", default=None, help=H("size"))
    preview.set_defaults(func=cmd_preview)

    check = sub.add_parser("check", help=H("check"), description=H("check"), **sub_kw)
    check.add_argument("paths", nargs="+", help=H("paths"))
    check.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=H("lang"))
    check.set_defaults(func=cmd_check)

    explain = sub.add_parser("explain", help=H("explain"), description=H("explain"), **sub_kw)
    explain.add_argument("code", nargs="?", help=H("code"))
    explain.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=H("lang"))
    explain.set_defaults(func=cmd_explain)

    schema = sub.add_parser("schema", help=H("schema"), description=H("schema"), **sub_kw)
    schema.add_argument("-o", "--output", help=H("output"))
    schema.add_argument("--for", dest="for_file", metavar="FILE",
                        help="le schéma de ce scénario : ses nœuds, fins, jauges et variables énumérés — "
                             "this scenario's schema: its nodes, endings, gauges and variables enumerated")
    schema.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=H("lang"))
    schema.set_defaults(func=cmd_schema)

    host = sub.add_parser("host", help=H("host"), description=H("host"), **sub_kw)
    host.add_argument("scenario", nargs="?", help=H("scenario"))
    host.add_argument("--bind", default="0.0.0.0", help=H("bind"))
    host.add_argument("--port", type=int, default=8765, help=H("port"))
    host.add_argument("--headless", action="store_true", help=H("headless"))
    host.add_argument("--json", action="store_true", help=H("host_json"))
    host.add_argument("--resume", metavar="SESSION", help=H("resume"))
    host.add_argument("--no-undo", action="store_true", help=H("no_undo"))
    host.add_argument("--lrs", metavar="URL", help=H("lrs"))
    host.add_argument("--lrs-user", metavar="USER", help=H("lrs_user"))
    host.add_argument("--lrs-password", metavar="PASSWORD", help=H("lrs_password"))
    host.add_argument("--lrs-config", metavar="FILE", help=H("lrs_config"))
    host.add_argument("--lrs-home-page", metavar="IRI", help=H("lrs_home_page"))
    host.add_argument("--abandon-after", type=_positive_seconds, default=None, metavar="SECONDS",
                      help=H("abandon_after"))
    host.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=H("lang"))
    host.set_defaults(func=cmd_host)

    report = sub.add_parser("report", help=H("report"), description=H("report"), **sub_kw)
    report.add_argument("session", help=H("session"))
    report.add_argument("-o", "--output", help=H("report_output"))
    report.add_argument("--csv", metavar="DIR", help=H("csv"))
    report.add_argument("--json", action="store_true", help=H("report_json"))
    report.add_argument("--excel", action="store_true", help=H("csv_excel"))
    report.add_argument("--anonymous", action="store_true", help=H("anonymous"))
    report.add_argument("--xapi", metavar="FILE", help=H("xapi"))
    report.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=H("lang"))
    report.set_defaults(func=cmd_report)

    sessions = sub.add_parser("sessions", help=H("sessions"), description=H("sessions"), **sub_kw)
    sessions.add_argument("action", choices=("list", "purge", "delete"), help=H("sessions_action"))
    sessions.add_argument("session", nargs="?", default=None, help=H("sessions_session"))
    sessions.add_argument("--all", action="store_true", help=H("purge_all"))
    sessions.add_argument("--older-than", metavar="DURATION", default=None, help=H("older_than"))
    sessions.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=H("lang"))
    sessions.set_defaults(func=cmd_sessions)

    add_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(_argv_language(argv))
    args = parser.parse_args(argv)
    if args.command == "play" and args.json:
        args.text = True
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(f"\n{t('cli.interrupted', _ui(args))}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
