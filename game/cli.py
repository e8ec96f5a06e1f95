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
import sys
from pathlib import Path

from game import __version__
from game.authoring import library
from game.authoring.commands import add_commands
from game.authoring.diagnostics import Diagnostic, exit_code, sort_key
from game.i18n import LANGUAGES, t


def _print_diagnostics(diags: list[Diagnostic], stream=None) -> None:
    stream = stream or sys.stderr
    by_file: dict[str, list[Diagnostic]] = {}
    for d in sorted(diags, key=sort_key):
        by_file.setdefault(d.file, []).append(d)
    for file, items in by_file.items():
        for d in items:
            print(d.format(), file=stream)
        errors = sum(d.severity == "error" for d in items)
        warnings = len(items) - errors
        print(f"{file}: {errors} error(s), {warnings} warning(s)", file=stream)


def _load_or_report(name: str, lang: str):
    path, loaded = library.load(name, lang)
    if path is None:
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
        _list_scenarios(args.lang)
        return 0
    from game.ui.app import run as run_window  # imported on use: pygame takes a while to load

    return run_window(lang=args.lang)


def cmd_play(args: argparse.Namespace) -> int:
    from game.terminal import ChoicePickError, TerminalPlayer, json_line

    loaded, code = _load_or_report(args.scenario, args.lang)
    if loaded is None:
        return code
    scenario = loaded.scenario
    lang = scenario.language if scenario.language in LANGUAGES else args.lang
    if not args.text and not window_available():
        args.text = True
    if not args.text:
        from game.ui.app import run as run_window  # imported on use: pygame takes a while to load

        size = _parse_size(args.size)
        if size is None and args.size:
            print(f"pandore: --size expects WIDTHxHEIGHT, e.g. 1280x720 (got '{args.size}')", file=sys.stderr)
            return 2
        return run_window(scenario_path=str(loaded.path), lang=lang, seed=args.seed, autoplay=args.autoplay,
                          screenshots=args.screenshots, size=size)
    scripted = args.choices is not None
    tokens = [c for c in (args.choices or "").split(",") if c.strip()] if scripted else []
    seed = args.seed if args.seed is not None else (0 if scripted or args.json else random.randrange(1_000_000))
    out = io.StringIO() if args.json else sys.stdout  # --json prints only the object
    player = TerminalPlayer(scenario, seed, out=out, lang=lang,
                            command=f"pandore play {args.scenario}" + (f" --lang {args.lang}" if args.lang != "fr" else ""))
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


def _parse_size(text: str | None) -> tuple[int, int] | None:
    try:
        w, h = (int(x) for x in (text or "").lower().split("x"))
    except ValueError:
        return None
    return (w, h) if 320 <= w <= 7680 and 240 <= h <= 4320 else None


def cmd_check(args: argparse.Namespace) -> int:
    from game.authoring.check import check_paths

    diags, files = check_paths(args.paths)
    if diags:
        _print_diagnostics(diags, sys.stdout)
    code = exit_code(diags)
    errors = sum(d.severity == "error" for d in diags)
    warnings = len(diags) - errors
    if code == 2:
        print(f"{files} file(s) checked: some input could not be read (exit 2)")
    elif errors:
        print(f"{files} file(s) checked: {errors} error(s), {warnings} warning(s)")
    else:
        print(f"{files} file(s) checked: no error" + (f", {warnings} warning(s)" if warnings else ""))
    return code


def cmd_schema(args: argparse.Namespace) -> int:
    from game.authoring.schema import schema_text

    text = schema_text()
    if args.output:
        from game.authoring.files import atomic_write_text

        atomic_write_text(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pandore", description="Pandore: dilemmas of digital practice in social work.")
    p.add_argument("--version", action="version", version=f"pandore {__version__}")
    p.add_argument("--lang", choices=LANGUAGES, default="fr", help="interface language (default fr)")
    p.set_defaults(func=cmd_default)
    sub = p.add_subparsers(dest="command")

    play = sub.add_parser("play", help="play a scenario (window, or terminal with --text)")
    play.add_argument("scenario", help="a YAML file or a scenario id under scenarios/")
    play.add_argument("--lang", choices=LANGUAGES, default="fr", help="scenario language (default fr)")
    play.add_argument("--text", action="store_true", help="play in the terminal")
    play.add_argument("--seed", type=int, help="seed of the random draws (default: 0 with --choices/--json, random otherwise)")
    play.add_argument("--choices", help="comma-separated choice ids or 1-based numbers, played in order")
    play.add_argument("--json", action="store_true", help="print one JSON object with the result")
    play.add_argument("--autoplay", help="window: play these choices by itself (ids/numbers, 'first' or 'random:SEED')")
    play.add_argument("--screenshots", help="window, with --autoplay: folder for a PNG of every screen")
    play.add_argument("--size", default=None, help="window size WxH (default 1280x720)")
    play.set_defaults(func=cmd_play)

    check = sub.add_parser("check", help="check scenario files or folders")
    check.add_argument("paths", nargs="+", help="files or folders")
    check.set_defaults(func=cmd_check)

    schema = sub.add_parser("schema", help="write the JSON Schema of the scenario format")
    schema.add_argument("-o", "--output", help="file to write (default: standard output)")
    schema.set_defaults(func=cmd_schema)

    add_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "play" and args.json:
        args.text = True
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(f"\n{t('cli.interrupted', getattr(args, 'lang', 'fr'))}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
