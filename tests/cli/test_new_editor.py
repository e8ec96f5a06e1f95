"""`pandore new` sets up the editor: the per-scenario schema and VS Code's settings, never clobbered."""

from __future__ import annotations

import json

import pytest

from game.authoring.loader import read_document
from game.authoring.schema import schema_for, schema_text
from game.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_new_writes_the_vscode_settings_and_the_schema_they_point_at(capsys, tmp_path, lang):
    code, out, _ = run(capsys, "new", "essai", "--lang", lang, "--dir", str(tmp_path))
    folder = tmp_path / "essai"
    settings = json.loads((folder / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert code == 0
    assert settings["yaml.schemas"] == {f"./{lang}.schema.json": [f"{lang}.yaml"]}
    assert settings["files.encoding"] == "utf8" and settings["[yaml]"]["editor.insertSpaces"] is True
    # the schema mapped is `pandore schema --for` of the new file, and it exists
    schema = folder / f"{lang}.schema.json"
    assert schema.read_text(encoding="utf-8") == schema_text(schema_for(read_document(folder / f"{lang}.yaml").data))
    said = {"fr": ["Schéma propre à ce scénario (pour l'éditeur) :", "Réglages de VS Code écrits :"],
            "en": ["This scenario's own schema (for the editor):", "VS Code settings written:"]}[lang]
    assert all(s in out for s in said) and str((folder / ".vscode" / "settings.json").resolve()) in out
    nodes = json.loads(schema.read_text(encoding="utf-8"))
    assert "enum" in json.dumps(nodes)  # the node names are enumerated for the goto completion


def test_existing_settings_are_merged_never_clobbered(capsys, tmp_path):
    folder = tmp_path / "essai"
    (folder / ".vscode").mkdir(parents=True)
    mine = {"editor.fontSize": 18, "files.encoding": "latin1", "yaml.schemas": {"./autre.json": ["x.yaml"]},
            "[yaml]": {"editor.tabSize": 4}}
    (folder / ".vscode" / "settings.json").write_text(json.dumps(mine), encoding="utf-8")
    code, out, _ = run(capsys, "new", "essai", "--dir", str(tmp_path))
    got = json.loads((folder / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert code == 0 and "Réglages de VS Code complétés" in out and "vos réglages existants sont gardés" in out
    assert got["editor.fontSize"] == 18 and got["files.encoding"] == "latin1"  # what was set stays as it was
    assert got["[yaml]"]["editor.tabSize"] == 4 and got["[yaml]"]["editor.insertSpaces"] is True
    assert got["yaml.schemas"] == {"./autre.json": ["x.yaml"], "./fr.schema.json": ["fr.yaml"]}


def test_settings_with_comments_are_left_untouched_and_the_lines_to_add_are_said(capsys, tmp_path):
    folder = tmp_path / "essai"
    (folder / ".vscode").mkdir(parents=True)
    text = '{\n  // mes réglages\n  "editor.fontSize": 18,\n}\n'
    (folder / ".vscode" / "settings.json").write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "new", "essai", "--dir", str(tmp_path))
    assert code == 0 and (folder / "fr.yaml").is_file()
    assert (folder / ".vscode" / "settings.json").read_text(encoding="utf-8") == text
    assert "n'est pas du JSON simple (des commentaires ?) : il n'a pas été modifié." in out
    assert '{"yaml.schemas": {"./fr.schema.json": ["fr.yaml"]}}' in out


def test_settings_already_in_place_are_not_rewritten(capsys, tmp_path):
    run(capsys, "new", "essai", "--dir", str(tmp_path))
    settings = tmp_path / "essai" / ".vscode" / "settings.json"
    before = settings.stat().st_mtime_ns
    (tmp_path / "essai" / "fr.yaml").unlink()
    code, out, _ = run(capsys, "new", "essai", "--dir", str(tmp_path))
    assert code == 0 and "Réglages de VS Code déjà en place" in out and settings.stat().st_mtime_ns == before


def test_a_settings_folder_that_cannot_be_written_is_said_and_the_scenario_stays(capsys, tmp_path):
    folder = tmp_path / "essai"
    folder.mkdir()
    (folder / ".vscode").write_text("a file where the folder should be", encoding="utf-8")
    code, out, err = run(capsys, "new", "essai", "--dir", str(tmp_path))
    assert code == 0 and (folder / "fr.yaml").is_file()
    assert "les réglages de l'éditeur n'ont pas pu être écrits" in err and "Traceback" not in err
