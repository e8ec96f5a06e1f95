"""Every shipped scenario plays to an ending in the window (first available
choice each time), at the smallest supported size, alternating its languages;
and only the controller plays (scenes never call the engine's rules)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.authoring import library

# one language per scenario, alternating, so both catalogues are exercised within the time budget
ENTRIES = [(e.id, e.languages[i % len(e.languages)]) for i, e in enumerate(library.library())]


@pytest.mark.parametrize("sid,lang", ENTRIES)
def test_shipped_scenario_plays_in_the_window(sid, lang, home, tmp_path):
    from game.ui.app import open_window
    from game.ui.autoplay import autoplay

    entry = next(e for e in library.library() if e.id == sid)
    assert autoplay(open_window, str(entry.file(lang)), "first", None, lang=lang, size=(1024, 600), dirs=home) == 0
    assert not home.log_file.exists(), home.log_file.read_text(encoding="utf-8")


def test_only_the_controller_plays():
    ui = Path(__file__).resolve().parents[2] / "game" / "ui"
    offenders = []
    for py in ui.rglob("*.py"):
        if py.name == "controller.py":
            continue
        src = py.read_text(encoding="utf-8")
        if re.search(r"\bPlaythrough\b|\bimport\s+.*\bstep\b|\bstep\(\s*\w+\.scenario|\.pt\.choose\(|\.pt\.undo\(", src):
            offenders.append(py.name)
    assert not offenders, offenders
