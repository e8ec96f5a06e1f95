"""`pandore check` exit codes and located diagnostics (DESIGN.md: 0 clean, 1 errors, 2 unusable)."""

from __future__ import annotations

from pathlib import Path

from game.cli import main

ROOT = Path(__file__).resolve().parents[2]


def check(capsys, *paths) -> tuple[int, str]:
    code = main(["check", *map(str, paths)])
    out, err = capsys.readouterr()
    return code, out + err


def test_clean_tutorial(capsys):
    code, out = check(capsys, ROOT / "scenarios" / "tutoriel")
    assert code == 0, out


def test_missing_file_is_unusable(capsys, tmp_path):
    code, out = check(capsys, tmp_path / "absent.yaml")
    assert code == 2 and "absent.yaml:1:1: error:" in out


def test_not_utf8_is_unusable_and_located(capsys, tmp_path):
    f = tmp_path / "latin1.yaml"
    f.write_bytes("format: 1\ntitle: Un SMS à 23 h\n".encode("latin-1"))
    code, out = check(capsys, f)
    assert code == 2 and "latin1.yaml:2:15: error: not UTF-8" in out


def test_yaml_syntax_error_points_where_the_quote_opened(capsys, tmp_path):
    f = tmp_path / "quote.yaml"
    f.write_text('format: 1\nid: x\ntitle: "Un SMS\nstart: a\n', encoding="utf-8")
    code, out = check(capsys, f)
    assert code == 2 and "quote.yaml:3:8: error: invalid YAML" in out and "quote" in out


def test_schema_errors_are_exit_1_with_line_and_hint(capsys, tmp_path):
    f = tmp_path / "typo.yaml"
    f.write_text(
        "format: 1\nid: x\nlanguage: fr\ntitle: T\nstart: a\n"
        "nodes:\n  a:\n    text: Bonjour\n    choices:\n      - text: Go\n        efects: {relation: 1}\n        goto: fin\n"
        "endings:\n  fin: {title: Fin}\n", encoding="utf-8")
    code, out = check(capsys, f)
    assert code == 1
    assert "typo.yaml:11:9: error: unknown key 'efects'" in out and "did you mean 'effects'?" in out


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
    assert "refs.yaml:9:24: error: unknown name 'relaton'" in out and "did you mean 'relation'?" in out
    assert "refs.yaml:9:43: error: unknown node or ending 'fni'" in out and "did you mean 'fin'?" in out
    assert "refs.yaml:10:40: error: 'workload' is a number: give a number to add" in out
