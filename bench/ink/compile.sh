#!/usr/bin/env bash
# Rebuild bench/stories/synth-N.{yaml,ink,ink.json} for N = 100, 1000, 5000.
# Needs Node 20 + npm (inkjs, pinned in package.json, ships inkjs-compiler).
# The .ink.json files are committed, so the benchmark itself never needs Node.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
py="${PYTHON:-$root/.venv/bin/python}"
(cd "$here" && npm ci --no-audit --no-fund --silent)
for n in 100 1000 5000; do
    (cd "$root" && "$py" -m bench.gen_synth "$n" 1)
    "$here/node_modules/.bin/inkjs-compiler" -o "$root/bench/stories/synth-$n.ink.json" "$root/bench/stories/synth-$n.ink"
done
