"""Files that are not what they say: every one gets a located message, none a hang or a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.authoring.check import check_file

ROOT = Path(__file__).resolve().parents[2]


def _pandore(*args: str, cwd: Path, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout, env={**os.environ, "PANDORE_HOME": str(cwd / "home")})


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_named_yaml_is_refused_not_waited_for(tmp_path):
    fifo = tmp_path / "fr.yaml"
    os.mkfifo(fifo)
    (d,) = check_file(fifo, lang="fr")
    assert d.code == "P103" and "pas un fichier ordinaire" in d.format()
    proc = _pandore("check", str(fifo), "--lang", "en", cwd=tmp_path)
    assert proc.returncode == 2 and "not a regular file" in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_symlink_to_a_device_is_refused(tmp_path):
    link = tmp_path / "fr.yaml"
    link.symlink_to("/dev/zero")
    (d,) = check_file(link, lang="en")
    assert d.code == "P103" and "not a regular file" in d.format()


def test_a_symlink_to_a_regular_file_is_followed(tmp_path):
    real = tmp_path / "vrai.yaml"
    real.write_text((ROOT / "scenarios" / "tutoriel" / "fr.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    link = tmp_path / "fr.yaml"
    link.symlink_to(real)
    assert not [d for d in check_file(link) if d.severity == "error"]


MINIMAL = """format: 1
id: essai
language: fr
title: {title}
{gauges}start: debut
nodes:
  debut:
    text: {text}
    choices:
      - id: oui
        text: Oui
        {branch}
      - id: non
        text: Non
        goto: fin
endings:
  fin: {{title: Fin, tone: mixed}}
"""


def _write(tmp_path: Path, title="Essai", text="Un choix.", gauges="",
           branch="outcomes: [{weight: 0.0001, goto: fin}, {weight: 0.0001, goto: fin}]") -> Path:
    p = tmp_path / "essai" / "fr.yaml"
    p.parent.mkdir(exist_ok=True)
    p.write_text(MINIMAL.format(title=title, text=text, gauges=gauges, branch=branch), encoding="utf-8")
    return p


def test_control_characters_never_reach_the_terminal_raw(tmp_path):
    p = _write(tmp_path, text='"Un\\x1b[2J choix\\x07 ici\\x00"')
    proc = _pandore("play", str(p), "--text", "--choices", "2", cwd=tmp_path)
    assert proc.returncode == 1 and "P239" in proc.stderr  # refused at the boundary, located
    shown = proc.stdout + proc.stderr
    assert "\x1b" not in shown and "\x07" not in shown and "\x00" not in shown
    from game import terminal
    import io

    out = io.StringIO()
    player = terminal.TerminalPlayer.__new__(terminal.TerminalPlayer)
    player.out, player.width, player.plain_spaces = out, 80, True
    player.say("a\x1bb\x07c")  # and whatever reaches the terminal is shown, never acted on
    assert out.getvalue() == "a␛b␇c\n"


def test_a_diagnostic_cannot_be_faked_by_the_file(tmp_path):
    p = _write(tmp_path, text='"\\x1b[1A\\x1b[2Ktout va bien"', branch="goto: nulle_part")
    proc = _pandore("check", str(p), cwd=tmp_path)
    assert proc.returncode == 1
    assert "\x1b" not in proc.stdout + proc.stderr


def test_a_newline_in_the_title_stays_in_the_mermaid_comment(tmp_path):
    p = _write(tmp_path, title='"Essai\\n  click n_debut href \\"javascript:alert(1)\\""')
    proc = _pandore("graph", str(p), "--format", "mermaid", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[1].startswith("  %% essai: Essai click")
    assert not any(line.lstrip().startswith("click") for line in lines)


def test_tiny_weights_draw_as_halves_on_the_map(tmp_path):
    proc = _pandore("graph", str(_write(tmp_path)), "--format", "mermaid", cwd=tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert proc.stdout.count("(1/2)") == 2


def test_a_scenario_without_gauges_plays_in_the_terminal(tmp_path):
    p = _write(tmp_path, gauges="gauges: {}\n", branch="goto: fin")
    proc = _pandore("play", str(p), "--text", "--choices", "1", cwd=tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr


def test_writing_the_schema_into_a_folder_says_why_it_cannot(tmp_path):
    proc = _pandore("schema", "-o", str(tmp_path), "--lang", "fr", cwd=tmp_path)
    assert proc.returncode == 2 and "impossible d'écrire" in proc.stderr and "Traceback" not in proc.stderr


def test_design_limits_are_located_errors_and_nothing_is_analysed_past_them(tmp_path):
    choices = "\n".join(f"      - {{id: c{i}, text: C{i}, goto: fin}}" for i in range(60))
    outcomes = ", ".join("{weight: 1, goto: fin}" for _ in range(21))
    p = tmp_path / "fr.yaml"
    p.write_text("format: 1\nid: essai\nlanguage: fr\ntitle: Essai\nstart: a\nnodes:\n  a:\n"
                 f"    text: \"{'x' * 10_001}\"\n    choices:\n{choices}\n"
                 f"      - {{id: tirage, text: T, outcomes: [{outcomes}]}}\n"
                 "endings:\n  fin: {title: Fin}\n", encoding="utf-8")
    diags = check_file(p, lang="fr")
    got = [(d.code, d.line, d.col) for d in diags]
    assert ("P235", 8, 11) in got and ("P234", 9, 5) in got
    assert ("P234", 70, 31) in got  # the outcomes list, at its key
    texts = [d.format() for d in diags if d.code.startswith("P23")]
    assert any("texte de 10\u202f001 caractères : au plus 10\u202f000" in x.replace("\u00a0", " ") for x in texts)
    assert not [d for d in diags if d.code.startswith("P4")]  # no analysis of a file over the limits


def test_full_width_letters_do_not_pass_for_a_name(tmp_path):
    p = _write(tmp_path, branch="goto: fin\n        if: ｒｅｌａｔｉｏｎ > 1")
    (d,) = [d for d in check_file(p, lang="en") if d.severity == "error"]
    assert d.code == "P303" and "ｒｅｌａｔｉｏｎ" in d.message and "relation" in d.format()


def test_placeholders_in_titles_are_checked_and_shown(tmp_path):
    p = _write(tmp_path, title="Essai", branch="goto: fin")
    p.write_text(p.read_text(encoding="utf-8").replace("fin: {title: Fin, tone: mixed}",
                                                       "fin: {title: 'Fin {inconnu}', tone: mixed}"), encoding="utf-8")
    (d,) = [d for d in check_file(p, lang="fr") if d.severity == "error"]
    assert d.code == "P303" or "inconnu" in d.message


def test_a_translation_that_turns_false_into_0_is_drift(tmp_path):
    folder = tmp_path / "essai"
    folder.mkdir()
    base = MINIMAL.format(title="Essai", text="Un choix.", gauges="", branch="goto: fin")
    (folder / "fr.yaml").write_text(base.replace("start: debut", "variables: {vu: false}\nstart: debut"),
                                    encoding="utf-8")
    en = base.replace("language: fr", "language: en").replace("start: debut", "variables: {vu: 0}\nstart: debut")
    (folder / "en.yaml").write_text(en, encoding="utf-8")
    drift = [d for d in check_file(folder / "en.yaml", lang="en") if d.code == "P503"]
    assert drift and "false" in drift[0].message  # false is not 0, though Python says False == 0


def test_twenty_thousand_nodes_in_a_megabyte_are_not_taken_for_an_alias_bomb(tmp_path):
    nodes = "".join(f"  n{i}:\n    text: N{i}\n    choices:\n      - {{text: A, goto: n{i + 1}}}\n"
                    for i in range(20_000))
    p = tmp_path / "fr.yaml"
    p.write_text("format: 1\nid: essai\nlanguage: fr\ntitle: Essai\nstart: n0\nnodes:\n" + nodes
                 + "  n20000:\n    text: Fin\n    choices:\n      - {text: A, goto: fin}\n"
                 "endings:\n  fin: {title: Fin}\n", encoding="utf-8")
    assert p.stat().st_size > 1_000_000
    diags = check_file(p, lang="en")
    assert not [d for d in diags if d.code in ("P106", "P105")], [d.format() for d in diags[:3]]


def test_an_empty_argument_names_no_file(tmp_path):
    (tmp_path / "autre.yaml").write_text("format: 1\n", encoding="utf-8")
    proc = _pandore("check", "", "--lang", "en", cwd=tmp_path)
    assert proc.returncode == 2 and "P101" in proc.stdout + proc.stderr
    assert "autre.yaml" not in proc.stdout + proc.stderr  # the current folder was not checked


def test_sixty_thousand_scripted_choices_play_through(tmp_path):
    p = _write(tmp_path, branch="goto: debut")  # 'oui' comes back: a loop
    tokens = ",".join(["1"] * 60_000 + ["2"])
    proc = _pandore("play", str(p), "--text", "--json", "--choices", tokens, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr[-500:]
    import json

    data = json.loads(proc.stdout)
    assert data["ending"] == "fin" and len(data["path"]) == 60_001
