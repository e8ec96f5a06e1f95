"""The trainers' guides cover the whole format and the commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine import model

DOCS = Path(__file__).resolve().parents[2] / "docs"
MODELS = [model.Scenario, model.Gauge, model.Node, model.Choice, model.Outcome, model.Trigger, model.Ending,
          model.Debrief, model.TextVariant, model.Message, model.Panel, model.Criterion, model.Participant]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_field_is_documented(lang):
    text = (DOCS / f"authoring.{lang}.md").read_text(encoding="utf-8")
    fields = {f.alias or name for m in MODELS for name, f in m.model_fields.items()}
    missing = sorted(f for f in fields if f"`{f}`" not in text and f"{f}:" not in text and f"{{{f}" not in text
                     and f", {f}" not in text)
    assert missing == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_guide_has_the_editor_line_and_every_command(lang):
    text = (DOCS / f"authoring.{lang}.md").read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=../../schema/scenario.schema.json" in text
    for command in ("pandore new", "pandore check", "pandore analyze", "pandore graph", "pandore play",
                    "pandore schema", "--max-states", "--random", "--json", "--format mermaid",
                    "apt install graphviz", "brew install graphviz"):
        assert command in text, command
