"""Load on a classroom host over loopback: `python -m bench.classroom_load [--trainees 300 1000] [--choices 20]`.

What is measured
----------------
A real host (`pandore host tutoriel --headless --json --port 0`) runs in its
own process. N simulated trainees, each on its own keep-alive connection,
make C choices each through `POST .../choices`; a trainee who reaches an
ending joins again and goes on, so every trainee makes exactly C choices.
For every choice, the acknowledgement time is the time from the first byte
of the request sent to the last byte of the `201` received; an
acknowledgement is only sent once the choice is committed (WAL,
synchronous=FULL). Afterwards the store is read back: every acknowledged
choice must be there (0 lost) and none twice (0 duplicated).

The load: flat-out. Every trainee sends its next choice the moment the
previous one is acknowledged — no thinking time — so N requests are in
flight at every moment, and the acknowledgement rate is the host's capacity.
This is harsher than any class (a trainee reads for several seconds between
two choices; the worst real moment, the trainer releasing a hold, sends one
choice per trainee at once, which the first round of this load is), and it
lets one run measure both targets: the latency (p50, p99) and the rate
(acks/s) compared with the ceiling measured in the same run, the rate of
bare durable SQLite inserts of the same rows with the same durability (WAL,
synchronous=FULL, each row committed by its own transaction before the next,
as an acknowledgement per choice needs when nothing groups them).
`--think S` adds a random pause of 0..2S seconds before each choice (paced
trainees) for comparison.

The load generator is lean, so that it measures the host and not itself:
raw HTTP/1.1 over asyncio streams (requests built as bytes; the response's
status line and Content-Length parsed by hand), in `--workers` processes
(default 1: on two cores the host keeps the other core). Each trainee joins
and plans its choices (a random available one at each step, with the
engine, from the seed the host gave it) before the clock starts; the timed
part is the choices only. Joins are timed separately (`join_p99_ms`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
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


def start_host(home: Path) -> tuple[subprocess.Popen, dict]:
    env = {**os.environ, "PANDORE_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "host", "tutoriel", "--headless", "--json",
                             "--bind", "127.0.0.1", "--port", "0"], stdout=subprocess.PIPE, text=True, env=env)
    info = json.loads(proc.stdout.readline())
    for _ in range(400):
        try:
            httpx.get(info["url"] + "/healthz", trust_env=False)
            break
        except httpx.TransportError:
            time.sleep(0.05)
    return proc, info


class Connection:
    """One trainee's keep-alive HTTP/1.1 connection: bytes in, (status, body) out."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post(self, path: str, body: bytes, token: str | None = None) -> tuple[int, bytes]:
        auth = f"Authorization: Bearer {token}\r\n" if token else ""
        head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\n{auth}Content-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        self.writer.write(head + body)
        return await self.response()

    async def response(self) -> tuple[int, bytes]:
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def plan(rules, seed: int, rnd: random.Random, budget: int) -> list[str]:
    """The choices of one playthrough: a random available one at each step, until an ending or `budget`."""
    from game.engine import Playthrough

    pt = Playthrough.start(rules, seed)
    out: list[str] = []
    while len(out) < budget and not pt.state.finished:
        choice = rnd.choice([c.id for c in rules.choices(pt.state) if c.available])
        pt = pt.choose(choice)
        out.append(choice)
    return out


async def prepare(host, port, api, rules, index: int, choices: int, join_times: list[float]):
    """Join (again after each ending) until `choices` choices are planned: the trainee's requests, as bytes."""
    rnd = random.Random(index)
    conn = Connection(host, port)
    await conn.open()
    requests = []  # (token, body, (playthrough_id, seq, choice))
    while len(requests) < choices:
        t0 = time.perf_counter()
        status, raw = await conn.post(f"{api}/participants", json.dumps({"pseudonym": f"t{index}"}).encode())
        join_times.append(time.perf_counter() - t0)
        assert status == 201, raw
        me = json.loads(raw)
        for seq, choice in enumerate(plan(rules, me["seed"], rnd, choices - len(requests)), 1):
            body = json.dumps({"playthrough_id": me["playthrough_id"], "seq": seq, "choice": choice}).encode()
            requests.append((me["token"], body, (me["playthrough_id"], seq, choice)))
    return conn, requests


async def play(conn: Connection, api: str, requests, think: float, rnd: random.Random, latencies, acked, errors):
    path = f"{api}/choices"
    for token, body, key in requests:
        if think:
            await asyncio.sleep(rnd.uniform(0, 2 * think))
        t0 = time.perf_counter()
        status, raw = await conn.post(path, body, token)
        latencies.append(time.perf_counter() - t0)
        if status == 201:
            acked.append(key)
        else:
            errors.append(f"{status} {raw[:200]!r}")
    conn.close()


def worker(info: dict, indices: list[int], choices: int, think: float, ready, go, out) -> None:
    """One load process: prepare its trainees, signal ready, wait for go, play, send the measures back."""
    try:
        import uvloop  # the client's loop; the host's own choice is its business

        uvloop.install()
    except ImportError:
        pass
    from game.authoring import library

    rules = library.load("tutoriel")[1].rules
    url = info["url"].removeprefix("http://")
    host, port = url.rsplit(":", 1)
    api = f"/api/v1/sessions/{info['code']}"

    async def main():
        join_times: list[float] = []
        sem = asyncio.Semaphore(50)  # joins at a modest pace: they are not what is measured

        async def prep(i):
            async with sem:
                return await prepare(host, int(port), api, rules, i, choices, join_times)

        trainees = await asyncio.gather(*(prep(i) for i in indices))
        ready.set()
        while not go.is_set():
            await asyncio.sleep(0.005)
        latencies, acked, errors = [], [], []
        c0 = time.process_time()
        t0 = time.perf_counter()
        await asyncio.gather(*(play(conn, api, reqs, think, random.Random(i), latencies, acked, errors)
                               for i, (conn, reqs) in zip(indices, trainees)))
        return t0, time.perf_counter(), time.process_time() - c0, latencies, acked, errors, join_times

    t0, t1, cpu, latencies, acked, errors, join_times = asyncio.run(main())
    out.send({"t0": t0, "t1": t1, "cpu": cpu, "latencies": latencies, "acked": acked, "errors": errors[:20],
              "n_errors": len(errors), "join_times": join_times})
    out.close()


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def load(info: dict, n: int, choices: int, workers: int = 1, think: float = 0.0, host_pid: int | None = None) -> dict:
    ctx = mp.get_context("spawn")
    go = ctx.Event()
    procs, pipes, readies = [], [], []
    for w in range(workers):
        ready = ctx.Event()
        recv, send = ctx.Pipe(duplex=False)
        p = ctx.Process(target=worker, args=(info, list(range(w, n, workers)), choices, think, ready, go, send))
        p.start()
        procs.append(p)
        pipes.append(recv)
        readies.append(ready)
    for r in readies:
        while not r.wait(1):
            if any(p.exitcode not in (None, 0) for p in procs):
                raise RuntimeError("a load process failed while preparing")
    cpu0 = cpu_seconds(host_pid) if host_pid else None
    go.set()
    results = [r.recv() for r in pipes]
    cpu1 = cpu_seconds(host_pid) if host_pid else None
    for p in procs:
        p.join(30)
    wall = max(r["t1"] for r in results) - min(r["t0"] for r in results)
    merged = {k: [x for r in results for x in r[k]] for k in ("latencies", "acked", "errors", "join_times")}
    merged["wall"] = wall
    merged["n_errors"] = sum(r["n_errors"] for r in results)
    merged["client_cpu"] = sum(r["cpu"] for r in results)
    merged["host_cpu"] = None if cpu0 is None or cpu1 is None else cpu1 - cpu0
    return merged


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


def percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * q))]


def run(n: int, choices: int, workers: int = 1, think: float = 0.0) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        proc, info = start_host(home)
        try:
            m = load(info, n, choices, workers, think, proc.pid)
        finally:
            proc.terminate()
            proc.wait(30)
        db = sqlite3.connect(home / "data" / "classroom.sqlite3")
        stored = db.execute("SELECT playthrough_id, seq, choice FROM choices").fetchall()
        db.close()
        acked = [tuple(a) for a in m["acked"]]
        lost = len(set(acked) - set(stored))
        dup = len(acked) - len(set(acked))
        bare = bare_sqlite(stored, home)
    lat = sorted(m["latencies"])
    joins = sorted(m["join_times"])
    rate = len(acked) / m["wall"]
    out = {"trainees": n, "choices": len(acked), "think_s": think, "workers": workers,
           "seconds": round(m["wall"], 2), "acks_per_s": round(rate),
           "p50_ms": round(statistics.median(lat) * 1000, 1), "p99_ms": round(percentile(lat, 0.99) * 1000, 1),
           "max_ms": round(lat[-1] * 1000, 1), "join_p99_ms": round(percentile(joins, 0.99) * 1000, 1),
           "host_cpu_us_per_ack": m["host_cpu"] and round(m["host_cpu"] / max(1, len(acked)) * 1e6),
           "client_cpu_us_per_ack": round(m["client_cpu"] / max(1, len(acked)) * 1e6),
           "refused": m["n_errors"], "lost": lost, "duplicated": dup, "bare_sqlite_per_s": round(bare),
           "share_of_bare": round(rate / bare, 2)}
    if m["errors"]:
        out["first_refusals"] = m["errors"][:3]
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trainees", type=int, nargs="+", default=[300, 1000])
    p.add_argument("--choices", type=int, default=20)
    p.add_argument("--workers", type=int, default=1, help="load processes (default 1)")
    p.add_argument("--think", type=float, default=0.0,
                   help="mean pause before each choice, in seconds (default 0: flat-out)")
    p.add_argument("--repeat", type=int, default=1, help="runs of each size (each line is one run)")
    args = p.parse_args()
    for n in args.trainees:
        for _ in range(args.repeat):
            print(json.dumps(run(n, args.choices, args.workers, args.think)), flush=True)


if __name__ == "__main__":
    main()
