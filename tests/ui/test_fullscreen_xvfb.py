"""Full screen on a real X server (Xvfb): F11 fills the screen and comes back.

The dummy video driver ignores full screen, so this test starts the game
under `xvfb-run`; where Xvfb is not installed it is reported as skipped
(Debian/Ubuntu: `apt install xvfb`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import pygame
    from pathlib import Path
    from game.ui.app import open_window
    from game.ui.pilot import Pilot
    from game.ui.userdata import Dirs
    home = Path({home!r})
    app = open_window(size=(1280, 720), dirs=Dirs(home / "config", home / "data", home / "docs"))
    p = Pilot(app)
    p.key(pygame.K_F11)
    print("full", *pygame.display.get_surface().get_size(), app.ctx.settings.fullscreen)
    p.key(pygame.K_RETURN)
    print("scene", type(app.top).__name__, *pygame.display.get_surface().get_size())
    p.key(pygame.K_F11)
    print("window", *pygame.display.get_surface().get_size(), app.ctx.settings.fullscreen)
""")


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="Xvfb is not installed (apt install xvfb)")
def test_f11_fills_the_screen_and_back(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SDL_VIDEODRIVER", "DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1600x900x24", sys.executable, "-c", SCRIPT.format(home=str(tmp_path))],
        capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if line.split(" ", 1)[0] in
                 ("full", "scene", "window"))
    assert lines["full"] == "1600 900 True"
    assert lines["scene"].startswith("PickerScene") and lines["scene"].endswith("1600 900")
    assert lines["window"] == "1280 720 False"
    assert "Traceback" not in proc.stderr


FIRST = textwrap.dedent("""
    import pygame
    from pathlib import Path
    from game.ui.app import open_window
    from game.ui.userdata import Dirs
    home = Path({home!r})
    app = open_window(dirs=Dirs(home / "config", home / "data", home / "docs"))
    print("first", *pygame.display.get_surface().get_size())
""")


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="Xvfb is not installed (apt install xvfb)")
@pytest.mark.parametrize("screen", [(1024, 600), (1366, 768)])
def test_first_window_fits_a_small_screen(tmp_path, screen):
    env = {k: v for k, v in os.environ.items() if k not in ("SDL_VIDEODRIVER", "DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", f"-screen 0 {screen[0]}x{screen[1]}x24", sys.executable, "-c",
         FIRST.format(home=str(tmp_path))], capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    line = next(x for x in proc.stdout.splitlines() if x.startswith("first "))
    w, h = map(int, line.split()[1:])
    assert w <= screen[0] and h <= screen[1]
    if screen == (1366, 768):
        assert h <= 768 - 68  # a taskbar and a title bar still fit
