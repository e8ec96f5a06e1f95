"""Benchmark of the exhaustive analysis (`pandore analyze`) and of `pandore check`.

Run by hand, never in CI's timing:

    .venv/bin/python bench/analysis_bench.py            # 100, 1,000 and 10,000 nodes
    .venv/bin/python bench/analysis_bench.py --runs 5 --sizes 100 1000

For each size it generates a valid scenario (seeded, so every run explores
the same states), then reports the median over --runs of: states explored,
transitions, total analysis time and states per second; and the time of a
full `check` (YAML + validation + analysis warnings) of a 500-node file.
Independent of the rest of bench/ (which compares with ink).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml  # noqa: E402

from game.authoring.check import check_file  # noqa: E402
from game.engine.analysis import analyze  # noqa: E402
from game.engine.model import load_scenario  # noqa: E402


def generate(n_nodes: int, seed: int = 1, chapter: int = 8) -> dict:
    """A valid scenario of `n_nodes` nodes, choices going forward a little.

    Three gauges in steps of 5, a boolean and a counter, conditions, outcome
    branches and two triggers: the shapes trainers write, at scale. Every
    `chapter` nodes a node resets the values (`set`), as a new scene would.
    """
    rng = random.Random(seed)
    width = 4
    nodes: dict = {}
    n_endings = max(3, n_nodes // 20)
    endings = {f"fin_{i}": {"title": f"Fin {i}", "tone": rng.choice(["positive", "mixed", "negative"])}
               for i in range(n_endings)}
    gauges = ["relation", "exclusion", "workload"]
    for i in range(n_nodes):
        choices = []
        for j in range(rng.choice([2, 3, 3])):
            def target() -> str:
                t = min(i + rng.randint(1, width), (i // chapter + 1) * chapter)  # never past the next chapter
                return f"n{t}" if t < n_nodes else f"fin_{rng.randrange(n_endings)}"
            eff = {g: rng.choice([-10, -5, 5, 10]) for g in rng.sample(gauges, 2)}
            ch: dict = {"id": f"c{j}", "text": f"Choix {j}", "effects": eff}
            if rng.random() < 0.15:
                ch["effects"]["alerte"] = True
            if rng.random() < 0.1:
                ch["effects"]["relances"] = 1
            if j == 2 and rng.random() < 0.3:
                ch["available_if"] = rng.choice(["workload < 80", "not alerte", "relances < 3"])
            if rng.random() < 0.2:
                ch["outcomes"] = [{"weight": 2, "goto": target()},
                                  {"weight": 1, "effects": {"relation": -5}, "goto": target()}]
            else:
                ch["goto"] = target()
            choices.append(ch)
        node: dict = {"text": f"Nœud {i}", "choices": choices}
        if i % chapter == 0 and i:
            # A new chapter: the story resets the stakes, so the number of
            # states grows with the number of nodes, not exponentially.
            node["set"] = {"relation": 50, "exclusion": 30, "workload": 40, "alerte": False, "relances": 0}
        nodes[f"n{i}"] = node
    return {
        "format": 1, "id": f"bench-{n_nodes}", "language": "fr", "title": f"Banc {n_nodes}",
        "variables": {"alerte": False, "relances": 0},
        "triggers": [{"if": "workload >= 95", "goto": "fin_0", "once": True},
                     {"if": "relation <= 5", "effects": {"exclusion": 5}}],
        "start": "n0", "nodes": nodes, "endings": endings,
    }


def bench_analysis(sizes: list[int], runs: int, max_states: int) -> None:
    print(f"analysis (median of {runs} runs, budget {max_states:,} states; "
          "wall = elapsed time, cpu = this process's CPU time)")
    print(f"{'nodes':>7} {'states':>10} {'transitions':>12} {'complete':>9} {'wall s':>8} {'cpu s':>8} "
          f"{'states/s (wall)':>16} {'states/s (cpu)':>15}")
    for n in sizes:
        sc = load_scenario(generate(n))
        analyze(sc, 10)  # compile once, outside the timing
        walls, cpus, result = [], [], None
        for _ in range(runs):
            t0, c0 = time.perf_counter(), time.process_time()
            result = analyze(sc, max_states)
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(f"{n:>7,} {result.states:>10,} {result.transitions:>12,} {str(result.complete):>9} "
              f"{wall:>8.3f} {cpu:>8.3f} {result.states / wall:>16,.0f} {result.states / max(cpu, 1e-9):>15,.0f}")


def bench_check(n: int, runs: int) -> None:
    data = generate(n, seed=2)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "bench.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        size = path.stat().st_size
        walls, cpus = [], []
        for _ in range(runs):
            t0, c0 = time.perf_counter(), time.process_time()
            diags = check_file(path)
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
    print(f"check of a {n}-node file ({size // 1024} KiB, {len(diags)} diagnostic(s)): "
          f"median {statistics.median(walls):.3f} s wall, {statistics.median(cpus):.3f} s cpu over {runs} runs")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10_000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--max-states", type=int, default=2_000_000)
    ap.add_argument("--check-nodes", type=int, default=500)
    ap.add_argument("--explosive", type=int, default=400_000, metavar="BUDGET",
                    help="also explore a scenario whose states explode, up to BUDGET states (0: skip)")
    args = ap.parse_args()
    bench_analysis(args.sizes, args.runs, args.max_states)
    bench_check(args.check_nodes, args.runs)
    if args.explosive:
        print()
        print("the same generator without chapters: the states explode, the budget cuts")
        global generate
        chaptered = generate
        generate = lambda n, seed=1: chaptered(n, seed, chapter=10**9)  # noqa: E731
        bench_analysis([100], args.runs, args.explosive)


if __name__ == "__main__":
    main()
