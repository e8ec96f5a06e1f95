"""SIGTERM (a shutdown, a logout, `kill`) ends a window that hosts a session, without the question the
close button asks; the session stays in the store, resumable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from game.authoring import library

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = """
import sys
from game.ui.app import open_window
app = open_window(lang="fr", host={"scenario_path": sys.argv[1], "bind": "127.0.0.1", "port": 0})
print("hosting", app.top.name, app.top.host.session.row.id, flush=True)
sys.exit(app.run())
"""


def test_sigterm_ends_the_hosting_window_and_keeps_the_session(tmp_path):
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PANDORE_HOME": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-c", PROGRAM, str(library.resolve("tutoriel", "fr"))], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().split()
        assert line[:2] == ["hosting", "host"], proc.stderr.read()
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            raise AssertionError("the hosting window did not end on SIGTERM")
    from game.classroom.store import Store

    store = Store(tmp_path / "data" / "classroom.sqlite3")
    try:
        assert store.session(line[2]) is not None and store.session(line[2]).state == "running"
    finally:
        store.close()
