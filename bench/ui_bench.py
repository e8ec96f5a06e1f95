"""Benchmarks of the game window (run by hand: `python bench/ui_bench.py`).

- launch to an interactive title screen: a fresh process, from its start to
  the first frame shown (median of 5 runs);
- idle CPU: the real loop on the play screen, waiting for the player, for
  10 s; CPU seconds used / wall seconds (% of one core);
- frame time during animations at 1280x720: the work of each animated frame
  (events, update, draw; not the wait for the next frame) over a playthrough
  with gauge, SMS-arrival, text-reveal and video-call animations; p50/p95/max;
- input to screen at 1280x720 and 1920x1080: the real loop (`App.step`
  blocking, waiting for input as it does for a player) waits, idle, while
  another thread types a key after a random pause, through the X server with
  XTest as a keyboard would (without an X server: posted into SDL's queue);
  from that moment to the end of the `pygame.display.flip()` that shows the
  result: a choice (the feedback panel appears) and « Continuer » (the next
  node, or the debrief); p50/p95/max, and the CPU the process used meanwhile;
- resident memory (RSS, from /proc) of a fresh process on the title screen,
  then after each of five playthroughs through the menus (title, picker, a
  different shipped scenario each time, briefing, every node, debrief,
  « Un autre scénario »).

Uses SDL_VIDEODRIVER=dummy unless a display is set (run under `xvfb-run` to
include a real X server). Prints a Markdown section; `--write` puts it into
docs/BENCHMARKS.md under "## Game window", leaving the other sections alone.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCENARIO = ROOT / "tests" / "ui" / "data" / "scenarios" / "ui-views" / "fr.yaml"
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

CHILD_STARTUP = r"""
import time, sys
from game.ui.app import open_window
app = open_window(size=(1280, 720))
app.step(block=False)
print(repr(app.interactive_at - app.started), time.time())
"""

CHILD_IDLE = r"""
import os, sys, time, pygame
from game.ui.app import open_window
from game.ui.pilot import Pilot
p = Pilot(open_window(scenario_path=sys.argv[1], seed=1, size=(1280, 720)))
p.key(pygame.K_RETURN)          # briefing -> play
p.settle()
seconds = float(sys.argv[2])
pygame.time.set_timer(pygame.QUIT, int(seconds * 1000), loops=1)
c0, w0 = time.process_time(), time.perf_counter()
p.app.run()
print(time.process_time() - c0, time.perf_counter() - w0)
"""


CHILD_MEMORY = r"""
import gc, os, sys, pygame
from pathlib import Path
from game.ui import userdata
from game.ui.app import open_window
from game.ui.pilot import Pilot
from game.i18n import t

def rss_mb():
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

size = tuple(int(x) for x in sys.argv[1].split("x"))
home = Path(sys.argv[2])
app = open_window(lang="fr", size=size, dirs=userdata.Dirs(home / "c", home / "d", home / "doc"))
p = Pilot(app)
out = [rss_mb()]
p.click_text(t("ui.title.play", "fr"))
for i in range(int(sys.argv[3])):
    cards = [b for b in p.scene.focusables if b.text == t("ui.picker.choose", "fr")]
    p.scene.focus = p.scene.focusables.index(cards[i % len(cards)])
    p.key(pygame.K_RETURN)
    p.click_text(t("ui.briefing.start", "fr"))
    for _ in range(300):
        s = p.scene
        if s.name != "play":
            break
        if s.report is not None or s.dead_end:
            p.key(pygame.K_RETURN)
            continue
        p.key(pygame.K_1 + next(k for k, c in enumerate(s.choices.choices) if c.available))
    assert p.scene.name == "debrief", p.scene.name
    p.click_text(t("ui.debrief.another", "fr"))
    gc.collect()
    out.append(rss_mb())
print(" ".join(f"{x:.1f}" for x in out))
"""


def _env(home: str) -> dict:
    env = dict(os.environ)
    env["PANDORE_HOME"] = home
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONWARNINGS"] = "ignore"
    return env


def startup(runs: int = 5) -> dict:
    """Launch times of fresh processes with the modules' bytecode compiled, as an installed copy
    has it (pip compiles it when it installs the wheel): in a private cache, made by one launch
    that is not counted. Also, for the record, without bytecode (every module compiled from its
    source at each launch: what PYTHONDONTWRITEBYTECODE, set in some sandboxes, gives)."""
    def launches(env: dict, n: int) -> list[float]:
        times = []
        for _ in range(n):
            t0 = time.time()
            out = subprocess.run([sys.executable, "-c", CHILD_STARTUP], capture_output=True, text=True,
                                 env=env, cwd=ROOT, check=True).stdout.split()
            times.append(float(out[-1]) - t0)
        return times

    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as pyc:
        compiled = {k: v for k, v in _env(home).items() if k != "PYTHONDONTWRITEBYTECODE"}
        compiled["PYTHONPYCACHEPREFIX"] = pyc
        launches(compiled, 1)  # writes the bytecode
        times = launches(compiled, runs)
        source = launches({**_env(home), "PYTHONDONTWRITEBYTECODE": "1"}, runs)
    return {"median_s": statistics.median(times), "max_s": max(times),
            "no_bytecode_median_s": statistics.median(source)}


def idle(seconds: float = 10.0) -> dict:
    with tempfile.TemporaryDirectory() as home:
        out = subprocess.run([sys.executable, "-c", CHILD_IDLE, str(SCENARIO), str(seconds)], capture_output=True,
                             text=True, env=_env(home), cwd=ROOT, check=True).stdout.split()
    cpu, wall = float(out[-2]), float(out[-1])
    return {"cpu_s": cpu, "wall_s": wall, "percent_of_core": 100 * cpu / wall}


def frames(rounds: int = 3) -> dict:
    import pygame

    from game.ui import userdata
    from game.ui.app import open_window
    from game.ui.pilot import Pilot

    work: list[float] = []
    with tempfile.TemporaryDirectory() as home:
        dirs = userdata.Dirs(Path(home) / "c", Path(home) / "d", Path(home) / "doc")
        for _ in range(rounds):
            app = open_window(scenario_path=str(SCENARIO), seed=1, size=(1280, 720), dirs=dirs)
            p = Pilot(app)
            app.frame_times.clear()

            def run_animation():
                t_end = time.perf_counter() + 5
                while app.animating and time.perf_counter() < t_end:
                    app.step(block=True)

            p.key(pygame.K_RETURN, settle=False)
            run_animation()
            for key in (pygame.K_1, pygame.K_RETURN, pygame.K_1, pygame.K_RETURN, pygame.K_2, pygame.K_RETURN,
                        pygame.K_1, pygame.K_RETURN):
                p.key(key, settle=False)
                run_animation()
            work += app.frame_times
    work.sort()
    ms = [w * 1000 for w in work]
    return {"frames": len(ms), "p50_ms": statistics.median(ms), "p95_ms": ms[int(len(ms) * 0.95) - 1], "max_ms": ms[-1]}


class XKeys:
    """Real key presses through the X server (the XTest extension), as a keyboard makes them: the
    window gets them on its X connection like any input. None of it without an X display."""

    KEYSYMS = {"1": "1", "2": "2", "3": "3", "return": "Return"}

    def __init__(self):
        import ctypes
        import ctypes.util

        self.x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        self.xtst = ctypes.CDLL(ctypes.util.find_library("Xtst") or "libXtst.so.6")
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XStringToKeysym.restype = ctypes.c_ulong
        self.x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
        self.x11.XKeysymToKeycode.restype = ctypes.c_ubyte
        self.x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.x11.XSetInputFocus.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_ulong]
        self.x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self.x11.XFlush.argtypes = [ctypes.c_void_p]
        self.x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
        self.dpy = self.x11.XOpenDisplay(None)
        if not self.dpy:
            raise OSError("no X display")

    @classmethod
    def available(cls) -> "XKeys | None":
        if not os.environ.get("DISPLAY") or os.environ.get("SDL_VIDEODRIVER") == "dummy":
            return None
        try:
            return cls()
        except (OSError, AttributeError):
            return None

    def focus(self, window: int) -> None:
        self.x11.XSetInputFocus(self.dpy, window, 2, 0)  # RevertToParent, CurrentTime
        self.x11.XSync(self.dpy, 0)

    def press(self, name: str) -> None:
        code = self.x11.XKeysymToKeycode(self.dpy, self.x11.XStringToKeysym(self.KEYSYMS[name].encode()))
        self.xtst.XTestFakeKeyEvent(self.dpy, code, 1, 0)
        self.xtst.XTestFakeKeyEvent(self.dpy, code, 0, 0)
        self.x11.XFlush(self.dpy)

    def close(self) -> None:
        self.x11.XCloseDisplay(self.dpy)


def latency(size: tuple[int, int], rounds: int = 3, seed: int = 7) -> dict:
    """Key press to the flip that shows its result, in the real loop (see the module's doc)."""
    import pygame

    from game.ui import userdata
    from game.ui.app import open_window

    rng = random.Random(seed)
    flips: list[float] = []
    real_flip = pygame.display.flip

    def flip():
        real_flip()
        flips.append(time.perf_counter())
        flip_cpu[flips[-1]] = time.process_time()

    samples: dict[str, list[float]] = {"choice": [], "continue": []}
    waits: list[float] = []  # of which: until the loop took the event from the queue
    cpu: dict[str, list[float]] = {"choice": [], "continue": []}  # CPU time of the process over the same span
    flip_cpu: dict[float, float] = {}
    pygame.display.flip = flip
    keyboard = XKeys.available()
    try:
        with tempfile.TemporaryDirectory() as home:
            dirs = userdata.Dirs(Path(home) / "c", Path(home) / "d", Path(home) / "doc")
            for _ in range(rounds):
                app = open_window(scenario_path=str(SCENARIO), seed=1, size=size, dirs=dirs)
                if keyboard is not None:
                    keyboard.focus(pygame.display.get_wm_info()["window"])
                handled: dict[str, float] = {}
                expected: dict[str, int] = {}
                real_dispatch = app._dispatch

                def dispatch(ev, real_dispatch=real_dispatch, handled=handled, expected=expected):
                    if ev.type == pygame.KEYDOWN and ev.key == expected.get("key") and "at" not in handled:
                        handled["at"] = time.perf_counter()
                    real_dispatch(ev)

                app._dispatch = dispatch

                def press(key: int, kind: str | None) -> None:
                    # a reader: the screen settles, then some time passes before the key
                    t_end = time.perf_counter() + 6
                    while app.animating and time.perf_counter() < t_end:
                        app.step(block=True)
                    quiet = time.perf_counter() + rng.uniform(0.2, 0.6)
                    while time.perf_counter() < quiet:
                        app.step(block=True)
                    posted: dict[str, float] = {}
                    handled.clear()
                    expected["key"] = key

                    def post():
                        posted["cpu"] = time.process_time()
                        posted["at"] = time.perf_counter()
                        if keyboard is not None:  # through the X server, as a keyboard
                            keyboard.press(pygame.key.name(key))
                            return
                        for kind_ in (pygame.KEYDOWN, pygame.KEYUP):  # no X server: into SDL's queue
                            pygame.event.post(pygame.event.Event(kind_, key=key, mod=0, unicode="", scancode=0))

                    timer = threading.Timer(rng.uniform(0.01, 0.2), post)
                    timer.start()
                    t_end = time.perf_counter() + 10
                    while time.perf_counter() < t_end:
                        app.step(block=True)
                        if "at" in handled and flips and flips[-1] > handled["at"]:
                            break
                    timer.join()
                    if kind is not None:
                        shown = next(f for f in flips if f > handled["at"])
                        samples[kind].append(shown - posted["at"])
                        cpu[kind].append(flip_cpu[shown] - posted["cpu"])
                        waits.append(handled["at"] - posted["at"])

                press(pygame.K_RETURN, None)  # briefing -> play
                for key in (pygame.K_1, pygame.K_1, pygame.K_2, pygame.K_1):
                    press(key, "choice")
                    press(pygame.K_RETURN, "continue")
                assert app.top.name == "debrief", app.top.name
                pygame.display.quit()
    finally:
        pygame.display.flip = real_flip
        if keyboard is not None:
            keyboard.close()
    out = {"input": "X server (XTest)" if keyboard is not None else "SDL queue (pygame.event.post)"}
    for kind, xs in samples.items():
        ms = sorted(x * 1000 for x in xs)
        cms = sorted(x * 1000 for x in cpu[kind])
        out[kind] = {"n": len(ms), "p50_ms": statistics.median(ms), "p95_ms": _p95(ms), "max_ms": ms[-1],
                     "cpu_p50_ms": statistics.median(cms), "cpu_p95_ms": _p95(cms)}
    allms = sorted(x * 1000 for xs in samples.values() for x in xs)
    out["all"] = {"n": len(allms), "p50_ms": statistics.median(allms), "p95_ms": _p95(allms), "max_ms": allms[-1]}
    wms = sorted(x * 1000 for x in waits)
    out["queue"] = {"n": len(wms), "p50_ms": statistics.median(wms), "p95_ms": _p95(wms), "max_ms": wms[-1]}
    out["raw_ms"] = {k: [round(x * 1000, 1) for x in xs] for k, xs in samples.items()}
    return out


def _p95(sorted_ms: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    import math

    return sorted_ms[max(0, math.ceil(0.95 * len(sorted_ms)) - 1)]


def memory(size: tuple[int, int], playthroughs: int = 5) -> dict:
    with tempfile.TemporaryDirectory() as home:
        out = subprocess.run([sys.executable, "-c", CHILD_MEMORY, f"{size[0]}x{size[1]}", home, str(playthroughs)],
                             capture_output=True, text=True, env=_env(home), cwd=ROOT, check=True).stdout.split()
    mb = [float(x) for x in out[-(playthroughs + 1):]]
    return {"start_mb": mb[0], "after_mb": mb[1:], "final_mb": mb[-1]}


LATENCY_TARGET_MS = {(1280, 720): 50, (1920, 1080): 100}
MEMORY_TARGET_MB = 300


def section(results: dict) -> str:
    s, i, f = results["startup"], results["idle"], results["frames"]
    driver = os.environ.get("SDL_VIDEODRIVER") or f"X11 ({os.environ.get('DISPLAY')})"
    ok = lambda b: "✅" if b else "❌"  # noqa: E731
    latency_rows = ""
    for (w, h), lat in results.get("latency", {}).items():
        target = LATENCY_TARGET_MS[(w, h)]
        for kind, what in (("choice", "a choice to its feedback panel"), ("continue", "« Continuer » to the next node or the debrief")):
            r = lat[kind]
            latency_rows += (f"| key press to the frame on screen at {w}×{h}: {what}, p95 ({r['n']} presses) "
                             f"| ≤ {target} ms | {r['p95_ms']:.1f} ms (p50 {r['p50_ms']:.1f} ms, max {r['max_ms']:.1f} ms; "
                             f"CPU used in that time: p50 {r['cpu_p50_ms']:.1f} ms, p95 {r['cpu_p95_ms']:.1f} ms) "
                             f"| {ok(r['p95_ms'] <= target)} |\n")
    memory_rows = ""
    for (w, h), mem in results.get("memory", {}).items():
        steps = ", ".join(f"{x:.0f}" for x in mem["after_mb"])
        memory_rows += (f"| resident memory at {w}×{h} after {len(mem['after_mb'])} playthroughs "
                        f"| ≤ {MEMORY_TARGET_MB} MB | {mem['final_mb']:.0f} MB (title screen {mem['start_mb']:.0f} MB; "
                        f"after each: {steps}) | {ok(mem['final_mb'] <= MEMORY_TARGET_MB)} |\n")
    lat = results.get("latency", {})
    first = next(iter(lat.values()), {})
    input_how = ("keys typed through the X server (XTest), as a keyboard" if first.get("input", "").startswith("X")
                 else "keys posted into SDL's queue by a thread (no X server)")
    queue_ms = ", ".join(f"p50 {v['queue']['p50_ms']:.1f} ms / max {v['queue']['max_ms']:.1f} ms at {w}×{h}"
                         for (w, h), v in lat.items()) or "?"
    return f"""## Game window

Measured by `bench/ui_bench.py` ({time.strftime('%Y-%m-%d')}, Python {sys.version.split()[0]},
{os.cpu_count()} cores, SDL video driver: {driver}). Run it again with
`python bench/ui_bench.py --write` (under `xvfb-run -a` for a real X server).

| measure | target | result | |
|---|---|---|---|
| launch to interactive title screen (median of 5 fresh processes, bytecode compiled) | ≤ 1.0 s | {s['median_s']:.2f} s (max {s['max_s']:.2f} s; without bytecode: {s['no_bytecode_median_s']:.2f} s) | {ok(s['median_s'] <= 1.0)} |
| idle on the play screen, waiting for the player ({i['wall_s']:.0f} s) | ≤ 2 % of one core | {i['percent_of_core']:.2f} % ({i['cpu_s']:.3f} s CPU) | {ok(i['percent_of_core'] <= 2)} |
| frame time during animations at 1280×720, p95 ({f['frames']} frames) | ≤ 8 ms | {f['p95_ms']:.2f} ms (p50 {f['p50_ms']:.2f} ms, max {f['max_ms']:.2f} ms) | {ok(f['p95_ms'] <= 8)} |
{latency_rows}{memory_rows}
Launch: a fresh process, from its start to the first frame of the title
screen. With bytecode compiled, as an installed copy has it; without it
(the sandbox this was measured in sets PYTHONDONTWRITEBYTECODE), each launch
compiles the ~60 modules it imports from source first (0.3 s of CPU here).
Group mode's screens, and the classroom code they bring, are imported when
first opened, not before the title screen (~0.1 s).

Idle: under X11 the loop sleeps in `select` on the X server's connection,
woken by the input itself, and at least every 100 ms for what does not come
through it (SDL timers, events posted by threads); it draws nothing when no
event arrived and no animation runs. Before, it polled every 10 ms: each
wake-up of a process costs ~0.1 ms of CPU on this machine (a bare
`time.sleep(0.01)` loop alone uses 0.9-1.0 % of a core), which made 1.2-2.7 %;
`pygame.event.wait()` wakes every millisecond inside SDL (2.1-3 %). Elsewhere
(Wayland, Windows, macOS) the 10 ms poll remains. Frame time counts the work
of a frame (events, update, draw), not the sleep that paces animations at 60 Hz.

Key press to screen: {input_how}, from the moment the key is sent to the end
of the `pygame.display.flip()` that shows its result; the loop took the key
from its queue {queue_ms} after it was sent. It is wall time on this machine,
shared with other work (1-minute load average {results.get('load', '?')}, on
{os.cpu_count()} cores): a press may wait for a core, which is why the CPU the
process used in the same span is given beside it (what the press costs on an
idle core; the X server's share of the flip is not in it).

Where the time of a press went, and what changed (CPU per press, measured on
the loop's own steps with `time.process_time`, 1280×720, before → after): a
choice or « Continuer » rebuilt the right column and the top bar: each
pygame_gui text box 12 ms (parsing its HTML, laying out and rendering it),
each button 2-3 ms plus 1 ms at its first update, the view 2 ms, the autosave
1 ms of CPU and two `fsync`s; the debrief's large buttons 8 ms each. The
engine's step is 0.1-0.3 ms of it. Now the play screen lays out, while the
player reads (one piece at a time, between polls, never during an animation),
each available choice's feedback, then the next node and its view, or the
whole debrief, hidden; a key press shows what is ready (`PlayScene.work_ahead`,
docs/ui.md), the top bar's buttons are kept from one screen to the next, and
the autosave is written just after the frame that shows the choice. A press
made before anything is ready (during the text's reveal) builds its screen at
once, as before, minus the top bar. In the same harness before → after: a
choice 28-38 → 6-12 ms, « Continuer » 20-30 → 5-9 ms, to the debrief 50-54 →
12 ms; at 1920×1080 41-57 → 12-17 ms, 30-44 → 7-13 ms and 88-93 → 23-24 ms
(one loop step from the key to the flip, 8 presses of each kind over two
playthroughs).
Before this change the same bench found (2026-12-02, polling, keys posted into
SDL's queue by a thread): a choice p95 104 ms at 1280×720 and 125 ms at
1920×1080 (CPU p50 51 and 78 ms), « Continuer » 113 and 131 ms, idle 2.7 %.

Memory: resident set of a fresh process, after each full playthrough through
the menus (a different shipped scenario each time). It was ~680 MB after four
(measured here before the change, 1920×1080 under Xvfb: 194 MB on the title
screen, 671 MB after five):
SDL drew through a software OpenGL driver (Mesa's llvmpipe under Xvfb,
~110 MB), glibc kept each screen's freed surfaces in the heap (its threshold
for giving large blocks back rises as big blocks are freed), and the text and
picture caches were bounded by count, not bytes. Now: X shared memory on
Linux, large blocks returned to the system (`game/ui/native.py`), 32 MB each
for rendered text and pictures (`text.SurfaceCache`). Ten playthroughs at
1920×1080 level off at ~270 MB (the caches full).
"""


def write(text: str) -> None:
    path = ROOT / "docs" / "BENCHMARKS.md"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Game window\n.*?(?=^## |\Z)", re.S | re.M)
    new = pattern.sub(lambda m: text + "\n", old) if pattern.search(old) else old.rstrip("\n") + "\n\n" + text
    path.write_text(new, encoding="utf-8")


def main() -> int:
    sizes = [(1280, 720), (1920, 1080)]
    load0 = os.getloadavg()[0]
    results = {"startup": startup(), "idle": idle(), "frames": frames(), "latency": {}}
    loads = []
    for size in sizes:
        before = os.getloadavg()[0]
        results["latency"][size] = latency(size)
        loads.append(f"{before:.1f}-{os.getloadavg()[0]:.1f} during the presses at {size[0]}×{size[1]}")
    results["memory"] = {size: memory(size) for size in sizes}
    results["load"] = f"{load0:.1f} at the start, {', '.join(loads)}, {os.getloadavg()[0]:.1f} at the end"
    text = section(results)
    print(text)
    print(json.dumps({k: ({f"{a}x{b}": x for (a, b), x in v.items()} if k in ("latency", "memory") else v)
                      for k, v in results.items()}, indent=2))
    if "--write" in sys.argv:
        write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
