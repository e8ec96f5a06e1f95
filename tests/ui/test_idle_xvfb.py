"""Idle on a real X server (Xvfb): the loop sleeps on the X connection, woken by the input itself.

It wakes a few times a second at most while nothing happens (not every 10 ms), and a key typed
through the X server (XTest, as a keyboard) is handled at once. Skipped where Xvfb is not installed.
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
    import threading, time, pygame
    from pathlib import Path
    from bench.ui_bench import XKeys
    from game.ui.app import open_window
    from game.ui.pilot import Pilot
    from game.ui.userdata import Dirs
    home = Path({home!r})
    app = open_window(size=(1280, 720), dirs=Dirs(home / "config", home / "data", home / "docs"))
    p = Pilot(app)
    print("fd", app._x11 is not None)
    polls = [0]
    real_get = pygame.event.get
    def get(*a, **kw):
        polls[0] += 1
        return real_get(*a, **kw)
    pygame.event.get = get
    app.step(block=True)  # the title, settled
    polls[0] = 0
    t0 = time.perf_counter()
    app.step(block=True)  # nothing happens: returns after IDLE_WAIT_MS
    print("idle", polls[0], round(time.perf_counter() - t0, 2))
    keys = XKeys()
    keys.focus(pygame.display.get_wm_info()["window"])
    got = {{}}
    real_dispatch = app._dispatch
    def dispatch(ev):
        if ev.type == pygame.KEYDOWN and "at" not in got:
            got["at"] = time.perf_counter()
        real_dispatch(ev)
    app._dispatch = dispatch
    sent = {{}}
    def press():
        time.sleep(0.3)
        sent["at"] = time.perf_counter()
        keys.press("return")
    threading.Thread(target=press).start()
    while "at" not in got:
        app.step(block=True)
    print("key", round((got["at"] - sent["at"]) * 1000, 1))
    for _ in range(5):
        app.step(block=False)
    print("scene", app.top.name)
""")


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="Xvfb is not installed (apt install xvfb)")
def test_idle_waits_on_the_x_connection_and_a_key_wakes_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SDL_VIDEODRIVER", "DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1600x900x24", sys.executable, "-c", SCRIPT.format(home=str(tmp_path))],
        capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    assert out["fd"] == "True"
    polls, seconds = out["idle"].split()
    assert 0.9 <= float(seconds) <= 1.5
    assert int(polls) <= 25  # ~10 a second at most (X11_WAIT_S), where polling every 10 ms made ~100
    assert float(out["key"]) < 50  # woken by the key itself, not by the next poll
    assert out["scene"] == "picker"  # Enter on « Jouer »
