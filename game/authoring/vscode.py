"""The editor's set-up that `pandore new` writes beside a new scenario: VS Code's settings and the
per-scenario schema they point at.

`.vscode/settings.json` in the scenario's folder (VS Code reads it when the
trainer opens that folder) maps each language file of the scenario
(`fr.yaml`, `en.yaml`) to its per-scenario schema (`fr.schema.json`, what
`pandore schema --for FILE` writes), so that the YAML extension underlines
a goto to an unknown node and completes node names; it also keeps YAML
files in UTF-8 and indented with spaces (a tab is a YAML error).

An existing settings file is never clobbered: when it is plain JSON, the
missing entries are added and every other setting is kept as it was; when
it cannot be read as JSON (VS Code allows comments in it), it is left
untouched and the lines to add are said instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .files import atomic_write_text
from .schema import schema_for, schema_text

LANGS = ("fr", "en")


def wanted(lang_files: tuple[str, ...] = LANGS) -> dict:
    """The settings a scenario folder needs (as VS Code's settings.json holds them)."""
    return {
        "yaml.schemas": {f"./{lang}.schema.json": [f"{lang}.yaml"] for lang in lang_files},
        "files.encoding": "utf8",
        "[yaml]": {"editor.insertSpaces": True, "editor.tabSize": 2, "editor.detectIndentation": False},
    }


@dataclass(frozen=True)
class Written:
    """What happened to the settings file: `created`, `merged`, `unchanged` or `kept` (unreadable,
    left as it was; `missing` then holds the JSON to add by hand)."""

    outcome: str
    path: Path
    missing: str = ""


def merge(existing: dict, add: dict) -> dict:
    """`existing` with what `add` holds and it lacks; nothing already set is changed."""
    out = dict(existing)
    for key, value in add.items():
        if key not in out:
            out[key] = value
        elif isinstance(out[key], dict) and isinstance(value, dict):
            out[key] = merge(out[key], value)
    return out


def write_settings(folder: Path, lang_files: tuple[str, ...] = ("fr",)) -> Written:
    """Write or complete `folder/.vscode/settings.json` for the scenario files of `lang_files`
    (OSError when it cannot be written)."""
    path = Path(folder) / ".vscode" / "settings.json"
    add = wanted(lang_files)
    if not path.exists():
        atomic_write_text(path, json.dumps(add, ensure_ascii=False, indent=2) + "\n")
        return Written("created", path)
    try:
        existing = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        existing = None
    if not isinstance(existing, dict):
        return Written("kept", path, json.dumps({"yaml.schemas": add["yaml.schemas"]}, ensure_ascii=False))
    merged = merge(existing, add)
    if merged == existing:
        return Written("unchanged", path)
    atomic_write_text(path, json.dumps(merged, ensure_ascii=False, indent=2) + "\n")
    return Written("merged", path)


def write_schema(scenario_file: Path, data) -> Path:
    """The per-scenario schema beside `scenario_file` (`fr.yaml` -> `fr.schema.json`), from its data."""
    target = scenario_file.with_name(scenario_file.stem + ".schema.json")
    atomic_write_text(target, schema_text(schema_for(data)))
    return target
