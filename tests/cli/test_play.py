"""`pandore play --text`: the command-line contract of DESIGN.md."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.authoring.loader import load_file
from game.cli import main
from game.terminal import TerminalPlayer

ROOT = Path(__file__).resolve().parents[2]
# The contract is tested on a fixture of our own (a frozen copy of an early
# tutorial), so that rewriting the shipped tutorial never breaks it.
TUTO = Path(__file__).resolve().parent / "data" / "contrat" / "fr.yaml"
TUTO_EN = TUTO.with_name("en.yaml")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_one_object_with_the_design_keys(capsys):
    code, out, err = run(capsys, "play", str(TUTO), "--text", "--json", "--choices",
                         "lire_dossier,visite_domicile,noter_partager,maintenir,rappeler")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[-1])
    assert list(data) == ["scenario", "language", "seed", "ending", "gauges", "variables", "path"]
    assert data["scenario"] == "contrat" and data["language"] == "fr" and data["seed"] == 0
    # workload: 40 +5 (start) +10 +20 +5 (entering) +10 -> 90 >= 80: the trigger sends to 'surcharge'
    assert data["path"][3] == {"node": "surcharge", "choice": "maintenir"}
    assert data["ending"] == "fin_lien"
    assert data["gauges"] == {"relation": 85, "exclusion": 0, "workload": 90, "secret": 65}
    assert data["variables"]["equipe_prevenue"] is True and data["variables"]["en_matinee"] is False


def test_numbers_count_shown_choices_including_disabled(capsys):
    # After 'regarder_telephone' (workload 50) the SMS node shows: repondre, visio, attendre.
    code, out, _ = run(capsys, "play", str(TUTO), "--json", "--choices", "2,3")
    assert code == 0
    assert json.loads(out)["path"][1]["choice"] == "attendre_bureau"
    # After 'lire_dossier' (workload 55) it shows 4, the visio one disabled (3rd).
    code, out, err = run(capsys, "play", str(TUTO), "--json", "--choices", "1,3")
    assert code == 2 and "proposer_visio" in err and out == ""


@pytest.mark.parametrize("choices, words", [
    ("2,visite_domicile", "visite_domicile"),   # hidden (record not read)
    ("9", "9"),                                  # past the end
    ("nimporte", "nimporte"),                    # unknown id
    ("0", "0"),
])
def test_bad_choices_exit_2(capsys, choices, words):
    code, out, err = run(capsys, "play", str(TUTO), "--json", "--choices", choices)
    assert code == 2
    assert words in err and "Traceback" not in err


def test_choices_after_the_ending_are_an_error(capsys):
    code, _, err = run(capsys, "play", str(TUTO), "--json", "--choices", "2,1,2,2,1")
    assert code == 2 and "fin_equilibre" in err


def test_unfinished_path_gives_null_ending(capsys):
    code, out, _ = run(capsys, "play", str(TUTO), "--json", "--choices", "2")
    data = json.loads(out)
    assert code == 0 and data["ending"] is None and data["path"] == [{"node": "accueil", "choice": "regarder_telephone"}]


def test_seed_changes_the_draw_and_is_reported(capsys):
    endings = set()
    for seed in range(12):
        code, out, _ = run(capsys, "play", str(TUTO), "--json", "--seed", str(seed), "--choices", "2,2")
        data = json.loads(out)
        assert data["seed"] == seed
        endings.add(data["variables"]["visio_ratee"])
    assert endings == {True, False}  # weights 2:1 over 12 seeds: both branches drawn


def test_transcript_shows_thread_gauges_feedback_and_debrief(capsys):
    code, out, _ = run(capsys, "play", str(TUTO), "--text", "--seed", "0", "--choices", "2,1,1,1")
    assert code == 0
    assert "Mme Diallo · 08:48" in out
    assert "Charge de travail" in out and "45 → 50 (+5)" in out
    assert "Vous êtes disponible sans délai" in out        # feedback
    assert "FIN : UN LIEN QUI TIENT" in out
    assert "Ce qui a pesé" in out and "Points clés" in out and "Sources" in out
    assert "--choices regarder_telephone,repondre_sms,noter_partager,rappeler" in out


def test_english_interface_follows_the_scenario(capsys):
    code, out, _ = run(capsys, "play", str(TUTO_EN), "--lang", "en", "--text", "--choices", "2,1,1,1")
    assert code == 0 and "What weighed" in out and "Ms Diallo" in out


def test_interactive_loop_undo_disabled_and_quit():
    sc = load_file(TUTO).scenario
    out = io.StringIO()
    answers = iter(["1", "3", "zz", "u", "u", "2", "3", "2", "2"])
    player = TerminalPlayer(sc, seed=0, out=out, lang="fr", width=80)
    assert player.play_interactive(lambda prompt: next(answers)) is True
    text = out.getvalue()
    assert "pas possible pour l’instant" in text          # '3' was the disabled visio
    assert "Tapez le numéro" in text                       # 'zz'
    assert "Dernier choix annulé" in text                  # 'u'
    assert "Rien à annuler" in text                        # second 'u' at the start
    assert player.pt.state.ending == "fin_equilibre"


def test_interactive_end_of_input_is_a_quiet_stop():
    sc = load_file(TUTO).scenario
    out = io.StringIO()

    def read(prompt):
        raise EOFError

    player = TerminalPlayer(sc, seed=0, out=out, width=80)
    assert player.play_interactive(read) is False
    assert "Partie interrompue" in out.getvalue()


def test_main_py_and_console_script_are_the_same_program():
    args = ["play", str(TUTO), "--json", "--choices", "1,1,1,1"]
    a = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, cwd=ROOT)
    b = subprocess.run([sys.executable, "-c", "import sys; from game.cli import main; sys.exit(main())", *args],
                       capture_output=True, text=True, cwd=ROOT)
    assert a.returncode == b.returncode == 0
    assert a.stdout == b.stdout and json.loads(a.stdout)["ending"]


def test_unknown_scenario_lists_the_library(capsys):
    code, out, err = run(capsys, "play", "nope-nope", "--text")
    assert code == 2 and "nope-nope" in err and "tutoriel" in err
