"""`pandore check` of the whole shipped library, timed: `python -m bench.check_library`.

The goal (issue 10): every file of scenarios/ checked (YAML, shape,
references, the analysis warnings and the translation check) in under a
second. Two measures, each the median of --runs:

- cold: a fresh `python main.py check scenarios` process, imports included
  (what a trainer waits for), in wall-clock seconds and in CPU seconds of
  the process (the latter does not depend on what else the machine runs);
- warm: `check_paths(["scenarios"])` again in one process (the work itself,
  without Python's start-up and imports).

Exit 1 when the cold CPU median is over --limit seconds. `--json` prints one
JSON object. `python -m bench --check-library` runs it too.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cold(runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds (user + system, of the child) of a fresh `check` process, per run."""
    import resource

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PANDORE_SCENARIOS", None)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "main.py", "check", "scenarios"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if proc.returncode != 0:
            raise SystemExit(f"check of the library failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return walls, cpus


def warm(runs: int) -> tuple[list[float], list[float], int]:
    sys.path.insert(0, str(ROOT))
    from game.authoring.check import check_paths

    check_paths([str(ROOT / "scenarios")])  # imports and first compilation out of the way
    walls, cpus, files = [], [], 0
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        diags, files = check_paths([str(ROOT / "scenarios")])
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        assert not diags, [d.format() for d in diags]
    return walls, cpus, files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--limit", type=float, default=1.0, help="seconds allowed for the cold check (default 1)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    c, ccpu = cold(args.runs)
    w, cpu, files = warm(args.runs)
    row = {"bench": "check-library", "files": files, "runs": args.runs,
           "cold_median_s": round(statistics.median(c), 3), "cold_min_s": round(min(c), 3),
           "cold_max_s": round(max(c), 3), "cold_cpu_median_s": round(statistics.median(ccpu), 3),
           "warm_median_s": round(statistics.median(w), 3),
           "warm_cpu_median_s": round(statistics.median(cpu), 3), "limit_s": args.limit,
           "loadavg": os.getloadavg()[0] if hasattr(os, "getloadavg") else None}
    if args.json:
        print(json.dumps(row))
    else:
        print(f"check of the shipped library ({files} files), median of {args.runs} runs:")
        print(f"  cold (fresh process, imports included): {row['cold_cpu_median_s']:.3f} s CPU "
              f"(limit {args.limit:.1f} s); {row['cold_median_s']:.3f} s wall "
              f"(min {row['cold_min_s']:.3f}, max {row['cold_max_s']:.3f})")
        print(f"  warm (check_paths again in one process): {row['warm_median_s']:.3f} s wall, "
              f"{row['warm_cpu_median_s']:.3f} s CPU")
    return 0 if row["cold_cpu_median_s"] < args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
