"""The JSON Schema of format 1, generated from the engine's models."""

from __future__ import annotations

import json

from game.engine.model import Scenario

SCHEMA_ID = "https://pandore.invalid/schema/scenario.schema.json"


def scenario_schema() -> dict:
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
    schema["title"] = "Pandore scenario (format 1)"
    schema["description"] = ("One scenario in one language. See docs/authoring.en.md "
                             "(docs/authoring.fr.md in French).")
    return schema


def schema_text() -> str:
    return json.dumps(scenario_schema(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
