"""Headless UI tests: SDL's dummy video driver, a private PANDORE_HOME, a pilot."""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest  # noqa: E402

DATA = Path(__file__).parent / "data"
VIEWS = DATA / "scenarios" / "ui-views" / "fr.yaml"

# pygame_gui warns about fonts it loads lazily; those are not our failures
warnings.filterwarnings("ignore", module="pygame_gui")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PANDORE_HOME", str(tmp_path / "home"))
    from game.ui import userdata

    return userdata.Dirs.default()


@pytest.fixture
def scenario_copy(tmp_path) -> Path:
    """A writable copy of the test scenario (F5 tests edit it)."""
    folder = tmp_path / "sc" / "ui-views"
    folder.mkdir(parents=True)
    shutil.copy(VIEWS, folder / "fr.yaml")
    return folder / "fr.yaml"


@pytest.fixture
def make_pilot(home):
    from game.ui.app import open_window
    from game.ui.pilot import Pilot

    made = []

    def make(size=(1280, 720), scenario=None, seed=1, lang="fr"):
        app = open_window(lang=lang, scenario_path=str(scenario) if scenario else None, seed=seed, size=size, dirs=home)
        p = Pilot(app)
        made.append(p)
        return p

    yield make
