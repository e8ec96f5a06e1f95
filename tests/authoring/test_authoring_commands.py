"""`pandore analyze`, `graph`, `schema`, `new` and `check` from the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from game.authoring import graph as graph_module
from game.authoring.check import check_file
from game.authoring.commands import starter_text
from game.authoring.schema import scenario_schema, schema_text
from game.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "schema" / "scenario.schema.json"
HAS_DOT = shutil.which("dot") is not None


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    d = tmp_path / "essai"
    d.mkdir()
    p = d / "fr.yaml"
    p.write_text(starter_text("essai"), encoding="utf-8")
    return p


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------
# analyze


def test_analyze_json(capsys, starter):
    code, out, err = run(capsys, "analyze", str(starter), "--json")
    assert code == 0 and err == ""
    obj = json.loads(out)
    assert list(obj) == ["scenario", "complete", "stopped", "states", "transitions", "endings", "unreachable", "dead_ends",
                         "never_available", "no_tradeoff", "one_way_gauges"]
    assert obj["complete"] is True and obj["endings"]["cadre_pose"]["paths"] == 1


def test_analyze_random_json(capsys, starter):
    code, out, _ = run(capsys, "analyze", str(starter), "--json", "--random", "200", "--seed", "4")
    obj = json.loads(out)
    assert code == 0 and obj["random"]["runs"] == 200 and obj["random"]["seed"] == 4
    assert sum(obj["random"]["endings"].values()) == 200
    again = json.loads(run(capsys, "analyze", str(starter), "--json", "--random", "200", "--seed", "4")[1])
    assert again == obj


def test_analyze_human_french_and_english(capsys, starter):
    code, out, _ = run(capsys, "analyze", str(starter))
    assert code == 0
    assert "exploration complète : 17 situations" in out
    assert "cadre_pose      positive  oui       1" in out
    assert "Choix sans dilemme" in out
    code, out, _ = run(capsys, "--lang", "en", "analyze", str(starter), "--random", "50")
    assert "complete exploration: 17 situations" in out and "Random playthroughs: 50 (seed 0)" in out
    assert run(capsys, "analyze", str(starter), "--lang", "en")[1].startswith("Analysis of")


def test_analyze_reports_what_is_wrong(capsys, tmp_path):
    p = tmp_path / "s.yaml"
    # Booking France Services now costs nothing and helps on every gauge: no dilemma left.
    p.write_text(starter_text("essai").replace("effects: {relation: -5, exclusion: -5, workload: -5}",
                                               "effects: {relation: 5, exclusion: -15, workload: -10}"),
                 encoding="utf-8")
    out = run(capsys, "analyze", str(p), "--lang", "en")[1]
    assert '"Book her' not in out  # texts come from the scenario file, in French here
    assert "lundi: \"Prendre rendez-vous pour elle à France Services\" always beats" in out


def test_analyze_budget(capsys, starter):
    code, out, _ = run(capsys, "analyze", str(starter), "--json", "--max-states", "5")
    obj = json.loads(out)
    assert code == 0 and obj["complete"] is False and obj["states"] == 5
    assert all(e["paths"] is None for e in obj["endings"].values())
    assert "INCOMPLETE" in run(capsys, "--lang", "en", "analyze", str(starter), "--max-states", "5")[1]


def test_analyze_bad_input(capsys, tmp_path):
    code, out, err = run(capsys, "analyze", str(tmp_path / "nothing.yaml"), "--lang", "en")
    assert code == 2 and "no such file" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text(starter_text("essai").replace("goto: lundi", "goto: lundy", 1), encoding="utf-8")
    code, out, err = run(capsys, "analyze", str(bad), "--lang", "en")
    assert code == 1 and "unknown node or ending 'lundy'" in err and "did you mean 'lundi'?" in err
    code, out, err = run(capsys, "analyze", str(bad))  # the scenario's language, French
    assert code == 1 and "erreur P204: le nœud «\u00a0lundy\u00a0» n'existe pas" in err
    assert run(capsys, "analyze", "pas-de-scenario-de-ce-nom")[0] == 2
    with pytest.raises(SystemExit) as e:
        main(["analyze", str(bad), "--max-states", "zero"])
    assert e.value.code == 2


# --------------------------------------------------------------------------
# graph


def test_graph_dot_and_mermaid(capsys, starter):
    code, out, _ = run(capsys, "graph", str(starter))
    assert code == 0 and out.startswith('digraph "essai" {')
    assert '"dimanche" -> "lundi" [label="Lui indiquer la France Services… (2/3)", style=dashed];' in out
    assert '"trigger:decroche" -> "decrochage" [style=bold' in out
    assert 'fillcolor="#ffcdd2"' in out  # the negative ending
    code, out, _ = run(capsys, "graph", str(starter), "--format", "mermaid")
    assert code == 0 and out.startswith("flowchart TD")
    assert 'n_dimanche -.->|"Lui indiquer la France Services… (1/3)"| n_lundi' in out
    assert "relation #60; 40" in out  # '<' escaped for Mermaid


def test_graph_greys_what_is_never_reached(capsys, tmp_path):
    p = tmp_path / "g.yaml"
    p.write_text(starter_text("essai").replace("endings:\n", "  oublie:\n    choices:\n      - {text: x, goto: relais}\n"
                                                             "endings:\n"), encoding="utf-8")
    out = run(capsys, "graph", str(p))[1]
    assert '"oublie" [label="oublie", color="#9e9e9e"' in out
    assert '"oublie" -> "relais" [label="x", color="#9e9e9e"' in out
    assert ":::unreachable" in run(capsys, "graph", str(p), "--format", "mermaid")[1]


def test_graph_writes_files_and_infers_the_format(capsys, starter, tmp_path):
    out = tmp_path / "carte.mmd"
    code, stdout, err = run(capsys, "graph", str(starter), "-o", str(out))
    assert code == 0 and stdout == "" and out.read_text(encoding="utf-8").startswith("flowchart TD")


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed")
@pytest.mark.parametrize("fmt, magic", [("svg", b"<?xml"), ("png", b"\x89PNG")])
def test_graph_images_with_graphviz(capsys, starter, tmp_path, fmt, magic):
    target = tmp_path / f"carte.{fmt}"
    code, _, err = run(capsys, "graph", str(starter), "-o", str(target))
    assert code == 0 and target.read_bytes().startswith(magic)
    assert str(target) in err


@pytest.mark.parametrize("fmt", ["svg", "png"])
@pytest.mark.parametrize("how", ["which", "path"])
def test_graph_without_graphviz_says_how_to_install_it(capsys, monkeypatch, starter, tmp_path, fmt, how):
    if how == "which":
        monkeypatch.setattr(graph_module.shutil, "which", lambda name, *a, **k: None)
    else:
        monkeypatch.setenv("PATH", str(tmp_path))
    code, out, err = run(capsys, "graph", str(starter), "--format", fmt, "-o", str(tmp_path / f"x.{fmt}"))
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"le programme Graphviz (« dot ») est introuvable : il faut l'installer pour le format {fmt.upper()}" in err
    assert "the Graphviz program ('dot') was not found" in run(
        capsys, "graph", str(starter), "--format", fmt, "-o", str(tmp_path / f"x.{fmt}"), "--lang", "en")[2]
    for line in ("sudo apt install graphviz", "brew install graphviz", "https://graphviz.org/download/",
                 "--format mermaid"):
        assert line in err
    assert not (tmp_path / f"x.{fmt}").exists()
    # DOT and Mermaid need nothing
    assert run(capsys, "graph", str(starter), "--format", "mermaid")[0] == 0


def test_graph_failure_of_dot_is_a_message(monkeypatch, starter, tmp_path, capsys):
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho 'Error: syntax error in line 1' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    code, _, err = run(capsys, "graph", str(starter), "--format", "svg")
    assert code == 2 and "Graphviz n'a pas pu dessiner la carte : Error: syntax error in line 1" in err


# --------------------------------------------------------------------------
# schema


def test_shipped_schema_is_up_to_date():
    assert SCHEMA_FILE.read_bytes() == schema_text().encode("utf-8"), (
        "schema/scenario.schema.json is stale: run 'pandore schema -o schema/scenario.schema.json'")


def test_schema_command_output_is_byte_identical(capsys, tmp_path):
    code, out, _ = run(capsys, "schema")
    assert code == 0 and out.encode("utf-8") == SCHEMA_FILE.read_bytes()
    target = tmp_path / "s.json"
    assert run(capsys, "schema", "-o", str(target))[0] == 0
    assert target.read_bytes() == SCHEMA_FILE.read_bytes()


def test_schema_helps_on_hover():
    s = scenario_schema()
    assert s["$schema"].endswith("2020-12/schema")
    for name in ("Choice", "Node", "Gauge", "Outcome", "Trigger", "Ending"):
        props = s["$defs"][name]["properties"]
        missing = [k for k, v in props.items() if not v.get("description")]
        assert missing == [], f"{name}: no description for {missing}"
    assert set(s["properties"]["gauges"]["properties"]) == {"relation", "exclusion", "workload"}
    assert "required" not in s["$defs"]["DefaultGauge"]


def test_schema_accepts_the_starters_and_refuses_typos():
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    validator = jsonschema.Draft202012Validator(scenario_schema())
    for lang in ("fr", "en"):
        assert list(validator.iter_errors(yaml.safe_load(starter_text("essai", lang)))) == []
    data = yaml.safe_load(starter_text("essai"))
    data["nodes"]["lundi"]["choices"][0]["gotoo"] = "x"
    assert list(validator.iter_errors(data))


# --------------------------------------------------------------------------
# new


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_new_writes_a_clean_commented_starter(capsys, tmp_path, lang):
    code, out, _ = run(capsys, "new", "mon-dilemme", "--lang", lang, "--dir", str(tmp_path))
    target = tmp_path / "mon-dilemme" / f"{lang}.yaml"
    assert code == 0 and str(target) in out and "pandore check" in out
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "id: mon-dilemme" in text and text.count("#") > 30
    assert check_file(target) == []
    obj = json.loads(run(capsys, "analyze", str(target), "--json")[1])
    assert obj["complete"] and all(e["reachable"] for e in obj["endings"].values())
    assert (obj["unreachable"], obj["dead_ends"], obj["never_available"], obj["no_tradeoff"],
            obj["one_way_gauges"]) == ([], [], [], [], [])


def test_new_points_at_the_shipped_schema(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT.parent)
    run(capsys, "new", "essai", "--dir", str(tmp_path))
    first = (tmp_path / "essai" / "fr.yaml").read_text(encoding="utf-8").splitlines()[0]
    ref = first.split("$schema=", 1)[1]
    assert ((tmp_path / "essai") / ref).resolve() == SCHEMA_FILE.resolve()


def test_new_never_overwrites(capsys, tmp_path):
    assert run(capsys, "new", "essai", "--dir", str(tmp_path))[0] == 0
    target = tmp_path / "essai" / "fr.yaml"
    target.write_text("mon travail", encoding="utf-8")
    code, _, err = run(capsys, "new", "essai", "--dir", str(tmp_path))
    assert code == 2 and "existe déjà" in err and target.read_text(encoding="utf-8") == "mon travail"


def test_new_refuses_a_bad_id_and_a_translation_from_scratch(capsys, tmp_path):
    code, _, err = run(capsys, "new", "Mon Dilemme", "--dir", str(tmp_path))
    assert code == 2 and "«\u00a0mon-dilemme\u00a0»" in err and not any(tmp_path.iterdir())
    run(capsys, "new", "essai", "--dir", str(tmp_path))
    code, _, err = run(capsys, "new", "essai", "--lang", "en", "--dir", str(tmp_path))
    assert code == 2 and "copy" in err and not (tmp_path / "essai" / "en.yaml").exists()


# --------------------------------------------------------------------------
# check


def test_check_clean_file(capsys, starter):
    code, out, _ = run(capsys, "check", str(starter), "--lang", "en")
    assert code == 0 and out == "1 file checked: no error\n"
    code, out, _ = run(capsys, "check", str(starter))
    assert code == 0 and out == "1 fichier vérifié : aucune erreur\n"


def test_check_says_when_the_analysis_was_cut(tmp_path, monkeypatch):
    p = tmp_path / "big.yaml"
    p.write_text(starter_text("essai").replace("variables:\n", "variables:\n  compteur: 0\n").replace(
        "      - id: attendre\n", "      - id: encore\n        text: Encore\n        effects: {compteur: 1}\n"
                                   "        goto: dimanche\n      - id: attendre\n"), encoding="utf-8")
    diags = check_file(p, max_states=100)
    (d,) = [d.in_lang("en") for d in diags if d.code == "P407"]
    assert d.severity == "warning" and d.message.startswith("the analysis stopped after 100 situations")
    assert d.hint == f"run 'pandore analyze {p} --max-states 1000000'"


def test_check_is_fast_on_a_500_node_file(tmp_path):
    """Not a benchmark (see bench/analysis_bench.py): a guard against a slow path."""
    import time

    import yaml

    nodes = {f"n{i}": {"text": f"Nœud {i}", "choices": [
        {"id": "a", "text": "A", "effects": {"relation": 5, "workload": 5}, "goto": f"n{i + 1}" if i < 499 else "fin"},
        {"id": "b", "text": "B", "effects": {"relation": -5, "exclusion": 5}, "goto": f"n{i + 1}" if i < 499 else "fin"},
    ]} for i in range(500)}
    data = {"format": 1, "id": "grand", "language": "fr", "title": "Grand", "start": "n0", "nodes": nodes,
            "endings": {"fin": {"title": "Fin"}}}
    p = tmp_path / "grand.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    t0 = time.process_time()
    diags = check_file(p)
    assert time.process_time() - t0 < 3.0
    assert [d.message for d in diags if d.severity == "error"] == []
