"""The user's own files (settings, autosave, endings found) are read within limits, never raised."""

from __future__ import annotations

import os
import time

import pytest

from game.ui import userdata


@pytest.fixture
def dirs(tmp_path):
    d = userdata.Dirs(tmp_path / "config", tmp_path / "data", tmp_path / "docs")
    d.config.mkdir()
    d.data.mkdir()
    return d


def test_settings_nested_100000_deep_give_the_defaults(dirs):
    dirs.settings_file.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert userdata.load_settings(dirs, default_language="en").language == "en"


def test_a_huge_autosave_is_refused_without_being_read(dirs):
    with open(dirs.autosave_file, "wb") as f:
        f.seek(300 * 2**20)
        f.write(b"}")
    bad = userdata.read_autosave(dirs)
    assert isinstance(bad, userdata.BadAutosave) and "larger than" in bad.reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_an_autosave_that_is_a_fifo_does_not_hang_the_start(dirs):
    os.mkfifo(dirs.autosave_file)
    assert isinstance(userdata.read_autosave(dirs), userdata.BadAutosave)
    os.mkfifo(dirs.progress_file)
    assert userdata.load_progress(dirs).endings == {}


def test_stray_temporaries_of_interrupted_writes_are_removed_at_start(dirs):
    old = dirs.data / ".autosave.json.abc123.tmp"
    old.write_text("{", encoding="utf-8")
    past = time.time() - 3600
    os.utime(old, (past, past))
    fresh = dirs.data / ".progress.json.def456.tmp"  # a write in progress elsewhere: spared
    fresh.write_text("{", encoding="utf-8")
    keep = dirs.data / "autosave.json"
    keep.write_text("{}", encoding="utf-8")
    userdata.tidy(dirs)
    assert not old.exists() and fresh.exists() and keep.exists()


def test_the_window_never_decodes_a_picture_declaring_gigapixels(make_pilot):
    from pathlib import Path

    p = make_pilot()
    huge = Path(__file__).resolve().parents[1] / "authoring" / "bad" / "huge.svg"
    assert p.app.ctx.image(huge, (400, 300)) is None


def test_wrapping_a_ten_thousand_character_word_is_linear(make_pilot):
    from game.ui import text as text_mod

    p = make_pilot()
    f = p.app.ctx.font("body")
    word = "x" * 10_000
    lines = text_mod.wrap(word, f, 400)
    assert "".join(line.rstrip("-") for line in lines) == word
    assert all(f.size(line)[0] <= 400 for line in lines)
    assert len(lines) < 10_000 // 5  # whole lines, not one character at a time
    cut = text_mod.fit("y" * 10_000, p.app.ctx.font_path(), p.app.ctx.metrics["body"], (0, 0, 0), 300)
    assert cut.get_width() <= 300


def test_long_runs_reach_pygame_gui_in_pieces_that_keep_the_text():
    import re

    from game.ui.scene import PIECE, in_pieces

    prose = " ".join(f"mot{i}" for i in range(2000)) + " &amp; fin"
    word = "x" * 10_000
    for html in (f"<font size=4>{prose}</font>", f"<b>{word}</b>", "court &amp; simple"):
        out = in_pieces(html)
        assert re.sub(r"</?font>", "", out) == re.sub(r"</?font>", "", html)  # the same text, the same tags
        for piece in re.findall(r"<font>([^<]*)</font>", out):
            assert len(piece) <= PIECE and not re.search(r"&[a-z]*$", piece)  # no entity cut in two
    assert in_pieces("court &amp; simple") == "court &amp; simple"
