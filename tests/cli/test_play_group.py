"""`pandore play SCENARIO --group`: the option, its help in French and English, the window it opens."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import build_parser, main
from game.i18n import t

VOTE = Path(__file__).resolve().parents[1] / "ui" / "data" / "scenarios" / "vote-test" / "fr.yaml"


def test_the_option_parses():
    args = build_parser("fr").parse_args(["play", str(VOTE), "--group"])
    assert args.group is True
    assert build_parser("en").parse_args(["play", str(VOTE)]).group is False


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_help_says_what_it_does(capsys, lang):
    with pytest.raises(SystemExit):
        main(["play", "--help", "--lang", lang])
    out = " ".join(capsys.readouterr().out.split())
    assert "--group" in out
    assert " ".join(t("cli.help.group", lang).split())[:40] in out


def test_it_opens_the_window_in_group_mode(monkeypatch, tmp_path):
    """The real path: the CLI, game.ui.app.run, open_window, the group briefing, then a vote, headless."""
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setenv("PANDORE_HOME", str(tmp_path / "home"))
    import pygame

    from game.ui import loop
    from game.ui.pilot import Pilot

    seen = {}

    def run(app):
        p = Pilot(app)
        seen["first"] = p.scene.name
        p.key(pygame.K_RETURN)
        seen["then"] = p.scene.name
        p.key(pygame.K_2)
        p.key(pygame.K_RETURN)
        seen["votes"] = p.scene.ctl.votes()
        return 0

    monkeypatch.setattr(loop.App, "run", run)
    assert main(["play", str(VOTE), "--group"]) == 0
    assert seen["first"] == "group_briefing" and seen["then"] == "group_play"
    assert [v[2:4] for v in seen["votes"]] == [({"un": 0, "deux": 1, "trois": 0}, "deux")]


@pytest.mark.parametrize("extra", [["--text"], ["--json"], ["--choices", "1"]])
def test_group_is_for_the_window(capsys, extra):
    assert main(["play", str(VOTE), "--group", *extra]) == 2
    err = capsys.readouterr().err
    assert t("cli.group_window", "fr") in err
