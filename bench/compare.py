"""What an engine change bought: this tree against the hot path of a git ref.

    python -m bench.compare REF [--runs 5] [--seconds 1] [--sizes 100 1000 5000]

Copies the working tree to a temporary folder, puts REF's versions of the
hot-path files (game/engine/rules.py, state.py, expr.py) in the copy, and
measures both trees the way `python -m bench` does (fresh process per
measurement, interleaved, CPU time): pandore's random playthroughs through
the public API (`step`) and its uncached load (read + parse + validate +
compile). Prints one JSON object per row, then a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .__main__ import ROOT

HOT_PATH = ("game/engine/rules.py", "game/engine/state.py", "game/engine/expr.py")


def make_tree(ref: str, into: Path) -> Path:
    tree = into / "before"
    shutil.copytree(ROOT / "game", tree / "game", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "bench", tree / "bench", ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    for f in HOT_PATH:
        text = subprocess.run(["git", "show", f"{ref}:{f}"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        (tree / f).write_text(text, encoding="utf-8")
    # An older engine may not know the load cache: load the plain way there.
    eng = tree / "bench" / "engines.py"
    eng.write_text(eng.read_text(encoding="utf-8").replace(
        "loaded = load_file(path, cache=True) if cache else load_file(path)", "loaded = load_file(path)"), encoding="utf-8")
    return tree


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ref")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    args = ap.parse_args(argv)
    import os

    with tempfile.TemporaryDirectory(prefix="pandore-compare-") as tmp:
        trees = {"before": make_tree(args.ref, Path(tmp)), "after": ROOT}
        jobs = []
        for n in args.sizes:
            jobs.append(("play", n, {"kind": "play", "engine": "pandore", "n": n, "seconds": args.seconds}))
            jobs.append(("load", n, {"kind": "load", "engine": "pandore", "n": n, "cache": False}))
        res: dict = {}
        for run in range(args.runs):
            for metric, n, spec in jobs:
                for which in (("before", "after") if run % 2 == 0 else ("after", "before")):
                    tree = trees[which]
                    env = dict(os.environ, PYTHONPATH=str(tree), PANDORE_CACHE_DIR=str(Path(tmp) / "cache"),
                               PYTHONHASHSEED="0")
                    spec = {**spec, "path": str(ROOT / "bench" / "stories" / f"synth-{n}.yaml")}
                    r = run_worker_in(tree, spec, env)
                    res.setdefault((metric, n, which), []).append(r["value"] if metric == "play" else 1000 * r["cpu"])
            print(f"run {run + 1}/{args.runs}", file=sys.stderr)
    lines = ["| N | playthroughs, choices/s: before | after | after/before | uncached load, ms: before | after | after/before |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for n in args.sizes:
        row = {"n": n}
        cells = []
        for metric in ("play", "load"):
            b, a = res[(metric, n, "before")], res[(metric, n, "after")]
            ratio = statistics.median(x / y for x, y in zip(a, b))
            row[metric] = {"before": statistics.median(b), "after": statistics.median(a), "after/before": ratio}
            fmt = "{:,.0f}" if metric == "play" else "{:,.1f}"
            cells += [fmt.format(statistics.median(b)), fmt.format(statistics.median(a)), f"{ratio:.2f}"]
        print(json.dumps(row))
        lines.append(f"| {n:,} | " + " | ".join(cells) + " |")
    print("\n".join(lines))
    return 0


def run_worker_in(tree: Path, spec: dict, env: dict) -> dict:
    proc = subprocess.run([sys.executable, "-m", "bench.worker", json.dumps(spec)], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"worker {spec} failed in {tree}:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
