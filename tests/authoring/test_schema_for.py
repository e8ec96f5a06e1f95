"""The editor's schema: no doubled titles or null placeholders, and a per-scenario schema that knows the names."""

from __future__ import annotations

import json

import pytest
import yaml

from game.authoring.schema import scenario_schema, schema_for
from game.cli import main

jsonschema = pytest.importorskip("jsonschema")

SMS = "scenarios/sms-mineur/fr.yaml"


def walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


def test_no_property_titles_no_null_alternatives_no_null_defaults():
    s = scenario_schema()
    for d in walk(s):
        for prop in (d.get("properties") or {}).values():
            if isinstance(prop, dict):
                assert "title" not in prop, prop
                assert {"type": "null"} not in prop.get("anyOf", []), prop
                assert not ("default" in prop and prop["default"] is None), prop


def errors(schema, data):
    return list(jsonschema.Draft202012Validator(schema).iter_errors(data))


def test_the_shipped_scenarios_pass_their_own_schema():
    from game.authoring import library

    for entry in library.library():
        for lang in entry.languages:
            data = yaml.safe_load(entry.file(lang).read_text(encoding="utf-8"))
            assert errors(schema_for(data), data) == [], entry.file(lang)


def test_a_goto_typo_and_an_unknown_gauge_are_refused_with_the_names_listed():
    data = yaml.safe_load(open(SMS, encoding="utf-8"))
    s = schema_for(data)
    goto = s["$defs"]["Choice"]["properties"]["goto"]
    assert "echange" in goto["enum"] and "lien_et_cadre" in goto["enum"]
    assert goto["enumDescriptions"][goto["enum"].index("lien_et_cadre")].startswith("fin")
    first = next(iter(data["nodes"]))
    choice = data["nodes"][first]["choices"][0]
    choice["goto"] = "echang"
    choice.setdefault("effects", {})["relaton"] = 5
    found = errors(s, data)
    assert any("echang" in str(e.message) for e in found)
    assert any("relaton" in str(e.message) for e in found)
    # the format's own schema cannot know: both pass it
    assert not [e for e in errors(scenario_schema(), data) if "echang" in e.message or "relaton" in e.message]


def test_schema_for_reads_a_broken_file_as_far_as_it_can(capsys, tmp_path):
    f = tmp_path / "fr.yaml"
    f.write_text("format: 1\nnodes:\n  a: {text: Bonjour, choices: [{text: x, goto: b}]}\n  b: {text: Fin}\n",
                 encoding="utf-8")
    assert main(["schema", "--for", str(f)]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["$defs"]["Choice"]["properties"]["goto"]["enum"] == ["a", "b"]
    f.write_text("nodes: [\n", encoding="utf-8")
    assert main(["schema", "--for", str(f)]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["$defs"]["Choice"]["properties"]["goto"]["type"] == "string"
    assert "P1" in out.err


def test_gauges_and_variables_are_described_for_completion():
    data = yaml.safe_load(open(SMS, encoding="utf-8"))
    names = schema_for(data)["$defs"]["Choice"]["properties"]["effects"]["propertyNames"]
    described = dict(zip(names["enum"], names["enumDescriptions"]))
    assert described["relation"] == "jauge — gauge: Qualité de la relation"
    assert described["nuit_repondue"].startswith("variable")
    assert schema_for({"language": "en"})["$defs"]["Choice"]["properties"]["effects"]["propertyNames"][
        "enumDescriptions"][0] == "jauge — gauge: Relationship quality"
