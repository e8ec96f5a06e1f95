"""Without a screen (an SSH session, a server), `pandore` says so instead of running unseen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_screen_is_a_clear_message_not_a_hang(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(PYTHONPATH=str(ROOT), PANDORE_HOME=str(tmp_path), XDG_RUNTIME_DIR=str(tmp_path))
    proc = subprocess.run([sys.executable, str(ROOT / "main.py")], capture_output=True, text=True,
                          env=env, timeout=60, cwd=tmp_path)
    assert proc.returncode == 2
    assert "aucun écran" in proc.stderr and "--text" in proc.stderr
    assert "Traceback" not in proc.stderr
