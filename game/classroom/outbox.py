"""The window's side of a classroom session: a persistent outbox of choices.

Each choice is written to a JSON file in the user's data folder (atomically)
before it is sent, then sent at once; what cannot be sent is retried with
back-off, kept across a restart of the window or of the host, and shown as
"reconnexion…" (`status == "reconnecting"`). A choice leaves the outbox only
when the host has acknowledged it (201, or 200: already recorded). The host's
answer is compared with the state the window computed itself; a difference
is kept in `mismatches`, never hidden.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from game.authoring.files import atomic_write_text


@dataclass
class Pending:
    seq: int
    choice: str
    expected: dict | None = None  # the state the window computed: {node, ending, gauges, variables}


@dataclass
class Outbox:
    """Choices of one playthrough waiting for the host's acknowledgement."""

    path: Path
    api: str  # {url}/api/v1/sessions/{code}
    token: str
    playthrough_id: str
    pending: list[Pending] = field(default_factory=list)
    status: str = "idle"  # idle | sending | reconnecting | refused
    mismatches: list[tuple[int, dict, dict]] = field(default_factory=list)
    refused: list[tuple[int, int, dict]] = field(default_factory=list)  # (seq, status, body)

    def __post_init__(self):
        self._lock = threading.RLock()
        self.path = Path(self.path)
        if self.path.exists():
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.pending = [Pending(**p) for p in data.get("pending", [])]

    def _save(self) -> None:
        atomic_write_text(self.path, json.dumps({"api": self.api, "playthrough_id": self.playthrough_id,
                                                  "pending": [p.__dict__ for p in self.pending]}))

    def add(self, seq: int, choice: str, expected: dict | None = None) -> None:
        """Keep a choice (on disk first), then try to send everything pending."""
        with self._lock:
            self.pending.append(Pending(seq, choice, expected))
            self._save()
        self.flush()

    def flush(self, timeout: float = 3.0) -> bool:
        """Send the pending choices in order; True when none is left."""
        with self._lock:
            if not self.pending:
                self.status = "idle"
                return True
            self.status = "sending"
            try:
                with httpx.Client(timeout=timeout, trust_env=False) as c:
                    while self.pending:
                        p = self.pending[0]
                        r = c.post(f"{self.api}/choices", headers={"Authorization": f"Bearer {self.token}"},
                                   json={"playthrough_id": self.playthrough_id, "seq": p.seq, "choice": p.choice})
                        if r.status_code in (200, 201):
                            body = r.json()
                            if p.expected is not None:
                                got = {k: body.get(k) for k in p.expected}
                                if got != p.expected:
                                    self.mismatches.append((p.seq, p.expected, got))
                        elif r.status_code in (423, 429) or r.status_code >= 500:
                            self.status = "reconnecting"  # held or paused: kept, sent again later
                            return False
                        else:
                            self.refused.append((p.seq, r.status_code, r.json()))
                            self.status = "refused"
                            self.pending.pop(0)
                            self._save()
                            return False
                        self.pending.pop(0)
                        self._save()
            except httpx.TransportError:
                self.status = "reconnecting"
                return False
            self.status = "idle"
            return True

    def run(self, stop: threading.Event, first: float = 0.25, longest: float = 5.0) -> None:
        """Retry with back-off until `stop` is set (a background thread of the window)."""
        delay = first
        while not stop.is_set():
            if self.flush():
                delay = first
            else:
                delay = min(longest, delay * 2)
            stop.wait(delay if self.pending else first)


def wait_empty(box: Outbox, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not box.pending:
            return True
        time.sleep(0.05)
    return not box.pending
