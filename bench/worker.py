"""One measurement in a fresh process: `python -m bench.worker '{"kind": ..., ...}'`.

Prints one JSON object. Times are CPU seconds of this process
(`time.process_time`: every engine here runs on one thread, and the machine
is shared, so CPU time is what the engine itself costs) with the wall-clock
time beside them.

kinds:
- import  {engine}: importing the engine's modules (the interpreter's own
  start is not counted);
- load    {engine, n, cache}: read + parse + validate + ready to play, the
  imports done before;
- play    {engine, n, seconds}: random playthroughs (seeds 0, 1, 2, ...)
  after a short warm-up, for at least `seconds` of CPU time; choices/s;
- analyze {n, max_states}: `game.engine.analysis.analyze` on the story.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from .engines import PLAY, import_engine, load, story_path

cpu = time.process_time
wall = time.perf_counter


def measure(spec: dict) -> dict:
    kind, engine = spec["kind"], spec.get("engine", "pandore")
    n = spec.get("n")
    if kind == "import":
        c0, w0 = cpu(), wall()
        import_engine(engine)
        return {"cpu": cpu() - c0, "wall": wall() - w0}
    import_engine(engine)
    path = Path(spec["path"]) if spec.get("path") else story_path(engine, n)
    if kind == "load":
        c0, w0 = cpu(), wall()
        load(engine, path)
        return {"cpu": cpu() - c0, "wall": wall() - w0}
    story = load(engine, path)
    if kind == "play":
        play = PLAY[engine]
        warm = cpu() + min(0.1, spec["seconds"] / 4)
        seed = 0
        while cpu() < warm:
            play(story, 1_000_000 + seed)
            seed += 1
        budget = spec["seconds"]
        choices = games = 0
        c0, w0 = cpu(), wall()
        while True:
            choices += play(story, games)
            games += 1
            elapsed = cpu() - c0
            if elapsed >= budget:
                break
        w = wall() - w0
        return {"cpu": elapsed, "wall": w, "choices": choices, "games": games,
                "value": choices / elapsed, "value_wall": choices / w}
    if kind == "analyze":
        from game.engine.analysis import analyze

        c0, w0 = cpu(), wall()
        result = analyze(story, spec["max_states"])
        c, w = cpu() - c0, wall() - w0
        return {"cpu": c, "wall": w, "states": result.states, "transitions": result.transitions,
                "complete": result.complete, "value": result.states / c}
    raise ValueError(kind)


if __name__ == "__main__":
    print(json.dumps(measure(json.loads(sys.argv[1]))))
