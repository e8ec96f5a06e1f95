"""The standalone folder built by `make dist` (PyInstaller, one-folder) runs the whole game.

Run by `make test-dist`, which builds the folder first and names it in
PANDORE_DIST; CI runs that target after `make test` when its time allows
(.ci/run). In a plain `make test` these tests are reported as skipped, with
that reason: a folder left over from an earlier build may be stale.

Every command runs with a minimal environment (no PYTHONPATH, no virtual
environment, a PATH of system folders only) in a folder outside the checkout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import game

from .window import open_and_quit

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL_CHOICES = "lire_dossier,visite_domicile,noter_partager,maintenir,rappeler"
FOLDER = os.environ.get("PANDORE_DIST")

pytestmark = [
    pytest.mark.dist,
    pytest.mark.skipif(not FOLDER, reason="the standalone folder is tested by `make test-dist`, which builds it first"),
]


@pytest.fixture(scope="module")
def folder() -> Path:
    path = (ROOT / FOLDER).resolve()
    assert path.is_dir(), f"{path}: no standalone folder (run `make dist`)"
    return path


@pytest.fixture(scope="module")
def exe(folder) -> Path:
    return folder / ("pandore.exe" if os.name == "nt" else "pandore")


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    keep = ("HOME", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "SYSTEMROOT", "TMP", "TEMP", "TMPDIR", "LANG")
    e = {k: os.environ[k] for k in keep if k in os.environ}
    e.update(PATH=os.pathsep.join(["/usr/bin", "/bin"]) if os.name != "nt" else os.environ.get("SYSTEMROOT", ""),
             PANDORE_HOME=str(tmp_path / "home"), PANDORE_CACHE_DIR=str(tmp_path / "cache"),
             SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    return e


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("timeout", 120)
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)


def test_the_folder_is_this_version_and_lean(exe, folder, env, tmp_path):
    proc = _run([exe, "--version"], env=env, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == f"pandore {game.__version__}", proc.stderr
    data = folder / "_internal" / "game" / "_data"
    assert (data / "assets" / "fonts" / "Inter-Regular.otf").is_file()
    assert (data / "assets" / "fonts" / "Inter-copyright-debian.txt").is_file()
    assert (data / "scenarios" / "tutoriel" / "fr.yaml").is_file() and (data / "schema").is_dir()
    gui = folder / "_internal" / "pygame_gui" / "data"
    assert (gui / "NotoSans-Regular.ttf").is_file() and (gui / "licenses" / "NotoSans-LICENSE.txt").is_file()
    assert not list(gui.glob("NotoSansJP-*")) and not list(gui.glob("NotoSansSC-*"))
    size = sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    assert size < 100e6, f"the folder grew to {size / 1e6:.0f} MB (docs/distribution.md: ~41 MB on Linux)"


def test_plays_the_tutorial_in_the_terminal(exe, env, tmp_path):
    proc = _run([exe, "play", "tutoriel", "--text", "--json", "--choices", TUTORIAL_CHOICES], env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["ending"] == "fin_lien"
    assert data["gauges"] == {"relation": 85, "exclusion": 0, "workload": 90, "secret": 65}
    proc = _run([exe, "play", "tutoriel", "--text", "--choices", TUTORIAL_CHOICES], env=env, cwd=tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr


def test_the_tools(exe, folder, env, tmp_path):
    shipped = folder / "_internal" / "game" / "_data" / "scenarios"
    proc = _run([exe, "check", shipped], env=env, cwd=tmp_path)
    assert proc.returncode == 0 and "aucune erreur" in proc.stdout, proc.stdout + proc.stderr  # French scenarios
    proc = _run([exe, "analyze", "sms-mineur", "--json"], env=env, cwd=tmp_path)
    assert proc.returncode == 0 and json.loads(proc.stdout), proc.stderr
    proc = _run([exe, "graph", "tutoriel", "--format", "mermaid"], env=env, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith("flowchart"), proc.stderr
    proc = _run([exe, "schema"], env=env, cwd=tmp_path)
    assert proc.returncode == 0 and json.loads(proc.stdout)["$schema"]
    proc = _run([exe, "new", "essai", "--dir", tmp_path / "mes-scenarios"], env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = _run([exe, "check", tmp_path / "mes-scenarios" / "essai" / "fr.yaml"], env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_trainers_folders_beside_the_shipped_library(exe, env, tmp_path):
    import shutil

    own = tmp_path / "formation"
    shutil.copytree(ROOT / "scenarios" / "tutoriel", own / "mon-cas")
    env["PANDORE_SCENARIOS"] = str(own)
    proc = _run([exe, "play", "inconnu", "--text"], env=env, cwd=tmp_path)
    listed = {line.split()[0] for line in proc.stderr.splitlines() if line.startswith("  ")}
    assert proc.returncode == 2 and {"mon-cas", "tutoriel", "sms-mineur"} <= listed, proc.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and sends SIGTERM (Linux)")
def test_the_window_starts_headless_on_the_title_screen(exe, env, tmp_path):
    code, err = open_and_quit([exe], env, tmp_path)
    assert code == 0, err  # quit cleanly, not killed (-15) nor failed
    assert "Traceback" not in err
    assert not (tmp_path / "home" / "data" / "pandore-errors.log").exists()


def test_the_window_plays_the_tutorial_headless(exe, env, tmp_path):
    shots = tmp_path / "shots"
    proc = _run([exe, "play", "tutoriel", "--autoplay", TUTORIAL_CHOICES, "--screenshots", shots],
                env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in shots.glob("*.png"))
    assert names[0] == "00-briefing.png" and names[-1].endswith("-debrief.png") and len(names) >= 8
    assert all(p.stat().st_size > 10_000 for p in shots.glob("*.png"))
    assert not (tmp_path / "home" / "data" / "pandore-errors.log").exists()
