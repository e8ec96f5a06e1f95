"""The engine is pure: stdlib + pydantic + itself, no pygame, no yaml, no UI."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "game" / "engine"
ALLOWED_THIRD_PARTY = {"pydantic", "pydantic_core", "typing_extensions", "annotated_types"}

BLOCKED_IMPORT = textwrap.dedent(
    """
    import sys

    BLOCKED = ("pygame", "pygame_gui", "yaml", "_yaml", "game.authoring", "game.ui", "game.classroom",
               "game.cli", "platformdirs")

    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if any(name == b or name.startswith(b + ".") for b in BLOCKED) or name.startswith("pygame"):
                raise ImportError(f"blocked in this test: {name}")
            return None

    sys.meta_path.insert(0, Blocker())
    sys.path.insert(0, sys.argv[1])

    import game.engine as engine
    from game.engine import Playthrough, load_scenario, replay, dump_save, make_save, parse_save, load_save

    # Use it, so that a lazy import inside a function would be caught too.
    data = {
        "format": 1, "id": "t", "language": "fr", "title": "T", "start": "a",
        "variables": {"flag": False},
        "triggers": [{"if": "workload >= 45", "effects": {"flag": True}, "once": True}],
        "nodes": {"a": {"text": "{workload}", "effects": {"workload": 1}, "choices": [
            {"id": "go", "text": "Go", "available_if": "not flag", "effects": {"workload": 10},
             "outcomes": [{"weight": 1, "goto": "end"}, {"weight": 2.5, "goto": "a"}]}]}},
        "endings": {"end": {"title": "E", "text": [{"if": "flag", "text": "f"}, {"text": "g"}]}},
    }
    sc = load_scenario(data)
    pt = Playthrough.start(sc, seed=1).choose("go")
    engine.visible_choices(sc, pt.state)
    engine.resolve_text(sc, pt.state, sc.endings["end"].text)
    load_save(sc, parse_save(dump_save(make_save(pt, "0" * 64))))
    replay(sc, 1, ["go", "go", "go"])
    for name in ("game.engine.analysis",):
        try:
            __import__(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
    leaked = sorted(m for m in sys.modules
                    if m.split(".")[0] in ("pygame", "pygame_gui", "yaml", "_yaml", "platformdirs")
                    or m.startswith(("game.authoring", "game.ui", "game.classroom", "game.cli")))
    assert not leaked, leaked
    print("ok")
    """
)


def test_the_engine_imports_and_plays_with_pygame_and_yaml_blocked():
    proc = subprocess.run([sys.executable, "-c", BLOCKED_IMPORT, str(ROOT)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_the_blocker_does_block():
    # The check above is only worth something if the blocker works.
    script = BLOCKED_IMPORT.split("import game.engine")[0] + "import yaml\n"
    proc = subprocess.run([sys.executable, "-c", script, str(ROOT)], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "blocked in this test: yaml" in proc.stderr


def _imports(path: Path) -> list[tuple[int, str, int]]:
    """(line, module, level) for each import in a file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, node.module or "", node.level))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in ("__import__", "import_module"):
                found.append((node.lineno, "<dynamic import>", -1))
    return found


ENGINE_FILES = sorted(ENGINE.rglob("*.py"))


@pytest.mark.parametrize("path", ENGINE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_engine_modules_import_only_stdlib_pydantic_and_the_engine(path):
    bad = []
    for line, module, level in _imports(path):
        top = module.split(".")[0]
        if level == -1:
            bad.append((line, module))
        elif level > 0:
            # Relative: `from .x` stays in game.engine (deeper packages included);
            # `from ..x` would reach out of it.
            depth = len(path.relative_to(ENGINE).parts) - 1
            if level > depth + 1:
                bad.append((line, "." * level + module))
        elif module == "game.engine" or module.startswith("game.engine."):
            continue
        elif top in sys.stdlib_module_names or top == "__future__" or top in ALLOWED_THIRD_PARTY:
            continue
        else:
            bad.append((line, module))
    assert not bad, f"{path.relative_to(ROOT)} imports outside stdlib + pydantic + game.engine: {bad}"


def test_the_import_check_sees_every_engine_module():
    names = {p.stem for p in ENGINE_FILES}
    assert {"__init__", "model", "expr", "state", "rules", "events", "replay"} <= names


def test_the_import_check_would_catch_a_leak(tmp_path):
    leaky = tmp_path / "leaky.py"
    leaky.write_text("import os\nfrom ..authoring import loader\ndef f():\n    import yaml\n    __import__('pygame')\n")
    found = _imports(leaky)
    assert (4, "yaml", 0) in found and (2, "authoring", 2) in found and (5, "<dynamic import>", -1) in found
