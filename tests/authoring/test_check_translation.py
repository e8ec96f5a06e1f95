"""A translation (`en.yaml` beside `fr.yaml`) may change texts only; `check`
reports every structural drift at its line in the translation."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.authoring.check import check_file, check_paths
from game.authoring.commands import starter_text


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "essai"
    d.mkdir()
    (d / "fr.yaml").write_text(starter_text("essai", "fr"), encoding="utf-8")
    (d / "en.yaml").write_text(starter_text("essai", "en"), encoding="utf-8")
    return d


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    found = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    return found[nth - 1]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


DRIFT = {"P503", "P504", "P505", "P510", "P511", "P512", "P513"}


def drift(path: Path) -> list[tuple[int, str]]:
    return [(d.line, d.in_lang("en").message) for d in check_file(path) if d.code in DRIFT]


def test_the_starters_are_translations_of_each_other(folder):
    diags, files = check_paths([str(folder)])
    assert files == 2 and diags == []


@pytest.mark.parametrize("old, new, needle, message", [
    ("        goto: autonomie", "        goto: relais", "goto: relais",
     "translation drift: choice 'avec_elle' of node 'lundi': goto is 'relais' here but 'autonomie' in fr.yaml"),
    ("          - weight: 2", "          - weight: 3", "weight: 3",
     "translation drift: choice 'orienter' of node 'dimanche': outcome 1: weight is 3 here but 2 in fr.yaml"),
    ("available_if: workload < 55", "available_if: workload < 60", "available_if: workload < 60",
     "translation drift: choice 'relais' of node 'lundi': available_if is 'workload < 60' here but "
     "'workload < 55' in fr.yaml"),
    ("effects: {relation: 5, exclusion: -15, workload: 15}", "effects: {relation: 5, exclusion: -10, workload: 15}",
     "exclusion: -10, workload: 15",
     "translation drift: choice 'avec_elle' of node 'lundi': effects is {relation: 5, exclusion: -10, workload: 15} "
     "here but {relation: 5, exclusion: -15, workload: 15} in fr.yaml"),
    ("      - id: cadre", "      - id: frame", "id: frame",
     "translation drift: choice 4 of node 'lundi': id is 'frame' here but 'cadre' in fr.yaml"),
    ("    tone: mixed                # positive", "    tone: negative             # positive", "tone: negative",
     "translation drift: ending 'dossier_envoye': tone is 'negative' here but 'mixed' in fr.yaml"),
    ("  dispo_dimanche: false", "  dispo_dimanche: true", "dispo_dimanche: true",
     "translation drift: the start value of 'dispo_dimanche' is true here but false in fr.yaml"),
    ("    view: sms ", "    view: narrative ", "view: narrative",
     "translation drift: node 'dimanche': view is 'narrative' here but 'sms' in fr.yaml"),
    ("      - if: dispo_dimanche\n", "      - if: not dispo_dimanche\n", "if: not dispo_dimanche",
     "translation drift: node 'lundi': the conditions of the text variants are ['not dispo_dimanche', absent] "
     "here but ['dispo_dimanche', absent] in fr.yaml"),
    ("    if: relation < 40", "    if: relation < 30", "if: relation < 30",
     "translation drift: trigger 1: if is 'relation < 30' here but 'relation < 40' in fr.yaml"),
    ("start: dimanche", "start: lundi", "start: lundi",
     "translation drift: start is 'lundi' here but 'dimanche' in fr.yaml"),
    ("  workload:  {label: Workload,             start: 40, good: low}",
     "  workload:  {label: Workload,             start: 45, good: low}", "start: 45",
     "translation drift: gauge 'workload': start is 45 here but 40 in fr.yaml"),
])
def test_each_drift_is_reported_at_its_line(folder, old, new, needle, message):
    en = folder / "en.yaml"
    edit(en, old, new)
    assert drift(en) == [(line_of(en, needle), message)]


def test_missing_and_extra_ids(folder):
    en = folder / "en.yaml"
    edit(en, "  relais:\n    title: A local relay", "  relai:\n    title: A local relay")
    edit(en, "        goto: relais", "        goto: relai")
    assert drift(en) == [
        (line_of(en, "goto: relai"),
         "translation drift: choice 'relais' of node 'lundi': goto is 'relai' here but 'relais' in fr.yaml"),
        (line_of(en, "endings:"), "translation drift: ending 'relais' of fr.yaml is missing here"),
        (line_of(en, "  relai:"), "translation drift: ending 'relai' is not in fr.yaml"),
    ]


def test_a_removed_choice(folder):
    en = folder / "en.yaml"
    text = en.read_text(encoding="utf-8")
    start = text.index("      - id: cadre")
    end = text.index("endings:")
    en.write_text(text[:start] + "\n" + text[end:], encoding="utf-8")
    assert drift(en) == [(line_of(en, "    choices:", 2),
                          "translation drift: choice 'cadre' of node 'lundi' in fr.yaml is missing here")]


def test_only_texts_changed_is_clean(folder):
    en = folder / "en.yaml"
    edit(en, "title: A message on a Sunday", "title: Sunday message")
    edit(en, "Reply at once to reassure her", "Answer right away")
    edit(en, 'at: "18:02"', 'at: "6:02 pm"')
    assert check_file(en) == []


def test_the_original_with_errors_is_said(folder):
    edit(folder / "fr.yaml", "start: dimanche", "start: dimanch")
    diags = check_file(folder / "en.yaml")
    assert [(d.severity, d.code, d.in_lang("en").message) for d in diags] == [
        ("warning", "P506", "cannot compare this translation with fr.yaml: that file has errors")]


def test_language_and_folder_names(folder):
    edit(folder / "en.yaml", "language: en", "language: fr")
    (d,) = [d for d in check_file(folder / "en.yaml") if d.code == "P501"]
    assert (d.line, d.in_lang("en").message) == (line_of(folder / "en.yaml", "language: fr"),
                                                 "this file is named en.yaml but says 'language: fr'")
    edit(folder / "fr.yaml", "id: essai", "id: autre")
    msgs = [d.in_lang("en").message for d in check_file(folder / "fr.yaml") if d.code == "P502"]
    assert msgs == ["the folder is named 'essai' but the scenario id is 'autre'"]


# --------------------------------------------------------------------------
# Choices matched by id; untranslated and dropped content


def codes_and_messages(path: Path, codes: set[str]) -> list[tuple[int, str, str]]:
    return [(d.line, d.code, d.in_lang("en").message) for d in check_file(path) if d.code in codes]


def test_a_moved_choice_is_reported_once_by_id(folder):
    en = folder / "en.yaml"
    text = en.read_text(encoding="utf-8")
    start, middle, end = text.index("      - id: repondre"), text.index("      - id: attendre"), \
        text.index("      - id: orienter")
    en.write_text(text[:start] + text[middle:end] + text[start:middle] + text[end:], encoding="utf-8")
    assert drift(en) == [(line_of(en, "- id: repondre"), "translation drift: choice 'repondre' of node 'dimanche' "
                                                         "is number 2 here but 1 in fr.yaml")]


def test_an_added_choice_is_reported_once_by_id(folder):
    en = folder / "en.yaml"
    edit(en, "      - id: attendre\n", "      - id: en_plus\n        text: One more\n        goto: lundi\n"
                                       "      - id: attendre\n")
    assert drift(en) == [(line_of(en, "- id: en_plus"),
                          "translation drift: choice 'en_plus' of node 'dimanche' is not in fr.yaml")]


def test_a_text_left_untranslated_and_a_text_still_in_french(folder):
    en = folder / "en.yaml"
    label = "Lui répondre tout de suite pour la rassurer"
    edit(en, "text: Reply at once to reassure her", f"text: {label}")
    edit(en, "title: A message on a Sunday", "title: Un message pour vous et pour elle le dimanche")
    found = codes_and_messages(en, {"P507", "P508"})
    assert (line_of(en, f"text: {label}"), "P507",
            "untranslated text: the text of choice 'repondre' is the same as in fr.yaml") in found
    assert (line_of(en, "title: Un message"), "P508", "untranslated text: the title looks written in French") in found
    assert len(found) == 2


def test_a_file_left_entirely_in_french_is_said_once(folder):
    en = folder / "en.yaml"
    en.write_text((folder / "fr.yaml").read_text(encoding="utf-8").replace("language: fr", "language: en"),
                  encoding="utf-8")
    diags = [d for d in check_file(en) if d.code.startswith("P5")]
    assert [d.code for d in diags] == ["P514"]
    assert diags[0].in_lang("en").message.startswith("this translation looks untranslated: ")
    assert diags[0].line == line_of(en, "language: en")


def test_dropped_key_points_and_sources(folder):
    en = folder / "en.yaml"
    edit(en, "    - Doing it in the person's place is quick but does not help them do it alone.\n", "")
    edit(en, "    - The France Services network (france-services.gouv.fr)\n", "")
    found = codes_and_messages(en, {"P509"})
    assert [m for _, _, m in found] == ["the debrief's key points: 2 here but 3 in fr.yaml",
                                        "the debrief's sources: 1 here but 2 in fr.yaml"]


def test_conditions_of_variants_in_french(folder):
    en = folder / "en.yaml"
    edit(en, "      - if: dispo_dimanche\n", "      - if: not dispo_dimanche\n")
    (d,) = [d for d in check_file(en) if d.code == "P513"]
    assert d.in_lang("fr").message.replace("\u00a0", " ") == (
        "écart de traduction : nœud « lundi » : les conditions des variantes de texte valent "
        "['not dispo_dimanche', absent] ici mais ['dispo_dimanche', absent] dans fr.yaml")
