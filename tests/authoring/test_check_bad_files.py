"""One broken file per diagnostic code (tests/authoring/bad/*.yaml).

Each file says what it shows on its first line, then lists every
diagnostic `pandore check` must give, in English and in French:

    # expect: LINE:COL: error P204: unknown node or ending 'fni' (did you mean 'fin'?)
    # attendu: LINE:COL: erreur P204: le nœud « fni » n'existe pas (vouliez-vous dire « fin » ?)

The test asserts exactly those, no more, no fewer (no-break spaces are
compared as spaces). Together the files cover every code of the catalogue
that a file can produce; the few that need a missing file or a folder are
made in tests/authoring/test_codes.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.authoring.check import check_file, check_paths
from game.authoring.diagnostics import exit_code
from game.cli import main
from game.i18n.typography import plain_spaces

BAD = Path(__file__).with_name("bad")
FILES = sorted(BAD.glob("*.yaml"))
PREFIX = {"en": "# expect: ", "fr": "# attendu: "}


def expected(path: Path, lang: str) -> list[str]:
    return [line[len(PREFIX[lang]):] for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
            if line.startswith(PREFIX[lang])]


def got(path: Path, lang: str) -> list[str]:
    return [plain_spaces(d.header()[len(str(path)) + 1:])
            for d in sorted(check_file(path, lang=lang), key=lambda d: (d.line, d.col, d.code))]


def codes_in_files() -> set[str]:
    return {d.code for f in FILES for d in check_file(f, lang="en")}


def test_there_is_one_file_per_diagnostic():
    assert len(FILES) >= 60
    for f in FILES:
        assert expected(f, "en") and expected(f, "fr"), f"{f.name} lists no '# expect:' or '# attendu:' line"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_exact_code_place_and_message(path: Path, lang: str):
    assert got(path, lang) == expected(path, lang)


@pytest.mark.parametrize("name, lang, hint", [
    ("unknown_trigger_goto", "en", "the nodes and endings are: debut, fin"),
    ("unknown_trigger_goto", "fr", "les nœuds et les fins sont : debut, fin"),
    ("default_gauge_not_listed", "en", "the default gauges apply only when 'gauges' is omitted: add 'exclusion: {}' under 'gauges:'"),
    ("tab_indent", "fr", "remplacez la tabulation par des espaces (la plupart des éditeurs savent convertir les tabulations)"),
    ("colon_in_text", "fr", 'mettez tout le texte entre guillemets : text: "Attention : il est tard" '
                            "(ou tapez une espace insécable juste après « : »)"),
    ("unclosed_quote", "en", "close the quote at the end of the text, or write a long text as a block after '>-'"),
    ("gauge_missing_good", "fr", "le sens le meilleur pour les personnes accompagnées : good: high ou good: low"),
    ("wrong_type", "en", "give one text, not a list"),
    ("dead_end", "en", "for example after oui, with relation = 55; "
                       "give this node a choice without condition, or soften the conditions"),
    ("never_available", "fr", "quand le jeu arrive à « debut », workload vaut toujours 40"),
    ("trigger_never_fires", "en", "in play, workload goes from 35 to 45"),
    ("bad_node_id", "fr", "par exemple « debut »"),
    ("unknown_name_undeclared", "fr", "si c'est une nouvelle variable, déclarez-la sous « variables: » (par exemple appel_fait: false), "
                                      "ou sous « gauges: » si c'est une jauge"),
    ("gauge_by_label", "fr", "la jauge « Charge de travail » s'appelle « workload » dans les conditions et les effets"),
    ("weight_decimal_comma", "fr", "une décimale s'écrit avec un point : 0.5"),
    ("condition_french_and", "en", "for example: relation > 40 and workload < 70"),
])
def test_hints(name: str, lang: str, hint: str):
    diags = check_file(BAD / f"{name}.yaml", lang=lang)
    assert hint in [plain_spaces(d.hint or "") for d in diags]


def test_formatted_diagnostic_has_source_line_and_caret():
    (d,) = check_file(BAD / "unknown_goto.yaml", lang="fr")
    assert plain_spaces(d.format()).splitlines() == [
        f"{BAD / 'unknown_goto.yaml'}:{d.line}:15: erreur P204: le nœud « fni » n'existe pas "
        "(vouliez-vous dire « fin » ?)",
        "            goto: fni",
        "                  ^",
    ]
    assert d.in_lang("en").format().splitlines()[0].endswith(
        ":15: error P204: unknown node or ending 'fni' (did you mean 'fin'?)")


def test_a_suggestion_is_always_a_valid_id_and_never_contradicts_the_other_hint():
    diags = check_file(BAD / "accented_target.yaml", lang="en")
    hints = [d.hint for d in diags] + [d.message for d in diags]
    assert not any("réponse_écrite'?" in h for h in hints if h)


@pytest.mark.parametrize("name, code", [
    ("unknown_key", 1), ("many_errors", 1), ("duplicate_key", 1), ("dead_end", 0), ("unreachable_node", 0),
    ("unclosed_quote", 2), ("tab_indent", 2), ("empty", 2), ("two_documents", 2), ("python_tag", 2),
])
def test_exit_codes(name: str, code: int):
    assert exit_code(check_file(BAD / f"{name}.yaml")) == code


def test_check_command_groups_by_file_and_exits_2_when_a_file_is_unusable(capsys):
    code = main(["check", str(BAD), "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 2
    assert f"{len(FILES)} files checked" in out
    # grouped: each file's summary line follows its own diagnostics
    summary = f"{BAD / 'unknown_goto.yaml'}: 1 error, 0 warnings"
    assert summary in out
    assert out.index(f"{BAD / 'unknown_goto.yaml'}:") < out.index(summary)


def test_folder_check_reads_every_file():
    diags, files = check_paths([str(BAD)])
    assert files == len(FILES)
    assert {Path(d.file).name for d in diags} == {f.name for f in FILES}
