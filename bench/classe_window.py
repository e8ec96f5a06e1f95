"""Benchmark: does the window stay responsive while it hosts a session, or while its host is away?

Run by hand, never in CI's timing:

    .venv/bin/python bench/classe_window.py [--trainees 30] [--seconds 5]

1. Hosting: the median and 95th percentile of one loop iteration of the
   window on the host screen (drawing forced every frame), first with no
   trainee, then while N simulated trainees (threads with httpx, on
   loopback) join and play the tutorial to its end again and again against
   the host served by that same window process. The ratio busy/idle is what
   to read; absolute times depend on the machine and its load.
2. Joining: the median time of one choice on the window's thread through
   the class controller (local play + hand-over to the outbox's thread),
   with the host up and with the host stopped, against the same choice
   through the solo controller. The window never waits on the network: the
   three medians are of the same order (each writes its save to disk, fsync included).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PANDORE_HOME", tempfile.mkdtemp(prefix="pandore-bench-"))

import httpx  # noqa: E402

from game.authoring import library  # noqa: E402
from game.ui.app import open_window  # noqa: E402
from game.ui.controller import Controller  # noqa: E402
from game.ui.pilot import Pilot  # noqa: E402
from game.ui.scene import Push  # noqa: E402
from game.ui.scenes.host_screen import HostScene, start_host  # noqa: E402
from game.ui.scenes.join import ClassController, join_session  # noqa: E402

TUTO = library.resolve("tutoriel", "fr")


def frames(pilot: Pilot, seconds: float) -> list[float]:
    out = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        pilot.app.dirty = True
        t0 = time.perf_counter()
        pilot.app.step(block=False)
        out.append(time.perf_counter() - t0)
        time.sleep(1 / 60)
    return out


def trainee(api: str, stop: threading.Event, counts: list[int]) -> None:
    rules = library.load("tutoriel")[1].rules
    with httpx.Client(timeout=10, trust_env=False) as c:
        while not stop.is_set():
            me = c.post(f"{api}/participants", json={"pseudonym": "bench"}).json()
            head = {"Authorization": f"Bearer {me['token']}"}
            from game.engine import Playthrough

            pt = Playthrough.start(rules, me["seed"])
            seq = 0
            while not pt.state.finished and not stop.is_set():
                choice = next(ch.id for ch in rules.choices(pt.state) if ch.available)
                pt = pt.choose(choice)
                seq += 1
                r = c.post(f"{api}/choices", headers=head,
                           json={"playthrough_id": me["playthrough_id"], "seq": seq, "choice": choice})
                assert r.status_code in (200, 201), r.text
                counts.append(1)


def q(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]


def hosting(n: int, seconds: float) -> None:
    pilot = Pilot(open_window(lang="fr", size=(1280, 720)))
    scene = HostScene(pilot.app.ctx, TUTO, bind="127.0.0.1", port=0)
    pilot.app._apply(Push(scene))
    pilot.settle()
    idle = frames(pilot, seconds)
    api = scene.join_url.replace("/j/", "/api/v1/sessions/")
    stop, counts = threading.Event(), []
    workers = [threading.Thread(target=trainee, args=(api, stop, counts), daemon=True) for _ in range(n)]
    for w in workers:
        w.start()
    time.sleep(0.5)
    busy = frames(pilot, seconds)
    stop.set()
    for w in workers:
        w.join(10)
    scene.stop()
    mi, mb = statistics.median(idle), statistics.median(busy)
    print(f"hosting: window frame idle median {mi * 1000:.2f} ms (p95 {q(idle, .95) * 1000:.2f}); "
          f"with {n} trainees median {mb * 1000:.2f} ms (p95 {q(busy, .95) * 1000:.2f}); ratio {mb / mi:.2f}; "
          f"{len(counts) / seconds:.0f} choices/s acknowledged meanwhile")


def joining(runs: int) -> None:
    from game.authoring.loader import load_file

    dirs = Pilot(open_window(lang="fr", size=(1024, 600))).app.dirs
    host = start_host(TUTO, bind="127.0.0.1", port=0)
    host.wait_ready()

    def one(make) -> float:
        times = []
        for _ in range(runs):
            ctl = make()
            while not ctl.finished:
                choice = next(c.id for c in ctl.view_at(-1).choices if c.available)
                t0 = time.perf_counter()
                ctl.choose(choice)
                times.append(time.perf_counter() - t0)
            if isinstance(ctl, ClassController):
                ctl.close()
        return statistics.median(times)

    loaded = load_file(TUTO)
    solo = one(lambda: Controller(loaded, "fr", seed=1, dirs=dirs))  # with its autosave, as in play

    def joined():
        j = join_session(host.address.url, host.session.row.code, "bench", dirs)
        return ClassController(load_file(j.scenario_file(dirs)), "fr", j, dirs)

    up = one(joined)
    made = [joined() for _ in range(runs)]  # joined while the host is up, played while it is down
    url = host.address.url
    host.stop()
    it = iter(made)
    down = one(lambda: next(it))
    print(f"joining: one choice on the window's thread, median: solo {solo * 1000:.2f} ms, "
          f"class with the host up {up * 1000:.2f} ms, with the host down {down * 1000:.2f} ms ({url} stopped)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trainees", type=int, default=30)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    hosting(a.trainees, a.seconds)
    joining(a.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
