"""Start times of an installed Pandore (the standalone folder, or a venv's `pandore`), for docs/distribution.md.

    python packaging/measure.py dist/pandore/pandore [/path/to/venv/bin/pandore ...] [--runs 7]

For each program: the median wall time of `--version` (start and the
command line), of the tutorial played in the terminal (`play --text --json`),
of the window reaching its event loop headless (from the start until SDL
handles SIGTERM, read from /proc: Linux only; the title screen is built
right after) and of the tutorial played in the headless window
(`--autoplay`). Runs with SDL's dummy drivers and a throwaway PANDORE_HOME.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHOICES = "lire_dossier,visite_domicile,noter_partager,maintenir,rappeler"


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def window_ready(exe: str, env: dict[str, str]) -> float:
    t = time.perf_counter()
    proc = subprocess.Popen([exe], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while proc.poll() is None:
            status = Path(f"/proc/{proc.pid}/status").read_text()
            mask = next(int(line.split()[1], 16) for line in status.splitlines() if line.startswith("SigCgt:"))
            if mask & (1 << (signal.SIGTERM - 1)):
                break
            time.sleep(0.002)
        elapsed = time.perf_counter() - t
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    return elapsed


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("programs", nargs="+")
    p.add_argument("--runs", type=int, default=7)
    args = p.parse_args()
    home = tempfile.mkdtemp(prefix="pandore-measure-")
    env = {**os.environ, "PANDORE_HOME": home, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    env.pop("PYTHONPATH", None)
    cases = {
        "--version": lambda exe: timed([exe, "--version"], env),
        "play --text --json (tutorial)": lambda exe: timed([exe, "play", "tutoriel", "--text", "--json",
                                                            "--choices", CHOICES], env),
        "window: start to event loop": (lambda exe: window_ready(exe, env)) if sys.platform.startswith("linux") else None,
        "window: tutorial autoplayed": lambda exe: timed([exe, "play", "tutoriel", "--autoplay", CHOICES], env),
    }
    print(f"| case | " + " | ".join(args.programs) + " |")
    print("|---|" + "---|" * len(args.programs))
    for name, fn in cases.items():
        if fn is None:
            continue
        cells = []
        for exe in args.programs:
            fn(exe)  # warm the page cache: the numbers are warm starts
            cells.append(f"{statistics.median(fn(exe) for _ in range(args.runs)):.2f} s")
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
