"""Start an installed `pandore` window headless, let it reach its title screen, quit it as a user would."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path


def catches_sigterm(pid: int) -> bool:
    """SDL turns SIGTERM into a quit event once the window's event loop is set up (read from /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("SigCgt:"):
                return bool(int(line.split()[1], 16) & (1 << (signal.SIGTERM - 1)))
    except OSError:
        pass
    return False


def open_and_quit(cmd: list, env: dict[str, str], cwd: Path, settle: float = 1.5) -> tuple[int, str]:
    """Run `cmd` (the window, on the title screen), wait until SDL handles SIGTERM and `settle`
    seconds more (the title screen is built and drawn), then send SIGTERM. Returns (exit code, stderr)."""
    proc = subprocess.Popen([str(c) for c in cmd], env=env, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not catches_sigterm(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(settle)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, err
