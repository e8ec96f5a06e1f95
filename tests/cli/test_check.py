"""`pandore check` exit codes and located diagnostics (DESIGN.md: 0 clean, 1 errors, 2 unusable)."""

from __future__ import annotations

from pathlib import Path

from game.cli import main

ROOT = Path(__file__).resolve().parents[2]


def check(capsys, *paths, lang: str = "en") -> tuple[int, str]:
    code = main(["check", "--lang", lang, *map(str, paths)])
    out, err = capsys.readouterr()
    return code, out + err


def test_clean_tutorial(capsys):
    code, out = check(capsys, ROOT / "scenarios" / "tutoriel")
    assert code == 0, out


def test_missing_file_is_unusable(capsys, tmp_path):
    code, out = check(capsys, tmp_path / "absent.yaml")
    assert code == 2 and "absent.yaml:1:1: error P101: no such file or folder" in out


def test_not_utf8_is_unusable_and_located(capsys, tmp_path):
    f = tmp_path / "latin1.yaml"
    f.write_bytes("format: 1\ntitle: Un SMS à 23 h\n".encode("latin-1"))
    code, out = check(capsys, f)
    assert code == 2 and "latin1.yaml:2:15: error P107: not UTF-8" in out


def test_yaml_syntax_error_points_where_the_quote_opened(capsys, tmp_path):
    f = tmp_path / "quote.yaml"
    f.write_text('format: 1\nid: x\ntitle: "Un SMS\nstart: a\n', encoding="utf-8")
    code, out = check(capsys, f)
    assert code == 2 and "quote.yaml:3:8: error P117: a quote opened here is never closed" in out


def test_schema_errors_are_exit_1_with_line_and_hint(capsys, tmp_path):
    f = tmp_path / "typo.yaml"
    f.write_text(
        "format: 1\nid: x\nlanguage: fr\ntitle: T\nstart: a\n"
        "nodes:\n  a:\n    text: Bonjour\n    choices:\n      - text: Go\n        efects: {relation: 1}\n        goto: fin\n"
        "endings:\n  fin: {title: Fin}\n", encoding="utf-8")
    code, out = check(capsys, f)
    assert code == 1
    assert "typo.yaml:11:9: error P201: unknown key 'efects' (did you mean 'effects'?)" in out


def test_reference_errors_are_all_reported(capsys, tmp_path):
    f = tmp_path / "refs.yaml"
    f.write_text(
        "format: 1\nid: x\nlanguage: fr\ntitle: T\nstart: a\n"
        "nodes:\n  a:\n    choices:\n"
        "      - {text: Go, if: relaton > 3, goto: fni}\n"
        "      - {text: Go, effects: {workload: true}, goto: fin}\n"
        "endings:\n  fin: {title: Fin}\n", encoding="utf-8")
    code, out = check(capsys, f)
    assert code == 1
    assert "refs.yaml:9:24: error P303: unknown name 'relaton' (did you mean 'relation'?)" in out
    assert "refs.yaml:9:43: error P204: unknown node or ending 'fni' (did you mean 'fin'?)" in out
    assert "refs.yaml:10:40: error P226: 'workload' is a number: give a number to add" in out


def test_french_by_the_scenario_s_language_and_by_lang(capsys, tmp_path):
    f = tmp_path / "refs.yaml"
    f.write_text("format: 1\nid: x\nlanguage: fr\ntitle: T\nstart: a\nnodes:\n  a:\n    choices:\n"
                 "      - {text: Go, goto: reponse}\nendings:\n  reponse_ecrite: {title: Fin}\n", encoding="utf-8")
    code = main(["check", str(f)])
    out = capsys.readouterr().out.replace("\u00a0", " ")
    assert code == 1
    assert (f"{f}:9:26: erreur P204: le nœud « reponse » n'existe pas (vouliez-vous dire « reponse_ecrite » ?)"
            in out)
    assert "1 fichier vérifié : 1 erreur, 0 avertissement" in out
    code, out = check(capsys, f, lang="en")
    assert f"{f}:9:26: error P204: unknown node or ending 'reponse' (did you mean 'reponse_ecrite'?)" in out


def test_check_takes_an_id_as_well_as_a_path(capsys):
    code, out = check(capsys, "tutoriel")
    assert code == 0 and "2 files checked: no error" in out


def test_explain_a_code_in_both_languages(capsys):
    assert main(["explain", "P204", "--lang", "fr"]) == 0
    out = capsys.readouterr().out.replace("\u00a0", " ")
    assert out.startswith("P204 (erreur) : le nœud « … » n'existe pas")
    assert "Faux :" in out and "Juste :" in out and "goto: reponse_ecrite" in out
    assert main(["explain", "p204", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("P204 (error): unknown node or ending '…'") and "Wrong:" in out and "Right:" in out
    assert main(["explain", "P999", "--lang", "en"]) == 2
    assert main(["explain", "--lang", "en"]) == 0
    assert "P204" in capsys.readouterr().out


def test_help_in_both_languages(capsys):
    import pytest

    for lang, words in (("fr", ["utilisation : ", "vérifier des scénarios", "afficher cette aide"]),
                        ("en", ["usage: ", "check scenarios", "show this help"])):
        with pytest.raises(SystemExit):
            main(["--lang", lang, "--help"])
        out = capsys.readouterr().out
        assert all(w in out for w in words), out
    with pytest.raises(SystemExit):
        main(["--lang", "fr", "check", "--help"])
    assert "fichiers, dossiers ou identifiants de scénarios" in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:
        main(["--lang", "fr", "check"])
    assert e.value.code == 2 and "il manque : paths" in capsys.readouterr().err
