"""A real LRS: Ralph (France Université Numérique's LRS) with its file-system backend, fed by a real host.

Ralph pins its own FastAPI, so it lives in its own virtual environment, `.cache/ralph-venv`
(git-ignored, made once, reused). Without PyPI the test is reported as skipped, with the reason.
Run alone with `make test-lrs`; PANDORE_RALPH_VENV puts the venv elsewhere (a CI cache).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.authoring import library
from game.engine import Playthrough

from .conftest import ROOT, join, start_host

httpx = pytest.importorskip("httpx")

pytestmark = pytest.mark.lrs

RALPH = "ralph-malph[cli,lrs]==5.1.0"
VENV = Path(os.environ.get("PANDORE_RALPH_VENV") or ROOT / ".cache" / "ralph-venv")  # reused once made
STAMP = VENV / ".pandore-ralph-5.1.0"
TUTO = library.load("tutoriel")[1].rules
USER, PASSWORD = "pandore-host", "not-a-real-secret-but-long-enough"

# Ralph 5.1.0's file-system LRS backend writes its statements file in "create" mode (wb), after
# checking that it does not exist yet: every write after the first fails with "already exists and
# overwrite is not allowed". This launcher works around it in the open: it makes the backend
# append (ab), then runs Ralph's API with uvicorn as `ralph runserver` would.
LAUNCHER = '''
import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs import fs

_write = fs.FSLRSBackend.write


def append(self, data, target=None, chunk_size=None, ignore_errors=False, operation_type=None):
    return _write(self, data, target, chunk_size, ignore_errors, BaseOperationType.APPEND)


fs.FSLRSBackend.write = append
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
'''

# Ralph's own pydantic model of an xAPI statement: each line of stdin must validate.
VALIDATOR = '''
import json
import sys

from ralph.models.xapi.base.statements import BaseXapiStatement

bad = 0
for n, line in enumerate(sys.stdin, 1):
    try:
        BaseXapiStatement(**json.loads(line))
    except Exception as e:
        bad += 1
        print(f"line {n}: {e}")
print(f"{bad} invalid")
sys.exit(1 if bad else 0)
'''


def _python() -> Path:
    return VENV / "bin" / "python"


@pytest.fixture(scope="session")
def ralph_python() -> Path:
    """Ralph's interpreter, installed on first use; the test is skipped (with why) when it cannot be."""
    if STAMP.exists() and _python().exists():
        return _python()
    try:
        if not _python().exists():
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, capture_output=True, timeout=300)
        r = subprocess.run([str(_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", RALPH,
                            "requests"], capture_output=True, text=True, timeout=1200)
    except (subprocess.SubprocessError, OSError) as e:
        pytest.skip(f"Ralph could not be installed in {VENV}: {e}")
    if r.returncode != 0:
        pytest.skip(f"Ralph could not be installed in {VENV}: {r.stderr.strip().splitlines()[-1:]}")
    STAMP.write_text(RALPH + "\n", encoding="utf-8")
    return _python()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Ralph:
    """One Ralph LRS on 127.0.0.1, its statements in `folder`, one basic-auth user; stoppable, restartable."""

    def __init__(self, python: Path, folder: Path):
        self.python, self.folder = python, folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/xAPI"
        (folder / "data").mkdir(parents=True)
        (folder / "app").mkdir()
        self.launcher = folder / "launch_ralph.py"
        self.launcher.write_text(LAUNCHER, encoding="utf-8")
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder),
                    "RALPH_RUNSERVER_BACKEND": "fs",  # `ralph auth` needs it exported too
                    "RALPH_APP_DIR": str(folder / "app"), "RALPH_AUTH_FILE": str(folder / "auth.json"),
                    "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data")}
        r = subprocess.run([str(python.parent / "ralph"), "auth", "-u", USER, "-p", PASSWORD, "-s", "all",
                            "-A", "pandore-host", "http://127.0.0.1", "-w"],
                           env=self.env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen([str(self.python), str(self.launcher), str(self.port)], env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=open(self.folder / "ralph.log", "ab"))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=2,
                             trust_env=False).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert self.proc.poll() is None, (self.folder / "ralph.log").read_text(errors="replace")
            time.sleep(0.2)
        raise AssertionError("Ralph did not start")

    def kill(self) -> None:
        """Stopped as by a crash (SIGKILL): what it had not answered is lost to it."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def statements(self, registration: str) -> list[dict]:
        """Every statement of a registration, following `more` (the fs backend ignores verb=/activity=)."""
        out, url = [], f"{self.url}/statements?registration={registration}&limit=100"
        with httpx.Client(auth=(USER, PASSWORD), headers={"X-Experience-API-Version": "1.0.3"}, timeout=30,
                          trust_env=False) as c:
            while url:
                r = c.get(url)
                assert r.status_code == 200, r.text
                body = r.json()
                out.extend(body["statements"])
                more = body.get("more")
                url = f"http://127.0.0.1:{self.port}{more}" if more else None
        return out

    def stored_lines(self) -> list[dict]:
        path = self.folder / "data" / "fs_lrs.jsonl"
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def ralph(ralph_python, tmp_path):
    lrs = Ralph(ralph_python, tmp_path / "ralph")
    lrs.start()
    yield lrs
    lrs.kill()


def choose(client, host, me: dict, pt: Playthrough) -> Playthrough:
    c = next(c.id for c in TUTO.choices(pt.state) if c.available)
    r = client.post(f"{host.api}/choices", headers=me["headers"],
                    json={"playthrough_id": me["playthrough_id"], "seq": len(pt.choices) + 1, "choice": c})
    assert r.status_code == 201, r.text
    return pt.choose(c)


def xapi_status(client, host) -> dict:
    r = client.get(f"{host.api}/xapi", headers=host.trainer)
    assert r.status_code == 200, r.text
    return r.json()


def wait_for(predicate, seconds: float, what: str, client=None, host=None, keep=()):
    """Poll `predicate` until true; meanwhile the trainees in `keep` stay seen (their heartbeat)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for me in keep:
            client.get(f"{host.api}/scenario", headers=me["headers"])
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_session_through_a_real_lrs_stopped_and_started_again(ralph, ralph_python, home, tmp_path, monkeypatch):
    monkeypatch.setenv("PANDORE_LRS_USER", USER)  # the credentials from the environment, not the command line
    monkeypatch.setenv("PANDORE_LRS_PASSWORD", PASSWORD)
    host = start_host(home, "tutoriel", "--lrs", ralph.url, "--abandon-after", "10")
    try:
        with httpx.Client(timeout=10, trust_env=False) as client:
            page = client.get(f"{host.url}/j/{host.code}?lang=fr").text
            assert "envoie aussi vos choix" in page and "combien de temps" in page  # the trainees are told
            a, c = join(client, host, "Camille"), join(client, host, "Sasha")
            pa, pc = Playthrough.start(TUTO, a["seed"]), Playthrough.start(TUTO, c["seed"])
            pa = choose(client, host, a, pa)
            pc = choose(client, host, c, pc)  # Sasha then goes quiet: abandoned 10 s later
            wait_for(lambda: xapi_status(client, host)["sent"] == 4, 30, "the first statements to reach Ralph",
                     client, host, keep=[a])

            ralph.kill()  # the LRS goes down mid-session; the class plays on
            while not pa.state.finished:
                pa = choose(client, host, a, pa)
            b = join(client, host, "Dominique")
            pb = Playthrough.start(TUTO, b["seed"])
            pb = choose(client, host, b, pb)
            pb = choose(client, host, b, pb)
            r = client.post(f"{host.api}/undo", headers=b["headers"],
                            json={"playthrough_id": b["playthrough_id"], "seq": 2})
            assert r.status_code == 200
            pb = choose(client, host, b, pb.undo())
            r = client.post(f"{host.api}/leave", headers=b["headers"], json={"playthrough_id": b["playthrough_id"]})
            assert r.status_code == 200 and r.json() == {"left": True, "seq": 2}
            down = wait_for(lambda: (s := xapi_status(client, host))["state"] == "retrying" and s, 30,
                            "the host to notice that the LRS is down")
            assert down["waiting"] > 0 and down["rejected"] == 0 and down["lrs"] == ralph.url
            with client.stream("GET", f"{host.api}/stream", headers=host.trainer) as events:  # the live view
                data = next(line for line in events.iter_lines() if line.startswith("data: "))
            live = json.loads(data[len("data: "):])["xapi"]
            assert live["state"] == "retrying" and live["waiting"] >= down["waiting"] > 0

            ralph.start()
            total = (len(pa.choices) + 2) + 6 + 3  # Camille's, Dominique's, Sasha's (with `abandoned`)
            wait_for(lambda: (s := xapi_status(client, host))["sent"] == total and s["waiting"] == 0, 120,
                     "every statement to reach the LRS after it came back")
            final = xapi_status(client, host)
            assert final["state"] == "idle" and final["rejected"] == 0 and final["rejected_statements"] == []
    finally:
        assert host.stop() == 0

    ours = _report(home, host)
    assert len(ours) == total
    by_reg: dict[str, list[dict]] = {}
    for s in ours:
        by_reg.setdefault(s["context"]["registration"], []).append(s)
    assert len(by_reg) == 3
    verbs = sorted([s["verb"]["id"].rsplit("/", 1)[1] for s in stmts] for stmts in by_reg.values())
    assert verbs == sorted([
        ["initialized", "selected", "abandoned"],
        ["initialized", "selected", "selected", "voided", "selected", "terminated"],
        ["initialized"] + ["selected"] * len(pa.choices) + ["completed"]])

    # read back from Ralph, by registration: every statement exactly once, as sent
    for reg, stmts in by_reg.items():
        got = ralph.statements(reg)
        ids = [s["id"] for s in got]
        assert len(ids) == len(set(ids)), "a statement arrived twice"
        assert set(ids) == {s["id"] for s in stmts}
        by_id = {s["id"]: s for s in got}
        for s in stmts:
            g = by_id[s["id"]]
            for key in ("actor", "verb", "object", "context", "timestamp"):
                assert g[key] == s[key], (key, s["id"])
            assert g.get("result") == s.get("result")
    stored = ralph.stored_lines()
    assert sorted(s["id"] for s in stored) == sorted(s["id"] for s in ours)  # stored once, none lost

    # Ralph's own xAPI model accepts each of them; and rejects a statement without an actor
    check = tmp_path / "validate.py"
    check.write_text(VALIDATOR, encoding="utf-8")
    r = subprocess.run([str(ralph_python), str(check)], input="".join(json.dumps(s) + "\n" for s in ours),
                       capture_output=True, text=True, timeout=120, env=ralph.env)
    assert r.returncode == 0 and r.stdout.strip().endswith("0 invalid"), r.stdout + r.stderr
    broken = {k: v for k, v in ours[1].items() if k != "actor"}
    r = subprocess.run([str(ralph_python), str(check)], input=json.dumps(broken) + "\n",
                       capture_output=True, text=True, timeout=120, env=ralph.env)
    assert r.returncode == 1 and "1 invalid" in r.stdout


def _report(home: Path, host) -> list[dict]:
    out = home / f"statements-{time.monotonic_ns()}.jsonl"
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "report", host.info["session"], "--xapi", str(out)],
                       capture_output=True, text=True, timeout=60, cwd=ROOT,
                       env={**os.environ, "PANDORE_HOME": str(home)})
    assert r.returncode == 0, r.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    out.unlink()
    return lines
