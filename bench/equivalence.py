"""Proof, before any timing, that every engine plays the same story.

    python -m bench.equivalence [--seeds 300] [--sizes 100 1000 5000]

For each size and each seed, every engine plays one playthrough with the
same seeded picker; the transcripts (text lines, offered choices at each
turn, final gauges and variables) must be identical. Exit 0 when they are,
1 with the first difference otherwise. Also run by tests/bench/.
"""

from __future__ import annotations

import argparse
import sys
from typing import Iterable

from .engines import ENGINES, SIZES, load_all, transcript


def first_difference(a: list, b: list) -> str:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"entry {i}: {x!r} != {y!r}"
    return f"lengths {len(a)} != {len(b)}"


def check(sizes: Iterable[int] = SIZES, seeds: Iterable[int] = range(300),
          engines: Iterable[str] = ENGINES) -> tuple[int, list[str]]:
    """(number of transcripts compared, problems); no problem means all engines agree."""
    engines = list(engines)
    seeds = list(seeds)
    compared = 0
    problems: list[str] = []
    for n in sizes:
        stories = load_all(n, engines)
        for seed in seeds:
            ref = transcript(engines[0], stories[engines[0]], seed)
            if not any(kind == "choices" for kind, _ in ref):
                problems.append(f"N={n} seed={seed}: the playthrough made no choice")
            for e in engines[1:]:
                t = transcript(e, stories[e], seed)
                compared += 1
                if t != ref:
                    problems.append(f"N={n} seed={seed}: {e} differs from {engines[0]}: {first_difference(ref, t)}")
    return compared, problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=300)
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = ap.parse_args(argv)
    compared, problems = check(args.sizes, range(args.seeds))
    for p in problems[:10]:
        print(p, file=sys.stderr)
    if problems:
        print(f"NOT equivalent: {len(problems)} difference(s)", file=sys.stderr)
        return 1
    print(f"equivalent: {compared} transcripts compared ({len(ENGINES)} engines, "
          f"sizes {args.sizes}, {args.seeds} seeds each)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
