"""What recording xAPI statements costs a committed choice: `python -m bench.xapi_overhead [--rounds 7]`.

In one process, interleaved round by round: a classroom session (real store: SQLite, WAL,
synchronous=FULL) where every join, choice and ending also queues its statements in the same
transaction, against the same session with the statement hooks replaced by nothing (the
reference). Each round: 20 trainees play the tutorial to an ending (80 committed choices, 20 joins).
Prints the median time per committed choice of each, and the ratio of each round's pair: the wall
time (mostly the fsync of each commit, which moves with the disk) and the process's CPU time (both
threads: the session and the store's writer), which is what the statements cost the host.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.authoring import library  # noqa: E402
from game.classroom import xapi  # noqa: E402
from game.classroom.session import ClassSession  # noqa: E402
from game.classroom.store import Store  # noqa: E402

HOOKS = ("joined", "chosen", "undone", "ended")


def one_round(path: Path, trainees: int) -> tuple[float, float, int]:
    store = Store(path)
    s = ClassSession.create(store, Path(library.load("tutoriel")[1].path))
    made = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(trainees):
        p = s.join(f"T{i}")
        while not p.pt.state.finished:
            c = next(c.id for c in s.rules.choices(p.pt.state) if c.available)
            s.choose(p, p.row.playthrough_id, len(p.pt.choices) + 1, c)
            made += 1
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    store.close()
    return elapsed / made, cpu / made, made


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--trainees", type=int, default=20)
    args = ap.parse_args()
    real = {h: getattr(xapi, h) for h in HOOKS}
    with_x, without, ratios = [], [], []
    cpu_with, cpu_without, cpu_ratios = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            pair = {}
            for mode in (("on", "off") if r % 2 == 0 else ("off", "on")):
                for h in HOOKS:
                    setattr(xapi, h, real[h] if mode == "on" else (lambda *a, **k: None))
                pair[mode], pair[mode + "-cpu"], made = one_round(Path(tmp) / f"{r}-{mode}.sqlite3", args.trainees)
            with_x.append(pair["on"])
            without.append(pair["off"])
            ratios.append(pair["on"] / pair["off"])
            cpu_with.append(pair["on-cpu"])
            cpu_without.append(pair["off-cpu"])
            cpu_ratios.append(pair["on-cpu"] / pair["off-cpu"])
    for h in HOOKS:
        setattr(xapi, h, real[h])
    print(f"{made} choices per round, {args.rounds} rounds, interleaved")
    print(f"with statements:    median {statistics.median(with_x) * 1e3:.3f} ms per committed choice "
          f"(min {min(with_x) * 1e3:.3f}, max {max(with_x) * 1e3:.3f})")
    print(f"without (reference): median {statistics.median(without) * 1e3:.3f} ms per committed choice "
          f"(min {min(without) * 1e3:.3f}, max {max(without) * 1e3:.3f})")
    print(f"ratio with/without: median {statistics.median(ratios):.2f} (min {min(ratios):.2f}, max {max(ratios):.2f})")
    print(f"CPU with statements: median {statistics.median(cpu_with) * 1e6:.0f} µs per committed choice, "
          f"without: {statistics.median(cpu_without) * 1e6:.0f} µs; ratio median "
          f"{statistics.median(cpu_ratios):.2f} (min {min(cpu_ratios):.2f}, max {max(cpu_ratios):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
