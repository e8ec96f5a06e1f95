"""The guides' first steps work as written on a fresh machine.

The install block (§ 0) must make `pandore` a command (a virtual
environment, `pip install -e .`, its activation); then the commands of the
`<!-- first-steps -->` block are run as written, in order, from a project
folder, and must all succeed and say where the new scenario was written.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest

from game.cli import main

ROOT = Path(__file__).resolve().parents[2]


def first_steps(lang: str) -> list[str]:
    text = (ROOT / "docs" / f"authoring.{lang}.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- first-steps -->\n```\n(.*?)```", text, re.S)
    assert block, "the guide has no <!-- first-steps --> block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_install_step_makes_pandore_a_command(lang):
    text = (ROOT / "docs" / f"authoring.{lang}.md").read_text(encoding="utf-8")
    install = text[text.index("## 0."):text.index("## 1.")]
    for needed in ("python3 -m venv .venv", ".venv/bin/pip install -e .", "source .venv/bin/activate",
                   ".venv\\Scripts\\activate", "python main.py"):
        assert needed in install, needed
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["pandore"] == "game.cli:main"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_first_commands_work_as_written(lang, tmp_path, monkeypatch, capsys):
    project = tmp_path / "pandore"
    (project / "scenarios").mkdir(parents=True)  # the project folder, as the guide says
    monkeypatch.chdir(project)
    monkeypatch.delenv("PANDORE_SCENARIOS", raising=False)
    commands = first_steps(lang)
    assert commands[0].startswith("pandore new ")
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "pandore"
        code = main(argv[1:])
        out, err = capsys.readouterr()
        assert code == 0, f"{command}\n{out}\n{err}"
        if argv[1] == "new":
            written = next(project.glob("scenarios/*/*.yaml"))
            assert str(written.resolve()) in out  # it says where it wrote
        if argv[1] == "check":
            assert "0 erreur" in out or "aucune erreur" in out or "no error" in out


def test_new_works_from_any_folder_and_says_where(tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    library = tmp_path / "bibliotheque"
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("PANDORE_SCENARIOS", str(library))
    assert main(["new", "essai"]) == 0
    out = capsys.readouterr().out
    target = library / "essai" / "fr.yaml"
    assert target.is_file() and str(target.resolve()) in out
    assert "pandore check essai" in out
    assert main(["check", "essai"]) == 0  # found by its id, from another folder
