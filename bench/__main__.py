"""Pandore against the ink runtimes, on the same story: `python -m bench`.

    python -m bench                 # the full run (about 5 minutes on 2 cores)
    python -m bench --quick --json  # a smoke run, under a minute, one JSON object per row
    python -m bench --plot docs/benchmarks.png --markdown

1. Proves the engines equivalent (bench/equivalence.py): no timing unless
   every transcript is identical.
2. Measures, each in a fresh process (bench/worker.py), the engines
   interleaved and their order rotated from run to run: import time; load
   time of each story; random
   playthroughs (choices per second) for pandore's `step` (with its events),
   bink, inkpython and the dict-walk floor; pandore's exhaustive analysis.
3. Reports the median and min-max of the runs, and the ratios computed pair
   by pair (run i of pandore against run i of the other engine).

Needs the `bench` extra (`pip install -e .[test,bench]`, or `make bench`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .engines import SIZES, story_path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

PLAYERS = ("pandore", "bink", "inkpython", "floor")
LOADERS = ("pandore", "bink", "inkpython")
IMPORTERS = ("pandore", "bink", "inkpython")


def missing_peers() -> list[str]:
    out = []
    for mod in ("bink", "inkpython"):
        try:
            __import__(mod)
        except ImportError:
            out.append(mod)
    return out


def run_worker(spec: dict, env: dict) -> dict:
    proc = subprocess.run([sys.executable, "-m", "bench.worker", json.dumps(spec)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"worker {spec} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


def ratios(a: list[float], b: list[float]) -> dict:
    """a[i] / b[i] for each run i (the runs were interleaved), summarised."""
    return summary([x / y for x, y in zip(a, b)])


def measure(args: argparse.Namespace, log) -> list[dict]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PANDORE_CACHE_DIR=args.cache_dir, PYTHONHASHSEED="0")
    sizes = args.sizes
    # The floor reads a JSON copy of the story's data (its load is not measured);
    floor_paths = {}
    from game.authoring.loader import load_file

    for n in sizes:
        loaded = load_file(story_path("pandore", n))
        p = Path(args.cache_dir) / f"floor-{n}.json"
        p.write_text(json.dumps(loaded.document.data, ensure_ascii=False), encoding="utf-8")
        floor_paths[n] = str(p)

    jobs: list[tuple[str, str, int | None, dict]] = []
    for engine in IMPORTERS:
        jobs.append(("import", engine, None, {"kind": "import", "engine": engine}))
    for n in sizes:
        for engine in LOADERS:
            base = engine.split("+")[0]
            jobs.append(("load", engine, n, {"kind": "load", "engine": base, "n": n}))
        for engine in PLAYERS:
            spec = {"kind": "play", "engine": engine, "n": n, "seconds": args.seconds}
            if engine == "floor":
                spec["path"] = floor_paths[n]
            jobs.append(("play", engine, n, spec))
        if args.analysis:
            jobs.append(("analyze", "pandore", n, {"kind": "analyze", "n": n, "max_states": args.max_states}))

    results: dict[tuple, list[dict]] = {}
    t0 = time.perf_counter()
    for run in range(args.runs):
        # Interleaved: every measurement of run i before any of run i+1; the
        # order rotates so no engine always follows the same neighbour.
        shift = run * 7 % len(jobs)
        for metric, engine, n, spec in jobs[shift:] + jobs[:shift]:
            results.setdefault((metric, engine, n), []).append(run_worker(spec, env))
        log(f"run {run + 1}/{args.runs} done ({time.perf_counter() - t0:.0f} s)")

    rows: list[dict] = []
    for (metric, engine, n), rs in results.items():
        if metric == "play":
            row = {"metric": "play", "unit": "choices/s", "engine": engine, "n": n,
                   **summary([r["value"] for r in rs]),
                   "wall": summary([r["value_wall"] for r in rs])["median"],
                   "choices": sum(r["choices"] for r in rs)}
        elif metric == "analyze":
            row = {"metric": "analyze", "unit": "states/s", "engine": engine, "n": n,
                   **summary([r["value"] for r in rs]),
                   "seconds": statistics.median(r["cpu"] for r in rs),
                   "states": rs[0]["states"], "transitions": rs[0]["transitions"], "complete": rs[0]["complete"]}
        else:
            row = {"metric": metric, "unit": "ms", "engine": engine, "n": n,
                   **summary([1000 * r["cpu"] for r in rs]),
                   "wall": statistics.median(1000 * r["wall"] for r in rs)}
        rows.append(row)

    def runs_of(metric: str, engine: str, n: int | None) -> list[float] | None:
        for r in rows:
            if (r["metric"], r["engine"], r["n"]) == (metric, engine, n):
                return r["runs"]
        return None

    for n in sizes:
        for ours in ("pandore",):
            for other in ("bink", "inkpython", "floor"):
                rows.append({"metric": "ratio", "what": f"play {ours}/{other}", "n": n,
                             **ratios(runs_of("play", ours, n), runs_of("play", other, n))})
        for ours in ("pandore",):
            rows.append({"metric": "ratio", "what": f"load {ours}/bink", "n": n,
                         **ratios(runs_of("load", ours, n), runs_of("load", "bink", n))})
    for engine in ("bink", "inkpython"):
        rows.append({"metric": "ratio", "what": f"import pandore/{engine}", "n": None,
                     **ratios(runs_of("import", "pandore", None), runs_of("import", engine, None))})
    return rows


def targets(rows: list[dict]) -> list[dict]:
    """The issue's targets, each with the measured median and whether it holds."""
    def ratio(what: str, n: int) -> float | None:
        for r in rows:
            if r["metric"] == "ratio" and r["what"] == what and r["n"] == n:
                return r["median"]
        return None

    out = []
    for ours in ("pandore",):
        for n in sorted({r["n"] for r in rows if r["metric"] == "play"}):
            for other, goal in (("bink", 4.0), ("inkpython", 50.0)):
                v = ratio(f"play {ours}/{other}", n)
                if v is not None:
                    out.append({"metric": "target", "what": f"play {ours}/{other} >= {goal:g}", "n": n,
                                "value": round(v, 3), "holds": v >= goal})
    for r in rows:
        if r["metric"] == "analyze":
            out.append({"metric": "target", "what": "analyze states/s >= 100,000", "n": r["n"],
                        "value": round(r["median"]), "holds": r["median"] >= 100_000})
    for what, goal in (("load pandore/bink", 2.0),):
        v = ratio(what, 1000)  # the target's size: at N = 100 both loads are a few ms of first-use costs
        if v is not None:
            out.append({"metric": "target", "what": f"{what} <= {goal:g}", "n": 1000, "value": round(v, 3),
                        "holds": v <= goal})
    return out


def fmt(v: float, unit: str) -> str:
    if unit == "choices/s" or unit == "states/s":
        return f"{v:,.0f}"
    return f"{v:,.1f}"


def markdown(rows: list[dict], meta: dict) -> str:
    def row(metric: str, engine: str, n: int | None) -> dict | None:
        return next((r for r in rows if r["metric"] == metric and r.get("engine") == engine and r["n"] == n), None)

    def ratio(what: str, n: int | None) -> str:
        r = next((r for r in rows if r["metric"] == "ratio" and r["what"] == what and r["n"] == n), None)
        return f"{r['median']:.2f} ({r['min']:.2f}–{r['max']:.2f})" if r else "–"

    def cell(r: dict | None) -> str:
        if r is None:
            return "–"
        return f"{fmt(r['median'], r['unit'])} ({fmt(r['min'], r['unit'])}–{fmt(r['max'], r['unit'])})"

    sizes = sorted({r["n"] for r in rows if r["metric"] == "play"})
    out = [f"Median (min–max) of {meta['runs']} runs, each in a fresh process; CPU time of the measuring process.", ""]
    out += ["**Random playthroughs, choices per second** (higher is better)", "",
            "| N | pandore `step` | bink | inkpython | dict-walk floor |",
            "|---:|---:|---:|---:|---:|"]
    for n in sizes:
        out.append(f"| {n:,} | " + " | ".join(cell(row("play", e, n)) for e in PLAYERS) + " |")
    out += ["", "**Ratios, pair by pair** (run i against run i)", "",
            "| N | step/bink | step/inkpython | step/floor |",
            "|---:|---:|---:|---:|"]
    for n in sizes:
        out.append(f"| {n:,} | " + " | ".join(ratio(f"play {a}/{b}", n) for a in ("pandore",)
                                             for b in ("bink", "inkpython", "floor")) + " |")
    out += ["", "**Load, cold process: read + parse + validate + ready to play, ms** (lower is better)", "",
            "| N | pandore | bink | inkpython | pandore/bink |",
            "|---:|---:|---:|---:|---:|"]
    for n in sizes:
        out.append(f"| {n:,} | " + " | ".join(cell(row("load", e, n)) for e in LOADERS) + " | "
                   + ratio("load pandore/bink", n) + " |")
    out += ["", "**Import, ms**", "", "| pandore | bink | inkpython |", "|---:|---:|---:|",
            "| " + " | ".join(cell(row("import", e, None)) for e in IMPORTERS) + " |"]
    an = [r for r in rows if r["metric"] == "analyze"]
    if an:
        out += ["", f"**Exhaustive analysis (`pandore analyze`) of the same stories**, budget "
                    f"{meta['max_states']:,} states", "",
                "| N | states | transitions | complete | seconds | states/s |", "|---:|---:|---:|:---:|---:|---:|"]
        for r in sorted(an, key=lambda r: r["n"]):
            out.append(f"| {r['n']:,} | {r['states']:,} | {r['transitions']:,} | {'yes' if r['complete'] else 'no'} "
                       f"| {r['seconds']:.2f} | {cell(r)} |")
    tg = targets(rows)
    out += ["", "**Targets**", "", "| target | N | measured | holds |", "|---|---:|---:|:---:|"]
    for t in tg:
        out.append(f"| {t['what']} | {t['n']:,} | {t['value']:,.0f} | {'yes' if t['holds'] else '**no**'} |" if t['value'] >= 1000 else f"| {t['what']} | {t['n']:,} | {t['value']:.2f} | {'yes' if t['holds'] else '**no**'} |")
    return "\n".join(out) + "\n"


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {"python": platform.python_version(), "os": platform.platform(), "cpu": cpu,
            "cores": os.cpu_count(), "loadavg": load}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a smoke run: under a minute")
    ap.add_argument("--json", action="store_true", help="one JSON object per row on stdout")
    ap.add_argument("--markdown", action="store_true", help="the tables in Markdown on stdout")
    ap.add_argument("--runs", type=int)
    ap.add_argument("--seconds", type=float, help="CPU seconds per playthrough measurement")
    ap.add_argument("--seeds", type=int, help="seeds in the equivalence proof")
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    ap.add_argument("--max-states", type=int)
    ap.add_argument("--no-analysis", dest="analysis", action="store_false")
    ap.add_argument("--analysis-bench", action="store_true",
                    help="also run bench/analysis_bench.py (the authoring toolkit's own) and include its report")
    ap.add_argument("--check-library", action="store_true",
                    help="only time `pandore check` of the shipped library (bench/check_library.py)")
    ap.add_argument("--plot", metavar="PNG", help="write the plot of throughput and load time against N")
    ap.add_argument("--save", metavar="JSON", help="write every row (default bench/results/latest.json; '-' for none)")
    args = ap.parse_args(argv)
    if args.check_library:
        from .check_library import main as check_library

        return check_library(["--json"] if args.json else [])
    quick = args.quick
    args.runs = args.runs or (3 if quick else 5)
    args.seconds = args.seconds or (0.1 if quick else 1.0)
    args.seeds = args.seeds if args.seeds is not None else (20 if quick else 300)
    args.max_states = args.max_states or (5_000 if quick else 200_000)
    if quick and args.sizes == list(SIZES):
        args.sizes = [100, 1000]  # N=5,000 costs seconds per process to load (inkpython, pandore uncached)
    log = (lambda msg: print(msg, file=sys.stderr))

    load0 = machine()["loadavg"]
    missing = missing_peers()
    if missing:
        print(f"bench: {', '.join(missing)} not installed; install the bench extra: "
              f"pip install -e '.[test,bench]' (or run `make bench`)", file=sys.stderr)
        return 2

    from .equivalence import check

    with tempfile.TemporaryDirectory(prefix="pandore-bench-") as cache_dir:
        os.environ["PANDORE_CACHE_DIR"] = cache_dir  # never the user's own cache
        args.cache_dir = cache_dir
        t0 = time.perf_counter()
        compared, problems = check(args.sizes, range(args.seeds))
        if problems:
            for p in problems[:10]:
                log(p)
            log(f"the engines are NOT equivalent ({len(problems)} difference(s)): no timing")
            return 1
        log(f"equivalence: {compared} transcripts identical across engines "
            f"({args.seeds} seeds x {len(args.sizes)} sizes) in {time.perf_counter() - t0:.0f} s")
        rows = measure(args, log)
    extra = []
    other = ROOT / "bench" / "analysis_bench.py"
    if args.analysis_bench and other.is_file():
        proc = subprocess.run([sys.executable, str(other), "--sizes", *map(str, args.sizes), "--runs", "3",
                               "--max-states", str(args.max_states)], cwd=ROOT, capture_output=True, text=True,
                              timeout=1800)
        extra.append({"metric": "analysis_bench", "command": f"python bench/analysis_bench.py --sizes "
                      f"{' '.join(map(str, args.sizes))} --runs 3 --max-states {args.max_states}",
                      "returncode": proc.returncode, "output": proc.stdout + proc.stderr})
        log("bench/analysis_bench.py done")
    meta = {"metric": "meta", "runs": args.runs, "seconds": args.seconds, "seeds": args.seeds, "loadavg_start": load0,
            "max_states": args.max_states, "quick": quick, "equivalent_transcripts": compared,
            "machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M:%S")}
    rows = [meta] + rows + targets(rows) + extra
    body = [r for r in rows if r["metric"] not in ("meta", "analysis_bench")]

    save = args.save or ("-" if quick else str(RESULTS / "latest.json"))
    if save != "-":
        Path(save).parent.mkdir(parents=True, exist_ok=True)
        Path(save).write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
        log(f"rows written to {save}")
    if args.plot:
        from .plot import plot

        plot(body, args.plot)
        log(f"plot written to {args.plot}")
    if args.json:
        for r in rows:
            print(json.dumps(r))
    if args.markdown or not args.json:
        print(markdown(body, meta))
        for e in extra:
            print(f"**`{e['command']}`** (the authoring toolkit's benchmark, its own scenarios)\n\n```\n"
                  f"{e['output'].rstrip()}\n```\n")
    log(f"total {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
