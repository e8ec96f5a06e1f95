"""Load on a classroom host over loopback: `python -m bench.classroom_load [--trainees 300 1000] [--choices 20]`.

Starts a real host (`pandore host tutoriel --headless --json --port 0`) in
its own process, then N simulated trainees (asyncio tasks sharing one httpx
client, one connection each up to 200) make C choices each, as fast as the
host acknowledges them; a trainee who reaches an ending joins again and goes
on. Reports acknowledged choices per second, p50/p99 acknowledgement time,
and checks the store: 0 lost, 0 duplicated. The ceiling of this design is
measured in the same run: the rate of bare durable SQLite inserts of the same
rows (WAL, synchronous=FULL, one transaction per row).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from game.authoring import library  # noqa: E402
from game.engine import Playthrough  # noqa: E402


def start_host(home: Path) -> tuple[subprocess.Popen, dict]:
    env = {**os.environ, "PANDORE_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "host", "tutoriel", "--headless", "--json",
                             "--bind", "127.0.0.1", "--port", "0"], stdout=subprocess.PIPE, text=True, env=env)
    info = json.loads(proc.stdout.readline())
    for _ in range(200):
        try:
            httpx.get(info["url"] + "/healthz", trust_env=False)
            break
        except httpx.TransportError:
            time.sleep(0.05)
    return proc, info


async def trainee(client, api, rules, i, choices, latencies, acked):
    rnd = random.Random(i)
    made = 0
    while made < choices:
        r = await client.post(f"{api}/participants", json={"pseudonym": f"t{i}"})
        me = r.json()
        headers = {"Authorization": f"Bearer {me['token']}"}
        pt = Playthrough.start(rules, me["seed"])
        while made < choices and not pt.state.finished:
            choice = rnd.choice([c.id for c in rules.choices(pt.state) if c.available])
            body = {"playthrough_id": me["playthrough_id"], "seq": len(pt.choices) + 1, "choice": choice}
            t0 = time.perf_counter()
            r = await client.post(f"{api}/choices", json=body, headers=headers)
            latencies.append(time.perf_counter() - t0)
            assert r.status_code == 201, r.text
            pt = pt.choose(choice)
            acked.append((me["playthrough_id"], body["seq"], choice))
            made += 1


async def load(info, n, choices):
    rules = library.load("tutoriel")[1].rules
    api = f"{info['url']}/api/v1/sessions/{info['code']}"
    limits = httpx.Limits(max_connections=min(n, 200), max_keepalive_connections=min(n, 200))
    latencies, acked = [], []
    async with httpx.AsyncClient(trust_env=False, timeout=120, limits=limits) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(trainee(client, api, rules, i, choices, latencies, acked) for i in range(n)))
        wall = time.perf_counter() - t0
    return wall, latencies, acked


def bare_sqlite(rows, folder: Path) -> float:
    """Rows per second of durable one-row transactions (the host's durability, without the host)."""
    db = sqlite3.connect(folder / "bare.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE choices (playthrough_id TEXT, seq INTEGER, node TEXT, choice TEXT, at REAL, "
               "PRIMARY KEY (playthrough_id, seq))")
    t0 = time.perf_counter()
    for pid, seq, choice in rows:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO choices VALUES (?,?,?,?,?)", (pid, seq, "n", choice, time.time()))
        db.execute("COMMIT")
    rate = len(rows) / (time.perf_counter() - t0)
    db.close()
    return rate


def run(n: int, choices: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        proc, info = start_host(home)
        try:
            wall, lat, acked = asyncio.run(load(info, n, choices))
        finally:
            proc.terminate()
            proc.wait(30)
        db = sqlite3.connect(home / "data" / "classroom.sqlite3")
        stored = db.execute("SELECT playthrough_id, seq, choice FROM choices").fetchall()
        db.close()
        lost = len(set(acked) - set(stored))
        dup = len(acked) - len(set(acked))
        bare = bare_sqlite(stored, home)
    lat.sort()
    rate = len(acked) / wall
    return {"trainees": n, "choices": len(acked), "seconds": round(wall, 2), "acks_per_s": round(rate),
            "p50_ms": round(statistics.median(lat) * 1000, 1), "p99_ms": round(lat[int(len(lat) * 0.99)] * 1000, 1),
            "lost": lost, "duplicated": dup, "bare_sqlite_per_s": round(bare), "share_of_bare": round(rate / bare, 2)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trainees", type=int, nargs="+", default=[300, 1000])
    p.add_argument("--choices", type=int, default=20)
    args = p.parse_args()
    for n in args.trainees:
        print(json.dumps(run(n, args.choices)), flush=True)


if __name__ == "__main__":
    main()
