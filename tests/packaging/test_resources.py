"""Finding the shipped files from a checkout and from an installed layout; the version."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import game
from game import resources
from game.authoring import library
from game.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_a_checkout_reads_the_top_level_folders():
    assert resources.data_root() == ROOT
    assert (resources.assets() / "fonts" / "Inter-Regular.otf").is_file()
    assert (resources.scenarios() / "tutoriel" / "fr.yaml").is_file()
    assert resources.schema_file() == ROOT / "schema" / "scenario.schema.json"
    assert library.PACKAGE_SCENARIOS == ROOT / "scenarios"


def test_an_installed_layout_reads_the_copy_inside_the_package(tmp_path):
    # The wheel's layout, made by hand: game/ with game/_data/{assets,scenarios,schema}.
    site = tmp_path / "site"
    shutil.copytree(ROOT / "game", site / "game", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("assets", "scenarios", "schema"):
        shutil.copytree(ROOT / name, site / "game" / "_data" / name)
    code = ("import game.resources as r, game.ui.theme as t, game.authoring.library as l;"
            "print(r.data_root()); print(t.FONTS); print(l.PACKAGE_SCENARIOS)")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PANDORE_SCENARIOS")}
    env["PYTHONPATH"] = str(site)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=60, check=True).stdout.split()
    data = (site / "game" / "_data").resolve()
    assert out == [str(data), str(data / "assets" / "fonts"), str(data / "scenarios")]


def test_version_option(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == f"pandore {game.__version__}"
    assert resources.version() == game.__version__


def test_trainers_folders_are_found_beside_the_shipped_library(tmp_path, monkeypatch):
    own = tmp_path / "formation"
    shutil.copytree(ROOT / "scenarios" / "tutoriel", own / "mon-cas")
    cwd = tmp_path / "salle"
    shutil.copytree(ROOT / "scenarios" / "tutoriel", cwd / "scenarios" / "cas-local")
    monkeypatch.setenv("PANDORE_SCENARIOS", str(own))
    monkeypatch.chdir(cwd)
    ids = [e.id for e in library.library()]
    assert {"mon-cas", "cas-local", "tutoriel", "sms-mineur"} <= set(ids)
    assert library.resolve("mon-cas") == own / "mon-cas" / "fr.yaml"
    assert library.resolve("cas-local").resolve() == (cwd / "scenarios" / "cas-local" / "fr.yaml").resolve()
    assert library.resolve("tutoriel") == ROOT / "scenarios" / "tutoriel" / "fr.yaml"


def test_a_trainers_copy_of_a_shipped_scenario_replaces_it(tmp_path, monkeypatch):
    # How a school updates a scenario without reinstalling: the same id in its own folder.
    own = tmp_path / "mise-a-jour"
    shutil.copytree(ROOT / "scenarios" / "tutoriel", own / "tutoriel")
    monkeypatch.setenv("PANDORE_SCENARIOS", str(own))
    monkeypatch.chdir(tmp_path)
    assert library.resolve("tutoriel") == own / "tutoriel" / "fr.yaml"
    assert [e.folder for e in library.library() if e.id == "tutoriel"] == [own / "tutoriel"]
