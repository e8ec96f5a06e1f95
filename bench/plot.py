"""The plot of docs/BENCHMARKS.md: throughput and load time against N.

    python -m bench.plot [bench/results/latest.json] [-o docs/benchmarks.png]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

STYLE = {  # engine: (label, colour, marker)
    "pandore": ("pandore step()", "#1f6feb", "o"),
    "autoplay": ("pandore autoplay()", "#0a3069", "s"),
    "pandore+cache": ("pandore, cache hit", "#0a3069", "s"),
    "bink": ("bink (Rust)", "#d1242f", "^"),
    "inkpython": ("inkpython (pure Python)", "#bf8700", "v"),
    "floor": ("dict-walk floor", "#6e7781", "x"),
}


def plot(rows: list[dict], out: str | Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.4), dpi=110)
    for ax, metric, title, unit in ((left, "play", "Random playthroughs", "choices per second (CPU)"),
                                    (right, "load", "Cold load: read + parse + validate + compile", "milliseconds (CPU)")):
        engines = [e for e in STYLE if any(r["metric"] == metric and r.get("engine") == e for r in rows)]
        for e in engines:
            pts = sorted((r["n"], r["median"], r["min"], r["max"]) for r in rows
                         if r["metric"] == metric and r.get("engine") == e)
            if not pts:
                continue
            ns = [p[0] for p in pts]
            med = [p[1] for p in pts]
            err = [[p[1] - p[2] for p in pts], [p[3] - p[1] for p in pts]]
            label, colour, marker = STYLE[e]
            if metric == "load" and e == "pandore":
                label = "pandore, no cache"
            ax.errorbar(ns, med, yerr=err, label=label, color=colour, marker=marker, capsize=3,
                        linestyle="--" if e == "floor" else "-")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("N (nodes / knots)")
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle("Pandore vs ink runtimes on the same synthetic story (median, min–max of the runs)", fontsize=10)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", nargs="?", default=str(Path(__file__).parent / "results" / "latest.json"))
    ap.add_argument("-o", "--out", default=str(Path(__file__).parents[1] / "docs" / "benchmarks.png"))
    args = ap.parse_args(argv)
    rows = json.loads(Path(args.results).read_text(encoding="utf-8"))
    plot([r for r in rows if r.get("metric") != "meta"], args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
