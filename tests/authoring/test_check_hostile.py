"""Hostile files, generated at test time: each gets a located error (or loads
correctly) within a second of CPU, with bounded memory, and never a traceback."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from game.authoring.check import check_file
from game.authoring.diagnostics import exit_code
from game.authoring.loader import MAX_BYTES, MAX_DEPTH, load_file
from game.cli import main

VALID = """format: 1
id: essai
language: fr
title: Essai
start: debut
nodes:
  debut:
    text: Un choix.
    choices:
      - {id: oui, text: Oui, effects: {relation: 5, exclusion: -5, workload: 5}, goto: fin}
      - {id: non, text: Non, effects: {relation: -5, exclusion: 5, workload: -5}, goto: fin}
endings:
  fin: {title: Fin}
"""


# DESIGN.md's bound for `check` on any input: 10 s of CPU (a safety bound that a
# hang or an explosion breaks, not a speed measurement: speed lives in bench/).
def checked(path: Path, max_seconds: float = 10.0, max_mib: float = 150):
    """check_file(path), asserting its CPU time, then its peak Python memory (a second, traced run)."""
    t0 = time.process_time()
    diags = check_file(path, lang="en")
    elapsed = time.process_time() - t0
    assert elapsed < max_seconds, f"took {elapsed:.2f} s of CPU"
    tracemalloc.start()
    try:
        again = check_file(path, lang="en")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < max_mib * 2**20, f"peak memory {peak / 2**20:.0f} MiB"
    assert again == diags
    return diags


def first(diags):
    """The diagnostics that say what is wrong, without P128 (the rest could not be checked)."""
    return [d for d in diags if d.code != "P128"]


def write(tmp_path: Path, data: bytes | str, name: str = "hostile.yaml") -> Path:
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def test_alias_bomb(tmp_path):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 12):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    p = write(tmp_path, "\n".join(lines) + "\n")
    diags = checked(p)
    assert [x.code for x in diags] == ["P106", "P128"]
    (d,) = first(diags)
    assert d.severity == "error" and "aliases" in d.message
    assert d.line > 1 and d.col > 1  # where the expansion went over the limit
    assert exit_code([d]) == 2


def test_alias_bomb_inside_a_scenario(tmp_path):
    bomb = "x: &x [a, a, a, a, a, a, a, a, a, a]\n" + "".join(
        f"x{i}: &x{i} [{', '.join(['*x' if i == 1 else f'*x{i - 1}'] * 10)}]\n" for i in range(1, 8))
    p = write(tmp_path, VALID.replace("endings:", "debrief:\n  key_points: *x7\nendings:").replace("format: 1", bomb + "format: 1"))
    diags = first(checked(p))
    assert len(diags) == 1 and "more than" in diags[0].message


@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting(tmp_path, style):
    if style == "flow":
        text = "title: " + "[" * 100_000 + "]" * 100_000 + "\n"
    else:
        text = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n"
    (d,) = first(checked(write(tmp_path, text)))
    assert d.message == f"nesting too deep (more than {MAX_DEPTH} levels)"
    assert d.line >= 1 and exit_code([d]) == 2
    if style == "block":
        assert d.line == MAX_DEPTH + 1


def test_huge_file_is_refused_before_reading(tmp_path):
    p = tmp_path / "huge.yaml"
    with open(p, "wb") as f:
        f.write(b"title: x\n")
        f.seek(MAX_BYTES + 10)
        f.write(b"\n")
    (d,) = checked(p)
    assert d.message.startswith("file too large") and "2 MiB" in d.message
    assert (d.line, d.col) == (1, 1) and exit_code([d]) == 2


def test_many_values_under_the_size_limit(tmp_path):
    text = "title: Essai\nlist:\n" + "- a\n" * 450_000  # 1.8 MB, 450,000 values
    assert len(text) < MAX_BYTES
    (d,) = first(checked(write(tmp_path, text)))
    assert "too many parts" in d.message and d.line > 1


def test_invalid_utf8_is_located(tmp_path):
    raw = VALID.replace("Un choix.", "Un choix \xe9t\xe9.").encode("latin-1")
    (d,) = checked(write(tmp_path, raw))
    offset = raw.index(b"\xe9")
    assert (d.line, d.col) == (8, 20)
    assert d.message == f"not UTF-8 text (byte 0xe9 at offset {offset})"
    assert "UTF-8" in d.hint and exit_code([d]) == 2


def test_bom_is_accepted_and_lines_stay_right(tmp_path):
    text = VALID.replace("goto: fin}\n      - {id: non", "goto: fni}\n      - {id: non")
    (d,) = checked(write(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8")))
    assert (d.line, d.message) == (10, "unknown node or ending 'fni' (did you mean 'fin'?)")
    assert load_file(write(tmp_path, b"\xef\xbb\xbf" + VALID.encode("utf-8"), "ok.yaml")).ok


def test_crlf_line_endings(tmp_path):
    text = VALID.replace("goto: fin}\n      - {id: non", "goto: fni}\n      - {id: non").replace("\n", "\r\n")
    (d,) = checked(write(tmp_path, text))
    assert (d.line, d.message) == (10, "unknown node or ending 'fni' (did you mean 'fin'?)")


def test_nul_byte(tmp_path):
    (d,) = checked(write(tmp_path, VALID.encode("utf-8") + b"\x00"))
    assert "NUL" in d.message and exit_code([d]) == 2


def test_tab_indentation(tmp_path):
    diags = checked(write(tmp_path, VALID.replace("    text: Un choix.", "\ttext: Un choix.")))
    (d,) = diags  # the tab, and nothing else: the rest of the file is read past it and is clean
    assert d.line == 8 and d.hint.startswith("indent with spaces, not tabs")


def test_duplicate_keys_all_reported(tmp_path):
    text = VALID.replace("title: Essai\n", "title: Essai\ntitle: Deux\n").replace(
        "  fin: {title: Fin}\n", "  fin: {title: Fin, title: Fin2}\n")
    diags = checked(write(tmp_path, text))
    assert [(d.line, d.message) for d in diags] == [
        (5, "duplicate key 'title' (first given at line 4)"),
        (14, "duplicate key 'title' (first given at line 14)"),
    ]


def test_multiple_documents(tmp_path):
    (d,) = first(checked(write(tmp_path, VALID + "---\n" + VALID)))
    assert (d.line, d.col) == (14, 1) and "more than one YAML document" in d.message


def test_very_long_line_keeps_the_caret_on_screen(tmp_path):
    text = VALID.replace("text: Un choix.", "text: " + "x" * 500_000 + " {relaton}")
    diags = checked(write(tmp_path, text))
    assert [x.code for x in diags].count("P235") == 1  # over the 10,000 characters of a text
    (d,) = [x for x in diags if x.code != "P235"]
    shown = d.format().splitlines()
    assert len(shown[1]) <= 200 and shown[2].strip() == "^"


def test_complex_key(tmp_path):
    (d,) = first(checked(write(tmp_path, "? [a, b]\n: c\n")))
    assert d.message == "a mapping key must be a plain name" and d.line == 1


@pytest.mark.parametrize("data", [b"", b"\n\n", b"# only a comment\n", b"~\n", b"42\n", b"'text'\n", b"[]\n"])
def test_not_a_scenario_at_all(tmp_path, data):
    (d,) = checked(write(tmp_path, data))
    assert d.severity == "error"


def test_no_traceback_from_the_command_line(tmp_path, capsys):
    files = [write(tmp_path, b"\xff\xfe", "a.yaml"), write(tmp_path, "[" * 5000, "b.yaml"),
             write(tmp_path, "a: 'open\n", "c.yaml")]
    code = main(["check", "--lang", "en", *map(str, files)])
    out = capsys.readouterr().out
    assert code == 2 and "Traceback" not in out
    assert {f"{f}:" for f in files} <= {line.split(":")[0] + ":" for line in out.splitlines() if " error P" in line}


@pytest.mark.parametrize("text, place, message", [
    ('title: x\ntext: "bla\n  bla\nother: 3\n', (2, 7), "a quote opened here is never closed (noticed at line 5)"),
    ("a: [1, 2\nb: 3\n", (1, 4), "a '[' opened here is never closed with ']' (noticed at line 2)"),
    ("title: x\nnodes:\n  a:\n    text: bla\n   choices: []\n", (5, 4),
     "unexpected text here: the indentation does not match the lines above (the block starting at line 3)"),
    ("text: @bla\n", (1, 7), "a value cannot start with '@' unless it is in quotes"),
    ("title: x\nstart: *nope\n", (2, 8), "'*' refers to an anchor ('&') that does not exist: 'nope'"),
])
def test_yaml_syntax_errors_in_plain_words(tmp_path, text, place, message):
    # The syntax error first, in plain words; then, read past it, whatever else is wrong with the fragment.
    d = checked(write(tmp_path, text))[0]
    assert (d.line, d.col) == place
    assert d.message == message
    assert d.hint and d.unusable
