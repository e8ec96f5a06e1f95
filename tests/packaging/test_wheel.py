"""The wheel carries the whole game: built here, installed in a fresh venv outside the repository.

The sdist is built first and the wheel from it (what `python -m build`
does), so a file missing from either shows here. The venv is a plain
`python -m venv` (no access to this interpreter's packages) and the wheel is
installed WITH its dependencies, resolved from its own metadata: that proves
the declared dependencies are enough. pip's cache makes this a few seconds
once the project's own venv has been set up. Every command runs in a folder
outside the checkout, with no PYTHONPATH, so nothing can come from the source tree.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import game

from .window import open_and_quit

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL_CHOICES = "lire_dossier,visite_domicile,noter_partager,maintenir,rappeler"


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / name


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("timeout", 300)
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    # Asked of the installed distributions, not of sys.path: the checkout's build/ folder
    # (PyInstaller's work folder) would pass for a `build` package. Run from `out` for the same reason.
    try:
        importlib.metadata.distribution("build")
    except importlib.metadata.PackageNotFoundError:  # a venv without the `test` extra: the wheel from the tree
        cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", out, ROOT]
    else:  # the `test` extra: the sdist, then the wheel from it
        cmd = [sys.executable, "-m", "build", "--outdir", out, ROOT]
    proc = _run(cmd, timeout=600, cwd=out)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    found = {p.suffix: p for p in out.iterdir()}
    return {"wheel": found[".whl"], "sdist": found.get(".gz")}


@pytest.fixture(scope="module")
def venv(built, tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("fresh") / "venv"
    assert not where.resolve().is_relative_to(ROOT)
    _run([sys.executable, "-m", "venv", where], check=True)
    proc = _run([_bin(where, "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                 built["wheel"]], timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return where


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items()
         if k not in ("PYTHONPATH", "PANDORE_SCENARIOS", "PANDORE_HOME", "PANDORE_CACHE_DIR", "VIRTUAL_ENV")}
    e.update(PANDORE_HOME=str(tmp_path / "home"), PANDORE_CACHE_DIR=str(tmp_path / "cache"),
             SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONDONTWRITEBYTECODE="1")
    return e


def test_the_wheel_and_the_sdist_carry_the_shipped_files(built):
    names = set(zipfile.ZipFile(built["wheel"]).namelist())
    for rel in ("assets/fonts/Inter-Regular.otf", "assets/fonts/Inter-copyright-debian.txt",
                "assets/themes/default.json", "assets/themes/high-contrast.json",
                "assets/illustrations/title.svg", "assets/icons/app.svg",
                "scenarios/tutoriel/fr.yaml", "scenarios/tutoriel/en.yaml", "scenarios/tutoriel/media/bureau.svg",
                "schema/scenario.schema.json"):
        assert f"game/_data/{rel}" in names, rel
    shipped = {p.relative_to(ROOT).as_posix() for d in ("assets", "scenarios") for p in (ROOT / d).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert {f"game/_data/{s}" for s in shipped} <= names
    assert "game/i18n/fr.json" in names and "game/authoring/templates/fr.yaml" in names
    assert any(n.endswith(".dist-info/licenses/assets/fonts/Inter-copyright-debian.txt") for n in names)
    assert not any("__pycache__" in n or n.startswith(("tests/", "bench/")) for n in names)
    if built["sdist"] is not None:
        import tarfile

        with tarfile.open(built["sdist"]) as tar:
            members = {m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name}
        assert {"pyproject.toml", "assets/fonts/Inter-Regular.otf", "scenarios/tutoriel/fr.yaml",
                "schema/scenario.schema.json", "game/resources.py"} <= members


def test_the_installed_game_reads_its_own_copy(venv, env, tmp_path):
    code = "import game, game.resources as r; print(game.__file__); print(r.data_root())"
    proc = _run([_bin(venv, "python"), "-c", code], env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    module, data = (Path(line) for line in proc.stdout.split())
    assert venv.resolve() in module.resolve().parents and not module.resolve().is_relative_to(ROOT)
    assert data == module.parent / "_data"


def test_version(venv, env, tmp_path):
    proc = _run([_bin(venv, "pandore"), "--version"], env=env, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == f"pandore {game.__version__}"


def test_plays_the_tutorial_in_the_terminal(venv, env, tmp_path):
    proc = _run([_bin(venv, "pandore"), "play", "tutoriel", "--text", "--json", "--choices", TUTORIAL_CHOICES],
                env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["scenario"] == "tutoriel" and data["ending"] == "fin_lien"
    assert data["gauges"] == {"relation": 85, "exclusion": 0, "workload": 90, "secret": 65}
    assert [step["choice"] for step in data["path"]] == TUTORIAL_CHOICES.split(",")


def test_check_and_analyze_a_shipped_scenario(venv, env, tmp_path):
    data = Path(_run([_bin(venv, "python"), "-c", "import game.resources as r; print(r.scenarios())"],
                     env=env, cwd=tmp_path).stdout.strip())
    proc = _run([_bin(venv, "pandore"), "check", data / "sms-mineur"], env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 fichiers vérifiés" in proc.stdout and "aucune erreur" in proc.stdout  # a French scenario: French messages
    proc = _run([_bin(venv, "pandore"), "analyze", "tutoriel", "--json"], env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)
    proc = _run([_bin(venv, "pandore"), "new", "essai", "--dir", tmp_path / "mes-scenarios"], env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    head = (tmp_path / "mes-scenarios" / "essai" / "fr.yaml").read_text(encoding="utf-8").splitlines()[0]
    schema = (tmp_path / "mes-scenarios" / "essai" / head.split("$schema=")[1]).resolve()
    assert schema == data.parent / "schema" / "scenario.schema.json" and schema.is_file()


def test_trainers_folders_beside_the_shipped_library(venv, env, tmp_path):
    own = tmp_path / "formation"
    shutil.copytree(ROOT / "scenarios" / "tutoriel", own / "mon-cas")
    room = tmp_path / "salle"
    shutil.copytree(ROOT / "scenarios" / "tutoriel", room / "scenarios" / "cas-local")
    env["PANDORE_SCENARIOS"] = str(own)
    proc = _run([_bin(venv, "pandore"), "play", "inconnu", "--text"], env=env, cwd=room)
    assert proc.returncode == 2
    listed = {line.split()[0] for line in proc.stderr.splitlines() if line.startswith("  ")}
    assert {"mon-cas", "cas-local", "tutoriel", "sms-mineur"} <= listed
    for name in ("mon-cas", "cas-local"):
        proc = _run([_bin(venv, "pandore"), "play", name, "--text", "--json", "--choices", TUTORIAL_CHOICES],
                    env=env, cwd=room)
        assert proc.returncode == 0 and json.loads(proc.stdout)["ending"] == "fin_lien", proc.stderr


WINDOW = r"""
import sys
from game.ui.app import open_window
from game.ui.pilot import Pilot
from game.ui import theme
app = open_window(lang="fr", size=(1280, 720))
pilot = Pilot(app)
pilot.settle()
assert pilot.scene.name == "title", pilot.scene.name
pilot.shot(sys.argv[1])
print(theme.FONTS)
print(app.ctx.font_path("regular"))
"""


def test_the_window_opens_headless_on_the_title_screen(venv, env, tmp_path):
    shot = tmp_path / "title.png"
    proc = _run([_bin(venv, "python"), "-c", WINDOW, shot], env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    fonts, regular = (Path(line) for line in proc.stdout.split())
    assert venv.resolve() in fonts.resolve().parents and Path(regular).is_file()
    assert shot.is_file() and shot.stat().st_size > 10_000
    assert not (tmp_path / "home" / "data" / "pandore-errors.log").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and sends SIGTERM (Linux)")
def test_the_pandore_command_opens_the_window_headless(venv, env, tmp_path):
    code, err = open_and_quit([_bin(venv, "pandore")], env, tmp_path)
    assert code == 0, err
    assert "Traceback" not in err
    assert not (tmp_path / "home" / "data" / "pandore-errors.log").exists()
