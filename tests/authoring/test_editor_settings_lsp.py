"""The VS Code settings `pandore new` writes, in the real editor engine (yaml-language-server over stdio):
with the file's first line removed, as the guide allows, the settings alone bring the per-scenario schema,
so a goto typo is underlined and `goto:` completes the node ids."""

from __future__ import annotations

import json

import pytest

from game.cli import main

from test_editor_lsp import Client, _server  # noqa: E402  (the same minimal LSP client)

pytestmark = pytest.mark.slow


def test_the_settings_written_by_new_bring_the_scenarios_schema(tmp_path, capsys):
    server = _server()
    assert main(["new", "essai", "--dir", str(tmp_path)]) == 0
    capsys.readouterr()
    folder = tmp_path / "essai"
    settings = json.loads((folder / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    doc = folder / "fr.yaml"
    lines = doc.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# yaml-language-server:")
    lines = lines[1:]  # the first line wins over the settings: without it, the settings decide
    goto = next(i for i, l in enumerate(lines) if l.strip().startswith("goto: "))
    lines[goto] = lines[goto].split("goto:")[0] + "goto: nulle_part"
    text = "\n".join(lines) + "\n"
    doc.write_text(text, encoding="utf-8")

    class Editor(Client):
        """VS Code opening the scenario's folder: its workspace settings are those of .vscode/settings.json."""

        @staticmethod
        def settings() -> dict:
            yaml_ = {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False},
                     "schemas": settings["yaml.schemas"]}  # as written: relative to the workspace folder
            return {"yaml": yaml_, "": {"yaml": yaml_}}

    uri = doc.as_uri()
    c = Editor(server)
    try:
        c.open(folder, uri, text)
        diags = c.diagnostics_on(uri, goto)
        assert goto in {d["range"]["start"]["line"] for d in diags}, diags
        col = len(lines[goto].split("goto:")[0]) + len("goto: ")
        items = c.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                     "position": {"line": goto, "character": col}})
        result = items.get("result") or {}
        labels = [i["label"] for i in (result.get("items", []) if isinstance(result, dict) else result)]
        schema = json.loads((folder / "fr.schema.json").read_text(encoding="utf-8"))
        assert labels and "null" not in labels
        assert any(label in json.dumps(schema) for label in labels)
    finally:
        c.close()
