"""The window's controller: the one place the window plays; it renders game/presentation.py's values."""

from __future__ import annotations

import copy

import yaml

from game import presentation
from game.authoring.loader import load_file
from game.ui.controller import Controller

from tests.presentation.test_presentation import DATA


def _english() -> dict:
    en = copy.deepcopy(DATA)
    en["language"] = "en"
    en["title"] = "Test"
    soir = en["nodes"]["soir"]
    soir["text"] = "The phone buzzes."
    soir["choices"][0].update(text="Answer (reminders: {relances})", reply="I'm here.", feedback="The bond holds.")
    soir["choices"][1]["text"] = "Wait"
    nuit = en["nodes"]["nuit"]
    nuit.update(title="The night", text="He writes again.")
    nuit["choices"][0]["text"] = "Call the on-call manager (reminders: {relances})"
    nuit["choices"][0]["outcomes"][0]["feedback"] = "The manager calls back quickly."
    en["endings"]["fin"].update(title="End", text="Morning.")
    return en


def _files(tmp_path):
    folder = tmp_path / "fixture"
    folder.mkdir()
    (folder / "fr.yaml").write_text(yaml.safe_dump(DATA, allow_unicode=True), encoding="utf-8")
    (folder / "en.yaml").write_text(yaml.safe_dump(_english(), allow_unicode=True), encoding="utf-8")
    return folder


def test_the_controller_reports_what_the_presentation_computes(tmp_path):
    ctl = Controller(load_file(_files(tmp_path) / "fr.yaml"), "fr", seed=3)
    report = ctl.choose("repondre")
    assert report == presentation.step_report(ctl.pt, 0, "fr")
    assert report.reply == "Je suis là." and report.feedback == ("Le lien tient.",)
    assert ctl.history() == presentation.history(ctl.pt, "fr")
    ctl.choose("appeler")
    d = ctl.debrief()
    assert d.weighed == presentation.weighed(ctl.pt, "fr")
    assert d.found == ("fin",)


def test_switching_language_replays_the_translation_and_speaks_it(tmp_path):
    ctl = Controller(load_file(_files(tmp_path) / "fr.yaml"), "fr", seed=3)
    ctl.choose("repondre")
    assert ctl.switch_language("en")
    assert ctl.scenario.language == "en" and ctl.pt.choices == ("repondre",)
    h = ctl.history()
    assert h[0].choice == "Answer (reminders: 0)" and h[0].reply == "I'm here."
    assert [c.cause for c in h[0].changes][:2] == ["your choice", "your choice"]
    assert ctl.view_at().text == "He writes again."
    assert ctl.view_at().choices[0].text == "Call the on-call manager (reminders: 1)"
    # Back to French: the same point, in French.
    assert ctl.switch_language("fr")
    assert ctl.history()[0].choice == "Répondre (relances : 0)"


def test_a_save_of_another_scenario_is_a_stale_save_not_a_crash(tmp_path):
    from game.engine import make_save

    folder = _files(tmp_path)
    ctl = Controller(load_file(folder / "fr.yaml"), "fr", seed=3)
    ctl.choose("repondre")
    save = make_save(ctl.pt, "0" * 64).model_copy(update={"scenario_id": "autre"})
    import pytest

    with pytest.raises(ValueError, match="autre"):
        Controller.from_save(load_file(folder / "fr.yaml"), "fr", save, None)


def test_a_replay_that_now_stops_on_an_ending_shows_the_ending(tmp_path):
    folder = _files(tmp_path)
    ctl = Controller(load_file(folder / "fr.yaml"), "fr", seed=3)
    ctl.choose("repondre")
    # The trainer edits the file: 'repondre' now ends the scenario.
    text = (folder / "fr.yaml").read_text(encoding="utf-8").replace("goto: nuit", "goto: fin", 1)
    (folder / "fr.yaml").write_text(text, encoding="utf-8")
    result = ctl.reload()
    assert result.ok and ctl.finished
    view = ctl.view_at()
    assert view.node_id == "fin" and view.text == "Le matin." and view.choices == ()
