"""A real host on 127.0.0.1: `pandore host ... --headless --json --port 0` in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Host:
    proc: subprocess.Popen
    home: Path
    info: dict

    @property
    def url(self) -> str:
        return self.info["url"]

    @property
    def code(self) -> str:
        return self.info["code"]

    @property
    def api(self) -> str:
        return f"{self.url}/api/v1/sessions/{self.code}"

    @property
    def trainer(self) -> dict:
        return {"Authorization": f"Bearer {self.info['trainer_token']}"}

    def stop(self, sig=signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


def start_host(home: Path, *args: str, bind: str = "127.0.0.1", argv: list[str] | None = None) -> Host:
    """Start a host and wait for its first line (the JSON object of DESIGN.md). `argv` replaces the
    interpreter's arguments before `host` (default: main.py)."""
    env = {**os.environ, "PANDORE_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, *(argv or [str(ROOT / "main.py")]), "host", *args, "--headless",
                             "--json", "--bind", bind, "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    line = proc.stdout.readline()
    if not line:
        proc.wait(timeout=10)
        raise AssertionError(f"the host printed nothing: {proc.stderr.read()}")
    info = json.loads(line)
    host = Host(proc, home, info)
    deadline = time.monotonic() + 15
    while True:
        try:
            if httpx.get(f"{host.url}/healthz", timeout=2, trust_env=False).status_code == 200:
                return host
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            raise AssertionError("the host did not answer")
        time.sleep(0.05)


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def host(home):
    h = start_host(home, "tutoriel")
    yield h
    h.stop()


@pytest.fixture
def client():
    with httpx.Client(timeout=10, trust_env=False) as c:
        yield c


def join(client, host: Host, pseudonym: str = "Camille") -> dict:
    r = client.post(f"{host.api}/participants", json={"pseudonym": pseudonym})
    assert r.status_code == 201, r.text
    body = r.json()
    body["headers"] = {"Authorization": f"Bearer {body['token']}"}
    return body
